"""Queue statistics for managers (controller): per service, window and clerk for a day or
a range — tickets, no-shows, average and 90th-percentile waiting and service time — a
chart of tickets per hour (busiest hours) and CSV export. Figures come from
:func:`counterdesk.queue.statistics`, read off the GUI thread (``widgets.jobs``): while
they are read the dialog says "Working…" and Show and Export are disabled; figures that
arrive after a newer request are dropped. The widgets are :mod:`.stats_view`'s.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ... import queue, textfiles
from ..widgets.jobs import Job, Jobs, message
from .stats_view import HourChart, QueueStatsView, StatsModel

__all__ = ["HourChart", "QueueStatsDialog", "StatsModel", "open_dialog"]


def _day(d) -> dt.date:
    return dt.date(d.year(), d.month(), d.day())


class QueueStatsDialog(QueueStatsView):
    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.stats: dict | None = None
        self._seq = 0
        self.jobs = Jobs(self, busy=[self.btn_load, self.btn_csv])
        self.jobs.busy_changed.connect(self.busy.setVisible)
        self.btn_load.clicked.connect(self.load)
        self.group.currentIndexChanged.connect(self._filter)
        self.btn_csv.clicked.connect(self._export_dialog)
        self.load()

    def load(self) -> Job:
        """Read the figures of the chosen period (off the GUI thread); returns the job."""
        self._seq += 1
        seq = self._seq
        return self.jobs.run(queue.statistics, self.bench.db, self.bench.actor.hall_id,
                             _day(self.date_from.date()), _day(self.date_to.date()),
                             on_done=lambda st: seq == self._seq and self._show(st),
                             on_error=lambda exc: seq == self._seq and self.message.setText(
                                 message(exc)))

    @property
    def is_ready(self) -> bool:
        """The figures asked for last are shown (tests wait on this)."""
        return not self.jobs.busy and self.stats is not None

    def _show(self, stats: dict) -> None:
        self.stats = stats
        self.message.setText("")
        self._filter()
        self.chart.set_hours(self.stats["hours"], self.stats["busiest_hours"])
        self.busiest.setText(self.tr("Busiest hours: %1").replace(
            "%1", ", ".join(self.stats["busiest_hours"]) or "-"))

    def _filter(self) -> None:
        if not self.stats:
            return
        g = self.group.currentData()
        self.model.set_rows([r for r in self.stats["rows"] if not g or r["group"] in (g,)])

    def export(self, path: str | Path) -> Path:
        path = Path(path)
        textfiles.write_text(path, queue.statistics_csv(self.stats))
        self.message.setText(self.tr("Exported to %1").replace("%1", str(path)))
        return path

    def _export_dialog(self) -> None:
        if not self.stats or self.jobs.busy:
            return
        name = f"queue-{self.stats['from']}_{self.stats['to']}.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), name, "CSV (*.csv)")
        if path:
            try:
                self.export(path)
            except OSError as exc:
                self.message.setText(str(exc))


    def done(self, result: int) -> None:   # closed: let a read on its way end first
        self.jobs.wait(5.0)
        super().done(result)


def open_dialog(bench, parent=None) -> QueueStatsDialog:
    dlg = QueueStatsDialog(bench, parent)
    dlg.show()
    return dlg
