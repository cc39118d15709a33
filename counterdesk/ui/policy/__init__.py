"""The hall policy screen and its place in the Manage menu (managers only)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from .screen import PolicyModel, PolicyScreen


def install(mw, db, actor) -> QAction | None:
    """Add "Hall rules…" to ``mw``'s Manage menu for a manager; returns the action."""
    if not actor.is_manager:
        return None
    action = QAction(QCoreApplication.translate("PolicyScreen", "Hall rules…"), mw)
    action.setObjectName("action_hall_policy")

    def open_screen():
        dlg = PolicyScreen(db, actor, mw)
        dlg.open()
        action.dialog = dlg
        return dlg

    action.triggered.connect(open_screen)
    mw.menu_manage.addAction(action)
    return action


__all__ = ["PolicyModel", "PolicyScreen", "install"]
