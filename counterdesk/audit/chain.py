"""The audit log: one hash chain of business events per hall.

Each event stores ``hash = sha256(prev_hash + canonical_payload)`` where the canonical
payload is the JSON (sorted keys, no spaces, UTF-8) of the event's sequence number,
time, hall, window, staff, kind and data; ``prev_hash`` is the hash of the previous event
of the same chain and ``seq`` counts within the chain. Every hall has its own chain
(``audit_events.chain`` = the hall's code) and its own head row in ``audit_head``, so a
hall's appends are linear across every PC of the hall and two halls never wait on each
other (issue 24.3). The chain of the hall the database was created with (its first hall,
:func:`home_chain`) also takes the events without a hall (system and administration
events) and holds every event written before revision 0018, when the database had one
chain for all its halls: that history stays verifiable as it was.

On PostgreSQL an append is one statement: it moves the hall's head (taking its row lock)
and inserts the event, with the server computing the SHA-256 over the same bytes Python
would, so the lock that every audited write of the hall waits for is held for that
statement and the commit only. On SQLite the immediate transaction already serialises
writers and the append is two statements: the same move of the head (``UPDATE …
RETURNING``, hashed by a Python function the connection is given) and the event's insert.

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

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from .. import clock
from ..models import AuditEvent, AuditHead, Hall
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
_HALLS = Hall.__table__
# constant statements with bound parameters: compiled once, then from SQLAlchemy's cache
_CREATE_HEAD = insert(_HEAD)
_INSERT_EVENT = insert(_EVENTS)
_HOME = select(_HALLS.c.code).order_by(_HALLS.c.id).limit(1)
# PostgreSQL (≥ 11 for sha256()): move the hall's head and insert the event in one
# statement. In an UPDATE every right-hand side reads the row before the update, so
# prev_hash gets the old hash and the new hash is sha256(old hash + body) with the new
# seq spliced in. The row lock taken is the hall's own: another hall never waits for it.
_APPEND_PG = text("""
WITH h AS (
    UPDATE audit_head
       SET seq = seq + 1,
           prev_hash = hash,
           hash = encode(sha256(convert_to(
                      hash || CAST(:before AS TEXT) || CAST(seq + 1 AS TEXT)
                      || CAST(:after AS TEXT), 'UTF8')), 'hex')
     WHERE hall_code = CAST(:chain AS VARCHAR)
 RETURNING seq, prev_hash, hash)
INSERT INTO audit_events (chain, seq, at, hall_code, "window", staff_no, kind, payload,
                          prev_hash, hash)
SELECT CAST(:chain AS VARCHAR), h.seq, CAST(:at AS TIMESTAMP), CAST(:hall_code AS VARCHAR),
       CAST(:window AS INTEGER), CAST(:staff_no AS VARCHAR), CAST(:kind AS VARCHAR),
       CAST(:payload AS TEXT), h.prev_hash, h.hash
  FROM h
RETURNING seq, prev_hash, hash""")
_CREATE_HEAD_PG = text("INSERT INTO audit_head (hall_code, seq, hash, prev_hash) "
                       "VALUES (:chain, 0, :genesis, '') ON CONFLICT (hall_code) DO NOTHING")
# SQLite (≥ 3.35 for RETURNING): the same move of the head, hashed by a Python function
# the connection is given on first use (:func:`_append_sqlite`)
_SQLITE_FN = "cd_audit_sha256"
_APPEND_SQLITE = text(f"""
UPDATE audit_head
   SET seq = seq + 1,
       prev_hash = hash,
       hash = {_SQLITE_FN}(hash || CAST(:before AS TEXT) || CAST(seq + 1 AS TEXT)
                           || CAST(:after AS TEXT))
 WHERE hall_code = :chain
RETURNING seq, prev_hash, hash""")
_LAST_HALL = "audit_last_hall"


def home_chain(session: Session) -> str:
    """The chain of the hall the database was created with (its first hall): it holds the
    events without a hall and every event from before per-hall chains (revision 0018).
    ``""`` while the database has no hall."""
    return session.execute(_HOME).scalar() or ""


def chain_of(session: Session, hall_code: str) -> str:
    """The chain an event of ``hall_code`` goes to: the hall's own, or the home chain."""
    return hall_code or home_chain(session)


