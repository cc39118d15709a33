"""Sign-in with lock-out, and the password check of an approver.

A password is checked (Argon2, slow) outside any write transaction; the outcome is then
counted under the account's row lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write
transaction serialises), where the lock is checked again: once an account is locked,
nothing passes until the lock expires or an administrator unlocks it, however many
attempts run in parallel. Sign-in failures and approval failures (a manager's password
typed at a clerk's PC) have separate counters: five wrong approver passwords lock that
manager's approvals, not their own sign-in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..db import Database
from ..errors import AuthError, NotFound
from ..models import Hall, Staff
from ..validators import typed
from .actor import Actor, get_staff
from .passwords import LOCK_MINUTES, MAX_ATTEMPTS, check_password

SIGN_IN = "sign_in"
APPROVAL = "approval"


def _fields(purpose: str) -> tuple[str, str]:
    return (("failed_attempts", "locked_until") if purpose == SIGN_IN
            else ("approval_failed_attempts", "approval_locked_until"))


def refuse_if_unusable(st: Staff, purpose: str, now: dt.datetime) -> None:
    if st.disabled:
        raise AuthError(f"工号 {st.staff_no} 已停用，请联系主任",
                        f"Staff number {st.staff_no} is disabled; ask the hall manager",
                        field="staff_no")
    until = getattr(st, _fields(purpose)[1])
    if until and until > now:
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        if purpose == SIGN_IN:
            raise AuthError(f"密码连续错误 {MAX_ATTEMPTS} 次，工号已锁定，请 {minutes} 分钟后再试"
                            "或请管理员解锁",
                            f"Locked after {MAX_ATTEMPTS} wrong passwords; try again in "
                            f"{minutes} min or ask an administrator to unlock it",
                            field="password")
        raise AuthError(f"授权人 {st.staff_no} 的授权密码连续错误 {MAX_ATTEMPTS} 次，其授权已锁定，"
                        f"请 {minutes} 分钟后再试或请管理员解锁",
                        f"Approvals by {st.staff_no} are locked after {MAX_ATTEMPTS} wrong "
                        f"passwords; try again in {minutes} min or ask an administrator",
                        field="approver")


def read_check(db: Database, staff_no: str, password: str, purpose: str) -> tuple[bool, int]:
    """Check the password in a read of its own (no write lock is taken here).
    Returns (right?, failures counted so far for ``purpose``)."""
    with db.read() as s:
        st = s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar()
        if st is None:
            raise AuthError("工号或密码错误", "Wrong staff number or password", field="staff_no")
        refuse_if_unusable(st, purpose, clock.now())
        return check_password(st.password_hash, password), getattr(st, _fields(purpose)[0])


def _wrong(purpose: str, staff_no: str, left: int) -> AuthError:
    if left > 0:
        return AuthError(f"密码错误，还可尝试 {left} 次", f"Wrong password; {left} attempts left",
                         field="password", data={"attempts_left": left})
    if purpose == SIGN_IN:
        return AuthError(f"密码连续错误 {MAX_ATTEMPTS} 次，工号已锁定 {LOCK_MINUTES} 分钟",
                         f"{MAX_ATTEMPTS} wrong passwords: locked for {LOCK_MINUTES} min",
                         field="password")
    return AuthError(f"授权密码连续错误 {MAX_ATTEMPTS} 次，{staff_no} 的授权已锁定 "
                     f"{LOCK_MINUTES} 分钟",
                     f"{MAX_ATTEMPTS} wrong approver passwords: approvals by {staff_no} "
                     f"locked for {LOCK_MINUTES} min", field="password")


def count_outcome(s: Session, staff_no: str, good: bool, purpose: str) -> tuple[Staff, AuthError | None]:
    """Count one checked attempt in ``s`` under the account's row lock. A right password
    clears the counter (refused if the account was locked meanwhile); a wrong one counts,
    the MAX_ATTEMPTS-th locks. Returns the row and the refusal to raise (if any)."""
    st = get_staff(s, staff_no, for_update=True)
    refuse_if_unusable(st, purpose, clock.now())  # locked meanwhile: nothing passes
    count_field, lock_field = _fields(purpose)
    if good:
        setattr(st, count_field, 0)
        setattr(st, lock_field, None)
        return st, None
    failed = getattr(st, count_field) + 1
    left = MAX_ATTEMPTS - failed
    if left <= 0:
        hall = s.get(Hall, st.hall_id) if st.hall_id else None
        setattr(st, lock_field, clock.now() + dt.timedelta(minutes=LOCK_MINUTES))
        setattr(st, count_field, 0)
        audit.record(s, "staff.locked" if purpose == SIGN_IN else "staff.approvals_locked",
                     {"staff_no": staff_no}, staff_no=staff_no,
                     hall_code=hall.code if hall else "")
    else:
        setattr(st, count_field, failed)
    return st, _wrong(purpose, staff_no, left)


def verify_password(db: Database, staff_no: str, password: str, *,
                    purpose: str = SIGN_IN) -> Staff:
    """Check ``staff_no``'s password for ``purpose`` (sign-in or approval): the check in a
    read of its own, the outcome counted in a write transaction of its own under the row
    lock. Returns the (detached) row; raises :class:`AuthError` on a refusal."""
    staff_no = typed(staff_no)
    good, _ = read_check(db, staff_no, password, purpose)
    with db.write() as s:
        st, refusal = count_outcome(s, staff_no, good, purpose)
    if refusal is not None:
        raise refusal
    return st


def sign_in(db: Database, staff_no: str, password: str, *, window: int | None = None,
            hall_code: str | None = None) -> Actor:
    staff_no = typed(staff_no)
    verify_password(db, staff_no, password)
    with db.write() as s:
        st = get_staff(s, staff_no)
        hall = None
        if hall_code:
            hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None and st.hall_id:
            hall = s.get(Hall, st.hall_id)
        if hall is None:
            hall = s.execute(select(Hall).order_by(Hall.id)).scalars().first()
        if hall is None:
            raise NotFound("数据库中没有营业厅，请先运行 counterdesk init",
                           "No hall in the database; run counterdesk init first")
        st.last_sign_in = clock.now()
        audit.record(s, "staff.signed_in", {"staff_no": staff_no}, staff_no=staff_no,
                     hall_code=hall.code, window=window)
        return Actor(st.id, st.staff_no, st.name, st.role, hall.id, hall.code, window,
                     st.can_reveal)
