"""The clerk's till tab (Ctrl+Shift+T): open with the float counted by denomination,
cash in / out with a manager's approval, the X report on the receipt printer, the
blind count (the expected amount appears only after the count is submitted), the close
with an explanation, and the manager's countersign.

The view holds widgets; :class:`TillPanel` calls :mod:`counterdesk.cash` off the GUI
thread (:mod:`..widgets.jobs`): the till's state is read, and every change made, by a job;
a change also reads the till again in the same job. While one runs the buttons and the
grid are disabled and the tab says it is working. Nothing here computes money: the
expected cash and the difference come from the service, and only from the result of the
count.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ... import cash, money, requestkeys
from ...errors import CounterDeskError, DatabaseUnavailable, OutcomeUnknown
from ...staff import Approval
from ..widgets.jobs import Job, Jobs, message
from .dialogs import CountersignDialog, MovementDialog, ReopenDialog
from .view import TillPanelView

log = logging.getLogger(__name__)


class TillPanel(TillPanelView):
    """Controller: the till through the cash service, every call a background job."""

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.tab_title = self.tr("Till")
        self.bench = bench
        self.db = bench.db
        # request keys of cash movements whose outcome is not known yet, by (direction,
        # amount): entering the same movement again asks about it, never moves it twice
        self._unknown_moves: dict[tuple[str, int], str] = {}
        self.actor = bench.actor
        self.info: cash.TillInfo | None = None
        self.known = False               # the till's state has been read at least once
        self.last_count: cash.CountResult | None = None
        self.last_x: bytes | None = None
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        self.grid_model.dataChanged.connect(self._grid_changed)
        self.grid_model.refused.connect(self._say)
        self.btn_open.clicked.connect(self.open_till)
        self.btn_count.clicked.connect(self.ask_count)
        self._count_text = self.btn_count.text()
        self._confirming = False
        self.btn_reopen.clicked.connect(self.ask_reopen)   # 重新开启点钞, issue 18.4
        self.btn_close.clicked.connect(self.close_till)
        self.btn_countersign.clicked.connect(self.ask_countersign)
        self.btn_move.clicked.connect(self.ask_movement)
        self.btn_x.clicked.connect(self.print_x)
        self._show_state()
        self.refresh()

    # -- state --------------------------------------------------------------------------
    def _say(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _refused(self, exc: BaseException) -> None:
        self._say(message(exc))

    def _busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self._show_state()

    def _show_state(self) -> None:
        """What may be pressed: nothing while a job runs or before the till is read."""
        st = self.info.status if self.info else None
        idle = self.known and not self.jobs.busy
        for b in self.action_buttons():
            b.setEnabled(idle)
        self.btn_move.setEnabled(idle and st == "open")
        self.btn_x.setEnabled(idle and st is not None)
        self.grid.setEnabled(idle and st in (None, "open"))
        self.noncash_box.setEnabled(idle)
        self.explanation.setReadOnly(not idle)

    def _grid_changed(self, *args) -> None:
        if self._confirming and args:   # the counts changed: confirm again
            self._cancel_confirm()
        self.total.setText(self.tr("Total: %1 yuan").replace(
            "%1", money.fmt(self.grid_model.total_fen())))
        if self.grid_model.error:
            self._say(self.grid_model.error)

    def refresh(self) -> Job:
        """Read the till off the GUI thread; the tab shows it when it arrives."""
        return self.jobs.run(cash.till_status, self.db, self.actor, on_done=self._status,
                             on_error=self._refused)

    def _change(self, call, *args, on_done, on_error=None, **kwargs) -> Job:
        """A change of the till, then the till read again, in one background job."""
        def done(outcome) -> None:
            value, status = outcome
            on_done(value)
            if status is _UNREAD:
                self.refresh()
            else:
                self._status(status)
        return self.jobs.run(_then_status, call, self.db, self.actor, *args, on_done=done,
                             on_error=on_error or self._refused, **kwargs)

    def _status(self, info: cash.TillInfo | None) -> None:
        self.info, self.known = info, True
        st = self.info.status if self.info else None
        self.btn_open.setVisible(st is None)
        self.btn_count.setVisible(st == "open")
        self.noncash_box.setVisible(st == "open")
        self.btn_close.setVisible(st == "counted")
        self.explanation.setVisible(st == "counted")
        self.btn_countersign.setVisible(st == "submitted")
        if st is None:
            self.status.setText(self.tr("No till open today"))
            self.hint.setText(self.tr("Count the float by denomination, then open "
                                      "the till."))
            self.movements_model.set_rows([])
        else:
            self.status.setText(self.tr("Till %1 — float %2 yuan — %3").replace(
                "%1", self.info.business_day).replace("%2", money.fmt(self.info.float_fen))
                .replace("%3", self.info.status_name))
            self.movements_model.set_rows([m.to_dict() if hasattr(m, "to_dict") else m
                                           for m in self.info.movements])
            if st == "open":
                self.hint.setText(self.tr("At the end of the day count the cash by "
                                          "denomination and type the non-cash totals. The "
                                          "expected amount is shown only after you submit."))
            elif st == "counted":
                self.hint.setText(self.tr("Counted. Close the till (explain any difference "
                                          "above the limit)."))
            elif st == "submitted":
                self.hint.setText(self.tr("Closed: waiting for the manager's countersign."))
            else:
                self.hint.setText(self.tr("Countersigned by %1.").replace(
                    "%1", self.info.countersigned_by or ""))
            if st != "open" and self.last_count is None:
                self._show_result(self.info.counted_fen, self.info.expected_fen,
                                  self.info.difference_fen)
            if st != "open" and self.info.close_counts:   # after a restart too
                self.grid_model.set_counts({c["code"]: c["count"]
                                            for c in self.info.close_counts})
        self.btn_reopen.setVisible(st in ("counted", "submitted", "closed"))
        self._show_state()
        self._grid_changed()

    def _show_result(self, counted, expected, difference) -> None:
        if counted is None or expected is None:
            self.result.setText("")
            return
        kind = (self.tr("over") if difference > 0 else self.tr("short") if difference < 0
                else self.tr("balanced"))
        self.result.setText(self.tr("Counted %1, expected %2: %3 %4").replace(
            "%1", money.fmt(counted)).replace("%2", money.fmt(expected)).replace(
            "%3", kind).replace("%4", money.fmt(abs(difference))))
        self.show_result_large(difference)   # 长款/短款 large (issue 18.12)

    # -- actions (each returns its job, or None when refused before any call) ------------
    def open_till(self) -> Job:
        return self._change(cash.open_till, self.grid_model.counts(), on_done=self._opened)

    def _opened(self, _info) -> None:
        self.grid_model.clear()
        self._say(self.tr("Till opened."), error=False)

    def _noncash(self) -> dict[str, int]:
        out = {}
        for m, e in self.noncash.items():
            if e.text().strip():
                out[m] = money.parse_yuan(e.text(), field=m)
        return out

    def ask_count(self) -> Job | None:
        """The blind count is final: the first press asks, the second submits."""
        if not self._confirming:
            self._confirming = True
            self.btn_count.setText(self.tr("Confirm: submit the count (final)"))
            self._say(self.tr("The blind count is final and cannot be changed without the "
                              "manager. Check the counts, then press again to submit."))
            return None
        self._cancel_confirm()
        return self.submit_count()

    def _cancel_confirm(self) -> None:
        self._confirming = False
        self.btn_count.setText(self._count_text)

    def submit_count(self) -> Job | None:
        try:
            noncash = self._noncash()
        except CounterDeskError as exc:
            self._say(exc.message)
            return None
        return self._change(cash.count_till, self.grid_model.counts(), noncash=noncash,
                            on_done=self._counted)

    def _counted(self, res: cash.CountResult) -> None:
        self.last_count = res
        self._show_result(res.counted_fen, res.expected_fen, res.difference_fen)
        diffs = [f"{cash.METHOD_NAMES[m]} {money.fmt(v['difference_fen'])}"
                 for m, v in res.noncash.items() if v["difference_fen"]]
        if diffs:
            self.result.setText(self.result.text() + "\n" + self.tr("Non-cash differences: %1")
                                .replace("%1", ", ".join(diffs)))
        self._say(self.tr("An explanation is required.") if res.explanation_required
                  else self.tr("Count submitted."), error=res.explanation_required)
        self.explanation.setFocus()

    def close_till(self) -> Job:
        def refused(exc: BaseException) -> None:
            self._refused(exc)
            self.explanation.setFocus()
        return self._change(cash.close_till, self.explanation.toPlainText(),
                            on_done=lambda _info: self._say(
                                self.tr("Till closed: ask the manager to countersign."),
                                error=False),
                            on_error=refused)

    def countersign(self, approval: Approval | None) -> Job:
        return self._change(cash.countersign, approval,
                            on_done=lambda _info: self._say(self.tr("Countersigned."),
                                                            error=False))

    def _open_form(self, dlg):
        """An approval form of the tab (``approval_dialog``), open until its job succeeds."""
        dlg.open()
        self.approval_dialog = dlg
        return dlg

    def ask_countersign(self) -> CountersignDialog:
        dlg = CountersignDialog(self)
        dlg.submitted.connect(lambda: dlg.follow(self.countersign(dlg.approval())))
        return self._open_form(dlg)

    def move(self, direction: str, amount: str, reason: str,
             approval: Approval | None) -> Job | None:
        try:
            fen = money.parse_yuan(amount, field="amount", allow_zero=False)
        except CounterDeskError as exc:
            self._say(exc.message)
            return None
        key = self._unknown_moves.pop((direction, fen), None) or requestkeys.new_key()

        def refused(exc: BaseException) -> None:
            if isinstance(exc, (DatabaseUnavailable, OutcomeUnknown)):
                self._unknown_moves[(direction, fen)] = key   # asked about, never moved twice
            self._refused(exc)
        return self._change(cash.move_cash, direction, fen, reason, approval, request_key=key,
                            on_done=lambda _m: self._say(self.tr("Cash movement recorded."),
                                                         error=False),
                            on_error=refused)

    def ask_movement(self) -> MovementDialog:
        dlg = MovementDialog(self)

        def submitted() -> None:
            v = dlg.values()
            try:       # an amount that is no amount is said in the form
                money.parse_yuan(v["amount"], field="amount", allow_zero=False)
            except CounterDeskError as exc:
                dlg.show_error(exc)
                return
            dlg.follow(self.move(v["direction"], v["amount"], v["reason"], v["approval"]))
        dlg.submitted.connect(submitted)
        return self._open_form(dlg)

    def reopen_count(self, reason: str, approval: Approval | None) -> Job:
        """重新开启点钞: the manager clears the count; the clerk counts again."""
        return self._change(cash.reopen_till, approval, reason, on_done=self._reopened)

    def _reopened(self, _info) -> None:
        self.last_count = None
        self.result.setText("")
        self.grid_model.clear()
        self._say(self.tr("The count is reopened: count the cash again."), error=False)

    def ask_reopen(self) -> ReopenDialog:
        dlg = ReopenDialog(self)
        dlg.submitted.connect(lambda: dlg.follow(self.reopen_count(dlg.reason_text(),
                                                                   dlg.approval())))
        return self._open_form(dlg)

    def print_x(self):
        """The X report, read and printed off the GUI thread; then ``last_x`` holds the
        bytes (also without a printer). Returns the job."""
        self._say(self.tr("Printing the X report…"), error=False)
        return self.jobs.run(_x_report, self.db, self.actor, self.bench.settings,
                             on_done=self._x_printed, on_error=lambda e: self._say(message(e)))

    def _x_printed(self, outcome: tuple[bytes, bool]) -> None:
        self.last_x, printed = outcome
        self._say(self.tr("X report printed.") if printed
                  else self.tr("No receipt printer is set up."), error=not printed)

    # -- main window ----------------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        act = QAction(self.tr("Till"), mainwindow)
        act.setShortcut(QKeySequence("Ctrl+Shift+T"))
        act.setShortcutContext(Qt.ApplicationShortcut)
        act.triggered.connect(lambda: self._focus(mainwindow))
        mainwindow.menu_business.addAction(act)
        self.action_till = act
        close = QAction(self.tr("Day close (manager)…"), mainwindow)
        close.triggered.connect(lambda: self.open_day_close(mainwindow))
        close.setEnabled(self.actor.is_manager)
        mainwindow.menu_manage.addAction(close)
        self.action_day_close = close

    def _focus(self, mainwindow) -> None:
        mainwindow.business.setCurrentWidget(self)
        self.refresh()
        self.grid.setFocus()
        self.grid.setCurrentIndex(self.grid_model.index(0, 1))

    def open_day_close(self, parent=None):
        from ..dayclose.dialog import DayCloseDialog

        dlg = DayCloseDialog(self.bench, parent or self)
        dlg.open()
        return dlg

    def shutdown(self) -> None:
        self.jobs.wait(5)


_UNREAD = object()   # the change was made but the till could not be read again


def _then_status(call, db, actor, *args, **kwargs):
    """Worker thread: the change, then the till as it is now (``_UNREAD``: read it later)."""
    value = call(db, actor, *args, **kwargs)
    try:
        return value, cash.till_status(db, actor)
    except CounterDeskError:
        return value, _UNREAD


def _x_report(db, actor, settings) -> tuple[bytes, bool]:
    """Worker thread: the X report as receipt bytes, and whether it was sent."""
    from ...print import escpos_doc, printers, till_report

    x = cash.x_report(db, actor)
    if not settings.printer.uri:
        ps = settings.printer
        return till_report.x_escpos(x, escpos_doc.columns_for(ps.width, ps.dots)), False
    p = printers.from_settings(settings)
    data = till_report.x_escpos(x, p.columns)
    printers.send(p, data, job_name="X 报表")
    return data, True


def create(bench, parent=None) -> TillPanel:
    return TillPanel(bench, parent)
