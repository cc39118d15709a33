"""IC cards: cancel (退购), reissue (补卡), meter change (换表), the day-close section, and a
program killed between the commit and the card write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counterdesk import billing, cards, clock
from counterdesk.cards.drivers.sim import meter_insert
from counterdesk.errors import Conflict, PermissionDenied
from counterdesk.staff import Approval
from tests.conftest import DEMO
from tests.helpers.cards import cash, counts, ic_account, purchases, sim_reader


@pytest.fixture
def hall(demo_db, clerk, tmp_path):
    acc = ic_account(demo_db)
    reader = sim_reader(tmp_path)
    res = cards.issue(demo_db, clerk, reader, acc, tenders=cash())
    return demo_db, clerk, reader, acc, res["card_no"]


def test_cancel_before_take_up_reverses_and_clears_the_card(hall, approval):
    db, clerk, reader, acc, card_no = hall
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash())
    with pytest.raises(PermissionDenied, match="授权"):
        cards.cancel(db, clerk, reader, None, reason="买错了")
    with pytest.raises(PermissionDenied):
        cards.cancel(db, clerk, reader, Approval(DEMO["manager"][0], "wrong"), reason="买错了")
    assert purchases(db)[0].state == "written"
    out = cards.cancel(db, clerk, reader, approval, reason="买错了")
    assert out["refund_fen"] == res.amount_fen
    assert billing.get_receipt(db, clerk.hall_id, res.payment["receipt_no"])["status"] == "voided"
    st = cards.read_card(db, clerk, reader)
    assert st.meter_taken and st.pending_volume == "0" and st.last_state == "cancelled"
    assert not meter_insert(reader)["taken"]
    # the next purchase takes the next sequence
    assert cards.buy(db, clerk, reader, volume="5", tenders=cash()).seq == 2
    day = cards.day_section(db, clerk.hall_id, clock.today())
    assert day["cancelled"] == 1 and day["purchases"] == 1
    assert day["by_method"]["cash"] == 1000 + 5 * 280       # fee + second purchase, net


def test_cancel_after_take_up_is_refused(hall, approval):
    db, clerk, reader, *_ = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader)
    before = counts(db)
    with pytest.raises(Conflict, match="没有可退|已输入表具"):
        cards.cancel(db, clerk, reader, approval, reason="不要了")
    after = counts(db)
    assert {k: after[k] for k in ("payments", "card_purchases")} == \
        {k: before[k] for k in ("payments", "card_purchases")}


def test_cancel_interrupted_after_the_card_clear_gives_the_gas_back(hall, approval, monkeypatch):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())

    def boom(*a, **k):
        raise RuntimeError("killed")
    monkeypatch.setattr(billing, "void", boom)
    with pytest.raises(RuntimeError):
        cards.cancel(db, clerk, reader, approval, reason="x")
    monkeypatch.undo()
    assert reader.load(card_no).purchase_state == "cancelled"
    st = cards.read_card(db, clerk, reader)      # no reversal: the purchase goes back on
    assert st.wrote_seq == 1 and st.pending_volume == "20"
    assert meter_insert(reader)["taken"]


def test_reissue_with_unknown_take_up_needs_a_reading_or_approval(hall, approval, tmp_path):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader)            # the old card loaded the meter: the clerk cannot know
    new_reader = sim_reader(tmp_path, "counter")
    with pytest.raises(PermissionDenied, match="是否已输入表具未知"):
        cards.reissue(db, clerk, new_reader, acc, tenders=cash())
    out = cards.reissue(db, clerk, new_reader, acc, tenders=cash(), approval=approval)
    assert out["written"] and out["carried_seq"] == 1 and out["old_card_no"] == card_no
    new_no = out["card_no"]
    with pytest.raises(Conflict, match="已补卡作废"):
        cards.read_card(db, clerk, reader)
    with pytest.raises(Conflict, match="补卡时带到新卡"):
        cards.cancel(db, clerk, new_reader, approval, reason="x")
    # the meter refuses the repeated sequence: the customer cannot load it twice
    new_reader.folder.joinpath("meters").mkdir(exist_ok=True)
    for f in (reader.folder / "meters").iterdir():
        (new_reader.folder / "meters" / f.name).write_bytes(f.read_bytes())
    assert not meter_insert(new_reader)["taken"]
    st = cards.read_card(db, clerk, new_reader)
    assert st.card_no == new_no and st.meter_taken and st.last_state == "taken"
    assert cards.buy(db, clerk, new_reader, volume="10", tenders=cash()).seq == 2


def test_reissue_after_a_meter_reading_carries_nothing(hall, tmp_path):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    new_reader = sim_reader(tmp_path, "counter")
    out = cards.reissue(db, clerk, new_reader, acc, tenders=cash(), reason="broken",
                        meter_seq=1, remaining="20", cumulative="0")
    assert out["carried_seq"] is None and out["purchase_seq"] == 1
    st = cards.read_card(db, clerk, new_reader)
    assert st.meter_taken and st.last_state == "taken"
    led = cards.ledger(db, clerk.hall_id, acc)
    assert [c["status"] for c in led["cards"]] == ["replaced", "active"]
    assert led["readings"][0]["source"] == "technician"


def test_meter_change_credits_the_old_meters_gas_to_the_new_meter(hall, approval):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader, use="7.5")
    with pytest.raises(PermissionDenied):
        cards.meter_change(db, clerk, reader, "IC0100999001", remaining="12.5", approval=None)
    out = cards.meter_change(db, clerk, reader, "IC0100999001", remaining="12.5",
                             cumulative="7.5", approval=approval, reason="表具故障")
    assert out["written"] and out["seq"] == 2 and out["volume"] == "12.5"
    took = meter_insert(reader)
    assert took["taken"] and took["meter"]["meter_no"] == "IC0100999001"
    assert took["meter"]["remaining"] == "12.5"
    st = cards.read_card(db, clerk, reader)
    assert st.meter_no == "IC0100999001" and st.last_state == "taken"
    led = cards.ledger(db, clerk.hall_id, acc)
    assert led["meter_no"] == "IC0100999001"
    assert [(p["kind"], p["amount_fen"]) for p in led["purchases"]] == \
        [("sale", 5600), ("meter_change", 0)]
    day = cards.day_section(db, clerk.hall_id, clock.today())
    assert day["meter_changes"] == 1 and day["meter_change_volume"] == "12.5"


def test_day_section(hall):
    db, clerk, reader, acc, card_no = hall
    cards.buy(db, clerk, reader, volume="390", tenders=cash())
    meter_insert(reader)
    cards.buy(db, clerk, reader, volume="20", tenders=[billing.TenderInput("qr", None, None,
                                                                           "WX2026112300123")])
    meter_insert(reader)
    reader.set_fault("pull")
    cards.buy(db, clerk, reader, volume="5", tenders=cash())
    with db.read() as s:
        day = cards.day_section(s, clerk.hall_id, clock.today())
    assert day["purchases"] == 3 and day["volume"] == "415"
    assert day["by_tier"] == [{"tier": 1, "volume": "400", "amount_fen": 400 * 280},
                              {"tier": 2, "volume": "15", "amount_fen": 15 * 336}]
    assert day["by_method"] == {"cash": 1000 + 390 * 280 + 5 * 336, "qr": 10 * 280 + 10 * 336}
    assert (day["written"], day["to_write"], day["cards_issued"]) == (2, 1, 1)
    assert [r["seq"] for r in day["to_write_list"]] == [3]
    assert cards.to_write(db, clerk.hall_id)[0]["card_no"] == card_no


_KILL = r"""
import os, sys
from counterdesk import cards
from counterdesk.cards import purchase
from counterdesk.cards.drivers.sim import SimReader
from counterdesk.db import Database
from counterdesk.staff import sign_in
from counterdesk.billing import TenderInput
db = Database(sys.argv[1], schema=sys.argv[3] or None)
actor = sign_in(db, "1001", "123456", window=1)
purchase.after_commit_hook = lambda: os._exit(9)
cards.buy(db, actor, SimReader(sys.argv[2]), volume="20", tenders=[TenderInput("cash")])
"""


def test_killed_between_commit_and_write(demo_db, clerk, tmp_path):
    """The program dies after the commit: the purchase exists once, 'to write'; the next
    read writes it once and the meter takes it once."""
    db = demo_db
    acc = ic_account(db)
    reader = sim_reader(tmp_path)
    cards.issue(db, clerk, reader, acc, tenders=cash())
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.run([sys.executable, "-c", _KILL, db.engine.url.render_as_string(False),
                           str(reader.folder), db.schema or ""], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "to_write")]
    assert reader.load(reader.slot()).purchase_seq == 0
    st = cards.read_card(db, clerk, reader)
    assert st.wrote_seq == 1
    assert cards.read_card(db, clerk, reader).wrote_seq is None
    assert meter_insert(reader)["taken"] and not meter_insert(reader)["taken"]
    assert len(purchases(db)) == 1


def test_reissue_raced_by_another_window_is_refused_and_charges_nothing(hall, tmp_path,
                                                                       monkeypatch):
    """Two windows replace the same lost card: the second, which read the account before
    the first committed, is refused with the new card's number; one fee, one new card."""
    from counterdesk.cards import lifecycle

    db, clerk, reader, acc, card_no = hall
    here, there = sim_reader(tmp_path, "here"), sim_reader(tmp_path, "there")
    real_blank, done = lifecycle._blank, {}

    def other_window_first(r):
        real_blank(r)
        if r is here and not done:           # between this window's read and its write
            done["out"] = cards.reissue(db, clerk, there, acc, tenders=cash(),
                                        meter_seq=0, remaining="0", cumulative="0")
    monkeypatch.setattr(lifecycle, "_blank", other_window_first)
    before = counts(db)
    with pytest.raises(Conflict, match="刚刚在另一窗口补办") as err:
        cards.reissue(db, clerk, here, acc, tenders=cash(), meter_seq=0, remaining="0",
                      cumulative="0")
    assert done["out"]["card_no"] in err.value.message
    after = counts(db)
    led = cards.ledger(db, clerk.hall_id, acc)
    assert [c["status"] for c in led["cards"]] == ["replaced", "active"]
    assert after["payments"] == before["payments"] + 1            # the other window's fee only
    assert here.read().blank                                      # nothing written here
