"""The manager's side of a till: countersign (复核) a closed till, reopen a count."""

from __future__ import annotations

import datetime as dt
import json

from .. import clock, dayguard
from ..db import Database
from ..errors import Conflict, PermissionDenied, ValidationError
from ..staff import Actor, Approval, check_approval, record_authorisation
from .till import TillInfo, _get_till, _info, _threshold


def countersign(db: Database, actor: Actor, approval: Approval | None, *,
                staff_no: str | None = None, day: dt.date | None = None) -> TillInfo:
    """复核: a manager countersigns a closed till (their staff number and password)."""
    day = day or clock.today()
    if approval is None or not approval.staff_no:
        raise PermissionDenied("交款须由主任复核签字（输入其工号和密码）",
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
    checked = check_approval(db, approval, actor, "till.countersign")
    with db.write() as s:
        auth = record_authorisation(s, checked, "till.countersign", actor, f"{who} {day}")
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
        return _info(s, till, reveal=True, threshold=_threshold(s, actor.hall_id))


def reopen_till(db: Database, actor: Actor, approval: Approval | None, reason: str, *,
                staff_no: str | None = None) -> TillInfo:
    """A manager reopens a counted till for a recount (e.g. money taken after the count).
    The old count stays in the audit chain; ``recounts`` is kept on the till."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写重新点钞的原因", "Give the reason for the recount",
                              field="reason")
    if approval is None or not approval.staff_no:
        raise PermissionDenied("重新点钞须由主任授权", "A recount needs a manager's "
                               "authorisation", field="approver")
    day = clock.today()
    checked = check_approval(db, approval, actor, "till.reopen")
    with db.write() as s:
        auth = record_authorisation(s, checked, "till.reopen", actor, reason)
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
        return _info(s, till, reveal=False, threshold=_threshold(s, actor.hall_id))
