"""Test fixtures: a fresh database per test, on SQLite and (when available) PostgreSQL.

``db`` is parametrised over both engines. The PostgreSQL cases use the server named by
``COUNTERDESK_TEST_DATABASE_URL`` (``.ci/run`` sets it); each test gets a database of its
own there (a copy of a template built once a session, see :class:`Templates`), so tests
and parallel runs never see each other's rows. Without the variable the PostgreSQL cases
skip with a message saying so.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
import uuid
import warnings

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
    # secrets (database password, hall backup key) in the test's owner-only file store
    monkeypatch.setenv("COUNTERDESK_SECRET_STORE", "file")
    i18n.set_language("zh_CN")
    clock.set_now(None)
    yield
    clock.set_now(None)
    i18n.set_language("zh_CN")


def _sqlite_db_at(path) -> Database:
    return Database("sqlite:///" + path.as_posix())


def _sqlite_db(tmp_path) -> Database:
    return _sqlite_db_at(tmp_path / "counterdesk.sqlite3")


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


def _settle_jobs(timeout_s: float = 30.0) -> None:
    """Wait for the screens' background jobs a test left running (a list refreshed after
    the last action it waited for) before its database is disposed and dropped: a job
    still holding a connection then would find its database gone, and the connection it
    returns to the disposed pool would be left open."""
    for t in threading.enumerate():
        if t.name == "counterdesk-job":
            t.join(timeout_s)
            assert not t.is_alive(), "a background job did not end within 30 s"


def make_db(kind: str, tmp_path) -> tuple[Database, object]:
    if kind == "sqlite":
        return _sqlite_db(tmp_path), None
    if not PG_URL:
        pytest.skip(PG_SKIP)
    sch = PgSchema()
    return Database(PG_URL, schema=sch.name), sch


STALE_AFTER_S = 6 * 3600


def _stamped(prefix: str) -> str:
    """A database name with its creation time: ``<prefix>_<unix seconds>_<random>``."""
    return f"{prefix}_{int(time.time())}_{uuid.uuid4().hex[:8]}"


def drop_stale_databases(admin) -> list[str]:
    """Drop the test databases a killed run left behind (named by :func:`_stamped`,
    older than ``STALE_AFTER_S``, nobody connected); a run going on beside this one
    keeps its own, which are younger."""
    now = int(time.time())
    with admin.connect() as c:
        names = c.execute(text(
            "SELECT d.datname FROM pg_database d WHERE d.datname ~ '^(cdtmpl_[a-z]+|t)_[0-9]+_[0-9a-f]{8}$' "
            "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"
        )).scalars().all()
        stale = [n for n in names if now - int(n.rsplit("_", 2)[1]) > STALE_AFTER_S]
        for name in stale:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return stale


class Templates:
    """Databases built once a session and copied for each test that wants one.

    Two kinds: ``"schema"`` (the tables, stamped at the newest migration and marked as a
    CounterDesk database) and ``"demo"`` (that plus the demo hall). A SQLite test gets a
    copy of the template file (SQLite's backup API); a PostgreSQL test gets a database of
    its own made with ``CREATE DATABASE … TEMPLATE`` (a file copy on the server), in
    the ``public`` schema as a hall has it. Building the demo hall takes about a second;
    a copy takes milliseconds. A server login without CREATEDB falls back to building
    in a schema of its own for each test.

    The demo hall is dated from the clock (bills a few months back, complaints some hours
    ago), so its template is keyed by the clock a test has set before asking for it (a
    module that pins its day gets the demo seeded on that day, whatever ran first), or
    by the real date when the clock runs.
    """

    def __init__(self, folder):
        self.folder = folder
        self.files: dict[tuple, object] = {}
        self.pg: dict[tuple, str] = {}
        self.pg_ok: bool | None = None
        self.admin = None

    @staticmethod
    def build(db: Database, kind: str) -> None:
        Base.metadata.create_all(db.engine)
        from counterdesk import schema, setup

        schema.stamp(db)
        setup.mark_database(db)
        if kind == "demo":
            setup.demo(db)

    def _pg_url(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def _admin(self):
        if self.admin is None:
            self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            try:
                drop_stale_databases(self.admin)
            except Exception:  # noqa: BLE001 - a login that may not drop: leave them
                pass
        return self.admin

    @staticmethod
    def key(kind: str) -> tuple:
        if kind != "demo":
            return (kind,)
        if clock._now is None:  # noqa: SLF001 - is the clock pinned by the test?
            return (kind, "real", clock.today())
        return (kind, clock.now())

    def _pg_template(self, key: tuple) -> str | None:
        kind = key[0]
        if key not in self.pg and self.pg_ok is not False:
            name = _stamped(f"cdtmpl_{kind}")
            try:
                with self._admin().connect() as c:
                    c.execute(text(f'CREATE DATABASE "{name}"'))
            except Exception:  # noqa: BLE001 - no CREATEDB: one schema per test instead
                self.pg_ok = False
                return None
            self.pg_ok = True
            db = Database(self._pg_url(name))
            try:
                self.build(db, kind)
            finally:
                db.dispose()
            self.pg[key] = name
        return self.pg.get(key)

    def clone(self, db_kind: str, kind: str, tmp_path):
        """(database, drop) for one test: a copy of the ``kind`` template."""
        key = self.key(kind)
        if db_kind == "sqlite":
            import sqlite3

            if key not in self.files:
                path = self.folder / f"{kind}-{len(self.files)}.sqlite3"
                db = _sqlite_db_at(path)
                self.build(db, kind)
                db.dispose()
                self.files[key] = path
            dest = tmp_path / "counterdesk.sqlite3"
            with contextlib.closing(sqlite3.connect(self.files[key])) as src, \
                    contextlib.closing(sqlite3.connect(dest)) as dst:
                src.backup(dst)
            return _sqlite_db_at(dest), lambda: None
        if not PG_URL:
            pytest.skip(PG_SKIP)
        template = self._pg_template(key)
        if template is None:
            db, sch = make_db("postgresql", tmp_path)
            self.build(db, kind)
            return db, sch.drop
        name = _stamped("t")
        with self._admin().connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

        def drop():
            with self._admin().connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return Database(self._pg_url(name)), drop

    def close(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as c:
            for name in self.pg.values():
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    home = tmp_path_factory.mktemp("template-home")
    saved = os.environ.get("COUNTERDESK_HOME")
    os.environ["COUNTERDESK_HOME"] = str(home)  # the demo writes nothing of a test's
    made = Templates(tmp_path_factory.mktemp("templates"))
    try:
        yield made
    finally:
        made.close()
        if saved is None:
            os.environ.pop("COUNTERDESK_HOME", None)
        else:
            os.environ["COUNTERDESK_HOME"] = saved


# Garbage is collected on the main (GUI) thread only, as the application does
# (counterdesk/ui/widgets/gcguard.py): a background job's thread that triggered a collection
# would destroy the Qt objects of closed dialogs off the GUI thread and crash.
gc.disable()
gc.freeze()  # what the imports made lives for the whole run: collections skip it


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():
    """Each test's garbage is collected at its own end, so a file, socket or connection
    it left unclosed fails that test (not a later one, during whose collection it would
    otherwise be found)."""
    yield
    with warnings.catch_warnings(record=True) as left:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    unclosed = [str(w.message) for w in left if issubclass(w.category, ResourceWarning)]
    if unclosed:
        pytest.fail("left unclosed by this test: " + "; ".join(unclosed), pytrace=False)
    gc.freeze()   # what outlived the test is not scanned again by the next tests' collections


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def empty_db(db_kind, tmp_path):
    """A fresh, empty database (no tables) on each engine."""
    db, sch = make_db(db_kind, tmp_path)
    yield db
    _settle_jobs()
    db.dispose()
    if sch:
        sch.drop()


@pytest.fixture
def db(db_kind, tmp_path, request, _templates):
    """A fresh database with the schema of the models, stamped (a template's copy).
    A test that also asks for the demo hall gets the demo template's copy instead."""
    demo = "demo_db" in request.fixturenames
    made, drop = _templates.clone(db_kind, "demo" if demo else "schema", tmp_path)
    made.test_demo_seeded = demo
    yield made
    _settle_jobs()
    made.dispose()
    drop()


@pytest.fixture
def demo_db(db):
    """The demo hall: windows 1-6, services A-D, staff 1001-1006 (123456), 9001 (888888)."""
    if not getattr(db, "test_demo_seeded", False):
        from counterdesk import setup

        setup.demo(db)
    return db


@pytest.fixture
def sqlite_db(tmp_path, _templates):
    db, _ = _templates.clone("sqlite", "schema", tmp_path)
    yield db
    _settle_jobs()
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

from tests.helpers.printer import PrinterListener  # noqa: E402 - the stand-in printer


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


# Fixtures of helper modules, shared by every test folder (a test module that imported them
# would redefine them as its test functions' parameters).
from tests.helpers.quality_hall import qclerk, qdb  # noqa: E402, F401  (fixtures, see above)

# The drills: fault, failover, concurrency and soak drills, the benchmark scripts run at a
# tiny size, and anything marked slow: they start processes, proxies or servers.
# `tools/dev.py test` runs them as a second stage after the suite (both in CI);
# `pytest -m "not drill"` is the quick suite a developer runs.
_DRILL_FOLDERS = ("faults", "concurrency", "soak")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (item.path.parent.name in _DRILL_FOLDERS or item.originalname.startswith("test_bench")
                or item.get_closest_marker("slow") or item.get_closest_marker("soak")):
            item.add_marker(pytest.mark.drill)
