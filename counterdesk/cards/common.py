"""What every card service shares: the hall's card key and policy, the card read with its
reconciliation against the database (回抄, take-up, rewrite of a purchase "to write"),
and the write of an image followed by its record.

The database is the truth for money; the card is brought in line with it. Reading a card
(:func:`read_card`) therefore also *writes* the card when a purchase committed with its
payment is not on it yet — with the same sequence, so the meter can never take it twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
import weakref
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock, money, policy
from ..db import Database
from ..errors import Conflict, NotFound
from ..models import Hall
from ..models.accounts import Account
from ..models.cards import Card, CardKey, CardPurchase, MeterReading
from ..privacy import mask_name
from ..staff import Actor
from . import layout, sale
from .drivers import CardError, CardImage, CardReader

STATE_ZH = {"to_write": "待写卡", "written": "已写卡未输表", "taken": "表具已输入",
            "cancelling": "退购中", "cancelled": "已退购"}


def limit(session: Session, hall_id: int, key: str):
    """A hall policy value (the one place the card capability reads hall policy)."""
    return policy.get(session, hall_id, key)


# engine -> {hall: key}; a hall's key never changes once made (weak: a disposed
# database's entries go with its engine)
_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hall_key(s: Session, hall_id: int) -> str:
    """The hall's MAC key, made on first use."""
    cache = _KEYS.setdefault(s.get_bind(), {})
    if hall_id in cache:
        return cache[hall_id]
    row = s.get(CardKey, hall_id)
    if row is None:
        row = CardKey(hall_id=hall_id, mac_key=secrets.token_hex(16))
        s.add(row)
        s.flush()
        return row.mac_key     # cached once committed and read again
    cache[hall_id] = row.mac_key
    return row.mac_key


def hall_code(s: Session, hall_id: int) -> str:
    return s.get_one(Hall, hall_id).code


def lock(s: Session, q):
    return q.with_for_update() if s.get_bind().dialect.name == "postgresql" else q


def last_purchase(s: Session, account_id: int) -> CardPurchase | None:
    return s.execute(select(CardPurchase).where(CardPurchase.account_id == account_id)
                     .order_by(CardPurchase.seq.desc()).limit(1)).scalar()


def total_bought(s: Session, account_id: int, up_to_seq: int) -> Decimal:
    v = s.execute(select(func.coalesce(func.sum(CardPurchase.volume), 0)).where(
        CardPurchase.account_id == account_id, CardPurchase.seq <= up_to_seq,
        CardPurchase.state != "cancelled")).scalar()
    return Decimal(v or 0)


def image_for(s: Session, card: Card, acc: Account, p: CardPurchase | None, *,
              base: CardImage | None = None, state: str | None = None,
              total: Decimal | None = None) -> CardImage:
    """The signed image a card must hold for purchase ``p`` (None: the card's start),
    keeping the meter's figures of ``base``."""
    base = base or CardImage()
    if p is None:
        seq, vol, st = card.start_seq, "0", "none" if card.start_seq == 0 else "taken"
    else:
        seq, vol = p.seq, money.fmt_qty(p.volume)
        st = state or {"cancelled": "cancelled", "taken": "taken"}.get(p.state, "pending")
    img = base.but(card_no=card.card_no, hall_code=hall_code(s, card.hall_id),
                   account_no=acc.account_no, meter_no=card.meter_no, purchase_seq=seq,
                   purchase_volume=vol, purchase_state=st,
                   total_bought=money.fmt_qty(total if total is not None
                                              else total_bought(s, acc.id, seq)))
    if base.meter_no and base.meter_no != card.meter_no:   # a new meter: no figures yet
        img = img.but(meter_seq=0, remaining="0", cumulative="0", alarms=0)
    return layout.sign(hall_key(s, card.hall_id), img)


@dataclass
class CardState:
    """What the clerk sees after a read."""

    blank: bool
    card_no: str = ""
    account_no: str = ""
    holder: str = ""
    meter_no: str = ""
    purchase_seq: int = 0
    pending_volume: str = "0"
    meter_taken: bool = True
    last_state: str = ""          # the last purchase's state in the database
    total_bought: str = "0"
    remaining: str = "0"
    cumulative: str = "0"
    alarms: int = 0
    to_write_id: int | None = None   # a purchase the read could not write (still 'to write')
    wrote_seq: int | None = None     # the read wrote this purchase onto the card
    takeup_unknown: bool = False
    messages: list[str] = field(default_factory=list)
    image: CardImage | None = field(default=None, repr=False)   # what the card holds now

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("image")
        return d


