"""Safety inspections (安检) and their schedule [004 第十九条].

Each account is due an inspection a number of months after its last one (or after it
was opened), by customer type: ``inspection.resident_months`` (6: twice a year) and
``inspection.nonresident_months`` (3: quarterly). A visit where nobody was home
(到访不遇) does not count as an inspection; it records the next attempt.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from .. import validators as V
from ..db import Database
from ..errors import Conflict, NotFound, ValidationError
from ..models.accounts import Account, Holder
from ..models.orders import INSPECTION_OUTCOMES, Inspection
from ..privacy import mask_name
from ..staff import Actor
from ..validators import typed
from .kinds import norm, policy
from .views import account_address

OUTCOME_LABELS = {"passed": "合格", "hazard": "发现隐患", "not_home": "到访不遇"}
COUNTED = ("passed", "hazard")


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def interval_months(session: Session, hall_id: int, customer_type: str) -> int:
    key = ("inspection.resident_months" if customer_type == "resident"
           else "inspection.nonresident_months")
    return int(policy(session, hall_id, key))


def write(session: Session, actor: Actor, account_no: str, outcome: str, now: dt.datetime, *,
          note: str = "", hazard: str = "", next_attempt: dt.date | None = None,
          order_number: str = "") -> Inspection:
    """One inspection visit, in the caller's transaction."""
    outcome = norm(outcome)
    if outcome not in INSPECTION_OUTCOMES:
        raise ValidationError("安检结果应为 合格(passed)、隐患(hazard) 或 到访不遇(not_home)",
                              "The outcome must be passed, hazard or not_home", field="outcome")
    hazard = V.text(hazard, "note", max_len=1000)
    note = V.text(note, "note", max_len=1000)
    if outcome == "hazard" and not (hazard or note):
        raise ValidationError("发现隐患时请写明隐患内容", "Describe the hazard found",
                              field="hazard")
    if outcome == "not_home":
        next_attempt = next_attempt or (now.date() + dt.timedelta(days=7))
        if next_attempt <= now.date():
            raise ValidationError("下次上门日期应晚于今天", "The next attempt must be after "
                                  "today", field="next_attempt")
    else:
        next_attempt = None
    row = Inspection(hall_id=actor.hall_id, account_no=account_no, at=now, outcome=outcome,
                     staff_no=actor.staff_no, order_number=order_number,
                     note=hazard or note, next_attempt_on=next_attempt,
                     supply_stopped=outcome == "hazard")
    session.add(row)
    session.flush()
    actor.audit(session, "inspection.recorded", {
        "account_no": account_no, "outcome": outcome, "order": order_number,
        "next_attempt": next_attempt, "supply_stopped": outcome == "hazard"})
    return row


def record(db: Database, actor: Actor, account_no: str, outcome: str, *, note: str = "",
           hazard: str = "", next_attempt: dt.date | None = None) -> dict:
    """Record an inspection visit without an order (a hazard stops supply here too)."""
    account_no = typed(account_no)
    now = clock.now()
    with db.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no,
                                              Account.hall_id == actor.hall_id)).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在", f"No account {account_no}",
                           field="account_no")
        if acc.status == "closed":
            raise Conflict(f"户号 {account_no} 已销户", f"Account {account_no} is closed",
                           field="account_no")
        row = write(s, actor, account_no, outcome, now, note=note, hazard=hazard,
                    next_attempt=next_attempt)
        out = {"account_no": account_no, "outcome": row.outcome,
               "outcome_label": OUTCOME_LABELS[row.outcome], "at": row.at.isoformat(),
               "next_attempt": row.next_attempt_on.isoformat() if row.next_attempt_on
               else None, "supply_stopped": row.supply_stopped, "note": row.note,
               "next_due": next_due(s, acc).isoformat()}
    if out["supply_stopped"]:
        from .gates import sync_supply

        sync_supply(db, actor, account_no, "suspend", f"安检 {account_no}")
    return out


