"""What backing up and restoring means on each engine.

SQLite: the online backup API (a consistent copy while other windows keep working); a
restore copies the checked file into the live one in a single step of the same API (one
write transaction of the destination: all pages or none). PostgreSQL: ``pg_dump`` in
custom format streamed into the sealed file; a restore runs ``pg_restore
--single-transaction`` (every DROP and CREATE in one transaction: all or nothing). Files
are always opened by path, never through a ``file:`` URI (``#``, ``%``, UNC paths).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ..db import Database
from ..errors import Conflict, CounterDeskError, ValidationError

MARKER_KEY = "application"
MARKER_VALUE = "CounterDesk"


def sqlite_copy(source: str | Path, target: str | Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


def _refuse(name: str, zh: str, en: str) -> ValidationError:
    return ValidationError(f"{name} {zh}，未做任何改动", f"{name} {en}; nothing changed",
                           field="file")


def _ro(path: Path) -> sqlite3.Connection:
    """Open a file read-only without a URI (issue 17.7): a connection that is never
    written (query_only) on a path as given."""
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA query_only=ON")
    return con


def is_counterdesk_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        con = _ro(Path(path))
        try:
            row = con.execute("SELECT value FROM meta WHERE key=?", (MARKER_KEY,)).fetchone()
            return bool(row and row[0] == MARKER_VALUE)
        finally:
            con.close()
    except (OSError, sqlite3.DatabaseError):
        return False


def check_sqlite(path: Path, name: str) -> tuple[str, ...]:
    """Check a plain SQLite backup completely; return its schema revisions."""
    if not is_counterdesk_sqlite(path):
        raise _refuse(name, "不是 CounterDesk 的备份文件", "is not a CounterDesk backup")
    con = _ro(path)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()
        if not ok or ok[0] != "ok":
            raise _refuse(name, "已损坏（数据库完整性检查未通过）", "is damaged (integrity check)")
        return tuple(sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version")))
    except sqlite3.DatabaseError as exc:
        raise _refuse(name, "已损坏或不完整", "is damaged or incomplete") from exc
    finally:
        con.close()


def sqlite_revisions(path: str | Path) -> tuple[str, ...]:
    con = _ro(Path(path))
    try:
        return tuple(sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version")))
    finally:
        con.close()


def sqlite_chunks(db: Database, workdir: Path) -> Iterator[bytes]:
    """A consistent copy of the live SQLite file, in chunks (the plain copy lives only in
    ``workdir``, a private temporary folder, and is removed by the caller)."""
    if not db.sqlite_path:
        raise CounterDeskError("内存数据库无法备份", "An in-memory database cannot be backed up")
    plain = sqlite_copy(db.sqlite_path, workdir / "copy.sqlite3")
    with open(plain, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def sqlite_apply(db: Database, plain: Path) -> None:
    target = db.sqlite_path
    if not target:
        raise CounterDeskError("内存数据库无法恢复", "Cannot restore into an in-memory database")
    db.dispose()
    src = sqlite3.connect(str(plain))
    try:
        dst = sqlite3.connect(str(target), timeout=10)
        try:
            src.backup(dst)  # pages=-1: one step, one write transaction of the target
        finally:
            dst.close()
    finally:
        src.close()


# -- PostgreSQL ------------------------------------------------------------------------
def _pg_args(db: Database) -> tuple[list[str], dict]:
    u = make_url(db.url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    env = {"PGCONNECT_TIMEOUT": "10"}
    if u.password:
        env["PGPASSWORD"] = u.password  # the environment of the child, never its command line
    return args + ["-d", u.database or "postgres"], env


def _pg_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise CounterDeskError(
            f"未找到 {name}：PostgreSQL 数据库的备份与恢复需要在本机安装 PostgreSQL 客户端工具并加入 PATH",
            f"{name} not found: backing up a PostgreSQL database needs the PostgreSQL client "
            "tools on the PATH")
    return exe


def _run(cmd: list[str], env: dict, what: str, **kw) -> subprocess.CompletedProcess:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
    # never a password prompt (-w on the callers' command lines, no stdin), no console window
    proc = subprocess.run(cmd, capture_output=True, env={**os.environ, **env}, check=False,
                          stdin=subprocess.DEVNULL, creationflags=flags, **kw)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()[:300]
        raise CounterDeskError(f"{what} 失败，未做任何改动：{err}", f"{what} failed; nothing "
                               f"changed: {err}")
    return proc


def pg_chunks(db: Database) -> Iterator[bytes]:
    """``pg_dump -Fc`` of the hall's database, streamed (nothing plain on disk)."""
    exe = _pg_tool("pg_dump")
    args, env = _pg_args(db)
    if db.schema:
        args += ["-n", db.schema]
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    with subprocess.Popen([exe, "-w", "-Fc", *args], stdout=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env={**os.environ, **env}, creationflags=flags) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        try:
            while chunk := proc.stdout.read(1 << 20):
                yield chunk
        finally:
            err = proc.stderr.read().decode("utf-8", "replace").strip()[:300]
            code = proc.wait()
    if code != 0:
        raise CounterDeskError(f"pg_dump 失败：{err}", f"pg_dump failed: {err}")


