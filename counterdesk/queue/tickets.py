"""Tickets (取号) and the window helpers every queue step shares.

``issue`` gives the next number of a service for the business day (``A001``…, gapless:
the ``ticket:A:2026-11-22`` counter row is locked until commit). A service that no
active window serves is refused before anything is written (the kiosk says so before
printing).

Every step stores its time and staff, writes a ``TicketEvent`` (the propagation feed:
``change_version`` is ``max(id)`` through the ``(hall_id, id)`` index) and an audit
event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from .. import clock, i18n, sequence
from ..clock import iso as _iso
from ..db import SERVICE_DEADLINE_S, Database
from ..errors import Conflict, NotFound, ValidationError
from ..models import Hall, ServiceType, Window, WindowService
from ..models.queue import Ticket, TicketEvent, WindowState
from ..staff import Actor

STATUS_ZH = {"waiting": "等候", "called": "已叫号", "serving": "办理中", "held": "挂起",
             "finished": "办结", "no_show": "过号"}

# -- plain results ---------------------------------------------------------------------
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
    st = s.get_one(ServiceType, t.service_type_id)
    waited_until = t.first_called_at or now
    waited = max(0, int((waited_until - t.issued_at).total_seconds()))
    service_s = None
    if t.started_at:
        service_s = max(0, int(((t.finished_at or now) - t.started_at).total_seconds()))
    return TicketInfo(
        id=t.id, number=t.number, service=st.letter, service_name=service_label(st),
        priority=t.priority, status=t.status, day=t.day.isoformat(), window=t.window_number,
        staff_no=t.staff_no, issued_at=_iso(t.issued_at), called_at=_iso(t.called_at),
        started_at=_iso(t.started_at), finished_at=_iso(t.finished_at),
        no_show_at=_iso(t.no_show_at), first_staff_no=t.first_staff_no,
        first_window=t.first_window, target_window=t.target_window,
        recall_count=t.recall_count, requeue_count=t.requeue_count,
        transfer_count=t.transfer_count, note=t.note, waited_seconds=waited,
        service_seconds=service_s, ahead=ahead)


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


def service_label(st) -> str:
    """A service's name in the interface language (its English name when set); ``st`` is
    a ``ServiceType`` or a snapshot's service (a dict with ``name`` and ``name_en``)."""
    name, name_en = (st["name"], st.get("name_en")) if isinstance(st, dict) \
        else (st.name, st.name_en)
    return name_en if i18n.current() == "en" and name_en else name


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
        values = dict(window_id=w.id, hall_id=w.hall_id, number=w.number, priority_streak=0,
                      calls=0, staff_no="")
        if _is_pg(s):
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            s.execute(pg_insert(WindowState).values(values).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            s.execute(sqlite_insert(WindowState).values(values).on_conflict_do_nothing())
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
    data: dict[str, Any] = {"window": window}
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
    with db.write(deadline_s=SERVICE_DEADLINE_S) as s:
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
        hall = s.get_one(Hall, actor.hall_id)
        info.hall_name = hall.name
        return info


def current(db: Database, actor: Actor, *, window: int | None = None) -> TicketInfo | None:
    window = window if window is not None else actor.window
    with db.read() as s:
        w = _window(s, actor.hall_id, window)
        st = s.execute(select(WindowState).where(WindowState.window_id == w.id)).scalar()
        if st is None or st.current_ticket_id is None:
            return None
        return _ticket_info(s, s.get_one(Ticket, st.current_ticket_id))


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


def hall_id_for(db: Database, hall_code: str) -> int:
    return kiosk_actor(db, hall_code).hall_id
