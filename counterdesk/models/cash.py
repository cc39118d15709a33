"""Tills and the day close (日清日结). ``DayClose`` locks a business day of a hall."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_column, id_column


class DayClose(Base):
    """One row per hall and business day once closed; ``status`` 'closed' or 'reopened'."""

    __tablename__ = "day_closes"
    __table_args__ = (UniqueConstraint("hall_id", "business_day"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="closed")
    closed_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    closed_at: Mapped[dt.datetime] = created_column()
    reopened_by: Mapped[str | None] = mapped_column(String(16))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reopen_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON totals
