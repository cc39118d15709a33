"""The service-quality report: satisfaction by clerk, window and service; complaints by
category, on-time rate, overdue list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from .. import clock
from ..db import Database
from ..models import Hall
from ..models.quality import (
    COMPLAINT_KINDS,
    RATING_VALUES,
    Complaint,
    Rating,
)
from ..privacy import mask_name
from ..staff import Actor, require_manager
from .deadlines import rules_for
from .labels import PENDING, RATING_CHOICES, RATING_SCORES
from .ratings import date_range
from .views import ComplaintView, complaint_view, iso


def _satisfaction_row(key: str, name: str, counts: dict[str, int]) -> dict:
    rated = sum(counts.get(v, 0) for v in RATING_CHOICES)
    good = sum(counts.get(v, 0) for v in ("very_satisfied", "satisfied", "basic"))
    score = sum(RATING_SCORES[v] * counts.get(v, 0) for v in RATING_CHOICES)
    return {"key": key, "name": name, **{v: counts.get(v, 0) for v in RATING_VALUES},
            "asked": rated + counts.get("none", 0), "rated": rated,
            "satisfaction_rate": round(good / rated, 4) if rated else None,
            "average_score": round(score / rated, 2) if rated else None}


def report(db: Database, actor: Actor, *, date_from: dt.date | None = None,
           date_to: dt.date | None = None) -> dict:
    """Satisfaction by clerk, window and service; complaints by category, on-time rate,
    overdue list. Phones masked, names of customers masked (it goes on paper)."""
    require_manager(actor)
    config = rules_for(db, actor)
    date_from, date_to = date_range(date_from, date_to)
    now = clock.now()
    start = dt.datetime.combine(date_from, dt.time())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    with db.read() as s:
        hall = s.get(Hall, actor.hall_id)
        rows = s.execute(
            select(Rating.staff_no, Rating.staff_name, Rating.window, Rating.service_letter,
                   Rating.service_name, Rating.value, func.count())
            .where(Rating.hall_id == actor.hall_id, Rating.business_day >= date_from,
                   Rating.business_day <= date_to)
            .group_by(Rating.staff_no, Rating.staff_name, Rating.window,
                      Rating.service_letter, Rating.service_name, Rating.value)).all()
        complaints = s.execute(select(Complaint).where(
            Complaint.hall_id == actor.hall_id, Complaint.created_at >= start,
            Complaint.created_at < end).order_by(Complaint.id)).scalars().all()
        period_items = [complaint_view(c, now, config) for c in complaints]
        overdue_items = [complaint_view(c, now, config) for c in s.execute(
            select(Complaint).where(Complaint.hall_id == actor.hall_id,
                                    Complaint.status.in_(PENDING),
                                    Complaint.due_at < now)
            .order_by(Complaint.due_at)).scalars()]
        hall_name = hall.name if hall else ""
        company = hall.company_name if hall else ""

    def group(keyf, namef) -> list[dict]:
        acc: dict[str, dict] = {}
        names: dict[str, str] = {}
        for r in rows:
            k = keyf(r)
            acc.setdefault(k, {})
            acc[k][r.value] = acc[k].get(r.value, 0) + r[6]
            names[k] = names.get(k) or namef(r)
        return [_satisfaction_row(k, names[k], acc[k]) for k in sorted(acc)]

    total: dict[str, int] = {}
    for r in rows:
        total[r.value] = total.get(r.value, 0) + r[6]

    cats: dict[str, dict] = {}
    for v in period_items:
        d = cats.setdefault(v.category, {"category": v.category, "total": 0,
                                         **{k: 0 for k in COMPLAINT_KINDS}, "closed": 0,
                                         "open": 0, "overdue": 0})
        d["total"] += 1
        d[v.kind] += 1
        d["closed" if v.status == "closed" else "open"] += 1
        d["overdue"] += v.state == "overdue"
    decided = [v for v in period_items if v.on_time is not None]
    on_time = sum(1 for v in decided if v.on_time)

    def masked(v: ComplaintView) -> dict:
        d = v.to_dict()
        d["contact_name"] = mask_name(v.contact_name)
        d.pop("steps", None)
        return d

    return {
        "hall": hall_name, "company": company, "from": date_from.isoformat(),
        "to": date_to.isoformat(), "generated_at": iso(now), "generated_by": actor.staff_no,
        "satisfaction": {
            "total": _satisfaction_row("all", "全部", total),
            "by_clerk": group(lambda r: r.staff_no or "-", lambda r: r.staff_name),
            "by_window": group(lambda r: f"{r.window or 0:02d}",
                               lambda r: f"{r.window}号窗口" if r.window else "-"),
            "by_service": group(lambda r: r.service_letter or "-",
                                lambda r: r.service_name),
        },
        "complaints": {
            "total": len(period_items),
            "by_category": sorted(cats.values(), key=lambda d: (-d["total"], d["category"])),
            "decided": len(decided), "on_time": on_time,
            "on_time_rate": round(on_time / len(decided), 4) if decided else None,
            "items": [masked(v) for v in period_items],
        },
        "overdue": [masked(v) for v in overdue_items],
    }

