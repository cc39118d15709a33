"""The hall's queue (排队叫号), correct across every PC sharing one database.

Tickets
    ``issue`` gives the next number of a service for the business day (``A001``…,
    gapless: the ``ticket:A:2026-11-22`` counter row is locked until commit). A
    service that no active window serves is refused before anything is written (the
    kiosk says so before printing).

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

Window pause (此窗口暂停服务)
    A reason (list or free text; "other" needs text) and an expected return time in
    the future. Longer than ``pause_limit_minutes``: a manager's approval and a
    covering colleague (顶岗). During opening hours, pausing the last open window for
    a service that has waiting tickets, or the last open window of the hall, needs a
    manager override. A window with a called/serving ticket cannot pause.

Every step stores its time and staff, writes a ``TicketEvent`` (the propagation
feed: ``change_version`` is ``max(id)`` through the ``(hall_id, id)`` index) and an
audit event in the same transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import asdict, dataclass, field

from sqlalchemy import bindparam, case, func, insert, or_, select
from sqlalchemy.orm import Session

from . import clock, sequence
from .db import Database
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .models import Hall, ServiceType, Staff, Window, WindowService
from .models.queue import Ticket, TicketEvent, WindowPause, WindowState
from .settings import QueueSettings
from .staff import Actor, Approval, authorise

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

STATUS_ZH = {"waiting": "等候", "called": "已叫号", "serving": "办理中", "held": "挂起",
             "finished": "办结", "no_show": "过号"}


# -- plain results ---------------------------------------------------------------------
def _iso(v: dt.datetime | None) -> str | None:
    return v.isoformat(timespec="seconds") if v else None


@dataclass
class TicketInfo:
    id: int
    number: str
    service: str
    service_name: str
    priority: bool
    status: str
    day: str
    window: int | None
    staff_no: str
    issued_at: str
    called_at: str | None
    started_at: str | None
    finished_at: str | None
    no_show_at: str | None
    first_staff_no: str
    first_window: int | None
    target_window: int | None
    recall_count: int
    requeue_count: int
    transfer_count: int
    note: str
    waited_seconds: int
    service_seconds: int | None
    ahead: int | None = None
    hall_name: str = ""
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _ticket_info(s: Session, t: Ticket, *, now: dt.datetime | None = None,
                 ahead: int | None = None) -> TicketInfo:
    now = now or clock.now()
    st = s.get(ServiceType, t.service_type_id)
    waited_until = t.first_called_at or now
    waited = max(0, int((waited_until - t.issued_at).total_seconds()))
    service_s = None
    if t.started_at:
        service_s = max(0, int(((t.finished_at or now) - t.started_at).total_seconds()))
    return TicketInfo(
        id=t.id, number=t.number, service=st.letter, service_name=st.name,
        priority=t.priority, status=t.status, day=t.day.isoformat(), window=t.window_number,
        staff_no=t.staff_no, issued_at=_iso(t.issued_at), called_at=_iso(t.called_at),
        started_at=_iso(t.started_at), finished_at=_iso(t.finished_at),
        no_show_at=_iso(t.no_show_at), first_staff_no=t.first_staff_no,
        first_window=t.first_window, target_window=t.target_window,
        recall_count=t.recall_count, requeue_count=t.requeue_count,
        transfer_count=t.transfer_count, note=t.note, waited_seconds=waited,
        service_seconds=service_s, ahead=ahead)


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
    from . import i18n

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


@dataclass
class ServiceInfo:
    letter: str
    name: str
    name_en: str
    served: bool           # some active window serves it
    waiting: int
    waiting_priority: int
    open_windows: list[int] = field(default_factory=list)  # serving it and not paused

    def to_dict(self) -> dict:
        return asdict(self)


# -- helpers ---------------------------------------------------------------------------
def kiosk_actor(db: Database, hall_code: str, device: str = "kiosk") -> Actor:
    """The acting party of a ticket kiosk (no staff member signs in there)."""
    with db.read() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            hall = s.execute(select(Hall).order_by(Hall.id)).scalars().first()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在，请先运行 counterdesk init / demo",
                           f"Hall {hall_code} not found; run counterdesk init / demo first")
        return Actor(0, device, device, "kiosk", hall.id, hall.code, None, False)


def _is_pg(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def _service(s: Session, hall_id: int, letter: str) -> ServiceType:
    letter = (letter or "").strip().upper()
    st = s.execute(select(ServiceType).where(ServiceType.hall_id == hall_id,
                                             ServiceType.letter == letter)).scalar()
    if st is None or not st.active:
        known = "、".join(s.execute(select(ServiceType.letter).where(
            ServiceType.hall_id == hall_id, ServiceType.active.is_(True))
            .order_by(ServiceType.letter)).scalars())
        raise NotFound(f"没有业务类型 {letter or '（空）'}；可选：{known}",
                       f"Unknown service {letter or '(empty)'}; choose one of: {known}",
                       field="service")
    return st


@dataclass(frozen=True)
class _ServiceRef:
    service_type_id: int
    letter: str


@dataclass(frozen=True)
class WindowInfo:
    """A window as the queue's services need it, read in one statement."""

    id: int
    hall_id: int
    number: int
    services: tuple[_ServiceRef, ...]


