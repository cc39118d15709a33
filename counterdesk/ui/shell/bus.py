"""The workstation's shared state and signals: how panels talk to each other.

Panels never import each other. The queue panel emits ``ticket_called``; the prompt
panel shows the greeting; the payment panel listens for ``open_payment``; and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from ...db import Database
from ...settings import Settings
from ...staff import Actor


class Workbench(QObject):
    # queue
    ticket_called = Signal(dict)        # ticket as dict (number, service, waited_seconds…)
    ticket_transferred = Signal(dict)
    ticket_finished = Signal(dict)
    window_paused = Signal(dict)        # pause as dict
    window_resumed = Signal(dict)
    # accounts
    account_selected = Signal(str)      # account_no
    open_account_requested = Signal()
    # payments
    open_payment = Signal(str)          # account_no ('' for walk-in)
    payment_committed = Signal(dict)    # receipt as dict
    printer_state = Signal(dict)        # {"online": bool, "pending": int, "message": str}
    customer_amounts = Signal(dict)     # {"due_fen", "tendered_fen", "change_fen"} for the customer screen
    # prompts / messages
    rule_refused = Signal(str, str)     # (kind, message) e.g. ("arrears", "…")
    prompt_context = Signal(str, dict)  # (situation, data) e.g. ("greeting", {...})
    status_message = Signal(str)
    stats_changed = Signal()            # today's count / takings changed

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent=None):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.settings = settings
        self.services: dict[str, Any] = {}   # long-lived helpers (print worker, poller…)
        self.current_ticket: dict | None = None
        self.current_account: str | None = None


class Panel(Protocol):
    """What the main window needs of a panel (docs/development.md, "Panel protocol").

    A panel is a ``QWidget`` built by its module's ``create(bench, parent)``. Optional:
    ``tab_title`` (the business tab's text; else ``windowTitle()``),
    ``install_actions(window)`` (menus and shortcuts) and ``shutdown()`` (stop timers and
    threads when the window closes); the main window looks these up with ``getattr``.
    """

    def windowTitle(self) -> str: ...  # noqa: N802 - Qt name


@dataclass(frozen=True)
class PanelSpec:
    """One panel of the main window, listed statically in ``mainwindow.PANELS``."""

    key: str                                   # MainWindow.panels[key]
    create: Callable[[Workbench, Any], Panel]  # the module's create(bench, parent)
    area: str                                  # "queue" | "business" | "prompt"
