"""The complaints tab's tables: the items and the reminders."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ... import quality
from ..widgets.tablemodel import RowsModel

STATE_COLOURS = {"overdue": ("#f8d7da", "#a93226"), "due_soon": ("#fff3cd", "#7d6608"),
                 "awaiting_followup": ("#d6eaf8", "#1b4f72"), "closed": (None, "#7f8c8d")}


def _short(iso: str | None) -> str:
    return iso.replace("T", " ")[5:16] if iso else ""


class ComplaintTableModel(RowsModel):
    """Rows are ``ComplaintView.to_dict()`` dicts; colour by the service's ``state``."""

    COLUMNS = ("number", "kind", "category", "contact", "owner", "due", "state")

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Kind"), self.tr("Category"), self.tr("Customer"),
                self.tr("Owner"), self.tr("Reply due"), self.tr("State")]

    @property
    def items(self) -> list[dict]:
        return self.rows

    def set_items(self, items: list[dict]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> dict | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def state_text(self, d: dict) -> str:
        state = d["state"]
        if state == "overdue":
            return self.tr("Overdue %1 h").replace("%1", f"{-d['hours_left']:.1f}")
        if state == "due_soon":
            return self.tr("Due in %1 h").replace("%1", f"{d['hours_left']:.1f}")
        if state == "pending":
            return self.tr("Open, %1 h left").replace("%1", f"{d['hours_left']:.1f}")
        if state == "awaiting_followup":
            return self.tr("Replied, awaiting follow-up")
        return self.tr("Closed")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        d = self.items[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "number":
                return d["number"]
            if col == "kind":
                return d["kind_label"]
            if col == "category":
                return quality.category_label(d["category"])
            if col == "contact":
                return f"{d['contact_name']} {d['contact_phone']}".strip()  # phone is masked
            if col == "owner":
                return f"{d['owner_staff_no']} {d['owner_name']}"
            if col == "due":
                return _short(d["due_at"])
            return self.state_text(d)
        colours = STATE_COLOURS.get(d["state"])
        if role == Qt.BackgroundRole and colours and colours[0]:
            return QColor(colours[0])
        if role == Qt.ForegroundRole and colours:
            return QColor(colours[1])
        if role == Qt.ToolTipRole:
            return d["description"]
        if role == Qt.UserRole:
            return d["state"]
        return None


class ReminderTableModel(RowsModel):
    """Follow-up reminders (``Reminder.to_dict()``); late ones in red."""

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Customer"), self.tr("Owner"),
                self.tr("Follow up by"), self.tr("Callable")]

    @property
    def items(self) -> list[dict]:
        return self.rows

    def set_items(self, items: list[dict]) -> None:
        self.set_rows(items)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        d = self.items[index.row()]
        c = index.column()
        if role == Qt.DisplayRole:
            if c == 0:
                return d["number"]
            if c == 1:
                return f"{d['contact_name']} {d['contact_phone']}".strip()
            if c == 2:
                return d["owner_staff_no"]
            if c == 3:
                return _short(d["followup_by"])
            return self.tr("now") if d["callable_now"] else \
                self.tr("from %1").replace("%1", _short(d["next_slot"]))
        if role == Qt.ForegroundRole and d["late"]:
            return QColor("#a93226")
        return None
