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


class InspectionDueModel(RowsModel):
    """Rows are ``DueRow.to_dict()``; overdue in red."""

    def headers(self) -> list[str]:
        return [t("户号", "Account"), t("户名", "Holder"), t("地址", "Address"),
                t("上次安检", "Last"), t("应检日期", "Due"), t("到访不遇", "Nobody home"),
                t("下次上门", "Next attempt")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        if role == Qt.DisplayRole:
            due = d["next_due"] + (t(f"（逾期 {d['days_overdue']} 天）",
                                     f" ({d['days_overdue']} d overdue)") if d["overdue"] else "")
            return (d["account_no"], d["holder"], d["address"], d["last_inspected"] or "—",
                    due, str(d["not_home_count"] or ""), d["next_attempt"] or "")[index.column()]
        if role in (Qt.BackgroundRole, Qt.ForegroundRole) and d["overdue"]:
            return QColor(OVERDUE[0] if role == Qt.BackgroundRole else OVERDUE[1])
        return None


class NoticeModel(RowsModel):
    def headers(self) -> list[str]:
        return [t("编号", "Number"), t("区域", "Area"), t("开始", "Start"), t("结束", "End"),
                t("原因", "Reason")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (d["number"], d["area"], short(d["starts_at"]), short(d["ends_at"]),
                    d["reason"])[index.column()]
        if role == Qt.FontRole and d["active"]:
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return None
