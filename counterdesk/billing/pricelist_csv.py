"""The price list as a CSV file: import (all rows or none) and export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from .. import hall as halls
from .. import money, validators
from ..accounts.types import CustomerTypes, hall_types
from ..db import Database
from ..errors import ValidationError
from ..staff import Actor, require_manager
from .prices import PriceInput, _set_price, list_prices

# customer_types (optional): the types an item applies to, by the hall's names or codes
# (policy accounts.customer_types), e.g. "居民" or "商业;工业"
CSV_COLUMNS = ["code", "name", "category", "unit", "unit_price", "effective_from",
               "effective_to", "tiers", "note", "customer_types"]


def parse_tiers(text: str, where: str = "tiers") -> list[tuple[Decimal, int]]:
    """``"0:2.80;400:3.36;1200:4.20"`` → ``[(0, 280), (400, 336), (1200, 420)]``."""
    out = []
    for part in re.split(r"[;,，；]", text or ""):
        part = part.strip()
        if not part:
            continue
        vol, sep, price = part.partition(":")
        if not sep:
            raise ValidationError(f"{where}：阶梯 {part!r} 应写成 起点用量:单价，如 400:3.36",
                                  f"{where}: tier {part!r} must be VOLUME:PRICE, e.g. 400:3.36",
                                  field="tiers")
        try:
            v = Decimal(vol.strip())
        except Exception:  # noqa: BLE001
            raise ValidationError(f"{where}：阶梯起点 {vol!r} 不是数字",
                                  f"{where}: tier volume {vol!r} is not a number",
                                  field="tiers") from None
        out.append((v, money.parse_yuan(price, field="tiers")))
    return out


def format_tiers(tiers) -> str:
    return ";".join(f"{money.fmt_qty(Decimal(v))}:{money.fmt(p, group=False)}" for v, p in tiers)


def parse_csv(text: str, types: CustomerTypes | None = None) -> list[PriceInput]:
    """Read a price-list CSV (UTF-8, header row; see :data:`CSV_COLUMNS`); the
    ``customer_types`` column by the hall's ``types`` (codes or names; default the usual
    five)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:6] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"价目表 CSV 缺少列：{', '.join(missing)}（需要 {','.join(CSV_COLUMNS)}）",
                              f"Price-list CSV lacks columns: {', '.join(missing)} "
                              f"(expected {','.join(CSV_COLUMNS)})", field="file")
    items = []
    for n, row in enumerate(reader, start=2):
        where = f"第 {n} 行" 
        try:
            frm = validators.date(row.get("effective_from", ""), "effective_from")
            if frm is None:
                raise ValidationError(f"{where}：缺少生效日期", f"line {n}: no start date",
                                      field="effective_from")
            inp = PriceInput(
                code=row.get("code", ""), name=row.get("name", ""),
                category=(row.get("category") or "other").strip(),
                unit=row.get("unit", ""),
                unit_price_fen=money.parse_yuan(row.get("unit_price", ""), field="unit_price"),
                effective_from=frm,
                effective_to=validators.date(row.get("effective_to", ""),
                                              "effective_to"),
                tiers=parse_tiers(row.get("tiers", ""), where), note=row.get("note", "") or "",
                customer_types=row.get("customer_types", "") or "")
            items.append(inp.normalised(types))
        except ValidationError as exc:
            raise ValidationError(f"价目表第 {n} 行：{exc.zh}", f"price list line {n}: {exc.en}",
                                  field=exc.field) from None
    if not items:
        raise ValidationError("价目表 CSV 没有数据行", "The price-list CSV has no rows", field="file")
    return items


def import_csv(db: Database, actor: Actor, text: str, *, reason: str = "") -> dict:
    """Import a price list: all rows or none. Rows identical to what exists are skipped."""
    require_manager(actor)
    counts = {"add": 0, "change": 0, "unchanged": 0}
    with db.write() as s:
        hall = halls.get(s, actor.hall_id)
        items = parse_csv(text, hall_types(s, hall.id))
        for inp in sorted(items, key=lambda i: (i.code, i.effective_from)):
            counts[_set_price(s, actor, hall, inp, reason=reason or "import", action="set")] += 1
        actor.audit(s, "price.imported", {"rows": len(items), **counts})
    return counts


def export_csv(db: Database, hall: int | str, *, history: bool = True,
               day: dt.date | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for it in list_prices(db, hall, history=history, day=day):
        w.writerow([it.code, it.name, it.category, it.unit, money.fmt(it.unit_price_fen,
                                                                          group=False),
                    it.effective_from, it.effective_to,
                    format_tiers([(Decimal(t.from_volume), t.unit_price_fen) for t in it.tiers]),
                    it.note, it.customer_types.replace(",", ";")])
    return out.getvalue()


# ======================================================================================
