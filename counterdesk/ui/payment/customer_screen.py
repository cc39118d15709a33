"""The customer screen of a window: a second monitor or a small touch screen.

It shows the amounts of a payment large (唱收唱付: due, tendered, change) when the
payment panel emits ``bench.customer_amounts``, and when a ticket is finished
(``bench.ticket_finished``) it asks the customer to rate the service — 非常满意 / 满意 /
基本满意 / 不满意 — with large buttons for the hall policy's ``quality.rating_seconds``. The answer
is stored through :func:`counterdesk.quality.record_rating` with the screen's own
:class:`~counterdesk.quality.CustomerScreenSource`; no answer is stored as ``none``.
The workstation has no way to rate: only this screen holds the source.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ... import policy, quality
from ..widgets.jobs import Jobs, message

log = logging.getLogger(__name__)

BUTTON_COLOURS = {"very_satisfied": "#1e8449", "satisfied": "#27ae60", "basic": "#d4ac0d",
                  "unsatisfied": "#c0392b"}


def _yuan(fen) -> str:
    fen = int(fen or 0)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}￥{fen // 100:,}.{fen % 100:02d}"


class CustomerScreenView(QWidget):
    """Widgets only: idle page, amounts page, rating page, thanks page."""

    PAGE_IDLE, PAGE_AMOUNTS, PAGE_RATING, PAGE_THANKS = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("customer_screen")
        self.setWindowTitle(self.tr("Customer screen"))
        self.setStyleSheet("QWidget#customer_screen { background: #f4f8fb; }")
        self.stack = QStackedWidget()
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack)

        # idle
        idle = QWidget()
        il = QVBoxLayout(idle)
        self.welcome = QLabel(self.tr("Welcome"))
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignCenter)
        self.welcome.setStyleSheet("font-size: 40pt; font-weight: bold; color: #1f4e79;")
        self.window_label = QLabel()
        self.window_label.setObjectName("window_label")
        self.window_label.setAlignment(Qt.AlignCenter)
        self.window_label.setStyleSheet("font-size: 24pt; color: #34495e;")
        il.addStretch(1)
        il.addWidget(self.welcome)
        il.addWidget(self.window_label)
        il.addStretch(1)

        # amounts
        amounts = QWidget()
        grid = QGridLayout(amounts)
        self.due_caption = QLabel(self.tr("Amount due"))
        self.tendered_caption = QLabel(self.tr("Received"))
        self.change_caption = QLabel(self.tr("Change"))
        self.due = QLabel()
        self.due.setObjectName("due")
        self.tendered = QLabel()
        self.tendered.setObjectName("tendered")
        self.change = QLabel()
        self.change.setObjectName("change")
        for row, (cap, val) in enumerate(((self.due_caption, self.due),
                                          (self.tendered_caption, self.tendered),
                                          (self.change_caption, self.change))):
            cap.setStyleSheet("font-size: 28pt; color: #34495e;")
            val.setStyleSheet("font-size: 56pt; font-weight: bold; color: #1f4e79;")
            val.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            grid.addWidget(cap, row, 0)
            grid.addWidget(val, row, 1)
        self.change.setStyleSheet("font-size: 64pt; font-weight: bold; color: #c0392b;")

        # rating
        rating = QWidget()
        rl = QVBoxLayout(rating)
        self.question = QLabel(self.tr("Please rate our service"))
        self.question.setObjectName("question")
        self.question.setAlignment(Qt.AlignCenter)
        self.question.setStyleSheet("font-size: 36pt; font-weight: bold; color: #1f4e79;")
        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("ticket_label")
        self.ticket_label.setAlignment(Qt.AlignCenter)
        self.ticket_label.setStyleSheet("font-size: 20pt; color: #34495e;")
        texts = {"very_satisfied": self.tr("Very satisfied"),
                 "satisfied": self.tr("Satisfied"),
                 "basic": self.tr("Fairly satisfied"),
                 "unsatisfied": self.tr("Unsatisfied")}
        self.buttons: dict[str, QPushButton] = {}
        row = QGridLayout()
        for i, value in enumerate(quality.RATING_CHOICES):
            b = QPushButton(texts[value])
            b.setObjectName(f"rate_{value}")
            b.setMinimumSize(220, 140)
            b.setFocusPolicy(Qt.NoFocus)  # a touch screen: no keyboard focus to steal
            b.setStyleSheet(f"QPushButton {{ font-size: 30pt; font-weight: bold; color: white;"
                            f" background: {BUTTON_COLOURS[value]}; border-radius: 16px; }}")
            row.addWidget(b, 0, i)
            self.buttons[value] = b
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setAlignment(Qt.AlignCenter)
        self.countdown.setStyleSheet("font-size: 18pt; color: #7f8c8d;")
        rl.addStretch(1)
        rl.addWidget(self.question)
        rl.addWidget(self.ticket_label)
        rl.addSpacing(24)
        rl.addLayout(row)
        rl.addWidget(self.countdown)
        rl.addStretch(1)

        # thanks
        thanks = QWidget()
        tl = QVBoxLayout(thanks)
        self.thanks = QLabel(self.tr("Thank you for your rating!"))
        self.thanks.setObjectName("thanks")
        self.thanks.setAlignment(Qt.AlignCenter)
        self.thanks.setStyleSheet("font-size: 40pt; font-weight: bold; color: #1e8449;")
        tl.addWidget(self.thanks)

        for page in (idle, amounts, rating, thanks):
            self.stack.addWidget(page)


class CustomerScreen(CustomerScreenView):
    """Controller: listens to the bench, runs the rating countdown, stores the answer."""

    rating_stored = Signal(dict)    # the stored rating (RatingView.to_dict())
    rating_failed = Signal(str)     # message

    THANKS_MS = 3000

    def __init__(self, bench, parent=None, *, timeout_ms: int | None = None):
        super().__init__(parent)
        self.bench = bench
        actor = bench.actor
        # the hall's wait and the screen's rating source are read off the GUI thread (a
        # silent database never freezes the clerk's window, whose thread this is); until
        # they come the wait is the rule's default and a rating opens the source itself
        self._timeout_given = timeout_ms
        self.timeout_ms = timeout_ms if timeout_ms is not None else \
            policy.QualityRules().rating_seconds * 1000
        self.source: quality.CustomerScreenSource | None = None
        self.jobs = Jobs(self)
        self.jobs.run(_open, bench.db, actor, on_done=self._opened,
                      on_error=lambda exc: log.warning("customer screen: %s", message(exc)))
        self.ticket: dict | None = None
        self._left_ms = 0
        if actor.window:
            self.window_label.setText(self.tr("Window %1").replace("%1", str(actor.window)))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.back_to_idle = QTimer(self)
        self.back_to_idle.setSingleShot(True)
        self.back_to_idle.timeout.connect(self.show_idle)
        for value, button in self.buttons.items():
            button.clicked.connect(lambda _=False, v=value: self.answer(v))
        bench.customer_amounts.connect(self.show_amounts)
        bench.ticket_finished.connect(self.ask_rating)
        bench.ticket_called.connect(self.new_customer)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # a pending question is stored as none
        self.show_idle()

    # -- pages -------------------------------------------------------------------------------
    def show_idle(self) -> None:
        if self.ticket is None:
            self.stack.setCurrentIndex(self.PAGE_IDLE)

    def new_customer(self, _ticket: dict) -> None:
        """Issue 18.9: the next customer never sees the last one's figures."""
        if self.ticket is None:
            for label in (self.due, self.tendered, self.change):
                label.setText("")
            self.back_to_idle.stop()
            self.stack.setCurrentIndex(self.PAGE_IDLE)

    def show_amounts(self, amounts: dict) -> None:
        if self.ticket is not None:
            return  # the rating question has priority until answered or timed out
        self.back_to_idle.stop()
        self.due.setText(_yuan(amounts.get("due_fen")))
        tendered = amounts.get("tendered_fen")
        change = amounts.get("change_fen")
        self.tendered.setText(_yuan(tendered) if tendered is not None else "")
        self.change.setText(_yuan(change) if change is not None else "")
        self.tendered_caption.setVisible(tendered is not None)
        self.change_caption.setVisible(change is not None)
        self.stack.setCurrentIndex(self.PAGE_AMOUNTS)

    def ask_rating(self, ticket: dict) -> None:
        status = (ticket or {}).get("status")
        if status is not None and status != "finished":
            return  # a no-show also ends the ticket at the window: nobody to ask
        if self.ticket is not None:       # the previous customer left without answering
            self._store("none")
        self.back_to_idle.stop()
        self.ticket = dict(ticket or {})
        number = self.ticket.get("number") or self.ticket.get("ticket_number") or ""
        self.ticket_label.setText(self.tr("Ticket %1").replace("%1", str(number))
                                  if number else "")
        self._left_ms = self.timeout_ms
        self._update_countdown()
        self.stack.setCurrentIndex(self.PAGE_RATING)
        self.timer.start(self.timeout_ms)
        self.ticker.start()

    def answer(self, value: str) -> None:
        if self.ticket is None:
            return
        self._store(value)

    # -- internals ------------------------------------------------------------------------------
    def _tick(self) -> None:
        self._left_ms = max(0, self._left_ms - self.ticker.interval())
        self._update_countdown()

    def _update_countdown(self) -> None:
        secs = (self._left_ms + 999) // 1000
        self.countdown.setText(self.tr("%1 s").replace("%1", str(secs)))

    def _timed_out(self) -> None:
        if self.ticket is not None:
            self._store("none")

    def _opened(self, out: tuple) -> None:
        seconds, self.source = out
        if self._timeout_given is None:
            self.timeout_ms = seconds * 1000

    def _store(self, value: str) -> None:
        """The answer is stored off the GUI thread; the customer is thanked at once (a
        second press finds no question), the clerk told if it could not be stored."""
        ticket, self.ticket = self.ticket, None
        self.timer.stop()
        self.ticker.stop()
        if value != "none":
            self.stack.setCurrentIndex(self.PAGE_THANKS)
            self.back_to_idle.start(self.THANKS_MS)
        else:
            self.stack.setCurrentIndex(self.PAGE_IDLE)
        self.jobs.run(_record, self.bench.db, self.bench.actor, self.source, ticket, value,
                      on_done=lambda stored: self.rating_stored.emit(stored.to_dict()),
                      on_error=self._not_stored)

    def _not_stored(self, exc: BaseException) -> None:
        text = message(exc)
        log.warning("rating not stored: %s", type(exc).__name__)
        self.bench.status_message.emit(text)
        self.rating_failed.emit(text)
        self.back_to_idle.stop()
        self.show_idle()

    def shutdown(self) -> None:
        if self.ticket is not None:
            self._store("none")
        for t in (self.timer, self.ticker, self.back_to_idle):
            t.stop()
        self.jobs.wait(5)    # the last answer is stored before the program ends (bounded)


