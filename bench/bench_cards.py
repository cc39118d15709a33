"""IC card figures: a purchase from card read to written card, against a bare cash payment.

    python bench/bench_cards.py [SIZE] [--pg URL] [--no-pcsc]

SIZE = purchases per measurement (default 100). On an SQLite file (and on PostgreSQL when
``--pg`` is given or COUNTERDESK_TEST_DATABASE_URL is set; a throw-away schema) it
measures, interleaved, the median (p50) of:

* **cash payment**: ``billing.pay`` of a one-line walk-in item in exact cash (the bare sale
  a card purchase is compared with);
* **card purchase (sim:)**: ``cards.buy`` with the simulator — read the card (checks,
  回抄), price at the tiers, payment + purchase 'to write' in one transaction, write the
  card, record it (a lazily committed transaction) — as a ratio to the cash payment (goal
  ≤ 2×); both make a new request key, which is looked up only after a
  connection fault;
* **card purchase (pcsc:)** through pcscd + vpcd + the virtual card of tests/helpers/pcsc.py
  when that stack starts (printed: the card I/O dominates).

Between two purchases the meter takes the last one (not timed).
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

from sqlalchemy import select  # noqa: E402

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path
from counterdesk import billing, cards, clock, staff  # noqa: E402
from counterdesk.billing import LineInput, SaleRequest, TenderInput  # noqa: E402
from counterdesk.cards.drivers.sim import SimReader, meter_insert  # noqa: E402
from counterdesk.db import Database  # noqa: E402

CASH = SaleRequest(items=[LineInput("REPAIR", "1")], tenders=[TenderInput("cash")])


def _prepare(db: Database, folder: Path):
    from tests.helpers.cards import ic_account

    actor = staff.sign_in(db, "1001", "123456", window=1)
    return actor, ic_account(db)


def _p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _purchases(db, actor, reader, take, size: int, cash: list[float] | None = None
               ) -> list[float]:
    out = []
    for _ in range(size):
        if cash is not None:
            t = time.perf_counter()
            billing.pay(db, actor, CASH)
            cash.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = cards.buy(db, actor, reader, volume="1", tenders=[TenderInput("cash")])
        out.append(time.perf_counter() - t)
        assert res.written, res.message
        take()
    return out


def bench_engine(name: str, db: Database, size: int, folder: Path) -> dict:
    actor, acc = _prepare(db, folder)
    sim = SimReader(folder / f"sim-{name}")
    sim.folder.mkdir(parents=True)
    cards.issue(db, actor, sim, acc, tenders=[TenderInput("cash")])
    _purchases(db, actor, sim, lambda: meter_insert(sim), 3, [])     # warm up
    cash: list[float] = []
    buy = _purchases(db, actor, sim, lambda: meter_insert(sim), size, cash)
    c, b = _p50(cash), _p50(buy)
    print(f"{name:<10} cash payment p50 {c:8.3f} ms | card purchase sim: read→written p50 "
          f"{b:8.3f} ms | ratio {b / c:5.2f}x (goal <= 2x)")
    return {"engine": name, "cash_ms": c, "card_ms": b, "ratio": b / c, "db": db,
            "actor": actor}


def bench_pcsc(db: Database, actor, size: int) -> dict | None:
    from counterdesk.models.cards import Card
    from tests.helpers.pcsc import VirtualCard, pcsc_stack

    stack, why = pcsc_stack()
    if stack is None:
        print(f"pcsc       {why}")
        return None
    try:
        stack.insert(VirtualCard())
        from tests.helpers.cards import ic_account

        acc = ic_account(db, "0100088899", "IC0100888099")
        reader = cards.open_reader(f"pcsc:{stack.reader_name()}")
        cards.issue(db, actor, reader, acc, tenders=[TenderInput("cash")])
        with db.read() as s:
            assert s.execute(select(Card).where(Card.status == "active")).first()
        _purchases(db, actor, reader, stack.card.meter_take, 2)
        times = _purchases(db, actor, reader, stack.card.meter_take, size)
        ms = _p50(times)
        print(f"pcsc       card purchase through pcscd + vpcd + virtual card p50 {ms:8.3f} ms")
        return {"card_ms": ms}
    finally:
        stack.close()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("size", nargs="?", type=int, default=100)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    ap.add_argument("--no-pcsc", action="store_true")
    a = ap.parse_args(argv)
    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("COUNTERDESK_HOME", tmp)
        with benchdb.fresh_database(tmp) as db:
            out["sqlite"] = bench_engine("sqlite", db, a.size, Path(tmp))
            if not a.no_pcsc:
                out["pcsc"] = bench_pcsc(db, out["sqlite"]["actor"], max(a.size // 4, 3))
        if a.pg:
            with benchdb.fresh_database(pg_url=a.pg) as db:
                out["postgresql"] = bench_engine("postgresql", db, a.size, Path(tmp))
    for v in out.values():
        if isinstance(v, dict):
            v.pop("db", None)
            v.pop("actor", None)
    clock.set_now(None)
    return out


if __name__ == "__main__":
    main()
