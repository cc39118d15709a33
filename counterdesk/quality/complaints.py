"""Service quality: customer ratings at the window, complaints with deadlines, follow-ups.

Rules (seeds in brackets):

* Ratings (服务评价) [000 5.3]: 非常满意 / 满意 / 基本满意 / 不满意, given by the customer on
  the customer screen of the window; no answer is stored as ``none``, never as
  satisfied. Only a :class:`CustomerScreenSource` issued by :func:`open_customer_screen`
  may record a rating; a clerk's :class:`~counterdesk.staff.Actor` is refused.
* Complaints, enquiries, help requests (投诉 / 咨询 / 求助) [004 第二十条, 001 一.5]:
  recorded with the customer's contact and a description; the first clerk owns the
  item (首问负责制, 000 5.1.4, 001 二.1) until handed over with a record; a reply
  deadline from the settings (48 hours for complaints), optionally counting working
  days only; every step is kept with time and staff (事事有结果，件件有答复, 002).
* Follow-up (回访) [004 第二十一条, 002]: closes the item with the customer's verdict;
  an unsatisfied verdict reopens it. Follow-ups only between ``followup_start`` and
  ``followup_end`` (08:30–17:00); a reply given in the evening is followed up before
  10:00 the next day.
"""

from __future__ import annotations

import datetime as dt
import secrets
import weakref
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit, clock, workdays
from .db import Database
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .models import Hall, Staff
from .models.accounts import Account
from .models.quality import (
    COMPLAINT_KINDS,
    RATING_VALUES,
    VERDICTS,
    Complaint,
    ComplaintStep,
    FollowUp,
    Rating,
)
from .privacy import mask_name, mask_phone
from .settings import QualitySettings
from .staff import Actor

# -- labels -------------------------------------------------------------------------------
RATING_LABELS = {"very_satisfied": ("非常满意", "Very satisfied"),
                 "satisfied": ("满意", "Satisfied"),
                 "basic": ("基本满意", "Fairly satisfied"),
                 "unsatisfied": ("不满意", "Unsatisfied"),
                 "none": ("未评价", "No answer")}
RATING_SCORES = {"very_satisfied": 4, "satisfied": 3, "basic": 2, "unsatisfied": 1}
# The buttons of the customer screen, in order (never "none": that is the timeout).
RATING_CHOICES = ("very_satisfied", "satisfied", "basic", "unsatisfied")
KIND_LABELS = {"complaint": ("投诉", "Complaint"), "enquiry": ("咨询", "Enquiry"),
               "help": ("求助", "Help request")}
STATUS_LABELS = {"open": ("待处理", "Open"), "forwarded": ("已转办", "Forwarded"),
                 "replied": ("已答复待回访", "Replied, awaiting follow-up"),
                 "closed": ("已关闭", "Closed")}
STEP_LABELS = {"recorded": ("受理登记", "Recorded"), "forwarded": ("转交部门", "Forwarded"),
               "handed_over": ("移交", "Handed over"), "replied": ("答复客户", "Replied"),
               "contacted": ("联系客户", "Customer contacted"),
               "followed_up": ("回访", "Follow-up"), "reopened": ("重新处理", "Reopened"),
               "closed": ("关闭", "Closed")}
VERDICT_LABELS = {"satisfied": ("满意", "Satisfied"), "unsatisfied": ("不满意", "Unsatisfied")}
CHANNELS = ("window", "hotline")
CATEGORIES = ("服务态度", "收费争议", "办事效率", "燃气质量", "维修报修", "安检", "表具",
              "开户报装", "其他")
FOLLOWUP_METHODS = ("phone", "visit")
PENDING = ("open", "forwarded")  # waiting for a reply: these have a deadline
_ALIASES = {"非常满意": "very_satisfied", "满意": "satisfied", "基本满意": "basic",
            "不满意": "unsatisfied", "未评价": "none", "投诉": "complaint", "咨询": "enquiry",
            "求助": "help", "窗口": "window", "热线": "hotline", "电话": "phone", "上门": "visit"}
EVENING_FOLLOWUP_BY = dt.time(10, 0)  # 002: 晚间的情况应在次日10:00前进行


def label(table: dict, key: str) -> str:
    from . import i18n

    pair = table.get(key)
    return i18n.pick(*pair) if pair else key


def _norm(value: str) -> str:
    value = (value or "").strip()
    return _ALIASES.get(value, value.lower())


# -- deadline arithmetic ----------------------------------------------------------------------
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


