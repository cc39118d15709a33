"""Backups of the business data.

SQLite: the online backup API (a consistent copy while other windows keep working).
PostgreSQL: ``pg_dump`` when it is on the PATH (custom format), otherwise a clear
message. ``restore`` refuses a file that is not a CounterDesk database and keeps a
copy of the database it replaces.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from . import clock
from .db import Database
from .errors import CounterDeskError, ValidationError

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


def default_name(db: Database, reason: str = "manual") -> str:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    ext = "sqlite3" if db.is_sqlite else "dump"
    return f"counterdesk-{reason}-{stamp}.{ext}"


def backup(db: Database, target: str | Path | None = None, *, directory: Path | None = None,
           reason: str = "manual", keep: int | None = None) -> Path:
    """Write a backup; return its path. ``keep`` prunes older backups of the same reason."""
    if target is None:
        directory = Path(directory) if directory else Path(".")
        target = directory / default_name(db, reason)
    target = Path(target)
    if db.is_sqlite:
        if not db.sqlite_path:
            raise CounterDeskError("内存数据库无法备份", "An in-memory database cannot be backed up")
        sqlite_copy(db.sqlite_path, target)
    else:
        _pg_dump(db, target)
    if keep:
        prune(target.parent, reason, keep)
    return target


def prune(directory: Path, reason: str, keep: int) -> list[Path]:
    files = sorted(directory.glob(f"counterdesk-{reason}-*"), key=lambda p: p.name)
    old = files[:-keep] if keep > 0 else []
    for p in old:
        p.unlink(missing_ok=True)
    return old


def _pg_args(db: Database) -> tuple[list[str], dict]:
    u = make_url(db.url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    env = {}
    if u.password:
        env["PGPASSWORD"] = u.password
    return args + ["-d", u.database or "postgres"], env


def _pg_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise CounterDeskError(
            f"未找到 {name}：PostgreSQL 数据库的备份需要在本机安装 PostgreSQL 客户端工具并加入 PATH",
            f"{name} not found: backing up a PostgreSQL database needs the PostgreSQL client "
            "tools on the PATH")
    return exe


def _pg_run_options(env: dict) -> dict:
    """How pg_dump/pg_restore are started (issue 17.5/17.10): never a password prompt
    (``-w`` on the command line), no console window from the windowed program, and their
    messages (in the server's or the PC's code page) decoded without ever failing."""
    import os

    from .platform import windows

    return {"capture_output": True, "text": True, "encoding": "utf-8", "errors": "replace",
            "env": {**os.environ, **env}, "check": False, "stdin": subprocess.DEVNULL,
            "creationflags": windows.NO_WINDOW}


def _pg_dump(db: Database, target: Path) -> None:
    exe = _pg_tool("pg_dump")
    args, env = _pg_args(db)
    if db.schema:
        args += ["-n", db.schema]
    target.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([exe, "-w", "-Fc", "-f", str(target), *args], **_pg_run_options(env))
    if proc.returncode != 0:
        raise CounterDeskError(f"pg_dump 失败：{proc.stderr.strip()[:200]}",
                               f"pg_dump failed: {proc.stderr.strip()[:200]}")


def is_counterdesk_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        # A plain path, never a file: URI (a UNC path, '#' or '%' in a folder name would be
        # misread; issue 17.7); read-only by pragma.
        con = sqlite3.connect(str(path))
        try:
            con.execute("PRAGMA query_only=ON")
            row = con.execute("SELECT value FROM meta WHERE key=?", (MARKER_KEY,)).fetchone()
            return bool(row and row[0] == MARKER_VALUE)
        finally:
            con.close()
    except (OSError, sqlite3.DatabaseError):
        return False


def restore(db: Database, source: str | Path) -> Path | None:
    """Replace the database's content with the backup ``source``.

    Returns the safety copy made of the current SQLite database (or ``None``).
    """
    source = Path(source)
    if not source.exists():
        raise ValidationError(f"备份文件不存在：{source}", f"Backup file not found: {source}",
                              field="file")
    if db.is_sqlite:
        if not is_counterdesk_sqlite(source):
            raise ValidationError(f"{source.name} 不是 CounterDesk 的备份文件，未做任何改动",
                                  f"{source.name} is not a CounterDesk backup; nothing changed",
                                  field="file")
        target = db.sqlite_path
        if not target:
            raise CounterDeskError("内存数据库无法恢复", "Cannot restore into an in-memory database")
        safety = None
        if Path(target).exists():
            safety = Path(target).with_name(
                f"{Path(target).stem}.pre-restore-{clock.now():%Y%m%d-%H%M%S}.sqlite3")
            sqlite_copy(target, safety)
        db.dispose()
        src = sqlite3.connect(str(source))
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return safety
    with open(source, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise ValidationError(f"{source.name} 不是 CounterDesk 的 PostgreSQL 备份，未做任何改动",
                                  f"{source.name} is not a CounterDesk PostgreSQL backup; "
                                  "nothing changed", field="file")
    exe = _pg_tool("pg_restore")
    args, env = _pg_args(db)
    db.dispose()
    proc = subprocess.run([exe, "-w", "--clean", "--if-exists", "--no-owner", *args, str(source)],
                          **_pg_run_options(env))
    if proc.returncode != 0:
        raise CounterDeskError(f"pg_restore 失败：{proc.stderr.strip()[:200]}",
                               f"pg_restore failed: {proc.stderr.strip()[:200]}")
    return None
