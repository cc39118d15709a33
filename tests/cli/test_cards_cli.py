"""The IC card command line: the issue's example commands with the simulator."""

from __future__ import annotations

import json

import pytest

from counterdesk import clock
from counterdesk.cli import main
from counterdesk.print.escpos_doc import decode
from tests.helpers.billing_helpers import DAY

ID_A = "11010519491231002X"


@pytest.fixture
def env(tmp_path, capsys, monkeypatch):
    clock.set_now(DAY)
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    from counterdesk.db import Database
    from counterdesk.demo.cards import seed_demo

    db = Database(u)
    seed_demo(db, "HQ01")          # the IC price items (demo/cards.py)
    db.dispose()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
    sim = tmp_path / "sim"
    sim.mkdir()
    code, out, err = run(capsys, "--db", u, "--json", "account", "open", "--staff", "1001",
                         "--name", "张小明", "--id-number", ID_A, "--phone", "13812345678",
                         "--district", "江东区", "--street", "测试路", "--room", "301",
                         "--meter", "IC0100888001", "--meter-kind", "ic")
    assert code == 0, err
    return u, f"sim:{sim}", json.loads(out)["account_no"]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_buy_read_meter_insert(capsys, env, printer):
    url, sim, acc = env
    code, out, err = run(capsys, "--db", url, "--json", "card", "issue", acc, "--staff", "1001",
                         "--window", "1", "--reader", sim, "--method", "cash", "--tendered",
                         "100", "--no-print")
    assert code == 0, err
    card_no = json.loads(out)["card_no"]
    code, out, err = run(capsys, "--db", url, "--printer", printer.uri, "--json", "card", "buy",
                         "--staff", "1001", "--window", "1", "--reader", sim, "--volume", "20",
                         "--method", "cash", "--tendered", "100")
    assert code == 0, err
    d = json.loads(out)
    assert (d["seq"], d["volume"], d["amount_fen"], d["written"]) == (1, "20", 5600, True)
    paper = decode(printer.wait_for(2)[-1])
    assert card_no in paper and "第1次" in paper and "已写卡" in paper and "找零" in paper
    code, out, err = run(capsys, "--db", url, "--json", "card", "read", "--staff", "1001",
                         "--reader", sim)
    assert code == 0, err
    d = json.loads(out)
    assert {k: d[k] for k in ("card_no", "account_no", "meter_no", "purchase_seq",
                              "pending_volume", "meter_taken")} == \
        {"card_no": card_no, "account_no": acc, "meter_no": "IC0100888001", "purchase_seq": 1,
         "pending_volume": "20", "meter_taken": False}
    code, out, err = run(capsys, "--db", url, "card", "buy", "--staff", "1001", "--reader", sim,
                         "--volume", "5", "--method", "cash", "--no-print")
    assert code != 0 and "卡内气量尚未输入表具" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--db", url, "card", "meter-insert", "--reader", sim)
    assert code == 0 and "表具已输入 20 立方米" in out
    code, out, err = run(capsys, "--db", url, "card", "write", "--staff", "1001", "--reader", sim)
    assert code == 0 and "无需写卡" in out
    code, out, err = run(capsys, "--db", url, "--json", "card", "ledger", acc, "--staff", "1001")
    assert [p["state"] for p in json.loads(out)["purchases"]] == ["taken"]


