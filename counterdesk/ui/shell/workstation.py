"""What the clerk workstation adds to the main window once the panels are loaded.

F1 cheat sheet, the View menu (display settings, larger/smaller text, high contrast,
language), shortcuts in every tooltip, the splitter sizes for 1366×768 and 1920×1080,
today's figures in the status bar (from :mod:`counterdesk.workstation`), and the
"window paused" banner in its own strip above the work area.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle

from ... import i18n, workstation
from .. import policy as policy_ui
from ..widgets.jobs import Job, Jobs
from . import cheatsheet, settings_dialog, staff_admin

log = logging.getLogger(__name__)


def splitter_sizes(width: int) -> list[int]:
    """Queue | business | prompts: the prompt panel keeps 260–460 px, the queue 240–420."""
    side = max(240, min(420, int(width * 0.2)))
    prompt = max(260, min(460, int(width * 0.22)))
    return [side, max(400, width - side - prompt), prompt]


class Workstation(QObject):
    """Controller of the window-wide pieces; lives as long as the main window."""

    FIGURES_MS = 60_000

    def __init__(self, mw):
        super().__init__(mw)
        self.mw = mw
        self.bench = mw.bench
        self.settings = mw.bench.settings
        self._build_actions()
        self._build_banner()
        self._user_sized = False
        mw.splitter.splitterMoved.connect(self._splitter_moved)
        mw.installEventFilter(self)
        self.fit_splitter()
        bar = mw.style().pixelMetric(QStyle.PM_ScrollBarExtent)
        for scroll, w, lo in ((mw.queue_scroll, mw.queue_area, 220),
                              (mw.prompt_scroll, mw.prompt_area, 240)):
            w.setMinimumWidth(lo)  # the columns scroll up and down, never sideways
            scroll.setMinimumWidth(max(lo, w.minimumSizeHint().width()) + bar)
        b = self.bench
        for sig in (b.stats_changed, b.ticket_finished, b.payment_committed):
            sig.connect(self.refresh_figures)
        queue_panel = mw.panels.get("queue")
        if hasattr(queue_panel, "own_pause_box"):  # one pause sign, in the strip: no jump
            queue_panel.own_pause_box = False
        b.window_paused.connect(self.show_paused)
        b.window_resumed.connect(self.hide_paused)
        self._timer = QTimer(self)
        self._timer.setInterval(self.FIGURES_MS)
        self._timer.timeout.connect(self.refresh_figures)
        self._fresh = True  # figures just read; the first Show needs no second read
        self._figures_seq = 0
        self.figures = None   # today's figures once read
        self.figure_jobs = Jobs(mw.status_today)   # the wait cursor over the figures only
        self.refresh_figures()
        cheatsheet.decorate_tooltips(mw)

    # -- layout ------------------------------------------------------------------
    def fit_splitter(self) -> None:
        if not self._user_sized:
            self.mw.splitter.setSizes(splitter_sizes(self.mw.width()))

    def _splitter_moved(self, *_args) -> None:
        self._user_sized = True

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if obj is self.mw and event.type() == QEvent.Hide:
            self._timer.stop()  # a closed or hidden window asks the database nothing
        elif obj is self.mw and event.type() == QEvent.Show and not self._timer.isActive():
            self._timer.start()  # only a shown window polls: none outlives its window
            if not self._fresh:
                QTimer.singleShot(0, self.refresh_figures)
            self._fresh = False
        if obj is self.mw and event.type() in (QEvent.Resize, QEvent.Show):
            QTimer.singleShot(0, self.fit_splitter)
        return False

    # -- menus -------------------------------------------------------------------
    def _build_actions(self) -> None:
        mw = self.mw
        self.action_cheatsheet = QAction(self.tr("Keyboard shortcuts"), mw)
        self.action_cheatsheet.setObjectName("action_cheatsheet")
        self.action_cheatsheet.setShortcut(QKeySequence(Qt.Key_F1))
        self.action_cheatsheet.setShortcutContext(Qt.WindowShortcut)
        self.action_cheatsheet.triggered.connect(self.show_cheatsheet)
        mw.menu_help.insertAction(mw.menu_help.actions()[0] if mw.menu_help.actions() else None,
                                  self.action_cheatsheet)

        view = mw.menu_view
        view.addSeparator()
        self.action_settings = QAction(self.tr("Settings of this PC…"), mw)
        self.action_settings.setObjectName("action_display_settings")
        self.action_settings.triggered.connect(self.open_settings)
        self.action_larger = QAction(self.tr("Larger text"), mw)
        self.action_larger.setObjectName("action_larger_text")
        self.action_larger.setShortcut(QKeySequence("Ctrl+="))
        self.action_larger.triggered.connect(lambda: self.step_font(+0.1))
        self.action_smaller = QAction(self.tr("Smaller text"), mw)
        self.action_smaller.setObjectName("action_smaller_text")
        self.action_smaller.setShortcut(QKeySequence("Ctrl+-"))
        self.action_smaller.triggered.connect(lambda: self.step_font(-0.1))
        self.action_contrast = QAction(self.tr("High contrast"), mw)
        self.action_contrast.setObjectName("action_high_contrast")
        self.action_contrast.setCheckable(True)
        self.action_contrast.setChecked(self.settings.ui.high_contrast)
        self.action_contrast.toggled.connect(self.set_contrast)
        for a in (self.action_larger, self.action_smaller, self.action_contrast,
                  self.action_settings):
            view.addAction(a)
        # staff accounts: everyone's own password; a manager's list of the hall's accounts
        self.action_password = QAction(self.tr("Change my password…"), mw)
        self.action_password.setObjectName("action_change_password")
        self.action_password.triggered.connect(self.change_password)
        quit_action = getattr(mw, "action_quit", None)
        mw.menu_file.insertAction(quit_action if quit_action in mw.menu_file.actions()
                                  else None, self.action_password)
        self.action_staff = None
        if self.bench.actor.is_manager:
            self.action_staff = QAction(self.tr("Staff accounts…"), mw)
            self.action_staff.setObjectName("action_staff_accounts")
            self.action_staff.triggered.connect(self.open_staff_admin)
            mw.menu_manage.addAction(self.action_staff)
        self.action_policy = policy_ui.install(mw, self.bench.db, self.bench.actor)
        lang_menu = view.addMenu(self.tr("Language"))
        self.language_group = QActionGroup(mw)
        for code, name in (("zh_CN", "简体中文"), ("en", "English")):
            a = QAction(name, mw)
            a.setCheckable(True)
            a.setData(code)
            a.setChecked(i18n.normalise(self.settings.ui.language) == code)
            self.language_group.addAction(a)
            lang_menu.addAction(a)
        self.language_group.triggered.connect(self.set_language)

    def show_cheatsheet(self):
        dlg = cheatsheet.CheatSheet(self.mw)
        dlg.open()
        self.cheatsheet_dialog = dlg
        return dlg

    def change_password(self):
        dlg = staff_admin.ChangePassword(self.bench.db, self.bench.actor, self.mw)
        dlg.accepted.connect(lambda: self.bench.status_message.emit(
            self.tr("Your password is changed.")))
        dlg.open()
        self.password_dialog = dlg
        return dlg

    def open_staff_admin(self):
        dlg = staff_admin.StaffAdmin(self.bench.db, self.bench.actor, self.mw)
        dlg.open()
        self.staff_dialog = dlg
        return dlg

    def open_settings(self):
        dlg = settings_dialog.SettingsDialog(self.settings, self.mw)
        dlg.accepted.connect(self.restyle)
        dlg.accepted.connect(lambda: self.action_contrast.setChecked(
            self.settings.ui.high_contrast))
        dlg.open()
        self.settings_dialog = dlg
        return dlg

    def step_font(self, delta: float) -> None:
        value = settings_dialog.step_font(self.settings, delta)
        self.bench.status_message.emit(self.tr("Text size %1×").replace("%1", f"{value:.1f}"))

    def set_contrast(self, on: bool) -> None:
        settings_dialog.toggle_contrast(self.settings, on)
        self.restyle()

    def restyle(self) -> None:
        """Panels with their own colours follow the theme (``apply_contrast(on)``)."""
        for panel in self.mw.panels.values():
            apply = getattr(panel, "apply_contrast", None)
            if apply is not None:
                apply(bool(self.settings.ui.high_contrast))

    def set_language(self, action: QAction) -> None:
        self.settings.ui.language = action.data()
        try:
            self.settings.save()
        except OSError as exc:
            self.bench.status_message.emit(str(exc.strerror or exc))
            return
        self.bench.status_message.emit(self.tr("The language changes at the next sign-in."))

    # -- status bar --------------------------------------------------------------
    def refresh_figures(self, *_args) -> Job:
        """Read today's figures off the GUI thread (the wait cursor over them meanwhile);
        figures of an older request that arrive after a newer one are dropped."""
        self._figures_seq += 1
        seq = self._figures_seq
        return self.figure_jobs.run(
            workstation.today_figures, self.bench.db, self.bench.actor,
            on_done=lambda f: seq == self._figures_seq and self._show_figures(f),
            on_error=lambda exc: log.info("today's figures unavailable: %s",
                                          type(exc).__name__))

    def _show_figures(self, f) -> None:
        parts = []
        if f.served is not None:
            parts.append(self.tr("Today: %1 served").replace("%1", str(f.served)))
        if f.takings_fen is not None:
            parts.append(self.tr("takings ￥%1").replace("%1", workstation.yuan(f.takings_fen)))
        elif f.payments is not None:  # blind count: business done, not money
            parts.append(self.tr("%1 payments").replace("%1", str(f.payments)))
        self.mw.status_today.setText(", ".join(parts))
        if f.pending_receipts:
            self.mw.status_pending.setText(self.tr("Receipts waiting: %1").replace(
                "%1", str(f.pending_receipts)))
            self.mw.status_pending.setStyleSheet("color: white; background: #c0392b;")
        elif f.pending_receipts == 0:
            self.mw.status_pending.setText("")
            self.mw.status_pending.setStyleSheet("")
        self.figures = f

    # -- paused banner -------------------------------------------------------------
    def _build_banner(self) -> None:
        """Issue 18.14: one line in the window's state strip, above the work area; the
        strip keeps its height whether paused or not, so nothing moves or is covered."""
        strip = self.mw.state_strip
        self.banner = QLabel(strip)
        self.banner.setObjectName("paused_banner")
        self.banner.setAlignment(Qt.AlignCenter)
        self.banner.setStyleSheet("background: #b00020; color: white; font-weight: bold;"
                                  "padding: 2px 8px;")
        self.banner.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # long reasons elide
        f = self.banner.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.banner.setFont(f)
        strip.layout().addWidget(self.banner)
        strip.setFixedHeight(self.banner.sizeHint().height())
        self.banner.hide()

    def show_paused(self, pause: dict) -> None:
        reason = str(pause.get("reason") or pause.get("reason_text") or "")
        until = str(pause.get("expected_until") or pause.get("until") or "")
        if "T" in until:
            until = until.split("T", 1)[1][:5]
        parts = [self.tr("This window is paused")]
        if reason:
            parts.append(self.tr("Reason: %1").replace("%1", reason))
        if until:
            parts.append(self.tr("Back at %1").replace("%1", until))
        parts.append(self.tr("F7 resumes the service"))
        text = "  ·  ".join(parts)
        self.banner.setToolTip(text)
        self.banner.setText(text)
        self.banner.show()

    def hide_paused(self, *_args) -> None:
        self.banner.hide()

    @property
    def paused_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""


def install(mw) -> Workstation:
    ws = Workstation(mw)
    mw.workstation = ws
    return ws