_W, _WS, _ST = Window.__table__, WindowService.__table__, ServiceType.__table__
_WINDOW_Q = (select(_W.c.id, _W.c.hall_id, _W.c.number, _W.c.active,
                    _WS.c.service_type_id, _ST.c.letter)
             .select_from(_W.outerjoin(_WS, _WS.c.window_id == _W.c.id)
                          .outerjoin(_ST, _ST.c.id == _WS.c.service_type_id))
             .where(_W.c.hall_id == bindparam("b_hall"), _W.c.number == bindparam("b_number"))
             .order_by(_WS.c.position, _WS.c.service_type_id))


def _window(s: Session, hall_id: int, number: int | None) -> WindowInfo:
    if number is None:
        raise ValidationError("请指定窗口号（--window N，或在设置中配置本机窗口号）",
                              "Name the window (--window N, or set this PC's window number)",
                              field="window")
    rows = s.execute(_WINDOW_Q, {"b_hall": hall_id, "b_number": number}).all()
    if not rows or not rows[0].active:
        raise NotFound(f"没有 {number} 号窗口（或已停用）", f"No active window {number}",
                       field="window")
    r = rows[0]
    return WindowInfo(r.id, r.hall_id, r.number,
                      tuple(_ServiceRef(x.service_type_id, x.letter) for x in rows
                            if x.service_type_id is not None))


_STATE_Q = select(WindowState).where(WindowState.window_id == bindparam("s_window"))
_STATE_LOCK_Q = _STATE_Q.with_for_update()


def _state(s: Session, w: WindowInfo, *, lock: bool = True) -> WindowState:
    q = _STATE_LOCK_Q if lock else _STATE_Q
    params = {"s_window": w.id}
    st = s.execute(q, params).scalar()
    if st is None:
        if _is_pg(s):
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        s.execute(insert(WindowState).values(window_id=w.id, hall_id=w.hall_id,
                                             number=w.number, priority_streak=0, calls=0,
                                             staff_no="").on_conflict_do_nothing())
        st = s.execute(q.execution_options(populate_existing=True), params).scalar_one()
    return st


def _service_ids(w) -> list[int]:
    return [ws.service_type_id for ws in w.services]


_INSERT_EVENT = insert(TicketEvent.__table__)


def _event(s: Session, actor: Actor, kind: str, t: Ticket | None, *, window: int | None,
           note: str = "", at: dt.datetime | None = None) -> None:
    """The queue event the windows, kiosks and displays poll for (a cached Core insert)."""
    if t is not None and t.id is None:
        s.flush()
    s.execute(_INSERT_EVENT, {"hall_id": actor.hall_id, "ticket_id": t.id if t else None,
                              "at": at or clock.now(), "kind": kind,
                              "number": t.number if t else "", "window_number": window,
                              "staff_no": actor.staff_no, "note": note})


