"""The workstation's shared state and signals: how panels talk to each other.

Panels never import each other. The queue panel emits ``ticket_called``; the prompt
panel shows the greeting; the payment panel listens for ``open_payment``; and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..db import Database
from ..settings import Settings
from ..staff import Actor


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


@dataclass
class PanelSpec:
    """A panel module the main window loads if present: ``module.create(bench, parent)``."""

    module: str
    area: str  # "queue" | "business" | "prompt"
    title: str = ""
    extra: dict = field(default_factory=dict)
