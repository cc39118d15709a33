"""The queue across many PCs: separate OS processes (each its own engine) issuing and
calling at once on PostgreSQL and on one SQLite file; a PostgreSQL connection killed in
the middle of a call."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import time
from collections import Counter as Tally

import pytest
from sqlalchemy import create_engine, event, func, select, text

from counterdesk import audit, clock, queue, staff
from counterdesk.errors import DatabaseError, NotFound
from counterdesk.models.queue import Ticket, TicketEvent, WindowState

ISSUERS = 4
CALLERS = 6            # windows 1-6 of the demo hall
PER_ISSUER = 20        # 80 tickets in all
DEADLINE_S = 90


def _open(url: str, schema: str | None):
    from counterdesk.db import Database

    return Database(url, schema=schema, pool_size=2)


def _issuer(url, schema, seed, barrier, out):
    db = _open(url, schema)
    kiosk = queue.kiosk_actor(db, "HQ01")
    rnd = random.Random(seed)
    barrier.wait()
    got = []
    for _ in range(PER_ISSUER):
        letter = rnd.choice("ABCD")
        while True:
            try:
                got.append(queue.issue(db, kiosk, letter, priority=rnd.random() < 0.2).number)
                break
            except DatabaseError:       # busy: a real kiosk retries the press
                continue
    db.dispose()
    out.put(("issued", got))


def _caller(url, schema, window, barrier, called_total, total, stop, out):
    db = _open(url, schema)
    actor = staff.sign_in(db, f"100{window}", "123456", window=window)
    barrier.wait()
    got, started = [], time.monotonic()
    while called_total.value < total and time.monotonic() - started < DEADLINE_S:
        try:
            t = queue.call_next(db, actor)
        except NotFound:
            stop.wait(0.003)            # nothing for this window yet: next key press
            continue
        except DatabaseError:
            continue
        with called_total.get_lock():
            called_total.value += 1
        got.append(t.number)
        queue.finish(db, actor)
    db.dispose()
    out.put(("called", window, got))



def _context():
    """forkserver where there is one: children fork from a clean, single-threaded server
    with the modules preloaded (fast, and no lock held by some other thread of this
    process at fork time); spawn on Windows."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["counterdesk.queue", "counterdesk.staff", "sqlalchemy",
                                    "psycopg"])
        return ctx
    return mp.get_context("spawn")

def _run_hall(url: str, schema: str | None):
    ctx = _context()
    barrier = ctx.Barrier(ISSUERS + CALLERS)
    out = ctx.Queue()
    called_total = ctx.Value("i", 0)
    stop = ctx.Event()
    total = ISSUERS * PER_ISSUER
    procs = [ctx.Process(target=_issuer, args=(url, schema, i, barrier, out))
             for i in range(ISSUERS)]
    procs += [ctx.Process(target=_caller, args=(url, schema, w, barrier, called_total, total,
                                                stop, out))
              for w in range(1, CALLERS + 1)]
    for p in procs:
        p.start()
    results = [out.get(timeout=DEADLINE_S + 30) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    issued = [n for r in results if r[0] == "issued" for n in r[1]]
    called = [n for r in results if r[0] == "called" for n in r[2]]
    return issued, called, total


@pytest.mark.slow
def test_many_processes_issue_and_call_without_duplicates_or_gaps(demo_db):
    if demo_db.is_postgres:
        url, schema = demo_db.url, demo_db.schema
    else:
        url, schema = demo_db.url, None
    assert len(os.sched_getaffinity(0)) >= 1
    issued, called, total = _run_hall(url, schema)
    assert len(issued) == total
    assert len(called) == total, "a ticket was lost"
    dup = [n for n, c in Tally(called).items() if c > 1]
    assert dup == [], f"called twice: {dup}"
    assert sorted(called) == sorted(issued)
    by_letter: dict[str, list[int]] = {}
    for n in issued:
        by_letter.setdefault(n[0], []).append(int(n[1:]))
    for letter, nums in by_letter.items():
        assert sorted(nums) == list(range(1, len(nums) + 1)), f"gap in {letter}"
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(Ticket)
                         .where(Ticket.status != "finished")).scalar() == 0
        kinds = Tally(s.execute(select(TicketEvent.kind)).scalars())
        assert kinds["called"] == total and kinds["finished"] == total
        assert s.execute(select(func.count()).select_from(WindowState)
                         .where(WindowState.current_ticket_id.is_not(None))).scalar() == 0
    assert audit.verify(demo_db).ok


@pytest.mark.pg
def test_postgres_connection_killed_while_calling(demo_db):
    if not demo_db.is_postgres:
        pytest.skip("PostgreSQL only")
    import datetime as dt

    clock.set_now(dt.datetime(2026, 11, 22, 10, 0))
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    queue.issue(demo_db, kiosk, "A")
    queue.issue(demo_db, kiosk, "A")
    w1 = staff.sign_in(demo_db, "1001", "123456", window=1)
    admin = create_engine(demo_db.url, isolation_level="AUTOCOMMIT")
    armed = {"on": True}
    pids: set[int] = set()

    @event.listens_for(demo_db.engine, "connect")
    def remember(dbapi_conn, record):
        pids.add(dbapi_conn.info.backend_pid)

    demo_db.engine.dispose()  # every later connection is recorded

    @event.listens_for(demo_db.engine, "before_cursor_execute")
    def kill(conn, cursor, statement, params, context, executemany):
        # the server goes away after the ticket row is updated, before the commit
        if armed["on"] and statement.lstrip().upper().startswith("INSERT INTO QUEUE_EVENTS"):
            armed["on"] = False
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    with pytest.raises(DatabaseError):
        queue.call_next(demo_db, w1)
    event.remove(demo_db.engine, "before_cursor_execute", kill)
    with demo_db.read() as s:  # nothing half-done: still waiting, the window holds nothing
        assert s.execute(select(func.count()).select_from(Ticket)
                         .where(Ticket.status == "waiting")).scalar() == 2
    # as if the server restarted: every pooled connection of this PC dies (only ours:
    # other test runs share the server); the workstation recovers by itself
    with admin.connect() as c:
        for pid in pids:
            c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    admin.dispose()
    t = queue.call_next(demo_db, w1)
    assert t.number == "A001"
    queue.finish(demo_db, w1)
    assert queue.call_next(demo_db, w1).number == "A002"
    with demo_db.read() as s:
        kinds = Tally(s.execute(select(TicketEvent.kind)).scalars())
    assert kinds["called"] == 2


@pytest.mark.slow
def test_bench_runs_at_a_tiny_size(capsys, monkeypatch):
    import importlib
    from pathlib import Path

    # importable by name: the worker processes unpickle bench_queue._worker
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "bench"))
    mod = importlib.import_module("bench_queue")
    rows = mod.main(["2", "--windows", "3"])
    assert {r["engine"] for r in rows} >= {"sqlite"}
    for r in rows:
        assert r["calls"] == 6 and r["ratio_p50"] > 0 and r["call_per_s"] > 0
    assert "call-next" in capsys.readouterr().out
