"""Receipts on paper: ESC/POS over TCP, widths on 58/80 mm, the outbox and dead printers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counterdesk import billing, clock, money
from counterdesk.billing import LineInput, SaleRequest, TenderInput
from counterdesk.models.billing import Payment, PrintJob
from counterdesk.print import receipt as receipt_mod
from counterdesk.print.escpos_doc import decode
from counterdesk.print.spooler import PrinterConfig, Spooler, print_pending
from tests.conftest import closed_port
from tests.helpers.billing_helpers import DAY, make_account, printed_lines

ROOT = Path(__file__).resolve().parents[2]
# Rendering and transports do not depend on the engine: those tests run on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])


@pytest.fixture(autouse=True)
def _day():
    clock.set_now(DAY)


def full_sale(db, clerk):
    make_account(db, bills=[("2026-10", 10080)])
    return billing.pay(db, clerk, SaleRequest(
        items=[LineInput("GAS-R", "450"), LineInput("HOSE", "2.5"),
               LineInput("ALARM", "1")],
        bills=["2026-10"], account_no="0100012345",
        tenders=[TenderInput("card", 50000, reference="POS778899"),
                 TenderInput("cash", tendered_fen=200000)]))


@SQLITE_ONLY
@pytest.mark.parametrize("width_mm,dots,cols", [(58, 384, 32), (80, 576, 48), (80, 512, 42)])
def test_receipt_over_tcp_content_and_widths(demo_db, clerk, printer, width_mm, dots, cols):
    res = full_sale(demo_db, clerk)
    cfg = PrinterConfig(f"{printer.uri}?width={width_mm}&dots={dots}", width_mm, dots,
                        timeout=3)
    assert print_pending(demo_db, clerk.hall_id, cfg) == (1, 0, "")
    data = printer.wait_for(1)[0]
    assert b"\x1c\x26" in data and b"\x1c\x2e" in data          # FS & ... FS .
    assert "¥".encode("gb18030") not in data
    text = decode(data)
    for expected in ("滨江市燃气有限公司", "滨江燃气人民路营业厅", "收费收据", "窗口 1",
                     "工号 1001", res.receipt_no, "2026-11-23 10:15:00", "户号 0100012345",
                     "户名 张*明", "居民管道天然气", "第1档", "第2档", "燃气专用不锈钢波纹管",
                     "燃气费 2026-10", "家用燃气报警器", "银行卡", "POS778899", "现金",
                     "实收", "￥2,000.00", "找零", f"验证码 {res.verification_code}",
                     "服务热线 0571-96777"):
        assert expected in text, expected
    total = res.total_fen
    assert money.fmt_symbol(total) in text
    assert money.capitals(total) in text
    assert "张小明" not in text                                   # masked holder
    qr = receipt_mod.qr_content(res.receipt).encode()
    assert qr in data                                            # QR payload
    assert b"\x1bp" in data                                      # cash drawer kick
    for line, width in printed_lines(data):
        assert width <= cols, (line, width)
    with demo_db.read() as s:
        job = s.get(PrintJob, res.print_job_id)
        assert job.status == "printed" and job.attempts == 1


@SQLITE_ONLY
def test_reprint_says_buda_with_count_and_no_drawer(demo_db, clerk, printer):
    res = billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("CARD")],
                                                  tenders=[TenderInput("cash")]))
    cfg = PrinterConfig(printer.uri)
    print_pending(demo_db, clerk.hall_id, cfg)
    billing.reprint(demo_db, clerk, res.receipt_no)
    print_pending(demo_db, clerk.hall_id, cfg)
    billing.reprint(demo_db, clerk, res.receipt_no)
    print_pending(demo_db, clerk.hall_id, cfg)
    jobs = printer.wait_for(3)
    assert "补打" not in decode(jobs[0])
    assert decode(jobs[1]).count("补打（第1次）") == 2 and b"\x1bp" not in jobs[1]
    assert "补打（第2次）" in decode(jobs[2])
    assert billing.get_receipt(demo_db, clerk.hall_id, res.receipt_no)["print_count"] == 3


@SQLITE_ONLY
def test_void_receipt_names_the_original(demo_db, clerk, approval, printer):
    res = billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("VALVE")],
                                                  tenders=[TenderInput("cash")]))
    rev = billing.void(demo_db, clerk, res.receipt_no, approval, reason="收错项目")
    text = decode(receipt_mod.render(rev, columns=32))
    assert "作废冲正收据" in text and f"原票据号 {res.receipt_no}" in text
    assert "退款合计" in text and "-￥68.00" in text and "退陆拾捌元整" in text


@SQLITE_ONLY
@pytest.mark.parametrize("mode", ["refused", "stall", "drop"])
def test_dead_printer_keeps_the_payment_and_retries(demo_db, clerk, printer_factory, printer,
                                                    mode):
    res = billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("CARD")],
                                                  tenders=[TenderInput("cash")]))
    if mode in ("drop", "stall"):   # a receipt with a large logo: more than the printer reads
        with demo_db.write() as s:
            s.get(PrintJob, res.print_job_id).data = (b"\x1b@" + b"\x00" * 16_000_000
                                                      + receipt_mod.render(res))
    uri = {"refused": f"tcp://127.0.0.1:{closed_port()}",
           "stall": printer_factory("stall").uri,
           "drop": printer_factory("drop").uri}[mode]
    states = []
    sp = Spooler(demo_db, clerk.hall_id, PrinterConfig(uri, timeout=0.5), window=1,
                 on_state=states.append)
    printed, failed = sp.run_once()
    assert (printed, failed) == (0, 1)
    assert states[-1]["online"] is False and states[-1]["pending"] == 1
    assert "不可用" in states[-1]["message"]
    with demo_db.read() as s:
        jobs = s.execute(select(PrintJob).where(PrintJob.status == "pending")).scalars().all()
        assert len(jobs) == 1 and jobs[0].attempts == 1 and jobs[0].last_error
        assert s.execute(select(func.count()).select_from(Payment)).scalar() == 1
    # retry on a working printer (switch printer)
    sp.set_printer(printer.uri)
    assert sp.run_once() == (1, 0)
    assert states[-1] == {"online": True, "pending": 0, "message": "", "printer": printer.uri}
    assert billing.pending_jobs(demo_db, clerk.hall_id) == []


@SQLITE_ONLY
def test_out_of_paper_leaves_the_job_pending(demo_db, clerk, printer_factory):
    billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("CARD")],
                                            tenders=[TenderInput("cash")]))
    p = printer_factory("paper-out")
    printed, failed, err = print_pending(
        demo_db, clerk.hall_id, PrinterConfig(f"{p.uri}?status=1", timeout=1))
    assert (printed, failed) == (0, 1) and "缺纸" in err
    assert len(billing.pending_jobs(demo_db, clerk.hall_id)) == 1


@SQLITE_ONLY
def test_worker_thread_prints_after_a_kick(demo_db, clerk, printer):
    done = threading.Event()
    sp = Spooler(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=1,
                 on_printed=lambda job: done.set()).start()
    try:
        billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("CARD")],
                                                tenders=[TenderInput("cash")]))
        sp.kick()
        assert done.wait(10)
    finally:
        sp.stop()
    assert not sp.running


KILL_SCRIPT = r"""
import datetime as dt, os, sys
from counterdesk import billing, clock, staff
from counterdesk.db import Database
clock.set_now(dt.datetime(2026, 11, 23, 10, 15))
db = Database(sys.argv[1], schema=sys.argv[2] or None)
a = staff.sign_in(db, "1001", "123456", window=1)
res = billing.pay(db, a, billing.SaleRequest(items=[billing.LineInput("VALVE")],
                  tenders=[billing.TenderInput("cash", tendered_fen=10000)]))
