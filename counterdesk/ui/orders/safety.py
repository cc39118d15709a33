"""The manager's safety tab: inspections due and overdue by area (with the 到访不遇
attempts), and supply notices (停气通知): add one, list them, export the affected accounts
to CSV. Decisions are :mod:`counterdesk.orders`'s."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import orders
from ...errors import CounterDeskError
from ..widgets.fieldmessages import FieldMessages, message_label
from ..widgets.tablemodel import RowsModel
from .models import OVERDUE, short, t


class InspectionDueModel(RowsModel):
    """Rows are ``DueRow.to_dict()``; overdue in red."""

    def headers(self) -> list[str]:
        return [t("户号", "Account"), t("户名", "Holder"), t("地址", "Address"),
                t("上次安检", "Last"), t("应检日期", "Due"), t("到访不遇", "Nobody home"),
                t("下次上门", "Next attempt")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        if role == Qt.DisplayRole:
            due = d["next_due"] + (t(f"（逾期 {d['days_overdue']} 天）",
                                     f" ({d['days_overdue']} d overdue)") if d["overdue"] else "")
            return (d["account_no"], d["holder"], d["address"], d["last_inspected"] or "—",
                    due, str(d["not_home_count"] or ""), d["next_attempt"] or "")[index.column()]
        if role in (Qt.BackgroundRole, Qt.ForegroundRole) and d["overdue"]:
            return QColor(OVERDUE[0] if role == Qt.BackgroundRole else OVERDUE[1])
        return None


class NoticeModel(RowsModel):
    def headers(self) -> list[str]:
        return [t("编号", "Number"), t("区域", "Area"), t("开始", "Start"), t("结束", "End"),
                t("原因", "Reason")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (d["number"], d["area"], short(d["starts_at"]), short(d["ends_at"]),
                    d["reason"])[index.column()]
        if role == Qt.FontRole and d["active"]:
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return None


def _table(model) -> QTableView:
    v = QTableView()
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectRows)
    v.setSelectionMode(QAbstractItemView.SingleSelection)
    v.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    v.horizontalHeader().setStretchLastSection(True)
    return v


class SafetyTab(QWidget, FieldMessages):
    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        # inspections
        self.district, self.street, self.community = QLineEdit(), QLineEdit(), QLineEdit()
        for w, zh, en in ((self.district, "区", "District"), (self.street, "街道", "Street"),
                          (self.community, "小区", "Community")):
            w.setPlaceholderText(t(zh, en))
            w.returnPressed.connect(self.refresh_due)
        self.overdue_only = QCheckBox(t("只看逾期", "Overdue only"))
        self.overdue_only.toggled.connect(self.refresh_due)
        self.due_model = InspectionDueModel(self)
        self.due_table = _table(self.due_model)
        # notices
        self.n_from, self.n_to, self.n_reason = QLineEdit(), QLineEdit(), QLineEdit()
        self.n_from.setPlaceholderText("2026-11-25 09:00")
        self.n_to.setPlaceholderText("2026-11-25 17:00")
        self.add_notice = QPushButton(t("登记停气通知（按上面的区域）", "Add notice (area above)"))
        self.export = QPushButton(t("导出受影响用户 CSV", "Export affected accounts (CSV)"))
        self.notice_model = NoticeModel(self)
        self.notice_table = _table(self.notice_model)
        self.message = message_label()
        self.fields = {"district": self.district, "start": self.n_from, "end": self.n_to,
                       "reason": self.n_reason}
        area = QHBoxLayout()
        for w in (self.district, self.street, self.community, self.overdue_only):
            area.addWidget(w)
        form = QFormLayout()
        form.addRow(t("停气开始", "Stop from"), self.n_from)
        form.addRow(t("停气结束", "Stop until"), self.n_to)
        form.addRow(t("原因", "Reason"), self.n_reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_notice)
        buttons.addWidget(self.export)
        lay = QVBoxLayout(self)
        lay.addLayout(area)
        lay.addWidget(self.due_table, 2)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.notice_table, 1)
        lay.addWidget(self.message)
        self.add_notice.clicked.connect(self.do_add_notice)
        self.n_reason.returnPressed.connect(self.do_add_notice)
        self.export.clicked.connect(self._ask_export)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.WidgetWithChildrenShortcut)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_due()
        self.refresh_notices()

    def refresh_due(self) -> None:
        try:
            rows = orders.inspections_due(
                self.bench.db, self.bench.actor, district=self.district.text(),
                street=self.street.text(), community=self.community.text(),
                only_overdue=self.overdue_only.isChecked())
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.due_model.set_rows([r.to_dict() for r in rows])

    def refresh_notices(self) -> None:
        items = orders.list_notices(self.bench.db, self.bench.actor)
        self.notice_model.set_rows([n.to_dict() for n in items])

    def do_add_notice(self) -> None:
        try:
            n = orders.add_notice(self.bench.db, self.bench.actor, district=self.district.text(),
                                  street=self.street.text(), community=self.community.text(),
                                  starts_at=self.n_from.text(), ends_at=self.n_to.text(),
                                  reason=self.n_reason.text())
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.n_reason.clear()
        self.show_done(t(f"已登记停气通知 {n.number}：{n.area}", f"Notice {n.number} added"))
        self.refresh_notices()

    def export_affected(self, path: str | Path) -> Path | None:
        idx = self.notice_table.currentIndex()
        if not idx.isValid():
            self.message.setText(t("请先选择一条停气通知", "Select a notice first"))
            return None
        number = self.notice_model.rows[idx.row()]["number"]
        try:
            rows = orders.affected_accounts(self.bench.db, self.bench.actor, number,
                                            full_phones=self.bench.actor.can_reveal)
            out = orders.write_accounts_csv(rows, path)
        except (CounterDeskError, OSError) as exc:
            self.message.setText(str(exc))
            return None
        self.show_done(t(f"已导出 {len(rows)} 户：{out}", f"Exported {len(rows)}: {out}"))
        return out

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, t("保存受影响用户", "Save"),
                                              "affected.csv", "CSV (*.csv)")
        if path:
            self.export_affected(path)
