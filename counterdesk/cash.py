"""Cash tills and the end-of-day close (日清日结) [seed 004 第二十二条(四), 第二十五条(四)].

The clerk's day with the till:

1. :func:`open_till` — the opening float (备用金, 备足零钱) counted by denomination.
2. :func:`move_cash` — cash in / out during the day, with a reason and a manager's
   authorisation.
3. :func:`x_report` — the mid-day report (printable on the receipt printer). A clerk's
   own X report shows counts, never cash amounts: the closing count stays blind.
4. :func:`count_till` — the **blind count**: the clerk submits the count by denomination
   and the non-cash totals per method (from the card / QR terminal slips). Only the
   result of this call carries the expected amounts; :func:`till_status` withholds them
   from the clerk while the till is open. A count is final (a manager can reopen it with
   a reason: :func:`reopen_till`).
5. :func:`close_till` — the clerk closes with an explanation (required when the cash
   difference exceeds ``cash.difference_threshold_fen`` or a non-cash total differs).
6. :func:`countersign` — a manager countersigns (复核).

Expected cash = float + cash taken − cash given back (voids, refunds) + cash in − cash
out. Change is already netted: ``PaymentTender.amount_fen`` is what was applied
(tendered − change), so change is never added or subtracted a second time.

The manager's day close (:func:`close_day`): takes the closed-day lock first
(:func:`counterdesk.dayguard.lock_for_close`), refuses while a till is not countersigned
or a clerk took money without a till, computes the report (totals by method, fee item,
clerk and window; receipt range and gap check; reversals with who approved them; tills
expected vs counted; unprinted receipts; queue summary; running totals of day, month
and year), stores it with the :class:`~counterdesk.models.cash.DayClose` row and in the
audit chain, and locks the day. Then the database is backed up. :func:`reopen_day`
needs a manager and a reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from . import clock, dayguard, money, textfiles
from .db import Database
from .errors import Conflict, CounterDeskError, NotFound, PermissionDenied, ValidationError
from .models import Authorisation, Hall, Staff
from .models.billing import Payment, PaymentLine, PaymentTender, Receipt
from .models.cash import CashMovement, DayClose, DayCloseLog, Till, TillCount
from .settings import BackupSettings, CashSettings
from .staff import Actor, Approval, authorise, require_manager

log = logging.getLogger(__name__)

# ======================================================================================
# denominations (人民币): notes, then coins
# ======================================================================================


@dataclass(frozen=True)
class Denomination:
    code: str        # stored in TillCount.denomination
    value_fen: int
    label: str       # 100元, 5角…
    coin: bool

    @property
    def label_full(self) -> str:
        return self.label + ("硬币" if self.coin else "")

    def to_dict(self) -> dict:
        return {"code": self.code, "value_fen": self.value_fen, "label": self.label_full,
                "coin": self.coin}


DENOMINATIONS: tuple[Denomination, ...] = (
    Denomination("N10000", 10000, "100元", False),
    Denomination("N5000", 5000, "50元", False),
    Denomination("N2000", 2000, "20元", False),
    Denomination("N1000", 1000, "10元", False),
    Denomination("N500", 500, "5元", False),
    Denomination("N100", 100, "1元", False),
    Denomination("N50", 50, "5角", False),
    Denomination("N10", 10, "1角", False),
    Denomination("C100", 100, "1元", True),
    Denomination("C50", 50, "5角", True),
    Denomination("C10", 10, "1角", True),
    Denomination("C5", 5, "5分", True),
    Denomination("C2", 2, "2分", True),
    Denomination("C1", 1, "1分", True),
)
_BY_CODE = {d.code: d for d in DENOMINATIONS}
# what people type on the command line: 100 50 20 10 5 1 0.5 0.1 (notes), c1 c0.5 … (coins)
_ALIASES: dict[str, str] = {}
for _d in DENOMINATIONS:
    _y = money.fmt(_d.value_fen, group=False).rstrip("0").rstrip(".")
    _ALIASES[("c" if _d.coin else "") + _y] = _d.code
    _ALIASES[_d.code] = _d.code          # the stored code, upper case (C1 is 1分, c1 is 1元)
    _ALIASES[_d.label_full] = _d.code
    if not _d.coin:
        _ALIASES[_d.label] = _d.code
del _d, _y

NONCASH_METHODS = ("cheque", "card", "qr")
METHOD_NAMES = {"cash": "现金", "cheque": "支票", "card": "银行卡", "qr": "扫码"}
STATUS_NAMES = {"open": "未点钞", "counted": "已点钞", "submitted": "已交款待复核",
                "closed": "已复核"}
DIRECTION_NAMES = {"in": "存入", "out": "取出"}


def denominations() -> list[dict]:
    return [d.to_dict() for d in DENOMINATIONS]


def denomination_code(key: str) -> str:
    """A denomination from its code or what a person types (``100``, ``0.5``, ``c0.5``)."""
    k = str(key).strip()
    code = _ALIASES.get(k) or _ALIASES.get(k.lower())
    if code is None:
        raise ValidationError(
            f"面额 {key!r} 无效：纸币写 100、50、20、10、5、1、0.5、0.1，硬币写 c1、c0.5、c0.1、c0.05、c0.02、c0.01",
            f"Denomination {key!r} is invalid: notes 100 50 20 10 5 1 0.5 0.1, coins c1 c0.5 "
            "c0.1 c0.05 c0.02 c0.01", field="denomination")
    return code


def _count_value(raw: Any, label: str) -> int:
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, float):
        if not raw.is_integer():
            raw = None
        else:
            raw = int(raw)
    if isinstance(raw, Decimal):
        raw = int(raw) if raw == raw.to_integral_value() else None
    if isinstance(raw, str):
        t = raw.strip()
        raw = int(t) if t.isdigit() else (None if t else 0)
        if raw is None and t.startswith("-") and t[1:].isdigit():
            raw = int(t)
    if not isinstance(raw, int):
        raise ValidationError(f"{label} 的张数/枚数必须是不小于 0 的整数",
                              f"The count of {label} must be a whole number, 0 or more",
                              field="count")
    if raw < 0:
        raise ValidationError(f"{label} 的张数/枚数不能为负数（{raw}）",
                              f"The count of {label} cannot be negative ({raw})", field="count")
    if raw > 1_000_000:
        raise ValidationError(f"{label} 的张数/枚数过大（{raw}）", f"The count of {label} is too "
                              f"large ({raw})", field="count")
    return raw


def parse_counts(counts: dict[str, Any] | Iterable[tuple[str, Any]] | None
                 ) -> list[tuple[Denomination, int]]:
    """Validate counts by denomination; every denomination appears once (0 if absent)."""
    items = list((counts or {}).items()) if isinstance(counts, dict) else list(counts or [])
    got: dict[str, int] = {}
    for key, raw in items:
        code = denomination_code(key)
        d = _BY_CODE[code]
        if code in got:
            raise ValidationError(f"面额 {d.label_full} 重复填写", f"{d.label_full} given twice",
                                  field="denomination")
        got[code] = _count_value(raw, d.label_full)
    return [(d, got.get(d.code, 0)) for d in DENOMINATIONS]


def counts_total(parsed: list[tuple[Denomination, int]]) -> int:
    return sum(d.value_fen * n for d, n in parsed)


def parse_count_args(values: list[str] | None) -> list[tuple[str, str]]:
    """``["100=5", "c0.5=3"]`` → pairs (for the command line)."""
    out = []
    for v in values or []:
        if "=" not in v:
            raise ValidationError(f"点钞写法 {v!r} 无效：应为 面额=张数，如 100=5 或 c0.5=3",
                                  f"Count {v!r} is invalid: DENOMINATION=COUNT, e.g. 100=5",
                                  field="count")
        k, n = v.split("=", 1)
        out.append((k, n))
    return out


def parse_noncash(values: dict[str, Any] | None) -> dict[str, int]:
    """Non-cash totals the clerk confirms: {method: fen} for cheque / card / qr."""
    out = {m: 0 for m in NONCASH_METHODS}
    for m, v in (values or {}).items():
        if m not in NONCASH_METHODS:
            raise ValidationError(f"非现金方式 {m!r} 无效：应为 cheque、card 或 qr",
                                  f"Non-cash method {m!r} is invalid: cheque, card or qr",
                                  field="method")
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValidationError(f"{METHOD_NAMES[m]}合计必须为不小于 0 的整数分",
                                  f"The {m} total must be whole fen, 0 or more", field=m)
        out[m] = v
    return out


# ======================================================================================
# results
# ======================================================================================
@dataclass
class MovementInfo:
    id: int
    direction: str
    amount_fen: int
    reason: str
    approved_by: str
    at: str
    staff_no: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TillInfo:
    """A till as the asker may see it: ``expected_fen`` is ``None`` before the count."""

    id: int
    business_day: str
    staff_no: str
    name: str
    window: int | None
    status: str
    opened_at: str
    float_fen: int
    float_counts: list[dict]
    movements: list[MovementInfo]
    counted_fen: int | None = None
    close_counts: list[dict] = field(default_factory=list)
    expected_fen: int | None = None
    difference_fen: int | None = None
    noncash: dict = field(default_factory=dict)
    explanation: str = ""
    explanation_required: bool = False
    countersigned_by: str | None = None
    countersigned_at: str | None = None
    recounts: int = 0
    revealed: bool = False

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["status_name"] = self.status_name
        return d


@dataclass
class CountResult:
    """What the clerk learns only after submitting the blind count."""

    till: TillInfo
    counted_fen: int
    expected_fen: int
    difference_fen: int          # counted − expected: > 0 over (长款), < 0 short (短款)
    noncash: dict                # {method: {expected_fen, confirmed_fen, difference_fen}}
    explanation_required: bool
    threshold_fen: int

    def to_dict(self) -> dict:
        d = asdict(self)
        d["till"] = self.till.to_dict()
        return d


@dataclass
class DayCloseResult:
    report: dict
    backup_file: str | None
    backup_error: str | None

    def to_dict(self) -> dict:
        return {"report": self.report, "backup_file": self.backup_file,
                "backup_error": self.backup_error}


# ======================================================================================
# helpers
# ======================================================================================
def _pg(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def _iso(v: dt.datetime | None) -> str | None:
    return v.isoformat(timespec="seconds") if v else None


def _staff_names(s: Session, hall_id: int | None = None) -> dict[str, str]:
    return dict(s.execute(select(Staff.staff_no, Staff.name)).all())


def _till_query(hall_id: int, day: dt.date, staff_id: int):
    return select(Till).where(Till.hall_id == hall_id, Till.business_day == day,
                              Till.staff_id == staff_id)


def _get_till(s: Session, actor: Actor, day: dt.date, *, staff_no: str | None = None,
              lock: bool = False) -> Till:
    if staff_no and staff_no != actor.staff_no:
        st = s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar()
        if st is None:
            raise NotFound(f"工号 {staff_no} 不存在", f"No staff member {staff_no}",
                           field="staff_no")
        staff_id, who = st.id, staff_no
    else:
        staff_id, who = actor.staff_id, actor.staff_no
    q = _till_query(actor.hall_id, day, staff_id)
    if lock and _pg(s):
        q = q.with_for_update()
    till = s.execute(q).scalar()
    if till is None:
        raise NotFound(f"工号 {who} 在 {day} 还没有开钱箱，请先开箱点备用金",
                       f"{who} has no till open on {day}: open the till and count the float "
                       "first", field="till")
    return till


@dataclass
class _Agg:
    """The day's payments aggregated once: by (staff, window, kind, method) over the
    tenders and by (staff, window, kind) over the payments."""

    tenders: list[tuple]    # staff_id, staff_no, window, kind, method, n, amount, tendered, change
    payments: list[tuple]   # staff_id, staff_no, window, kind, n, total


def _aggregate(s: Session, hall_id: int, day: dt.date, staff_id: int | None = None) -> _Agg:
    where = [Payment.hall_id == hall_id, Payment.business_day == day]
    if staff_id is not None:
        where.append(Payment.staff_id == staff_id)
    tq = (select(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                 PaymentTender.method, func.count(PaymentTender.id),
                 func.coalesce(func.sum(PaymentTender.amount_fen), 0),
                 func.coalesce(func.sum(PaymentTender.tendered_fen), 0),
                 func.coalesce(func.sum(PaymentTender.change_fen), 0))
          .join(Payment, Payment.id == PaymentTender.payment_id).where(*where)
          .group_by(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                    PaymentTender.method))
    pq = (select(Payment.staff_id, Payment.staff_no, Payment.window, Payment.kind,
                 func.count(Payment.id), func.coalesce(func.sum(Payment.total_fen), 0))
          .where(*where).group_by(Payment.staff_id, Payment.staff_no, Payment.window,
                                  Payment.kind))
    return _Agg([tuple(r) for r in s.execute(tq)], [tuple(r) for r in s.execute(pq)])


def _cash_figures(s: Session, hall_id: int, day: dt.date, staff_id: int | None = None,
                  agg: _Agg | None = None) -> dict[int, dict]:
    """Per staff id: cash and non-cash figures of the day from payments and movements."""
    out: dict[int, dict] = {}
    agg = agg or _aggregate(s, hall_id, day, staff_id)

    def fig(sid):
        return out.setdefault(sid, {"cash_sales_fen": 0, "cash_tendered_fen": 0,
                                    "cash_change_fen": 0, "cash_reversals_fen": 0,
                                    "cash_in_fen": 0, "cash_out_fen": 0,
                                    "noncash": {m: 0 for m in NONCASH_METHODS},
                                    "noncash_count": {m: 0 for m in NONCASH_METHODS},
                                    "cash_count": 0, "payments": 0})
    for sid, _no, _w, kind, method, n, amount, tendered, change in agg.tenders:
        if staff_id is not None and sid != staff_id:
            continue
        f = fig(sid)
        amount, tendered, change = int(amount), int(tendered), int(change)
        if method == "cash":
            f["cash_count"] += n
            if kind == "sale":
                f["cash_sales_fen"] += amount
                f["cash_tendered_fen"] += tendered
                f["cash_change_fen"] += change
            else:
                f["cash_reversals_fen"] += amount   # negative: cash given back
        elif method in NONCASH_METHODS:
            f["noncash"][method] += amount
            f["noncash_count"][method] += n
    for sid, _no, _w, _kind, n, _total in agg.payments:
        if staff_id is None or sid == staff_id:
            fig(sid)["payments"] += n
    q = (select(Till.staff_id, CashMovement.direction, func.sum(CashMovement.amount_fen))
         .join(Till, Till.id == CashMovement.till_id)
         .where(CashMovement.hall_id == hall_id, CashMovement.business_day == day)
         .group_by(Till.staff_id, CashMovement.direction))
    if staff_id is not None:
        q = q.where(Till.staff_id == staff_id)
    for sid, direction, amount in s.execute(q):
        fig(sid)["cash_in_fen" if direction == "in" else "cash_out_fen"] += int(amount or 0)
    return out


def _expected(till: Till, f: dict | None) -> int:
    """float + cash taken (net of change) − cash given back + in − out."""
    f = f or {}
    return (till.float_fen + f.get("cash_sales_fen", 0) + f.get("cash_reversals_fen", 0)
            + f.get("cash_in_fen", 0) - f.get("cash_out_fen", 0))


def _counts(till: Till, kind: str) -> list[dict]:
    rows = [c for c in till.counts if c.kind == kind]
    order = {d.code: i for i, d in enumerate(DENOMINATIONS)}
    rows.sort(key=lambda c: order.get(c.denomination, 99))
    return [{"code": c.denomination, "label": _BY_CODE[c.denomination].label_full
             if c.denomination in _BY_CODE else c.denomination, "value_fen": c.value_fen,
             "count": c.count, "amount_fen": c.amount_fen} for c in rows]


def _movement_info(m: CashMovement) -> MovementInfo:
    return MovementInfo(m.id, m.direction, m.amount_fen, m.reason, m.approved_by,
                        _iso(m.created_at) or "", m.staff_no)


def _needs_explanation(till: Till, threshold: int) -> bool:
    if till.difference_fen is None:
        return False
    if abs(till.difference_fen) > threshold:
        return True
    nc = json.loads(till.noncash or "{}")
    return any(v.get("difference_fen", 0) != 0 for v in nc.values())


def _info(s: Session, till: Till, *, reveal: bool, threshold: int) -> TillInfo:
    name = s.execute(select(Staff.name).where(Staff.id == till.staff_id)).scalar() or ""
    revealed = reveal or till.status != "open"
    return TillInfo(
        till.id, till.business_day.isoformat(), till.staff_no, name, till.window, till.status,
        _iso(till.opened_at) or "", till.float_fen, _counts(till, "float"),
        [_movement_info(m) for m in till.movements],
        counted_fen=till.counted_fen, close_counts=_counts(till, "close"),
        expected_fen=(till.expected_fen if till.status != "open" else
                      _expected(till, _cash_figures(s, till.hall_id, till.business_day,
                                                    till.staff_id).get(till.staff_id)))
        if revealed else None,
        difference_fen=till.difference_fen if revealed else None,
        noncash=json.loads(till.noncash or "{}") if till.status != "open" else {},
        explanation=till.explanation,
        explanation_required=_needs_explanation(till, threshold),
        countersigned_by=till.countersigned_by, countersigned_at=_iso(till.countersigned_at),
        recounts=till.recounts, revealed=revealed)


def _audit(s: Session, actor: Actor, kind: str, data: dict):
    """Like ``actor.audit`` but returns the event (its hash is kept with the close)."""
    from . import audit

    return audit.record(s, kind, data, staff_no=actor.staff_no, hall_code=actor.hall_code,
                        window=actor.window)


def _threshold(cash_settings: CashSettings | None) -> int:
    return (cash_settings or CashSettings()).difference_threshold_fen


def _write_counts(s: Session, till: Till, kind: str, parsed) -> None:
    for d, n in parsed:
        if n:
            till.counts.append(TillCount(kind=kind, denomination=d.code, value_fen=d.value_fen,
                                         count=n, amount_fen=d.value_fen * n))


# ======================================================================================
# the clerk's till
# ======================================================================================
def open_till(db: Database, actor: Actor, counts, *, cash_settings: CashSettings | None = None
              ) -> TillInfo:
    """开箱: the clerk's till for today with the float counted by denomination."""
    parsed = parse_counts(counts)
    total = counts_total(parsed)
    day = clock.today()
    with db.write() as s:
        dayguard.ensure_open(s, actor.hall_id, day)
        q = _till_query(actor.hall_id, day, actor.staff_id)
        if s.execute(q).scalar() is not None:
            raise Conflict(f"工号 {actor.staff_no} 今天（{day}）已经开过钱箱",
                           f"{actor.staff_no} already has a till for {day}", field="till")
        till = Till(hall_id=actor.hall_id, business_day=day, staff_id=actor.staff_id,
                    staff_no=actor.staff_no, window=actor.window, status="open",
                    opened_at=clock.now(), float_fen=total, noncash="{}")
        _write_counts(s, till, "float", parsed)
        s.add(till)
        s.flush()
        actor.audit(s, "till.opened", {
            "till_id": till.id, "business_day": day, "float_fen": total,
            "counts": {d.code: n for d, n in parsed if n}})
        return _info(s, till, reveal=False, threshold=_threshold(cash_settings))


