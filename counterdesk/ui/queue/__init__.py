"""The queue tab: this window's ticket, the hall around it, queue statistics."""
