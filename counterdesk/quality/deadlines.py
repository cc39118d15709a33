"""Deadlines: the reply deadline (hours, optionally counting working days only) and the
follow-up hours (回访 only between ``followup_start`` and ``followup_end``; a reply given
in the evening is followed up before 10:00 the next day, 002)."""

from __future__ import annotations

import datetime as dt

from .. import workdays
from ..db import Database
from ..policy import QualityRules, load_quality_rules
from ..staff import Actor

EVENING_FOLLOWUP_BY = dt.time(10, 0)  # 002: 晚间的情况应在次日10:00前进行


def add_hours(start: dt.datetime, hours: float, working_days_only: bool = False,
              calendar: workdays.Calendar | None = None) -> dt.datetime:
    """``start`` plus ``hours``; with ``working_days_only`` only working days count:
    weekends and public holidays stop the clock at midnight, a made-up working weekend
    day (调休) counts (:mod:`counterdesk.workdays`)."""
    if not working_days_only:
        return start + dt.timedelta(hours=hours)
    cal = calendar or workdays.OFFICIAL
    remaining = dt.timedelta(hours=hours)
    t = start
    while True:
        if not cal.is_working_day(t.date()):  # the clock restarts on the next working day
            t = dt.datetime.combine(cal.next_working_day(t.date()), dt.time())
            continue
        day_end = dt.datetime.combine(t.date() + dt.timedelta(days=1), dt.time())
        if remaining <= day_end - t:
            return t + remaining
        remaining -= day_end - t
        t = day_end


def _calendar(config: QualityRules) -> workdays.Calendar:
    return workdays.calendar(config.extra_holidays, config.extra_workdays)


def deadline_hours(kind: str, config: QualityRules) -> int:
    return config.complaint_deadline_hours if kind == "complaint" \
        else config.enquiry_deadline_hours


def reply_deadline(kind: str, start: dt.datetime, config: QualityRules) -> dt.datetime:
    return add_hours(start, deadline_hours(kind, config), config.working_days_only,
                     _calendar(config))


def _hhmm(value: str) -> dt.time:
    h, m = value.split(":")
    return dt.time(int(h), int(m))


def followup_allowed(at: dt.datetime, config: QualityRules) -> bool:
    return _hhmm(config.followup_start) <= at.time().replace(second=0, microsecond=0) \
        <= _hhmm(config.followup_end)


def next_followup_slot(at: dt.datetime, config: QualityRules) -> dt.datetime:
    """The first moment from ``at`` on when a follow-up call may be placed."""
    cal = _calendar(config)
    if followup_allowed(at, config) and not (config.working_days_only
                                             and not cal.is_working_day(at.date())):
        return at
    start = _hhmm(config.followup_start)
    day = at.date() if at.time() < start else at.date() + dt.timedelta(days=1)
    if config.working_days_only:
        day = cal.next_working_day(day)
    return dt.datetime.combine(day, start)


def followup_due(replied_at: dt.datetime, config: QualityRules) -> dt.datetime:
    """When the follow-up should be done: the same day by ``followup_end`` if replied in
    hours; a reply given in the evening by 10:00 of the next day (002)."""
    end = _hhmm(config.followup_end)
    if replied_at.time() <= end:
        return dt.datetime.combine(replied_at.date(), end)
    slot = next_followup_slot(replied_at, config)
    return dt.datetime.combine(slot.date(), max(EVENING_FOLLOWUP_BY, slot.time()))



def rules_for(db: Database, actor: Actor) -> QualityRules:
    """The actor's hall's quality rules (the hall policy in the database)."""
    return load_quality_rules(db, actor.hall_id)

