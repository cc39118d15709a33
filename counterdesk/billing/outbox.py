"""Receipts and the print outbox: jobs waiting for the printer, printed / failed,
reprints (补打) and receipt look-ups.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from .. import clock, money
from ..db import Database
from ..errors import Conflict, NotFound
from ..models.billing import (
    Payment,
    PrintJob,
    Receipt,
)
from ..staff import Actor
from .ledger import _load_receipt
from .prices import _d
from .sale import shows_day_money


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
    no = s.get_one(Receipt, j.receipt_id).receipt_no if j.receipt_id else None
    return PrintJobInfo(j.id, j.kind, no, j.window, j.status, j.attempts, j.last_error,
                        j.reprint, j.reprint_no, j.open_drawer, j.printer_uri,
                        j.created_at.isoformat(timespec="seconds"),
                        json.loads(j.params or "{}"), j.data)


ALL_WINDOWS = "all"

# Job states: pending → printing (claimed by one spooler) → printed | pending (nothing
# printed, retried) | sent (every byte accepted, end not confirmed: never resent blindly,
# the clerk is told and may reprint as 补打). While "printing", printed_at holds the claim time.
PRINTING, SENT = "printing", "sent"
STALE_CLAIM_SECONDS = 120


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
    """Jobs not yet out of the printer: waiting or being printed now."""
    with db.read() as s:
        q = _window_filter(select(func.count()).select_from(PrintJob).where(
            PrintJob.hall_id == hall_id, PrintJob.status.in_(("pending", PRINTING))), window)
        return int(s.execute(q).scalar() or 0)


def claim_job(db: Database, job_id: int) -> bool:
    """Claim a pending job for this spooler, atomically (one UPDATE … WHERE status =
    'pending'): of two programs that read the same job, exactly one gets it."""
    with db.write() as s:
        res = cast(CursorResult[Any], s.execute(
            update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "pending")
            .values(status=PRINTING, printed_at=clock.now())
            .execution_options(synchronize_session=False)))
        return res.rowcount == 1


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
            rc = s.get_one(Receipt, j.receipt_id)
            rc.print_count += 1
            rc.last_printed_at = j.printed_at


def job_failed(db: Database, job_id: int, error: str) -> None:
    """A failed attempt that printed nothing: the job is pending again (retried), the error
    is kept for the badge."""
    with db.write() as s:
        j = s.get(PrintJob, job_id)
        if j is None or j.status in ("printed", SENT):
            return
        j.status, j.printed_at = "pending", None
        j.attempts += 1
        j.last_error = error[:500]


def job_unconfirmed(db: Database, job_id: int, error: str) -> None:
    """Every byte went but the printer never confirmed: "sent, unconfirmed" — not retried;
    the clerk checks the paper and reprints as 补打 if nothing came out."""
    with db.write() as s:
        j = s.get(PrintJob, job_id)
        if j is None or j.status == "printed":
            return
        j.status, j.attempts, j.last_error = SENT, j.attempts + 1, error[:500]
        j.printed_at = None


def release_stale_claims(db: Database, hall_id: int, *,
                         window: int | None | str = ALL_WINDOWS,
                         older_than: float = STALE_CLAIM_SECONDS) -> list[PrintJobInfo]:
    """Jobs claimed longer ago than a send can take (the program died mid-print) become
    "sent, unconfirmed": the bytes may have reached the paper, so they are not resent."""
    cutoff = clock.now() - dt.timedelta(seconds=older_than)
    with db.write() as s:
        rows = s.execute(_window_filter(select(PrintJob).where(
            PrintJob.hall_id == hall_id, PrintJob.status == PRINTING,
            PrintJob.printed_at < cutoff), window)).scalars().all()
        for j in rows:
            j.status, j.printed_at = SENT, None
            j.last_error = "打印程序在打印中途退出，未确认是否打出；未出纸可补打"
        s.flush()
        return [_job_info(s, j) for j in rows]


def unconfirmed_jobs(db: Database, hall_id: int, *, window: int | None | str = ALL_WINDOWS,
                     limit: int = 50) -> list[PrintJobInfo]:
    """Jobs sent but not confirmed (newest first), for the clerk's 补打 decision."""
    with db.read() as s:
        q = _window_filter(select(PrintJob).where(PrintJob.hall_id == hall_id,
                                                  PrintJob.status == SENT), window)
        rows = s.execute(q.order_by(PrintJob.id.desc()).limit(limit)).scalars().all()
        return [_job_info(s, j) for j in rows]


def reprint(db: Database, actor: Actor, receipt_no: str, *, printer_uri: str = ""
            ) -> PrintJobInfo:
    """补打: a new print job of the same receipt content, marked with the reprint count."""
    with db.write() as s:
        rc = _load_receipt(s, actor.hall_id, receipt_no)
        jobs = s.execute(select(PrintJob).where(PrintJob.receipt_id == rc.id)
                         .order_by(PrintJob.id)).scalars().all()
        if not jobs:  # pragma: no cover - every receipt is written with its job
            raise NotFound(f"票据 {receipt_no} 没有打印内容", f"Receipt {receipt_no} has no print data")
        if any(j.status in ("pending", PRINTING) for j in jobs):
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
    """The clerk's latest receipts today (for reprint / void pickers); the amounts only once
    the clerk's count is submitted (blind count)."""
    with db.read() as s:
        visible = shows_day_money(s, actor, clock.today())
        rows = s.execute(select(Receipt, Payment).join(Payment, Payment.id == Receipt.payment_id)
                         .where(Payment.hall_id == actor.hall_id,
                                Payment.business_day == clock.today(),
                                Payment.staff_no == actor.staff_no)
                         .order_by(Receipt.id.desc()).limit(limit)).all()
        return [{"receipt_no": r.receipt_no, "kind": p.kind, "status": p.status,
                 "total_fen": p.total_fen if visible else None,
                 "at": p.created_at.isoformat(timespec="seconds")}
                for r, p in rows]


# ======================================================================================
