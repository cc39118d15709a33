"""Voids and refunds (作废 / 退款): reversals linked to the original receipt.

They need a manager's authorisation, are written with their own receipt, and never
edit or delete the original. Every refusal is raised before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, dayguard, money
from .. import hall as halls
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models.accounts import Account, Bill
from ..models.billing import (
    Payment,
    PaymentLine,
    PaymentTender,
)
from ..staff import Actor, Approval, check_approval, record_authorisation
from . import tillgate
from .ledger import PaymentResult, _load_receipt, _write_payment, pay_once
from .sale import refuse_counted_till, require_collector
from .sale_types import QuoteLine


@dataclass
class RefundLine:
    line_no: int
    qty: Decimal | str | None = None  # None: all that is left of the line


def _remaining(s: Session, pay: Payment) -> dict[int, tuple[Decimal, int]]:
    """Per original line id: (qty left, amount left) after earlier reversals."""
    left = {ln.id: (Decimal(ln.qty), ln.amount_fen) for ln in pay.lines}
    rev = s.execute(select(PaymentLine).join(Payment, Payment.id == PaymentLine.payment_id)
                    .where(Payment.original_payment_id == pay.id)).scalars().all()
    for r in rev:
        assert r.reverses_line_id is not None  # a reversal's line names the line it reverses
        q, a = left[r.reverses_line_id]
        left[r.reverses_line_id] = (q + Decimal(r.qty), a + r.amount_fen)
    return left


def _tier_refund(s: Session, ln: PaymentLine, qty: Decimal) -> tuple[int, list[dict]] | None:
    """The tier lines of giving back ``qty`` of a tiered line: the last cubic metres
    bought (the highest tier) first, each part ``qty × price = amount`` (the last part of
    a tier takes what is left of it, to the fen). None if the line is not tiered or an
    earlier reversal of it has no tier lines (then the amount is proportional)."""
    try:
        tiers = json.loads(ln.detail or "[]")
    except ValueError:
        return None
    if not tiers or not isinstance(tiers, list):
        return None
    # tier -> (qty left, amount left, unit price)
    left = {int(t["tier"]): (Decimal(str(t["qty"])), int(t["amount_fen"]),
                             int(t["unit_price_fen"])) for t in tiers}
    for r in s.execute(select(PaymentLine).where(PaymentLine.reverses_line_id == ln.id)).scalars():
        try:
            done = json.loads(r.detail or "[]")
        except ValueError:
            return None
        if not done:
            return None
        for t in done:
            q_done, a_done, price = left[int(t["tier"])]
            left[int(t["tier"])] = (q_done + Decimal(str(t["qty"])),
                                    a_done + int(t["amount_fen"]), price)
    rest = Decimal(qty)
    out: list[dict[str, Any]] = []
    for tier in sorted(left, reverse=True):
        q_left, a_left, price = left[tier]
        if rest <= 0 or q_left <= 0:
            continue
        part = min(rest, q_left)
        amount = a_left if part == q_left else money.line_amount(part, price)
        out.append({"tier": tier, "qty": money.fmt_qty(-part), "unit_price_fen": price,
                    "amount_fen": -amount})
        rest -= part
    out.sort(key=lambda t: t["tier"])
    return -sum(t["amount_fen"] for t in out), out


def _plan_reversal(s: Session, pay: Payment, selection: list[RefundLine] | None,
                   kind: str) -> list[tuple[PaymentLine, Decimal, int]]:
    if pay.kind != "sale":
        raise Conflict("冲正票据不能再次作废或退款", "A reversal cannot be voided or refunded",
                       field="receipt")
    assert pay.receipt is not None  # every payment is written with its receipt
    if pay.status in ("voided", "refunded"):
        raise Conflict(f"票据 {pay.receipt.receipt_no} 已{'作废' if pay.status == 'voided' else '全额退款'}",
                       f"Receipt {pay.receipt.receipt_no} is already {pay.status}",
                       field="receipt")
    left = _remaining(s, pay)
    by_no = {ln.line_no: ln for ln in pay.lines}
    plan = []
    if kind == "void":
        if pay.status != "completed":
            raise Conflict("已部分退款的票据不能作废，请对剩余项目办理退款",
                           "A partly refunded receipt cannot be voided; refund the remaining "
                           "lines instead", field="receipt")
        if pay.business_day != clock.today():
            raise Conflict(f"只能作废当天的票据（此票据为 {pay.business_day}），请办理退款",
                           f"Only today's receipts can be voided (this one is from "
                           f"{pay.business_day}); make a refund instead", field="receipt")
        return [(ln, Decimal(ln.qty), ln.amount_fen) for ln in pay.lines]
    if not selection:
        raise ValidationError("请指定退款的行号（及数量）", "Name the line(s) to refund",
                              field="line")
    seen = set()
    for sel in selection:
        ln = by_no.get(sel.line_no)
        if ln is None:
            raise NotFound(f"票据没有第 {sel.line_no} 行", f"The receipt has no line {sel.line_no}",
                           field="line")
        if sel.line_no in seen:
            raise ValidationError(f"第 {sel.line_no} 行重复", f"Line {sel.line_no} given twice",
                                  field="line")
        seen.add(sel.line_no)
        q_left, a_left = left[ln.id]
        if q_left <= 0 or a_left <= 0:
            raise Conflict(f"第 {sel.line_no} 行已全部退款", f"Line {sel.line_no} is already "
                           "fully refunded", field="line")
        qty = q_left if sel.qty is None else money.parse_qty(sel.qty)
        if qty > q_left:
            raise ValidationError(f"第 {sel.line_no} 行最多可退 {money.fmt_qty(q_left)}",
                                  f"Line {sel.line_no}: at most {money.fmt_qty(q_left)} can be "
                                  "refunded", field="qty")
        if ln.bill_id is not None and qty != q_left:
            raise ValidationError("账单只能整笔退款", "A bill can only be refunded whole",
                                  field="qty")
        tiered = _tier_refund(s, ln, qty)
        if tiered is not None:
            amount = min(a_left, tiered[0])
        elif qty == q_left:
            amount = a_left
        else:
            amount = min(a_left, money.round_fen(Decimal(ln.amount_fen) * qty / Decimal(ln.qty)))
        if amount <= 0:
            raise ValidationError(f"第 {sel.line_no} 行退款金额不足 1 分",
                                  f"Line {sel.line_no}: the refund is less than 1 fen",
                                  field="qty")
        plan.append((ln, qty, amount))
    return plan


def _reversal_tenders(s: Session, pay: Payment, amount: int) -> list[dict]:
    """Give ``amount`` back by the original methods, in their order, within what is left."""
    given: dict[str, int] = {}
    for t in s.execute(select(PaymentTender).join(Payment, Payment.id == PaymentTender.payment_id)
                       .where(Payment.original_payment_id == pay.id)).scalars():
        given[t.method] = given.get(t.method, 0) - t.amount_fen
    out, rest = [], amount
    for t in pay.tenders:
        room = t.amount_fen - given.get(t.method, 0)
        given[t.method] = given.get(t.method, 0) + max(0, min(room, rest))
        part = max(0, min(room, rest))
        if part:
            out.append({"method": t.method, "amount_fen": -part, "tendered_fen": -part,
                        "change_fen": 0, "reference": t.reference, "cheque_no": t.cheque_no,
                        "bank": t.bank})
            rest -= part
        if rest == 0:
            break
    if rest:  # pragma: no cover - guarded by _remaining
        raise Conflict("退款金额超过原收款", "The refund exceeds what was paid")
    return out


def _reverse(db: Database, actor: Actor, receipt_no: str, approval: Approval | None, *,
             kind: str, selection: list[RefundLine] | None, reason: str,
             printer_uri: str = "", request_key: str | None = None) -> PaymentResult:
    require_collector(actor)
    return pay_once(db, request_key, lambda key: _reverse_now(
        db, actor, receipt_no, approval, kind=kind, selection=selection, reason=reason,
        printer_uri=printer_uri, request_key=key), printer_uri)


def _reverse_now(db: Database, actor: Actor, receipt_no: str, approval: Approval | None, *,
                 kind: str, selection: list[RefundLine] | None, reason: str,
                 printer_uri: str, request_key: str) -> PaymentResult:
    reason = (reason or "").strip()
    action = "billing.void" if kind == "void" else "billing.refund"
    # everything checkable is checked before the manager's password and any write
    with db.read() as s:
        rc = _load_receipt(s, actor.hall_id, receipt_no)
        _plan_reversal(s, rc.payment, selection, kind)
    if approval is None or not approval.staff_no:
        raise PermissionDenied(f"{'作废' if kind == 'void' else '退款'}须由主任现场授权"
                               "（输入其工号和密码）",
                               f"A {kind} needs a manager's authorisation at this PC (their "
                               "staff number and password)", field="approver")
    if not reason:
        raise ValidationError(f"请填写{'作废' if kind == 'void' else '退款'}原因",
                              f"Give the reason for the {kind}", field="reason")
    checked = check_approval(db, approval, actor, action)
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
        auth = record_authorisation(s, checked, action, actor, f"{receipt_no}: {reason}")
        hall = halls.get(s, actor.hall_id)
        day = clock.today()
        till = dayguard.ensure_open(s, hall.id, day, till_staff_id=actor.staff_id)
        refuse_counted_till(till)
        rc = _load_receipt(s, hall.id, receipt_no)
        orig = s.execute(select(Payment).where(Payment.id == rc.payment_id)
                         .with_for_update()).scalar_one()
        plan = _plan_reversal(s, orig, selection, kind)
        acc = s.get(Account, orig.account_id) if orig.account_id else None
        lines, reverses = [], {}
        for n, (ln, qty, amount) in enumerate(plan, start=1):
            unit_price = ln.unit_price_fen
            period = ""
            if ln.bill_id is not None:
                b = s.get_one(Bill, ln.bill_id)
                b.paid_fen -= amount
                period = b.period
            tiered = _tier_refund(s, ln, qty)
            lines.append(QuoteLine(n, ln.item_code, ln.item_name, ln.unit,
                                   money.fmt_qty(-qty), unit_price, -amount,
                                   price_item_id=ln.price_item_id, bill_id=ln.bill_id,
                                   period=period, tiers=tiered[1] if tiered else []))
            reverses[n] = ln.id
        total_back = sum(a for _, _, a in plan)
        tenders = _reversal_tenders(s, orig, total_back)
        left = _remaining(s, orig)
        fully = all(left[ln.id][1] - next((a for l2, _, a in plan if l2.id == ln.id), 0) <= 0
                    for ln in orig.lines)
        orig.status = ("voided" if kind == "void" else "refunded") if fully else "partly_refunded"
        res = _write_payment(s, actor, hall, day, kind=kind, acc=acc, lines=lines,
                             tenders=tenders, original=orig, authorisation_id=auth.id,
                             reason=reason, printer_uri=printer_uri, reverses=reverses,
                             request_key=request_key)
        if any(t["method"] == "cash" for t in tenders):   # cash back after the count
            res.warning = tillgate.after_count(till)
        return res


def void(db: Database, actor: Actor, receipt_no: str, approval: Approval | None, *,
         reason: str = "", printer_uri: str = "", request_key: str | None = None
         ) -> PaymentResult:
    """作废: reverse a whole receipt of today (manager's authorisation)."""
    return _reverse(db, actor, receipt_no, approval, kind="void", selection=None,
                    reason=reason, printer_uri=printer_uri, request_key=request_key)


def refund(db: Database, actor: Actor, receipt_no: str, lines: list[RefundLine],
           approval: Approval | None, *, reason: str = "", printer_uri: str = "",
           request_key: str | None = None) -> PaymentResult:
    """退款: reverse lines (or part of a line's quantity) of a receipt."""
    return _reverse(db, actor, receipt_no, approval, kind="refund", selection=lines,
                    reason=reason, printer_uri=printer_uri, request_key=request_key)


# ======================================================================================
