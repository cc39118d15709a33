"""What a sale is made of: the request, the quote and its lines, an open bill."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from ..models.accounts import Account
from ..privacy import mask_name
from .tenders import TenderInput


@dataclass
class LineInput:
    code: str
    qty: Decimal | str | int = "1"


@dataclass
class SaleRequest:
    items: list[LineInput] = field(default_factory=list)
    bills: list[str] = field(default_factory=list)          # bill periods YYYY-MM
    account_no: str | None = None
    tenders: list[TenderInput] = field(default_factory=list)
    note: str = ""


@dataclass
class QuoteLine:
    line_no: int
    code: str
    name: str
    unit: str
    qty: str
    unit_price_fen: int
    amount_fen: int
    price_item_id: int | None = None
    bill_id: int | None = None
    period: str = ""
    tiers: list[dict] = field(default_factory=list)


@dataclass
class Quote:
    """What the customer owes for a request: computed only from the price list and bills."""

    account_no: str | None
    holder: str          # masked
    lines: list[QuoteLine]
    total_fen: int
    business_day: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class OpenBill:
    id: int
    period: str
    volume: str
    amount_fen: int
    paid_fen: int
    open_fen: int
    due_date: str

    def to_dict(self) -> dict:
        return asdict(self)


def holder_masked(acc: Account | None) -> str:
    return mask_name(acc.holder.name, acc.holder.kind) if acc is not None else ""

