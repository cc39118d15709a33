"""The ticket kiosk (取号机, ``counterdesk kiosk``): full screen, one large button per
service and a priority (绿色通道) toggle.

The ticket is saved first (:func:`counterdesk.queue.issue`), then printed on a worker
thread. If printing fails the screen shows the number very large and says so: the
customer keeps their place. A service no window serves is refused before anything is
saved or printed.

:class:`KioskView` (``kiosk_view.py``) holds the widgets; :class:`Kiosk` reads the hall
and issues tickets off the GUI thread (:mod:`..widgets.jobs`; ``ready`` once the service
buttons are there) and follows the queue with the :class:`QueuePoller`.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QTimer, Signal

from ... import queue
from ...errors import CounterDeskError, DatabaseError
from ..widgets.jobs import Jobs, message
from .kiosk_view import KioskView
from .startup import HallStartup

log = logging.getLogger(__name__)

RESULT_MS = 12000  # how long the result stays on screen


class Kiosk(HallStartup, KioskView):
    ticket_issued = Signal(dict)
    printed = Signal(dict)
    print_failed = Signal(dict, str)
    refused = Signal(str)
    ready = Signal()                  # the hall is read: the service buttons are there
    _print_done = Signal(dict, str)   # from the print thread

    def __init__(self, db, settings, parent=None, *, poll: bool = True,
                 threaded: bool = True):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.actor = None            # the kiosk's actor, once the hall is read (``ready``)
        self.hall_name = ""
        self._print_done.connect(self._printed)
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.setInterval(RESULT_MS)
        self._clear.timeout.connect(self._reset)
        self.begin(_open_hall, db, settings.hall.code, poll=poll, threaded=threaded)

    # -- start: the hall and its services, read off the GUI thread (``HallStartup``) ---------
    def start(self) -> None:
        self.message.setText(self.tr("One moment…"))
        super().start()

    def found(self, outcome) -> int:
        self.actor, snap = outcome
        self.message.setText("")
        self.apply_snapshot(snap)
        self.scaler.fit()   # the service buttons are new: fit the text to them afresh
        return self.actor.hall_id

    def shutdown(self) -> None:
        self.stop_polling()
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
                btn = self.service_button(s["letter"], i)
                btn.clicked.connect(lambda _=False, letter=s["letter"]: self.take(letter))
                btn.setEnabled(not self.jobs.busy)
            name = queue.service_label(s)
            text = f"{s['letter']}  {name}\n" + self.tr("%1 waiting").replace(
                "%1", str(s["waiting"]))
            if not s["served"]:
                text = f"{s['letter']}  {name}\n" + self.tr("not offered now")
            btn.setText(text)

    def _reset(self) -> None:
        self.number.setText("")
        self.message.setText("")
        self.scaler.remember(self.message, "font-size:26pt;")

    # -- take a ticket ----------------------------------------------------------------
    def take(self, letter: str):
        """Issue a ticket off the GUI thread (the buttons are disabled and the screen says
        so meanwhile); then ``_issued`` or ``_take_refused``. None: one already on its way."""
        if self.jobs.busy or self.actor is None:
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
        if self.poller is not None:
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


def _open_hall(db, hall_code: str):
    """Worker thread: the kiosk's actor and the first snapshot of the hall's queue."""
    actor = queue.kiosk_actor(db, hall_code)
    return actor, queue.snapshot(db, actor.hall_id)


def run(ctx, windowed: bool = False) -> int:
    from ..shell.app import run_screen

    return run_screen(ctx, Kiosk, windowed=windowed, size=(1080, 1280), program="kiosk")
