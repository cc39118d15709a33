"""A busy hall's day in fast-forward on one PC: does memory stay flat?

    python bench/bench_day.py [TICKETS] [--payments N] [--every 500] [--keep DIR]

Every long-running screen of a hall, offscreen, on one SQLite temp file: the hall
display, the kiosk, and one clerk's workstation (queue panel, payment tab, customer
screen). Each customer takes a ticket at the kiosk (printed on a local TCP sink), is
called, pays at the payment tab (every other customer by default: TICKETS 3000,
payments 1500), is finished and rates the service. After every queue change the
screens' pollers poll once (called directly: fast-forward, no timers waited for),
and Qt's event queue is run.

Prints resident memory (RSS) at the start and every ``--every`` operations (an
operation: a ticket, a call, a finish, a payment), and the growth per 1,000 operations
after warm-up (the first report). Goal: flat, under 5 MB per 1,000 operations. No
figure is asserted; ``tests/soak`` runs it once at a tiny size and uses
:class:`HallDay` for the refcount soak of the same screens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DAY = dt.datetime(2026, 11, 23, 8, 30, 0)   # a Monday, the hall opens
WINDOW = 6                                   # serves A, B, C, D in the demo hall
LETTERS = "ABCD"                             # 999 numbers a service a day


# --------------------------------------------------------------------------------------
# resident memory
# --------------------------------------------------------------------------------------
def rss_mb() -> float | None:
    """This process's resident set in MB (Linux /proc, Windows psapi), else None."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (n, ctypes.c_size_t) for n in (
                    "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                    "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage",
                    "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")]

        c = Counters()
        c.cb = ctypes.sizeof(c)
        proc = ctypes.windll.kernel32.GetCurrentProcess()
        if ctypes.windll.psapi.GetProcessMemoryInfo(proc, ctypes.byref(c), c.cb):
            return c.WorkingSetSize / 2**20
        return None
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------------------
# a printer that accepts everything
# --------------------------------------------------------------------------------------
class Sink:
    """A TCP listener that reads and drops whatever a printer would be sent."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.uri = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        self.jobs = 0
        self._thread = threading.Thread(target=self._serve, name="bench-sink", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                while conn.recv(65536):
                    pass
            self.jobs += 1

    def close(self) -> None:
        self.sock.close()


# --------------------------------------------------------------------------------------
# the screens of one hall
# --------------------------------------------------------------------------------------
def _idle(jobs) -> None:
    """Wait until a screen's background jobs have all delivered their results."""
    from PySide6.QtCore import QCoreApplication

    while jobs.busy:
        QCoreApplication.processEvents()


def _settle(job) -> None:
    """Wait for a background job and let its result reach the GUI thread."""
    from PySide6.QtCore import QCoreApplication

    job.join()
    while job.ok is None:            # its result is queued to the GUI thread
        QCoreApplication.processEvents()


def _ready(*screens) -> None:
    """Wait until the hall screens have found their hall (read off the GUI thread)."""
    from PySide6.QtCore import QCoreApplication

    while not all(s.is_ready for s in screens):
        QCoreApplication.processEvents()


class HallDay:
    """The hall display, the kiosk and one workstation (queue panel, payment tab,
    customer screen) on ``db`` (the demo hall), driven by direct calls."""

    def __init__(self, db, printer_uri: str, *, staff_no: str = "1001",
                 password: str = "123456", quiet_every: int = 5):
        from counterdesk import staff
        from counterdesk.settings import Settings
        from counterdesk.ui.hall.display import Display
        from counterdesk.ui.hall.kiosk import Kiosk
        from counterdesk.ui.hall.voice_player import VoicePlayer
        from counterdesk.ui.payment.customer_screen import CustomerScreen
        from counterdesk.ui.payment.panel import PaymentPanel
        from counterdesk.ui.queue.panel import QueuePanel
        from counterdesk.ui.shell.bus import Workbench

        settings = Settings()
        settings.printer.uri = printer_uri
        settings.printer.timeout = 5.0
        self.db = db
        self.display = Display(db, settings, player=VoicePlayer(lambda _data: None),
                               poll=False, threaded=False, hold_ms=0)
        self.kiosk = Kiosk(db, settings, poll=False, threaded=False)
        _ready(self.display, self.kiosk)   # each finds its hall on a worker thread
        actor = staff.sign_in(db, staff_no, password, window=WINDOW)
        self.bench = Workbench(db, actor, settings)
        self.queue_panel = QueuePanel(self.bench, poll=False, threaded=False)
        self.payment = PaymentPanel(self.bench)
        self.customer = CustomerScreen(self.bench, timeout_ms=10 * 60 * 1000)
        self.screens = (self.display, self.kiosk, self.queue_panel, self.payment,
                        self.customer)
        for w in self.screens:
            w.show()
        self.counts = dict.fromkeys(("tickets", "printed", "calls", "announced", "payments",
                                     "finished", "ratings", "refused"), 0)
        self._count(self.kiosk.printed, "printed")
        self._count(self.kiosk.print_failed, "printed")   # a slow sink is not our question
        self._count(self.display.announced, "announced")
        self._count(self.bench.payment_committed, "payments")
        self._count(self.customer.rating_stored, "ratings")
        self._count(self.bench.rule_refused, "refused")
        self.served = 0
        self.quiet_every = quiet_every
        self.poll(all_screens=True)

    def _count(self, signal, key: str) -> None:
        def bump(*_args):
            self.counts[key] += 1
        signal.connect(bump)

    def poll(self, *, all_screens: bool = False) -> None:
        """A round of the display's poller (every screen's with ``all_screens``), then
        Qt's queued events. The display must see every change; the kiosk and the queue
        panel read a snapshot only every ``quiet_every`` customers (a snapshot costs a
        few dozen queries, and their pollers run the same code as the display's)."""
        from PySide6.QtCore import QCoreApplication

        self.display.poller.poll()
        if all_screens:
            self.kiosk.poller.poll()
            self.queue_panel.poller.poll()
        QCoreApplication.processEvents()

    def customer_visit(self, *, pay: bool) -> int:
        """One customer from kiosk to rating; returns the operations done."""
        from counterdesk import clock

        clock.set_now(DAY + dt.timedelta(seconds=10 * self.served))
        letter = LETTERS[self.served % len(LETTERS)]
        self.served += 1
        ops = 0
        job = self.kiosk.take(letter)   # issued on a worker thread (ui/widgets/jobs.py)
        if job is not None:
            _settle(job)                   # the ticket is committed before anyone calls
            self.counts["tickets"] += 1
            ops += 1
        self.poll()
        if self.queue_panel.call_next() is not None:
            self.counts["calls"] += 1
            ops += 1
        self.poll()
        if pay:
            self.payment.item.setText("CARD")
            self.payment.add_item()
            _idle(self.payment.data_jobs)       # the quote comes back from a worker thread
            job = self.payment.take_payment()   # runs on a worker thread (ui/widgets/jobs.py)
            if job is not None:
                _settle(job)
                ops += 1
        if self.queue_panel.finish() is not None:
            self.counts["finished"] += 1
            ops += 1
        self.customer.buttons["satisfied"].click()
        self.poll(all_screens=self.served % self.quiet_every == 0)
        return ops

    def settled(self) -> bool:
        """Every announcement spoken, every ticket printed, every receipt printed."""
        from counterdesk import billing

        return (not self.display.pending and not self.display.busy
                and self.counts["printed"] == self.counts["tickets"]
                and billing.pending_count(self.db, self.bench.actor.hall_id) == 0)

    def close(self) -> None:
        self.customer.shutdown()
        self.payment.shutdown()
        self.queue_panel.shutdown()
        self.kiosk.shutdown()
        self.display.shutdown()
        for w in self.screens:
            w.close()
            w.deleteLater()


