"""The heads of the audit chains kept in a backup file, as anchors for ``audit verify``.

A backup is a copy outside the database: if every hall's chain in the live database still
has the backup's head event of that hall with the same hash, nothing up to that point was
rewritten. A backup from before per-hall chains (revision 0018) has one head, which is
the home chain's (:class:`.check.Anchor` without a hall). SQLite backups are read
directly; PostgreSQL custom-format dumps through ``pg_restore``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from ..errors import CounterDeskError, ValidationError
from .check import Anchor


def backup_heads(path: str | Path) -> list[Anchor]:
    """The audit heads stored in a backup file (a chain with no event yet is left out)."""
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
            return backup_heads(plain)
    if magic.startswith(b"PGDMP"):
        return _pg_dump_head(path)
    raise ValidationError(f"{path} 不是 CounterDesk 的备份文件", f"{path} is not a CounterDesk "
                          "backup", field="against")


def _no_chain(path: Path) -> ValidationError:
    return ValidationError(f"备份文件 {path} 里没有审计链", f"No audit chain in {path}",
                           field="against")


def _anchors(rows: list[tuple[str | None, int, str]], path: Path) -> list[Anchor]:
    if not rows:
        raise _no_chain(path)
    return [Anchor(hall, seq, h) for hall, seq, h in rows if seq > 0]


def _sqlite_head(path: Path) -> list[Anchor]:
    con = sqlite3.connect(str(path))
    try:
        cols = {r[1] for r in con.execute("PRAGMA table_info(audit_head)")}
        if "hall_code" in cols:
            rows = con.execute("SELECT hall_code, seq, hash FROM audit_head").fetchall()
        else:       # before per-hall chains: one head, the home chain's
            rows = [(None, *r) for r in con.execute(
                "SELECT seq, hash FROM audit_head WHERE id = 1").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise _no_chain(path) from exc
    finally:
        con.close()
    return _anchors([(h, int(q), str(x)) for h, q, x in rows], path)


def _pg_dump_head(path: Path) -> list[Anchor]:
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
    rows: list[tuple[str | None, int, str]] = []
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "audit_head" in line and "(" in line:
            cols = [c.strip().strip('"') for c in line[line.index("(") + 1:line.index(")")]
                    .split(",")]
            for data in lines[i + 1:]:
                if data == "\\.":
                    break
                vals = dict(zip(cols, data.split("\t"), strict=False))
                if "hall_code" in vals:
                    rows.append((vals["hall_code"], int(vals["seq"]), vals["hash"]))
                elif vals.get("id") == "1":     # before per-hall chains
                    rows.append((None, int(vals["seq"]), vals["hash"]))
            break
    return _anchors(rows, path)
