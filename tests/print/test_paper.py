"""Issue 19: receipts and slips right on paper, read back from the printed bytes.

Every receipt is decoded from its ESC/POS bytes (GB18030 inside FS & … FS ., GS !
counted): no line wider than the paper, the account number whole on one line, names
masked by the holder's kind, [U+XXXX] for characters outside GBK, tier lines that
multiply out, units present, the void/refund footer and the approver's 工号.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from counterdesk import money, privacy
from counterdesk.print import account_docs, receipt
from counterdesk.print.escpos_doc import Doc, decode
from tests.helpers.billing_helpers import printed_lines

WIDTHS = [32, 42, 48]                      # 58 mm, 80 mm on 512-dot heads, 80 mm
PERSON = "欧阳娜娜买买提艾力阿不都热合曼古丽巴哈尔热依汗木"  # 26 ideographs, cut to 1..30
ORG = "滨江市第一中学附属实验小学后勤服务中心燃气能源管理办公室"


def _name(base: str, n: int) -> str:
    return (base * 2)[:n]


def sale(holder: str, *, kind: str = "sale", **extra) -> dict:
    d = {"company": "滨江市燃气有限公司", "hall": "滨江燃气人民路营业厅", "hall_code": "HQ01",
         "hotline": "0571-96777", "window": 1, "staff_no": "1001",
         "receipt_no": "2026-000123", "verification_code": "AB12CD34",
         "at": "2026-11-23T10:15:00", "kind": kind, "account_no": "0100020015",
         "holder": holder, "total_fen": 1234518, "reason": "", "lines": [
             {"name": "居民管道天然气", "unit": "立方米", "qty": "450", "unit_price_fen": 286,
              "amount_fen": 128700, "tiers": [
                  {"tier": 1, "qty": "300", "unit_price_fen": 280, "amount_fen": 84000},
                  {"tier": 2, "qty": "150", "unit_price_fen": 298, "amount_fen": 44700}]},
             {"name": "燃气专用不锈钢波纹管（加长型）", "unit": "米", "qty": "2.5",
              "unit_price_fen": 1800, "amount_fen": 4500},
             {"name": "燃气费 2026-10", "unit": "期", "qty": "1", "unit_price_fen": 10080,
              "amount_fen": 10080}],
         "tenders": [{"method": "cash", "amount_fen": 1234518, "tendered_fen": 1240000,
                      "change_fen": 5482}]}
    d.update(extra)
    return d


def lines_of(data: bytes) -> list[str]:
    return [t for t, _ in printed_lines(data)]


def assert_fits(data: bytes, cols: int) -> None:
    for text, w in printed_lines(data):
        assert w <= cols, (text, w, cols)


@pytest.mark.parametrize("cols", WIDTHS)
@pytest.mark.parametrize("kind", ["person", "organisation"])
def test_names_of_1_to_30_characters_fit_and_keep_the_account_number(cols, kind):
    longest = [] if kind == "person" else [60, 100]   # the account form allows 100 for
    for n in [*range(1, 31), *longest]:                  # organisations, 30 for persons
        if kind == "organisation" and n < 2:
            continue
        full = _name(PERSON if kind == "person" else ORG * 4, n)
        shown = privacy.mask_name(full, kind)
        data = receipt.render(sale(shown), columns=cols)
        assert_fits(data, cols)
        lines = lines_of(data)
        acc = [ln for ln in lines if "户号" in ln]
        assert len(acc) == 1 and "户号 0100020015" in acc[0], (n, acc)
        text = "".join(ln.strip() for ln in lines)
        if kind == "organisation":
            assert full in text, (n, text)                      # organisations in full
        else:
            assert shown in text and (n < 2 or full not in text)  # persons masked, any length
            assert shown.count("*") == max(0, n - 2) + (1 if n == 2 else 0)


def test_masking_by_kind_not_length():
    assert privacy.mask_name("买买提·艾力") == "买****力"
    assert privacy.mask_name("欧阳娜娜娜", "person") == "欧***娜"
    assert privacy.mask_name("李明") == "李*"
    assert privacy.mask_name("滨江中学", "organisation") == "滨江中学"
    assert privacy.mask_name("𠮷祥") == "𠮷*"


@pytest.mark.parametrize("cols", WIDTHS)
def test_characters_outside_gbk_print_as_codepoints(cols):
    data = receipt.render(sale(privacy.mask_name("𠮷祥"), reason="",
                               lines=[{"name": "𠮷字号阀门", "unit": "m³", "qty": "2",
                                       "unit_price_fen": 100, "amount_fen": 200}]),
                          columns=cols)
    text = decode(data)
    assert "户名 [U+20BB7]*" in text and "[U+20BB7]字号阀门" in text and "[U+00B3]" in text
    assert "?" not in text
    assert_fits(data, cols)


_TIER = re.compile(r"第(\d)档 (-?[\d.]+)立方米 ?× ?([\d.,]+)\s+(-?[\d,]+\.\d\d)$")


def tier_lines(text: str) -> list[tuple[Decimal, int, int]]:
    out = []
    lines = [ln.strip() for ln in text.split("\n")]
    for i, ln in enumerate(lines):
        if ln.startswith("第") and i + 1 < len(lines) and re.fullmatch(r"-?[\d,]+\.\d\d",
                                                                      lines[i + 1]):
            ln += " " + lines[i + 1]  # the amount went under its tier line (58 mm)
        m = _TIER.search(ln)
        if m:
            out.append((Decimal(m[2]), money.parse_yuan(m[3]),
                        int(Decimal(m[4].replace(",", "")) * 100)))
    return out


@pytest.mark.parametrize("cols", WIDTHS)
def test_tier_lines_multiply_out_and_units_are_printed(cols):
    data = receipt.render(sale("张*明"), columns=cols)
    text = decode(data)
    tiers = tier_lines(text)
    assert len(tiers) == 2
    for q, price, amount in tiers:
        assert money.line_amount(q, price) == amount
    assert sum(a for _, _, a in tiers) == 128700
    assert "450立方米" in text and "2.86" not in text            # no average unit price
    assert "2.5米" in text and "1期" in text
    assert_fits(data, cols)


@pytest.mark.parametrize("cols", WIDTHS)
@pytest.mark.parametrize("fen", [1234518, 99999999999, 10, 100000050, 70000000])
def test_capitals_wrap_at_a_unit(cols, fen):
    data = receipt.render(sale("张*明", total_fen=fen), columns=cols)
    assert_fits(data, cols)
    lines = lines_of(data)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("大写"))
    cap = [lines[start]]
    for ln in lines[start + 1:]:
        if not ln.startswith("     "):
            break
        cap.append(ln)
    assert "".join(ln[3:].strip() for ln in cap) == money.capitals(fen)
    for ln in cap:
        assert ln.rstrip()[-1] in "亿万元角分整", cap


@pytest.mark.parametrize("kind,title,footer", [("void", "作废冲正收据", "本收据为作废冲正凭证"),
                                               ("refund", "退款收据", "本收据为退款凭证")])
@pytest.mark.parametrize("cols", WIDTHS)
def test_void_and_refund_have_their_footer_and_approver(kind, title, footer, cols):
    d = sale("张*明", kind=kind, approver_no="1002", total_fen=-128700,
             original_receipt_no="2026-000100", reason="客户搬家，燃气表已拆除，按原路退回",
             lines=[{"name": "居民管道天然气", "unit": "立方米", "qty": "-450",
                     "unit_price_fen": 286, "amount_fen": -128700, "tiers": [
                         {"tier": 1, "qty": "-300", "unit_price_fen": 280, "amount_fen": -84000},
                         {"tier": 2, "qty": "-150", "unit_price_fen": 298,
                          "amount_fen": -44700}]}],
             tenders=[{"method": "cash", "amount_fen": -128700, "tendered_fen": -128700,
                       "change_fen": 0}])
    data = receipt.render(d, columns=cols)
    text = decode(data)
    assert title in text and footer in text and "本收据为缴费凭证" not in text
    assert re.search(r"授权主任\s+工号 1002", text)
    tiers = tier_lines(text)
    assert [money.line_amount(q, p) for q, p, _ in tiers] == [a for _, _, a in tiers]
    assert sum(a for _, _, a in tiers) == -128700
    assert_fits(data, cols)


@pytest.mark.parametrize("cols", WIDTHS)
@pytest.mark.parametrize("kind", ["person", "organisation"])
def test_account_slip_keeps_the_label_and_fits(cols, kind):
    for n in (2, 6, 14, 16, 30):
        full = _name(PERSON if kind == "person" else ORG, n)
        view = {"account_no": "0100020015", "holder": {
            "name": full, "kind": kind, "id_masked": "1101**********002X",
            "phone_masked": "138****5678"}, "address": "滨江区人民路 100 号 3 幢 2 单元 1201 室",
            "meter_no": "BJ0100009999", "customer_type": "resident", "status": "active"}
        data = account_docs.account_slip(view, "滨江燃气人民路营业厅", "open", staff_no="1001",
                                         columns=cols)
        assert_fits(data, cols)
        text = decode(data)
        assert "户名" in text
        flat = "".join(ln.strip() for ln in text.split("\n"))
        assert (full if kind == "organisation" else privacy.mask_name(full)) in flat


def test_pair_never_cuts_or_overflows():
    doc = Doc(32).pair("户号 0100020015", "户名 滨江市第一中学附属实验小学后勤服务中心")
    lines = decode(doc.bytes()).strip("\n").split("\n")
    assert all(len(ln.encode("gbk")) <= 32 for ln in lines)
    assert "0100020015" in lines[0]