def _demo_db(folder: Path):
    from counterdesk import schema, setup
    from counterdesk.db import Database
    from counterdesk.models import Base

    db = Database("sqlite:///" + (folder / "bench-day.sqlite3").as_posix())
    Base.metadata.create_all(db.engine)
    schema.stamp(db)
    setup.mark_database(db)
    setup.demo(db)
    return db


def run(tickets: int = 3000, *, payments: int | None = None, every: int = 500,
        folder: Path | str | None = None, emit=None, quiet: bool = False) -> dict:
    """The day; returns the figures (and prints them, or hands each line to ``emit``)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from counterdesk import clock

    if emit is None:
        emit = (lambda *_a, **_k: None) if quiet else (lambda line: print(line, flush=True))
    say = emit
    payments = tickets // 2 if payments is None else payments
    app = QApplication.instance() or QApplication([])
    tmp = None
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="counterdesk-bench-day-")
        folder = tmp.name
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sink = Sink()
    clock.set_now(DAY)
    db = _demo_db(folder)
    day = HallDay(db, sink.uri)
    samples = [(0, rss_mb())]
    say(f"bench_day: {tickets} tickets, {payments} payments, window {WINDOW}, "
        f"SQLite {folder}")
    say(f"  ops {0:>6}  rss {samples[0][1] or 0:7.1f} MB  (start)")
    ops, next_report, t0 = 0, every, time.perf_counter()
    paid = 0
    try:
        for i in range(tickets):
            pay = paid < payments and i * payments // tickets >= paid
            paid += pay
            ops += day.customer_visit(pay=pay)
            if ops >= next_report:
                samples.append((ops, rss_mb()))
                say(f"  ops {ops:>6}  rss {samples[-1][1] or 0:7.1f} MB  "
                    f"{time.perf_counter() - t0:6.1f} s")
                next_report += every
        deadline = time.monotonic() + 60
        while not day.settled() and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)   # a benchmark, not a test: let the print worker run
        samples.append((ops, rss_mb()))
    finally:
        day.close()
        QCoreApplication.processEvents()
        db.dispose()
        sink.close()
        clock.set_now(None)
        if tmp is not None:
            tmp.cleanup()
    per_k = None
    if len(samples) >= 3 and samples[1][1] is not None and samples[-1][0] > samples[1][0]:
        per_k = (samples[-1][1] - samples[1][1]) * 1000 / (samples[-1][0] - samples[1][0])
    say(f"  ops {ops:>6}  rss {samples[-1][1] or 0:7.1f} MB  (end, everything printed)")
    say("  counts: " + ", ".join(f"{k} {v}" for k, v in day.counts.items()))
    say("  growth after warm-up: " + (f"{per_k:+.2f} MB per 1,000 operations (goal < 5)"
                                      if per_k is not None else "n/a (too few operations)"))
    del app
    return {"ops": ops, "samples": samples, "per_1000_mb": per_k, "counts": dict(day.counts)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tickets", nargs="?", type=int, default=3000)
    ap.add_argument("--payments", type=int, default=None, help="default: half the tickets")
    ap.add_argument("--every", type=int, default=500, help="report RSS every N operations")
    ap.add_argument("--keep", metavar="DIR", help="keep the SQLite file here")
    a = ap.parse_args(argv)
    return run(a.tickets, payments=a.payments, every=a.every, folder=a.keep)


if __name__ == "__main__":
    main()
