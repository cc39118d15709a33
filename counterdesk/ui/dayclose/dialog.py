"""The manager's day close (日清日结): the check list before the close, the tills with
expected vs counted, the close itself (report PDF + CSV written, database backed up),
opening the PDF in the system viewer, and reopening a closed day with a reason.

Keyboard: F5 checks again, Ctrl+Return closes the day, Ctrl+O opens the PDF,
Ctrl+Shift+R reopens. The view holds widgets; :class:`DayCloseDialog` calls
:mod:`counterdesk.cash`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ... import cash, clock, money, paths
from ...errors import CounterDeskError
from ...staff import Approval
from ..widgets.approval import ApprovalFields, add_ok_cancel
from ..widgets.tablemodel import RowsModel


class CheckListModel(RowsModel):
    """What stands in the way of the close (blockers) and what to look at (notes)."""

    def headers(self):
        return [self.tr("Check"), self.tr("Details")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        ok, text = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (self.tr("OK") if ok else self.tr("Blocks the close")) \
                if index.column() == 0 else text
        if role == Qt.ForegroundRole and index.column() == 0 and not ok:
            from PySide6.QtGui import QColor

            return QColor("#c0392b")
        return None


class TillsModel(RowsModel):
    """Tills of the day: expected vs counted with the explanations."""

    def headers(self):
        return [self.tr("Clerk"), self.tr("Status"), self.tr("Expected"), self.tr("Counted"),
                self.tr("Difference"), self.tr("Explanation"), self.tr("Countersigned")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        t = self.rows[index.row()]
        if role == Qt.TextAlignmentRole and 2 <= index.column() <= 4:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role != Qt.DisplayRole:
            return None

        def y(v):
            return "" if v is None else money.fmt(v)
        return [f"{t['staff_no']} {t['name']}", t["status_name"], y(t["expected_fen"]),
                y(t["counted_fen"]), y(t["difference_fen"]), t["explanation"],
                t["countersigned_by"] or ""][index.column()]


class DayCloseDialogView(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dayclose_dialog")
        self.setWindowTitle(self.tr("Day close"))
        self.resize(900, 600)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Business day")))
        self.date = QDateEdit()
        self.date.setObjectName("close_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        top.addWidget(self.date)
        self.btn_check = QPushButton(self.tr("Check again (F5)"))
        top.addWidget(self.btn_check)
        top.addStretch(1)
        lay.addLayout(top)
        self.summary = QLabel()
        self.summary.setObjectName("close_summary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.checks_model = CheckListModel(self)
        self.checks = QTableView()
        self.checks.setObjectName("checks")
        self.checks.setModel(self.checks_model)
        self.checks.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        lay.addWidget(self.checks, 1)
        self.tills_model = TillsModel(self)
        self.tills = QTableView()
        self.tills.setObjectName("tills")
        self.tills.setModel(self.tills_model)
        self.tills.horizontalHeader().setSectionResizeMode(5, QHeaderView.Stretch)
        lay.addWidget(self.tills, 1)
        self.message = QLabel()
        self.message.setObjectName("close_message")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.btn_close_day = QPushButton(self.tr("Close the day (Ctrl+Enter)"))
        self.btn_open_pdf = QPushButton(self.tr("Open report PDF (Ctrl+O)"))
        self.btn_reopen = QPushButton(self.tr("Reopen the day…"))
        self.btn_done = QPushButton(self.tr("Done"))
        for b in (self.btn_close_day, self.btn_open_pdf, self.btn_reopen):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_done)
        lay.addLayout(buttons)


class DayCloseDialog(DayCloseDialogView):
    """Controller."""

    def __init__(self, bench, parent=None, *, report_dir: Path | None = None):
        super().__init__(parent)
        self.bench = bench
        self.db = bench.db
        self.actor = bench.actor
        self.report_dir = Path(report_dir) if report_dir else paths.data_dir() / "reports"
        self.pdf_path: Path | None = None
        self.last_result: cash.DayCloseResult | None = None
        self.opener = QDesktopServices.openUrl      # tests replace it
        self.ask_reopen = self._ask_reopen           # tests replace it
        today = clock.today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.btn_check.clicked.connect(self.check)
        self.btn_close_day.clicked.connect(self.run_close)
        self.btn_open_pdf.clicked.connect(self.open_pdf)
        self.btn_reopen.clicked.connect(self.reopen)
        self.btn_done.clicked.connect(self.accept)
        self.date.dateChanged.connect(lambda _d: self.check())
        for keys, slot in ((("F5",), self.check), (("Ctrl+Return", "Ctrl+Enter"), self.run_close),
                           (("Ctrl+O",), self.open_pdf), (("Ctrl+Shift+R",), self.reopen)):
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        if not self.actor.is_manager:
            self.btn_close_day.setEnabled(False)
            self.btn_reopen.setEnabled(False)
            self.message.setText(self.tr("Only a hall manager can close or reopen a day."))
        self.check()

    def day(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def _pdf_for(self, day: dt.date) -> Path:
        return self.report_dir / f"dayclose-{self.actor.hall_code}-{day.isoformat()}.pdf"

    def check(self) -> None:
        if not self.actor.is_manager:
            return
        day = self.day()
        try:
            c = cash.preclose_check(self.db, self.actor, day)
            tills = cash.tills_for_day(self.db, self.actor, day)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return
        rows = [(False, b["zh"]) for b in c["blockers"]]
        rc = c["receipts"]
        rows.append((True, self.tr("Receipts %1 to %2 (%3)").replace("%1", rc["first"] or "-")
                     .replace("%2", rc["last"] or "-").replace("%3", str(rc["count"]))))
        rows.append((rc["gapless"], self.tr("Receipt numbers without gaps") if rc["gapless"]
                     else self.tr("Missing receipt numbers: %1").replace(
                         "%1", ", ".join(rc["gaps"][:10]))))
        lost = rc.get("lost_in_restore") or []
        if lost:  # numbers customers hold from before a restore: never issued again
            rows.append((True, self.tr("Receipt numbers lost in restore: %1").replace(
                "%1", ", ".join(f"{x['first']}–{x['last']}" for x in lost[:5]))))
        rows.append((True, self.tr("Unprinted receipts: %1").replace("%1", str(c["unprinted"]))))
        self.checks_model.set_rows(rows)
        self.tills_model.set_rows([t.to_dict() for t in tills])
        self.pdf_path = self._pdf_for(day) if self._pdf_for(day).exists() else None
        if c["closed"]:
            state = self.tr("%1 is closed.").replace("%1", day.isoformat())
        elif c["can_close"]:
            state = self.tr("%1 can be closed.").replace("%1", day.isoformat())
        else:
            state = self.tr("%1 cannot be closed yet.").replace("%1", day.isoformat())
        self.summary.setText(state)
        self.btn_close_day.setEnabled(c["can_close"])
        self.btn_reopen.setEnabled(c["closed"])
        self.btn_open_pdf.setEnabled(self.pdf_path is not None)

    def run_close(self) -> cash.DayCloseResult | None:
        if not self.btn_close_day.isEnabled():
            return None
        day = self.day()
        s = self.bench.settings
        try:
            res = cash.close_day(self.db, self.actor, day, backup_settings=s.backup)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.check()
            return None
        self.last_result = res
        from ...print import dayclose_pdf

        try:
            self.pdf_path = dayclose_pdf.write_pdf(res.report, self._pdf_for(day))
            cash.write_csv(res.report, self.pdf_path.with_suffix(".csv"))
        except OSError as exc:
            self.message.setText(self.tr("The day is closed but the report could not be "
                                         "written: %1").replace("%1", str(exc)))
        t = res.report["totals"]
        text = self.tr("Closed. Net %1 yuan, %2 payments.").replace(
            "%1", money.fmt(t["net_fen"])).replace("%2", str(t["sales"]))
        if res.backup_file:
            text += " " + self.tr("Backup: %1").replace("%1", res.backup_file)
        elif res.backup_error:
            text += " " + self.tr("Backup failed: %1").replace("%1", res.backup_error)
        self.check()
        self.message.setText(text)
        return res

    def open_pdf(self) -> bool:
        if self.pdf_path is None or not self.pdf_path.exists():
            day = self.day()
            try:
                rep = cash.day_report(self.db, self.actor, day)
                from ...print import dayclose_pdf

                self.pdf_path = dayclose_pdf.write_pdf(rep, self._pdf_for(day))
            except (CounterDeskError, OSError) as exc:
                self.message.setText(getattr(exc, "message", str(exc)))
                return False
        return bool(self.opener(QUrl.fromLocalFile(str(self.pdf_path))))

    def _ask_reopen(self) -> tuple[str, Approval | None] | None:
        """The reason and a second manager's approval (never the one who reopens)."""
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Reopen the day"))
        form = QFormLayout(dlg)
        reason = QLineEdit()
        reason.setObjectName("reopen_reason")
        form.addRow(self.tr("Why must the closed day be reopened?"), reason)
        approval = ApprovalFields(form)
        add_ok_cancel(dlg, form)
        if dlg.exec() != QDialog.Accepted:
            return None
        return reason.text(), approval.approval()

    def reopen(self) -> bool:
        if not self.btn_reopen.isEnabled():
            return False
        answer = self.ask_reopen()
        if answer is None:
            return False
        reason, approval = answer
        try:
            cash.reopen_day(self.db, self.actor, self.day(), reason, approval)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return False
        self.check()
        self.message.setText(self.tr("The day is open again; the reason is recorded."))
        return True


__all__ = ["DayCloseDialog", "CheckListModel", "TillsModel"]
