"""Fee-collection figures: committing a payment, and rendering a receipt.

    python bench/bench_billing.py [SIZE] [--pg URL]

SIZE = repetitions of each measurement (default 200). On an SQLite file
(``synchronous=FULL``, WAL, as the program runs it) and on PostgreSQL (when ``--pg``
is given or COUNTERDESK_TEST_DATABASE_URL is set; a throw-away schema) it measures,
interleaved, the median (p50) of:

* **baseline**: a bare one-row ``INSERT`` + ``COMMIT`` through the same engine and the
  same write transaction (``db.write()``);
* **payment**: ``billing.pay`` of a 3-line cash sale — price lookups, the gapless
  receipt number, the hash-chained audit event, the payment, lines, tender, receipt and
  the outbox print job, in one transaction — reported as a ratio to the baseline
  (goal ≤ 4×);

and, without a database, **rendering one receipt** to ESC/POS bytes (goal ≤ 5 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path
from counterdesk import billing, clock, staff  # noqa: E402
from counterdesk.billing import LineInput, SaleRequest, TenderInput  # noqa: E402
from counterdesk.db import Database  # noqa: E402

SALE = SaleRequest(items=[LineInput("HOSE", "2.5"), LineInput("VALVE", "1"),
                          LineInput("REPAIR", "1")],
                   tenders=[TenderInput("cash", tendered_fen=20000)])


def _prepare(db: Database):
    with db.engine.begin() as c:
        c.execute(text("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, v INTEGER)"))
    return staff.sign_in(db, "1001", "123456", window=1)


def _p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_engine(name: str, db: Database, size: int) -> dict:
    actor = _prepare(db)
    for i in range(5):  # warm up both paths
        billing.pay(db, actor, SALE)
        with db.write() as s:
            s.execute(text("INSERT INTO bench_baseline (id, v) VALUES (:i, 1)"), {"i": -i - 1})
    base, pay = [], []
    for i in range(size):
        t = time.perf_counter()
        with db.write() as s:
            s.execute(text("INSERT INTO bench_baseline (id, v) VALUES (:i, :i)"), {"i": i})
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = billing.pay(db, actor, SALE)
        pay.append(time.perf_counter() - t)
    b, p = _p50(base), _p50(pay)
    print(f"{name:<10} bare insert+commit p50 {b:8.3f} ms | 3-line cash payment p50 {p:8.3f} ms"
          f" | ratio {p / b:5.2f}x (goal <= 4x) | last receipt {res.receipt_no}")
    return {"engine": name, "baseline_ms": b, "payment_ms": p, "ratio": p / b,
            "last_receipt": res.receipt_no, "result": res}


def bench_render(res, size: int) -> float:
    from counterdesk.print.receipt import render

    render(res.receipt, columns=48)
    times = []
    for _ in range(size):
        t = time.perf_counter()
        render(res.receipt, columns=48, open_drawer=True)
        times.append(time.perf_counter() - t)
    ms = _p50(times)
    print(f"render     one receipt to ESC/POS bytes p50 {ms:.3f} ms (goal <= 5 ms), "
          f"{len(render(res.receipt, columns=48))} bytes")
    return ms


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("size", nargs="?", type=int, default=200)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    a = ap.parse_args(argv)
    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("COUNTERDESK_HOME", tmp)
        with benchdb.fresh_database(tmp) as db:
            out["sqlite"] = bench_engine("sqlite", db, a.size)
    if a.pg:
        with benchdb.fresh_database(pg_url=a.pg) as db:
            out["postgresql"] = bench_engine("postgresql", db, a.size)
    out["render_ms"] = bench_render(out["sqlite"]["result"], max(a.size, 20))
    clock.set_now(None)
    return out


if __name__ == "__main__":
    main()
