"""Failover on real servers (issue 24): a primary and a synchronous streaming standby on
this machine; clerks' processes take payments and call numbers through a multi-host URL;
the primary dies mid-stream, the standby is promoted, and the clients carry on.

In-doubt payments (the COMMIT sent, no reply) are resolved by their request key (issue
16.1): the clerk's retry carries the same key, so a payment that did commit is answered
with its first outcome and one that did not is taken once. The key is also written into
the sale's note so the test can count every payment it was told about.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from counterdesk import audit, schema, setup
from counterdesk.db import Database
from counterdesk.models import Base
from counterdesk.models.billing import Payment, Receipt
from tests.helpers import pgcluster

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
BEFORE = 6      # payments the first worker makes before the primary dies
AFTER = 4       # payments each worker must make on the new primary

WORKER = r"""
import datetime as dt, sys, time, uuid
from counterdesk import billing, clock, queue, staff
from counterdesk.db import Database
from counterdesk.errors import CounterDeskError, DatabaseError

clock.set_now(dt.datetime(2026, 11, 23, 10, 15))
url, window, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = Database(url, pool_size=2)
SALE = dict(items=[billing.LineInput("CARD"), billing.LineInput("HOSE", "1.5")])


def say(*parts):
    print(*parts, flush=True)


def retry(fn, *args, **kw):
    end = time.monotonic() + 90
    while True:
        try:
            return fn(*args, **kw)
        except DatabaseError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)    # the clerk presses again


actor = retry(staff.sign_in, db, f"100{window}", "123456", window=window)
kiosk = retry(queue.kiosk_actor, db, "HQ01")
first, done_after, deadline = db.server, 0, time.monotonic() + 150
say("READY", first)
while done_after < after:
    if time.monotonic() > deadline:
        say("TIMEOUT")
        sys.exit(3)
    try:
        queue.issue(db, kiosk, "A")
        queue.call_next(db, actor)
        queue.finish(db, actor)
        say("CALLED")
    except DatabaseError:
        pass
    except CounterDeskError:           # a call in doubt left a ticket at the window
        try:
            queue.finish(db, actor)
        except CounterDeskError:
            pass
    key = str(uuid.uuid4())
    req = billing.SaleRequest(**SALE, tenders=[billing.TenderInput("cash")], note=key)
    try:
        r = billing.pay(db, actor, req, request_key=key)
        say("OK", key, r.receipt_no, db.server)
    except DatabaseError as exc:     # lost, refused or in doubt: the clerk retries the request
        r = retry(billing.pay, db, actor, req, request_key=key)
        say("RESOLVED", key, r.receipt_no, type(exc).__name__, r.replayed or "taken")
    if db.server != first:
        notice = db.take_notice()
        if notice:
            say("NOTICE", notice.replace(" ", "_"))
        done_after += 1
