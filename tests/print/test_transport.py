"""The one print transport and the spooler telling the truth (issues 16.5, 16.6, 19.4)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from counterdesk import billing, clock
from counterdesk.billing import LineInput, SaleRequest, TenderInput
from counterdesk.errors import Conflict, PrinterError, ValidationError
from counterdesk.models.billing import PrintJob
from counterdesk.print import printers
from counterdesk.print.escpos_doc import decode
from counterdesk.print.printers import PrinterConfig, PrintUnconfirmed
from counterdesk.print.spooler import Spooler, print_pending
from counterdesk.settings import Settings
from tests.conftest import closed_port
from tests.helpers.billing_helpers import DAY

SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])
DRAWER = b"\x1bp\x00"


@pytest.fixture(autouse=True)
def _day():
    clock.set_now(DAY)


def cash_sale(db, clerk):
    return billing.pay(db, clerk, SaleRequest(items=[LineInput("CARD")],
                                              tenders=[TenderInput("cash")]))


def status(db, job_id):
    with db.read() as s:
        return s.get(PrintJob, job_id).status


# -- the transport --------------------------------------------------------------------------
def test_keep_open_printer_is_unconfirmed_not_printed(printer_factory):
    p = printer_factory("keep-open")
    with pytest.raises(PrintUnconfirmed) as e:
        printers.send(printers.parse(p.uri, timeout=0.5), b"\x1b@hello\n")
    assert "未确认打出" in e.value.message and "补打" in e.value.message


def test_status_query_confirms_with_gs_r(printer):
    printers.send(printers.parse(printer.uri + "?status=1"), b"\x1b@ok\n")
    assert printer.wait_for(1)[0] == b"\x1b@ok\n"


def test_paper_out_is_refused_before_any_byte(printer_factory):
    p = printer_factory("paper-out")
    with pytest.raises(PrinterError) as e:
        printers.send(printers.parse(p.uri + "?status=1", timeout=1), b"\x1b@ticket\n")
    assert not isinstance(e.value, PrintUnconfirmed) and "缺纸" in e.value.message


@pytest.mark.parametrize("mode", ["refuse", "stall", "drop"])
def test_nothing_printed_is_a_plain_printer_error(printer_factory, mode):
    p = printer_factory(mode)
    big = b"\x00" * 16_000_000    # more than the socket buffers hold
    with pytest.raises(PrinterError) as e:
        printers.send(printers.parse(p.uri, timeout=0.5), big)
    assert not isinstance(e.value, PrintUnconfirmed) and "未打出" in e.value.message


def test_options_come_from_the_uri_over_the_settings():
    s = Settings()
    s.printer.uri, s.printer.width, s.printer.dots, s.printer.timeout = "file:x.bin", 80, 576, 5
    p = printers.from_settings(s)
    assert (p.width_mm, p.dots, p.columns, p.timeout, p.cash_drawer) == (80, 576, 48, 5, True)
    p = printers.from_settings(s, "file:x.bin?width=58")
    assert (p.width_mm, p.dots, p.columns) == (58, 576, 32) or p.columns <= 32
    p = printers.from_settings(s, "tcp://h?width=80&dots=512&timeout=2&drawer=0")
    assert (p.columns, p.timeout, p.cash_drawer) == (42, 2, False)
    s.printer.uri = ""
    with pytest.raises(PrinterError):
        printers.from_settings(s)
    with pytest.raises(ValidationError):
        printers.from_settings(s, "tcp://h?dots=999")


def test_usb_is_refused_on_windows(monkeypatch):
    monkeypatch.setattr("sys.platform", "win32")
    with pytest.raises(ValidationError) as e:
        printers.parse("usb:0416:5011")
    assert "win32:" in e.value.message


# -- the spooler ----------------------------------------------------------------------------
@SQLITE_ONLY
def test_keep_open_job_is_sent_once_and_reprinted_as_bu_da(demo_db, clerk, printer_factory,
                                                           printer):
    res = cash_sale(demo_db, clerk)
    keep = printer_factory("keep-open")
    told = []
    sp = Spooler(demo_db, clerk.hall_id, PrinterConfig(keep.uri, timeout=0.5), window=1,
                 on_unconfirmed=lambda job, msg: told.append((job.receipt_no, msg)))
    assert sp.run_once() == (0, 1)
    assert status(demo_db, res.print_job_id) == "sent"
    assert told and told[0][0] == res.receipt_no and "补打" in told[0][1]
    assert sp.run_once() == (0, 0)          # never resent blindly
    assert keep.connections == 1 and len(told) == 1
    assert billing.pending_count(demo_db, clerk.hall_id) == 0
    [job] = billing.unconfirmed_jobs(demo_db, clerk.hall_id, window=1)
    assert job.receipt_no == res.receipt_no
    again = billing.reprint(demo_db, clerk, res.receipt_no)   # the clerk's 补打
    sp.set_printer(printer.uri)
    assert sp.run_once() == (1, 0)
    data = printer.wait_for(1)[0]
    assert "补打" in decode(data) and DRAWER not in data
    assert status(demo_db, again.id) == "printed"


@SQLITE_ONLY
def test_drawer_never_opens_on_a_retry(demo_db, clerk, printer):
    res = cash_sale(demo_db, clerk)
    sp = Spooler(demo_db, clerk.hall_id, PrinterConfig(f"tcp://127.0.0.1:{closed_port()}",
                                                       timeout=0.5), window=1)
    assert sp.run_once() == (0, 1)
    assert status(demo_db, res.print_job_id) == "pending"
    sp.set_printer(printer.uri)
    assert sp.run_once() == (1, 0)
    data = printer.wait_for(1)[0]
    assert res.receipt_no in decode(data) and DRAWER not in data


@SQLITE_ONLY
def test_first_attempt_opens_the_drawer(demo_db, clerk, printer):
    cash_sale(demo_db, clerk)
    assert print_pending(demo_db, clerk.hall_id, PrinterConfig(printer.uri))[:2] == (1, 0)
    assert DRAWER in printer.wait_for(1)[0]


def test_a_job_is_claimed_once(demo_db, clerk):
    res = cash_sale(demo_db, clerk)
    results = []
    barrier = threading.Barrier(4)

    def claim():
        barrier.wait()
        results.append(billing.claim_job(demo_db, res.print_job_id))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert status(demo_db, res.print_job_id) == "printing"
    assert billing.pending_jobs(demo_db, clerk.hall_id) == []
    with pytest.raises(Conflict) as e:   # no 补打 of a job being printed
        billing.reprint(demo_db, clerk, res.receipt_no)
    assert "打印队列" in e.value.message


def test_two_spoolers_print_each_job_once(demo_db, clerk, printer):
    for _ in range(3):
        cash_sale(demo_db, clerk)
    a = Spooler(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=1)
    b = Spooler(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=1)
    out = []
    ts = [threading.Thread(target=lambda sp=sp: out.append(sp.run_once())) for sp in (a, b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sum(p for p, _ in out) == 3
    assert len(printer.wait_for(3)) == 3


def test_a_claim_left_by_a_dead_program_becomes_unconfirmed(demo_db, clerk, printer):
    res = cash_sale(demo_db, clerk)
    assert billing.claim_job(demo_db, res.print_job_id)     # then the program dies
    clock.set_now(DAY + dt.timedelta(minutes=5))
    told = []
    sp = Spooler(demo_db, clerk.hall_id, PrinterConfig(printer.uri), window=1,
                 on_unconfirmed=lambda job, msg: told.append((job.receipt_no, msg)))
    assert sp.run_once() == (0, 0)
    assert told == [(res.receipt_no, "打印程序在打印中途退出，未确认是否打出；未出纸可补打")]
    assert sp.run_once() == (0, 0) and len(told) == 1
    assert status(demo_db, res.print_job_id) == "sent"
    assert printer.jobs == []


def test_a_printer_holding_the_connection_is_confirmed_by_status(printer_factory):
    from counterdesk import firstrun

    hold = printer_factory("hold")
    with pytest.raises(PrinterError) as e:      # no close, no status asked: unconfirmed
        firstrun.test_print(hold.uri + "?timeout=0.5", hall_code="HQ01", window=1)
    assert "?status=1" in e.value.message       # the test page says what to do
    firstrun.test_print(hold.uri + "?status=1&timeout=1", hall_code="HQ01", window=1)
    assert "打印测试" in decode(hold.wait_for(2)[1])
