"""The day's figures of a till: cash taken (net of change), given back, moved in
and out, non-cash totals per method, and the cash the till should hold.

Expected cash = float + cash taken − cash given back (voids, refunds) + cash in − cash
out. Change is already netted: ``PaymentTender.amount_fen`` is what was applied
(tendered − change), so change is never added or subtracted a second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..billing.tenders import METHODS
from ..errors import ValidationError
from ..models import Staff
from ..models.billing import Payment, PaymentTender
from ..models.cash import CashMovement, Till

NONCASH_METHODS = ("cheque", "card", "qr")
METHOD_NAMES = {m: zh for m, (zh, _en) in METHODS.items()}  # Chinese names of billing.METHODS
STATUS_NAMES = {"open": "未点钞", "counted": "已点钞", "submitted": "已交款待复核",
                "closed": "已复核"}


def parse_noncash(values: dict[str, Any] | None) -> dict[str, int]:
    """Non-cash totals the clerk confirms: {method: fen} for cheque / card / qr."""
    out = {m: 0 for m in NONCASH_METHODS}
    for m, v in (values or {}).items():
        if m not in NONCASH_METHODS:
            raise ValidationError(f"非现金方式 {m!r} 无效：应为 cheque、card 或 qr",
                                  f"Non-cash method {m!r} is invalid: cheque, card or qr",
                                  field="method")
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValidationError(f"{METHOD_NAMES[m]}合计必须为不小于 0 的整数分",
                                  f"The {m} total must be whole fen, 0 or more", field=m)
        out[m] = v
    return out


_iso = clock.iso  # the one helper: str for a time always set, None stays None


def _staff_names(s: Session, hall_id: int | None = None) -> dict[str, str]:
    return dict(s.execute(select(Staff.staff_no, Staff.name)).all())


@dataclass
class _Agg:
    """The day's payments aggregated once: by (staff, window, kind, method) over the
    tenders and by (staff, window, kind) over the payments."""

    tenders: list[tuple]    # staff_id, staff_no, window, kind, method, n, amount, tendered, change
    payments: list[tuple]   # staff_id, staff_no, window, kind, n, total


def _aggregate(s: Session, hall_id: int, day: dt.date, staff_id: int | None = None) -> _Agg:
    where = [Payment.hall_id == hall_id, Payment.business_day == day]
    if staff_id is not None:
        where.append(Payment.staff_id == staff_id)
    tq = (select(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                 PaymentTender.method, func.count(PaymentTender.id),
                 func.coalesce(func.sum(PaymentTender.amount_fen), 0),
                 func.coalesce(func.sum(PaymentTender.tendered_fen), 0),
                 func.coalesce(func.sum(PaymentTender.change_fen), 0))
          .join(Payment, Payment.id == PaymentTender.payment_id).where(*where)
          .group_by(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                    PaymentTender.method))
    pq = (select(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                 func.count(Payment.id), func.coalesce(func.sum(Payment.total_fen), 0))
          .where(*where).group_by(Payment.staff_id, Payment.staff_no, Payment.window,
                                  Payment.kind))
    return _Agg([tuple(r) for r in s.execute(tq)], [tuple(r) for r in s.execute(pq)])


def _cash_figures(s: Session, hall_id: int, day: dt.date, staff_id: int | None = None,
                  agg: _Agg | None = None) -> dict[int, dict]:
    """Per staff id: cash and non-cash figures of the day from payments and movements."""
    out: dict[int, dict] = {}
    agg = agg or _aggregate(s, hall_id, day, staff_id)

    def fig(sid):
        return out.setdefault(sid, {"cash_sales_fen": 0, "cash_tendered_fen": 0,
                                    "cash_change_fen": 0, "cash_reversals_fen": 0,
                                    "cash_in_fen": 0, "cash_out_fen": 0,
                                    "noncash": {m: 0 for m in NONCASH_METHODS},
                                    "noncash_count": {m: 0 for m in NONCASH_METHODS},
                                    "cash_count": 0, "payments": 0})
    for sid, _no, _w, kind, method, n, amount, tendered, change in agg.tenders:
        if staff_id is not None and sid != staff_id:
            continue
        f = fig(sid)
        amount, tendered, change = int(amount), int(tendered), int(change)
        if method == "cash":
            f["cash_count"] += n
            if kind == "sale":
                f["cash_sales_fen"] += amount
                f["cash_tendered_fen"] += tendered
                f["cash_change_fen"] += change
            else:
                f["cash_reversals_fen"] += amount   # negative: cash given back
        elif method in NONCASH_METHODS:
            f["noncash"][method] += amount
            f["noncash_count"][method] += n
    for sid, _no, _w, _kind, n, _total in agg.payments:
        if staff_id is None or sid == staff_id:
            fig(sid)["payments"] += n
    q = (select(Till.staff_id, CashMovement.direction, func.sum(CashMovement.amount_fen))
         .join(Till, Till.id == CashMovement.till_id)
         .where(CashMovement.hall_id == hall_id, CashMovement.business_day == day)
         .group_by(Till.staff_id, CashMovement.direction))
    if staff_id is not None:
        q = q.where(Till.staff_id == staff_id)
    for sid, direction, amount in s.execute(q):
        fig(sid)["cash_in_fen" if direction == "in" else "cash_out_fen"] += int(amount or 0)
    return out


def _expected(till: Till, f: dict | None) -> int:
    """float + cash taken (net of change) − cash given back + in − out."""
    f = f or {}
    return (till.float_fen + f.get("cash_sales_fen", 0) + f.get("cash_reversals_fen", 0)
            + f.get("cash_in_fen", 0) - f.get("cash_out_fen", 0))
