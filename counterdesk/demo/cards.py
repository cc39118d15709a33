"""Demo data of the IC card capability: the price items it sells (idempotent)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from .. import billing
from ..db import Database
from ..models import Hall
from ..models.billing import PriceItem
from ..staff import Actor

_FROM = dt.date(2026, 1, 1)
ITEMS = [
    billing.PriceInput("GAS-IC", "IC卡居民天然气", 280, _FROM, "gas", "立方米",
                       tiers=[(Decimal(0), 280), (Decimal(400), 336), (Decimal(1200), 420)],
                       note="IC 卡预付费，阶梯气价按年购气量"),
    billing.PriceInput("GAS-IC-N", "IC卡非居民天然气", 365, _FROM, "gas", "立方米",
                       note="IC 卡预付费"),
    billing.PriceInput("CARD-NEW", "IC卡开户发卡工本费", 1000, _FROM, "service", "张",
                       note="开户首次发卡"),
]


def seed_demo(db: Database, hall_code: str) -> dict:
    with db.read() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar_one()
        have = set(s.execute(select(PriceItem.code).where(PriceItem.hall_id == hall.id))
                   .scalars())
    system = Actor(0, "system", "系统", "admin", hall.id, hall_code)
    added = 0
    for inp in ITEMS:
        if inp.code not in have:
            billing.set_price(db, system, inp, reason="演示价目表（IC卡）")
            added += 1
    return {"price_items": added}
