import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from counterdesk import backup, schema, setup
from counterdesk.db import Database, display_url
from counterdesk.errors import DatabaseUnavailable, SchemaError, ValidationError
from counterdesk.models import Base


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_migrations_build_exactly_the_models(empty_db):
    """Alembic owns the schema: the migrated database equals the ORM models."""
    schema.upgrade(empty_db)
    with empty_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert schema.check(empty_db) == "current"


def test_newer_schema_is_refused(empty_db):
    setup.init(empty_db)
    with empty_db.engine.begin() as c:
        c.execute(text("DELETE FROM alembic_version"))
        c.execute(text("INSERT INTO alembic_version VALUES ('9999_future')"))
    with pytest.raises(SchemaError) as e:
        schema.upgrade(empty_db)
    assert "新" in e.value.message


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    db = Database("sqlite:///" + path.as_posix())
    with pytest.raises(SchemaError):
        schema.upgrade(db)
    db.dispose()


def test_outdated_sqlite_is_backed_up_before_upgrade(tmp_path):
    from alembic import command

    db = Database("sqlite:///" + (tmp_path / "hall.sqlite3").as_posix())
    if schema.heads() == ("0001",):
        pytest.skip("only one revision so far")
    cfg = schema._config()
    with db.engine.begin() as conn:  # an older program's database: only the first revision
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert schema.check(db) == "outdated"
    schema.upgrade(db)
    assert schema.check(db) == "current"
    assert list(tmp_path.glob("hall.pre-upgrade-*.sqlite3"))
    db.dispose()


def test_unreachable_postgres_is_a_plain_message():
    db = Database("postgresql+psycopg://cd:secret@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseUnavailable) as e:
        db.ping()
    assert "无法连接数据库" in e.value.message
    assert "secret" not in e.value.message
    db.dispose()


def test_display_url_hides_password():
    assert "secret" not in display_url("postgresql+psycopg://u:secret@h/db")
    assert display_url("sqlite:///C:/x/y.sqlite3").endswith("y.sqlite3")


def test_backup_and_restore_round_trip(tmp_path):
    db = Database("sqlite:///" + (tmp_path / "live.sqlite3").as_posix())
    setup.demo(db)
    target = backup.backup(db, tmp_path / "b.cdbak")
    assert backup.inspect(target).encrypted and not backup.is_counterdesk_sqlite(target)
    with db.write() as s:
        s.execute(text("DELETE FROM window_services"))
    res = backup.restore(db, target)
    assert res.previous and Path(res.previous).exists()
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM window_services")).scalar() > 0
    db.dispose()


def test_restore_refuses_a_foreign_file(tmp_path):
    db = Database("sqlite:///" + (tmp_path / "live.sqlite3").as_posix())
    setup.init(db)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    before = (tmp_path / "live.sqlite3").read_bytes()
    with pytest.raises(ValidationError):
        backup.restore(db, junk)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ValidationError):
        backup.restore(db, other)
    assert (tmp_path / "live.sqlite3").read_bytes() == before
    db.dispose()


def test_demo_is_deterministic_and_idempotent(db):
    first = setup.demo(db)
    second = setup.demo(db)
    assert first.created and not second.created
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM windows")).scalar() == 6
        assert s.execute(text("SELECT count(*) FROM service_types")).scalar() == 4


def test_sql_errors_never_carry_personal_data(sqlite_db):
    """An error message (which may reach the log) shows no bound parameters."""
    from sqlalchemy import exc as sa_exc

    with pytest.raises(sa_exc.IntegrityError) as e:
        with sqlite_db.write() as s:
            s.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"),
                      {"k": "application", "v": "13812345678"})
    assert "13812345678" not in str(e.value)


def test_fast_revision_graph_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema._config())
    assert set(schema.heads()) == set(script.get_heads())
    assert schema.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_databases_left_by_a_killed_test_run_are_dropped_later():
    """The PostgreSQL test databases carry their creation time; the next run drops those
    older than six hours that nobody uses, and leaves a younger run's alone."""
    import time
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import PG_SKIP, PG_URL, STALE_AFTER_S, drop_stale_databases

    if not PG_URL:
        pytest.skip(PG_SKIP)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    old = f"t_{int(time.time()) - STALE_AFTER_S - 60}_{uuid.uuid4().hex[:8]}"
    young = f"t_{int(time.time())}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            for name in (old, young):
                c.execute(text(f'CREATE DATABASE "{name}"'))
        dropped = drop_stale_databases(admin)
        with admin.connect() as c:
            left = set(c.execute(text("SELECT datname FROM pg_database")).scalars())
        assert old in dropped and old not in left
        assert young in left and young not in dropped
    finally:
        with admin.connect() as c:
            for name in (old, young):
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
