"""Tables of the order screens: rows are ``OrderView.to_dict()`` dicts, coloured by the
service's ``overdue`` / ``state`` (overdue red, urgent amber, awaiting follow-up blue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ... import i18n
from ..widgets.tablemodel import RowsModel

OVERDUE = ("#f8d7da", "#a93226")
URGENT = ("#fff3cd", "#7d6608")
FOLLOWUP = ("#d6eaf8", "#1b4f72")


def t(zh: str, en: str) -> str:
    return i18n.pick(zh, en)


def short(iso: str | None) -> str:
    return iso.replace("T", " ")[5:16] if iso else ""


class OrderTableModel(RowsModel):
    def headers(self) -> list[str]:
        return [t("工单号", "Number"), t("类型", "Kind"), t("户号/地址", "Account/address"),
                t("维修员", "Technician"), t("当前期限", "Due"), t("状态", "State")]

    def item(self, row: int) -> dict | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _colours(self, d: dict) -> tuple[str | None, str | None]:
        if d["overdue"]:
            return OVERDUE
        if d["priority"] == "urgent" and d["state"] == "open":
            return URGENT
        if d["state"] == "awaiting_followup":
            return FOLLOWUP
        return (None, None)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            state = d["state_label"] if not d["overdue"] else \
                t(f"超期·{d['status_label']}", f"Overdue · {d['status_label']}")
            return (d["number"], d["kind_label"], d["account_no"] or d["address"],
                    d["assignee"] or d["team"], short(d["next_due_at"]), state)[col]
        if role in (Qt.BackgroundRole, Qt.ForegroundRole):
            bg, fg = self._colours(d)
            value = bg if role == Qt.BackgroundRole else fg
            return QColor(value) if value else None
        if role == Qt.ToolTipRole:
            return d["description"]
        return None
