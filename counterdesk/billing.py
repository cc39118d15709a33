"""Fee collection (收费): the published price list, sales, receipts, voids and refunds.

Rules (DESIGN.md "Fee collection"; seeds 002 四(四), 000 6.1.1, 004 第二十二条):

* Fees come only from the price list in force on the business day (公示价格). A sale
  names item codes and quantities; the amount is computed here. Nobody can type a price
  (不准乱收费): there is no parameter for one.
* Residential gas is priced in tiers by the account's volume bought this calendar year
  (阶梯气价); open bills of the account can be paid in the same sale.
* **Commit first, print after**: one transaction writes the payment, its lines and
  tenders, the gapless receipt number (``2026-000123`` per hall and year), the audit
  event (amounts and methods in the hashed payload) and the print job (outbox). The
  spooler prints later; a dead printer never loses a payment.
* Voids and refunds need a manager's authorisation, are written as reversals linked to
  the original with their own receipt, and never edit or delete the original.

Every refusal is raised before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
import weakref
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from . import audit, clock, dayguard, money, sequence
from .db import Database
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .models import Counter, Hall
from .models.accounts import Account, Bill
from .models.billing import (
    PRICE_CATEGORIES,
    TENDER_METHODS,
    Payment,
    PaymentLine,
    PaymentTender,
    PriceChange,
    PriceItem,
    PriceTier,
    PrintJob,
    Receipt,
)
from .privacy import mask_name
from .settings import BillingSettings
from .staff import Actor, Approval, authorise, require_manager

METHOD_NAMES = {"cash": ("现金", "cash"), "cheque": ("支票", "cheque"),
                "card": ("银行卡", "bank card"), "qr": ("扫码", "QR (WeChat/Alipay)")}
CATEGORY_NAMES = {"gas": "气费", "service": "服务费", "material": "材料费", "meter": "表具",
                  "other": "其他"}
BILL_CODE = "BILL"
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


# ======================================================================================
# helpers
# ======================================================================================
def _hall(s: Session, hall: int | str) -> Hall:
    if isinstance(hall, int):
        h = s.get(Hall, hall)
    else:
        h = s.execute(select(Hall).where(Hall.code == hall)).scalar()
    if h is None:
        raise NotFound(f"营业厅 {hall} 不存在", f"Hall {hall} not found", field="hall")
    return h


@dataclass(frozen=True)
class _HallInfo:
    """What a payment needs of its hall (a snapshot, cached briefly per process)."""

    id: int
    code: str
    name: str
    company_name: str
    hotline: str
    address: str


_HALL_CACHE: weakref.WeakKeyDictionary[Database, dict] = weakref.WeakKeyDictionary()
_HALL_TTL = 60.0


def _hall_info(db: Database, s: Session, hall_id: int) -> _HallInfo:
    hits = _HALL_CACHE.setdefault(db, {})
    hit = hits.get(hall_id)
    if hit is not None and time.monotonic() - hit[0] < _HALL_TTL:
        return hit[1]
    h = _hall(s, hall_id)
    info = _HallInfo(h.id, h.code, h.name, h.company_name, h.hotline, h.address)
    hits[hall_id] = (time.monotonic(), info)
    return info


def _next_receipt_seq(s: Session, hall_id: int, year: int) -> int:
    """The next receipt number of the year: one locking UPDATE … RETURNING once the
    year's counter exists (``sequence.next_value`` creates it for the first receipt)."""
    name = f"receipt:{year}"
    v = s.execute(_NEXT_RECEIPT, {"b_hall": hall_id, "b_name": name}).scalar()
    return int(v) if v is not None else sequence.next_value(s, hall_id, name)


def _in_force(day: dt.date):
    return ((PriceItem.effective_from <= day)
            & ((PriceItem.effective_to.is_(None)) | (PriceItem.effective_to > day)))


# the price lines of a sale, one statement built once (every payment runs it)
_PRICES_Q = select(PriceItem).where(
    PriceItem.hall_id == bindparam("q_hall"),
    PriceItem.code.in_(bindparam("q_codes", expanding=True)),
    _in_force(bindparam("q_day")))


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def method_name(method: str) -> str:
    from . import i18n

    zh, en = METHOD_NAMES.get(method, (method, method))
    return i18n.pick(zh, en)


# ======================================================================================
# price list (价目表)
# ======================================================================================
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

    @property
    def price_text(self) -> str:
        if self.tiered and self.tiers:
            return " / ".join(money.fmt(t.unit_price_fen) for t in self.tiers)
        return money.fmt(self.unit_price_fen)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["unit_price"] = money.fmt(self.unit_price_fen, group=False)
        return d


def _item_info(it: PriceItem) -> PriceItemInfo:
    return PriceItemInfo(it.id, it.code, it.name, it.category, it.unit, it.unit_price_fen,
                         it.tiered, _d(it.effective_from), _d(it.effective_to), it.note,
                         [PriceTierInfo(t.tier, money.fmt_qty(t.from_volume), t.unit_price_fen)
                          for t in it.tiers])


def list_prices(db: Database, hall: int | str, *, day: dt.date | None = None,
                history: bool = False) -> list[PriceItemInfo]:
    """The price list in force on ``day`` (default today); ``history`` = every version."""
    day = day or clock.today()
    with db.read() as s:
        h = _hall(s, hall)
        q = select(PriceItem).where(PriceItem.hall_id == h.id)
        if not history:
            q = q.where(_in_force(day))
        rows = s.execute(q.order_by(PriceItem.code, PriceItem.effective_from)).scalars().all()
        return [_item_info(r) for r in rows]


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

    def normalised(self) -> PriceInput:
        code = (self.code or "").strip().upper()
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
        return PriceInput(code, name, price, self.effective_from, self.category, unit,
                          self.effective_to, tiers, (self.note or "").strip())

    def snapshot(self) -> dict:
        return {"name": self.name, "category": self.category, "unit": self.unit,
                "unit_price_fen": self.unit_price_fen, "effective_from": _d(self.effective_from),
                "effective_to": _d(self.effective_to),
                "tiers": [[money.fmt_qty(v), p] for v, p in self.tiers], "note": self.note}


