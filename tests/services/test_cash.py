"""Tills and the day close (日清日结): on SQLite and PostgreSQL.

Every expected figure here is computed in the test from what the test paid, counted and
moved — never read back from the service it checks.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counterdesk import audit, backup, billing, cash, clock, staff
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models.billing import Payment
from counterdesk.models.cash import DayClose, DayCloseLog, Till
from counterdesk.settings import BackupSettings
from tests.helpers.hall_policy import set_rule
from tests.helpers.pdfcheck import embedded_fonts, pdf_text

DAY = dt.date(2026, 11, 20)
MGR = staff.Approval("9001", "888888")
ADMIN = staff.Approval("admin", "admin123")   # a second person who may approve
NOTE_CODES = [("N10000", 10000), ("N5000", 5000), ("N2000", 2000), ("N1000", 1000),
              ("N500", 500), ("N100", 100), ("N50", 50), ("N10", 10), ("C5", 5), ("C1", 1)]


def at(h, m=0, day=DAY):
    clock.set_now(dt.datetime.combine(day, dt.time(h, m)))


def breakdown(fen: int) -> dict[str, int]:
    """Counts by denomination for an amount (the test's own greedy split)."""
    out = {}
    for code, v in NOTE_CODES:
        n, fen = divmod(fen, v)
        if n:
            out[code] = n
    assert fen == 0
    return out


def sale(db, actor, items, method="cash", tendered=None, **kw):
    tender = billing.TenderInput(method, tendered_fen=tendered, **kw)
    req = billing.SaleRequest(items=[billing.LineInput(c, q) for c, q in items], tenders=[tender])
    return billing.pay(db, actor, req)


def sign(db, no, pw="123456", window=None):
    return staff.sign_in(db, no, pw, window=window)


@pytest.fixture
def hall(demo_db):
    at(8, 30)
    c1 = sign(demo_db, "1001", window=1)
    c2 = sign(demo_db, "1002", window=2)
    mgr = sign(demo_db, "9001", "888888")
    return demo_db, c1, c2, mgr


def count_all(db, actor, amount, noncash=None, explanation=""):
    res = cash.count_till(db, actor, breakdown(amount), noncash=noncash or {})
    cash.close_till(db, actor, explanation)
    cash.countersign(db, actor, MGR)
    return res


# --------------------------------------------------------------------------------------
# the full day
# --------------------------------------------------------------------------------------
def busy_day(db, c1, c2, mgr):
    """Earlier days, then the 20th: two clerks, cash/card/qr/cheque, a void, a refund,
    cash in and out. Returns what the test expects, computed here."""
    c3_oct = None
    at(10, 0, dt.date(2026, 10, 31))
    c3_oct = sign(db, "1003", window=3)
    sale(db, c3_oct, [("CARD", "1")])                                     # 20.00 (October)
    at(10, 0, dt.date(2026, 11, 19))
    sale(db, sign(db, "1003", window=3), [("REPAIR", "1")], "qr", reference="WX20261119001")  # 30.00
    at(8, 30)
    f1 = {"100": 1, "10": 5, "1": 20, "c0.5": 10, "c0.1": 20}
    f2 = {"50": 2, "5": 10, "c1": 10}
    float1 = 10000 + 5000 + 2000 + 500 + 200
    float2 = 10000 + 5000 + 1000
    assert cash.open_till(db, c1, f1).float_fen == float1
    assert cash.open_till(db, c2, f2).float_fen == float2
    at(9, 10)
    p1 = sale(db, c1, [("CARD", "1")], tendered=5000)                     # 20.00, change 30
    p2 = sale(db, c1, [("REPAIR", "1")])                                  # 30.00 exact
    sale(db, c1, [("VALVE", "1")], "card", reference="POS000001")          # 68.00
    p4 = sale(db, c1, [("HOSE", "2.5")], "qr", reference="WX20261120001")  # 37.50
    p5 = sale(db, c2, [("ALARM", "1")], tendered=30000)                   # 298.00, change 2
    sale(db, c2, [("METER-MOVE", "1")], "cheque", cheque_no="10000001", bank="工行")  # 150.00
    p7 = sale(db, c2, [("CARD", "2")], tendered=10000)                    # 40.00, change 60
    assert [p.change_fen for p in (p1, p2, p5, p7)] == [3000, 0, 200, 6000]
    at(11, 0)
    billing.void(db, c2, p7.receipt_no, MGR, reason="收错项目")           # −40.00 cash
    billing.refund(db, c1, p4.receipt_no, [billing.RefundLine(1, "1")], MGR,
                   reason="多收 1 米")                                    # −15.00 qr
    cash.move_cash(db, c1, "out", 5000, "中午存入保险柜", MGR)
    cash.move_cash(db, c2, "in", 2000, "补充零钱", MGR)
    exp1 = float1 + 2000 + 3000 - 5000
    exp2 = float2 + 29800 + 4000 - 4000 + 2000
    return {
        "float": {"1001": float1, "1002": float2},
        "expected": {"1001": exp1, "1002": exp2},
        "sales_fen": 2000 + 3000 + 6800 + 3750 + 29800 + 15000 + 4000, "sales": 7,
        "voids_fen": -4000, "refunds_fen": -1500,
        "method": {"cash": 2000 + 3000 + 29800 + 4000 - 4000, "card": 6800,
                   "qr": 3750 - 1500, "cheque": 15000},
        "clerk": {"1001": 2000 + 3000 + 6800 + 3750 - 1500, "1002": 29800 + 15000},
        "window": {1: 14050, 2: 44800},
        "item": {"CARD": 2000, "REPAIR": 3000, "VALVE": 6800, "HOSE": 2250, "ALARM": 29800,
                 "METER-MOVE": 15000},
        "noncash": {"1001": {"card": 6800, "qr": 2250}, "1002": {"cheque": 15000}},
        "before_month": 3000, "before_year": 2000 + 3000,
        "receipts": ("2026-000003", "2026-000011", 9),
        "p7": p7.receipt_no, "p4": p4.receipt_no, "p1": p1.receipt_no,
    }


def test_day_with_several_clerks_closes_with_the_right_totals(hall):
    db, c1, c2, mgr = hall
    e = busy_day(db, c1, c2, mgr)
    at(17, 30)
    # the blind count: nothing tells the clerk what to expect before the count
    st = cash.till_status(db, c2)
    assert st.expected_fen is None and st.difference_fen is None and not st.revealed
    x = cash.x_report(db, c2)
    assert x["expected_fen"] is None and all(m["amount_fen"] is None for m in x["methods"])
    assert x["sales"] == 3 and x["voids"] == 1
    assert cash.x_report(db, mgr, staff_no="1002")["expected_fen"] == e["expected"]["1002"]
    # clerk 1001 counts exactly; 1002 is 0.10 元 short
    r1 = count_all(db, c1, e["expected"]["1001"], e["noncash"]["1001"])
    assert r1.difference_fen == 0 and r1.expected_fen == e["expected"]["1001"]
    r2 = cash.count_till(db, c2, breakdown(e["expected"]["1002"] - 10),
                         noncash=e["noncash"]["1002"])
    assert r2.expected_fen == e["expected"]["1002"]
    assert r2.difference_fen == -10 and r2.counted_fen == e["expected"]["1002"] - 10
    assert not r2.explanation_required          # 0.10 is under the 10.00 threshold
    assert all(v["difference_fen"] == 0 for v in r2.noncash.values())
    # the day cannot close while 1002's till waits for the close and countersign
    with pytest.raises(Conflict) as ei:
        cash.close_day(db, mgr, DAY, backup=False)
    assert "1002" in ei.value.zh
    cash.close_till(db, c2, "找零时少收一角")
    cash.countersign(db, c2, MGR)
    at(18, 0)
    check = cash.preclose_check(db, mgr, DAY)
    assert check["can_close"] and check["unprinted"] == 9
    res = cash.close_day(db, mgr, DAY, backup=False)
    rep = res.report
    t = rep["totals"]
    assert t["sales"] == e["sales"] and t["sales_fen"] == e["sales_fen"]
    assert t["voids_fen"] == e["voids_fen"] and t["refunds_fen"] == e["refunds_fen"]
    net = e["sales_fen"] + e["voids_fen"] + e["refunds_fen"]
    assert t["net_fen"] == net == sum(e["method"].values())
    assert {r["method"]: r["net_fen"] for r in rep["by_method"]} == e["method"]
    cash_row = next(r for r in rep["by_method"] if r["method"] == "cash")
    assert cash_row["tendered_fen"] - cash_row["change_fen"] == 2000 + 3000 + 29800 + 4000
    assert {r["staff_no"]: r["net_fen"] for r in rep["by_clerk"]} == e["clerk"]
    assert {r["window"]: r["net_fen"] for r in rep["by_window"]} == e["window"]
    assert {r["code"]: r["net_fen"] for r in rep["by_item"]} == e["item"]
    first, last, n = e["receipts"]
    assert (rep["receipts"]["first"], rep["receipts"]["last"], rep["receipts"]["count"]) == \
        (first, last, n)
    assert rep["receipts"]["gapless"] and rep["receipts"]["gaps"] == []
    assert sorted((r["kind"], r["approved_by"], r["original_receipt_no"])
                  for r in rep["reversals"]) == [("refund", "9001", e["p4"]),
                                                 ("void", "9001", e["p7"])]
    tills = {r["staff_no"]: r for r in rep["tills"]}
    assert tills["1001"]["expected_fen"] == e["expected"]["1001"]
    assert tills["1002"]["difference_fen"] == -10
    assert tills["1002"]["explanation"] == "找零时少收一角"
    assert rep["cash"]["difference_fen"] == -10
    run = rep["running"]
    assert run["day_net_fen"] == net
    assert run["month_net_fen"] == net + e["before_month"]
    assert run["year_net_fen"] == net + e["before_year"]
    assert run["day_difference_fen"] == run["month_difference_fen"] == -10
    # stored with the close and in the hash chain
    with db.read() as s:
        dc = s.execute(select(DayClose)).scalar_one()
        assert (dc.status, dc.net_fen, dc.month_net_fen, dc.year_net_fen, dc.difference_fen) \
            == ("closed", net, net + 3000, net + 5000, -10)
        assert json.loads(dc.summary)["totals"]["net_fen"] == net
        ev = s.execute(select(audit.AuditEvent).where(audit.AuditEvent.kind == "day.closed")
                       ).scalar_one()
        payload = json.loads(ev.payload)
        assert payload["running"]["year_net_fen"] == net + 5000
        assert payload["totals"]["net_fen"] == net
    assert audit.verify(db).ok
    # the stored report is what the day report now returns
    assert cash.day_report(db, mgr, DAY)["totals"] == t


def _closed_day(db, c1, c2, mgr):
    e = busy_day(db, c1, c2, mgr)
    at(17, 30)
    count_all(db, c1, e["expected"]["1001"], e["noncash"]["1001"])
    count_all(db, c2, e["expected"]["1002"], e["noncash"]["1002"])
    at(18, 0)
    cash.close_day(db, mgr, DAY, backup=False)
    return e


def test_after_the_close_every_money_moving_service_refuses_the_day(hall):
    db, c1, c2, mgr = hall
    e = _closed_day(db, c1, c2, mgr)
    at(18, 30)
    with db.read() as s:
        before = s.execute(select(func.count(Payment.id))).scalar()
    with pytest.raises(Conflict, match="已日结"):
        sale(db, c1, [("CARD", "1")])
    with pytest.raises(Conflict, match="已日结"):
        billing.void(db, c1, e["p1"], MGR, reason="test")
    with pytest.raises(Conflict, match="已日结"):
        billing.refund(db, c1, e["p1"], [billing.RefundLine(1)], MGR, reason="test")
    with pytest.raises(Conflict, match="已日结"):
        cash.move_cash(db, c1, "in", 100, "补零钱", MGR)
    with pytest.raises(Conflict, match="已日结"):
        cash.open_till(db, sign(db, "1003", window=3), {"10": 1})
    with db.read() as s:
        assert s.execute(select(func.count(Payment.id))).scalar() == before
        assert s.execute(select(func.count(Till.id))).scalar() == 2
    with pytest.raises(Conflict, match="已经日结"):
        cash.close_day(db, mgr, DAY, backup=False)


def test_reopen_needs_a_manager_and_a_reason_and_the_close_can_be_repeated(hall):
    db, c1, c2, mgr = hall
    e = _closed_day(db, c1, c2, mgr)
    with pytest.raises(PermissionDenied):
        cash.reopen_day(db, c1, DAY, "想改", ADMIN)
    with pytest.raises(ValidationError):
        cash.reopen_day(db, mgr, DAY, "  ", ADMIN)
    with pytest.raises(PermissionDenied, match="授权人不能是操作人本人"):   # issue 15: never alone
        cash.reopen_day(db, mgr, DAY, "补录一笔漏收的现金", MGR)
    with pytest.raises(PermissionDenied):
        cash.reopen_day(db, mgr, DAY, "补录一笔漏收的现金")
    cash.reopen_day(db, mgr, DAY, "补录一笔漏收的现金", ADMIN)
    at(18, 30)
    with pytest.raises(Conflict) as ei:   # a counted till takes no more money (issue 15)
        sale(db, c1, [("CARD", "1")])
    assert ei.value.field == "till"
    cash.reopen_till(db, c1, MGR, "补录后重新点钞")
    late = sale(db, c1, [("CARD", "1")])                  # the day takes money again
    with pytest.raises(Conflict) as ei:
        cash.close_day(db, mgr, DAY, backup=False)
    assert ei.value.data["blockers"]                      # the reopened till is not counted
    r = count_all(db, c1, e["expected"]["1001"] + late.total_fen, e["noncash"]["1001"])
    assert r.difference_fen == 0
    rep = cash.close_day(db, mgr, DAY, backup=False).report
    assert rep["close_count"] == 2
    assert rep["totals"]["sales_fen"] == e["sales_fen"] + late.total_fen
    log = cash.close_history(db, mgr, DAY)
    assert [x["action"] for x in log] == ["close", "reopen", "close"]
    assert log[1]["reason"] == "补录一笔漏收的现金" and log[1]["staff_no"] == "9001"
    assert audit.verify(db).ok


def test_blind_count_explanation_threshold_and_countersign(hall):
    db, c1, c2, mgr = hall
    cash.open_till(db, c1, {"100": 1})
    at(9, 0)
    sale(db, c1, [("ALARM", "1")])                        # 298.00 exact cash
    # the till API has no way to the expected amount before the count
    info = cash.till_status(db, c1)
    assert info.expected_fen is None and "expected" not in json.dumps(
        {k: v for k, v in info.to_dict().items() if v is not None and k == "expected_fen"})
    with pytest.raises(Conflict):
        cash.close_till(db, c1, "")                       # count first
    res = cash.count_till(db, c1, breakdown(10000 + 29800 - 2500))   # 25.00 short
    assert res.difference_fen == -2500 and res.explanation_required
    with pytest.raises(Conflict):
        cash.count_till(db, c1, breakdown(10000 + 29800))  # no second count to match
    with pytest.raises(ValidationError) as ei:
        cash.close_till(db, c1, "")
    assert ei.value.field == "explanation"
    cash.close_till(db, c1, "一张 20 元假币已上交，另少 5 元待查")
    with pytest.raises(PermissionDenied):
        cash.countersign(db, c1, None)
    with pytest.raises(PermissionDenied):
        cash.countersign(db, c1, staff.Approval("1002", "123456"))   # not a manager
    done = cash.countersign(db, c1, MGR)
    assert done.status == "closed" and done.countersigned_by == "9001"
    # a smaller threshold in the hall policy makes even 0.10 need an explanation
    at(9, 0, DAY + dt.timedelta(days=1))
    c2b = sign(db, "1002", window=2)
    cash.open_till(db, c2b, {"10": 1})
    set_rule(db, "cash.difference_threshold_fen", 5)
    r = cash.count_till(db, c2b, {"10": 1, "c0.1": 1})
    assert r.difference_fen == 10 and r.explanation_required


@pytest.mark.parametrize("counts, field", [
    ({"100": -1}, "count"), ({"c0.1": "2.5"}, "count"), ({"c0.5": 2.5}, "count"),
    ({"c1": True}, "count"), ({"3": 1}, "denomination"), ({"100": "abc"}, "count"),
])
def test_bad_counts_are_refused_and_nothing_changes(hall, counts, field):
    db, c1, c2, mgr = hall
    with pytest.raises(ValidationError) as ei:
        cash.open_till(db, c1, counts)
    assert ei.value.field == field and ei.value.zh and ei.value.en
    assert cash.till_status(db, c1) is None
    cash.open_till(db, c1, {"100": 1})
    with pytest.raises(ValidationError):
        cash.count_till(db, c1, counts)
    st = cash.till_status(db, c1)
    assert st.status == "open" and st.close_counts == []


def test_close_refusals_change_nothing(hall):
    db, c1, c2, mgr = hall
    at(18, 0)
    with pytest.raises(ValidationError, match="将来"):
        cash.close_day(db, mgr, DAY + dt.timedelta(days=1), backup=False)
    with pytest.raises(PermissionDenied):
        cash.close_day(db, c1, DAY, backup=False)
    with pytest.raises(ValidationError):
        cash.close_day(db, mgr, "2026-13-01", backup=False)
    sale(db, c1, [("CARD", "1")])                         # money taken without a till
    with pytest.raises(Conflict) as ei:
        cash.close_day(db, mgr, DAY, backup=False)
    assert ei.value.data["blockers"][0]["kind"] == "no_till"
    with db.read() as s:
        assert s.execute(select(func.count(DayClose.id))).scalar() == 0
        assert s.execute(select(func.count(DayCloseLog.id))).scalar() == 0


def test_cash_movement_needs_approval_reason_and_cash(hall):
    db, c1, c2, mgr = hall
    with pytest.raises(NotFound):
        cash.move_cash(db, c1, "in", 100, "补零钱", MGR)   # no till yet
    cash.open_till(db, c1, {"10": 2})
    with pytest.raises(PermissionDenied):
        cash.move_cash(db, c1, "in", 100, "补零钱", None)
    with pytest.raises(ValidationError):
        cash.move_cash(db, c1, "in", 100, "", MGR)
    with pytest.raises(ValidationError):
        cash.move_cash(db, c1, "in", -100, "x", MGR)
    with pytest.raises(Conflict):
        cash.move_cash(db, c1, "out", 2001, "存银行", MGR)  # more than the till holds
    m = cash.move_cash(db, c1, "out", 2000, "存银行", MGR)
    assert m.approved_by == "9001" and m.amount_fen == 2000


def test_unprinted_receipts_and_receipt_gap_are_reported(hall):
    db, c1, c2, mgr = hall
    cash.open_till(db, c1, {"10": 1})
    at(9, 0)
    p1 = sale(db, c1, [("CARD", "1")])
    sale(db, c1, [("CARD", "1")])
    billing.job_printed(db, p1.print_job_id)
    rep = cash.day_report(db, mgr, DAY)
    assert rep["unprinted"]["count"] == 1 and rep["status"] == "open"
    assert rep["receipts"]["gapless"]
    from counterdesk.models.billing import Receipt
    with db.write() as s:                                  # simulate a lost number
        s.execute(Receipt.__table__.update().where(Receipt.receipt_no == p1.receipt_no)
                  .values(seq=5, receipt_no="2026-000005"))
    rep = cash.day_report(db, mgr, DAY)
    assert not rep["receipts"]["gapless"]
    assert "2026-000003" in rep["receipts"]["gaps"]


# --------------------------------------------------------------------------------------
# reports: PDF, CSV, Excel, X report on ESC/POS
# --------------------------------------------------------------------------------------
def test_reports_pdf_csv_xlsx_and_x_report(hall, tmp_path):
    db, c1, c2, mgr = hall
    e = _closed_day(db, c1, c2, mgr)
    rep = cash.day_report(db, mgr, DAY)
    from counterdesk.print import dayclose_pdf, escpos_doc, till_report

    pdf = dayclose_pdf.write_pdf(rep, tmp_path / "day.pdf")
    fonts = embedded_fonts(pdf)  # pypdf: the Windows workflow has no poppler (issue 17.10)
    cjk = [n for n in fonts if "WenQuanYi" in n]
    assert cjk and all(fonts[n] for n in cjk)
    assert all(fonts.values()), fonts                      # no bare Helvetica
    if shutil.which("pdffonts"):                           # poppler's view agrees
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows and all(r.split()[-5] == "yes" for r in rows), rows
    text = pdf_text(pdf)
    net = e["sales_fen"] + e["voids_fen"] + e["refunds_fen"]
    for s in ("营业日结报表", "收费员", "复核人", "营业厅主任", "按收费项目", "作废与退款",
              "本年累计", f"{net // 100}.{net % 100:02d}", e["p7"]):
        assert s in text, s
    from pypdf import PdfReader
    assert "营业日结报表" in PdfReader(str(pdf)).pages[0].extract_text()
    csv_text = cash.export_csv(rep)
    assert "# 按付款方式" in csv_text and e["p4"] in csv_text
    path = cash.write_csv(rep, tmp_path / "day.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    xl = cash.write_xlsx(rep, tmp_path / "day.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(xl)
    assert "汇总" in wb.sheetnames and "按收费员" in wb.sheetnames
    data = cash.till_report_data(db, mgr, staff_no="1001", day=DAY)
    tp = till_report.write_pdf(data, tmp_path / "till.pdf")
    ttext = pdf_text(tp)
    assert "钱箱报表" in ttext and "备用金" in ttext and "营业厅主任" in ttext
    x = cash.x_report(db, mgr, staff_no="1002", day=DAY)
    raw = till_report.x_escpos(x, 32)
    decoded = escpos_doc.decode(raw)
    assert "X 报表" in decoded and "应有现金" in decoded


def test_clerk_x_report_on_paper_keeps_the_count_blind(hall):
    db, c1, c2, mgr = hall
    cash.open_till(db, c1, {"10": 3})
    sale(db, c1, [("ALARM", "1")])
    from counterdesk.print import escpos_doc, till_report

    text = escpos_doc.decode(till_report.x_escpos(cash.x_report(db, c1)))
    assert "盲点后显示" in text and "298" not in text
    data = cash.till_report_data(db, c1)
    assert data["figures"] is None and data["till"]["expected_fen"] is None


# --------------------------------------------------------------------------------------
# backup at the close and restore
# --------------------------------------------------------------------------------------
def test_backup_at_close_and_restore_round_trip(hall, tmp_path):
    db, c1, c2, mgr = hall
    e = busy_day(db, c1, c2, mgr)
    at(17, 30)
    count_all(db, c1, e["expected"]["1001"], e["noncash"]["1001"])
    count_all(db, c2, e["expected"]["1002"], e["noncash"]["1002"])
    at(18, 0)
    bs = BackupSettings(directory=str(tmp_path / "bk"), keep=2)
    res = cash.close_day(db, mgr, DAY, backup_settings=bs)
    if db.is_postgres and shutil.which("pg_dump") is None:
        assert res.backup_file is None and "pg_dump" in res.backup_error
        return
    assert res.backup_error is None and res.backup_file
    with db.read() as s:
        assert s.execute(select(DayClose.backup_file)).scalar() == res.backup_file
    head = backup.inspect(res.backup_file)  # sealed with the hall key, foldered by kind
    assert head.encrypted and head.engine == ("sqlite" if db.is_sqlite else "postgresql")
    assert Path(res.backup_file).parent.name == "dayclose"
    cash.reopen_day(db, mgr, DAY, "测试恢复", ADMIN)
    bad = tmp_path / "not-ours.sqlite3"
    bad.write_bytes(b"hello, not a database")
    with pytest.raises(ValidationError, match="不是 CounterDesk"):
        backup.restore(db, bad)
    with db.read() as s:                                  # nothing changed
        assert s.execute(select(DayClose.status)).scalar() == "reopened"
    backup.restore(db, res.backup_file)
    with db.read() as s:
        assert s.execute(select(DayClose.status)).scalar() == "closed"
    with pytest.raises(Conflict):
        sale(db, c1, [("CARD", "1")])
    assert audit.verify(db).ok


# --------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------
def test_command_line_till_and_day(tmp_path, capsys, monkeypatch):
    from counterdesk.cli import main
    from counterdesk.db import Database

    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()

    def run(*args, pw="123456"):
        monkeypatch.setenv("COUNTERDESK_PASSWORD", pw)
        monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    at(8, 0)
    assert run("demo")[0] == 0
    code, out, err = run("--json", "till", "open", "--staff", "1001", "--window", "1",
                         "--count", "100=2", "--count", "c0.5=4")
    assert code == 0, err
    assert json.loads(out)["float_fen"] == 20200
    code, out, err = run("till", "open", "--staff", "1002", "--count", "100=-1")
    assert code != 0 and "负数" in err and err.count("\n") == 1
    db = Database(url)
    sale(db, sign(db, "1001", window=1), [("CARD", "1")], tendered=5000)
    code, out, err = run("--json", "till", "status", "--staff", "1001")
    assert code == 0 and json.loads(out)["expected_fen"] is None
    code, out, err = run("--json", "till", "movement", "--staff", "1001", "--out", "10",
                         "--reason", "存银行", "--approver", "9001")
    assert code == 0, err
    code, out, err = run("--json", "till", "xreport", "--staff", "1001",
                         "--pdf", str(tmp_path / "x.pdf"))
    assert code == 0 and json.loads(out)["expected_fen"] is None
    code, out, err = run("--json", "till", "count", "--staff", "1001", "--count", "100=2",
                         "--count", "c0.5=4", "--count", "10=1")
    assert code == 0, err
    res = json.loads(out)
    assert res["expected_fen"] == 20200 + 2000 - 1000 and res["difference_fen"] == 0
    assert run("till", "close", "--staff", "1001")[0] == 0
    code, out, err = run("till", "countersign", "--staff", "1001", "--approver", "9001")
    assert code == 0, err
    at(18, 0)
    code, out, err = run("day", "close", "--date", "2026-11-20", "--staff", "1001")
    assert code != 0 and "主任" in err
    code, out, err = run("day", "close", "--date", "2026-11-21", "--staff", "9001",
                         pw="888888")
    assert code != 0 and "将来" in err
    code, out, err = run("--json", "day", "close", "--date", "2026-11-20", "--staff", "9001",
                         "--pdf", str(tmp_path / "d.pdf"), "--csv", str(tmp_path / "d.csv"),
                         "--xlsx", str(tmp_path / "d.xlsx"), pw="888888")
    assert code == 0, err
    data = json.loads(out)
    assert data["report"]["totals"]["net_fen"] == 2000 and data["backup_file"]
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "d.csv").exists() and (tmp_path / "d.xlsx").exists()
    code, out, err = run("day", "report", "--date", "2026-11-20", "--staff", "9001",
                         pw="888888")
    assert code == 0 and "20.00" in out
    code, out, err = run("day", "reopen", "--date", "2026-11-20", "--staff", "9001",
                         "--reason", "补录", pw="888888")
    assert code != 0 and "授权" in err                       # a second manager must approve
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "admin123")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code = main(["--db", url, "day", "reopen", "--date", "2026-11-20", "--staff", "9001",
                 "--approver", "admin", "--reason", "补录"])
    out, err = capsys.readouterr()
    assert code == 0, err
    db.dispose()


