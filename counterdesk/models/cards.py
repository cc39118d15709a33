"""Models of prepaid gas on IC cards (IC卡购气).

- ``Card`` — one card of an account with a prepaid meter (IC卡表). ``status``: 'to_write'
  (recorded and paid, the blank card not yet personalised), 'active', 'replaced' (补卡: a
  new card took over; the old one is refused from then on). One card per account that is
  not 'replaced' (a partial unique index).
- ``CardPurchase`` — 购气: one purchase with its sequence (购气次数, unique per account and
  never reused). ``state``: 'to_write' (committed with its payment, not on the card yet),
  'written' (on the card, the meter has not taken it), 'taken' (the meter took it — seen on
  the card at a later read), 'cancelling' / 'cancelled' (退购, a reversal of its payment).
  ``kind`` 'meter_change' is the zero-price credit of the old meter's remaining volume
  (``order_number``: the 换表 work order it follows, if any).
- ``MeterReading`` — the meter's figures (回抄) read from the card or by a technician.
- ``CardKey`` — the hall's key for the MAC over the card's purchase record.

Volumes are ``Decimal`` (``Numeric(12, 3)``); money is integer fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money, created_column, id_column

CARD_STATUSES = ("to_write", "active", "replaced")
PURCHASE_STATES = ("to_write", "written", "taken", "cancelling", "cancelled")
METER_KINDS = ("plain", "ic", "iot")          # 普通表 / IC卡表 / 物联网表


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (
        Index("uq_cards_current_per_account", "account_id", unique=True,
              sqlite_where=text("status <> 'replaced'"),
              postgresql_where=text("status <> 'replaced'")),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False,
                                            index=True)
    card_no: Mapped[str] = mapped_column(String(24), nullable=False, unique=True)
    meter_no: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="to_write")
    start_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # reissued while the take-up of this purchase was unknown: it cannot be cancelled
    takeup_unknown_seq: Mapped[int | None] = mapped_column(Integer)
    replaces_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    reason: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))
    issued_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    issued_at: Mapped[dt.datetime] = created_column()
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CardPurchase(Base):
    __tablename__ = "card_purchases"
    __table_args__ = (
        UniqueConstraint("account_id", "seq"),
        Index("ix_card_purchases_hall_day", "hall_id", "business_day"),
        Index("ix_card_purchases_state", "hall_id", "state"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), nullable=False, index=True)
    meter_no: Mapped[str] = mapped_column(String(32), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="sale")
    volume: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="to_write")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    reversal_payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))
    takeup_unknown: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    window: Mapped[int | None] = mapped_column(Integer)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    write_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # kind 'meter_change' done after a 换表 work order: the order's number (migration 0018)
    order_number: Mapped[str] = mapped_column(String(20), nullable=False, default="")


class MeterReading(Base):
    __tablename__ = "meter_readings"
    id: Mapped[int] = id_column()
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False,
                                            index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    meter_no: Mapped[str] = mapped_column(String(32), nullable=False)
    source: Mapped[str] = mapped_column(String(12), nullable=False, default="card")
    remaining: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False, default=0)
    cumulative: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False, default=0)
    alarms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    meter_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    read_at: Mapped[dt.datetime] = created_column()


class CardKey(Base):
    __tablename__ = "card_keys"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    mac_key: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = created_column()
