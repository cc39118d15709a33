"""Core model: halls, windows, service types, staff, the audit chain, authorisations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, created_column, id_column


class Meta(Base):
    """Key/value facts about the database itself (marks a CounterDesk database)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Hall(Base):
    __tablename__ = "halls"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    company_name: Mapped[str] = mapped_column(String(100), nullable=False)
    company_short: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    hotline: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    opening_time: Mapped[str] = mapped_column(String(5), nullable=False, default="08:30")
    closing_time: Mapped[str] = mapped_column(String(5), nullable=False, default="17:30")
    created_at: Mapped[dt.datetime] = created_column()

    windows: Mapped[list[Window]] = relationship(back_populates="hall",
                                                   order_by="Window.number")
    service_types: Mapped[list[ServiceType]] = relationship(back_populates="hall",
                                                              order_by="ServiceType.letter")


class ServiceType(Base):
    """A kind of business with its ticket letter: A 缴费, B 开户/报装, C 过户/更名, D 咨询/投诉."""

    __tablename__ = "service_types"
    __table_args__ = (UniqueConstraint("hall_id", "letter"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    letter: Mapped[str] = mapped_column(String(1), nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    name_en: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    hall: Mapped[Hall] = relationship(back_populates="service_types")


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    hall: Mapped[Hall] = relationship(back_populates="windows")
    services: Mapped[list[WindowService]] = relationship(
        order_by="WindowService.position", cascade="all, delete-orphan")


class WindowService(Base):
    """The ordered set of service types a window serves."""

    __tablename__ = "window_services"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"),
                                                 primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    service_type: Mapped[ServiceType] = relationship()


ROLES = ("clerk", "manager", "admin")


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = id_column()
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"))
    staff_no: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="clerk")
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # wrong passwords typed as someone's approver (counted apart from sign-in failures)
    approval_failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                                          server_default="0")
    approval_locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    can_reveal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = created_column()
    last_sign_in: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")


class Counter(Base):
    """Gapless sequences (ticket numbers, receipt numbers), one row per hall and name."""

    __tablename__ = "counters"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigId, nullable=False, default=0)


class AuditHead(Base):
    """The head of one hall's audit chain: appends of a hall are serialised through its
    own row, so two halls never wait on each other (issue 24.3). The chain of the hall
    the database was created with (its first hall) also holds the events without a hall
    and every event from before revision 0018 (see :mod:`counterdesk.audit.chain`)."""

    __tablename__ = "audit_head"
    hall_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(BigId, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # the hash before the last append: lets PostgreSQL append in one statement
    # (``UPDATE … SET prev_hash = hash, hash = … RETURNING``), see audit.record
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="",
                                           server_default="")


class AuditEvent(Base):
    """One business event, chained to the previous event of its chain:
    ``hash = sha256(prev_hash + canonical_payload)``; ``seq`` counts within the chain."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("chain", "seq"),)
    id: Mapped[int] = id_column()
    # the hall whose chain holds the event (not part of the hash: moving an event to
    # another chain breaks both chains' links)
    chain: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    seq: Mapped[int] = mapped_column(BigId, nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
    hall_code: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    window: Mapped[int | None] = mapped_column(Integer)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(48), nullable=False, index=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class Authorisation(Base):
    """A manager's approval given at a clerk's PC (工号 + password), for one action."""

    __tablename__ = "authorisations"
    id: Mapped[int] = id_column()
    at: Mapped[dt.datetime] = created_column()
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), nullable=False)
    clerk_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    window: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(48), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    manager: Mapped[Staff] = relationship()
