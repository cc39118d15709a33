"""The audit log: a hash chain of every business event.

Each event stores ``hash = sha256(prev_hash + canonical_payload)`` where the canonical
payload is the JSON (sorted keys, no spaces, UTF-8) of the event's sequence number,
time, hall, window, staff, kind and data. Appends are serialised through the single
``audit_head`` row, so the chain is linear across every PC of the hall. On PostgreSQL
an append is one statement: it moves the head (taking its row lock) and inserts the
event, with the server computing the SHA-256 over the same bytes Python would, so the
lock that every audited write of the hall waits for is held for that statement and the
commit only. On SQLite the immediate transaction already serialises writers and the
append is a read, an insert and an update.

:mod:`.coverage` puts the content hashes of the business rows an event wrote into its
payload; :mod:`.check` verifies the chain, the rows and the anchors.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, event, insert, select, text, update
from sqlalchemy.orm import Session

from .. import clock
from ..models import AuditEvent, AuditHead
from .coverage import Fetched, Rows, has_pending, row_hashes, take_pending

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON-serialisable in an audit payload: {type(value).__name__}")


# one encoder (building one per call cost more than encoding a payment's payload)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              default=_default)
_STR = json.JSONEncoder(ensure_ascii=False).encode


def canonical_json(data: Any) -> str:
    return _CANONICAL.encode(data)


def spliced_body(seq: int, at: dt.datetime, hall: str, window: int | None, staff: str,
                 kind: str, payload: str) -> str:
    """:func:`_event_body` with the stored payload text put in as it is (equal to it
    whenever the payload is canonical JSON, as :func:`record` writes it): no parsing."""
    return (f'{{"at":"{at.isoformat(timespec="microseconds")}","data":{payload},'
            f'"hall":{_STR(hall)},"kind":{_STR(kind)},"seq":{seq},"staff":{_STR(staff)},'
            f'"window":{"null" if window is None else int(window)}}}')


def _event_body(ev: AuditEvent) -> str:
    return canonical_json({
        "seq": ev.seq, "at": ev.at.isoformat(timespec="microseconds"), "hall": ev.hall_code,
        "window": ev.window, "staff": ev.staff_no, "kind": ev.kind,
        "data": json.loads(ev.payload),
    })


def _body_around_seq(at: dt.datetime, hall: str, window: int | None, staff: str, kind: str,
                     payload: str) -> tuple[str, str]:
    """The canonical body split around the sequence number: ``before + str(seq) + after``
    equals :func:`_event_body` (keys sort as at, data, hall, kind, seq, staff, window)."""
    head = canonical_json({"at": at.isoformat(timespec="microseconds"), "hall": hall,
                           "kind": kind, "data": json.loads(payload)})
    tail = canonical_json({"staff": staff, "window": window})
    return head[:-1] + ',"seq":', "," + tail[1:]


def compute_hash(prev_hash: str, ev: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _event_body(ev)).encode("utf-8")).hexdigest()


_HEAD = AuditHead.__table__
_EVENTS = AuditEvent.__table__
# constant statements with bound parameters: compiled once, then from SQLAlchemy's cache
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
_CREATE_HEAD = insert(_HEAD)
_INSERT_EVENT = insert(_EVENTS)
_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
              .values(seq=bindparam("n_seq"), hash=bindparam("n_hash"),
                      prev_hash=bindparam("n_prev")))
# PostgreSQL (≥ 11 for sha256()): move the head and insert the event in one statement.
# In an UPDATE every right-hand side reads the row before the update, so prev_hash gets
# the old hash and the new hash is sha256(old hash + body) with the new seq spliced in.
_APPEND_PG = text("""
WITH h AS (
    UPDATE audit_head
       SET seq = seq + 1,
           prev_hash = hash,
           hash = encode(sha256(convert_to(
                      hash || CAST(:before AS TEXT) || CAST(seq + 1 AS TEXT)
                      || CAST(:after AS TEXT), 'UTF8')), 'hex')
     WHERE id = 1
 RETURNING seq, prev_hash, hash)
