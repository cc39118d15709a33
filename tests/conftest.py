"""Test fixtures: a fresh database per test, on SQLite and (when available) PostgreSQL.

``db`` is parametrised over both engines. The PostgreSQL cases use the server named by
``COUNTERDESK_TEST_DATABASE_URL`` (``.ci/run`` sets it); each test gets a schema of its
own, so tests and parallel runs never see each other's rows. Without the variable the
PostgreSQL cases skip with a message saying so.
"""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from counterdesk import clock, i18n  # noqa: E402
from counterdesk.db import Database  # noqa: E402
from counterdesk.models import Base  # noqa: E402

PG_URL = os.environ.get("COUNTERDESK_TEST_DATABASE_URL", "")
PG_SKIP = ("PostgreSQL tests skipped: set COUNTERDESK_TEST_DATABASE_URL "
           "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run them")

DEMO = {"clerk": ("1001", "123456"), "clerk2": ("1002", "123456"),
        "manager": ("9001", "888888"), "admin": ("admin", "admin123")}


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    """Keep every test's files in its own folder; reset language and clock."""
    monkeypatch.setenv("COUNTERDESK_HOME", str(tmp_path / "home"))
    i18n.set_language("zh_CN")
    clock.set_now(None)
    yield
    clock.set_now(None)
    i18n.set_language("zh_CN")


def _sqlite_db(tmp_path) -> Database:
    return Database("sqlite:///" + (tmp_path / "counterdesk.sqlite3").as_posix())


class PgSchema:
    """A throw-away schema on the test server."""

    def __init__(self):
        self.name = "t_" + uuid.uuid4().hex[:16]
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{self.name}"'))

    def url_with_schema(self) -> str:
        return PG_URL

    def drop(self):
        with self.admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


def make_db(kind: str, tmp_path) -> tuple[Database, object]:
    if kind == "sqlite":
        return _sqlite_db(tmp_path), None
    if not PG_URL:
        pytest.skip(PG_SKIP)
    sch = PgSchema()
    return Database(PG_URL, schema=sch.name), sch


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def empty_db(db_kind, tmp_path):
    """A fresh, empty database (no tables) on each engine."""
    db, sch = make_db(db_kind, tmp_path)
    yield db
    db.dispose()
    if sch:
        sch.drop()


@pytest.fixture
def db(empty_db):
    """A fresh database with the schema created from the models (fast)."""
    Base.metadata.create_all(empty_db.engine)
    from counterdesk import schema
    from counterdesk.setup import mark_database

    schema.stamp(empty_db)
    mark_database(empty_db)
    return empty_db


@pytest.fixture
def demo_db(db):
    """The demo hall: windows 1-6, services A-D, staff 1001-1006 (123456), 9001 (888888)."""
    from counterdesk import setup

    setup.demo(db)
    return db


@pytest.fixture
def sqlite_db(tmp_path):
    db = _sqlite_db(tmp_path)
    Base.metadata.create_all(db.engine)
    from counterdesk import schema
    from counterdesk.setup import mark_database

    schema.stamp(db)
    mark_database(db)
    yield db
    db.dispose()


@pytest.fixture
def clerk(demo_db):
    """Clerk 1001 signed in at window 1 of the demo hall."""
    from counterdesk import staff

    return staff.sign_in(demo_db, *DEMO["clerk"], window=1)


@pytest.fixture
def manager(demo_db):
    from counterdesk import staff

    return staff.sign_in(demo_db, *DEMO["manager"], window=None)


@pytest.fixture
def approval():
    from counterdesk.staff import Approval

    return Approval(*DEMO["manager"])


# -- a receipt printer on a local TCP port that records what it is sent -----------------
import socket  # noqa: E402
import threading  # noqa: E402


class PrinterListener:
    """A fake ESC/POS network printer on 127.0.0.1 (ephemeral port, like 9100).

    ``mode``: "accept" records every connection's bytes; "stall" accepts but never
    reads (the sender times out once buffers fill); "drop" closes each connection
    after the first bytes. ``jobs`` is the list of bytes received per connection.
    """

    def __init__(self, mode: str = "accept"):
        self.mode = mode
        self.jobs: list[bytes] = []
        self._cond = threading.Condition()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        if self.mode == "stall":
            return  # never read
        data = bytearray()
        conn.settimeout(10)
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                if self.mode == "drop":
                    break
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass
        if self.mode == "accept":
            with self._cond:
                self.jobs.append(bytes(data))
                self._cond.notify_all()

    def wait_for(self, n: int = 1, timeout: float = 10.0) -> list[bytes]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.jobs) >= n, timeout)
        assert ok, f"printer received {len(self.jobs)} jobs, expected {n}"
        return list(self.jobs)

    def close(self):
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass
        for c in self._conns:
            try:
                c.close()
            except OSError:
                pass


@pytest.fixture
def printer():
    p = PrinterListener("accept")
    yield p
    p.close()


@pytest.fixture
def printer_factory():
    made = []

    def make(mode="accept"):
        p = PrinterListener(mode)
        made.append(p)
        return p
    yield make
    for p in made:
        p.close()


def closed_port() -> int:
    """A local port with nothing listening (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
