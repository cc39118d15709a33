"""Window pause (此窗口暂停服务).

A reason (list or free text; "other" needs text) and an expected return time in the
future. Longer than ``pause_limit_minutes``: a manager's approval and a covering
colleague (顶岗). During opening hours, pausing the last open window for a service that
has waiting tickets, or the last open window of the hall, needs a manager override. A
window with a called/serving ticket cannot pause.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock, i18n
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Hall, Staff, Window
from ..models.queue import Ticket, WindowPause, WindowState
from ..policy import queue_rules
from ..staff import Actor, Approval, check_approval, record_authorisation
from .tickets import WindowInfo, _event, _iso, _service_ids, _state, _window

PAUSE_REASONS = {
    "meal": ("用餐", "Meal"),
    "restroom": ("如厕", "Restroom"),
    "documents": ("取资料/复印", "Fetching documents / copying"),
    "consult": ("请示领导", "Consulting the manager"),
    "handover": ("交接班", "Shift handover"),
    "meeting": ("学习/会议", "Training / meeting"),
    "site": ("外出现场", "Site visit"),
    "other": ("其他", "Other"),
}

@dataclass
class PauseInfo:
    id: int
    window: int
    staff_no: str
    staff_name: str
    reason_code: str
    reason: str
    reason_text: str
    started_at: str
    expected_until: str
    ended_at: str | None
    ended_by: str
    approved_by: str
    cover_staff_no: str
    override: bool

    def to_dict(self) -> dict:
        return asdict(self)


def reason_label(code: str, text: str = "") -> str:
    zh, en = PAUSE_REASONS.get(code, (code, code))
    base = i18n.pick(zh, en)
    if text and code == "other":
        return text
    return f"{base}（{text}）" if text else base


def _pause_info(s: Session, p: WindowPause) -> PauseInfo:
    name = s.execute(select(Staff.name).where(Staff.staff_no == p.staff_no)).scalar() or ""
    return PauseInfo(p.id, p.window_number, p.staff_no, name, p.reason_code,
                     reason_label(p.reason_code, p.reason_text), p.reason_text,
                     _iso(p.started_at), _iso(p.expected_until), _iso(p.ended_at),
                     p.ended_by, p.approved_by, p.cover_staff_no, p.override)

def _opening(hall: Hall, now: dt.datetime) -> bool:
    hhmm = now.strftime("%H:%M")
    return hall.opening_time <= hhmm < hall.closing_time


def _open_windows(s: Session, hall_id: int) -> list[tuple[Window, WindowState | None]]:
    rows = s.execute(select(Window, WindowState).outerjoin(
        WindowState, WindowState.window_id == Window.id).where(
        Window.hall_id == hall_id, Window.active.is_(True))).all()
    return [(w, st) for w, st in rows if st is None or st.pause_id is None]


def pause_needs(db: Database, actor: Actor, *, until: str | dt.datetime,
                window: int | None = None) -> dict:
    """What a pause until ``until`` would need (for the dialog to ask up front)."""
    window = window if window is not None else actor.window
    with db.read() as s:
        w = _window(s, actor.hall_id, window)
        return _pause_needs(s, actor, w, parse_until(until))


def _pause_needs(s: Session, actor: Actor, w: WindowInfo, until: dt.datetime) -> dict:
    now = clock.now()
    rules = queue_rules(s, actor.hall_id)
    minutes = math.ceil((until - now).total_seconds() / 60)
    long = minutes > rules.pause_limit_minutes
    hall = s.get_one(Hall, actor.hall_id)
    last_for: list[str] = []
    last_of_hall = False
    if _opening(hall, now):
        others = [ow for ow, _ in _open_windows(s, actor.hall_id) if ow.id != w.id]
        last_of_hall = not others
        for ws in w.services:
            if any(ws.service_type_id in _service_ids(ow) for ow in others):
                continue
            waiting = s.execute(select(func.count()).select_from(Ticket).where(
                Ticket.hall_id == actor.hall_id, Ticket.day == now.date(),
                Ticket.status == "waiting", Ticket.service_type_id == ws.service_type_id)
            ).scalar()
            if waiting:
                last_for.append(ws.letter)
    return {"minutes": minutes, "long": long, "limit": rules.pause_limit_minutes,
            "needs_cover": long, "needs_approval": long or bool(last_for) or last_of_hall,
            "last_for_services": last_for, "last_of_hall": last_of_hall}


def parse_until(value: str | dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """``HH:MM`` today (or a datetime) → the expected return time."""
    if isinstance(value, dt.datetime):
        return value
    now = now or clock.now()
    try:
        t = dt.datetime.strptime((value or "").strip(), "%H:%M").time()
    except ValueError:
        raise ValidationError(f"预计返回时间 {value!r} 无效，应为 HH:MM（如 10:30）",
                              f"Expected return {value!r} is invalid; use HH:MM (e.g. 10:30)",
                              field="until") from None
    return dt.datetime.combine(now.date(), t)


def _pause_checks(s: Session, actor: Actor, window: int | None, until_dt: dt.datetime,
                  cover: str, *, lock: bool = False) -> dict:
    w = _window(s, actor.hall_id, window)
    state = _state(s, w, lock=lock) if lock else s.execute(
        select(WindowState).where(WindowState.window_id == w.id)).scalar()
    if state is not None and state.pause_id is not None:
        p = s.get_one(WindowPause, state.pause_id)
        raise Conflict(f"{w.number} 号窗口已暂停服务（至 {p.expected_until:%H:%M}）",
                       f"Window {w.number} is already paused (until "
                       f"{p.expected_until:%H:%M})", field="window")
    if state is not None and state.current_ticket_id is not None:
        cur = s.get_one(Ticket, state.current_ticket_id)
        raise Conflict(f"{w.number} 号窗口正在办理 {cur.number}，请先办结、过号或挂起再暂停",
                       f"Window {w.number} is busy with {cur.number}; finish, no-show or "
                       "hold it before pausing", field="window")
    needs = _pause_needs(s, actor, w, until_dt)
    rules = queue_rules(s, actor.hall_id)
    if needs["needs_cover"] and not cover:
        raise ValidationError(
            f"离开超过 {rules.pause_limit_minutes} 分钟须有同事顶岗：请填写顶岗人工号",
            f"A pause over {rules.pause_limit_minutes} min needs a covering colleague: "
            "enter their staff number", field="cover")
    if cover:
        cover_st = s.execute(select(Staff).where(Staff.staff_no == cover)).scalar()
        if cover_st is None or cover_st.disabled:
            raise NotFound(f"顶岗人工号 {cover} 不存在或已停用",
                           f"Covering staff {cover} not found or disabled", field="cover")
        if cover == actor.staff_no:
            raise ValidationError("顶岗人不能是本人", "The covering colleague cannot be "
                                  "yourself", field="cover")
    why, why_en = [], []
    if needs["long"]:
        why.append(f"离岗 {needs['minutes']} 分钟，超过 {rules.pause_limit_minutes} 分钟")
        why_en.append(f"away {needs['minutes']} min, over {rules.pause_limit_minutes} min")
    if needs["last_for_services"]:
        svc = "/".join(needs["last_for_services"])
        why.append(f"业务 {svc} 仍有等候，本窗口为最后一个开放窗口")
        why_en.append(f"service {svc} has waiting customers and this is its last open window")
    if needs["last_of_hall"]:
        why.append("营业时间内本厅最后一个开放窗口")
        why_en.append("the hall's last open window during opening hours")
    needs.update(why=why, why_en=why_en)
    return needs


def pause_window(db: Database, actor: Actor, *, reason: str = "", reason_text: str = "",
                 until: str | dt.datetime, window: int | None = None,
                 approval: Approval | None = None, cover: str = "") -> PauseInfo:
    """Set the window paused (此窗口暂停服务); see the module doc for the rules."""
    window = window if window is not None else actor.window
    reason = (reason or "").strip()
    reason_text = (reason_text or "").strip()
    cover = (cover or "").strip()
    now = clock.now()
    if not reason and reason_text:
        reason = "other"
    if not reason:
        raise ValidationError("暂停服务须说明原因（选择原因或填写说明）",
                              "A pause needs a reason (pick one or type it)", field="reason")
    if reason not in PAUSE_REASONS:
        raise ValidationError(f"暂停原因 {reason} 无效；可选：{', '.join(PAUSE_REASONS)}",
                              f"Unknown pause reason {reason}; one of {', '.join(PAUSE_REASONS)}",
                              field="reason")
    if reason == "other" and not reason_text:
        raise ValidationError("原因为“其他”时须填写说明", "Reason 'other' needs a description",
                              field="reason_text")
    if len(reason_text) > 200:
        raise ValidationError("原因说明不超过 200 字", "The description is limited to 200 "
                              "characters", field="reason_text")
    until_dt = parse_until(until, now)
    if until_dt <= now:
        raise ValidationError(f"预计返回时间 {until_dt:%H:%M} 须晚于现在（{now:%H:%M}）",
                              f"The expected return {until_dt:%H:%M} must be after now "
                              f"({now:%H:%M})", field="until")
    # Look first, check the manager's password (staff.check_approval, its own
    # transactions), then record it in the write after checking everything again under locks.
    with db.read() as s:
        needs = _pause_checks(s, actor, window, until_dt, cover)
    if needs["needs_approval"] and approval is None:
        raise PermissionDenied("暂停服务需要主任授权：" + "；".join(needs["why"]),
                               "This pause needs a manager's approval: "
                               + "; ".join(needs["why_en"]), field="approver", data=needs)
    checked = check_approval(db, approval, actor, "window.pause") \
        if needs["needs_approval"] else None
    with db.write() as s:
        if db.is_postgres:  # same lock order as call-next: window state, then audit head
            _state(s, _window(s, actor.hall_id, window))
        needs = _pause_checks(s, actor, window, until_dt, cover, lock=True)
        auth = None
        if needs["needs_approval"] and checked is not None:
            auth = record_authorisation(s, checked, "window.pause", actor,
                                        "；".join(needs["why"]))
        if needs["needs_approval"] and auth is None:
            raise PermissionDenied("暂停服务需要主任授权：" + "；".join(needs["why"]),
                                   "This pause needs a manager's approval: "
                                   + "; ".join(needs["why_en"]), field="approver", data=needs)
        w = _window(s, actor.hall_id, window)
        state = _state(s, w)
        p = WindowPause(hall_id=actor.hall_id, window_number=w.number, staff_no=actor.staff_no,
                        reason_code=reason, reason_text=reason_text, started_at=now,
                        expected_until=until_dt, approved_by=approval.staff_no if auth and approval else "",
                        authorisation_id=auth.id if auth else None,
                        cover_staff_no=cover,
                        override=bool(needs["last_for_services"] or needs["last_of_hall"]))
        s.add(p)
        s.flush()
        state.pause_id = p.id
        _event(s, actor, "paused", None, window=w.number,
               note=f"{reason_label(reason, reason_text)}|{until_dt:%H:%M}")
        actor.audit(s, "queue.window_paused", {
            "window": w.number, "reason": reason, "reason_text": reason_text,
            "until": until_dt, "approved_by": p.approved_by, "cover": cover,
            "override": p.override, "pause_id": p.id})
        return _pause_info(s, p)


def resume_window(db: Database, actor: Actor, *, window: int | None = None) -> PauseInfo:
    window = window if window is not None else actor.window
    now = clock.now()
    with db.write() as s:
        w = _window(s, actor.hall_id, window)
        state = _state(s, w)
        if state.pause_id is None:
            raise Conflict(f"{w.number} 号窗口没有暂停", f"Window {w.number} is not paused",
                           field="window")
        p = s.get_one(WindowPause, state.pause_id)
        p.ended_at = now
        p.ended_by = actor.staff_no
        state.pause_id = None
        s.flush()
        minutes = int((now - p.started_at).total_seconds() // 60)
        _event(s, actor, "unpaused", None, window=w.number)
        actor.audit(s, "queue.window_resumed", {"window": w.number, "pause_id": p.id,
                                                "minutes": minutes})
        return _pause_info(s, p)


def open_pauses(db: Database, hall_id: int) -> list[PauseInfo]:
    with db.read() as s:
        rows = s.execute(select(WindowPause).where(WindowPause.hall_id == hall_id,
                                                   WindowPause.ended_at.is_(None))
                         .order_by(WindowPause.window_number)).scalars().all()
        return [_pause_info(s, p) for p in rows]
