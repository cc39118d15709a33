"""The print outbox worker: sends pending ``PrintJob`` rows to the window's printer.

Payments are committed first and printed after (``billing.pay`` writes the job in the
payment's transaction). A :class:`Spooler` runs one plain-Python thread per window PC
(the UI wraps it and turns its callbacks into Qt signals); nothing here ever blocks the
caller: :meth:`Spooler.kick` just wakes the thread.

Every job goes through the one transport, :func:`counterdesk.print.printers.send`, and
its outcome is recorded truthfully (issue 16.5/16.6):

* each job is first **claimed** atomically (``billing.claim_job``: UPDATE … WHERE
  status='pending'), so two programs on one PC or two PCs never print the same job;
* nothing printed (refused, timeout before all bytes went, paper out) → **pending**
  again with ``last_error``, retried;
* every byte accepted but the end never confirmed (a printer that keeps port 9100 open,
  a Windows job stuck in the queue) → **sent** ("sent, unconfirmed"): never resent,
  the clerk is told once (``on_unconfirmed``) and reprints as 补打 if no paper came out;
* a claim older than a send can take (the program died mid-print) → **sent** too.

The cash drawer opens only on the first attempt of a cash payment's first print — never
on a retry, never on a 补打.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .. import billing
from ..db import Database
from ..errors import CounterDeskError, PrinterError
from . import printers
from .printers import PrinterConfig, PrintUnconfirmed

log = logging.getLogger(__name__)


def render_job(job: billing.PrintJobInfo, p: printers.PrinterURI | PrinterConfig) -> bytes:
    """The bytes of a job for this printer (receipts are rendered for its paper width)."""
    if job.data:
        return job.data
    from .receipt import render

    if isinstance(p, PrinterConfig):
        p = p.resolve()
    drawer = job.open_drawer and p.cash_drawer and not job.reprint and job.attempts == 0
    return render(job.params, columns=p.columns, reprint_no=job.reprint_no,
                  open_drawer=drawer)


def send(cfg: PrinterConfig, data: bytes, *, job_name: str = "CounterDesk") -> None:
    """Send bytes to the configured printer (the one transport); :class:`PrinterError`
    on any failure, :class:`PrintUnconfirmed` when the end was not confirmed."""
    printers.send(cfg.resolve(), data, job_name=job_name)


class Spooler:
    """One worker thread sending the pending jobs of a hall in order: of one window
    (a window PC; ``None`` for a PC without a window) or of all (``"all"``).

    Callbacks run on the worker thread: ``on_state(dict)`` with
    ``{"online", "pending", "message", "printer"}`` after every pass, and
    ``on_printed(job)`` / ``on_failed(job, message)`` / ``on_unconfirmed(job, message)``
    per job (the last once per job: it is never resent).
    """

    def __init__(self, db: Database, hall_id: int, cfg: PrinterConfig, *,
                 window: int | None | str = billing.ALL_WINDOWS, retry_seconds: float = 10.0,
                 on_state: Callable[[dict], None] | None = None,
                 on_printed: Callable[[billing.PrintJobInfo], None] | None = None,
                 on_failed: Callable[[billing.PrintJobInfo, str], None] | None = None,
                 on_unconfirmed: Callable[[billing.PrintJobInfo, str], None] | None = None):
        self.db = db
        self.hall_id = hall_id
        self.window = window
        self.retry_seconds = retry_seconds
        self.on_state = on_state
        self.on_printed = on_printed
        self.on_failed = on_failed
        self.on_unconfirmed = on_unconfirmed
        self._cfg = cfg
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.online: bool | None = None
        self.last_error = ""
        self.passes = 0

    # -- control (any thread) -------------------------------------------------------------
    @property
    def config(self) -> PrinterConfig:
        with self._lock:
            return self._cfg

    def set_printer(self, uri: str, *, width_mm: int | None = None,
                    dots: int | None = None) -> None:
        """Switch printer (validated) and retry the pending jobs on it."""
        with self._lock:
            cfg = PrinterConfig(uri, width_mm or self._cfg.width_mm, dots or self._cfg.dots,
                                self._cfg.timeout, self._cfg.cash_drawer)
        cfg.resolve()   # refuse a bad address before switching
        with self._lock:
            self._cfg = cfg
        self.kick()

    def start(self) -> Spooler:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="print-spooler",
                                            daemon=True)
            self._thread.start()
        return self

    def kick(self) -> None:
        """Wake the worker now (after a payment, or the clerk's 'retry')."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- work -----------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - keep the worker alive; logged
                log.exception("print spooler pass failed")
            wait = self.retry_seconds if self.online is False or self.last_error else 30.0
            self._wake.wait(wait)
            self._wake.clear()

    def run_once(self) -> tuple[int, int]:
        """One pass over the pending jobs: (printed, failed). Stops at the first failure."""
        printed = failed = 0
        cfg = self.config
        message = ""
        try:
            released = billing.release_stale_claims(self.db, self.hall_id, window=self.window)
            jobs = billing.pending_jobs(self.db, self.hall_id, window=self.window)
        except CounterDeskError as exc:  # database unreachable: try later
            self._emit_state(exc.message)
            return 0, 0
        for job in released:   # a program died mid-print: tell the clerk once
            if self.on_unconfirmed:
                self.on_unconfirmed(job, job.last_error)
        for job in jobs:
            if self._stop.is_set():
                break
            try:
                if not billing.claim_job(self.db, job.id):
                    continue   # another program took it
            except CounterDeskError as exc:
                message = exc.message
                break
            outcome = self._print_one(job, cfg)
            if outcome == "printed":
                printed += 1
                continue
            failed += 1
            message = self.last_error
            break
        if not jobs:
            self.last_error = ""
        self.passes += 1
        self._emit_state(message)
        return printed, failed

    def _print_one(self, job: billing.PrintJobInfo, cfg: PrinterConfig) -> str:
        """Send one claimed job and record the truth: printed, failed or unconfirmed."""
        try:
            p = cfg.resolve()
            data = render_job(job, p)
            printers.send(p, data, job_name=job.receipt_no or f"CounterDesk {job.id}")
        except PrintUnconfirmed as exc:
            self._record(billing.job_unconfirmed, job, exc.message)
            if self.on_unconfirmed:
                self.on_unconfirmed(job, exc.message)
            return "unconfirmed"
        except Exception as exc:  # noqa: BLE001 - nothing printed: back to pending
            msg = exc.message if isinstance(exc, CounterDeskError) else f"打印失败：{exc}"
            if not isinstance(exc, CounterDeskError):
                log.exception("print job %s failed", job.id)
            self._record(billing.job_failed, job, msg)
            if self.on_failed:
                self.on_failed(job, msg)
            return "failed"
        try:
            billing.job_printed(self.db, job.id, cfg.uri)
        except CounterDeskError:
            log.warning("job %s printed but not recorded; it stays claimed", job.id)
        self.online = True
        self.last_error = ""
        if self.on_printed:
            self.on_printed(job)
        return "printed"

    def _record(self, mark, job: billing.PrintJobInfo, message: str) -> None:
        try:
            mark(self.db, job.id, message)
        except CounterDeskError:
            pass
        self.online = False
        self.last_error = message

    def _emit_state(self, message: str = "") -> None:
        if not self.on_state:
            return
        try:
            pending = billing.pending_count(self.db, self.hall_id, window=self.window)
        except CounterDeskError as exc:
            pending, message = -1, message or exc.message
        self.on_state({"online": self.online is not False, "pending": pending,
                       "message": message or self.last_error, "printer": self.config.uri})

    def state(self) -> dict:
        return {"online": self.online is not False, "message": self.last_error,
                "printer": self.config.uri,
                "pending": billing.pending_count(self.db, self.hall_id, window=self.window)}


def print_pending(db: Database, hall_id: int, cfg: PrinterConfig, *,
                  window: int | None | str = billing.ALL_WINDOWS) -> tuple[int, int, str]:
    """One synchronous pass (command line): (printed, failed, last error)."""
    sp = Spooler(db, hall_id, cfg, window=window)
    printed, failed = sp.run_once()
    return printed, failed, sp.last_error


__all__ = ["PrinterConfig", "PrinterError", "PrintUnconfirmed", "Spooler", "send",
           "render_job", "print_pending"]
