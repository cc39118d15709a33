"""The manager's day close (日清日结) [seed 004 第二十二条(四), 第二十五条(四)].

:func:`close_day` takes the closed-day lock first
(:func:`counterdesk.dayguard.lock_for_close`), refuses while a till is not countersigned
or a clerk took money without a till, computes the report
(:mod:`counterdesk.cash.dayreport`), stores it with the
:class:`~counterdesk.models.cash.DayClose` row and in the audit chain, and locks the
day. Then the database is backed up. :func:`reopen_day` needs a manager and a reason.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from .. import audit, clock, dayguard, validators
from .. import backup as backup_mod
from ..clock import iso as _iso
from ..db import Database
from ..errors import Conflict, CounterDeskError, ValidationError
from ..models.billing import Payment, Receipt
from ..models.cash import DayClose, DayCloseLog, Till
from ..settings import BackupSettings
from ..staff import Actor, Approval, check_approval, record_authorisation, require_manager
from .dayreport import _blockers, _check_day, _queue_summary, _receipt_check, _report, _running
from .figures import STATUS_NAMES, _aggregate, _cash_figures
from .till import _audit, _threshold

log = logging.getLogger(__name__)


@dataclass
class DayCloseResult:
    report: dict
    backup_file: str | None
    backup_error: str | None

    def to_dict(self) -> dict:
        return {"report": self.report, "backup_file": self.backup_file,
                "backup_error": self.backup_error}


def day_report(db: Database, actor: Actor, day: dt.date | str | None = None) -> dict:
    """The day's report without closing (manager); for a closed day, the stored one."""
    require_manager(actor)
    day = _check_day(day or clock.today())
    queue = _queue_summary(db, actor.hall_id, day)
    with db.read() as s:
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is not None and dc.status == "closed":
            rep = json.loads(dc.summary)
            if dc.anchor_seq is not None:
                rep["anchor"] = audit.anchor_text(dc.anchor_chain, dc.anchor_seq,
                                                  dc.anchor_hash)
            return rep
        hid = actor.hall_id
        agg = _aggregate(s, hid, day)
        figures = _cash_figures(s, hid, day, agg=agg)
        rep = _report(s, hid, day, figures, _threshold(s, actor.hall_id), agg)
        rep["blockers"] = _blockers(s, hid, day, figures)
        rep["status"] = "reopened" if dc is not None else "open"
        rep["running"] = _running(s, hid, day, rep["totals"]["net_fen"],
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


def close_day(db: Database, actor: Actor, day: dt.date | str | None, *,
              backup_settings: BackupSettings | None = None,
              backup: bool = True) -> DayCloseResult:
    """日结 (manager): lock the day after computing and storing its report; back up."""
    require_manager(actor)
    day = _check_day(day)
    queue = _queue_summary(db, actor.hall_id, day)
    with db.write() as s:
        dayguard.lock_for_close(s, actor.hall_id)      # first: waits for payments in flight
        threshold = _threshold(s, actor.hall_id)
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
        hid = actor.hall_id
        rep = _report(s, hid, day, figures, threshold, agg)
        rep["running"] = _running(s, hid, day, rep["totals"]["net_fen"],
                                  rep["cash"]["difference_fen"])
        rep["queue"] = queue
        rep["blockers"] = []
        rep["status"] = "closed"
        rep["closed_by"] = actor.staff_no
        rep["closed_by_name"] = actor.name
        rep["closed_at"] = _iso(clock.now())
        t, run, rc = rep["totals"], rep["running"], rep["receipts"]
        if dc is None:
            dc = DayClose(hall_id=hid, business_day=day, close_count=1)
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
        log = DayCloseLog(hall_id=hid, business_day=day, action="close",
                          staff_no=actor.staff_no, at=clock.now(), net_fen=t["net_fen"])
        s.add(log)
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
        # the anchor: the close event is the head of the hall's own chain; kept with the
        # close and printed on the report (these columns are not part of the rows'
        # covered content)
        log.audit_hash = dc.anchor_hash = rep["audit_hash"] = ev.hash
        dc.anchor_chain, dc.anchor_seq = ev.chain, ev.seq
        rep["anchor"] = audit.anchor_text(ev.chain, ev.seq, ev.hash)
    backup_file = backup_error = None
    if backup:
        backup_file, backup_error = _backup_after_close(db, actor, day, backup_settings)
        rep["backup_file"] = backup_file
        rep["backup_error"] = backup_error
    return DayCloseResult(rep, backup_file, backup_error)


def _backup_after_close(db: Database, actor: Actor, day: dt.date,
                        backup_settings: BackupSettings | None) -> tuple[str | None, str | None]:
    bs = backup_settings or BackupSettings()
    try:
        path = backup_mod.backup(db, directory=bs.effective_dir(), reason="dayclose",
                                 hall_code=actor.hall_code, keep_min=bs.keep,
                                 keep_days=backup_mod.keep_days(db, actor.hall_code))
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


def reopen_day(db: Database, actor: Actor, day: dt.date | str | None, reason: str,
               approval: Approval | None = None) -> dict:
    """重新开启: a manager reopens a closed day, with a reason and a second manager's approval
    (never their own: issue 15), both recorded."""
    require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("重新开启已日结的日期须填写原因", "Give the reason for reopening "
                              "the day", field="reason")
    day = _check_day(day)
    checked = check_approval(db, approval, actor, "day.reopen")
    with db.write() as s:
        auth = record_authorisation(s, checked, "day.reopen", actor, f"{day}: {reason}")
        dayguard.lock_for_close(s, actor.hall_id)
        dc = s.execute(select(DayClose).where(DayClose.hall_id == actor.hall_id,
                                              DayClose.business_day == day)).scalar()
        if dc is None or dc.status != "closed":
            raise Conflict(f"{day} 尚未日结，无需重新开启", f"{day} is not closed", field="date")
        dc.status = "reopened"
        dc.reopened_by = actor.staff_no
        dc.reopened_at = clock.now()
        dc.reopen_reason = reason
        log = DayCloseLog(hall_id=actor.hall_id, business_day=day, action="reopen",
                          staff_no=actor.staff_no, at=clock.now(), reason=reason,
                          net_fen=dc.net_fen)
        s.add(log)
        ev = _audit(s, actor, "day.reopened", {"business_day": day, "reason": reason,
                                             "authorisation_id": auth.id,
                                             "net_fen": dc.net_fen,
                                             "close_count": dc.close_count})
        log.audit_hash = ev.hash
        return {"business_day": day.isoformat(), "status": "reopened",
                "reopened_by": actor.staff_no, "reason": reason}


def close_history(db: Database, actor: Actor, day: dt.date | str | None = None) -> list[dict]:
    """Closes and reopens (all days, or one)."""
    with db.read() as s:
        q = select(DayCloseLog).where(DayCloseLog.hall_id == actor.hall_id)
        if day is not None:
            d = validators.date(day, "date", required=True)
            q = q.where(DayCloseLog.business_day == d)
        return [{"business_day": r.business_day.isoformat(), "action": r.action,
                 "staff_no": r.staff_no, "at": _iso(r.at), "reason": r.reason,
                 "net_fen": r.net_fen} for r in s.execute(q.order_by(DayCloseLog.id)).scalars()]
