"""The IC card panel's dialog: 退购 (cancel the purchase on the card) — why, and the
manager's approval. Widgets only; the panel runs the cancel as a background job."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit

from ...i18n import pick
from ..widgets.approval import ApprovalFields, add_ok_cancel


class CancelDialog(QDialog):
    """退购: the purchase on the card (not yet taken by the meter), reason and approval."""

    def __init__(self, what: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(pick("退购 — 主任授权", "Cancel a card purchase — manager's approval"))
        self.what = QLabel(what)
        self.what.setObjectName("cancel_what")
        self.what.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("cancel_reason")
        form = QFormLayout(self)
        form.addRow(self.what)
        form.addRow(pick("退购原因", "Reason"), self.reason)
        self.auth = ApprovalFields(form)
        add_ok_cancel(self, form)

    def values(self) -> tuple[str, object]:
        """(reason, the typed approval or None)."""
        return self.reason.text().strip(), self.auth.approval()
