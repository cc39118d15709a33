"""Background jobs: the one way a screen calls a service that can wait on the database.

    self.jobs = Jobs(self, busy=[self.take_button])      # widgets disabled while busy
    self.jobs.run(billing.pay, db, actor, req, on_done=self._paid, on_error=self._refused)

``fn(*args, **kwargs)`` runs on a worker thread (no widgets there); ``on_done(value)``
or ``on_error(exc)`` then runs on the GUI thread. While a job runs the screen shows it is
busy: the ``busy`` widgets are disabled, the owner shows the wait cursor and
``busy_changed(True)`` is emitted (``False`` when the last job ends). The GUI thread
never waits. :func:`message` turns an error into the line to show: a
:class:`CounterDeskError`'s own message, anything else logged as a bug and named.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from ...errors import CounterDeskError

log = logging.getLogger(__name__)


def message(exc: BaseException) -> str:
    """The text to show for a job's error (a bug is logged with its traceback)."""
    if isinstance(exc, CounterDeskError):
        return exc.message
    log.error("background job failed", exc_info=exc)
    return f"{type(exc).__name__}: {exc}"


class Job(QObject):
    """One call on a worker thread; ``finished(ok, value)`` on the GUI thread.

    A job is a Python-owned object without a Qt parent and makes no Qt connection of its
    own: with PySide6 6.11 every connection to a Python callable, and every parented object
    deleted later, keeps a reference to ``None`` for good (the soak test counts them), and a
    busy hall makes thousands of jobs a day. Its :class:`Jobs` delivers the outcome."""

    finished = Signal(bool, object)   # (ok, value or exception)

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, jobs: Jobs):
        super().__init__()
        self._call = (fn, args, kwargs)
        self._jobs = jobs
        self.ok: bool | None = None
        self.value: object = None
        self._thread = threading.Thread(target=self._work, name="counterdesk-job", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _work(self) -> None:  # worker thread: no widgets here
        fn, args, kwargs = self._call
        try:
            ok, value = True, fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            ok, value = False, exc
        self._jobs._arrived(self, ok, value)

    @property
    def done(self) -> bool:
        return self.ok is not None


class Jobs(QObject):
    """The background-job helper of one screen (its ``owner``)."""

    busy_changed = Signal(bool)
    _wake = Signal()   # emitted on a worker thread; queued once-connected to _deliver

    def __init__(self, owner: QWidget, busy: Iterable[QWidget] = ()):
        super().__init__(owner)
        self._owner = owner
        self._busy_widgets = list(busy)
        self._running: dict[Job, tuple[Callable | None, Callable | None]] = {}
        self._outcomes: deque[tuple[Job, bool, object]] = deque()   # thread-safe appends
        self._wake.connect(self._deliver, Qt.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, fn: Callable, *args, on_done: Callable | None = None,
            on_error: Callable | None = None, **kwargs) -> Job:
        """Start ``fn(*args, **kwargs)`` off the GUI thread. Without ``on_error`` an error
        is logged (a bug) or ignored (a CounterDeskError): pass one to show it."""
        job = Job(fn, args, kwargs, self)
        self._running[job] = (on_done, on_error)
        if len(self._running) == 1:
            self._set_busy(True)
        job.start()
        return job

    def wait(self, timeout_s: float = 30.0) -> None:
        """For a screen's close only: let the running jobs end (bounded; their results
        are dropped). Never call it in the middle of work: that blocks the GUI."""
        for job in list(self._running):
            job.join(timeout_s)

    def _arrived(self, job: Job, ok: bool, value: object) -> None:  # worker thread
        self._outcomes.append((job, ok, value))
        try:
            self._wake.emit()
        except RuntimeError:  # the screen was closed meanwhile: nobody to tell
            log.debug("background job finished after its screen closed")

    @Slot()
    def _deliver(self) -> None:
        while self._outcomes:
            job, ok, value = self._outcomes.popleft()
            on_done, on_error = self._running.pop(job, (None, None))
            if not self._running:
                self._set_busy(False)
            job.ok, job.value = ok, value
            job.finished.emit(ok, value)
            if ok:
                if on_done is not None:
                    on_done(value)
            elif on_error is not None:
                on_error(value)
            else:
                message(value)

    def _set_busy(self, busy: bool) -> None:
        for w in self._busy_widgets:
            w.setEnabled(not busy)
        if busy:
            self._owner.setCursor(Qt.WaitCursor)
        else:
            self._owner.unsetCursor()
        self.busy_changed.emit(busy)
