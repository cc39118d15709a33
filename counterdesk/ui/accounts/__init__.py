"""The accounts tab: search, account file, account business forms."""
