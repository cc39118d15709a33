"""The meter's side of a card read: the figures the meter wrote back onto the card (回抄),
kept as readings, and a meter changed by a 换表 work order that the card does not know yet.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, exists, insert, literal, select
from sqlalchemy.orm import Session

from .. import clock
from ..models.accounts import Account
from ..models.cards import Card, MeterReading
from ..orders import gates as order_gates
from ..staff import Actor
from .drivers import CardImage

_MR = MeterReading.__table__
_R1, _R2 = _MR.alias("r1"), _MR.alias("r2")
# the account's latest reading from a card, unless it already holds these figures
_SAME_AS_LAST = exists().where(
    _R2.c.id == select(_R1.c.id).where(_R1.c.account_id == bindparam("r_acc"),
                                       _R1.c.source == "card")
    .order_by(_R1.c.id.desc()).limit(1).scalar_subquery(),
    _R2.c.meter_no == bindparam("r_meter"), _R2.c.meter_seq == bindparam("r_seq"),
    _R2.c.remaining == bindparam("r_rem"), _R2.c.cumulative == bindparam("r_cum"),
    _R2.c.alarms == bindparam("r_alarms"))
# the figures kept when they changed: one INSERT … SELECT … WHERE NOT EXISTS, built once
_INSERT_CHANGED = insert(_MR).from_select(
    ["account_id", "card_id", "meter_no", "source", "remaining", "cumulative", "alarms",
     "meter_seq", "staff_no", "read_at"],
    select(bindparam("r_acc", type_=_MR.c.account_id.type),
           bindparam("r_card", type_=_MR.c.card_id.type),
           bindparam("r_meter", type_=_MR.c.meter_no.type), literal("card", _MR.c.source.type),
           bindparam("r_rem", type_=_MR.c.remaining.type),
           bindparam("r_cum", type_=_MR.c.cumulative.type),
           bindparam("r_alarms", type_=_MR.c.alarms.type),
           bindparam("r_seq", type_=_MR.c.meter_seq.type),
           bindparam("r_staff", type_=_MR.c.staff_no.type),
           bindparam("r_now", type_=_MR.c.read_at.type)).where(~_SAME_AS_LAST))


def reading(s: Session, actor: Actor, card: Card, acc: Account, image: CardImage) -> None:
    """Keep the meter's figures (回抄) when they changed since the last reading (one
    statement)."""
    if image.meter_seq == 0 and Decimal(image.cumulative) == 0 and Decimal(image.remaining) == 0:
        return
    s.execute(_INSERT_CHANGED, {"r_acc": acc.id, "r_card": card.id, "r_meter": image.meter_no,
                                "r_rem": Decimal(image.remaining),
                                "r_cum": Decimal(image.cumulative), "r_alarms": image.alarms,
                                "r_seq": image.meter_seq, "r_staff": actor.staff_no,
                                "r_now": clock.now()})


def meter_change_due(s: Session, card: Card, acc: Account) -> dict | None:
    """The account's meter is no longer the card's (a done 换表 order moved it): what the
    clerk must do, or None. No gas is sold onto such a card (:func:`purchase.buy`)."""
    if acc.meter_no == card.meter_no:
        return None
    o = order_gates.done_meter_change(s, acc.hall_id, acc.account_no, acc.meter_no)
    if o is None:
        return {"order_no": "", "old_meter_no": card.meter_no, "new_meter_no": acc.meter_no,
                "card_meter_no": card.meter_no,
                "message": f"户号 {acc.account_no} 登记的表号为 {acc.meter_no}，卡内表号为 "
                           f"{card.meter_no}，二者不符：请核实表具并办理 IC 卡换表后再购气",
                "message_en": f"Account {acc.account_no} has meter {acc.meter_no}, the card "
                              f"{card.meter_no}: check the meter and change the card's meter "
                              "before selling gas"}
    return {"order_no": o.number, "old_meter_no": o.old_meter_no or card.meter_no,
            "new_meter_no": o.new_meter_no, "card_meter_no": card.meter_no,
            "message": f"换表工单 {o.number} 已完成（旧表 {o.old_meter_no or card.meter_no} → 新表 "
                       f"{o.new_meter_no}），此卡仍绑定旧表 {card.meter_no}：请先办理 IC 卡换表"
                       f"（卡换表，关联工单 {o.number}），办理前不能购气",
            "message_en": f"Meter change order {o.number} is done ({card.meter_no} → "
                          f"{o.new_meter_no}) but the card is still bound to the old meter: "
                          "do the card's meter change first; no gas is sold until then"}