@dataclass
class _Plan:
    state: CardState
    write: CardImage | None = None
    purchase_id: int | None = None
    expect: str = ""
    image: CardImage | None = None
    card_id: int | None = None
    last: CardPurchase | None = None
    refs: tuple = ()      # the rows read, kept alive in the session's identity map


def _refuse(zh: str, en: str) -> Conflict:
    return Conflict(zh, en, field="card")


def check_card(s: Session, actor: Actor, image: CardImage) -> tuple[Card, Account]:
    """The card's record, refusing a card of another hall, a replaced card, a wrong MAC
    or an account/meter that does not match."""
    card = s.execute(lock(s, select(Card).where(Card.card_no == image.card_no))).scalar()
    if card is None:
        raise NotFound(f"卡号 {image.card_no} 未在本系统登记，不能办理",
                       f"Card {image.card_no} is not registered here", field="card")
    if card.hall_id != actor.hall_id or image.hall_code != hall_code(s, actor.hall_id):
        raise _refuse(f"卡号 {image.card_no} 属于其他营业厅，请到发卡营业厅办理",
                      f"Card {image.card_no} belongs to another hall")
    if card.status == "replaced":
        raise _refuse(f"卡号 {image.card_no} 已补卡作废，不能再使用，请收回此卡",
                      f"Card {image.card_no} was replaced by a new card; keep it back")
    if not layout.mac_ok(hall_key(s, card.hall_id), image):
        raise _refuse(f"卡号 {image.card_no} 的购气记录校验失败（MAC 不符），卡片可能被改动，拒绝办理；"
                      "客户卡内气量不变",
                      f"Card {image.card_no}: the purchase record fails its MAC (edited outside "
                      "the program); refused, nothing changed")
    acc = s.get_one(Account, card.account_id)
    if image.account_no != acc.account_no:
        raise _refuse(f"卡内户号 {image.account_no} 与登记户号 {acc.account_no} 不符，拒绝办理",
                      f"The card's account {image.account_no} is not {acc.account_no}")
    return card, acc


def reading(s: Session, actor: Actor, card: Card, acc: Account, image: CardImage) -> None:
    """Keep the meter's figures (回抄) when they changed since the last reading."""
    if image.meter_seq == 0 and Decimal(image.cumulative) == 0 and Decimal(image.remaining) == 0:
        return
    last = s.execute(select(MeterReading).where(MeterReading.account_id == acc.id,
                                                MeterReading.source == "card")
                     .order_by(MeterReading.id.desc()).limit(1)).scalar()
    figures = (image.meter_no, image.meter_seq, Decimal(image.remaining),
               Decimal(image.cumulative), image.alarms)
    if last is not None and (last.meter_no, last.meter_seq, Decimal(last.remaining),
                             Decimal(last.cumulative), last.alarms) == figures:
        return
    s.add(MeterReading(account_id=acc.id, card_id=card.id, meter_no=image.meter_no,
                       source="card", remaining=figures[2], cumulative=figures[3],
                       alarms=image.alarms, meter_seq=image.meter_seq,
                       staff_no=actor.staff_no, read_at=clock.now()))