def _audit(s: Session, actor: Actor, kind: str, t: Ticket | None, window: int | None,
           **extra) -> None:
    data = {"window": window}
    if t is not None:
        data.update(ticket=t.number, day=t.day.isoformat(), status=t.status,
                    priority=t.priority)
    data.update(extra)
    actor.audit(s, kind, data)


def _find(s: Session, actor: Actor, ref: str | int, *, lock: bool = True,
          day: dt.date | None = None) -> Ticket:
    q = select(Ticket).where(Ticket.hall_id == actor.hall_id)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        q = q.where(Ticket.id == int(ref))
    else:
        ref = (ref or "").strip().upper()
        q = q.where(Ticket.day == (day or clock.today()), Ticket.number == ref)
    if lock:
        q = q.with_for_update()
    t = s.execute(q).scalar()
    if t is None:
        raise NotFound(f"今天没有号码 {ref}", f"No ticket {ref} today", field="ticket")
    return t


_TICKET_LOCK_Q = select(Ticket).where(Ticket.id == bindparam("t_id")).with_for_update()


def _window_ticket(s: Session, actor: Actor, window: int | None, ref: str | int | None,
                   allowed: tuple[str, ...], verb_zh: str, verb_en: str) -> tuple:
    """The window's state and the ticket it acts on (its current one, or ``ref``)."""
    w = _window(s, actor.hall_id, window)
    state = _state(s, w)
    if ref is None:
        if state.current_ticket_id is None:
            raise Conflict(f"{w.number} 号窗口当前没有号码，无法{verb_zh}",
                           f"Window {w.number} holds no ticket to {verb_en}", field="ticket")
        t = s.execute(_TICKET_LOCK_Q, {"t_id": state.current_ticket_id}).scalar_one()
    else:
        t = _find(s, actor, ref)
    if t.status in ("called", "serving", "held") and t.window_number != w.number:
        raise Conflict(f"{t.number} 由 {t.window_number} 号窗口办理中，本窗口（{w.number} 号）不能{verb_zh}",
                       f"{t.number} is held by window {t.window_number}; window {w.number} "
                       f"cannot {verb_en} it", field="ticket")
    if t.status not in allowed:
        raise Conflict(f"{t.number} 当前状态为“{STATUS_ZH.get(t.status, t.status)}”，不能{verb_zh}",
                       f"{t.number} is {t.status}; cannot {verb_en} it now", field="ticket")
    return w, state, t


# -- issue -----------------------------------------------------------------------------
def issue(db: Database, actor: Actor, service: str, *, priority: bool = False) -> TicketInfo:
    """Issue the next ticket of ``service`` for today; refused if no window serves it."""
    now = clock.now()
    day = now.date()
    with db.write() as s:
        st = _service(s, actor.hall_id, service)
        served = s.execute(select(func.count()).select_from(WindowService)
                           .join(Window, Window.id == WindowService.window_id)
                           .where(WindowService.service_type_id == st.id,
                                  Window.active.is_(True))).scalar()
        if not served:
            raise Conflict(f"暂无窗口办理“{st.name}”业务，请咨询大堂工作人员",
                           f"No window serves {st.name_en or st.name} at present; please ask "
                           "the hall staff", field="service")
        seq = sequence.next_value(s, actor.hall_id, f"ticket:{st.letter}:{day.isoformat()}")
        if seq > 999:
            raise Conflict(f"“{st.name}”今日号码已用完（999）", f"{st.name}: no numbers left "
                           "today (999)", field="service")
        waiting = select(func.count()).select_from(Ticket).where(
            Ticket.hall_id == actor.hall_id, Ticket.day == day, Ticket.status == "waiting",
            Ticket.service_type_id == st.id)
        if priority:
            waiting = waiting.where(Ticket.priority.is_(True))
        ahead = int(s.execute(waiting).scalar() or 0)
        t = Ticket(hall_id=actor.hall_id, day=day, letter=st.letter, seq=seq,
                   number=f"{st.letter}{seq:03d}", service_type_id=st.id, priority=priority,
                   status="waiting", queue_at=now, issued_at=now, issued_by=actor.staff_no)
        s.add(t)
        s.flush()
        _event(s, actor, "issued", t, window=None, at=now)
        _audit(s, actor, "queue.issued", t, None, service=st.letter, ahead=ahead)
        info = _ticket_info(s, t, now=now, ahead=ahead)
        hall = s.get(Hall, actor.hall_id)
        info.hall_name = hall.name
        return info


