"""What every card service shares: the hall's card key and policy, the card read with its
reconciliation against the database (回抄, take-up, rewrite of a purchase "to write"),
and the write of an image followed by its record.

The database is the truth for money; the card is brought in line with it. Reading a card
(:func:`read_card`) therefore also *writes* the card when a purchase committed with its
payment is not on it yet — with the same sequence, so the meter can never take it twice.
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import DateTime, Row, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, clock, i18n, money, policy
from ..db import Database
from ..errors import Conflict, NotFound
from ..models import Hall
from ..models.accounts import Account, Holder
from ..models.cards import Card, CardKey, CardPurchase
from ..privacy import mask_name
from ..staff import Actor
from . import layout
from .drivers import CardImage, CardReader
from .meters import meter_change_due, reading
from .writing import write_and_record

STATE_ZH = {"to_write": "待写卡", "written": "已写卡未输表", "taken": "表具已输入",
            "cancelling": "退购中", "cancelled": "已退购"}
STATE_EN = {"to_write": "To write", "written": "Written, not taken", "taken": "Taken by the meter",
            "cancelling": "Cancelling", "cancelled": "Cancelled"}


# the hall policy a purchase needs, read in one SELECT (:func:`limits`)
LIMIT_KEYS = ("card.volume_decimals", "card.max_volume_per_purchase",
              "card.max_volume_per_year", "billing.single_payment_limit_fen")


def limit(session: Session, hall_id: int, key: str):
    """A hall policy value (the one place the card capability reads hall policy)."""
    return policy.get(session, hall_id, key)


def limits(session: Session, hall_id: int) -> dict:
    """The card rules of the hall (:data:`LIMIT_KEYS`) in one SELECT."""
    return policy.get_many(session, hall_id, LIMIT_KEYS)


# engine -> {hall: key}; a hall's key never changes once made (weak: a disposed
# database's entries go with its engine); likewise a hall's code
_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
    cache = _CODES.setdefault(s.get_bind(), {})
    code = cache.get(hall_id)
    if code is None:
        code = cache[hall_id] = s.get_one(Hall, hall_id).code
    return code


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


class Owed(NamedTuple):
    """A purchase as an image needs it (a row not loaded through the ORM)."""

    seq: int
    volume: Decimal
    state: str


def image_for(s: Session, card: Card, acc: Account, p: CardPurchase | Owed | None, *,
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
    # a done 换表 work order moved the account to a new meter, the card is still bound to
    # the old one: {"order_no", "old_meter_no", "new_meter_no", "card_meter_no", "message"}
    # (no gas is sold onto the card until its meter change, :func:`cards.meter_change`)
    meter_change_due: dict | None = None
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
    taken: Sequence[Row[Any]] = ()   # purchases marked taken (their new rows)

    @property
    def card(self) -> Card:
        return self.refs[0]

    @property
    def account(self) -> Account:
        return self.refs[1]


def _refuse(zh: str, en: str) -> Conflict:
    return Conflict(zh, en, field="card")


# the card with its account and holder, the card row locked (PostgreSQL; SQLite's write
# transaction is the lock): one statement, built once
_CARD_Q = (select(Card, Account, Holder).join(Account, Account.id == Card.account_id)
           .join(Holder, Holder.id == Account.holder_id)
           .where(Card.card_no == bindparam("c_no")).with_for_update(of=Card.__table__))


def check_card(s: Session, actor: Actor, image: CardImage) -> tuple[Card, Account, Holder]:
    """The card's record, refusing a card of another hall, a replaced card, a wrong MAC
    or an account/meter that does not match."""
    row = s.execute(_CARD_Q, {"c_no": image.card_no}).first()
    if row is None:
        raise NotFound(f"卡号 {image.card_no} 未在本系统登记，不能办理",
                       f"Card {image.card_no} is not registered here", field="card")
    card, acc, holder = row
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
    if image.account_no != acc.account_no:
        raise _refuse(f"卡内户号 {image.account_no} 与登记户号 {acc.account_no} 不符，拒绝办理",
                      f"The card's account {image.account_no} is not {acc.account_no}")
    return card, acc, holder


_PT = CardPurchase.__table__
_P = aliased(CardPurchase)
# the purchases a read may move on: those on a card not yet taken, and the last one
_OPEN_PURCHASES = (select(CardPurchase)
                   .where(CardPurchase.account_id == bindparam("p_acc"),
                          or_(CardPurchase.state == "written",
                              CardPurchase.seq == select(func.max(_P.seq))
                              .where(_P.account_id == bindparam("p_acc")).scalar_subquery()))
                   .order_by(CardPurchase.seq))
# the meter took them: one UPDATE returning their covered content for the audit event
_MARK_TAKEN = (update(_PT).where(_PT.c.account_id == bindparam("t_acc"),
                                 _PT.c.state == "written", _PT.c.seq <= bindparam("t_seq"))
               .values(state="taken", taken_at=bindparam("t_now", type_=DateTime))
               .returning(*audit.returning(_PT)))


def reconcile(s: Session, actor: Actor, image: CardImage) -> _Plan:
    card, acc, holder = check_card(s, actor, image)
    now = clock.now()
    if card.status == "to_write":      # written, but the record of it was lost
        card.status, card.written_at = "active", now
    reading(s, actor, card, acc, image)
    # purchases the meter has taken (it writes its last sequence back onto the card)
    rows = s.execute(_OPEN_PURCHASES, {"p_acc": acc.id}).scalars().all()
    taken = [p for p in rows if p.state == "written" and p.seq <= image.meter_seq]
    if taken:
        fetched = s.execute(_MARK_TAKEN, {"t_acc": acc.id, "t_seq": image.meter_seq,
                                          "t_now": now}).all()
        for p in taken:       # the loaded rows as the UPDATE left them
            set_committed_value(p, "state", "taken")
            set_committed_value(p, "taken_at", now)
    last = rows[-1] if rows else None
    st = CardState(False, card.card_no, acc.account_no, mask_name(holder.name, holder.kind),
                   card.meter_no, image.purchase_seq, money.fmt_qty(image.pending_volume),
                   image.meter_taken, last.state if last else "", image.total_bought,
                   image.remaining, image.cumulative, image.alarms)
    st.image = image
    st.meter_change_due = meter_change_due(s, card, acc)
    if st.meter_change_due is not None:
        st.messages.append(i18n.pick(st.meter_change_due["message"], st.meter_change_due["message_en"]))
    plan = _Plan(st, expect=card.card_no, image=image, card_id=card.id, last=last,
                 refs=(card, acc, holder), taken=fetched if taken else ())
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


def taken_rows(plan: _Plan) -> list:
    """The audit rows of the purchases the read marked taken (for the transaction's
    event: the purchase's payment event, or :func:`record_read`)."""
    return [audit.Fetched(_PT, plan.taken)] if plan.taken else []


def record_read(s: Session, actor: Actor, plan: _Plan) -> None:
    """The event of a read that changed purchases (the meter took them): it vouches for
    them and for any other row the read changed."""
    if plan.taken:
        actor.audit(s, "card.read", {"card_no": plan.expect,
                                     "taken": [r._mapping["seq"] for r in plan.taken]},
                    rows=taken_rows(plan))


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
            seq = plan.write.purchase_seq
            st.messages.append(i18n.pick(f"已补写第 {seq} 次购气到卡上",
                                         f"Purchase {seq} written to the card")
                               if plan.write.purchase_state == "pending" else
                               i18n.pick(f"已清除卡内第 {seq} 次购气（已退购）",
                                         f"Purchase {seq} cleared from the card (cancelled)"))
        else:
            st.to_write_id = plan.purchase_id
            st.messages.append(i18n.pick(
                f"第 {plan.write.purchase_seq} 次购气尚未写卡（{err}）；"
                "款已收，卡内尚无此气量，请重新插卡后读卡补写",
                f"Purchase {plan.write.purchase_seq} is not on the card yet ({err}); it is "
                "paid: insert the card again and read it to write it"))
        with db.read() as s:
            p = s.get_one(CardPurchase, plan.purchase_id)
            st.last_state = p.state
    if not st.meter_taken:
        st.messages.append(i18n.pick(
            f"卡内第 {st.purchase_seq} 次购气 {st.pending_volume} 立方米尚未输入表具",
            f"Purchase {st.purchase_seq} ({st.pending_volume} m³) is not yet taken by the meter"))
    return st


def read_card(db: Database, actor: Actor, reader: CardReader, *,
              expect_account: str | None = None) -> CardState:
    """读卡: the card's state; keeps the meter's figures; writes a purchase still "to
    write" (same sequence) and records it. ``expect_account``: the account the clerk is
    serving — a card of another account is refused before anything is done."""
    image = take_image(reader, expect_account)
    if image.blank:
        return CardState(True, messages=[i18n.pick("空白卡（未发卡）", "Blank card (not issued)")])
    with db.write() as s:
        plan = reconcile(s, actor, image)
        record_read(s, actor, plan)
    return finish_plan(db, actor, reader, plan)