def _calendar(config: QualitySettings) -> workdays.Calendar:
    return workdays.calendar(config.extra_holidays, config.extra_workdays)


def deadline_hours(kind: str, config: QualitySettings) -> int:
    return config.complaint_deadline_hours if kind == "complaint" \
        else config.enquiry_deadline_hours


def reply_deadline(kind: str, start: dt.datetime, config: QualitySettings) -> dt.datetime:
    return add_hours(start, deadline_hours(kind, config), config.working_days_only,
                     _calendar(config))


def _hhmm(value: str) -> dt.time:
    h, m = value.split(":")
    return dt.time(int(h), int(m))


def followup_allowed(at: dt.datetime, config: QualitySettings) -> bool:
    return _hhmm(config.followup_start) <= at.time().replace(second=0, microsecond=0) \
        <= _hhmm(config.followup_end)


def next_followup_slot(at: dt.datetime, config: QualitySettings) -> dt.datetime:
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


def followup_due(replied_at: dt.datetime, config: QualitySettings) -> dt.datetime:
    """When the follow-up should be done: the same day by ``followup_end`` if replied in
    hours; a reply given in the evening by 10:00 of the next day (002)."""
    end = _hhmm(config.followup_end)
    if replied_at.time() <= end:
        return dt.datetime.combine(replied_at.date(), end)
    slot = next_followup_slot(replied_at, config)
    return dt.datetime.combine(slot.date(), max(EVENING_FOLLOWUP_BY, slot.time()))


# -- views ----------------------------------------------------------------------------------
def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


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

    def to_dict(self) -> dict:
        d = asdict(self)
        d["steps"] = [s.to_dict() for s in self.steps]
        return d


def _state(c: Complaint, now: dt.datetime, config: QualitySettings) -> str:
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


def _view(c: Complaint, now: dt.datetime, config: QualitySettings, *,
          steps: bool = False) -> ComplaintView:
    v = ComplaintView(
        number=c.number, kind=c.kind, kind_label=label(KIND_LABELS, c.kind),
        channel=c.channel, contact_name=c.contact_name, contact_phone=mask_phone(c.contact_phone),
        account_no=c.account_no, category=c.category, description=c.description,
        status=c.status, status_label=label(STATUS_LABELS, c.status),
        state=_state(c, now, config), owner_staff_no=c.owner_staff_no, owner_name=c.owner_name,
        recorded_by=c.recorded_by, department=c.department, window=c.window,
        ticket_number=c.ticket_number, created_at=_iso(c.created_at), due_at=_iso(c.due_at),
        first_due_at=_iso(c.first_due_at), replied_at=_iso(c.replied_at),
        first_replied_at=_iso(c.first_replied_at), closed_at=_iso(c.closed_at), reply=c.reply,
        verdict=c.verdict, reopen_count=c.reopen_count,
        hours_left=round((c.due_at - now).total_seconds() / 3600, 1),
        on_time=_on_time(c, now))
    if steps:
        v.steps = [StepView(_iso(s.at), s.kind, label(STEP_LABELS, s.kind), s.staff_no,
                            s.staff_name, s.department, s.to_staff_no, s.note)
                   for s in c.steps]
    return v


# -- helpers -------------------------------------------------------------------------------
def _cfg(config: QualitySettings | None) -> QualitySettings:
    return config or QualitySettings()


def _text(value: str | None, name: str, zh: str, en: str, *, limit: int, required: bool
          ) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{zh}", f"Enter the {en}", field=name)
    if len(value) > limit:
        raise ValidationError(f"{zh}不能超过 {limit} 个字", f"The {en} is limited to {limit} "
                              "characters", field=name)
    return value


def _phone(value: str | None) -> str:
    value = (value or "").strip().replace(" ", "")
    if not value:
        raise ValidationError("请填写客户联系电话：答复和回访都要用到它",
                              "Enter the customer's contact phone: the reply and the "
                              "follow-up need it", field="contact_phone")
    digits = sum(ch.isdigit() for ch in value)
    if digits < 7 or len(value) > 20 or any(not (ch.isdigit() or ch in "-+") for ch in value):
        raise ValidationError("联系电话格式不对：应为 7–20 位数字（座机可写区号-号码）",
                              "The contact phone is not valid: 7-20 digits (a landline may "
                              "be written AREA-NUMBER)", field="contact_phone")
    return value


def _get(s: Session, actor: Actor, number: str, *, lock: bool = True) -> Complaint:
    q = select(Complaint).where(Complaint.hall_id == actor.hall_id,
                                Complaint.number == (number or "").strip().upper())
    if lock and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    c = s.execute(q).scalar()
    if c is None:
        raise NotFound(f"没有编号为 {number} 的投诉/咨询记录", f"No complaint or enquiry {number}",
                       field="number")
    return c


