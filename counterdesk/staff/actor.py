"""Who is acting (:class:`Actor`), what an account looks like to a screen (:class:`StaffInfo`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..errors import NotFound, PermissionDenied
from ..models import Hall, Staff
from ..validators import typed


@dataclass(frozen=True)
class Actor:
    """Who is acting, where: passed to every business service."""

    staff_id: int
    staff_no: str
    name: str
    role: str
    hall_id: int
    hall_code: str
    window: int | None = None
    can_reveal: bool = False

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    def audit(self, session: Session, kind: str, data: dict | None = None, *,
              rows=()) -> None:
        audit.record(session, kind, data, staff_no=self.staff_no, hall_code=self.hall_code,
                     window=self.window, rows=rows)


@dataclass(frozen=True)
class StaffInfo:
    staff_no: str
    name: str
    role: str
    disabled: bool
    locked: bool
    can_reveal: bool
    hall_code: str | None
    approvals_locked: bool = False

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def info_of(s: Session, st: Staff) -> StaffInfo:
    hall = s.get(Hall, st.hall_id) if st.hall_id else None
    now = clock.now()
    locked = bool(st.locked_until and st.locked_until > now)
    approvals_locked = bool(st.approval_locked_until and st.approval_locked_until > now)
    return StaffInfo(st.staff_no, st.name, st.role, st.disabled, locked, st.can_reveal,
                     hall.code if hall else None, approvals_locked)


def get_staff(s: Session, staff_no: str, *, for_update: bool = False) -> Staff:
    """The account ``staff_no``; ``for_update`` takes its row lock (PostgreSQL; on SQLite
    the write transaction already serialises)."""
    q = select(Staff).where(Staff.staff_no == typed(staff_no))
    if for_update:
        q = q.with_for_update()
    st = s.execute(q).scalar()
    if st is None:
        raise NotFound(f"工号 {staff_no} 不存在", f"No staff member {staff_no}", field="staff_no")
    return st


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise PermissionDenied("此操作仅限主任", "Only a manager may do this")


def require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise PermissionDenied("此操作仅限管理员", "Only an administrator may do this",
                               field="staff")