def reconcile(s: Session, actor: Actor, image: CardImage) -> _Plan:
    card, acc = check_card(s, actor, image)
    now = clock.now()
    if card.status == "to_write":      # written, but the record of it was lost
        card.status, card.written_at = "active", now
    reading(s, actor, card, acc, image)
    # purchases the meter has taken (it writes its last sequence back onto the card)
    for p in s.execute(select(CardPurchase).where(
            CardPurchase.account_id == acc.id, CardPurchase.state == "written",
            CardPurchase.seq <= image.meter_seq)).scalars():
        p.state, p.taken_at = "taken", now
    last = last_purchase(s, acc.id)
    st = CardState(False, card.card_no, acc.account_no, mask_name(acc.holder.name, acc.holder.kind),
                   card.meter_no, image.purchase_seq, money.fmt_qty(image.pending_volume),
                   image.meter_taken, last.state if last else "", image.total_bought,
                   image.remaining, image.cumulative, image.alarms)
    st.image = image
    plan = _Plan(st, expect=card.card_no, image=image, card_id=card.id, last=last,
                 refs=(card, acc, acc.holder, s.get(Hall, card.hall_id)))
    expected = last.seq if last else card.start_seq
    seq = image.purchase_seq
    meter_moved = (last is not None and last.kind == "meter_change" and last.state == "to_write")
    if image.meter_no != card.meter_no and not meter_moved:
        raise _refuse(f"卡内表号 {image.meter_no} 与登记表号 {card.meter_no} 不符，拒绝办理",
                      f"The card's meter {image.meter_no} is not {card.meter_no}")
    if last is None and seq == expected:
        return plan
    if last is not None and seq == expected and last.state == "taken":
        if image.purchase_state == "pending" and seq <= image.meter_seq:
            st.meter_taken = True
        return plan
    if last is None:
        return _stale_or_future(seq, expected)
    if seq == last.seq:
        if image.purchase_state == "pending" and image.meter_seq >= seq:
            image = image.but(purchase_state="taken")   # the meter refused it as a repeat
        if image.purchase_state == "taken":
            if last.state in ("to_write", "written", "cancelling"):
                last.state, last.taken_at = "taken", now
                if last.written_at is None:
                    last.written_at = now
            st.last_state = last.state
            return plan
        if image.purchase_state == "pending":
            if last.state == "to_write":
                last.state, last.written_at = "written", now
            elif last.state == "cancelled":   # the card clear did not reach the card
                plan.write, plan.purchase_id = image_for(s, card, acc, last, base=image), last.id
            elif last.state == "cancelling" and _reversed(s, last):
                last.state, last.cancelled_at = "cancelled", now
                plan.write, plan.purchase_id = image_for(s, card, acc, last, base=image), last.id
            elif last.state == "cancelling":
                last.state = "written"        # the cancel stopped before the card was cleared
            st.last_state = last.state
            st.takeup_unknown = last.takeup_unknown
            return plan
        # the card says cancelled
        if last.state == "cancelling" and _reversed(s, last):
            last.state, last.cancelled_at = "cancelled", now
        elif last.state in ("to_write", "written", "cancelling"):
            # the cancel stopped before its reversal: the customer still owns the gas
            last.state = "to_write"
            plan.write, plan.purchase_id = image_for(s, card, acc, last, base=image), last.id
        st.last_state = last.state
        return plan
    if seq == last.seq - 1 and last.state == "cancelled":   # cancelled before its write
        return plan
    if seq == last.seq - 1 and last.state == "to_write":
        plan.write, plan.purchase_id = image_for(s, card, acc, last, base=image), last.id
        return plan
    return _stale_or_future(seq, expected)


def _stale_or_future(seq: int, expected: int):
    if seq < expected:
        raise _refuse(f"卡内购气次数 {seq} 落后于系统记录 {expected}（旧卡或复制的卡），拒绝办理；"
                      "请核实客户持有的卡", f"The card's purchase sequence {seq} is behind the "
                      f"record {expected} (an old or copied card); refused")
    raise _refuse(f"卡内购气次数 {seq} 超前于系统记录 {expected}，卡片异常，拒绝办理",
                  f"The card's purchase sequence {seq} is ahead of the record {expected}; "
                  "refused")


def _reversed(s: Session, p: CardPurchase) -> bool:
    from ..models.billing import Payment

    if p.payment_id is None:
        return True
    rev = s.execute(select(Payment.id).where(Payment.original_payment_id == p.payment_id)
                    .limit(1)).scalar()
    if rev is not None:
        p.reversal_payment_id = rev
    return rev is not None


def write_and_record(db: Database, actor: Actor, reader: CardReader, image: CardImage, *,
                     expect: str, purchase_id: int | None = None, card_id: int | None = None,
                     key: str | None = None, job_id: int | None = None,
                     receipt: dict | None = None) -> tuple[bool, str]:
    """Write ``image``; on success record it (purchase 'written', card 'active', receipt
    ``job_id`` marked). Returns (written, message); a failed write is recorded as an
    attempt. ``key``: the hall's card key (read here when not given)."""
    if key is None:
        with db.read() as s:
            hall_id = s.execute(select(Card.hall_id).where(Card.card_no == image.card_no)
                                ).scalar()
            key = s.get_one(CardKey, hall_id).mac_key if hall_id is not None else ""
    try:
        reader.write(image, expect_card_no=expect, key=key)
        ok, err = True, ""
    except CardError as exc:
        ok, err = False, exc.message
    now = clock.now()
    with db.write() as s:
        p = s.get(CardPurchase, purchase_id) if purchase_id else None
        if p is not None:
            p.write_attempts += 1
            p.last_error = err[:200]
            if ok and p.state == "to_write":
                p.state, p.written_at = "written", now
            if ok and p.payment_id and receipt is not None and job_id is not None:
                sale.set_receipt_params(s, job_id, {**receipt, "card": {
                    **receipt.get("card", {}), "written": True}})
            elif ok and p.payment_id:
                _mark_receipt(s, p.payment_id, job_id)
        c = s.get(Card, card_id) if card_id else None
        if c is not None and ok and c.status == "to_write":
            c.status, c.written_at = "active", now
            if c.payment_id:          # the card fee's receipt: the card is written
                _mark_receipt(s, c.payment_id, None)
        if ok and p is None:     # a purchase's write is its row's written_at
            actor.audit(s, "card.written", {"card_no": image.card_no,
                                            "seq": image.purchase_seq,
                                            "state": image.purchase_state})
    return ok, err


