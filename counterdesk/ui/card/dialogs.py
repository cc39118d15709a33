"""The IC card panel's dialog: 退购 (cancel the purchase on the card) — why, and the
manager's approval. Widgets only; the panel runs the cancel as a background job."""

from __future__ import annotations

from ...i18n import pick
from ..widgets.approval import ApprovalDialog


class CancelDialog(ApprovalDialog):
    """退购: the purchase on the card (not yet taken by the meter), reason and approval
    (an approval form: a refusal stays in it)."""

    def __init__(self, what: str = "", parent=None):
        super().__init__(parent)
        self.build(pick("退购 — 主任授权", "Cancel a card purchase — manager's approval"),
                   intro=what, reason_label=pick("退购原因", "Reason"))
        assert self.reason is not None    # built with a reason label
        self.reason.setObjectName("cancel_reason")

    def values(self) -> tuple[str, object]:
        """(reason, the typed approval or None)."""
        return self.reason_text().strip(), self.approval()
