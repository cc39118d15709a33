"""A PC frozen mid-transaction (issue 16): what the other windows see.

    python bench/bench_faults.py [CALLS] [--pg URL]

On the PostgreSQL server (``--pg`` or COUNTERDESK_TEST_DATABASE_URL) a demo hall is made
in a throw-away schema. One window's PC talks through a TCP proxy; its network goes
silent right after its payment took the receipt counter and the audit head (the proxy
forwards nothing more, the sockets stay open — a pulled cable). Meanwhile another window
calls CALLS tickets (call-next then finish; a "稍后重试" answer is retried at once).

Printed: how long until the frozen PC's locks are released (a probe takes the audit
head's row lock; goal ≤ 10 s), and the other window's call-next p50 / p99 from the freeze
on (including waits and retries), and how many "busy" answers it got.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402


def _probe_release(url: str, schema: str, t0: float, out: dict) -> None:
    """Try the audit head's row lock every 0.1 s until it is free."""
    eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        while True:
            with eng.connect() as c:
                c.execute(text("SET lock_timeout = '100ms'"))
                try:
                    c.execute(text("SELECT seq FROM audit_head WHERE hall_code = 'HQ01' FOR UPDATE"))
                    out["lock_release_s"] = time.monotonic() - t0
                    c.rollback()
                    return
                except Exception:  # noqa: BLE001 - still locked: try again
                    c.rollback()
            if time.monotonic() - t0 > 60:
                out["lock_release_s"] = float("inf")
                return
    finally:
        eng.dispose()


def run(url: str, calls: int) -> dict:
    from counterdesk import billing, clock, queue, setup, staff
    from counterdesk.db import Database
    from counterdesk.errors import CounterDeskError, DatabaseBusy
    from tests.helpers.proxy import PgProxy

    clock.set_now(dt.datetime(2026, 11, 23, 10, 15))
    schema = "bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url, schema=schema)
    proxy = PgProxy.for_url(db.url)
    far = Database(proxy.url(db.url), schema=schema)
    frozen_thread = None
    try:
        setup.demo(db)
        kiosk = queue.kiosk_actor(db, "HQ01")
        for _ in range(calls):
            queue.issue(db, kiosk, "A")
        frozen_clerk = staff.sign_in(db, "1003", "123456", window=3)
        clerk = staff.sign_in(db, "1001", "123456", window=1)
        sale = billing.SaleRequest(items=[billing.LineInput("HOSE", "1")],
                                   tenders=[billing.TenderInput("cash")])
        proxy.freeze_after(b"UPDATE audit_head")

        def frozen_pay():
            try:
                billing.pay(far, frozen_clerk, sale)
            except CounterDeskError:
                pass

        frozen_thread = threading.Thread(target=frozen_pay, daemon=True)
        frozen_thread.start()
        if not proxy.frozen.wait(10):
            raise RuntimeError("the frozen PC never took the audit head")
        t0 = time.monotonic()
        released: dict = {}
        probe = threading.Thread(target=_probe_release, args=(url, schema, t0, released))
        probe.start()
        lat, busy = [], 0
        for _ in range(calls):
            start = time.monotonic()
            while True:
                try:
                    queue.call_next(db, clerk)
                    break
                except DatabaseBusy:
                    busy += 1
            lat.append(time.monotonic() - start)
            queue.finish(db, clerk)
        probe.join()
        first = lat[0] if lat else 0.0
        lat.sort()
        return {"engine": "postgresql", "calls": calls, "busy": busy,
                "lock_release_s": released["lock_release_s"],
                "call_p50_s": statistics.median(lat),
                "call_p99_s": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
                "first_call_s": first}
    finally:
        proxy.close()
        if frozen_thread is not None:
            frozen_thread.join(10)
        far.dispose()
        db.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("calls", nargs="?", type=int, default=40)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    args = ap.parse_args(argv)
    if not args.pg:
        ap.error("needs a PostgreSQL server: --pg URL or COUNTERDESK_TEST_DATABASE_URL")
    r = run(args.pg, args.calls)
    print(f"frozen PC's locks released after {r['lock_release_s']:.1f} s (goal <= 10 s)")
    print(f"other window call-next: p50 {r['call_p50_s'] * 1000:.0f} ms, "
          f"p99 {r['call_p99_s'] * 1000:.0f} ms over {r['calls']} calls "
          f"(first {r['first_call_s']:.1f} s, {r['busy']} '稍后重试' answers)")
    return r


if __name__ == "__main__":
    main()
