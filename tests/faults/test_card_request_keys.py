"""Issue 16 for IC cards: the reply to the COMMIT of a card purchase is lost (a TCP proxy
cuts the connection right after forwarding it). The client looks its request key up, tells
the truth and writes the purchase onto the card; the clerk's retry with the same key gives
the first purchase: one purchase, one payment, loaded once by the meter."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counterdesk import cards, clock
from counterdesk.cards.drivers.sim import meter_insert
from counterdesk.db import Database
from counterdesk.models.billing import Payment
from counterdesk.requestkeys import new_key
from tests.helpers.billing_helpers import DAY
from tests.helpers.cards import cash, ic_account, purchases, sim_reader
from tests.helpers.proxy import PgProxy


def _payments(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Payment)).scalar_one()


@pytest.mark.pg
def test_reply_lost_after_the_commit_of_a_card_purchase(demo_db, clerk, tmp_path):
    if not demo_db.is_postgres:
        pytest.skip("the proxy speaks the PostgreSQL protocol")
    clock.set_now(DAY)
    acc = ic_account(demo_db)
    reader = sim_reader(tmp_path)
    card_no = cards.issue(demo_db, clerk, reader, acc, tenders=cash())["card_no"]
    proxy = PgProxy.for_url(demo_db.url)
    proxy.cut_when = b"INSERT INTO card_purchases"
    far = Database(proxy.url(demo_db.url), schema=demo_db.schema)
    try:
        cards.read_card(far, clerk, reader)                  # warm the connection
        paid = _payments(demo_db)
        proxy.mode = "cut_after_commit"
        key = new_key()
        res = cards.buy(far, clerk, reader, volume="20", tenders=cash(10000),
                        request_key=key)
        assert proxy.cut_done.is_set()
        assert res.replayed == "recovered" and res.seq == 1 and res.written
        assert "连接中断前购气已保存" in res.message and res.payment["change_fen"] == 4400
        assert reader.load(card_no).purchase_seq == 1       # written by the recovery
        again = cards.buy(far, clerk, reader, volume="20", tenders=cash(10000),
                          request_key=key)                   # the clerk's retry
        assert again.replayed == "retry" and again.written
        assert again.payment["receipt_no"] == res.payment["receipt_no"]
        assert _payments(demo_db) == paid + 1
        assert [(p.seq, p.state) for p in purchases(demo_db)] == [(1, "written")]
        assert meter_insert(reader)["taken"] and not meter_insert(reader)["taken"]
    finally:
        far.dispose()
        proxy.close()
