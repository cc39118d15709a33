"""All ORM models. Importing this package registers every table on ``Base.metadata``."""

from .base import Base, Money
from .core import (ROLES, AuditEvent, AuditHead, Authorisation, Counter, Hall, Meta,
                   ServiceType, Staff, Window, WindowService)
from . import queue, accounts, billing, cash, quality, phrases  # noqa: F401  (register tables)

__all__ = ["Base", "Money", "ROLES", "AuditEvent", "AuditHead", "Authorisation", "Counter",
           "Hall", "Meta", "ServiceType", "Staff", "Window", "WindowService"]
