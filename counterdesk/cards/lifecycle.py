"""开户发卡 / 补卡 / 换表: a card's life, and the account's meter kind.

Reissue rule (补卡) for a purchase written to the lost card whose take-up is unknown: the
new card carries that purchase with the *same* sequence, so the meter takes it at most
once. Before that, either the technician reads the meter on site (``meter_seq``: the last
purchase the meter took — taken: nothing is carried; not taken: carried as pending) or a
manager approves the reissue without it; then the purchase is marked "take-up unknown" and
can no longer be cancelled (its money cannot come back while the old card may have loaded
it).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from .. import clock, dayguard, i18n, money, sequence
from ..billing import TenderInput
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models.accounts import Account
from ..models.cards import METER_KINDS, Card, CardPurchase, MeterReading
from ..models.orders import WorkOrder
from ..staff import Actor, Approval, authorise
from ..validators import typed
from . import common, sale
from .common import image_for, last_purchase, read_card, write_and_record
from .drivers import CardReader

METER_KIND_ZH = {"plain": "普通表", "ic": "IC卡表", "iot": "物联网表"}
REISSUE_REASONS = {"lost": "遗失", "broken": "损坏"}
_METER_RE = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def _account(s, actor: Actor, account_no: str, *, lock: bool = True) -> Account:
    q = select(Account).where(Account.account_no == typed(account_no))
    acc = s.execute(common.lock(s, q) if lock else q).scalar()
    if acc is None or acc.hall_id != actor.hall_id:
        raise NotFound(f"户号 {account_no} 不存在或不属于本营业厅", f"Account {account_no} not "
                       "found in this hall", field="account")
    if acc.status == "closed":
        raise Conflict(f"户号 {account_no} 已销户", f"Account {account_no} is closed",
                       field="account")
    return acc


def _current_card(s, acc: Account) -> Card | None:
    return s.execute(common.lock(s, select(Card).where(Card.account_id == acc.id,
                                                       Card.status != "replaced"))).scalar()


def _decimal(text, field_: str, name: str) -> Decimal:
    try:
        v = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        v = None
    if v is None or not v.is_finite() or v < 0 or v != v.quantize(Decimal("0.001")):
        raise ValidationError(f"{name} {text!r} 无效：应为不小于 0 的数字（最多三位小数）",
                              f"{field_} {text!r} is invalid", field=field_)
    return v


def set_meter_kind(db: Database, actor: Actor, account_no: str, kind: str) -> str:
    """The account's meter kind (普通表 / IC卡表 / 物联网表)."""
    if kind not in METER_KINDS:
        raise ValidationError("表具类型应为 plain（普通表）、ic（IC卡表）或 iot（物联网表）",
                              "The meter kind must be plain, ic or iot", field="meter_kind")
    with db.write() as s:
        acc = _account(s, actor, account_no)
        if acc.meter_kind == kind:
            return kind
        if _current_card(s, acc) is not None and kind != "ic":
            raise Conflict("该户已发 IC 卡，不能改为其他表具类型（请先换表）",
                           "The account has an IC card; change the meter first",
                           field="meter_kind")
        old, acc.meter_kind = acc.meter_kind, kind
        actor.audit(s, "account.meter_kind", {"account_no": acc.account_no, "old": old,
                                              "new": kind})
        return kind


def _blank(reader: CardReader) -> None:
    image = reader.read()
    if not image.blank:
        raise Conflict(f"读卡器中的卡（卡号 {image.card_no}）不是空白卡，请放入一张空白卡",
                       f"The card in the reader ({image.card_no}) is not blank", field="card")


