"""A manager's approval typed at a clerk's PC: checked, then recorded with the action.

:func:`check_approval` runs before the caller's transaction (the password check in a read
of its own, a failure counted in a write of its own); :func:`record_authorisation` writes
the :class:`Authorisation` row and its audit event in the caller's transaction. There is
no ordering rule: :func:`authorise` (both in one call, for callers already inside
``db.write()``) never opens a write transaction of its own while the caller holds one —
a wrong password is counted once the caller's transaction has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .. import clock
from ..db import Database
from ..errors import PermissionDenied
from ..models import Authorisation, Staff
from ..validators import typed
from .actor import Actor
from .passwords import MAX_ATTEMPTS
from .signin import APPROVAL, _wrong, count_outcome, read_check, refuse_if_unusable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Approval:
    """A manager's credentials typed at the clerk's PC, for one action."""

    staff_no: str
    password: str


@dataclass(frozen=True)
class CheckedApproval:
    """An approval whose password, role and person were checked (for one action)."""

    manager_id: int
    manager_no: str
    action: str
    actor_no: str


def _precheck(approval: Approval | None, actor: Actor) -> str:
    """The approver's number, refused if missing or the actor themself (every role)."""
    no = typed(approval.staff_no) if approval is not None else ""
    if not no:
        raise PermissionDenied("此操作需要主任授权（输入其工号和密码）",
                               "This needs a manager's authorisation (their staff number "
                               "and password)", field="approver")
    if no == actor.staff_no:
        raise PermissionDenied("授权人不能是操作人本人，请由另一位主任授权",
                               "The approver cannot be the person doing the action; ask "
                               "another manager", field="approver")
    return no


def _manager_or_refuse(st: Staff, no: str, actor: Actor) -> None:
    if st.role not in ("manager", "admin"):
        raise PermissionDenied(f"工号 {no} 不是主任，无权授权",
                               f"{no} is not a manager and cannot authorise", field="approver")
    if st.id == actor.staff_id:
        raise PermissionDenied("授权人不能是操作人本人", "The approver cannot be the actor",
                               field="approver")


def check_approval(db: Database, approval: Approval | None, actor: Actor,
                   action: str) -> CheckedApproval:
    """Verify an approval before the caller's transaction: the password (approval failures
    counted apart from sign-in failures, in a transaction of their own), the role, and that
    the approver is not the actor."""
    no = _precheck(approval, actor)
    assert approval is not None  # _precheck refused a missing one
    good, _ = read_check(db, no, approval.password, APPROVAL)
    with db.write() as s:
        st, refusal = count_outcome(s, no, good, APPROVAL)
        if refusal is None:
            _manager_or_refuse(st, no, actor)
    if refusal is not None:
        raise refusal
    return CheckedApproval(st.id, st.staff_no, action, actor.staff_no)


def record_authorisation(session: Session, checked: CheckedApproval, action: str,
                         actor: Actor, reason: str = "") -> Authorisation:
    """Write the approval with the action, in the caller's transaction."""
    if checked.action != action or checked.actor_no != actor.staff_no:
        raise PermissionDenied("授权与本次操作不符，请重新授权",
                               "The approval was given for another action; approve again",
                               field="approver")
    auth = Authorisation(manager_id=checked.manager_id, clerk_no=actor.staff_no,
                         window=actor.window, action=action, reason=reason)
    session.add(auth)
    session.flush()
    actor.audit(session, "authorisation.granted",
                {"action": action, "manager": checked.manager_no, "reason": reason,
                 "authorisation_id": auth.id})
    return auth


def _after_transaction(session: Session, fn: Callable[[], None]) -> None:
    """Run ``fn`` once ``session``'s outermost transaction has ended (committed or rolled
    back), i.e. once the caller no longer holds SQLite's write lock."""
    if not session.in_transaction():
        fn()
        return
    root = session.get_transaction()
    done: list[bool] = []

    def hook(sess, transaction):  # stays registered (removing it mid-dispatch is refused)
        if transaction is not root or done:
            return
        done.append(True)
        try:
            fn()
        except Exception:  # noqa: BLE001 - the caller's refusal is already on its way
            log.exception("could not update an approver's failure counter")

    event.listen(session, "after_transaction_end", hook)


def authorise(db: Database, session: Session, approval: Approval | None, action: str, *,
              actor: Actor, reason: str = "") -> Authorisation:
    """Check a manager's approval for ``action`` and record it in ``session``'s transaction
    (wherever inside the caller's ``db.write()`` it is called).

    The password is checked in a read of its own; a wrong one is counted in a transaction of
    its own after ``session``'s has ended, as is clearing the counter after a right one."""
    no = _precheck(approval, actor)
    assert approval is not None  # _precheck refused a missing one
    good, failed = read_check(db, no, approval.password, APPROVAL)
    if not good:
        def count() -> None:
            with db.write() as s:
                count_outcome(s, no, False, APPROVAL)

        _after_transaction(session, count)
        raise _wrong(APPROVAL, no, MAX_ATTEMPTS - failed - 1)
    # re-checked in the caller's transaction without a row lock (no lock-order trap with
    # the caller's own locks); a counter to clear is cleared after it, like a failure
    st = session.execute(select(Staff).where(Staff.staff_no == no)
                         .execution_options(populate_existing=True)).scalar_one()
    refuse_if_unusable(st, APPROVAL, clock.now())
    _manager_or_refuse(st, no, actor)
    if st.approval_failed_attempts:
        def clear() -> None:
            with db.write() as s:
                count_outcome(s, no, True, APPROVAL)

        _after_transaction(session, clear)
    checked = CheckedApproval(st.id, st.staff_no, action, actor.staff_no)
    return record_authorisation(session, checked, action, actor, reason)


__all__ = ["Approval", "CheckedApproval", "authorise", "check_approval",
           "record_authorisation"]
