"""A sale (收费): price a request from the price list and the account's bills, take
the payment.

A sale names item codes and quantities; the amount is computed here. Nobody can type
a price (不准乱收费): there is no parameter for one. Residential gas is priced in tiers
by the account's volume bought this calendar year (阶梯气价); open bills of the account
can be paid in the same sale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from .. import clock, dayguard, money
from .. import hall as halls
from ..accounts import types as customer_types
from ..accounts.addresses import address_parts
from ..accounts.types import DEFAULT as DEFAULT_TYPES
from ..accounts.types import CustomerTypes
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Hall
from ..models.accounts import Account, Bill
from ..models.billing import (
    Payment,
    PaymentLine,
    PriceItem,
)
from ..models.cash import Till
from ..orders import gates as order_gates
from ..policy import payment_limit_fen
from ..staff import Actor
from ..validators import typed
from . import references, tillgate
from .ledger import PaymentResult, _hall_info, _HallInfo, _write_payment, pay_once
from .prices import _PRICES_Q, BILL_CODE, _in_force, list_prices
from .sale_types import LineInput, OpenBill, Quote, QuoteLine, SaleRequest, holder_masked
from .tenders import TenderInput, check_tender_shape, resolve_tenders


def _account(s: Session, hall: Hall | _HallInfo, account_no: str | None, *, lock: bool = False
             ) -> Account | None:
    if not account_no:
        return None
    q = select(Account).where(Account.account_no == typed(account_no))
    acc = s.execute(q).scalar()
    if acc is None:
        raise NotFound(f"户号 {account_no} 不存在，请核对户号", f"Account {account_no} not found; "
                       "check the number", field="account")
    if acc.hall_id != hall.id:
        raise Conflict(f"户号 {account_no} 不属于本营业厅", f"Account {account_no} belongs to "
                       "another hall", field="account")
    if acc.status == "closed":
        raise Conflict(f"户号 {account_no} 已销户，不能收费；如需办理请先恢复或新开户",
                       f"Account {account_no} is closed: no payment can be taken",
                       field="account")
    return acc


def open_bills(db: Database, account_no: str) -> list[OpenBill]:
    """The account's bills with something left to pay, oldest first."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == typed(account_no))).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在", f"Account {account_no} not found",
                           field="account")
        rows = s.execute(select(Bill).where(Bill.account_id == acc.id,
                                            Bill.amount_fen > Bill.paid_fen)
                         .order_by(Bill.period)).scalars().all()
        return [OpenBill(b.id, b.period, money.fmt_qty(b.volume), b.amount_fen, b.paid_fen,
                         b.open_fen, b.due_date.isoformat()) for b in rows]


def account_summary(db: Database, account_no: str) -> dict:
    """What the payment screen shows of an account: masked holder, the address from the
    community on, the meter number, state, open bills."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == typed(account_no))
                        ).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在，请核对户号",
                           f"Account {account_no} not found; check the number", field="account")
        parts = address_parts({"community": acc.community, "building": acc.building,
                               "unit": acc.unit, "room": acc.room})[2:]
        from_community = "".join(p.strip() for p in parts if p) or acc.address_text
        data: dict[str, Any] = {"account_no": acc.account_no, "holder": holder_masked(acc),
                "status": acc.status, "customer_type": acc.customer_type,
                # enough to confirm the account with the customer (issue 18.11)
                "address": from_community,
                "meter_no": acc.meter_no}
    data["bills"] = [b.to_dict() for b in open_bills(db, account_no)] \
        if data["status"] != "closed" else []
    return data


def _price_item(s: Session, hall: Hall | _HallInfo, code: str, day: dt.date) -> PriceItem:
    code = (code or "").strip().upper()
    row = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                            PriceItem.code == code, _in_force(day))).scalar()
    if row is not None:
        return row
    versions = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                                 PriceItem.code == code)
                         .order_by(PriceItem.effective_from)).scalars().all()
    if not versions:
        raise NotFound(f"价目表中没有收费项目 {code}，只能收取公示的收费项目",
                       f"{code} is not on the price list: only published items can be charged",
                       field="item")
    later = [v for v in versions if v.effective_from > day]
    if later and not any(v.effective_from <= day for v in versions):
        raise Conflict(f"收费项目 {code}（{later[0].name}）自 {later[0].effective_from} 起才执行，"
                       "今天不能收取", f"Item {code} ({later[0].name}) only applies from "
                       f"{later[0].effective_from}; it cannot be charged today", field="item")
    last = versions[-1]
    raise Conflict(f"收费项目 {code}（{last.name}）已于 {last.effective_to} 停止执行，不能再收取",
                   f"Item {code} ({last.name}) ended on {last.effective_to}; it can no longer be "
                   "charged", field="item")


# the volume of an item the account bought in a calendar year (refunds subtracted), as a
# scalar subquery built once: :func:`_year_volume` runs it, the IC card purchase reads it
# with its own yearly sum in one SELECT (``year_params``)
YEAR_VOLUME_SQ = (select(func.coalesce(func.sum(PaymentLine.qty), 0))
                  .join(Payment, Payment.id == PaymentLine.payment_id)
                  .where(Payment.account_id == bindparam("y_acc"),
                         PaymentLine.item_code == bindparam("y_code"),
                         Payment.business_day >= bindparam("y_from"),
                         Payment.business_day < bindparam("y_to")).scalar_subquery())
_YEAR_VOLUME_Q = select(YEAR_VOLUME_SQ)


def year_params(account_id: int, code: str, day: dt.date) -> dict:
    """The parameters of :data:`YEAR_VOLUME_SQ`: ``code`` in ``day``'s calendar year."""
    return {"y_acc": account_id, "y_code": code, "y_from": dt.date(day.year, 1, 1),
            "y_to": dt.date(day.year + 1, 1, 1)}


