"""The database: one engine factory from a URL, transactions, and known faults.

* SQLite (one PC): WAL, foreign keys, ``synchronous=FULL`` (money lives here; NORMAL
  only for a record that can be rebuilt, ``write(durable=False)``), a busy timeout, and ``BEGIN IMMEDIATE`` for write transactions so two processes
  never deadlock upgrading a read lock.
* PostgreSQL (a hall of many PCs) through psycopg 3; concurrency comes from row
  locks and unique constraints, never from timing. The URL may name several hosts
  (libpq multi-host: ``postgresql+psycopg://u@h1:5432,h2:5433/db?target_session_attrs=
  read-write``, issue 24): a new connection goes to whichever of them is the primary
  now, ``pool_pre_ping`` drops the pooled connections to a server that died, and the
  first connection to a different server than before leaves a notice
  (:meth:`Database.take_notice`) that the screens show once. A read-only server (a
  standby, or a server still recovering) is refused for writes with a clear message.

Services take a :class:`Database` and own their transactions::

    with db.write() as s:        # commits at the end, rolls back on error
        ...
    with db.read() as s:
        ...

Operational faults (server unreachable, file locked, disk full) are turned into
:class:`~counterdesk.errors.DatabaseError` subclasses with a plain Chinese message;
anything else propagates as a bug.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from . import i18n
from .errors import (
    DatabaseBusy,
    DatabaseReadOnly,
    DatabaseUnavailable,
    DiskFull,
    SettingsError,
    from_os_error,
)

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000

# PostgreSQL: one silent PC must not freeze the hall (issue 16). Every session waits at
# most LOCK_TIMEOUT for a row lock (then "稍后重试"), a transaction left idle by a PC
# that stopped talking is ended by the server (its locks released) after IDLE_TX_TIMEOUT,
# and both ends probe a silent TCP peer (keepalives, tcp_user_timeout).
PG_SESSION = {
    "lock_timeout": "4s",
    "statement_timeout": "60s",
    "idle_in_transaction_session_timeout": "8s",
    "tcp_keepalives_idle": "5",          # the server probes a silent PC …
    "tcp_keepalives_interval": "2",
    "tcp_keepalives_count": "2",
    "tcp_user_timeout": "8000",          # … and gives up on unacknowledged data (ms)
}
PG_CLIENT_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                        "keepalives_count": 2, "tcp_user_timeout": 8000}


def pg_options(schema: str | None = None) -> str:
    """The libpq ``options`` that set :data:`PG_SESSION` (and the search path)."""
    opts = [f"-c{k}={v}" for k, v in PG_SESSION.items()]
    if schema:
        opts.append(f"-csearch_path={schema}")
    return " ".join(opts)


def display_url(url: str) -> str:
    """The URL without its password, for screens and logs."""
    try:
        u = make_url(_normalise(url))
    except Exception:  # noqa: BLE001 - not a URL at all
        return "<invalid URL>"
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    many = u.query.get("host")
    if many and not isinstance(many, str):  # several hosts: show them as libpq writes them
        rest = {k: v for k, v in u.query.items() if k != "host"}
        shown = u.set(host="hosts-here", query=rest).render_as_string(hide_password=True)
        return shown.replace("hosts-here", ",".join(many), 1)
    return u.render_as_string(hide_password=True)


_MULTI_HOST = re.compile(r"^(?P<scheme>[^:/]+://)(?P<user>[^@/]*@)?(?P<hosts>[^/?@]*,[^/?@]*)"
                         r"(?P<rest>[/?].*)?$")


def _normalise(url: str) -> str:
    """``postgres://`` → ``postgresql+psycopg://``; libpq's multi-host form
    ``h1:5432,h2:5433`` → SQLAlchemy's ``?host=h1:5432&host=h2:5433`` (which psycopg
    receives as libpq's ``host=h1,h2 port=5432,5433``)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    m = _MULTI_HOST.match(url)
    if m and m["scheme"].startswith("postgresql"):
        rest = m["rest"] or "/"
        path, _, query = rest.partition("?")
        hosts = "&".join("host=" + h.strip() for h in m["hosts"].split(",") if h.strip())
        url = (f"{m['scheme']}{m['user'] or ''}{path or '/'}?{hosts}"
               + (f"&{query}" if query else ""))
    return url


