"""The closed-day lock: money-moving services call :func:`ensure_open` in their
transaction, so nothing is paid, voided, refunded or moved in a closed day.

On PostgreSQL the day-close row is read ``FOR SHARE``: a concurrent close that is
writing that row waits for the payment to commit (and so includes it) or the payment
waits and is then refused — never lost.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import Conflict
from .models.cash import DayClose


def is_closed(session: Session, hall_id: int, day: dt.date) -> bool:
    q = select(DayClose.status).where(DayClose.hall_id == hall_id, DayClose.business_day == day)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(read=True)
    return session.execute(q).scalar() == "closed"


def ensure_open(session: Session, hall_id: int, day: dt.date) -> None:
    if is_closed(session, hall_id, day):
        raise Conflict(f"{day:%Y-%m-%d} 已日结，不能再收费、作废、退款或变动钱箱；如确需更正，请主任先重新开启该日",
                       f"{day:%Y-%m-%d} is closed: no payment, void, refund or till movement; "
                       "a manager must reopen the day first", field="date")
