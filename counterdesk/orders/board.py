"""Reading orders: one order, the clerk's list and the manager's board (overdue first)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select

from .. import clock
from ..db import Database
from ..errors import PermissionDenied, ValidationError
from ..models import Hall
from ..models.orders import ORDER_KINDS, WorkOrder
from ..staff import Actor
from ..validators import typed
from . import kinds
from .lifecycle import full_view, get
from .views import OPEN_STATUSES, OrderView, pending_deadline, view


def get_order(db: Database, actor: Actor, number: str) -> OrderView:
    now = clock.now()
    with db.read() as s:
        return full_view(s, get(s, actor, number, lock=False), now)


def list_orders(db: Database, actor: Actor, *, scope: str = "mine",
                kinds_: Iterable[str] | None = None, overdue_only: bool = False,
                include_done: bool = False, account_no: str = "") -> list[OrderView]:
    """Orders by urgency: overdue first, then by the next deadline.

    ``scope`` 'mine' (recorded by, dispatched to or closed by the actor), 'all'
    (managers; also any clerk for one ``account_no``)."""
    if scope not in ("mine", "all"):
        raise ValidationError("范围应为 mine 或 all", "Scope must be mine or all", field="scope")
    if scope == "all" and not actor.is_manager and not account_no:
        raise PermissionDenied("查看全厅工单仅限主任或值班长；柜员可查看自己经办的工单",
                               "Only managers see every order; clerks see their own")
    wanted = [kinds.norm(k) for k in (kinds_ or ()) if k]
    bad = [k for k in wanted if k not in ORDER_KINDS]
    if bad:
        raise ValidationError(f"未知的工单类型：{'、'.join(bad)}", f"Unknown kind: {bad}",
                              field="kind")
    now = clock.now()
    with db.read() as s:
        q = select(WorkOrder).where(WorkOrder.hall_id == actor.hall_id)
        if not include_done:
            q = q.where(WorkOrder.status.in_((*OPEN_STATUSES, "closed")))
        if scope == "mine":
            me = actor.staff_no
            q = q.where(or_(WorkOrder.recorded_by == me, WorkOrder.assignee == me,
                            WorkOrder.closed_by == me))
        if wanted:
            q = q.where(WorkOrder.kind.in_(wanted))
        if account_no:
            q = q.where(WorkOrder.account_no == typed(account_no))
        rows = s.execute(q.order_by(WorkOrder.id)).scalars().all()
        views = [view(o, now) for o in rows]
        dues = {o.number: pending_deadline(o) for o in rows}
    if overdue_only:
        views = [v for v in views if v.overdue]
    far = now.replace(year=9999)
    views.sort(key=lambda v: (not v.overdue, v.priority != "urgent",
                              dues[v.number] or far, v.number))
    return views


def hall_info(db: Database, actor: Actor) -> dict:
    """The hall's name, hotline and 24-hour emergency number, for slips."""
    with db.read() as s:
        hall = s.get_one(Hall, actor.hall_id)
        return {"hall_name": hall.name, "hotline": hall.hotline,
                "emergency_phone": kinds.emergency_phone(s, hall.id, hall.hotline)}