def _row_snapshot(it: PriceItem) -> dict:
    return {"name": it.name, "category": it.category, "unit": it.unit,
            "unit_price_fen": it.unit_price_fen, "effective_from": _d(it.effective_from),
            "effective_to": _d(it.effective_to),
            "tiers": [[money.fmt_qty(t.from_volume), t.unit_price_fen] for t in it.tiers],
            "note": it.note}


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
        row.tiers.clear()
        s.flush()
        kind = "change"
    else:
        old = {}
        row = PriceItem(hall_id=hall.id, code=inp.code, name=inp.name, category=inp.category,
                        unit=inp.unit, unit_price_fen=inp.unit_price_fen,
                        effective_from=inp.effective_from, note=inp.note,
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
    inp = inp.normalised()
    with db.write() as s:
        hall = _hall(s, actor.hall_id)
        _set_price(s, actor, hall, inp, reason=reason, action="set")
        row = s.execute(select(PriceItem).where(
            PriceItem.hall_id == hall.id, PriceItem.code == inp.code,
            PriceItem.effective_from == inp.effective_from)).scalar_one()
        return _item_info(row)


def end_price(db: Database, actor: Actor, code: str, on: dt.date, *,
              reason: str = "") -> PriceItemInfo:
    """Stop selling ``code`` from ``on`` (inclusive; the item is not sold that day)."""
    require_manager(actor)
    code = (code or "").strip().upper()
    if on < clock.today():
        raise ValidationError("停用日期不能早于今天", "The end date cannot be before today",
                              field="on")
    with db.write() as s:
        hall = _hall(s, actor.hall_id)
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
        return _item_info(row)


def price_history(db: Database, hall: int | str, code: str | None = None) -> list[dict]:
    with db.read() as s:
        h = _hall(s, hall)
        q = select(PriceChange).where(PriceChange.hall_id == h.id)
        if code:
            q = q.where(PriceChange.code == code.strip().upper())
        return [{"at": c.at.isoformat(timespec="seconds"), "staff_no": c.staff_no,
                 "code": c.code, "action": c.action, "old": json.loads(c.old),
                 "new": json.loads(c.new), "reason": c.reason}
                for c in s.execute(q.order_by(PriceChange.id)).scalars()]


# -- CSV ---------------------------------------------------------------------------------
CSV_COLUMNS = ["code", "name", "category", "unit", "unit_price", "effective_from",
               "effective_to", "tiers", "note"]


def _parse_date(text: str, field_: str, where: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{where}：日期 {text!r} 应为 YYYY-MM-DD",
                              f"{where}: date {text!r} must be YYYY-MM-DD", field=field_) from None


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


def parse_csv(text: str) -> list[PriceInput]:
    """Read a price-list CSV (UTF-8, header row; see :data:`CSV_COLUMNS`)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:6] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"价目表 CSV 缺少列：{', '.join(missing)}（需要 {','.join(CSV_COLUMNS)}）",
                              f"Price-list CSV lacks columns: {', '.join(missing)} "
                              f"(expected {','.join(CSV_COLUMNS)})", field="file")
    items = []
    for n, row in enumerate(reader, start=2):
        where = f"第 {n} 行" if True else ""
        try:
            frm = _parse_date(row.get("effective_from", ""), "effective_from", where)
            if frm is None:
                raise ValidationError(f"{where}：缺少生效日期", f"line {n}: no start date",
                                      field="effective_from")
            inp = PriceInput(
                code=row.get("code", ""), name=row.get("name", ""),
                category=(row.get("category") or "other").strip(),
                unit=row.get("unit", ""),
                unit_price_fen=money.parse_yuan(row.get("unit_price", ""), field="unit_price"),
                effective_from=frm,
                effective_to=_parse_date(row.get("effective_to", ""), "effective_to", where),
                tiers=parse_tiers(row.get("tiers", ""), where), note=row.get("note", "") or "")
            items.append(inp.normalised())
        except ValidationError as exc:
            raise ValidationError(f"价目表第 {n} 行：{exc.zh}", f"price list line {n}: {exc.en}",
                                  field=exc.field) from None
    if not items:
        raise ValidationError("价目表 CSV 没有数据行", "The price-list CSV has no rows", field="file")
    return items


def import_csv(db: Database, actor: Actor, text: str, *, reason: str = "") -> dict:
    """Import a price list: all rows or none. Rows identical to what exists are skipped."""
    require_manager(actor)
    items = parse_csv(text)
    counts = {"add": 0, "change": 0, "unchanged": 0}
    with db.write() as s:
        hall = _hall(s, actor.hall_id)
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
                    it.note])
    return out.getvalue()


# ======================================================================================
# sale (收费)
# ======================================================================================
@dataclass
class LineInput:
    code: str
    qty: Decimal | str | int = "1"


@dataclass
class TenderInput:
    method: str
    amount_fen: int | None = None      # None: the rest of the total
    tendered_fen: int | None = None    # cash handed over; None = exact
    reference: str = ""                # card / QR transaction reference
    cheque_no: str = ""
    bank: str = ""


@dataclass
class SaleRequest:
    items: list[LineInput] = field(default_factory=list)
    bills: list[str] = field(default_factory=list)          # bill periods YYYY-MM
    account_no: str | None = None
    tenders: list[TenderInput] = field(default_factory=list)
    note: str = ""


@dataclass
class QuoteLine:
    line_no: int
    code: str
    name: str
    unit: str
    qty: str
    unit_price_fen: int
    amount_fen: int
    price_item_id: int | None = None
    bill_id: int | None = None
    period: str = ""
    tiers: list[dict] = field(default_factory=list)


@dataclass
class Quote:
    """What the customer owes for a request: computed only from the price list and bills."""

    account_no: str | None
    holder: str          # masked
    lines: list[QuoteLine]
    total_fen: int
    business_day: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class OpenBill:
    id: int
    period: str
    volume: str
    amount_fen: int
    paid_fen: int
    open_fen: int
    due_date: str

    def to_dict(self) -> dict:
        return asdict(self)


def _account(s: Session, hall: Hall | _HallInfo, account_no: str | None, *, lock: bool = False
             ) -> Account | None:
    if not account_no:
        return None
    q = select(Account).where(Account.account_no == account_no.strip())
    acc = s.execute(q).scalar()
    if acc is None:
        raise NotFound(f"户号 {account_no} 不存在，请核对户号", f"Account {account_no} not found; "
                       "check the number", field="account")
    if acc.hall_id != hall.id:
        raise Conflict(f"户号 {account_no} 不属于本营业厅", f"Account {account_no} belongs to "
                       "another hall", field="account")
    if acc.status == "closed":
        raise Conflict(f"户号 {account_no} 已销户，不能收费；如需办理请先恢复或新开户",
                       f"Account {account_no} is closed: no payment can be taken",
                       field="account")
    return acc


def open_bills(db: Database, account_no: str) -> list[OpenBill]:
    """The account's bills with something left to pay, oldest first."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no.strip())).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在", f"Account {account_no} not found",
                           field="account")
        rows = s.execute(select(Bill).where(Bill.account_id == acc.id,
                                            Bill.amount_fen > Bill.paid_fen)
                         .order_by(Bill.period)).scalars().all()
        return [OpenBill(b.id, b.period, money.fmt_qty(b.volume), b.amount_fen, b.paid_fen,
                         b.open_fen, b.due_date.isoformat()) for b in rows]


