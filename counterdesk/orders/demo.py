"""Demo work orders: a few orders in each state and a supply notice, dated back from now
(deterministic, idempotent), so the training hall's board is not empty."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from .. import audit, clock
from ..db import Database
from ..models import Hall
from ..models.accounts import Account, Holder
from ..models.orders import SupplyNotice, WorkOrder, WorkOrderStep
from ..sequence import next_value
from . import kinds
from .views import account_address

# (kind, description, minutes ago, how far it got, technician)
DEMO_ORDERS = (
    ("alarm", "楼道内有燃气味，客户已开窗", 40, "dispatched", "1003"),
    ("repair", "灶具打不着火", 120, "on_site", "1003"),
    ("repair", "热水器点火后熄灭", 26 * 60, "closed", "1004"),
    ("install", "新房报装，需上门查勘", 20 * 60, "recorded", ""),
    ("meter_change", "燃气表计量异常，需换表", 3 * 24 * 60, "followed_up", "1004"),
)
STEPS = ("recorded", "dispatched", "on_site", "resulted", "closed", "followed_up")


def seed_demo(db: Database, hall_code: str) -> dict:
    with db.write() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None or s.execute(select(func.count()).select_from(WorkOrder).where(
                WorkOrder.hall_id == hall.id)).scalar():
            return {"orders": 0, "notices": 0}
        accs = s.execute(select(Account, Holder).join(Holder, Holder.id == Account.holder_id)
                         .where(Account.hall_id == hall.id, Account.status == "active")
                         .order_by(Account.account_no).limit(len(DEMO_ORDERS))).all()
        if not accs:
            return {"orders": 0, "notices": 0}
        now = clock.now().replace(second=0, microsecond=0)
        for i, (kind, text, ago, reached, tech) in enumerate(DEMO_ORDERS):
            acc, holder = accs[i % len(accs)]
            at = now - dt.timedelta(minutes=ago)
            seq = next_value(s, hall.id, f"workorder-{at:%Y}")
            due = kinds.deadlines(s, hall.id, kind, at)
            o = WorkOrder(hall_id=hall.id, number=f"{kinds.NUMBER_PREFIX}{at:%Y}{seq:05d}",
                          kind=kind, channel="hotline" if kind == "alarm" else "window",
                          priority="urgent" if kind == "alarm" else "normal",
                          account_no="" if kind == "install" else acc.account_no,
                          address=account_address(acc), contact_name=holder.name,
                          contact_phone=holder.phone, description=text, window=1,
                          recorded_by="1001", created_at=at, status="recorded",
                          dispatch_due_at=due.dispatch, onsite_due_at=due.onsite,
                          result_due_at=due.result)
            s.add(o)
            s.add(WorkOrderStep(order=o, at=at, kind="recorded", staff_no="1001"))
            level = STEPS.index(reached)
            t = at
            for step in STEPS[1:level + 1]:
                t += dt.timedelta(minutes=max(5, ago // 8))
                who = "1001" if step in ("dispatched", "closed") else tech
                if step == "dispatched":
                    o.assignee, o.dispatched_at = tech, t
                elif step == "on_site":
                    o.onsite_at = t
                elif step == "resulted":
                    o.result, o.result_by, o.result_at = "done", tech, t
                    o.result_note = "已处理，客户确认"
                elif step == "closed":
                    o.closed_at, o.closed_by = t, "1001"
                    o.followup_due_at = kinds.followup_deadline(s, hall.id, t)
                elif step == "followed_up":
                    who = "9001"
                    o.followed_up_at, o.followed_up_by, o.verdict = t, "9001", "satisfied"
                o.status = step
                s.add(WorkOrderStep(order=o, at=t,
                                    kind="arrived" if step == "on_site" else step, staff_no=who,
                                    to_staff_no=tech if step == "dispatched" else ""))
        acc, _ = accs[0]
        start = dt.datetime.combine(now.date() + dt.timedelta(days=2), dt.time(9))
        nseq = next_value(s, hall.id, f"notice-{now:%Y}")
        s.add(SupplyNotice(hall_id=hall.id, number=f"TQ{now:%Y}{nseq:04d}",
                           district=acc.district, street=acc.street, starts_at=start,
                           ends_at=start + dt.timedelta(hours=8), reason="燃气管网改造碰口",
                           created_by="9001", created_at=now))
        audit.record(s, "order.demo_seeded", {"orders": len(DEMO_ORDERS), "notices": 1},
                     hall_code=hall_code)
        return {"orders": len(DEMO_ORDERS), "notices": 1}