# -- call ------------------------------------------------------------------------------
_PICKS: dict[tuple[str, bool], object] = {}


def _pick_statement(priority: str, pg: bool):
    """The call-next pick, built once per (priority rule, engine) with bound parameters
    (building and keying it anew each call cost a tenth of a call-next's CPU).

    It sorts only ids (sorting whole rows costs PostgreSQL 4× more with a few hundred
    waiting), locks the one it takes (``SKIP LOCKED``: windows calling at once take
    different tickets), and reads that ticket by its id; the outer ``FOR UPDATE`` (a
    lock this transaction already holds) returns the row's newest version, as the
    locking subquery saw it."""
    key = (priority, pg)
    stmt = _PICKS.get(key)
    if stmt is None:
        win = bindparam("p_win")
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
        pick = select(Ticket)
        if pg:
            q = q.with_for_update(skip_locked=True)
            pick = pick.with_for_update()
        stmt = _PICKS[key] = pick.where(Ticket.id == q.scalar_subquery())
    return stmt


def _candidate(s: Session, hall_id: int, day: dt.date, w: WindowInfo, state: WindowState,
               cap: int) -> Ticket | None:
    ids = _service_ids(w)
    if not ids:
        return None
    priority = "none" if cap <= 0 else "first" if state.priority_streak < cap else "last"
    stmt = _pick_statement(priority, _is_pg(s))
    return s.execute(stmt, {"p_hall": hall_id, "p_day": day, "p_ids": ids,
                            "p_win": w.number}).scalar()


def call_next(db: Database, actor: Actor, *, window: int | None = None,
              rules: QueueSettings | None = None) -> TicketInfo:
    """Call the next eligible ticket to the window (atomically; see module doc)."""
    rules = rules or QueueSettings()
    window = window if window is not None else actor.window
    now = clock.now()
    with db.write() as s:
        w = _window(s, actor.hall_id, window)
        state = _state(s, w)
        if state.pause_id is not None:
            raise Conflict(f"{w.number} 号窗口暂停服务中，不能叫号；请先恢复服务",
                           f"Window {w.number} is paused and gets no calls; resume it first",
                           field="window")
        if state.current_ticket_id is not None:
            cur = s.get(Ticket, state.current_ticket_id)
            raise Conflict(f"{w.number} 号窗口已叫 {cur.number}（{STATUS_ZH.get(cur.status)}），"
                           "请先办结、过号或挂起再叫下一位",
                           f"Window {w.number} already has {cur.number} ({cur.status}); finish, "
                           "mark no-show or hold it before calling the next",
                           field="window", data={"ticket": _ticket_info(s, cur).to_dict()})
        t = _candidate(s, actor.hall_id, now.date(), w, state, rules.priority_cap)
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
           window: int | None = None, rules: QueueSettings | None = None) -> TicketInfo:
    """Call the window's ticket again (重呼), at most ``recall_limit`` times."""
    rules = rules or QueueSettings()
    window = window if window is not None else actor.window
    with db.write() as s:
        w, state, t = _window_ticket(s, actor, window, ticket, ("called",), "重呼", "recall")
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


