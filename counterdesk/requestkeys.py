"""Request keys: money is never moved twice for one request of a client.

Every payment, reversal and till movement carries a key (a UUID) made by the client
when the request is filled in and kept until the outcome is known. The key is written
in the same transaction as the money (table ``request_keys``, unique), so:

* a retry with the same key returns the first outcome instead of taking it again;
* after a connection error during or after COMMIT (the server may have committed and
  the reply was lost) :func:`run_once` reconnects, looks the key up and tells the truth:
  the first outcome (``replayed = "recovered"``), or :class:`~counterdesk.errors.NotSaved`,
  or — the database still does not answer — :class:`~counterdesk.errors.OutcomeUnknown`
  (retry later with the same key; it is never taken twice).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import clock
from .db import Database
from .errors import (
    Conflict,
    CounterDeskError,
    DatabaseBusy,
    DatabaseError,
    DatabaseUnavailable,
    NotSaved,
    OutcomeUnknown,
    ValidationError,
)
from .models.requests import RequestKey

log = logging.getLogger(__name__)
T = TypeVar("T")

KIND_NAMES = {"payment": "收费", "movement": "钱箱存取", "card": "IC卡购气"}
_INSERT = insert(RequestKey.__table__)
_LOOKUP_TRIES = 3


def new_key() -> str:
    """A fresh request key (the client makes it when the request is filled in)."""
    return str(uuid.uuid4())


def check_key(key: str | None) -> str:
    """The key in its canonical form; a new one if ``key`` is empty."""
    if not key:
        return new_key()
    try:
        return str(uuid.UUID(str(key).strip()))
    except ValueError:
        raise ValidationError(f"请求号 {key} 不是有效的 UUID（如 1b4e28ba-2fa1-11d2-883f-0016d3cca427）",
                              f"Request key {key} is not a UUID", field="request_key") from None


def record(s: Session, hall_id: int, key: str, kind: str, ref_id: int) -> None:
    """Write the key in the transaction that moves the money (call it early: a second
    request with the same key waits here, then fails on the unique key)."""
    s.execute(_INSERT, {"key": key, "hall_id": hall_id, "kind": kind, "ref_id": ref_id,
                        "created_at": clock.now()})


def _find(db: Database, key: str, kind: str) -> int | None:
    with db.read() as s:
        row = s.execute(select(RequestKey.kind, RequestKey.ref_id)
                        .where(RequestKey.key == key)).first()
    if row is None:
        return None
    if row.kind != kind:
        raise Conflict(f"请求号 {key} 已用于{KIND_NAMES.get(row.kind, row.kind)}，不能再用于"
                       f"{KIND_NAMES.get(kind, kind)}",
                       f"Request key {key} was already used for a {row.kind}",
                       field="request_key")
    return int(row.ref_id)


def _find_after_fault(db: Database, key: str, kind: str) -> int | None:
    """Reconnect and look the key up; :class:`OutcomeUnknown` if the database still
    does not answer after a few tries."""
    for n in range(_LOOKUP_TRIES):
        try:
            return _find(db, key, kind)
        except (DatabaseUnavailable, DatabaseBusy):
            if n + 1 < _LOOKUP_TRIES:
                time.sleep(0.5 * (n + 1))   # the network may come back; bounded (3 s)
    what = KIND_NAMES.get(kind, kind)
    raise OutcomeUnknown(
        f"与数据库的连接中断，暂时无法确认本次{what}是否已保存。请不要重新办理：恢复连接后"
        f"用同一请求重试（请求号 {key}），系统会告知结果。",
        f"The connection broke; whether this {kind} was saved cannot be told yet. Do not "
        f"take it again: retry with the same request key {key} once the database answers.",
        data={"request_key": key})


def run_once(db: Database, key: str, kind: str, attempt: Callable[[], T],
             recall: Callable[[int, str], T], *, lookup: str = "before") -> T:
    """Run ``attempt`` (which calls :func:`record` with ``key``) at most once per key.

    ``recall(ref_id, how)`` rebuilds the first outcome; ``how`` is ``"retry"`` (the key
    was already used) or ``"recovered"`` (committed, but the reply was lost).

    ``lookup`` — when the key is looked up besides after a connection fault:

    * ``"before"``: before the attempt, in a read of its own;
    * ``"on_refusal"`` (payments): only if the attempt fails. A retry of a request that
      was taken cannot be taken again: it fails on the unique key, or is refused by
      what the first one did (its bills are paid, its payment is voided); then the
      first outcome is returned. A first attempt costs no extra read;
    * ``"on_fault"``: the key was made here and now (the caller gave none), so it can
      only have been used by this very attempt."""
    if lookup not in ("before", "on_refusal", "on_fault"):
        raise ValueError(lookup)
    if lookup == "before":
        ref = _find(db, key, kind)
        if ref is not None:
            log.info("request %s: %s already taken (%s)", key, kind, ref)
            return recall(ref, "retry")
    try:
        return attempt()
    except DatabaseUnavailable as exc:
        log.warning("request %s: connection lost; looking the key up", key)
        ref = _find_after_fault(db, key, kind)
        if ref is None:
            what = KIND_NAMES.get(kind, kind)
            raise NotSaved(f"与数据库的连接中断，已核实本次{what}未保存，可以重新办理。",
                           f"The connection broke; checked: this {kind} was not saved, "
                           "it can be taken again.", data={"request_key": key}) from exc
        log.warning("request %s: committed before the connection broke (%s)", key, ref)
        return recall(ref, "recovered")
    except sa_exc.IntegrityError:
        ref = _find(db, key, kind)   # the key was taken: by a first attempt, or a concurrent one
        if ref is None:
            raise
        return recall(ref, "retry")
    except DatabaseError:
        raise
    except CounterDeskError:
        if lookup != "on_refusal":
            raise
        ref = _find(db, key, kind)   # refused because the first attempt was taken?
        if ref is None:
            raise
        log.info("request %s: %s already taken (%s)", key, kind, ref)
        return recall(ref, "retry")
