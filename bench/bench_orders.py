"""Work-order figures on a large hall (SQLite file; PostgreSQL with --pg URL).

    python bench/bench_orders.py [ACCOUNTS] [--orders N] [--pg URL]

ACCOUNTS generated accounts (default 20000) with one inspection each for half of them
and N orders (default 2000, a year of a mid-size hall) spread over the last 60 days.
Times, median of 5: the manager's board (``list_orders(scope='all')``, refreshed every
minute), ``inspections_due`` over the whole hall and for one street, ``report()``, and
the gate on the sale path (``check_gas_allowed``, one account), against a bare SELECT of
the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from counterdesk import accounts_demo, clock, orders, resources_access, setup, staff  # noqa: E402
from counterdesk.db import Database  # noqa: E402
from counterdesk.models import Base  # noqa: E402
from counterdesk.models.accounts import Account  # noqa: E402
from counterdesk.models.orders import Inspection, WorkOrder  # noqa: E402
from counterdesk.orders import kinds  # noqa: E402


def timed(fn, runs: int = 5) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def build(db: Database, n_accounts: int, n_orders: int) -> tuple:
    Base.metadata.create_all(db.engine)
    data = resources_access.read_toml("demo", "hall.toml")
    hall = setup.create_hall(db, data)
    for u in data["staff"]:
        staff.add_user(db, u["staff_no"], u["name"], u["role"], u["password"],
                       hall_code=data["hall"]["code"])
    manager = staff.sign_in(db, "9001", "888888")
    hall_id = manager.hall_id
    accounts_demo.bulk_create(db, hall_id, n_accounts, history=False)
    rng = random.Random(7)
    now = clock.now()
    with db.write() as s:
        nos = [a for (a,) in s.execute(select(Account.account_no))]
        s.add_all(Inspection(hall_id=hall_id, account_no=no, at=now - dt.timedelta(
            days=rng.randrange(1, 300)), outcome="passed", staff_no="1003")
            for no in nos[::2])
        for i in range(n_orders):
            kind = rng.choice(("repair", "repair", "alarm", "install", "inspection"))
            at = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            due = kinds.deadlines(s, hall_id, kind, at)
            status = rng.choice(("recorded", "dispatched", "followed_up", "followed_up"))
            s.add(WorkOrder(hall_id=hall_id, number=f"GD{at:%Y}{i + 1:05d}", kind=kind,
                            account_no=rng.choice(nos), address="", contact_phone="13900000000",
                            description="bench", recorded_by="1001", created_at=at,
                            status=status, dispatch_due_at=due.dispatch,
                            onsite_due_at=due.onsite, result_due_at=due.result))
    with db.read() as s:
        street = s.execute(select(Account.street).limit(1)).scalar()
        one = s.execute(select(Account).limit(1)).scalar()
    return hall, manager, street, one.account_no


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("accounts", nargs="?", type=int, default=20000)
    ap.add_argument("--orders", type=int, default=2000)
    ap.add_argument("--pg", help="PostgreSQL URL (a fresh database)")
    args = ap.parse_args()
    url = args.pg or "sqlite:///" + (Path(tempfile.mkdtemp()) / "bench.sqlite3").as_posix()
    db = Database(url)
    _, manager, street, account_no = build(db, args.accounts, args.orders)

    def bare_orders():
        with db.read() as s:
            s.execute(select(WorkOrder)).scalars().all()

    def bare_accounts():
        with db.read() as s:
            s.execute(select(Account)).scalars().all()

    def gate():
        with db.read() as s:
            acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar()
            orders.check_gas_allowed(s, acc)

    rows = [
        ("bare SELECT of every order", timed(bare_orders)),
        ("list_orders(scope='all')", timed(lambda: orders.list_orders(db, manager, scope="all"))),
        ("report() of the period", timed(lambda: orders.report(
            db, manager, date_from=clock.today() - dt.timedelta(days=60)))),
        ("bare SELECT of every account", timed(bare_accounts)),
        ("inspections_due(whole hall)", timed(lambda: orders.inspections_due(db, manager))),
        (f"inspections_due(street={street})", timed(lambda: orders.inspections_due(
            db, manager, street=street))),
        ("check_gas_allowed(one account)", timed(gate, 20)),
    ]
    print(f"{db.dialect}: {args.accounts} accounts, {args.orders} orders (median ms)")
    for name, ms in rows:
        print(f"  {name:<40} {ms:9.1f}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
