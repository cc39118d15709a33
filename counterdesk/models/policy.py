"""Hall policy: the hall's rules (limits, deadlines) stored once for every PC of the hall.

Only values a manager changed are stored; an unset key takes the registry's default
(:mod:`counterdesk.policy.registry`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now


class HallPolicy(Base):
    __tablename__ = "hall_policy"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=now)
    changed_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
