"""Work-order command line: the issue's examples, inspections, notices, slip and report."""

from __future__ import annotations

import json

import pytest

from counterdesk.cli import main
from counterdesk.print.escpos_doc import decode
from tests.cli.test_accounts_cli import OPEN


@pytest.fixture
def url(tmp_path, monkeypatch, capsys):
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    return u


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_order_life_as_in_the_issue(capsys, url, tmp_path, monkeypatch, printer):
    code, out, err = run(capsys, "--db", url, "--json", *OPEN)
    assert code == 0, err
    acc = json.loads(out)["account_no"]
    code, out, err = run(capsys, "--db", url, "--printer", printer.uri, "--json", "order",
                         "add", "--staff", "1001", "--window", "1", "--kind", "repair",
                         "--account", acc, "--phone", "13912345678", "-d", "灶具打不着火",
                         "--slip")
    assert code == 0, err
    d = json.loads(out)
    no = d["number"]
    assert d["slip"] == "printed" and "13912345678" not in out
    slip = decode(printer.wait_for(1)[0])
    assert no in slip and "报修" in slip and "修复期限" in slip and "139****5678" in slip
    for args in (("dispatch", no, "--staff", "1001", "--to", "1003"),
                 ("arrive", no, "--staff", "1003"),
                 ("result", no, "--staff", "1003", "--done", "--note", "更换点火针"),
                 ("close", no, "--staff", "1003")):
        code, out, err = run(capsys, "--db", url, "order", *args)
        assert code == 0, (args, err)
    code, out, err = run(capsys, "--db", url, "order", "followup", no, "--staff", "1003",
                         "--verdict", "satisfied")
    assert code != 0 and "未参与施工" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--db", url, "--json", "order", "followup", no, "--staff",
                         "1002", "--verdict", "satisfied")
    assert code == 0 and json.loads(out)["status"] == "followed_up"
    code, out, err = run(capsys, "--db", url, "order", "show", no, "--staff", "1001")
    assert code == 0 and "回访" in out and "1003" in out
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, err = run(capsys, "--db", url, "order", "report", "--staff", "9001",
                         "--pdf", str(tmp_path / "o.pdf"), "--csv", str(tmp_path / "o.csv"))
    assert code == 0, err
    assert (tmp_path / "o.pdf").read_bytes()[:4] == b"%PDF"
    assert "报修" in (tmp_path / "o.csv").read_text(encoding="utf-8-sig")


def test_alarm_inspection_and_notice(capsys, url, tmp_path, monkeypatch):
    code, out, err = run(capsys, "--db", url, "order", "add", "--staff", "1001", "--kind",
                         "alarm", "--address", "江东区测试路 8 号楼道", "--phone", "13912345678",
                         "-d", "楼道燃气味", "--channel", "hotline")
    assert code == 0 and "24 小时抢修电话" in out, err
    code, out, err = run(capsys, "--db", url, "--json", *OPEN)
    acc = json.loads(out)["account_no"]
    code, out, err = run(capsys, "--db", url, "--json", "inspection", "record", acc, "--staff",
                         "1003", "--outcome", "hazard", "--hazard", "软管老化")
    assert code == 0 and json.loads(out)["supply_stopped"], err
    code, out, err = run(capsys, "--db", url, "order", "add", "--staff", "1001", "--kind",
                         "restore", "--account", acc)
    assert code != 0 and "安检工单号" in err
    code, out, err = run(capsys, "--db", url, "notice", "add", "--staff", "1001", "--street",
                         "滨江路", "--from", "2030-01-03 09:00", "--to", "2030-01-03 12:00",
                         "--reason", "阀门检修")
    assert code != 0 and "主任" in err                       # a clerk needs an approver
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
    code, out, err = run(capsys, "--db", url, "notice", "add", "--staff", "1001", "--approver",
                         "9001", "--street", "滨江路", "--from", "2030-01-03 09:00", "--to",
                         "2030-01-03 12:00", "--reason", "阀门检修")
    assert code == 0, err
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, err = run(capsys, "--db", url, "notice", "add", "--staff", "9001", "--street",
                         "测试路", "--from", "2030-01-02 09:00", "--to", "2030-01-02 08:00",
                         "--reason", "管网改造")
    assert code != 0 and "结束时间应晚于开始时间" in err
    code, out, err = run(capsys, "--db", url, "--json", "notice", "add", "--staff", "9001",
                         "--street", "测试路", "--from", "2030-01-02 09:00", "--to",
                         "2030-01-02 17:00", "--reason", "管网改造")
    assert code == 0, err
    tq = json.loads(out)["number"]
    path = tmp_path / "affected.csv"
    code, out, err = run(capsys, "--db", url, "--json", "notice", "list", "--staff", "9001",
                         "--accounts", tq, "--csv", str(path))
    assert code == 0, err
    assert acc in [r["account_no"] for r in json.loads(out)["accounts"]]
    assert acc in path.read_text(encoding="utf-8-sig")
    code, out, err = run(capsys, "--db", url, "--json", "inspection", "due", "--staff", "9001",
                         "--street", "测试路", "--days", "30")
    assert code == 0 and acc not in out                     # just inspected (hazard counts)