def _require_owner(c: Complaint, actor: Actor, what_zh: str, what_en: str) -> None:
    if c.owner_staff_no == actor.staff_no or actor.is_manager:
        return
    raise PermissionDenied(
        f"{c.number} 由 {c.owner_staff_no} {c.owner_name} 负责（首问负责制），只有负责人或主任可以"
        f"{what_zh}；如需接手，请负责人先移交",
        f"{c.number} is owned by {c.owner_staff_no} {c.owner_name} (first-inquiry "
        f"responsibility); only the owner or a manager may {what_en}. Ask the owner to hand "
        "it over first", field="number")


def _require_not_closed(c: Complaint, zh: str, en: str) -> None:
    if c.status == "closed":
        raise Conflict(f"{c.number} 已经回访关闭，不能再{zh}；如客户仍有意见，请登记新的投诉",
                       f"{c.number} is closed after its follow-up; you cannot {en} it. If "
                       "the customer is still unhappy, record a new complaint", field="number")


def _step(s: Session, c: Complaint, actor: Actor, kind: str, now: dt.datetime, **kw) -> None:
    st = ComplaintStep(complaint=c, at=now, kind=kind, staff_no=actor.staff_no,
                       staff_name=actor.name, **kw)
    s.add(st)


def _audit(s: Session, actor: Actor, kind: str, c: Complaint, **data) -> None:
    actor.audit(s, f"quality.{kind}", {"number": c.number, "kind": c.kind, **data})


# -- complaints --------------------------------------------------------------------------------
def record_complaint(db: Database, actor: Actor, *, contact_phone: str, description: str,
                     kind: str = "complaint", category: str = "其他", contact_name: str = "",
                     account_no: str = "", channel: str = "window", ticket_number: str = "",
                     ticket_id: int | None = None, config: QualitySettings | None = None
                     ) -> ComplaintView:
    """Record a complaint/enquiry/help request; the recording clerk owns it (首问负责制)."""
    config = _cfg(config)
    kind = _norm(kind)
    if kind not in COMPLAINT_KINDS:
        raise ValidationError("类型应为 投诉(complaint)、咨询(enquiry) 或 求助(help)",
                              "The kind must be complaint, enquiry or help", field="kind")
    channel = _norm(channel)
    if channel not in CHANNELS:
        raise ValidationError("来源应为 窗口(window) 或 热线(hotline)",
                              "The channel must be window or hotline", field="channel")
    phone = _phone(contact_phone)
    description = _text(description, "description", "事由描述", "description", limit=2000,
                        required=True)
    if len(description) < 4:
        raise ValidationError("事由描述太短：请写清客户反映的问题（至少 4 个字）",
                              "The description is too short: say what the customer reports "
                              "(4 characters at least)", field="description")
    category = _text(category or "其他", "category", "类别", "category", limit=40, required=True)
    contact_name = _text(contact_name, "contact_name", "客户称呼", "contact name", limit=60,
                         required=False)
    account_no = _text(account_no, "account_no", "户号", "account number", limit=20,
                       required=False)
    ticket_number = _text(ticket_number, "ticket_number", "排队号", "ticket number", limit=16,
                          required=False).upper()
    now = clock.now()
    with db.write() as s:
        if account_no and s.execute(select(Account.id).where(
                Account.account_no == account_no)).scalar() is None:
            raise NotFound(f"户号 {account_no} 不存在；不确定时可不填户号",
                           f"No account {account_no}; leave it empty if unsure",
                           field="account_no")
        from .sequence import next_value

        seq = next_value(s, actor.hall_id, f"complaint-{now:%Y}")
        prefix = {"complaint": "TS", "enquiry": "ZX", "help": "QZ"}[kind]
        due = reply_deadline(kind, now, config)
        c = Complaint(hall_id=actor.hall_id, number=f"{prefix}{now:%Y}{seq:05d}", kind=kind,
                      channel=channel, contact_name=contact_name, contact_phone=phone,
                      account_no=account_no, category=category, description=description,
                      ticket_id=ticket_id, ticket_number=ticket_number, window=actor.window,
                      status="open", recorded_by=actor.staff_no, owner_staff_no=actor.staff_no,
                      owner_name=actor.name, created_at=now, first_due_at=due, due_at=due)
        s.add(c)
        _step(s, c, actor, "recorded", now,
              note=f"{label(KIND_LABELS, kind)}·{category}·{channel}")
        s.flush()
        _audit(s, actor, "complaint_recorded", c, category=category, channel=channel,
               account_no=account_no, due_at=due)
        return _view(c, now, config, steps=True)