def till_status(db: Database, actor: Actor, *, staff_no: str | None = None,
                day: dt.date | None = None, cash_settings: CashSettings | None = None
                ) -> TillInfo | None:
    """The till (or ``None``). A clerk never sees the expected cash of an open till."""
    day = day or clock.today()
    other = bool(staff_no and staff_no != actor.staff_no)
    if other and not actor.is_manager:
        raise PermissionDenied("只能查看自己的钱箱；查看他人钱箱须由主任或值班长操作",
                               "You can only see your own till; a manager sees the others")
    with db.read() as s:
        try:
            till = _get_till(s, actor, day, staff_no=staff_no)
        except NotFound:
            return None
        return _info(s, till, reveal=other and actor.is_manager,
                     threshold=_threshold(cash_settings))


def move_cash(db: Database, actor: Actor, direction: str, amount_fen: int, reason: str,
              approval: Approval | None) -> MovementInfo:
    """现金存入 / 取出 with a reason and a manager's authorisation."""
    if direction not in ("in", "out"):
        raise ValidationError("方向应为 in（存入）或 out（取出）", "Direction must be in or out",
                              field="direction")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError("金额必须大于 0（整数分）", "The amount must be above 0 (whole fen)",
                              field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写现金存入/取出的原因", "Give the reason for the cash movement",
                              field="reason")
    if approval is None or not approval.staff_no:
        raise PermissionDenied("钱箱现金存入/取出须由营业厅主任或值班长授权（输入其工号和密码）",
                               "A cash movement needs a manager's authorisation (their staff "
                               "number and password)", field="approver")
    day = clock.today()
    with db.read() as s:   # refuse before the password check where we can
        if dayguard.is_closed(s, actor.hall_id, day):
            dayguard.ensure_open(s, actor.hall_id, day)
        till = _get_till(s, actor, day)
        if till.status != "open":
            raise Conflict("钱箱已点钞，不能再存取现金；如确需，请主任重新开启点钞",
                           "The till is already counted: no more cash movements",
                           field="till")
    with db.write() as s:
        auth = authorise(db, s, approval, "cash.movement", actor=actor,
                         reason=f"{DIRECTION_NAMES[direction]} {money.fmt(amount_fen)}: {reason}")
        dayguard.ensure_open(s, actor.hall_id, day)
        till = _get_till(s, actor, day, lock=True)
        if till.status != "open":
            raise Conflict("钱箱已点钞，不能再存取现金", "The till is already counted",
                           field="till")
        if direction == "out":
            f = _cash_figures(s, actor.hall_id, day, till.staff_id).get(till.staff_id)
            if amount_fen > _expected(till, f):
                raise Conflict("取出金额超过钱箱中应有的现金，请核对金额",
                               "The amount is more than the cash the till should hold",
                               field="amount")
        mgr_no = s.execute(select(Staff.staff_no).where(Staff.id == auth.manager_id)).scalar()
        m = CashMovement(till_id=till.id, hall_id=actor.hall_id, business_day=day,
                         staff_no=actor.staff_no, direction=direction, amount_fen=amount_fen,
                         reason=reason, authorisation_id=auth.id, approved_by=mgr_no or "",
                         created_at=clock.now())
        s.add(m)
        s.flush()
        actor.audit(s, "cash.movement", {
            "till_id": till.id, "business_day": day, "direction": direction,
            "amount_fen": amount_fen, "reason": reason, "authorisation_id": auth.id,
            "approved_by": mgr_no})
        return _movement_info(m)


