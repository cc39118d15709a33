"""The accounts tab's widgets (no data access, no decisions): the search box and its
results, the service hint, the account file and the row of business buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .models import SearchResultsModel


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
        self.busy = QLabel(self.tr("Working…"))   # shown while a service call runs
        self.busy.setObjectName("account_busy")
        self.busy.hide()
        self.model = SearchResultsModel(self)
        self.table = QTableView()
        self.table.setObjectName("account_results")
        self.table.setModel(self.model)
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
        self.buttons: dict[str, QPushButton] = {}
        # two rows (the account's business, then supply, payment and the full ID): one
        # row of eight would widen the workstation past 1366 pixels
        row = QGridLayout()
        for key, text in (("open", self.tr("Open account (Ctrl+N)")),
                          ("rename", self.tr("Rename (Ctrl+R)")),
                          ("transfer", self.tr("Transfer (Ctrl+T)")),
                          ("close", self.tr("Close account")),
                          ("suspend", self.tr("Stop supply (Ctrl+Shift+S)")),
                          ("resume", self.tr("Resume supply (Ctrl+Shift+U)")),
                          ("pay", self.tr("Pay arrears")),
                          ("reveal", self.tr("Show full ID")),
                          ("retype", self.tr("Change type (Ctrl+Shift+Y)"))):
            b = QPushButton(text)
            b.setObjectName("btn_" + key)
            self.buttons[key] = b
        cells = {"open": (0, 0), "rename": (0, 1), "transfer": (0, 2), "close": (0, 3),
                 "suspend": (1, 0), "resume": (1, 0), "pay": (1, 1), "reveal": (1, 2),
                 "retype": (1, 3)}
        for key, (r, c) in cells.items():   # stop / resume share a cell: one is shown
            row.addWidget(self.buttons[key], r, c)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        line.addWidget(self.search, 1)
        line.addWidget(self.busy)
        tl.addLayout(line)
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

    def show_supply_buttons(self, status: str | None) -> None:
        """Stop supply for an active account, resume for a suspended one."""
        self.buttons["suspend"].setVisible(status != "suspended")
        self.buttons["resume"].setVisible(status == "suspended")
