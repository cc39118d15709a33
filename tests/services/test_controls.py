"""Issue 15, part A: controls that hold against an insider (service level, both engines).

Hole 2 (approver = actor), hole 10 (lock-out under parallel attempts, approval failures
counted apart), hole 12 (no ordering rule for approvals), hole 5 (hall policy)."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select

from counterdesk import policy, staff
from counterdesk.errors import AuthError, DatabaseBusy, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent, Authorisation, Hall, Staff
from counterdesk.staff import signin
from tests.conftest import DEMO


def _events(db, kind: str) -> list[AuditEvent]:
    with db.read() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.kind == kind)
                              .order_by(AuditEvent.seq)).scalars())


def _row(db, no: str) -> Staff:
    with db.read() as s:
        return s.execute(select(Staff).where(Staff.staff_no == no)).scalar_one()


# -- hole 2: the approver is never the actor ------------------------------------------------

def test_manager_cannot_approve_own_action(demo_db, manager):
    mine = staff.Approval(*DEMO["manager"])
    with pytest.raises(PermissionDenied) as e:
        with demo_db.write() as s:
            staff.authorise(demo_db, s, mine, "receipt.void", actor=manager, reason="x")
    assert "授权人不能是操作人本人" in e.value.message and e.value.field == "approver"
    with pytest.raises(PermissionDenied) as e:
        staff.check_approval(demo_db, staff.Approval(" 9001 ", DEMO["manager"][1]), manager,
                             "receipt.void")
    assert "授权人不能是操作人本人" in e.value.message
    with demo_db.read() as s:
        assert s.execute(select(Authorisation)).first() is None


def test_another_manager_approves(demo_db, manager):
    admin = staff.Approval(*DEMO["admin"])
    checked = staff.check_approval(demo_db, admin, manager, "receipt.void")
    with demo_db.write() as s:
        auth = staff.record_authorisation(s, checked, "receipt.void", manager, "wrong item")
        assert auth.id
    with pytest.raises(PermissionDenied):  # an approval is for one action
        with demo_db.write() as s:
            staff.record_authorisation(s, checked, "cash.movement", manager)
    ev = _events(demo_db, "authorisation.granted")[-1]
    assert ev.staff_no == manager.staff_no and json.loads(ev.payload)["manager"] == "admin"


# -- hole 12: no ordering trap ------------------------------------------------------------

def test_authorise_after_other_writes_in_the_transaction(demo_db, clerk, approval):
    """Old rule: authorise() had to be the first statement inside db.write(), or SQLite
    blocked itself ("database busy"). Now any position works, right or wrong password."""
    with demo_db.write() as s:
        clerk.audit(s, "test.before", {})  # the caller holds the write lock now
        auth = staff.authorise(demo_db, s, approval, "window.pause", actor=clerk)
        assert auth.id
    wrong = staff.Approval(DEMO["manager"][0], "not-it")
    with pytest.raises(AuthError) as e:
        with demo_db.write() as s:
            clerk.audit(s, "test.before", {})
            staff.authorise(demo_db, s, wrong, "window.pause", actor=clerk)
    assert not isinstance(e.value, DatabaseBusy) and "还可尝试 4 次" in e.value.message
    # the failure was counted once the caller's transaction ended, on the approval counter
    row = _row(demo_db, DEMO["manager"][0])
    assert row.approval_failed_attempts == 1 and row.failed_attempts == 0
    with demo_db.write() as s:  # a right one clears the counter (after the transaction)
        clerk.audit(s, "test.before", {})
        staff.authorise(demo_db, s, approval, "window.pause", actor=clerk)
    assert _row(demo_db, DEMO["manager"][0]).approval_failed_attempts == 0


# -- hole 10: lock-out ---------------------------------------------------------------------

def test_twelve_parallel_wrong_sign_ins_count_at_most_max_minus_one(demo_db):
    n = 12
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        barrier.wait()
        try:
            staff.sign_in(demo_db, "1001", "wrong!")
            result = "in"
        except AuthError as exc:
            result = ("left" if exc.data and "attempts_left" in exc.data else
                      "locked-now" if "已锁定 15 分钟" in exc.message else "refused")
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("in") == 0
    assert outcomes.count("left") == staff.MAX_ATTEMPTS - 1
    assert outcomes.count("locked-now") == 1
    assert len(_events(demo_db, "staff.locked")) == 1
    with pytest.raises(AuthError) as e:  # the right password after the lock is refused
        staff.sign_in(demo_db, *DEMO["clerk"])
    assert "锁定" in e.value.message


def test_right_password_checked_before_the_lock_is_refused_after_it(demo_db):
    """The password is checked outside the write; the lock is checked again under the row
    lock, so a right password that raced a lock-out does not clear it."""
    good, _ = signin.read_check(demo_db, "1001", DEMO["clerk"][1], signin.SIGN_IN)
    assert good
    for _ in range(staff.MAX_ATTEMPTS):
        with pytest.raises(AuthError):
            staff.sign_in(demo_db, "1001", "wrong!")
    with pytest.raises(AuthError) as e:
        with demo_db.write() as s:
            signin.count_outcome(s, "1001", good, signin.SIGN_IN)
    assert "锁定" in e.value.message
    assert _row(demo_db, "1001").locked_until is not None


def test_wrong_approver_passwords_lock_approvals_not_sign_in(demo_db, clerk, manager):
    wrong = staff.Approval(DEMO["manager"][0], "not-it")
    for _ in range(staff.MAX_ATTEMPTS):
        with pytest.raises(AuthError):
            staff.check_approval(demo_db, wrong, clerk, "window.pause")
    assert staff.sign_in(demo_db, *DEMO["manager"]).staff_no == "9001"  # own sign-in works
    with pytest.raises(AuthError) as e:  # approvals by 9001 are locked, right password too
        staff.check_approval(demo_db, staff.Approval(*DEMO["manager"]), clerk, "window.pause")
    assert "授权已锁定" in e.value.message and e.value.field == "approver"
    assert len(_events(demo_db, "staff.approvals_locked")) == 1
    info = next(i for i in staff.hall_staff(demo_db, manager) if i.staff_no == "9001")
    assert info.approvals_locked and not info.locked
    admin = staff.sign_in(demo_db, *DEMO["admin"])
    staff.unlock(demo_db, admin, "9001")
    assert staff.check_approval(demo_db, staff.Approval(*DEMO["manager"]), clerk, "window.pause")
    assert _events(demo_db, "staff.unlocked")[-1].staff_no == "admin"


def test_unlock_follows_who_manages_whom(demo_db, manager, clerk):
    for _ in range(staff.MAX_ATTEMPTS):
        with pytest.raises(AuthError):
            staff.sign_in(demo_db, "1002", "wrong!")
    with pytest.raises(PermissionDenied):
        staff.unlock(demo_db, clerk, "1002")
    with pytest.raises(PermissionDenied):
        staff.unlock(demo_db, manager, "admin")  # a manager manages clerks only
    with pytest.raises(PermissionDenied):
        staff.unlock(demo_db, manager, manager.staff_no)  # nobody their own account
    assert not staff.unlock(demo_db, manager, "1002").locked
    assert staff.sign_in(demo_db, *DEMO["clerk2"])


def test_first_admin_only_on_an_empty_database(db, demo_db):
    with pytest.raises(PermissionDenied):
        staff.create_first_admin(demo_db, "root", "根", "secret1")


def test_first_admin_on_a_fresh_database(db):
    with db.write() as s:
        s.add(Hall(code="HQ01", name="总厅", company_name="燃气公司"))
    info = staff.create_first_admin(db, "root", "根管理员", "secret1")
    assert info.role == "admin"
    with pytest.raises(PermissionDenied):
        staff.create_first_admin(db, "root2", "第二", "secret1")


# -- hole 5: hall policy --------------------------------------------------------------------

def test_policy_defaults_set_and_audit(demo_db, manager):
    assert policy.values(demo_db, manager.hall_id)["billing.single_payment_limit_fen"] == \
        5_000_000
    row = policy.set(demo_db, manager, "queue.pause_limit_minutes", "20")
    assert row.value == 20 and not row.is_default
    policy.set(demo_db, manager, "quality.working_days_only", "是")
    policy.set(demo_db, manager, "quality.followup_start", "09:00")
    with demo_db.read() as s:
        assert policy.get(s, manager.hall_id, "queue.pause_limit_minutes") == 20
        assert policy.get(s, manager.hall_id, "quality.working_days_only") is True
        assert policy.get(s, manager.hall_id, "card.max_volume_per_purchase") == 500
    ev = _events(demo_db, "policy.changed")[0]
    assert ev.staff_no == manager.staff_no
    assert json.loads(ev.payload) == {"key": "queue.pause_limit_minutes", "old": 15, "new": 20}


@pytest.mark.parametrize("key,value,words", [
    ("queue.pause_limit_minutes", "0", "1 到 480"),
    ("queue.pause_limit_minutes", "abc", "整数"),
    ("billing.single_payment_limit_fen", "1.5", "整数"),
    ("quality.working_days_only", "maybe", "是/否"),
    ("quality.followup_end", "25:00", "HH:MM"),
    ("quality.extra_holidays", "2027-13-01", "日期"),
    ("hall.emergency_phone", "电" * 61, "60"),
    ("no.such_key", "1", "没有这项"),
])
def test_policy_bad_values_name_the_key_and_change_nothing(demo_db, manager, key, value, words):
    before = policy.values(demo_db, manager.hall_id)
    with pytest.raises(ValidationError) as e:
        policy.set(demo_db, manager, key, value)
    assert words in e.value.message and key in e.value.message
    assert policy.values(demo_db, manager.hall_id) == before
    assert not _events(demo_db, "policy.changed")


def test_policy_set_needs_a_manager(demo_db, clerk):
    with pytest.raises(PermissionDenied):
        policy.set(demo_db, clerk, "queue.recall_limit", "5")
    assert policy.values(demo_db, clerk.hall_id)["queue.recall_limit"] == 3