def x_report(db: Database, actor: Actor, *, staff_no: str | None = None,
             day: dt.date | None = None) -> dict:
    """The mid-day X report of a till. Cash and non-cash amounts (and the expected cash)
    are shown to a manager, or once the till is counted; a clerk's own X report of an
    open till shows counts only, so the closing count stays blind."""
    day = day or clock.today()
    other = bool(staff_no and staff_no != actor.staff_no)
    if other and not actor.is_manager:
        raise PermissionDenied("只能打印自己的X报表", "You can only print your own X report")
    with db.read() as s:
        till = _get_till(s, actor, day, staff_no=staff_no)
        hall = s.get(Hall, actor.hall_id)
        full = till.status != "open" or (actor.is_manager and other)
        f = _cash_figures(s, actor.hall_id, day, till.staff_id).get(till.staff_id) or {}
        mine = and_(Payment.hall_id == actor.hall_id, Payment.business_day == day,
                    Payment.staff_id == till.staff_id)
        rc = s.execute(select(func.min(Receipt.receipt_no), func.max(Receipt.receipt_no),
                              func.count(Receipt.id))
                       .join(Payment, Payment.id == Receipt.payment_id).where(mine)).one()
        unprinted = s.execute(select(func.count(Receipt.id))
                              .join(Payment, Payment.id == Receipt.payment_id)
                              .where(mine, Receipt.print_count == 0)).scalar() or 0
        kinds = dict(s.execute(select(Payment.kind, func.count(Payment.id))
                               .where(Payment.hall_id == actor.hall_id,
                                      Payment.business_day == day,
                                      Payment.staff_id == till.staff_id)
                               .group_by(Payment.kind)).all())
        name = s.execute(select(Staff.name).where(Staff.id == till.staff_id)).scalar() or ""
        methods = []
        for m in ("cash",) + NONCASH_METHODS:
            if m == "cash":
                n = f.get("cash_count", 0)
                amount = f.get("cash_sales_fen", 0) + f.get("cash_reversals_fen", 0)
            else:
                n = f.get("noncash_count", {}).get(m, 0)
                amount = f.get("noncash", {}).get(m, 0)
            methods.append({"method": m, "name": METHOD_NAMES[m], "count": n,
                            "amount_fen": amount if full else None})
        return {
            "kind": "x", "hall": {"code": hall.code, "name": hall.name,
                                  "company": hall.company_name},
            "business_day": day.isoformat(), "printed_at": _iso(clock.now()),
            "staff_no": till.staff_no, "name": name, "window": till.window,
            "status": till.status, "status_name": STATUS_NAMES[till.status], "full": bool(full),
            "float_fen": till.float_fen,
            "sales": int(kinds.get("sale", 0)), "voids": int(kinds.get("void", 0)),
            "refunds": int(kinds.get("refund", 0)),
            "first_receipt_no": rc[0], "last_receipt_no": rc[1], "receipts": int(rc[2] or 0),
            "unprinted": int(unprinted),
            "methods": methods,
            "cash_tendered_fen": f.get("cash_tendered_fen", 0) if full else None,
            "cash_change_fen": f.get("cash_change_fen", 0) if full else None,
            "cash_in_fen": f.get("cash_in_fen", 0), "cash_out_fen": f.get("cash_out_fen", 0),
            "movements": [_movement_info(m).to_dict() for m in till.movements],
            "expected_fen": _expected(till, f) if full else None,
        }