INSERT INTO audit_events (seq, at, hall_code, "window", staff_no, kind, payload,
                          prev_hash, hash)
SELECT h.seq, CAST(:at AS TIMESTAMP), CAST(:hall_code AS VARCHAR),
       CAST(:window AS INTEGER), CAST(:staff_no AS VARCHAR), CAST(:kind AS VARCHAR),
       CAST(:payload AS TEXT), h.prev_hash, h.hash
  FROM h
RETURNING seq, prev_hash, hash""")
_CREATE_HEAD_PG = text("INSERT INTO audit_head (id, seq, hash, prev_hash) "
                       "VALUES (1, 0, :genesis, '') ON CONFLICT (id) DO NOTHING")


def record(session: Session, kind: str, data: dict[str, Any] | None = None, *,
           staff_no: str = "", hall_code: str = "", window: int | None = None,
           at: dt.datetime | None = None, rows: Iterable[Rows | Fetched] = ()) -> AuditEvent:
    """Append an event in the caller's transaction (it commits or rolls back with it).

    The caller's pending changes are flushed first, so the head row is locked only for
    the append itself (see the module doc). The content hashes of the covered rows the
    transaction wrote through the ORM since the last event, and of the ``rows`` named
    by the caller (Core writes), go into the payload under ``"row_hashes"``. The returned
    event is a detached record of what was written (its ``seq`` and ``hash``)."""
    session.flush()
    payload = dict(data or {})
    touched = row_hashes(session, rows, take_pending(session))
    if touched:
        payload["row_hashes"] = touched
    ev = AuditEvent(at=at or clock.now(), hall_code=hall_code or "", window=window,
                    staff_no=staff_no or "", kind=kind, payload=canonical_json(payload))
    if session.get_bind().dialect.name == "postgresql":
        return _append_pg(session, ev)
    row = session.execute(_LOCK_HEAD).first()
    if row is None:
        session.execute(_CREATE_HEAD, {"id": 1, "seq": 0, "hash": GENESIS})
        seq, prev = 0, GENESIS
    else:
        seq, prev = row
    ev.seq, ev.prev_hash = seq + 1, prev
    ev.hash = compute_hash(prev, ev)
    session.execute(_INSERT_EVENT, {"seq": ev.seq, "at": ev.at, "hall_code": ev.hall_code,
                                    "window": ev.window, "staff_no": ev.staff_no,
                                    "kind": ev.kind, "payload": ev.payload,
                                    "prev_hash": ev.prev_hash, "hash": ev.hash})
    session.execute(_MOVE_HEAD, {"n_seq": ev.seq, "n_hash": ev.hash, "n_prev": prev})
    return ev


@event.listens_for(Session, "before_commit")
def _rows_without_event(session: Session) -> None:
    """Covered rows written after the transaction's last event get an event of their own."""
    session.flush()
    if has_pending(session):
        record(session, "audit.rows")


def _append_pg(session: Session, ev: AuditEvent) -> AuditEvent:
    before, after = _body_around_seq(ev.at, ev.hall_code, ev.window, ev.staff_no, ev.kind,
                                     ev.payload)
    params = {"before": before, "after": after, "at": ev.at, "hall_code": ev.hall_code,
              "window": ev.window, "staff_no": ev.staff_no, "kind": ev.kind,
              "payload": ev.payload}
    row = session.execute(_APPEND_PG, params).first()
    if row is None:  # a new database: no head row yet
        session.execute(_CREATE_HEAD_PG, {"genesis": GENESIS})
        row = session.execute(_APPEND_PG, params).one()
    ev.seq, ev.prev_hash, ev.hash = row
    return ev


def head(session: Session) -> tuple[int, str]:
    """The chain's head (sequence number and hash): what a day close anchors."""
    row = session.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    return (int(row[0]), row[1]) if row is not None else (0, GENESIS)
