"""Customer file (一户一档): accounts, holders and their history, bills.

A holder row is never overwritten: a rename or a transfer creates a new ``Holder`` and
closes the previous ``HolderHistory`` period. ID numbers and phones are stored in full
(the service masks them on every way out); ``id_tail`` and ``name_initials`` exist for
search.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (Date, DateTime, ForeignKey, Index, Numeric, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, Money, created_column, id_column

ID_TYPES = ("resident_id", "uscc", "passport", "hk_macau_permit", "taiwan_permit", "other")
CUSTOMER_TYPES = ("resident", "non_resident")          # 居民 / 非居民
ACCOUNT_STATUSES = ("active", "suspended", "closed")
SPECIAL_GROUPS = ("disabled", "impaired", "orphan", "elderly", "low_income")  # 残 障 孤 老 低保


class Holder(Base):
    """A person or organisation as it was recorded at one moment."""

    __tablename__ = "holders"
    id: Mapped[int] = id_column()
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="person")
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    name_initials: Mapped[str] = mapped_column(String(100), nullable=False, default="",
                                               index=True)
    id_type: Mapped[str] = mapped_column(String(20), nullable=False, default="resident_id")
    id_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    id_tail: Mapped[str] = mapped_column(String(6), nullable=False, default="", index=True)
    phone: Mapped[str] = mapped_column(String(24), nullable=False, default="", index=True)
    created_at: Mapped[dt.datetime] = created_column()


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
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    account_no: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holders.id"), nullable=False)
    customer_type: Mapped[str] = mapped_column(String(16), nullable=False, default="resident")
    special_groups: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    district: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    community: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    building: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    room: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    address_text: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    address_key: Mapped[str] = mapped_column(String(300), nullable=False, index=True)
    meter_no: Mapped[str] = mapped_column(String(32), nullable=False, default="", index=True)
    meter_type: Mapped[str] = mapped_column(String(32), nullable=False, default="")
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
    history: Mapped[list["HolderHistory"]] = relationship(
        back_populates="account", order_by="HolderHistory.id")
    bills: Mapped[list["Bill"]] = relationship(back_populates="account",
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


__all__ = ["Account", "Bill", "Holder", "HolderHistory", "BigId"]