def count_till(db: Database, actor: Actor, counts, *, noncash: dict[str, int] | None = None,
               cash_settings: CashSettings | None = None) -> CountResult:
    """点钞 (blind): submit the count; only now are the expected amounts returned."""
    parsed = parse_counts(counts)
    confirmed = parse_noncash(noncash)
    counted = counts_total(parsed)
    threshold = _threshold(cash_settings)
    day = clock.today()
    with db.write() as s:
        dayguard.ensure_open(s, actor.hall_id, day)
        till = _get_till(s, actor, day, lock=True)
        if till.status != "open":
            raise Conflict("钱箱已经点过钞；如确需重点，请主任重新开启点钞",
                           "The till is already counted; a manager can reopen the count",
                           field="till")
        f = _cash_figures(s, actor.hall_id, day, till.staff_id).get(till.staff_id) or {}
        expected = _expected(till, f)
        nc = {}
        for m in NONCASH_METHODS:
            exp = f.get("noncash", {}).get(m, 0)
            nc[m] = {"expected_fen": exp, "confirmed_fen": confirmed[m],
                     "difference_fen": confirmed[m] - exp}
        till.status = "counted"
        till.counted_at = clock.now()
        till.counted_fen = counted
        till.expected_fen = expected
        till.difference_fen = counted - expected
        till.noncash = json.dumps(nc, sort_keys=True)
        _write_counts(s, till, "close", parsed)
        s.flush()
        actor.audit(s, "till.counted", {
            "till_id": till.id, "business_day": day, "counted_fen": counted,
            "expected_fen": expected, "difference_fen": counted - expected,
            "float_fen": till.float_fen, "figures": {k: v for k, v in f.items()},
            "counts": {d.code: n for d, n in parsed if n}, "noncash": nc})
        info = _info(s, till, reveal=True, threshold=threshold)
        return CountResult(info, counted, expected, counted - expected, nc,
                           info.explanation_required, threshold)


def close_till(db: Database, actor: Actor, explanation: str = "", *,
               cash_settings: CashSettings | None = None) -> TillInfo:
    """交款: the clerk closes the counted till (explanation when the difference needs one)."""
    explanation = (explanation or "").strip()
    threshold = _threshold(cash_settings)
    day = clock.today()
    with db.write() as s:
        till = _get_till(s, actor, day, lock=True)
        if till.status == "open":
            raise Conflict("请先点钞（盲点）再交款", "Count the till (blind count) before closing it",
                           field="till")
        if till.status in ("submitted", "closed"):
            raise Conflict("钱箱已交款", "The till is already closed", field="till")
        if _needs_explanation(till, threshold) and not explanation:
            raise ValidationError(
                f"长短款 {money.fmt_symbol(till.difference_fen)} 超过 {money.fmt_symbol(threshold)}"
                "或非现金合计不符，须填写情况说明", f"The difference {money.fmt(till.difference_fen)} "
                f"exceeds {money.fmt(threshold)} or a non-cash total differs: an explanation is "
                "required", field="explanation")
        till.status = "submitted"
        till.submitted_at = clock.now()
        till.explanation = explanation
        actor.audit(s, "till.submitted", {
            "till_id": till.id, "business_day": till.business_day,
            "difference_fen": till.difference_fen, "explanation": explanation})
        return _info(s, till, reveal=True, threshold=threshold)


def countersign(db: Database, actor: Actor, approval: Approval | None, *,
                staff_no: str | None = None, day: dt.date | None = None,
                cash_settings: CashSettings | None = None) -> TillInfo:
    """复核: a manager countersigns a closed till (their staff number and password)."""
    day = day or clock.today()
    if approval is None or not approval.staff_no:
        raise PermissionDenied("交款须由营业厅主任或值班长复核签字（输入其工号和密码）",
                               "A manager must countersign the till (their staff number and "
                               "password)", field="approver")
    with db.read() as s:
        till = _get_till(s, actor, day, staff_no=staff_no)
        if till.status != "submitted":
            raise Conflict("钱箱尚未交款，不能复核" if till.status in ("open", "counted")
                           else "钱箱已复核", "The till is not waiting for a countersign",
                           field="till")
        if approval.staff_no == till.staff_no:
            raise PermissionDenied("不能复核自己的钱箱，请另一位主任复核",
                                   "You cannot countersign your own till", field="approver")
        who = till.staff_no
    with db.write() as s:
        auth = authorise(db, s, approval, "till.countersign", actor=actor,
                         reason=f"{who} {day}")
        till = _get_till(s, actor, day, staff_no=staff_no, lock=True)
        if till.status != "submitted":
            raise Conflict("钱箱状态已变化，请刷新", "The till changed; refresh", field="till")
        till.status = "closed"
        till.countersigned_by = approval.staff_no
        till.countersigned_at = clock.now()
        till.countersign_authorisation_id = auth.id
        actor.audit(s, "till.countersigned", {
            "till_id": till.id, "business_day": day, "staff_no": till.staff_no,
            "manager": approval.staff_no, "difference_fen": till.difference_fen,
            "authorisation_id": auth.id})
        return _info(s, till, reveal=True, threshold=_threshold(cash_settings))


