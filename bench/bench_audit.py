"""``audit verify`` over a year of a 20-window hall (审计校验性能).

    python bench/bench_audit.py [SIZE] [--pg URL]

SIZE = payments in the year (default 500000), over 250 business days and 20 windows,
each with one or two lines, one tender and a receipt, and one audit event whose payload
carries the rows' content hashes — what ``billing.pay`` writes. The rows and the chain
are written in bulk (this measures the check, not the sale). Then:

* baseline: reading the same rows — every event and every row of the covered tables,
  fetched, as ``audit verify`` reads them;
* ``audit.verify``: recompute every event hash and every row hash, compare.

Prints both times and the ratio verify / baseline (goal ≤ 5×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import benchdb  # noqa: E402 - importable once the repository root is on the path

FIRST_DAY = dt.date(2026, 1, 5)
WINDOWS = 20
DAYS = 250
CHUNK = 5000


def _fill(db, n: int, seed: int = 16) -> None:
    """Bulk-write ``n`` payments and their audit events, chunk by chunk."""
    from sqlalchemy import insert, select, update

    from counterdesk import audit
    from counterdesk.models import AuditEvent, AuditHead, Hall, Staff
    from counterdesk.models.billing import Payment, PaymentLine, PaymentTender, Receipt

    rng = random.Random(seed)
    with db.write() as s:
        hall = s.execute(select(Hall)).scalars().first()
        st = s.execute(select(Staff)).scalars().first()
        hall_id, hall_code, staff_id, staff_no = hall.id, hall.code, st.id, st.staff_no
        seq, prev = audit.head(s, hall_code)
    covered = [audit.COVERED[t] for t in ("payments", "payment_lines", "payment_tenders",
                                          "receipts")]
    per_day = max(1, n // DAYS)
    line_id = tender_id = 0
    for lo in range(1, n + 1, CHUNK):
        hi = min(n, lo + CHUNK - 1)
        pays, lines, tenders, receipts = [], [], [], []
        for pid in range(lo, hi + 1):
            day = FIRST_DAY + dt.timedelta(days=(pid - 1) // per_day * 7 // 5)
            at = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(seconds=pid % 30000)
            window = pid % WINDOWS + 1
            n_lines = rng.choice((1, 1, 2))
            total = 0
            for k in range(n_lines):
                line_id += 1
                price = rng.choice((2000, 3000, 6800, 1500, 29800))
                qty = rng.choice((1, 1, 2, 2.5))
                amount = int(price * qty)
                total += amount
                lines.append(dict(id=line_id, payment_id=pid, line_no=k + 1, item_code="X",
                                  item_name="项目", unit="项", qty=qty, unit_price_fen=price,
                                  amount_fen=amount, detail=""))
            tender_id += 1
            tenders.append(dict(id=tender_id, payment_id=pid, method="cash", amount_fen=total,
                                tendered_fen=total, change_fen=0, reference="", cheque_no="",
                                bank=""))
            pays.append(dict(id=pid, hall_id=hall_id, business_day=day, window=window,
                             staff_id=staff_id, staff_no=staff_no, kind="sale",
                             status="completed", total_fen=total, reason="", created_at=at))
            receipts.append(dict(id=pid, hall_id=hall_id, year=day.year, seq=pid,
                                 receipt_no=f"{day.year}-{pid:06d}", payment_id=pid,
                                 verification_code="X", print_count=1, created_at=at))
        with db.write() as s:
            for model, rows in ((Payment, pays), (PaymentLine, lines),
                                (PaymentTender, tenders), (Receipt, receipts)):
                s.execute(insert(model), rows)
            # the rows' hashes as the database gives them back (the same read as verify)
            hashes: dict[int, dict[str, dict[str, str]]] = {}
            for cov in covered:
                key = cov.table.c.id if cov.name == "payments" else cov.table.c.payment_id
                cols = [c.name for c in cov.columns]
                fk = cols.index("id" if cov.name == "payments" else "payment_id")
                for row in s.execute(cov.select().where(key.between(lo, hi))):
                    hashes.setdefault(row[fk], {}).setdefault(cov.name, {})[str(row[0])] = \
                        cov.digest(row).hex()
            events = []
            for p in pays:
                seq += 1
                payload = {"receipt_no": f"{p['business_day'].year}-{p['id']:06d}",
                           "payment_id": p["id"], "business_day": p["business_day"],
                           "total_fen": p["total_fen"], "account_no": None,
                           "lines": [], "tenders": [{"method": "cash",
                                                     "amount_fen": p["total_fen"]}],
                           "row_hashes": hashes[p["id"]]}
                ev = AuditEvent(chain=hall_code, seq=seq, at=p["created_at"], hall_code=hall_code,
                                window=p["window"], staff_no=staff_no, kind="payment.sale",
                                payload=audit.canonical_json(payload), prev_hash=prev)
                ev.hash = audit.compute_hash(prev, ev)
                events.append({c: getattr(ev, c) for c in ("chain", "seq", "at", "hall_code",
                                                           "window", "staff_no", "kind",
                                                           "payload", "prev_hash", "hash")})
                prev = ev.hash
            s.execute(insert(AuditEvent), events)
            s.execute(update(AuditHead).where(AuditHead.hall_code == hall_code)
                      .values(seq=seq, hash=prev, prev_hash=events[-1]["prev_hash"]))


def _read_all(db) -> int:
    """The baseline: fetch every event and every covered row (no hashing)."""
    from sqlalchemy import select

    from counterdesk import audit
    from counterdesk.models import AuditEvent

    n = 0
    with db.read() as s:
        for _ in s.execute(select(AuditEvent.__table__).order_by(AuditEvent.id)
                           .execution_options(yield_per=10_000)):
            n += 1
        for cov in audit.COVERED.values():
            for _ in s.execute(cov.select().order_by(cov.table.c.id)
                               .execution_options(yield_per=10_000)):
                n += 1
    return n


def run(size: int = 500_000, *, folder: Path | str | None = None, pg_url: str | None = None,
        emit=print) -> dict:
    from counterdesk import audit

    with benchdb.fresh_database(folder, pg_url, file="bench_audit.sqlite3") as db:
        t = time.perf_counter()
        _fill(db, size)
        fill_s = time.perf_counter() - t
        t = time.perf_counter()
        rows = _read_all(db)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        res = audit.verify(db)
        verify_s = time.perf_counter() - t
        assert res.ok, res.problems[:3]
        out = {"engine": db.dialect, "payments": size, "events": res.count,
               "rows_checked": res.rows_checked, "rows_read": rows,
               "fill_s": round(fill_s, 2), "read_s": round(read_s, 3),
               "verify_s": round(verify_s, 3),
               "ratio": round(verify_s / read_s, 2) if read_s else 0.0}
        if emit:
            emit(f"[{out['engine']}] {size} payments, {res.count} events, "
                 f"{res.rows_checked} covered rows (filled in {fill_s:.0f} s)")
            emit(f"  reading the same rows : {read_s:8.2f} s  (baseline)")
            emit(f"  audit verify          : {verify_s:8.2f} s  = {out['ratio']}× baseline "
                 "(goal ≤ 5×)")
        return out


def main(argv: list[str] | None = None) -> list[dict]:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", nargs="?", type=int, default=500_000, help="payments in the year")
    ap.add_argument("--pg", default=os.environ.get("COUNTERDESK_TEST_DATABASE_URL", ""),
                    help="also run on this PostgreSQL server")
    args = ap.parse_args(argv)
    out = [run(args.size)]
    if args.pg:
        out.append(run(args.size, pg_url=args.pg))
    return out


if __name__ == "__main__":
    main()
