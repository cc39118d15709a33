"""How a hall screen (kiosk, display) starts: it finds its hall on a worker thread
(:mod:`..widgets.jobs`: the screen never waits on the database), shows the banner and asks
again every ``RETRY_MS`` while the database does not answer, then follows the queue with
its :class:`QueuePoller` and emits ``ready``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

from ..queue.poller import QueuePoller
from ..widgets.jobs import message


class HallStartup:
    """Mixin of a hall screen with ``db``, ``jobs``, ``banner``, ``apply_snapshot`` and a
    ``ready`` signal. :meth:`found` takes the worker's answer and returns the hall id."""

    RETRY_MS = 3000
    POLL_MS = 1000

    def begin(self, find: Callable, *args, poll: bool, threaded: bool) -> None:
        self.poller: QueuePoller | None = None
        self._find, self._poll, self._threaded = (find, args), poll, threaded
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(self.RETRY_MS)
        self._retry.timeout.connect(self.start)
        self.start()

    @property
    def is_ready(self) -> bool:
        return self.poller is not None

    def start(self) -> None:
        fn, args = self._find
        self.jobs.run(fn, *args, on_done=self._found, on_error=self._start_failed)

    def _start_failed(self, exc: Exception) -> None:
        self._connection(False, message(exc))
        self._retry.start()

    def _found(self, value) -> None:
        self._connection(True, "")
        hall_id = self.found(value)
        self.poller = QueuePoller(self.db, hall_id, interval_ms=self.POLL_MS,
                                  threaded=self._threaded)
        self.poller.snapshot.connect(self.apply_snapshot)
        self.poller.connection.connect(self._connection)
        self.polling(self.poller)
        if self._poll:
            self.poller.start()
        self.poller.stop_with(self)
        self.ready.emit()

    def found(self, value) -> int:  # pragma: no cover - every screen defines it
        raise NotImplementedError

    def polling(self, poller: QueuePoller) -> None:
        """Connect what else the screen takes from the poller; start its own timers."""

    def stop_polling(self) -> None:
        self._retry.stop()
        if self.poller is not None:
            self.poller.stop()

    def _connection(self, ok: bool, text: str) -> None:
        self.banner.setVisible(not ok)
        self.banner.setText("" if ok else self.tr("Connection lost — retrying…"))
