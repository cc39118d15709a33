"""The workstation's queue panel: this window's current ticket and the hall around it.

Keys: F2 call next, F3 recall, F4 no-show, F5 transfer, F6 finish, F7 pause/resume,
Ctrl+H hold. The panel shows the current customer's number, status and waiting time,
the waiting counts per service, the tickets parked here, and where the neighbouring
clerks went (their pauses: reason and expected return). While this window is paused
it shows 此窗口暂停服务 with the reason and expected return.

It emits ``bench.ticket_called`` / ``ticket_transferred`` / ``ticket_finished`` /
``window_paused`` / ``window_resumed`` with the ticket or pause as a dict (tickets carry
``waited_seconds``). Rules live in :mod:`counterdesk.queue`; this is view + controller.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from ... import clock, policy, queue
from ...errors import CounterDeskError, DatabaseError
from ...staff import Approval
from ..widgets.jobs import Jobs
from . import calls
from .dialogs import PauseDialog, TransferDialog
from .models import PauseModel, WaitingModel, _mmss
from .poller import QueuePoller
from .view import QueuePanelView


class QueuePanel(QueuePanelView):
    tab_title = "Queue"

    def __init__(self, bench, parent=None, *, poll: bool = True, threaded: bool = True):
        super().__init__(parent)
        self.bench = bench
        self.db = bench.db
        self.actor = bench.actor
        self.window_no = self.actor.window
        self.ticket: dict | None = None
        self.pause: dict | None = None
        self.snap: dict | None = None
        self.last_refusal: CounterDeskError | None = None   # the last action's refusal
        self._signed_on = False       # at this window in the hall's list (issue 18.1)
        self._local_seq = 0   # the poller's number of our last action (stale snapshots)
        self._called_at_local: dt.datetime | None = None
        self.title.setText(self.tr("Window %1 — clerk %2").replace(
            "%1", str(self.window_no or "?")).replace("%2", self.actor.staff_no))
        self.waiting_model = WaitingModel(self)
        self.pause_model = PauseModel(self)
        self.waiting_view.setModel(self.waiting_model)
        self.waiting_model.modelReset.connect(self.fit_waiting_rows)
        self.waiting_view.verticalHeader().sectionResized.connect(self.fit_waiting_rows)
        self.fit_waiting_rows()
        self.pauses_view.setModel(self.pause_model)

        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
                ("call", self.tr("Call next"), "F2", self.call_next),
                ("start", self.tr("Customer here"), "Ctrl+J", self.start),  # 接待 (18.7)
                ("recall", self.tr("Recall"), "F3", self.recall),
                ("noshow", self.tr("No-show"), "F4", self.no_show),
                ("transfer", self.tr("Transfer…"), "F5", self.transfer_dialog),
                ("finish", self.tr("Finish"), "F6", self.finish),
                ("pause", self.tr("Pause / resume window…"), "F7", self.toggle_pause),
                ("hold", self.tr("Hold"), "Ctrl+H", self.hold)):
            a = QAction(text, self)
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.WindowShortcut)
            a.triggered.connect(slot)
            self.addAction(a)
            self.actions[key] = a
        self.btn_call.clicked.connect(self.call_next)
        self.btn_start.clicked.connect(self.start)
        self.btn_finish.clicked.connect(self.finish)
        self.btn_recall.clicked.connect(self.recall)
        self.btn_noshow.clicked.connect(self.no_show)
        self.btn_transfer.clicked.connect(self.transfer_dialog)
        self.btn_hold.clicked.connect(self.hold)
        self.btn_pause.clicked.connect(self.toggle_pause)
        self.btn_resume_held.clicked.connect(self.resume_held)

        self.jobs = Jobs(self)   # actions run off the GUI thread (wait cursor meanwhile)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_ticket)
        self._tick.start()
        self.poller = QueuePoller(self.db, self.actor.hall_id, threaded=threaded)
        self.poller.snapshot.connect(self.apply_snapshot)
        self.poller.connection.connect(self._connection)
        if poll:
            self.poller.start()
        self.poller.stop_with(self)
        self.refresh()

    # -- main window hooks ------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        for a in self.actions.values():
            mainwindow.menu_queue.addAction(a)
        if self.actor.is_manager:
            try:
                from . import stats as queue_stats
            except ImportError:  # pragma: no cover - optional module
                return
            a = QAction(self.tr("Queue statistics…"), mainwindow)
            a.triggered.connect(lambda: queue_stats.open_dialog(self.bench, mainwindow))
            mainwindow.menu_manage.addAction(a)
            self.actions["stats"] = a

    def shutdown(self) -> None:
        self._tick.stop()
        self.poller.stop()
        self.jobs.wait(5)
        if self._signed_on:  # the clerk leaves the window (sign-out, close)
            self._signed_on = False
            self.jobs.run(calls.sign_off, self.db, self.actor, self.window_no)
            self.jobs.wait(5)    # bounded: a silent database does not hold the close

    # -- state ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read this window's ticket, the hall and the tickets held here (on start and
        when the database answers again), off the GUI thread; until it succeeds once, the
        clerk is signed on at the window with it (issue 18.1: the window list says who is
        at which window). Left to the poller while an action is on its way."""
        if self.jobs.busy:
            return
        sign_on = bool(self.window_no) and not self._signed_on
        try:
            signed, cur, snap, held = self._call(calls.window_state, self.db, self.actor,
                                                 self.window_no, sign_on, quiet=True)
        except CounterDeskError as exc:
            self._say(exc.message, error=True)
            return
        self._signed_on = self._signed_on or signed
        self._set_ticket(cur)
        self.apply_snapshot(snap)
        self._show_held(held)

    def _held(self) -> None:
        """The tickets held at this window, read again (after a hold or a resume)."""
        if not self.window_no:
            return
        try:
            self._show_held(self._call(calls.held_here, self.db, self.actor, self.window_no,
                                       quiet=True))
        except CounterDeskError as exc:
            self._say(exc.message, error=True)

    def _show_held(self, held: list[str]) -> None:
        self.held.clear()
        for text in held:
            self.held.addItem(text)

    def apply_snapshot(self, snap: dict) -> None:
        """The hall as the poller (or :meth:`refresh`) read it. A snapshot the poller
        read before our last action committed is dropped: applying it would undo the
        action on screen (e.g. forget the pause just taken, so F7 would pause again)."""
        seq = snap.get("local_seq")
        if seq is not None and seq < self._local_seq:
            return
        self.snap = snap
        self.waiting_model.set_services(snap["services"])
        mine = next((w for w in snap["windows"] if w["number"] == self.window_no), None)
        self.pause_model.set_pauses([w["pause"] for w in snap["windows"]
                                     if w["pause"] and w["number"] != self.window_no])
        self.pause = mine["pause"] if mine else None
        if mine is not None:
            cur = mine["current"]
            if (cur or {}).get("number") != (self.ticket or {}).get("number") or \
                    (cur and self.ticket and cur["status"] != self.ticket["status"]):
                self._set_ticket(cur)
        self._show_pause()

    def _connection(self, ok: bool, message: str) -> None:
        self.banner.setVisible(not ok)
        self.banner.setText(self.tr("Database not reachable — retrying…") if not ok else "")
        if ok:
            self.refresh()

    def _set_ticket(self, t: dict | None) -> None:
        self.ticket = t
        self.bench.current_ticket = t
        self._called_at_local = clock.now() if t else None
        self._show_ticket()

    def _show_ticket(self) -> None:
        t = self.ticket
        if not t:
            self.number.setText("—")
            self.detail.setText(self.tr("No customer at this window"))
            self.waited.setText("")
            return
        status = {"called": self.tr("called"), "serving": self.tr("serving"),
                  "held": self.tr("held")}.get(t["status"], t["status"])
        self.number.setText(t["number"])
        detail = f"{t['service']} {t['service_name']} · {status}"
        if t["priority"]:
            detail += " · " + self.tr("priority")
        if t["recall_count"]:
            detail += " · " + self.tr("recalled %1×").replace("%1", str(t["recall_count"]))
        if t["first_staff_no"] and t["first_staff_no"] != self.actor.staff_no:
            detail += " · " + self.tr("first clerk %1").replace("%1", t["first_staff_no"])
        if t.get("note"):
            detail += "\n" + t["note"]
        self.detail.setText(detail)
        text = self.tr("Waited %1").replace("%1", _mmss(t["waited_seconds"]))
        if t.get("started_at"):
            started = dt.datetime.fromisoformat(t["started_at"])
            text += "  " + self.tr("Serving %1").replace(
                "%1", _mmss(int((clock.now() - started).total_seconds())))
        self.waited.setText(text)

    def _show_pause(self) -> None:
        p = self.pause
        self.paused_box.setVisible(bool(p) and self.own_pause_box)
        self.btn_pause.setText(self.tr("Resume service (F7)") if p else self.tr("Pause (F7)"))
        self.btn_call.setEnabled(not p)
        if p:
            self.paused_box.setText(self.tr("This window is paused") + "\n" +
                                    self.tr("%1 — back at %2").replace("%1", p["reason"])
                                    .replace("%2", p["expected_until"][11:16]))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color:#b00020;" if error else "")
        self.message.setText(text)
        if not error:
            self.bench.status_message.emit(text)

    def _call(self, fn, *args, quiet: bool = False, **kwargs):
        """``fn`` on a worker thread; the GUI keeps painting and answering (a local event
        loop) until it ends, so the action still returns its result in order.
        ``quiet``: a read that leaves the message line as it is (no "Working…")."""
        box: list = []
        loop = QEventLoop()

        def arrived(ok, value):
            box.append((ok, value))
            loop.quit()

        # the outcome through the helper's callbacks, not a connection per action (PySide6
        # 6.11 keeps a reference to None for every connection made: the soak counts them)
        self.jobs.run(fn, *args, on_done=lambda v: arrived(True, v),
                      on_error=lambda e: arrived(False, e), **kwargs)
        if not quiet:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Working…"))
        self.poller.suspend()
        try:
            if not box:
                loop.exec()
        finally:
            self.poller.resume()
        ok, value = box[0]
        if not ok:
            raise value
        return value

    def _run(self, fn, *args, **kwargs):
        if self.jobs.busy:   # a key pressed again while the last action is on its way
            self._say(self.tr("The last action is still being processed; one moment"),
                      error=True)
            return None
        try:
            return self._call(fn, *args, **kwargs)
        except DatabaseError as exc:
            self.last_refusal = exc
            self._say(exc.message, error=True)
            self.banner.setText(self.tr("Database not reachable — retrying…"))
            self.banner.show()
        except CounterDeskError as exc:
            self.last_refusal = exc
            self._say(exc.message, error=True)
            if exc.data.get("ticket"):
                self._set_ticket(exc.data["ticket"])
        return None

    def _after(self, *, held: bool = False) -> None:
        """After an action: its own result is already on screen; the hall around it
        (waiting counts, neighbours) comes with the poller's next round (≤ its interval,
        400 ms, on its own thread — not competing with this repaint). Snapshots read
        before this point are ignored from now on (see :meth:`apply_snapshot`)."""
        self._local_seq = self.poller.mark_local()
        if held:
            self._held()

    # -- actions ----------------------------------------------------------------------
    def call_next(self) -> dict | None:
        t = self._run(queue.call_next, self.db, self.actor, window=self.window_no)
        if t is None:
            return None
        d = t.to_dict()
        self._set_ticket(d)
        self._say(self.tr("Called %1 (waited %2)").replace("%1", t.number)
                  .replace("%2", _mmss(t.waited_seconds)))
        self.bench.ticket_called.emit(d)
        self._after()
        return d

    def recall(self) -> dict | None:
        out = self._run(calls.recall, self.db, self.actor, self.window_no)
        if out is None:
            return None
        t, limit = out
        self._set_ticket(t.to_dict())
        self._say(self.tr("Recalled %1 (%2 of %3)").replace("%1", t.number)
                  .replace("%2", str(t.recall_count)).replace("%3", str(limit)))
        self._after()
        return t.to_dict()

    def start(self) -> dict | None:
        t = self._run(queue.start, self.db, self.actor, window=self.window_no)
        if t is not None:
            self._set_ticket(t.to_dict())
            self._after()
            return t.to_dict()
        return None

    def no_show(self) -> dict | None:
        return self._ticket_leaves(queue.no_show, self.tr("%1 marked no-show"))

    def finish(self) -> dict | None:
        return self._ticket_leaves(queue.finish, self.tr("%1 finished"))

    def hold(self) -> dict | None:
        return self._ticket_leaves(queue.hold, self.tr("%1 held"), held=True)

    def _ticket_leaves(self, action, said: str, *, held: bool = False) -> dict | None:
        """The window's ticket leaves it: done with (no-show, finished; the bench is told)
        or ``held`` aside. ``said``: the message, ``%1`` the ticket's number."""
        t = self._run(action, self.db, self.actor, window=self.window_no)
        if t is None:
            return None
        self._set_ticket(None)
        self._say(said.replace("%1", t.number))
        if not held:
            self.bench.ticket_finished.emit(t.to_dict())
        self._after(held=held)
        return t.to_dict()

    def resume_held(self) -> dict | None:
        item = self.held.currentItem() or (self.held.item(0) if self.held.count() else None)
        if item is None:
            self._say(self.tr("No customer is held here"), error=True)
            return None
        t = self._run(queue.resume, self.db, self.actor, item.text().split()[0],
                      window=self.window_no)
        if t is None:
            return None
        self._set_ticket(t.to_dict())
        self._after(held=True)
        return t.to_dict()

    def transfer(self, *, service: str | None = None, to_window: int | None = None,
                 note: str = "") -> dict | None:
        t = self._run(queue.transfer, self.db, self.actor, service=service,
                      to_window=to_window, note=note, window=self.window_no)
        if t is None:
            return None
        self._set_ticket(None)
        where = self.tr("window %1").replace("%1", str(to_window)) if to_window else \
            f"{t.service} {t.service_name}"
        self._say(self.tr("%1 transferred to %2").replace("%1", t.number).replace("%2", where))
        self.bench.ticket_transferred.emit(t.to_dict())
        self._after()
        return t.to_dict()

    def transfer_dialog(self) -> None:
        if not self.ticket:
            self._say(self.tr("No customer at this window"), error=True)
            return
        snap = self.snap or {"services": [], "windows": []}
        dlg = TransferDialog(snap["services"], [w for w in snap["windows"]
                                                if w["number"] != self.window_no], self)
        if dlg.exec() == QDialog.Accepted:
            self.transfer(**dlg.values())

    def pause_window(self, *, reason: str = "", reason_text: str = "", until: str = "",
                     cover: str = "", approval: Approval | None = None) -> dict | None:
        p = self._run(queue.pause_window, self.db, self.actor, reason=reason,
                      reason_text=reason_text, until=until, cover=cover, approval=approval,
                      window=self.window_no)
        if p is None:
            return None
        self.pause = p.to_dict()
        self._show_pause()
        self._say(self.tr("Window paused until %1").replace("%1", p.expected_until[11:16]))
        self.bench.window_paused.emit(p.to_dict())
        self._after()
        return p.to_dict()

    def resume_window(self) -> dict | None:
        p = self._run(queue.resume_window, self.db, self.actor, window=self.window_no)
        if p is None:
            return None
        self.pause = None
        self._show_pause()
        self._say(self.tr("Window open again"))
        self.bench.window_resumed.emit(p.to_dict())
        self._after()
        return p.to_dict()

    def toggle_pause(self) -> None:
        if self.pause:
            self.resume_window()
            return
        rules = self._run(policy.load_queue_rules, self.db, self.actor.hall_id)
        if rules is None:
            return
        dlg = PauseDialog(rules.pause_limit_minutes, self)

        def submitted() -> None:     # a refusal stays in the form, its field focused
            self.last_refusal = None
            if self.pause_window(**dlg.values()) is not None:
                QDialog.accept(dlg)
            elif self.last_refusal is not None:
                dlg.show_refusal(self.last_refusal)
        dlg.submitted.connect(submitted)
        dlg.open()
        self.pause_dialog = dlg


def create(bench, parent=None) -> QWidget:
    return QueuePanel(bench, parent)
