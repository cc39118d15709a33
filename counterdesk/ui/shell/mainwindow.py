"""The clerk workstation's main window: queue panel, business area, prompt panel.

The panels are listed statically in ``PANELS`` (docs/development.md, "Panel protocol");
they talk through the :class:`~counterdesk.ui.shell.bus.Workbench`. The status bar shows the clerk,
the window, the database (never its password) and its health.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...errors import DatabaseError
from .. import orders as orders_panel
from ..accounts import panel as accounts_panel
from ..card import panel as card_panel
from ..complaints import panel as complaints_panel
from ..payment import panel as payment_panel
from ..prompts import panel as prompts_panel
from ..queue import panel as queue_panel
from ..till import panel as till_panel
from ..widgets.fit import initial_size
from ..widgets.jobs import Job, Jobs
from .bus import PanelSpec, Workbench

log = logging.getLogger(__name__)

# Created in this order; each module's create(bench, parent) returns a Panel (bus.Panel).
PANELS = [
    PanelSpec("queue", queue_panel.create, "queue"),
    PanelSpec("accounts", accounts_panel.create, "business"),
    PanelSpec("payment", payment_panel.create, "business"),
    PanelSpec("card", card_panel.create, "business"),
    PanelSpec("till", till_panel.create, "business"),
    PanelSpec("complaints", complaints_panel.create, "business"),
    PanelSpec("orders", orders_panel.create, "business"),
    PanelSpec("prompts", prompts_panel.create, "prompt"),
]


def _column(inner: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setObjectName(inner.objectName() + "_scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    return scroll


class MainWindowView(QMainWindow):
    """Layout: left queue, centre business tabs, right prompts; menus and status bar."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("CounterDesk %1").replace("%1", __version__))
        self.resize(initial_size(self, QSize(1366, 768)))  # its frame fits the work area
        self.queue_area = QWidget()
        self.queue_area.setObjectName("queue_area")
        self.queue_area.setLayout(QVBoxLayout())
        self.business = QTabWidget()
        self.business.setObjectName("business")
        self.prompt_area = QWidget()
        self.prompt_area.setObjectName("prompt_area")
        self.prompt_area.setLayout(QVBoxLayout())
        self.splitter = QSplitter(Qt.Horizontal)
        # Issue 18.2: the side columns scroll when the screen is short, so the window fits
        # 1366×700 (taskbar and title bar off a 1366×768 screen) whatever they hold.
        self.queue_scroll = _column(self.queue_area)
        self.prompt_scroll = _column(self.prompt_area)
        self.splitter.addWidget(self.queue_scroll)
        self.splitter.addWidget(self.business)
        self.splitter.addWidget(self.prompt_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 2)
        # Issue 18.14: a strip of its own above the work area for the window's state (the
        # pause banner): always there, one line high, so nothing moves or is covered.
        self.state_strip = QWidget()
        self.state_strip.setObjectName("state_strip")
        self.state_strip.setLayout(QVBoxLayout())
        self.state_strip.layout().setContentsMargins(0, 0, 0, 0)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.state_strip)
        lay.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        mb = self.menuBar()
        self.menu_file = mb.addMenu(self.tr("&File"))
        self.menu_business = mb.addMenu(self.tr("&Business"))
        self.menu_queue = mb.addMenu(self.tr("&Queue"))
        self.menu_manage = mb.addMenu(self.tr("&Manage"))
        self.menu_view = mb.addMenu(self.tr("&View"))
        self.menu_help = mb.addMenu(self.tr("&Help"))
        self.action_quit = QAction(self.tr("Sign out and quit"), self)
        self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.menu_file.addAction(self.action_quit)
        self.action_about = QAction(self.tr("About CounterDesk"), self)
        self.menu_help.addAction(self.action_about)

        sb = self.statusBar()
        self.status_clerk = QLabel()
        self.status_clerk.setObjectName("status_clerk")
        self.status_window = QLabel()
        self.status_window.setObjectName("status_window")
        self.status_db = QLabel()
        self.status_db.setObjectName("status_db")
        # a long database path or URL shrinks (cut, whole in the tooltip), the window does not
        self.status_db.setMaximumWidth(420)
        self.status_printer = QLabel()
        self.status_printer.setObjectName("status_printer")
        self.status_pending = QLabel()
        self.status_pending.setObjectName("status_pending")
        self.status_today = QLabel()
        self.status_today.setObjectName("status_today")
        for w in (self.status_clerk, self.status_window, self.status_db, self.status_printer,
                  self.status_pending, self.status_today):
            sb.addPermanentWidget(w)


def health_check(db) -> tuple:
    """Worker thread: (reachable, the clock skew or None, a standby's notice or None)."""
    from ... import clockcheck

    try:
        skew = clockcheck.measure(db)  # pings; PostgreSQL: the server's clock
    except DatabaseError:
        return False, None, None
    return True, skew, db.take_notice()


