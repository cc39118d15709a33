"""Staff accounts: the one API behind the workstation's staff screen and ``counterdesk user``.

Who may do what (:func:`may_manage`): a manager manages the clerks of their own hall; an
administrator manages every account. Nobody disables, resets or unlocks their own account
here (their own password is changed with the old one), so a hall cannot lock out its last
manager by a slip of the hand. Every change is in the audit chain with who did it. The one
exception is the very first administrator of an empty database (:func:`create_first_admin`).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import ROLES, Hall, Staff
from ..validators import typed
from .actor import Actor, StaffInfo, get_staff, info_of, require_manager
from .passwords import hash_password, validate_password
from .signin import verify_password

_STAFF_NO = re.compile(r"^[A-Za-z0-9]{1,16}$")
ROLE_ZH = {"clerk": "柜员", "manager": "主任", "admin": "管理员"}


def _validate_new(staff_no: str, name: str, role: str, password: str) -> tuple[str, str]:
    staff_no = typed(staff_no)
    if not _STAFF_NO.match(staff_no):
        raise ValidationError("工号应为 1–16 位字母或数字", "The staff number must be 1-16 "
                              "letters or digits", field="staff_no")
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise ValidationError("姓名不能为空，且不超过 40 个字", "The name must be 1-40 characters",
                              field="name")
    if role not in ROLES:
        raise ValidationError(f"角色应为 {'/'.join(ROLES)}", f"Role must be one of {ROLES}",
                              field="role")
    validate_password(password)
    return staff_no, name


def _insert(s: Session, staff_no: str, name: str, role: str, password: str,
            hall_code: str | None, can_reveal: bool, by: str) -> StaffInfo:
    if s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar():
        raise Conflict(f"工号 {staff_no} 已存在", f"Staff number {staff_no} already exists",
                       field="staff_no")
    if hall_code:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found",
                           field="hall")
    else:
        hall = s.execute(select(Hall).order_by(Hall.id)).scalars().first()
    st = Staff(staff_no=staff_no, name=name, role=role, password_hash=hash_password(password),
               hall_id=hall.id if hall else None,
               can_reveal=can_reveal or role in ("manager", "admin"))
    s.add(st)
    s.flush()
    audit.record(s, "staff.added", {"staff_no": staff_no, "name": name, "role": role},
                 staff_no=by, hall_code=hall.code if hall else "")
    return info_of(s, st)


def add_user(db: Database, staff_no: str, name: str, role: str, password: str, *,
             hall_code: str | None = None, can_reveal: bool = False,
             by: str = "") -> StaffInfo:
    """Seeding only (the demo hall, a hall file, tests): no permission check. People are
    added with :func:`create_staff` (or :func:`create_first_admin`)."""
    staff_no, name = _validate_new(staff_no, name, role, password)
    with db.write() as s:
        return _insert(s, staff_no, name, role, password, hall_code, can_reveal, by)


def create_first_admin(db: Database, staff_no: str, name: str, password: str, *,
                       hall_code: str | None = None) -> StaffInfo:
    """The very first account of an empty database: an administrator, without sign-in."""
    staff_no, name = _validate_new(staff_no, name, "admin", password)
    with db.write() as s:
        if s.execute(select(func.count()).select_from(Staff)).scalar():
            raise PermissionDenied("数据库中已有员工账号：新增员工须由管理员或主任用 --staff 登录后办理",
                                   "Accounts exist already: an administrator or manager "
                                   "adds staff (--staff)", field="staff")
        if hall_code and s.execute(select(Hall.id).where(Hall.code == hall_code)).scalar() \
                is None:
            hall_code = None  # no hall yet (set up later): the account belongs to none
        return _insert(s, staff_no, name, "admin", password, hall_code, True, staff_no)


def may_manage(actor: Actor, st: Staff | None, role: str, *, hall_id: int | None = None) -> None:
    """The rule: a manager manages clerks of their own hall; an administrator every account;
    nobody their own account."""
    require_manager(actor)
    if st is not None and st.staff_no == actor.staff_no:
        raise PermissionDenied("不能在这里停用、解锁或重置自己的账号；修改自己的密码请用“修改我的密码”",
                               "You cannot disable, unlock or reset your own account here; "
                               "change your own password with “Change my password”",
                               field="staff_no")
    if actor.role == "admin":
        return
    if role != "clerk":
        raise PermissionDenied(f"主任只能管理柜员账号；{ROLE_ZH.get(role, role)}账号由管理员管理",
                               "A manager manages clerks' accounts only; managers and "
                               "administrators are managed by an administrator", field="role")
    target_hall = st.hall_id if st is not None else hall_id
    if target_hall is not None and target_hall != actor.hall_id:
        who = st.staff_no if st is not None else ""
        raise PermissionDenied(f"工号 {who} 不属于本营业厅" if who else "只能在本营业厅新增员工",
                               "That account belongs to another hall", field="staff_no")


def list_users(db: Database, hall_id: int | None = None) -> list[StaffInfo]:
    """Every account, or one hall's (no permission check: callers check)."""
    q = select(Staff).order_by(Staff.staff_no)
    if hall_id is not None:
        q = q.where(Staff.hall_id == hall_id)
    with db.read() as s:
        return [info_of(s, st) for st in s.execute(q).scalars()]


