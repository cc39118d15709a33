"""Gapless numbers (ticket numbers per day, receipt numbers per year).

The counter row is locked for the rest of the caller's transaction, so a number is
used only if that transaction commits, and two PCs never get the same number.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import Counter


def next_value(session: Session, hall_id: int, name: str) -> int:
    """Increment and return the counter ``name`` of ``hall_id`` inside the transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(Counter).values(hall_id=hall_id, name=name, value=0)
                        .on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(Counter).values(hall_id=hall_id, name=name, value=0)
                        .on_conflict_do_nothing())
    value = session.execute(
        update(Counter).where(Counter.hall_id == hall_id, Counter.name == name)
        .values(value=Counter.value + 1).returning(Counter.value)).scalar_one()
    return int(value)


def peek(session: Session, hall_id: int, name: str) -> int:
    return int(session.execute(select(Counter.value).where(
        Counter.hall_id == hall_id, Counter.name == name)).scalar() or 0)
