"""Service-quality figures: the manager's lists and the report on a busy hall.

    python bench/bench_quality.py [SIZE] [--pg URL]

SIZE = complaints in the hall (default 2000); ratings = 20 × SIZE (a year of a
mid-size hall is roughly 500 complaints and 100,000 ratings). On an SQLite file (and
on PostgreSQL when a URL is given or COUNTERDESK_TEST_DATABASE_URL is set) it times,
median of 5:

* baseline: a bare ``SELECT`` of every open complaint row, and a bare ``GROUP BY`` of
  the ratings (what the database alone costs);
* ``quality.list_complaints(scope='all')`` and ``quality.overdue()`` (the manager's
  screen, refreshed every minute) against the first baseline;
* ``quality.report()`` for the whole period against the second;
* ``record_rating`` (one customer-screen answer, with its audit event).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path
from counterdesk import clock, quality, resources_access, setup, staff  # noqa: E402
from counterdesk.db import Database  # noqa: E402
from counterdesk.models.quality import Complaint, Rating  # noqa: E402


def _finished_tickets(db, n: int) -> list[dict]:
    """``n`` tickets issued, called and finished at window 1 (what ratings name)."""
    from counterdesk import queue

    kiosk = queue.kiosk_actor(db, "HQ01")
    clerk = staff.sign_in(db, "1001", "123456", window=1)
    out = []
    for _ in range(n):
        queue.issue(db, kiosk, "A")
        queue.call_next(db, clerk)
        out.append(queue.finish(db, clerk).to_dict())
    return out


def _median(fn, n=5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _fill(db: Database, size: int) -> None:
    data = resources_access.read_toml("demo", "hall.toml")
    setup.create_hall(db, data)
    for no, role, pw in (("9001", "manager", "888888"), ("1001", "clerk", "123456")):
        staff.add_user(db, no, "测试" + no, role, pw, hall_code="HQ01")
    rng = random.Random(size)
    now = clock.now()
    with db.write() as s:
        hall_id = s.execute(text("SELECT id FROM halls")).scalar()
        complaints = []
        for i in range(size):
            at = now - dt.timedelta(hours=rng.randrange(0, 24 * 365))
            due = at + dt.timedelta(hours=48)
            closed = rng.random() < 0.9
            complaints.append(dict(
                hall_id=hall_id, number=f"TS{i:09d}", kind="complaint", channel="window",
                contact_name="客户", contact_phone="13900000000", account_no="",
                category=rng.choice(quality.CATEGORIES), description="测试投诉内容",
                ticket_number="", status="closed" if closed else "open", department="",
                recorded_by="1001", owner_staff_no=f"100{rng.randrange(1, 7)}", owner_name="",
                created_at=at, first_due_at=due, due_at=due,
                first_replied_at=at + dt.timedelta(hours=rng.randrange(1, 72)) if closed else None,
                reply="", verdict="", reopen_count=0))
        s.execute(Complaint.__table__.insert(), complaints)
        ratings = []
        for i in range(size * 20):
            day = (now - dt.timedelta(days=rng.randrange(0, 365))).date()
            w = rng.randrange(1, 7)
            ratings.append(dict(
                hall_id=hall_id, ticket_key=f"b{i}", ticket_number=f"A{i % 999:03d}",
                business_day=day, service_letter=rng.choice("ABCD"), service_name="",
                window=w, staff_no=f"100{w}", staff_name="", source="customer_screen",
                screen_id="", value=rng.choice(quality.RATING_VALUES), asked_at=now,
                created_at=now))
        s.execute(Rating.__table__.insert(), ratings)


def run(db: Database, size: int, label: str) -> None:
    _fill(db, size)
    mgr = staff.sign_in(db, "9001", "888888")

    def bare_list():
        with db.read() as s:
            s.execute(select(Complaint.__table__).where(Complaint.status != "closed")).all()

    def bare_group():
        with db.read() as s:
            s.execute(select(Rating.staff_no, Rating.window, Rating.service_letter, Rating.value,
                             func.count()).group_by(Rating.staff_no, Rating.window,
                                                    Rating.service_letter, Rating.value)).all()

    base_list = _median(bare_list)
    base_group = _median(bare_group)
    t_list = _median(lambda: quality.list_complaints(db, mgr, scope="all"))
    t_over = _median(lambda: quality.overdue(db, mgr))
    t_rep = _median(lambda: quality.report(db, mgr, date_from=dt.date(2000, 1, 1)))
    src = quality.open_customer_screen(db, "HQ01", 1, staff_no="1001")
    tickets = iter(_finished_tickets(db, 20))  # a rating names a real finished ticket
    t_rate = _median(lambda: quality.record_rating(db, src, next(tickets), "satisfied"), n=20)
    print(f"[{label}] complaints={size} ratings={size * 20}")
    print(f"  baseline select open rows      {base_list * 1000:9.2f} ms")
    print(f"  list_complaints(all)           {t_list * 1000:9.2f} ms  ×{t_list / base_list:6.1f}")
    print(f"  overdue()                      {t_over * 1000:9.2f} ms  ×{t_over / base_list:6.1f}")
    print(f"  baseline group ratings         {base_group * 1000:9.2f} ms")
    print(f"  report(all time)               {t_rep * 1000:9.2f} ms  ×{t_rep / base_group:6.1f}")
    print(f"  record_rating (one answer)     {t_rate * 1000:9.2f} ms")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("size", nargs="?", type=int, default=2000)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        with benchdb.fresh_database(tmp, demo=False) as db:
            run(db, a.size, "sqlite")
    if a.pg:
        with benchdb.fresh_database(pg_url=a.pg, demo=False) as db:
            run(db, a.size, "postgresql")
    return 0


if __name__ == "__main__":
    sys.exit(main())
