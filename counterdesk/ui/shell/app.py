"""Qt application set-up shared by the workstation, the kiosk and the display.

Translations (Qt Linguist ``.qm`` from ``resources/translations``), the bundled CJK
font, theme and font scale, logging and an exception hook that logs and shows a
dialog instead of vanishing.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from ... import __version__, i18n, logsetup, resources_access
from ...errors import CounterDeskError, DatabaseError
from ...platform import windows
from ..widgets import gcguard
from ..widgets.theme import ContrastKeeper

log = logging.getLogger(__name__)

_translators: list[QTranslator] = []
_app_font_family: str | None = None
_keeper: ContrastKeeper | None = None


def load_translations(app: QApplication, lang: str) -> int:
    """Install every ``*_<lang>.qm`` of the resources; returns how many were loaded."""
    for tr in _translators:
        app.removeTranslator(tr)
    _translators.clear()
    if lang == "en":
        return 0  # source strings are English
    folder = resources_access.path("translations")
    count = 0
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        if entry.name.endswith(f"_{lang}.qm"):
            tr = QTranslator(app)
            with resources_access.as_file("translations", entry.name) as real:
                ok = tr.load(str(real))
            if ok:
                app.installTranslator(tr)
                _translators.append(tr)
                count += 1
    return count + load_qt_translations(app, lang)


def _qt_translation_dirs() -> list[str]:
    """Where Qt's own ``qtbase_*.qm`` are: Qt's translations path, or PySide6's folder
    (the frozen bundle keeps them under ``PySide6/Qt/translations`` or ``PySide6/translations``)."""
    import PySide6

    base = Path(PySide6.__file__).parent
    dirs = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            str(base / "Qt" / "translations"), str(base / "translations")]
    return [d for d in dict.fromkeys(dirs) if d and Path(d).is_dir()]


def load_qt_translations(app: QApplication, lang: str) -> int:
    """Issue 17.9: Qt's own strings (OK/Cancel/Save/Retry/Close of standard buttons,
    context menus of text fields) in the chosen language; 1 if loaded, else 0."""
    for folder in _qt_translation_dirs():
        tr = QTranslator(app)
        if tr.load(f"qtbase_{lang}", folder):
            app.installTranslator(tr)
            _translators.append(tr)
            return 1
    log.warning("Qt's own translation qtbase_%s.qm not found", lang)
    return 0


def load_fonts() -> str | None:
    """Register the bundled CJK font (Linux test machines have none; Windows has its own)."""
    global _app_font_family
    if _app_font_family is not None:
        return _app_font_family
    fonts = resources_access.path("fonts")
    try:
        entries = list(fonts.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return None
    for entry in entries:
        if entry.name.lower().endswith((".ttf", ".otf", ".ttc")):
            fid = QFontDatabase.addApplicationFontFromData(entry.read_bytes())
            fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if fams:
                _app_font_family = fams[0]
    return _app_font_family


def apply_theme(app: QApplication, *, font_scale: float = 1.0, high_contrast: bool = False) -> None:
    global _keeper
    if _keeper is None:  # issue 18.5: text below 4.5:1 on its background is made readable
        _keeper = ContrastKeeper(app)
        app.installEventFilter(_keeper)
    font = QFont(app.font())
    preferred = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"]
    if _app_font_family:
        preferred.append(_app_font_family)
    font.setFamilies(preferred)
    font.setPointSizeF(10.5 * font_scale)
    app.setFont(font)
    if high_contrast:
        pal = QPalette()
        pal.setColor(QPalette.Window, QColor("black"))
        pal.setColor(QPalette.WindowText, QColor("white"))
        pal.setColor(QPalette.Base, QColor("black"))
        pal.setColor(QPalette.AlternateBase, QColor("#202020"))
        pal.setColor(QPalette.Text, QColor("yellow"))
        pal.setColor(QPalette.Button, QColor("#101010"))
        pal.setColor(QPalette.ButtonText, QColor("white"))
        pal.setColor(QPalette.Highlight, QColor("yellow"))
        pal.setColor(QPalette.HighlightedText, QColor("black"))
        app.setPalette(pal)
    else:
        app.setPalette(app.style().standardPalette())
    _keeper.refresh(app)


def show_error(parent, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Critical, title, text, QMessageBox.Ok, parent)
    box.exec()


def _excepthook(exc_type, exc, tb):
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, CounterDeskError):
        log.info("refusal reached the event loop: %s", type(exc).__name__)
        text = exc.message
    else:
        log.error("unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        text = QApplication.translate(
            "App", "An unexpected error occurred. It has been written to the log file; "
                   "please tell IT. Nothing you saved was lost.")
    app = QApplication.instance()
    if app is not None and not app.property("cd_testing"):
        show_error(app.activeWindow(), QApplication.translate("App", "CounterDesk"), text)


def create_app(settings, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    gcguard.install(app)  # garbage is collected on the GUI thread only (widgets/gcguard.py)
    app.setApplicationName("CounterDesk")
    app.setOrganizationName("CounterDesk")
    app.setApplicationVersion(__version__)
    windows.create_mutex()  # issue 17.10: the installer waits for a running copy
    lang = i18n.normalise(settings.ui.language)
    i18n.set_language(lang)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China) if lang != "en"
                       else QLocale(QLocale.English, QLocale.UnitedStates))
    load_translations(app, lang)
    load_fonts()
    apply_theme(app, font_scale=settings.ui.font_scale, high_contrast=settings.ui.high_contrast)
    app.setAttribute(Qt.AA_DontShowIconsInMenus, False)
    from . import startup  # issue 9: icon; COUNTERDESK_QUIT_AFTER_MS / _SHOWN_MARKER switches

    startup.set_icon(app)
    startup.install(app)
    return app


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def open_database(ctx, parent=None):
    """Open (and migrate) the database; on a known fault offer Retry. None if given up."""
    try:
        from . import first_run  # issue 9: kiosk and display PCs get the first-run dialog too
    except ImportError:
        first_run = None
    if first_run is not None and first_run.needed(ctx) and not first_run.run(ctx):
        return None
    while True:
        try:
            return ctx.database()
        except DatabaseError as exc:
            ctx.close()
            if first_run is not None:  # issue 9: Retry / Change settings… / Quit
                if first_run.database_problem(ctx, exc.message, parent) == "quit":
                    return None
                continue
            box = QMessageBox(QMessageBox.Warning, QApplication.translate("App", "Database"),
                              exc.message, QMessageBox.Retry | QMessageBox.Cancel, parent)
            if box.exec() != QMessageBox.Retry:
                return None


def _single_instance(program: str):
    """The mode's lock, or None after telling the user it is already running here."""
    from . import instance

    held = instance.acquire(program)
    if held is None:
        text = QApplication.translate("App", "CounterDesk (%1) is already running on this "
                                      "PC. Use the open window.").replace("%1", program)
        print(text, file=sys.stderr)
        if QApplication.platformName() != "offscreen":
            show_error(None, QApplication.translate("App", "CounterDesk"), text)
    return held


