"""The payment tab's receipts after the sale: printer state, switch printer, reprint
(补打) and void with the manager's approval. A part of the controller
(:class:`~counterdesk.ui.payment.panel.PaymentPanel` inherits it)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog

from ... import billing
from ...errors import CounterDeskError
from ...staff import Approval
from .view import VoidDialog


class ReceiptActions:
    """Needs ``bench``, ``actor``, ``printing``, ``message`` and ``pending_badge``."""

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

    # -- reprint and void -------------------------------------------------------------------
    def _recent(self) -> list[str]:
        try:
            return [r["receipt_no"] for r in billing.recent_receipts(self.bench.db, self.actor)]
        except CounterDeskError:
            return []

    def reprint(self, receipt_no: str | None = None) -> bool:
        if receipt_no is None:
            recent = self._recent()
            receipt_no, ok = QInputDialog.getItem(self, self.tr("Reprint receipt"),
                                                  self.tr("Receipt number"), recent, 0, True)
            if not ok or not receipt_no:
                return False
        try:
            job = billing.reprint(self.bench.db, self.actor, receipt_no,
                                  printer_uri=self.printing.spooler.config.uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return False
        self.printing.kick()
        self.message.setText(self.tr("Reprint of %1 (copy %2) sent to the printer")
                             .replace("%1", receipt_no).replace("%2", str(job.reprint_no)))
        return True

    def void(self, receipt_no: str | None = None, approval: Approval | None = None,
             reason: str = "") -> billing.PaymentResult | None:
        if approval is None:
            dlg = VoidDialog(self._recent(), self)
            if dlg.exec() != QDialog.Accepted:
                return None
            receipt_no = dlg.receipt.currentText().strip()
            reason = dlg.reason.text().strip()
            approval = dlg.auth.approval() or Approval("", "")
        try:
            res = billing.void(self.bench.db, self.actor, receipt_no, approval, reason=reason,
                               printer_uri=self.printing.spooler.config.uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.bench.rule_refused.emit("billing", exc.message)
            return None
        self.printing.kick()
        self.message.setText(self.tr("Receipt %1 voided; reversal %2")
                             .replace("%1", receipt_no).replace("%2", res.receipt_no)
                             + (f"\n⚠ {res.warning}" if res.warning else ""))
        if res.warning:   # issue 18.4: cash paid back after the till's count
            self.bench.status_message.emit(res.warning)
        self.bench.stats_changed.emit()
        return res