print(res.receipt_no, flush=True)
os._exit(0)   # the process dies between the commit and the print
"""


def test_killed_between_commit_and_print(demo_db, clerk, printer, tmp_path):
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), demo_db.url, demo_db.schema or ""],
                         capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, "COUNTERDESK_HOME": str(tmp_path / "h")})
    assert out.returncode == 0, out.stderr
    receipt_no = out.stdout.strip()
    # "restart": a fresh look at the database
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(Payment)).scalar() == 1
    pending = billing.pending_jobs(demo_db, clerk.hall_id)
    assert [j.receipt_no for j in pending] == [receipt_no]
    assert print_pending(demo_db, clerk.hall_id, PrinterConfig(printer.uri))[:2] == (1, 0)
    text = decode(printer.wait_for(1)[0])
    assert receipt_no in text and "找零" in text and "￥32.00" in text
    assert billing.pending_jobs(demo_db, clerk.hall_id) == []
    info = billing.get_receipt(demo_db, clerk.hall_id, receipt_no)
    assert info["print_count"] == 1 and json.dumps(info)


@SQLITE_ONLY
def test_render_one_receipt_is_fast(demo_db, clerk):
    import time

    res = full_sale(demo_db, clerk)
    receipt_mod.render(res)  # warm (python-escpos import)
    t = time.perf_counter()
    for _ in range(20):
        receipt_mod.render(res)
    assert (time.perf_counter() - t) / 20 < 0.05   # generous here; bench reports the figure


@SQLITE_ONLY
def test_each_window_prints_only_its_own_receipts(demo_db, clerk, printer):
    from counterdesk import staff

    other = staff.sign_in(demo_db, "1002", "123456", window=2)
    mine = billing.pay(demo_db, clerk, SaleRequest(items=[LineInput("CARD")],
                                                   tenders=[TenderInput("cash")]))
    theirs = billing.pay(demo_db, other, SaleRequest(items=[LineInput("CARD")],
                                                     tenders=[TenderInput("cash")]))
    assert print_pending(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=1)[:2] \
        == (1, 0)
    assert print_pending(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=None)[:2] \
        == (0, 0)                                  # a PC without a window: none of theirs
    assert [j.receipt_no for j in billing.pending_jobs(demo_db, clerk.hall_id)] == \
        [theirs.receipt_no]
    assert mine.receipt_no in decode(printer.wait_for(1)[0])
