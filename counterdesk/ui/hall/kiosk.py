"""The ticket kiosk (取号机, ``counterdesk kiosk``): full screen, one large button per
service and a priority (绿色通道) toggle.

The ticket is saved first (:func:`counterdesk.queue.issue`), then printed on a worker
thread. If printing fails the screen shows the number very large and says so: the
customer keeps their place. A service no window serves is refused before anything is
saved or printed.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ... import queue
from ...errors import CounterDeskError, DatabaseError
from ..widgets.fit import FontScaler
from ..widgets.jobs import Jobs, message

log = logging.getLogger(__name__)

RESULT_MS = 12000  # how long the result stays on screen


class _ShownWithText(QLabel):
    """Takes no room while empty: the service buttons use the screen (issue 18.21)."""

    def __init__(self):
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        super().setText(text)
        self.setVisible(bool(text))


class KioskView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setStyleSheet("QWidget#kiosk{background:#0b3d91;} QLabel{color:white;}")
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setStyleSheet("font-size:36pt;font-weight:bold;")
        lay.addWidget(self.title)
        self.hint = QLabel(self.tr("Touch your service to take a number"))
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setStyleSheet("font-size:22pt;")
        lay.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        lay.addLayout(self.grid, 1)  # the services take the screen
        row = QHBoxLayout()
        self.priority = QPushButton()
        self.priority.setObjectName("priority")
        self.priority.setCheckable(True)
        self.priority.setMinimumHeight(60)
        self.priority.setStyleSheet(
            "QPushButton{font-size:22pt;background:#2e7d32;color:white;border-radius:12px;}"
            "QPushButton:checked{background:#ffd600;color:black;}")
        self.priority.toggled.connect(self._priority_text)
        self._priority_text(False)
        row.addWidget(self.priority)
        lay.addLayout(row)
        self.number = _ShownWithText()
        self.number.setObjectName("kiosk_number")
        self.number.setAlignment(Qt.AlignCenter)
        self.number.setStyleSheet("font-size:110pt;font-weight:bold;color:#ffd600;")
        lay.addWidget(self.number)
        self.message = _ShownWithText()
        self.message.setObjectName("kiosk_message")
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size:26pt;")
        lay.addWidget(self.message)
        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignCenter)
        self.banner.setStyleSheet("font-size:14pt;color:#ffcdd2;")
        self.banner.hide()
        lay.addWidget(self.banner)
        self.buttons: dict[str, QPushButton] = {}
        self.scaler = FontScaler(self)  # full screen, or a 960×540 window (issue 18.21)

    def _priority_text(self, on: bool) -> None:
        """Issue 18.21: the toggle says its state in words, not only by its colour."""
        self.priority.setText(
            self.tr("✔ Priority lane ON — now touch your service (touch here to cancel)") if on
            else self.tr("Priority lane (elderly, disabled, pregnant): touch to turn on"))


class Kiosk(KioskView):
    ticket_issued = Signal(dict)
    printed = Signal(dict)
    print_failed = Signal(dict, str)
    refused = Signal(str)
    _print_done = Signal(dict, str)   # from the print thread

    def __init__(self, db, settings, parent=None, *, poll: bool = True,
                 threaded: bool = True):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.actor = queue.kiosk_actor(db, settings.hall.code)
        self.hall_name = ""
        self._print_done.connect(self._printed)
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.setInterval(RESULT_MS)
        self._clear.timeout.connect(self._reset)
        from ..queue.poller import QueuePoller

        self.poller = QueuePoller(db, self.actor.hall_id, interval_ms=1000, threaded=threaded)
        self.poller.snapshot.connect(self.apply_snapshot)
        self.poller.connection.connect(self._connection)
        self.apply_snapshot(queue.snapshot(db, self.actor.hall_id))
        if poll:
            self.poller.start()
        self.poller.stop_with(self)

    def shutdown(self) -> None:
        self.poller.stop()
        self._clear.stop()
        self.jobs.wait(5)

    def closeEvent(self, event):  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)

    # -- screen -----------------------------------------------------------------------
    def apply_snapshot(self, snap: dict) -> None:
        self.hall_name = snap["hall"]
        self.title.setText(snap["hall"])
        for i, s in enumerate(snap["services"]):
            btn = self.buttons.get(s["letter"])
            if btn is None:
                btn = QPushButton()
                btn.setObjectName(f"service_{s['letter']}")
                btn.setMinimumHeight(80)
                btn.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
                btn.setStyleSheet("QPushButton{font-size:30pt;background:white;color:#0b3d91;"
                                  "border-radius:16px;} QPushButton:disabled{color:#999;}")
                btn.clicked.connect(lambda _=False, letter=s["letter"]: self.take(letter))
                self.buttons[s["letter"]] = btn
                self.grid.addWidget(btn, i // 2, i % 2)
            name = queue.service_label(s)
            text = f"{s['letter']}  {name}\n" + self.tr("%1 waiting").replace(
                "%1", str(s["waiting"]))
            if not s["served"]:
                text = f"{s['letter']}  {name}\n" + self.tr("not offered now")
            btn.setText(text)

    def _connection(self, ok: bool, message: str) -> None:
        self.banner.setVisible(not ok)
        self.banner.setText("" if ok else self.tr("Connection lost — retrying…"))

    def _reset(self) -> None:
        self.number.setText("")
        self.message.setText("")
        self.scaler.remember(self.message, "font-size:26pt;")

    # -- take a ticket ----------------------------------------------------------------
    def take(self, letter: str):
        """Issue a ticket off the GUI thread (the buttons are disabled and the screen says
        so meanwhile); then ``_issued`` or ``_take_refused``. None: one already on its way."""
        if self.jobs.busy:
            return None
        self.message.setStyleSheet("font-size:26pt;")
        self.message.setText(self.tr("One moment…"))
        return self.jobs.run(queue.issue, self.db, self.actor, letter,
                             priority=self.priority.isChecked(),
                             on_done=self._issued, on_error=self._take_refused)

    def _busy(self, busy: bool) -> None:
        for btn in self.buttons.values():   # made by the snapshot: not a fixed list
            btn.setEnabled(not busy)

    def _take_refused(self, exc: Exception) -> None:
        if isinstance(exc, DatabaseError):
            self._show_refusal(self.tr("Sorry, the system is busy. Please try again or ask "
                                       "the hall staff."), exc.message)
        else:
            text = message(exc)
            self._show_refusal(text, text)

    def _issued(self, t) -> dict:
        self.priority.setChecked(False)
        d = t.to_dict()
        self.number.setText(t.number)
        self.scaler.remember(self.message, "font-size:26pt;")
        self.message.setText(self.tr("Printing your ticket… %1 waiting ahead of you")
                             .replace("%1", str(t.ahead)))
        self.ticket_issued.emit(d)
        self._clear.start()
        self._print(d)
        self.poller.request()
        return d

    def _show_refusal(self, text: str, reason: str) -> None:
        self.number.setText("")
        self.scaler.remember(self.message, "font-size:26pt;color:#ffcdd2;")
        self.message.setText(text)
        self.refused.emit(reason)
        self._clear.start()

    def _print(self, ticket: dict) -> None:
        from ...print import printers
        from ...print.ticket import ticket_bytes

        settings = self.settings

        def work():
            try:
                p = printers.from_settings(settings)
                data = ticket_bytes(ticket, hall_name=self.hall_name, columns=p.columns)
                printers.send(p, data, job_name=f"取号 {ticket['number']}")
                self._print_done.emit(ticket, "")
            except CounterDeskError as exc:   # unconfirmed counts as not printed here
                log.warning("ticket %s not printed: %s", ticket["number"], exc.en)
                self._print_done.emit(ticket, exc.message)
            except Exception as exc:  # noqa: BLE001 - the kiosk must go on
                log.exception("ticket printing failed")
                self._print_done.emit(ticket, str(exc))

        threading.Thread(target=work, name="kiosk-print", daemon=True).start()

    def _printed(self, ticket: dict, error: str) -> None:
        if not error:
            self.message.setText(self.tr("Please take your ticket. %1 waiting ahead of you.")
                                 .replace("%1", str(ticket.get("ahead", 0))))
            self.printed.emit(ticket)
            return
        self.number.setText(ticket["number"])
        self.scaler.remember(self.message, "font-size:26pt;color:#ffd600;")
        self.message.setText(self.tr("The ticket could not be printed. Your number is %1 — "
                                     "please remember it; you keep your place.")
                             .replace("%1", ticket["number"]))
        self._clear.start(RESULT_MS * 2)
        self.print_failed.emit(ticket, error)


def run(ctx, windowed: bool = False) -> int:
    from ..shell.app import run_screen

    return run_screen(ctx, Kiosk, windowed=windowed, size=(1080, 1280), program="kiosk")
