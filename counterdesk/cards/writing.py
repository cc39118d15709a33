"""写卡 and its record: write an image onto the card, then record what the card now holds
(purchase 'written', card 'active', the receipt's "written" line) in a small transaction
of its own.

That transaction holds no money and its COMMIT does not wait for the disk
(``db.write(durable=False)``): the card is the proof of the write, and a record lost in a
power cut is restored by the next read of the card (:func:`counterdesk.cards.common.reconcile`).
"""

from __future__ import annotations

from sqlalchemy import DateTime, bindparam, case, select, update
from sqlalchemy.orm import Session

from .. import audit, clock
from ..db import Database
from ..models.cards import Card, CardKey, CardPurchase
from ..staff import Actor
from . import sale
from .drivers import CardError, CardImage, CardReader

_PT = CardPurchase.__table__
# a write's record: one UPDATE returning the row's covered content for the audit event
# (SET expressions see the row as it was: 'to_write' becomes 'written' with its time)
_RECORD_WRITE = (update(_PT).where(_PT.c.id == bindparam("w_id"))
                 .values(write_attempts=_PT.c.write_attempts + 1, last_error="",
                         state=case((_PT.c.state == "to_write", "written"), else_=_PT.c.state),
                         written_at=case((_PT.c.state == "to_write",
                                          bindparam("w_now", type_=DateTime)),
                                         else_=_PT.c.written_at))
                 .returning(*audit.returning(_PT)))
# PostgreSQL: the record and the receipt's "written" line in one statement (one round trip
# less; a data-modifying WITH runs whether or not it is read)
_RECORD_WRITE_RECEIPT_PG = select(_RECORD_WRITE.cte("w")).add_cte(
    sale.SET_RECEIPT_PARAMS.cte("j"))
_RECORD_FAILED = (update(_PT).where(_PT.c.id == bindparam("w_id"))
                  .values(write_attempts=_PT.c.write_attempts + 1, last_error=bindparam("w_err"))
                  .returning(*audit.returning(_PT)))


def write_and_record(db: Database, actor: Actor, reader: CardReader, image: CardImage, *,
                     expect: str, purchase_id: int | None = None, card_id: int | None = None,
                     key: str | None = None, job_id: int | None = None,
                     receipt: dict | None = None) -> tuple[bool, str]:
    """Write ``image``; on success record it (purchase 'written', card 'active', receipt
    ``job_id`` marked). Returns (written, message); a failed write is recorded as an
    attempt. ``key``: the hall's card key (read here when not given)."""
    if key is None:
        with db.read() as s:
            hall_id = s.execute(select(Card.hall_id).where(Card.card_no == image.card_no)
                                ).scalar()
            key = s.get_one(CardKey, hall_id).mac_key if hall_id is not None else ""
    try:
        reader.write(image, expect_card_no=expect, key=key)
        ok, err = True, ""
    except CardError as exc:
        ok, err = False, exc.message
    now = clock.now()
    event = {"card_no": image.card_no, "seq": image.purchase_seq,
             "state": image.purchase_state}
    # what the card holds is the proof of this record: a power cut that loses it is
    # repaired by the next read of the card (reconcile), so its COMMIT need not wait for
    # the disk (money is never in this transaction)
    with db.write(durable=False) as s:
        c = s.get(Card, card_id) if card_id else None
        if c is not None and ok and c.status == "to_write":
            c.status, c.written_at = "active", now
            if c.payment_id:          # the card fee's receipt: the card is written
                _mark_receipt(s, c.payment_id, None)
        params = {"w_id": purchase_id, "w_now": now, "w_err": err[:200]}
        # the receipt of the purchase's payment, not printed yet, says "written"
        written = {**receipt, "card": {**receipt.get("card", {}), "written": True}} \
            if ok and receipt is not None and job_id is not None else None
        both = bool(purchase_id and written is not None and db.is_postgres)
        if both:
            assert job_id is not None and written is not None   # ``written`` says so
            row = s.execute(_RECORD_WRITE_RECEIPT_PG, {
                **params, **sale.receipt_params_values(job_id, written)}).first()
        else:
            row = s.execute(_RECORD_WRITE if ok else _RECORD_FAILED, params
                            ).first() if purchase_id else None
        if row is not None:
            pay_id = row._mapping["payment_id"]
            if ok and pay_id and not both:
                if written is not None:
                    assert job_id is not None   # ``written`` says so
                    sale.set_receipt_params(s, job_id, written)
                else:
                    _mark_receipt(s, pay_id, job_id)
            actor.audit(s, "card.written" if ok else "card.write_failed",
                        event if ok else {**event, "error": err[:200]},
                        rows=[audit.Fetched(_PT, [row])])
        elif ok:
            actor.audit(s, "card.written", event)
    return ok, err


def _mark_receipt(s: Session, payment_id: int, job_id: int | None) -> None:
    if job_id is None:
        from ..models.billing import PrintJob, Receipt

        job_id = s.execute(select(PrintJob.id).join(Receipt, Receipt.id == PrintJob.receipt_id)
                           .where(Receipt.payment_id == payment_id)
                           .order_by(PrintJob.id).limit(1)).scalar()
    if job_id is not None:
        sale.set_receipt_card(s, job_id, {"written": True})
