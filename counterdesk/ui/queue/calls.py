"""What the queue tab runs on a worker thread (``widgets.jobs``, through the panel's
local loop): plain data in, plain data out, no widgets."""

from __future__ import annotations

import logging

from ... import policy, queue
from ...errors import CounterDeskError

log = logging.getLogger(__name__)


def window_state(db, actor, window: int | None, sign_on: bool):
    """Worker thread: (signed on, this window's ticket, the hall's snapshot, the tickets
    held here as the list shows them); ``sign_on`` first puts the clerk at the window."""
    signed = False
    if sign_on and window:
        try:
            queue.sign_on(db, actor, window=window)
            signed = True
        except CounterDeskError as exc:
            log.info("window sign-on refused: %s", type(exc).__name__)
    cur = queue.current(db, actor, window=window) if window else None
    return (signed, cur.to_dict() if cur else None, queue.snapshot(db, actor.hall_id),
            held_here(db, actor, window) if window else [])


def held_here(db, actor, window: int | None) -> list[str]:
    return [f"{t.number} {t.service_name}" for t in queue.held_tickets(db, actor, window=window)]


def sign_off(db, actor, window: int | None) -> None:
    try:
        queue.sign_off(db, actor, window=window)
    except CounterDeskError as exc:
        log.info("window sign-off failed: %s", type(exc).__name__)


def recall(db, actor, window: int | None):
    """Worker thread: the recall, and the hall's limit the clerk is told about."""
    t = queue.recall(db, actor, window=window)
    return t, policy.load_queue_rules(db, actor.hall_id).recall_limit