# --------------------------------------------------------------------------------------
# the benchmark, once at a tiny size
# --------------------------------------------------------------------------------------
def test_bench_dayclose_runs_tiny(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_dayclose.py"
    spec = importlib.util.spec_from_file_location("bench_dayclose", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.run(60, folder=tmp_path, emit=None)
    assert res["payments"] == 60 and res["pdf_pages"] >= 1 and res["ratio"] > 0


def test_cash_without_a_till_or_after_the_count_is_refused_or_warned(hall):
    """Issue 18.4/18.12: the moment cash moves, the till is checked. No till: a warning,
    or a refusal when the hall's policy ``cash.require_open_till`` says so; cash after the
    blind count: refused until a manager reopens the count (issue 15.4)."""
    from counterdesk import policy

    db, c1, c2, mgr = hall
    at(9)
    first = sale(db, c1, [("CARD", "1")])
    assert "开钱箱" in first.warning
    assert billing.tillgate.warning(db, c1) == first.warning
    assert sale(db, c1, [("CARD", "1")], method="qr",
                reference="QR2026112300001").warning == ""
    policy.set(db, mgr, "cash.require_open_till", True)
    with pytest.raises(Conflict, match="开钱箱"):
        sale(db, c2, [("CARD", "1")])
    cash.open_till(db, c2, {"N10000": 5})
    assert sale(db, c2, [("CARD", "1")]).warning == ""
    at(17)
    cash.count_till(db, c2, breakdown(50000 + 2000))
    # after the blind count no money moves at all (issue 15.4): refused, the clerk told why
    with pytest.raises(Conflict) as ei:
        sale(db, c2, [("CARD", "1")])
    assert ei.value.field == "till"
    cash.reopen_till(db, c2, MGR, "点钞后又收一笔")
    assert billing.tillgate.warning(db, c2) == ""
    assert sale(db, c2, [("CARD", "1")]).warning == ""
