"""Ratings (服务评价, 000 5.3): 非常满意 / 满意 / 基本满意 / 不满意, given by the customer on the
customer screen of the window; no answer is stored as ``none``, never as satisfied. Only a
:class:`CustomerScreenSource` issued by :func:`open_customer_screen` may record a rating; a
clerk's :class:`~counterdesk.staff.Actor` is refused."""

from __future__ import annotations

import datetime as dt
import secrets
import weakref
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from .. import audit, clock
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Hall, Staff
from ..models.quality import (
    RATING_VALUES,
    Rating,
)
from ..models.queue import Ticket
from ..staff import Actor
from .labels import RATING_LABELS, canonical, label
from .views import iso

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
                      r.service_letter, r.service_name, r.source, iso(r.asked_at),
                      iso(r.created_at))


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
    value = canonical(value)
    if value not in RATING_VALUES:
        raise ValidationError("评价应为 非常满意、满意、基本满意、不满意 或 未评价(none)",
                              "The rating must be very_satisfied, satisfied, basic, "
                              "unsatisfied or none", field="value")
    f = _ticket_fields(ticket or {}, src)
    if not f["ticket_number"] and f["ticket_id"] is None:
        raise ValidationError("评价必须对应一张已办结的排队号", "A rating needs the finished "
                              "ticket", field="ticket")
    now = clock.now()
    with db.write() as s:
        t = _finished_ticket(s, src, f)
        if t.staff_no and t.staff_no != f["staff_no"]:
            f["staff_name"] = ""  # the name of who served it is looked up below
        f.update(ticket_id=t.id, ticket_number=t.number, business_day=t.day,
                 window=t.window_number, staff_no=t.staff_no or f["staff_no"],
                 service_letter=t.letter)
        key = f"id:{t.id}"
        if s.execute(select(Rating.id).where(Rating.hall_id == src.hall_id,
                                             Rating.ticket_id == t.id)).scalar():
            raise Conflict(f"排队号 {t.number} 已经评价过", f"Ticket "
                           f"{t.number} has already been rated", field="ticket")
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


def _finished_ticket(s, src: CustomerScreenSource, f: dict) -> Ticket:
    """The ticket a rating names: it exists in the screen's hall, is finished, and was
    served at the screen's window (the database keeps one rating per ticket)."""
    q = select(Ticket).where(Ticket.hall_id == src.hall_id)
    if f["ticket_id"] is not None:
        q = q.where(Ticket.id == f["ticket_id"])
    else:
        q = q.where(Ticket.day == f["business_day"], Ticket.number == f["ticket_number"])
    t = s.execute(q).scalar()
    shown = f["ticket_number"] or f["ticket_id"]
    if t is None:
        raise NotFound(f"排队号 {shown} 不存在，不能评价", f"Ticket {shown} does not exist; "
                       "it cannot be rated", field="ticket")
    if t.status != "finished":
        raise Conflict(f"排队号 {t.number} 尚未办结，不能评价",
                       f"Ticket {t.number} is not finished; it cannot be rated",
                       field="ticket")
    if src.window is not None and t.window_number != src.window:
        raise Conflict(f"排队号 {t.number} 不是在本窗口（{src.window} 号）办结的，不能在此评价",
                       f"Ticket {t.number} was not served at window {src.window}",
                       field="ticket")
    return t


def date_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
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
    date_from, date_to = date_range(date_from, date_to)
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

