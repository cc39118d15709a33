"""Issue 17.4: while the hall display or the kiosk runs, Windows is asked to keep the
display and the PC on; the request ends with the screen."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from counterdesk.ui import app as app_mod


def test_run_screen_keeps_windows_awake_while_it_runs(qapp, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(app_mod.windows, "keep_awake", lambda: calls.append("awake") or True)
    monkeypatch.setattr(app_mod.windows, "allow_sleep", lambda: calls.append("sleep") or True)
    monkeypatch.setattr(app_mod.logsetup, "setup", lambda program: calls.append(program))
    monkeypatch.setattr(app_mod, "create_app", lambda settings: qapp)
    monkeypatch.setattr(app_mod, "install_excepthook", lambda: None)
    monkeypatch.setattr(app_mod, "open_database", lambda ctx: object())

    class Screen(QWidget):
        def __init__(self, db, settings):
            super().__init__()
            QTimer.singleShot(0, lambda: calls.append("running") or qapp.quit())

        def shutdown(self):
            calls.append("shutdown")

    ctx = type("Ctx", (), {"settings": None})()
    screens: list[Screen] = []

    def factory(db, settings):
        screens.append(Screen(db, settings))
        return screens[-1]

    assert app_mod.run_screen(ctx, factory, windowed=True, program="kiosk") == 0
    assert calls == ["kiosk", "awake", "running", "sleep", "shutdown"]
    screens[0].close()
    screens[0].deleteLater()
