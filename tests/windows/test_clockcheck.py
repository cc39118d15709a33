"""Issue 17.11: on PostgreSQL a PC whose clock is off the server's takes no money."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk import clockcheck
from counterdesk.errors import Conflict


def test_compare_names_both_times():
    server = dt.datetime(2026, 12, 3, 8, 0, 0, tzinfo=dt.UTC)
    pc = server + dt.timedelta(minutes=5)
    skew = clockcheck.compare(server, pc, limit=120)
    assert not skew.ok and skew.seconds == 300
    zh, en = skew.texts()
    here = lambda t: t.astimezone().strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    assert here(pc) in zh and here(server) in zh and "300 秒" in zh and "120 秒" in zh
    assert clockcheck.compare(server, server + dt.timedelta(seconds=119)).ok


def test_sqlite_has_no_second_clock(sqlite_db):
    assert clockcheck.measure(sqlite_db) is None


@pytest.mark.pg
def test_money_refused_when_the_pc_clock_is_off(demo_db, monkeypatch):
    db = demo_db
    from counterdesk import dayguard
    from counterdesk.models.core import Hall

    if not db.is_postgres:
        pytest.skip("PostgreSQL only: SQLite has no server clock")
    skew = clockcheck.measure(db)
    assert skew is not None and skew.ok  # one machine: the clocks agree
    with db.write() as s:
        hall = s.query(Hall).first()
        if hall is None:
            pytest.skip("no hall in this database")
        hall_id = hall.id
    real = clockcheck.pc_now
    monkeypatch.setattr(clockcheck, "pc_now", lambda: real() - dt.timedelta(hours=25))
    assert not clockcheck.measure(db).ok
    with pytest.raises(Conflict) as exc:
        with db.write() as s:
            dayguard.ensure_open(s, hall_id, dt.date.today())
    assert "数据库服务器时钟" in exc.value.zh and exc.value.field == "clock"
    monkeypatch.setattr(clockcheck, "pc_now", real)
    with db.write() as s:
        dayguard.ensure_open(s, hall_id, dt.date.today())