def account_summary(db: Database, account_no: str) -> dict:
    """What the payment screen shows of an account: masked holder, state, open bills."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == (account_no or "").strip())
                        ).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在，请核对户号",
                           f"Account {account_no} not found; check the number", field="account")
        data = {"account_no": acc.account_no, "holder": _holder_masked(acc),
                "status": acc.status, "customer_type": acc.customer_type}
    data["bills"] = [b.to_dict() for b in open_bills(db, account_no)] \
        if data["status"] != "closed" else []
    return data


def _price_item(s: Session, hall: Hall, code: str, day: dt.date) -> PriceItem:
    code = (code or "").strip().upper()
    row = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                            PriceItem.code == code, _in_force(day))).scalar()
    if row is not None:
        return row
    versions = s.execute(select(PriceItem).where(PriceItem.hall_id == hall.id,
                                                 PriceItem.code == code)
                         .order_by(PriceItem.effective_from)).scalars().all()
    if not versions:
        raise NotFound(f"价目表中没有收费项目 {code}，只能收取公示的收费项目",
                       f"{code} is not on the price list: only published items can be charged",
                       field="item")
    later = [v for v in versions if v.effective_from > day]
    if later and not any(v.effective_from <= day for v in versions):
        raise Conflict(f"收费项目 {code}（{later[0].name}）自 {later[0].effective_from} 起才执行，"
                       "今天不能收取", f"Item {code} ({later[0].name}) only applies from "
                       f"{later[0].effective_from}; it cannot be charged today", field="item")
    last = versions[-1]
    raise Conflict(f"收费项目 {code}（{last.name}）已于 {last.effective_to} 停止执行，不能再收取",
                   f"Item {code} ({last.name}) ended on {last.effective_to}; it can no longer be "
                   "charged", field="item")


def _year_volume(s: Session, account: Account, code: str, day: dt.date) -> Decimal:
    """Volume of ``code`` the account bought this calendar year (refunds subtracted)."""
    start, end = dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    v = s.execute(select(func.coalesce(func.sum(PaymentLine.qty), 0))
                  .join(Payment, Payment.id == PaymentLine.payment_id)
                  .where(Payment.account_id == account.id, PaymentLine.item_code == code,
                         Payment.business_day >= start, Payment.business_day < end)).scalar()
    return Decimal(v or 0)


def _quote(s: Session, hall: Hall | _HallInfo, req: SaleRequest, day: dt.date, *,
           lock_bills: bool = False) -> tuple[Account | None, list[QuoteLine], dict]:
    acc = _account(s, hall, req.account_no)
    lines: list[QuoteLine] = []
    bills: dict[int, Bill] = {}
    extra_volume: dict[str, Decimal] = {}
    codes = {(li.code or "").strip().upper() for li in req.items}
    in_force = {it.code: it for it in s.execute(_PRICES_Q, {
        "q_hall": hall.id, "q_codes": sorted(codes), "q_day": day}).scalars()} \
        if codes else {}
    for li in req.items:
        qty = money.parse_qty(li.qty)
        it = in_force.get((li.code or "").strip().upper()) or _price_item(s, hall, li.code, day)
        ln = QuoteLine(len(lines) + 1, it.code, it.name, it.unit, money.fmt_qty(qty),
                       it.unit_price_fen, 0, price_item_id=it.id)
        if it.tiered:
            if acc is None:
                raise ValidationError(f"{it.name} 按阶梯计价，须先选择户号",
                                      f"{it.name} is priced in tiers by annual volume: select "
                                      "the account first", field="account")
            if acc.customer_type != "resident":
                raise Conflict(f"阶梯气价仅适用于居民用户，户号 {acc.account_no} 为非居民用户",
                               f"Tiered residential prices apply to residents only; "
                               f"{acc.account_no} is non-resident", field="item")
            prior = _year_volume(s, acc, it.code, day) + extra_volume.get(it.code, Decimal(0))
            amount, parts = money.tiered_amount(
                prior, qty, [(t.tier, t.from_volume, t.unit_price_fen) for t in it.tiers])
            extra_volume[it.code] = extra_volume.get(it.code, Decimal(0)) + qty
            ln.amount_fen = amount
            ln.tiers = [p.to_dict() for p in parts]
            if len(parts) == 1:
                ln.unit_price_fen = parts[0].unit_price_fen
            else:  # mixed tiers: the average, for display; the amount is the tier sum
                ln.unit_price_fen = money.round_fen(Decimal(amount) / qty)
        else:
            ln.amount_fen = money.line_amount(qty, it.unit_price_fen)
        if ln.amount_fen <= 0:
            raise ValidationError(f"{it.name}：数量 {ln.qty} 的金额不足 1 分",
                                  f"{it.name}: quantity {ln.qty} comes to less than 1 fen",
                                  field="qty")
        lines.append(ln)
    for period in req.bills:
        period = (period or "").strip()
        if acc is None:
            raise ValidationError("缴纳账单须先选择户号", "Select the account to pay its bills",
                                  field="account")
        q = select(Bill).where(Bill.account_id == acc.id, Bill.period == period)
        if lock_bills and s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        b = s.execute(q).scalar()
        if b is None:
            raise NotFound(f"户号 {acc.account_no} 没有 {period} 的账单",
                           f"Account {acc.account_no} has no bill for {period}", field="bill")
        if b.id in bills:
            raise ValidationError(f"账单 {period} 重复选择", f"Bill {period} selected twice",
                                  field="bill")
        if b.open_fen <= 0:
            raise Conflict(f"{period} 的账单已缴清", f"The bill for {period} is already paid",
                           field="bill")
        bills[b.id] = b
        lines.append(QuoteLine(len(lines) + 1, BILL_CODE, f"燃气费 {period}", "期", "1",
                               b.open_fen, b.open_fen, bill_id=b.id, period=period))
    if not lines:
        raise ValidationError("请至少选择一个收费项目或账单", "Pick at least one item or bill",
                              field="item")
    return acc, lines, bills


def _holder_masked(acc: Account | None) -> str:
    return mask_name(acc.holder.name) if acc is not None else ""


def quote(db: Database, actor: Actor, req: SaleRequest) -> Quote:
    """Price a request without writing anything (for the screen's amount due)."""
    day = clock.today()
    with db.read() as s:
        hall = _hall(s, actor.hall_id)
        acc, lines, _ = _quote(s, hall, req, day)
        return Quote(acc.account_no if acc else None, _holder_masked(acc), lines,
                     sum(ln.amount_fen for ln in lines), day.isoformat())


def _check_tender_shape(t: TenderInput) -> None:
    if t.method not in TENDER_METHODS:
        raise ValidationError(f"付款方式 {t.method!r} 无效：应为 现金 cash、支票 cheque、"
                              "银行卡 card 或 扫码 qr",
                              f"Payment method {t.method!r} is invalid: cash, cheque, card or qr",
                              field="method")
    for name in ("amount_fen", "tendered_fen"):
        v = getattr(t, name)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ValidationError("金额必须为不小于 0 的整数分", "Amounts must be whole fen ≥ 0",
                                  field=name)
    if t.method == "cheque":
        if not t.cheque_no.strip():
            raise ValidationError("支票付款须填写支票号码", "A cheque payment needs the cheque "
                                  "number", field="cheque_no")
        if not t.bank.strip():
            raise ValidationError("支票付款须填写出票银行", "A cheque payment needs the bank",
                                  field="bank")
    if t.method in ("card", "qr") and not t.reference.strip():
        raise ValidationError(f"{METHOD_NAMES[t.method][0]}付款须填写交易参考号（小票上的凭证号/订单号）",
                              f"A {METHOD_NAMES[t.method][1]} payment needs the transaction "
                              "reference", field="reference")
    if t.method != "cash" and t.tendered_fen is not None and t.amount_fen is not None \
            and t.tendered_fen != t.amount_fen:
        raise ValidationError("只有现金可以找零", "Only cash gives change", field="tendered")


def resolve_tenders(total_fen: int, tenders: list[TenderInput]) -> list[dict]:
    """Split ``total_fen`` over the tenders; compute change. Refuses anything inconsistent."""
    if not tenders:
        raise ValidationError("请选择付款方式", "Choose the payment method", field="method")
    for t in tenders:
        _check_tender_shape(t)
    if sum(1 for t in tenders if t.method == "cash") > 1:
        raise ValidationError("现金只能作为一种付款方式出现一次", "Cash can appear only once",
                              field="method")
    open_ = [t for t in tenders if t.amount_fen is None]
    if len(open_) > 1:
        raise ValidationError("组合付款时，除一种方式外都须写明金额",
                              "In a split payment every method but one needs its amount",
                              field="split")
    fixed = sum(t.amount_fen for t in tenders if t.amount_fen is not None)
    rest = total_fen - fixed
    if open_ and rest <= 0:
        raise ValidationError("组合付款的各项金额已达到或超过应收，多余的付款方式请删除",
                              "The split amounts already cover the total; remove the extra "
                              "method", field="split")
    if not open_ and fixed != total_fen:
        raise ValidationError(
            f"各付款方式合计 {money.fmt_symbol(fixed)}，与应收 {money.fmt_symbol(total_fen)} 不符",
            f"The methods add up to {money.fmt(fixed)}, not the amount due {money.fmt(total_fen)}",
            field="split")
    out = []
    for t in tenders:
        amount = t.amount_fen if t.amount_fen is not None else rest
        if amount <= 0:
            raise ValidationError("每种付款方式的金额必须大于 0", "Every method's amount must be "
                                  "above 0", field="split")
        if t.method == "cash":
            tendered = amount if t.tendered_fen is None else t.tendered_fen
            change = money.change_for(amount, tendered)
        else:
            tendered, change = amount, 0
        out.append({"method": t.method, "amount_fen": amount, "tendered_fen": tendered,
                    "change_fen": change, "reference": t.reference.strip(),
                    "cheque_no": t.cheque_no.strip(), "bank": t.bank.strip()})
    return out


@dataclass
class PaymentResult:
    """A committed payment (sale or reversal) and its receipt."""

    payment_id: int
    kind: str
    receipt_no: str
    verification_code: str
    business_day: str
    account_no: str | None
    total_fen: int
    lines: list[dict]
    tenders: list[dict]
    change_fen: int
    print_job_id: int
    original_receipt_no: str | None = None
    receipt: dict = field(default_factory=dict)   # what is printed (render params)

    @property
    def total(self) -> str:
        return money.fmt(self.total_fen)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["total"] = money.fmt(self.total_fen, group=False)
        d["total_capitals"] = money.capitals(self.total_fen)
        d.pop("receipt")
        return d


# The payment's inserts as constant Core statements with bound parameters: compiled once
# and taken from SQLAlchemy's statement cache on every payment (a ``.values(...)`` built per
# call is coerced and cache-keyed value by value, which cost more than the round trips).
_INSERT_PAYMENT = insert(Payment.__table__).returning(Payment.__table__.c.id)
_INSERT_LINES = insert(PaymentLine.__table__)
_INSERT_TENDERS = insert(PaymentTender.__table__)
_INSERT_RECEIPT = insert(Receipt.__table__).returning(Receipt.__table__.c.id)
_INSERT_JOB = insert(PrintJob.__table__).returning(PrintJob.__table__.c.id)
_NEXT_RECEIPT = (update(Counter.__table__)
                 .where(Counter.__table__.c.hall_id == bindparam("b_hall"),
                        Counter.__table__.c.name == bindparam("b_name"))
                 .values(value=Counter.__table__.c.value + 1)
                 .returning(Counter.__table__.c.value))


def _verification_code(receipt_no: str, total_fen: int, audit_hash: str) -> str:
    return hashlib.sha256(f"{receipt_no}|{total_fen}|{audit_hash}".encode()).hexdigest()[:8] \
        .upper()


def _write_payment(s: Session, actor: Actor, hall: Hall | _HallInfo, day: dt.date, *, kind: str,
                   acc: Account | None, lines: list[QuoteLine], tenders: list[dict],
                   original: Payment | None = None, authorisation_id: int | None = None,
                   reason: str = "", printer_uri: str = "",
                   reverses: dict[int, int] | None = None) -> PaymentResult:
    """Write payment, lines, tenders, receipt (gapless number), audit event, print job."""
    total = sum(ln.amount_fen for ln in lines)
    now = clock.now()
    # Core inserts (one statement per table, lines and tenders as executemany): the
    # payment's transaction stays short; rows are read back through the ORM later.
    pay_id = s.execute(_INSERT_PAYMENT, dict(
        hall_id=hall.id, business_day=day, window=actor.window, staff_id=actor.staff_id,
        staff_no=actor.staff_no, account_id=acc.id if acc else None, kind=kind,
        status="completed", total_fen=total,
        original_payment_id=original.id if original else None,
        authorisation_id=authorisation_id, reason=reason, created_at=now)).scalar_one()
    s.execute(_INSERT_LINES, [dict(
        payment_id=pay_id, line_no=ln.line_no, price_item_id=ln.price_item_id,
        item_code=ln.code, item_name=ln.name, unit=ln.unit, qty=Decimal(ln.qty),
        unit_price_fen=ln.unit_price_fen, amount_fen=ln.amount_fen, bill_id=ln.bill_id,
        detail=json.dumps(ln.tiers, ensure_ascii=False) if ln.tiers else "",
        reverses_line_id=(reverses or {}).get(ln.line_no)) for ln in lines])
    s.execute(_INSERT_TENDERS, [dict(payment_id=pay_id, **t) for t in tenders])
    seq = _next_receipt_seq(s, hall.id, day.year)
    receipt_no = f"{day.year}-{seq:06d}"
    line_dicts = [{"line_no": ln.line_no, "code": ln.code, "name": ln.name, "unit": ln.unit,
                   "qty": ln.qty, "unit_price_fen": ln.unit_price_fen,
                   "amount_fen": ln.amount_fen, "period": ln.period, "tiers": ln.tiers}
                  for ln in lines]
    original_no = original.receipt.receipt_no if original is not None else None
    ev = audit.record(s, f"payment.{kind}", {
        "receipt_no": receipt_no, "payment_id": pay_id, "business_day": day,
        "account_no": acc.account_no if acc else None, "total_fen": total,
        "lines": [{k: d[k] for k in ("line_no", "code", "qty", "unit_price_fen", "amount_fen",
                                     "period")} for d in line_dicts],
        "tenders": [{k: t[k] for k in ("method", "amount_fen", "tendered_fen", "change_fen",
                                       "reference", "cheque_no", "bank")} for t in tenders],
        "original_receipt_no": original_no, "authorisation_id": authorisation_id,
        "reason": reason,
    }, staff_no=actor.staff_no, hall_code=hall.code, window=actor.window, at=now)
    code = _verification_code(receipt_no, total, ev.hash)
    rc_id = s.execute(_INSERT_RECEIPT, dict(
        hall_id=hall.id, year=day.year, seq=seq, receipt_no=receipt_no, payment_id=pay_id,
        verification_code=code, print_count=0, created_at=now)).scalar_one()
    data = {
        "company": hall.company_name, "hall": hall.name, "hall_code": hall.code,
        "hotline": hall.hotline, "address": hall.address, "window": actor.window,
        "staff_no": actor.staff_no, "staff_name": actor.name, "receipt_no": receipt_no,
        "verification_code": code, "at": now.isoformat(timespec="seconds"),
        "business_day": day.isoformat(), "kind": kind, "original_receipt_no": original_no,
        "account_no": acc.account_no if acc else "", "holder": _holder_masked(acc),
        "lines": line_dicts, "total_fen": total, "tenders": tenders, "reason": reason,
    }
    cash = any(t["method"] == "cash" and t["amount_fen"] != 0 for t in tenders)
    job_id = s.execute(_INSERT_JOB, dict(
        hall_id=hall.id, window=actor.window, kind="receipt", receipt_id=rc_id,
        open_drawer=cash, params=json.dumps(data, ensure_ascii=False),
        printer_uri=printer_uri, staff_no=actor.staff_no, created_at=now)).scalar_one()
    return PaymentResult(pay_id, kind, receipt_no, code, day.isoformat(),
                         acc.account_no if acc else None, total, line_dicts, tenders,
                         sum(t["change_fen"] for t in tenders), job_id, original_no, data)


def pay(db: Database, actor: Actor, req: SaleRequest, *, limit_fen: int | None = None,
        printer_uri: str = "") -> PaymentResult:
    """Take a payment: one transaction for payment, receipt number, audit and print job."""
    limit = BillingSettings().single_payment_limit_fen if limit_fen is None else limit_fen
    for t in req.tenders:
        _check_tender_shape(t)
    for li in req.items:
        money.parse_qty(li.qty)
    day = clock.today()
    with db.write() as s:
        hall = _hall_info(db, s, actor.hall_id)
        dayguard.ensure_open(s, hall.id, day)
        acc, lines, bills = _quote(s, hall, req, day, lock_bills=True)
        total = sum(ln.amount_fen for ln in lines)
        if total > limit:
            raise Conflict(f"单笔收费 {money.fmt_symbol(total)} 超过限额 {money.fmt_symbol(limit)}，"
                           "请分笔收取或请主任调整限额",
                           f"The payment {money.fmt(total)} exceeds the single-payment limit "
                           f"{money.fmt(limit)}; split it or ask a manager", field="total")
        tenders = resolve_tenders(total, req.tenders)
        for ln in lines:
            if ln.bill_id is not None:
                bills[ln.bill_id].paid_fen += ln.amount_fen
        return _write_payment(s, actor, hall, day, kind="sale", acc=acc, lines=lines,
                              tenders=tenders, reason=req.note, printer_uri=printer_uri)


def take_payment(db: Database, actor: Actor, req: SaleRequest | None = None,
                 **kwargs) -> PaymentResult:
    """:func:`pay`; without a request (the self-test), one walk-in item paid in exact cash."""
    if req is None:
        items = [i for i in list_prices(db, actor.hall_id) if not i.tiered]
        if not items:
            raise NotFound("价目表为空", "The price list is empty")
        req = SaleRequest(items=[LineInput(items[0].code, "1")],
                          tenders=[TenderInput("cash")])
    return pay(db, actor, req, **kwargs)


# ======================================================================================
# void and refund (作废 / 退款) — reversals
# ======================================================================================
@dataclass
class RefundLine:
    line_no: int
    qty: Decimal | str | None = None  # None: all that is left of the line


def _load_receipt(s: Session, hall_id: int, receipt_no: str) -> Receipt:
    rc = s.execute(select(Receipt).where(Receipt.hall_id == hall_id,
                                         Receipt.receipt_no == (receipt_no or "").strip())
                   ).scalar()
    if rc is None:
        raise NotFound(f"票据号 {receipt_no} 不存在", f"Receipt {receipt_no} not found",
                       field="receipt")
    return rc


def _remaining(s: Session, pay: Payment) -> dict[int, tuple[Decimal, int]]:
    """Per original line id: (qty left, amount left) after earlier reversals."""
    left = {ln.id: (Decimal(ln.qty), ln.amount_fen) for ln in pay.lines}
    rev = s.execute(select(PaymentLine).join(Payment, Payment.id == PaymentLine.payment_id)
                    .where(Payment.original_payment_id == pay.id)).scalars().all()
    for r in rev:
        q, a = left[r.reverses_line_id]
        left[r.reverses_line_id] = (q + Decimal(r.qty), a + r.amount_fen)
    return left


def _plan_reversal(s: Session, pay: Payment, selection: list[RefundLine] | None,
                   kind: str) -> list[tuple[PaymentLine, Decimal, int]]:
    if pay.kind != "sale":
        raise Conflict("冲正票据不能再次作废或退款", "A reversal cannot be voided or refunded",
                       field="receipt")
    if pay.status in ("voided", "refunded"):
        raise Conflict(f"票据 {pay.receipt.receipt_no} 已{'作废' if pay.status == 'voided' else '全额退款'}",
                       f"Receipt {pay.receipt.receipt_no} is already {pay.status}",
                       field="receipt")
    left = _remaining(s, pay)
    by_no = {ln.line_no: ln for ln in pay.lines}
    plan = []
    if kind == "void":
        if pay.status != "completed":
            raise Conflict("已部分退款的票据不能作废，请对剩余项目办理退款",
                           "A partly refunded receipt cannot be voided; refund the remaining "
                           "lines instead", field="receipt")
        if pay.business_day != clock.today():
            raise Conflict(f"只能作废当天的票据（此票据为 {pay.business_day}），请办理退款",
                           f"Only today's receipts can be voided (this one is from "
                           f"{pay.business_day}); make a refund instead", field="receipt")
        return [(ln, Decimal(ln.qty), ln.amount_fen) for ln in pay.lines]
    if not selection:
        raise ValidationError("请指定退款的行号（及数量）", "Name the line(s) to refund",
                              field="line")
    seen = set()
    for sel in selection:
        ln = by_no.get(sel.line_no)
        if ln is None:
            raise NotFound(f"票据没有第 {sel.line_no} 行", f"The receipt has no line {sel.line_no}",
                           field="line")
        if sel.line_no in seen:
            raise ValidationError(f"第 {sel.line_no} 行重复", f"Line {sel.line_no} given twice",
                                  field="line")
        seen.add(sel.line_no)
        q_left, a_left = left[ln.id]
        if q_left <= 0 or a_left <= 0:
            raise Conflict(f"第 {sel.line_no} 行已全部退款", f"Line {sel.line_no} is already "
                           "fully refunded", field="line")
        qty = q_left if sel.qty is None else money.parse_qty(sel.qty)
        if qty > q_left:
            raise ValidationError(f"第 {sel.line_no} 行最多可退 {money.fmt_qty(q_left)}",
                                  f"Line {sel.line_no}: at most {money.fmt_qty(q_left)} can be "
                                  "refunded", field="qty")
        if ln.bill_id is not None and qty != q_left:
            raise ValidationError("账单只能整笔退款", "A bill can only be refunded whole",
                                  field="qty")
        if qty == q_left:
            amount = a_left
        else:
            amount = min(a_left, money.round_fen(Decimal(ln.amount_fen) * qty / Decimal(ln.qty)))
        if amount <= 0:
            raise ValidationError(f"第 {sel.line_no} 行退款金额不足 1 分",
                                  f"Line {sel.line_no}: the refund is less than 1 fen",
                                  field="qty")
        plan.append((ln, qty, amount))
    return plan


def _reversal_tenders(s: Session, pay: Payment, amount: int) -> list[dict]:
    """Give ``amount`` back by the original methods, in their order, within what is left."""
    given = {}
    for t in s.execute(select(PaymentTender).join(Payment, Payment.id == PaymentTender.payment_id)
                       .where(Payment.original_payment_id == pay.id)).scalars():
        given[t.method] = given.get(t.method, 0) - t.amount_fen
    out, rest = [], amount
    for t in pay.tenders:
        room = t.amount_fen - given.get(t.method, 0)
        given[t.method] = given.get(t.method, 0) + max(0, min(room, rest))
        part = max(0, min(room, rest))
        if part:
            out.append({"method": t.method, "amount_fen": -part, "tendered_fen": -part,
                        "change_fen": 0, "reference": t.reference, "cheque_no": t.cheque_no,
                        "bank": t.bank})
            rest -= part
        if rest == 0:
            break
    if rest:  # pragma: no cover - guarded by _remaining
        raise Conflict("退款金额超过原收款", "The refund exceeds what was paid")
    return out


def _reverse(db: Database, actor: Actor, receipt_no: str, approval: Approval | None, *,
             kind: str, selection: list[RefundLine] | None, reason: str,
             printer_uri: str = "") -> PaymentResult:
    reason = (reason or "").strip()
    action = "billing.void" if kind == "void" else "billing.refund"
    # everything checkable is checked before the manager's password and any write
    with db.read() as s:
        rc = _load_receipt(s, actor.hall_id, receipt_no)
        _plan_reversal(s, rc.payment, selection, kind)
    if approval is None or not approval.staff_no:
        raise PermissionDenied(f"{'作废' if kind == 'void' else '退款'}须由营业厅主任或值班长现场授权"
                               "（输入其工号和密码）",
                               f"A {kind} needs a manager's authorisation at this PC (their "
                               "staff number and password)", field="approver")
    if not reason:
        raise ValidationError(f"请填写{'作废' if kind == 'void' else '退款'}原因",
                              f"Give the reason for the {kind}", field="reason")
    with db.write() as s:
        auth = authorise(db, s, approval, action, actor=actor, reason=f"{receipt_no}: {reason}")
        hall = _hall(s, actor.hall_id)
        day = clock.today()
        dayguard.ensure_open(s, hall.id, day)
        rc = _load_receipt(s, hall.id, receipt_no)
        q = select(Payment).where(Payment.id == rc.payment_id)
        if s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        orig = s.execute(q).scalar_one()
        plan = _plan_reversal(s, orig, selection, kind)
        acc = s.get(Account, orig.account_id) if orig.account_id else None
        lines, reverses = [], {}
        for n, (ln, qty, amount) in enumerate(plan, start=1):
            unit_price = ln.unit_price_fen
            period = ""
            if ln.bill_id is not None:
                b = s.get(Bill, ln.bill_id)
                b.paid_fen -= amount
                period = b.period
            lines.append(QuoteLine(n, ln.item_code, ln.item_name, ln.unit,
                                   money.fmt_qty(-qty), unit_price, -amount,
                                   price_item_id=ln.price_item_id, bill_id=ln.bill_id,
                                   period=period))
            reverses[n] = ln.id
        total_back = sum(a for _, _, a in plan)
        tenders = _reversal_tenders(s, orig, total_back)
        left = _remaining(s, orig)
        fully = all(left[ln.id][1] - next((a for l2, _, a in plan if l2.id == ln.id), 0) <= 0
                    for ln in orig.lines)
        orig.status = ("voided" if kind == "void" else "refunded") if fully else "partly_refunded"
        return _write_payment(s, actor, hall, day, kind=kind, acc=acc, lines=lines,
                              tenders=tenders, original=orig, authorisation_id=auth.id,
                              reason=reason, printer_uri=printer_uri, reverses=reverses)


def void(db: Database, actor: Actor, receipt_no: str, approval: Approval | None, *,
         reason: str = "", printer_uri: str = "") -> PaymentResult:
    """作废: reverse a whole receipt of today (manager's authorisation)."""
    return _reverse(db, actor, receipt_no, approval, kind="void", selection=None,
                    reason=reason, printer_uri=printer_uri)


def refund(db: Database, actor: Actor, receipt_no: str, lines: list[RefundLine],
           approval: Approval | None, *, reason: str = "", printer_uri: str = ""
           ) -> PaymentResult:
    """退款: reverse lines (or part of a line's quantity) of a receipt."""
    return _reverse(db, actor, receipt_no, approval, kind="refund", selection=lines,
                    reason=reason, printer_uri=printer_uri)


# ======================================================================================
# receipts and the print outbox
# ======================================================================================
@dataclass
class PrintJobInfo:
    id: int
    kind: str
    receipt_no: str | None
    window: int | None
    status: str
    attempts: int
    last_error: str
    reprint: bool
    reprint_no: int
    open_drawer: bool
    printer_uri: str
    created_at: str
    params: dict = field(default_factory=dict)
    data: bytes | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("params")
        d.pop("data")
        return d


def _job_info(s: Session, j: PrintJob) -> PrintJobInfo:
    no = s.get(Receipt, j.receipt_id).receipt_no if j.receipt_id else None
    return PrintJobInfo(j.id, j.kind, no, j.window, j.status, j.attempts, j.last_error,
                        j.reprint, j.reprint_no, j.open_drawer, j.printer_uri,
                        j.created_at.isoformat(timespec="seconds"),
                        json.loads(j.params or "{}"), j.data)


ALL_WINDOWS = "all"


def _window_filter(q, window):
    if window == ALL_WINDOWS:
        return q
    if window is None:   # a PC without a window prints only its own (windowless) jobs
        return q.where(PrintJob.window.is_(None))
    return q.where(PrintJob.window == window)


def pending_jobs(db: Database, hall_id: int, *, window: int | None | str = ALL_WINDOWS,
                 limit: int = 100) -> list[PrintJobInfo]:
    """Jobs waiting for the printer, oldest first: of one window (``None`` = jobs made
    at a PC without a window) or of every window (``"all"``)."""
    with db.read() as s:
        q = _window_filter(select(PrintJob).where(PrintJob.hall_id == hall_id,
                                                  PrintJob.status == "pending"), window)
        rows = s.execute(q.order_by(PrintJob.id).limit(limit)).scalars().all()
        return [_job_info(s, j) for j in rows]


def pending_count(db: Database, hall_id: int, *, window: int | None | str = ALL_WINDOWS
                  ) -> int:
    with db.read() as s:
        q = _window_filter(select(func.count()).select_from(PrintJob).where(
            PrintJob.hall_id == hall_id, PrintJob.status == "pending"), window)
        return int(s.execute(q).scalar() or 0)


def get_job(db: Database, job_id: int) -> PrintJobInfo:
    with db.read() as s:
        j = s.get(PrintJob, job_id)
        if j is None:
            raise NotFound(f"打印任务 {job_id} 不存在", f"Print job {job_id} not found")
        return _job_info(s, j)


def job_printed(db: Database, job_id: int, printer_uri: str = "") -> None:
    with db.write() as s:
        j = s.get(PrintJob, job_id)
        if j is None or j.status == "printed":
            return
        j.status, j.attempts, j.last_error = "printed", j.attempts + 1, ""
        j.printed_at = clock.now()
        if printer_uri:
            j.printer_uri = printer_uri
        if j.receipt_id:
            rc = s.get(Receipt, j.receipt_id)
            rc.print_count += 1
            rc.last_printed_at = j.printed_at


def job_failed(db: Database, job_id: int, error: str) -> None:
    """A failed attempt: the job stays pending (retried), the error is kept for the badge."""
    with db.write() as s:
        j = s.get(PrintJob, job_id)
        if j is None or j.status == "printed":
            return
        j.attempts += 1
        j.last_error = error[:500]


def reprint(db: Database, actor: Actor, receipt_no: str, *, printer_uri: str = ""
            ) -> PrintJobInfo:
    """补打: a new print job of the same receipt content, marked with the reprint count."""
    with db.write() as s:
        rc = _load_receipt(s, actor.hall_id, receipt_no)
        jobs = s.execute(select(PrintJob).where(PrintJob.receipt_id == rc.id)
                         .order_by(PrintJob.id)).scalars().all()
        if not jobs:  # pragma: no cover - every receipt is written with its job
            raise NotFound(f"票据 {receipt_no} 没有打印内容", f"Receipt {receipt_no} has no print data")
        if any(j.status == "pending" for j in jobs):
            raise Conflict(f"票据 {receipt_no} 还在打印队列中尚未打出，请先重试打印或更换打印机",
                           f"Receipt {receipt_no} is still waiting to print; retry or switch "
                           "printer first", field="receipt")
        n = sum(1 for j in jobs if j.reprint) + 1
        job = PrintJob(hall_id=rc.hall_id, window=actor.window, kind="receipt",
                       receipt_id=rc.id, reprint=True, reprint_no=n, open_drawer=False,
                       params=jobs[0].params, printer_uri=printer_uri,
                       staff_no=actor.staff_no, created_at=clock.now())
        s.add(job)
        s.flush()
        actor.audit(s, "receipt.reprinted", {"receipt_no": receipt_no, "reprint_no": n,
                                             "job_id": job.id})
        return _job_info(s, job)


def get_receipt(db: Database, hall_id: int, receipt_no: str) -> dict:
    """A receipt with its payment, lines, tenders, reversals and print state."""
    with db.read() as s:
        rc = _load_receipt(s, hall_id, receipt_no)
        p = rc.payment
        jobs = s.execute(select(PrintJob).where(PrintJob.receipt_id == rc.id)
                         .order_by(PrintJob.id)).scalars().all()
        revs = s.execute(select(Payment).where(Payment.original_payment_id == p.id)
                         .order_by(Payment.id)).scalars().all()
        data = json.loads(jobs[0].params) if jobs else {}
        return {"receipt_no": rc.receipt_no, "verification_code": rc.verification_code,
                "kind": p.kind, "status": p.status, "total_fen": p.total_fen,
                "total": money.fmt(p.total_fen, group=False), "business_day": _d(p.business_day),
                "staff_no": p.staff_no, "window": p.window, "print_count": rc.print_count,
                "lines": data.get("lines", []), "tenders": data.get("tenders", []),
                "account_no": data.get("account_no"), "holder": data.get("holder", ""),
                "reversals": [r.receipt.receipt_no for r in revs if r.receipt],
                "original_receipt_no": data.get("original_receipt_no"),
                "print_jobs": [_job_info(s, j).to_dict() for j in jobs]}


def recent_receipts(db: Database, actor: Actor, *, limit: int = 20) -> list[dict]:
    """The clerk's latest receipts today (for reprint / void pickers)."""
    with db.read() as s:
        rows = s.execute(select(Receipt, Payment).join(Payment, Payment.id == Receipt.payment_id)
                         .where(Payment.hall_id == actor.hall_id,
                                Payment.business_day == clock.today(),
                                Payment.staff_no == actor.staff_no)
                         .order_by(Receipt.id.desc()).limit(limit)).all()
        return [{"receipt_no": r.receipt_no, "kind": p.kind, "status": p.status,
                 "total_fen": p.total_fen, "at": p.created_at.isoformat(timespec="seconds")}
                for r, p in rows]


# ======================================================================================
# demo
# ======================================================================================
def seed_demo(db: Database, hall_code: str) -> dict:
    """The demo hall's published price list (incl. 阶梯气价); idempotent."""
    from . import resources_access
    from .staff import Actor as _Actor

    with db.read() as s:
        hall = _hall(s, hall_code)
        hall_id = hall.id
    system = _Actor(0, "system", "系统", "admin", hall_id, hall_code)
    counts = import_csv(db, system, resources_access.read_text("pricelist", "demo_prices.csv"),
                        reason="演示价目表")
    return {"price_items": counts}


__all__ = [
    "PriceInput", "PriceItemInfo", "list_prices", "set_price", "end_price", "price_history",
    "import_csv", "export_csv", "parse_csv", "LineInput", "TenderInput", "SaleRequest", "Quote",
    "quote", "open_bills", "account_summary", "pay", "take_payment", "resolve_tenders", "PaymentResult",
    "RefundLine", "void", "refund", "reprint", "pending_jobs", "pending_count", "job_printed",
    "job_failed", "get_receipt", "recent_receipts", "seed_demo", "method_name",
]
