"""Revision 0018 on a database with history (issue 24.3): the single chain written before
it, across two halls, stays verifiable as the first hall's chain; from then on each hall
has its own. On SQLite and PostgreSQL.

The history is made on the schema before 0018: the hall works and closes its day at
the newest schema, the database goes back to 0014 (one chain, one head row), a second
hall's events are appended to that one chain as the program before 0018 wrote them,
then the database is upgraded again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3

from alembic import command
from sqlalchemy import text

from counterdesk import audit, billing, cash, clock, schema, setup, staff
from counterdesk.models import AuditEvent

DAY = dt.date(2026, 11, 20)
SALE = billing.SaleRequest(items=[billing.LineInput("CARD")],
                           tenders=[billing.TenderInput("cash")])


def at(h):
    clock.set_now(dt.datetime.combine(DAY, dt.time(h, 0)))


def _alembic(db, fn, rev: str) -> None:
    cfg = schema._config()   # noqa: SLF001 - the migrations, run as schema.upgrade does
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, rev)


def _legacy_append(db, hall_code: str, kind: str, data: dict) -> tuple[int, str]:
    """An event appended to the one chain as the program before 0018 did."""
    with db.engine.begin() as c:
        seq, prev = c.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
        ev = AuditEvent(seq=seq + 1, at=clock.now(), hall_code=hall_code, window=1,
                        staff_no="2001", kind=kind, payload=audit.canonical_json(data),
                        prev_hash=prev)
        ev.hash = audit.compute_hash(prev, ev)
        c.execute(text("INSERT INTO audit_events (seq, at, hall_code, \"window\", staff_no, "
                       "kind, payload, prev_hash, hash) VALUES (:seq, :at, :hall_code, "
                       ":window, :staff_no, :kind, :payload, :prev_hash, :hash)"),
                  {k: getattr(ev, k) for k in ("seq", "at", "hall_code", "window", "staff_no",
                                               "kind", "payload", "prev_hash", "hash")})
        c.execute(text("UPDATE audit_head SET seq = :q, hash = :h, prev_hash = :p "
                       "WHERE id = 1"), {"q": ev.seq, "h": ev.hash, "p": prev})
    return ev.seq, ev.hash


def test_a_database_migrated_mid_life_verifies(empty_db, tmp_path):
    db = empty_db
    at(8)
    setup.demo(db)                                        # through the migrations
    c1 = staff.sign_in(db, "1001", "123456", window=1)
    cash.open_till(db, c1, {"100": 1})
    billing.pay(db, c1, SALE)
    cash.count_till(db, c1, {"100": 1, "10": 2})
    cash.close_till(db, c1, "")
    cash.countersign(db, c1, staff.Approval("9001", "888888"))
    at(18)
    mgr = staff.sign_in(db, "9001", "888888")
    closed = cash.close_day(db, mgr, DAY, backup=False).report["anchor"]
    hall, close_seq, close_hash = audit.parse_anchor(closed)

    # back to the schema of one chain; a second hall writes into that chain
    _alembic(db, command.downgrade, "0016")
    with db.engine.begin() as c:
        assert c.execute(text("SELECT id FROM audit_head")).scalars().all() == [1]
        c.execute(text("INSERT INTO halls (code, name, company_name, company_short, address, "
                       "hotline, opening_time, closing_time, created_at) VALUES ('HQ02', "
                       "'第二营业厅', '燃气公司', '', '', '', '08:30', '17:30', :t)"),
                  {"t": clock.now()})
    at(19)
    b1 = _legacy_append(db, "HQ02", "test.legacy_b", {"n": 1})
    b2 = _legacy_append(db, "HQ02", "test.legacy_b", {"n": 2})
    old_backup = None
    if db.is_sqlite:                                      # a backup from before 0018
        old_backup = tmp_path / "before-0018.sqlite3"
        with contextlib.closing(sqlite3.connect(db.sqlite_path)) as src, \
                contextlib.closing(sqlite3.connect(old_backup)) as dst:
            src.backup(dst)

    assert schema.upgrade(db) == "outdated"
    with db.read() as s:
        assert audit.heads(s) == {"HQ01": b2}            # the old head: the first hall's
        chains = s.execute(text("SELECT DISTINCT chain FROM audit_events")).scalars().all()
        anchor_chain = s.execute(text("SELECT anchor_chain FROM day_closes")).scalar_one()
    assert chains == ["HQ01"] and anchor_chain == "HQ01"
    res = audit.verify(db, anchors=[audit.parse_anchor(closed),
                                    audit.parse_anchor(f"{close_seq}:{close_hash}"),
                                    ("HQ01", *b1)])
    assert res.ok, res.problems[:3]
    # the close's event given twice (both forms name it) and b1, and the close's own
    assert res.anchors_checked == 3
    if old_backup is not None:
        olds = audit.backup_heads(old_backup)
        assert olds == [audit.Anchor(None, *b2)]
        assert audit.verify(db, anchors=olds).ok

    # from now on: each hall's events in its own chain
    at(20)
    staff.add_user(db, "2001", "乙厅收费员", "clerk", "123456", hall_code="HQ02")
    staff.sign_in(db, "2001", "123456", window=1)
    c1 = staff.sign_in(db, "1001", "123456", window=1)
    with db.write() as s:
        c1.audit(s, "test.after", {"n": 3})
    with db.read() as s:
        rows = s.execute(text("SELECT chain, seq, prev_hash, hall_code FROM audit_events "
                              "WHERE seq > :q OR chain = 'HQ02' ORDER BY id"),
                         {"q": b2[0]}).all()
    assert [(r.chain, r.hall_code) for r in rows] == \
        [("HQ02", "HQ02")] * 2 + [("HQ01", "HQ01")] * 2
    assert (rows[0].seq, rows[0].prev_hash) == (1, audit.GENESIS)        # HQ02's first
    assert (rows[2].seq, rows[2].prev_hash) == (b2[0] + 1, b2[1])         # HQ01 goes on
    res = audit.verify(db, anchors=[audit.parse_anchor(closed), ("HQ01", *b2)])
    assert res.ok and set(res.heads) == {"HQ01", "HQ02"} and res.heads["HQ02"][0] == 2

    # the legacy part is still checked: an edit of the second hall's old event is named
    with db.engine.begin() as c:
        c.execute(text("UPDATE audit_events SET payload = :p WHERE seq = :q "
                       "AND chain = 'HQ01'"), {"p": '{"n":9}', "q": b1[0]})
    res = audit.verify(db)
    assert not res.ok and (res.first_bad_hall, res.first_bad_seq) == ("HQ01", b1[0])
    assert "营业厅 HQ01 第" in res.problem and "被改动" in res.problem
