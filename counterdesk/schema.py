"""Schema versions: Alembic migrations shipped inside the package.

``upgrade`` brings a database to this program's schema, copying an SQLite file to a
backup first; a database whose schema is newer than this program is refused.
"""

from __future__ import annotations

import ast
import functools
import logging
from importlib import resources
from pathlib import Path

from sqlalchemy import inspect, text

from . import __version__, clock
from .db import Database
from .errors import SchemaError

log = logging.getLogger(__name__)


def _config():
    from alembic.config import Config

    cfg = Config()
    location = resources.files("counterdesk") / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


@functools.lru_cache(maxsize=1)
def _graph() -> dict[str, tuple[str, ...]]:
    """revision -> its down revisions, read from the shipped scripts without importing
    Alembic (start-up stays light; Alembic loads only when a migration must run)."""
    graph: dict[str, tuple[str, ...]] = {}
    folder = resources.files("counterdesk") / "migrations" / "versions"
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        values = {}
        for node in ast.parse(entry.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name) and \
                    node.targets[0].id in ("revision", "down_revision"):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        if "revision" in values:
            down = values.get("down_revision")
            graph[values["revision"]] = tuple(down) if isinstance(down, (tuple, list)) \
                else ((down,) if down else ())
    return graph


def heads() -> tuple[str, ...]:
    graph = _graph()
    downs = {d for ds in graph.values() for d in ds}
    return tuple(sorted(r for r in graph if r not in downs))


def head() -> str:
    """The schema version of this program (heads joined with '+' while branches are open)."""
    return "+".join(heads())


def known_revisions() -> set[str]:
    return set(_graph())


def current_heads(db: Database) -> tuple[str, ...]:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return ()
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return tuple(sorted(rows))


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
    from alembic import command

    cfg = _config()
    with db.engine.begin() as conn:
        if db.is_postgres:   # a migration of a big hall may take longer than a service call
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            conn.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    if state == "outdated":
        from .audit.adopt import adopt_pending

        adopt_pending(db)   # rows that predate the chain's row coverage (revision 0016)
    return state


def stamp(db: Database) -> None:
    """Mark a schema made by ``create_all`` (tests) as being at this program's heads."""
    from alembic import command

    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "heads")
