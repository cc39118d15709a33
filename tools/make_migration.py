"""Write a new Alembic migration from the difference between the models and head.

    python tools/make_migration.py "message" [--rev 0002]

    python tools/make_migration.py "queue: priority reason" --rev 0009 --module queue

Runs on a temporary SQLite database migrated to the current head and writes the
difference as the next revision on top of it. With ``--module`` only the tables
defined in ``counterdesk/models/<module>.py`` go into it (while several capabilities
change the schema at once). The capabilities' first branches (0002-0007) were merged
in 0008; history is linear from there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic import command  # noqa: E402

from counterdesk import schema  # noqa: E402
from counterdesk.db import Database  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("message")
    ap.add_argument("--rev", help="revision id, e.g. 0002")
    ap.add_argument("--module", help="only tables of counterdesk.models.<module>")
    ap.add_argument("--depends-on", nargs="*", default=None)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database("sqlite:///" + (Path(tmp) / "m.sqlite3").as_posix())
        cfg = schema._config()
        try:
            schema.upgrade(db)
        except Exception as exc:  # noqa: BLE001 - first migration: nothing to upgrade
            print("note:", exc)
        kwargs = {}
        if a.module:
            import importlib

            from counterdesk.models import Base

            mod = importlib.import_module(f"counterdesk.models.{a.module}")
            own = {t.name for t in Base.metadata.tables.values()
                   if any(getattr(obj, "__table__", None) is t
                          for obj in vars(mod).values()
                          if getattr(obj, "__module__", "") == mod.__name__)}

            def include_object(obj, name, type_, reflected, compare_to):
                table = obj if type_ == "table" else getattr(obj, "table", None)
                return table is None or table.name in own

            cfg.attributes["include_object"] = include_object
            kwargs = {"depends_on": a.depends_on}
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=a.message, autogenerate=True, rev_id=a.rev, **kwargs)
        db.dispose()


if __name__ == "__main__":
    main()
