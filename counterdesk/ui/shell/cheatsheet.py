"""F1: every keyboard shortcut of the main window, read from the actions actually installed.

Nothing is listed by hand: the panels install their QActions (and buttons with
shortcuts), and this sheet reads them, so it stays true as panels add actions.
:func:`decorate_tooltips` also puts each shortcut into its action's tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
)

from ..widgets.tablemodel import RowsModel


@dataclass
class Shortcut:
    keys: str        # native text, e.g. "F2", "Ctrl+Shift+C"
    text: str        # what it does (the action's text without &)
    where: str       # the menu (or panel) it lives in
    tooltip: str = ""


def _plain(text: str) -> str:
    """Menu text without the mnemonic: "&File" → "File", "文件(&F)" → "文件"."""
    text = re.sub(r"\(&\w\)$", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


def _where(action: QAction) -> str:
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu) and obj.title():
            return _plain(obj.title())
    return ""


def collect(window) -> list[Shortcut]:
    """The shortcuts of every action and button in ``window`` (enabled or not), in menu order."""
    seen: set[tuple[str, str]] = set()
    out: list[Shortcut] = []
    actions: list[QAction] = []
    mb = window.menuBar() if hasattr(window, "menuBar") else None
    if mb is not None:
        for top in mb.actions():
            menu = top.menu()
            if menu is not None:
                actions.extend(a for a in menu.actions() if not a.isSeparator())
    actions.extend(window.findChildren(QAction))
    for a in actions:
        keys = [k for k in a.shortcuts() if not k.isEmpty()]
        if not keys or not a.text():
            continue
        text = " / ".join(k.toString(QKeySequence.NativeText) for k in keys)
        key = (text, _plain(a.text()))
        if key in seen:
            continue
        seen.add(key)
        out.append(Shortcut(text, _plain(a.text()), _where(a), a.toolTip()))
    for b in window.findChildren(QAbstractButton):
        k = b.shortcut()
        if k.isEmpty() or not b.text():
            continue
        text = k.toString(QKeySequence.NativeText)
        key = (text, _plain(b.text()))
        if key in seen:
            continue
        seen.add(key)
        panel = b.window().windowTitle() if b.window() is not window else ""
        out.append(Shortcut(text, _plain(b.text()),
                            panel or QCoreApplication.translate("CheatSheet", "Button"), b.toolTip()))
    return out


def decorate_tooltips(window) -> int:
    """Add the shortcut to the tooltip of each action that has one; returns how many."""
    n = 0
    for a in window.findChildren(QAction):
        keys = a.shortcut()
        if keys.isEmpty() or not a.text():
            continue
        k = keys.toString(QKeySequence.NativeText)
        tip = a.toolTip() or _plain(a.text())
        if k not in tip:
            a.setToolTip(f"{tip} ({k})")
            n += 1
    return n


class ShortcutTableModel(RowsModel):
    def __init__(self, shortcuts: list[Shortcut], parent=None):
        super().__init__(parent)
        self.rows = shortcuts

    def headers(self):
        return [self.tr("Key"), self.tr("Action"), self.tr("Menu")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (r.keys, r.text, r.where)[index.column()]
        if role == Qt.ToolTipRole:
            return r.tooltip
        return None


class CheatSheet(QDialog):
    """The list of shortcuts; Esc or Enter closes it."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(620, 560)
        self.model = ShortcutTableModel(collect(window), self)
        self.table = QTableView()
        self.table.setObjectName("shortcuts")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        hint = QLabel(self.tr("Every frequent action has a key. Numbers can be typed on the "
                              "numeric keypad; Tab moves to the next field."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