def forward(db: Database, actor: Actor, number: str, department: str, note: str = "", *,
            config: QualitySettings | None = None) -> ComplaintView:
    """Forward to a department for handling; the owner keeps the item."""
    config = _cfg(config)
    department = _text(department, "department", "转交部门", "department", limit=40,
                       required=True)
    note = _text(note, "note", "说明", "note", limit=1000, required=False)
    now = clock.now()
    with db.write() as s:
        c = _get(s, actor, number)
        _require_not_closed(c, "转交", "forward")
        _require_owner(c, actor, "转交", "forward it")
        c.department = department
        if c.status == "open":
            c.status = "forwarded"
        _step(s, c, actor, "forwarded", now, department=department, note=note)
        _audit(s, actor, "complaint_forwarded", c, department=department)
        s.flush()
        return _view(c, now, config, steps=True)


def hand_over(db: Database, actor: Actor, number: str, to_staff_no: str, note: str = "", *,
              config: QualitySettings | None = None) -> ComplaintView:
    """Hand ownership to a colleague, with a record (首问负责制 ends only this way)."""
    config = _cfg(config)
    to_staff_no = (to_staff_no or "").strip()
    note = _text(note, "note", "移交说明", "hand-over note", limit=1000, required=True)
    now = clock.now()
    with db.write() as s:
        c = _get(s, actor, number)
        _require_not_closed(c, "移交", "hand over")
        _require_owner(c, actor, "移交", "hand it over")
        target = s.execute(select(Staff).where(Staff.staff_no == to_staff_no)).scalar()
        if target is None or target.disabled:
            raise NotFound(f"工号 {to_staff_no} 不存在或已停用，请确认接手人的工号",
                           f"Staff {to_staff_no} does not exist or is disabled",
                           field="to_staff_no")
        if target.staff_no == c.owner_staff_no:
            raise Conflict(f"{c.number} 已由 {to_staff_no} 负责", f"{to_staff_no} already owns "
                           f"{c.number}", field="to_staff_no")
        previous = c.owner_staff_no
        c.owner_staff_no, c.owner_name = target.staff_no, target.name
        _step(s, c, actor, "handed_over", now, to_staff_no=target.staff_no,
              note=f"{previous} → {target.staff_no} {target.name}：{note}")
        _audit(s, actor, "complaint_handed_over", c, from_staff=previous, to_staff=target.staff_no)
        s.flush()
        return _view(c, now, config, steps=True)


def reply(db: Database, actor: Actor, number: str, text: str, *,
          config: QualitySettings | None = None) -> ComplaintView:
    """Record the reply given to the customer; the item then waits for its follow-up."""
    config = _cfg(config)
    text = _text(text, "reply", "答复内容", "reply", limit=2000, required=True)
    now = clock.now()
    with db.write() as s:
        c = _get(s, actor, number)
        _require_not_closed(c, "答复", "reply to")
        _require_owner(c, actor, "答复", "reply")
        c.status = "replied"
        c.reply = text
        c.replied_at = now
        if c.first_replied_at is None:
            c.first_replied_at = now
        _step(s, c, actor, "replied", now, note=text)
        _audit(s, actor, "complaint_replied", c, on_time=now <= c.due_at)
        s.flush()
        return _view(c, now, config, steps=True)


def contact(db: Database, actor: Actor, number: str, note: str, *,
            config: QualitySettings | None = None) -> ComplaintView:
    """Record that the customer was contacted (progress call, appointment…)."""
    config = _cfg(config)
    note = _text(note, "note", "联系情况", "contact note", limit=1000, required=True)
    now = clock.now()
    with db.write() as s:
        c = _get(s, actor, number)
        _require_not_closed(c, "登记联系", "record a contact on")
        _require_owner(c, actor, "登记联系", "record a contact")
        _step(s, c, actor, "contacted", now, note=note)
        _audit(s, actor, "complaint_contacted", c)
        s.flush()
        return _view(c, now, config, steps=True)


