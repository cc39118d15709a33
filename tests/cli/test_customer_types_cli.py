"""Customer types as the hall uses them (issue 15.7) through the command line, on SQLite and
PostgreSQL: ``policy set accounts.customer_types``, ``account open --type``,
``prices set --types``, ``prices list``."""

from __future__ import annotations

import json

from counterdesk import clock
from counterdesk.cli import main
from tests.helpers.billing_helpers import DAY
from tests.services.test_accounts import ID_A

TYPES = "resident=居民, commercial=商业, industrial=工业, public=公福, heating=采暖, school=学校"


def run(capsys, monkeypatch, password, *args):
    monkeypatch.setenv("COUNTERDESK_PASSWORD", password)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_hall_types_from_the_command_line(capsys, monkeypatch, demo_db):
    clock.set_now(DAY)
    url = str(demo_db.url)
    opening = ["--db", url, "--json", "account", "open", "--staff", "1001", "--name", "张小明",
               "--id-number", ID_A, "--phone", "13812345678", "--district", "江东区",
               "--street", "测试路", "--room", "301", "--meter", "T0000001", "--type", "学校"]
    code, out, err = run(capsys, monkeypatch, "123456", *opening)
    assert code != 0 and "客户类型" in err and "学校" in err     # not yet the hall's type
    code, out, err = run(capsys, monkeypatch, "888888", "--db", url, "policy", "set",
                         "accounts.customer_types", TYPES, "--staff", "9001")
    assert code == 0, err
    assert "accounts.customer_types" in out and "school=学校" in out
    code, out, err = run(capsys, monkeypatch, "123456", *opening)
    assert code == 0, err
    d = json.loads(out)
    assert d["customer_type"] == "school" and d["customer_type_name"] == "学校"
    code, out, err = run(capsys, monkeypatch, "123456", "--db", url, "account", "show",
                         d["account_no"], "--staff", "1001")
    assert code == 0 and "学校" in out.splitlines()[0]
    code, out, err = run(capsys, monkeypatch, "888888", "--db", url, "prices", "set", "GAS-S",
                         "--name", "学校用气", "--price", "3.00", "--category", "gas",
                         "--unit", "立方米", "--from", DAY.date().isoformat(),
                         "--types", "学校,公服", "--staff", "9001")
    assert code == 0, err
    code, out, err = run(capsys, monkeypatch, "123456", "--db", url, "prices", "list")
    line = next(x for x in out.splitlines() if x.startswith("GAS-S"))
    assert "适用：学校、公福" in line
    # the type is used: it cannot be removed; the refusal names what uses it
    code, out, err = run(capsys, monkeypatch, "888888", "--db", url, "policy", "set",
                         "accounts.customer_types", TYPES.replace(", school=学校", ""),
                         "--staff", "9001")
    assert code != 0 and "1 个未销户的户号" in err and "GAS-S（学校用气）" in err
    assert err.count("\n") == 1


def test_a_new_price_version_keeps_the_items_controls(capsys, monkeypatch, demo_db):
    """`prices set GAS-R` with only a new price: the item stays gas supply (a safety stop
    still refuses it) and resident-only; leaving an option out never lifts a control."""
    from counterdesk import billing

    clock.set_now(DAY)
    url = str(demo_db.url)
    before = next(p for p in billing.list_prices(demo_db, "HQ01") if p.code == "GAS-R")
    assert before.gas_supply and before.customer_types
    code, out, err = run(capsys, monkeypatch, "888888", "--db", url, "prices", "set", "GAS-R",
                         "--name", before.name, "--price", "3.10", "--tiers",
                         "0:3.10;400:3.72", "--from", str(DAY.date()), "--staff", "9001")
    assert code == 0, err
    now = next(p for p in billing.list_prices(demo_db, "HQ01") if p.code == "GAS-R")
    assert now.unit_price_fen == 310
    assert (now.category, now.unit, now.gas_supply, now.customer_types) == \
        (before.category, before.unit, True, before.customer_types)