def _finish(db, actor, reader, card_id: int, purchase_id: int | None = None) -> dict:
    with db.read() as s:
        card = s.get(Card, card_id)
        acc = s.get(Account, card.account_id)
        p = s.get(CardPurchase, purchase_id) if purchase_id else None
        image = image_for(s, card, acc, p)
        card_no = card.card_no
    ok, err = write_and_record(db, actor, reader, image, expect="", card_id=card_id,
                               purchase_id=purchase_id if p and p.state == "to_write" else None)
    return {"card_no": card_no, "written": ok, "purchase_seq": image.purchase_seq,
            "pending_volume": money.fmt_qty(image.pending_volume),
            "message": i18n.pick(f"已写卡 {card_no}", f"Card {card_no} written") if ok else
            i18n.pick(f"卡号 {card_no} 已登记（费用已收），但写卡失败（{err}）：请放入空白卡后再次"
                      "发卡/补卡写卡，不再收费",
                      f"Card {card_no} is recorded (fee paid) but was not written ({err}): "
                      "insert a blank card and issue or reissue again, free of charge")}


def issue(db: Database, actor: Actor, reader: CardReader, account_no: str, *,
          tenders: list[TenderInput], printer_uri: str = "") -> dict:
    """开户发卡: a card for an account with an IC meter; the card fee from the price list."""
    with db.read() as s:
        acc = _account(s, actor, account_no, lock=False)
        if acc.meter_kind != "ic":
            raise Conflict(f"户号 {acc.account_no} 的表具为{METER_KIND_ZH.get(acc.meter_kind)}，"
                           "不能发 IC 卡（请先将表具类型改为 IC卡表）",
                           f"Account {acc.account_no} has no IC meter", field="meter_kind")
        cur = s.execute(select(Card).where(Card.account_id == acc.id,
                                           Card.status != "replaced")).scalar()
        if cur is not None and cur.status == "active":
            raise Conflict(f"户号 {acc.account_no} 已有 IC 卡 {cur.card_no}；遗失或损坏请办理补卡",
                           f"Account {acc.account_no} already has card {cur.card_no}",
                           field="account")
    _blank(reader)
    if cur is not None:   # paid before, never written: write it now, no new fee
        return {**_finish(db, actor, reader, cur.id), "payment": None}
    day = clock.today()
    with db.write() as s:
        hall = sale.hall_info(db, s, actor.hall_id)
        till = dayguard.ensure_open(s, hall.id, day, till_staff_id=actor.staff_id)
        acc = _account(s, actor, account_no)
        if _current_card(s, acc) is not None:
            raise Conflict("该户刚刚在另一窗口发卡", "A card was just issued elsewhere",
                           field="account")
        last = last_purchase(s, acc.id)
        card_no = f"{hall.code}{sequence.next_value(s, hall.id, 'card_no'):08d}"
        res = sale.charge(db, s, actor, hall, day, acc, sale.CARD_ISSUE_FEE, "1", tenders,
                          till=till, printer_uri=printer_uri, card={"card_no": card_no, "issue": True,
                                                         "written": False})
        card = Card(hall_id=hall.id, account_id=acc.id, card_no=card_no, meter_no=acc.meter_no,
                    status="to_write", start_seq=last.seq if last else 0,
                    payment_id=res.payment_id, issued_by=actor.staff_no)
        s.add(card)
        s.flush()
        actor.audit(s, "card.issued", {"card_no": card_no, "account_no": acc.account_no,
                                       "receipt_no": res.receipt_no})
        card_id = card.id
    return {**_finish(db, actor, reader, card_id), "payment": res.to_dict()}


