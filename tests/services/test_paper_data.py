"""Issue 19 on real databases: tiered refunds tier by tier, the approver on reversals,
NFKC normalisation of what people type, unprintable price units refused, the day close
as typed Excel cells and single-language PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from counterdesk import billing, clock, money, staff, validators
from counterdesk.billing import LineInput, PriceInput, RefundLine, SaleRequest, TenderInput
from counterdesk.errors import ValidationError
from counterdesk.print import receipt
from counterdesk.print.escpos_doc import decode
from tests.helpers.billing_helpers import DAY, make_account


@pytest.fixture(autouse=True)
def _day():
    clock.set_now(DAY)


def gas(qty: str) -> SaleRequest:
    return SaleRequest(items=[LineInput("GAS-R", qty)], account_no="0100012345",
                       tenders=[TenderInput("cash")])


def _multiplies_out(line: dict) -> None:
    assert line["tiers"], line
    for t in line["tiers"]:
        assert money.line_amount(Decimal(t["qty"]), t["unit_price_fen"]) == t["amount_fen"], t
    assert sum(t["amount_fen"] for t in line["tiers"]) == line["amount_fen"]
    assert sum(Decimal(t["qty"]) for t in line["tiers"]) == Decimal(line["qty"])


def test_refunds_of_tiered_gas_give_back_tier_by_tier(demo_db, clerk, approval):
    make_account(demo_db)
    res = billing.pay(demo_db, clerk, gas("450"))
    assert [t["tier"] for t in res.lines[0]["tiers"]] == [1, 2]
    r1 = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1, "100")], approval,
                        reason="多购")
    line = r1.lines[0]
    _multiplies_out(line)
    # 450 m³ = 400 at tier 1 + 50 at tier 2; the last m³ bought go back first
    assert [(t["tier"], t["qty"]) for t in line["tiers"]] == [(1, "-50"), (2, "-50")]
    assert r1.receipt["approver_no"] == approval.staff_no
    r2 = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1)], approval,
                        reason="销户")
    _multiplies_out(r2.lines[0])
    assert r1.total_fen + r2.total_fen == -res.total_fen
    text = decode(receipt.render(r2.receipt, columns=32))
    assert "退款收据" in text and f"工号 {approval.staff_no}" in text
    assert "第1档 -350立方米×2.80" in text


def test_void_of_tiered_gas_lists_every_tier(demo_db, clerk, approval):
    make_account(demo_db)
    res = billing.pay(demo_db, clerk, gas("450"))
    v = billing.void(demo_db, clerk, res.receipt_no, approval, reason="收错户")
    _multiplies_out(v.lines[0])
    assert v.total_fen == -res.total_fen
    text = decode(receipt.render(v.receipt, columns=48))
    assert "本收据为作废冲正凭证" in text and "本收据为缴费凭证" not in text


def test_full_width_input_is_normalised():
    ident = "１１０１０５１９４９１２３１００２Ｘ"
    assert validators.resident_id(ident) == "11010519491231002X"
    assert validators.phone("１３８ １２３４ ５６７８") == "13812345678"
    assert money.parse_yuan("12。50") == 1250
    assert money.parse_yuan("１２．５") == 1250
    assert validators.yuan_to_fen("￥１２。５") == 1250
    assert money.parse_qty("２。５") == Decimal("2.5")
    assert validators.code("ｂｊ０１", "meter_no") == "BJ01"


def test_full_width_staff_number_signs_in(demo_db):
    from tests.conftest import DEMO

    no, pw = DEMO["clerk"]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in no)
    assert staff.sign_in(demo_db, wide, pw, window=1).staff_no == no


def test_full_width_id_is_one_person_and_found_by_its_tail(demo_db, clerk):
    from counterdesk import accounts
    from tests.services.test_accounts import ID_A, person

    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in ID_A)
    v = accounts.open_account(demo_db, clerk, person(id_number=wide))
    hits = accounts.search(demo_db, clerk, "".join(chr(ord(c) + 0xFEE0) for c in ID_A[-4:]),
                           key="id_tail").hits
    assert v.account_no in [h.account_no for h in hits]


def test_a_unit_the_printer_cannot_print_is_refused(demo_db, manager):
    with pytest.raises(ValidationError) as e:
        billing.set_price(demo_db, manager, PriceInput(
            "PIPE-X", "燃气管", 1200, clock.today(), category="material", unit="m³"),
            reason="新增")
    assert "U+00B3" in e.value.zh and "计量单位" in e.value.zh and e.value.field == "unit"
    with pytest.raises(ValidationError) as e:
        billing.set_price(demo_db, manager, PriceInput(
            "PIPE-X", "𠮷牌阀门", 1200, clock.today(), category="material", unit="个"),
            reason="新增")
    assert "U+20BB7" in e.value.zh and e.value.field == "name"


def test_day_close_excel_has_numbers_formats_and_dates(demo_db, clerk, approval, manager,
                                                         tmp_path):
    from openpyxl import load_workbook

    from counterdesk import cash
    from counterdesk.print import dayclose_pdf

    make_account(demo_db, bills=[("2026-10", 10080), ("2026-11", 9000)])
    res = billing.pay(demo_db, clerk, SaleRequest(
        items=[LineInput("GAS-R", "450"), LineInput("HOSE", "2.5")],
        bills=["2026-10", "2026-11"], account_no="0100012345", tenders=[TenderInput("cash")]))
    billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(2, "1")], approval,
                   reason="退回多余软管，客户说明原因较长需要换行显示在报表中")
    rep = cash.day_report(demo_db, manager, clock.today())
    wb = load_workbook(cash.write_xlsx(rep, tmp_path / "day.xlsx"))
    ws = wb["按收费项目"]
    rows = list(ws.iter_rows(min_row=3, values_only=False))
    names = [r[1].value for r in rows]
    assert "燃气费 2026-10" in names and "燃气费 2026-11" in names   # one row per period
    for r in rows:
        assert isinstance(r[3].value, (int, float, Decimal)), r[3].value   # qty a number
        for c in r[4:7]:
            assert isinstance(c.value, (int, float, Decimal)) and c.number_format == "#,##0.00"
    gas_row = next(r for r in rows if r[0].value == "GAS-R")
    assert gas_row[3].value == 450
    summary = wb["汇总"]
    day = next(r[1] for r in summary.iter_rows(min_row=3) if r[0].value == "营业日")
    assert isinstance(day.value, (dt.date, dt.datetime)) and day.is_date
    rev = wb["作废与退款"]
    at = list(rev.iter_rows(min_row=3))[0][7]
    assert isinstance(at.value, dt.datetime) and at.is_date
    amt = list(rev.iter_rows(min_row=3))[0][3]
    assert amt.value == -15 and amt.number_format == "#,##0.00"

    zh = _pdf_text(dayclose_pdf.write_pdf(rep, tmp_path / "zh.pdf"))
    assert "营业日结报表" in zh and "Summary" not in zh and "By payment method" not in zh
    assert "T10:15" not in zh
    en = _pdf_text(dayclose_pdf.write_pdf(rep, tmp_path / "en.pdf", lang="en"))
    assert "day close report" in en and "Summary" in en and "汇总" not in en
    assert "按付款方式" not in en and "Hall manager" in en
    from counterdesk import i18n

    was = i18n.current()
    i18n.set_language("en")                     # what --lang en does: files follow it
    try:
        assert cash.export_csv(rep).startswith("# Summary")
    finally:
        i18n.set_language(was)
    assert cash.export_csv(rep).startswith("# 汇总")


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def test_till_sheet_in_english_and_chinese(tmp_path, demo_db):
    from counterdesk import cash
    from counterdesk.print import till_report
    from tests.services.test_cash import DAY as CASH_DAY
    from tests.services.test_cash import _closed_day, at, sign

    at(8, 30)
    c1, c2 = sign(demo_db, "1001", window=1), sign(demo_db, "1002", window=2)
    mgr = sign(demo_db, "9001", "888888")
    _closed_day(demo_db, c1, c2, mgr)
    data = cash.till_report_data(demo_db, mgr, staff_no="1001", day=CASH_DAY)
    en = _pdf_text(till_report.write_pdf(data, tmp_path / "en.pdf", lang="en"))
    assert "till sheet" in en and "Cash reconciliation" in en and "Hall manager" in en
    assert "现金核对" not in en and "T0" not in en.replace("T01", "")
    zh = _pdf_text(till_report.write_pdf(data, tmp_path / "zh.pdf"))
    assert "收费员钱箱报表" in zh and "Cash reconciliation" not in zh