def check_pg_dump(db: Database, path: Path, name: str) -> tuple[str, ...]:
    """Read a plain dump to its end (``pg_restore`` into nothing) and return its schema
    revisions; refuse one that is not ours."""
    with open(path, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise _refuse(name, "不是 CounterDesk 的 PostgreSQL 备份", "is not a CounterDesk "
                          "PostgreSQL backup")
    exe = _pg_tool("pg_restore")
    try:
        _run([exe, "-f", os.devnull, str(path)], {}, "pg_restore")
    except CounterDeskError as exc:
        raise _refuse(name, "已损坏或不完整（无法读到末尾）", "is damaged or incomplete") from exc
    out = _run([exe, "-a", "-t", "alembic_version", "-t", "meta", "-f", "-", str(path)], {},
               "pg_restore").stdout.decode("utf-8", "replace")
    revs, marker, table = [], False, None
    for line in out.splitlines():
        if line.startswith("COPY "):
            table = line.split()[1].split(".")[-1].strip('"')
            continue
        if line == "\\.":
            table = None
        elif table == "alembic_version":
            revs.append(line.strip())
        elif table == "meta" and line.split("\t")[:2] == [MARKER_KEY, MARKER_VALUE]:
            marker = True
    if not marker or not revs:
        raise _refuse(name, "不是 CounterDesk 的备份文件", "is not a CounterDesk backup")
    return tuple(sorted(revs))


def _admin_engine(db: Database):
    return create_engine(db.url, poolclass=NullPool, connect_args={"connect_timeout": 5})


def pg_other_sessions(db: Database) -> int:
    """Sessions of other programs (other PCs) on the hall's database."""
    eng = _admin_engine(db)
    try:
        with eng.connect() as c:
            return int(c.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).scalar())
    finally:
        eng.dispose()


def pg_apply(db: Database, plain: Path) -> None:
    db.dispose()
    others = pg_other_sessions(db)
    if others:
        raise Conflict(f"还有 {others} 个连接在使用营业厅数据库（其他电脑上的 CounterDesk）；"
                       "请先退出所有窗口、取号机和叫号屏，再恢复。未做任何改动",
                       f"{others} other sessions use the hall's database (CounterDesk on other "
                       "PCs); close every window, kiosk and display first. Nothing changed")
    exe = _pg_tool("pg_restore")
    args, env = _pg_args(db)
    _run([exe, "-w", "--single-transaction", "--exit-on-error", "--clean", "--if-exists",
          "--no-owner", "--no-privileges", *args, str(plain)], env, "pg_restore")
