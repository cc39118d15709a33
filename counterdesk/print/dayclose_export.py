"""The day close report as titled tables, and as CSV (UTF-8 with BOM) and Excel files.

Cells are typed, so every format shows them right: :class:`Fen` for amounts (a number
with two decimals in Excel, ``1234.50`` in CSV and on the PDF), ``Decimal`` for
quantities, ``int`` for counts, ``datetime``/``date`` for times (dates in Excel,
``2026-11-23 10:15`` elsewhere), :class:`Minutes` for durations. Titles and headings
are in one language: Chinese (``lang="zh"``, the default) or English (``"en"``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from .. import money, textfiles
from ..billing.tenders import method_zh
from ..models.cash import DIRECTION_NAMES


class Fen(int):
    """An amount in fen (a cell of the report)."""


class Minutes(Decimal):
    """A duration in minutes, one decimal (a cell of the report)."""


def _y(fen: int | None) -> Fen | None:
    return None if fen is None else Fen(int(fen))


def as_time(value) -> dt.datetime | dt.date | str:
    """An ISO time or date of the report as a datetime/date (text left as is)."""
    if not value or not isinstance(value, str):
        return value or ""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return value


def _min(seconds) -> Minutes | None:
    if seconds is None or seconds == "":
        return None
    return Minutes((Decimal(int(seconds)) / 60).quantize(Decimal("0.1")))


def _q(text) -> Decimal:
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return Decimal(0)


def show(v) -> str:
    """A cell as people read it (CSV and PDF)."""
    if v is None:
        return ""
    if isinstance(v, Fen):
        return money.fmt(v, group=False)
    if isinstance(v, Minutes):
        return format(v, "f")
    if isinstance(v, Decimal):
        return money.fmt_qty(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S" if v.second else "%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def language(lang: str | None = None) -> str:
    """``zh`` or ``en``: the one given, else the user's (``--lang``, the settings)."""
    if lang is None:
        from .. import i18n

        lang = i18n.current()
    return "en" if str(lang).lower().startswith("en") else "zh"


