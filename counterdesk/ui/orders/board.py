"""The manager's board: every open order of the hall, overdue first and in colour, with
the report export. F5 refreshes; it also refreshes itself.

:class:`~.view.OrderBoardView` holds the widgets; :class:`OrderBoard` reads the board and
writes the report off the GUI thread (:mod:`..widgets.jobs`); while the report is written
its button is off, and the board says when it is working."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog

from ..widgets.jobs import Job, Jobs, message
from . import calls
from .models import t
from .view import OrderBoardView


class OrderBoard(OrderBoardView):
    """Controller."""

    REFRESH_MS = 60_000

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        self.exports = Jobs(self, busy=[self.export])
        self._list_no = 0               # a newer read (filter changed) overtakes an older one
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue_only.toggled.connect(lambda _b: self.refresh())
        self.export.clicked.connect(self._ask_export)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)

    @property
    def busy(self) -> bool:
        return self.jobs.busy or self.exports.busy

    def refresh(self) -> Job:
        self._list_no += 1
        no = self._list_no
        return self.jobs.run(calls.board, self.bench.db, self.bench.actor,
                             self.kind.currentData(), self.overdue_only.isChecked(),
                             on_done=lambda rows: self._listed(no, rows),
                             on_error=lambda e: self.summary.setText(message(e)))

    def _listed(self, no: int, rows: list[dict]) -> None:
        if no != self._list_no:
            return
        self.model.set_rows(rows)
        late = sum(bool(r["overdue"]) for r in rows)
        self.summary.setText(t(f"未办结 {len(rows)} 张，超期 {late} 张",
                               f"{len(rows)} open, {late} overdue"))

    def export_report(self, folder: str | Path) -> Job:
        """The report (PDF + CSV) into ``folder``; the job's value is the two paths."""
        def written(paths: tuple[Path, Path]) -> None:
            self.summary.setText(t(f"已导出 {paths[0].name} 及 CSV",
                                   f"Exported {paths[0].name} and CSV"))
        return self.exports.run(calls.export_report, self.bench.db, self.bench.actor, folder,
                                on_done=written,
                                on_error=lambda e: self.summary.setText(message(e)))

    def _ask_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("选择保存报表的文件夹", "Folder"))
        if folder:
            self.export_report(folder)

    def shutdown(self) -> None:
        self.timer.stop()
        self.jobs.wait(5)
        self.exports.wait(5)