def _year_volume(s: Session, account: Account, code: str, day: dt.date) -> Decimal:
    """Volume of ``code`` the account bought this calendar year (refunds subtracted)."""
    v = s.execute(_YEAR_VOLUME_Q, year_params(account.id, code, day)).scalar()
    return Decimal(v or 0)


COLLECTOR_ROLES = ("clerk", "manager")


def require_collector(actor: Actor) -> None:
    """Only clerks and managers take or give back money (not the administrator)."""
    if actor.role not in COLLECTOR_ROLES:
        raise PermissionDenied("只有柜员和主任可以收费或退款，系统管理员不能收费",
                               "Only clerks and managers take or give back money; the "
                               "administrator cannot", field="staff")


def _till_status(s: Session, actor: Actor, day: dt.date) -> str | None:
    return s.execute(select(Till.status).where(
        Till.hall_id == actor.hall_id, Till.business_day == day,
        Till.staff_id == actor.staff_id)).scalar()


def shows_day_money(s: Session, actor: Actor, day: dt.date) -> bool:
    """The blind count (issue 15): a clerk sees the money of their day (takings, receipt
    totals) only once their count is submitted; a manager always."""
    if actor.is_manager:
        return True
    status = _till_status(s, actor, day)
    return status is not None and status != "open"


def refuse_counted_till(status: str | None) -> None:
    """No payment or reversal, by any method, once the actor's till of the day is counted:
    it would escape the count (issue 15). A manager reopens the count first. ``status``:
    the till of the day, as :func:`dayguard.ensure_open` read it."""
    if status is not None and status != "open":
        raise Conflict("您今天的钱箱已点钞，不能再收费或退款（任何付款方式）；如确需办理，"
                       "请主任先重新开启点钞",
                       "Your till is counted for today: no more payments or reversals by any "
                       "method; a manager must reopen the count first", field="till")


def check_item_for_account(it: PriceItem, acc: Account | None,
                           hall_types: Callable[[], CustomerTypes] = lambda: DEFAULT_TYPES
                           ) -> None:
    """The price class and the safety stop (issue 15): an item naming customer types, and
    any gas supply, needs an account of such a type; a suspended account buys no gas.
    ``hall_types``: the hall's customer types (issue 15.7), read only for a refusal's
    message (the check compares codes)."""
    types = [t for t in it.customer_types.split(",") if t]
    if acc is None and (types or it.gas_supply):
        names = hall_types().names_text(types)
        raise ValidationError(f"{it.name}（{it.code}）须先选择户号：售气按户号的用户类型计价"
                              + (f"（适用于{names}用户）" if names else ""),
                              f"{it.name} ({it.code}) needs the account: gas is sold by the "
                              "account's customer type", field="account")
    if acc is None:
        return
    if types and acc.customer_type not in types:
        known = hall_types()
        names, mine = known.names_text(types), known.name(acc.customer_type)
        raise Conflict(f"{it.name}（{it.code}）只适用于{names}用户，户号 {acc.account_no} 为"
                       f"{mine}用户，请选择对应的收费项目",
                       f"{it.code} applies to {', '.join(types)} only; {acc.account_no} is "
                       f"{acc.customer_type}", field="item")
    if it.gas_supply and acc.status == "suspended":
        raise Conflict(f"户号 {acc.account_no} 已暂停供气（安检停气），不能购气；须安检合格后由"
                       "主任批准恢复供气",
                       f"Account {acc.account_no} is suspended (safety stop): no gas can be "
                       "sold until a manager resumes it after an inspection", field="account")


