"""pytest-qt: the hall display — announcement queue, pauses, voice failures, DB loss."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from counterdesk import clock, queue, staff, voice
from counterdesk.errors import DatabaseUnavailable
from counterdesk.settings import Settings
from counterdesk.ui.hall.display import Display, RecentCallsModel, WindowsModel
from counterdesk.ui.hall.voice_player import VoicePlayer

T0 = dt.datetime(2026, 11, 22, 10, 0, 0)


class Recorder:
    def __init__(self, fail: bool = False):
        self.played: list[bytes] = []
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, data: bytes) -> None:
        with self.lock:
            self.played.append(data)
        if self.fail:
            raise OSError("no audio device")


@pytest.fixture
def hall(demo_db):
    clock.set_now(T0)
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    return demo_db, kiosk


def _display(qtbot, db, backend):
    d = Display(db, Settings(), player=VoicePlayer(backend), threaded=False, hold_ms=0)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.is_ready)   # the hall is found off the GUI thread
    return d


def test_two_calls_in_the_same_second_are_both_shown_and_announced_in_order(qtbot, hall):
    db, kiosk = hall
    rec = Recorder()
    d = _display(qtbot, db, rec)
    for _ in range(3):
        queue.issue(db, kiosk, "A")
    w1 = staff.sign_in(db, "1001", "123456", window=1)
    w2 = staff.sign_in(db, "1002", "123456", window=2)
    announced = []
    d.announced.connect(lambda e: announced.append((e["number"], e["window"])))
    queue.call_next(db, w1)          # same frozen second
    queue.call_next(db, w2)
    qtbot.waitUntil(lambda: len(announced) == 2 and len(rec.played) == 2, timeout=5000)
    assert announced == [("A001", 1), ("A002", 2)]
    assert [(r["number"], r["window"]) for r in d.recent.rows] == [("A002", 2), ("A001", 1)]
    assert "A002" in d.current.text()
    assert rec.played[0] == voice.announcement("A001", 1)
    # a recall is announced again
    queue.recall(db, w1)
    qtbot.waitUntil(lambda: len(announced) == 3, timeout=5000)
    assert announced[-1] == ("A001", 1)
    assert "A001" in d.recent.data(d.recent.index(0, 0))
    d.shutdown()


def test_paused_windows_and_waiting_counts(qtbot, hall):
    db, kiosk = hall
    d = _display(qtbot, db, Recorder())
    d.resize(1600, 1200)  # every window on one page
    queue.issue(db, kiosk, "B")
    w3 = staff.sign_in(db, "1003", "123456", window=3)
    queue.pause_window(db, w3, reason="meal", until="10:10")
    qtbot.waitUntil(lambda: any(r["pause"] for r in d.windows.rows)
                    and d.windows.pages == 1, timeout=5000)
    row = [i for i, r in enumerate(d.windows.rows) if r["number"] == 3][0]
    assert "10:10" in d.windows.data(d.windows.index(row, 1))
    assert "1" in d.waiting.text() and "B" in d.waiting.text()
    d.shutdown()


def test_voice_failure_never_breaks_the_display(qtbot, hall):
    db, kiosk = hall
    rec = Recorder(fail=True)
    d = _display(qtbot, db, rec)
    queue.issue(db, kiosk, "A")
    queue.issue(db, kiosk, "A")
    failures = []
    d.player.failed.connect(lambda k, why: failures.append(why))
    queue.call_next(db, staff.sign_in(db, "1001", "123456", window=1))
    queue.call_next(db, staff.sign_in(db, "1002", "123456", window=2))
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5000)
    qtbot.waitUntil(lambda: "A002" in d.current.text(), timeout=5000)
    d.shutdown()


def test_lost_database_shows_a_banner_and_recovers(qtbot, hall, monkeypatch):
    db, kiosk = hall
    d = _display(qtbot, db, Recorder())
    real = queue.change_version

    def down(*a, **k):
        raise DatabaseUnavailable("无法连接数据库", "Cannot reach the database")

    monkeypatch.setattr(queue, "change_version", down)
    qtbot.waitUntil(lambda: d.banner.isVisible(), timeout=5000)
    monkeypatch.setattr(queue, "change_version", real)
    queue.issue(db, kiosk, "A")
    queue.call_next(db, staff.sign_in(db, "1001", "123456", window=1))
    qtbot.waitUntil(lambda: not d.banner.isVisible() and "A001" in d.current.text(),
                    timeout=5000)
    d.shutdown()


def test_voice_phrase_and_models(qtmodeltester):
    assert voice.phrase("A012", 3) == ["chime", "qing", "letter_A", "d0", "d1", "d2", "hao",
                                       "dao", "d3", "hao", "chuangkou", "banli"]
    assert voice.window_words(12) == ["shi", "d2"] and voice.window_words(20) == ["d2", "shi"]
    assert voice.duration_s(voice.announcement("A012", 3)) > 2
    m = RecentCallsModel()
    m.add({"number": "A001", "window": 1, "at": "2026-11-22T10:00:00", "kind": "called"})
    qtmodeltester.check(m)
    w = WindowsModel()
    w.set_windows([{"number": 1, "current": None, "pause": None}])
    qtmodeltester.check(w)


def test_a_display_started_mid_day_shows_the_latest_call_without_announcing(qtbot, hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    queue.issue(db, kiosk, "A")
    queue.call_next(db, staff.sign_in(db, "1001", "123456", window=1))
    queue.call_next(db, staff.sign_in(db, "1002", "123456", window=2))
    rec = Recorder()
    d = _display(qtbot, db, rec)
    qtbot.waitUntil(lambda: "A002" in d.current.text(), timeout=5000)
    assert "2" in d.current.text() and rec.played == []
    assert [r["number"] for r in d.recent.rows] == ["A002", "A001"]


def test_more_windows_than_fit_turn_page_by_page(qtbot, hall):
    """The demo hall's 6 windows on a small screen: pages of the rows that fit, turned
    by the timer, every window shown once per round, the page named under the list."""
    db, _ = hall
    d = _display(qtbot, db, Recorder())
    d.resize(900, 560)
    qtbot.waitUntil(lambda: len(d.windows.all) == 6, timeout=5000)
    qtbot.waitUntil(lambda: d.windows.pages > 1, timeout=5000)
    per = d.windows.per_page
    assert per >= 1
    assert d.windows.rowCount() <= per and d.page_label.isVisible()
    assert d.page_label.text().endswith(f"/{d.windows.pages}")
    seen = []
    for _ in range(d.windows.pages):
        seen += [w["number"] for w in d.windows.rows]
        d.turn_page()
    assert sorted(seen) == [w["number"] for w in sorted(d.windows.all, key=lambda w: w["number"])]
    assert d.windows.page == 0  # round and back to the first page
    # a screen tall enough for all of them: one page, no page label
    d.resize(900, 1400)
    qtbot.waitUntil(lambda: d.windows.pages == 1, timeout=5000)
    assert d.windows.rowCount() == 6 and not d.page_label.isVisible()
    d.shutdown()


def test_a_poll_hanging_at_close_neither_blocks_nor_aborts(qtbot, demo_db, monkeypatch):
    """A screen closing while its poller's database call hangs (a dead server): stop()
    returns after its wait, the thread is kept until the call returns, then let go."""
    from counterdesk.ui.queue import poller as queue_poller
    from counterdesk.ui.queue.poller import QueuePoller

    entered, release = threading.Event(), threading.Event()
    real = queue.change_version

    def hanging(db, hall_id):
        entered.set()
        release.wait(30)
        return real(db, hall_id)

    hall_id = queue.kiosk_actor(demo_db, "HQ01").hall_id
    poller = QueuePoller(demo_db, hall_id, interval_ms=50, threaded=True)
    poller.STOP_WAIT_MS = 100
    monkeypatch.setattr(queue, "change_version", hanging)
    poller.start()
    assert entered.wait(10)
    thread = poller._thread
    poller.stop()                                  # returns although the poll hangs
    assert thread in queue_poller._lingering and thread.isRunning()
    release.set()
    qtbot.waitUntil(lambda: thread not in queue_poller._lingering, timeout=10000)
    assert thread.isFinished()
    poller.request()                               # after stop: nothing, no poll


def test_a_burst_of_400_events_between_two_polls_is_caught_up_in_one_poll(qtbot, hall):
    """A display stalled while 400 queue events happened: the next poll delivers every
    one of them in order (every call is listed), and announces only the newest call of
    each window (the older ones were overtaken)."""
    db, kiosk = hall
    d = _display(qtbot, db, Recorder())
    qtbot.waitUntil(lambda: d.poller._started, timeout=5000)
    got: list[dict] = []
    d.poller.events.connect(got.extend)
    announced = []
    d.announced.connect(lambda e: announced.append((e["number"], e["window"])))
    w = [staff.sign_in(db, "1001", "123456", window=1),
         staff.sign_in(db, "1002", "123456", window=2)]
    v0 = queue.change_version(db, kiosk.hall_id)
    for _ in range(134):
        queue.issue(db, kiosk, "A")
    calls = []
    for i in range(133):
        calls.append((queue.call_next(db, w[i % 2]).number, i % 2 + 1))
        queue.finish(db, w[i % 2])
    assert queue.change_version(db, kiosk.hall_id) - v0 == 400
    d.poller.poll()                                    # ONE poll cycle
    assert len(got) == 400 and [e["id"] for e in got] == sorted(e["id"] for e in got)
    assert [(e["number"], e["window"]) for e in got if e["kind"] == "called"] == calls
    assert [(r["number"], r["window"]) for r in d.recent.rows] == calls[::-1][:len(d.recent.rows)]
    assert all(r["current"] is None for r in d.windows.all)
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=5000)
    assert announced == [calls[-2], calls[-1]]
    d.shutdown()
