"""The demo hall's published price list (incl. 阶梯气价)."""

from __future__ import annotations

from .. import hall as halls
from .. import resources_access
from ..billing.pricelist_csv import import_csv
from ..db import Database
from ..staff import Actor


def seed_demo(db: Database, hall_code: str) -> dict:
    """The demo hall's published price list (incl. 阶梯气价); idempotent."""
    with db.read() as s:
        hall_id = halls.get(s, hall_code).id
    system = Actor(0, "system", "系统", "admin", hall_id, hall_code)
    counts = import_csv(db, system, resources_access.read_text("pricelist", "demo_prices.csv"),
                        reason="演示价目表")
    return {"price_items": counts}