def report_sections(rep: dict, lang: str | None = None) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables (title, header, rows): for CSV, Excel and the PDF, in
    the user's language (or ``lang``)."""
    en = language(lang) == "en"

    def L(zh: str, english: str) -> str:  # noqa: N802 - a label in the report's language
        return english if en else zh

    def meth(m: str) -> str:
        return m if en else method_zh(m)
    t = rep["totals"]
    run = rep.get("running") or {}
    rc = rep["receipts"]
    yes, no = L("是", "yes"), L("否", "NO")
    out: list[tuple[str, list[str], list[list]]] = []
    out.append((L("汇总", "Summary"), [L("项目", "Item"), L("数值", "Value")], [
        [L("营业厅", "Hall"), f"{rep['hall']['name']} ({rep['hall']['code']})"],
        [L("营业日", "Business day"), as_time(rep["business_day"])],
        [L("收费笔数", "Sales"), t["sales"]], [L("收费金额（元）", "Sales (yuan)"), _y(t["sales_fen"])],
        [L("作废笔数", "Voids"), t["voids"]], [L("作废金额（元）", "Voids (yuan)"), _y(t["voids_fen"])],
        [L("退款笔数", "Refunds"), t["refunds"]],
        [L("退款金额（元）", "Refunds (yuan)"), _y(t["refunds_fen"])],
        [L("实收净额（元）", "Net (yuan)"), _y(t["net_fen"])],
        [L("其中现金（元）", "Cash (yuan)"), _y(t["cash_net_fen"])],
        [L("非现金（元）", "Non-cash (yuan)"), _y(t["noncash_net_fen"])],
        [L("应有现金（元）", "Expected cash (yuan)"), _y(rep["cash"]["expected_fen"])],
        [L("实点现金（元）", "Counted cash (yuan)"), _y(rep["cash"]["counted_fen"])],
        [L("长短款（元）", "Difference (yuan)"), _y(rep["cash"]["difference_fen"])],
        [L("票据号", "Receipts"), f"{rc['first'] or '-'} — {rc['last'] or '-'} ({rc['count']})"],
        [L("票据号连续", "Gapless"), yes if rc["gapless"] else no + ": " + ", ".join(rc["gaps"][:20])],
        [L("恢复中丢失", "Lost in restore"), "; ".join(
            f"{x['first']}—{x['last']} ({x['count']})" for x in rc.get("lost_in_restore", []))
         or "-"],
        [L("未打印票据", "Unprinted"), rep["unprinted"]["count"]],
        [L("本日累计（元）", "Day (yuan)"), _y(run.get("day_net_fen"))],
        [L("本月累计（元）", "Month to date (yuan)"), _y(run.get("month_net_fen"))],
        [L("本年累计（元）", "Year to date (yuan)"), _y(run.get("year_net_fen"))],
        [L("本月长短款累计（元）", "Month difference (yuan)"), _y(run.get("month_difference_fen"))],
        [L("本年长短款累计（元）", "Year difference (yuan)"), _y(run.get("year_difference_fen"))],
        [L("日结人", "Closed by"), rep.get("closed_by") or ""],
        [L("日结时间", "Closed at"), as_time(rep.get("closed_at"))],
        *([[L("审计锚点", "Audit anchor"), rep["anchor"]]] if rep.get("anchor") else []),
    ]))
    out.append((L("按付款方式", "By payment method"),
                [L("方式", "Method"), L("笔数", "Count"), L("收款", "Sales"),
                 L("冲正", "Reversals"), L("净额", "Net"), L("实收", "Tendered"),
                 L("找零", "Change")],
                [[r["method"] if en else r["name"], r["count"], _y(r["sales_fen"]),
                  _y(r["reversals_fen"]), _y(r["net_fen"]), _y(r["tendered_fen"]),
                  _y(r["change_fen"])] for r in rep["by_method"]]))
    out.append((L("按收费项目", "By fee item"),
                [L("代码", "Code"), L("项目", "Item"), L("行数", "Lines"), L("数量", "Qty"),
                 L("收款", "Sales"), L("冲正", "Reversals"), L("净额", "Net")],
                [[r["code"], r["name"], r["lines"], _q(r["qty"]), _y(r["sales_fen"]),
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_item"]]))
    out.append((L("按收费员", "By clerk"),
                [L("工号", "Staff"), L("姓名", "Name"), L("笔数", "Sales"), L("收款", "Amount"),
                 L("冲正笔数", "Reversals"), L("冲正", "Reversed"), L("净额", "Net")],
                [[r["staff_no"], r["name"], r["sales"], _y(r["sales_fen"]), r["reversals"],
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_clerk"]]))
    out.append((L("按窗口", "By window"),
                [L("窗口", "Window"), L("笔数", "Sales"), L("收款", "Amount"),
                 L("冲正笔数", "Reversals"), L("冲正", "Reversed"), L("净额", "Net")],
                [[r["window"] if r["window"] is not None else "-", r["sales"], _y(r["sales_fen"]),
                  r["reversals"], _y(r["reversals_fen"]), _y(r["net_fen"])]
                 for r in rep["by_window"]]))
    out.append((L("钱箱 应有与实点", "Tills: expected vs counted"),
                [L("工号", "Staff"), L("姓名", "Name"), L("备用金", "Float"),
                 L("现金收款", "Cash taken"), L("现金冲正", "Cash back"), L("存入", "In"),
                 L("取出", "Out"), L("应有", "Expected"), L("实点", "Counted"),
                 L("长短款", "Difference"), L("说明", "Explanation"), L("复核", "Countersigned")],
                [[r["staff_no"], r["name"], _y(r["float_fen"]), _y(r["cash_sales_fen"]),
                  _y(r["cash_reversals_fen"]), _y(r["cash_in_fen"]), _y(r["cash_out_fen"]),
                  _y(r["expected_fen"]), _y(r["counted_fen"]), _y(r["difference_fen"]),
                  r["explanation"], r["countersigned_by"] or ""] for r in rep["tills"]]))
    nc_rows = []
    for r in rep["tills"]:
        for m, v in sorted((r.get("noncash") or {}).items()):
            if v.get("expected_fen") or v.get("confirmed_fen"):
                nc_rows.append([r["staff_no"], meth(m), _y(v["expected_fen"]),
                                _y(v["confirmed_fen"]), _y(v["difference_fen"])])
    out.append((L("非现金核对", "Non-cash confirmed"),
                [L("工号", "Staff"), L("方式", "Method"), L("系统", "System"),
                 L("确认", "Confirmed"), L("差额", "Difference")], nc_rows))
    out.append((L("作废与退款", "Voids and refunds"),
                [L("类型", "Kind"), L("票据号", "Receipt"), L("原票据", "Original"),
                 L("金额", "Amount"), L("收费员", "Clerk"), L("授权人", "Approved by"),
                 L("原因", "Reason"), L("时间", "Time")],
                [[r["kind"] if en else r["kind_name"], r["receipt_no"], r["original_receipt_no"],
                  _y(r["amount_fen"]), r["staff_no"],
                  f"{r['approved_by']} {r['approver_name']}".strip(), r["reason"], as_time(r["at"])]
                 for r in rep["reversals"]]))
    mv = []
    for r in rep["tills"]:
        for m in r["movements"]:
            mv.append([r["staff_no"], m["direction"] if en else
                       DIRECTION_NAMES.get(m["direction"], m["direction"]),
                       _y(m["amount_fen"]), m["reason"], m["approved_by"], as_time(m["at"])])
    out.append((L("现金存取", "Cash movements"),
                [L("工号", "Staff"), L("方向", "Direction"), L("金额", "Amount"),
                 L("原因", "Reason"), L("授权人", "Approved by"), L("时间", "Time")], mv))
    out.append((L("未打印票据", "Unprinted receipts"),
                [L("票据号", "Receipt"), L("收费员", "Clerk"), L("窗口", "Window"),
                 L("金额", "Amount"), L("时间", "Time")],
                [[r["receipt_no"], r["staff_no"], r["window"], _y(r["amount_fen"]), as_time(r["at"])]
                 for r in rep["unprinted"]["items"]]))
    q = rep.get("queue")
    if q and q.get("rows"):
        out.append((L("排队情况", "Queue"),
                    [L("业务", "Service"), L("取号", "Tickets"), L("办结", "Finished"),
                     L("过号", "No-shows"), L("平均等候（分钟）", "Average wait (min)"),
                     L("平均办理（分钟）", "Average service (min)")],
                    [[f"{r['key']} {r['name']}".strip(), r["tickets"], r["finished"],
                      r["no_shows"], _min(r["avg_wait"]), _min(r["avg_service"])]
                     for r in q["rows"]]))
    c = rep.get("cards")
    if c and (c["purchases"] or c["cards_issued"] or c["cards_reissued"] or c["meter_changes"]
              or c["cancelled"]):
        out.append((L("IC卡购气", "IC-card gas"), [L("项目", "Item"), L("数值", "Value")], [
            [L("购气笔数", "Purchases"), c["purchases"]],
            [L("购气量（立方米）", "Volume (m3)"), _q(c["volume"])],
            [L("购气金额（元）", "Amount (yuan)"), _y(c["amount_fen"])],
            [L("已写卡", "Written"), c["written"]], [L("待写卡", "Still to write"), c["to_write"]],
            [L("退购", "Cancelled"), c["cancelled"]],
            [L("发卡", "Cards issued"), c["cards_issued"]],
            [L("补卡", "Reissued"), c["cards_reissued"]],
            [L("卡费（元）", "Card fees (yuan)"), _y(c["card_fees_fen"])],
            [L("换表", "Meter changes"), c["meter_changes"]],
            [L("换表转入气量（立方米）", "Volume moved (m3)"), _q(c["meter_change_volume"])],
            *[[L(f"第{t['tier']}阶气量（立方米）", f"Tier {t['tier']} volume (m3)"),
               _q(t["volume"])] for t in c["by_tier"]],
            *[[L(f"第{t['tier']}阶金额（元）", f"Tier {t['tier']} amount (yuan)"),
               _y(t["amount_fen"])] for t in c["by_tier"]],
            *[[f"{meth(m)}" + L("（元）", " (yuan)"), _y(v)] for m, v in c["by_method"].items()]]))
        if c["to_write_list"]:
            keys = sorted({k for r in c["to_write_list"] for k in r})
            out.append((L("日终待写卡", "Cards still to write"), keys,
                        [[r.get(k, "") for k in keys] for r in c["to_write_list"]]))
    return out


def export_csv(rep: dict, lang: str | None = None) -> str:
    """The report as one CSV text with titled sections (write it UTF-8 with BOM)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for title, header, rows in report_sections(rep, lang):
        w.writerow([f"# {title}"])
        w.writerow(header)
        for r in rows:
            w.writerow([show(v) for v in r])
        w.writerow([])
    return buf.getvalue()


def write_csv(rep: dict, path: str | Path, lang: str | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    textfiles.write_text(path, export_csv(rep, lang))
    return path


def write_xlsx(rep: dict, path: str | Path, lang: str | None = None) -> Path:
    """The report as an Excel workbook, one sheet per section (openpyxl): amounts are
    numbers in ``#,##0.00``, quantities numbers, counts integers, times dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    used: set[str] = set()
    for title, header, rows in report_sections(rep, lang):
        name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
        while name in used:
            name += "_"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([title])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for c in ws[2]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([_cell(v) for v in r])
            for c, v in zip(ws[ws.max_row], r, strict=False):
                fmt = _FORMATS.get(type(v))
                if fmt:
                    c.number_format = fmt
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(2, i).column_letter].width = max(10, min(40, len(h) + 4))
    wb.save(path)
    return path


_FORMATS = {Fen: "#,##0.00", Minutes: "0.0", dt.datetime: "yyyy-mm-dd hh:mm:ss",
            dt.date: "yyyy-mm-dd"}


def _cell(v):
    """A typed cell as openpyxl stores it: amounts as exact decimals of yuan, times naive."""
    if isinstance(v, Fen):
        return money.to_decimal(v)
    if isinstance(v, Minutes):
        return Decimal(v)
    return v