def reopen_till(db: Database, actor: Actor, approval: Approval | None, reason: str, *,
                staff_no: str | None = None, cash_settings: CashSettings | None = None
                ) -> TillInfo:
    """A manager reopens a counted till for a recount (e.g. money taken after the count).
    The old count stays in the audit chain; ``recounts`` is kept on the till."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写重新点钞的原因", "Give the reason for the recount",
                              field="reason")
    if approval is None or not approval.staff_no:
        raise PermissionDenied("重新点钞须由主任或值班长授权", "A recount needs a manager's "
                               "authorisation", field="approver")
    day = clock.today()
    with db.write() as s:
        # the manager's password is checked first (its own short transactions)
        auth = authorise(db, s, approval, "till.reopen", actor=actor, reason=reason)
        dayguard.ensure_open(s, actor.hall_id, day)
        till = _get_till(s, actor, day, staff_no=staff_no, lock=True)
        if till.status == "open":
            raise Conflict("钱箱尚未点钞", "The till is not counted yet", field="till")
        old = {"counted_fen": till.counted_fen, "expected_fen": till.expected_fen,
               "difference_fen": till.difference_fen, "explanation": till.explanation,
               "counts": {c.denomination: c.count for c in till.counts if c.kind == "close"},
               "noncash": json.loads(till.noncash or "{}"),
               "countersigned_by": till.countersigned_by}
        for c in [c for c in till.counts if c.kind == "close"]:
            till.counts.remove(c)
        till.status = "open"
        till.counted_at = till.submitted_at = till.countersigned_at = None
        till.counted_fen = till.expected_fen = till.difference_fen = None
        till.countersigned_by = None
        till.countersign_authorisation_id = None
        till.explanation = ""
        till.noncash = "{}"
        till.recounts += 1
        s.flush()
        actor.audit(s, "till.reopened", {"till_id": till.id, "business_day": day,
                                         "staff_no": till.staff_no, "reason": reason,
                                         "authorisation_id": auth.id, "previous": old})
        return _info(s, till, reveal=False, threshold=_threshold(cash_settings))


def till_report_data(db: Database, actor: Actor, *, staff_no: str | None = None,
                     day: dt.date | None = None, cash_settings: CashSettings | None = None
                     ) -> dict:
    """What the till report (PDF) prints: the till as the asker may see it, and the cash
    figures only once they may be revealed (after the count, or to a manager)."""
    day = day or clock.today()
    info = till_status(db, actor, staff_no=staff_no, day=day, cash_settings=cash_settings)
    if info is None:
        raise NotFound(f"{day} 没有该钱箱", f"No till on {day}", field="till")
    with db.read() as s:
        hall = s.get(Hall, actor.hall_id)
        st = s.execute(select(Staff.id).where(Staff.staff_no == info.staff_no)).scalar()
        f = _cash_figures(s, actor.hall_id, day, st).get(st) or {} if info.revealed else None
    return {"hall": {"code": hall.code, "name": hall.name, "company": hall.company_name},
            "business_day": day.isoformat(), "printed_at": _iso(clock.now()),
            "printed_by": actor.staff_no, "till": info.to_dict(), "figures": f}


def tills_for_day(db: Database, actor: Actor, day: dt.date | None = None, *,
                  cash_settings: CashSettings | None = None) -> list[TillInfo]:
    """Every till of the hall on ``day`` (manager)."""
    require_manager(actor)
    day = day or clock.today()
    with db.read() as s:
        tills = s.execute(select(Till).where(Till.hall_id == actor.hall_id,
                                             Till.business_day == day)
                          .order_by(Till.staff_no)).scalars().all()
        return [_info(s, t, reveal=True, threshold=_threshold(cash_settings)) for t in tills]


# ======================================================================================
# the day report and the day close
# ======================================================================================
def _check_day(day: dt.date | str) -> dt.date:
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day.strip())
        except ValueError:
            raise ValidationError(f"日期 {day!r} 无效，应为 YYYY-MM-DD",
                                  f"Date {day!r} is invalid: use YYYY-MM-DD", field="date") \
                from None
    if day > clock.today():
        raise ValidationError(f"{day} 是将来的日期，不能日结（今天是 {clock.today()}）",
                              f"{day} is in the future: it cannot be closed (today is "
                              f"{clock.today()})", field="date")
    return day


def _blockers(s: Session, hall_id: int, day: dt.date, figures: dict[int, dict]
              ) -> list[dict]:
    """Why the day cannot be closed yet (each with zh / en)."""
    out = []
    tills = {t.staff_id: t for t in s.execute(select(Till).where(
        Till.hall_id == hall_id, Till.business_day == day)).scalars()}
    nos = dict(s.execute(select(Staff.id, Staff.staff_no)).all())
    for t in sorted(tills.values(), key=lambda t: t.staff_no):
        if t.status != "closed":
            out.append({"kind": "till_open", "staff_no": t.staff_no, "status": t.status,
                        "zh": f"柜员 {t.staff_no} 的钱箱{STATUS_NAMES[t.status]}，须点钞、交款并经主任复核",
                        "en": f"The till of {t.staff_no} is {t.status}: it must be counted, "
                              "closed and countersigned"})
        elif t.expected_fen != _expected(t, figures.get(t.staff_id)):
            out.append({"kind": "till_changed", "staff_no": t.staff_no,
                        "zh": f"柜员 {t.staff_no} 点钞后又有现金收付，须由主任重新开启点钞后重点",
                        "en": f"{t.staff_no} took or paid out cash after the count: a manager "
                              "must reopen the count for a recount"})
    for sid, f in sorted(figures.items(), key=lambda kv: nos.get(kv[0], "")):
        if sid not in tills and f.get("payments"):
            no = nos.get(sid, str(sid))
            out.append({"kind": "no_till", "staff_no": no,
                        "zh": f"柜员 {no} 当天有收费但没有钱箱，须开箱、点钞、交款并复核后才能日结",
                        "en": f"{no} took payments but has no till: open, count and close a till "
                              "before the day close"})
    return out


def _receipt_check(s: Session, hall_id: int, day: dt.date) -> dict:
    years = s.execute(select(Receipt.year, func.min(Receipt.seq), func.max(Receipt.seq),
                             func.count(Receipt.id))
                      .join(Payment, Payment.id == Receipt.payment_id)
                      .where(Payment.hall_id == hall_id, Payment.business_day == day)
                      .group_by(Receipt.year).order_by(Receipt.year)).all()
    out = {"count": 0, "first": None, "last": None, "gaps": [], "gapless": True,
           "foreign_in_range": 0, "years": []}
    for year, lo, hi, n in years:
        lo, hi, n = int(lo), int(hi), int(n)
        in_range = s.execute(select(func.count(Receipt.id)).where(
            Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq >= lo,
            Receipt.seq <= hi)).scalar()
        upto = s.execute(select(func.count(Receipt.id)).where(
            Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq <= hi)).scalar()
        missing: list[int] = []
        if in_range != hi - lo + 1:
            have = set(s.execute(select(Receipt.seq).where(
                Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq >= lo,
                Receipt.seq <= hi)).scalars())
            missing = [q for q in range(lo, hi + 1) if q not in have][:200]
        first, last = f"{year}-{lo:06d}", f"{year}-{hi:06d}"
        gapless_year = upto == hi
        out["years"].append({"year": year, "first": first, "last": last, "count": n,
                             "missing": [f"{year}-{q:06d}" for q in missing],
                             "gapless_since_new_year": gapless_year})
        out["count"] += n
        out["first"] = out["first"] or first
        out["last"] = last
        out["gaps"] += [f"{year}-{q:06d}" for q in missing]
        out["foreign_in_range"] += int(in_range) - n
        out["gapless"] = out["gapless"] and not missing and gapless_year
    return out


def _report(s: Session, hall: Hall, day: dt.date, figures: dict[int, dict],
            threshold: int, agg: _Agg | None = None) -> dict:
    hid = hall.id
    names = _staff_names(s)
    where = and_(Payment.hall_id == hid, Payment.business_day == day)
    agg = agg or _aggregate(s, hid, day)
    # totals by kind
    kinds: dict[str, list[int]] = {}
    for _sid, _no, _w, kind, n, total in agg.payments:
        k = kinds.setdefault(kind, [0, 0])
        k[0] += int(n)
        k[1] += int(total)
    sales_n, sales = kinds.get("sale", (0, 0))
    voids_n, voids = kinds.get("void", (0, 0))
    refunds_n, refunds = kinds.get("refund", (0, 0))
    # by method
    by_method: dict[str, dict] = {}
    for _sid, _no, _w, kind, method, n, amount, tendered, change in agg.tenders:
        r = by_method.setdefault(method, {"method": method, "name": METHOD_NAMES.get(method, method),
                                          "count": 0, "sales_fen": 0, "reversals_fen": 0,
                                          "net_fen": 0, "tendered_fen": 0, "change_fen": 0})
        amount = int(amount or 0)
        if kind == "sale":
            r["count"] += n
            r["sales_fen"] += amount
            r["tendered_fen"] += int(tendered or 0)
            r["change_fen"] += int(change or 0)
        else:
            r["reversals_fen"] += amount
        r["net_fen"] += amount
    order = {m: i for i, m in enumerate(("cash",) + NONCASH_METHODS)}
    methods = sorted(by_method.values(), key=lambda r: order.get(r["method"], 9))
    # by fee item
    items: dict[str, dict] = {}
    for code, name, kind, n, qty, amount in s.execute(
            select(PaymentLine.item_code, func.max(PaymentLine.item_name), Payment.kind,
                   func.count(PaymentLine.id), func.sum(PaymentLine.qty),
                   func.sum(PaymentLine.amount_fen))
            .join(Payment, Payment.id == PaymentLine.payment_id).where(where)
            .group_by(PaymentLine.item_code, Payment.kind)):
        r = items.setdefault(code, {"code": code, "name": name, "lines": 0, "qty": "0",
                                    "sales_fen": 0, "reversals_fen": 0, "net_fen": 0})
        amount = int(amount or 0)
        r["qty"] = money.fmt_qty(Decimal(r["qty"]) + Decimal(qty or 0))
        if kind == "sale":
            r["lines"] += n
            r["sales_fen"] += amount
        else:
            r["reversals_fen"] += amount
        r["net_fen"] += amount
    by_item = sorted(items.values(), key=lambda r: r["code"])

    def grouped(pos, keyname):
        rows: dict[Any, dict] = {}
        for row in agg.payments:
            key, kind, n, total = row[pos], row[3], int(row[4]), int(row[5])
            r = rows.setdefault(key, {keyname: key, "sales": 0, "reversals": 0, "sales_fen": 0,
                                      "reversals_fen": 0, "net_fen": 0})
            if kind == "sale":
                r["sales"] += n
                r["sales_fen"] += total
            else:
                r["reversals"] += n
                r["reversals_fen"] += total
            r["net_fen"] += total
        return rows
    clerks = grouped(1, "staff_no")
    for r in clerks.values():
        r["name"] = names.get(r["staff_no"], "")
    by_clerk = sorted(clerks.values(), key=lambda r: r["staff_no"])
    by_window = sorted(grouped(2, "window").values(),
                       key=lambda r: (r["window"] is None, r["window"] or 0))
    # reversals with who approved them
    orig_rc = aliased(Receipt)
    orig_pay = aliased(Payment)
    mgr = aliased(Staff)
    reversals = []
    for p, rc_no, orig_no, orig_day, mgr_no, mgr_name in s.execute(
            select(Payment, Receipt.receipt_no, orig_rc.receipt_no, orig_pay.business_day,
                   mgr.staff_no, mgr.name)
            .join(Receipt, Receipt.payment_id == Payment.id, isouter=True)
            .join(orig_pay, orig_pay.id == Payment.original_payment_id, isouter=True)
            .join(orig_rc, orig_rc.payment_id == Payment.original_payment_id, isouter=True)
            .join(Authorisation, Authorisation.id == Payment.authorisation_id, isouter=True)
            .join(mgr, mgr.id == Authorisation.manager_id, isouter=True)
            .where(where, Payment.kind != "sale").order_by(Payment.id)):
        reversals.append({"kind": p.kind, "kind_name": "作废" if p.kind == "void" else "退款",
                          "receipt_no": rc_no, "original_receipt_no": orig_no,
                          "original_day": orig_day.isoformat() if orig_day else None,
                          "amount_fen": p.total_fen, "staff_no": p.staff_no,
                          "window": p.window, "approved_by": mgr_no or "",
                          "approver_name": mgr_name or "", "reason": p.reason,
                          "at": _iso(p.created_at)})
    # unprinted receipts
    unprinted_n = s.execute(select(func.count(Receipt.id))
                            .join(Payment, Payment.id == Receipt.payment_id)
                            .where(where, Receipt.print_count == 0)).scalar() or 0
    unprinted = [{"receipt_no": no, "staff_no": sn, "window": w, "amount_fen": t,
                  "at": _iso(at)} for no, sn, w, t, at in s.execute(
        select(Receipt.receipt_no, Payment.staff_no, Payment.window, Payment.total_fen,
               Payment.created_at).join(Payment, Payment.id == Receipt.payment_id)
        .where(where, Receipt.print_count == 0).order_by(Receipt.year, Receipt.seq)
        .limit(500))]
    # tills
    tills = []
    diff_total = counted_total = expected_total = 0
    for t in s.execute(select(Till).where(Till.hall_id == hid, Till.business_day == day)
                       .order_by(Till.staff_no)).scalars():
        f = figures.get(t.staff_id) or {}
        nc = json.loads(t.noncash or "{}")
        row = {"staff_no": t.staff_no, "name": names.get(t.staff_no, ""), "window": t.window,
               "status": t.status, "status_name": STATUS_NAMES[t.status],
               "float_fen": t.float_fen, "cash_sales_fen": f.get("cash_sales_fen", 0),
               "cash_tendered_fen": f.get("cash_tendered_fen", 0),
               "cash_change_fen": f.get("cash_change_fen", 0),
               "cash_reversals_fen": f.get("cash_reversals_fen", 0),
               "cash_in_fen": f.get("cash_in_fen", 0), "cash_out_fen": f.get("cash_out_fen", 0),
               "expected_fen": _expected(t, f), "counted_fen": t.counted_fen,
               "difference_fen": (t.counted_fen - _expected(t, f))
               if t.counted_fen is not None else None,
               "noncash": nc, "explanation": t.explanation,
               "explanation_required": _needs_explanation(t, threshold),
               "countersigned_by": t.countersigned_by, "recounts": t.recounts,
               "movements": [_movement_info(m).to_dict() for m in t.movements]}
        tills.append(row)
        expected_total += row["expected_fen"]
        if t.counted_fen is not None:
            counted_total += t.counted_fen
            diff_total += row["difference_fen"]
    cash_row = by_method.get("cash", {})
    return {
        "hall": {"code": hall.code, "name": hall.name, "company": hall.company_name,
                 "address": hall.address},
        "business_day": day.isoformat(),
        "generated_at": _iso(clock.now()),
        "totals": {"sales": sales_n, "sales_fen": sales, "voids": voids_n, "voids_fen": voids,
                   "refunds": refunds_n, "refunds_fen": refunds,
                   "reversals_fen": voids + refunds, "net_fen": sales + voids + refunds,
                   "cash_net_fen": cash_row.get("net_fen", 0),
                   "noncash_net_fen": sum(r["net_fen"] for r in methods
                                          if r["method"] != "cash")},
        "by_method": methods, "by_item": by_item, "by_clerk": by_clerk,
        "by_window": by_window, "receipts": _receipt_check(s, hid, day),
        "reversals": reversals,
        "unprinted": {"count": int(unprinted_n), "items": unprinted},
        "tills": tills,
        "cash": {"expected_fen": expected_total, "counted_fen": counted_total,
                 "difference_fen": diff_total, "threshold_fen": threshold},
    }


def _running(s: Session, hall_id: int, day: dt.date, day_net: int, day_diff: int) -> dict:
    month0, year0 = day.replace(day=1), day.replace(month=1, day=1)

    def net(start):
        return int(s.execute(select(func.coalesce(func.sum(Payment.total_fen), 0)).where(
            Payment.hall_id == hall_id, Payment.business_day >= start,
            Payment.business_day <= day)).scalar() or 0)

    def diff(start):
        return int(s.execute(select(func.coalesce(func.sum(Till.difference_fen), 0)).where(
            Till.hall_id == hall_id, Till.business_day >= start, Till.business_day <= day,
            Till.status == "closed")).scalar() or 0)
    return {"day_net_fen": day_net, "month_net_fen": net(month0), "year_net_fen": net(year0),
            "day_difference_fen": day_diff, "month_difference_fen": diff(month0),
            "year_difference_fen": diff(year0),
            "month_from": month0.isoformat(), "year_from": year0.isoformat()}


def _queue_summary(db: Database, hall_id: int, day: dt.date) -> dict | None:
    """The queue's statistics of the day, if the queue capability is installed."""
    try:
        from . import queue as queue_mod
    except Exception:  # noqa: BLE001 - optional capability
        return None
    stats_fn = getattr(queue_mod, "statistics", None)
    if stats_fn is None:
        return None
    try:
        stats = stats_fn(db, hall_id, day, day)
        rows = [r for r in stats.get("rows", []) if r.get("group") in ("total", "service")]
        return {"rows": rows, "busiest_hours": stats.get("busiest_hours", [])}
    except CounterDeskError as exc:
        return {"error": exc.message}
    except Exception as exc:  # noqa: BLE001 - never let the queue stop the day close
        log.warning("queue summary unavailable: %s", type(exc).__name__)
        return None


