"""The fee-collection command line, the price-list PDF and the benchmark (tiny run)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from counterdesk import clock
from counterdesk.cli import main
from counterdesk.print.escpos_doc import decode
from tests.helpers.billing_helpers import DAY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(tmp_path, capsys, monkeypatch):
    clock.set_now(DAY)
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
    return u


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pay_json_prints_and_reprints(capsys, url, printer):
    code, out, err = run(capsys, "--db", url, "--printer", printer.uri, "--json", "pay",
                         "--staff", "1001", "--window", "2", "--item", "HOSE:2.5",
                         "--item", "valve", "--method", "cash", "--tendered", "200")
    assert code == 0, err
    data = json.loads(out)
    assert data["receipt_no"] == "2026-000001" and data["total"] == "105.50"
    assert data["total_capitals"] == "壹佰零伍元伍角整"
    assert [ln["amount_fen"] for ln in data["lines"]] == [3750, 6800]
    assert data["change_fen"] == 9450 and data["printed"] is True
    text = decode(printer.wait_for(1)[0])
    assert "2026-000001" in text and "窗口 2" in text
    code, out, _ = run(capsys, "--db", url, "--printer", printer.uri, "receipt", "reprint",
                       "2026-000001", "--staff", "1001")
    assert code == 0 and "第 1 次" in out
    assert "补打（第1次）" in decode(printer.wait_for(2)[1])


def test_split_cheque_and_pending_queue(capsys, url, tmp_path):
    code, out, err = run(capsys, "--db", url, "--json", "pay", "--staff", "1001", "--item",
                         "METER-MOVE", "--split", "cheque:100:10203040:工商银行",
                         "--split", "qr:rest:WX2026998877")
    assert code == 0, err
    data = json.loads(out)
    assert [(t["method"], t["amount_fen"]) for t in data["tenders"]] == [("cheque", 10000),
                                                                         ("qr", 5000)]
    assert data["printed"] is False                       # no printer set: waits
    code, out, _ = run(capsys, "--db", url, "--json", "receipt", "pending")
    assert [j["receipt_no"] for j in json.loads(out)] == ["2026-000001"]
    dest = tmp_path / "paper.bin"
    code, out, _ = run(capsys, "--db", url, "--printer", f"file:{dest.as_posix()}",
                       "receipt", "print-pending")
    assert code == 0 and "已打印 1 张" in out
    assert "支票号 10203040" in decode(dest.read_bytes())
    code, out, _ = run(capsys, "--db", url, "--printer",
                       "tcp://127.0.0.1:1", "receipt", "print-pending")
    assert code == 0 and "已打印 0 张" in out              # nothing left


def test_void_and_refund_need_the_approver(capsys, url):
    run(capsys, "--db", url, "pay", "--staff", "1001", "--item", "HOSE:3", "--item", "REPAIR",
        "--method", "cash", "--no-print")
    code, _, err = run(capsys, "--db", url, "receipt", "void", "2026-000001", "--staff", "1001",
                       "--reason", "收错")
    assert code != 0 and "授权" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--db", url, "--json", "receipt", "refund", "2026-000001",
                         "--line", "1:1", "--staff", "1001", "--approver", "9001",
                         "--reason", "退一米", "--no-print")
    assert code == 0, err
    data = json.loads(out)
    assert data["kind"] == "refund" and data["total_fen"] == -1500
    assert data["original_receipt_no"] == "2026-000001"
    code, out, err = run(capsys, "--db", url, "--json", "receipt", "void", "2026-000001",
                         "--staff", "1001", "--approver", "9001", "--reason", "x", "--no-print")
    assert code != 0 and "部分退款" in err
    code, out, _ = run(capsys, "--db", url, "--json", "receipt", "show", "2026-000001",
                       "--staff", "1001")
    assert json.loads(out)["reversals"] == ["2026-000002"]


@pytest.mark.parametrize("args,text", [
    (["--item", "VALVE:0", "--method", "cash"], "必须大于 0"),
    (["--item", "VALVE", "--method", "cash", "--tendered", "10"], "少于应收"),
    (["--item", "VALVE", "--method", "cheque"], "支票号码"),
    (["--item", "HOSE-OLD", "--method", "cash"], "停止执行"),
    (["--item", "ALARM:200", "--method", "cash"], "超过限额"),
    (["--item", "VALVE"], "--method"),
])
def test_pay_bad_input(capsys, url, args, text):
    code, out, err = run(capsys, "--db", url, "pay", "--staff", "1001", *args)
    assert code != 0 and text in err and out == ""
    code, out, _ = run(capsys, "--db", url, "--json", "receipt", "pending")
    assert json.loads(out) == []


def test_prices_verbs_and_pdf(capsys, url, tmp_path, monkeypatch):
    code, out, _ = run(capsys, "--db", url, "prices", "list")
    assert code == 0 and "GAS-R" in out and "HOSE-OLD" not in out
    csv_file = tmp_path / "p.csv"
    code, out, _ = run(capsys, "--db", url, "prices", "export", str(csv_file))
    assert code == 0 and "0:2.80;400:3.36;1200:4.20" in csv_file.read_text(encoding="utf-8-sig")
    code, _, err = run(capsys, "--db", url, "prices", "set", "VALVE", "--name", "管道自闭阀",
                       "--price", "72", "--unit", "个", "--from", "2026-12-01", "--staff", "1001")
    assert code != 0 and "主任" in err
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, _ = run(capsys, "--db", url, "--json", "prices", "import", str(csv_file),
                       "--staff", "9001")
    assert code == 0 and json.loads(out)["unchanged"] == 13
    code, out, err = run(capsys, "--db", url, "--json", "prices", "set", "VALVE", "--name",
                         "管道自闭阀", "--price", "72", "--unit", "个", "--category", "material",
                         "--from", "2026-12-01", "--reason", "调价", "--staff", "9001")
    assert code == 0, err
    assert json.loads(out)["unit_price_fen"] == 7200
    code, out, _ = run(capsys, "--db", url, "--json", "prices", "history", "VALVE")
    assert json.loads(out)[-1]["reason"] == "调价"
    code, out, err = run(capsys, "--db", url, "prices", "import", str(csv_file),
                         "--staff", "9001")    # the old list would undo the change: refused
    assert code != 0 and "追溯" in err
    pdf = tmp_path / "board.pdf"
    code, out, _ = run(capsys, "--db", url, "prices", "pdf", str(pdf))
    assert code == 0
    from pypdf import PdfReader

    text = PdfReader(str(pdf)).pages[0].extract_text()
    for s in ("收费标准公示", "居民管道天然气", "第2档", "3.36", "298.00", "0571-96777",
              "2027-01-01"):
        assert s in text, s


def test_bench_runs_at_a_tiny_size(capsys, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_billing

    monkeypatch.delenv("COUNTERDESK_TEST_DATABASE_URL", raising=False)
    out = bench_billing.main(["3", "--pg", ""])
    assert out["sqlite"]["ratio"] > 0 and out["render_ms"] > 0
    assert "ratio" in capsys.readouterr().out
