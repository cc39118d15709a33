"""Restore: all or nothing, on both engines (issue 16.4).

1. The file is checked completely before anything changes: ours, sealed with this hall's
   key (or explicitly unencrypted), readable to its end, a schema not newer than this
   program.
2. Nobody else may be connected (PostgreSQL: other sessions of the hall's database).
3. The database as it is now is backed up (``pre-restore``) and kept.
4. The restore runs in one transaction (SQLite: one step of the backup API; PostgreSQL:
   ``pg_restore --single-transaction``).
5. Receipt numbers: the counter of each year moves past the last number customers hold
   (the one the administrator read on paper, or the counter of the database just
   replaced); the numbers between are recorded as lost in restore (reported by the next
   day close). The restore is recorded in the audit log.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, text, update
from sqlalchemy import inspect as sa_inspect

from .. import __version__, audit, clock
from ..db import Database
from ..errors import SchemaError, ValidationError
from . import container, engines, hallkey

_RECEIPT = re.compile(r"^\s*(\d{4})-(\d{1,9})\s*$")


@dataclass
class RestoreResult:
    source: str
    previous: str | None
    created: str
    revision: str
    encrypted: bool
    skipped: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def parse_last_receipt(value: str | None) -> dict[int, int] | None:
    """``2026-000123`` → {2026: 123}; ``0`` / ``none`` → {} (no receipt since the backup)."""
    if value is None:
        return None
    if value.strip().lower() in ("0", "none", "无"):
        return {}
    m = _RECEIPT.match(value)
    if not m:
        raise ValidationError(f"最后票据号 {value!r} 格式不对：应为 年-序号，如 2026-000123",
                              f"Last receipt number {value!r}: expected YEAR-NUMBER, e.g. "
                              "2026-000123", field="last_receipt")
    return {int(m.group(1)): int(m.group(2))}


def inspect(source: str | Path) -> container.Header | None:
    """The header of a sealed backup (``None`` for a plain database file)."""
    source = Path(source)
    return container.header_of(source) if container.is_container(source) else None


def _refuse(zh: str, en: str, fld: str = "file") -> ValidationError:
    return ValidationError(zh + "，未做任何改动", en + "; nothing changed", field=fld)


def _unpack(db: Database, source: Path, plain: Path, allow_unencrypted: bool,
            hall_code: str) -> tuple[container.Header | None, str]:
    name = source.name
    header = inspect(source)
    if header is None:  # a plain database file (made before backups were sealed)
        with open(source, "rb") as fh:
            magic = fh.read(16)
        engine = "sqlite" if magic.startswith(b"SQLite format 3") else \
            "postgresql" if magic.startswith(b"PGDMP") else ""
        if not engine or (engine == "sqlite" and not engines.is_counterdesk_sqlite(source)):
            raise _refuse(f"{name} 不是 CounterDesk 的备份文件", f"{name} is not a CounterDesk backup")
        if not allow_unencrypted:
            raise _refuse(f"{name} 是未加密的备份：须由管理员明确加 --unencrypted 才能恢复",
                          f"{name} is not encrypted: an administrator must add --unencrypted")
        shutil.copyfile(source, plain)
        return None, engine
    if header.encrypted:
        key = hallkey.load(header.hall or hall_code)
        if key is None:
            raise _refuse(f"本机没有营业厅 {header.hall} 的备份密钥（编号 {header.key_id}）：请先用 "
                          "counterdesk backup key-import 输入密钥恢复单上的密钥",
                          f"This PC has no backup key of hall {header.hall} ({header.key_id}): "
                          "type it from the recovery sheet with counterdesk backup key-import",
                          "key")
        if hallkey.fingerprint(key) != header.key_id:
            raise _refuse(f"{name} 是用另一把密钥加密的（编号 {header.key_id}，本机为 "
                          f"{hallkey.fingerprint(key)}）",
                          f"{name} was sealed with another key ({header.key_id}, this PC has "
                          f"{hallkey.fingerprint(key)})", "key")
    elif not allow_unencrypted:
        raise _refuse(f"{name} 是未加密的备份：须由管理员明确加 --unencrypted 才能恢复",
                      f"{name} is not encrypted: an administrator must add --unencrypted")
    else:
        key = None
    container.unpack(source, key, plain)  # authenticated to the last byte, or refused
    return header, header.engine


def _counters(db: Database, hall_code: str) -> dict[int, int] | None:
    """The receipt counters of the database about to be replaced (``None`` if it has none
    or cannot be read)."""
    try:
        with db.engine.connect() as c:
            if not sa_inspect(c).has_table("counters"):
                return None
            rows = c.execute(text(
                "SELECT c.name, c.value FROM counters c JOIN halls h ON h.id = c.hall_id "
                "WHERE h.code = :code AND c.name LIKE 'receipt:%'"), {"code": hall_code}).all()
    except Exception:  # noqa: BLE001 - a damaged database: the administrator must tell
        return None
    return {int(n.split(":", 1)[1]): int(v) for n, v in rows}


def restore(db: Database, source: str | Path, *, hall_code: str | None = None,
            staff_no: str = "", last_receipt: str | None = None,
            allow_unencrypted: bool = False, backup_dir: Path | None = None) -> RestoreResult:
    """Replace the database's content with the backup ``source``, all or nothing."""
    from .. import schema
    from . import backup, hall_of

    source = Path(source)
    if not source.is_file():
        raise ValidationError(f"备份文件不存在：{source}", f"Backup file not found: {source}",
                              field="file")
    entered = parse_last_receipt(last_receipt)
    empty = schema.is_empty(db)
    hall_code = hall_code or (hall_of(db) if not empty else "HALL")
    work = Path(tempfile.mkdtemp(prefix="cdrestore-"))
    try:
        plain = work / "restore.plain"
        header, engine = _unpack(db, source, plain, allow_unencrypted, hall_code)
        mine = "sqlite" if db.is_sqlite else "postgresql"
        if engine != mine:
            raise _refuse(f"{source.name} 是 {engine} 数据库的备份，不能恢复到 {mine} 数据库",
                          f"{source.name} is a {engine} backup; this database is {mine}")
        revs = engines.check_sqlite(plain, source.name) if db.is_sqlite else \
            engines.check_pg_dump(db, plain, source.name)
        if not set(revs) <= schema.known_revisions():
            raise SchemaError(
                f"{source.name} 的数据库结构版本 {'+'.join(revs)} 比本程序（CounterDesk "
                f"{__version__}）新：请先升级 CounterDesk，未做任何改动",
                f"{source.name} has schema {'+'.join(revs)}, newer than this CounterDesk "
                f"({__version__}); upgrade CounterDesk first. Nothing changed")
        before = None if empty else _counters(db, hall_code)
        if before is None and entered is None:
            raise _refuse("请填写客户手中最后一张票据的号码（--last-receipt 年-序号，如 2026-000123；"
                          "自备份以来没有开出票据填 0）",
                          "Give the last receipt number customers hold (--last-receipt "
                          "YEAR-NUMBER; 0 if none was issued since the backup)", "last_receipt")
        if db.is_postgres:
            db.dispose()
            others = engines.pg_other_sessions(db)
            if others:
                from ..errors import Conflict

                raise Conflict(f"还有 {others} 个连接在使用营业厅数据库（其他电脑上的 CounterDesk）；"
                               "请先退出所有窗口、取号机和叫号屏，再恢复。未做任何改动",
                               f"{others} other sessions use the hall's database; close "
                               "CounterDesk on every PC first. Nothing changed")
        previous = None
        if not empty:
            from .. import paths

            previous = backup(db, directory=backup_dir or paths.backup_dir(),
                              hall_code=hall_code, reason="pre-restore",
                              encrypt=hallkey.load(hall_code) is not None or
                              header is None or header.encrypted)
        if db.is_sqlite:
            engines.sqlite_apply(db, plain)
        else:
            engines.pg_apply(db, plain)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    db.dispose()
    schema.upgrade(db)  # an older backup is brought to this program's schema
    want = dict(before or {})
    for year, seq in (entered or {}).items():
        want[year] = max(want.get(year, 0), seq)
    skipped = _skip_numbers(db, hall_code, want, staff_no, source.name)
    result = RestoreResult(str(source), str(previous) if previous else None,
                           header.created if header else "", "+".join(revs),
                           bool(header and header.encrypted), skipped)
    with db.write() as s:
        audit.record(s, "backup.restored", {
            "file": source.name, "created": result.created, "encrypted": result.encrypted,
            "key_id": header.key_id if header else "", "schema": result.revision,
            "previous": Path(previous).name if previous else None, "skipped": skipped,
            "at": clock.now()}, staff_no=staff_no, hall_code=hall_code)
    return result


