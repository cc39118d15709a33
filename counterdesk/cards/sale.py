"""The money side of the card business: the only module that calls billing's internals.

A card purchase or card fee is a sale like any other (price list, tenders, gapless receipt
number, audit, print outbox). Billing's public ``pay`` opens its own transaction; a card
purchase must be committed in the *same* transaction as its ``CardPurchase`` row, so this
module calls billing's ``_hall_info``, ``_quote``, ``_price_item``, ``_year_volume`` (and
its ``YEAR_VOLUME_SQ``), ``_write_payment`` and ``recall_payment`` — here and nowhere else in :mod:`counterdesk.cards`.
The purchase row is written through ``_write_payment``'s ``attach`` hook, so the payment's
audit event vouches for it too (one event, no second pass over the print data).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from .. import billing, money
from ..billing import LineInput, SaleRequest, TenderInput, references, tillgate

# The sale's own steps, shared with billing.pay (one implementation of pricing and payment)
from ..billing import ledger as billing_ledger
from ..billing import sale as billing_sale
from ..db import Database
from ..errors import Conflict, ValidationError
from ..models.accounts import Account
from ..models.billing import PrintJob
from ..models.cards import CardPurchase
from ..orders import gates as order_gates
from ..policy import payment_limit_fen
from ..staff import Actor

GAS_RESIDENT = "GAS-IC"       # IC 卡居民用气（阶梯）
GAS_NON_RESIDENT = "GAS-IC-N"  # IC 卡非居民用气
CARD_ISSUE_FEE = "CARD-NEW"   # IC 卡开户发卡工本费
CARD_REISSUE_FEE = "CARD"     # IC 卡补办工本费 (already on the demo price list)


require_collector = billing_sale.require_collector


def recall_payment(db: Database, payment_id: int, how: str, key: str) -> billing.PaymentResult:
    """A payment already taken, as it was returned (for a request key's retry)."""
    return billing_ledger.recall_payment(db, payment_id, how, key)


def gas_code(acc: Account) -> str:
    return GAS_RESIDENT if acc.customer_type == "resident" else GAS_NON_RESIDENT


def hall_info(db: Database, s: Session, hall_id: int):
    return billing_ledger._hall_info(db, s, hall_id)


# the account's gas this calendar year in one SELECT: its card sales not cancelled (the
# yearly cap, card.max_volume_per_year) and its payment lines of the gas item (the tiers:
# billing's own sum, ``YEAR_VOLUME_SQ``)
_YEAR_VOLUMES = select(
    select(func.coalesce(func.sum(CardPurchase.volume), 0)).where(
        CardPurchase.account_id == bindparam("y_acc"), CardPurchase.kind == "sale",
        CardPurchase.state != "cancelled", CardPurchase.business_day >= bindparam("y_from"),
        CardPurchase.business_day < bindparam("y_to")).scalar_subquery(),
    billing_sale.YEAR_VOLUME_SQ, *order_gates.GATE_COLUMNS)


def year_volumes(s: Session, acc: Account, day: dt.date) -> tuple[Decimal, dict[str, Decimal]]:
    """(card sales this year, {gas item code: its volume this year for the tiers}), read
    with the account's gas gates in one SELECT: a closed gate is refused here
    (:func:`counterdesk.orders.gates.check_gas_allowed`'s message), so the sale that
    follows need not read them again (``charge(..., gates_checked=True)``)."""
    code = gas_code(acc)
    row = s.execute(_YEAR_VOLUMES, {**billing_sale.year_params(acc.id, code, day),
                                    **order_gates.gate_params(acc)}).one()
    reason = order_gates.block_reason_of(row, acc)
    if reason is not None:
        raise Conflict(*reason, field="account_no")
    return Decimal(row[0] or 0), {code: Decimal(row[1] or 0)}


def volume_for_amount(s: Session, hall, acc: Account, amount_fen: int, day: dt.date,
                      places: int, prior_volume: dict[str, Decimal] | None = None) -> Decimal:
    """The most gas ``amount_fen`` buys at the account's tiers, rounded down to what the
    meter takes (``places`` decimals); ``prior_volume``: :func:`year_volumes`' when read."""
    it = billing_sale._price_item(s, hall, gas_code(acc), day)
    step = Decimal(1).scaleb(-places)
    if it.tiered:
        known = prior_volume.get(it.code) if prior_volume else None
        prior = known if known is not None else billing_sale._year_volume(s, acc, it.code, day)
        tiers = [(t.tier, t.from_volume, t.unit_price_fen) for t in it.tiers]

        def cost(v: Decimal) -> int:
            return money.tiered_amount(prior, v, tiers)[0] if v > 0 else 0
        # walk the tiers for an estimate, then settle on the grid
        v, left = Decimal(0), Decimal(amount_fen)
        ordered = sorted(tiers, key=lambda t: Decimal(t[1]))
        for i, (_tier, lo, price) in enumerate(ordered):
            hi = Decimal(ordered[i + 1][1]) if i + 1 < len(ordered) else None
            start = max(prior + v, Decimal(lo))
            if hi is not None and start >= hi:
                continue
            room = (hi - start) if hi is not None else None
            can = left / Decimal(price) if price else Decimal(10) ** 9
            take = can if room is None else min(can, room)
            v += take
            left -= take * price
            if left <= 0:
                break
    else:
        def cost(v: Decimal) -> int:
            return money.line_amount(v, it.unit_price_fen) if v > 0 else 0
        v = Decimal(amount_fen) / Decimal(it.unit_price_fen) if it.unit_price_fen else Decimal(0)
    v = v.quantize(step, rounding=ROUND_DOWN)
    while v > 0 and cost(v) > amount_fen:
        v -= step
    while cost(v + step) <= amount_fen:
        v += step
    if v <= 0:
        raise ValidationError(f"金额 {money.fmt_symbol(amount_fen)} 不足以购买最小气量 {step} 立方米",
                              f"{money.fmt(amount_fen)} does not buy the smallest volume {step} m³",
                              field="amount")
    return v


def charge(db: Database, s: Session, actor: Actor, hall, day: dt.date, acc: Account,
           code: str, qty: Decimal | str, tenders: list[TenderInput], *, note: str = "",
           till: str | None, printer_uri: str = "", card: dict | None = None,
           limit_fen: int | None = None, attach: Callable | None = None,
           prior_volume: dict[str, Decimal] | None = None,
           gates_checked: bool = False) -> billing.PaymentResult:
    """Price ``qty`` of ``code`` for the account (loaded and checked by the caller) and
    write the payment in ``s``. ``card`` (card number, sequence, volume, written) goes onto
    the receipt; ``attach(s, payment_id, total_fen)`` writes the rows that belong to the
    payment (a purchase) under its audit event; ``till``: the clerk's till status of the
    day (:func:`dayguard.ensure_open` reads it with the day's); ``limit_fen``: the hall's
    payment limit and ``prior_volume``: the account's volume this year
    (:func:`year_volumes`), when already read; ``gates_checked``: the account's gas
    gates too (by :func:`year_volumes`).

    Cash goes through the till gate as a cash payment does (:mod:`billing.tillgate`):
    refused without an open till when the hall requires one, else a warning on the
    result."""
    req = SaleRequest(items=[LineInput(code, str(qty))], account_no=acc.account_no,
                      tenders=tenders, note=note)
    billing_sale.require_collector(actor)
    billing_sale.refuse_counted_till(till)
    _acc, lines, _ = billing_sale._quote(s, hall, req, day, account=acc,
                                         prior_volume=prior_volume, gates_checked=gates_checked)
    total = sum(ln.amount_fen for ln in lines)
    # the hall policy, the same on every PC
    limit = limit_fen if limit_fen is not None else payment_limit_fen(s, hall.id)
    if total > limit:
        raise Conflict(f"单笔收费 {money.fmt_symbol(total)} 超过限额 {money.fmt_symbol(limit)}",
                       f"The payment {money.fmt(total)} exceeds the limit {money.fmt(limit)}",
                       field="total")
    resolved = billing.resolve_tenders(total, tenders)
    references.check(s, hall.id, resolved)
    warning = tillgate.check(s, actor, till) if any(
        t["method"] == "cash" for t in resolved) else ""
    res = billing_ledger._write_payment(
        s, actor, hall, day, kind="sale", acc=acc, lines=lines, tenders=resolved, reason=note,
        printer_uri=printer_uri, receipt_extra={"card": card} if card is not None else None,
        attach=(lambda s_, pay_id: attach(s_, pay_id, total)) if attach is not None else None)
    res.warning = warning
    return res


_PJ = PrintJob.__table__
# the print data of a receipt replaced while it has not printed (bound values:
# :func:`receipt_params_values`)
SET_RECEIPT_PARAMS = (update(_PJ).where(_PJ.c.id == bindparam("j_id"), _PJ.c.status == "pending")
                      .values(params=bindparam("j_params")))


def receipt_params_values(job_id: int, params: dict) -> dict:
    return {"j_id": job_id, "j_params": json.dumps(params, ensure_ascii=False)}


def set_receipt_params(s: Session, job_id: int, params: dict) -> None:
    """Replace the print data of a receipt that has not printed yet (one UPDATE)."""
    s.execute(SET_RECEIPT_PARAMS, receipt_params_values(job_id, params))


def set_receipt_card(s: Session, job_id: int, card: dict) -> None:
    """Put the card lines on a receipt that has not printed yet."""
    job = s.get(PrintJob, job_id)
    if job is None or job.status != "pending":
        return
    params = json.loads(job.params or "{}")
    params["card"] = {**params.get("card", {}), **card}
    job.params = json.dumps(params, ensure_ascii=False)


def quote_gas(db: Database, s: Session, hall, acc: Account, qty: Decimal, day: dt.date
              ) -> tuple[int, list[dict]]:
    req = SaleRequest(items=[LineInput(gas_code(acc), str(qty))], account_no=acc.account_no)
    _acc, lines, _ = billing_sale._quote(s, hall, req, day)
    return lines[0].amount_fen, lines[0].tiers
