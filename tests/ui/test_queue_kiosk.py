"""pytest-qt: the ticket kiosk — press → saved → printed (bytes on a TCP printer)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from counterdesk import clock, queue
from counterdesk.models import ServiceType
from counterdesk.print.escpos_doc import decode
from counterdesk.settings import Settings
from counterdesk.ui.hall.kiosk import Kiosk
from tests.conftest import closed_port

T0 = dt.datetime(2026, 11, 22, 10, 0, 0)


def _kiosk(qtbot, db, uri):
    clock.set_now(T0)
    s = Settings()
    s.printer.uri = uri
    s.printer.timeout = 2.0
    k = Kiosk(db, s, poll=False, threaded=False)
    qtbot.addWidget(k)
    k.show()
    qtbot.waitUntil(lambda: k.is_ready)   # the hall is read off the GUI thread
    return k


def test_press_saves_then_prints_the_ticket(qtbot, demo_db, printer):
    k = _kiosk(qtbot, demo_db, printer.uri + "?width=58")
    queue.issue(demo_db, queue.kiosk_actor(demo_db, "HQ01"), "A")   # one waiting already
    with qtbot.waitSignal(k.printed, timeout=5000) as sig:
        qtbot.mouseClick(k.buttons["A"], Qt.LeftButton)
    assert sig.args[0]["number"] == "A002"
    text = decode(printer.wait_for(1)[0])
    assert "A002" in text and "缴费" in text and "滨江燃气人民路营业厅" in text
    assert "前面还有 1 人" in text and "2026-11-22 10:00" in text and "过号" in text
    assert b"\x1d!\x33" in printer.jobs[0]          # number printed 4× wide and tall


def test_priority_toggle_marks_the_ticket_and_resets(qtbot, demo_db, printer):
    k = _kiosk(qtbot, demo_db, printer.uri)
    k.priority.setChecked(True)
    with qtbot.waitSignal(k.printed, timeout=5000) as sig:
        k.take("B")
    assert sig.args[0]["priority"] is True and not k.priority.isChecked()
    assert "绿色通道" in decode(printer.wait_for(1)[0])


def test_print_failure_shows_the_number_large_and_keeps_the_ticket(qtbot, demo_db):
    k = _kiosk(qtbot, demo_db, f"tcp://127.0.0.1:{closed_port()}")
    with qtbot.waitSignal(k.print_failed, timeout=8000) as sig:
        k.take("A")
    assert sig.args[0]["number"] == "A001"
    assert k.number.text() == "A001" and "A001" in k.message.text()
    assert [t.number for t in queue.list_tickets(demo_db, k.actor.hall_id)] == ["A001"]


@pytest.mark.parametrize("mode,query", [("stall", "?timeout=1"), ("keep-open", "?timeout=1"),
                                        ("paper-out", "?status=1&timeout=1"),
                                        ("paper-out", "?timeout=1")])
def test_a_ticket_that_did_not_print_is_never_take_your_ticket(qtbot, demo_db, printer_factory,
                                                                mode, query):
    p = printer_factory(mode)
    k = _kiosk(qtbot, demo_db, p.uri + query)
    with qtbot.waitSignal(k.print_failed, timeout=8000) as sig:
        k.take("A")
    assert sig.args[0]["number"] == "A001" and sig.args[1]
    assert k.number.text() == "A001" and "A001" in k.message.text()
    assert p.jobs == []


def test_no_window_serves_it_refused_before_printing(qtbot, demo_db, printer):
    with demo_db.write() as s:
        s.add(ServiceType(hall_id=1, letter="E", name="燃气具销售"))
    k = _kiosk(qtbot, demo_db, printer.uri)
    k.apply_snapshot(queue.snapshot(demo_db, k.actor.hall_id))
    assert "E" in k.buttons
    with qtbot.assertNotEmitted(k.ticket_issued):
        with qtbot.waitSignal(k.refused) as sig:
            qtbot.mouseClick(k.buttons["E"], Qt.LeftButton)
    assert "暂无窗口办理" in sig.args[0] and "暂无窗口办理" in k.message.text()
    assert queue.list_tickets(demo_db, k.actor.hall_id) == []
    assert printer.jobs == []


def test_kiosk_reads_its_hall_off_the_gui_thread_and_retries(qtbot, demo_db, printer,
                                                             monkeypatch):
    """Issue 16: the kiosk opens without waiting on the database; a database that does
    not answer at start gives the banner, and the kiosk asks again by itself."""
    from counterdesk.errors import DatabaseUnavailable

    real, calls = queue.kiosk_actor, []

    def first_fails(db, code):
        calls.append(code)
        if len(calls) == 1:
            raise DatabaseUnavailable("无法连接数据库", "database unavailable")
        return real(db, code)

    monkeypatch.setattr(queue, "kiosk_actor", first_fails)
    monkeypatch.setattr(Kiosk, "RETRY_MS", 50)
    clock.set_now(T0)
    s = Settings()
    s.printer.uri = printer.uri
    k = Kiosk(demo_db, s, poll=False, threaded=False)
    qtbot.addWidget(k)
    k.show()
    assert not k.is_ready and k.jobs.busy and k.take("A") is None   # still finding the hall
    assert k.message.text()                                          # "one moment"
    qtbot.waitUntil(lambda: k.banner.isVisibleTo(k), timeout=5000)   # the first try failed
    qtbot.waitUntil(lambda: k.is_ready, timeout=5000)                # the retry found it
    assert len(calls) == 2 and not k.banner.isVisibleTo(k) and "A" in k.buttons
    with qtbot.waitSignal(k.printed, timeout=5000):
        qtbot.mouseClick(k.buttons["A"], Qt.LeftButton)