def requeue(db: Database, actor: Actor, ticket: str, *,
            rules: QueueSettings | None = None) -> TicketInfo:
    """A no-show customer came back: re-queue once, within the time limit (module doc)."""
    rules = rules or QueueSettings()
    now = clock.now()
    with db.write() as s:
        t = _find(s, actor, ticket)
        if t.status != "no_show":
            raise Conflict(f"{t.number} 当前状态为“{STATUS_ZH.get(t.status)}”，只有过号的号码可以重新排队",
                           f"{t.number} is {t.status}; only a no-show ticket can be re-queued",
                           field="ticket")
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
        st = _service(s, actor.hall_id, service) if service else s.get(ServiceType,
                                                                       t.service_type_id)
        if to_window is not None:
            if to_window == w.number:
                raise ValidationError("不能转给本窗口", "Cannot transfer to your own window",
                                      field="to_window")
            target = _window(s, actor.hall_id, to_window)
            if st.id not in _service_ids(target):
                if service:
                    raise Conflict(f"{target.number} 号窗口不办理“{st.name}”业务",
                                   f"Window {target.number} does not serve {st.name_en or st.name}",
                                   field="to_window")
                st = target.services[0].service_type if target.services else st
        else:
            serving = s.execute(select(func.count()).select_from(WindowService)
                                .join(Window, Window.id == WindowService.window_id)
                                .where(WindowService.service_type_id == st.id,
                                       Window.active.is_(True))).scalar()
            if not serving:
                raise Conflict(f"暂无窗口办理“{st.name}”业务", f"No window serves {st.name}",
                               field="service")
        old_service = s.get(ServiceType, t.service_type_id).letter
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
            cur = s.get(Ticket, state.current_ticket_id)
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


def current(db: Database, actor: Actor, *, window: int | None = None) -> TicketInfo | None:
    window = window if window is not None else actor.window
    with db.read() as s:
        w = _window(s, actor.hall_id, window)
        st = s.execute(select(WindowState).where(WindowState.window_id == w.id)).scalar()
        if st is None or st.current_ticket_id is None:
            return None
        return _ticket_info(s, s.get(Ticket, st.current_ticket_id))


def held_tickets(db: Database, actor: Actor, *, window: int | None = None) -> list[TicketInfo]:
    window = window if window is not None else actor.window
    with db.read() as s:
        rows = s.execute(select(Ticket).where(
            Ticket.hall_id == actor.hall_id, Ticket.status == "held",
            Ticket.window_number == window).order_by(Ticket.id)).scalars().all()
        return [_ticket_info(s, t) for t in rows]


def list_tickets(db: Database, hall_id: int, *, day: dt.date | None = None,
                 status: str | None = None) -> list[TicketInfo]:
    with db.read() as s:
        q = select(Ticket).where(Ticket.hall_id == hall_id, Ticket.day == (day or clock.today()))
        if status:
            q = q.where(Ticket.status == status)
        return [_ticket_info(s, t) for t in s.execute(q.order_by(Ticket.id)).scalars()]


def get_ticket(db: Database, actor: Actor, ref: str) -> TicketInfo:
    with db.read() as s:
        return _ticket_info(s, _find(s, actor, ref, lock=False))


# -- window pause ----------------------------------------------------------------------
def _opening(hall: Hall, now: dt.datetime) -> bool:
    hhmm = now.strftime("%H:%M")
    return hall.opening_time <= hhmm < hall.closing_time


def _open_windows(s: Session, hall_id: int) -> list[tuple[Window, WindowState | None]]:
    rows = s.execute(select(Window, WindowState).outerjoin(
        WindowState, WindowState.window_id == Window.id).where(
        Window.hall_id == hall_id, Window.active.is_(True))).all()
    return [(w, st) for w, st in rows if st is None or st.pause_id is None]


def pause_needs(db: Database, actor: Actor, *, until: str | dt.datetime,
                window: int | None = None, rules: QueueSettings | None = None) -> dict:
    """What a pause until ``until`` would need (for the dialog to ask up front)."""
    rules = rules or QueueSettings()
    window = window if window is not None else actor.window
    with db.read() as s:
        w = _window(s, actor.hall_id, window)
        return _pause_needs(s, actor, w, parse_until(until), rules)


