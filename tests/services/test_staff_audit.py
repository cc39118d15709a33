import pytest
from sqlalchemy import select, text, update

from counterdesk import audit, staff
from counterdesk.errors import AuthError, Conflict, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent, Authorisation, Staff
from tests.conftest import DEMO


def test_sign_in_and_wrong_password_counts_down_then_locks(demo_db):
    actor = staff.sign_in(demo_db, "1001", "123456", window=2)
    assert actor.window == 2 and actor.hall_code == "HQ01" and not actor.is_manager
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthError) as e:
            staff.sign_in(demo_db, "1001", "wrong")
        assert str(left) in e.value.message
    with pytest.raises(AuthError) as e:
        staff.sign_in(demo_db, "1001", "wrong")
    assert "锁定" in e.value.message
    # even the right password is refused while locked
    with pytest.raises(AuthError) as e:
        staff.sign_in(demo_db, "1001", "123456")
    assert "锁定" in e.value.message
    admin = staff.sign_in(demo_db, *DEMO["admin"])
    staff.reset_password(demo_db, admin, "1001", "newpass1")
    assert staff.sign_in(demo_db, "1001", "newpass1").staff_no == "1001"


def test_password_is_argon2_never_plain(demo_db):
    with demo_db.read() as s:
        h = s.execute(select(Staff.password_hash).where(Staff.staff_no == "1001")).scalar()
    assert h.startswith("$argon2id$") and "123456" not in h


def test_disabled_staff_cannot_sign_in(demo_db):
    staff.set_account_enabled(demo_db, staff.sign_in(demo_db, *DEMO["manager"]), "1002", False)
    with pytest.raises(AuthError) as e:
        staff.sign_in(demo_db, "1002", "123456")
    assert "停用" in e.value.message


def test_add_user_validation(demo_db):
    with pytest.raises(Conflict):
        staff.add_user(demo_db, "1001", "重复", "clerk", "123456")
    with pytest.raises(ValidationError) as e:
        staff.add_user(demo_db, "x y", "名字", "clerk", "123456")
    assert e.value.field == "staff_no"
    with pytest.raises(ValidationError):
        staff.add_user(demo_db, "2001", "名字", "boss", "123456")
    with pytest.raises(ValidationError):
        staff.add_user(demo_db, "2001", "名字", "clerk", "123")
    info = staff.add_user(demo_db, "2001", "新柜员", "clerk", "abcdef")
    assert info.role == "clerk"


def test_manager_authorisation(demo_db, clerk):
    with demo_db.write() as s:
        auth = staff.authorise(demo_db, s, staff.Approval(*DEMO["manager"]), "receipt.void",
                               actor=clerk, reason="客户要求")
        assert auth.id
    with pytest.raises(PermissionDenied):  # a clerk cannot authorise
        with demo_db.write() as s:
            staff.authorise(demo_db, s, staff.Approval("1002", "123456"), "receipt.void",
                            actor=clerk)
    with pytest.raises(AuthError):
        with demo_db.write() as s:
            staff.authorise(demo_db, s, staff.Approval("9001", "bad"), "x", actor=clerk)
    with pytest.raises(PermissionDenied):
        with demo_db.write() as s:
            staff.authorise(demo_db, s, None, "x", actor=clerk)
    with demo_db.read() as s:
        assert s.execute(select(Authorisation)).scalars().all()[0].action == "receipt.void"
        assert len(s.execute(select(Authorisation)).scalars().all()) == 1


def test_audit_chain_verifies_and_catches_tampering(demo_db, clerk):
    with demo_db.write() as s:
        clerk.audit(s, "test.payment", {"amount_fen": 12345, "method": "cash"})
    res = audit.verify(demo_db)
    assert res.ok and res.count > 10
    with demo_db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "test.payment")).scalar_one()
    # a row changed by hand
    with demo_db.engine.begin() as c:
        c.execute(update(AuditEvent).where(AuditEvent.seq == ev.seq)
                  .values(payload='{"amount_fen":1,"method":"cash"}'))
    res = audit.verify(demo_db)
    assert not res.ok and res.first_bad_seq == ev.seq


def test_audit_chain_catches_a_deleted_event(demo_db):
    with demo_db.engine.begin() as c:
        c.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    res = audit.verify(demo_db)
    assert not res.ok and res.first_bad_seq == 3 and "缺失" in res.problem


def test_audit_chain_catches_a_deleted_tail(demo_db):
    with demo_db.engine.begin() as c:
        last = c.execute(text("SELECT max(seq) FROM audit_events")).scalar()
        c.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": last})
    res = audit.verify(demo_db)
    assert not res.ok and res.first_bad_seq == last


def test_audit_rolls_back_with_the_business_transaction(demo_db, clerk):
    before = audit.verify(demo_db).count
    with pytest.raises(RuntimeError):
        with demo_db.write() as s:
            clerk.audit(s, "test.failed", {})
            raise RuntimeError("boom")
    after = audit.verify(demo_db)
    assert after.ok and after.count == before


TRICKY = [
    {"name": "张三", "amount": "12.30"},
    {"rare": "𠮷䶮", "emoji": "😀", "quote": 'a"b\\c', "nl": "x\ny", "nul": "\x00"},
    {"nested": {"z": [1, 2, {"b": None, "a": True}], "a": -0.5}, "seq": 99},
    {},
]


def test_audit_append_hashes_the_same_bytes_on_either_engine(db):
    """PostgreSQL computes the chain hash in the server (one-statement append); the
    stored hashes must be exactly what Python computes from the stored rows."""
    import datetime as dt

    when = dt.datetime(2026, 11, 23, 9, 30, 0, 123456)
    with db.write() as s:
        for i, data in enumerate(TRICKY):
            ev = audit.record(s, f"test.{i}", data, staff_no="1001" if i else "",
                              hall_code="HQ01", window=None if i % 2 else 3,
                              at=when + dt.timedelta(seconds=i))
            assert ev.seq == i + 1
    with db.read() as s:
        rows = s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    prev = audit.GENESIS
    for ev in rows:
        assert ev.prev_hash == prev
        assert audit.compute_hash(prev, ev) == ev.hash
        prev = ev.hash
    assert [ev.seq for ev in rows] == [1, 2, 3, 4]
    result = audit.verify(db)
    assert result.ok and result.count == 4


def test_body_split_around_seq_is_the_canonical_body():
    import datetime as dt

    from hypothesis import given, settings
    from hypothesis import strategies as st

    text_ = st.text(max_size=12)
    leaf = st.none() | st.booleans() | st.integers() | text_
    data = st.dictionaries(text_, st.recursive(leaf, lambda c: st.lists(c, max_size=3)
                                               | st.dictionaries(text_, c, max_size=3)),
                           max_size=4)

    @settings(max_examples=200, deadline=None)
    @given(data, st.integers(1, 10**12), text_, st.none() | st.integers(0, 99), text_,
           text_)
    def check(payload, seq, hall, window, staff_no, kind):
        at = dt.datetime(2026, 1, 2, 3, 4, 5, 6)
        ev = AuditEvent(seq=seq, at=at, hall_code=hall, window=window, staff_no=staff_no,
                        kind=kind, payload=audit.canonical_json(payload))
        before, after = audit._body_around_seq(at, hall, window, staff_no, kind, ev.payload)
        assert before + str(seq) + after == audit._event_body(ev)

    check()
