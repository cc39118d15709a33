"""The ``pcsc:`` driver end to end through the real PC/SC stack: pcscd + vsmartcard-vpcd
(a virtual reader) + our virtual ISO 7816 card with the reference layout. Skipped with
the reason when the stack cannot be started."""

from __future__ import annotations

import pytest

from counterdesk import cards
from counterdesk.cards import layout
from counterdesk.cards.drivers import CardRefused, NoCard
from counterdesk.errors import Conflict
from tests.helpers.cards import cash, ic_account, purchases
from tests.helpers.pcsc import VirtualCard, pcsc_stack


@pytest.fixture(scope="module")
def stack():
    st, reason = pcsc_stack()
    if st is None:
        pytest.skip(reason)
    yield st
    st.close()


@pytest.fixture
def issued(stack, demo_db, clerk):
    stack.pull()
    stack.insert(VirtualCard())
    reader = cards.open_reader(f"pcsc:{stack.reader_name()}")
    acc = ic_account(demo_db)
    out = cards.issue(demo_db, clerk, reader, acc, tenders=cash())
    assert out["written"], out
    yield demo_db, clerk, reader, acc, out["card_no"]
    stack.pull()


def test_issue_buy_meter_read_through_pcsc(stack, issued):
    db, clerk, reader, acc, card_no = issued
    assert stack.card.pin is not None            # the blank card took the hall's PIN
    st = cards.read_card(db, clerk, reader)
    assert (st.card_no, st.account_no, st.purchase_seq) == (card_no, acc, 0)
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash())
    assert res.written and res.seq == 1
    st = cards.read_card(db, clerk, reader)
    assert (st.pending_volume, st.meter_taken) == ("20", False)
    with pytest.raises(Conflict, match="尚未输入表具"):
        cards.buy(db, clerk, reader, volume="5", tenders=cash())
    assert stack.card.meter_take() and not stack.card.meter_take()
    st = cards.read_card(db, clerk, reader)
    assert st.meter_taken and st.remaining == "20" and st.last_state == "taken"


def test_card_pulled_mid_write_is_written_once_later(stack, issued):
    db, clerk, reader, acc, card_no = issued
    stack.card.pull_on_update = True
    res = cards.buy(db, clerk, reader, volume="20", tenders=cash())
    assert not res.written and "拔出" in res.message
    assert [(p.seq, p.state) for p in purchases(db)] == [(1, "to_write")]
    stack.pull()
    with pytest.raises(NoCard):
        cards.read_card(db, clerk, reader)
    stack.insert()                                   # the same card, back in the reader
    assert layout.decode(stack.card.files).purchase_seq == 0
    st = cards.read_card(db, clerk, reader)
    assert st.wrote_seq == 1 and st.pending_volume == "20"
    assert cards.write(db, clerk, reader).wrote_seq is None       # double press
    assert stack.card.meter_take() and not stack.card.meter_take()
    assert len(purchases(db)) == 1


def test_edited_card_and_foreign_pin_are_refused(stack, issued):
    db, clerk, reader, acc, card_no = issued
    files = dict(stack.card.files)
    img = layout.decode(files)
    stack.card.files[layout.EF_PURCHASE] = layout.encode(img.but(purchase_seq=3))[
        layout.EF_PURCHASE]
    with pytest.raises(Conflict, match="MAC"):
        cards.read_card(db, clerk, reader)
    stack.card.files = files
    stack.card.pin = b"00000000"                       # a card personalised elsewhere
    reason = cards.buy(db, clerk, reader, volume="5", tenders=cash()).message
    assert "访问密钥不符" in reason
    with pytest.raises(CardRefused):
        reader.write(img, expect_card_no=card_no, key="00" * 16)
