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

from sqlalchemy import select

from .. import billing, clock, dayguard, money
from ..billing import RefundLine, TenderInput
from ..db import Database
from ..errors import Conflict, PermissionDenied, ValidationError
from ..models.cards import Card, CardPurchase
from ..staff import Actor, Approval, authorise
from . import common, sale
from .common import CardState, image_for, last_purchase, limit, read_card, write_and_record
from .drivers import CardReader

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

    def to_dict(self) -> dict:
        return asdict(self)


def check_volume(s, hall_id: int, text, *, field_: str = "volume") -> Decimal:
    """A volume the meter takes: above 0, within the hall's decimals and per-purchase cap."""
    places = int(limit(s, hall_id, "card.volume_decimals"))
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
    if v != v.quantize(Decimal(1).scaleb(-places)) if places else v != v.to_integral_value():
        raise ValidationError(
            f"购气量 {text} 的小数位过多：表具只接受{f'{places} 位小数' if places else '整数立方米'}",
            f"Volume {text}: the meter takes {places} decimals at most", field=field_)
    cap = Decimal(str(limit(s, hall_id, "card.max_volume_per_purchase")))
    if v > cap:
        raise ValidationError(f"购气量 {money.fmt_qty(v)} 立方米超过单次购气上限 {money.fmt_qty(cap)} 立方米",
                              f"Volume {money.fmt_qty(v)} m³ exceeds the per-purchase limit "
                              f"{money.fmt_qty(cap)} m³", field=field_)
    return v


def _blocked(st: CardState) -> None:
    if st.blank:
        raise Conflict("这是一张空白卡，请先开户发卡", "A blank card: issue it first", field="card")
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
        note: str = "", expect_account: str | None = None) -> BuyResult:
    """购气: read → checks → payment + purchase 'to write' (one commit) → card write."""
    if (volume is None) == (amount_fen is None):
        raise ValidationError("请填写购气量或购气金额（二者选一）", "Give the volume or the amount",
                              field="volume")
    if amount_fen is not None and (isinstance(amount_fen, bool) or amount_fen <= 0):
        raise ValidationError("购气金额必须大于 0", "The amount must be above 0", field="amount")
    with db.read() as s:    # bad input is refused before the card is touched
        v = check_volume(s, actor.hall_id, volume) if volume is not None else None
    for t in tenders:
        billing.resolve_tenders(1, [TenderInput(t.method, None, None, t.reference, t.cheque_no,
                                                t.bank)])
    image = common.take_image(reader, expect_account)
    if image.blank:
        _blocked(CardState(True))
    day = clock.today()
    plan = None
    with db.write() as s:
        # the read's reconciliation and the sale in one transaction (one commit)
        hall = sale.hall_info(db, s, actor.hall_id)
        plan = common.reconcile(s, actor, image)
        if plan.write is None:
            st = plan.state
            _blocked(st)
            dayguard.ensure_open(s, hall.id, day)
            card = s.get_one(Card, plan.card_id)
            acc = card_account(s, card)
            last = plan.last
            if v is None:
                assert amount_fen is not None  # the volume or the amount (checked above)
                places = int(limit(s, hall.id, "card.volume_decimals"))
                v = sale.volume_for_amount(s, hall, acc, amount_fen, day, places)
                v = check_volume(s, hall.id, v, field_="amount")
            year_cap = Decimal(str(limit(s, hall.id, "card.max_volume_per_year")))
            bought = common.year_volume(s, acc.id, day)
            if bought + v > year_cap:
                raise ValidationError(
                    f"本年已购气 {money.fmt_qty(bought)} 立方米，再购 {money.fmt_qty(v)} 立方米将超过"
                    f"年度上限 {money.fmt_qty(year_cap)} 立方米（本年还可购 "
                    f"{money.fmt_qty(max(year_cap - bought, Decimal(0)))}）",
                    f"{money.fmt_qty(bought)} m³ bought this year; {money.fmt_qty(v)} more "
                    f"exceeds the yearly limit {money.fmt_qty(year_cap)} m³", field="volume")
            seq = (last.seq if last else card.start_seq) + 1
            info = {"card_no": card.card_no, "seq": seq, "volume": money.fmt_qty(v),
                    "written": False}
            res = sale.charge(db, s, actor, hall, day, acc, sale.gas_code(acc), v, tenders,
                              note=note, printer_uri=printer_uri, card=info)
            p = CardPurchase(hall_id=hall.id, account_id=acc.id, card_id=card.id,
                             meter_no=card.meter_no, seq=seq, kind="sale", volume=v,
                             amount_fen=res.total_fen, state="to_write",
                             payment_id=res.payment_id, business_day=day,
                             window=actor.window, staff_no=actor.staff_no)
            s.add(p)
            s.flush()
            actor.audit(s, "card.purchase", {"card_no": card.card_no,
                                             "account_no": acc.account_no, "seq": seq,
                                             "volume": money.fmt_qty(v),
                                             "receipt_no": res.receipt_no,
                                             "amount_fen": res.total_fen})
            assert st.image is not None  # the card was read: reconcile keeps its image
            image = image_for(s, card, acc, p, base=st.image,
                              total=Decimal(st.image.total_bought) + v)
            pid, card_no, key = p.id, card.card_no, common.hall_key(s, hall.id)
    if plan.write is not None:
        # the card first needs what the database owes it (a rewrite or a clear)
        st = common.finish_plan(db, actor, reader, plan)
        _blocked(st)
        return buy(db, actor, reader, volume=volume, amount_fen=amount_fen, tenders=tenders,
                   printer_uri=printer_uri, note=note, expect_account=expect_account)
    assert v is not None  # the sale above set it
    if after_commit_hook is not None:
        after_commit_hook()
    ok, err = write_and_record(db, actor, reader, image, expect=card_no, purchase_id=pid,
                               key=key, job_id=res.print_job_id, receipt=res.receipt)
    msg = (f"已写卡：第 {seq} 次购气 {money.fmt_qty(v)} 立方米" if ok else
           f"款已收，但写卡失败（{err}）：客户卡内还没有这 {money.fmt_qty(v)} 立方米；"
           "请重新插卡后读卡，系统将补写同一笔购气（第 {seq} 次），不会重复")
    pay = res.to_dict()
    return BuyResult(card_no, acc.account_no, seq, money.fmt_qty(v), res.total_fen, ok,
                     msg.replace("{seq}", str(seq)), pay, res.lines[0].get("tiers", []))


def card_account(s, card: Card):
    from ..models.accounts import Account

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
        st.messages.insert(0, "卡内已是最新，无需写卡（未重复写入）")
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
            "message": f"已退购第 {seq} 次购气，卡内气量已清除，退款 {money.fmt_symbol(-res.total_fen)}"}


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