def _pause_needs(s: Session, actor: Actor, w: WindowInfo, until: dt.datetime,
                 rules: QueueSettings) -> dict:
    now = clock.now()
    minutes = math.ceil((until - now).total_seconds() / 60)
    long = minutes > rules.pause_limit_minutes
    hall = s.get(Hall, actor.hall_id)
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
                  rules: QueueSettings, cover: str, *, lock: bool = False) -> dict:
    w = _window(s, actor.hall_id, window)
    state = _state(s, w, lock=lock) if lock else s.execute(
        select(WindowState).where(WindowState.window_id == w.id)).scalar()
    if state is not None and state.pause_id is not None:
        p = s.get(WindowPause, state.pause_id)
        raise Conflict(f"{w.number} 号窗口已暂停服务（至 {p.expected_until:%H:%M}）",
                       f"Window {w.number} is already paused (until "
                       f"{p.expected_until:%H:%M})", field="window")
    if state is not None and state.current_ticket_id is not None:
        cur = s.get(Ticket, state.current_ticket_id)
        raise Conflict(f"{w.number} 号窗口正在办理 {cur.number}，请先办结、过号或挂起再暂停",
                       f"Window {w.number} is busy with {cur.number}; finish, no-show or "
                       "hold it before pausing", field="window")
    needs = _pause_needs(s, actor, w, until_dt, rules)
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
                 approval: Approval | None = None, cover: str = "",
                 rules: QueueSettings | None = None) -> PauseInfo:
    """Set the window paused (此窗口暂停服务); see the module doc for the rules."""
    rules = rules or QueueSettings()
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
    # The manager's password is checked in its own transactions (staff.authorise), so
    # on SQLite it must run before this transaction takes the write lock: look first,
    # then authorise first thing in the write, then check everything again under locks.
    with db.read() as s:
        needs = _pause_checks(s, actor, window, until_dt, rules, cover)
    if needs["needs_approval"] and approval is None:
        raise PermissionDenied("暂停服务需要主任或值班长授权：" + "；".join(needs["why"]),
                               "This pause needs a manager's approval: "
                               + "; ".join(needs["why_en"]), field="approver", data=needs)
    with db.write() as s:
        if db.is_postgres:  # same lock order as call-next: window state, then audit head
            _state(s, _window(s, actor.hall_id, window))
        auth = None
        if needs["needs_approval"]:
            auth = authorise(db, s, approval, "window.pause", actor=actor,
                             reason="；".join(needs["why"]))
        needs = _pause_checks(s, actor, window, until_dt, rules, cover, lock=True)
        if needs["needs_approval"] and auth is None:
            raise PermissionDenied("暂停服务需要主任或值班长授权：" + "；".join(needs["why"]),
                                   "This pause needs a manager's approval: "
                                   + "; ".join(needs["why_en"]), field="approver", data=needs)
        w = _window(s, actor.hall_id, window)
        state = _state(s, w)
        p = WindowPause(hall_id=actor.hall_id, window_number=w.number, staff_no=actor.staff_no,
                        reason_code=reason, reason_text=reason_text, started_at=now,
                        expected_until=until_dt, approved_by=approval.staff_no if auth else "",
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
        p = s.get(WindowPause, state.pause_id)
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


def pause_history(db: Database, hall_id: int, day: dt.date | None = None) -> list[PauseInfo]:
    day = day or clock.today()
    start_ = dt.datetime.combine(day, dt.time())
    with db.read() as s:
        rows = s.execute(select(WindowPause).where(
            WindowPause.hall_id == hall_id, WindowPause.started_at >= start_,
            WindowPause.started_at < start_ + dt.timedelta(days=1))
            .order_by(WindowPause.id)).scalars().all()
        return [_pause_info(s, p) for p in rows]


# -- propagation -----------------------------------------------------------------------
def change_version(db: Database, hall_id: int) -> int:
    """The hall's queue change counter: ``max(id)`` of its events (one index probe)."""
    with db.read() as s:
        return int(s.execute(select(func.max(TicketEvent.id)).where(
            TicketEvent.hall_id == hall_id)).scalar() or 0)


def events_since(db: Database, hall_id: int, after_id: int, *, lookback: int = 64,
                 kinds: tuple[str, ...] | None = None, limit: int = 200) -> list[dict]:
    """Events with ``id > after_id - lookback`` (callers de-duplicate by id): ids of
    concurrent transactions may become visible slightly out of order."""
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.hall_id == hall_id,
                                      TicketEvent.id > max(0, after_id - lookback))
        if kinds:
            q = q.where(TicketEvent.kind.in_(kinds))
        rows = s.execute(q.order_by(TicketEvent.id).limit(limit)).scalars().all()
        return [{"id": e.id, "at": _iso(e.at), "kind": e.kind, "number": e.number,
                 "window": e.window_number, "staff_no": e.staff_no, "note": e.note}
                for e in rows]


