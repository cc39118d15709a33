"""The clerk's till (钱箱): open with the float, move cash, the blind count, close.

1. :func:`open_till` — the opening float (备用金, 备足零钱) counted by denomination.
2. :func:`move_cash` — cash in / out during the day, with a reason and a manager's
   authorisation.
3. :func:`count_till` — the **blind count**: the clerk submits the count by denomination
   and the non-cash totals per method (from the card / QR terminal slips). Only the
   result of this call carries the expected amounts; :func:`till_status` withholds them
   from the clerk while the till is open. A count is final (a manager can reopen it with
   a reason: :func:`counterdesk.cash.countersign.reopen_till`).
4. :func:`close_till` — the clerk closes with an explanation (required when the cash
   difference exceeds ``cash.difference_threshold_fen`` or a non-cash total differs).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock, dayguard, money, requestkeys
from ..clock import iso as _iso
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Staff
from ..models.cash import DIRECTION_NAMES, CashMovement, Till, TillCount
from ..policy import cash_threshold_fen
from ..staff import Actor, Approval, check_approval, record_authorisation
from .denominations import _BY_CODE, DENOMINATIONS, counts_total, parse_counts
from .figures import NONCASH_METHODS, STATUS_NAMES, _cash_figures, _expected, parse_noncash


@dataclass
class MovementInfo:
    id: int
    direction: str
    amount_fen: int
    reason: str
    approved_by: str
    at: str
    staff_no: str = ""
    replayed: str = ""      # as PaymentResult.replayed

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
    if lock:   # SQLAlchemy leaves FOR UPDATE out on SQLite
        q = q.with_for_update()
    till = s.execute(q).scalar()
    if till is None:
        raise NotFound(f"工号 {who} 在 {day} 还没有开钱箱，请先开箱点备用金",
                       f"{who} has no till open on {day}: open the till and count the float "
                       "first", field="till")
    return till


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
    return audit.record(s, kind, data, staff_no=actor.staff_no, hall_code=actor.hall_code,
                        window=actor.window)


def _threshold(s: Session, hall_id: int) -> int:
    """The hall's cash difference needing an explanation (hall policy)."""
    return cash_threshold_fen(s, hall_id)


def _write_counts(s: Session, till: Till, kind: str, parsed) -> None:
    for d, n in parsed:
        if n:
            till.counts.append(TillCount(kind=kind, denomination=d.code, value_fen=d.value_fen,
                                         count=n, amount_fen=d.value_fen * n))


def open_till(db: Database, actor: Actor, counts) -> TillInfo:
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
        return _info(s, till, reveal=False, threshold=_threshold(s, actor.hall_id))


def till_status(db: Database, actor: Actor, *, staff_no: str | None = None,
                day: dt.date | None = None) -> TillInfo | None:
    """The till (or ``None``). A clerk never sees the expected cash of an open till."""
    day = day or clock.today()
    other = bool(staff_no and staff_no != actor.staff_no)
    if other and not actor.is_manager:
        raise PermissionDenied("只能查看自己的钱箱；查看他人钱箱须由主任操作",
                               "You can only see your own till; a manager sees the others")
    with db.read() as s:
        try:
            till = _get_till(s, actor, day, staff_no=staff_no)
        except NotFound:
            return None
        return _info(s, till, reveal=other and actor.is_manager,
                     threshold=_threshold(s, actor.hall_id))


def move_cash(db: Database, actor: Actor, direction: str, amount_fen: int, reason: str,
              approval: Approval | None, *, request_key: str | None = None) -> MovementInfo:
    """现金存入 / 取出 with a reason and a manager's authorisation, once per request key."""
    key = requestkeys.check_key(request_key)

    def recall(ref: int, how: str) -> MovementInfo:
        with db.read() as s:
            info = _movement_info(s.get_one(CashMovement, ref))
        info.replayed = how
        return info

    return requestkeys.run_once(db, key, "movement", lambda: _move_cash(
        db, actor, direction, amount_fen, reason, approval, key), recall)


def _move_cash(db: Database, actor: Actor, direction: str, amount_fen: int, reason: str,
               approval: Approval | None, request_key: str) -> MovementInfo:
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
        raise PermissionDenied("钱箱现金存入/取出须由主任授权（输入其工号和密码）",
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
    checked = check_approval(db, approval, actor, "cash.movement")
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
        auth = record_authorisation(
            s, checked, "cash.movement", actor,
            f"{DIRECTION_NAMES[direction]} {money.fmt(amount_fen)}: {reason}")
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
        requestkeys.record(s, actor.hall_id, request_key, "movement", m.id)
        actor.audit(s, "cash.movement", {
            "till_id": till.id, "business_day": day, "direction": direction,
            "amount_fen": amount_fen, "reason": reason, "authorisation_id": auth.id,
            "approved_by": mgr_no})
        return _movement_info(m)


def count_till(db: Database, actor: Actor, counts, *,
               noncash: dict[str, int] | None = None) -> CountResult:
    """点钞 (blind): submit the count; only now are the expected amounts returned."""
    parsed = parse_counts(counts)
    confirmed = parse_noncash(noncash)
    counted = counts_total(parsed)
    day = clock.today()
    with db.write() as s:
        dayguard.ensure_open(s, actor.hall_id, day)
        threshold = _threshold(s, actor.hall_id)
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


def close_till(db: Database, actor: Actor, explanation: str = "") -> TillInfo:
    """交款: the clerk closes the counted till (explanation when the difference needs one)."""
    explanation = (explanation or "").strip()
    day = clock.today()
    with db.write() as s:
        threshold = _threshold(s, actor.hall_id)
        till = _get_till(s, actor, day, lock=True)
        if till.status == "open":
            raise Conflict("请先点钞（盲点）再交款", "Count the till (blind count) before closing it",
                           field="till")
        if till.status in ("submitted", "closed"):
            raise Conflict("钱箱已交款", "The till is already closed", field="till")
        if _needs_explanation(till, threshold) and not explanation:
            diff = till.difference_fen or 0  # counted: _needs_explanation read a difference
            raise ValidationError(
                f"长短款 {money.fmt_symbol(diff)} 超过 {money.fmt_symbol(threshold)}"
                "或非现金合计不符，须填写情况说明", f"The difference {money.fmt(diff)} "
                f"exceeds {money.fmt(threshold)} or a non-cash total differs: an explanation is "
                "required", field="explanation")
        till.status = "submitted"
        till.submitted_at = clock.now()
        till.explanation = explanation
        actor.audit(s, "till.submitted", {
            "till_id": till.id, "business_day": till.business_day,
            "difference_fen": till.difference_fen, "explanation": explanation})
        return _info(s, till, reveal=True, threshold=threshold)
