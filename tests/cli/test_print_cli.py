"""Issue 19.4 / 16.5 on the command line: the X report reads its paper from the printer
address, and reports a print the printer did not confirm."""

from __future__ import annotations

import datetime as dt

from counterdesk import clock
from counterdesk.print.escpos_doc import decode, width

DAY = dt.date(2026, 11, 20)


def test_xreport_takes_the_paper_from_the_address_and_tells_the_truth(
        tmp_path, capsys, monkeypatch, printer_factory):
    from counterdesk.cli import main

    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()

    def run(*args):
        monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    clock.set_now(dt.datetime.combine(DAY, dt.time(8, 0)))
    assert run("demo")[0] == 0
    code, _, err = run("till", "open", "--staff", "1001", "--window", "1", "--count", "100=2")
    assert code == 0, err
    out_file = tmp_path / "x.bin"
    code, _, err = run("--printer", f"file:{out_file.as_posix()}?width=58", "till", "xreport",
                       "--staff", "1001", "--print")
    assert code == 0, err
    lines = decode(out_file.read_bytes()).splitlines()
    assert lines and max(width(line) for line in lines) <= 32
    keep = printer_factory("keep-open")
    code, _, err = run("--printer", keep.uri + "?timeout=0.5", "till", "xreport",
                       "--staff", "1001", "--print")
    assert code == 5 and "未确认打出" in err
    code, _, err = run("--printer", printer_factory("refuse").uri, "till", "xreport",
                       "--staff", "1001", "--print")
    assert code == 5 and "未打出" in err


def test_a_receipt_sent_but_unconfirmed_is_listed_and_never_resent(
        tmp_path, capsys, monkeypatch, printer_factory):
    import json

    from counterdesk.cli import main

    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()

    def run(*args):
        monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    clock.set_now(dt.datetime.combine(DAY, dt.time(9, 0)))
    assert run("demo")[0] == 0
    keep = printer_factory("keep-open")
    uri = keep.uri + "?timeout=0.5"
    code, out, err = run("--json", "--printer", uri, "pay", "--staff", "1001", "--item", "CARD",
                         "--method", "cash")
    assert code == 0, err
    paid = json.loads(out)
    assert paid["printed"] is False and "未确认打出" in paid["print_message"]
    code, out, _ = run("--json", "receipt", "pending")
    [job] = json.loads(out)
    assert job["status"] == "sent" and job["receipt_no"] == paid["receipt_no"]
    code, out, _ = run("--printer", uri, "receipt", "print-pending")
    assert code == 0 and "已打印 0 张" in out and keep.connections == 1   # not resent
