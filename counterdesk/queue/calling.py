"""Calling customers to the window: call next, recall, start, no-show, re-queue,
transfer, hold, resume, finish.

Call next
    ``call_next`` locks the window's state row first (a double press on one window
    waits, then is refused because the window already holds a ticket), then takes
    the oldest eligible waiting ticket: on PostgreSQL ``SELECT … FOR UPDATE SKIP
    LOCKED`` on the candidate row, on SQLite inside the immediate transaction. A
    window never holds two tickets (``WindowState.current_ticket_id`` is unique too).

Order of eligible tickets
    1. tickets transferred to this window by number; 2. priority tickets (绿色通道) —
    unless the window has just made ``priority_cap`` priority calls in a row and an
    ordinary ticket waits, then the oldest ordinary ticket; 3. oldest first
    (``queue_at``) across the window's services.

Re-queue rule (过号)
    A no-show customer who comes back within ``noshow_requeue_minutes`` (default 30)
    of the no-show is re-queued once, keeping the number, behind everybody waiting at
    that moment (``queue_at`` = re-queue time). Later, or a second time: a new ticket.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BindParameter, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from .. import clock
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, NotFound, ValidationError
from ..models import ServiceType, Window, WindowService
from ..models.queue import Ticket, WindowState
from ..policy import queue_rules
from ..staff import Actor
from .tickets import (
    STATUS_ZH,
    TicketInfo,
    WindowInfo,
    _audit,
    _event,
    _find,
    _service,
    _service_ids,
    _state,
    _ticket_info,
    _window,
    _window_ticket,
)

_PICKS: dict[str, object] = {}


def _pick_statement(priority: str):
    """The call-next pick, built once per priority rule with bound parameters
    (building and keying it anew each call cost a tenth of a call-next's CPU).

    It sorts only ids (sorting whole rows costs PostgreSQL 4× more with a few hundred
    waiting), locks the one it takes (``SKIP LOCKED``: windows calling at once take
    different tickets), and reads that ticket by its id; the outer ``FOR UPDATE`` (a
    lock this transaction already holds) returns the row's newest version, as the
    locking subquery saw it."""
    stmt = _PICKS.get(priority)
    if stmt is None:
        win: BindParameter[int] = bindparam("p_win")
        q = select(Ticket.id).where(
            Ticket.hall_id == bindparam("p_hall"), Ticket.day == bindparam("p_day"),
            Ticket.status == "waiting",
            Ticket.service_type_id.in_(bindparam("p_ids", expanding=True)),
            or_(Ticket.target_window.is_(None), Ticket.target_window == win))
        order = [case((Ticket.target_window == win, 0), else_=1)]
        if priority == "first":
            order.append(case((Ticket.priority.is_(True), 0), else_=1))
        elif priority == "last":
            order.append(case((Ticket.priority.is_(True), 1), else_=0))
        q = q.order_by(*order, Ticket.queue_at, Ticket.id).limit(1)
        q = q.with_for_update(skip_locked=True)  # SQLAlchemy leaves it out on SQLite
        pick = select(Ticket).with_for_update()
        stmt = _PICKS[priority] = pick.where(Ticket.id == q.scalar_subquery())
    return stmt


def _candidate(s: Session, hall_id: int, day: dt.date, w: WindowInfo, state: WindowState,
               cap: int) -> Ticket | None:
    ids = _service_ids(w)
    if not ids:
        return None
    priority = "none" if cap <= 0 else "first" if state.priority_streak < cap else "last"
    stmt = _pick_statement(priority)
    return s.execute(stmt, {"p_hall": hall_id, "p_day": day, "p_ids": ids,
                            "p_win": w.number}).scalar()


def call_next(db: Database, actor: Actor, *, window: int | None = None) -> TicketInfo:
    """Call the next eligible ticket to the window (atomically; see module doc)."""
    window = window if window is not None else actor.window
    now = clock.now()
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
        w = _window(s, actor.hall_id, window)
        state = _state(s, w)
        if state.pause_id is not None:
            raise Conflict(f"{w.number} 号窗口暂停服务中，不能叫号；请先恢复服务",
                           f"Window {w.number} is paused and gets no calls; resume it first",
                           field="window")
        if state.current_ticket_id is not None:
            cur = s.get_one(Ticket, state.current_ticket_id)
            raise Conflict(f"{w.number} 号窗口已叫 {cur.number}（{STATUS_ZH.get(cur.status)}），"
                           "请先办结、过号或挂起再叫下一位",
                           f"Window {w.number} already has {cur.number} ({cur.status}); finish, "
                           "mark no-show or hold it before calling the next",
                           field="window", data={"ticket": _ticket_info(s, cur).to_dict()})
        t = _candidate(s, actor.hall_id, now.date(), w, state,
                       queue_rules(s, actor.hall_id).priority_cap)
        if t is None:
            raise NotFound(f"{w.number} 号窗口可办理的业务暂无等候的号码",
                           f"No ticket is waiting for window {w.number}'s services",
                           field="queue")
        t.status = "called"
        t.called_at = now
        t.first_called_at = t.first_called_at or now
        t.window_number = w.number
        t.staff_no = actor.staff_no
        t.target_window = None
        if not t.first_staff_no:
            t.first_staff_no, t.first_window = actor.staff_no, w.number
        state.current_ticket_id = t.id
        state.priority_streak = state.priority_streak + 1 if t.priority else 0
        state.calls += 1
        state.staff_no = actor.staff_no
        s.flush()
        info = _ticket_info(s, t, now=now)
        _event(s, actor, "called", t, window=w.number, at=now)
        _audit(s, actor, "queue.called", t, w.number, waited_seconds=info.waited_seconds)
        return info


def recall(db: Database, actor: Actor, ticket: str | None = None, *,
           window: int | None = None) -> TicketInfo:
    """Call the window's ticket again (重呼), at most ``recall_limit`` times."""
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called",), "重呼", "recall")
        rules = queue_rules(s, actor.hall_id)
        if t.recall_count >= rules.recall_limit:
            raise Conflict(f"{t.number} 已重呼 {t.recall_count} 次（上限 {rules.recall_limit} 次），"
                           "请按过号处理", f"{t.number} was recalled {t.recall_count} times "
                           f"(limit {rules.recall_limit}); mark it a no-show", field="ticket")
        t.recall_count += 1
        t.called_at = clock.now()
        s.flush()
        _event(s, actor, "recalled", t, window=w.number)
        _audit(s, actor, "queue.recalled", t, w.number, recall_count=t.recall_count)
        return _ticket_info(s, t)


def start(db: Database, actor: Actor, ticket: str | None = None, *,
          window: int | None = None) -> TicketInfo:
    """The called customer has arrived: serving starts (service time counts from here)."""
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called",), "开始办理", "start")
        t.status = "serving"
        t.started_at = clock.now()
        s.flush()
        _event(s, actor, "started", t, window=w.number)
        _audit(s, actor, "queue.started", t, w.number)
        return _ticket_info(s, t)


def no_show(db: Database, actor: Actor, ticket: str | None = None, *,
            window: int | None = None) -> TicketInfo:
    """The called customer did not come (过号): the window is free for the next call."""
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called",), "过号",
                                     "mark no-show")
        t.status = "no_show"
        t.no_show_at = clock.now()
        state.current_ticket_id = None
        s.flush()
        _event(s, actor, "no_show", t, window=w.number)
        _audit(s, actor, "queue.no_show", t, w.number, recall_count=t.recall_count)
        return _ticket_info(s, t)


