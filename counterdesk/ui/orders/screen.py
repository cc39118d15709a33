"""The clerk's order screen: record an order (Return in the description, or
Ctrl+Shift+Return), see what the account carries (安检逾期, supply stops, notices), act
on the selected order from the keyboard (Ctrl+Shift+ D dispatch, A arrive, E result,
L close, F follow-up, P slip; F5 refresh). Plain Ctrl+ letters belong to other tabs'
window-wide actions. Every decision is :mod:`counterdesk.orders`'s; this module shows and asks."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from ... import clock, orders, policy, workdays
from ...errors import CounterDeskError
from ..widgets.fieldmessages import FieldMessages, message_label
from .models import OrderTableModel, t

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
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addLayout(fields)
        right.addLayout(actions)
        top = QHBoxLayout(self)
        top.addLayout(left, 2)
        top.addLayout(right, 3)


class OrderScreen(OrderScreenView, FieldMessages):
    """Controller: service calls and decisions about what to show."""

    changed = Signal()

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.model = OrderTableModel(self)
        self.table.setModel(self.model)
        self.fields = {"kind": self.kind, "account_no": self.account, "address": self.address,
                       "phone": self.phone, "contact_name": self.name,
                       "description": self.description, "inspection_ref": self.inspection_ref,
                       "to": self.to, "note": self.note, "staff": self.table}
        self.record.clicked.connect(self.record_order)
        self.account.editingFinished.connect(self.show_flags)
        for key, letter in (("dispatch", "D"), ("arrive", "A"), ("result", "E"), ("close", "L"),
                            ("followup", "F"), ("slip", "P")):
            seq = f"Ctrl+Shift+{letter}"
            handler = getattr(self, f"do_{key}")
            self.buttons[key].clicked.connect(handler)
            QShortcut(QKeySequence(seq), self, handler, context=Qt.WidgetWithChildrenShortcut)
        self.description.returnPressed.connect(self.record_order)
        self.inspection_ref.returnPressed.connect(self.record_order)
        for seq in ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"):
            QShortcut(QKeySequence(seq), self, self.record_order,
                      context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.WidgetWithChildrenShortcut)
        bench.account_selected.connect(self._account_selected)
        self.last: orders.OrderView | None = None
        self.refresh()

    @property
    def calendar(self) -> workdays.Calendar:
        q = policy.load_quality_rules(self.bench.db, self.bench.actor.hall_id)  # hall policy
        return workdays.calendar(q.extra_holidays, q.extra_workdays)

    def refresh(self) -> None:
        try:
            items = orders.list_orders(self.bench.db, self.bench.actor)
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.model.set_rows([v.to_dict() for v in items])

    def _account_selected(self, account_no: str) -> None:
        self.account.setText(account_no)
        self.show_flags()

    def show_flags(self) -> None:
        no = self.account.text().strip()
        if not no:
            self.flags.clear()
            return
        try:
            flags = orders.account_flags(self.bench.db, self.bench.actor, no)["flags"]
        except CounterDeskError as exc:
            self.flags.setText(exc.message)
            return
        self.flags.setText("\n".join(flags))

    def record_order(self) -> None:
        try:
            v = orders.add_order(
                self.bench.db, self.bench.actor, kind=self.kind.currentData(),
                account_no=self.account.text(), address=self.address.text(),
                contact_phone=self.phone.text(), contact_name=self.name.text(),
                description=self.description.text(), channel=self.channel.currentData(),
                inspection_ref=self.inspection_ref.text(), calendar=self.calendar)
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.last = v
        if v.emergency_phone:
            self.emergency.setText(t(f"报警！立即派工。24 小时抢修电话：{v.emergency_phone}",
                                     f"Leak! Dispatch now. 24-h emergency: {v.emergency_phone}"))
            self.emergency.show()
        else:
            self.emergency.hide()
        due = clock.minute(v.next_due_at)
        self.show_done(t(f"已登记 {v.kind_label}工单 {v.number}" + (f"，期限 {due}" if due else ""),
                         f"Recorded {v.number}" + (f", due {due}" if due else "")))
        for w in (self.address, self.phone, self.name, self.description, self.inspection_ref):
            w.clear()
        self.refresh()
        self._select(v.number)
        self.changed.emit()

    def _select(self, number: str) -> None:
        for row, d in enumerate(self.model.rows):
            if d["number"] == number:
                self.table.selectRow(row)
                return

    def selected(self) -> dict | None:
        idx = self.table.currentIndex()
        return self.model.item(idx.row()) if idx.isValid() else None

    def _act(self, call, done_zh: str, done_en: str) -> None:
        d = self.selected()
        if d is None:
            self.message.setStyleSheet("color: #c0392b;")
            self.message.setText(t("请先在列表中选择一张工单", "Select an order first"))
            return
        try:
            v = call(d["number"])
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.last = v
        self.note.clear()
        self.show_done(t(f"{v.number} {done_zh}", f"{v.number} {done_en}"))
        self.refresh()
        self._select(v.number)
        self.changed.emit()

    def do_dispatch(self) -> None:
        db, actor = self.bench.db, self.bench.actor
        self._act(lambda n: orders.dispatch(db, actor, n, to_staff_no=self.to.text(),
                                            note=self.note.text()), "已派工", "dispatched")

    def do_arrive(self) -> None:
        db, actor = self.bench.db, self.bench.actor
        self._act(lambda n: orders.arrive(db, actor, n, note=self.note.text()),
                  "已登记到场", "on site")

    def do_result(self) -> None:
        db, actor = self.bench.db, self.bench.actor
        self._act(lambda n: orders.record_result(db, actor, n, self.result.currentData(),
                                                 note=self.note.text()),
                  "已反馈结果", "result recorded")

    def do_close(self) -> None:
        db, actor = self.bench.db, self.bench.actor
        self._act(lambda n: orders.close(db, actor, n, note=self.note.text(),
                                         calendar=self.calendar), "已关闭", "closed")

    def do_followup(self) -> None:
        db, actor = self.bench.db, self.bench.actor
        self._act(lambda n: orders.follow_up(db, actor, n, self.verdict.currentData(),
                                             note=self.note.text(), calendar=self.calendar),
                  "已回访", "followed up")

    def do_slip(self) -> None:
        from ...print import printers
        from ...print.order_slip import order_slip

        d = self.selected()
        if d is None:
            return
        bench = self.bench
        try:
            v = orders.get_order(bench.db, bench.actor, d["number"])
            info = orders.hall_info(bench.db, bench.actor)
            p = printers.from_settings(bench.settings)
            printers.send(p, order_slip(v, info["hall_name"], hotline=info["hotline"],
                                        staff_no=bench.actor.staff_no,
                                        window=bench.actor.window, columns=p.columns),
                          job_name=f"工单 {v.number}")
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.show_done(t(f"{v.number} 凭条已打印", f"{v.number} slip printed"))
