"""The one clock of the application.

Times are stored as naive local wall-clock time of the hall (a business hall lives in
one time zone, and the business day is a local notion). Tests move the clock with
:func:`set_now`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import overload

_now: Callable[[], _dt.datetime] | None = None


def now() -> _dt.datetime:
    if _now is not None:
        return _now()
    return _dt.datetime.now()


def today() -> _dt.date:
    return now().date()


@overload
def iso(value: _dt.datetime) -> str: ...
@overload
def iso(value: _dt.datetime | None) -> str | None: ...
def iso(value: _dt.datetime | None) -> str | None:
    """A stored time as ISO text to the second; None (not yet happened) stays None."""
    return value.isoformat(timespec="seconds") if value else None


def set_now(value: _dt.datetime | Callable[[], _dt.datetime] | None) -> None:
    """Freeze the clock at ``value`` (or use a callable); ``None`` restores real time."""
    global _now
    if value is None:
        _now = None
    elif callable(value):
        _now = value
    else:
        _now = lambda: value  # noqa: E731


def minute(iso: str | None, empty: str = "") -> str:
    """A stored ISO time for people, to the minute: ``2026-11-20T09:12:33+08:00`` →
    ``2026-11-20 09:12``; ``empty`` when there is none."""
    return iso.replace("T", " ")[:16] if iso else empty