class MainWindow(MainWindowView):
    """Controller: creates the panels, wires the bus, keeps the status bar current."""

    HEALTH_INTERVAL_MS = 5000

    def __init__(self, db, actor, settings, parent=None):
        super().__init__(parent)
        self.bench = Workbench(db, actor, settings, self)
        self.panels: dict[str, QWidget] = {}
        self.status_clerk.setText(self.tr("Clerk %1 %2").replace("%1", actor.staff_no)
                                  .replace("%2", actor.name))
        self.status_window.setText(self.tr("Window %1").replace("%1", str(actor.window))
                                   if actor.window else self.tr("No window"))
        self.status_printer.setText(self.tr("Printer: %1").replace(
            "%1", settings.printer.uri or self.tr("none")))
        self._load_panels()
        self.customer_screen = None
        if settings.ui.customer_screen:  # second monitor / touch screen at the window
            from ..payment import customer_screen

            self.customer_screen = customer_screen.attach(self.bench, self)
        self.switch_user = False   # closed by 切换用户/注销: back to the sign-in (app.py)
        self.action_quit.triggered.connect(lambda: self.leave(switch=False))
        self.action_switch = QAction(self.tr("Switch user / sign out"), self)
        self.action_switch.setObjectName("action_switch_user")
        self.action_switch.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.action_switch.triggered.connect(lambda: self.leave(switch=True))
        self.menu_file.insertAction(self.action_quit, self.action_switch)
        self.action_about.triggered.connect(self._about)
        self.bench.status_message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.bench.printer_state.connect(self._printer_state)
        from .workstation import install as install_workstation  # F1, View menu, figures

        install_workstation(self)
        self._db_ok: bool | None = None
        self.status_db.setText(self.tr("Database %1: %2").replace(
            "%1", self.bench.db.display_url).replace("%2", self.tr("checking…")))
        self.health_jobs = Jobs(self.status_db)   # the wait cursor over the label only
        self.check_database()
        self._health = QTimer(self)
        self._health.setInterval(self.HEALTH_INTERVAL_MS)
        self._health.timeout.connect(self.check_database)
        self._health.start()

    def _load_panels(self) -> None:
        for spec in PANELS:
            panel = spec.create(self.bench, self)
            self.panels[spec.key] = panel
            if spec.area == "queue":
                self.queue_area.layout().addWidget(panel)
            elif spec.area == "prompt":
                self.prompt_area.layout().addWidget(panel)
            else:
                self.business.addTab(panel, getattr(panel, "tab_title", panel.windowTitle()))
            install = getattr(panel, "install_actions", None)
            if install is not None:
                install(self)

    def check_database(self) -> Job | None:
        """The health check (every ``HEALTH_INTERVAL_MS``), off the GUI thread: a ping,
        the clocks compared, a standby's notice; the database label says the outcome (the
        wait cursor over it while a check runs). None while the last check has not
        answered (a hanging server gets no pile of checks)."""
        if self.health_jobs.busy:
            return None
        return self.health_jobs.run(health_check, self.bench.db, on_done=self._health_seen)

    def _health_seen(self, out: tuple) -> None:
        ok, skew, notice = out
        if skew is not None and not skew.ok:  # issue 17.11: warn before a payment is refused
            self.statusBar().showMessage(skew.message(), self.HEALTH_INTERVAL_MS)
        if notice:  # issue 24: a standby took over; said once, on the message line
            self.statusBar().showMessage(notice, 10 * self.HEALTH_INTERVAL_MS)
        if ok != self._db_ok:
            self._db_ok = ok
            text = self.tr("Database %1: %2").replace("%1", self.bench.db.display_url).replace(
                "%2", self.tr("OK") if ok else self.tr("NOT REACHABLE"))
            self.status_db.setText(text)
            self.status_db.setToolTip(text)
            self.status_db.setStyleSheet("" if ok else "color: white; background: #c0392b;")

    def _printer_state(self, state: dict) -> None:
        online = state.get("online", True)
        pending = int(state.get("pending", 0))
        self.status_printer.setText(self.tr("Printer: %1").replace(
            "%1", self.tr("online") if online else self.tr("OFFLINE")))
        self.status_printer.setStyleSheet("" if online else "color: white; background: #c0392b;")
        self.status_pending.setText(self.tr("Receipts waiting: %1").replace("%1", str(pending))
                                    if pending else "")

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About CounterDesk"),
                          self.tr("CounterDesk %1 — business hall counter system").replace(
                              "%1", __version__))

    def customer_at_window(self) -> str:
        """The number of the ticket at this window ('' when nobody is being served)."""
        ticket = getattr(self.panels.get("queue"), "ticket", None) or {}
        return str(ticket.get("number") or "")

    def may_leave(self) -> bool:
        """Issue 18.16: with a customer at the window, ask before the window closes."""
        number = self.customer_at_window()
        if not number:
            return True
        box = QMessageBox(QMessageBox.Question, self.tr("Customer at the window"),
                          self.tr("Ticket %1 is still at this window (not finished). "
                                  "Leave anyway?").replace("%1", number),
                          QMessageBox.Yes | QMessageBox.No, self)
        box.setDefaultButton(QMessageBox.No)
        return box.exec() == QMessageBox.Yes

    def leave(self, *, switch: bool) -> bool:
        """Ctrl+Q (sign out and quit) or Ctrl+Shift+Q (switch user: back to the sign-in,
        keeping this PC's window); asks first when a customer is at the window."""
        if not self.may_leave():
            return False
        self.switch_user = switch
        self._asked = True
        self.close()
        return True

    def closeEvent(self, event):  # noqa: N802 - Qt name
        if event.spontaneous() and not getattr(self, "_asked", False) and \
                not self.may_leave():   # Alt+F4 / the title bar's ×
            event.ignore()
            return
        self._health.stop()
        self.health_jobs.wait(5.0)
        ws = getattr(self, "workstation", None)
        if ws is not None:
            ws.figure_jobs.wait(5.0)
        if self.customer_screen is not None:  # its own window (issue 17.8): close it too
            self.customer_screen.shutdown()
            self.customer_screen.close()
        for panel in self.panels.values():
            shutdown = getattr(panel, "shutdown", None)
            if shutdown is not None:
                shutdown()
        super().closeEvent(event)
