"""The hall's rules as typed bundles, read from the hall policy in the database.

Services read them inside their transaction (``queue_rules(session, hall_id)``); screens
read them for display with ``load_*``. Every PC of a hall therefore obeys the same values:
nothing here comes from a PC's settings file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from ..db import Database
from .registry import BY_KEY
from .store import get


def _default(key: str) -> Any:
    """The registry's default of ``key``: of the key's kind, which the field's type names."""
    return BY_KEY[key].default


@dataclass(frozen=True)
class QueueRules:
    priority_cap: int = _default("queue.priority_cap")
    recall_limit: int = _default("queue.recall_limit")
    pause_limit_minutes: int = _default("queue.pause_limit_minutes")
    noshow_requeue_minutes: int = _default("queue.noshow_requeue_minutes")
    wait_apology_minutes: int = _default("queue.wait_apology_minutes")


@dataclass(frozen=True)
class QualityRules:
    complaint_deadline_hours: int = _default("quality.complaint_deadline_hours")
    enquiry_deadline_hours: int = _default("quality.enquiry_deadline_hours")
    rating_seconds: int = _default("quality.rating_seconds")
    working_days_only: bool = _default("quality.working_days_only")
    followup_start: str = _default("quality.followup_start")
    followup_end: str = _default("quality.followup_end")
    due_soon_hours: int = _default("quality.due_soon_hours")
    extra_holidays: str = _default("quality.extra_holidays")
    extra_workdays: str = _default("quality.extra_workdays")


def _bundle(cls, prefix: str, session: Session, hall_id: int):
    return cls(**{f.name: get(session, hall_id, f"{prefix}.{f.name}") for f in fields(cls)})


def queue_rules(session: Session, hall_id: int) -> QueueRules:
    return _bundle(QueueRules, "queue", session, hall_id)


def quality_rules(session: Session, hall_id: int) -> QualityRules:
    return _bundle(QualityRules, "quality", session, hall_id)


def payment_limit_fen(session: Session, hall_id: int) -> int:
    return int(get(session, hall_id, "billing.single_payment_limit_fen"))


def cash_threshold_fen(session: Session, hall_id: int) -> int:
    return int(get(session, hall_id, "cash.difference_threshold_fen"))


def load_queue_rules(db: Database, hall_id: int) -> QueueRules:
    with db.read() as s:
        return queue_rules(s, hall_id)


def load_quality_rules(db: Database, hall_id: int) -> QualityRules:
    with db.read() as s:
        return quality_rules(s, hall_id)
