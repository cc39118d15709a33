"""Customer file (一户一档): accounts, holders and their history, bills.

A holder row is never overwritten: a rename or a transfer creates a new ``Holder`` and
closes the previous ``HolderHistory`` period. ID numbers and phones are stored in full
(the service masks them on every way out).

Search as you type is index-backed prefix search on dedicated columns: ``name``,
``name_initials`` (pinyin initials, lower case), ``phone``, ``id_tail`` (the last six
characters of the ID number *reversed*, so "last 4–6 characters" is a prefix),
``account_no``, ``meter_no`` and three address keys (from the district, the street and
the community on). On PostgreSQL these indexes use ``text_pattern_ops`` (byte order,
whatever the database collation), on SQLite the default BINARY order; the service
queries them with a ``[prefix, next-prefix)`` range, never a scan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, Money, created_column, id_column

ID_TYPES = ("resident_id", "uscc", "passport", "hk_macau_permit", "taiwan_permit", "other")
# customer types as halls use them (居民 商业 工业 公服/公福 采暖); price items name theirs
CUSTOMER_TYPES = ("resident", "commercial", "industrial", "public", "heating")
ACCOUNT_STATUSES = ("active", "suspended", "closed")
SPECIAL_GROUPS = ("disabled", "impaired", "orphan", "elderly", "low_income")  # 残 障 孤 老 低保


def _prefix_index(name: str, column: str) -> Index:
    """An index usable for ``LIKE 'abc%'`` / range prefix search on both engines."""
    return Index(name, column, postgresql_ops={column: "text_pattern_ops"})


class Holder(Base):
    """A person or organisation as it was recorded at one moment."""

    __tablename__ = "holders"
    id: Mapped[int] = id_column()
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="person")
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    name_initials: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    id_type: Mapped[str] = mapped_column(String(20), nullable=False, default="resident_id")
    id_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    id_tail: Mapped[str] = mapped_column(String(6), nullable=False, default="")  # reversed
    phone: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()

    __table_args__ = (
        _prefix_index("ix_holders_name_prefix", "name"),
        _prefix_index("ix_holders_initials_prefix", "name_initials"),
        _prefix_index("ix_holders_phone_prefix", "phone"),
        _prefix_index("ix_holders_id_tail_prefix", "id_tail"),
        Index("ix_holders_id_number", "id_number"),
    )


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # One active account per meter and per address: enforced by the database.
        Index("uq_accounts_active_meter", "hall_id", "meter_no", unique=True,
              sqlite_where=text("status <> 'closed' AND meter_no <> ''"),
              postgresql_where=text("status <> 'closed' AND meter_no <> ''")),
        Index("uq_accounts_active_address", "hall_id", "address_key", unique=True,
              sqlite_where=text("status <> 'closed'"),
              postgresql_where=text("status <> 'closed'")),
        _prefix_index("ix_accounts_account_no_prefix", "account_no"),
        _prefix_index("ix_accounts_meter_prefix", "meter_no"),
        _prefix_index("ix_accounts_address_prefix", "address_key"),
        _prefix_index("ix_accounts_street_prefix", "street_key"),
        _prefix_index("ix_accounts_community_prefix", "community_key"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    account_no: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holders.id"), nullable=False,
                                           index=True)
    customer_type: Mapped[str] = mapped_column(String(16), nullable=False, default="resident")
    special_groups: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    district: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    community: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    building: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    room: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    address_text: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # normalised address from the district on (unique among open accounts), and search
    # keys from the street and from the community on
    address_key: Mapped[str] = mapped_column(String(300), nullable=False)
    street_key: Mapped[str] = mapped_column(String(300), nullable=False, default="",
                                            server_default="")
    community_key: Mapped[str] = mapped_column(String(300), nullable=False, default="",
                                               server_default="")
    meter_no: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    meter_type: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    meter_kind: Mapped[str] = mapped_column(String(8), nullable=False, default="plain",
                                            server_default="plain")  # plain | ic | iot
    supply_contract_no: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    supply_contract_date: Mapped[dt.date | None] = mapped_column(Date)
    safety_contract_no: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    safety_contract_date: Mapped[dt.date | None] = mapped_column(Date)
    documents_checked: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    opened_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    opened_at: Mapped[dt.datetime] = created_column()
    closed_by: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    holder: Mapped[Holder] = relationship()
    history: Mapped[list[HolderHistory]] = relationship(
        back_populates="account", order_by="HolderHistory.id")
    bills: Mapped[list[Bill]] = relationship(back_populates="account",
                                               order_by="Bill.period")


class HolderHistory(Base):
    """Who held the account when: one row per period, closed by a rename/transfer/close."""

    __tablename__ = "holder_history"
    id: Mapped[int] = id_column()
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False,
                                            index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holders.id"), nullable=False)
    change: Mapped[str] = mapped_column(String(12), nullable=False)  # open|rename|transfer|close
    reason: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    documents: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    valid_to: Mapped[dt.datetime | None] = mapped_column(DateTime)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))

    account: Mapped[Account] = relationship(back_populates="history")
    holder: Mapped[Holder] = relationship()


class Bill(Base):
    """A bill imported from the billing system; ``paid_fen`` grows with payments."""

    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("account_id", "period"),)
    id: Mapped[int] = id_column()
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False,
                                            index=True)
    period: Mapped[str] = mapped_column(String(7), nullable=False)  # YYYY-MM
    volume: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False)
    paid_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    due_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    import_batch: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    imported_at: Mapped[dt.datetime] = created_column()

    account: Mapped[Account] = relationship(back_populates="bills")

    @property
    def open_fen(self) -> int:
        return self.amount_fen - self.paid_fen


class AccountSuspension(Base):
    """One period of a safety stop (安检停气): from the suspension to the resumption, which
    needs a manager's approval and the reference of the inspection that cleared it."""

    __tablename__ = "account_suspensions"
    id: Mapped[int] = id_column()
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False,
                                            index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    started_by: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    approved_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))
    inspection_ref: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    resume_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")


__all__ = ["Account", "AccountSuspension", "Bill", "Holder", "HolderHistory", "BigId"]
