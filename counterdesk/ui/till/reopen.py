"""The till tab's manager actions on a counted till (issue 18.4/18.12): 重新开启点钞 with
the reason and the manager's approval, and the 长款/短款 figure shown large."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from ... import cash
from ...errors import CounterDeskError
from ..widgets.approval import ApprovalFields, add_ok_cancel


class ReopenDialog(QDialog):
    """Reason and the manager's staff number and password."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reopen the count — manager's approval"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("The count is cleared and the clerk counts again; the "
                                   "old count stays in the audit log.")))
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow(self.tr("Reason"), self.reason)
        self.auth = ApprovalFields(form)
        add_ok_cancel(self, form)


def install(panel) -> None:
    """Add the 重新开启点钞 button next to the countersign button, and the action."""
    panel.btn_reopen = QPushButton(QCoreApplication.translate("TillPanel", "&Reopen the count (manager)…"))
    panel.btn_reopen.setObjectName("reopen_count")
    row = _row_of(panel, panel.btn_countersign)
    if row is not None:
        row.insertWidget(row.indexOf(panel.btn_countersign) + 1, panel.btn_reopen)
    panel.btn_reopen.hide()
    panel.btn_reopen.clicked.connect(lambda: ask(panel))
    panel.reopen_count = lambda reason, approval: reopen_count(panel, reason, approval)


def _row_of(panel, widget):
    def find(layout):
        if layout is None:
            return None
        if layout.indexOf(widget) >= 0:
            return layout
        for i in range(layout.count()):
            found = find(layout.itemAt(i).layout())
            if found is not None:
                return found
        return None

    return find(panel.layout())


def reopen_count(panel, reason: str, approval) -> bool:
    try:
        cash.reopen_till(panel.db, panel.actor, approval, reason)
    except CounterDeskError as exc:
        panel._say(exc.message)
        return False
    panel.last_count = None
    panel.result.setText("")
    panel.grid_model.clear()
    panel._say(QCoreApplication.translate("TillPanel", "The count is reopened: count the cash again."), error=False)
    panel.refresh()
    return True


def ask(panel) -> None:
    dlg = ReopenDialog(panel)
    if dlg.exec() == QDialog.Accepted:
        reopen_count(panel, dlg.reason.text(), dlg.auth.approval())


def show_large(label: QLabel, difference: int) -> None:
    """The count's result in large type: red when short, blue when over."""
    f = QFont(label.font())
    f.setPointSizeF(max(f.pointSizeF(), 10.5) * 1.6)
    f.setBold(True)
    label.setFont(f)
    label.setStyleSheet("color: #c0392b;" if difference < 0 else
                        "color: #1f4e9c;" if difference > 0 else "color: #1e7e34;")