say("DONE")
"""


class Clerk:
    """A clerk's process, its output read by threads as it comes. (Reading a few lines with
    ``readline`` and the rest with ``communicate`` lost what ``readline`` had buffered:
    ``communicate`` reads the pipe itself, and the lines lost were payments the test then
    found in the database without a client having been told of them.)"""

    def __init__(self, argv: list[str], env: dict):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, cwd=ROOT, env=env)
        self.lines: list[str] = []
        self.err: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        for t in self._threads:
            t.start()

    def _read_out(self) -> None:
        assert self.p.stdout is not None
        with self.p.stdout:
            for line in self.p.stdout:
                self.lines.append(line)
                self._new.put(line)
        self._new.put(None)

    def _read_err(self) -> None:
        assert self.p.stderr is not None
        with self.p.stderr:
            self.err.extend(self.p.stderr)

    def next_line(self, timeout_s: float = 200) -> str:
        line = self._new.get(timeout=timeout_s)
        if line is None:
            self.p.wait(timeout_s)
            for t in self._threads:
                t.join(timeout_s)
            raise AssertionError("the clerk's process ended: " + "".join(self.err))
        return line

    def wait_for(self, word: str) -> str:
        while True:
            line = self.next_line()
            if line.startswith(word):
                return line

    def finish(self, timeout_s: float) -> str:
        """All the process printed, once it has ended (exit code 0)."""
        self.p.wait(timeout_s)
        for t in self._threads:
            t.join(timeout_s)
        assert self.p.returncode == 0, ("".join(self.lines), "".join(self.err))
        return "".join(self.lines)

    def kill(self) -> None:
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        for t in self._threads:      # the pipes end with the process: the readers close them
            t.join(30)


@pytest.fixture
def pair():
    reason = pgcluster.skip_reason()
    if reason:
        pytest.skip(reason)
    p = pgcluster.Pair(synchronous=True)
    try:
        p.start()
        yield p
    finally:
        p.teardown()


def _prepare(url: str) -> None:
    db = Database(url)
    Base.metadata.create_all(db.engine)
    schema.stamp(db)
    setup.mark_database(db)
    setup.demo(db)
    db.dispose()


@pytest.mark.slow
@pytest.mark.pg
def test_payments_survive_the_primary_dying(pair, tmp_path):
    _prepare(pair.url("primary"))
    pair.wait_replayed()
    script = tmp_path / "clerk.py"
    script.write_text(WORKER, encoding="utf-8")
    env = {**os.environ, "COUNTERDESK_HOME": str(tmp_path / "h"), "PYTHONPATH": str(ROOT)}
    clerks = [Clerk([sys.executable, str(script), pair.url(), str(w), str(AFTER)], env)
              for w in range(1, WORKERS + 1)]
    screen = Database(pair.url())                 # a screen's engine, pooled on the primary
    with screen.read() as s:
        s.execute(select(Payment.id).limit(1)).all()
    assert screen.take_notice() is None
    try:
        # every clerk is signed in on the primary before it dies: a clerk whose process
        # started late would sign in on the new primary and never see a change of server
        for c in clerks:
            assert c.wait_for("READY").split()[1] == f"127.0.0.1:{pair.ports[0]}"
        first = clerks[0]
        oks = 0
        while oks < BEFORE:                      # mid-stream: the first clerk is paying
            oks += first.next_line().startswith("OK ")
        pair.crash_primary()
        pair.promote()
        # its pooled connection is dead: pool_pre_ping drops it and the read goes to the
        # new primary at the first try; the clerk is told once
        with screen.read() as s:
            s.execute(select(Payment.id).limit(1)).all()
        assert f"127.0.0.1:{pair.ports[1]}" in (screen.take_notice() or "")
        assert screen.take_notice() is None
        screen.dispose()
        outs = [c.finish(timeout_s=200) for c in clerks]
    finally:
        for c in clerks:
            c.kill()
    told_ok, told_failed, notices = {}, set(), 0
    for out in outs:
        for line in out.splitlines():
            word, *rest = line.split()
            if word in ("OK", "RESOLVED"):
                told_ok[rest[0]] = rest[1]
            elif word == "FAILED":
                told_failed.add(rest[0])
            notices += word == "NOTICE"
    assert notices == WORKERS                     # every clerk was told, once
    db = Database(pair.url())                     # the multi-host URL: the new primary
    try:
        with db.read() as s:
            rows = s.execute(select(Payment.reason, Receipt.receipt_no, Receipt.seq)
                             .join(Receipt, Receipt.payment_id == Payment.id)).all()
        by_key: dict[str, list[str]] = {}
        for key, no, _seq in rows:
            by_key.setdefault(key, []).append(no)
        for key, no in told_ok.items():           # every success there, once
            assert by_key.get(key) == [no], key
        assert not told_failed & by_key.keys()    # nothing told failed was kept
        assert set(by_key) == set(told_ok)        # nothing unknown
        seqs = sorted(seq for _k, _n, seq in rows)
        assert seqs == list(range(1, len(seqs) + 1))   # gapless
        assert audit.verify(db).ok
        # the command line, given the same multi-host URL, lands on the new primary
        cli = subprocess.run([sys.executable, "-m", "counterdesk", "--db", pair.url(), "audit",
                              "verify"], capture_output=True, text=True, cwd=ROOT, env=env,
                             stdin=subprocess.DEVNULL, timeout=120)
        assert cli.returncode == 0, cli.stderr
        assert db.server == f"127.0.0.1:{pair.ports[1]}"
    finally:
        db.dispose()


def _bench_city(monkeypatch):
    # importable by name: the spawned load processes import it as ``bench_city``
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import bench_city

    return bench_city


@pytest.mark.parametrize("db_kind", [pytest.param("postgresql", marks=pytest.mark.pg)])
def test_bench_city_runs_at_a_tiny_size(db_kind, capsys, monkeypatch):
    from tests.conftest import PG_SKIP, PG_URL

    if not PG_URL:
        pytest.skip(PG_SKIP)
    out = _bench_city(monkeypatch).main(["--halls", "2", "--windows", "2", "--customers", "1",
                              "--procs", "1", "--threads", "2", "--pg", PG_URL])
    city = out["city"]
    assert city["customers"] == 4 and city["errors"] == 0
    assert city["pay_p99_ms"] > 0 and city["bare_p99_ms"] > 0
    assert "call-next" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.pg
def test_bench_city_times_a_failover(monkeypatch):
    reason = pgcluster.skip_reason()
    if reason:
        pytest.skip(reason)
    out = _bench_city(monkeypatch).failover_time(halls=1, windows=2)
    # the promotion is confirmed by a psql poll: a payment may beat the confirmation
    assert 0 < out["promote_s"] < 120 and 0 < out["failover_s"] < 120
