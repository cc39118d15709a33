"""Queue statistics (排队统计): per service, window and clerk, and the busiest hours."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import asdict, dataclass

from sqlalchemy import select

from .. import i18n
from ..db import Database
from ..errors import ValidationError
from ..models import ServiceType, Staff
from ..models.queue import Ticket
from .tickets import service_label


# -- statistics ------------------------------------------------------------------------
def _p90(values: list[int]) -> int | None:
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(0.9 * len(v)) - 1)]


def _avg(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


@dataclass
class StatRow:
    group: str      # service | window | clerk | total
    key: str
    name: str
    tickets: int = 0
    finished: int = 0
    no_shows: int = 0
    avg_wait: int | None = None
    p90_wait: int | None = None
    avg_service: int | None = None
    p90_service: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def statistics(db: Database, hall_id: int, date_from: dt.date,
               date_to: dt.date | None = None) -> dict:
    """Per service, window and clerk: tickets, no-shows, average and 90th-percentile
    waiting and service seconds; tickets issued per hour (busiest hours)."""
    date_to = date_to or date_from
    if date_to < date_from:
        raise ValidationError("结束日期早于开始日期", "The end date is before the start date",
                              field="date_to")
    with db.read() as s:
        names = {st.id: (st.letter, service_label(st)) for st in s.execute(
            select(ServiceType).where(ServiceType.hall_id == hall_id)).scalars()}
        staff_names = dict(s.execute(select(Staff.staff_no, Staff.name)).all())
        rows = s.execute(select(
            Ticket.service_type_id, Ticket.window_number, Ticket.staff_no, Ticket.status,
            Ticket.issued_at, Ticket.first_called_at, Ticket.started_at, Ticket.finished_at)
            .where(Ticket.hall_id == hall_id, Ticket.day >= date_from,
                   Ticket.day <= date_to)).all()
    groups: dict[tuple[str, str], dict] = {}
    hours: dict[int, int] = {}

    def bucket(group, key, name):
        return groups.setdefault((group, key), {"name": name, "n": 0, "fin": 0, "ns": 0,
                                                "wait": [], "svc": []})

    for sid, win, staff_no, status, issued, called, started, finished in rows:
        letter, sname = names.get(sid, ("?", "?"))
        hours[issued.hour] = hours.get(issued.hour, 0) + 1
        keys = [("total", "", i18n.pick("合计", "Total")), ("service", letter, sname)]
        if win is not None:
            keys.append(("window", str(win), i18n.pick(f"{win}号窗口", f"Window {win}")))
        if staff_no:
            keys.append(("clerk", staff_no, staff_names.get(staff_no, "")))
        wait = int((called - issued).total_seconds()) if called else None
        svc = int((finished - started).total_seconds()) if finished and started else None
        for g in keys:
            b = bucket(*g)
            b["n"] += 1
            b["fin"] += status == "finished"
            b["ns"] += status == "no_show"
            if wait is not None:
                b["wait"].append(wait)
            if svc is not None:
                b["svc"].append(svc)
    order = {"total": 0, "service": 1, "window": 2, "clerk": 3}
    out = []
    for (group, key), b in sorted(groups.items(), key=lambda kv: (
            order[kv[0][0]], int(kv[0][1]) if kv[0][0] == "window" else 0, kv[0][1])):
        out.append(StatRow(group, key, b["name"], b["n"], b["fin"], b["ns"], _avg(b["wait"]),
                           _p90(b["wait"]), _avg(b["svc"]), _p90(b["svc"])))
    busiest = sorted(hours.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return {"from": date_from.isoformat(), "to": date_to.isoformat(),
            "rows": [r.to_dict() for r in out],
            "hours": {f"{h:02d}": n for h, n in sorted(hours.items())},
            "busiest_hours": [f"{h:02d}:00" for h, _ in busiest]}


CSV_HEADER = ["分组 group", "键 key", "名称 name", "取号数 tickets", "办结 finished",
              "过号 no-shows", "平均等候秒 avg wait s", "P90 等候秒 p90 wait s",
              "平均办理秒 avg service s", "P90 办理秒 p90 service s"]


def statistics_csv(stats: dict) -> str:
    """The statistics as CSV text (UTF-8 with BOM when written, so Excel reads it)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for r in stats["rows"]:
        w.writerow([r["group"], r["key"], r["name"], r["tickets"], r["finished"],
                    r["no_shows"], *("" if r[k] is None else r[k] for k in
                                     ("avg_wait", "p90_wait", "avg_service", "p90_service"))])
    w.writerow([])
    w.writerow(["小时 hour", "取号数 tickets"])
    for h, n in stats["hours"].items():
        w.writerow([h, n])
    return buf.getvalue()
