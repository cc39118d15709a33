"""City-scale figures (issue 24.4): many halls on one central PostgreSQL.

    python bench/bench_city.py [--halls 50] [--windows 20] [--customers 4]
                               [--procs 2] [--threads 4] [--pg URL] [--failover]

Builds ``halls`` halls of ``windows`` windows each (price list, one clerk per window)
in a throw-away database on the server (``--pg`` or COUNTERDESK_TEST_DATABASE_URL;
a throw-away schema when the role may not create databases). Then a compressed day:
every window of the city serves ``customers`` customers back to back, with no think
time (the busiest hour of a day, squeezed): the kiosk issues a ticket, the clerk calls
the next one (**call-next**), takes a 2-line cash payment (**payment**) and finishes;
between customers the same thread does a **bare update** (one row, ``UPDATE … SET v =
v + 1`` in ``db.write()``), so the three are measured under the same load. The load
comes from ``procs`` processes of ``threads`` threads (this machine has 2 cores: as few
as can keep the server busy), each thread owning a slice of the windows.

Printed: call-next and payment p50/p99 against the bare update's (goal: p99 <= 5x the
bare update's p99), the server's transactions per second (``pg_stat_database`` of the
throw-away database, or the clients' count when it is a schema), and with
``--failover`` the failover time on a local primary + synchronous standby
(tests/helpers/pgcluster.py): primary stopped -> first successful payment on the
promoted standby, through a multi-host URL.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import multiprocessing as mp
import os
import queue as queue_mod
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from counterdesk import billing, clock, queue, resources_access, schema, setup  # noqa: E402
from counterdesk.db import Database, _normalise  # noqa: E402
from counterdesk.errors import CounterDeskError, DatabaseError  # noqa: E402
from counterdesk.models import Base, Staff  # noqa: E402
from counterdesk.staff import Actor  # noqa: E402

DAY = dt.datetime(2026, 11, 23, 10, 0)
SALE = billing.SaleRequest(items=[billing.LineInput("CARD"), billing.LineInput("HOSE", "1.5")],
                           tenders=[billing.TenderInput("cash")])


# -- the city ------------------------------------------------------------------------------
def prepare(db: Database, halls: int, windows: int) -> list[tuple]:
    """Create the halls; returns one ``(hall_id, hall_code, staff_id, staff_no, window)``
    per window of the city."""
    Base.metadata.create_all(db.engine)
    schema.stamp(db)
    setup.mark_database(db)
    setup.demo(db)                              # the demo hall: its clerk's password hash
    with db.read() as s:
        pw_hash = s.execute(select(Staff.password_hash)
                            .where(Staff.staff_no == "1001")).scalar_one()
    data = copy.deepcopy(resources_access.read_toml("demo", "hall.toml"))
    data["window"] = [{"number": n, "services": "A"} for n in range(1, windows + 1)]
    specs = []
    for h in range(1, halls + 1):
        code = f"C{h:03d}"
        data["hall"]["code"], data["hall"]["name"] = code, f"第{h}营业厅"
        hall_id = setup.create_hall(db, data)
        billing.seed_demo(db, code)
        with db.write() as s:   # one clerk per window (sign-in costs are not the subject)
            rows = [{"hall_id": hall_id, "staff_no": f"{code}W{w:02d}", "name": f"收费员{w}",
                     "role": "clerk", "password_hash": pw_hash, "created_at": DAY}
                    for w in range(1, windows + 1)]
            s.execute(insert(Staff), rows)
            ids = dict(s.execute(select(Staff.staff_no, Staff.id)
                                 .where(Staff.hall_id == hall_id)).all())
        specs += [(hall_id, code, ids[f"{code}W{w:02d}"], f"{code}W{w:02d}", w)
                  for w in range(1, windows + 1)]
    with db.write() as s:
        s.execute(text("CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, v INTEGER)"))
    return specs


def _window_loop(db: Database, windows: list[tuple], customers: int, bare_id: int,
                 out: dict) -> None:
    with db.write() as s:
        s.execute(text("INSERT INTO bench_bare (id, v) VALUES (:i, 0)"), {"i": bare_id})
    clerks = [(Actor(sid, sno, "clerk", "clerk", hid, code, w),
               Actor(0, "kiosk", "kiosk", "kiosk", hid, code, None))
              for hid, code, sid, sno, w in windows]
    for _ in range(customers):
        for clerk, kiosk in clerks:
            try:
                queue.issue(db, kiosk, "A")
                t0 = time.perf_counter()
                queue.call_next(db, clerk)
                t1 = time.perf_counter()
                billing.pay(db, clerk, SALE)
                t2 = time.perf_counter()
                queue.finish(db, clerk)
                t3 = time.perf_counter()
                with db.write() as s:
                    s.execute(text("UPDATE bench_bare SET v = v + 1 WHERE id = :i"),
                              {"i": bare_id})
                t4 = time.perf_counter()
            except CounterDeskError as exc:
                out["errors"].append(type(exc).__name__)
                continue
            out["call"].append(t1 - t0)
            out["pay"].append(t2 - t1)
            out["bare"].append(t4 - t3)
            out["tx"] += 5


def _process(url: str, schema_name: str | None, windows: list[tuple], customers: int,
             threads: int, first_bare: int, results) -> None:
    clock.set_now(DAY)
    db = Database(url, schema=schema_name, pool_size=threads)
    outs = [{"call": [], "pay": [], "bare": [], "errors": [], "tx": 0} for _ in range(threads)]
    work = [threading.Thread(target=_window_loop,
                             args=(db, windows[i::threads], customers, first_bare + i, outs[i]))
            for i in range(threads) if windows[i::threads]]
    for t in work:
        t.start()
    for t in work:
        t.join()
    db.dispose()
    merged = {k: [x for o in outs for x in o[k]] for k in ("call", "pay", "bare", "errors")}
    merged["tx"] = sum(o["tx"] for o in outs)
    results.put(merged)


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] * 1000 if s else float("nan")


# -- a throw-away place on the server ------------------------------------------------------
class Scratch:
    """A throw-away database (or, failing the right to create one, a schema)."""

    def __init__(self, url: str):
        self.admin = create_engine(_normalise(url), isolation_level="AUTOCOMMIT")
        self.name = "bench_city_" + uuid.uuid4().hex[:8]
        self.url, self.schema, self.is_database = _normalise(url), None, False
        with self.admin.connect() as c:
            try:
                c.execute(text(f'CREATE DATABASE "{self.name}"'))
                self.is_database = True
                self.url = make_url(self.url).set(database=self.name).render_as_string(
                    hide_password=False)
            except Exception:  # noqa: BLE001 - no CREATEDB right: a schema will do
                c.execute(text(f'CREATE SCHEMA "{self.name}"'))
                self.schema = self.name

    def commits(self) -> int | None:
        if not self.is_database:
            return None
        with self.admin.connect() as c:
            return c.execute(text("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                                  "WHERE datname = :n"), {"n": self.name}).scalar()

    def drop(self) -> None:
        with self.admin.connect() as c:
            if self.is_database:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            else:
                c.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


def run_city(url: str, halls: int, windows: int, customers: int, procs: int,
             threads: int) -> dict:
    scratch = Scratch(url)
    try:
        clock.set_now(DAY)
        db = Database(scratch.url, schema=scratch.schema)
        t = time.perf_counter()
        specs = prepare(db, halls, windows)
        setup_s = time.perf_counter() - t
        db.dispose()
        before = scratch.commits()
        ctx = mp.get_context("spawn")
        results = ctx.Queue()
        workers = [ctx.Process(target=_process,
                               args=(scratch.url, scratch.schema, specs[i::procs], customers,
                                     threads, 1000 * (i + 1), results))
                   for i in range(procs) if specs[i::procs]]
        t = time.perf_counter()
        for w in workers:
            w.start()
        got = []
        while len(got) < len(workers):    # a worker that died says so, not a hang
            try:
                got.append(results.get(timeout=5))
            except queue_mod.Empty:
                dead = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"a load process failed (exit codes {dead})") from None
        wall = time.perf_counter() - t
        for w in workers:
            w.join(timeout=60)
        after = scratch.commits()
    finally:
        clock.set_now(None)
        scratch.drop()
    merged = {k: [x for g in got for x in g[k]] for k in ("call", "pay", "bare", "errors")}
    tx = sum(g["tx"] for g in got)
    server_tps = (after - before) / wall if before is not None and after is not None else None
    out = {"halls": halls, "windows": windows, "customers": len(merged["pay"]),
           "setup_s": setup_s, "wall_s": wall, "errors": len(merged["errors"]),
           "client_tps": tx / wall, "server_tps": server_tps}
    for k in ("call", "pay", "bare"):
        out[f"{k}_p50_ms"], out[f"{k}_p99_ms"] = _pct(merged[k], 0.5), _pct(merged[k], 0.99)
    return out


def failover_time(halls: int = 2, windows: int = 2) -> dict:
    """A local primary + synchronous standby; payments flow through the multi-host URL;
    the primary is stopped, the standby promoted. Seconds from the stop to the standby
    accepting writes, and to the first payment committed there."""
    from tests.helpers import pgcluster

    reason = pgcluster.skip_reason()
    if reason:
        return {"skipped": reason}
    pair = pgcluster.Pair(synchronous=True)
    stop, first_after = threading.Event(), []
    crashed_at, stopped_at = [float("inf")], [float("inf")]
    try:
        pair.start()
        clock.set_now(DAY)
        db = Database(pair.url("primary"))
        specs = prepare(db, halls, windows)
        db.dispose()
        pair.wait_replayed()
        db = Database(pair.url(), pool_size=len(specs))
        paid = threading.Semaphore(0)

        def clerk(hid, code, sid, sno, w):
            actor = Actor(sid, sno, "clerk", "clerk", hid, code, w)
            while not stop.is_set():
                began = time.perf_counter()
                try:
                    billing.pay(db, actor, SALE)
                except DatabaseError:
                    stop.wait(0.01)         # the clerk presses again
                    continue
                if began > stopped_at[0]:   # begun once the primary was down: the new one
                    first_after.append(time.perf_counter())
                    stop.set()
                paid.release()

        work = [threading.Thread(target=clerk, args=spec) for spec in specs]
        for t in work:
            t.start()
        for _ in range(20):                 # mid-stream
            if not paid.acquire(timeout=60):
                raise TimeoutError("no payments before the failover")
        crashed_at[0] = time.perf_counter()
        pair.crash_primary()
        stopped_at[0] = time.perf_counter()
        pair.promote()
        promoted = time.perf_counter() - crashed_at[0]
        stop.wait(120)
        stop.set()
        for t in work:
            t.join(timeout=60)
        db.dispose()
        if not first_after:
            raise TimeoutError("no payment on the promoted standby within 120 s")
        return {"promote_s": promoted, "failover_s": min(first_after) - crashed_at[0]}
    finally:
        stop.set()
        clock.set_now(None)
        pair.teardown()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--halls", type=int, default=50)
    ap.add_argument("--windows", type=int, default=20)
    ap.add_argument("--customers", type=int, default=4, help="per window")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4, help="per process")
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    ap.add_argument("--failover", action="store_true",
                    help="also time a failover on a local primary + standby")
    ap.add_argument("--no-city", action="store_true", help="only the failover")
    a = ap.parse_args(argv)
    out: dict = {}
    if not a.no_city:
        if not a.pg:
            print("bench_city: needs PostgreSQL (--pg URL or COUNTERDESK_TEST_DATABASE_URL)")
        else:
            r = out["city"] = run_city(a.pg, a.halls, a.windows, a.customers, a.procs,
                                       a.threads)
            print(f"city      {r['halls']} halls x {r['windows']} windows, {r['customers']} "
                  f"customers in {r['wall_s']:.1f} s ({a.procs} procs x {a.threads} threads; "
                  f"setup {r['setup_s']:.1f} s; {r['errors']} refused)")
            for k, name in (("bare", "bare update"), ("call", "call-next"), ("pay", "payment")):
                ratio = r[f"{k}_p99_ms"] / r["bare_p99_ms"]
                print(f"  {name:<12} p50 {r[f'{k}_p50_ms']:8.2f} ms  p99 {r[f'{k}_p99_ms']:8.2f}"
                      f" ms  p99/bare p99 {ratio:5.2f}x" + ("" if k == "bare" else
                                                          "  (goal <= 5x)"))
            tps = r["server_tps"]
            print(f"  server    {tps:8.1f} transactions/s (pg_stat_database)" if tps is not None
                  else "  server    (a schema, not a database: no per-database count)")
            print(f"  clients   {r['client_tps']:8.1f} writes/s (issue, call, pay, finish, bare)")
    if a.failover:
        f = out["failover"] = failover_time()
        if "skipped" in f:
            print(f"failover  skipped: {f['skipped']}")
        else:
            print(f"failover  primary stopped -> standby promoted (pg_ctl promote + a psql check) {f['promote_s']:.2f} s, "
                  f"-> first payment on the new primary {f['failover_s']:.2f} s")
    return out


if __name__ == "__main__":
    main()