def follow_up(db: Database, actor: Actor, number: str, verdict: str, *, method: str = "phone",
              note: str = "", config: QualitySettings | None = None) -> ComplaintView:
    """The follow-up (回访): a satisfied verdict closes the item, unsatisfied reopens it."""
    config = _cfg(config)
    verdict = _norm(verdict)
    if verdict not in VERDICTS:
        raise ValidationError("回访结果应为 满意(satisfied) 或 不满意(unsatisfied)",
                              "The verdict must be satisfied or unsatisfied", field="verdict")
    method = _norm(method)
    if method not in FOLLOWUP_METHODS:
        raise ValidationError("回访方式应为 电话(phone) 或 上门(visit)",
                              "The method must be phone or visit", field="method")
    note = _text(note, "note", "回访记录", "follow-up note", limit=1000,
                 required=verdict == "unsatisfied")
    now = clock.now()
    if not followup_allowed(now, config):
        slot = next_followup_slot(now, config)
        raise ValidationError(
            f"回访只能在 {config.followup_start}–{config.followup_end} 之间进行（现在 {now:%H:%M}），"
            f"请在 {slot:%m-%d %H:%M} 之后回访；该件已在回访提醒中",
            f"Follow-ups only between {config.followup_start} and {config.followup_end} "
            f"(now {now:%H:%M}); call after {slot:%m-%d %H:%M}. It stays on the reminder list",
            field="time")
    with db.write() as s:
        c = _get(s, actor, number)
        _require_not_closed(c, "回访", "follow up")
        if c.status != "replied":
            raise Conflict(f"{c.number} 还没有答复客户，请先答复再回访",
                           f"{c.number} has not been replied to yet; reply first, then follow "
                           "up", field="number")
        s.add(FollowUp(complaint=c, at=now, staff_no=actor.staff_no, method=method,
                       verdict=verdict, note=note))
        _step(s, c, actor, "followed_up", now,
              note=f"{label(VERDICT_LABELS, verdict)}（{method}）{note}".rstrip())
        c.verdict = verdict
        if verdict == "satisfied":
            c.status = "closed"
            c.closed_at = now
            _step(s, c, actor, "closed", now)
        else:
            c.status = "open"
            c.reopen_count += 1
            c.replied_at = None
            c.due_at = reply_deadline(c.kind, now, config)
            _step(s, c, actor, "reopened", now,
                  note=f"回访不满意，重新处理，答复期限 {c.due_at:%m-%d %H:%M}")
        _audit(s, actor, "complaint_followed_up", c, verdict=verdict, method=method,
               status=c.status)
        s.flush()
        return _view(c, now, config, steps=True)


close = follow_up  # ``complaint close`` = a follow-up with the customer's verdict


def get_complaint(db: Database, actor: Actor, number: str, *,
                  config: QualitySettings | None = None) -> ComplaintView:
    config = _cfg(config)
    with db.read() as s:
        return _view(_get(s, actor, number, lock=False), clock.now(), config, steps=True)


def reveal_phone(db: Database, actor: Actor, number: str) -> str:
    """The full contact phone (for the follow-up call): needs ``can_reveal``; logged."""
    if not actor.can_reveal:
        raise PermissionDenied("您没有查看完整电话的权限，请主任查看或授权",
                               "You may not see full phone numbers; ask a manager")
    with db.write() as s:
        c = _get(s, actor, number, lock=False)
        _audit(s, actor, "complaint_phone_revealed", c)
        return c.contact_phone


def list_complaints(db: Database, actor: Actor, *, scope: str = "mine",
                    states: Iterable[str] | None = None, include_closed: bool = False,
                    config: QualitySettings | None = None) -> list[ComplaintView]:
    """Items ordered by deadline; ``scope`` 'mine' (owned by the actor) or 'all' (managers)."""
    config = _cfg(config)
    if scope not in ("mine", "all"):
        raise ValidationError("范围应为 mine 或 all", "Scope must be mine or all", field="scope")
    if scope == "all" and not actor.is_manager:
        raise PermissionDenied("查看全部投诉仅限主任或值班长；柜员可查看自己负责的事项",
                               "Only managers see every item; clerks see their own")
    now = clock.now()
    with db.read() as s:
        q = select(Complaint).where(Complaint.hall_id == actor.hall_id)
        if scope == "mine":
            q = q.where(Complaint.owner_staff_no == actor.staff_no)
        if not include_closed:
            q = q.where(Complaint.status != "closed")
        rows = s.execute(q.order_by(Complaint.due_at, Complaint.id)).scalars().all()
        out = [_view(c, now, config) for c in rows]
    if states:
        wanted = set(states)
        out = [v for v in out if v.state in wanted]
    order = {"overdue": 0, "due_soon": 1, "pending": 2, "awaiting_followup": 3, "closed": 4}
    return sorted(out, key=lambda v: (order[v.state], v.due_at))


