"""The GUI step of ``counterdesk self-test --gui``: the clerk workstation really opens.

Builds the application as the workstation does (translations, fonts, theme), opens the
main window for the self-test's signed-in clerk with every panel of this build, lets
it process its first events, and closes it again (panels shut down). In the frozen
bundle this catches a panel whose module or resources did not make it into the build.
Run it with ``QT_QPA_PLATFORM=offscreen`` on a machine without a screen.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def check_workstation(db, actor, settings=None) -> str:
    from ... import settings as settings_mod

    settings = settings or settings_mod.Settings()
    app = QApplication.instance()
    translated = ""
    if app is None:  # a real start: set the application up like the workstation does
        from PySide6.QtCore import QTranslator

        from .app import create_app

        app = create_app(settings, sys.argv[:1])
        translated = f", {len(app.findChildren(QTranslator))} translation files"
    from .mainwindow import MainWindow

    win = MainWindow(db, actor, settings)
    try:
        win.show()
        app.processEvents()
        if not win.isVisible():
            raise RuntimeError("the main window did not show")
        panels = sorted(win.panels)
    finally:
        win.close()
        win.deleteLater()
        app.processEvents()
    return f"main window with {len(panels)} panels ({', '.join(panels) or 'none'}){translated}"
