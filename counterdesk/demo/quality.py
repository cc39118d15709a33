"""Demo data of service quality: a few complaints in each state and a week of ratings."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from .. import audit, clock
from ..db import Database
from ..models import Hall, Staff
from ..models.quality import RATING_VALUES, Complaint, ComplaintStep, FollowUp, Rating
from ..policy import QualityRules
from ..quality.deadlines import reply_deadline
from ..quality.labels import KIND_LABELS
from ..sequence import next_value

DEMO_COMPLAINTS = (
    # (kind, category, name, phone, description, owner, hours ago, outcome)
    ("complaint", "办事效率", "刘先生", "13900001111",
     "上周办理过户等候时间过长，要求说明原因并改进。", "1001", 60, "open"),
    ("complaint", "收费争议", "黄女士", "13900002222",
     "对 10 月阶梯气价计费有疑问，认为第二档用量计算有误。", "1002", 44, "forwarded"),
    ("enquiry", "开户报装", "马先生", "0571-88880001",
     "咨询新房报装需要准备哪些材料、多久能通气。", "1005", 5, "replied"),
    ("complaint", "维修报修", "钱女士", "13900003333",
     "报修后维修员未按约定时间上门。", "1003", 70, "closed"),
    ("help", "表具", "林先生", "13900004444",
     "家中燃气表显示异常，请求上门检查。", "1006", 2, "open"),
)


def seed_demo(db: Database, hall_code: str) -> dict:
    """A few complaints in each state and a week of ratings (deterministic, idempotent)."""
    cfg = QualityRules()
    with db.write() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            return {"complaints": 0, "ratings": 0}
        if s.execute(select(func.count()).select_from(Complaint)
                     .where(Complaint.hall_id == hall.id)).scalar():
            return {"complaints": 0, "ratings": 0}
        names = dict(s.execute(select(Staff.staff_no, Staff.name)).all())
        now = clock.now().replace(minute=0, second=0, microsecond=0)
        for kind, cat, who, phone, text, owner, ago, outcome in DEMO_COMPLAINTS:
            at = now - dt.timedelta(hours=ago)
            seq = next_value(s, hall.id, f"complaint-{at:%Y}")
            prefix = {"complaint": "TS", "enquiry": "ZX", "help": "QZ"}[kind]
            due = reply_deadline(kind, at, cfg)
            c = Complaint(hall_id=hall.id, number=f"{prefix}{at:%Y}{seq:05d}", kind=kind,
                          channel="window", contact_name=who, contact_phone=phone,
                          category=cat, description=text, window=int(owner[-1]),
                          status="open", recorded_by=owner, owner_staff_no=owner,
                          owner_name=names.get(owner, ""), created_at=at, first_due_at=due,
                          due_at=due)
            s.add(c)
            s.add(ComplaintStep(complaint=c, at=at, kind="recorded", staff_no=owner,
                                staff_name=c.owner_name, note=f"{KIND_LABELS[kind][0]}·{cat}"))
            if outcome in ("forwarded", "replied", "closed"):
                t = at + dt.timedelta(hours=1)
                c.status, c.department = "forwarded", "客服调度中心"
                s.add(ComplaintStep(complaint=c, at=t, kind="forwarded", staff_no=owner,
                                    staff_name=c.owner_name, department="客服调度中心"))
            if outcome in ("replied", "closed"):
                t = at + dt.timedelta(hours=3)
                c.status, c.reply, c.replied_at, c.first_replied_at = \
                    "replied", "已核实情况并向客户说明处理结果。", t, t
                s.add(ComplaintStep(complaint=c, at=t, kind="replied", staff_no=owner,
                                    staff_name=c.owner_name, note=c.reply))
            if outcome == "closed":
                t = at + dt.timedelta(hours=24)
                t = t.replace(hour=10)
                c.status, c.closed_at, c.verdict = "closed", t, "satisfied"
                s.add(FollowUp(complaint=c, at=t, staff_no="9001", verdict="satisfied",
                               method="phone", note="客户表示满意"))
                for k in ("followed_up", "closed"):
                    s.add(ComplaintStep(complaint=c, at=t, kind=k, staff_no="9001",
                                        staff_name=names.get("9001", ""), note="满意"))
        rng = random.Random(20261122)
        services = {"A": "缴费", "B": "开户/报装", "C": "过户/更名", "D": "咨询/投诉"}
        windows = {1: "A", 2: "AB", 3: "BC", 4: "CA", 5: "DA", 6: "ABCD"}
        weights = (40, 35, 12, 5, 8)  # very, satisfied, basic, unsatisfied, none
        n = 0
        for back in range(7, 0, -1):
            day = (now - dt.timedelta(days=back)).date()
            numbers: dict[str, int] = {}
            for window, letters in windows.items():
                staff_no = f"100{window}"
                for _ in range(5):
                    letter = rng.choice(letters)
                    numbers[letter] = numbers.get(letter, 0) + 1
                    value = rng.choices(RATING_VALUES, weights)[0]
                    at = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(
                        minutes=rng.randrange(0, 480))
                    number = f"{letter}{numbers[letter]:03d}"
                    s.add(Rating(hall_id=hall.id, ticket_key=f"demo/{day:%Y%m%d}/{number}",
                                 ticket_number=number, business_day=day, service_letter=letter,
                                 service_name=services[letter], window=window,
                                 staff_no=staff_no, staff_name=names.get(staff_no, ""),
                                 value=value, source="customer_screen",
                                 screen_id=f"{hall_code}-W{window}", asked_at=at,
                                 created_at=at))
                    n += 1
        audit.record(s, "quality.demo_seeded", {"complaints": len(DEMO_COMPLAINTS),
                                                "ratings": n}, hall_code=hall_code)
        return {"complaints": len(DEMO_COMPLAINTS), "ratings": n}
