"""The head of the audit chain kept in a backup file, as an anchor for ``audit verify``.

A backup is a copy outside the database: if the chain in the live database still has
the backup's head event with the same hash, nothing up to that point was rewritten.
SQLite backups are read directly; PostgreSQL custom-format dumps through ``pg_restore``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from ..errors import CounterDeskError, ValidationError


def backup_head(path: str | Path) -> tuple[int, str]:
    """(seq, hash) of the audit head stored in a backup file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise ValidationError(f"无法读取备份文件 {path}：{exc.strerror or exc}",
                              f"Cannot read the backup {path}: {exc}", field="against") from exc
    if magic == b"SQLite format 3\x00":
        return _sqlite_head(path)
    from ..backup import container, hallkey  # a sealed backup (.cdbak): opened with the hall key

    if container.is_container(path):
        header = container.header_of(path)
        key = hallkey.load(header.hall) if header.encrypted else None
        if header.encrypted and key is None:
            raise ValidationError(f"本机没有营业厅 {header.hall} 的备份密钥，无法读取 {path.name}",
                                  f"No backup key of hall {header.hall} on this PC to read "
                                  f"{path.name}", field="against")
        with tempfile.TemporaryDirectory(prefix="counterdesk-anchor-") as tmp:
            plain = Path(tmp) / "plain"
            container.unpack(path, key, plain)   # authenticated to the last byte, or refused
            return backup_head(plain)
    if magic.startswith(b"PGDMP"):
        return _pg_dump_head(path)
    raise ValidationError(f"{path} 不是 CounterDesk 的备份文件", f"{path} is not a CounterDesk "
                          "backup", field="against")


def _sqlite_head(path: Path) -> tuple[int, str]:
    con = sqlite3.connect(str(path))
    try:
        row = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"备份文件 {path} 里没有审计链", f"No audit chain in {path}",
                              field="against") from exc
    finally:
        con.close()
    if row is None:
        raise ValidationError(f"备份文件 {path} 里没有审计链", f"No audit chain in {path}",
                              field="against")
    return int(row[0]), str(row[1])


def _pg_dump_head(path: Path) -> tuple[int, str]:
    exe = shutil.which("pg_restore")
    if exe is None:
        raise CounterDeskError("未找到 pg_restore：读取 PostgreSQL 备份需要本机的 PostgreSQL 客户端工具",
                               "pg_restore not found: reading a PostgreSQL dump needs the "
                               "PostgreSQL client tools on the PATH")
    proc = subprocess.run([exe, "-a", "-t", "audit_head", "-f", "-", str(path)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode != 0:
        raise ValidationError(f"无法读取备份文件 {path}：{proc.stderr.strip()[:200]}",
                              f"Cannot read the backup {path}: {proc.stderr.strip()[:200]}",
                              field="against")
    lines = proc.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "audit_head" in line and "(" in line:
            cols = [c.strip().strip('"') for c in line[line.index("(") + 1:line.index(")")]
                    .split(",")]
            for data in lines[i + 1:]:
                if data == "\\.":
                    break
                vals = dict(zip(cols, data.split("\t"), strict=False))
                if vals.get("id") == "1":
                    return int(vals["seq"]), vals["hash"]
    raise ValidationError(f"备份文件 {path} 里没有审计链", f"No audit chain in {path}",
                          field="against")