def record(session: Session, kind: str, data: dict[str, Any] | None = None, *,
           staff_no: str = "", hall_code: str = "", window: int | None = None,
           at: dt.datetime | None = None, rows: Iterable[Rows | Fetched] = ()) -> AuditEvent:
    """Append an event to its hall's chain in the caller's transaction (it commits or
    rolls back with it); an event without a hall goes to the home chain (:func:`home_chain`).

    The caller's pending changes are flushed first, so the hall's head row is locked only
    for the append itself (see the module doc). The content hashes of the covered rows the
    transaction wrote through the ORM since the last event, and of the ``rows`` named
    by the caller (Core writes), go into the payload under ``"row_hashes"``. The returned
    event is a detached record of what was written (its ``chain``, ``seq`` and ``hash``)."""
    session.flush()
    payload = dict(data or {})
    touched = row_hashes(session, rows, take_pending(session))
    if touched:
        payload["row_hashes"] = touched
    hall_code = hall_code or ""
    ev = AuditEvent(chain=chain_of(session, hall_code), at=at or clock.now(),
                    hall_code=hall_code, window=window, staff_no=staff_no or "", kind=kind,
                    payload=canonical_json(payload))
    if hall_code:
        session.info[_LAST_HALL] = hall_code
    if session.get_bind().dialect.name == "postgresql":
        return _append_pg(session, ev)
    return _append_sqlite(session, ev)


@event.listens_for(Session, "before_commit")
def _rows_without_event(session: Session) -> None:
    """Covered rows written after the transaction's last event get an event of their own."""
    session.flush()
    if has_pending(session):     # in the chain of the transaction's hall, if it named one
        record(session, "audit.rows", hall_code=session.info.get(_LAST_HALL, ""))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_hall(session: Session, *_args) -> None:
    session.info.pop(_LAST_HALL, None)


def _append_pg(session: Session, ev: AuditEvent) -> AuditEvent:
    before, after = _body_around_seq(ev.at, ev.hall_code, ev.window, ev.staff_no, ev.kind,
                                     ev.payload)
    params = {"chain": ev.chain, "before": before, "after": after, "at": ev.at,
              "hall_code": ev.hall_code, "window": ev.window, "staff_no": ev.staff_no,
              "kind": ev.kind, "payload": ev.payload}
    row = session.execute(_APPEND_PG, params).first()
    if row is None:  # the hall's first event: no head row yet
        session.execute(_CREATE_HEAD_PG, {"chain": ev.chain, "genesis": GENESIS})
        row = session.execute(_APPEND_PG, params).one()
    ev.seq, ev.prev_hash, ev.hash = row
    return ev


def _sha256_hex(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def _append_sqlite(session: Session, ev: AuditEvent) -> AuditEvent:
    """Move the hall's head (the immediate transaction already holds the write lock) with
    the new hash computed in the statement, as on PostgreSQL, then insert the event: two
    statements. The hash function is this module's SHA-256, given to the connection."""
    conn = session.connection().connection
    if _SQLITE_FN not in conn.info:
        dbapi = conn.dbapi_connection
        assert dbapi is not None   # the session's connection is checked out
        dbapi.create_function(_SQLITE_FN, 1, _sha256_hex, deterministic=True)
        conn.info[_SQLITE_FN] = True
    before, after = _body_around_seq(ev.at, ev.hall_code, ev.window, ev.staff_no, ev.kind,
                                     ev.payload)
    params = {"chain": ev.chain, "before": before, "after": after}
    row = session.execute(_APPEND_SQLITE, params).first()
    if row is None:  # the hall's first event: no head row yet
        session.execute(_CREATE_HEAD, {"hall_code": ev.chain, "seq": 0, "hash": GENESIS,
                                       "prev_hash": ""})
        row = session.execute(_APPEND_SQLITE, params).first()
        assert row is not None   # the head row was just created
    ev.seq, ev.prev_hash, ev.hash = row
    session.execute(_INSERT_EVENT, {"chain": ev.chain, "seq": ev.seq, "at": ev.at,
                                    "hall_code": ev.hall_code, "window": ev.window,
                                    "staff_no": ev.staff_no, "kind": ev.kind,
                                    "payload": ev.payload, "prev_hash": ev.prev_hash,
                                    "hash": ev.hash})
    return ev


def head(session: Session, hall_code: str | None = None) -> tuple[int, str]:
    """A chain's head (sequence number and hash): what a day close anchors. The hall's
    chain, or the home chain (:func:`home_chain`) when no hall is named."""
    chain = chain_of(session, hall_code or "")
    row = session.execute(select(_HEAD.c.seq, _HEAD.c.hash)
                          .where(_HEAD.c.hall_code == chain)).first()
    return (int(row[0]), row[1]) if row is not None else (0, GENESIS)


def heads(session: Session) -> dict[str, tuple[int, str]]:
    """Every chain's head: hall code → (seq, hash)."""
    return {c: (int(q), h) for c, q, h in session.execute(
        select(_HEAD.c.hall_code, _HEAD.c.seq, _HEAD.c.hash).order_by(_HEAD.c.hall_code))}