def reissue(db: Database, actor: Actor, reader: CardReader, account_no: str, *,
            tenders: list[TenderInput], reason: str = "lost", approval: Approval | None = None,
            meter_seq: int | None = None, remaining=None, cumulative=None,
            printer_uri: str = "") -> dict:
    """补卡: a new card number carrying the sequence on (rule in the module docstring)."""
    if reason not in REISSUE_REASONS:
        raise ValidationError("补卡原因应为 lost（遗失）或 broken（损坏）",
                              "The reason must be lost or broken", field="reason")
    if meter_seq is not None and (isinstance(meter_seq, bool) or meter_seq < 0):
        raise ValidationError("表具购气次数应为不小于 0 的整数", "meter_seq must be ≥ 0",
                              field="meter_seq")
    with db.read() as s:
        acc = _account(s, actor, account_no, lock=False)
        old = s.execute(select(Card).where(Card.account_id == acc.id,
                                           Card.status != "replaced")).scalar()
        if old is None:
            raise Conflict(f"户号 {acc.account_no} 没有 IC 卡，请办理发卡", "No card to replace",
                           field="account")
        if old.status == "to_write":
            raise Conflict(f"卡 {old.card_no} 尚未写卡，请放入空白卡重新发卡（不收费）",
                           "The card was never written: issue it again (no fee)", field="card")
        read_card_id = old.id
        p = last_purchase(s, acc.id)
        unknown = p is not None and p.state == "written" and meter_seq is None
        if p is not None and p.state == "cancelling":
            raise Conflict("上一笔退购尚未完成，请先读旧卡完成退购", "A cancel is unfinished",
                           field="card")
        if unknown and p is not None and (approval is None or not approval.staff_no):
            raise PermissionDenied(
                f"第 {p.seq} 次购气（{money.fmt_qty(p.volume)} 立方米）已写入旧卡，是否已输入表具未知："
                "请先上门抄表并录入表具的购气次数，或由主任授权补卡（此笔将带到新卡，且不能再退购）",
                f"Purchase {p.seq} is on the old card with unknown take-up: read the meter on "
                "site (meter_seq) or get a manager's approval", field="approver")
    _blank(reader)
    day = clock.today()
    with db.write() as s:
        # the approval first: its password check runs its own transaction
        auth = authorise(db, s, approval, "card.reissue", actor=actor,
                         reason=f"{account_no}: {REISSUE_REASONS[reason]}") \
            if approval is not None and approval.staff_no else None
        hall = sale.hall_info(db, s, actor.hall_id)
        till = dayguard.ensure_open(s, hall.id, day, till_staff_id=actor.staff_id)
        acc = _account(s, actor, account_no)
        old = _current_card(s, acc)
        if old is None or old.id != read_card_id:
            # another window replaced the card since it was read here: no second fee
            now_no = old.card_no if old is not None else ""
            raise Conflict(f"户号 {acc.account_no} 的卡刚刚在另一窗口补办（现卡号 {now_no}），"
                           "本次未收费；请核实后重新读卡",
                           f"The card of {acc.account_no} was just replaced at another window "
                           f"(now {now_no}); nothing was charged here", field="account")
        p = last_purchase(s, acc.id)
        now = clock.now()
        if meter_seq is not None:
            s.add(MeterReading(account_id=acc.id, card_id=old.id, meter_no=old.meter_no,
                               source="technician", meter_seq=meter_seq,
                               remaining=_decimal(remaining or 0, "remaining", "剩余气量"),
                               cumulative=_decimal(cumulative or 0, "cumulative", "累计用气量"),
                               staff_no=actor.staff_no, read_at=now))
        carried = None
        if p is not None and p.state in ("written", "to_write"):
            if meter_seq is not None and meter_seq >= p.seq:
                p.state, p.taken_at = "taken", now
            else:
                carried = p
                p.takeup_unknown = p.state == "written" and meter_seq is None
        old.status, old.ended_at = "replaced", now
        s.flush()
        card_no = f"{hall.code}{sequence.next_value(s, hall.id, 'card_no'):08d}"
        res = sale.charge(db, s, actor, hall, day, acc, sale.CARD_REISSUE_FEE, "1", tenders,
                          till=till, printer_uri=printer_uri, card={"card_no": card_no, "reissue": True,
                                                         "written": False})
        start = (carried.seq - 1) if carried is not None else (p.seq if p else old.start_seq)
        card = Card(hall_id=hall.id, account_id=acc.id, card_no=card_no, meter_no=old.meter_no,
                    status="to_write", start_seq=start, replaces_card_id=old.id,
                    reason=reason, payment_id=res.payment_id, issued_by=actor.staff_no,
                    authorisation_id=auth.id if auth else None,
                    takeup_unknown_seq=carried.seq if carried and carried.takeup_unknown
                    else None)
        s.add(card)
        s.flush()
        if carried is not None:
            carried.card_id = card.id
        actor.audit(s, "card.reissued", {"card_no": card_no, "old_card_no": old.card_no,
                                         "account_no": acc.account_no, "reason": reason,
                                         "carried_seq": carried.seq if carried else None,
                                         "takeup_unknown": bool(carried and
                                                                carried.takeup_unknown),
                                         "receipt_no": res.receipt_no})
        card_id, carried_id = card.id, carried.id if carried else None
        old_no = old.card_no
    out = _finish(db, actor, reader, card_id, carried_id)
    return {**out, "old_card_no": old_no, "payment": res.to_dict(),
            "carried_seq": out["purchase_seq"] if carried_id else None}


