"""Issue 17.4: while the hall display or the kiosk runs, Windows is asked to keep the
display and the PC on; the request ends with the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from counterdesk.ui.shell import app as app_mod


def test_run_screen_keeps_windows_awake_while_it_runs(qtbot, monkeypatch):
    calls: list[str] = []

    class FakeApp:  # the real event loop would end the test session's QApplication
        def exec(self):
            calls.append("running")
            return 0

    monkeypatch.setattr(app_mod.windows, "keep_awake", lambda: calls.append("awake") or True)
    monkeypatch.setattr(app_mod.windows, "allow_sleep", lambda: calls.append("sleep") or True)
    monkeypatch.setattr(app_mod.logsetup, "setup", lambda program: calls.append(program))
    monkeypatch.setattr(app_mod, "create_app", lambda settings: FakeApp())
    monkeypatch.setattr(app_mod, "install_excepthook", lambda: None)
    monkeypatch.setattr(app_mod, "open_database", lambda ctx: object())

    class Screen(QWidget):
        def __init__(self, db, settings):
            super().__init__()

        def shutdown(self):
            calls.append("shutdown")

    screens: list[Screen] = []

    def factory(db, settings):
        screens.append(Screen(db, settings))
        qtbot.addWidget(screens[-1])
        return screens[-1]

    ctx = type("Ctx", (), {"settings": None})()
    assert app_mod.run_screen(ctx, factory, windowed=True, program="kiosk") == 0
    assert calls == ["kiosk", "awake", "running", "sleep", "shutdown"]
    assert screens[0].isVisible()