def day_report(db: Database, actor: Actor, day: dt.date | str | None = None, *,
               cash_settings: CashSettings | None = None) -> dict:
    """The day's report without closing (manager); for a closed day, the stored one."""
    require_manager(actor)
    day = _check_day(day or clock.today())
    queue = _queue_summary(db, actor.hall_id, day)
    with db.read() as s:
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is not None and dc.status == "closed":
            return json.loads(dc.summary)
        hall = s.get(Hall, actor.hall_id)
        agg = _aggregate(s, hall.id, day)
        figures = _cash_figures(s, hall.id, day, agg=agg)
        rep = _report(s, hall, day, figures, _threshold(cash_settings), agg)
        rep["blockers"] = _blockers(s, hall.id, day, figures)
        rep["status"] = "reopened" if dc is not None else "open"
        rep["running"] = _running(s, hall.id, day, rep["totals"]["net_fen"],
                                  rep["cash"]["difference_fen"])
        rep["queue"] = queue
        rep["closed_by"] = None
        return rep


def preclose_check(db: Database, actor: Actor, day: dt.date | str | None = None) -> dict:
    """The manager's check list before the close: blockers, unprinted receipts, gaps."""
    require_manager(actor)
    day = _check_day(day or clock.today())
    with db.read() as s:
        figures = _cash_figures(s, actor.hall_id, day)
        blockers = _blockers(s, actor.hall_id, day, figures)
        closed = dayguard.is_closed(s, actor.hall_id, day)
        unprinted = s.execute(select(func.count(Receipt.id))
                              .join(Payment, Payment.id == Receipt.payment_id)
                              .where(Payment.hall_id == actor.hall_id,
                                     Payment.business_day == day,
                                     Receipt.print_count == 0)).scalar() or 0
        receipts = _receipt_check(s, actor.hall_id, day)
        tills = s.execute(select(Till.staff_no, Till.status).where(
            Till.hall_id == actor.hall_id, Till.business_day == day)
            .order_by(Till.staff_no)).all()
    return {"business_day": day.isoformat(), "closed": closed, "blockers": blockers,
            "can_close": not closed and not blockers, "unprinted": int(unprinted),
            "receipts": receipts,
            "tills": [{"staff_no": n, "status": st, "status_name": STATUS_NAMES[st]}
                      for n, st in tills]}


