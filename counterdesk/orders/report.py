"""The work-order report by kind: on-time rate of each deadline, open and overdue
orders, follow-up results. Customer names and phones are masked (it goes on paper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from .. import clock
from ..db import Database
from ..errors import ValidationError
from ..models import Hall
from ..models.orders import ORDER_KINDS, WorkOrder
from ..staff import Actor, require_manager
from .kinds import KIND_LABELS, label
from .views import OPEN_STATUSES, iso, masked, on_time, view

DEADLINES = (("onsite", "onsite_at", "onsite_due_at"), ("result", "result_at", "result_due_at"),
             ("followup", "followed_up_at", "followup_due_at"))


def _rate(hits: int, decided: int) -> float | None:
    return round(hits / decided, 4) if decided else None


def report(db: Database, actor: Actor, *, date_from: dt.date | None = None,
           date_to: dt.date | None = None) -> dict:
    require_manager(actor)
    date_to = date_to or clock.today()
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期", "The start date is after the end date",
                              field="from")
    now = clock.now()
    start = dt.datetime.combine(date_from, dt.time())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    with db.read() as s:
        hall = s.get(Hall, actor.hall_id)
        period = s.execute(select(WorkOrder).where(
            WorkOrder.hall_id == actor.hall_id, WorkOrder.created_at >= start,
            WorkOrder.created_at < end).order_by(WorkOrder.id)).scalars().all()
        open_rows = s.execute(select(WorkOrder).where(
            WorkOrder.hall_id == actor.hall_id,
            WorkOrder.status.in_((*OPEN_STATUSES, "closed"))).order_by(WorkOrder.id)
        ).scalars().all()
        by_kind = []
        for kind in ORDER_KINDS:
            rows = [o for o in period if o.kind == kind]
            d: dict[str, Any] = {
                "kind": kind, "kind_label": label(KIND_LABELS, kind), "total": len(rows),
                "done": sum(o.result == "done" for o in rows),
                "open": sum(o.status in OPEN_STATUSES for o in rows),
                "satisfied": sum(o.verdict == "satisfied" for o in rows),
                "unsatisfied": sum(o.reopen_count for o in rows),
                "reopened": sum(o.reopen_count > 0 for o in rows)}
            for name, done_attr, due_attr in DEADLINES:
                marks = [on_time(getattr(o, done_attr), getattr(o, due_attr), now) for o in rows]
                decided = [m for m in marks if m is not None]
                d[f"{name}_decided"] = len(decided)
                d[f"{name}_on_time"] = sum(decided)
                d[f"{name}_rate"] = _rate(sum(decided), len(decided))
            by_kind.append(d)
        open_views = [view(o, now) for o in open_rows]
        items = [masked(view(o, now)) for o in period]
    followups = {"satisfied": sum(d["satisfied"] for d in by_kind),
                 "unsatisfied": sum(d["unsatisfied"] for d in by_kind)}
    return {
        "hall": hall.name if hall else "", "company": hall.company_name if hall else "",
        "from": date_from.isoformat(), "to": date_to.isoformat(), "generated_at": iso(now),
        "generated_by": actor.staff_no, "total": len(period),
        "by_kind": [d for d in by_kind if d["total"]] or by_kind[:0],
        "open": [masked(v) for v in open_views],
        "overdue": [masked(v) for v in open_views if v.overdue],
        "followups": followups, "items": items,
    }
