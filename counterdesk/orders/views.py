"""What the screens, the command line and the paper get for an order: plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .. import clock
from ..models.orders import WorkOrder
from ..privacy import mask_name, mask_phone
from .kinds import KIND_LABELS, RESULT_LABELS, STATUS_LABELS, STEP_LABELS, label

OPEN_STATUSES = ("recorded", "dispatched", "on_site", "resulted")
STATE_LABELS = {"overdue": ("超期", "Overdue"), "open": ("处理中", "Open"),
                "awaiting_close": ("待关闭", "Awaiting close"),
                "awaiting_followup": ("待回访", "Awaiting follow-up"),
                "followup_overdue": ("回访超期", "Follow-up overdue"),
                "done": ("已办结", "Done")}


def account_address(acc) -> str:
    """The account's address as the customer file shows it (accounts' own formatting)."""
    from .. import accounts

    return accounts.address_display({k: getattr(acc, k) for k in (
        "district", "street", "community", "building", "unit", "room", "address_text")})


iso = clock.iso  # the one helper: str for a time always set, None stays None


@dataclass
class OrderStepView:
    at: str
    kind: str
    kind_label: str
    staff_no: str
    staff_name: str
    to_staff_no: str = ""
    note: str = ""


@dataclass
class OrderView:
    number: str
    kind: str
    kind_label: str
    channel: str
    priority: str
    account_no: str
    address: str
    contact_name: str
    contact_phone: str          # masked
    description: str
    inspection_ref: str
    parent_number: str
    status: str
    status_label: str
    state: str                  # STATE_LABELS
    state_label: str
    recorded_by: str
    window: int | None
    created_at: str
    dispatch_due_at: str | None
    onsite_due_at: str | None
    result_due_at: str | None
    followup_due_at: str | None
    next_due_at: str | None     # the deadline that matters now
    overdue: bool
    team: str
    assignee: str
    dispatched_at: str | None
    onsite_at: str | None
    result: str
    result_label: str
    result_note: str
    result_by: str
    result_at: str | None
    hazard: str
    old_meter_no: str
    old_reading: str
    new_meter_no: str
    new_reading: str
    closed_at: str | None
    followed_up_at: str | None
    followed_up_by: str
    verdict: str
    reopen_count: int
    emergency_phone: str = ""
    warnings: list[str] = field(default_factory=list)
    steps: list[OrderStepView] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)          # flat fields: much cheaper than asdict on a board
        d["warnings"] = list(self.warnings)
        d["steps"] = [asdict(s) for s in self.steps]
        return d


def pending_deadline(o: WorkOrder) -> dt.datetime | None:
    """The earliest deadline not met yet (None: nothing is due)."""
    due = []
    if o.status in ("recorded",) and o.dispatch_due_at:
        due.append(o.dispatch_due_at)
    if o.status in ("recorded", "dispatched") and o.onsite_due_at:
        due.append(o.onsite_due_at)
    if o.status in ("recorded", "dispatched", "on_site") and o.result_due_at:
        due.append(o.result_due_at)
    if o.status == "closed" and o.followup_due_at:
        due.append(o.followup_due_at)
    return min(due) if due else None


def state(o: WorkOrder, now: dt.datetime) -> str:
    due = pending_deadline(o)
    if o.status == "followed_up":
        return "done"
    if o.status == "closed":
        return "followup_overdue" if due and now > due else "awaiting_followup"
    if due and now > due:
        return "overdue"
    return "awaiting_close" if o.status == "resulted" else "open"


def on_time(done_at: dt.datetime | None, due: dt.datetime | None, now: dt.datetime
            ) -> bool | None:
    """Met (True), missed (False) or not decided yet (None); no deadline: None."""
    if due is None:
        return None
    if done_at is not None:
        return done_at <= due
    return False if now > due else None


def view(o: WorkOrder, now: dt.datetime, *, steps: bool = False, names: dict | None = None
         ) -> OrderView:
    st = state(o, now)
    v = OrderView(
        number=o.number, kind=o.kind, kind_label=label(KIND_LABELS, o.kind), channel=o.channel,
        priority=o.priority, account_no=o.account_no, address=o.address,
        contact_name=o.contact_name, contact_phone=mask_phone(o.contact_phone),
        description=o.description, inspection_ref=o.inspection_ref,
        parent_number=o.parent_number, status=o.status,
        status_label=label(STATUS_LABELS, o.status), state=st,
        state_label=label(STATE_LABELS, st), recorded_by=o.recorded_by, window=o.window,
        created_at=iso(o.created_at), dispatch_due_at=iso(o.dispatch_due_at),
        onsite_due_at=iso(o.onsite_due_at), result_due_at=iso(o.result_due_at),
        followup_due_at=iso(o.followup_due_at), next_due_at=iso(pending_deadline(o)),
        overdue=st in ("overdue", "followup_overdue"), team=o.team, assignee=o.assignee,
        dispatched_at=iso(o.dispatched_at), onsite_at=iso(o.onsite_at), result=o.result,
        result_label=label(RESULT_LABELS, o.result) if o.result else "",
        result_note=o.result_note, result_by=o.result_by, result_at=iso(o.result_at),
        hazard=o.hazard, old_meter_no=o.old_meter_no, old_reading=o.old_reading,
        new_meter_no=o.new_meter_no, new_reading=o.new_reading, closed_at=iso(o.closed_at),
        followed_up_at=iso(o.followed_up_at), followed_up_by=o.followed_up_by,
        verdict=o.verdict, reopen_count=o.reopen_count)
    if steps:
        names = names or {}
        v.steps = [OrderStepView(iso(s.at), s.kind, label(STEP_LABELS, s.kind), s.staff_no,
                                 s.staff_name or names.get(s.staff_no, ""), s.to_staff_no,
                                 s.note) for s in o.steps]
    return v


def masked(v: OrderView) -> dict:
    """For paper and files: the customer's name masked too, no steps."""
    d = v.to_dict()
    d["contact_name"] = mask_name(v.contact_name)
    d.pop("steps", None)
    return d
