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
"""

from __future__ import annotations

import collections
import logging

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ... import clock, orders, queue
from ..queue.poller import QueuePoller
from ..widgets.fit import FontScaler
from ..widgets.jobs import Jobs
from ..widgets.tablemodel import RowsModel
from .voice_player import VoicePlayer

log = logging.getLogger(__name__)

RECENT = 8
PAGE_SECONDS = 8


class RecentCallsModel(RowsModel):
    """Recent calls, newest first: number, window, time."""

    def add(self, call: dict) -> None:
        self.beginResetModel()
        self.rows.insert(0, call)
        del self.rows[RECENT:]
        self.endResetModel()

    def headers(self):
        return [self.tr("Number"), self.tr("Window"), self.tr("Time")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.DisplayRole:
            if index.column() == 0:
                return c["number"] + (" " + self.tr("(recall)") if c["kind"] == "recalled"
                                      else "")
            if index.column() == 1:
                return self.tr("Window %1").replace("%1", str(c["window"]))
            return (c["at"] or "")[11:19]
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None


class WindowsModel(RowsModel):
    """The windows of the page on screen: number and current ticket, or the pause sign."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all: list = []
        self.page = 0
        self.per_page = 0  # 0: everything on one page

    @property
    def pages(self) -> int:
        if not self.per_page or not self.all:
            return 1
        return -(-len(self.all) // self.per_page)

    def set_windows(self, windows) -> None:
        self.all = list(windows)
        self._show()

    def set_per_page(self, n: int) -> None:
        if n != self.per_page:
            self.per_page = max(0, n)
            self._show()

    def next_page(self) -> None:
        self.page = (self.page + 1) % self.pages
        self._show()

    def _show(self) -> None:
        self.page = min(self.page, self.pages - 1)
        if not self.per_page:
            self.set_rows(self.all)
        else:
            start = self.page * self.per_page
            self.set_rows(self.all[start:start + self.per_page])

    def headers(self):
        return [self.tr("Window"), self.tr("Now serving")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        w = self.rows[index.row()]
        if role == Qt.DisplayRole:
            if index.column() == 0:
                return self.tr("Window %1").replace("%1", str(w["number"]))
            if w["pause"]:
                return self.tr("Paused — back at %1").replace(
                    "%1", w["pause"]["expected_until"][11:16])
            if w["current"]:
                return w["current"]["number"]
            # issue 18.20: nobody has worked this window today: closed, not idle
            return "—" if w.get("staff_no", "-") else self.tr("Not open")
        if role == Qt.ForegroundRole and index.column() == 1 and (
                w["pause"] or not (w["current"] or w.get("staff_no", "-"))):
            from PySide6.QtGui import QColor

            return QColor("#ff5252" if w["pause"] else "#9fb3c8")
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None


BIG_CALL = "font-size:96pt;font-weight:bold;color:#ffd600;"
BIG_DONE = "font-size:96pt;font-weight:bold;color:#7d8b99;"  # 4.9:1 on the display's blue


class DisplayView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("display")
        self.setStyleSheet("QWidget#display{background:#101820;} QLabel{color:white;}"
                           "QTableView{background:#101820;color:white;font-size:26pt;"
                           "gridline-color:#334;border:none;}"
                           "QHeaderView::section{background:#1d2b3a;color:#9fb3c8;"
                           "font-size:18pt;border:none;}")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size:28pt;font-weight:bold;")
        self.clock = QLabel()
        self.clock.setStyleSheet("font-size:28pt;")
        self.clock.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        lay.addLayout(top)
        self.current = QLabel()
        self.current.setObjectName("current_call")
        self.current.setAlignment(Qt.AlignCenter)
        self.current.setStyleSheet(BIG_CALL)
        lay.addWidget(self.current, 2)
        self.current_text = QLabel()
        self.current_text.setAlignment(Qt.AlignCenter)
        self.current_text.setStyleSheet("font-size:34pt;")
        lay.addWidget(self.current_text)
        mid = QHBoxLayout()
        self.recent_view = QTableView()
        self.windows_view = QTableView()
        for v in (self.recent_view, self.windows_view):
            v.verticalHeader().hide()
            v.verticalHeader().setDefaultSectionSize(60)
            v.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
            v.setFocusPolicy(Qt.NoFocus)
            v.setSelectionMode(QTableView.NoSelection)
        self.windows_view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.addWidget(self.windows_view, 1)
        self.page_label = QLabel()
        self.page_label.setObjectName("windows_page")
        self.page_label.setAlignment(Qt.AlignRight)
        self.page_label.setStyleSheet("font-size:16pt;color:#9fb3c8;")
        self.page_label.hide()
        right.addWidget(self.page_label)
        mid.addWidget(self.recent_view, 1)
        mid.addLayout(right, 1)
        lay.addLayout(mid, 3)
        self.waiting = QLabel()
        self.waiting.setObjectName("waiting_counts")
        self.waiting.setAlignment(Qt.AlignCenter)
        self.waiting.setStyleSheet("font-size:24pt;color:#9fb3c8;")
        lay.addWidget(self.waiting)
        self.notices = QLabel()          # 停气通知 of the hall's area (issue 21.5)
        self.notices.setObjectName("supply_notices")
        self.notices.setWordWrap(True)
        self.notices.setStyleSheet("font-size:16pt;color:#ffd54f;")
        self.notices.hide()
        lay.addWidget(self.notices)
        self.banner = QLabel()
        self.banner.setObjectName("display_banner")
        self.banner.setAlignment(Qt.AlignRight)
        self.banner.setStyleSheet("font-size:12pt;color:#ff8a80;")
        self.banner.hide()
        lay.addWidget(self.banner)
        self.scaler = FontScaler(self)  # full screen, or a 960×540 window (issue 18.21)


class Display(DisplayView):
    announced = Signal(dict)   # a call put on the big line (and handed to the voice)

    def __init__(self, db, settings, parent=None, *, player: VoicePlayer | None = None,
                 poll: bool = True, threaded: bool = True, hold_ms: int = 1500):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.hall_id = queue.hall_id_for(db, settings.hall.code)
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
        self._notice_timer = QTimer(self)
        self._notice_timer.setInterval(60_000)
        self._notice_timer.timeout.connect(self.refresh_notices)
        if poll:
            self._notice_timer.start()
            self.refresh_notices()
        self.poller = QueuePoller(db, self.hall_id, interval_ms=300, threaded=threaded)
        self.poller.snapshot.connect(self.apply_snapshot)
        self.poller.events.connect(self.on_events)
        self.poller.history.connect(self.on_history)
        self.poller.connection.connect(self._connection)
        if poll:
            self.poller.start()
        self.poller.stop_with(self)

    def refresh_notices(self) -> None:
        """The supply notices in force or starting soon, read off the GUI thread."""
        if not self.jobs.busy:
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
        self.poller.stop()
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

    def _connection(self, ok: bool, message: str) -> None:
        self.banner.setVisible(not ok)
        self.banner.setText("" if ok else self.tr("Connection lost — retrying…"))

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
