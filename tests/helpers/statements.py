"""The SQL statements a call sends (lower-cased, whitespace folded): what a service costs
the database, counted rather than timed (the times are bench/'s)."""

from __future__ import annotations

from sqlalchemy import event


def statements(db, fn) -> list[str]:
    log: list[str] = []

    def seen(_conn, _cursor, statement, _params, _context, _many):
        log.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return log
