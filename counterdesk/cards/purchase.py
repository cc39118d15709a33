"""购气写卡 / 补写 / 退购: buy gas onto a card, (re)write it, cancel it.

**Money first, card after.** :func:`buy` commits the payment and the ``CardPurchase``
('to write') in one transaction, then writes the card. A failed write (card pulled, reader
error, program killed) leaves the purchase 'to write'; the next read of that card writes
exactly that purchase with the same sequence (:func:`counterdesk.cards.common.read_card`).

**Cancel (退购)** only while the purchase is on the card and not taken by the meter, with
a manager's approval: the purchase is marked 'cancelling', the card is cleared, then the
payment is reversed (void the same day, refund later) and the purchase is 'cancelled'. A
cancel stopped half-way is finished or undone by the next read (the customer never ends
up with both the gas and the money).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import audit, billing, clock, dayguard, i18n, money, requestkeys
from ..billing import RefundLine, TenderInput
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, CounterDeskError, PermissionDenied, ValidationError
from ..models.accounts import Account
from ..models.cards import Card, CardPurchase
from ..print import printers
from ..staff import Actor, Approval, authorise
from . import common, sale
from .common import (
    STATE_ZH,
    CardState,
    image_for,
    last_purchase,
    limit,
    read_card,
    write_and_record,
)
from .drivers import CardError, CardReader

# Tests set this to stop the program between the commit and the card write.
after_commit_hook: Callable[[], None] | None = None


@dataclass
class BuyResult:
    card_no: str
    account_no: str
    seq: int
    volume: str
    amount_fen: int
    written: bool
    message: str
    payment: dict = field(default_factory=dict)
    tiers: list = field(default_factory=list)
    request_key: str = ""
    # "" bought now; "retry": the key was used before (this is the first purchase);
    # "recovered": committed although the connection broke before the reply
    replayed: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _parse_volume(text, field_: str) -> Decimal:
    try:
        v = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        v = None
    if v is None or not v.is_finite():
        raise ValidationError(f"购气量 {text!r} 无效：请输入大于 0 的数字",
                              f"Volume {text!r} is invalid: enter a number above 0", field=field_)
    if v <= 0:
        raise ValidationError(f"购气量 {text} 无效：必须大于 0", f"Volume {text}: must be above 0",
                              field=field_)
    return v


def check_volume(s, hall_id: int, text, *, field_: str = "volume",
                 limits: dict | None = None) -> Decimal:
    """A volume the meter takes: above 0, within the hall's decimals and per-purchase cap
    (``limits``: the hall's card rules when already read, :func:`common.limits`)."""
    v = _parse_volume(text, field_)
    lim = limits if limits is not None else common.limits(s, hall_id)
    places = int(lim["card.volume_decimals"])
    if v != v.quantize(Decimal(1).scaleb(-places)) if places else v != v.to_integral_value():
        raise ValidationError(
            f"购气量 {text} 的小数位过多：表具只接受{f'{places} 位小数' if places else '整数立方米'}",
            f"Volume {text}: the meter takes {places} decimals at most", field=field_)
    cap = Decimal(str(lim["card.max_volume_per_purchase"]))
    if v > cap:
        raise ValidationError(f"购气量 {money.fmt_qty(v)} 立方米超过单次购气上限 {money.fmt_qty(cap)} 立方米",
                              f"Volume {money.fmt_qty(v)} m³ exceeds the per-purchase limit "
                              f"{money.fmt_qty(cap)} m³", field=field_)
    return v


def _blocked(st: CardState) -> None:
    if st.blank:
        raise Conflict("这是一张空白卡，请先开户发卡", "A blank card: issue it first", field="card")
    if st.meter_change_due is not None:
        raise Conflict(st.meter_change_due["message"], st.meter_change_due["message_en"],
                       field="card", data={"meter_change_due": st.meter_change_due})
    if st.to_write_id is not None:
        raise Conflict("上一笔购气尚未写入卡内（款已收），请重新插卡读卡补写后再购气",
                       "The last purchase is not on the card yet (paid); re-insert the card "
                       "and read it to write it first", field="card")
    if not st.meter_taken:
        raise Conflict(f"卡内气量尚未输入表具（第 {st.purchase_seq} 次购气 {st.pending_volume} 立方米），"
                       "请客户先将卡插入表具", f"The gas on the card ({st.pending_volume} m³, "
                       f"purchase {st.purchase_seq}) has not been taken by the meter yet",
                       field="card")


def buy(db: Database, actor: Actor, reader: CardReader, *, volume=None,
        amount_fen: int | None = None, tenders: list[TenderInput], printer_uri: str = "",
        note: str = "", expect_account: str | None = None,
        request_key: str | None = None) -> BuyResult:
    """购气: read → checks → payment + purchase 'to write' (one commit) → card write.

    ``request_key`` (made if absent, :mod:`counterdesk.requestkeys`): a retry with the same
    key returns the first purchase (writing it onto the card if it is still owed), never a
    second one; a reply lost after COMMIT is looked up by it."""
    if (volume is None) == (amount_fen is None):
        raise ValidationError("请填写购气量或购气金额（二者选一）", "Give the volume or the amount",
                              field="volume")
    if amount_fen is not None and (isinstance(amount_fen, bool) or amount_fen <= 0):
        raise ValidationError("购气金额必须大于 0", "The amount must be above 0", field="amount")
    if volume is not None:      # bad input is refused before the card is touched
        _parse_volume(volume, "volume")
    for t in tenders:
        billing.resolve_tenders(1, [TenderInput(t.method, None, None, t.reference, t.cheque_no,
                                                t.bank)])
    if printer_uri:
        printers.parse(printer_uri)
    sale.require_collector(actor)
    key = requestkeys.check_key(request_key)
    req = _BuyRequest(volume, amount_fen, tenders, printer_uri, note, expect_account, key)
    return requestkeys.run_once(db, key, "card", lambda: _buy(db, actor, reader, req),
                                lambda ref, how: _recall(db, actor, reader, ref, how, key),
                                lookup="before" if request_key else "on_fault")


@dataclass(frozen=True)
class _BuyRequest:
    volume: object
    amount_fen: int | None
    tenders: list
    printer_uri: str
    note: str
    expect_account: str | None
    key: str


_PURCHASE_T = CardPurchase.__table__
_INSERT_PURCHASE = insert(_PURCHASE_T).returning(*audit.returning(_PURCHASE_T))


def _buy(db: Database, actor: Actor, reader: CardReader, req: _BuyRequest) -> BuyResult:
    image = common.take_image(reader, req.expect_account)
    if image.blank:
        _blocked(CardState(True))
    day = clock.today()
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
        # the hall's rules first: a volume they refuse changes nothing
        lim = common.limits(s, actor.hall_id)
        v = check_volume(s, actor.hall_id, req.volume, limits=lim) \
            if req.volume is not None else None
        # the read's reconciliation and the sale in one transaction (one commit)
        plan = common.reconcile(s, actor, image)
        if plan.write is None:
            st = plan.state
            _blocked(st)
            hall = sale.hall_info(db, s, actor.hall_id)
            till = dayguard.ensure_open(s, hall.id, day, till_staff_id=actor.staff_id)
            card, acc = plan.card, plan.account
            if acc.status == "closed":
                raise Conflict(f"户号 {acc.account_no} 已销户，不能购气",
                               f"{acc.account_no} is closed", field="account")
            # this year's card sales (the cap) and gas volume (the tiers), and the gas
            # gates (a closed one is refused): one SELECT
            bought, prior = sale.year_volumes(s, acc, day)
            if v is None:
                assert req.amount_fen is not None  # the volume or the amount (buy checks)
                places = int(lim["card.volume_decimals"])
                v = sale.volume_for_amount(s, hall, acc, req.amount_fen, day, places, prior)
                v = check_volume(s, hall.id, v, field_="amount", limits=lim)
            year_cap = Decimal(str(lim["card.max_volume_per_year"]))
            if bought + v > year_cap:
                raise ValidationError(
                    f"本年已购气 {money.fmt_qty(bought)} 立方米，再购 {money.fmt_qty(v)} 立方米将超过"
                    f"年度上限 {money.fmt_qty(year_cap)} 立方米（本年还可购 "
                    f"{money.fmt_qty(max(year_cap - bought, Decimal(0)))}）",
                    f"{money.fmt_qty(bought)} m³ bought this year; {money.fmt_qty(v)} more "
                    f"exceeds the yearly limit {money.fmt_qty(year_cap)} m³", field="volume")
            last = plan.last
            seq = (last.seq if last else card.start_seq) + 1
            info = {"card_no": card.card_no, "seq": seq, "volume": money.fmt_qty(v),
                    "written": False}
            now = clock.now()
            made: list = []

            def attach(s_, payment_id: int, total_fen: int) -> tuple[dict, list]:
                """The purchase 'to write' and the request key, in the payment's
                transaction and under its audit event."""
                row = s_.execute(_INSERT_PURCHASE, dict(
                    hall_id=hall.id, account_id=acc.id, card_id=card.id, meter_no=card.meter_no,
                    seq=seq, kind="sale", volume=v, amount_fen=total_fen, state="to_write",
                    payment_id=payment_id, business_day=day, window=actor.window,
                    staff_no=actor.staff_no, created_at=now)).one()
                requestkeys.record(s_, hall.id, req.key, "card", row[0])
                made.append(row[0])
                return ({"card_purchase": {"card_no": card.card_no, "seq": seq,
                                           "volume": money.fmt_qty(v)}},
                        [*common.taken_rows(plan), audit.Fetched(_PURCHASE_T, [row])])

            res = sale.charge(db, s, actor, hall, day, acc, sale.gas_code(acc), v, req.tenders,
                              till=till, note=req.note, printer_uri=req.printer_uri, card=info,
                              limit_fen=int(lim["billing.single_payment_limit_fen"]),
                              attach=attach, prior_volume=prior, gates_checked=True)
            assert st.image is not None  # the card was read: reconcile keeps its image
            image = image_for(s, card, acc, common.Owed(seq, v, "to_write"), base=st.image,
                              total=Decimal(st.image.total_bought) + v)
            pid, card_no, account_no = made[0], card.card_no, acc.account_no
            mac_key = common.hall_key(s, hall.id)
        else:
            common.record_read(s, actor, plan)
    if plan.write is not None:
        # the card first needs what the database owes it (a rewrite or a clear)
        st = common.finish_plan(db, actor, reader, plan)
        _blocked(st)
        return _buy(db, actor, reader, req)
    assert v is not None  # the sale above set it
    if after_commit_hook is not None:
        after_commit_hook()
    ok, err = write_and_record(db, actor, reader, image, expect=card_no, purchase_id=pid,
                               key=mac_key, job_id=res.print_job_id, receipt=res.receipt)
    res.request_key = req.key
    return BuyResult(card_no, account_no, seq, money.fmt_qty(v), res.total_fen, ok,
                     _written_message(ok, err, seq, v), res.to_dict(),
                     res.lines[0].get("tiers", []), req.key)


def _written_message(ok: bool, err: str, seq: int, v: Decimal) -> str:
    qty = money.fmt_qty(v)
    if ok:
        return i18n.pick(f"已写卡：第 {seq} 次购气 {qty} 立方米",
                         f"Written to the card: purchase {seq}, {qty} m³")
    return i18n.pick(f"款已收，但写卡失败（{err}）：客户卡内还没有这 {qty} 立方米；"
                     f"请重新插卡后读卡，系统将补写同一笔购气（第 {seq} 次），不会重复",
                     f"Paid, but the card was not written ({err}): the {qty} m³ are not on "
                     f"the card yet; insert the card again and read it: the same purchase "
                     f"({seq}) is written, never twice")


def _recall(db: Database, actor: Actor, reader: CardReader, purchase_id: int, how: str,
            key: str) -> BuyResult:
    """The purchase a request key names, as :func:`buy` returned it. A purchase still owed
    to the card (the reply to COMMIT was lost, or the program stopped before the write) is
    written now by reading the card — with its own sequence, so never twice."""
    with db.read() as s:
        p = s.get_one(CardPurchase, purchase_id)
        card_no = s.get_one(Card, p.card_id).card_no
        account_no = s.get_one(Account, p.account_id).account_no
        seq, v, state, pay_id = p.seq, p.volume, p.state, p.payment_id
    assert pay_id is not None  # a request key names a sale, made with its payment
    pay = sale.recall_payment(db, pay_id, how, key)
    note = ""
    if state == "to_write":
        try:
            st = read_card(db, actor, reader, expect_account=account_no)
            if st.card_no != card_no:
                raise Conflict(f"读卡器中不是卡号 {card_no}", f"Not card {card_no}", field="card")
        except (CardError, CounterDeskError) as exc:
            note = exc.message
        with db.read() as s:
            state = s.get_one(CardPurchase, purchase_id).state
    written = state != "to_write"
    head = "此请求已办理（未重复购气）：" if how == "retry" else \
        "连接中断前购气已保存（已核实，未重复购气）："
    msg = head + (f"第 {seq} 次购气 {money.fmt_qty(v)} 立方米，票据号 {pay.receipt_no}；"
                  + (f"已写卡（{STATE_ZH.get(state, state)}）" if written else
                     _written_message(False, note or "卡不在读卡器中", seq, v)))
    return BuyResult(card_no, account_no, seq, money.fmt_qty(v), pay.total_fen, written, msg,
                     pay.to_dict(), pay.lines[0].get("tiers", []) if pay.lines else [], key, how)


def card_account(s: Session, card: Card) -> Account:
    acc = s.get_one(Account, card.account_id)
    if acc.status == "closed":
        raise Conflict(f"户号 {acc.account_no} 已销户，不能购气", f"{acc.account_no} is closed",
                       field="account")
    return acc


def write(db: Database, actor: Actor, reader: CardReader) -> CardState:
    """写卡 / 补写: read the card and write what the database says is owed to it. A second
    press finds nothing to write and says so (nothing changes)."""
    st = read_card(db, actor, reader)
    if st.blank:
        raise Conflict("这是一张空白卡，没有可写的购气", "A blank card: nothing to write",
                       field="card")
    if st.wrote_seq is None and st.to_write_id is None:
        st.messages.insert(0, i18n.pick("卡内已是最新，无需写卡（未重复写入）",
                                        "The card is up to date: nothing written"))
    return st


def cancel(db: Database, actor: Actor, reader: CardReader, approval: Approval | None, *,
           reason: str = "", printer_uri: str = "") -> dict:
    """退购: the purchase on the card, not taken by the meter, reversed with approval."""
    reason = (reason or "").strip()
    if approval is None or not approval.staff_no:
        raise PermissionDenied("退购须由营业厅主任或值班长现场授权（输入其工号和密码）",
                               "A cancel needs a manager's authorisation", field="approver")
    if not reason:
        raise ValidationError("请填写退购原因", "Give the reason for the cancel", field="reason")
    st = read_card(db, actor, reader)
    if st.blank:
        raise Conflict("空白卡没有可退的购气", "A blank card has nothing to cancel", field="card")
    with db.write() as s:
        # the approval first: its password check runs its own transaction (SQLite: before
        # this one takes the write lock)
        auth = authorise(db, s, approval, "card.cancel", actor=actor,
                         reason=f"{st.card_no} #{st.purchase_seq}: {reason}")
        card = s.execute(common.lock(s, select(Card).where(Card.card_no == st.card_no))
                         ).scalar_one()
        acc = card_account(s, card)
        p = last_purchase(s, acc.id)
        if p is None or p.kind != "sale" or p.state == "cancelled":
            raise Conflict("卡内没有可退的购气", "No purchase on the card to cancel", field="card")
        if p.state == "taken" or st.meter_taken and p.state != "to_write":
            raise Conflict(f"第 {p.seq} 次购气已输入表具，不能退购", f"Purchase {p.seq} was taken "
                           "by the meter: it cannot be cancelled", field="card")
        if p.takeup_unknown:
            raise Conflict(f"第 {p.seq} 次购气是补卡时带到新卡上的（旧卡是否已输入表具未知），不能退购",
                           f"Purchase {p.seq} was carried onto a reissued card with unknown "
                           "take-up: it cannot be cancelled", field="card")
        p.state, p.authorisation_id = "cancelling", auth.id
        image = image_for(s, card, acc, p, base=st.image, state="cancelled")
        pid, pay_id, seq, card_no = p.id, p.payment_id, p.seq, card.card_no
    ok, err = write_and_record(db, actor, reader, image, expect=card_no)
    if not ok:
        with db.write() as s:
            p = s.get_one(CardPurchase, pid)
            p.state = "written" if p.written_at else "to_write"
        raise Conflict(f"卡内气量未能清除（{err}），退购未办理，款项未退；客户卡内仍有第 {seq} 次购气",
                       f"The card could not be cleared ({err}); nothing cancelled, no money "
                       "back", field="card")
    with db.read() as s:
        from ..models.billing import Payment

        orig = s.get_one(Payment, pay_id)
        assert orig.receipt is not None  # every payment is written with its receipt
        receipt_no, pay_day = orig.receipt.receipt_no, orig.business_day
    if pay_day == clock.today():
        res = billing.void(db, actor, receipt_no, approval, reason=f"退购：{reason}",
                           printer_uri=printer_uri)
    else:
        res = billing.refund(db, actor, receipt_no, [RefundLine(1)], approval,
                             reason=f"退购：{reason}", printer_uri=printer_uri)
    with db.write() as s:
        p = s.get_one(CardPurchase, pid)
        p.state, p.cancelled_at = "cancelled", clock.now()
        p.reversal_payment_id = res.payment_id
        actor.audit(s, "card.cancelled", {"card_no": card_no, "seq": seq,
                                          "receipt_no": res.receipt_no, "reason": reason})
    return {"card_no": card_no, "seq": seq, "receipt_no": res.receipt_no,
            "refund_fen": -res.total_fen, "payment": res.to_dict(),
            "message": i18n.pick(
                f"已退购第 {seq} 次购气，卡内气量已清除，退款 {money.fmt_symbol(-res.total_fen)}",
                f"Purchase {seq} cancelled and cleared from the card; refund "
                f"{money.fmt_symbol(-res.total_fen)}")}


def quote(db: Database, actor: Actor, account_no: str, *, volume=None,
          amount_fen: int | None = None) -> dict:
    """What a purchase would cost (or buy), without writing anything: for the screen."""
    day = clock.today()
    with db.read() as s:
        from ..models.accounts import Account

        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar()
        if acc is None:
            raise Conflict(f"户号 {account_no} 不存在", f"Account {account_no} not found",
                           field="account")
        hall = sale.hall_info(db, s, actor.hall_id)
        if volume is not None and str(volume).strip():
            v = check_volume(s, hall.id, volume)
        elif amount_fen:
            v = sale.volume_for_amount(s, hall, acc, amount_fen, day,
                                       int(limit(s, hall.id, "card.volume_decimals")))
        else:
            raise ValidationError("请填写购气量或购气金额", "Give the volume or the amount",
                                  field="volume")
        amount, tiers = sale.quote_gas(db, s, hall, acc, v, day)
        return {"volume": money.fmt_qty(v), "amount_fen": amount, "tiers": tiers}
