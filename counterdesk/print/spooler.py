"""The print outbox worker: sends pending ``PrintJob`` rows to the window's printer.

Payments are committed first and printed after (``billing.pay`` writes the job in the
payment's transaction). A :class:`Spooler` runs one plain-Python thread per window PC
(the UI wraps it and turns its callbacks into Qt signals); nothing here ever blocks the
caller: :meth:`Spooler.kick` just wakes the thread.

A send fails — and the job stays **pending** with ``last_error``, to be retried — when
the printer refuses the connection, does not answer within the timeout (≤ 3 s), breaks
the connection mid-job, or reports no paper. On TCP (raw port 9100) a job counts as
printed once the printer has taken every byte and closed the connection after our end
of data; URI options:

* ``?confirm=0`` — do not wait for that close (for a printer that keeps it open);
* ``?status=1`` — ask the paper sensor first (``DLE EOT 4``; the printer must answer).

Other transports (``win32:``, ``usb:``, ``serial:``, ``file:``) go through
``printers.send``. After the first print of a cash payment the cash drawer opens
(drawer kick appended to the receipt), never on a reprint.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import billing
from ..db import Database
from ..errors import CounterDeskError, PrinterError
from . import printers

log = logging.getLogger(__name__)

DLE_EOT_PAPER = b"\x10\x04\x04"


@dataclass
class PrinterConfig:
    uri: str
    width_mm: int = 80
    dots: int = 576
    timeout: float = 3.0
    cash_drawer: bool = True

    @classmethod
    def from_settings(cls, settings) -> PrinterConfig:
        p = settings.printer
        return cls(p.uri, p.width, p.dots, min(3.0, p.timeout), p.cash_drawer)


def render_job(job: billing.PrintJobInfo, cfg: PrinterConfig) -> bytes:
    """The bytes of a job for this printer (receipts are rendered for its paper width)."""
    if job.data:
        return job.data
    from .receipt import render

    p = printers.parse(cfg.uri, width_mm=cfg.width_mm, dots=cfg.dots)
    return render(job.params, columns=p.columns, reprint_no=job.reprint_no,
                  open_drawer=job.open_drawer and cfg.cash_drawer and not job.reprint)


def _tcp_send(p: printers.PrinterURI, data: bytes, timeout: float) -> None:
    dev = None
    try:
        dev = printers._open(p, timeout)  # python-escpos Network on a connected socket
        sock: socket.socket = dev.device
        if p.params.get("status") == "1":
            sock.sendall(DLE_EOT_PAPER)
            reply = sock.recv(1)
            if not reply:
                raise ConnectionResetError("no status")
            if reply[0] & 0x60 == 0x60:
                raise PrinterError(f"打印机 {p.raw} 缺纸。票据已保存，装纸后会自动补发。",
                                   f"Printer {p.raw} is out of paper. The receipt is kept and "
                                   "will print when paper is loaded.")
        dev._raw(data)
        if p.params.get("confirm", "1") != "0":
            # End of data; a raw-9100 printer closes once it has taken the job.
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no confirmation")
                sock.settimeout(left)
                chunk = sock.recv(256)
                if not chunk:
                    break
    except PrinterError:
        raise
    except Exception as exc:  # noqa: BLE001 - every transport fault is a printer fault
        raise printers._describe_failure(p, exc) from exc
    finally:
        if dev is not None:
            try:
                dev.device.close()
            except Exception:  # noqa: BLE001
                pass


def send(cfg: PrinterConfig, data: bytes) -> None:
    """Send bytes to the configured printer; :class:`PrinterError` on any failure."""
    if not cfg.uri:
        raise PrinterError("本机未设置收据打印机（设置 [printer] uri 或 --printer）。票据已保存。",
                           "No receipt printer is set up ([printer] uri or --printer). "
                           "The receipt is kept.")
    p = printers.parse(cfg.uri, width_mm=cfg.width_mm, dots=cfg.dots)
    timeout = min(3.0, cfg.timeout)
    if p.scheme == "tcp":
        _tcp_send(p, data, timeout)
    else:
        printers.send(p, data, timeout=timeout)


class Spooler:
    """One worker thread sending the pending jobs of a hall in order: of one window
    (a window PC; ``None`` for a PC without a window) or of all (``"all"``).

    Callbacks run on the worker thread: ``on_state(dict)`` with
    ``{"online", "pending", "message", "printer"}`` after every pass, and
    ``on_printed(job)`` / ``on_failed(job, message)`` per job.
    """

    def __init__(self, db: Database, hall_id: int, cfg: PrinterConfig, *,
                 window: int | None | str = billing.ALL_WINDOWS, retry_seconds: float = 10.0,
                 on_state: Callable[[dict], None] | None = None,
                 on_printed: Callable[[billing.PrintJobInfo], None] | None = None,
                 on_failed: Callable[[billing.PrintJobInfo, str], None] | None = None):
        self.db = db
        self.hall_id = hall_id
        self.window = window
        self.retry_seconds = retry_seconds
        self.on_state = on_state
        self.on_printed = on_printed
        self.on_failed = on_failed
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
        p = printers.parse(uri, width_mm=width_mm, dots=dots)
        with self._lock:
            self._cfg = PrinterConfig(uri, p.width_mm, p.dots, self._cfg.timeout,
                                      self._cfg.cash_drawer)
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
            jobs = billing.pending_jobs(self.db, self.hall_id, window=self.window)
        except CounterDeskError as exc:  # database unreachable: try later
            self._emit_state(exc.message)
            return 0, 0
        for job in jobs:
            if self._stop.is_set():
                break
            try:
                data = render_job(job, cfg)
                send(cfg, data)
            except CounterDeskError as exc:
                failed += 1
                message = exc.message
                try:
                    billing.job_failed(self.db, job.id, exc.message)
                except CounterDeskError:
                    pass
                self.online = False
                self.last_error = message
                if self.on_failed:
                    self.on_failed(job, message)
                break
            billing.job_printed(self.db, job.id, cfg.uri)
            printed += 1
            self.online = True
            self.last_error = ""
            if self.on_printed:
                self.on_printed(job)
        if not jobs:
            self.last_error = ""
        self.passes += 1
        self._emit_state(message)
        return printed, failed

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


__all__ = ["PrinterConfig", "Spooler", "send", "render_job", "print_pending"]
