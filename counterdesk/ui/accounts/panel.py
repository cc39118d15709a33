"""The accounts tab (controller): search as you type, the account file with its history,
supply stops and ledger, and the account business (open Ctrl+N, rename Ctrl+R, transfer
Ctrl+T, close, stop supply Ctrl+Shift+S, resume supply Ctrl+Shift+U).

F8 or Ctrl+F puts the cursor in the search box from anywhere; Down moves into the
results, Return opens the file. ID numbers and phones are shown masked; a clerk with
the permission may reveal one (recorded in the audit log).

The widgets are :class:`~.view.AccountPanelView`'s; the business lives in the mixins
:class:`~.business.BusinessActions` and :class:`~.supply.SupplyActions`. Every service
call runs through ``widgets.jobs`` (never on the GUI thread); while one runs the tab
shows "Working…", the wait cursor, and its business buttons are disabled. A search or a
file that arrives after a newer one was asked for is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from ... import accounts, orders
from ...errors import CounterDeskError
from ..widgets.jobs import Jobs, message
from .business import BusinessActions
from .filehtml import file_html
from .supply import SupplyActions
from .view import AccountPanelView

SEARCH_DELAY_MS = 150


def load_file(db, actor, account_no: str) -> tuple:
    """Worker thread: the account, its ledger and its flags (安检逾期, supply stops and
    停气通知 of its area, issue 21; a failure there leaves the flags out)."""
    view = accounts.show(db, actor, account_no)
    ledger = accounts.ledger(db, actor, account_no)
    try:
        flags = orders.account_flags(db, actor, account_no)["flags"]
    except CounterDeskError:
        flags = []
    return view, ledger, flags


class AccountPanel(BusinessActions, SupplyActions, AccountPanelView):
    """What the main window loads: the view, its controller and its shortcuts."""

    papers_done = Signal(dict)   # {"pdf", "slip", "error"} once the papers are made

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.tab_title = self.tr("Accounts")
        self.bench = bench
        self.opener = QDesktopServices.openUrl   # tests replace it
        self.current: accounts.AccountView | None = None
        self.last_result: accounts.SearchResult | None = None
        self.jobs = Jobs(self)          # the file and the business (one at a time)
        # search as you type: its wait cursor only over the results, and no busy line (one
        # search a keystroke made the line and the cursor flicker while the clerk typed)
        self.search_jobs = Jobs(self.table)
        self.paper_jobs = Jobs(self)    # the papers (a slow printer holds nothing)
        for jobs in (self.jobs, self.paper_jobs):
            jobs.busy_changed.connect(self._busy_changed)
        self._search_seq = 0
        self._searched: str | None = None   # the text of the results shown
        self._select_after = False
        self._load_seq = 0
        self._loading: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.table.activated.connect(lambda idx: self.select(self.model.account_no(idx.row())))
        for key, slot in (("open", self.open_account), ("rename", self.rename),
                          ("transfer", self.transfer), ("close", self.close_account),
                          ("suspend", self.suspend), ("resume", self.resume),
                          ("pay", self.pay), ("reveal", self.reveal),
                          ("retype", self.retype)):
            self.buttons[key].clicked.connect(slot)
        self.buttons["reveal"].setVisible(bool(bench.actor.can_reveal))
        bench.account_selected.connect(self._selected_elsewhere)
        bench.open_account_requested.connect(self.open_account)
        bench.payment_committed.connect(self.refresh)
        self._update_buttons()

    def _busy_changed(self, _busy: bool = False) -> None:
        self.busy.setVisible(self.jobs.busy or self.paper_jobs.busy)
        self._update_buttons()

    def _say_error(self, exc: BaseException) -> None:
        self.bench.status_message.emit(message(exc))

    # -- search ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def run_search(self, select_after: bool = False):
        """Search for what is typed; with ``select_after`` open the first hit's file."""
        self._timer.stop()
        text = self.search.text()
        self._search_seq += 1
        seq = self._search_seq
        self._select_after = select_after
        return self.search_jobs.run(
            accounts.search, self.bench.db, self.bench.actor, text,
            on_done=lambda res: self._found(seq, text, res),
            on_error=lambda exc: seq == self._search_seq and self._say_error(exc))

    def _found(self, seq: int, text: str, res) -> None:
        if seq != self._search_seq:   # a newer search was asked for
            return
        self.last_result = res
        self._searched = text
        self.model.set_hits(res.hits)
        self.more.setText(self.tr("More matches: type more characters") if res.more else "")
        if res.hits:
            self.table.selectRow(0)
            if self._select_after:
                self._select_after = False
                self.select(self.model.account_no(0))

    def _enter(self) -> None:
        fresh = (not self._timer.isActive() and self._searched == self.search.text()
                 and not self.search_jobs.busy)
        if not fresh:
            self.run_search(select_after=True)
        elif self.model.hits:
            self.select(self.model.account_no(max(0, self.table.currentIndex().row())))

    # -- the file -------------------------------------------------------------------------
    def select(self, account_no: str | None):
        """Open the file and tell the other panels (``bench.account_selected``)."""
        if account_no:
            return self.show_account(account_no, announce=True)
        return None

    def _selected_elsewhere(self, account_no: str) -> None:
        if self._loading == account_no:
            return
        if self.current is None or self.current.account_no != account_no:
            self.show_account(account_no)

    def refresh(self, *_args) -> None:
        if self.current is not None:
            self.show_account(self.current.account_no)

    def show_account(self, account_no: str, *, announce: bool = False):
        """Load the file off the GUI thread; returns the job (tests wait on it)."""
        self._load_seq += 1
        seq = self._load_seq
        self._loading = account_no
        return self.jobs.run(load_file, self.bench.db, self.bench.actor, account_no,
                             on_done=lambda out: self._loaded(seq, out, announce),
                             on_error=lambda exc: self._load_failed(seq, exc))

    def _load_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._load_seq:
            self._loading = None
            self._say_error(exc)

    def _loaded(self, seq: int, out: tuple, announce: bool) -> None:
        if seq != self._load_seq:   # a newer file was asked for
            return
        self._loading = None
        view, ledger, flags = out
        self.current = view
        self.file.setHtml(file_html(view.to_dict(), ledger))
        hint = "\n".join(x for x in (view.service_hint, self._stop_line(view), *flags) if x)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        if view.service_hint:
            self.bench.prompt_context.emit("special_group", {"account_no": view.account_no,
                                                             "groups": view.special_groups})
        self._update_buttons()
        if announce:
            self.bench.current_account = view.account_no
            self.bench.account_selected.emit(view.account_no)

    def _stop_line(self, view) -> str:
        """The supply stop in force (暂停供气), for the hint above the file."""
        if view.status != "suspended":
            return ""
        open_ = [x for x in view.suspensions if not x["until"]]
        since = open_[-1]["from"].replace("T", " ") if open_ else ""
        reason = open_[-1]["reason"] if open_ else ""
        return self.tr("Supply stopped since %1: %2 (resuming needs the inspection no. and "
                       "a manager)").replace("%1", since).replace("%2", reason)

    def _update_buttons(self) -> None:
        cur, idle = self.current, not self.jobs.busy
        status = cur.status if cur is not None else None
        for k in ("rename", "transfer", "close", "retype"):
            self.buttons[k].setEnabled(idle and status not in (None, "closed"))
        self.buttons["suspend"].setEnabled(idle and status == "active")
        self.buttons["resume"].setEnabled(idle and status == "suspended")
        self.show_supply_buttons(status)
        self.buttons["pay"].setEnabled(bool(cur and cur.arrears_fen > 0))
        self.buttons["reveal"].setEnabled(idle and cur is not None)

    # -- main window ----------------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        menu = getattr(mainwindow, "menu_business", None)
        specs = (("find", self.tr("Find account"), ["F8", "Ctrl+F"], self.focus_search),
                 ("open", self.tr("Open account"), ["Ctrl+N"], self.open_account),
                 ("rename", self.tr("Rename account"), ["Ctrl+R"], self.rename),
                 ("transfer", self.tr("Transfer account"), ["Ctrl+T"], self.transfer),
                 ("suspend", self.tr("Stop supply"), ["Ctrl+Shift+S"], self.suspend),
                 ("resume", self.tr("Resume supply"), ["Ctrl+Shift+U"], self.resume),
                 ("retype", self.tr("Change customer type"), ["Ctrl+Shift+Y"], self.retype))
        self.actions_by_name = {}
        for name, text, keys, slot in specs:
            act = QAction(text, mainwindow)
            act.setObjectName("action_account_" + name)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.WindowShortcut)  # the workstation window, not dialogs
            act.triggered.connect(lambda _c=False, slot=slot: self._trigger(slot))
            mainwindow.addAction(act)
            if menu is not None:
                menu.addAction(act)
            self.actions_by_name[name] = act

    def _trigger(self, slot) -> None:
        tabs = self.parentWidget()
        while tabs is not None and not isinstance(tabs, QTabWidget):
            tabs = tabs.parentWidget()
        if tabs is not None:
            tabs.setCurrentWidget(self)
        slot()

    def shutdown(self) -> None:
        self._timer.stop()
        for jobs in (self.jobs, self.search_jobs, self.paper_jobs):
            jobs.wait(5.0)


def create(bench, parent=None) -> QWidget:
    return AccountPanel(bench, parent)
