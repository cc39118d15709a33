"""Kinds of work order and their deadlines (seeds in brackets).

* 报警 alarm (leak, emergency) [004 第十八条(一)]: dispatched at once, on site within
  ``order.alarm_onsite_minutes`` (30) on the wall clock: an emergency never waits for
  a working day. The clerk is shown the 24-hour emergency number at once.
* 报修 repair [003 第五条, 004 第十八条(三)]: handled (on site) within
  ``order.repair_handle_hours`` (6) and repaired within ``order.repair_fix_hours`` (24),
  wall-clock hours (the repair service runs round the clock).
* 报装 install [002, 004 第十五条]: the survey (查勘, on site) within
  ``order.survey_workdays`` (2) working days on the complaints' working-day calendar.
* 安检 换表 停气 复气 通气: booked work without a policy deadline.
* Follow-up (回访) [004 第二十一条]: within ``order.followup_hours`` (48) counted on
  working days only, from the closing of the order.

Working days are those of :mod:`counterdesk.workdays` (the State Council calendar plus
the hall's extra holidays / made-up working days), the calendar complaints use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import i18n, quality, workdays
from .. import policy as hall_policy

KIND_LABELS = {"install": ("报装", "New connection"), "repair": ("报修", "Repair"),
               "alarm": ("报警", "Leak / emergency"), "inspection": ("安检", "Safety inspection"),
               "meter_change": ("换表", "Meter change"), "stop": ("停气", "Supply stop"),
               "restore": ("复气", "Supply restore"), "first_gas": ("通气", "First gas")}
STATUS_LABELS = {"recorded": ("已登记待派工", "Recorded"), "dispatched": ("已派工", "Dispatched"),
                 "on_site": ("已到场", "On site"), "resulted": ("已反馈结果", "Result given"),
                 "closed": ("已关闭待回访", "Closed, awaiting follow-up"),
                 "followed_up": ("已回访", "Followed up")}
RESULT_LABELS = {"done": ("完成", "Done"), "failed": ("无法完成", "Cannot complete"),
                 "referred": ("需另开工单", "Needs another order")}
STEP_LABELS = {"recorded": ("受理登记", "Recorded"), "dispatched": ("派工", "Dispatched"),
               "arrived": ("到场", "On site"), "resulted": ("反馈结果", "Result"),
               "closed": ("关闭", "Closed"), "followed_up": ("回访", "Follow-up"),
               "reopened": ("重新处理", "Reopened")}
CHANNELS = ("window", "hotline")
PRIORITIES = ("normal", "urgent")
ALIASES = {"报装": "install", "报修": "repair", "报警": "alarm", "安检": "inspection",
           "换表": "meter_change", "停气": "stop", "复气": "restore", "通气": "first_gas",
           "窗口": "window", "热线": "hotline", "普通": "normal", "紧急": "urgent",
           "满意": "satisfied", "不满意": "unsatisfied", "完成": "done", "无法完成": "failed",
           "需另开工单": "referred", "合格": "passed", "隐患": "hazard", "到访不遇": "not_home",
           "leak": "alarm", "meter-change": "meter_change", "first-gas": "first_gas"}
NUMBER_PREFIX = "GD"


def policy(session: Session, hall_id: int, key: str):
    """The hall policy value of ``key`` (the one place orders read hall policy); without a
    session (a pure deadline computation) the policy's default."""
    if session is None:
        return hall_policy.key_of(key).default
    return hall_policy.get(session, hall_id, key)


def label(table: dict, key: str) -> str:
    pair = table.get(key)
    return i18n.pick(*pair) if pair else key


def norm(value: str | None) -> str:
    value = (value or "").strip()
    return ALIASES.get(value, value.lower())


@dataclass(frozen=True)
class Deadlines:
    dispatch: dt.datetime | None = None
    onsite: dt.datetime | None = None
    result: dt.datetime | None = None


def add_workdays(start: dt.datetime, days: int, calendar: workdays.Calendar | None = None
                 ) -> dt.datetime:
    """``start`` plus ``days`` working days (24 h each; weekends and holidays stop the
    clock): the complaints' deadline arithmetic (:func:`counterdesk.quality.add_hours`)."""
    return quality.add_hours(start, 24 * days, True, calendar or workdays.OFFICIAL)


def deadlines(session: Session, hall_id: int, kind: str, start: dt.datetime,
              calendar: workdays.Calendar | None = None) -> Deadlines:
    """The deadlines of a new (or reopened) order of ``kind`` recorded at ``start``."""
    if kind == "alarm":
        minutes = int(policy(session, hall_id, "order.alarm_onsite_minutes"))
        return Deadlines(dispatch=start, onsite=start + dt.timedelta(minutes=minutes))
    if kind == "repair":
        handle = float(policy(session, hall_id, "order.repair_handle_hours"))
        fix = float(policy(session, hall_id, "order.repair_fix_hours"))
        return Deadlines(onsite=start + dt.timedelta(hours=handle),
                         result=start + dt.timedelta(hours=fix))
    if kind == "install":
        days = int(policy(session, hall_id, "order.survey_workdays"))
        return Deadlines(onsite=add_workdays(start, days, calendar))
    return Deadlines()


def followup_deadline(session: Session, hall_id: int, closed_at: dt.datetime,
                      calendar: workdays.Calendar | None = None) -> dt.datetime:
    hours = float(policy(session, hall_id, "order.followup_hours"))
    return quality.add_hours(closed_at, hours, True, calendar or workdays.OFFICIAL)


def emergency_phone(session: Session, hall_id: int, hotline: str = "") -> str:
    """The 24-hour emergency number shown to the clerk on an alarm (the hall's hotline
    when the policy names none)."""
    return str(policy(session, hall_id, "hall.emergency_phone") or hotline or "")
