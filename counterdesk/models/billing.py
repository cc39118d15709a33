"""Models of fee collection (收费): the published price list and the payments.

- ``PriceItem`` — one item of the published price list (公示价格) of a hall, valid from
  ``effective_from`` (inclusive) to ``effective_to`` (exclusive, ``None`` = open). A
  change of price never edits a row in force: the old row gets an ``effective_to`` and a
  new row with the same ``code`` starts; every change is also a ``PriceChange`` row.
- ``PriceTier`` — 阶梯气价: for a tiered item, the price per unit of the annual volume
  above ``from_volume`` (up to the next tier's ``from_volume``).
- ``Payment`` — a sale, or a reversal (``kind`` 'void' / 'refund') linked to the
  original by ``original_payment_id``; reversals carry negative amounts. Nothing is
  ever deleted or edited except ``status`` (an original becomes 'voided' /
  'partly_refunded' / 'refunded' when a reversal is written) and the bills' ``paid_fen``.
- ``PaymentLine`` — item × quantity; code, name, unit and unit price are snapshots.
- ``PaymentTender`` — how it was paid; several rows = a split payment.
- ``Receipt`` — the gapless receipt number (per hall and year, ``2026-000123``).
- ``PrintJob`` — the print outbox, written in the same transaction as the payment.

Money is integer fen (``Money``); quantities are ``Decimal`` (``Numeric(12, 3)``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, Money, created_column, id_column

PRICE_CATEGORIES = ("gas", "service", "material", "meter", "other")  # 气费 服务费 材料 表具 其他
PAYMENT_KINDS = ("sale", "void", "refund")
PAYMENT_STATUSES = ("completed", "voided", "partly_refunded", "refunded")
TENDER_METHODS = ("cash", "cheque", "card", "qr")            # 现金 支票 银行卡 扫码
PRINT_KINDS = ("receipt", "ticket", "slip")
# sent: every byte accepted, end not confirmed (billing.outbox)
PRINT_STATUSES = ("pending", "printing", "printed", "sent", "failed")


class PriceItem(Base):
    """One item of the published price list (价目表 / 收费项目)."""

    __tablename__ = "price_items"
    __table_args__ = (
        UniqueConstraint("hall_id", "code", "effective_from"),
        Index("ix_price_items_hall_code", "hall_id", "code"),
        CheckConstraint("unit_price_fen >= 0", name="unit_price_not_negative"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False, default="other")
    unit: Mapped[str] = mapped_column(String(12), nullable=False, default="项")
    unit_price_fen: Mapped[int] = mapped_column(Money, nullable=False)
    # Tiered items: unit_price_fen is the first tier's price (shown on the list).
    tiered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # gas supply (售气): refused to a suspended account and to a customer type it does not
    # name (issue 15)
    gas_supply: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                             server_default=false())
    # the customer types it applies to ("resident,commercial"); "" = every type
    customer_types: Mapped[str] = mapped_column(String(120), nullable=False, default="",
                                                server_default="")
    effective_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)  # exclusive; None = open
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()

    tiers: Mapped[list[PriceTier]] = relationship(
        back_populates="item", order_by="PriceTier.from_volume", cascade="all, delete-orphan")


class PriceTier(Base):
    """阶梯气价: the unit price for the annual volume from ``from_volume`` upwards."""

    __tablename__ = "price_tiers"
    __table_args__ = (UniqueConstraint("price_item_id", "tier"),
                      CheckConstraint("unit_price_fen >= 0", name="unit_price_not_negative"))
    id: Mapped[int] = id_column()
    price_item_id: Mapped[int] = mapped_column(ForeignKey("price_items.id"), nullable=False,
                                               index=True)
    tier: Mapped[int] = mapped_column(Integer, nullable=False)            # 1, 2, 3
    from_volume: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)  # m³ / year
    unit_price_fen: Mapped[int] = mapped_column(Money, nullable=False)

    item: Mapped[PriceItem] = relationship(back_populates="tiers")


class PriceChange(Base):
    """History of the price list: every add / change / end by a manager or an import."""

    __tablename__ = "price_changes"
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False, index=True)
    at: Mapped[dt.datetime] = created_column()
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    code: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(12), nullable=False)  # add|change|end|import
    price_item_id: Mapped[int | None] = mapped_column(ForeignKey("price_items.id"))
    old: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON
    new: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Payment(Base):
    """A sale (收费) or a reversal of one (作废 'void' / 退款 'refund')."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_hall_day", "hall_id", "business_day"),
    )
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    business_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    window: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), nullable=False)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="sale")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="completed")
    # Sales: > 0. Reversals: < 0 (the money given back).
    total_fen: Mapped[int] = mapped_column(Money, nullable=False)
    original_payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"),
                                                            index=True)
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("authorisations.id"))
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()

    lines: Mapped[list[PaymentLine]] = relationship(
        back_populates="payment", order_by="PaymentLine.line_no", cascade="all, delete-orphan")
    tenders: Mapped[list[PaymentTender]] = relationship(
        back_populates="payment", order_by="PaymentTender.id", cascade="all, delete-orphan")
    receipt: Mapped[Receipt | None] = relationship(back_populates="payment",
                                                     uselist=False)


