"""Working days in mainland China: weekends, the State Council's public holidays and the
weekend days worked to make up for them (调休).

The official calendar comes from the ``chinesecalendar`` library, which packages each
year's State Council notice (国务院办公厅关于部分节假日安排的通知) once it is published;
:func:`official_until` says up to which year it knows. For a year it does not know yet,
Monday to Friday count, unless the hall lists that year's holidays and made-up working
days in its settings (``quality.extra_holidays`` / ``quality.extra_workdays``), so a hall
never waits for a program update when the notice comes out in November.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)

_ITEM = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")
_MAX_RANGE_DAYS = 366


def parse_dates(text: str) -> frozenset[dt.date]:
    """``"2027-01-01, 2027-02-06..2027-02-12"`` → the set of those days.

    Separators: comma, semicolon (also full-width), spaces. Raises ``ValueError`` naming
    the first item that is not a date or a range ``FROM..TO`` of at most a year."""
    days: set[dt.date] = set()
    for item in re.split(r"[,;，；\s]+", (text or "").strip()):
        if not item:
            continue
        m = _ITEM.match(item)
        if not m:
            raise ValueError(item)
        try:
            first = dt.date.fromisoformat(m.group(1))
            last = dt.date.fromisoformat(m.group(2)) if m.group(2) else first
        except ValueError:
            raise ValueError(item) from None
        if last < first or (last - first).days >= _MAX_RANGE_DAYS:
            raise ValueError(item)
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(days)


def valid_dates(text: str) -> bool:
    try:
        parse_dates(text)
    except ValueError:
        return False
    return True


def official_until() -> int:
    """The last year the packaged official calendar covers."""
    return max(d.year for d in chinese_calendar.holidays)


@dataclass(frozen=True)
class Calendar:
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            _warn_uncovered(day.year)
            return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next one."""
        for _ in range(60):  # the longest holiday is 8-9 days; 60 means bad settings
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        return day


@lru_cache(maxsize=8)
def _warn_uncovered(year: int) -> None:
    log.warning("the official holiday calendar of %s is not packaged yet: counting Monday to "
                "Friday (list that year's holidays in quality.extra_holidays / "
                "quality.extra_workdays)", year)


@lru_cache(maxsize=16)
def calendar(extra_holidays: str = "", extra_workdays: str = "") -> Calendar:
    return Calendar(parse_dates(extra_holidays), parse_dates(extra_workdays))


OFFICIAL = Calendar()