def hall_id_for(db: Database, hall_code: str) -> int:
    return kiosk_actor(db, hall_code).hall_id


def services(db: Database, hall_id: int, *, day: dt.date | None = None) -> list[ServiceInfo]:
    day = day or clock.today()
    with db.read() as s:
        return _services(s, hall_id, day)


def _services(s: Session, hall_id: int, day: dt.date) -> list[ServiceInfo]:
    counts = {(sid, pr): n for sid, pr, n in s.execute(
        select(Ticket.service_type_id, Ticket.priority, func.count())
        .where(Ticket.hall_id == hall_id, Ticket.day == day, Ticket.status == "waiting")
        .group_by(Ticket.service_type_id, Ticket.priority)).all()}
    windows = s.execute(select(Window, WindowState).outerjoin(
        WindowState, WindowState.window_id == Window.id).where(
        Window.hall_id == hall_id, Window.active.is_(True)).order_by(Window.number)).all()
    out = []
    for st in s.execute(select(ServiceType).where(ServiceType.hall_id == hall_id,
                                                  ServiceType.active.is_(True))
                        .order_by(ServiceType.letter)).scalars():
        serving = [w for w, _ in windows if st.id in _service_ids(w)]
        open_ = [w.number for w, ws in windows if st.id in _service_ids(w)
                 and (ws is None or ws.pause_id is None)]
        pr = counts.get((st.id, True), 0)
        out.append(ServiceInfo(st.letter, st.name, st.name_en, bool(serving),
                               pr + counts.get((st.id, False), 0), pr, open_))
    return out


def snapshot(db: Database, hall_id: int) -> dict:
    """Everything a display or workstation shows, in one read (no full-table scans)."""
    now = clock.now()
    with db.read() as s:
        version = int(s.execute(select(func.max(TicketEvent.id)).where(
            TicketEvent.hall_id == hall_id)).scalar() or 0)
        hall = s.get(Hall, hall_id)
        svc = _services(s, hall_id, now.date())
        rows = s.execute(select(Window, WindowState).outerjoin(
            WindowState, WindowState.window_id == Window.id).where(
            Window.hall_id == hall_id, Window.active.is_(True))
            .order_by(Window.number)).all()
        pauses = {p.window_number: _pause_info(s, p).to_dict() for p in s.execute(
            select(WindowPause).where(WindowPause.hall_id == hall_id,
                                      WindowPause.ended_at.is_(None))).scalars()}
        windows = []
        for w, st in rows:
            cur = None
            if st is not None and st.current_ticket_id is not None:
                cur = _ticket_info(s, s.get(Ticket, st.current_ticket_id), now=now).to_dict()
            windows.append({"number": w.number, "name": w.name,
                            "services": [ws.service_type.letter for ws in w.services],
                            "current": cur, "pause": pauses.get(w.number)})
        return {"version": version, "at": _iso(now), "hall": hall.name if hall else "",
                "hall_code": hall.code if hall else "",
                "services": [x.to_dict() for x in svc], "windows": windows}


# -- statistics ------------------------------------------------------------------------
def _p90(values: list[int]) -> int | None:
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(0.9 * len(v)) - 1)]


