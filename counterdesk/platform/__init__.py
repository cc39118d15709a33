"""Thin wrappers of operating-system calls; each is a no-op where it does not apply."""