def run_workstation(ctx) -> int:
    """``counterdesk`` with no verb: sign in, then the clerk workstation."""
    logsetup.setup("workstation")
    if ctx.args.lang:  # this run only (issue 18.17)
        ctx.settings.override("ui.language", ctx.args.lang)
    app = create_app(ctx.settings)
    install_excepthook()
    held = _single_instance("workstation")
    if held is None:
        return 0
    try:
        from . import first_run  # issue 9: settings dialog on the first start
    except ImportError:
        first_run = None
    if first_run is not None and first_run.needed(ctx):
        if not first_run.run(ctx):
            return 1
    from .signin import SignInDialog

    # The sign-in window comes first, and the database (SQLAlchemy, the models, the schema
    # check) opens right after it is painted: the clerk types while it connects.
    dlg = SignInDialog(None, ctx.settings)
    dlg.show()
    app.processEvents()
    opened: list = []

    def connect() -> None:
        db = open_database(ctx, dlg)
        if db is None:
            dlg.reject()
            return
        opened.append(db)
        dlg.set_database(db)
        from . import startup

        startup.mark_ready("SignInDialog")
        from ... import setup

        if setup.needs_first_hall(db):   # issue 18.6: nobody could sign in
            from .first_hall import FirstHallDialog

            first = FirstHallDialog(db, ctx.settings, dlg)
            if first.exec() == first.DialogCode.Accepted:
                dlg.actor = first.actor
                dlg.accept()

    QTimer.singleShot(0, connect)
    if dlg.exec() != dlg.DialogCode.Accepted:
        return 0 if opened else 1
    from .mainwindow import MainWindow

    while True:
        win = MainWindow(opened[0], dlg.actor, ctx.settings)
        win.show()
        code = app.exec()
        if not win.switch_user:   # issue 18.16: 切换用户/注销 goes back to the sign-in
            return code
        window = dlg.actor.window
        win.deleteLater()
        dlg = SignInDialog(opened[0], ctx.settings)
        dlg.window_no.setValue(window or 0)   # the PC keeps its window
        if dlg.exec() != dlg.DialogCode.Accepted:
            return 0


def run_screen(ctx, factory, *, windowed: bool = False, size: tuple[int, int] = (1600, 900),
               program: str = "display") -> int:
    """Run a full-screen mode (kiosk, display): app set-up, database, the screen, exit code.

    ``factory(db, settings)`` builds the screen; it may have ``shutdown()``. ``program``
    names its log file. While it runs Windows keeps the display and the PC awake.
    """
    logsetup.setup(program)
    app = create_app(ctx.settings)
    install_excepthook()
    held = _single_instance(program)
    if held is None:
        return 0
    db = open_database(ctx)
    if db is None:
        return 1
    screen = factory(db, ctx.settings)
    screen.setWindowTitle("CounterDesk")
    if windowed:
        screen.resize(*size)
        screen.show()
    else:
        screen.showFullScreen()
    windows.keep_awake()  # issue 17.4: the display and the kiosk never go dark
    try:
        code = app.exec()
    finally:
        windows.allow_sleep()
    shutdown = getattr(screen, "shutdown", None)
    if shutdown is not None:
        shutdown()
    return code
