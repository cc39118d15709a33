"""The queue tab's dialogs: transfer a ticket, pause the window (with the manager's approval)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
)

from ... import clock, queue
from ..widgets.approval import ApprovalDialog


class TransferDialog(QDialog):
    def __init__(self, services: list[dict], windows: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transfer the customer"))
        form = QFormLayout(self)
        self.service = QComboBox()
        self.service.addItem(self.tr("(same service)"), "")
        for s in services:
            self.service.addItem(f"{s['letter']} {queue.service_label(s)}", s["letter"])
        self.window = QComboBox()
        self.window.addItem(self.tr("(any window)"), None)
        for w in windows:  # issue 18.1: what each window serves and who is there
            who = (f"{w.get('staff_name') or ''} {w.get('staff_no')}".strip()
                   if w.get("staff_no") else self.tr("nobody signed in"))
            text = self.tr("Window %1 (%2) — %3").replace("%1", str(w["number"])).replace(
                "%2", "/".join(w.get("services") or [])).replace("%3", who)
            self.window.addItem(text, w["number"])
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("What the next clerk needs to know"))
        form.addRow(self.tr("To service"), self.service)
        form.addRow(self.tr("To window"), self.window)
        form.addRow(self.tr("Hand-over note"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {"service": self.service.currentData() or None,
                "to_window": self.window.currentData(), "note": self.note.text()}


class PauseDialog(ApprovalDialog):
    """Reason (list + text), expected return, and — when needed — cover and approval (an
    approval form: a refusal stays in it, its field focused)."""

    def __init__(self, limit_minutes: int, parent=None):
        super().__init__(parent)
        self._limit = limit_minutes
        self.build(self.tr("Pause this window"))

    def add_rows(self, form: QFormLayout) -> None:
        self.reason_box = QComboBox()
        self.reason_box.addItem(self.tr("(choose a reason)"), "")
        for code in queue.PAUSE_REASONS:
            self.reason_box.addItem(queue.reason_label(code), code)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Where you go (required for 'other')"))
        self.until = QTimeEdit()
        self.until.setDisplayFormat("HH:mm")
        back = clock.now() + dt.timedelta(minutes=10)
        self.until.setTime(QTime(back.hour, back.minute))
        self.hint = QLabel(self.tr("Longer than %1 min: a covering colleague and a manager's "
                                   "approval are needed.").replace("%1", str(self._limit)))
        self.hint.setWordWrap(True)
        self.cover = QLineEdit()
        self.cover.setPlaceholderText(self.tr("Staff number"))
        form.addRow(self.tr("Reason"), self.reason_box)
        form.addRow(self.tr("Details"), self.text)
        form.addRow(self.tr("Back at"), self.until)
        form.addRow(self.hint)
        form.addRow(self.tr("Covered by"), self.cover)
        self.fields.update(reason=self.reason_box, reason_text=self.text, until=self.until,
                           cover=self.cover)

    def values(self) -> dict:
        t = self.until.time()
        return {"reason": self.reason_box.currentData(), "reason_text": self.text.text(),
                "until": f"{t.hour():02d}:{t.minute():02d}", "cover": self.cover.text(),
                "approval": self.auth.approval()}
