"""pytest-qt: a first run on an empty database creates the hall and the first
administrator in a dialog, then signs them in (issue 18.6)."""

from __future__ import annotations

import threading

import pytest

from counterdesk import queue, setup, staff
from counterdesk.errors import Conflict
from counterdesk.settings import Settings
from counterdesk.ui.shell.first_hall import FirstHallDialog


def test_first_hall_dialog_creates_the_hall_and_signs_the_admin_in(qtbot, sqlite_db, tmp_path,
                                                                  monkeypatch):
    threads = []
    real = setup.first_hall

    def first_hall(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(setup, "first_hall", first_hall)
    settings = Settings()
    settings.source = tmp_path / "settings.toml"
    settings.window.number = 2
    assert setup.needs_first_hall(sqlite_db)
    dlg = FirstHallDialog(sqlite_db, settings)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.hall_name.setText("城东营业厅")
    dlg.hall_code.setText("ce01")
    dlg.windows.setValue(3)
    dlg.admin_no.setText("A001")
    dlg.admin_name.setText("王芳")
    dlg.password.setText("Secret#2026")
    dlg.password2.setText("Secret#2027")
    assert dlg.create() is None and dlg.message.text()    # passwords differ: nothing made
    assert setup.needs_first_hall(sqlite_db)
    dlg.password2.setText("Secret#2026")
    job = dlg.create()
    qtbot.waitUntil(lambda: job.done, timeout=10000)
    assert job.ok, dlg.message.text()
    assert threads and threads[0] is not threading.main_thread()  # off the GUI thread
    assert dlg.actor.role == "admin" and dlg.actor.hall_code == "CE01" and dlg.actor.window == 2
    assert settings.hall.code == "CE01" and not setup.needs_first_hall(sqlite_db)
    snap = queue.snapshot(sqlite_db, dlg.actor.hall_id)
    assert [w["number"] for w in snap["windows"]] == [1, 2, 3]
    assert snap["windows"][0]["services"] == ["A", "B", "C", "D"]
    assert staff.sign_in(sqlite_db, "A001", "Secret#2026").role == "admin"
    with pytest.raises(Conflict):                            # only on an empty database
        setup.first_hall(sqlite_db, name="x", code="X1", company="", windows=1,
                         admin_no="A002", admin_name="李", password="Secret#2026")
