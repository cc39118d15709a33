"""Account search and bill import at scale.

    python bench/bench_accounts.py [SIZE] [--bills N] [--queries Q] [--pg URL] [--sqlite-only]

SIZE = accounts to generate (default 1,000,000). For each engine (one SQLite file, and
PostgreSQL if ``--pg`` or COUNTERDESK_TEST_DATABASE_URL is set; a throw-away schema) it

1. generates SIZE fictional accounts (``demo.accounts.bulk_create``: COPY / executemany),
2. measures, with the same sample of Q accounts, the latency of
   * the baseline: one primary-key lookup of an account with its holder
     (``SELECT … WHERE accounts.id = ?``) in its own read transaction;
   * ``accounts.search(db, actor, q, key=K)`` for every key K, with what a clerk types:
     account no. (first 8 digits), full name, surname only (the worst prefix: one
     character shared by ~10 % of customers), pinyin initials, phone (first 7 digits),
     ID ending (last 4), address (community + building), meter no. (first 10);
3. imports N bill rows from a CSV file (default 100,000, at most SIZE),

and prints p50 / p95 in ms and each p95 as a ratio to the baseline's p95 (goal: ≤ 10×
and under a 16 ms frame).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text  # noqa: E402

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path

FRAME_MS = 16.0
GOAL_RATIO = 10.0


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))
    return values[k]


def _setup(url: str, schema: str | None, size: int, log) -> tuple:
    from counterdesk import resources_access, setup, staff
    from counterdesk import schema as schema_mod
    from counterdesk.db import Database
    from counterdesk.demo import accounts as accounts_demo
    from counterdesk.models import Base

    db = Database(url, schema=schema)
    Base.metadata.create_all(db.engine)
    schema_mod.stamp(db)
    setup.mark_database(db)
    hall_id = setup.create_hall(db, resources_access.read_toml("demo", "hall.toml"))
    staff.add_user(db, "b1", "基准柜员", "clerk", "benchpw", hall_code="HQ01")
    actor = staff.sign_in(db, "b1", "benchpw", window=1)
    t0 = time.perf_counter()
    step = max(1, size // 10)

    def progress(done):
        if done % step < 20000 or done == size:
            log(f"  generated {done:,} accounts ({time.perf_counter() - t0:.0f} s)")
    accounts_demo.bulk_create(db, hall_id, size, chunk=20000, history=False,
                              progress=progress if size >= 100_000 else None)
    gen_s = time.perf_counter() - t0
    with db.engine.begin() as c:
        c.execute(text("ANALYZE"))
    return db, actor, gen_s


def _sample(db, actor, q: int, seed: int = 7) -> list[dict]:
    from counterdesk.models.accounts import Account, Holder

    rng = random.Random(seed)
    with db.read() as s:
        top = s.execute(select(Account.id).order_by(Account.id.desc()).limit(1)).scalar()
        low = s.execute(select(Account.id).order_by(Account.id).limit(1)).scalar()
        out = []
        for _ in range(q):
            aid = rng.randint(low, top)
            acc, h = s.execute(select(Account, Holder).join(
                Holder, Account.holder_id == Holder.id).where(Account.id == aid)).one()
            out.append({"id": acc.id, "account_no": acc.account_no, "name": h.name,
                        "surname": h.name[0], "initials": h.name_initials[:3],
                        "phone": h.phone[:7], "id_tail": h.id_number[-4:],
                        "address": acc.community + acc.building + "幢",
                        "meter_no": acc.meter_no[:10]})
    return out


KEYS = (("account_no", "account_no", lambda r: r["account_no"][:8]),
        ("name", "name", lambda r: r["name"]),
        ("name", "surname", lambda r: r["surname"]),
        ("initials", "initials", lambda r: r["initials"]),
        ("phone", "phone", lambda r: r["phone"]),
        ("id_tail", "id_tail", lambda r: r["id_tail"]),
        ("address", "address", lambda r: r["address"]),
        ("meter_no", "meter_no", lambda r: r["meter_no"]))


def _measure(db, actor, sample: list[dict]) -> dict:
    from counterdesk import accounts
    from counterdesk.models.accounts import Account, Holder

    def baseline(r):
        with db.read() as s:
            s.execute(select(Account, Holder).join(Holder, Account.holder_id == Holder.id)
                      .where(Account.id == r["id"])).first()

    results = {}
    # warm up caches and prepared statements
    for r in sample[:10]:
        baseline(r)
        for key, _label, q in KEYS:
            accounts.search(db, actor, q(r), key=key)
    times = []
    for r in sample:
        t = time.perf_counter()
        baseline(r)
        times.append((time.perf_counter() - t) * 1000)
    results["pk_lookup"] = times
    for key, label, q in KEYS:
        times = []
        found = 0
        for r in sample:
            t = time.perf_counter()
            res = accounts.search(db, actor, q(r), key=key)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(res.hits)
        results[label] = times
        results[label + "_found"] = found
    return results


def _import(db, actor, n: int, tmpdir: Path) -> tuple[float, int]:
    from counterdesk.accounts import bills_import
    from counterdesk.models.accounts import Account

    with db.read() as s:
        nos = s.execute(select(Account.account_no).order_by(Account.id).limit(n)).scalars().all()
    rows = [{"account": no, "period": "2026-10", "volume": f"{(i % 500) / 10:.2f}",
             "amount": f"{(i % 30000) / 100 + 3:.2f}", "due_date": "2026-11-20"}
            for i, no in enumerate(nos)]
    path = tmpdir / f"bills-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(bills_import.to_csv(rows), encoding="utf-8")
    t = time.perf_counter()
    res = bills_import.import_bills(db, actor, path)
    return time.perf_counter() - t, res.rows


def run_engine(name: str, url: str, schema: str | None, size: int, bills: int, queries: int,
               tmpdir: Path, log=print) -> dict:
    log(f"[{name}] generating {size:,} accounts …")
    db, actor, gen_s = _setup(url, schema, size, log)
    try:
        sample = _sample(db, actor, queries)
        res = _measure(db, actor, sample)
        imp_s, imp_rows = _import(db, actor, min(bills, size), tmpdir)
    finally:
        db.dispose()
    base = _p(res["pk_lookup"], 0.95)
    table = {"engine": name, "accounts": size, "generate_s": round(gen_s, 1),
             "pk_lookup": {"p50_ms": round(_p(res["pk_lookup"], 0.5), 3),
                           "p95_ms": round(base, 3)},
             "search": {}, "bill_import": {"rows": imp_rows, "seconds": round(imp_s, 2),
                                           "rows_per_s": round(imp_rows / imp_s) if imp_s else 0}}
    for _key, label, _q in KEYS:
        p95 = _p(res[label], 0.95)
        table["search"][label] = {"p50_ms": round(_p(res[label], 0.5), 3),
                                  "p95_ms": round(p95, 3),
                                  "ratio_to_pk": round(p95 / base, 1) if base else None,
                                  "found": f"{res[label + '_found']}/{len(sample)}",
                                  "under_frame": p95 < FRAME_MS}
    return table


def report(t: dict, log=print) -> None:
    log(f"\n== {t['engine']}: {t['accounts']:,} accounts (generated in {t['generate_s']} s)")
    log(f"primary-key lookup      p50 {t['pk_lookup']['p50_ms']:7.3f} ms   "
        f"p95 {t['pk_lookup']['p95_ms']:7.3f} ms   (baseline)")
    for label, r in t["search"].items():
        flag = "" if (r["ratio_to_pk"] or 0) <= GOAL_RATIO and r["under_frame"] else "  <-- over goal"
        log(f"search {label:<16} p50 {r['p50_ms']:7.3f} ms   p95 {r['p95_ms']:7.3f} ms   "
            f"{r['ratio_to_pk']:5.1f}× pk   found {r['found']}{flag}")
    b = t["bill_import"]
    log(f"bill import             {b['rows']:,} rows in {b['seconds']} s "
        f"({b['rows_per_s']:,} rows/s)")


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--bills", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""))
    ap.add_argument("--sqlite-only", action="store_true")
    a = ap.parse_args(argv)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        url = "sqlite:///" + (tmpdir / "bench.sqlite3").as_posix()
        t = run_engine("SQLite", url, None, a.size, a.bills, a.queries, tmpdir)
        report(t)
        out.append(t)
        if a.pg and not a.sqlite_only:
            with benchdb.pg_schema(a.pg) as sch:
                t = run_engine("PostgreSQL", a.pg, sch, a.size, a.bills, a.queries, tmpdir)
                report(t)
                out.append(t)
    return out


if __name__ == "__main__":
    main()
