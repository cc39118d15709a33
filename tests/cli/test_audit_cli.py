"""``audit verify --anchor / --against`` and the Z report's anchor, from the command line."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from counterdesk import billing, cash, clock, staff
from counterdesk.cli import main
from counterdesk.db import Database

DAY = dt.date(2026, 11, 20)


def at(h):
    clock.set_now(dt.datetime.combine(DAY, dt.time(h, 0)))


@pytest.fixture
def closed(tmp_path, capsys, monkeypatch):
    """A demo hall with one cash payment and its day closed; returns (run, url, anchor)."""
    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()

    def run(*args, pw="888888"):
        monkeypatch.setenv("COUNTERDESK_PASSWORD", pw)
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    at(8)
    assert run("demo")[0] == 0
    db = Database(url)
    c1 = staff.sign_in(db, "1001", "123456", window=1)
    cash.open_till(db, c1, {"100": 1})
    billing.pay(db, c1, billing.SaleRequest(items=[billing.LineInput("CARD", "1")],
                                            tenders=[billing.TenderInput("cash")]))
    cash.count_till(db, c1, {"100": 1, "10": 2})
    cash.close_till(db, c1, "")
    cash.countersign(db, c1, staff.Approval("9001", "888888"))
    at(18)
    rep = cash.close_day(db, staff.sign_in(db, "9001", "888888"), DAY, backup=False).report
    db.dispose()
    yield run, tmp_path / "cli.sqlite3", rep["anchor"]


def test_the_z_report_and_the_text_carry_the_anchor(closed, printer):
    run, _, anchor = closed
    code, out, err = run("--printer", printer.uri, "day", "report", "--date", "2026-11-20",
                         "--staff", "9001", "--print")
    assert code == 0, err
    assert f"审计锚点（请留存）：{anchor}" in out and "已打印 Z 报表" in out
    hall, seq, digest = anchor.split(":")            # its hall's chain: HALL:SEQ:HASH
    assert hall == "HQ01"
    data = b"".join(printer.wait_for(1))
    assert "Z 报表".encode("gb18030") in data and "审计锚点".encode("gb18030") in data
    assert f"{hall}:{seq}:".encode() in data
    assert digest[:32].encode() in data and digest[32:].encode() in data


def test_verify_with_the_printed_anchor_and_a_backup(closed, tmp_path, monkeypatch):
    run, path, anchor = closed
    code, out, err = run("audit", "verify", "--anchor", anchor)
    assert code == 0 and "1 个锚点相符" in out and "HQ01:" in out, err
    code, out, err = run("audit", "verify", "--anchor", anchor.partition(":")[2])  # old form
    assert code == 0 and "1 个锚点相符" in out, err
    code, _, err = run("audit", "verify", "--anchor", "1:" + "0" * 64)
    assert code == 6 and "第 1 号审计事件的哈希与给定的锚点不符" in err
    code, _, err = run("audit", "verify", "--anchor", "12:xyz")
    assert code != 0 and "锚点格式不对" in err and err.count("\n") == 1
    code, out, err = run("backup", str(tmp_path / "b.sqlite3"), "--staff", "admin",
                         pw="admin123")
    assert code == 0, err
    code, out, err = run("audit", "verify", "--against", str(tmp_path / "b.sqlite3"))
    assert code == 0 and "锚点相符" in out, err
    code, _, err = run("audit", "verify", "--against", str(tmp_path / "missing.sqlite3"))
    assert code != 0 and "无法读取备份文件" in err and err.count("\n") == 1


def test_verify_names_the_edited_payment(closed):
    run, path, _ = closed
    con = sqlite3.connect(path)
    con.execute("UPDATE payments SET total_fen = 100")
    con.execute("UPDATE staff SET role = 'admin' WHERE staff_no = '1001'")
    con.commit()
    con.close()
    code, _, err = run("audit", "verify")
    assert code == 6
    assert "收费记录（payments）第 1 行（2026-000001）的内容与审计链记录的不符" in err
    assert "员工（staff）" in err and "（1001）" in err