def close_day(db: Database, actor: Actor, day: dt.date | str, *,
              cash_settings: CashSettings | None = None,
              backup_settings: BackupSettings | None = None,
              backup: bool = True) -> DayCloseResult:
    """日结 (manager): lock the day after computing and storing its report; back up."""
    require_manager(actor)
    day = _check_day(day)
    threshold = _threshold(cash_settings)
    queue = _queue_summary(db, actor.hall_id, day)
    with db.write() as s:
        dayguard.lock_for_close(s, actor.hall_id)      # first: waits for payments in flight
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is not None and dc.status == "closed":
            raise Conflict(f"{day} 已经日结（{dc.closed_by}，{dc.closed_at:%Y-%m-%d %H:%M}）",
                           f"{day} is already closed by {dc.closed_by}", field="date")
        agg = _aggregate(s, actor.hall_id, day)
        figures = _cash_figures(s, actor.hall_id, day, agg=agg)
        blockers = _blockers(s, actor.hall_id, day, figures)
        if blockers:
            raise Conflict("还不能日结：" + "；".join(b["zh"] for b in blockers),
                           "The day cannot be closed yet: " + "; ".join(b["en"] for b in blockers),
                           field="date", data={"blockers": blockers})
        hall = s.get(Hall, actor.hall_id)
        rep = _report(s, hall, day, figures, threshold, agg)
        rep["running"] = _running(s, hall.id, day, rep["totals"]["net_fen"],
                                  rep["cash"]["difference_fen"])
        rep["queue"] = queue
        rep["blockers"] = []
        rep["status"] = "closed"
        rep["closed_by"] = actor.staff_no
        rep["closed_by_name"] = actor.name
        rep["closed_at"] = _iso(clock.now())
        t, run, rc = rep["totals"], rep["running"], rep["receipts"]
        if dc is None:
            dc = DayClose(hall_id=hall.id, business_day=day, close_count=1)
            s.add(dc)
        else:
            dc.close_count = (dc.close_count or 1) + 1
        rep["close_count"] = dc.close_count
        dc.status = "closed"
        dc.closed_by = actor.staff_no
        dc.closed_at = clock.now()
        dc.payment_count = t["sales"]
        dc.sales_fen = t["sales_fen"]
        dc.reversals_fen = t["reversals_fen"]
        dc.net_fen = t["net_fen"]
        dc.cash_net_fen = t["cash_net_fen"]
        dc.difference_fen = rep["cash"]["difference_fen"]
        dc.month_net_fen = run["month_net_fen"]
        dc.year_net_fen = run["year_net_fen"]
        dc.month_difference_fen = run["month_difference_fen"]
        dc.year_difference_fen = run["year_difference_fen"]
        dc.first_receipt_no = rc["first"] or ""
        dc.last_receipt_no = rc["last"] or ""
        dc.summary = json.dumps(rep, ensure_ascii=False, sort_keys=True, default=str)
        s.flush()
        ev = _audit(s, actor, "day.closed", {
            "business_day": day, "close_count": dc.close_count, "totals": t,
            "by_method": {r["method"]: r["net_fen"] for r in rep["by_method"]},
            "running": run, "cash": rep["cash"],
            "receipts": {"first": rc["first"], "last": rc["last"], "count": rc["count"],
                         "gaps": rc["gaps"][:50], "gapless": rc["gapless"]},
            "reversals": len(rep["reversals"]), "unprinted": rep["unprinted"]["count"],
            "tills": {r["staff_no"]: {"expected_fen": r["expected_fen"],
                                      "counted_fen": r["counted_fen"],
                                      "difference_fen": r["difference_fen"]}
                      for r in rep["tills"]}})
        s.add(DayCloseLog(hall_id=hall.id, business_day=day, action="close",
                          staff_no=actor.staff_no, at=clock.now(), net_fen=t["net_fen"],
                          audit_hash=getattr(ev, "hash", "") or ""))
        rep["audit_hash"] = getattr(ev, "hash", "") or ""
    backup_file = backup_error = None
    if backup:
        backup_file, backup_error = _backup_after_close(db, actor, day, backup_settings)
        rep["backup_file"] = backup_file
        rep["backup_error"] = backup_error
    return DayCloseResult(rep, backup_file, backup_error)


def _backup_after_close(db: Database, actor: Actor, day: dt.date,
                        backup_settings: BackupSettings | None) -> tuple[str | None, str | None]:
    from . import backup as backup_mod

    bs = backup_settings or BackupSettings()
    try:
        path = backup_mod.backup(db, directory=bs.effective_dir(), reason="dayclose",
                                 keep=bs.keep)
    except CounterDeskError as exc:
        log.warning("backup after the day close failed: %s", exc.en)
        return None, exc.message
    except OSError as exc:
        log.warning("backup after the day close failed: %s", exc)
        return None, f"备份失败：{exc}"
    with db.write() as s:
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is not None:
            dc.backup_file = str(path)
        actor.audit(s, "backup.written", {"reason": "dayclose", "business_day": day,
                                          "file": Path(path).name})
    return str(path), None


def reopen_day(db: Database, actor: Actor, day: dt.date | str, reason: str) -> dict:
    """重新开启: a manager reopens a closed day, with a reason (recorded)."""
    require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("重新开启已日结的日期须填写原因", "Give the reason for reopening "
                              "the day", field="reason")
    day = _check_day(day)
    with db.write() as s:
        dayguard.lock_for_close(s, actor.hall_id)
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is None or dc.status != "closed":
            raise Conflict(f"{day} 尚未日结，无需重新开启", f"{day} is not closed", field="date")
        dc.status = "reopened"
        dc.reopened_by = actor.staff_no
        dc.reopened_at = clock.now()
        dc.reopen_reason = reason
        ev = _audit(s, actor, "day.reopened", {"business_day": day, "reason": reason,
                                             "net_fen": dc.net_fen,
                                             "close_count": dc.close_count})
        s.add(DayCloseLog(hall_id=actor.hall_id, business_day=day, action="reopen",
                          staff_no=actor.staff_no, at=clock.now(), reason=reason,
                          net_fen=dc.net_fen, audit_hash=getattr(ev, "hash", "") or ""))
        return {"business_day": day.isoformat(), "status": "reopened",
                "reopened_by": actor.staff_no, "reason": reason}


def close_history(db: Database, actor: Actor, day: dt.date | str | None = None) -> list[dict]:
    """Closes and reopens (all days, or one)."""
    with db.read() as s:
        q = select(DayCloseLog).where(DayCloseLog.hall_id == actor.hall_id)
        if day is not None:
            d = dt.date.fromisoformat(day) if isinstance(day, str) else day
            q = q.where(DayCloseLog.business_day == d)
        return [{"business_day": r.business_day.isoformat(), "action": r.action,
                 "staff_no": r.staff_no, "at": _iso(r.at), "reason": r.reason,
                 "net_fen": r.net_fen} for r in s.execute(q.order_by(DayCloseLog.id)).scalars()]


