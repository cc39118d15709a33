"""Issue 16 point 3: hand edits of a hall's database, each caught by ``audit verify``.

The hall takes money for a day (cash, qr, a bill, a cash movement), the clerk counts and
the manager closes the day, which stores and prints the anchor. Then one edit is made
with plain SQL, as someone with the database password would, and ``audit verify`` must
name what was changed. On SQLite and PostgreSQL (``db`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text

from counterdesk import audit, backup, billing, cash, clock, staff
from counterdesk.models import AuditEvent, AuditHead
from tests.helpers.billing_helpers import make_account

DAY = dt.date(2026, 11, 20)
MGR = staff.Approval("9001", "888888")


def at(h, m=0):
    clock.set_now(dt.datetime.combine(DAY, dt.time(h, m)))


def _sale(db, actor, items, method="cash", bills=(), account=None, **kw):
    req = billing.SaleRequest(items=[billing.LineInput(c, q) for c, q in items],
                              bills=list(bills), account_no=account,
                              tenders=[billing.TenderInput(method, **kw)])
    return billing.pay(db, actor, req)


@pytest.fixture
def day(demo_db):
    """A closed day; returns (db, facts) with what the edits need."""
    db = demo_db
    at(8, 30)
    c1 = staff.sign_in(db, "1001", "123456", window=1)
    mgr = staff.sign_in(db, "9001", "888888")
    make_account(db, "0100012345", bills=[("2026-09", 8800), ("2026-10", 9900)])
    cash.open_till(db, c1, {"100": 1})                                   # float 100.00
    at(9, 0)
    p1 = _sale(db, c1, [("CARD", "1")])                                   # 20.00 cash
    p2 = _sale(db, c1, [], bills=["2026-09"], account="0100012345")       # 88.00 cash
    p3 = _sale(db, c1, [("HOSE", "2.5")], "qr", reference="QR2026112300001")  # 37.50 qr
    cash.move_cash(db, c1, "in", 2000, "补充零钱", MGR)
    at(17, 0)
    expected = 10000 + 2000 + 8800 + 2000
    cash.count_till(db, c1, {"100": expected // 10000, "1": expected % 10000 // 100},
                    noncash={"qr": 3750})
    cash.close_till(db, c1, "")
    cash.countersign(db, c1, MGR)
    at(18, 0)
    rep = cash.close_day(db, mgr, DAY, backup=False).report
    assert audit.verify(db).ok
    return db, {"p1": p1, "p2": p2, "p3": p3, "anchor": rep["anchor"], "mgr": mgr}


def _sql(db, stmt: str, **params) -> None:
    with db.engine.begin() as c:
        c.execute(text(stmt), params)


def _payment_id(db, receipt_no: str) -> int:
    with db.engine.connect() as c:
        return c.execute(text("SELECT payment_id FROM receipts WHERE receipt_no = :n"),
                         {"n": receipt_no}).scalar_one()


def _rows(res, table, what=("differs",)) -> list[int]:
    words = {"differs": "被改动", "noevent": "没有审计事件", "missing": "已不存在"}
    return [p.row_id for p in res.problems if p.what == "row" and p.table == table
            and any(words[w] in p.zh for w in what)]


def _verify(db, anchor):
    res = audit.verify(db, anchors=[audit.parse_anchor(anchor)])
    assert not res.ok
    return res


# -- the edits of the issue --------------------------------------------------------------
def test_a_payments_total(day):
    db, f = day
    pid = _payment_id(db, f["p1"].receipt_no)
    _sql(db, "UPDATE payments SET total_fen = total_fen - 1000 WHERE id = :i", i=pid)
    res = _verify(db, f["anchor"])
    assert _rows(res, "payments") == [pid]
    assert f["p1"].receipt_no in res.problem


def test_a_tender_amount(day):
    db, f = day
    pid = _payment_id(db, f["p1"].receipt_no)
    _sql(db, "UPDATE payment_tenders SET amount_fen = 1000 WHERE payment_id = :i", i=pid)
    assert len(_rows(_verify(db, f["anchor"]), "payment_tenders")) == 1


def test_a_line_quantity(day):
    db, f = day
    pid = _payment_id(db, f["p3"].receipt_no)
    _sql(db, "UPDATE payment_lines SET qty = 1.5 WHERE payment_id = :i", i=pid)
    res = _verify(db, f["anchor"])
    assert len(_rows(res, "payment_lines")) == 1
    assert f["p3"].receipt_no in res.problem


def test_deleting_the_last_payment_is_named_and_the_day_is_not_gapless(day):
    db, f = day
    pid = _payment_id(db, f["p3"].receipt_no)
    _sql(db, "DELETE FROM print_jobs WHERE receipt_id IN "
             "(SELECT id FROM receipts WHERE payment_id = :i)", i=pid)
    for table in ("receipts", "payment_tenders", "payment_lines", "tender_references"):
        _sql(db, f"DELETE FROM {table} WHERE payment_id = :i", i=pid)
    _sql(db, "DELETE FROM payments WHERE id = :i", i=pid)
    res = _verify(db, f["anchor"])
    assert _rows(res, "payments", ("missing",)) == [pid]
    for table in ("receipts", "payment_tenders", "payment_lines"):
        assert len(_rows(res, table, ("missing",))) == 1
    # the day's own check, recomputed from the tables, sees the number that is gone
    cash.reopen_day(db, f["mgr"], DAY, "核对票据", staff.Approval("admin", "admin123"))
    rc = cash.day_report(db, f["mgr"], DAY)["receipts"]
    assert not rc["gapless"] and f["p3"].receipt_no in rc["gaps"]


def test_a_price(day):
    db, f = day
    _sql(db, "UPDATE price_items SET unit_price_fen = 1 WHERE code = 'CARD'")
    assert _rows(_verify(db, f["anchor"]), "price_items")


def test_a_till_count(day):
    db, f = day
    _sql(db, "UPDATE till_counts SET count = count + 1, amount_fen = amount_fen + value_fen "
             "WHERE kind = 'close' AND denomination = 'N100'")
    assert len(_rows(_verify(db, f["anchor"]), "till_counts")) == 1


def test_a_cash_movement(day):
    db, f = day
    _sql(db, "UPDATE cash_movements SET amount_fen = 200")
    assert len(_rows(_verify(db, f["anchor"]), "cash_movements")) == 1


def test_a_clerk_made_a_manager(day):
    db, f = day
    _sql(db, "UPDATE staff SET role = 'manager' WHERE staff_no = '1001'")
    res = _verify(db, f["anchor"])
    assert len(_rows(res, "staff")) == 1 and "1001" in res.problem


def test_a_bill_marked_paid(day):
    db, f = day
    _sql(db, "UPDATE bills SET paid_fen = amount_fen WHERE period = '2026-10' AND account_id = "
             "(SELECT id FROM accounts WHERE account_no = '0100012345')")
    assert len(_rows(_verify(db, f["anchor"]), "bills")) == 1


def test_deleting_the_last_event_and_moving_the_head_back(day):
    db, f = day
    with db.engine.connect() as c:
        n, = c.execute(text("SELECT seq FROM audit_head WHERE hall_code = 'HQ01'")).one()
        prev_hash = c.execute(text("SELECT hash FROM audit_events WHERE seq = :q "
                                   "AND chain = 'HQ01'"), {"q": n - 1}).scalar_one()
        before = c.execute(text("SELECT prev_hash FROM audit_events WHERE seq = :q "
                                "AND chain = 'HQ01'"), {"q": n - 1}).scalar_one()
    _sql(db, "DELETE FROM audit_events WHERE seq = :q AND chain = 'HQ01'", q=n)
    _sql(db, "UPDATE audit_head SET seq = :q, hash = :h, prev_hash = :p "
             "WHERE hall_code = 'HQ01'", q=n - 1, h=prev_hash, p=before)
    res = audit.verify(db)          # even without the paper: the close's rows lost their event
    assert not res.ok
    assert _rows(res, "day_closes", ("noevent",))
    res = _verify(db, f["anchor"])
    assert any(p.what == "anchor" and "截短" in p.zh for p in res.problems)


def _rewrite_chain(db, from_seq: int, change) -> None:
    """What an insider can do without any secret: change an event's payload and
    recompute every hash from there to the head (and the day closes' stored anchors)."""
    with db.write() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.seq >= from_seq - 1,
                                                    AuditEvent.chain == "HQ01")
                           .order_by(AuditEvent.seq)).scalars().all()
        prev = events[0].hash
        for ev in events[1:]:
            if ev.seq == from_seq:
                ev.payload = audit.canonical_json(change(json.loads(ev.payload)))
            ev.prev_hash = prev
            ev.hash = audit.compute_hash(prev, ev)
            prev = ev.hash
        head = s.get(AuditHead, "HQ01")
        head.prev_hash, head.hash = events[-1].prev_hash, prev
        for q, h in [(e.seq, e.hash) for e in events]:
            s.execute(text("UPDATE day_closes SET anchor_hash = :h WHERE anchor_seq = :q "
                           "AND anchor_chain = 'HQ01'"), {"h": h, "q": q})


