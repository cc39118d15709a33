"""Cash and the clerk's till (issue 18.4/18.12): the moment cash moves, the till is checked.

* No till opened today: hall policy ``cash.require_open_till`` (default off) on refuses the
  cash; off, the payment goes through with a warning.
* The till already counted (盲点), submitted or countersigned: the cash is taken (the
  customer is at the window) with a warning that the manager must reopen the count
  (钱箱页“重新开启点钞”) before the day can close — the day close names the till too.

:func:`check` runs inside the payment's transaction; :func:`warning` is the same check
read-only, for the screen before the payment is taken.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, policy
from ..db import Database
from ..errors import Conflict
from ..i18n import pick
from ..models.cash import Till
from ..staff import Actor


def _status(s: Session, actor: Actor, day: dt.date) -> str | None:
    return s.execute(select(Till.status).where(
        Till.hall_id == actor.hall_id, Till.business_day == day,
        Till.staff_id == actor.staff_id)).scalar()


def _no_till(actor: Actor) -> tuple[str, str]:
    return (f"工号 {actor.staff_no} 今天还没有开钱箱：收现金须先在“钱箱”页开箱点备用金",
            f"{actor.staff_no} has no till open today: open the till (count the float) on the "
            "Till tab before taking cash")


def _counted() -> tuple[str, str]:
    return ("钱箱已点钞：这笔现金在点钞之后，须由主任在“钱箱”页重新开启点钞后重点，否则不能日结",
            "The till is already counted: this cash comes after the count; a manager must "
            "reopen the count on the Till tab and it must be recounted before the day close")


def check(s: Session, actor: Actor, status: str | None) -> str:
    """Inside the payment's transaction, for a payment with cash: raise when the policy
    refuses; else the warning to show ('' when all is well). ``status``: the clerk's till
    of the day, as :func:`dayguard.ensure_open` read it (None: no till today)."""
    required = bool(policy.get(s, actor.hall_id, "cash.require_open_till"))
    if not status:
        zh, en = _no_till(actor)
        if required:
            raise Conflict(zh, en, field="till")
        return pick(zh, en)
    if status != "open":
        return pick(*_counted())
    return ""


def after_count(status: str | None) -> str:
    """For cash paid back (void, refund): the warning when the till is already counted."""
    return pick(*_counted()) if status and status != "open" else ""


def warning(db: Database, actor: Actor) -> str:
    """What :func:`check` would say now, read-only (for the payment screen)."""
    with db.read() as s:
        status = _status(s, actor, clock.today())
    if not status:
        return pick(*_no_till(actor))
    return pick(*_counted()) if status != "open" else ""