def is_gas_supply(it) -> bool:
    """A price item that sells gas: its ``gas_supply`` flag (the supply gates of work
    orders, the safety stop and the customer types apply to it)."""
    return bool(it.gas_supply)


def _quote(s: Session, hall: Hall | _HallInfo, req: SaleRequest, day: dt.date, *,
           lock_bills: bool = False, account: Account | None = None,
           prior_volume: dict[str, Decimal] | None = None, gates_checked: bool = False
           ) -> tuple[Account | None, list[QuoteLine], dict]:
    """``account``: the request's account already loaded (and checked) by the caller;
    ``prior_volume``: its volume this year by item code (:func:`_year_volume`) when the
    caller has read it already; ``gates_checked``: the caller has checked the account's
    gas gates in this transaction."""
    acc = account if account is not None else _account(s, hall, req.account_no)
    lines: list[QuoteLine] = []
    bills: dict[int, Bill] = {}
    extra_volume: dict[str, Decimal] = {}
    codes = {(li.code or "").strip().upper() for li in req.items}
    in_force = {it.code: it for it in s.execute(_PRICES_Q, {
        "q_hall": hall.id, "q_codes": sorted(codes), "q_day": day}).unique().scalars()} \
        if codes else {}
    for li in req.items:
        qty = money.parse_qty(li.qty)
        it = in_force.get((li.code or "").strip().upper()) or _price_item(s, hall, li.code, day)
        ln = QuoteLine(len(lines) + 1, it.code, it.name, it.unit, money.fmt_qty(qty),
                       it.unit_price_fen, 0, price_item_id=it.id)
        check_item_for_account(it, acc, lambda: customer_types.hall_types(s, hall.id))
        if acc is not None and is_gas_supply(it) and not gates_checked:
            order_gates.check_gas_allowed(s, acc)   # 通气 not done, hazard, supply stopped
        if it.tiered:
            if acc is None:
                raise ValidationError(f"{it.name} 按阶梯计价，须先选择户号",
                                      f"{it.name} is priced in tiers by annual volume: select "
                                      "the account first", field="account")
            if acc.customer_type != "resident":
                raise Conflict(f"阶梯气价仅适用于居民用户，户号 {acc.account_no} 为非居民用户",
                               f"Tiered residential prices apply to residents only; "
                               f"{acc.account_no} is non-resident", field="item")
            known = prior_volume.get(it.code) if prior_volume else None
            prior = (known if known is not None else _year_volume(s, acc, it.code, day)) \
                + extra_volume.get(it.code, Decimal(0))
            amount, parts = money.tiered_amount(
                prior, qty, [(t.tier, t.from_volume, t.unit_price_fen) for t in it.tiers])
            extra_volume[it.code] = extra_volume.get(it.code, Decimal(0)) + qty
            ln.amount_fen = amount
            ln.tiers = [p.to_dict() for p in parts]
            if len(parts) == 1:
                ln.unit_price_fen = parts[0].unit_price_fen
            else:  # mixed tiers: the average, for display; the amount is the tier sum
                ln.unit_price_fen = money.round_fen(Decimal(amount) / qty)
        else:
            ln.amount_fen = money.line_amount(qty, it.unit_price_fen)
        if ln.amount_fen <= 0:
            raise ValidationError(f"{it.name}：数量 {ln.qty} 的金额不足 1 分",
                                  f"{it.name}: quantity {ln.qty} comes to less than 1 fen",
                                  field="qty")
        lines.append(ln)
    for period in req.bills:
        period = (period or "").strip()
        if acc is None:
            raise ValidationError("缴纳账单须先选择户号", "Select the account to pay its bills",
                                  field="account")
        q = select(Bill).where(Bill.account_id == acc.id, Bill.period == period)
        if lock_bills:   # SQLAlchemy leaves FOR UPDATE out on SQLite
            q = q.with_for_update()
        b = s.execute(q).scalar()
        if b is None:
            raise NotFound(f"户号 {acc.account_no} 没有 {period} 的账单",
                           f"Account {acc.account_no} has no bill for {period}", field="bill")
        if b.id in bills:
            raise ValidationError(f"账单 {period} 重复选择", f"Bill {period} selected twice",
                                  field="bill")
        if b.open_fen <= 0:
            raise Conflict(f"{period} 的账单已缴清", f"The bill for {period} is already paid",
                           field="bill")
        bills[b.id] = b
        lines.append(QuoteLine(len(lines) + 1, BILL_CODE, f"燃气费 {period}", "期", "1",
                               b.open_fen, b.open_fen, bill_id=b.id, period=period))
    if not lines:
        raise ValidationError("请至少选择一个收费项目或账单", "Pick at least one item or bill",
                              field="item")
    return acc, lines, bills