_URL_FORMS = "sqlite:///文件路径（单机）或 postgresql://用户@主机:5432/库名（全厅）"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _bad_url(zh: str, en: str) -> SettingsError:
    return SettingsError(zh, en, field="database")


def check_url(url: str) -> str:
    """The URL normalised, or a :class:`SettingsError` naming what is wrong with it and
    what to write instead (one line; nothing is opened or created)."""
    url = _normalise((url or "").strip())
    port = re.match(r"^[\w+]+://(?:[^@/]*@)?[^:/?@]*:([^/?@]*)(?:[/?]|$)", url)
    if port and port.group(1) and not port.group(1).isdigit():
        raise _bad_url(f"数据库地址中的端口 {port.group(1)!r} 不是数字：请改为数字端口，如 5432",
                       f"The port {port.group(1)!r} in the database address is not a number "
                       "(e.g. 5432)")
    if "://" not in url and url and (Path(url).suffix or "/" in url or "\\" in url):
        raise _bad_url(f"数据库地址 {url!r} 是文件路径而不是 URL：本机数据库文件请写为 "
                       f"sqlite:///{Path(url).as_posix()}",
                       f"{url!r} is a file path, not a URL: write sqlite:///{Path(url).as_posix()}")
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL; the cause is named below
        url = re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)   # never show a password
        raise _bad_url(f"数据库地址 {url!r} 无法识别：应写为 {_URL_FORMS}",
                       f"The database address {url!r} is not a URL: write sqlite:///PATH "
                       "or postgresql://USER@HOST:5432/NAME") from None
    backend = u.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise _bad_url(f"不支持的数据库类型 {backend}：CounterDesk 只能使用 SQLite 或 PostgreSQL，"
                       f"请写为 {_URL_FORMS}",
                       f"Unsupported database {backend}: CounterDesk runs on SQLite or "
                       "PostgreSQL only")
    if backend == "sqlite" and u.database and u.database != ":memory:":
        _check_sqlite_file(Path(u.database))
    return url


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise _bad_url(f"数据库地址 {path} 是一个文件夹：请写出数据库文件名，如 "
                       f"{path / 'counterdesk.sqlite3'}",
                       f"The database path {path} is a folder: name the file, e.g. "
                       f"{path / 'counterdesk.sqlite3'}")
    if not path.exists():
        return                      # a new hall: created (with its folder) on first use
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise from_os_error(exc, path) from None
    if head and head != _SQLITE_MAGIC:
        raise _bad_url(f"文件 {path} 不是数据库文件：请检查 --db 或设置文件中的数据库地址",
                       f"{path} is not a database file: check --db or the database address "
                       "in the settings file")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise _bad_url(f"数据库文件 {path} 或其文件夹是只读的：请取消只读属性，或把数据库放到可写的位置",
                       f"The database file {path} (or its folder) is read-only: clear the "
                       "read-only flag or move it somewhere writable")


def hosts(url: str) -> list[str]:
    """The ``host[:port]`` names a PostgreSQL URL lists (one, or several for failover)."""
    u = make_url(_normalise(url))
    many = u.query.get("host")
    if many:
        return [many] if isinstance(many, str) else list(many)
    if u.host:
        return [f"{u.host}:{u.port}" if u.port else u.host]
    return []


def make_engine(url: str, *, schema: str | None = None, echo: bool = False,
                pool_size: int = 5) -> Engine:
    """Create the engine for ``url``; ``schema`` sets the PostgreSQL search_path.

    ``hide_parameters``: SQL parameters (ID numbers, phones…) never appear in error
    messages or logs."""
    url = check_url(url)
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        if u.database and u.database != ":memory:":
            from .settings import refuse_network_sqlite

            refuse_network_sqlite("sqlite:///" + u.database)  # never SQLite over SMB
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _setup_sqlite(engine)
        return engine
    if backend == "postgresql":
        connect_args: dict = {"connect_timeout": 5, "options": pg_options(schema),
                              **PG_CLIENT_KEEPALIVES}
        return create_engine(url, echo=echo, hide_parameters=True, connect_args=connect_args,
                             pool_pre_ping=True,
                             pool_size=pool_size, max_overflow=pool_size)
    raise ValueError(f"unsupported database: {backend}")