def requeue(db: Database, actor: Actor, ticket: str) -> TicketInfo:
    """A no-show customer came back: re-queue once, within the time limit (module doc)."""
    now = clock.now()
    with db.write() as s:
        t = _find(s, actor, ticket)
        if t.status != "no_show":
            raise Conflict(f"{t.number} 当前状态为“{STATUS_ZH.get(t.status)}”，只有过号的号码可以重新排队",
                           f"{t.number} is {t.status}; only a no-show ticket can be re-queued",
                           field="ticket")
        rules = queue_rules(s, actor.hall_id)
        limit = dt.timedelta(minutes=rules.noshow_requeue_minutes)
        if t.requeue_count >= 1 or (t.no_show_at and now - t.no_show_at > limit):
            raise Conflict(f"{t.number} 过号已超过 {rules.noshow_requeue_minutes} 分钟或已重新排队过一次，"
                           "请重新取号", f"{t.number}: more than {rules.noshow_requeue_minutes} "
                           "min since the no-show, or already re-queued once; take a new ticket",
                           field="ticket")
        t.status = "waiting"
        t.queue_at = now
        t.requeue_count += 1
        t.window_number = None
        s.flush()
        _event(s, actor, "requeued", t, window=actor.window)
        _audit(s, actor, "queue.requeued", t, actor.window)
        return _ticket_info(s, t)


