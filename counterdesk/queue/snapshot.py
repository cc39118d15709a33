"""What the displays, kiosks and windows poll: the change counter, the events since
the last poll, and the hall's snapshot (windows, pauses, waiting per service).

Catching up: :func:`events_since` returns *every* event after the caller's last one,
paging through them inside one read, however many there are (a display stalled or
disconnected for a while gets the whole gap in one poll, in order).

Announcing: :func:`calls_to_announce` is the rule of what of a batch of events is
still worth saying aloud — the newest call (or recall) of each window; an older call
of the same window in the batch has been overtaken (that window has moved on) and is
only listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..db import Database
from ..models import Hall, ServiceType, Staff, Window
from ..models.queue import Ticket, TicketEvent, WindowPause, WindowState
from .pauses import _pause_info
from .tickets import _iso, _service_ids, _ticket_info


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


# -- propagation -----------------------------------------------------------------------
def change_version(db: Database, hall_id: int) -> int:
    """The hall's queue change counter: ``max(id)`` of its events (one index probe)."""
    with db.read() as s:
        return int(s.execute(select(func.max(TicketEvent.id)).where(
            TicketEvent.hall_id == hall_id)).scalar() or 0)


def events_since(db: Database, hall_id: int, after_id: int, *, lookback: int = 64,
                 kinds: tuple[str, ...] | None = None, page: int = 200) -> list[dict]:
    """Every event with ``id > after_id - lookback``, in id order, however many: read
    ``page`` rows at a time (keyset paging on the ``(hall_id, id)`` index) within one
    read, so a caller that fell far behind catches up completely in one call. Callers
    de-duplicate by id: ids of concurrent transactions may become visible slightly out
    of order, hence the look-back."""
    out: list[dict] = []
    last = max(0, after_id - lookback)
    with db.read() as s:
        while True:
            q = select(TicketEvent).where(TicketEvent.hall_id == hall_id, TicketEvent.id > last)
            if kinds:
                q = q.where(TicketEvent.kind.in_(kinds))
            rows = s.execute(q.order_by(TicketEvent.id).limit(page)).scalars().all()
            out += [{"id": e.id, "at": _iso(e.at), "kind": e.kind, "number": e.number,
                     "window": e.window_number, "staff_no": e.staff_no, "note": e.note}
                    for e in rows]
            if len(rows) < page:
                return out
            last = rows[-1].id


CALL_KINDS = ("called", "recalled")


def calls_to_announce(events: list[dict]) -> list[dict]:
    """Of a batch of events (id order), the calls still worth announcing: the newest call
    or recall of each window, in id order. An older call of a window in the same batch
    was overtaken by that window's next one (a display catching up after a stall sees
    hundreds): it is listed on screen, not said aloud."""
    newest: dict[object, dict] = {}
    for e in events:
        if e["kind"] in CALL_KINDS:
            newest[e["window"]] = e
    return sorted(newest.values(), key=lambda e: e["id"])


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
        on_duty = [st.staff_no for _, st in rows if st is not None and st.staff_no]
        names = dict(s.execute(select(Staff.staff_no, Staff.name).where(
            Staff.staff_no.in_(on_duty))).all()) if on_duty else {}
        windows = []
        for w, st in rows:
            cur = None
            if st is not None and st.current_ticket_id is not None:
                cur = _ticket_info(s, s.get_one(Ticket, st.current_ticket_id), now=now).to_dict()
            windows.append({"number": w.number, "name": w.name,
                            "services": [ws.service_type.letter for ws in w.services],
                            "current": cur, "pause": pauses.get(w.number),
                            "staff_no": st.staff_no if st is not None else "",
                            "staff_name": names.get(st.staff_no, "") if st is not None else ""})
        return {"version": version, "at": _iso(now), "hall": hall.name if hall else "",
                "hall_code": hall.code if hall else "",
                "services": [x.to_dict() for x in svc], "windows": windows}
