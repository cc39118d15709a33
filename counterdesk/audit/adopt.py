"""Adopting the rows of a database that predates row coverage (schema 0016).

Rows written before the chain vouched for business rows have no event that holds their
hash, so ``audit verify`` would name every one of them. The migration leaves a mark in
``meta``; after the upgrade, :func:`adopt_pending` appends ``audit.rows_adopted`` events
(5,000 rows each) that vouch for the rows as they are at the upgrade — from then on any
change to them is seen. (What was changed before the upgrade cannot be told any more.)
"""

from __future__ import annotations

from sqlalchemy import delete, select

from ..db import Database
from ..models import Meta
from .chain import record
from .coverage import COVERED, Rows

MARK = "audit_rows_adopt"
CHUNK = 5000


def adopt_pending(db: Database) -> int:
    """Adopt every covered row if the migration asked for it; returns the rows adopted."""
    with db.read() as s:
        if s.get(Meta, MARK) is None:
            return 0
    done = 0
    for name, cov in COVERED.items():
        col = cov.table.c.id
        last = 0
        while True:
            with db.write() as s:
                ids = s.execute(select(col).where(col > last).order_by(col).limit(CHUNK)
                                ).scalars().all()
                if not ids:
                    break
                record(s, "audit.rows_adopted", {"table": name, "rows": len(ids)},
                       rows=[Rows(cov.table, col.between(ids[0], ids[-1]))])
            last = ids[-1]
            done += len(ids)
    with db.write() as s:
        s.execute(delete(Meta).where(Meta.key == MARK))
    return done
