"""Staff: accounts, sign-in with lock-out, and manager authorisation.

Passwords are stored as Argon2id hashes (memory-hard). Five wrong passwords in a row
lock the account for ``LOCK_MINUTES``; an administrator's ``user passwd`` unlocks it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, clock
from .db import Database
from .errors import AuthError, Conflict, NotFound, PermissionDenied, ValidationError
from .models import ROLES, Authorisation, Hall, Staff

MAX_ATTEMPTS = 5
LOCK_MINUTES = 15
# OWASP's minimum Argon2id profile: 19 MiB, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_STAFF_NO = re.compile(r"^[A-Za-z0-9]{1,16}$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerificationError, InvalidHashError):
        return False


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

    def audit(self, session: Session, kind: str, data: dict | None = None) -> None:
        audit.record(session, kind, data, staff_no=self.staff_no, hall_code=self.hall_code,
                     window=self.window)


@dataclass(frozen=True)
class StaffInfo:
    staff_no: str
    name: str
    role: str
    disabled: bool
    locked: bool
    can_reveal: bool
    hall_code: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _info(s: Session, st: Staff) -> StaffInfo:
    hall = s.get(Hall, st.hall_id) if st.hall_id else None
    locked = bool(st.locked_until and st.locked_until > clock.now())
    return StaffInfo(st.staff_no, st.name, st.role, st.disabled, locked, st.can_reveal,
                     hall.code if hall else None)


def validate_password(password: str) -> None:
    if len(password) < 6:
        raise ValidationError("密码至少 6 位", "The password needs at least 6 characters",
                              field="password")


def add_user(db: Database, staff_no: str, name: str, role: str, password: str, *,
             hall_code: str | None = None, can_reveal: bool = False,
             by: str = "") -> StaffInfo:
    staff_no = staff_no.strip()
    if not _STAFF_NO.match(staff_no):
        raise ValidationError("工号应为 1–16 位字母或数字", "The staff number must be 1-16 "
                              "letters or digits", field="staff_no")
    name = name.strip()
    if not name or len(name) > 40:
        raise ValidationError("姓名不能为空，且不超过 40 个字", "The name must be 1-40 characters",
                              field="name")
    if role not in ROLES:
        raise ValidationError(f"角色应为 {'/'.join(ROLES)}", f"Role must be one of {ROLES}",
                              field="role")
    validate_password(password)
    with db.write() as s:
        if s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar():
            raise Conflict(f"工号 {staff_no} 已存在", f"Staff number {staff_no} already exists",
                           field="staff_no")
        hall = None
        if hall_code:
            hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
            if hall is None:
                raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found",
                               field="hall")
        else:
            hall = s.execute(select(Hall).order_by(Hall.id)).scalars().first()
        st = Staff(staff_no=staff_no, name=name, role=role,
                   password_hash=hash_password(password), hall_id=hall.id if hall else None,
                   can_reveal=can_reveal or role in ("manager", "admin"))
        s.add(st)
        s.flush()
        audit.record(s, "staff.added", {"staff_no": staff_no, "name": name, "role": role},
                     staff_no=by, hall_code=hall.code if hall else "")
        return _info(s, st)


def _get(s: Session, staff_no: str) -> Staff:
    st = s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar()
    if st is None:
        raise NotFound(f"工号 {staff_no} 不存在", f"No staff member {staff_no}", field="staff_no")
    return st


def _new_password(st: Staff, password: str) -> None:
    """A password set for someone (not by them): also lifts a lock-out."""
    st.password_hash = hash_password(password)
    st.failed_attempts = 0
    st.locked_until = None


def set_password(db: Database, staff_no: str, password: str, *, by: str = "") -> None:
    validate_password(password)
    with db.write() as s:
        st = _get(s, staff_no)
        _new_password(st, password)
        audit.record(s, "staff.password_set", {"staff_no": staff_no}, staff_no=by)


def set_disabled(db: Database, staff_no: str, disabled: bool = True, *, by: str = "") -> None:
    with db.write() as s:
        st = _get(s, staff_no)
        st.disabled = disabled
        audit.record(s, "staff.disabled" if disabled else "staff.enabled",
                     {"staff_no": staff_no}, staff_no=by)


def list_users(db: Database, hall_id: int | None = None) -> list[StaffInfo]:
    """Every account, or one hall's."""
    q = select(Staff).order_by(Staff.staff_no)
    if hall_id is not None:
        q = q.where(Staff.hall_id == hall_id)
    with db.read() as s:
        return [_info(s, st) for st in s.execute(q).scalars()]