# ======================================================================================
# exports
# ======================================================================================
def _y(fen: int | None) -> str:
    return "" if fen is None else money.fmt(fen, group=False)


def report_sections(rep: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables (title, header, rows): for CSV, Excel and the PDF."""
    t = rep["totals"]
    run = rep.get("running") or {}
    rc = rep["receipts"]
    out: list[tuple[str, list[str], list[list]]] = []
    out.append(("汇总 Summary", ["项目 item", "数值 value"], [
        ["营业厅 hall", f"{rep['hall']['name']} ({rep['hall']['code']})"],
        ["营业日 business day", rep["business_day"]],
        ["收费笔数 sales", t["sales"]], ["收费金额 sales (元)", _y(t["sales_fen"])],
        ["作废笔数 voids", t["voids"]], ["作废金额 voids (元)", _y(t["voids_fen"])],
        ["退款笔数 refunds", t["refunds"]], ["退款金额 refunds (元)", _y(t["refunds_fen"])],
        ["实收净额 net (元)", _y(t["net_fen"])], ["其中现金 cash (元)", _y(t["cash_net_fen"])],
        ["非现金 non-cash (元)", _y(t["noncash_net_fen"])],
        ["应有现金 expected cash (元)", _y(rep["cash"]["expected_fen"])],
        ["实点现金 counted cash (元)", _y(rep["cash"]["counted_fen"])],
        ["长短款 difference (元)", _y(rep["cash"]["difference_fen"])],
        ["票据号 receipts", f"{rc['first'] or '-'} — {rc['last'] or '-'} ({rc['count']})"],
        ["票据号连续 gapless", "是 yes" if rc["gapless"] else "否 NO: " + ", ".join(rc["gaps"][:20])],
        ["未打印票据 unprinted", rep["unprinted"]["count"]],
        ["本日累计 day (元)", _y(run.get("day_net_fen"))],
        ["本月累计 month to date (元)", _y(run.get("month_net_fen"))],
        ["本年累计 year to date (元)", _y(run.get("year_net_fen"))],
        ["本月长短款累计 month difference (元)", _y(run.get("month_difference_fen"))],
        ["本年长短款累计 year difference (元)", _y(run.get("year_difference_fen"))],
        ["日结人 closed by", rep.get("closed_by") or ""],
        ["日结时间 closed at", rep.get("closed_at") or ""],
    ]))
    out.append(("按付款方式 By payment method",
                ["方式 method", "笔数 count", "收款 sales", "冲正 reversals", "净额 net",
                 "实收 tendered", "找零 change"],
                [[r["name"], r["count"], _y(r["sales_fen"]), _y(r["reversals_fen"]),
                  _y(r["net_fen"]), _y(r["tendered_fen"]), _y(r["change_fen"])]
                 for r in rep["by_method"]]))
    out.append(("按收费项目 By fee item",
                ["代码 code", "项目 item", "行数 lines", "数量 qty", "收款 sales",
                 "冲正 reversals", "净额 net"],
                [[r["code"], r["name"], r["lines"], r["qty"], _y(r["sales_fen"]),
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_item"]]))
    out.append(("按收费员 By clerk",
                ["工号 staff", "姓名 name", "笔数 sales", "收款 sales", "冲正笔数 reversals",
                 "冲正 reversals", "净额 net"],
                [[r["staff_no"], r["name"], r["sales"], _y(r["sales_fen"]), r["reversals"],
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_clerk"]]))
    out.append(("按窗口 By window",
                ["窗口 window", "笔数 sales", "收款 sales", "冲正笔数 reversals", "冲正 reversals",
                 "净额 net"],
                [[r["window"] if r["window"] is not None else "-", r["sales"], _y(r["sales_fen"]),
                  r["reversals"], _y(r["reversals_fen"]), _y(r["net_fen"])]
                 for r in rep["by_window"]]))
    out.append(("钱箱 应有与实点 Tills: expected vs counted",
                ["工号 staff", "姓名 name", "备用金 float", "现金收款 cash taken", "现金冲正 cash back",
                 "存入 in", "取出 out", "应有 expected", "实点 counted", "长短款 difference",
                 "说明 explanation", "复核 countersigned"],
                [[r["staff_no"], r["name"], _y(r["float_fen"]), _y(r["cash_sales_fen"]),
                  _y(r["cash_reversals_fen"]), _y(r["cash_in_fen"]), _y(r["cash_out_fen"]),
                  _y(r["expected_fen"]), _y(r["counted_fen"]), _y(r["difference_fen"]),
                  r["explanation"], r["countersigned_by"] or ""] for r in rep["tills"]]))
    nc_rows = []
    for r in rep["tills"]:
        for m, v in sorted((r.get("noncash") or {}).items()):
            if v.get("expected_fen") or v.get("confirmed_fen"):
                nc_rows.append([r["staff_no"], METHOD_NAMES.get(m, m), _y(v["expected_fen"]),
                                _y(v["confirmed_fen"]), _y(v["difference_fen"])])
    out.append(("非现金核对 Non-cash confirmed",
                ["工号 staff", "方式 method", "系统 system", "确认 confirmed", "差额 difference"],
                nc_rows))
    out.append(("作废与退款 Voids and refunds",
                ["类型 kind", "票据号 receipt", "原票据 original", "金额 amount", "收费员 clerk",
                 "授权人 approved by", "原因 reason", "时间 time"],
                [[r["kind_name"], r["receipt_no"], r["original_receipt_no"],
                  _y(r["amount_fen"]), r["staff_no"],
                  f"{r['approved_by']} {r['approver_name']}".strip(), r["reason"], r["at"]]
                 for r in rep["reversals"]]))
    mv = []
    for r in rep["tills"]:
        for m in r["movements"]:
            mv.append([r["staff_no"], DIRECTION_NAMES.get(m["direction"], m["direction"]),
                       _y(m["amount_fen"]), m["reason"], m["approved_by"], m["at"]])
    out.append(("现金存取 Cash movements",
                ["工号 staff", "方向 direction", "金额 amount", "原因 reason", "授权人 approved by",
                 "时间 time"], mv))
    out.append(("未打印票据 Unprinted receipts",
                ["票据号 receipt", "收费员 clerk", "窗口 window", "金额 amount", "时间 time"],
                [[r["receipt_no"], r["staff_no"], r["window"], _y(r["amount_fen"]), r["at"]]
                 for r in rep["unprinted"]["items"]]))
    q = rep.get("queue")
    if q and q.get("rows"):
        out.append(("排队情况 Queue", ["业务 service", "取号 tickets", "办结 finished",
                                     "过号 no-shows", "平均等候(秒) avg wait s",
                                     "平均办理(秒) avg service s"],
                    [[f"{r['key']} {r['name']}".strip(), r["tickets"], r["finished"],
                      r["no_shows"], r["avg_wait"] if r["avg_wait"] is not None else "",
                      r["avg_service"] if r["avg_service"] is not None else ""]
                     for r in q["rows"]]))
    return out


def export_csv(rep: dict) -> str:
    """The report as one CSV text with titled sections (write it UTF-8 with BOM)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for title, header, rows in report_sections(rep):
        w.writerow([f"# {title}"])
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
        w.writerow([])
    return buf.getvalue()


def write_csv(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    textfiles.write_text(path, export_csv(rep))
    return path


def write_xlsx(rep: dict, path: str | Path) -> Path:
    """The report as an Excel workbook, one sheet per section (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows in report_sections(rep):
        name = title.split(" ")[0][:28] or "Sheet"
        while name in used:
            name += "_"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([title])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for c in ws[2]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([_cell(v) for v in r])
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(2, i).column_letter].width = max(10, min(40, len(h) + 4))
    wb.save(path)
    return path


def _cell(v):
    """Amounts stay exact: numbers as Decimal-like strings become numbers Excel can sum."""
    if isinstance(v, str) and v and v.lstrip("-").replace(".", "", 1).isdigit() and "." in v:
        return Decimal(v)
    return v


__all__ = ["DENOMINATIONS", "denominations", "parse_counts", "parse_count_args", "open_till",
           "till_status", "move_cash", "x_report", "count_till", "close_till", "countersign",
           "reopen_till", "tills_for_day", "till_report_data", "day_report", "preclose_check", "close_day",
           "reopen_day", "close_history", "export_csv", "write_csv", "write_xlsx",
           "report_sections", "TillInfo", "CountResult", "DayCloseResult", "MovementInfo"]
