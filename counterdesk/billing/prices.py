"""The published price list (价目表): what is in force on a day, and its changes.

Fees come only from the price list in force on the business day (公示价格); a
manager adds or changes an item from a start date, never retroactively, and every
change is kept (:func:`price_history`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from .. import audit, clock, money
from .. import hall as halls
from ..accounts.types import DEFAULT as DEFAULT_TYPES
from ..accounts.types import CustomerTypes, hall_types
from ..db import Database
from ..errors import Conflict, NotFound, ValidationError
from ..models import Hall
from ..models.billing import (
    PRICE_CATEGORIES,
    PaymentLine,
    PriceChange,
    PriceItem,
    PriceTier,
)
from ..print.escpos_doc import unprintable
from ..staff import Actor, require_manager
from ..validators import typed

CATEGORY_NAMES = {"gas": "气费", "service": "服务费", "material": "材料费", "meter": "表具",
                  "other": "其他"}
BILL_CODE = "BILL"
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


def _in_force(day: dt.date | BindParameter[Any]) -> ColumnElement[bool]:
    return ((PriceItem.effective_from <= day)
            & ((PriceItem.effective_to.is_(None)) | (PriceItem.effective_to > day)))


# the price lines of a sale with their tiers, one statement built once (every payment runs
# it; a tiered gas line needs no second SELECT for its tiers)
_PRICES_Q = select(PriceItem).options(joinedload(PriceItem.tiers)).where(
    PriceItem.hall_id == bindparam("q_hall"),
    PriceItem.code.in_(bindparam("q_codes", expanding=True)),
    _in_force(bindparam("q_day")))


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


@dataclass
class PriceTierInfo:
    tier: int
    from_volume: str
    unit_price_fen: int


@dataclass
class PriceItemInfo:
    id: int
    code: str
    name: str
    category: str
    unit: str
    unit_price_fen: int
    tiered: bool
    effective_from: str
    effective_to: str
    note: str = ""
    tiers: list[PriceTierInfo] = field(default_factory=list)
    gas_supply: bool = False
    customer_types: str = ""  # "resident,commercial"; "" = every type
    customer_type_names: str = ""  # the hall's names: "商业、工业"

    @property
    def price_text(self) -> str:
        if self.tiered and self.tiers:
            return " / ".join(money.fmt(t.unit_price_fen) for t in self.tiers)
        return money.fmt(self.unit_price_fen)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["unit_price"] = money.fmt(self.unit_price_fen, group=False)
        return d


def _item_info(it: PriceItem, types: CustomerTypes = DEFAULT_TYPES) -> PriceItemInfo:
    codes = [c for c in it.customer_types.split(",") if c]
    return PriceItemInfo(it.id, it.code, it.name, it.category, it.unit, it.unit_price_fen,
                         it.tiered, _d(it.effective_from), _d(it.effective_to), it.note,
                         [PriceTierInfo(t.tier, money.fmt_qty(t.from_volume), t.unit_price_fen)
                          for t in it.tiers], it.gas_supply, it.customer_types,
                         types.names_text(codes) if codes else "")


def list_prices(db: Database, hall: int | str, *, day: dt.date | None = None,
                history: bool = False) -> list[PriceItemInfo]:
    """The price list in force on ``day`` (default today); ``history`` = every version."""
    day = day or clock.today()
    with db.read() as s:
        h = halls.get(s, hall)
        q = select(PriceItem).where(PriceItem.hall_id == h.id)
        if not history:
            q = q.where(_in_force(day))
        rows = s.execute(q.order_by(PriceItem.code, PriceItem.effective_from)).scalars().all()
        types = hall_types(s, h.id)
        return [_item_info(r, types) for r in rows]


@dataclass
class PriceInput:
    """One version of a price-list item, as a manager enters or imports it."""

    code: str
    name: str
    unit_price_fen: int
    effective_from: dt.date
    category: str = "other"
    unit: str = "项"
    effective_to: dt.date | None = None
    tiers: list[tuple[Decimal, int]] = field(default_factory=list)  # (from_volume, fen)
    note: str = ""
    gas_supply: bool | None = None  # None: the 'gas' category is gas supply
    customer_types: str = ""  # codes or names, comma-separated; "" = every type

    def normalised(self, types: CustomerTypes | None = None) -> PriceInput:
        """Checked and in its stored form; ``customer_types`` resolved against ``types``
        (the hall's, issue 15.7; default: the usual five)."""
        code = typed(self.code).upper()
        name = (self.name or "").strip()
        if not _CODE_RE.match(code):
            raise ValidationError(f"收费项目代码 {self.code!r} 无效：1–16 位大写字母、数字、- 或 _",
                                  f"Item code {self.code!r} is invalid: 1-16 capital letters, "
                                  "digits, - or _", field="code")
        if not name or len(name) > 60:
            raise ValidationError(f"{code}：项目名称不能为空，且不超过 60 个字",
                                  f"{code}: the name must be 1-60 characters", field="name")
        if self.category not in PRICE_CATEGORIES:
            raise ValidationError(f"{code}：类别应为 {'/'.join(PRICE_CATEGORIES)}",
                                  f"{code}: category must be one of {PRICE_CATEGORIES}",
                                  field="category")
        unit = (self.unit or "").strip()
        if not unit or len(unit) > 12:
            raise ValidationError(f"{code}：计量单位不能为空，且不超过 12 个字",
                                  f"{code}: the unit must be 1-12 characters", field="unit")
        _printable_or_refuse(code, name, "name", "项目名称", "name")
        _printable_or_refuse(code, unit, "unit", "计量单位", "unit")
        if isinstance(self.unit_price_fen, bool) or not isinstance(self.unit_price_fen, int) \
                or self.unit_price_fen <= 0:
            raise ValidationError(f"{code}：单价必须大于 0", f"{code}: the unit price must be "
                                  "above 0", field="unit_price")
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise ValidationError(f"{code}：失效日期必须晚于生效日期",
                                  f"{code}: the end date must be after the start date",
                                  field="effective_to")
        tiers = sorted(((Decimal(v), int(p)) for v, p in self.tiers), key=lambda t: t[0])
        if tiers:
            if tiers[0][0] != 0:
                raise ValidationError(f"{code}：第一档应从年用气量 0 开始",
                                      f"{code}: the first tier must start at volume 0",
                                      field="tiers")
            vols = [v for v, _ in tiers]
            if len(set(vols)) != len(vols) or any(v < 0 for v in vols):
                raise ValidationError(f"{code}：各档起点必须递增且不重复",
                                      f"{code}: tier thresholds must increase", field="tiers")
            if any(p <= 0 for _, p in tiers):
                raise ValidationError(f"{code}：各档单价必须大于 0",
                                      f"{code}: every tier price must be above 0", field="tiers")
        price = tiers[0][1] if tiers else self.unit_price_fen
        gas = self.category == "gas" if self.gas_supply is None else bool(self.gas_supply)
        hall = types or DEFAULT_TYPES
        codes = ",".join(dict.fromkeys(
            hall.resolve(x, "customer_types")
            for x in re.split(r"[,，;；、\s]+", self.customer_types or "") if x.strip()))
        if len(codes) > 120:  # the column's width
            raise ValidationError(f"{code}：适用客户类型太多（代码合计不超过 120 个字符）",
                                  f"{code}: too many customer types (120 characters of codes "
                                  "at most)", field="customer_types")
        return PriceInput(code, name, price, self.effective_from, self.category, unit,
                          self.effective_to, tiers, (self.note or "").strip(), gas, codes)

    def snapshot(self) -> dict:
        return {"name": self.name, "category": self.category, "unit": self.unit,
                "unit_price_fen": self.unit_price_fen, "effective_from": _d(self.effective_from),
                "effective_to": _d(self.effective_to),
                "tiers": [[money.fmt_qty(v), p] for v, p in self.tiers], "note": self.note,
                "gas_supply": bool(self.gas_supply), "customer_types": self.customer_types}


def _printable_or_refuse(code: str, value: str, field: str, zh: str, en: str) -> None:
    """A name or unit that goes on every receipt must print on a GBK receipt printer."""
    bad = unprintable(value)
    if bad:
        shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in bad)
        raise ValidationError(
            f"{code}：{zh}中的 {shown} 收据打印机打印不出来，请改用常用字"
            "（如 立方米 而不是 m³）", f"{code}: the {en} contains "
            f"{', '.join(f'U+{ord(ch):04X}' for ch in bad)}, which receipt printers cannot "
            "print; use common characters (立方米 rather than m³)", field=field)