def overdue(db: Database, actor: Actor, *, scope: str = "all",
            config: QualitySettings | None = None) -> list[ComplaintView]:
    return list_complaints(db, actor, scope=scope, states=("overdue",), config=config)


def due(db: Database, actor: Actor, *, scope: str = "mine",
        config: QualitySettings | None = None) -> list[ComplaintView]:
    return list_complaints(db, actor, scope=scope, states=("overdue", "due_soon", "pending"),
                           config=config)


@dataclass
class Reminder:
    number: str
    kind_label: str
    contact_name: str
    contact_phone: str  # masked
    owner_staff_no: str
    replied_at: str
    followup_by: str
    next_slot: str
    callable_now: bool
    late: bool

    def to_dict(self) -> dict:
        return asdict(self)


def followup_reminders(db: Database, actor: Actor, *, scope: str = "mine",
                       config: QualitySettings | None = None) -> list[Reminder]:
    """Replied items waiting for their follow-up call, earliest first."""
    config = _cfg(config)
    now = clock.now()
    items = list_complaints(db, actor, scope=scope, states=("awaiting_followup",),
                            config=config)
    out = []
    for v in items:
        replied = dt.datetime.fromisoformat(v.replied_at)
        by = followup_due(replied, config)
        slot = next_followup_slot(now, config)
        out.append(Reminder(v.number, v.kind_label, v.contact_name, v.contact_phone,
                            v.owner_staff_no, v.replied_at, _iso(by), _iso(slot),
                            slot == now, now > by))
    return sorted(out, key=lambda r: r.followup_by)


# -- ratings -------------------------------------------------------------------------------
_issued: weakref.WeakValueDictionary[str, CustomerScreenSource] = weakref.WeakValueDictionary()


class CustomerScreenSource:
    """What the customer screen of one window holds to record ratings.

    Issued only by :func:`open_customer_screen`; :func:`record_rating` accepts nothing
    else (a clerk's :class:`Actor` or a hand-made token is refused), so the workstation
    path cannot rate for the customer.
    """

    __slots__ = ("hall_id", "hall_code", "window", "staff_no", "staff_name", "screen_id",
                 "_token", "__weakref__")

    def __init__(self, hall_id: int, hall_code: str, window: int | None, staff_no: str = "",
                 staff_name: str = "", *, _token: str = ""):
        self.hall_id = hall_id
        self.hall_code = hall_code
        self.window = window
        self.staff_no = staff_no
        self.staff_name = staff_name
        self.screen_id = f"{hall_code}-W{window or 0}"
        self._token = _token

    def __repr__(self) -> str:  # never shows the token
        return f"CustomerScreenSource({self.screen_id})"


def open_customer_screen(db: Database, hall_code: str, window: int | None, *,
                         staff_no: str = "", staff_name: str = "") -> CustomerScreenSource:
    """Issue the rating source of a window's customer screen (done by the screen itself)."""
    with db.read() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found",
                           field="hall")
        hall_id = hall.id
    token = secrets.token_hex(16)
    src = CustomerScreenSource(hall_id, hall_code, window, staff_no, staff_name, _token=token)
    _issued[token] = src
    return src


def _check_source(source: Any) -> CustomerScreenSource:
    if isinstance(source, CustomerScreenSource) and source._token \
            and _issued.get(source._token) is source:
        return source
    raise PermissionDenied("服务评价只能由客户在窗口的评价屏上作出，柜员不能代客户评价",
                           "A rating can only come from the customer on the window's "
                           "customer screen; a clerk cannot rate for the customer",
                           field="source")


@dataclass
class RatingView:
    ticket_number: str
    business_day: str
    value: str
    value_label: str
    window: int | None
    staff_no: str
    staff_name: str
    service_letter: str
    service_name: str
    source: str
    asked_at: str
    created_at: str

    def to_dict(self) -> dict:
        return asdict(self)


def _rating_view(r: Rating) -> RatingView:
    return RatingView(r.ticket_number, r.business_day.isoformat(), r.value,
                      label(RATING_LABELS, r.value), r.window, r.staff_no, r.staff_name,
                      r.service_letter, r.service_name, r.source, _iso(r.asked_at),
                      _iso(r.created_at))


