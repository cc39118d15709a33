"""Complaints, enquiries, help requests (投诉 / 咨询 / 求助) [004 第二十条, 001 一.5]:
recorded with the customer's contact and a description; the first clerk owns the item
(首问负责制, 000 5.1.4, 001 二.1) until handed over with a record; a reply deadline from the
settings; every step is kept with time and staff (事事有结果，件件有答复, 002).

Follow-up (回访) [004 第二十一条, 002]: closes the item with the customer's verdict; an
unsatisfied verdict reopens it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Staff
from ..models.accounts import Account
from ..models.quality import (
    COMPLAINT_KINDS,
    VERDICTS,
    Complaint,
    ComplaintStep,
    FollowUp,
)
from ..sequence import next_value
from ..staff import Actor
from .deadlines import followup_allowed, next_followup_slot, reply_deadline, rules_for
from .labels import (
    CHANNELS,
    FOLLOWUP_METHODS,
    KIND_LABELS,
    VERDICT_LABELS,
    canonical,
    category_of,
    label,
)
from .views import ComplaintView, complaint_view


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


def find_complaint(s: Session, actor: Actor, number: str, *, lock: bool = True) -> Complaint:
    q = select(Complaint).where(Complaint.hall_id == actor.hall_id,
                                Complaint.number == (number or "").strip().upper())
    if lock:  # SQLAlchemy leaves FOR UPDATE out on SQLite
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
                     ticket_id: int | None = None) -> ComplaintView:
    """Record a complaint/enquiry/help request; the recording clerk owns it (首问负责制)."""
    config = rules_for(db, actor)
    kind = canonical(kind)
    if kind not in COMPLAINT_KINDS:
        raise ValidationError("类型应为 投诉(complaint)、咨询(enquiry) 或 求助(help)",
                              "The kind must be complaint, enquiry or help", field="kind")
    channel = canonical(channel)
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
    category = _text(category_of(category) or "其他", "category", "类别", "category", limit=40, required=True)
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
        return complaint_view(c, now, config, steps=True)


def forward(db: Database, actor: Actor, number: str, department: str, note: str = ""
            ) -> ComplaintView:
    """Forward to a department for handling; the owner keeps the item."""
    config = rules_for(db, actor)
    department = _text(department, "department", "转交部门", "department", limit=40,
                       required=True)
    note = _text(note, "note", "说明", "note", limit=1000, required=False)
    now = clock.now()
    with db.write() as s:
        c = find_complaint(s, actor, number)
        _require_not_closed(c, "转交", "forward")
        _require_owner(c, actor, "转交", "forward it")
        c.department = department
        if c.status == "open":
            c.status = "forwarded"
        _step(s, c, actor, "forwarded", now, department=department, note=note)
        _audit(s, actor, "complaint_forwarded", c, department=department)
        s.flush()
        return complaint_view(c, now, config, steps=True)


def hand_over(db: Database, actor: Actor, number: str, to_staff_no: str, note: str = ""
              ) -> ComplaintView:
    """Hand ownership to a colleague, with a record (首问负责制 ends only this way)."""
    config = rules_for(db, actor)
    to_staff_no = (to_staff_no or "").strip()
    note = _text(note, "note", "移交说明", "hand-over note", limit=1000, required=True)
    now = clock.now()
    with db.write() as s:
        c = find_complaint(s, actor, number)
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
        return complaint_view(c, now, config, steps=True)


# a reply with these words promises work (a repair, a visit): its completion is recorded
# (:func:`work_done`) before the follow-up
WORK_WORDS = ("上门", "维修", "检修", "派员", "派人", "师傅", "更换", "安装", "整改")


def promises_work(text: str) -> bool:
    return any(w in (text or "") for w in WORK_WORDS)


def reply(db: Database, actor: Actor, number: str, text: str, *, work: bool = False
          ) -> ComplaintView:
    """Record the reply given to the customer; the item then waits for its follow-up.
    ``work`` (or a reply that speaks of a repair or visit) marks work promised."""
    config = rules_for(db, actor)
    text = _text(text, "reply", "答复内容", "reply", limit=2000, required=True)
    now = clock.now()
    with db.write() as s:
        c = find_complaint(s, actor, number)
        _require_not_closed(c, "答复", "reply to")
        _require_owner(c, actor, "答复", "reply")
        c.status = "replied"
        c.reply = text
        c.replied_at = now
        c.replied_by = actor.staff_no
        if work or promises_work(text):
            c.work_promised = True
            c.work_done_at, c.work_done_by = None, ""
        if c.first_replied_at is None:
            c.first_replied_at = now
        _step(s, c, actor, "replied", now, note=text)
        _audit(s, actor, "complaint_replied", c, on_time=now <= c.due_at)
        s.flush()
        return complaint_view(c, now, config, steps=True)


def contact(db: Database, actor: Actor, number: str, note: str) -> ComplaintView:
    """Record that the customer was contacted (progress call, appointment…)."""
    config = rules_for(db, actor)
    note = _text(note, "note", "联系情况", "contact note", limit=1000, required=True)
    now = clock.now()
    with db.write() as s:
        c = find_complaint(s, actor, number)
        _require_not_closed(c, "登记联系", "record a contact on")
        _require_owner(c, actor, "登记联系", "record a contact")
        _step(s, c, actor, "contacted", now, note=note)
        _audit(s, actor, "complaint_contacted", c)
        s.flush()
        return complaint_view(c, now, config, steps=True)


def work_done(db: Database, actor: Actor, number: str, note: str) -> ComplaintView:
    """Record that the work the reply promised (repair, visit) was done."""
    config = rules_for(db, actor)
    note = _text(note, "note", "完成情况", "completion note", limit=1000, required=True)
    now = clock.now()
    with db.write() as s:
        c = find_complaint(s, actor, number)
        _require_not_closed(c, "登记完成", "record the work on")
        if not c.work_promised:
            raise Conflict(f"{c.number} 的答复没有承诺维修或上门，无需登记完成",
                           f"{c.number}: the reply promised no work", field="number")
        c.work_done_at, c.work_done_by = now, actor.staff_no
        _step(s, c, actor, "work_done", now, note=note)
        _audit(s, actor, "complaint_work_done", c)
        s.flush()
        return complaint_view(c, now, config, steps=True)


def _check_follow_up(c, actor: Actor) -> None:
    """回访 is independent of the reply, and comes after the promised work (issue 15)."""
    if c.replied_by and c.replied_by == actor.staff_no:
        raise PermissionDenied(f"{c.number} 由您答复，回访须由另一位同事进行",
                               f"You replied to {c.number}; a colleague must do the "
                               "follow-up", field="staff")
    if c.work_promised and c.work_done_at is None:
        raise Conflict(f"{c.number} 答复中承诺的维修/上门尚未登记完成，请先登记完成情况再回访",
                       f"{c.number}: the promised work is not recorded as done yet; record "
                       "it before the follow-up", field="work_done")


def follow_up(db: Database, actor: Actor, number: str, verdict: str, *, method: str = "phone",
              note: str = "") -> ComplaintView:
    """The follow-up (回访): a satisfied verdict closes the item, unsatisfied reopens it."""
    config = rules_for(db, actor)
    verdict = canonical(verdict)
    if verdict not in VERDICTS:
        raise ValidationError("回访结果应为 满意(satisfied) 或 不满意(unsatisfied)",
                              "The verdict must be satisfied or unsatisfied", field="verdict")
    method = canonical(method)
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
        c = find_complaint(s, actor, number)
        _require_not_closed(c, "回访", "follow up")
        if c.status != "replied":
            raise Conflict(f"{c.number} 还没有答复客户，请先答复再回访",
                           f"{c.number} has not been replied to yet; reply first, then follow "
                           "up", field="number")
        _check_follow_up(c, actor)
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
        return complaint_view(c, now, config, steps=True)


close = follow_up  # ``complaint close`` = a follow-up with the customer's verdict


def get_complaint(db: Database, actor: Actor, number: str) -> ComplaintView:
    config = rules_for(db, actor)
    with db.read() as s:
        return complaint_view(find_complaint(s, actor, number, lock=False), clock.now(), config, steps=True)


def reveal_phone(db: Database, actor: Actor, number: str) -> str:
    """The full contact phone (for the follow-up call): needs ``can_reveal``; logged."""
    if not actor.can_reveal:
        raise PermissionDenied("您没有查看完整电话的权限，请主任查看或授权",
                               "You may not see full phone numbers; ask a manager")
    with db.write() as s:
        c = find_complaint(s, actor, number, lock=False)
        _audit(s, actor, "complaint_phone_revealed", c)
        return c.contact_phone