def _setup_sqlite(engine: Engine) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        # Take transaction control away from the sqlite3 module: we issue BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every test
        opts = conn.get_execution_options()
        mode = "IMMEDIATE" if opts.get("cd_write") else "DEFERRED"
        # a lazy write (Database.write(durable=False)) commits without syncing the WAL;
        # every other transaction of the connection syncs again (set before BEGIN)
        sync = "NORMAL" if opts.get("cd_lazy_sync") else "FULL"
        info = conn.connection.info
        if info.get("cd_sync", "FULL") != sync:
            conn.exec_driver_sql(f"PRAGMA synchronous={sync}")
            info["cd_sync"] = sync
        conn.exec_driver_sql(f"BEGIN {mode}")


_LOCKED = re.compile(r"database is locked|database table is locked|could not obtain lock|"
                     r"lock timeout|statement timeout|deadlock detected", re.I)
_NOT_A_DB = re.compile(r"file is not a database|file is encrypted", re.I)
_READONLY = re.compile(r"readonly database|read-only file system", re.I)
_CANT_OPEN = re.compile(r"unable to open database file", re.I)
# SQLSTATE 25006 read_only_sql_transaction; a standby, a server still recovering, or a
# connection that libpq refused because target_session_attrs=read-write found none
_READ_ONLY = re.compile(r"read-only transaction|read only transaction|hot standby|"
                        r"in recovery|recovery mode|is read-only", re.I)
_FULL = re.compile(r"database or disk is full|disk full|no space left|could not extend file", re.I)


def translate(exc: BaseException, url: str) -> Exception | None:
    """Map a driver exception to a known operational fault, or ``None`` for a bug."""
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    text = str(exc.orig) if exc.orig is not None else str(exc)
    where = display_url(url)
    if _FULL.search(text):
        return DiskFull(f"数据库磁盘已满（{where}），本次操作未保存。请联系管理员清理空间后重试。",
                        f"The database disk is full ({where}); nothing was saved. "
                        "Ask IT to free space, then retry.")
    if getattr(exc.orig, "sqlstate", None) == "25006" or _READ_ONLY.search(text):
        return DatabaseReadOnly(
            f"数据库服务器 {where} 当前只读（备用服务器或正在恢复），本次操作未保存。"
            "请稍候重试；若持续出现，请联系管理员确认主服务器。",
            f"The database server {where} is read-only (a standby, or still recovering); "
            "nothing was saved. Retry shortly; if it persists, ask IT which server is the "
            "primary.")
    if _NOT_A_DB.search(text):
        return SettingsError(f"{where} 不是数据库文件：请检查 --db 或设置文件中的数据库地址",
                             f"{where} is not a database file: check the database address")
    if _READONLY.search(text):
        return SettingsError(f"数据库 {where} 是只读的，本次操作未保存：请取消只读属性或换可写的位置",
                             f"The database {where} is read-only; nothing was saved")
    if _CANT_OPEN.search(text):
        return SettingsError(f"无法打开数据库文件 {where}：请检查文件夹是否存在、是否有写权限",
                             f"Cannot open the database file {where}: check the folder exists "
                             "and is writable")
    if _LOCKED.search(text):
        return DatabaseBusy(f"数据库正忙（{where}），本次操作未保存，请稍后重试。",
                            f"The database is busy ({where}); nothing was saved. Retry shortly.")
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)) or \
            exc.connection_invalidated:
        return DatabaseUnavailable(
            f"无法连接数据库 {where}，本次操作未保存。请检查网络或数据库服务后重试。",
            f"Cannot reach the database {where}; nothing was saved. "
            "Check the network or the database server, then retry.")
    return None


_LAZY_COMMIT_PG = text("SET LOCAL synchronous_commit TO OFF")
SERVICE_DEADLINE_S = 15.0   # a payment or a ticket takes milliseconds; lock waits ≤ 4 s