def _verify(db: Database, staff_no: str, password: str) -> Staff:
    """Check a password with lock-out; failures are counted in their own transaction."""
    now = clock.now()
    with db.read() as s:
        st = s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar()
        if st is None:
            raise AuthError("工号或密码错误", "Wrong staff number or password", field="staff_no")
        if st.disabled:
            raise AuthError(f"工号 {staff_no} 已停用，请联系主任",
                            f"Staff number {staff_no} is disabled; ask the hall manager",
                            field="staff_no")
        if st.locked_until and st.locked_until > now:
            minutes = max(1, int((st.locked_until - now).total_seconds() // 60) + 1)
            raise AuthError(f"密码连续错误 {MAX_ATTEMPTS} 次，工号已锁定，请 {minutes} 分钟后再试"
                            "或请管理员重置密码",
                            f"Locked after {MAX_ATTEMPTS} wrong passwords; try again in "
                            f"{minutes} min or ask an administrator to reset it",
                            field="password")
        good = _check(st.password_hash, password)
    with db.write() as s:
        st = _get(s, staff_no)
        if good:
            st.failed_attempts = 0
            st.locked_until = None
            return st
        st.failed_attempts += 1
        left = MAX_ATTEMPTS - st.failed_attempts
        hall = s.get(Hall, st.hall_id) if st.hall_id else None
        if left <= 0:
            st.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            st.failed_attempts = 0
            audit.record(s, "staff.locked", {"staff_no": staff_no}, staff_no=staff_no,
                         hall_code=hall.code if hall else "")
            msg = AuthError(f"密码连续错误 {MAX_ATTEMPTS} 次，工号已锁定 {LOCK_MINUTES} 分钟",
                            f"{MAX_ATTEMPTS} wrong passwords: locked for {LOCK_MINUTES} min",
                            field="password")
        else:
            msg = AuthError(f"密码错误，还可尝试 {left} 次", f"Wrong password; {left} attempts left",
                            field="password", data={"attempts_left": left})
    raise msg


def sign_in(db: Database, staff_no: str, password: str, *, window: int | None = None,
            hall_code: str | None = None) -> Actor:
    staff_no = (staff_no or "").strip()
    st = _verify(db, staff_no, password)
    with db.write() as s:
        st = _get(s, staff_no)
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


def actor_for(db: Database, staff_no: str, password: str, *, window: int | None = None,
              hall_code: str | None = None) -> Actor:
    """Like :func:`sign_in`, for one command-line action."""
    return sign_in(db, staff_no, password, window=window, hall_code=hall_code)


@dataclass(frozen=True)
class Approval:
    """A manager's credentials typed at the clerk's PC, for one action."""

    staff_no: str
    password: str


def authorise(db: Database, session: Session, approval: Approval | None, action: str, *,
              actor: Actor, reason: str = "") -> Authorisation:
    """Check a manager's approval for ``action`` and record it in ``session``'s transaction.

    The password check and its failure counter run in their own transactions; the
    :class:`Authorisation` row and its audit event are written with the action itself.
    """
    if approval is None or not approval.staff_no:
        raise PermissionDenied("此操作需要主任授权（输入其工号和密码）",
                               "This needs a manager's authorisation (their staff number "
                               "and password)", field="approver")
    if approval.staff_no == actor.staff_no and not actor.is_manager:
        raise PermissionDenied("不能为自己授权", "You cannot authorise yourself", field="approver")
    mgr = _verify(db, approval.staff_no, approval.password)
    if mgr.role not in ("manager", "admin"):
        raise PermissionDenied(f"工号 {approval.staff_no} 不是主任，无权授权",
                               f"{approval.staff_no} is not a manager and cannot authorise",
                               field="approver")
    auth = Authorisation(manager_id=mgr.id, clerk_no=actor.staff_no, window=actor.window,
                         action=action, reason=reason)
    session.add(auth)
    session.flush()
    actor.audit(session, "authorisation.granted",
                {"action": action, "manager": approval.staff_no, "reason": reason,
                 "authorisation_id": auth.id})
    return auth


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise PermissionDenied("此操作仅限主任", "Only a manager may do this")


# -- staff accounts managed from the workstation ------------------------------------------
# Who may do what: a manager manages the clerks of their own hall; an administrator
# manages every account. Nobody disables or resets their own account here (their own
# password is changed with the old one, below), so a hall cannot lock out its last manager
# by a slip of the hand. Every change is in the audit chain with who did it.

ROLE_ZH = {"clerk": "柜员", "manager": "主任", "admin": "管理员"}


def _may_manage(actor: Actor, st: Staff | None, role: str) -> None:
    require_manager(actor)
    if st is not None and st.staff_no == actor.staff_no:
        raise PermissionDenied("不能在这里停用或重置自己的账号；修改自己的密码请用“修改我的密码”",
                               "You cannot disable or reset your own account here; change "
                               "your own password with “Change my password”",
                               field="staff_no")
    if actor.role != "admin":
        if role != "clerk":
            raise PermissionDenied(f"主任只能管理柜员账号；{ROLE_ZH.get(role, role)}账号由管理员管理",
                                   "A manager manages clerks' accounts only; managers and "
                                   "administrators are managed by an administrator",
                                   field="role")
        if st is not None and st.hall_id != actor.hall_id:
            raise PermissionDenied(f"工号 {st.staff_no} 不属于本营业厅",
                                   f"Staff member {st.staff_no} belongs to another hall",
                                   field="staff_no")


def hall_staff(db: Database, actor: Actor) -> list[StaffInfo]:
    """The accounts a manager sees: their hall's (an administrator: every hall's)."""
    require_manager(actor)
    return list_users(db, None if actor.role == "admin" else actor.hall_id)


def create_staff(db: Database, actor: Actor, staff_no: str, name: str, role: str,
                 password: str) -> StaffInfo:
    """A new account in the actor's hall, with a first password the person changes."""
    _may_manage(actor, None, role)
    return add_user(db, staff_no, name, role, password, hall_code=actor.hall_code,
                    by=actor.staff_no)


def reset_password(db: Database, actor: Actor, staff_no: str, password: str) -> None:
    """A new password for someone who forgot theirs; also lifts a lock-out."""
    validate_password(password)
    with db.write() as s:
        st = _get(s, (staff_no or "").strip())
        _may_manage(actor, st, st.role)
        _new_password(st, password)
        actor.audit(s, "staff.password_reset", {"staff_no": st.staff_no})


def set_account_enabled(db: Database, actor: Actor, staff_no: str, enabled: bool) -> StaffInfo:
    """Disable an account (someone leaves or is away) or enable it again."""
    with db.write() as s:
        st = _get(s, (staff_no or "").strip())
        _may_manage(actor, st, st.role)
        if st.disabled == (not enabled):
            return _info(s, st)
        st.disabled = not enabled
        actor.audit(s, "staff.enabled" if enabled else "staff.disabled",
                    {"staff_no": st.staff_no})
        return _info(s, st)


def change_own_password(db: Database, actor: Actor, old: str, new: str) -> None:
    """Anyone's own password, proved with the old one (wrong ones count toward lock-out)."""
    validate_password(new)
    if new == old:
        raise ValidationError("新密码不能与原密码相同", "The new password must differ from the old "
                              "one", field="new_password")
    _verify(db, actor.staff_no, old)
    with db.write() as s:
        st = _get(s, actor.staff_no)
        st.password_hash = hash_password(new)
        actor.audit(s, "staff.password_changed", {"staff_no": actor.staff_no})
