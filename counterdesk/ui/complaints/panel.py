"""Workstation tab for complaints, enquiries and help requests (投诉 / 咨询 / 求助).

A clerk records an item (Ctrl+K) and sees what they own, with what is overdue in red
and what is due soon in amber; forward / hand over / reply / contact / follow-up act
on the selected item. A manager also sees every item of the hall, the follow-up
reminders of everyone, and exports the quality report (PDF + CSV). Every decision is
the service's (:mod:`counterdesk.quality`); this module only shows and asks.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import quality
from ...errors import CounterDeskError
from ..widgets.tablemodel import RowsModel

STATE_COLOURS = {"overdue": ("#f8d7da", "#a93226"), "due_soon": ("#fff3cd", "#7d6608"),
                 "awaiting_followup": ("#d6eaf8", "#1b4f72"), "closed": (None, "#7f8c8d")}


def _short(iso: str | None) -> str:
    return iso.replace("T", " ")[5:16] if iso else ""


class ComplaintTableModel(RowsModel):
    """Rows are ``ComplaintView.to_dict()`` dicts; colour by the service's ``state``."""

    COLUMNS = ("number", "kind", "category", "contact", "owner", "due", "state")

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Kind"), self.tr("Category"), self.tr("Customer"),
                self.tr("Owner"), self.tr("Reply due"), self.tr("State")]

    @property
    def items(self) -> list[dict]:
        return self.rows

    def set_items(self, items: list[dict]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> dict | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def state_text(self, d: dict) -> str:
        state = d["state"]
        if state == "overdue":
            return self.tr("Overdue %1 h").replace("%1", f"{-d['hours_left']:.1f}")
        if state == "due_soon":
            return self.tr("Due in %1 h").replace("%1", f"{d['hours_left']:.1f}")
        if state == "pending":
            return self.tr("Open, %1 h left").replace("%1", f"{d['hours_left']:.1f}")
        if state == "awaiting_followup":
            return self.tr("Replied, awaiting follow-up")
        return self.tr("Closed")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        d = self.items[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "number":
                return d["number"]
            if col == "kind":
                return d["kind_label"]
            if col == "category":
                return d["category"]
            if col == "contact":
                return f"{d['contact_name']} {d['contact_phone']}".strip()  # phone is masked
            if col == "owner":
                return f"{d['owner_staff_no']} {d['owner_name']}"
            if col == "due":
                return _short(d["due_at"])
            return self.state_text(d)
        colours = STATE_COLOURS.get(d["state"])
        if role == Qt.BackgroundRole and colours and colours[0]:
            return QColor(colours[0])
        if role == Qt.ForegroundRole and colours:
            return QColor(colours[1])
        if role == Qt.ToolTipRole:
            return d["description"]
        if role == Qt.UserRole:
            return d["state"]
        return None


class ReminderTableModel(RowsModel):
    """Follow-up reminders (``Reminder.to_dict()``); late ones in red."""

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Customer"), self.tr("Owner"),
                self.tr("Follow up by"), self.tr("Callable")]

    @property
    def items(self) -> list[dict]:
        return self.rows

    def set_items(self, items: list[dict]) -> None:
        self.set_rows(items)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        d = self.items[index.row()]
        c = index.column()
        if role == Qt.DisplayRole:
            if c == 0:
                return d["number"]
            if c == 1:
                return f"{d['contact_name']} {d['contact_phone']}".strip()
            if c == 2:
                return d["owner_staff_no"]
            if c == 3:
                return _short(d["followup_by"])
            return self.tr("now") if d["callable_now"] else \
                self.tr("from %1").replace("%1", _short(d["next_slot"]))
        if role == Qt.ForegroundRole and d["late"]:
            return QColor("#a93226")
        return None


class RecordDialog(QDialog):
    """Record a complaint / enquiry / help request."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.setWindowTitle(self.tr("Record complaint or enquiry"))
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, text in (("complaint", self.tr("Complaint")), ("enquiry", self.tr("Enquiry")),
                            ("help", self.tr("Help request"))):
            self.kind.addItem(text, value)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.channel.addItem(self.tr("At the window"), "window")
        self.channel.addItem(self.tr("Hotline"), "hotline")
        self.contact_name = QLineEdit()
        self.contact_name.setObjectName("contact_name")
        self.contact_name.setPlaceholderText(self.tr("e.g. Mr Zhang"))
        self.contact_phone = QLineEdit()
        self.contact_phone.setObjectName("contact_phone")
        self.account_no = QLineEdit()
        self.account_no.setObjectName("account_no")
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setEditable(True)
        self.category.addItems(list(quality.CATEGORIES))
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.ticket_number = QLineEdit()
        self.ticket_number.setObjectName("ticket_number")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Record"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Customer name"), self.contact_name)
        form.addRow(self.tr("Contact phone *"), self.contact_phone)
        form.addRow(self.tr("Account number"), self.account_no)
        form.addRow(self.tr("Ticket"), self.ticket_number)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Description *"), self.description)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)

    def values(self) -> dict:
        return {"kind": self.kind.currentData(), "channel": self.channel.currentData(),
                "contact_name": self.contact_name.text(),
                "contact_phone": self.contact_phone.text(),
                "account_no": self.account_no.text(), "category": self.category.currentText(),
                "description": self.description.toPlainText(),
                "ticket_number": self.ticket_number.text()}


class ActionDialog(QDialog):
    """One dialog for forward, hand-over, reply, contact and follow-up."""

    def __init__(self, action: str, number: str, parent=None):
        super().__init__(parent)
        self.action = action
        self.setObjectName(f"{action}_dialog")
        titles = {"forward": self.tr("Forward %1 to a department"),
                  "handover": self.tr("Hand %1 over to a colleague"),
                  "reply": self.tr("Reply to the customer (%1)"),
                  "contact": self.tr("Customer contacted (%1)"),
                  "followup": self.tr("Follow-up of %1")}
        self.setWindowTitle(titles[action].replace("%1", number))
        form = QFormLayout()
        self.field = QLineEdit()
        self.field.setObjectName("field")
        self.verdict = QComboBox()
        self.verdict.setObjectName("verdict")
        self.method = QComboBox()
        self.method.setObjectName("method")
        if action == "forward":
            form.addRow(self.tr("Department"), self.field)
        elif action == "handover":
            form.addRow(self.tr("To staff number"), self.field)
        elif action == "followup":
            self.verdict.addItem(self.tr("Satisfied (close)"), "satisfied")
            self.verdict.addItem(self.tr("Unsatisfied (reopen)"), "unsatisfied")
            self.method.addItem(self.tr("Phone"), "phone")
            self.method.addItem(self.tr("Visit"), "visit")
            form.addRow(self.tr("Customer's verdict"), self.verdict)
            form.addRow(self.tr("Method"), self.method)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setMaximumHeight(120)
        labels = {"forward": self.tr("Note"), "handover": self.tr("Hand-over note *"),
                  "reply": self.tr("Reply *"), "contact": self.tr("What was said *"),
                  "followup": self.tr("Note")}
        form.addRow(labels[action], self.text)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Save"))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)


class ComplaintPanelView(QWidget):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("complaint_panel")
        self.tab_title = self.tr("Complaints")
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.addItem(self.tr("My open items"), "mine")
        self.scope.addItem(self.tr("All items of the hall"), "all")
        self.show_closed = QComboBox()
        self.show_closed.setObjectName("show_closed")
        self.show_closed.addItem(self.tr("Open only"), False)
        self.show_closed.addItem(self.tr("Including closed"), True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.btn_new = QPushButton(self.tr("Record (Ctrl+K)"))
        self.btn_new.setObjectName("btn_new")
        self.btn_forward = QPushButton(self.tr("Forward"))
        self.btn_forward.setObjectName("btn_forward")
        self.btn_handover = QPushButton(self.tr("Hand over"))
        self.btn_handover.setObjectName("btn_handover")
        self.btn_reply = QPushButton(self.tr("Reply"))
        self.btn_reply.setObjectName("btn_reply")
        self.btn_contact = QPushButton(self.tr("Contacted"))
        self.btn_contact.setObjectName("btn_contact")
        self.btn_followup = QPushButton(self.tr("Follow-up"))
        self.btn_followup.setObjectName("btn_followup")
        self.btn_refresh = QPushButton(self.tr("Refresh"))
        self.btn_refresh.setObjectName("btn_refresh")
        self.btn_export = QPushButton(self.tr("Export report…"))
        self.btn_export.setObjectName("btn_export")
        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.reminders = QTableView()
        self.reminders.setObjectName("reminders")
        self.reminders.verticalHeader().hide()
        self.reminders.setMaximumHeight(160)
        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.show_closed)
        top.addWidget(self.summary, 1)
        top.addWidget(self.btn_refresh)
        top.addWidget(self.btn_export)
        actions = QHBoxLayout()
        for b in (self.btn_new, self.btn_forward, self.btn_handover, self.btn_reply,
                  self.btn_contact, self.btn_followup):
            actions.addWidget(b)
        actions.addStretch(1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(actions)
        lay.addWidget(split, 1)
        lay.addWidget(QLabel(self.tr("Follow-up reminders")))
        lay.addWidget(self.reminders)
        lay.addWidget(self.message)


class ComplaintPanel(ComplaintPanelView):
    """Controller: calls the quality service, keeps the lists current."""

    changed = Signal()
    REFRESH_MS = 60_000  # states move with the clock (due soon → overdue)

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.config = bench.settings.quality
        self.model = ComplaintTableModel(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reminder_model = ReminderTableModel(self)
        self.reminders.setModel(self.reminder_model)
        self.reminders.horizontalHeader().setStretchLastSection(True)
        self.dialog: QDialog | None = None
        manager = bench.actor.is_manager
        self.scope.setEnabled(manager)
        self.btn_export.setVisible(manager)
        if manager:
            self.scope.setCurrentIndex(1)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.show_closed.currentIndexChanged.connect(self.refresh)
        self.btn_refresh.clicked.connect(self.refresh)
        self.btn_new.clicked.connect(self.open_record_dialog)
        self.btn_export.clicked.connect(self.choose_export)
        for name in ("forward", "handover", "reply", "contact", "followup"):
            getattr(self, f"btn_{name}").clicked.connect(
                lambda _=False, a=name: self.open_action(a))
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    # -- data -------------------------------------------------------------------------------
    @property
    def current_scope(self) -> str:
        return self.scope.currentData()

    def refresh(self) -> None:
        keep = self.selected_number()
        try:
            items = quality.list_complaints(self.bench.db, self.bench.actor,
                                            scope=self.current_scope,
                                            include_closed=bool(self.show_closed.currentData()),
                                            config=self.config)
            reminders = quality.followup_reminders(self.bench.db, self.bench.actor,
                                                   scope=self.current_scope, config=self.config)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return
        self.model.set_items([v.to_dict() for v in items])
        self.reminder_model.set_items([r.to_dict() for r in reminders])
        over = sum(1 for v in items if v.state == "overdue")
        soon = sum(1 for v in items if v.state == "due_soon")
        self.summary.setText(self.tr("Overdue: %1   Due soon: %2   Follow-ups: %3")
                             .replace("%1", str(over)).replace("%2", str(soon))
                             .replace("%3", str(len(reminders))))
        self.summary.setStyleSheet("color: #a93226; font-weight: bold;" if over else "")
        if keep:
            self.select(keep)
        else:
            self.detail.clear()

    def selected_number(self) -> str | None:
        idx = self.table.currentIndex()
        d = self.model.item(idx.row()) if idx.isValid() else None
        return d["number"] if d else None

    def select(self, number: str) -> None:
        for row, d in enumerate(self.model.items):
            if d["number"] == number:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                self._show_detail(self.model.index(row, 0))
                return

    def _show_detail(self, index, _previous=None) -> None:
        d = self.model.item(index.row()) if index.isValid() else None
        if d is None:
            self.detail.clear()
            return
        try:
            v = quality.get_complaint(self.bench.db, self.bench.actor, d["number"],
                                      config=self.config)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return
        from html import escape

        lines = [f"<b>{escape(v.number)}</b> {escape(v.kind_label)} · {escape(v.category)} · "
                 f"{escape(v.status_label)}",
                 f"{escape(v.contact_name)} {escape(v.contact_phone)} {escape(v.account_no)}",
                 f"<p>{escape(v.description)}</p>"]
        if v.reply:
            caption = self.tr("Reply")
            lines.append(f"<p>{escape(caption)}: {escape(v.reply)}</p>")
        lines.append("<ul>")
        for s in v.steps:
            extra = " · ".join(x for x in (s.department, s.note) if x)
            lines.append(f"<li>{escape(_short(s.at))} {escape(s.kind_label)} {escape(s.staff_no)} "
                         f"{escape(s.staff_name)} {escape(extra)}</li>")
        lines.append("</ul>")
        self.detail.setHtml("<br>".join(lines[:3]) + "".join(lines[3:]))

    # -- record ------------------------------------------------------------------------------
    def open_record_dialog(self) -> RecordDialog:
        dlg = RecordDialog(self)
        ticket = self.bench.current_ticket or {}
        if ticket.get("number"):
            dlg.ticket_number.setText(str(ticket["number"]))
        if self.bench.current_account:
            dlg.account_no.setText(self.bench.current_account)
        dlg.buttons.accepted.connect(lambda: self._record(dlg))
        dlg.finished.connect(dlg.deleteLater)
        self.dialog = dlg
        dlg.open()
        dlg.contact_phone.setFocus()
        return dlg

    def _record(self, dlg: RecordDialog) -> None:
        ticket = self.bench.current_ticket or {}
        values = dlg.values()
        tid = ticket.get("id") if values["ticket_number"] and \
            str(ticket.get("number", "")).upper() == values["ticket_number"].upper() else None
        try:
            v = quality.record_complaint(self.bench.db, self.bench.actor, ticket_id=tid,
                                         config=self.config, **values)
        except CounterDeskError as exc:
            dlg.message.setText(exc.message)   # nothing was saved; the dialog stays open
            return
        dlg.accept()
        self.message.setText(self.tr("Recorded %1; reply by %2.").replace("%1", v.number)
                             .replace("%2", _short(v.due_at)))
        self.bench.status_message.emit(self.message.text())
        self.refresh()
        self.select(v.number)
        self.changed.emit()

    # -- actions on the selected item ------------------------------------------------------------
    def open_action(self, action: str) -> ActionDialog | None:
        number = self.selected_number()
        if not number:
            self.message.setText(self.tr("Select an item in the list first."))
            return None
        dlg = ActionDialog(action, number, self)
        dlg.buttons.accepted.connect(lambda: self._act(dlg, number))
        dlg.finished.connect(dlg.deleteLater)
        self.dialog = dlg
        dlg.open()
        return dlg

    def _act(self, dlg: ActionDialog, number: str) -> None:
        db, actor, cfg = self.bench.db, self.bench.actor, self.config
        text = dlg.text.toPlainText()
        try:
            if dlg.action == "forward":
                v = quality.forward(db, actor, number, dlg.field.text(), text, config=cfg)
            elif dlg.action == "handover":
                v = quality.hand_over(db, actor, number, dlg.field.text(), text, config=cfg)
            elif dlg.action == "reply":
                v = quality.reply(db, actor, number, text, config=cfg)
            elif dlg.action == "contact":
                v = quality.contact(db, actor, number, text, config=cfg)
            else:
                v = quality.follow_up(db, actor, number, dlg.verdict.currentData(),
                                      method=dlg.method.currentData(), note=text, config=cfg)
        except CounterDeskError as exc:
            dlg.message.setText(exc.message)
            return
        dlg.accept()
        self.message.setText(self.tr("%1: %2").replace("%1", v.number)
                             .replace("%2", v.status_label))
        self.refresh()
        self.changed.emit()

    # -- report ---------------------------------------------------------------------------------
    def export_report(self, pdf_path: str, csv_path: str | None = None,
                      date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict:
        from ...print import quality_report

        rep = quality.report(self.bench.db, self.bench.actor, date_from=date_from,
                             date_to=date_to, config=self.config)
        quality_report.write_pdf(rep, pdf_path)
        if csv_path:
            quality_report.write_csv(rep, csv_path)
        return rep

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export quality report"),
                                              "quality-report.pdf", self.tr("PDF (*.pdf)"))
        if not path:
            return
        try:
            self.export_report(path, path.rsplit(".", 1)[0] + ".csv")
        except (CounterDeskError, OSError) as exc:
            self.message.setText(getattr(exc, "message", str(exc)))
            return
        self.message.setText(self.tr("Report written: %1").replace("%1", path))

    def install_actions(self, mainwindow) -> None:
        act = QAction(self.tr("Record complaint or enquiry"), mainwindow)
        act.setShortcut(QKeySequence("Ctrl+K"))
        act.setShortcutContext(Qt.ApplicationShortcut)
        act.triggered.connect(self._shortcut)
        mainwindow.menu_business.addAction(act)
        self.action_record = act
        self._mainwindow = mainwindow

    def _shortcut(self) -> None:
        mw = getattr(self, "_mainwindow", None)
        if mw is not None:
            mw.business.setCurrentWidget(self)
        self.open_record_dialog()

    def shutdown(self) -> None:
        self.timer.stop()


def create(bench, parent=None) -> ComplaintPanel:
    return ComplaintPanel(bench, parent)
