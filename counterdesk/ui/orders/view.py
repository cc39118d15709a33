"""The widgets of the work-order tab (no data access, no decisions): the clerk's order
screen, the manager's board and the safety tab. The controllers are :mod:`.screen`,
:mod:`.board` and :mod:`.safety`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import orders
from ..widgets.fieldmessages import message_label
from .models import InspectionDueModel, NoticeModel, OrderTableModel, t

KINDS = ("repair", "alarm", "install", "inspection", "meter_change", "stop", "restore",
         "first_gas")
RESULTS = (("done", "完成", "Done"), ("failed", "无法完成", "Cannot complete"),
           ("referred", "需另开工单", "Needs another order"))


class OrderScreenView(QWidget):
    """Widgets only: the form, the account flags, the emergency line, the list, actions."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        for k in KINDS:
            self.kind.addItem(orders.label(orders.KIND_LABELS, k), k)
        self.account = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.channel = QComboBox()
        self.channel.addItem(t("窗口", "Window"), "window")
        self.channel.addItem(t("热线", "Hotline"), "hotline")
        self.inspection_ref = QLineEdit()
        self.record = QPushButton(t("登记工单 (Ctrl+Shift+Enter)", "Record (Ctrl+Shift+Enter)"))
        form = QFormLayout()
        for label, w in ((t("类型", "Kind"), self.kind), (t("户号", "Account"), self.account),
                         (t("地址", "Address"), self.address),
                         (t("联系电话", "Phone"), self.phone),
                         (t("联系人", "Contact"), self.name),
                         (t("事由", "Description"), self.description),
                         (t("来源", "Channel"), self.channel),
                         (t("安检工单号（复气）", "Inspection ref (restore)"), self.inspection_ref)):
            form.addRow(label, w)
        form.addRow(self.record)
        self.flags = QLabel()
        self.flags.setObjectName("flags")
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #a93226; font-weight: bold;")
        self.emergency = QLabel()
        self.emergency.setObjectName("emergency")
        self.emergency.setStyleSheet("color: white; background: #c0392b; font-size: 18px; "
                                     "padding: 4px;")
        self.emergency.hide()
        self.message = message_label()
        self.busy_label = QLabel(t("正在处理，请稍候…", "Working… please wait."))
        self.busy_label.setObjectName("orders_busy")
        self.busy_label.hide()
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.to = QLineEdit()
        self.to.setPlaceholderText(t("维修员工号", "Technician no."))
        self.result = QComboBox()
        for key, zh, en in RESULTS:
            self.result.addItem(t(zh, en), key)
        self.verdict = QComboBox()
        self.verdict.addItem(t("满意", "Satisfied"), "satisfied")
        self.verdict.addItem(t("不满意", "Unsatisfied"), "unsatisfied")
        self.note = QLineEdit()
        self.note.setPlaceholderText(t("说明/原因", "Note / reason"))
        self.buttons = {}
        actions = QGridLayout()
        for i, (key, zh, en) in enumerate((
                ("dispatch", "派工 Ctrl+Shift+D", "Dispatch Ctrl+Shift+D"),
                ("arrive", "到场 Ctrl+Shift+A", "On site Ctrl+Shift+A"),
                ("result", "反馈结果 Ctrl+Shift+E", "Result Ctrl+Shift+E"),
                ("close", "关闭 Ctrl+Shift+L", "Close Ctrl+Shift+L"),
                ("followup", "回访 Ctrl+Shift+F", "Follow-up Ctrl+Shift+F"),
                ("slip", "打印凭条 Ctrl+Shift+P", "Print slip Ctrl+Shift+P"))):
            self.buttons[key] = QPushButton(t(zh, en))
            actions.addWidget(self.buttons[key], i // 2, i % 2)  # fits 1366 (issue 18.2)
        fields = QGridLayout()
        for i, w in enumerate((self.to, self.result, self.verdict, self.note)):
            fields.addWidget(w, i // 2, i % 2)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.flags)
        left.addWidget(self.emergency)
        left.addWidget(self.busy_label)
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addLayout(fields)
        right.addLayout(actions)
        top = QHBoxLayout(self)
        top.addLayout(left, 2)
        top.addLayout(right, 3)

    def action_controls(self) -> list[QWidget]:
        """What changes an order: disabled while a call runs."""
        return [self.record, *self.buttons.values()]


class OrderBoardView(QWidget):
    """Widgets only: the filters, the summary, the board, the export button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItem(t("全部类型", "All kinds"), "")
        for k in KINDS:
            self.kind.addItem(orders.label(orders.KIND_LABELS, k), k)
        self.overdue_only = QCheckBox(t("只看超期", "Overdue only"))
        self.export = QPushButton(t("导出报表 (PDF+CSV)", "Export report (PDF+CSV)"))
        self.summary = QLabel()
        self.busy_label = QLabel(t("正在处理，请稍候…", "Working… please wait."))
        self.busy_label.setObjectName("board_busy")
        self.busy_label.hide()
        self.model = OrderTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        for w in (self.kind, self.overdue_only, self.summary, self.busy_label):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)


def _table(model) -> QTableView:
    v = QTableView()
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectRows)
    v.setSelectionMode(QAbstractItemView.SingleSelection)
    v.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    v.horizontalHeader().setStretchLastSection(True)
    return v


class SafetyTabView(QWidget):
    """Widgets only: the area, the inspections due, the notice form and list."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # inspections
        self.district, self.street, self.community = QLineEdit(), QLineEdit(), QLineEdit()
        for w, zh, en in ((self.district, "区", "District"), (self.street, "街道", "Street"),
                          (self.community, "小区", "Community")):
            w.setPlaceholderText(t(zh, en))
        self.overdue_only = QCheckBox(t("只看逾期", "Overdue only"))
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
        self.busy_label = QLabel(t("正在处理，请稍候…", "Working… please wait."))
        self.busy_label.setObjectName("safety_busy")
        self.busy_label.hide()
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
        lay.addWidget(self.busy_label)
        lay.addWidget(self.message)
