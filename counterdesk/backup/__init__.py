"""Backups of the business data: sealed with the hall's key, checked completely before a
restore, and restored all or nothing (issues 16.4 and 23).

``backup(db, hall_code=…)`` writes ``<backup folder>/<hall>/<kind>/….cdbak`` (see
:mod:`.files`); ``restore(db, file, …)`` in :mod:`.restore`; the hall key in
:mod:`.hallkey`; the file format in :mod:`.container`.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import text

from .. import __version__, clock
from ..db import Database
from ..errors import ValidationError
from . import container, files, hallkey
from .engines import MARKER_KEY, MARKER_VALUE, is_counterdesk_sqlite, sqlite_copy
from .restore import RestoreResult, inspect, restore

log = logging.getLogger(__name__)


def hall_of(db: Database) -> str:
    """The code of the (first) hall in the database, for naming a backup."""
    try:
        with db.read() as s:
            code = s.execute(text("SELECT code FROM halls ORDER BY id")).scalar()
    except Exception:  # noqa: BLE001 - an empty or damaged database still gets a name
        code = None
    return code or "HALL"


def keep_days(db: Database, hall_code: str) -> int:
    """The hall's retention (policy ``backup.keep_days``)."""
    from .. import policy
    from ..hall import get as get_hall

    with db.read() as s:
        return int(policy.get(s, get_hall(s, hall_code).id, "backup.keep_days"))


def backup(db: Database, target: str | Path | None = None, *, directory: Path | None = None,
           hall_code: str | None = None, reason: str = "manual", encrypt: bool = True,
           keep_days: int | None = None, keep_min: int = 3) -> Path:
    """Write a sealed backup and return its path.

    Without ``target`` it goes to ``directory/<hall>/<reason>/`` under a name that says
    what it is; ``keep_days`` then prunes that folder. ``encrypt=False`` (an administrator,
    for migration, explicitly) writes the same format unsealed, ``UNENCRYPTED`` in its name.
    """
    from .. import schema

    hall_code = hall_code or hall_of(db)
    if target is not None:
        target = Path(target)
        if not target.parent.is_dir():  # a mistyped folder is named, not created
            raise ValidationError(f"备份文件夹不存在：{target.parent}",
                                  f"The backup folder does not exist: {target.parent}",
                                  field="file")
    else:
        where = files.folder(Path(directory) if directory else Path("."), hall_code, reason)
        where.mkdir(parents=True, exist_ok=True)
        target = files.unique(where / files.name(hall_code, reason, encrypted=encrypt))
    key = hallkey.ensure(hall_code)[0] if encrypt else None
    header = container.Header(
        engine="sqlite" if db.is_sqlite else "postgresql", schema=schema.current(db) or "",
        hall=hall_code, reason=reason, created=clock.now().isoformat(timespec="seconds"),
        encrypted=key is not None, key_id=hallkey.fingerprint(key) if key else "",
        nonce=container.new_nonce() if key else "", app=__version__)
    part = target.with_name(target.name + ".part")
    work = Path(tempfile.mkdtemp(prefix="cdbak-"))
    try:
        from . import engines

        chunks = engines.sqlite_chunks(db, work) if db.is_sqlite else engines.pg_chunks(db)
        with open(part, "wb") as out:
            container.write(out, header, chunks, key)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    if not encrypt:
        log.warning("an UNENCRYPTED backup was written: %s", target.name)
    if keep_days is not None:
        files.write_readme(target.parent, hall_code, reason, keep_days, keep_min)
        files.prune(target.parent, keep_days, keep_min)
    return target


__all__ = ["MARKER_KEY", "MARKER_VALUE", "RestoreResult", "backup", "container", "files",
           "hall_of", "hallkey", "inspect", "is_counterdesk_sqlite", "keep_days", "restore",
           "sqlite_copy"]
