"""The closed-day lock: money-moving services call :func:`ensure_open` in their
transaction, so nothing is paid, voided, refunded or moved in a closed day.

Concurrency (PostgreSQL): every money-moving transaction takes a SHARE lock on its
hall's row (``SELECT … FROM halls … FOR SHARE``, compatible between payments); the day
close takes the same row ``FOR UPDATE`` (:func:`lock_for_close`). So a close waits for
the payments in flight to commit and then counts them, and a payment that starts while
the close runs waits for it and is then refused — a payment is never lost between the
two. On SQLite the immediate write transactions are serialised anyway.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from . import clockcheck, policy
from .errors import Conflict
from .models.cash import DayClose, Till
from .models.core import Hall


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# constant statements (built and keyed once; every payment runs them)
_STATUS_Q = select(DayClose.status).where(DayClose.hall_id == bindparam("g_hall"),
                                          DayClose.business_day == bindparam("g_day"))
# Two statements on purpose: the status must be read by a statement that starts after
# the share lock is granted (READ COMMITTED gives it a fresh snapshot, so it sees a
# close that committed while this payment waited); joined into the locking statement it
# would be read from the snapshot taken before the wait (tested in test_cash_concurrency).
# The same statement reads the server's clock (issue 17.11: no extra round trip).
_SHARE_Q = select(Hall.id, clockcheck.server_now_column()).where(
    Hall.id == bindparam("g_hall")).with_for_update(read=True)
_CLOSE_LOCK_Q = select(Hall.id).where(Hall.id == bindparam("g_hall")).with_for_update()


# the day's status and a clerk's till status in one statement (a payment needs both)
_STATUS_TILL_Q = select(
    _STATUS_Q.scalar_subquery(),
    select(Till.status).where(Till.hall_id == bindparam("g_hall"),
                              Till.business_day == bindparam("g_day"),
                              Till.staff_id == bindparam("g_staff")).scalar_subquery())


def is_closed(session: Session, hall_id: int, day: dt.date) -> bool:
    return session.execute(_STATUS_Q, {"g_hall": hall_id, "g_day": day}).scalar() == "closed"


def ensure_open(session: Session, hall_id: int, day: dt.date, *,
                till_staff_id: int | None = None) -> str | None:
    """Refuse if ``day`` is closed, or (PostgreSQL) if this PC's clock is off the server's by
    more than the hall allows; hold the hall's share lock until the caller commits.

    ``till_staff_id``: also read that person's till status of the day (returned; None
    when no till is open), by the same statement as the day's."""
    if _pg(session):
        row = session.execute(_SHARE_Q, {"g_hall": hall_id}).first()
        if row is not None:
            clockcheck.ensure_in_step(row[1], int(policy.get(session, hall_id,
                                                             "clock.max_skew_seconds")))
    till: str | None = None
    if till_staff_id is None:
        closed = is_closed(session, hall_id, day)
    else:
        status, till = session.execute(_STATUS_TILL_Q, {"g_hall": hall_id, "g_day": day,
                                                        "g_staff": till_staff_id}).one()
        closed = status == "closed"
    if closed:
        raise Conflict(f"{day:%Y-%m-%d} 已日结，不能再收费、作废、退款或变动钱箱；如确需更正，请主任先重新开启该日",
                       f"{day:%Y-%m-%d} is closed: no payment, void, refund or till movement; "
                       "a manager must reopen the day first", field="date")
    return till


def lock_for_close(session: Session, hall_id: int) -> None:
    """Taken by the day close before it counts: waits for payments in flight."""
    if _pg(session):
        session.execute(_CLOSE_LOCK_Q, {"g_hall": hall_id})