def _ticket_fields(ticket: dict, src: CustomerScreenSource) -> dict:
    def pick(*keys, default=None):
        for k in keys:
            v = ticket.get(k)
            if v not in (None, ""):
                return v
        return default

    service = pick("service")
    letter = pick("service_letter", "letter", default="")
    name = pick("service_name", default="")
    if isinstance(service, dict):
        letter = letter or service.get("letter", "")
        name = name or service.get("name", "")
    elif isinstance(service, str):
        if len(service) == 1:
            letter = letter or service
        else:
            name = name or service
    number = str(pick("number", "ticket_number", default="")).strip().upper()
    if not letter and number[:1].isalpha():
        letter = number[:1]
    tid = pick("id", "ticket_id")
    day = pick("business_day", "day")
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if day is None:
        issued = pick("issued_at")
        day = (dt.datetime.fromisoformat(issued).date() if isinstance(issued, str)
               else issued.date() if isinstance(issued, dt.datetime) else clock.today())
    window = pick("window", default=src.window)
    return {"ticket_id": int(tid) if tid is not None else None, "ticket_number": number,
            "service_letter": str(letter)[:1], "service_name": str(name)[:40],
            "business_day": day, "window": int(window) if window is not None else None,
            "staff_no": str(pick("staff_no", "clerk_no", default=src.staff_no)),
            "staff_name": str(pick("staff_name", "clerk_name", default=src.staff_name))}


def record_rating(db: Database, source: Any, ticket: dict, value: str, *,
                  asked_at: dt.datetime | None = None) -> RatingView:
    """Store the customer's answer for a finished ticket ('none' when no answer came)."""
    src = _check_source(source)
    value = _norm(value)
    if value not in RATING_VALUES:
        raise ValidationError("评价应为 非常满意、满意、基本满意、不满意 或 未评价(none)",
                              "The rating must be very_satisfied, satisfied, basic, "
                              "unsatisfied or none", field="value")
    f = _ticket_fields(ticket or {}, src)
    if not f["ticket_number"] and f["ticket_id"] is None:
        raise ValidationError("评价必须对应一张已办结的排队号", "A rating needs the finished "
                              "ticket", field="ticket")
    key = (f"id:{f['ticket_id']}" if f["ticket_id"] is not None
           else f"{f['business_day']:%Y%m%d}/{f['ticket_number']}")
    now = clock.now()
    with db.write() as s:
        if s.execute(select(Rating.id).where(Rating.hall_id == src.hall_id,
                                             Rating.ticket_key == key)).scalar():
            raise Conflict(f"排队号 {f['ticket_number']} 已经评价过", f"Ticket "
                           f"{f['ticket_number']} has already been rated", field="ticket")
        if f["staff_no"] and not f["staff_name"]:
            f["staff_name"] = s.execute(select(Staff.name).where(
                Staff.staff_no == f["staff_no"])).scalar() or ""
        r = Rating(hall_id=src.hall_id, ticket_key=key, value=value, source="customer_screen",
                   screen_id=src.screen_id, asked_at=asked_at or now, **f)
        s.add(r)
        s.flush()
        audit.record(s, "quality.rating", {"ticket": f["ticket_number"], "value": value,
                                           "staff_no": f["staff_no"], "screen": src.screen_id},
                     staff_no=f["staff_no"], hall_code=src.hall_code, window=f["window"])
        return _rating_view(r)


def _period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    date_to = date_to or clock.today()
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期", "The start date is after the end date",
                              field="from")
    return date_from, date_to


def list_ratings(db: Database, actor: Actor, *, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, staff_no: str | None = None
                 ) -> list[RatingView]:
    """Ratings in a period; clerks see their own only."""
    date_from, date_to = _period(date_from, date_to)
    if not actor.is_manager:
        staff_no = actor.staff_no
    with db.read() as s:
        q = select(Rating).where(Rating.hall_id == actor.hall_id,
                                 Rating.business_day >= date_from,
                                 Rating.business_day <= date_to)
        if staff_no:
            q = q.where(Rating.staff_no == staff_no)
        return [_rating_view(r) for r in s.execute(q.order_by(Rating.created_at, Rating.id))
                .scalars()]


# -- reports -------------------------------------------------------------------------------
def _satisfaction_row(key: str, name: str, counts: dict[str, int]) -> dict:
    rated = sum(counts.get(v, 0) for v in RATING_CHOICES)
    good = sum(counts.get(v, 0) for v in ("very_satisfied", "satisfied", "basic"))
    score = sum(RATING_SCORES[v] * counts.get(v, 0) for v in RATING_CHOICES)
    return {"key": key, "name": name, **{v: counts.get(v, 0) for v in RATING_VALUES},
            "asked": rated + counts.get("none", 0), "rated": rated,
            "satisfaction_rate": round(good / rated, 4) if rated else None,
            "average_score": round(score / rated, 2) if rated else None}


