"""The manager's day close (日清日结): the check list before the close, the tills with
expected vs counted, the close itself (report PDF + CSV written, database backed up),
opening the PDF in the system viewer, and reopening a closed day with a reason.

Keyboard: F5 checks again, Ctrl+Return closes the day, Ctrl+O opens the PDF,
Ctrl+Shift+R reopens. :class:`DayCloseDialogView` (``view.py``) holds the widgets;
:class:`DayCloseDialog` calls :mod:`counterdesk.cash` off the GUI thread
(:mod:`..widgets.jobs`): while a call runs the buttons are disabled and the dialog says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from ... import cash, clock, money, paths
from ...staff import Approval
from ..widgets.approval import ApprovalDialog
from ..widgets.jobs import Job, Jobs, message
from .models import CheckListModel, TillsModel
from .view import DayCloseDialogView


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
        self.can_close = self.closed = False
        self.opener = QDesktopServices.openUrl      # tests replace it
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        today = clock.today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.btn_check.clicked.connect(self.check)
        self.btn_close_day.clicked.connect(self.run_close)
        self.btn_open_pdf.clicked.connect(self.open_pdf)
        self.btn_reopen.clicked.connect(lambda: self.reopen())
        self.btn_done.clicked.connect(self.accept)
        self.date.dateChanged.connect(lambda _d: self.check())
        for keys, slot in ((("F5",), self.check), (("Ctrl+Return", "Ctrl+Enter"), self.run_close),
                           (("Ctrl+O",), self.open_pdf),
                           (("Ctrl+Shift+R",), lambda: self.reopen())):
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        self._show_state()
        if not self.actor.is_manager:
            self.message.setText(self.tr("Only a hall manager can close or reopen a day."))
        self.check()

    def day(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def _pdf_for(self, day: dt.date) -> Path:
        return self.report_dir / f"dayclose-{self.actor.hall_code}-{day.isoformat()}.pdf"

    # -- state ------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.date.setEnabled(not busy)
        self._show_state()

    def _show_state(self) -> None:
        """The buttons from the last check (all off while a job runs or for a clerk)."""
        idle = not self.jobs.busy and self.actor.is_manager
        self.btn_check.setEnabled(idle)
        self.btn_close_day.setEnabled(idle and self.can_close)
        self.btn_reopen.setEnabled(idle and self.closed)
        self.btn_open_pdf.setEnabled(idle and (self.closed or self.pdf_path is not None))

    def _refused(self, exc: BaseException) -> None:
        self.message.setText(message(exc))
        self.check()

    # -- check ------------------------------------------------------------------------
    def check(self) -> Job | None:
        if not self.actor.is_manager:
            return None
        day = self.day()
        return self.jobs.run(_check, self.db, self.actor, day, self._pdf_for(day),
                             on_done=self._checked,
                             on_error=lambda e: self.message.setText(message(e)))

    def _checked(self, outcome) -> None:
        day, c, tills, pdf = outcome
        if day != self.day():        # the date was changed meanwhile: its check follows
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
        self.pdf_path = pdf
        if c["closed"]:
            state = self.tr("%1 is closed.").replace("%1", day.isoformat())
        elif c["can_close"]:
            state = self.tr("%1 can be closed.").replace("%1", day.isoformat())
        else:
            state = self.tr("%1 cannot be closed yet.").replace("%1", day.isoformat())
        self.summary.setText(state)
        self.can_close, self.closed = bool(c["can_close"]), bool(c["closed"])
        self._show_state()

    # -- close ------------------------------------------------------------------------
    def run_close(self) -> Job | None:
        if not self.btn_close_day.isEnabled():
            return None
        day = self.day()
        self.message.setText(self.tr("Closing %1: report and backup…").replace(
            "%1", day.isoformat()))
        return self.jobs.run(_close, self.db, self.actor, day, self.bench.settings.backup,
                             self._pdf_for(day), on_done=self._closed, on_error=self._refused)

    def _closed(self, outcome) -> None:
        res, pdf, write_error = outcome
        self.last_result = res
        self.pdf_path = pdf
        t = res.report["totals"]
        text = self.tr("Closed. Net %1 yuan, %2 payments.").replace(
            "%1", money.fmt(t["net_fen"])).replace("%2", str(t["sales"]))
        if res.backup_file:
            text += " " + self.tr("Backup: %1").replace("%1", res.backup_file)
        elif res.backup_error:
            text += " " + self.tr("Backup failed: %1").replace("%1", res.backup_error)
        if write_error:
            text += " " + self.tr("The day is closed but the report could not be "
                                  "written: %1").replace("%1", write_error)
        self.message.setText(text)
        self.check()

    # -- report -----------------------------------------------------------------------
    def open_pdf(self) -> Job | bool:
        """Open the day's PDF; one not written yet is written first, off the GUI thread."""
        if not self.btn_open_pdf.isEnabled():
            return False
        if self.pdf_path is not None and self.pdf_path.exists():
            return bool(self.opener(QUrl.fromLocalFile(str(self.pdf_path))))
        day = self.day()
        return self.jobs.run(_write_report, self.db, self.actor, day, self._pdf_for(day),
                             on_done=self._report_written,
                             on_error=lambda e: self.message.setText(
                                 getattr(e, "message", None) or str(e)))

    def _report_written(self, pdf: Path) -> None:
        self.pdf_path = pdf
        self._show_state()
        self.opener(QUrl.fromLocalFile(str(pdf)))

    # -- reopen -----------------------------------------------------------------------
    def reopen(self, reason: str | None = None, approval: Approval | None = None
               ) -> Job | ApprovalDialog | None:
        """Reopen the closed day with a reason and a second manager's approval (never the
        one who reopens): given, the job; else the form (``reopen_dialog``), whose OK runs
        it and which shows a refusal in place."""
        if not self.btn_reopen.isEnabled():
            return None
        if reason is None:
            dlg = ApprovalDialog(self)
            dlg.build(self.tr("Reopen the day"),
                      reason_label=self.tr("Why must the closed day be reopened?"))
            assert dlg.reason is not None   # built with a reason label
            dlg.reason.setObjectName("reopen_reason")
            dlg.submitted.connect(lambda: dlg.follow(self.reopen(
                dlg.reason_text(), dlg.approval() or Approval("", ""))))
            dlg.open()
            self.reopen_dialog = dlg
            return dlg
        return self.jobs.run(cash.reopen_day, self.db, self.actor, self.day(), reason, approval,
                             on_done=self._reopened,
                             on_error=lambda e: self.message.setText(message(e)))

    def _reopened(self, _result) -> None:
        self.message.setText(self.tr("The day is open again; the reason is recorded."))
        self.check()

    def done(self, result: int) -> None:
        self.jobs.wait(30)   # a close or backup under way finishes before the dialog goes
        super().done(result)


# -- worker thread: no widgets below ------------------------------------------------------
def _check(db, actor, day: dt.date, pdf: Path):
    c = cash.preclose_check(db, actor, day)
    tills = cash.tills_for_day(db, actor, day)
    return day, c, tills, (pdf if pdf.exists() else None)


def _close(db, actor, day: dt.date, backup_settings, pdf: Path):
    """The close, then its PDF and CSV (a file error does not undo the close)."""
    from ...print import dayclose_pdf

    res = cash.close_day(db, actor, day, backup_settings=backup_settings)
    try:
        written = dayclose_pdf.write_pdf(res.report, pdf)
        cash.write_csv(res.report, written.with_suffix(".csv"))
    except OSError as exc:
        return res, None, str(exc)
    return res, written, None


def _write_report(db, actor, day: dt.date, pdf: Path) -> Path:
    from ...print import dayclose_pdf

    return dayclose_pdf.write_pdf(cash.day_report(db, actor, day), pdf)


__all__ = ["CheckListModel", "DayCloseDialog", "DayCloseDialogView", "TillsModel"]
