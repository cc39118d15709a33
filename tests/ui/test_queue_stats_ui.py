"""pytest-qt: the manager's queue statistics (table model, chart, CSV export)."""

from __future__ import annotations

import datetime as dt

from counterdesk import clock, queue, staff
from counterdesk.settings import Settings
from counterdesk.ui.queue.stats import QueueStatsDialog, StatsModel
from counterdesk.ui.shell.bus import Workbench

T0 = dt.datetime(2026, 11, 22, 10, 0, 0)


def test_statistics_dialog_table_chart_and_csv(qtbot, demo_db, manager, tmp_path):
    clock.set_now(T0)
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    for _ in range(3):
        queue.issue(demo_db, kiosk, "A")
    w1 = staff.sign_in(demo_db, "1001", "123456", window=1)
    clock.set_now(T0 + dt.timedelta(minutes=5))
    queue.call_next(demo_db, w1)
    clock.set_now(T0 + dt.timedelta(minutes=9))
    queue.finish(demo_db, w1)
    dlg = QueueStatsDialog(Workbench(demo_db, manager, Settings()))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.is_ready, timeout=10_000)
    total = dlg.model.rows[0]
    assert (total["group"], total["tickets"], total["finished"]) == ("total", 3, 1)
    assert dlg.model.data(dlg.model.index(0, 5)) == "5:00"      # average wait
    assert "10:00" in dlg.busiest.text()
    dlg.group.setCurrentIndex(dlg.group.findData("clerk"))
    assert [r["key"] for r in dlg.model.rows] == ["1001"]
    dlg.chart.grab()                                            # paints without error
    path = dlg.export(tmp_path / "q.csv")
    assert "1001" in path.read_text(encoding="utf-8-sig")


def test_stats_model(qtmodeltester):
    m = StatsModel()
    m.set_rows([{"group": "service", "key": "A", "name": "缴费", "tickets": 3, "finished": 2,
                 "no_shows": 1, "avg_wait": 65, "p90_wait": None, "avg_service": 30,
                 "p90_service": 30}])
    qtmodeltester.check(m)
    assert m.data(m.index(0, 5)) == "1:05" and m.data(m.index(0, 6)) == "-"


def test_statistics_are_read_off_the_gui_thread(qtbot, demo_db, manager, monkeypatch):
    """Issue 16.2: the figures are read on a worker thread ("Working…", Show disabled);
    figures of an older request that arrive late are dropped."""
    import threading

    clock.set_now(T0)
    threads, gate = [], threading.Event()
    real = queue.statistics

    def statistics(db, hall, day_from, day_to):
        threads.append(threading.current_thread())
        if len(threads) == 1:
            gate.wait(10)          # the first request answers late
            return {**real(db, hall, day_from, day_to), "busiest_hours": ["OLD"]}
        return real(db, hall, day_from, day_to)

    monkeypatch.setattr(queue, "statistics", statistics)
    dlg = QueueStatsDialog(Workbench(demo_db, manager, Settings()))
    qtbot.addWidget(dlg)
    first = dlg.jobs._running and next(iter(dlg.jobs._running))
    assert dlg.busy.isVisibleTo(dlg) and not dlg.btn_load.isEnabled()
    dlg.load()
    qtbot.waitUntil(lambda: dlg.stats is not None, timeout=10_000)
    gate.set()
    with qtbot.waitSignal(first.finished, timeout=10_000):
        pass
    assert "OLD" not in dlg.busiest.text()
    assert threading.main_thread() not in threads
    qtbot.waitUntil(lambda: dlg.is_ready, timeout=10_000)
    assert dlg.btn_load.isEnabled() and not dlg.busy.isVisibleTo(dlg)