def test_cancel_reissue_meter_change_and_bad_input(capsys, env, tmp_path):
    url, sim, acc = env
    base = ["--db", url]
    assert run(capsys, *base, "card", "issue", acc, "--staff", "1001", "--reader", sim,
               "--method", "cash", "--no-print")[0] == 0
    for bad, msg in (("0", "必须大于 0"), ("-3", "必须大于 0"), ("1.5", "小数位"),
                     ("600", "单次购气上限")):
        code, _, err = run(capsys, *base, "card", "buy", "--staff", "1001", "--reader", sim,
                           "--volume", bad, "--method", "cash", "--no-print")
        assert code != 0 and msg in err, (bad, err)
    code, _, err = run(capsys, *base, "card", "read", "--staff", "1001", "--reader",
                       f"sim:{tmp_path / 'missing'}")
    assert code != 0 and "读卡器未连接" in err
    assert run(capsys, *base, "card", "buy", "--staff", "1001", "--reader", sim, "--amount",
               "100", "--method", "qr", "--reference", "WX20261120001", "--no-print")[0] == 0
    code, _, err = run(capsys, *base, "card", "cancel", "--staff", "1001", "--reader", sim,
                       "--reason", "买错")
    assert code != 0 and "授权" in err
    code, out, err = run(capsys, *base, "--json", "card", "cancel", "--staff", "1001",
                         "--reader", sim, "--approver", "9001", "--reason", "买错")
    assert code == 0, err
    assert json.loads(out)["refund_fen"] == 35 * 280
    code, out, err = run(capsys, *base, "--json", "card", "meter-change", "IC0100999001",
                         "--staff", "1001", "--reader", sim, "--remaining", "3",
                         "--approver", "9001")
    assert code == 0, err
    assert run(capsys, *base, "card", "meter-insert", "--reader", sim)[0] == 0
    (tmp_path / "sim" / "slot.txt").write_text("", encoding="utf-8")     # a blank card
    code, out, err = run(capsys, *base, "--json", "card", "reissue", acc, "--staff", "1001",
                         "--reader", sim, "--method", "cash", "--no-print")
    assert code != 0 and "是否已输入表具未知" in err      # the meter took it; nobody knows yet
    code, out, err = run(capsys, *base, "--json", "card", "reissue", acc, "--staff", "1001",
                         "--reader", sim, "--method", "cash", "--no-print", "--meter-seq", "2",
                         "--remaining", "3")
    assert code == 0, err
    d = json.loads(out)
    assert d["purchase_seq"] == 2 and d["carried_seq"] is None


def test_buy_with_a_request_key_and_the_meter_change_of_an_order(capsys, env):
    from counterdesk.requestkeys import new_key

    url, sim, acc = env
    base = ["--db", url]
    assert run(capsys, *base, "card", "issue", acc, "--staff", "1001", "--reader", sim,
               "--method", "cash", "--no-print")[0] == 0
    key = new_key()
    buy = [*base, "--json", "card", "buy", "--staff", "1001", "--reader", sim, "--volume",
           "20", "--method", "cash", "--no-print", "--request-key", key]
    code, out, err = run(capsys, *buy)
    assert code == 0, err
    first = json.loads(out)
    assert first["request_key"] == key and first["replayed"] == ""
    code, out, err = run(capsys, *buy[:2], *buy[3:])         # text: taken before
    assert code == 0 and "已购气（此请求已办理，未重复购气）" in out
    assert first["payment"]["receipt_no"] in out
    code, out, err = run(capsys, *base, "--json", "card", "ledger", acc, "--staff", "1001")
    assert len(json.loads(out)["purchases"]) == 1
    assert run(capsys, *base, "card", "meter-insert", "--reader", sim)[0] == 0
    # a done 换表 order: the read says so, the sale is refused, the card follows the order
    for args in (["order", "add", "--staff", "1001", "--window", "1", "--kind", "meter_change",
                  "--account", acc, "-d", "表具计量异常"],):
        code, out, err = run(capsys, *base, "--json", *args)
        assert code == 0, err
    number = json.loads(out)["number"]
    for args in (["order", "dispatch", number, "--staff", "1001", "--to", "1003"],
                 ["order", "arrive", number, "--staff", "1003"],
                 ["order", "result", number, "--staff", "1003", "--done", "--new-meter",
                  "IC0100888002", "--old-reading", "88", "--new-reading", "0"]):
        code, out, err = run(capsys, *base, *args)
        assert code == 0, (args, err)
    code, out, err = run(capsys, *base, "--json", "card", "read", "--staff", "1001",
                         "--reader", sim)
    due = json.loads(out)["meter_change_due"]
    assert (due["order_no"], due["new_meter_no"]) == (number, "IC0100888002")
    code, out, err = run(capsys, *base, "card", "buy", "--staff", "1001", "--reader", sim,
                         "--volume", "5", "--method", "cash", "--no-print")
    assert code != 0 and number in err and "IC 卡换表" in err
    code, out, err = run(capsys, *base, "card", "meter-change", "--order", number, "--staff",
                         "1001", "--reader", sim, "--remaining", "2", "--approver", "9001")
    assert code == 0 and f"换表工单 {number}" in out, err


def test_bench_runs_at_a_tiny_size(capsys, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import bench_cards

    monkeypatch.delenv("COUNTERDESK_TEST_DATABASE_URL", raising=False)
    out = bench_cards.main(["3", "--pg", "", "--no-pcsc"])
    assert out["sqlite"]["ratio"] > 0
    assert "read→written" in capsys.readouterr().out