def _cut(dbapi_conn) -> None:
    """Shut the socket of a connection whose reply will not come (a silent network): the
    waiting call fails at once. The socket is shut down, not closed: the driver owns it."""
    try:
        fd = dbapi_conn.pgconn.socket
        sock = socket.socket(fileno=fd)
    except Exception:  # noqa: BLE001 - already closed: nothing to cut
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()
    log.warning("database transaction past its deadline: connection cut")


class Database:
    """An engine plus the way CounterDesk runs transactions on it."""

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False,
                 engine: Engine | None = None, pool_size: int = 5):
        self.url = _normalise(url) if engine is not None else check_url(url)
        self.schema = schema
        self.engine = engine or make_engine(self.url, schema=schema, echo=echo,
                                            pool_size=pool_size)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(cd_write=True),
                                    expire_on_commit=False)
        self._lazy_writer = sessionmaker(
            self.engine.execution_options(cd_write=True, cd_lazy_sync=True),
            expire_on_commit=False)
        self.server: str | None = None       # host:port of the last new connection
        self._notice: str | None = None
        if self.is_postgres:
            event.listen(self.engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_conn, _record) -> None:
        """Remember which server a new connection reached; a different one than before
        (a standby promoted after the primary died) leaves a notice for the screens."""
        info = getattr(dbapi_conn, "info", None)
        server = f"{getattr(info, 'host', '')}:{getattr(info, 'port', '')}"
        if self.server is not None and server != self.server:
            log.warning("database server changed: %s -> %s", self.server, server)
            self._notice = i18n.pick(
                f"数据库已切换到服务器 {server}（原服务器 {self.server} 不可用），可继续办理。"
                "切换前未显示成功的操作请核对后再办。",
                f"The database switched to server {server} ({self.server} is down); carry "
                "on. Check any operation not shown as done before the switch.")
        self.server = server

    def take_notice(self) -> str | None:
        """The failover notice, once (``None`` when nothing changed since last asked)."""
        notice, self._notice = self._notice, None
        return notice

    # -- properties -----------------------------------------------------------------
    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    @property
    def sqlite_path(self) -> str | None:
        if not self.is_sqlite:
            return None
        db = self.engine.url.database
        return None if db in (None, "", ":memory:") else db

    # -- transactions -----------------------------------------------------------------
    @contextlib.contextmanager
    def write(self, *, deadline_s: float | None = None, durable: bool = True
              ) -> Iterator[Session]:
        """A read-write transaction, committed on success, rolled back on any error.

        ``deadline_s`` (PostgreSQL): if the transaction, COMMIT included, has not ended by
        then — the network went silent and no reply will come — its connection is cut so
        the call fails (:class:`DatabaseUnavailable`) instead of hanging; money paths pass
        :data:`SERVICE_DEADLINE_S` and then look their request key up.

        ``durable=False``: only for a record that can be rebuilt from elsewhere (that an IC
        card was written: the next read of the card says so). Its COMMIT does not wait for
        the disk (SQLite ``synchronous=NORMAL`` in WAL, PostgreSQL ``synchronous_commit
        off``): a power cut may lose it, never corrupt or reorder it — a later durable
        commit makes it durable too. Never for money."""
        with self._guard():
            with (self._writer if durable else self._lazy_writer)() as session:
                timer = None
                try:
                    with session.begin():   # the deadline covers the COMMIT too
                        if not durable and self.is_postgres:
                            session.execute(_LAZY_COMMIT_PG)
                        if deadline_s is not None and self.is_postgres:
                            dbapi = session.connection().connection.dbapi_connection
                            timer = threading.Timer(deadline_s, _cut, args=(dbapi,))
                            timer.daemon = True
                            timer.start()
                        yield session
                finally:
                    if timer is not None:
                        timer.cancel()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._guard():
            with self._reader() as session:
                with session.begin():
                    yield session

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.DBAPIError as exc:
            known = translate(exc, self.url)
            if known is None:
                raise
            log.warning("database fault: %s", type(known).__name__)
            raise known from exc

    def ping(self) -> None:
        """Raise a :class:`DatabaseError` if the database does not answer."""
        from sqlalchemy import text

        with self.read() as s:
            s.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