def _row_snapshot(it: PriceItem) -> dict:
    return {"name": it.name, "category": it.category, "unit": it.unit,
            "unit_price_fen": it.unit_price_fen, "effective_from": _d(it.effective_from),
            "effective_to": _d(it.effective_to),
            "tiers": [[money.fmt_qty(t.from_volume), t.unit_price_fen] for t in it.tiers],
            "note": it.note, "gas_supply": it.gas_supply, "customer_types": it.customer_types}


def _set_price(s: Session, actor: Actor, hall: Hall, inp: PriceInput, *, reason: str,
               action: str) -> str:
    """Insert one version into the code's timeline. Returns 'add'|'change'|'unchanged'."""
    today = clock.today()
    versions = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                                 PriceItem.code == inp.code)
                         .order_by(PriceItem.effective_from)).scalars().all()
    same = next((v for v in versions if v.effective_from == inp.effective_from), None)
    if same is not None and _row_snapshot(same) == inp.snapshot():
        return "unchanged"
    if inp.effective_from < today:
        for v in versions:
            if v is same or (v.effective_from <= today and
                             (v.effective_to is None or v.effective_to > inp.effective_from)):
                raise Conflict(
                    f"{inp.code}：价格不能追溯调整（{inp.effective_from} 早于今天，而已有价格在执行）；"
                    "请把生效日期设为今天或以后",
                    f"{inp.code}: prices cannot change retroactively ({inp.effective_from} is "
                    "before today while a price is in force); start it today or later",
                    field="effective_from")
    if same is not None:
        used = s.execute(select(func.count()).select_from(PaymentLine)
                         .where(PaymentLine.price_item_id == same.id)).scalar()
        if used:
            raise Conflict(f"{inp.code}：{inp.effective_from} 起的价格已用于收费，不能修改；"
                           "请另设一个新的生效日期",
                           f"{inp.code}: the price from {inp.effective_from} was already charged; "
                           "set a new start date instead", field="effective_from")
        old = _row_snapshot(same)
        row = same
        row.name, row.category, row.unit = inp.name, inp.category, inp.unit
        row.unit_price_fen, row.note = inp.unit_price_fen, inp.note
        row.gas_supply, row.customer_types = bool(inp.gas_supply), inp.customer_types
        row.tiers.clear()
        s.flush()
        kind = "change"
    else:
        old = {}
        row = PriceItem(hall_id=hall.id, code=inp.code, name=inp.name, category=inp.category,
                        unit=inp.unit, unit_price_fen=inp.unit_price_fen,
                        effective_from=inp.effective_from, note=inp.note,
                        gas_supply=bool(inp.gas_supply), customer_types=inp.customer_types,
                        created_by=actor.staff_no)
        s.add(row)
        prev = [v for v in versions if v.effective_from < inp.effective_from]
        if prev:
            p = prev[-1]
            if p.effective_to is None or p.effective_to > inp.effective_from:
                old = _row_snapshot(p)
                carried = p.effective_to
                p.effective_to = inp.effective_from
                if inp.effective_to is None:
                    inp.effective_to = carried
        kind = "change" if versions else "add"
    nxt = [v for v in versions if v.effective_from > inp.effective_from]
    end = inp.effective_to
    if nxt and (end is None or end > nxt[0].effective_from):
        end = nxt[0].effective_from
    row.effective_to = end
    row.tiered = bool(inp.tiers)
    for i, (vol, price) in enumerate(inp.tiers, start=1):
        row.tiers.append(PriceTier(tier=i, from_volume=vol, unit_price_fen=price))
    s.flush()
    new = _row_snapshot(row)
    s.add(PriceChange(hall_id=hall.id, staff_no=actor.staff_no, code=inp.code,
                      action=action if action != "set" else kind, price_item_id=row.id,
                      old=audit.canonical_json(old), new=audit.canonical_json(new),
                      reason=reason))
    actor.audit(s, "price.set", {"code": inp.code, "action": kind, "old": old, "new": new,
                                 "reason": reason})
    return kind


