"""The manager's safety tab: inspections due and overdue by area (with the 到访不遇
attempts), and supply notices (停气通知): add one, list them, export the affected accounts
to CSV. Decisions are :mod:`counterdesk.orders`'s.

:class:`~.view.SafetyTabView` holds the widgets; :class:`SafetyTab` calls the services off
the GUI thread (:mod:`..widgets.jobs`): while a call runs the add and export buttons are
off and the tab says it is working."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

from ...errors import CounterDeskError
from ..widgets.fieldmessages import FieldMessages
from ..widgets.jobs import Job, Jobs
from . import calls
from .models import InspectionDueModel, NoticeModel, t
from .view import SafetyTabView

__all__ = ["InspectionDueModel", "NoticeModel", "SafetyTab"]


class SafetyTab(SafetyTabView, FieldMessages):
    """Controller."""

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.fields = {"district": self.district, "start": self.n_from, "end": self.n_to,
                       "reason": self.n_reason}
        self.jobs = Jobs(self, busy=[self.add_notice, self.export])
        self.jobs.busy_changed.connect(self.busy_label.setVisible)
        self._due_no = 0                # a newer area overtakes an older one
        for w in (self.district, self.street, self.community):
            w.returnPressed.connect(self.refresh_due)
        self.overdue_only.toggled.connect(lambda _b: self.refresh_due())
        self.add_notice.clicked.connect(self.do_add_notice)
        self.n_reason.returnPressed.connect(self.do_add_notice)
        self.export.clicked.connect(self._ask_export)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.WidgetWithChildrenShortcut)
        self.refresh()

    def _refused(self, exc: BaseException) -> None:
        self.show_refusal(exc)

    def _area(self) -> dict:
        return {"district": self.district.text(), "street": self.street.text(),
                "community": self.community.text()}

    def refresh(self) -> None:
        self.refresh_due()
        self.refresh_notices()

    def refresh_due(self) -> Job:
        self._due_no += 1
        no = self._due_no
        return self.jobs.run(calls.inspections_due, self.bench.db, self.bench.actor,
                             self._area(), self.overdue_only.isChecked(),
                             on_done=lambda rows: self._due(no, rows), on_error=self._refused)

    def _due(self, no: int, rows: list[dict]) -> None:
        if no == self._due_no:
            self.due_model.set_rows(rows)

    def refresh_notices(self) -> Job:
        return self.jobs.run(calls.notices, self.bench.db, self.bench.actor,
                             on_done=self.notice_model.set_rows, on_error=self._refused)

    def do_add_notice(self) -> Job | None:
        if not self.add_notice.isEnabled():     # a change is running: one at a time
            return None
        form = dict(self._area(), starts_at=self.n_from.text(), ends_at=self.n_to.text(),
                    reason=self.n_reason.text())

        def added(outcome) -> None:
            n, rows = outcome
            self.n_reason.clear()
            self.show_done(t(f"已登记停气通知 {n.number}：{n.area}", f"Notice {n.number} added"))
            self.notice_model.set_rows(rows)
        return self.jobs.run(calls.add_notice, self.bench.db, self.bench.actor, form,
                             on_done=added, on_error=self._refused)

    def export_affected(self, path: str | Path) -> Job | None:
        """The selected notice's accounts to CSV; the job's value is (count, path)."""
        idx = self.notice_table.currentIndex()
        if not idx.isValid():
            self.message.setText(t("请先选择一条停气通知", "Select a notice first"))
            return None
        number = self.notice_model.rows[idx.row()]["number"]

        def written(outcome) -> None:
            n, out = outcome
            self.show_done(t(f"已导出 {n} 户：{out}", f"Exported {n}: {out}"))
        return self.jobs.run(calls.export_affected, self.bench.db, self.bench.actor, number,
                             path, on_done=written,
                             on_error=lambda e: self.message.setText(
                                 e.message if isinstance(e, CounterDeskError) else str(e)))

    def _ask_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, t("保存受影响用户", "Save"),
                                              "affected.csv", "CSV (*.csv)")
        if path:
            self.export_affected(path)

    def shutdown(self) -> None:
        self.jobs.wait(5)
