"""Issue 16 point 2: the hall display on a silent network — its banner within 5 s of
losing the database, recovery when the network comes back, and a clean quit with a poll
hanging in flight (no "QThread: Destroyed while thread is still running")."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk import clock, queue, staff
from counterdesk.db import Database
from counterdesk.settings import Settings
from counterdesk.ui.hall.display import Display
from counterdesk.ui.hall.voice_player import VoicePlayer
from tests.helpers.proxy import PgProxy


@pytest.fixture
def far_display(qtbot, demo_db):
    if not demo_db.is_postgres:
        pytest.skip("a silent network between the display and PostgreSQL")
    clock.set_now(dt.datetime(2026, 11, 22, 10, 0, 0))
    proxy = PgProxy.for_url(demo_db.url)
    far = Database(proxy.url(demo_db.url), schema=demo_db.schema)
    d = Display(far, Settings(), player=VoicePlayer(lambda data: None), threaded=True,
                hold_ms=0)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.is_ready, timeout=10_000)
    yield d, proxy
    d.shutdown()
    proxy.close()
    far.dispose()


@pytest.mark.pg
def test_banner_within_5s_of_a_silent_network_and_recovery(qtbot, demo_db, far_display):
    d, proxy = far_display
    qtbot.waitUntil(lambda: d.poller.ok is True, timeout=10_000)
    proxy.mode = "blackhole"
    qtbot.waitUntil(lambda: d.banner.isVisible(), timeout=5_000)
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    queue.issue(demo_db, kiosk, "A")
    queue.call_next(demo_db, staff.sign_in(demo_db, "1001", "123456", window=1))
    proxy.mode = "pass"                       # the cable is plugged in again
    qtbot.waitUntil(lambda: not d.banner.isVisible() and "A001" in d.current.text(),
                    timeout=20_000)


@pytest.mark.pg
def test_quit_with_a_poll_hanging(qtbot, demo_db, far_display):
    d, proxy = far_display
    qtbot.waitUntil(lambda: d.poller.ok is True, timeout=10_000)
    proxy.mode = "blackhole"
    qtbot.waitUntil(lambda: d.banner.isVisible(), timeout=5_000)
    d.poller.STOP_WAIT_MS = 200               # the poll hangs: the thread is left to end
    d.close()                                 # returns; the poll ends when the proxy closes
    d.shutdown()


@pytest.mark.pg
def test_kiosk_stays_responsive_and_answers_on_a_silent_network(qtbot, demo_db):
    """The ticket is issued off the GUI thread: the press returns at once, the buttons
    are disabled meanwhile; the silent network is cut at the service deadline and the
    customer is told to try again (no 70 s frozen screen)."""
    if not demo_db.is_postgres:
        pytest.skip("a silent network between the kiosk and PostgreSQL")
    from counterdesk.ui.hall.kiosk import Kiosk

    clock.set_now(dt.datetime(2026, 11, 22, 10, 0, 0))
    proxy = PgProxy.for_url(demo_db.url)
    far = Database(proxy.url(demo_db.url), schema=demo_db.schema)
    k = Kiosk(far, Settings(), poll=False, threaded=False)
    qtbot.addWidget(k)
    k.show()
    qtbot.waitUntil(lambda: k.is_ready, timeout=10_000)
    try:
        proxy.freeze_after(b"INSERT INTO queue_tickets")   # silent in the middle of the issue
        with qtbot.waitSignal(k.refused, timeout=30_000) as sig:
            job = k.take("A")
            assert job is not None and not k.buttons["A"].isEnabled()
            assert k.take("A") is None                # a second press waits its turn
        assert "无法连接数据库" in sig.args[0] and k.buttons["A"].isEnabled()
        assert "try again" in k.message.text() or "重试" in k.message.text()
    finally:
        k.shutdown()
        proxy.close()
        far.dispose()