def _open(db, actor) -> tuple[int, quality.CustomerScreenSource]:
    """Worker thread: the hall's rating wait (seconds) and this screen's rating source."""
    return (policy.load_quality_rules(db, actor.hall_id).rating_seconds,
            _source(db, actor))


def _source(db, actor) -> quality.CustomerScreenSource:
    return quality.open_customer_screen(db, actor.hall_code, actor.window,
                                        staff_no=actor.staff_no, staff_name=actor.name)


def _record(db, actor, source, ticket, value: str):
    """Worker thread: store the answer (opening the source if the screen's own open has
    not answered yet)."""
    return quality.record_rating(db, source or _source(db, actor), ticket, value)


def attach(bench, parent=None, *, timeout_ms: int | None = None) -> CustomerScreen:
    """Create the customer screen as its own top-level window; on a PC with a second
    monitor it goes full screen there, otherwise it opens as a normal window.

    Issue 17.8: it never takes the keyboard from the clerk (a customer's touch on a rating
    button leaves F2/F6… working in the main window) and it is not owned by the main
    window (it stays up when that is minimised). ``parent`` only ends it: the screen
    closes when ``parent`` is destroyed."""
    screen = CustomerScreen(bench, None, timeout_ms=timeout_ms)
    screen.setWindowFlag(Qt.Window, True)
    screen.setWindowFlag(Qt.WindowDoesNotAcceptFocus, True)
    screen.setAttribute(Qt.WA_ShowWithoutActivating, True)
    screen.setFocusPolicy(Qt.NoFocus)
    for child in screen.findChildren(QWidget):
        child.setFocusPolicy(Qt.NoFocus)
    if parent is not None:
        parent.destroyed.connect(screen.deleteLater)
    screens = QGuiApplication.screens()
    if len(screens) > 1:
        screen.setGeometry(screens[1].geometry())
        screen.showFullScreen()
    else:
        screen.resize(1024, 600)
        screen.show()
    return screen
