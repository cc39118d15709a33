"""Shared widgets and helpers: table model base, field messages, approval, background jobs, printing."""
