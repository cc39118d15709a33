"""What the IC card panel runs on a worker thread (``widgets.jobs``), and how it reads the
warnings a card read carries. No widgets here: each call opens the reader, talks to the
card and the database, closes the reader and returns plain data.

Every driver call of the panel happens inside one of these functions, so a ``pcsc:``
reader's second of card I/O never freezes the screen. A call opens its own reader (a
pyscard connection is made and closed within the call, on the worker's thread).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ... import cards
from ...errors import CounterDeskError
from ...i18n import pick


@dataclass
class Outcome:
    """A card call's result: the card as read after it (None: could not read it again),
    the account's purchases (newest first) and the service's own result."""

    state: cards.CardState | None
    rows: list[dict] = field(default_factory=list)
    result: Any = None


def _rows(db, actor, st: cards.CardState | None) -> list[dict]:
    if st is None or st.blank or not st.account_no:
        return []
    return list(reversed(cards.ledger(db, actor.hall_id, st.account_no)["purchases"]))


def _reread(db, actor, reader) -> cards.CardState | None:
    try:
        return cards.read_card(db, actor, reader)
    except CounterDeskError:   # the result stands; the card shows its state at the next F12
        return None


@contextmanager
def _reader(uri: str):
    """The reader, opened and closed on this (worker) thread."""
    reader = cards.open_reader(uri)
    try:
        yield reader
    finally:
        reader.close()


def read(db, actor, uri: str) -> Outcome:
    """F12: read and reconcile the card (writes a purchase still "to write")."""
    with _reader(uri) as reader:
        st = cards.read_card(db, actor, reader)
    return Outcome(st, _rows(db, actor, st))


def buy(db, actor, uri: str, **kw) -> Outcome:
    """Ctrl+G: take the money and write the card, then read it again."""
    with _reader(uri) as reader:
        res = cards.buy(db, actor, reader, **kw)
        st = _reread(db, actor, reader)
    return Outcome(st, _rows(db, actor, st), res)


def write(db, actor, uri: str) -> Outcome:
    """Ctrl+Shift+G: write what the database owes the card (a second press writes nothing)."""
    with _reader(uri) as reader:
        st = cards.write(db, actor, reader)
    return Outcome(st, _rows(db, actor, st))


def cancel(db, actor, uri: str, approval, *, reason: str, printer_uri: str) -> Outcome:
    """退购 with a manager's approval, then read the card again."""
    with _reader(uri) as reader:
        res = cards.cancel(db, actor, reader, approval, reason=reason, printer_uri=printer_uri)
        st = _reread(db, actor, reader)
    return Outcome(st, _rows(db, actor, st), res)


# -- the read result's warnings ---------------------------------------------------------------
# A card read may carry a notice for the clerk: the account's meter was changed by a done
# 换表 work order and the card still names the old meter (it must be re-bound: 卡换表).
# ``CardState.meter_change_due`` = {order_no, old_meter_no, new_meter_no, card_meter_no,
# message, message_en}; the service refuses a purchase until the card's meter change is done.

def _meter_change_text(d: dict) -> str:
    order = d.get("order_no", "")
    old, new = d.get("old_meter_no", ""), d.get("new_meter_no", "")
    if not (order or old or new):
        return pick("此户已换表，IC卡尚未换表：请先办理IC卡换表，再购气",
                    "The meter was changed but the card still names the old meter: do the "
                    "card's meter change before selling gas")
    return pick(f"此户已换表（工单 {order}：旧表 {old} → 新表 {new}），IC卡尚未换表："
                "请先办理IC卡换表，再购气",
                f"The meter was changed (work order {order}: {old} → {new}) but the card "
                "still names the old meter: do the card's meter change before selling gas")


def notices(st: cards.CardState | None) -> tuple[list[str], bool]:
    """(the notice lines to show in red, whether a purchase must wait: card re-binding)."""
    due = None if st is None or st.blank else getattr(st, "meter_change_due", None)
    if not due:
        return [], False
    if due.get("message"):
        return [pick(due["message"], due.get("message_en") or due["message"])], True
    return [_meter_change_text(due)], True