def _last_counted(session: Session, hall_id: int, account_no: str) -> dt.datetime | None:
    return session.execute(select(func.max(Inspection.at)).where(
        Inspection.hall_id == hall_id, Inspection.account_no == account_no,
        Inspection.outcome.in_(COUNTED))).scalar()


def next_due(session: Session, acc: Account) -> dt.date:
    last = _last_counted(session, acc.hall_id, acc.account_no)
    base = (last or acc.opened_at).date()
    return add_months(base, interval_months(session, acc.hall_id, acc.customer_type))


def is_overdue(session: Session, acc: Account, today: dt.date | None = None) -> bool:
    return next_due(session, acc) < (today or clock.today())


@dataclass
class DueRow:
    account_no: str
    holder: str                 # masked
    address: str
    customer_type: str
    last_inspected: str | None
    next_due: str
    overdue: bool
    days_overdue: int
    not_home_count: int         # 到访不遇 since the last inspection
    next_attempt: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def due(db: Database, actor: Actor, *, district: str = "", street: str = "",
        community: str = "", within_days: int = 30, only_overdue: bool = False,
        today: dt.date | None = None) -> list[DueRow]:
    """Accounts due (within ``within_days``) or overdue for inspection in an area, most
    overdue first, with the nobody-home attempts since the last inspection."""
    today = today or clock.today()
    if within_days < 0:
        raise ValidationError("天数不能为负", "Days cannot be negative", field="days")
    horizon = today + dt.timedelta(days=within_days)
    with db.read() as s:
        q = select(Account.account_no, Account.customer_type, Account.opened_at,
                   Account.district, Account.street, Account.community, Account.building,
                   Account.unit, Account.room, Account.address_text, Holder.name, Holder.kind
                   ).join(Holder, Holder.id == Account.holder_id).where(
            Account.hall_id == actor.hall_id, Account.status != "closed")
        for col, value in ((Account.district, district), (Account.street, street),
                           (Account.community, community)):
            if value:
                q = q.where(col == value.strip())
        accounts = s.execute(q.order_by(Account.account_no)).all()
        nos = [a.account_no for a in accounts]
        last: dict[str, dt.datetime] = {}
        misses: dict[str, list[Inspection]] = {}
        for chunk in range(0, len(nos), 500):
            part = nos[chunk:chunk + 500]
            last.update(s.execute(select(Inspection.account_no, func.max(Inspection.at)).where(
                Inspection.hall_id == actor.hall_id, Inspection.account_no.in_(part),
                Inspection.outcome.in_(COUNTED)).group_by(Inspection.account_no)).all())
            for r in s.execute(select(Inspection).where(
                    Inspection.hall_id == actor.hall_id, Inspection.account_no.in_(part),
                    Inspection.outcome == "not_home").order_by(Inspection.at)).scalars():
                misses.setdefault(r.account_no, []).append(r)
        # resident, or any other type of the hall's (accounts.customer_types): non-resident
        resident_months = interval_months(s, actor.hall_id, "resident")
        other_months = interval_months(s, actor.hall_id, "non-resident")
        rows = []
        for acc in accounts:
            seen = last.get(acc.account_no)
            months = resident_months if acc.customer_type == "resident" else other_months
            nd = add_months((seen or acc.opened_at).date(), months)
            if nd > horizon or (only_overdue and nd >= today):
                continue
            tries = [m for m in misses.get(acc.account_no, []) if seen is None or m.at > seen]
            rows.append(DueRow(
                acc.account_no, mask_name(acc.name, acc.kind), account_address(acc), acc.customer_type,
                seen.date().isoformat() if seen else None, nd.isoformat(), nd < today,
                max(0, (today - nd).days), len(tries),
                tries[-1].next_attempt_on.isoformat() if tries and tries[-1].next_attempt_on
                else None))
    rows.sort(key=lambda r: (r.next_due, r.account_no))
    return rows
