"""Call-next under load: W concurrent windows (separate OS processes, each its own engine).

    python bench/bench_queue.py [SIZE] [--windows 16] [--pg URL] [--sqlite-only]

SIZE = calls per window (default 40). For each engine (PostgreSQL if a URL is given or
COUNTERDESK_TEST_DATABASE_URL is set, and one SQLite file) it measures, in the same
run and with the same processes:

* baseline: a bare one-row ``UPDATE … RETURNING`` + commit (each window its own row),
  and the same on one shared row (what any hall-wide serialisation costs);
* call-next: ``queue.call_next`` (window lock, SKIP LOCKED pick, ticket update, event,
  audit-chain append) followed by an untimed ``finish``.

and prints p50 / p99 latency and calls per second, and the ratios call-next / baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path


def _db(url, schema):
    from counterdesk.db import Database

    return Database(url, schema=schema, pool_size=2)


def _setup(url: str, schema: str | None, windows: int, tickets: int) -> None:
    from counterdesk import queue, setup, staff
    from counterdesk import schema as schema_mod
    from counterdesk.models import Base

    db = _db(url, schema)
    Base.metadata.create_all(db.engine)
    schema_mod.stamp(db)
    setup.mark_database(db)
    data = {"company": {"name": "基准燃气"}, "hall": {"code": "BENCH", "name": "基准营业厅"},
            "service": [{"letter": "A", "name": "缴费"}, {"letter": "B", "name": "开户"}],
            "window": [{"number": n, "services": "AB"} for n in range(1, windows + 1)]}
    setup.create_hall(db, data)
    staff.add_user(db, "b1", "基准柜员", "clerk", "benchpw", hall_code="BENCH")
    kiosk = queue.kiosk_actor(db, "BENCH")
    for i in range(tickets):
        queue.issue(db, kiosk, "AB"[i % 2])
    with db.write() as s:
        s.execute(text("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"))
        for n in range(0, windows + 1):
            s.execute(text("INSERT INTO bench_rows (id, v) VALUES (:i, 0)"), {"i": n})
    db.dispose()


def _worker(url, schema, window, size, barrier, out):
    from counterdesk import queue
    from counterdesk.staff import Actor

    db = _db(url, schema)
    kiosk = queue.kiosk_actor(db, "BENCH")
    actor = Actor(0, "b1", "基准柜员", "clerk", kiosk.hall_id, "BENCH", window)
    base, shared, call = [], [], []
    barrier.wait()
    t0 = time.perf_counter()
    for _ in range(size):
        s0 = time.perf_counter()
        with db.write() as s:
            s.execute(text("UPDATE bench_rows SET v = v + 1 WHERE id = :i RETURNING v"),
                      {"i": window}).scalar_one()
        base.append(time.perf_counter() - s0)
    base_wall = time.perf_counter() - t0
    barrier.wait()
    t0 = time.perf_counter()
    for _ in range(size):
        s0 = time.perf_counter()
        with db.write() as s:
            s.execute(text("UPDATE bench_rows SET v = v + 1 WHERE id = 0 RETURNING v")).scalar_one()
        shared.append(time.perf_counter() - s0)
    shared_wall = time.perf_counter() - t0
    barrier.wait()
    t0 = time.perf_counter()
    busy = 0.0
    for _ in range(size):
        s0 = time.perf_counter()
        queue.call_next(db, actor)
        call.append(time.perf_counter() - s0)
        f0 = time.perf_counter()
        queue.finish(db, actor)
        busy += time.perf_counter() - f0
    call_wall = time.perf_counter() - t0 - busy
    db.dispose()
    out.put((base, call, base_wall, call_wall, shared, shared_wall))


def _pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(q * len(v))) - 1))]



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

def run(label: str, url: str, schema: str | None, windows: int, size: int) -> dict:
    _setup(url, schema, windows, windows * size)
    ctx = _context()
    barrier = ctx.Barrier(windows)
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, schema, w, size, barrier, out))
             for w in range(1, windows + 1)]
    for p in procs:
        p.start()
    res = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    base = [x for r in res for x in r[0]]
    call = [x for r in res for x in r[1]]
    base_rate = len(base) / max(r[2] for r in res)
    shared = [x for r in res for x in r[4]]
    shared_rate = len(shared) / max(r[5] for r in res)
    call_rate = len(call) / max(r[3] for r in res)
    row = {"engine": label, "windows": windows, "calls": len(call),
           "base_p50_ms": statistics.median(base) * 1000, "base_p99_ms": _pct(base, .99) * 1000,
           "base_per_s": base_rate,
           "shared_p50_ms": statistics.median(shared) * 1000,
           "shared_p99_ms": _pct(shared, .99) * 1000, "shared_per_s": shared_rate,
           "call_p50_ms": statistics.median(call) * 1000, "call_p99_ms": _pct(call, .99) * 1000,
           "call_per_s": call_rate}
    row["ratio_p50"] = row["call_p50_ms"] / row["base_p50_ms"]
    row["ratio_p99"] = row["call_p99_ms"] / row["base_p99_ms"]
    row["ratio_rate"] = row["call_per_s"] / row["base_per_s"]
    row["ratio_p50_shared"] = row["call_p50_ms"] / row["shared_p50_ms"]
    return row


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", nargs="?", type=int, default=40, help="calls per window")
    ap.add_argument("--windows", type=int, default=16)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_BENCH_DATABASE_URL")
                    or os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    ap.add_argument("--sqlite-only", action="store_true")
    a = ap.parse_args(argv)
    from counterdesk import clock

    clock.set_now(dt.datetime.combine(dt.date.today(), dt.time(10, 0)))
    rows = []
    if a.pg and not a.sqlite_only:
        with benchdb.pg_schema(a.pg) as name:
            rows.append(run("postgresql", a.pg, name, a.windows, a.size))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(run("sqlite", "sqlite:///" + (Path(tmp) / "b.sqlite3").as_posix(), None,
                        a.windows, a.size))
    print(f"call-next with {a.windows} concurrent windows (processes), {a.size} calls each; "
          "baseline = bare one-row UPDATE … RETURNING + commit")
    print(f"{'engine':<11}{'base p50':>10}{'base p99':>10}{'base/s':>9}"
          f"{'call p50':>10}{'call p99':>10}{'call/s':>9}{'p50 ×':>8}{'p99 ×':>8}{'rate ×':>8}")
    for r in rows:
        print(f"{r['engine']:<11}{r['base_p50_ms']:>8.2f}ms{r['base_p99_ms']:>8.2f}ms"
              f"{r['base_per_s']:>9.0f}{r['call_p50_ms']:>8.2f}ms{r['call_p99_ms']:>8.2f}ms"
              f"{r['call_per_s']:>9.0f}{r['ratio_p50']:>8.1f}{r['ratio_p99']:>8.1f}"
              f"{r['ratio_rate']:>8.2f}")
    print("shared-row baseline (all windows UPDATE the same row: the serialisation every "
          "audited write pays on the audit-chain head):")
    for r in rows:
        print(f"{r['engine']:<11}p50 {r['shared_p50_ms']:.2f} ms  p99 {r['shared_p99_ms']:.2f} ms  "
              f"{r['shared_per_s']:.0f}/s   call-next p50 / shared p50 = "
              f"{r['ratio_p50_shared']:.1f}×")
    return rows


if __name__ == "__main__":
    main()
