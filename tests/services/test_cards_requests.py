"""IC cards (SQLite and PostgreSQL): a purchase is taken once per request key (issue 16), the
write's record is a lazy commit, and a done 换表 work order re-binds the card (issue 21)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from counterdesk import billing, cards, orders, staff
from counterdesk.cards import purchase
from counterdesk.cards.drivers.sim import meter_insert
from counterdesk.errors import Conflict, NotFound, ValidationError
from counterdesk.models import AuditEvent
from counterdesk.requestkeys import new_key
from tests.helpers.cards import cash, counts, ic_account, purchases, sim_reader


@pytest.fixture
def hall(demo_db, clerk, tmp_path):
    acc = ic_account(demo_db)
    reader = sim_reader(tmp_path)
    res = cards.issue(demo_db, clerk, reader, acc, tenders=cash())
    return demo_db, clerk, reader, acc, res["card_no"]


# -- request keys ---------------------------------------------------------------------
def test_the_same_key_buys_once(hall):
    db, clerk, reader, acc, card_no = hall
    key = new_key()
    first = cards.buy(db, clerk, reader, volume="20", tenders=cash(10000), request_key=key)
    assert first.written and first.replayed == "" and first.request_key == key
    meter_insert(reader)                      # even after the meter took it
    again = cards.buy(db, clerk, reader, volume="20", tenders=cash(10000), request_key=key)
    assert again.replayed == "retry" and again.written and "未重复购气" in again.message
    assert (again.seq, again.volume, again.amount_fen, again.payment["receipt_no"],
            again.payment["change_fen"]) == (first.seq, first.volume, first.amount_fen,
                                             first.payment["receipt_no"], 4400)
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "written")]   # nothing new
    other = cards.buy(db, clerk, reader, volume="5", tenders=cash())   # a new request
    assert other.seq == 2 and other.request_key not in ("", key)
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "taken"), (2, "written")]
    with pytest.raises(Conflict) as err:      # a key names one kind of request
        billing.pay(db, clerk, billing.SaleRequest(items=[billing.LineInput("HOSE", "1")],
                                                   tenders=cash()), request_key=key)
    assert err.value.field == "request_key"
    with pytest.raises(ValidationError) as err:
        cards.buy(db, clerk, reader, volume="5", tenders=cash(), request_key="nonsense")
    assert err.value.field == "request_key"


def test_a_retry_after_a_stop_before_the_write_writes_that_purchase_once(hall, monkeypatch):
    """The program stopped between the commit and the write: the clerk's retry with the
    same key gives the first purchase and writes it (same sequence), never a second one."""
    db, clerk, reader, acc, card_no = hall
    key = new_key()

    def stop():
        raise RuntimeError("stopped")
    monkeypatch.setattr(purchase, "after_commit_hook", stop)
    with pytest.raises(RuntimeError):
        cards.buy(db, clerk, reader, volume="20", tenders=cash(), request_key=key)
    monkeypatch.setattr(purchase, "after_commit_hook", None)
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "to_write")]
    assert reader.load(card_no).purchase_seq == 0
    before = counts(db)
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash(), request_key=key)
    assert res.replayed == "retry" and res.written and res.seq == 1
    assert counts(db)["payments"] == before["payments"]
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "written")]
    assert reader.load(card_no).purchase_seq == 1
    assert meter_insert(reader)["taken"] and not meter_insert(reader)["taken"]
    reader.eject()                            # the card gone: the truth from the database
    again = cards.buy(db, clerk, reader, volume="20", tenders=cash(), request_key=key)
    assert again.replayed == "retry" and again.written and again.seq == 1


def test_one_event_vouches_for_the_payment_and_the_purchase(hall):
    from counterdesk import audit

    db, clerk, reader, *_ = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    with db.read() as s:
        kinds = [e.kind for e in s.execute(select(AuditEvent).order_by(AuditEvent.seq)
                                           .where(AuditEvent.seq > 0)).scalars()]
        sale = s.execute(select(AuditEvent).where(AuditEvent.kind == "payment.sale")
                         .order_by(AuditEvent.seq.desc())).scalars().first()
    payload = json.loads(sale.payload)
    assert payload["card_purchase"]["seq"] == 1 and "card_purchases" in payload["row_hashes"]
    assert kinds[-2:] == ["payment.sale", "card.written"] and "card.purchase" not in kinds
    meter_insert(reader)
    cards.buy(db, clerk, reader, volume="5", tenders=cash())   # marks #1 taken, buys #2
    assert audit.verify(db).ok


def test_the_write_record_does_not_wait_for_the_disk(demo_db):
    """``durable=False`` (the card write's record) commits lazily; the next transaction of
    the connection is durable again."""
    if demo_db.is_sqlite:
        probe, lazy, durable = "PRAGMA synchronous", 1, 2
    else:
        probe, lazy, durable = "SHOW synchronous_commit", "off", "on"
    with demo_db.write(durable=False) as s:
        assert s.execute(text(probe)).scalar() == lazy
    with demo_db.write() as s:
        assert s.execute(text(probe)).scalar() == durable


# -- a done 换表 work order re-binds the card ------------------------------------------
def _meter_order_done(db, clerk, account_no, new_meter="IC0100888002"):
    tech = staff.sign_in(db, "1003", "123456")
    n = orders.add_order(db, clerk, kind="meter_change", account_no=account_no,
                         contact_phone="13912345678").number
    orders.dispatch(db, clerk, n, to_staff_no="1003")
    orders.arrive(db, tech, n)
    orders.record_result(db, tech, n, "done", new_meter_no=new_meter, old_reading="321.5",
                         new_reading="0")
    return n


def test_a_done_meter_change_order_stops_sales_until_the_card_follows(hall, approval):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader)
    n = _meter_order_done(db, clerk, acc)
    st = cards.read_card(db, clerk, reader)      # the read says what to do, refuses nothing
    due = st.meter_change_due
    assert (due["order_no"], due["old_meter_no"], due["new_meter_no"], due["card_meter_no"]) \
        == (n, "IC0100888001", "IC0100888002", "IC0100888001")
    assert n in due["message"] and "IC 卡换表" in due["message"]
    assert st.messages[0] == due["message"] and st.to_dict()["meter_change_due"] == due
    before = counts(db)
    with pytest.raises(Conflict) as err:
        cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert err.value.message == due["message"]
    assert counts(db) == before
    with pytest.raises(NotFound):               # not a meter change order of this account
        cards.meter_change(db, clerk, reader, remaining="3", approval=approval,
                           order_no="WO-NOPE")
    with pytest.raises(ValidationError, match="不符"):
        cards.meter_change(db, clerk, reader, "IC0100888999", remaining="3",
                           approval=approval, order_no=n)
    out = cards.meter_change(db, clerk, reader, remaining="3", approval=approval,
                             order_no=n)
    assert out["written"] and out["order_no"] == n and out["meter_no"] == "IC0100888002"
    assert n in out["message"]
    ps = purchases(db)
    assert (ps[-1].kind, ps[-1].order_number, ps[-1].meter_no) == \
        ("meter_change", n, "IC0100888002")
    led = cards.ledger(db, clerk.hall_id, acc)
    assert led["purchases"][-1]["order_no"] == n
    assert led["readings"][-1]["cumulative"] == "321.5"   # the order's 旧表止码
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "card.meter_change")
                       ).scalars().one()
    assert json.loads(ev.payload)["order"] == n
    st = cards.read_card(db, clerk, reader)
    assert st.meter_change_due is None and st.meter_no == "IC0100888002"
    meter_insert(reader)
    assert cards.buy(db, clerk, reader, volume="5", tenders=cash()).written
    meter_insert(reader)
    with pytest.raises(Conflict, match="已办理过卡换表"):
        cards.meter_change(db, clerk, reader, remaining="0", approval=approval, order_no=n)


def test_the_card_meter_change_finds_the_order_by_itself(hall, approval):
    db, clerk, reader, acc, card_no = hall
    n = _meter_order_done(db, clerk, acc)
    with pytest.raises(ValidationError, match=f"与换表工单 {n} 的新表号 IC0100888002 不符"):
        cards.meter_change(db, clerk, reader, "IC0100888777", remaining="1",
                           approval=approval)
    out = cards.meter_change(db, clerk, reader, remaining="1", approval=approval)
    assert out["order_no"] == n and purchases(db)[-1].order_number == n


def test_a_meter_that_moved_without_an_order_is_refused_too(hall, approval):
    db, clerk, reader, acc, card_no = hall
    with db.write() as s:     # the account's meter changed outside a work order
        s.execute(text("UPDATE accounts SET meter_no = 'IC0100888003' "
                       "WHERE account_no = :a"), {"a": acc})
    due = cards.read_card(db, clerk, reader).meter_change_due
    assert (due["order_no"], due["new_meter_no"]) == ("", "IC0100888003")
    with pytest.raises(Conflict, match="二者不符"):
        cards.buy(db, clerk, reader, volume="5", tenders=cash())
    with pytest.raises(Conflict, match="登记的表号为 IC0100888003"):
        cards.meter_change(db, clerk, reader, "IC0100888777", remaining="1",
                           approval=approval)
    out = cards.meter_change(db, clerk, reader, "IC0100888003", remaining="1",
                             approval=approval)
    assert out["written"] and out["order_no"] == ""
    assert cards.read_card(db, clerk, reader).meter_change_due is None
