"""Service quality: ratings at the window, complaints with deadlines, follow-ups.

Tickets are referred to by plain columns (``ticket_id``, ``ticket_number``) without a
foreign key, so this capability does not depend on the queue's schema. Customer
phones are stored in full and masked on every way out (screens, reports, exports).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, created_column, id_column

RATING_VALUES = ("very_satisfied", "satisfied", "basic", "unsatisfied", "none")
COMPLAINT_KINDS = ("complaint", "enquiry", "help")          # 投诉 咨询 求助
COMPLAINT_STATUSES = ("open", "forwarded", "replied", "closed")
STEP_KINDS = ("recorded", "forwarded", "handed_over", "replied", "contacted",
              "followed_up", "reopened", "closed", "work_done")
VERDICTS = ("satisfied", "unsatisfied")


class Rating(Base):
    """The customer's rating of one finished ticket, given on the customer screen."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("hall_id", "ticket_key"),
                      UniqueConstraint("ticket_id"))  # one rating per ticket (issue 15)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    # "<ticket_id>" or "<business day>/<ticket number>": one rating per ticket
    ticket_key: Mapped[str] = mapped_column(String(40), nullable=False)
    # the finished ticket rated (a real ticket: foreign key); NULL only for demo ratings
    ticket_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("queue_tickets.id"))
    ticket_number: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    business_day: Mapped[dt.date] = mapped_column(nullable=False, index=True)
    service_letter: Mapped[str] = mapped_column(String(1), nullable=False, default="")
    service_name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    window: Mapped[int | None] = mapped_column(Integer)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    staff_name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    value: Mapped[str] = mapped_column(String(16), nullable=False)  # RATING_VALUES
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="customer_screen")
    screen_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    created_at: Mapped[dt.datetime] = created_column()


class Complaint(Base):
    """A complaint, enquiry or help request (投诉/咨询/求助), owned by the first clerk."""

    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("hall_id", "number"),
                      Index("ix_complaints_hall_status_due", "hall_id", "status", "due_at"))
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="complaint")
    channel: Mapped[str] = mapped_column(String(12), nullable=False, default="window")
    contact_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    contact_phone: Mapped[str] = mapped_column(String(24), nullable=False)
    account_no: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    ticket_id: Mapped[int | None] = mapped_column(BigId)
    ticket_number: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    window: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    department: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(16), nullable=False)
    owner_staff_no: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    owner_name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    first_due_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    first_replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reply: Mapped[str] = mapped_column(Text, nullable=False, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    verdict: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    reopen_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # the reply promised work (repair, visit): its completion is recorded before the
    # follow-up (回访) may close the item
    work_promised: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                                server_default=false())
    work_done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    work_done_by: Mapped[str] = mapped_column(String(16), nullable=False, default="",
                                              server_default="")
    replied_by: Mapped[str] = mapped_column(String(16), nullable=False, default="",
                                            server_default="")

    steps: Mapped[list[ComplaintStep]] = relationship(
        back_populates="complaint", order_by="ComplaintStep.id", cascade="all, delete-orphan")
    followups: Mapped[list[FollowUp]] = relationship(
        back_populates="complaint", order_by="FollowUp.id", cascade="all, delete-orphan")


class ComplaintStep(Base):
    """Every step of a complaint with its time and staff member (事事有结果)."""

    __tablename__ = "complaint_steps"
    id: Mapped[int] = id_column()
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), nullable=False,
                                              index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # STEP_KINDS
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    staff_name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    department: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    to_staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="steps")


class FollowUp(Base):
    """A follow-up call or visit (回访) with the customer's verdict."""

    __tablename__ = "followups"
    id: Mapped[int] = id_column()
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), nullable=False,
                                              index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    method: Mapped[str] = mapped_column(String(8), nullable=False, default="phone")  # phone|visit
    verdict: Mapped[str] = mapped_column(String(16), nullable=False)  # VERDICTS
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="followups")


__all__ = ["COMPLAINT_KINDS", "COMPLAINT_STATUSES", "Complaint", "ComplaintStep", "FollowUp",
           "RATING_VALUES", "Rating", "STEP_KINDS", "VERDICTS"]
