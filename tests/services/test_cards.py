"""IC cards through the services with the ``sim:`` driver (SQLite and PostgreSQL):
issue, buy, write, read-back, tiers, limits, faults mid-write, refusals."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from counterdesk import billing, cards, policy, staff
from counterdesk.cards import common, layout
from counterdesk.cards.drivers import CardRemoved, NoCard, ReaderMissing, open_reader
from counterdesk.cards.drivers.sim import meter_insert
from counterdesk.errors import Conflict, NotFound, ValidationError
from tests.helpers.cards import cash, counts, ic_account, purchases, sim_reader


@pytest.fixture
def hall(demo_db, clerk, tmp_path):
    acc = ic_account(demo_db)
    reader = sim_reader(tmp_path)
    res = cards.issue(demo_db, clerk, reader, acc, tenders=cash(2000))
    assert res["written"], res
    return demo_db, clerk, reader, acc, res["card_no"]


def test_issue_writes_the_card_and_charges_the_fee(hall):
    db, clerk, reader, acc, card_no = hall
    st = cards.read_card(db, clerk, reader)
    assert (st.card_no, st.account_no, st.meter_no, st.purchase_seq) == \
        (card_no, acc, "IC0100888001", 0)
    assert st.meter_taken and st.pending_volume == "0"
    rc = billing.recent_receipts(db, clerk)[0]
    assert rc["total_fen"] is None  # the clerk's list is blind until the count (issue 15)
    assert billing.get_receipt(db, clerk.hall_id, rc["receipt_no"])["total_fen"] == 1000
    job = billing.pending_jobs(db, clerk.hall_id)[-1]
    assert job.params["card"] == {"card_no": card_no, "issue": True, "written": True}
    with pytest.raises(Conflict, match="已有 IC 卡"):
        cards.issue(db, clerk, reader, acc, tenders=cash())


def test_issue_refuses_a_plain_meter_and_a_card_that_is_not_blank(demo_db, clerk, tmp_path):
    from tests.helpers.billing_helpers import make_account

    make_account(demo_db, "0100000002")
    reader = sim_reader(tmp_path)
    with pytest.raises(Conflict, match="普通表"):
        cards.issue(demo_db, clerk, reader, "0100000002", tenders=cash())
    cards.set_meter_kind(demo_db, clerk, "0100000002", "ic")
    before = counts(demo_db)
    reader.eject()
    with pytest.raises(NoCard, match="没有卡"):
        cards.issue(demo_db, clerk, reader, "0100000002", tenders=cash())
    assert counts(demo_db) == before


def test_buy_writes_then_the_meter_takes_it_once(hall):
    db, clerk, reader, acc, card_no = hall
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash(10000))
    assert res.written and res.seq == 1 and res.amount_fen == 5600
    assert res.payment["tenders"][0]["change_fen"] == 4400
    st = cards.read_card(db, clerk, reader)
    assert (st.purchase_seq, st.pending_volume, st.meter_taken) == (1, "20", False)
    assert st.last_state == "written"
    # a purchase not taken by the meter blocks the next one
    before = counts(db)
    with pytest.raises(Conflict, match="卡内气量尚未输入表具"):
        cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert counts(db) == before
    out = meter_insert(reader, use="0")
    assert out["taken"] and out["meter"]["remaining"] == "20"
    again = meter_insert(reader, use="3")
    assert not again["taken"]
    st = cards.read_card(db, clerk, reader)
    assert st.meter_taken and st.last_state == "taken" and st.remaining == "17"
    led = cards.ledger(db, clerk.hall_id, acc)
    assert [p["state"] for p in led["purchases"]] == ["taken"]
    assert led["readings"][-1]["remaining"] == "17"
    # the receipt carries the card, the sequence, the volume and "written"
    job = billing.pending_jobs(db, clerk.hall_id)[-1]
    assert job.params["card"] == {"card_no": card_no, "seq": 1, "volume": "20",
                                  "written": True}
    from counterdesk.print.receipt import preview

    text = preview(job.params)
    assert card_no in text and "第1次" in text and "已写卡" in text


def test_tiered_price_across_the_threshold_and_by_amount(hall):
    db, clerk, reader, acc, _ = hall
    cards.buy(db, clerk, reader, volume="300", tenders=cash())
    meter_insert(reader)
    res = cards.buy(db, clerk, reader, volume="200", tenders=cash())
    assert res.amount_fen == 100 * 280 + 100 * 336
    assert [t["tier"] for t in res.tiers] == [1, 2]
    meter_insert(reader)
    # by amount: 100.00 yuan at tier 2 (3.36) buys 29 m³ (97.44), rounded down
    res = cards.buy(db, clerk, reader, amount_fen=10000, tenders=cash())
    assert (res.volume, res.amount_fen) == ("29", 29 * 336)


@pytest.mark.parametrize("volume,msg", [("0", "必须大于 0"), ("-5", "必须大于 0"),
                                        ("abc", "无效"), ("2.5", "小数位过多"),
                                        ("501", "单次购气上限")])
def test_bad_volumes_are_refused_before_anything(hall, volume, msg):
    db, clerk, reader, *_ = hall
    before = counts(db)
    with pytest.raises(ValidationError, match=msg):
        cards.buy(db, clerk, reader, volume=volume, tenders=cash())
    assert counts(db) == before


def test_yearly_limit(hall):
    db, clerk, reader, *_ = hall
    manager = staff.sign_in(db, "9001", "888888")
    policy.set(db, manager, "card.max_volume_per_year", "600")     # the hall's own limit
    cards.buy(db, clerk, reader, volume="500", tenders=cash())
    meter_insert(reader)
    cards.read_card(db, clerk, reader)      # the meter's figures are kept at every read
    before = counts(db)
    with pytest.raises(ValidationError, match="年度上限.*还可购 100"):
        cards.buy(db, clerk, reader, volume="150", tenders=cash())
    assert counts(db) == before


def test_card_pulled_mid_write_is_written_once_at_the_next_read(hall):
    db, clerk, reader, acc, card_no = hall
    reader.set_fault("pull")
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash())
    assert not res.written and "写卡失败" in res.message and "第 1 次" in res.message
    ps = purchases(db)
    assert [(p.seq, p.state) for p in ps] == [(1, "to_write")]
    assert cards.day_section(db, clerk.hall_id, ps[0].business_day)["to_write"] == 1
    with pytest.raises(NoCard):
        cards.read_card(db, clerk, reader)
    reader.insert(card_no)
    st = cards.read_card(db, clerk, reader)
    assert st.wrote_seq == 1 and st.pending_volume == "20" and st.last_state == "written"
    st = cards.write(db, clerk, reader)            # a second press writes nothing
    assert st.wrote_seq is None and "无需写卡" in st.messages[0]
    assert meter_insert(reader)["taken"]
    assert not meter_insert(reader)["taken"]
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "written")]
    cards.read_card(db, clerk, reader)
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "taken")]
    assert len(billing.recent_receipts(db, clerk)) == 2      # the card fee and one purchase


def test_a_refused_write_keeps_the_money_and_tells_the_clerk(hall):
    db, clerk, reader, *_ = hall
    reader.set_fault("refuse")
    res = cards.buy(db, clerk, reader, volume="10", tenders=cash())
    assert not res.written and "卡片拒绝写入" in res.message
    with pytest.raises(Conflict, match="尚未写入卡内"):
        reader.set_fault("refuse")
        cards.buy(db, clerk, reader, volume="10", tenders=cash())
    st = cards.read_card(db, clerk, reader)
    assert st.wrote_seq == 1


def test_another_accounts_card_is_refused(hall, tmp_path):
    db, clerk, reader, acc, card_no = hall
    ic_account(db, "0100088802", "IC0100888002", name="李四")
    other = sim_reader(tmp_path, "r2")
    cards.issue(db, clerk, other, "0100088802", tenders=cash())
    before = counts(db)
    with pytest.raises(Conflict, match="不是正在办理的户号"):
        cards.buy(db, clerk, other, volume="10", tenders=cash(), expect_account=acc)
    assert counts(db) == before


def _key(db, hall_id):
    with db.read() as s:
        return common.hall_key(s, hall_id)


def test_edited_stale_and_future_cards_are_refused(hall):
    db, clerk, reader, acc, card_no = hall
    old = reader.load(card_no)
    key = _key(db, clerk.hall_id)
    reader.save(layout.sign(key, old.but(purchase_seq=2, purchase_state="taken")))
    with pytest.raises(Conflict, match="超前"):           # no purchase recorded yet
        cards.read_card(db, clerk, reader)
    reader.save(old)
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader)
    good = reader.load(card_no)
    before = counts(db)
    reader.save(good.but(purchase_volume="200"))            # edited outside the program
    with pytest.raises(Conflict, match="MAC"):
        cards.read_card(db, clerk, reader)
    reader.save(old)                                       # an old copy of the card
    with pytest.raises(Conflict, match="落后"):
        cards.read_card(db, clerk, reader)
    reader.save(layout.sign(key, good.but(purchase_seq=5)))
    with pytest.raises(Conflict, match="超前"):
        cards.buy(db, clerk, reader, volume="1", tenders=cash())
    assert counts(db) == before
    reader.save(good)
    assert cards.read_card(db, clerk, reader).purchase_seq == 1


def test_a_card_of_another_hall_is_refused(hall):
    from counterdesk import setup, staff

    db, clerk, reader, *_ = hall
    setup.create_hall(db, {"hall": {"code": "HQ02", "name": "二厅"},
                           "company": {"name": "燃气公司"}, "window": [{"number": 1}]})
    staff.add_user(db, "2001", "王五", "clerk", "123456", hall_code="HQ02")
    other = staff.sign_in(db, "2001", "123456", window=1)
    with pytest.raises(Conflict, match="其他营业厅"):
        cards.read_card(db, other, reader)


def test_reader_missing_and_unknown_uri(tmp_path, demo_db, clerk):
    with pytest.raises(ReaderMissing, match="不存在"):
        cards.read_card(demo_db, clerk, open_reader(f"sim:{tmp_path / 'nope'}"))
    with pytest.raises(ReaderMissing, match="无效"):
        open_reader("usb:1")


def test_unregistered_card_is_refused(hall):
    db, clerk, reader, acc, card_no = hall
    img = reader.load(card_no)
    reader.save(img.but(card_no="HQ0199999999"))
    reader.insert("HQ0199999999")
    with pytest.raises(NotFound, match="未在本系统登记"):
        cards.read_card(db, clerk, reader)


def test_pull_is_not_a_write(tmp_path):
    r = sim_reader(tmp_path)
    r.set_fault("pull")
    with pytest.raises(CardRemoved):
        r.write(cards.CardImage(card_no="X1"), expect_card_no="")
    assert not (r.folder / "cards" / "X1.json").exists()
    assert json.loads("{}") == {} and Decimal(1)


def test_day_close_report_has_the_card_section(hall, tmp_path):
    """The manager's day close lists card sales as their own section (CSV, Excel and PDF all
    come from report_sections), with the purchases still to write."""
    from counterdesk import cash as till
    from counterdesk import clock
    from counterdesk.print.dayclose_export import export_csv

    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    manager = staff.sign_in(db, "9001", "888888")
    rep = till.day_report(db, manager, clock.today())
    c = rep["cards"]
    assert c["purchases"] == 1 and c["volume"] == "20" and c["cards_issued"] == 1
    assert c["written"] + c["to_write"] == 1
    text = export_csv(rep)
    assert "IC卡购气" in text and "购气量（立方米）,20" in text


def test_the_audit_chain_vouches_for_cards_and_purchases(hall):
    """Cards and purchases are business rows the chain covers (issue 16.3): a purchase's whole
    life verifies, and a purchase edited by hand is named."""
    from sqlalchemy import text

    from counterdesk import audit

    db, clerk, reader, *_ = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader)
    cards.read_card(db, clerk, reader)
    assert audit.verify(db).ok
    with db.engine.begin() as c:
        c.execute(text("UPDATE card_purchases SET volume = 200 WHERE kind = 'sale'"))
    assert "card_purchases" in " ".join(str(p) for p in audit.verify(db).problems)


def test_card_cash_goes_through_the_till_gate_like_a_cash_payment(hall, manager):
    """Cash for gas on a card moves the clerk's till: without an open till the hall's rule
    refuses it (nothing charged, nothing written), or — the rule off — it is taken with the
    same warning a cash payment gets; paid by card (POS), no till is needed."""
    from counterdesk import cash as till

    db, clerk, reader, acc, card_no = hall
    meter_insert(reader)
    res = cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert "还没有开钱箱" in res.payment["warning"]                 # the rule off: a warning
    meter_insert(reader)
    policy.set(db, manager, "cash.require_open_till", True)
    before = counts(db)
    with pytest.raises(Conflict, match="还没有开钱箱"):
        cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert counts(db) == before and reader.load(card_no).purchase_seq == 1
    pos = [billing.TenderInput("card", reference="POS000123")]
    assert cards.buy(db, clerk, reader, volume="5", tenders=pos).written
    meter_insert(reader)
    till.open_till(db, clerk, {"100": 1})
    res = cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert res.written and res.payment["warning"] == ""


def test_a_stopped_supply_refuses_gas_on_the_card_until_it_is_restored(hall):
    """The gas gates of work orders hold for a card purchase as for a gas sale: a done
    停气 order refuses it (nothing charged, nothing written, the card as it was); a
    restore after a passed inspection lets it through."""
    from counterdesk import orders

    db, clerk, reader, acc, card_no = hall
    tech = staff.sign_in(db, "1003", "123456")

    def run(kind, **kw):
        add = {k: kw.pop(k) for k in ("inspection_ref",) if k in kw}
        n = orders.add_order(db, clerk, kind=kind, account_no=acc, contact_phone="13800000000",
                             **add).number
        orders.dispatch(db, clerk, n, to_staff_no=tech.staff_no)
        orders.arrive(db, tech, n)
        return orders.record_result(db, tech, n, "done", **kw)

    run("stop", note="客户申请停气")
    before, image = counts(db), reader.load(card_no)
    with pytest.raises(Conflict, match="已停气") as refused:
        cards.buy(db, clerk, reader, volume="10", tenders=cash(10000))
    assert refused.value.field == "account_no"
    assert counts(db) == before and reader.load(card_no) == image
    ok = run("inspection", outcome="passed")
    run("restore", inspection_ref=ok.number)
    assert cards.buy(db, clerk, reader, volume="10", tenders=cash(10000)).written
