"""All ORM models. Importing this package registers every table on ``Base.metadata``."""

from . import accounts, backup, billing, cards, cash, orders, phrases, policy, quality, queue  # noqa: F401  (register tables)
from .base import Base, Money
from .core import (
                   ROLES,
                   AuditEvent,
                   AuditHead,
                   Authorisation,
                   Counter,
                   Hall,
                   Meta,
                   ServiceType,
                   Staff,
                   Window,
                   WindowService,
)

__all__ = ["Base", "Money", "ROLES", "AuditEvent", "AuditHead", "Authorisation", "Counter",
           "Hall", "Meta", "ServiceType", "Staff", "Window", "WindowService"]
