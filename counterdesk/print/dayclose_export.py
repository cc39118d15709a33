"""The day close report as titled tables, and as CSV (UTF-8 with BOM) and Excel files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from .. import money, textfiles
from ..billing.tenders import method_zh
from ..models.cash import DIRECTION_NAMES


def _y(fen: int | None) -> str:
    return "" if fen is None else money.fmt(fen, group=False)


def report_sections(rep: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables (title, header, rows): for CSV, Excel and the PDF."""
    t = rep["totals"]
    run = rep.get("running") or {}
    rc = rep["receipts"]
    out: list[tuple[str, list[str], list[list]]] = []
    out.append(("汇总 Summary", ["项目 item", "数值 value"], [
        ["营业厅 hall", f"{rep['hall']['name']} ({rep['hall']['code']})"],
        ["营业日 business day", rep["business_day"]],
        ["收费笔数 sales", t["sales"]], ["收费金额 sales (元)", _y(t["sales_fen"])],
        ["作废笔数 voids", t["voids"]], ["作废金额 voids (元)", _y(t["voids_fen"])],
        ["退款笔数 refunds", t["refunds"]], ["退款金额 refunds (元)", _y(t["refunds_fen"])],
        ["实收净额 net (元)", _y(t["net_fen"])], ["其中现金 cash (元)", _y(t["cash_net_fen"])],
        ["非现金 non-cash (元)", _y(t["noncash_net_fen"])],
        ["应有现金 expected cash (元)", _y(rep["cash"]["expected_fen"])],
        ["实点现金 counted cash (元)", _y(rep["cash"]["counted_fen"])],
        ["长短款 difference (元)", _y(rep["cash"]["difference_fen"])],
        ["票据号 receipts", f"{rc['first'] or '-'} — {rc['last'] or '-'} ({rc['count']})"],
        ["票据号连续 gapless", "是 yes" if rc["gapless"] else "否 NO: " + ", ".join(rc["gaps"][:20])],
        ["恢复中丢失 lost in restore", "; ".join(
            f"{x['first']}—{x['last']} ({x['count']})" for x in rc.get("lost_in_restore", []))
         or "-"],
        ["未打印票据 unprinted", rep["unprinted"]["count"]],
        ["本日累计 day (元)", _y(run.get("day_net_fen"))],
        ["本月累计 month to date (元)", _y(run.get("month_net_fen"))],
        ["本年累计 year to date (元)", _y(run.get("year_net_fen"))],
        ["本月长短款累计 month difference (元)", _y(run.get("month_difference_fen"))],
        ["本年长短款累计 year difference (元)", _y(run.get("year_difference_fen"))],
        ["日结人 closed by", rep.get("closed_by") or ""],
        ["日结时间 closed at", rep.get("closed_at") or ""],
    ]))
    out.append(("按付款方式 By payment method",
                ["方式 method", "笔数 count", "收款 sales", "冲正 reversals", "净额 net",
                 "实收 tendered", "找零 change"],
                [[r["name"], r["count"], _y(r["sales_fen"]), _y(r["reversals_fen"]),
                  _y(r["net_fen"]), _y(r["tendered_fen"]), _y(r["change_fen"])]
                 for r in rep["by_method"]]))
    out.append(("按收费项目 By fee item",
                ["代码 code", "项目 item", "行数 lines", "数量 qty", "收款 sales",
                 "冲正 reversals", "净额 net"],
                [[r["code"], r["name"], r["lines"], r["qty"], _y(r["sales_fen"]),
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_item"]]))
    out.append(("按收费员 By clerk",
                ["工号 staff", "姓名 name", "笔数 sales", "收款 sales", "冲正笔数 reversals",
                 "冲正 reversals", "净额 net"],
                [[r["staff_no"], r["name"], r["sales"], _y(r["sales_fen"]), r["reversals"],
                  _y(r["reversals_fen"]), _y(r["net_fen"])] for r in rep["by_clerk"]]))
    out.append(("按窗口 By window",
                ["窗口 window", "笔数 sales", "收款 sales", "冲正笔数 reversals", "冲正 reversals",
                 "净额 net"],
                [[r["window"] if r["window"] is not None else "-", r["sales"], _y(r["sales_fen"]),
                  r["reversals"], _y(r["reversals_fen"]), _y(r["net_fen"])]
                 for r in rep["by_window"]]))
    out.append(("钱箱 应有与实点 Tills: expected vs counted",
                ["工号 staff", "姓名 name", "备用金 float", "现金收款 cash taken", "现金冲正 cash back",
                 "存入 in", "取出 out", "应有 expected", "实点 counted", "长短款 difference",
                 "说明 explanation", "复核 countersigned"],
                [[r["staff_no"], r["name"], _y(r["float_fen"]), _y(r["cash_sales_fen"]),
                  _y(r["cash_reversals_fen"]), _y(r["cash_in_fen"]), _y(r["cash_out_fen"]),
                  _y(r["expected_fen"]), _y(r["counted_fen"]), _y(r["difference_fen"]),
                  r["explanation"], r["countersigned_by"] or ""] for r in rep["tills"]]))
    nc_rows = []
    for r in rep["tills"]:
        for m, v in sorted((r.get("noncash") or {}).items()):
            if v.get("expected_fen") or v.get("confirmed_fen"):
                nc_rows.append([r["staff_no"], method_zh(m), _y(v["expected_fen"]),
                                _y(v["confirmed_fen"]), _y(v["difference_fen"])])
    out.append(("非现金核对 Non-cash confirmed",
                ["工号 staff", "方式 method", "系统 system", "确认 confirmed", "差额 difference"],
                nc_rows))
    out.append(("作废与退款 Voids and refunds",
                ["类型 kind", "票据号 receipt", "原票据 original", "金额 amount", "收费员 clerk",
                 "授权人 approved by", "原因 reason", "时间 time"],
                [[r["kind_name"], r["receipt_no"], r["original_receipt_no"],
                  _y(r["amount_fen"]), r["staff_no"],
                  f"{r['approved_by']} {r['approver_name']}".strip(), r["reason"], r["at"]]
                 for r in rep["reversals"]]))
    mv = []
    for r in rep["tills"]:
        for m in r["movements"]:
            mv.append([r["staff_no"], DIRECTION_NAMES.get(m["direction"], m["direction"]),
                       _y(m["amount_fen"]), m["reason"], m["approved_by"], m["at"]])
    out.append(("现金存取 Cash movements",
                ["工号 staff", "方向 direction", "金额 amount", "原因 reason", "授权人 approved by",
                 "时间 time"], mv))
    out.append(("未打印票据 Unprinted receipts",
                ["票据号 receipt", "收费员 clerk", "窗口 window", "金额 amount", "时间 time"],
                [[r["receipt_no"], r["staff_no"], r["window"], _y(r["amount_fen"]), r["at"]]
                 for r in rep["unprinted"]["items"]]))
    q = rep.get("queue")
    if q and q.get("rows"):
        out.append(("排队情况 Queue", ["业务 service", "取号 tickets", "办结 finished",
                                     "过号 no-shows", "平均等候(秒) avg wait s",
                                     "平均办理(秒) avg service s"],
                    [[f"{r['key']} {r['name']}".strip(), r["tickets"], r["finished"],
                      r["no_shows"], r["avg_wait"] if r["avg_wait"] is not None else "",
                      r["avg_service"] if r["avg_service"] is not None else ""]
                     for r in q["rows"]]))
    c = rep.get("cards")
    if c and (c["purchases"] or c["cards_issued"] or c["cards_reissued"] or c["meter_changes"]
              or c["cancelled"]):
        out.append(("IC卡购气 IC-card gas", ["项目 item", "数值 value"], [
            ["购气笔数 purchases", c["purchases"]], ["购气量 volume (m³)", c["volume"]],
            ["购气金额 amount (元)", _y(c["amount_fen"])],
            ["已写卡 written", c["written"]], ["待写卡 still to write", c["to_write"]],
            ["退购 cancelled", c["cancelled"]],
            ["发卡 cards issued", c["cards_issued"]], ["补卡 reissued", c["cards_reissued"]],
            ["卡费 card fees (元)", _y(c["card_fees_fen"])],
            ["换表 meter changes", c["meter_changes"]],
            ["换表转入气量 volume moved (m³)", c["meter_change_volume"]],
            *[[f"第{t['tier']}阶 tier {t['tier']} (m³ / 元)",
               f"{t['volume']} / {_y(t['amount_fen'])}"] for t in c["by_tier"]],
            *[[f"{method_zh(m)} {m} (元)", _y(v)] for m, v in c["by_method"].items()]]))
        if c["to_write_list"]:
            keys = sorted({k for r in c["to_write_list"] for k in r})
            out.append(("日终待写卡 Cards still to write", keys,
                        [[r.get(k, "") for k in keys] for r in c["to_write_list"]]))
    return out


def export_csv(rep: dict) -> str:
    """The report as one CSV text with titled sections (write it UTF-8 with BOM)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for title, header, rows in report_sections(rep):
        w.writerow([f"# {title}"])
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
        w.writerow([])
    return buf.getvalue()


def write_csv(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    textfiles.write_text(path, export_csv(rep))
    return path


def write_xlsx(rep: dict, path: str | Path) -> Path:
    """The report as an Excel workbook, one sheet per section (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows in report_sections(rep):
        name = title.split(" ")[0][:28] or "Sheet"
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
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(2, i).column_letter].width = max(10, min(40, len(h) + 4))
    wb.save(path)
    return path


def _cell(v):
    """Amounts stay exact: numbers as Decimal-like strings become numbers Excel can sum."""
    if isinstance(v, str) and v and v.lstrip("-").replace(".", "", 1).isdigit() and "." in v:
        return Decimal(v)
    return v
