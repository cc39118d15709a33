"""Account command line, slips and PDF forms (read back), and the benchmark at a tiny size."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from counterdesk import accounts, staff
from counterdesk.cli import main
from counterdesk.print.escpos_doc import decode
from tests.helpers.pdfcheck import embedded_fonts as _embedded_fonts
from tests.helpers.pdfcheck import pdf_text as _pdf_text
from tests.services.test_accounts import ID_A, ID_B, person

ROOT = Path(__file__).resolve().parents[2]


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


OPEN = ["account", "open", "--staff", "1001", "--name", "张小明", "--id-number", ID_A,
        "--phone", "13812345678", "--district", "江东区", "--street", "测试路",
        "--community", "测试小区", "--building", "1", "--unit", "2", "--room", "301",
        "--meter", "T0000001"]


def test_cli_open_show_search_json(capsys, url, tmp_path):
    code, out, err = run(capsys, "--db", url, "--json", *OPEN)
    assert code == 0, (out, err)
    d = json.loads(out)
    no = d["account_no"]
    assert d["holder"]["id_masked"] == "1101**********002X"
    assert ID_A not in out and "13812345678" not in out
    code, out, _ = run(capsys, "--db", url, "account", "show", "--staff", "1001", no, "--ledger")
    assert code == 0 and "138****5678" in out and ID_A not in out and "余额" in out
    code, out, _ = run(capsys, "--db", url, "--json", "account", "search", "--staff", "1001",
                       "zhxm")
    hits = json.loads(out)["hits"]
    assert no in [h["account_no"] for h in hits]
    assert ID_A not in out and "13812345678" not in out
    code, out, _ = run(capsys, "--db", url, "account", "search", "--staff", "1001", "002X",
                       "--by", "id_tail")
    assert no in out and "1101**********002X" in out


def test_cli_bad_input_one_line(capsys, url):
    bad = list(OPEN)
    bad[bad.index(ID_A)] = "110105194912310021"
    code, out, err = run(capsys, "--db", url, *bad)
    assert code != 0 and "证件号码" in err and "校验位" in err and err.count("\n") == 1
    bad = list(OPEN)
    bad[bad.index("张小明")] = "张" * 400
    code, out, err = run(capsys, "--db", url, *bad)
    assert code != 0 and "过长" in err


def test_cli_transfer_refused_for_arrears_then_done(capsys, url, tmp_path):
    code, out, _ = run(capsys, "--db", url, "--json", *OPEN)
    no = json.loads(out)["account_no"]
    csv = tmp_path / "bills.csv"
    csv.write_text(f"account,period,volume,amount,due_date\n{no},2026-10,10,45.60,2026-11-20\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "--db", url, "bills", "import", "--staff", "1001", str(csv))
    assert code == 0 and "已导入 1 张账单" in out
    tr = ["account", "transfer", no, "--staff", "1001", "--reason", "sale", "--new-name", "李四",
          "--new-id-number", ID_B, "--new-phone", "13912345678",
          "--docs", "old_holder_id,new_holder_id,sale_contract"]
    code, out, err = run(capsys, "--db", url, *tr)
    assert code != 0 and "欠费 ￥45.60" in err
    # pay it (as the billing system would) and try again, with the PDF
    from counterdesk.db import Database
    from counterdesk.models.accounts import Bill

    db = Database(url)
    with db.write() as s:
        for b in s.query(Bill).all():
            b.paid_fen = b.amount_fen
    db.dispose()
    pdf = tmp_path / "transfer.pdf"
    code, out, err = run(capsys, "--db", url, "--json", *tr, "--pdf", str(pdf))
    assert code == 0, err
    d = json.loads(out)
    assert [h["holder"]["name"] for h in d["history"]] == ["张小明", "李四"]
    text = _pdf_text(pdf)
    assert "过户确认单" in text and "李四" in text and "张小明" in text and no in text
    assert "3301**********1238" in text and ID_B not in text


def test_cli_bills_import_lists_every_bad_row(capsys, url, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("account,period,volume,amount,due_date\n"
                   "0100000017,2026-13,1,1,2026-11-20\n0100000018,2026-10,x,1,2026-11-20\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "--db", url, "bills", "import", "--staff", "1001", str(csv))
    assert code != 0
    assert "第 2 行 period" in err and "第 3 行 account" in err and "第 3 行 volume" in err
    assert "未导入任何账单" in err


def test_cli_reveal(capsys, url):
    code, out, _ = run(capsys, "--db", url, "--json", *OPEN)
    no = json.loads(out)["account_no"]
    code, out, err = run(capsys, "--db", url, "account", "reveal", "--staff", "1001", no,
                         "id_number")
    assert code != 0 and "权限" in err
    import os

    os.environ["COUNTERDESK_PASSWORD"] = "888888"
    code, out, err = run(capsys, "--db", url, "account", "reveal", "--staff", "9001", no,
                         "phone")
    os.environ["COUNTERDESK_PASSWORD"] = "123456"
    assert code == 0 and out.strip() == "13812345678"


# -- paper ----------------------------------------------------------------------------------
@pytest.fixture
def opened(db):
    from counterdesk import resources_access, setup

    setup.create_hall(db, resources_access.read_toml("demo", "hall.toml"))
    staff.add_user(db, "1001", "柜员甲", "clerk", "123456", hall_code="HQ01")
    clerk = staff.sign_in(db, "1001", "123456", window=1)
    v = accounts.open_account(db, clerk, person(name="李堃", special_groups=["elderly"]))
    return db, clerk, v


def test_opening_pdf_read_back_font_embedded(opened, tmp_path):
    from counterdesk.print.account_docs import account_form_pdf

    db, clerk, v = opened
    names = accounts.hall_names(db, clerk)
    path = account_form_pdf(v, names["hall_name"], names["company_name"], "open",
                            tmp_path / "open.pdf", staff_no="1001", staff_name="柜员甲")
    text = _pdf_text(path)
    for want in ("开户确认单", "滨江市燃气有限公司", v.account_no, "李堃", "1101**********002X",
                 "138****5678", "江东区测试路测试小区1幢2单元301室", "签名", "老"):
        assert want in text, want
    assert ID_A not in text and "13812345678" not in text
    fonts = _embedded_fonts(path)
    cjk = [n for n in fonts if "WenQuanYi" in n]
    assert cjk and all(fonts[n] for n in cjk)
    assert all(fonts.values()), fonts          # every font embedded (no bare Helvetica)
    import shutil
    import subprocess

    if shutil.which("pdffonts"):                # poppler's view agrees
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows and all(r.split()[-5] == "yes" for r in rows), rows


def test_a_character_no_font_has_is_written_out():
    from counterdesk.print import pdf

    # plane-16 private use: in no font; written out, never silently dropped
    out = pdf.markup("人民\U0010FFFD路 <1>")
    assert "[U+10FFFD]" in out and "人民" in out and "&lt;1&gt;" in out


def _rare_font_present() -> bool:
    from counterdesk.print import pdf

    return any(path.is_file() for path, _ in pdf.rare_font_candidates())


@pytest.mark.skipif(not _rare_font_present(),
                    reason="no font with CJK Extension B on this PC (Windows has SimSun-ExtB; "
                           "Debian: apt install fonts-hanazono)")
def test_pdf_prints_a_rare_character_from_the_pcs_font(opened, tmp_path):
    """𠮷 (U+20BB7, Extension B) is not in the bundled font: it comes from the PC's
    SimSun-ExtB / HanaMin, embedded like the rest."""
    from counterdesk.print.account_docs import account_form_pdf

    db, clerk, _ = opened
    v = accounts.open_account(db, clerk, person(name="𠮷祥", meter_no="R1", room="302"))
    path = account_form_pdf(v, "厅", "公司", "open", tmp_path / "r.pdf")
    text = _pdf_text(path)
    assert "𠮷祥" in text and "[U+20BB7]" not in text  # copies and searches right too
    fonts = _embedded_fonts(path)
    assert all(fonts.values()), fonts
    assert [n for n in fonts if "WenQuanYi" not in n and "DejaVu" not in n], fonts


def test_account_slip_masked(opened):
    from counterdesk.print.account_docs import account_slip

    db, clerk, v = opened
    data = account_slip(v, "滨江燃气人民路营业厅", "open", staff_no="1001", window=1, columns=32)
    text = decode(data)
    assert v.account_no in text and "李*" in text and "1101**********002X" in text
    assert "138****5678" in text and ID_A not in text and "李堃" not in text


def test_slip_sent_to_printer(opened, printer):
    from counterdesk.print import printers
    from counterdesk.print.account_docs import account_slip

    db, clerk, v = opened
    printers.send(printer.uri, account_slip(v, "厅", "open"))
    assert v.account_no in decode(printer.wait_for(1)[0])


# -- benchmark --------------------------------------------------------------------------------
def test_bench_runs_at_a_tiny_size(capsys):
    spec = importlib.util.spec_from_file_location("bench_accounts",
                                                  ROOT / "bench" / "bench_accounts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = mod.main(["300", "--bills", "100", "--queries", "20"])
    assert out and out[0]["accounts"] == 300 and out[0]["bill_import"]["rows"] == 100
    assert set(out[0]["search"]) >= {"account_no", "name", "initials", "phone", "id_tail",
                                     "address", "meter_no"}
    assert all(r["found"].startswith("20/") for r in out[0]["search"].values())
    assert "primary-key lookup" in capsys.readouterr().out


def test_cli_slip_printer_offline_keeps_account(capsys, url):
    from tests.conftest import closed_port

    code, out, err = run(capsys, "--db", url, "--printer", f"tcp://127.0.0.1:{closed_port()}",
                         *OPEN, "--slip")
    assert code == 5 and "业务已保存" in out
    code, out, _ = run(capsys, "--db", url, "account", "search", "--staff", "1001", "zhxm")
    assert "张小明" in out


def test_cli_slip_printed(capsys, url, printer):
    code, out, err = run(capsys, "--db", url, "--printer", printer.uri, *OPEN, "--slip")
    assert code == 0 and "凭条已打印" in out
    assert "1101**********002X" in decode(printer.wait_for(1)[0])
