"""Queue (排队叫号): tickets, their history, window state and window pauses.

* ``Ticket`` — one customer's number for one business day (``A001``…), gapless per hall,
  service letter and day (``sequence.next_value`` counter ``ticket:A:2026-11-22``).
  Tickets are never deleted: yesterday's rows stay for statistics.
* ``TicketEvent`` — every step of a ticket (issued, called, recalled, started, no-show,
  re-queued, transferred, held, resumed, finished) and of a window (paused, resumed),
  with time, window and staff. Its id is the hall's change counter: displays and
  workstations poll ``max(id)`` through the ``(hall_id, id)`` index.
* ``WindowState`` — one row per window: the ticket it holds now (at most one, unique),
  the current pause, the run of consecutive priority calls. Call-next locks this row
  first, so a double press on one window calls once.
* ``WindowPause`` — 此窗口暂停服务: who, why, from, expected return, until, approved by,
  covering colleague (顶岗).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, id_column

TICKET_STATUSES = ("waiting", "called", "serving", "held", "finished", "no_show")
ACTIVE_AT_WINDOW = ("called", "serving")


class Ticket(Base):
    __tablename__ = "queue_tickets"
    __table_args__ = (
        UniqueConstraint("hall_id", "day", "letter", "seq"),
        # call-next: waiting tickets of today, oldest first
        Index("ix_queue_tickets_pick", "hall_id", "day", "status", "service_type_id",
              "queue_at"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    letter: Mapped[str] = mapped_column(String(1), nullable=False)      # letter at issue
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(8), nullable=False)      # "A001"
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"),
                                                 nullable=False)       # current service
    priority: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="waiting")
    queue_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)  # order key
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    issued_by: Mapped[str] = mapped_column(String(16), nullable=False, default="kiosk")
    first_called_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    called_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    no_show_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    window_number: Mapped[int | None] = mapped_column(Integer)   # window holding / last held
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    target_window: Mapped[int | None] = mapped_column(Integer)   # transferred to a window
    first_staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")  # 首问
    first_window: Mapped[int | None] = mapped_column(Integer)
    recall_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    requeue_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class TicketEvent(Base):
    __tablename__ = "queue_events"
    __table_args__ = (Index("ix_queue_events_hall_id_id", "hall_id", "id"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_tickets.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    number: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    window_number: Mapped[int | None] = mapped_column(Integer)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class WindowPause(Base):
    __tablename__ = "queue_window_pauses"
    __table_args__ = (Index("ix_queue_window_pauses_open", "hall_id", "ended_at"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    window_number: Mapped[int] = mapped_column(Integer, nullable=False)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    reason_code: Mapped[str] = mapped_column(String(16), nullable=False)
    reason_text: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    expected_until: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    approved_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))
    cover_staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    override: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class WindowState(Base):
    __tablename__ = "queue_window_states"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    current_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_tickets.id"),
                                                          unique=True)
    pause_id: Mapped[int | None] = mapped_column(ForeignKey("queue_window_pauses.id"))
    priority_streak: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    calls: Mapped[int] = mapped_column(BigId, nullable=False, default=0)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
