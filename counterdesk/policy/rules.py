"""The hall's rules as typed bundles, read from the hall policy in the database.

Services read them inside their transaction (``queue_rules(session, hall_id)``); screens
read them for display with ``load_*``. Every PC of a hall therefore obeys the same values:
nothing here comes from a PC's settings file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from ..db import Database
from .registry import BY_KEY
from .store import get


@dataclass(frozen=True)
class QueueRules:
    priority_cap: int = BY_KEY["queue.priority_cap"].default
    recall_limit: int = BY_KEY["queue.recall_limit"].default
    pause_limit_minutes: int = BY_KEY["queue.pause_limit_minutes"].default
    noshow_requeue_minutes: int = BY_KEY["queue.noshow_requeue_minutes"].default
    wait_apology_minutes: int = BY_KEY["queue.wait_apology_minutes"].default


@dataclass(frozen=True)
class QualityRules:
    complaint_deadline_hours: int = BY_KEY["quality.complaint_deadline_hours"].default
    enquiry_deadline_hours: int = BY_KEY["quality.enquiry_deadline_hours"].default
    rating_seconds: int = BY_KEY["quality.rating_seconds"].default
    working_days_only: bool = BY_KEY["quality.working_days_only"].default
    followup_start: str = BY_KEY["quality.followup_start"].default
    followup_end: str = BY_KEY["quality.followup_end"].default
    due_soon_hours: int = BY_KEY["quality.due_soon_hours"].default
    extra_holidays: str = BY_KEY["quality.extra_holidays"].default
    extra_workdays: str = BY_KEY["quality.extra_workdays"].default


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
