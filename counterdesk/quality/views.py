"""A complaint as shown: its state against the deadline, its steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .. import clock
from ..models.quality import (
    Complaint,
)
from ..policy import QualityRules
from ..privacy import mask_phone
from .labels import KIND_LABELS, STATUS_LABELS, STEP_LABELS, label

iso = clock.iso  # the one helper: str for a time always set, None stays None


@dataclass
class StepView:
    at: str
    kind: str
    kind_label: str
    staff_no: str
    staff_name: str
    department: str = ""
    to_staff_no: str = ""
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ComplaintView:
    number: str
    kind: str
    kind_label: str
    channel: str
    contact_name: str
    contact_phone: str          # masked
    account_no: str
    category: str
    description: str
    status: str
    status_label: str
    state: str                  # overdue | due_soon | pending | awaiting_followup | closed
    owner_staff_no: str
    owner_name: str
    recorded_by: str
    department: str
    window: int | None
    ticket_number: str
    created_at: str
    due_at: str
    first_due_at: str
    replied_at: str | None
    first_replied_at: str | None
    closed_at: str | None
    reply: str
    verdict: str
    reopen_count: int
    hours_left: float           # negative when overdue
    on_time: bool | None        # first reply within the first deadline (None: undecided)
    steps: list[StepView] = field(default_factory=list)
    replied_by: str = ""
    work_promised: bool = False  # the reply promised a repair or visit
    work_done_at: str | None = None  # …recorded as done (needed before the follow-up)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["steps"] = [s.to_dict() for s in self.steps]
        return d


def _state(c: Complaint, now: dt.datetime, config: QualityRules) -> str:
    if c.status == "closed":
        return "closed"
    if c.status == "replied":
        return "awaiting_followup"
    if now > c.due_at:
        return "overdue"
    if c.due_at - now <= dt.timedelta(hours=config.due_soon_hours):
        return "due_soon"
    return "pending"


def _on_time(c: Complaint, now: dt.datetime) -> bool | None:
    if c.first_replied_at is not None:
        return c.first_replied_at <= c.first_due_at
    if now > c.first_due_at:
        return False
    return None


def complaint_view(c: Complaint, now: dt.datetime, config: QualityRules, *,
          steps: bool = False) -> ComplaintView:
    v = ComplaintView(
        number=c.number, kind=c.kind, kind_label=label(KIND_LABELS, c.kind),
        channel=c.channel, contact_name=c.contact_name, contact_phone=mask_phone(c.contact_phone),
        account_no=c.account_no, category=c.category, description=c.description,
        status=c.status, status_label=label(STATUS_LABELS, c.status),
        state=_state(c, now, config), owner_staff_no=c.owner_staff_no, owner_name=c.owner_name,
        recorded_by=c.recorded_by, department=c.department, window=c.window,
        ticket_number=c.ticket_number, created_at=iso(c.created_at), due_at=iso(c.due_at),
        first_due_at=iso(c.first_due_at), replied_at=iso(c.replied_at),
        first_replied_at=iso(c.first_replied_at), closed_at=iso(c.closed_at), reply=c.reply,
        verdict=c.verdict, reopen_count=c.reopen_count,
        hours_left=round((c.due_at - now).total_seconds() / 3600, 1),
        on_time=_on_time(c, now), replied_by=c.replied_by, work_promised=c.work_promised,
        work_done_at=iso(c.work_done_at))
    if steps:
        v.steps = [StepView(iso(s.at), s.kind, label(STEP_LABELS, s.kind), s.staff_no,
                            s.staff_name, s.department, s.to_staff_no, s.note)
                   for s in c.steps]
    return v