def report(db: Database, actor: Actor, *, date_from: dt.date | None = None,
           date_to: dt.date | None = None, config: QualitySettings | None = None) -> dict:
    """Satisfaction by clerk, window and service; complaints by category, on-time rate,
    overdue list. Phones masked, names of customers masked (it goes on paper)."""
    from .staff import require_manager

    require_manager(actor)
    config = _cfg(config)
    date_from, date_to = _period(date_from, date_to)
    now = clock.now()
    start = dt.datetime.combine(date_from, dt.time())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    with db.read() as s:
        hall = s.get(Hall, actor.hall_id)
        rows = s.execute(
            select(Rating.staff_no, Rating.staff_name, Rating.window, Rating.service_letter,
                   Rating.service_name, Rating.value, func.count())
            .where(Rating.hall_id == actor.hall_id, Rating.business_day >= date_from,
                   Rating.business_day <= date_to)
            .group_by(Rating.staff_no, Rating.staff_name, Rating.window,
                      Rating.service_letter, Rating.service_name, Rating.value)).all()
        complaints = s.execute(select(Complaint).where(
            Complaint.hall_id == actor.hall_id, Complaint.created_at >= start,
            Complaint.created_at < end).order_by(Complaint.id)).scalars().all()
        period_items = [_view(c, now, config) for c in complaints]
        overdue_items = [_view(c, now, config) for c in s.execute(
            select(Complaint).where(Complaint.hall_id == actor.hall_id,
                                    Complaint.status.in_(PENDING),
                                    Complaint.due_at < now)
            .order_by(Complaint.due_at)).scalars()]
        hall_name = hall.name if hall else ""
        company = hall.company_name if hall else ""

    def group(keyf, namef) -> list[dict]:
        acc: dict[str, dict] = {}
        names: dict[str, str] = {}
        for r in rows:
            k = keyf(r)
            acc.setdefault(k, {})
            acc[k][r.value] = acc[k].get(r.value, 0) + r[6]
            names[k] = names.get(k) or namef(r)
        return [_satisfaction_row(k, names[k], acc[k]) for k in sorted(acc)]

    total: dict[str, int] = {}
    for r in rows:
        total[r.value] = total.get(r.value, 0) + r[6]

    cats: dict[str, dict] = {}
    for v in period_items:
        d = cats.setdefault(v.category, {"category": v.category, "total": 0,
                                         **{k: 0 for k in COMPLAINT_KINDS}, "closed": 0,
                                         "open": 0, "overdue": 0})
        d["total"] += 1
        d[v.kind] += 1
        d["closed" if v.status == "closed" else "open"] += 1
        d["overdue"] += v.state == "overdue"
    decided = [v for v in period_items if v.on_time is not None]
    on_time = sum(1 for v in decided if v.on_time)

    def masked(v: ComplaintView) -> dict:
        d = v.to_dict()
        d["contact_name"] = mask_name(v.contact_name)
        d.pop("steps", None)
        return d

    return {
        "hall": hall_name, "company": company, "from": date_from.isoformat(),
        "to": date_to.isoformat(), "generated_at": _iso(now), "generated_by": actor.staff_no,
        "satisfaction": {
            "total": _satisfaction_row("all", "全部", total),
            "by_clerk": group(lambda r: r.staff_no or "-", lambda r: r.staff_name),
            "by_window": group(lambda r: f"{r.window or 0:02d}",
                               lambda r: f"{r.window}号窗口" if r.window else "-"),
            "by_service": group(lambda r: r.service_letter or "-",
                                lambda r: r.service_name),
        },
        "complaints": {
            "total": len(period_items),
            "by_category": sorted(cats.values(), key=lambda d: (-d["total"], d["category"])),
            "decided": len(decided), "on_time": on_time,
            "on_time_rate": round(on_time / len(decided), 4) if decided else None,
            "items": [masked(v) for v in period_items],
        },
        "overdue": [masked(v) for v in overdue_items],
    }


# -- demo data -------------------------------------------------------------------------------
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
    import random

    cfg = QualitySettings()
    with db.write() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            return {"complaints": 0, "ratings": 0}
        if s.execute(select(func.count()).select_from(Complaint)
                     .where(Complaint.hall_id == hall.id)).scalar():
            return {"complaints": 0, "ratings": 0}
        names = dict(s.execute(select(Staff.staff_no, Staff.name)).all())
        now = clock.now().replace(minute=0, second=0, microsecond=0)
        from .sequence import next_value

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