def hall_staff(db: Database, actor: Actor) -> list[StaffInfo]:
    """The accounts a manager sees: their hall's (an administrator: every hall's)."""
    require_manager(actor)
    return list_users(db, None if actor.role == "admin" else actor.hall_id)


def create_staff(db: Database, actor: Actor, staff_no: str, name: str, role: str,
                 password: str, *, hall_code: str | None = None,
                 can_reveal: bool = False) -> StaffInfo:
    """A new account (in the actor's hall unless an administrator names another), with a
    first password the person changes. Only an administrator grants ``can_reveal``."""
    staff_no, name = _validate_new(staff_no, name, role, password)
    hall_code = hall_code or actor.hall_code
    with db.write() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found",
                           field="hall")
        may_manage(actor, None, role, hall_id=hall.id)
        if can_reveal and actor.role != "admin":
            raise PermissionDenied("查看完整证件号的权限只能由管理员授予",
                                   "Only an administrator grants the reveal permission",
                                   field="can_reveal")
        return _insert(s, staff_no, name, role, password, hall_code, can_reveal,
                       actor.staff_no)


def reset_password(db: Database, actor: Actor, staff_no: str, password: str) -> None:
    """A new password for someone who forgot theirs; also lifts a lock-out."""
    validate_password(password)
    with db.write() as s:
        st = get_staff(s, staff_no, for_update=True)
        may_manage(actor, st, st.role)
        st.password_hash = hash_password(password)
        _clear_locks(st)
        actor.audit(s, "staff.password_reset", {"staff_no": st.staff_no})


def _clear_locks(st: Staff) -> None:
    st.failed_attempts = 0
    st.locked_until = None
    st.approval_failed_attempts = 0
    st.approval_locked_until = None


def unlock(db: Database, actor: Actor, staff_no: str) -> StaffInfo:
    """Lift a lock-out (sign-in and approvals) before it expires."""
    with db.write() as s:
        st = get_staff(s, staff_no, for_update=True)
        may_manage(actor, st, st.role)
        _clear_locks(st)
        actor.audit(s, "staff.unlocked", {"staff_no": st.staff_no})
        return info_of(s, st)


def set_account_enabled(db: Database, actor: Actor, staff_no: str, enabled: bool) -> StaffInfo:
    """Disable an account (someone leaves or is away) or enable it again."""
    with db.write() as s:
        st = get_staff(s, staff_no, for_update=True)
        may_manage(actor, st, st.role)
        if st.disabled == (not enabled):
            return info_of(s, st)
        st.disabled = not enabled
        actor.audit(s, "staff.enabled" if enabled else "staff.disabled",
                    {"staff_no": st.staff_no})
        return info_of(s, st)


def change_own_password(db: Database, actor: Actor, old: str, new: str) -> None:
    """Anyone's own password, proved with the old one (wrong ones count toward lock-out)."""
    validate_password(new)
    if new == old:
        raise ValidationError("新密码不能与原密码相同", "The new password must differ from the old "
                              "one", field="new_password")
    verify_password(db, actor.staff_no, old)
    with db.write() as s:
        st = get_staff(s, actor.staff_no)
        st.password_hash = hash_password(new)
        actor.audit(s, "staff.password_changed", {"staff_no": actor.staff_no})