def test_rewriting_a_payload_and_recomputing_the_whole_chain_is_caught_by_the_anchor(day):
    db, f = day
    pid = _payment_id(db, f["p1"].receipt_no)
    _sql(db, "UPDATE payments SET total_fen = 1000 WHERE id = :i", i=pid)
    cov = audit.COVERED["payments"]
    with db.engine.connect() as c:
        forged = cov.digest(c.execute(cov.select().where(cov.table.c.id == pid)).one()).hex()
        seq = c.execute(text("SELECT seq FROM audit_events WHERE kind = 'payment.sale' "
                             "ORDER BY seq")).scalars().first()

    def change(p):
        p["total_fen"] = 1000
        p["row_hashes"]["payments"][str(pid)] = forged
        return p

    _rewrite_chain(db, seq, change)
    assert audit.verify(db).ok      # no secret: the database alone cannot tell
    res = _verify(db, f["anchor"])
    assert [p.what for p in res.problems] == ["anchor"]
    hall, seq, _ = audit.parse_anchor(f["anchor"])
    assert (res.problems[0].hall, res.problems[0].seq) == (hall, seq) == ("HQ01", seq)


def test_an_events_payload(day):
    db, f = day
    _sql(db, "UPDATE audit_events SET payload = REPLACE(payload, :a, :b) "
             "WHERE kind = 'payment.sale'", a='"total_fen":2000', b='"total_fen":1000')
    res = _verify(db, f["anchor"])
    assert res.first_bad_seq is not None and "被改动" in res.problem


