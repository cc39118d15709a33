"""Seeing queue changes from other PCs within a second, cheaply.

Every ``interval_ms`` the poller asks for the hall's change counter (``max(id)`` of the
queue events, one index probe). Only when it moved does it read the snapshot (windows,
pauses, waiting counts) and the new events (de-duplicated by id: concurrent commits may
become visible slightly out of order). A database that does not answer is reported once
(``connection(False, message)``) and polling simply goes on until it answers again.

With ``threaded=True`` the polling runs on a worker thread (a dead server's connect
timeout never freezes the screen); results arrive as queued signals. A watchdog on the
screen's thread reports the connection lost when a poll has not answered for
``STALL_S`` seconds (a silent network: the poll may hang until TCP gives up), so the
display shows its banner within about ``STALL_S`` + 1 s, and clears it when a poll
answers again.

Local actions and stale snapshots: a screen that changes the queue itself (the
workstation's queue panel) calls :meth:`QueuePoller.mark_local` after each action's
commit. Every snapshot carries ``local_seq``, the value of that counter read *before*
the poll read the database; a snapshot whose ``local_seq`` is lower than the screen's
last action may have been read before that action committed and must not be applied
over the action's own result (it would, e.g., forget a pause just taken). The next
regular poll after ``mark_local`` always reads a fresh snapshot, so the screen catches
up within one interval without a poll competing with its repaint.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ... import queue
from ...errors import CounterDeskError

log = logging.getLogger(__name__)

# Poller threads still busy (a database call hanging) when their screen closed, with
# their poller: kept referenced until the thread has finished, because Qt aborts the
# process when a running QThread is destroyed.
_lingering: dict[QThread, _Reaper] = {}


class _Reaper(QObject):
    """Lives on the GUI thread; the lingering thread's ``finished`` reaches it queued,
    once the thread is done, and lets the thread and its poller go."""

    def __init__(self, thread: QThread, poller: QueuePoller):
        super().__init__()
        self.thread_, self.poller = thread, poller

    @Slot()
    def reap(self) -> None:
        self.thread_.wait()
        _lingering.pop(self.thread_, None)


class QueuePoller(QObject):
    snapshot = Signal(dict)
    events = Signal(list)          # new events, in id order
    history = Signal(list)         # recent events at start (shown, not announced)
    connection = Signal(bool, str)

    def __init__(self, db, hall_id: int, *, interval_ms: int = 400, history: int = 12,
                 threaded: bool = False):
        super().__init__()
        self.db = db
        self.hall_id = hall_id
        self.interval_ms = interval_ms
        self.history_size = history
        self.version = -1
        self.seen: set[int] = set()
        self.max_seen = 0
        self.ok: bool | None = None
        self._started = False
        self._thread: QThread | None = None
        self._timer: QTimer | None = None
        self._stopped = False
        self.threaded = threaded
        self.local_seq = 0   # bumped by the GUI thread after each local action
        self.emitted_seq = 0  # local_seq stamped on the last snapshot emitted
        self._poll_began: float | None = None   # monotonic start of the poll in flight
        # the watchdog stays on the creating (GUI) thread: not this object's child
        self._watchdog = QTimer()
        self._watchdog.setInterval(500)
        # a plain function, not this object's slot: it must run on the GUI thread while
        # this object's own thread hangs in the poll
        self._watchdog.timeout.connect(lambda: self._check_stall())

    STALL_S = 3.0

    def _check_stall(self) -> None:
        """GUI thread: a poll hanging longer than STALL_S means the database is lost."""
        began = self._poll_began
        if began is not None and time.monotonic() - began > self.STALL_S and self.ok is not False:
            self._set_ok(False, self.tr("The database does not answer; retrying…"))

    def mark_local(self) -> int:
        """A local action has committed: snapshots read from now on carry the new number,
        and the next poll reads a snapshot even if the change counter looks unchanged
        (a poll racing the action may have seen its version but been stamped with the
        previous number, so the screen ignored it)."""
        self.local_seq += 1
        return self.local_seq

    # -- life ---------------------------------------------------------------------------
    def stop_with(self, widget) -> None:
        """Stop when ``widget`` is destroyed (one dropped without its shutdown() must not
        leave its poller running). A plain function, not this object's slot, so stop()
        runs on the thread destroying the widget (the GUI's), not queued onto the
        poller's own thread."""
        widget.destroyed.connect(lambda *_: self.stop())

    def start(self) -> None:
        if self.threaded:
            self._watchdog.start()
            self._thread = QThread()
            self._thread.setObjectName("queue-poller")
            self.moveToThread(self._thread)
            self._thread.started.connect(self._begin)
            self._thread.start()
        else:
            self._begin()

    @Slot()
    def _begin(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self.interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    STOP_WAIT_MS = 5000

    @Slot()
    def _finish(self) -> None:
        """On the poller's thread: no more polls, end the thread's event loop."""
        if self._timer is not None:
            self._timer.stop()
        QThread.currentThread().quit()

    def stop(self) -> None:
        """Stop polling. A threaded poller is asked to end on its own thread (queued, so
        a poll hanging on a dead server never blocks the screen closing); the thread is
        waited for ``STOP_WAIT_MS`` and, if still busy, kept until it ends."""
        if self._stopped:
            return
        self._stopped = True
        if QThread.currentThread() is self._watchdog.thread():
            self._watchdog.stop()
        else:
            from PySide6.QtCore import QMetaObject, Qt

            QMetaObject.invokeMethod(self._watchdog, "stop", Qt.QueuedConnection)
        thread = self._thread
        if thread is None:
            if self._timer is not None:
                self._timer.stop()
            return
        if QThread.currentThread() is thread:  # asked on its own thread: cannot wait
            self._finish()
            return
        from PySide6.QtCore import QMetaObject, Qt

        QMetaObject.invokeMethod(self, "_finish", Qt.QueuedConnection)
        if not thread.wait(self.STOP_WAIT_MS):
            log.warning("queue poller still busy at close; left to finish on its own")
            reaper = _Reaper(thread, self)
            _lingering[thread] = reaper
            thread.finished.connect(reaper.reap)
            if thread.isFinished():  # it ended between the wait and the connect
                reaper.reap()
        self._thread = None

    def suspend(self) -> None:
        """No polls on the screen's thread while a local action waits for its result (an
        unthreaded poller would run inside the action's event loop); see :meth:`resume`."""
        if not self.threaded and self._timer is not None:
            self._timer.stop()

    def resume(self) -> None:
        if not self.threaded and self._timer is not None and not self._stopped:
            self._timer.start()

    def request(self) -> None:
        """Poll soon (after a local action), on the poller's own thread; always reads a
        snapshot (a poll racing the action may have seen its version already but been
        stamped with the previous ``local_seq``)."""
        if self._stopped:
            return
        if self._thread is not None:
            from PySide6.QtCore import QMetaObject, Qt

            QMetaObject.invokeMethod(self, "_forced_poll", Qt.QueuedConnection)
        else:
            self.poll(force=True)

    @Slot()
    def _forced_poll(self) -> None:
        self.poll(force=True)

    # -- one round ----------------------------------------------------------------------
    @Slot()
    def poll(self, force: bool = False) -> None:
        self._poll_began = time.monotonic()
        try:
            self._poll(force)
        finally:
            self._poll_began = None

    def _poll(self, force: bool) -> None:
        seq = self.local_seq   # read before the database: see the module doc
        try:
            version = queue.change_version(self.db, self.hall_id)
            if version == self.version and not force and self.emitted_seq >= seq:
                self._set_ok(True)
                return
            snap = queue.snapshot(self.db, self.hall_id)
            if not self._started:
                past = queue.events_since(self.db, self.hall_id, version, lookback=200,
                                          kinds=("called", "recalled"))
                for e in past:
                    self.seen.add(e["id"])
                    self.max_seen = max(self.max_seen, e["id"])
                self.max_seen = max(self.max_seen, version)
                self._started = True
                self.history.emit(past[-self.history_size:])
                new = []
            else:
                rows = queue.events_since(self.db, self.hall_id, self.max_seen)
                new = [e for e in rows if e["id"] not in self.seen]
                for e in new:
                    self.seen.add(e["id"])
                    self.max_seen = max(self.max_seen, e["id"])
                if len(self.seen) > 4000:
                    floor = self.max_seen - 1000
                    self.seen = {i for i in self.seen if i > floor}
        except CounterDeskError as exc:
            self._set_ok(False, exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - a display must keep running
            log.exception("queue poll failed")
            self._set_ok(False, str(exc))
            return
        self.version = snap["version"]
        snap["local_seq"] = seq
        self.emitted_seq = seq
        self._set_ok(True)
        self.snapshot.emit(snap)
        if new:
            self.events.emit(new)

    def _set_ok(self, ok: bool, message: str = "") -> None:
        if ok != self.ok:
            self.ok = ok
            self.connection.emit(ok, message)
