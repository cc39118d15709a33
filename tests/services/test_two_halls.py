"""Two halls sharing one database (issue 24.3): no number, queue, payment, figure or
hall-wide row of one hall is seen by, or waited on by, the other."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select, text

from counterdesk import audit, billing, cash, queue, resources_access, setup, staff
from counterdesk.errors import DatabaseBusy
from counterdesk.models import AuditEvent, AuditHead, Counter, Hall


def _second_hall(db) -> int:
    data = copy.deepcopy(resources_access.read_toml("demo", "hall.toml"))
    data["hall"]["code"], data["hall"]["name"] = "HQ02", "第二营业厅"
    hall_id = setup.create_hall(db, data)
    staff.add_user(db, "2001", "乙厅收费员", "clerk", "123456", hall_code="HQ02")
    staff.add_user(db, "2901", "乙厅主任", "manager", "888888", hall_code="HQ02")
    billing.seed_demo(db, "HQ02")
    return hall_id


SALE = billing.SaleRequest(items=[billing.LineInput("CARD")],
                           tenders=[billing.TenderInput("cash")])


def test_two_halls_share_a_database_without_leaking(demo_db):
    db = demo_db
    with db.read() as s:
        h1 = s.execute(select(Hall.id).where(Hall.code == "HQ01")).scalar_one()
    h2 = _second_hall(db)
    k1, k2 = queue.kiosk_actor(db, "HQ01"), queue.kiosk_actor(db, "HQ02")
    a1 = staff.sign_in(db, "1001", "123456", window=1)
    a2 = staff.sign_in(db, "2001", "123456", window=1)

    # numbers: each hall counts from 1, on its own counter row
    t1 = [queue.issue(db, k1, "A").number for _ in range(3)]
    t2 = [queue.issue(db, k2, "A").number for _ in range(2)]
    assert t2 == t1[:2]
    r1 = [billing.pay(db, a1, SALE).receipt_no for _ in range(3)]
    r2 = [billing.pay(db, a2, SALE).receipt_no for _ in range(2)]
    assert r2 == r1[:2]
    with db.read() as s:
        rows = s.execute(select(Counter.hall_id, Counter.name, Counter.value)).all()
    assert {h for h, _n, _v in rows} == {h1, h2}
    names = {h: {n for hh, n, _v in rows if hh == h} for h in (h1, h2)}
    assert names[h2] and names[h2] <= names[h1]   # the same sequences, a row per hall

    # queues: a window of one hall never calls the other's customers
    called = queue.call_next(db, a2)
    assert called.number == t2[0]
    snap1, snap2 = queue.snapshot(db, h1), queue.snapshot(db, h2)
    waiting1 = sum(sv["waiting"] for sv in snap1["services"])
    waiting2 = sum(sv["waiting"] for sv in snap2["services"])
    assert (waiting1, waiting2) == (3, 1)
    assert all(w["current"] is None for w in snap1["windows"])

    # figures: the tills and the day report of a hall count its own payments only
    m1 = staff.sign_in(db, "9001", "888888")
    m2 = staff.sign_in(db, "2901", "888888")
    rep1, rep2 = cash.day_report(db, m1), cash.day_report(db, m2)
    assert (rep1["totals"]["sales"], rep2["totals"]["sales"]) == (3, 2)
    assert rep1["totals"]["net_fen"] * 2 == rep2["totals"]["net_fen"] * 3
    assert (rep1["receipts"]["count"], rep2["receipts"]["count"]) == (3, 2)
    assert rep1["receipts"]["gapless"] and rep2["receipts"]["gapless"]
    assert [c["staff_no"] for c in rep1["by_clerk"]] == ["1001"]
    assert [c["staff_no"] for c in rep2["by_clerk"]] == ["2001"]
    assert rep1["queue"]["rows"][0]["tickets"] == 3
    assert rep2["queue"]["rows"][0]["tickets"] == 2
    assert [t.staff_no for t in cash.tills_for_day(db, m2)] in ([], ["2001"])
    assert "2001" not in repr([t.staff_no for t in cash.tills_for_day(db, m1)])



def test_each_hall_has_its_own_audit_chain(demo_db):
    """A head row per hall, made with the hall; each hall's events chained to its own;
    ``audit verify`` walks every chain and names the hall of a problem."""
    db = demo_db
    _second_hall(db)
    with db.read() as s:
        heads = dict(s.execute(select(AuditHead.hall_code, AuditHead.seq)).all())
        n1 = s.execute(select(func.count()).where(AuditEvent.chain == "HQ01")).scalar()
    assert {"HQ01", "HQ02"} <= set(heads) and heads["HQ01"] == n1
    a1 = staff.sign_in(db, "1001", "123456", window=1)
    a2 = staff.sign_in(db, "2001", "123456", window=1)
    before = heads["HQ02"]
    p2 = billing.pay(db, a2, SALE)
    billing.pay(db, a1, SALE)
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "payment.sale",
                                                AuditEvent.hall_code == "HQ02")).scalar_one()
        prev = s.execute(select(AuditEvent.hash).where(AuditEvent.chain == "HQ02",
                                                       AuditEvent.seq == ev.seq - 1)).scalar()
    assert (ev.chain, ev.seq) == ("HQ02", before + 2)     # sign-in, then the payment
    assert ev.prev_hash == prev and p2.receipt_no
    res = audit.verify(db)
    assert res.ok and set(res.heads) >= {"HQ01", "HQ02"} and res.home == "HQ01"
    assert res.count == sum(1 for _ in _all_events(db))
    seq, h = res.heads["HQ02"]                 # hall B's anchor (the hall code any case)
    assert audit.verify(db, anchors=[audit.parse_anchor(f"hq02:{seq}:{h}")], rows=False).ok
    res_x = audit.verify(db, anchors=[("HQ99", seq, h)], rows=False)
    assert not res_x.ok and "没有营业厅 HQ99 的审计链" in res_x.problem
    # a gap in hall B's chain is named with hall B
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM audit_events WHERE chain = 'HQ02' AND seq = :q"),
                  {"q": ev.seq - 1})
    res = audit.verify(db)
    assert not res.ok and res.first_bad_hall == "HQ02" and "营业厅 HQ02" in res.problem
    assert all(p.hall in (None, "HQ02") for p in res.problems)


def _all_events(db):
    with db.read() as s:
        return s.execute(select(AuditEvent.id)).scalars().all()


@pytest.mark.pg
@pytest.mark.parametrize("db_kind", ["postgresql"])      # row locks of two connections
def test_two_halls_paying_never_wait_for_each_other(demo_db, monkeypatch):
    """While a transaction of hall A holds its audit head (it has appended an event and not
    committed), hall B's payment goes through; hall A's own waits (and, with a short
    lock_timeout, is told to retry): the lock is per hall."""
    from counterdesk import db as db_mod
    from counterdesk.db import Database

    _second_hall(demo_db)
    a1 = staff.sign_in(demo_db, "1001", "123456", window=1)
    a2 = staff.sign_in(demo_db, "2001", "123456", window=1)
    monkeypatch.setitem(db_mod.PG_SESSION, "lock_timeout", "300ms")
    other = Database(demo_db.url, schema=demo_db.schema)    # the other PC, short lock wait
    try:
        with demo_db.write() as s:
            audit.record(s, "test.hold", {}, hall_code="HQ01")   # hall A's head: locked
            paid = billing.pay(other, a2, SALE)                 # hall B: does not wait
            with pytest.raises(DatabaseBusy):
                billing.pay(other, a1, SALE)                    # hall A: waits on its head
            s.rollback()
        assert paid.receipt_no
        assert billing.pay(other, a1, SALE).receipt_no         # once released
    finally:
        other.dispose()
    assert audit.verify(demo_db).ok