def _mark_receipt(s: Session, payment_id: int, job_id: int | None) -> None:
    if job_id is None:
        from ..models.billing import PrintJob, Receipt

        job_id = s.execute(select(PrintJob.id).join(Receipt, Receipt.id == PrintJob.receipt_id)
                           .where(Receipt.payment_id == payment_id)
                           .order_by(PrintJob.id).limit(1)).scalar()
    if job_id is not None:
        sale.set_receipt_card(s, job_id, {"written": True})


def take_image(reader: CardReader, expect_account: str | None = None) -> CardImage:
    """Read the card, refusing at once a card of another account than the one served."""
    image = reader.read()
    if not image.blank and expect_account and image.account_no != expect_account.strip():
        raise _refuse(f"此卡属于户号 {image.account_no}，不是正在办理的户号 {expect_account}，"
                      "请核对客户的卡", f"This card belongs to {image.account_no}, not "
                      f"{expect_account}")
    return image


def finish_plan(db: Database, actor: Actor, reader: CardReader, plan: _Plan) -> CardState:
    """Carry out the card write a reconciliation asked for and say what the card holds."""
    st = plan.state
    if plan.write is not None:
        ok, err = write_and_record(db, actor, reader, plan.write, expect=plan.expect,
                                   purchase_id=plan.purchase_id, card_id=plan.card_id)
        if ok:
            st.purchase_seq = plan.write.purchase_seq
            st.pending_volume = money.fmt_qty(plan.write.pending_volume)
            st.meter_taken = plan.write.meter_taken
            st.total_bought = plan.write.total_bought
            st.wrote_seq = plan.write.purchase_seq
            st.image = plan.write
            st.messages.append(f"已补写第 {plan.write.purchase_seq} 次购气到卡上"
                               if plan.write.purchase_state == "pending" else
                               f"已清除卡内第 {plan.write.purchase_seq} 次购气（已退购）")
        else:
            st.to_write_id = plan.purchase_id
            st.messages.append(f"第 {plan.write.purchase_seq} 次购气尚未写卡（{err}）；"
                               "款已收，卡内尚无此气量，请重新插卡后读卡补写")
        with db.read() as s:
            p = s.get_one(CardPurchase, plan.purchase_id)
            st.last_state = p.state
    if not st.meter_taken:
        st.messages.append(f"卡内第 {st.purchase_seq} 次购气 {st.pending_volume} 立方米尚未输入表具")
    return st


def read_card(db: Database, actor: Actor, reader: CardReader, *,
              expect_account: str | None = None) -> CardState:
    """读卡: the card's state; keeps the meter's figures; writes a purchase still "to
    write" (same sequence) and records it. ``expect_account``: the account the clerk is
    serving — a card of another account is refused before anything is done."""
    image = take_image(reader, expect_account)
    if image.blank:
        return CardState(True, messages=["空白卡（未发卡）"])
    with db.write() as s:
        plan = reconcile(s, actor, image)
    return finish_plan(db, actor, reader, plan)


def year_volume(s: Session, account_id: int, day: dt.date) -> Decimal:
    v = s.execute(select(func.coalesce(func.sum(CardPurchase.volume), 0)).where(
        CardPurchase.account_id == account_id, CardPurchase.kind == "sale",
        CardPurchase.state != "cancelled",
        CardPurchase.business_day >= dt.date(day.year, 1, 1),
        CardPurchase.business_day < dt.date(day.year + 1, 1, 1))).scalar()
    return Decimal(v or 0)
