"""Tills and the day close (日清日结).

- ``Till`` — one per clerk and business day: the opening float (备用金, 备足零钱) counted
  by denomination, then the closing blind count (点钞), the non-cash totals the clerk
  confirmed, the difference (长短款) with its explanation, and the manager's countersign.
  ``status``: 'open' → 'counted' (blind count submitted; only now is the expected cash
  known to the clerk) → 'submitted' (clerk closed, explanation given) → 'closed'
  (manager countersigned).
- ``TillCount`` — count of one denomination, ``kind`` 'float' or 'close'. Counts are
  non-negative integers (a check constraint backs the service's validation).
- ``CashMovement`` — cash put into ('in') or taken out of ('out') a till during the day
  with a reason and a manager's ``Authorisation``; the amount is always positive.
- ``DayClose`` — locks a business day of a hall (``status`` 'closed' / 'reopened', read
  by :mod:`counterdesk.dayguard`), with the day's totals, the running totals of the
  month and year, and the full report as JSON in ``summary``.
- ``DayCloseLog`` — every close and reopen (who, when, why), never overwritten.

Money is integer fen.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, Money, created_column, id_column

TILL_STATUSES = ("open", "counted", "submitted", "closed")
COUNT_KINDS = ("float", "close")
MOVEMENT_DIRECTIONS = ("in", "out")
DIRECTION_NAMES = {"in": "存入", "out": "取出"}  # how a movement is named on screen and paper


class Till(Base):
    """钱箱: one clerk's cash for one business day."""

    __tablename__ = "tills"
    __table_args__ = (
        UniqueConstraint("hall_id", "business_day", "staff_id"),
        Index("ix_tills_hall_day_status", "hall_id", "business_day", "status"),
        CheckConstraint("float_fen >= 0", name="float_not_negative"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), nullable=False)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    window: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    opened_at: Mapped[dt.datetime] = created_column()
    float_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    # the blind count
    counted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    counted_fen: Mapped[int | None] = mapped_column(Money)
    expected_fen: Mapped[int | None] = mapped_column(Money)      # fixed at the count
    difference_fen: Mapped[int | None] = mapped_column(Money)    # counted − expected
    # JSON {method: {"expected_fen", "confirmed_fen", "difference_fen"}} for cheque/card/qr
    noncash: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    # the clerk's close
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # the manager's countersign
    countersigned_by: Mapped[str | None] = mapped_column(String(16))
    countersigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    countersign_authorisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("authorisations.id"))
    # recounts after a manager reopened the count (kept for the report)
    recounts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    counts: Mapped[list[TillCount]] = relationship(
        back_populates="till", order_by="TillCount.id", cascade="all, delete-orphan")
    movements: Mapped[list[CashMovement]] = relationship(
        back_populates="till", order_by="CashMovement.id")


class TillCount(Base):
    """点钞: how many of one denomination (float or closing count)."""

    __tablename__ = "till_counts"
    __table_args__ = (
        UniqueConstraint("till_id", "kind", "denomination"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )
    id: Mapped[int] = id_column()
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(6), nullable=False)           # float | close
    denomination: Mapped[str] = mapped_column(String(8), nullable=False)   # N10000, C50…
    value_fen: Mapped[int] = mapped_column(Money, nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False)

    till: Mapped[Till] = relationship(back_populates="counts")


class CashMovement(Base):
    """现金存入 / 取出 during the day (e.g. more change, a mid-day deposit to the safe)."""

    __tablename__ = "cash_movements"
    __table_args__ = (
        Index("ix_cash_movements_hall_day", "hall_id", "business_day"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )
    id: Mapped[int] = id_column()
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id"), nullable=False, index=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    direction: Mapped[str] = mapped_column(String(4), nullable=False)     # in | out
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    authorisation_id: Mapped[int] = mapped_column(ForeignKey("authorisations.id"),
                                                  nullable=False)
    approved_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()

    till: Mapped[Till] = relationship(back_populates="movements")


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
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON report
    # the figures of the close (also inside summary), for queries and running totals
    payment_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                               server_default="0")
    sales_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0, server_default="0")
    reversals_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                               server_default="0")
    net_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0, server_default="0")
    cash_net_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                              server_default="0")
    difference_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                                server_default="0")
    month_net_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                               server_default="0")
    year_net_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                              server_default="0")
    month_difference_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                                      server_default="0")
    year_difference_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0,
                                                     server_default="0")
    first_receipt_no: Mapped[str] = mapped_column(String(20), nullable=False, default="",
                                                  server_default="")
    last_receipt_no: Mapped[str] = mapped_column(String(20), nullable=False, default="",
                                                 server_default="")
    close_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1,
                                             server_default="1")
    backup_file: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # the audit chain's head at the close (the close event's chain, seq and hash), printed
    # on the report: ``audit verify --anchor HALL:SEQ:HASH`` proves the chain was not
    # rewritten (the chain is the hall's own; closes before revision 0018 name the chain
    # of the database's first hall, where every earlier event is)
    anchor_chain: Mapped[str | None] = mapped_column(String(16))
    anchor_seq: Mapped[int | None] = mapped_column(BigId)
    anchor_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="",
                                             server_default="")


class DayCloseLog(Base):
    """Every close and reopen of a day, in order (the DayClose row keeps only the last)."""

    __tablename__ = "day_close_log"
    __table_args__ = (Index("ix_day_close_log_hall_day", "hall_id", "business_day"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    action: Mapped[str] = mapped_column(String(8), nullable=False)   # close | reopen
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    at: Mapped[dt.datetime] = created_column()
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    net_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")


__all__ = ["Till", "TillCount", "CashMovement", "DayClose", "DayCloseLog", "TILL_STATUSES",
           "COUNT_KINDS", "MOVEMENT_DIRECTIONS"]
