"""The hall display (叫号屏, ``counterdesk display``): readable from 10 m.

* The call being announced, very large: "A012 → 3 号窗口".
* The recent calls of every window, newest first — an announcement queue: calls that
  arrive a second apart (or in the same poll) are all listed and announced in the order
  they were made; a recall is announced again. Of the calls of one window that arrive
  together (a display catching up after a stall), only the newest is announced
  (:func:`counterdesk.queue.calls_to_announce`).
* Every window: its current number, or 暂停服务 with the expected return. A hall with
  more windows than the screen holds shows them a page at a time (as many rows as fit),
  turning every ``PAGE_SECONDS`` with "第 1/3 页" under the list.
* Waiting customers per service.
* A database that does not answer gives a small banner; the screen keeps its last
  content and recovers by itself.

:class:`DisplayView` (``display_view.py``) holds the widgets, ``models.py`` the tables;
:class:`Display` finds the hall and reads the supply notices off the GUI thread
(:mod:`..widgets.jobs`; ``ready`` once polling runs) and follows the queue with the
:class:`QueuePoller` (its own thread).
"""

from __future__ import annotations

import collections
import logging

from PySide6.QtCore import QEvent, QTimer, Signal

from ... import clock, orders, queue
from ..widgets.jobs import Jobs
from .display_view import BIG_CALL, BIG_DONE, DisplayView
from .models import RecentCallsModel, WindowsModel
from .startup import HallStartup
from .voice_player import VoicePlayer

log = logging.getLogger(__name__)

PAGE_SECONDS = 8


