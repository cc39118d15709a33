"""Schema versions: Alembic migrations shipped inside the package.

``upgrade`` brings a database to this program's schema, copying an SQLite file to a
backup first; a database whose schema is newer than this program is refused.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from . import __version__, clock
from .db import Database
from .errors import SchemaError

log = logging.getLogger(__name__)


def _config() -> Config:
    cfg = Config()
    location = resources.files("counterdesk") / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


def heads() -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory.from_config(_config()).get_heads()))


def head() -> str:
    """The schema version of this program (heads joined with '+' while branches are open)."""
    return "+".join(heads())


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_heads(db: Database) -> tuple[str, ...]:
    with db.engine.connect() as conn:
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def current(db: Database) -> str | None:
    return "+".join(current_heads(db)) or None


def is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def check(db: Database) -> str:
    """Return 'current', 'outdated' or 'empty'; raise if newer or foreign."""
    if is_empty(db):
        return "empty"
    revs = current_heads(db)
    rev = "+".join(revs)
    if not revs:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        raise SchemaError(
            f"{db.display_url} 不是 CounterDesk 数据库（含有其他程序的表：{', '.join(sorted(tables)[:5])}）",
            f"{db.display_url} is not a CounterDesk database")
    if not set(revs) <= known_revisions():
        raise SchemaError(
            f"数据库结构版本 {rev} 比本程序（CounterDesk {__version__}）新，请先升级本机的 CounterDesk",
            f"The database schema ({rev}) is newer than this CounterDesk ({__version__}); "
            "upgrade CounterDesk on this PC first")
    return "current" if set(revs) == set(heads()) else "outdated"


def backup_sqlite_file(db: Database, reason: str = "pre-upgrade") -> Path | None:
    path = db.sqlite_path
    if not path or not Path(path).exists():
        return None
    from .backup import sqlite_copy

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = Path(path).with_name(f"{Path(path).stem}.{reason}-{stamp}.sqlite3")
    sqlite_copy(path, target)
    log.info("database copied to %s before upgrade", target)
    return target


def upgrade(db: Database) -> str:
    """Migrate to head. Returns the state before: 'empty', 'outdated' or 'current'."""
    state = check(db)
    if state == "current":
        return state
    if state == "outdated":
        backup_sqlite_file(db)
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    return state


def stamp(db: Database) -> None:
    """Mark a schema made by ``create_all`` (tests) as being at this program's heads."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "heads")
