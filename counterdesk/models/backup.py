"""Receipt numbers skipped by a restore (issue 16.4).

A restore brings back a database older than the receipts customers already hold; the
receipt counter is then moved past the last number on paper, and the numbers between are
recorded here, so the next day close reports them as "lost in restore" instead of as
gaps, and no number is ever issued twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, id_column, now


class ReceiptSkip(Base):
    __tablename__ = "receipt_skips"
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    first_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(20), nullable=False, default="restore")
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=now)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")  # backup file