def test_a_missing_middle_event(day):
    db, f = day
    with db.engine.connect() as c:
        seq = c.execute(text("SELECT seq FROM audit_events WHERE kind = 'till.opened'")
                        ).scalar_one()
    _sql(db, "DELETE FROM audit_events WHERE seq = :q", q=seq)
    res = _verify(db, f["anchor"])
    assert res.first_bad_seq == seq and "缺失" in res.problem
    assert _rows(res, "tills", ("noevent",)) or _rows(res, "till_counts", ("noevent",))


# -- the anchors ---------------------------------------------------------------------------
def test_the_day_close_stores_and_reports_the_anchor(day):
    db, f = day
    hall, seq, h = audit.parse_anchor(f["anchor"])
    assert hall == "HQ01" and f["anchor"] == f"HQ01:{seq}:{h}"     # its own hall's chain
    with db.engine.connect() as c:
        assert c.execute(text("SELECT hash FROM audit_events WHERE seq = :q AND chain = :c"),
                         {"q": seq, "c": hall}).scalar_one() == h
    assert cash.day_report(db, f["mgr"], DAY)["anchor"] == f["anchor"]
    res = audit.verify(db, anchors=[(hall, seq, h)])
    assert res.ok and res.anchors_checked == 2   # the one given and the close's own
    # the old form SEQ:HASH (reports from before per-hall chains) names the home chain
    res = audit.verify(db, anchors=[audit.parse_anchor(f"{seq}:{h}")])
    assert res.ok and res.anchors_checked == 2
    assert not audit.verify(db, anchors=[("HQ01", seq, "0" * 64)]).ok


def test_a_backup_is_an_anchor(day, tmp_path):
    db, f = day
    if not db.is_sqlite:
        import shutil
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump not on the PATH")
    path = backup.backup(db, tmp_path / "before.backup")
    anchors = audit.backup_heads(path)
    assert [a.hall for a in anchors] == ["HQ01"]
    assert audit.verify(db, anchors=anchors).ok
    with db.engine.connect() as c:
        seq = c.execute(text("SELECT min(seq) FROM audit_events WHERE kind = 'payment.sale'")
                        ).scalar_one()
    _rewrite_chain(db, seq, lambda p: {**p, "reason": "x"})
    res = audit.verify(db, anchors=anchors)
    assert [(p.what, p.hall) for p in res.problems] == [("anchor", "HQ01")]


def test_bad_anchor_text_is_refused_in_chinese():
    from counterdesk.errors import ValidationError

    for bad in ("12:abc", "HQ01:x:" + "0" * 64, "A:B:1:" + "0" * 64):
        with pytest.raises(ValidationError, match="锚点格式不对"):
            audit.parse_anchor(bad)


# -- the benchmark, once at a tiny size -----------------------------------------------------
def test_bench_audit_runs_tiny(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_audit.py"
    spec = importlib.util.spec_from_file_location("bench_audit", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.run(300, folder=tmp_path, emit=None)
    assert res["payments"] == 300 and res["events"] > 300 and res["ratio"] > 0
