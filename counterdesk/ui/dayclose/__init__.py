"""The manager's day close (日清日结)."""
