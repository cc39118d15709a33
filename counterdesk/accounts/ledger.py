"""The account's ledger (账页): bills, payments and the balance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..db import Database
from ..models.accounts import (
    Bill,
)
from ..models.billing import Payment, PaymentLine, Receipt
from ..staff import Actor
from .views import get_account


def ledger(db: Database, actor: Actor, account_no: str) -> dict:
    """Bills, payments (from the fee collection) and the balance.

    ``balance_fen`` is negative when the customer owes money."""
    with db.read() as s:
        acc = get_account(s, actor, account_no)
        bills: list[dict[str, Any]] = []
        today = clock.today()
        for b in s.execute(select(Bill).where(Bill.account_id == acc.id)
                           .order_by(Bill.period)).scalars():
            bills.append({"id": b.id, "period": b.period, "volume": str(b.volume),
                          "amount_fen": b.amount_fen, "paid_fen": b.paid_fen,
                          "open_fen": b.open_fen, "due_date": b.due_date.isoformat(),
                          "overdue": b.open_fen > 0 and b.due_date < today})
        payments = _payments(s, acc.id)
        owed = sum(b["open_fen"] for b in bills if b["open_fen"] > 0)
        return {"account_no": acc.account_no, "bills": bills, "payments": payments,
                "billed_fen": sum(b["amount_fen"] for b in bills),
                "paid_fen": sum(b["paid_fen"] for b in bills),
                "arrears_fen": owed, "balance_fen": -owed}


def _payments(s: Session, account_id: int) -> list[dict]:
    """Payments of the account, and payments of its bills not filed under the account."""
    cond = (Payment.account_id == account_id) | Payment.id.in_(
        select(PaymentLine.payment_id).join(Bill, Bill.id == PaymentLine.bill_id)
        .where(Bill.account_id == account_id))
    out = []
    for p in s.execute(select(Payment).where(cond).order_by(Payment.id)).scalars():
        receipt_no = s.execute(select(Receipt.receipt_no).where(
            Receipt.payment_id == p.id)).scalar() or ""
        out.append({
            "id": p.id, "at": p.created_at and p.created_at.isoformat(timespec="seconds"),
            "business_day": str(p.business_day or ""), "kind": p.kind, "status": p.status,
            "total_fen": int(p.total_fen or 0), "staff_no": p.staff_no,
            "receipt_no": receipt_no,
        })
    return out
