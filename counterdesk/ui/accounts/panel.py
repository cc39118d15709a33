"""The account panel: search as you type, the account file with its history and ledger,
and the account business (open Ctrl+N, rename Ctrl+R, transfer Ctrl+T, close).

F8 or Ctrl+F puts the cursor in the search box from anywhere; Down moves into the
results, Return opens the file. ID numbers and phones are shown masked; a clerk with
the permission may reveal one (recorded in the audit log).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import accounts, orders
from ...errors import CounterDeskError
from . import forms
from .filehtml import file_html

SEARCH_DELAY_MS = 150


class SearchResultsModel(QAbstractTableModel):
    """Search hits (already masked by the service)."""

    COLUMNS = ("account_no", "name", "id_masked", "phone_masked", "address", "meter_no",
               "status")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hits: list = []
        self.headers = [self.tr("Account"), self.tr("Name"), self.tr("ID"), self.tr("Phone"),
                        self.tr("Address"), self.tr("Meter"), self.tr("Status")]

    def set_hits(self, hits: list) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "status":
                return hit.to_dict()["status_name"]
            return getattr(hit, col)
        if role == Qt.ToolTipRole and col == "name" and hit.special_groups:
            return accounts.service_hint(hit.special_groups)
        if role == Qt.UserRole:
            return hit.account_no
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None

    def account_no(self, row: int) -> str | None:
        return self.hits[row].account_no if 0 <= row < len(self.hits) else None


class AccountPanelView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("account_panel")
        self.search = QLineEdit()
        self.search.setObjectName("account_search")
        self.search.setPlaceholderText(
            self.tr("Account no., name, pinyin initials, phone, ID ending, address, meter (F8)"))
        self.search.setClearButtonEnabled(True)
        self.more = QLabel()
        self.more.setObjectName("search_more")
        self.table = QTableView()
        self.table.setObjectName("account_results")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.verticalHeader().hide()
        self.hint = QLabel()
        self.hint.setObjectName("service_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a4b00; background: #fff3cd; padding: 4px;")
        self.hint.hide()
        self.file = QTextBrowser()
        self.file.setObjectName("account_file")
        self.buttons = {}
        row = QHBoxLayout()
        for key, text in (("open", self.tr("Open account (Ctrl+N)")),
                          ("rename", self.tr("Rename (Ctrl+R)")),
                          ("transfer", self.tr("Transfer (Ctrl+T)")),
                          ("close", self.tr("Close account")),
                          ("pay", self.tr("Pay arrears")),
                          ("reveal", self.tr("Show full ID"))):
            b = QPushButton(text)
            b.setObjectName("btn_" + key)
            self.buttons[key] = b
            row.addWidget(b)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.search)
        tl.addWidget(self.more)
        tl.addWidget(self.table)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.hint)
        bl.addWidget(self.file)
        bl.addLayout(row)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        lay = QVBoxLayout(self)
        lay.addWidget(split)


class AccountPanelController(QObject):
    papers_done = Signal(dict)   # {"pdf", "slip", "error"} from the paper thread

    def __init__(self, bench, view: AccountPanelView):
        super().__init__(view)
        self.opener = QDesktopServices.openUrl   # tests replace it
        self.papers_done.connect(self._papers_done)
        self.bench = bench
        self.view = view
        self.model = SearchResultsModel(view)
        view.table.setModel(self.model)
        self.current: accounts.AccountView | None = None
        self.last_result: accounts.SearchResult | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        view.search.textChanged.connect(lambda _t: self._timer.start())
        view.search.returnPressed.connect(self._enter)
        view.table.activated.connect(lambda idx: self.select(self.model.account_no(idx.row())))
        view.buttons["open"].clicked.connect(self.open_account)
        view.buttons["rename"].clicked.connect(self.rename)
        view.buttons["transfer"].clicked.connect(self.transfer)
        view.buttons["close"].clicked.connect(self.close_account)
        view.buttons["pay"].clicked.connect(self.pay)
        view.buttons["reveal"].clicked.connect(self.reveal)
        view.buttons["reveal"].setVisible(bool(bench.actor.can_reveal))
        bench.account_selected.connect(self._selected_elsewhere)
        bench.open_account_requested.connect(self.open_account)
        bench.payment_committed.connect(lambda _r: self.refresh())
        self._update_buttons()

    # -- search ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.view.search.setFocus(Qt.ShortcutFocusReason)
        self.view.search.selectAll()

    def run_search(self) -> None:
        self._timer.stop()
        q = self.view.search.text()
        try:
            res = accounts.search(self.bench.db, self.bench.actor, q)
        except CounterDeskError as exc:
            self.bench.status_message.emit(exc.message)
            return
        self.last_result = res
        self.model.set_hits(res.hits)
        self.view.more.setText(self.tr("More matches: type more characters")
                               if res.more else "")
        if res.hits:
            self.view.table.selectRow(0)

    def _enter(self) -> None:
        self.run_search()
        if self.model.hits:
            row = max(0, self.view.table.currentIndex().row())
            self.select(self.model.account_no(row))

    # -- the file -------------------------------------------------------------------------
    def select(self, account_no: str | None) -> None:
        if not account_no:
            return
        self.show_account(account_no)
        if self.current is not None:
            self.bench.current_account = account_no
            self.bench.account_selected.emit(account_no)

    def _selected_elsewhere(self, account_no: str) -> None:
        if self.current is None or self.current.account_no != account_no:
            self.show_account(account_no)

    def refresh(self) -> None:
        if self.current is not None:
            self.show_account(self.current.account_no)

    def show_account(self, account_no: str) -> None:
        try:
            view = accounts.show(self.bench.db, self.bench.actor, account_no)
            ledger = accounts.ledger(self.bench.db, self.bench.actor, account_no)
        except CounterDeskError as exc:
            self.bench.status_message.emit(exc.message)
            return
        try:   # 安检逾期, supply stops and 停气通知 of the account's area (issue 21)
            flags = orders.account_flags(self.bench.db, self.bench.actor, account_no)["flags"]
        except CounterDeskError:
            flags = []
        self.current = view
        self.view.file.setHtml(file_html(view.to_dict(), ledger))
        hint = "\n".join(x for x in (view.service_hint, *flags) if x)
        self.view.hint.setText(hint)
        self.view.hint.setVisible(bool(hint))
        if view.service_hint:
            self.bench.prompt_context.emit("special_group", {"account_no": account_no,
                                                             "groups": view.special_groups})
        self._update_buttons()

    def _update_buttons(self) -> None:
        cur = self.current
        active = cur is not None and cur.status != "closed"
        for k in ("rename", "transfer", "close"):
            self.view.buttons[k].setEnabled(active)
        self.view.buttons["pay"].setEnabled(bool(cur and cur.arrears_fen > 0))
        self.view.buttons["reveal"].setEnabled(cur is not None)

    # -- business -------------------------------------------------------------------------
    def _run(self, view, controller, business: str):
        view.setAttribute(Qt.WA_DeleteOnClose, False)
        controller.saved.connect(lambda v: self.show_account(v.account_no))
        controller.saved.connect(lambda v: self.print_papers(v, business))
        view.open()
        return view, controller

    # -- paper: the form to sign (PDF) and the slip, off the UI thread ---------------------
    def print_papers(self, view, business: str, *, wait: bool = False) -> None:
        from ... import paths
        from ...print import printers
        from ...print.account_docs import papers

        bench = self.bench
        names = accounts.hall_names(bench.db, bench.actor)
        settings = bench.settings
        folder = paths.data_dir() / "forms"

        def work():
            try:
                printer = printers.from_settings(settings) if settings.printer.uri else ""
                out = papers(view, names, business, folder=folder, printer_uri=printer,
                             staff_no=bench.actor.staff_no, staff_name=bench.actor.name,
                             window=bench.actor.window)
            except Exception as exc:  # noqa: BLE001 - reported to the clerk, never lost
                out = {"pdf": "", "slip": "error", "error": str(exc)}
            self.papers_done.emit(out)
        if wait:
            work()
        else:
            threading.Thread(target=work, name="account-papers", daemon=True).start()

    def _papers_done(self, out: dict) -> None:
        self.last_papers = out
        if out.get("error"):
            self.bench.status_message.emit(
                self.tr("Slip not printed: %1 (the business is saved)").replace(
                    "%1", out["error"]))
        elif out.get("slip") == "printed":
            self.bench.status_message.emit(self.tr("Slip printed; form ready to sign"))
        if out.get("pdf"):
            self.opener(QUrl.fromLocalFile(out["pdf"]))

    def open_account(self):
        v = forms.OpeningFormView(self.view)
        return self._run(v, forms.OpeningController(self.bench, v), "open")

    def _need_current(self) -> bool:
        if self.current is None:
            self.bench.status_message.emit(self.tr("Find and select an account first"))
            self.focus_search()
            return False
        return True

    def _arrears_first(self, business: str) -> bool:
        """Refuse up front when the account owes money, offering payment."""
        cur = self.current
        if cur.arrears_fen <= 0:
            return False
        msg = self.tr("Account %1 owes %2: it must be paid before the %3.").replace(
            "%1", cur.account_no).replace("%2", accounts.fen_text(cur.arrears_fen)).replace(
            "%3", business)
        self.bench.rule_refused.emit("arrears", msg)
        box = QMessageBox(QMessageBox.Warning, self.tr("Arrears"), msg, parent=self.view)
        pay = box.addButton(self.tr("Go to payment"), QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(pay)
        box.finished.connect(lambda _r: box.clickedButton() is pay and self.pay())
        box.open()
        self.arrears_box = box
        return True

    def rename(self):
        if not self._need_current() or self._arrears_first(self.tr("name change")):
            return None
        v = forms.RenameFormView(self.current.account_no, self.view)
        return self._run(v, forms.RenameController(self.bench, v), "rename")

    def transfer(self):
        if not self._need_current() or self._arrears_first(self.tr("transfer")):
            return None
        v = forms.TransferFormView(self.current.account_no, self.view)
        return self._run(v, forms.TransferController(self.bench, v), "transfer")

    def close_account(self):
        if not self._need_current() or self._arrears_first(self.tr("closing")):
            return None
        v = forms.CloseFormView(self.current.account_no, self.view)
        return self._run(v, forms.CloseController(self.bench, v), "close")

    def pay(self) -> None:
        if self.current is not None:
            self.bench.open_payment.emit(self.current.account_no)

    def reveal(self) -> str | None:
        if self.current is None:
            return None
        try:
            value = accounts.reveal(self.bench.db, self.bench.actor, self.current.account_no,
                                    "id_number")
        except CounterDeskError as exc:
            self.bench.status_message.emit(exc.message)
            return None
        box = QMessageBox(QMessageBox.Information, self.tr("Full ID number"),
                          self.tr("%1 (this look-up is recorded)").replace("%1", value),
                          parent=self.view)
        box.open()
        self.reveal_box = box
        return value


class AccountPanel(AccountPanelView):
    """What the main window loads: the view with its controller and shortcuts."""

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.tab_title = self.tr("Accounts")
        self.controller = AccountPanelController(bench, self)

    def install_actions(self, mainwindow) -> None:
        c = self.controller
        menu = getattr(mainwindow, "menu_business", None)
        specs = (("find", self.tr("Find account"), ["F8", "Ctrl+F"], c.focus_search),
                 ("open", self.tr("Open account"), ["Ctrl+N"], c.open_account),
                 ("rename", self.tr("Rename account"), ["Ctrl+R"], c.rename),
                 ("transfer", self.tr("Transfer account"), ["Ctrl+T"], c.transfer))
        self.actions_by_name = {}
        for name, text, keys, slot in specs:
            act = QAction(text, mainwindow)
            act.setObjectName("action_account_" + name)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.WindowShortcut)  # the workstation window, not dialogs
            act.triggered.connect(lambda _c=False, slot=slot, name=name: self._trigger(slot,
                                                                                       name))
            mainwindow.addAction(act)
            if menu is not None:
                menu.addAction(act)
            self.actions_by_name[name] = act

    def _trigger(self, slot, name: str) -> None:
        tabs = self.parentWidget()
        while tabs is not None and not isinstance(tabs, QTabWidget):
            tabs = tabs.parentWidget()
        if tabs is not None:
            tabs.setCurrentWidget(self)
        slot()

    def shutdown(self) -> None:
        self.controller._timer.stop()


def create(bench, parent=None) -> QWidget:
    return AccountPanel(bench, parent)
