"""Several database hosts in one URL, a read-only server refused for writes, and the
clerk told once when the server changed (issue 24.1). The real failover is
tests/concurrency/test_failover.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import text

from counterdesk import i18n
from counterdesk.db import Database, _normalise, display_url, hosts, make_engine
from counterdesk.errors import DatabaseReadOnly

MULTI = "postgresql+psycopg://clerk:secret@db1:5432,db2:5433/hall?target_session_attrs=read-write"


def test_a_multi_host_url_reaches_psycopg_as_libpq_writes_it():
    engine = make_engine(MULTI)
    _args, kwargs = engine.dialect.create_connect_args(engine.url)
    assert kwargs["host"] == "db1,db2" and kwargs["port"] == "5432,5433"
    assert kwargs["target_session_attrs"] == "read-write"
    assert kwargs["dbname"] == "hall" and kwargs["password"] == "secret"
    engine.dispose()
    assert hosts(MULTI) == ["db1:5432", "db2:5433"]
    assert hosts("postgresql://u@db1/hall") == ["db1"]
    assert _normalise("postgres://u@a,b/x") == "postgresql+psycopg://u@/x?host=a&host=b"


def test_display_url_lists_the_hosts_and_hides_the_password():
    shown = display_url(MULTI)
    assert shown == ("postgresql+psycopg://clerk:***@db1:5432,db2:5433/hall"
                     "?target_session_attrs=read-write")
    assert "secret" not in display_url(_normalise(MULTI))


def test_the_clerk_is_told_once_when_the_server_changes(tmp_path):
    db = Database("postgresql+psycopg://u@db1:5432,db2:5433/hall")
    conn = lambda host, port: SimpleNamespace(info=SimpleNamespace(host=host, port=port))  # noqa: E731
    db._on_connect(conn("db1", 5432), None)
    db._on_connect(conn("db1", 5432), None)
    assert db.take_notice() is None
    db._on_connect(conn("db2", 5433), None)
    notice = db.take_notice()
    assert "db2:5433" in notice and "已切换" in notice
    assert db.take_notice() is None
    i18n.set_language("en")
    db._on_connect(conn("db1", 5432), None)
    assert "switched to server db1:5432" in db.take_notice()
    db.dispose()


@pytest.mark.parametrize("db_kind", [pytest.param("postgresql", marks=pytest.mark.pg)])
def test_a_read_only_server_is_refused_for_writes_with_a_clear_message(db, db_kind):
    """A standby (or a server still recovering) takes no writes: PostgreSQL's
    read_only_sql_transaction becomes a plain refusal; nothing is half-written."""
    with db.write() as s:
        s.execute(text("CREATE TABLE probe (v INTEGER)"))
    with pytest.raises(DatabaseReadOnly) as err:
        with db.write() as s:
            s.execute(text("SET TRANSACTION READ ONLY"))
            s.execute(text("INSERT INTO probe VALUES (1)"))
    assert "只读" in err.value.message and "未保存" in err.value.message
    assert err.value.retryable
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM probe")).scalar() == 0


def test_a_standby_refused_at_connect_is_named_read_only_not_unreachable():
    from sqlalchemy import exc as sa_exc

    from counterdesk.db import translate
    from counterdesk.errors import DatabaseUnavailable

    standby = sa_exc.OperationalError("connect", {}, Exception(
        'connection failed: connection to server at "10.0.0.2", port 5432 failed: '
        "server is in hot standby mode"))
    assert isinstance(translate(standby, MULTI), DatabaseReadOnly)
    down = sa_exc.OperationalError("connect", {}, Exception(
        'connection failed: connection to server at "10.0.0.1", port 5432 failed: '
        "Connection refused"))
    known = translate(down, MULTI)
    assert isinstance(known, DatabaseUnavailable) and not isinstance(known, DatabaseReadOnly)
    assert "secret" not in known.message and "db1:5432,db2:5433" in known.message