def meter_change(db: Database, actor: Actor, reader: CardReader, new_meter_no: str | None = None,
                 *, remaining, approval: Approval | None, cumulative=None, reason: str = "",
                 order_no: str | None = None) -> dict:
    """换表: the old meter's remaining volume (technician's reading) goes onto the card as a
    zero-price purchase for the new meter; the card is bound to the new meter.

    After a done 换表 work order (it already put the new meter on the account) the card
    follows the order: ``order_no`` names it (found by itself when the read shows it), the
    new meter is the order's, and the purchase keeps the order's number (audited)."""
    new_meter_no = (new_meter_no or "").strip().upper()
    order_no = (order_no or "").strip().upper()
    if new_meter_no and not _METER_RE.match(new_meter_no):
        raise ValidationError("新表号应为 1–32 位字母、数字或 -", "The new meter number is invalid",
                              field="meter_no")
    vol = _decimal(remaining, "remaining", "旧表剩余气量")
    cum_given = _decimal(cumulative, "cumulative", "旧表累计用气量") \
        if cumulative not in (None, "") else None
    if approval is None or not approval.staff_no:
        raise PermissionDenied("换表转气须由营业厅主任或值班长授权", "A meter change needs a "
                               "manager's authorisation", field="approver")
    st = read_card(db, actor, reader)
    if st.blank:
        raise Conflict("请插入该户的 IC 卡", "Insert the account's card", field="card")
    if st.to_write_id is not None or not st.meter_taken:
        raise Conflict("卡内还有未输入旧表的购气，请先让旧表输入或办理退购后再换表",
                       "The card holds gas the old meter has not taken; settle it first",
                       field="card")
    due = st.meter_change_due or {}
    order_no = order_no or due.get("order_no", "")
    if not new_meter_no and not order_no:
        raise ValidationError("请填写新表号（或已完成的换表工单号）", "Give the new meter number "
                              "(or the done meter change order)", field="meter_no")
    day = clock.today()
    with db.write() as s:
        auth = authorise(db, s, approval, "card.meter_change", actor=actor,
                         reason=f"{st.meter_no}→{new_meter_no or order_no}: {reason}")
        card = s.execute(common.lock(s, select(Card).where(Card.card_no == st.card_no))
                         ).scalar_one()
        acc = s.get_one(Account, card.account_id)
        order = _meter_order(s, acc, card, order_no) if order_no else None
        if order is not None:
            if new_meter_no and new_meter_no != order.new_meter_no.upper():
                raise ValidationError(
                    f"新表号 {new_meter_no} 与换表工单 {order.number} 的新表号 "
                    f"{order.new_meter_no} 不符", f"{new_meter_no} is not the new meter "
                    f"{order.new_meter_no} of order {order.number}", field="meter_no")
            new_meter_no = order.new_meter_no
        elif acc.meter_no != card.meter_no and new_meter_no != acc.meter_no:
            raise Conflict(f"户号 {acc.account_no} 登记的表号为 {acc.meter_no}：卡换表的新表号须与之一致",
                           f"Account {acc.account_no} has meter {acc.meter_no}; the card's new "
                           "meter must be it", field="meter_no")
        if new_meter_no == card.meter_no:
            raise ValidationError("新表号与旧表号相同", "The new meter is the old one",
                                  field="meter_no")
        other = s.execute(select(Account).where(Account.hall_id == acc.hall_id,
                                                Account.meter_no == new_meter_no,
                                                Account.status != "closed",
                                                Account.id != acc.id)).scalar()
        if other is not None:
            raise Conflict(f"表号 {new_meter_no} 已登记在户号 {other.account_no}",
                           f"Meter {new_meter_no} belongs to {other.account_no}",
                           field="meter_no")
        # the old meter's index: the technician's, else the order's 旧表止码
        cum = cum_given if cum_given is not None else _decimal(
            order.old_reading if order is not None and order.old_reading else 0,
            "cumulative", "旧表累计用气量")
        now = clock.now()
        old_meter = card.meter_no
        s.add(MeterReading(account_id=acc.id, card_id=card.id, meter_no=old_meter,
                           source="technician", remaining=vol, cumulative=cum,
                           meter_seq=st.image.meter_seq if st.image else 0,
                           staff_no=actor.staff_no, read_at=now))
        acc.meter_no = card.meter_no = new_meter_no
        last = last_purchase(s, acc.id)
        p = CardPurchase(hall_id=acc.hall_id, account_id=acc.id, card_id=card.id,
                         meter_no=new_meter_no, seq=(last.seq if last else card.start_seq) + 1,
                         kind="meter_change", volume=vol, amount_fen=0, state="to_write",
                         authorisation_id=auth.id, business_day=day, window=actor.window,
                         staff_no=actor.staff_no,
                         order_number=order.number if order is not None else "")
        s.add(p)
        s.flush()
        actor.audit(s, "card.meter_change", {"card_no": card.card_no, "old_meter": old_meter,
                                             "new_meter": new_meter_no, "seq": p.seq,
                                             "volume": money.fmt_qty(vol), "reason": reason,
                                             "order": order.number if order is not None
                                             else None})
        image = image_for(s, card, acc, p, base=st.image)
        pid, seq, card_no = p.id, p.seq, card.card_no
        linked = order.number if order is not None else ""
    ok, err = write_and_record(db, actor, reader, image, expect=card_no, purchase_id=pid)
    via = f"（换表工单 {linked}）" if linked else ""
    via_en = f" (order {linked})" if linked else ""
    return {"card_no": card_no, "old_meter_no": old_meter, "meter_no": new_meter_no,
            "seq": seq, "volume": money.fmt_qty(vol), "written": ok, "order_no": linked,
            "message": (i18n.pick(
                f"已换表{via}：旧表剩余 {money.fmt_qty(vol)} 立方米作为第 {seq} 次购气写入卡内（零价）",
                f"Meter changed{via_en}: the old meter's {money.fmt_qty(vol)} m³ written to the "
                f"card as purchase {seq} (free)") if ok else
                i18n.pick(f"换表已登记{via}，但写卡失败（{err}）：请重新插卡读卡补写",
                          f"Meter change recorded{via_en}, but the card was not written ({err}): "
                          "insert the card again and read it to write it"))}


def _meter_order(s, acc: Account, card: Card, order_no: str) -> WorkOrder:
    """The done 换表 order ``order_no`` of this account, not yet followed by a card."""
    o = s.execute(select(WorkOrder).where(WorkOrder.hall_id == acc.hall_id,
                                          WorkOrder.number == order_no)).scalar()
    if o is None or o.kind != "meter_change" or o.account_no != acc.account_no:
        raise NotFound(f"工单号 {order_no} 不是户号 {acc.account_no} 的换表工单",
                       f"{order_no} is not a meter change order of account {acc.account_no}",
                       field="order")
    if o.result != "done":
        raise Conflict(f"换表工单 {order_no} 尚未完成，不能办理卡换表",
                       f"Meter change order {order_no} is not done", field="order")
    done = s.execute(select(CardPurchase.seq).where(CardPurchase.account_id == acc.id,
                                                    CardPurchase.order_number == o.number)
                     ).scalar()
    if done is not None:
        raise Conflict(f"换表工单 {order_no} 已办理过卡换表（第 {done} 次购气）",
                       f"Order {order_no} was already followed by the card (purchase {done})",
                       field="order")
    return o
