"""Receipt numbers stay gapless and unique when several PCs take payments at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from counterdesk.models.billing import Payment, PrintJob, Receipt

ROOT = Path(__file__).resolve().parents[2]

WORKER = r"""
import datetime as dt, sys
from counterdesk import billing, clock, staff
from counterdesk.db import Database
from counterdesk.errors import CounterDeskError
clock.set_now(dt.datetime(2026, 11, 23, 10, 15))
db = Database(sys.argv[1], schema=sys.argv[2] or None)
who, n = sys.argv[3], int(sys.argv[4])
a = staff.sign_in(db, who, "123456", window=int(who[-1]))
ok = 0
for i in range(n):
    try:   # every third request is refused (tendered < due): it must not use a number
        tendered = 1 if i % 3 == 2 else None
        billing.pay(db, a, billing.SaleRequest(
            items=[billing.LineInput("CARD"), billing.LineInput("HOSE", "1.5")],
            tenders=[billing.TenderInput("cash", tendered_fen=tendered)]))
        ok += 1
    except CounterDeskError:
        pass
print(ok)
"""


@pytest.mark.slow
@pytest.mark.parametrize("db_kind", [pytest.param("postgresql", marks=pytest.mark.pg)])
def test_receipt_numbers_gapless_across_processes(demo_db, tmp_path):
    script = tmp_path / "w.py"
    script.write_text(WORKER, encoding="utf-8")
    env = {**os.environ, "COUNTERDESK_HOME": str(tmp_path / "h")}
    procs = [subprocess.Popen([sys.executable, str(script), demo_db.url, demo_db.schema or "",
                               who, "12"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, env=env)
             for who in ("1001", "1002", "1003", "1004")]
    done = 0
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        done += int(out.strip())
    assert done == 4 * 8
    with demo_db.read() as s:
        seqs = sorted(s.execute(select(Receipt.seq)).scalars())
        nos = s.execute(select(Receipt.receipt_no)).scalars().all()
        assert seqs == list(range(1, done + 1))
        assert len(set(nos)) == done
        assert len(s.execute(select(Payment)).scalars().all()) == done
        assert len(s.execute(select(PrintJob)).scalars().all()) == done
    from counterdesk import audit

    assert audit.verify(demo_db).ok
