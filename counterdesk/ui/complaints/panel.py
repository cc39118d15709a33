"""Workstation tab for complaints, enquiries and help requests (投诉 / 咨询 / 求助).

A clerk records an item (Ctrl+K) and sees what they own, with what is overdue in red
and what is due soon in amber; forward / hand over / reply / contact / work done
(记录处理结果, Ctrl+Shift+E) / follow-up act on the selected item. A manager also sees
every item of the hall, the follow-up reminders of everyone, and exports the quality
report (PDF + CSV). Every decision is the service's (:mod:`counterdesk.quality`); this
module only shows and asks.

Every call runs off the GUI thread (:mod:`..widgets.jobs`): the list (and its reminders)
with the list's controls disabled and a busy line meanwhile, the selected item's detail
(a newer selection drops an older answer), the report, and each change from its dialog
(its OK disabled while the change runs; a refusal stays in the dialog).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
)

from ... import quality
from ..widgets.jobs import Job, Jobs, message
from .dialogs import ActionDialog, RecordDialog
from .models import ComplaintTableModel, ReminderTableModel, _short
from .view import ComplaintPanelView


class ComplaintPanel(ComplaintPanelView):
    """Controller: calls the quality service, keeps the lists current."""

    changed = Signal()
    REFRESH_MS = 60_000  # states move with the clock (due soon → overdue)

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.model = ComplaintTableModel(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reminder_model = ReminderTableModel(self)
        self.reminders.setModel(self.reminder_model)
        self.reminders.horizontalHeader().setStretchLastSection(True)
        self.dialog: QDialog | None = None
        self.jobs = Jobs(self)                 # the list, the report
        self.jobs.busy_changed.connect(self._busy)
        self.details = Jobs(self.detail)       # the selected item's detail
        self._list_no = self._detail_no = 0    # a newer answer overtakes an older one
        manager = bench.actor.is_manager
        self.scope.setEnabled(manager)
        self.btn_export.setVisible(manager)
        if manager:
            self.scope.setCurrentIndex(1)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_closed.currentIndexChanged.connect(lambda _i: self.refresh())
        self.btn_refresh.clicked.connect(lambda: self.refresh())
        self.btn_new.clicked.connect(self.open_record_dialog)
        self.btn_export.clicked.connect(self.choose_export)
        for name in ("forward", "handover", "reply", "contact", "workdone", "followup"):
            getattr(self, f"btn_{name}").clicked.connect(
                lambda _=False, a=name: self.open_action(a))
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        # 记录处理结果: the promised repair or visit done, before the follow-up (issue 15)
        self.action_workdone = QAction(self.tr("Record work done"), self)
        self.action_workdone.setObjectName("action_workdone")
        self.action_workdone.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action_workdone.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.action_workdone.triggered.connect(lambda: self.open_action("workdone"))
        self.addAction(self.action_workdone)
        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(lambda: self.refresh())
        self.timer.start()
        self.refresh()

    # -- data -------------------------------------------------------------------------------
    @property
    def current_scope(self) -> str:
        return self.scope.currentData()

    def _busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        for w in (self.btn_refresh, self.btn_export, self.show_closed):
            w.setEnabled(not busy)
        self.scope.setEnabled(not busy and self.bench.actor.is_manager)

    def refresh(self, select: str | None = None) -> Job:
        """Read the list and the reminders off the GUI thread; keep (or move to
        ``select``) the selected item. A newer refresh drops an older one's answer."""
        self._list_no += 1
        no, keep = self._list_no, select or self.selected_number()
        return self.jobs.run(_load, self.bench.db, self.bench.actor, self.current_scope,
                             bool(self.show_closed.currentData()),
                             on_done=lambda out: self._loaded(no, keep, *out),
                             on_error=lambda e: self.message.setText(message(e)))

    def _loaded(self, no: int, keep: str | None, items, reminders) -> None:
        if no != self._list_no:        # overtaken by a newer refresh
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
                moved = self.table.currentIndex().row() != row   # then the detail follows
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                if not moved:
                    self._show_detail(self.model.index(row, 0))
                return

    def _show_detail(self, index, _previous=None) -> Job | None:
        """The selected item's detail, read off the GUI thread."""
        d = self.model.item(index.row()) if index.isValid() else None
        self._detail_no += 1
        if d is None:
            self.detail.clear()
            return None
        no = self._detail_no
        return self.details.run(quality.get_complaint, self.bench.db, self.bench.actor,
                                d["number"], on_done=lambda v: self._detailed(no, v),
                                on_error=lambda e: self.message.setText(message(e)))

    def _detailed(self, no: int, v) -> None:
        if no != self._detail_no:      # another item was selected meanwhile
            return
        from html import escape

        lines = [f"<b>{escape(v.number)}</b> {escape(v.kind_label)} · "
                 f"{escape(quality.category_label(v.category))} · "
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

    def _record(self, dlg: RecordDialog) -> Job:
        """Record off the GUI thread (the dialog's OK disabled meanwhile); a refusal is
        shown in the dialog, which stays open: nothing was saved."""
        ticket = self.bench.current_ticket or {}
        values = dlg.values()
        tid = ticket.get("id") if values["ticket_number"] and \
            str(ticket.get("number", "")).upper() == values["ticket_number"].upper() else None
        dlg.message.clear()
        jobs = Jobs(dlg, busy=[dlg.buttons])
        dlg.job = jobs.run(quality.record_complaint, self.bench.db, self.bench.actor,
                           ticket_id=tid, **values, on_done=lambda v: self._recorded(dlg, v),
                           on_error=lambda e: dlg.message.setText(message(e)))
        return dlg.job

    def _recorded(self, dlg: RecordDialog, v) -> None:
        dlg.accept()
        self.message.setText(self.tr("Recorded %1; reply by %2.").replace("%1", v.number)
                             .replace("%2", _short(v.due_at)))
        self.bench.status_message.emit(self.message.text())
        self.refresh(select=v.number)
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

    def _act(self, dlg: ActionDialog, number: str) -> Job:
        """The action, off the GUI thread (the dialog's OK is disabled meanwhile); a
        refusal is shown in the dialog, which stays open."""
        db, actor = self.bench.db, self.bench.actor
        text = dlg.text.toPlainText()
        if dlg.action == "forward":
            call = (quality.forward, db, actor, number, dlg.field.text(), text)
        elif dlg.action == "handover":
            call = (quality.hand_over, db, actor, number, dlg.field.text(), text)
        elif dlg.action == "reply":
            call = (quality.reply, db, actor, number, text)
        elif dlg.action == "contact":
            call = (quality.contact, db, actor, number, text)
        elif dlg.action == "workdone":
            call = (quality.work_done, db, actor, number, text)
        else:
            method = dlg.method.currentData()   # read here: no widget on the worker thread
            call = (lambda *a: quality.follow_up(*a, method=method, note=text),
                    db, actor, number, dlg.verdict.currentData())
        dlg.message.clear()
        jobs = Jobs(dlg, busy=[dlg.buttons])
        dlg.job = jobs.run(*call, on_done=lambda v: self._acted(dlg, v),
                           on_error=lambda e: dlg.message.setText(message(e)))
        return dlg.job

    def _acted(self, dlg: ActionDialog, v) -> None:
        dlg.accept()
        self.message.setText(self.tr("%1: %2").replace("%1", v.number)
                             .replace("%2", v.status_label))
        self.refresh(select=v.number)
        self.changed.emit()

    # -- report ---------------------------------------------------------------------------------
    def export_report(self, pdf_path: str, csv_path: str | None = None,
                      date_from: dt.date | None = None, date_to: dt.date | None = None,
                      on_done=None) -> Job:
        """The quality report written off the GUI thread; the job's value is the report."""
        return self.jobs.run(_export, self.bench.db, self.bench.actor, pdf_path, csv_path,
                             date_from, date_to, on_done=on_done,
                             on_error=lambda e: self.message.setText(message(e)))

    def choose_export(self) -> Job | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export quality report"),
                                              "quality-report.pdf", self.tr("PDF (*.pdf)"))
        if not path:
            return None
        return self.export_report(path, path.rsplit(".", 1)[0] + ".csv", on_done=lambda _r:
                                  self.message.setText(self.tr("Report written: %1")
                                                       .replace("%1", path)))

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
        self.jobs.wait(5)
        self.details.wait(5)


def _load(db, actor, scope: str, include_closed: bool) -> tuple[list, list]:
    """Worker thread: the items and the follow-up reminders of the scope."""
    return (quality.list_complaints(db, actor, scope=scope, include_closed=include_closed),
            quality.followup_reminders(db, actor, scope=scope))


def _export(db, actor, pdf_path, csv_path, date_from, date_to) -> dict:
    """Worker thread: the quality report as PDF (and CSV)."""
    from ...print import quality_report

    rep = quality.report(db, actor, date_from=date_from, date_to=date_to)
    quality_report.write_pdf(rep, pdf_path)
    if csv_path:
        quality_report.write_csv(rep, csv_path)
    return rep


def create(bench, parent=None) -> ComplaintPanel:
    return ComplaintPanel(bench, parent)
