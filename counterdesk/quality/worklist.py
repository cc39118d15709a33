"""The to-do lists (待办): items by deadline, the overdue ones, follow-up reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import select

from .. import clock
from ..db import Database
from ..errors import PermissionDenied, ValidationError
from ..models.quality import (
    Complaint,
)
from ..staff import Actor
from .deadlines import followup_due, next_followup_slot, rules_for
from .views import ComplaintView, complaint_view, iso


def list_complaints(db: Database, actor: Actor, *, scope: str = "mine",
                    states: Iterable[str] | None = None, include_closed: bool = False
                    ) -> list[ComplaintView]:
    """Items ordered by deadline; ``scope`` 'mine' (owned by the actor) or 'all' (managers)."""
    config = rules_for(db, actor)
    if scope not in ("mine", "all"):
        raise ValidationError("范围应为 mine 或 all", "Scope must be mine or all", field="scope")
    if scope == "all" and not actor.is_manager:
        raise PermissionDenied("查看全部投诉仅限主任；柜员可查看自己负责的事项",
                               "Only managers see every item; clerks see their own")
    now = clock.now()
    with db.read() as s:
        q = select(Complaint).where(Complaint.hall_id == actor.hall_id)
        if scope == "mine":
            q = q.where(Complaint.owner_staff_no == actor.staff_no)
        if not include_closed:
            q = q.where(Complaint.status != "closed")
        rows = s.execute(q.order_by(Complaint.due_at, Complaint.id)).scalars().all()
        out = [complaint_view(c, now, config) for c in rows]
    if states:
        wanted = set(states)
        out = [v for v in out if v.state in wanted]
    order = {"overdue": 0, "due_soon": 1, "pending": 2, "awaiting_followup": 3, "closed": 4}
    return sorted(out, key=lambda v: (order[v.state], v.due_at))




def overdue(db: Database, actor: Actor, *, scope: str = "all") -> list[ComplaintView]:
    return list_complaints(db, actor, scope=scope, states=("overdue",))



@dataclass
class Reminder:
    number: str
    kind_label: str
    contact_name: str
    contact_phone: str  # masked
    owner_staff_no: str
    replied_at: str
    followup_by: str
    next_slot: str
    callable_now: bool
    late: bool

    def to_dict(self) -> dict:
        return asdict(self)


def followup_reminders(db: Database, actor: Actor, *, scope: str = "mine") -> list[Reminder]:
    """Replied items waiting for their follow-up call, earliest first."""
    config = rules_for(db, actor)
    now = clock.now()
    items = list_complaints(db, actor, scope=scope, states=("awaiting_followup",))
    out = []
    for v in items:
        assert v.replied_at is not None  # awaiting its follow-up: replied
        replied = dt.datetime.fromisoformat(v.replied_at)
        by = followup_due(replied, config)
        slot = next_followup_slot(now, config)
        out.append(Reminder(v.number, v.kind_label, v.contact_name, v.contact_phone,
                            v.owner_staff_no, v.replied_at, iso(by), iso(slot),
                            slot == now, now > by))
    return sorted(out, key=lambda r: r.followup_by)