def transfer(db: Database, actor: Actor, ticket: str | None = None, *,
             service: str | None = None, to_window: int | None = None, note: str = "",
             window: int | None = None) -> TicketInfo:
    """Hand the customer to another service or a named window, with a note (首问负责制:
    the first clerk stays recorded). The ticket keeps its number and its place
    (original issue time), so the customer does not queue again."""
    window = window if window is not None else actor.window
    note = (note or "").strip()
    if not service and to_window is None:
        raise ValidationError("请指定转往的业务类型或窗口", "Name the service or window to "
                              "transfer to", field="service")
    if not note:
        raise ValidationError("转办须填写交接说明（首问负责制）", "A transfer needs a hand-over "
                              "note (first-inquiry responsibility)", field="note")
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called", "serving", "held"),
                                     "转办", "transfer")
        st = _service(s, actor.hall_id, service) if service else s.get_one(
            ServiceType, t.service_type_id)
        if to_window is not None:
            if to_window == w.number:
                raise ValidationError("不能转给本窗口", "Cannot transfer to your own window",
                                      field="to_window")
            target = _window(s, actor.hall_id, to_window)
            if st.id not in _service_ids(target):
                offered = "、".join(x.letter for x in target.services) or "无"
                raise Conflict(f"{target.number} 号窗口不办理“{st.name}”业务（该窗口办理：{offered}）；"
                               "请另选窗口，或同时选择该窗口办理的业务",
                               f"Window {target.number} does not serve {st.name_en or st.name} "
                               f"(it serves: {offered}); choose another window, or also choose "
                               "one of its services", field="to_window")
            if not _state(s, target, lock=False).staff_no:
                raise Conflict(f"{target.number} 号窗口当前无人签到，不能转给该窗口",
                               f"Nobody is signed in at window {target.number}; cannot transfer "
                               "there", field="to_window")
        else:
            serving = s.execute(select(func.count()).select_from(WindowService)
                                .join(Window, Window.id == WindowService.window_id)
                                .where(WindowService.service_type_id == st.id,
                                       Window.active.is_(True))).scalar()
            if not serving:
                raise Conflict(f"暂无窗口办理“{st.name}”业务", f"No window serves {st.name}",
                               field="service")
        old_service = s.get_one(ServiceType, t.service_type_id).letter
        if state.current_ticket_id == t.id:
            state.current_ticket_id = None
        t.status = "waiting"
        t.service_type_id = st.id
        t.target_window = to_window
        t.queue_at = t.issued_at
        t.transfer_count += 1
        t.note = (t.note + "\n" if t.note else "") + f"[{actor.staff_no}@{w.number}] {note}"
        t.window_number = None
        s.flush()
        _event(s, actor, "transferred", t, window=w.number,
               note=f"{st.letter}{'→' + str(to_window) if to_window else ''} {note}")
        _audit(s, actor, "queue.transferred", t, w.number, from_service=old_service,
               to_service=st.letter, to_window=to_window, note=note,
               first_staff_no=t.first_staff_no)
        return _ticket_info(s, t)


def sign_on(db: Database, actor: Actor, *, window: int | None = None) -> None:
    """Record that ``actor`` works at the window now (the workstation signs on after the
    sign-in): transfers to a named window need somebody there, the window list says who."""
    window = window if window is not None else actor.window
    with db.write() as s:
        _state(s, _window(s, actor.hall_id, window)).staff_no = actor.staff_no


def sign_off(db: Database, actor: Actor, *, window: int | None = None) -> None:
    """The clerk leaves the window (sign-out, switch user, closing the workstation)."""
    window = window if window is not None else actor.window
    with db.write() as s:
        state = _state(s, _window(s, actor.hall_id, window))
        if state.staff_no == actor.staff_no:
            state.staff_no = ""


def hold(db: Database, actor: Actor, ticket: str | None = None, *,
         window: int | None = None, note: str = "") -> TicketInfo:
    """Park the current customer (挂起, e.g. fetching a document); the window may call on."""
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called", "serving"), "挂起",
                                     "hold")
        t.status = "held"
        state.current_ticket_id = None
        s.flush()
        _event(s, actor, "held", t, window=w.number, note=note)
        _audit(s, actor, "queue.held", t, w.number, note=note)
        return _ticket_info(s, t)


def resume(db: Database, actor: Actor, ticket: str, *, window: int | None = None) -> TicketInfo:
    """Take a held ticket back at the window that parked it (it must be free)."""
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("held",), "恢复办理", "resume")
        if state.current_ticket_id is not None:
            cur = s.get_one(Ticket, state.current_ticket_id)
            raise Conflict(f"{w.number} 号窗口正在办理 {cur.number}，请先办结或挂起",
                           f"Window {w.number} is busy with {cur.number}; finish or hold it "
                           "first", field="window")
        t.status = "serving"
        t.started_at = t.started_at or clock.now()
        state.current_ticket_id = t.id
        s.flush()
        _event(s, actor, "resumed", t, window=w.number)
        _audit(s, actor, "queue.resumed", t, w.number)
        return _ticket_info(s, t)


def finish(db: Database, actor: Actor, ticket: str | None = None, *,
           window: int | None = None) -> TicketInfo:
    """办结: the window's ticket is done. Refused for a ticket another window holds."""
    window = window if window is not None else actor.window
    now = clock.now()
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called", "serving", "held"),
                                     "办结", "finish")
        t.started_at = t.started_at or t.called_at or now
        t.status = "finished"
        t.finished_at = now
        if state.current_ticket_id == t.id:
            state.current_ticket_id = None
        s.flush()
        info = _ticket_info(s, t, now=now)
        _event(s, actor, "finished", t, window=w.number, at=now)
        _audit(s, actor, "queue.finished", t, w.number, service_seconds=info.service_seconds,
               waited_seconds=info.waited_seconds, first_staff_no=t.first_staff_no)
        return info