class Display(HallStartup, DisplayView):
    POLL_MS = 300

    announced = Signal(dict)   # a call put on the big line (and handed to the voice)
    ready = Signal()           # the hall is found: polling runs

    def __init__(self, db, settings, parent=None, *, player: VoicePlayer | None = None,
                 poll: bool = True, threaded: bool = True, hold_ms: int = 1500):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.hall_id: int | None = None     # once the hall is found (``ready``)
        self.recent = RecentCallsModel(self)
        self.windows = WindowsModel(self)
        self.recent_view.setModel(self.recent)
        self.windows_view.setModel(self.windows)
        self.pending: collections.deque[dict] = collections.deque()
        self.busy = False
        self.hold_ms = hold_ms
        self.player = player or VoicePlayer(enabled=settings.queue.voice)
        self.player.done.connect(self._spoken)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._released)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()
        self._pager = QTimer(self)
        self._pager.setInterval(PAGE_SECONDS * 1000)
        self._pager.timeout.connect(self.turn_page)
        self._pager.start()
        self.windows_view.viewport().installEventFilter(self)
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        self._notice_timer = QTimer(self)
        self._notice_timer.setInterval(60_000)
        self._notice_timer.timeout.connect(self.refresh_notices)
        self.begin(queue.hall_id_for, db, settings.hall.code, poll=poll, threaded=threaded)

    # -- start: the hall, found off the GUI thread (``HallStartup``) ------------------------
    def _busy(self, busy: bool) -> None:
        if busy and not self.is_ready:
            self.current_text.setText(self.tr("One moment…"))
        elif not busy and self.current_text.text() == self.tr("One moment…"):
            self.current_text.clear()

    def found(self, hall_id: int) -> int:
        self.hall_id = hall_id
        return hall_id

    def polling(self, poller) -> None:
        poller.events.connect(self.on_events)
        poller.history.connect(self.on_history)
        if self._poll:
            self._notice_timer.start()
            self.refresh_notices()

    def refresh_notices(self) -> None:
        """The supply notices in force or starting soon, read off the GUI thread."""
        if self.hall_id is not None and not self.jobs.busy:
            self.jobs.run(orders.display_notices, self.db, self.hall_id,
                          on_done=self._show_notices, on_error=lambda _e: None)

    def _show_notices(self, notices) -> None:
        lines = [self.tr("Gas supply stop %1: %2 to %3, %4 (%5)")
                 .replace("%1", n.number).replace("%2", n.starts_at[5:16].replace("T", " "))
                 .replace("%3", n.ends_at[5:16].replace("T", " ")).replace("%4", n.area)
                 .replace("%5", n.reason) for n in notices]
        self.notices.setText("\n".join(lines))
        self.notices.setVisible(bool(lines))

    def shutdown(self) -> None:
        self._notice_timer.stop()
        self.jobs.wait(5)
        self._pager.stop()
        self._clock.stop()
        self._hold.stop()
        self.stop_polling()
        self.player.close()

    def closeEvent(self, event):  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)

    def _tick(self) -> None:
        self.clock.setText(clock.now().strftime("%H:%M:%S"))

    # -- pages of windows ------------------------------------------------------------------
    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if obj is self.windows_view.viewport() and event.type() == QEvent.Resize:
            self.fit_windows()
        return False

    def fit_windows(self) -> None:
        """As many window rows per page as the list's height holds."""
        row = self.windows_view.verticalHeader().defaultSectionSize()
        height = self.windows_view.viewport().height()
        self.windows.set_per_page(max(1, height // row) if height > 0 else 0)
        self._page_text()

    def turn_page(self) -> None:
        if self.windows.pages > 1:
            self.windows.next_page()
        self._page_text()

    def _page_text(self) -> None:
        pages = self.windows.pages
        self.page_label.setVisible(pages > 1)
        self.page_label.setText(self.tr("Page %1/%2").replace("%1", str(self.windows.page + 1))
                                .replace("%2", str(pages)))

    # -- data -------------------------------------------------------------------------
    def apply_snapshot(self, snap: dict) -> None:
        self.title.setText(snap["hall"])
        self._dim_finished_call(snap["windows"])
        self.windows.set_windows(snap["windows"])
        self._page_text()
        self.waiting.setText("    ".join(
            self.tr("%1 %2: %3 waiting").replace("%1", s["letter"]).replace("%2", queue.service_label(s))
            .replace("%3", str(s["waiting"])) for s in snap["services"] if s["served"]))

    def _dim_finished_call(self, windows: list[dict]) -> None:
        """Issue 18.20: the big call dims once its ticket is finished or its window
        pauses; the next call shows it bright again."""
        shown = self.current.text().split("→")
        if len(shown) != 2 or self.busy:
            return
        number, window = shown[0].strip(), shown[1].strip()
        w = next((w for w in windows if str(w["number"]) == window), None)
        done = w is not None and (w["pause"] is not None
                                  or (w["current"] or {}).get("number") != number)
        self.current.setProperty("done", done)
        self.scaler.remember(self.current, BIG_DONE if done else BIG_CALL)
        if done:
            self.current_text.clear()

    def on_history(self, events: list[dict]) -> None:
        calls = [e for e in events if e.get("kind", "called") in ("called", "recalled")]
        for e in calls:
            self.recent.add(e)
        if calls and not self.busy and not self.current.text():
            last = calls[-1]  # a display started mid-day shows the latest call, silently
            self.current.setText(f"{last['number']}  →  {last['window']}")
            self.current_text.setText(self.tr("Number %1, please go to window %2")
                                      .replace("%1", last["number"])
                                      .replace("%2", str(last["window"])))

    def on_events(self, events: list[dict]) -> None:
        """Every call is listed; only those :func:`queue.calls_to_announce` keeps (the
        newest of each window in the batch) are announced, and they replace a window's
        call still waiting to be announced (that window has moved on)."""
        for e in events:
            if e["kind"] in queue.CALL_KINDS:
                self.recent.add(e)
        say = queue.calls_to_announce(events)
        moved_on = {e["window"] for e in say}
        self.pending = collections.deque(p for p in self.pending if p["window"] not in moved_on)
        self.pending.extend(say)
        self._next()

    # -- announcement queue -------------------------------------------------------------
    def _next(self) -> None:
        if self.busy or not self.pending:
            return
        e = self.pending.popleft()
        self.busy = True
        self.current.setText(f"{e['number']}  →  {e['window']}")
        self.scaler.remember(self.current, BIG_CALL)
        self.current_text.setText(self.tr("Number %1, please go to window %2")
                                  .replace("%1", e["number"]).replace("%2", str(e["window"])))
        self.announced.emit(e)
        try:
            self.player.speak(str(e["id"]), e["number"], int(e["window"] or 0),
                              recall=e["kind"] == "recalled")
        except Exception:  # noqa: BLE001 - sound must never break the display
            log.exception("voice failed")
            self._spoken(str(e["id"]))

    def _spoken(self, key: str) -> None:
        self._hold.start(self.hold_ms)

    def _released(self) -> None:
        self.busy = False
        self._next()


def run(ctx, windowed: bool = False) -> int:
    from ..shell.app import run_screen

    return run_screen(ctx, Display, windowed=windowed, size=(1600, 900), program="display")
