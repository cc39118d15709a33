"""What the benchmarks share: a scratch PostgreSQL schema and a fresh database for one run.

A benchmark imports it after putting the repository root on ``sys.path``
(``from bench import benchdb``), the way it imports ``counterdesk``.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server at ``url``, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = "bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@contextmanager
def fresh_database(folder: Path | str | None = None, pg_url: str | None = None, *,
                   file: str = "bench.sqlite3", demo: bool = True):
    """A database with this program's tables (stamped at the current revision; with
    ``demo`` the demo hall, staff and price list too): a scratch schema on ``pg_url``, else
    the SQLite ``file`` in ``folder`` (a temporary folder when ``None``). Disposed, and
    the schema or temporary folder removed, afterwards."""
    from counterdesk import schema, setup
    from counterdesk.db import Database
    from counterdesk.models import Base

    with tempfile.TemporaryDirectory() if folder is None else nullcontext(folder) as where, \
            pg_schema(pg_url) if pg_url else nullcontext() as name:
        if pg_url:
            db = Database(pg_url, schema=name)
        else:
            db = Database("sqlite:///" + (Path(where) / file).as_posix())
        try:
            Base.metadata.create_all(db.engine)
            schema.stamp(db)
            if demo:
                setup.mark_database(db)
                setup.demo(db)
            yield db
        finally:
            db.dispose()


__all__ = ["fresh_database", "pg_schema"]