def _avg(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


@dataclass
class StatRow:
    group: str      # service | window | clerk | total
    key: str
    name: str
    tickets: int = 0
    finished: int = 0
    no_shows: int = 0
    avg_wait: int | None = None
    p90_wait: int | None = None
    avg_service: int | None = None
    p90_service: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def statistics(db: Database, hall_id: int, date_from: dt.date,
               date_to: dt.date | None = None) -> dict:
    """Per service, window and clerk: tickets, no-shows, average and 90th-percentile
    waiting and service seconds; tickets issued per hour (busiest hours)."""
    date_to = date_to or date_from
    if date_to < date_from:
        raise ValidationError("结束日期早于开始日期", "The end date is before the start date",
                              field="date_to")
    with db.read() as s:
        names = {st.id: (st.letter, st.name) for st in s.execute(
            select(ServiceType).where(ServiceType.hall_id == hall_id)).scalars()}
        staff_names = dict(s.execute(select(Staff.staff_no, Staff.name)).all())
        rows = s.execute(select(
            Ticket.service_type_id, Ticket.window_number, Ticket.staff_no, Ticket.status,
            Ticket.issued_at, Ticket.first_called_at, Ticket.started_at, Ticket.finished_at)
            .where(Ticket.hall_id == hall_id, Ticket.day >= date_from,
                   Ticket.day <= date_to)).all()
    groups: dict[tuple[str, str], dict] = {}
    hours: dict[int, int] = {}

    def bucket(group, key, name):
        return groups.setdefault((group, key), {"name": name, "n": 0, "fin": 0, "ns": 0,
                                                "wait": [], "svc": []})

    for sid, win, staff_no, status, issued, called, started, finished in rows:
        letter, sname = names.get(sid, ("?", "?"))
        hours[issued.hour] = hours.get(issued.hour, 0) + 1
        keys = [("total", "", "合计"), ("service", letter, sname)]
        if win is not None:
            keys.append(("window", str(win), f"{win}号窗口"))
        if staff_no:
            keys.append(("clerk", staff_no, staff_names.get(staff_no, "")))
        wait = int((called - issued).total_seconds()) if called else None
        svc = int((finished - started).total_seconds()) if finished and started else None
        for g in keys:
            b = bucket(*g)
            b["n"] += 1
            b["fin"] += status == "finished"
            b["ns"] += status == "no_show"
            if wait is not None:
                b["wait"].append(wait)
            if svc is not None:
                b["svc"].append(svc)
    order = {"total": 0, "service": 1, "window": 2, "clerk": 3}
    out = []
    for (group, key), b in sorted(groups.items(), key=lambda kv: (
            order[kv[0][0]], int(kv[0][1]) if kv[0][0] == "window" else 0, kv[0][1])):
        out.append(StatRow(group, key, b["name"], b["n"], b["fin"], b["ns"], _avg(b["wait"]),
                           _p90(b["wait"]), _avg(b["svc"]), _p90(b["svc"])))
    busiest = sorted(hours.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return {"from": date_from.isoformat(), "to": date_to.isoformat(),
            "rows": [r.to_dict() for r in out],
            "hours": {f"{h:02d}": n for h, n in sorted(hours.items())},
            "busiest_hours": [f"{h:02d}:00" for h, _ in busiest]}


CSV_HEADER = ["分组 group", "键 key", "名称 name", "取号数 tickets", "办结 finished",
              "过号 no-shows", "平均等候秒 avg wait s", "P90 等候秒 p90 wait s",
              "平均办理秒 avg service s", "P90 办理秒 p90 service s"]


def statistics_csv(stats: dict) -> str:
    """The statistics as CSV text (UTF-8 with BOM when written, so Excel reads it)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for r in stats["rows"]:
        w.writerow([r["group"], r["key"], r["name"], r["tickets"], r["finished"],
                    r["no_shows"], *("" if r[k] is None else r[k] for k in
                                     ("avg_wait", "p90_wait", "avg_service", "p90_service"))])
    w.writerow([])
    w.writerow(["小时 hour", "取号数 tickets"])
    for h, n in stats["hours"].items():
        w.writerow([h, n])
    return buf.getvalue()


__all__ = ["issue", "call_next", "recall", "start", "no_show", "requeue", "transfer", "hold",
           "resume", "finish", "pause_window", "resume_window", "snapshot", "change_version",
           "events_since", "statistics", "statistics_csv", "kiosk_actor", "TicketInfo",
           "PauseInfo", "PAUSE_REASONS"]
