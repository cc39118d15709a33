"""The payment tab's receipts after the sale: printer state, switch printer, reprint
(补打) and void with the manager's approval, off the GUI thread. A part of the controller
(:class:`~counterdesk.ui.payment.panel.PaymentPanel` inherits it)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from ... import billing
from ...errors import CounterDeskError
from ...staff import Approval
from ..widgets.jobs import Job, message
from .view import VoidDialog


class ReceiptActions:
    """Needs ``bench``, ``actor``, ``printing``, ``receipt_jobs``, ``message`` and
    ``pending_badge``."""

    # -- printer ---------------------------------------------------------------------------
    def _printer_state(self, state: dict) -> None:
        self.pending = int(state.get("pending", 0))
        self.pending_badge.setText(self.tr("Receipts waiting: %1").replace("%1",
                                                                            str(self.pending)))
        self.pending_badge.setToolTip(state.get("message", ""))
        self.pending_badge.setVisible(self.pending > 0)
        self.bench.printer_state.emit(state)

    def _print_unconfirmed(self, job: dict, message: str) -> None:
        """Told once per job: the bytes went, the paper is unconfirmed; 补打 if none came."""
        no = job.get("receipt_no") or ""
        self.message.setText(f"{no} {message}".strip())

    def ask_printer(self) -> None:
        uri, ok = QInputDialog.getText(self, self.tr("Switch printer"),
                                       self.tr("Printer address (tcp://HOST:9100, win32:NAME…)"),
                                       text=self.printing.spooler.config.uri)
        if ok and uri.strip():
            self.switch_printer(uri.strip())

    def switch_printer(self, uri: str) -> bool:
        try:
            self.printing.set_printer(uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return False
        self.message.setText(self.tr("Printing to %1").replace("%1", uri))
        return True

    # -- reprint and void (off the GUI thread; reprint and void wait for each other) -----
    def _with_recent(self, then) -> Job | None:
        """The clerk's latest receipts (for the picker), then ``then(numbers)``."""
        if self.receipt_jobs.busy:
            return None
        return self.receipt_jobs.run(
            billing.recent_receipts, self.bench.db, self.actor,
            on_done=lambda rows: then([r["receipt_no"] for r in rows]),
            on_error=lambda _exc: then([]))

    def reprint(self, receipt_no: str | None = None) -> Job | None:
        """Ctrl+P: 补打 a receipt (asked for when not given); returns the job (the reprint,
        or first the receipts list), None while another reprint or void runs."""
        if receipt_no is None:
            return self._with_recent(self._ask_reprint)
        if self.receipt_jobs.busy:
            return None
        return self.receipt_jobs.run(billing.reprint, self.bench.db, self.actor, receipt_no,
                                     printer_uri=self.printing.spooler.config.uri,
                                     on_done=lambda job: self._reprinted(receipt_no, job),
                                     on_error=lambda exc: self.message.setText(message(exc)))

    def _ask_reprint(self, recent: list[str]) -> None:
        receipt_no, ok = QInputDialog.getItem(self, self.tr("Reprint receipt"),
                                              self.tr("Receipt number"), recent, 0, True)
        if ok and receipt_no:
            self.reprint(receipt_no)

    def _reprinted(self, receipt_no: str, job) -> None:
        self.printing.kick()
        self.message.setText(self.tr("Reprint of %1 (copy %2) sent to the printer")
                             .replace("%1", receipt_no).replace("%2", str(job.reprint_no)))

    def void(self, receipt_no: str | None = None, approval: Approval | None = None,
             reason: str = "") -> Job | None:
        """Ctrl+Shift+V: void with the manager's approval (the dialog asks when no
        ``approval`` is given); returns the job, whose value is the reversal."""
        if approval is None:
            return self._with_recent(self._ask_void)
        if self.receipt_jobs.busy:
            return None
        return self.receipt_jobs.run(
            billing.void, self.bench.db, self.actor, receipt_no, approval, reason=reason,
            printer_uri=self.printing.spooler.config.uri,
            on_done=lambda res: self._voided(receipt_no, res), on_error=self._void_refused)

    def _ask_void(self, recent: list[str]) -> VoidDialog:
        """The void form (``void_dialog``): OK voids; a refusal (a wrong password, the
        manager's own receipt…) stays in the form, its field focused."""
        dlg = VoidDialog(recent, self)
        dlg.submitted.connect(lambda: dlg.follow(self.void(
            dlg.receipt.currentText().strip(), dlg.auth.approval() or Approval("", ""),
            dlg.reason_text().strip())))
        dlg.open()
        self.void_dialog = dlg
        return dlg

    def _void_refused(self, exc: BaseException) -> None:
        text = message(exc)
        self.message.setText(text)
        self.bench.rule_refused.emit("billing", text)

    def _voided(self, receipt_no: str, res: billing.PaymentResult) -> None:
        self.printing.kick()
        self.message.setText(self.tr("Receipt %1 voided; reversal %2")
                             .replace("%1", receipt_no).replace("%2", res.receipt_no)
                             + (f"\n⚠ {res.warning}" if res.warning else ""))
        if res.warning:   # issue 18.4: cash paid back after the till's count
            self.bench.status_message.emit(res.warning)
        self.bench.stats_changed.emit()
