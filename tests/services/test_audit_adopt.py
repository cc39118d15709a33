"""A hall's database from before row coverage: its rows are adopted by the upgrade."""

from __future__ import annotations

from sqlalchemy import text

from counterdesk import audit, schema
from counterdesk.audit import adopt
from counterdesk.db import Database


def test_upgrading_a_hall_with_history_adopts_its_rows(tmp_path):
    from alembic import command

    db = Database("sqlite:///" + (tmp_path / "hall.sqlite3").as_posix())
    cfg = schema._config()
    with db.engine.begin() as conn:   # a hall on revision 0010 with a staff row and a chain
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0010")
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('application', 'CounterDesk')"))
        conn.execute(text("INSERT INTO staff (staff_no, name, role, password_hash, "
                          "failed_attempts, approval_failed_attempts, disabled, can_reveal, created_at) "
                          "VALUES ('1001', '李晓华', 'clerk', 'x', 0, 0, 0, 0, "
                          "'2026-01-01 08:00:00.000000')"))
        conn.execute(text("INSERT INTO audit_head (id, seq, hash, prev_hash) "
                          "VALUES (1, 0, :g, '')"), {"g": audit.GENESIS})
    schema.upgrade(db)
    res = audit.verify(db)
    assert res.ok and res.rows_checked == 1 and res.count == 1
    with db.read() as s:
        assert s.execute(text("SELECT kind FROM audit_events")).scalar() == "audit.rows_adopted"
        assert s.execute(text("SELECT count(*) FROM meta WHERE key = :k"),
                         {"k": adopt.MARK}).scalar() == 0
    with db.engine.begin() as conn:   # from now on a change is seen
        conn.execute(text("UPDATE staff SET role = 'admin'"))
    assert not audit.verify(db).ok
    db.dispose()


def test_a_new_database_needs_no_adoption(db):
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM meta WHERE key = :k"),
                         {"k": adopt.MARK}).scalar() == 0