def quote(db: Database, actor: Actor, req: SaleRequest) -> Quote:
    """Price a request without writing anything (for the screen's amount due)."""
    day = clock.today()
    with db.read() as s:
        hall = halls.get(s, actor.hall_id)
        acc, lines, _ = _quote(s, hall, req, day)
        return Quote(acc.account_no if acc else None, holder_masked(acc), lines,
                     sum(ln.amount_fen for ln in lines), day.isoformat())


def pay(db: Database, actor: Actor, req: SaleRequest, *, printer_uri: str = "",
        request_key: str | None = None) -> PaymentResult:
    """Take a payment: one transaction for payment, receipt number, audit and print job.

    ``request_key`` (made if absent): a retry with the same key returns the first outcome;
    a lost reply is looked up by it (:mod:`counterdesk.requestkeys`)."""
    require_collector(actor)
    return pay_once(db, request_key, lambda key: _pay(db, actor, req, printer_uri=printer_uri,
                                                      request_key=key), printer_uri)


def _pay(db: Database, actor: Actor, req: SaleRequest, *, printer_uri: str,
         request_key: str) -> PaymentResult:
    for t in req.tenders:
        check_tender_shape(t)
    for li in req.items:
        money.parse_qty(li.qty)
    day = clock.today()
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
        hall = _hall_info(db, s, actor.hall_id)
        till = dayguard.ensure_open(s, hall.id, day, till_staff_id=actor.staff_id)
        refuse_counted_till(till)
        acc, lines, bills = _quote(s, hall, req, day, lock_bills=True)
        total = sum(ln.amount_fen for ln in lines)
        limit = payment_limit_fen(s, hall.id)  # the hall's policy, the same on every PC
        if total > limit:
            raise Conflict(f"单笔收费 {money.fmt_symbol(total)} 超过限额 {money.fmt_symbol(limit)}，"
                           "请分笔收取或请主任调整限额",
                           f"The payment {money.fmt(total)} exceeds the single-payment limit "
                           f"{money.fmt(limit)}; split it or ask a manager", field="total")
        tenders = resolve_tenders(total, req.tenders)
        references.check(s, hall.id, tenders)
        warning = tillgate.check(s, actor, till) if any(
            t["method"] == "cash" for t in tenders) else ""
        for ln in lines:
            if ln.bill_id is not None:
                bills[ln.bill_id].paid_fen += ln.amount_fen
        res = _write_payment(s, actor, hall, day, kind="sale", acc=acc, lines=lines,
                             tenders=tenders, reason=req.note, printer_uri=printer_uri,
                             request_key=request_key)
        res.warning = warning
        return res


def take_payment(db: Database, actor: Actor, req: SaleRequest | None = None,
                 **kwargs) -> PaymentResult:
    """:func:`pay`; without a request (the self-test), one walk-in item paid in exact cash."""
    if req is None:
        items = [i for i in list_prices(db, actor.hall_id) if not i.tiered]
        if not items:
            raise NotFound("价目表为空", "The price list is empty")
        req = SaleRequest(items=[LineInput(items[0].code, "1")],
                          tenders=[TenderInput("cash")])
    return pay(db, actor, req, **kwargs)


