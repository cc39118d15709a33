"""The meter's side of a card read: the figures the meter wrote back onto the card (回抄),
kept as readings, and a meter changed by a 换表 work order that the card does not know yet.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from .. import clock
from ..models.accounts import Account
from ..models.cards import Card, MeterReading
from ..orders import gates as order_gates
from ..staff import Actor
from .drivers import CardImage

_READING_COLS = (MeterReading.meter_no, MeterReading.meter_seq, MeterReading.remaining,
                 MeterReading.cumulative, MeterReading.alarms)
_LAST_READING = (select(*_READING_COLS)
                 .where(MeterReading.account_id == bindparam("r_acc"),
                        MeterReading.source == "card")
                 .order_by(MeterReading.id.desc()).limit(1))
_INSERT_READING = insert(MeterReading.__table__)


def reading(s: Session, actor: Actor, card: Card, acc: Account, image: CardImage) -> None:
    """Keep the meter's figures (回抄) when they changed since the last reading."""
    if image.meter_seq == 0 and Decimal(image.cumulative) == 0 and Decimal(image.remaining) == 0:
        return
    last = s.execute(_LAST_READING, {"r_acc": acc.id}).first()
    figures = (image.meter_no, image.meter_seq, Decimal(image.remaining),
               Decimal(image.cumulative), image.alarms)
    if last is not None and (last[0], last[1], Decimal(last[2]), Decimal(last[3]),
                             last[4]) == figures:
        return
    s.execute(_INSERT_READING, {"account_id": acc.id, "card_id": card.id,
                                "meter_no": image.meter_no, "source": "card",
                                "remaining": figures[2], "cumulative": figures[3],
                                "alarms": image.alarms, "meter_seq": image.meter_seq,
                                "staff_no": actor.staff_no, "read_at": clock.now()})


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