def set_price(db: Database, actor: Actor, inp: PriceInput, *, reason: str = "") -> PriceItemInfo:
    """Add or change a price-list item from ``inp.effective_from`` (managers only)."""
    require_manager(actor)
    with db.write() as s:
        hall = halls.get(s, actor.hall_id)
        types = hall_types(s, hall.id)
        inp = inp.normalised(types)
        _set_price(s, actor, hall, inp, reason=reason, action="set")
        row = s.execute(select(PriceItem).where(
            PriceItem.hall_id == hall.id, PriceItem.code == inp.code,
            PriceItem.effective_from == inp.effective_from)).scalar_one()
        return _item_info(row, types)


def end_price(db: Database, actor: Actor, code: str, on: dt.date, *,
              reason: str = "") -> PriceItemInfo:
    """Stop selling ``code`` from ``on`` (inclusive; the item is not sold that day)."""
    require_manager(actor)
    code = (code or "").strip().upper()
    if on < clock.today():
        raise ValidationError("停用日期不能早于今天", "The end date cannot be before today",
                              field="on")
    with db.write() as s:
        hall = halls.get(s, actor.hall_id)
        versions = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                                     PriceItem.code == code)
                             .order_by(PriceItem.effective_from)).scalars().all()
        if not versions:
            raise NotFound(f"价目表中没有项目 {code}", f"No price-list item {code}", field="code")
        if any(v.effective_from >= on for v in versions):
            raise Conflict(f"{code} 在 {on} 之后还有新价格，请先停用该版本",
                           f"{code} has a later price starting on or after {on}; end that one "
                           "first", field="on")
        row = versions[-1]
        if row.effective_to is not None and row.effective_to <= on:
            raise Conflict(f"{code} 已于 {row.effective_to} 停用", f"{code} already ended on "
                           f"{row.effective_to}", field="on")
        old = _row_snapshot(row)
        row.effective_to = on
        s.flush()
        new = _row_snapshot(row)
        s.add(PriceChange(hall_id=hall.id, staff_no=actor.staff_no, code=code, action="end",
                          price_item_id=row.id, old=audit.canonical_json(old),
                          new=audit.canonical_json(new), reason=reason))
        actor.audit(s, "price.ended", {"code": code, "on": on, "reason": reason})
        return _item_info(row, hall_types(s, hall.id))


def price_history(db: Database, hall: int | str, code: str | None = None) -> list[dict]:
    with db.read() as s:
        h = halls.get(s, hall)
        q = select(PriceChange).where(PriceChange.hall_id == h.id)
        if code:
            q = q.where(PriceChange.code == code.strip().upper())
        return [{"at": c.at.isoformat(timespec="seconds"), "staff_no": c.staff_no,
                 "code": c.code, "action": c.action, "old": json.loads(c.old),
                 "new": json.loads(c.new), "reason": c.reason}
                for c in s.execute(q.order_by(PriceChange.id)).scalars()]