def _skip_numbers(db: Database, hall_code: str, want: dict[int, int], staff_no: str,
                  source: str) -> list[dict]:
    from ..models import Counter, Hall
    from ..models.backup import ReceiptSkip

    out: list[dict] = []
    with db.write() as s:
        hall_id = s.execute(select(Hall.id).where(Hall.code == hall_code)).scalar()
        if hall_id is None:
            return out
        for year, upto in sorted(want.items()):
            name = f"receipt:{year}"
            have = s.execute(select(Counter.value).where(Counter.hall_id == hall_id,
                                                         Counter.name == name)).scalar()
            if have is None:
                if upto <= 0:
                    continue
                s.execute(insert(Counter).values(hall_id=hall_id, name=name, value=upto))
                have = 0
            elif int(have) >= upto:
                continue
            else:
                s.execute(update(Counter).where(Counter.hall_id == hall_id, Counter.name == name)
                          .values(value=upto))
            s.add(ReceiptSkip(hall_id=hall_id, year=year, first_seq=int(have) + 1, last_seq=upto,
                              reason="restore", at=clock.now(), staff_no=staff_no or "",
                              source=source[:200]))
            out.append({"year": year, "first": f"{year}-{int(have) + 1:06d}",
                        "last": f"{year}-{upto:06d}", "count": upto - int(have)})
    return out