class PaymentLine(Base):
    """Item × quantity. For a reversal ``reverses_line_id`` names the original line."""

    __tablename__ = "payment_lines"
    __table_args__ = (UniqueConstraint("payment_id", "line_no"),)
    id: Mapped[int] = id_column()
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), nullable=False)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)  # 1, 2, …
    price_item_id: Mapped[int | None] = mapped_column(ForeignKey("price_items.id"))
    item_code: Mapped[str] = mapped_column(String(16), nullable=False)
    item_name: Mapped[str] = mapped_column(String(60), nullable=False)
    unit: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    qty: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    unit_price_fen: Mapped[int] = mapped_column(Money, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"), index=True)
    # JSON of the tier break-down for tiered items ([{tier, qty, unit_price_fen, amount_fen}])
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reverses_line_id: Mapped[int | None] = mapped_column(ForeignKey("payment_lines.id"))

    payment: Mapped[Payment] = relationship(back_populates="lines")


class PaymentTender(Base):
    """How (part of) a payment was made; a split payment has several."""

    __tablename__ = "payment_tenders"
    id: Mapped[int] = id_column()
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), nullable=False,
                                            index=True)
    method: Mapped[str] = mapped_column(String(8), nullable=False)  # cash|cheque|card|qr
    amount_fen: Mapped[int] = mapped_column(Money, nullable=False)   # applied to the total
    tendered_fen: Mapped[int] = mapped_column(Money, nullable=False)  # handed over (cash)
    change_fen: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    reference: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    cheque_no: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    bank: Mapped[str] = mapped_column(String(60), nullable=False, default="")

    payment: Mapped[Payment] = relationship(back_populates="tenders")


class Receipt(Base):
    """统一票据: a gapless number per hall and year, e.g. ``2026-000123``."""

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("hall_id", "receipt_no"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(BigId, nullable=False)
    receipt_no: Mapped[str] = mapped_column(String(20), nullable=False)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), nullable=False,
                                            unique=True)
    verification_code: Mapped[str] = mapped_column(String(16), nullable=False)
    print_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[dt.datetime] = created_column()
    last_printed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    payment: Mapped[Payment] = relationship(back_populates="receipt")


class PrintJob(Base):
    """The print outbox: written with the payment, sent later by the spooler."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_hall_status", "hall_id", "status"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    window: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="receipt")
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"), index=True)
    reprint: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reprint_no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # 补打 count
    open_drawer: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Either ready bytes or render parameters (JSON) to render at print time.
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    params: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    printer_uri: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[dt.datetime] = created_column()
    printed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")


class TenderReference(Base):
    """A card/QR transaction reference or a cheque number, used once (issue 15): unique per
    hall and method (cheques: per bank). Written with the sale that takes it."""

    __tablename__ = "tender_references"
    __table_args__ = (UniqueConstraint("hall_id", "method", "bank", "reference"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    method: Mapped[str] = mapped_column(String(8), nullable=False)
    bank: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    reference: Mapped[str] = mapped_column(String(64), nullable=False)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), nullable=False)
    created_at: Mapped[dt.datetime] = created_column()


__all__ = ["TenderReference", "PriceItem", "PriceTier", "PriceChange", "Payment", "PaymentLine",
           "PaymentTender", "Receipt", "PrintJob", "PRICE_CATEGORIES", "PAYMENT_KINDS",
           "PAYMENT_STATUSES", "TENDER_METHODS", "PRINT_KINDS", "PRINT_STATUSES"]
