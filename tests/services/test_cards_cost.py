"""What an IC card purchase costs the database (issue 20; SQLite and PostgreSQL): the gas
gates with the year's volumes, the price line with its tiers and the meter's figures are
one statement each, an audit append on SQLite is two, and a purchase stays within ten
statements of a cash payment (the time figures are bench/bench_cards.py's)."""

from __future__ import annotations

import pytest

from counterdesk import billing, cards
from counterdesk.cards.drivers.sim import meter_insert
from tests.helpers.cards import cash, ic_account, sim_reader
from tests.helpers.statements import statements


@pytest.fixture
def hall(demo_db, clerk, tmp_path):
    acc = ic_account(demo_db)
    reader = sim_reader(tmp_path)
    cards.issue(demo_db, clerk, reader, acc, tenders=cash())
    return demo_db, clerk, reader


def test_a_purchase_reads_each_rule_once_and_stays_near_a_cash_payment(hall):
    db, clerk, reader = hall
    cards.buy(db, clerk, reader, volume="20", tenders=cash())
    meter_insert(reader, use="3")          # the next read keeps new figures, marks it taken
    sale = billing.SaleRequest(items=[billing.LineInput("REPAIR", "1")], tenders=cash())
    paid = statements(db, lambda: billing.pay(db, clerk, sale))
    bought: list = []
    log = statements(db, lambda: bought.append(
        cards.buy(db, clerk, reader, volume="5", tenders=cash())))
    assert bought[0].written and bought[0].seq == 2
    # the gas gates (hazard, 停气/复气, 报装 and its 通气; was three SELECTs), this year's
    # card sales (yearly cap) and gas volume (tiers; was two): one SELECT
    gated = [s for s in log if "work_orders" in s or "inspections" in s]
    assert len(gated) == 1 and "sum(" in gated[0]
    assert sum("sum(" in s for s in log) == 1
    # the price line's tiers come with it (was a SELECT of its own)
    assert not any(s.startswith("select price_tiers") for s in log)
    # the meter's new figures: one INSERT … SELECT … WHERE NOT EXISTS (was SELECT + INSERT)
    assert sum("meter_readings" in s for s in log) == 1
    # two audit appends (the payment's, the write's): one statement each on PostgreSQL,
    # two on SQLite (was three)
    appends = [s for s in log if "audit_head" in s or "audit_events" in s]
    assert len(appends) == (2 if db.is_postgres else 4)
    # the receipt's "written" line goes with the write's record on PostgreSQL
    assert sum(s.startswith("update print_jobs") for s in log) == (0 if db.is_postgres else 1)
    # two transactions (the sale, then the write's record): was 30 / 26, a cash
    # payment 20 / 18 (now 15 / 13: test_billing_cost)
    assert len(paid) <= (13 if db.is_postgres else 15)
    assert len(log) <= (22 if db.is_postgres else 26), (len(log), len(paid))
