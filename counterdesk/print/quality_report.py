"""The service-quality report on paper (PDF, CJK font embedded) and as CSV.

Input is the dict of :func:`counterdesk.quality.report`: customer names and phones
are already masked there; nothing here unmasks them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import textfiles
from .pdf import canvasmaker as _pdf_canvas

RATING_COLS = ("very_satisfied", "satisfied", "basic", "unsatisfied", "none")
RATING_HEAD = ["非常满意", "满意", "基本满意", "不满意", "未评价", "评价数", "满意率", "平均分"]


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _num(v) -> str:
    return "—" if v is None else f"{v:.2f}"


def _sat_rows(rows: list[dict], first: str) -> list[list[str]]:
    out = [[first, "名称", *RATING_HEAD]]
    for r in rows:
        out.append([r["key"], r["name"], *[str(r[c]) for c in RATING_COLS], str(r["rated"]),
                    _pct(r["satisfaction_rate"]), _num(r["average_score"])])
    return out


def _item_rows(items: list[dict]) -> list[list[str]]:
    out = [["编号", "类型", "类别", "客户", "电话", "负责人", "登记时间", "答复期限", "状态"]]
    for d in items:
        out.append([d["number"], d["kind_label"], d["category"], d["contact_name"],
                    d["contact_phone"], f"{d['owner_staff_no']} {d['owner_name']}",
                    d["created_at"].replace("T", " ")[:16], d["due_at"].replace("T", " ")[:16],
                    d["status_label"]])
    return out


def sections(rep: dict) -> list[tuple[str, list[list[str]]]]:
    """The report as titled tables (shared by PDF and CSV)."""
    sat = rep["satisfaction"]
    c = rep["complaints"]
    total = sat["total"]
    summary = [["项目", "数值"],
               ["评价邀请数", str(total["asked"])], ["有效评价数", str(total["rated"])],
               ["未评价（超时）", str(total["none"])],
               ["满意率（非常满意+满意+基本满意）/有效评价", _pct(total["satisfaction_rate"])],
               ["平均分（4 分制）", _num(total["average_score"])],
               ["投诉/咨询/求助登记数", str(c["total"])],
               ["按时答复数 / 已到期或已答复数", f"{c['on_time']} / {c['decided']}"],
               ["按时答复率", _pct(c["on_time_rate"])],
               ["当前超期未答复", str(len(rep["overdue"]))]]
    cats = [["类别", "合计", "投诉", "咨询", "求助", "已关闭", "未关闭", "超期"]]
    for d in c["by_category"]:
        cats.append([d["category"], str(d["total"]), str(d["complaint"]), str(d["enquiry"]),
                     str(d["help"]), str(d["closed"]), str(d["open"]), str(d["overdue"])])
    return [("汇总", summary),
            ("满意度·按柜员", _sat_rows(sat["by_clerk"], "工号")),
            ("满意度·按窗口", _sat_rows(sat["by_window"], "窗口")),
            ("满意度·按业务", _sat_rows(sat["by_service"], "业务")),
            ("投诉·按类别", cats),
            ("超期未答复清单", _item_rows(rep["overdue"])),
            ("本期登记明细", _item_rows(c["items"]))]


def title(rep: dict) -> str:
    return f"{rep['hall']} 服务质量报表 {rep['from']} 至 {rep['to']}"


def to_csv(rep: dict) -> str:
    """UTF-8 CSV (write with a BOM so Excel opens the Chinese): one block per section."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([title(rep)])
    w.writerow([f"生成时间 {rep['generated_at'].replace('T', ' ')}", f"制表 {rep['generated_by']}"])
    for name, rows in sections(rep):
        w.writerow([])
        w.writerow([f"[{name}]"])
        w.writerows(rows)
    return buf.getvalue()


def write_csv(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    textfiles.write_text(path, to_csv(rep))
    return path


def _rich(text: str, cjk: str = "") -> str:
    """Paragraph markup in the embedded fonts (see ``print.pdf.markup``)."""
    from .pdf import markup

    return markup(text)


def to_pdf(rep: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .pdf import register_fonts, styles

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("qcell", fontSize=8, leading=10)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                            title=title(rep), author=rep.get("company", ""))
    story = [Paragraph(_rich(title(rep), font), st["Title"]),
             Paragraph(_rich(f"{rep.get('company', '')}　生成时间 "
                             f"{rep['generated_at'].replace('T', ' ')}　制表 {rep['generated_by']}",
                             font), st["Normal"]), Spacer(1, 4 * mm)]
    for name, rows in sections(rep):
        story.append(Paragraph(_rich(name, font), st["Heading3"]))
        if len(rows) == 1:
            rows = rows + [["（无）"] + [""] * (len(rows[0]) - 1)]
        data = [[Paragraph(_rich(x, font), cell) for x in r] for r in rows]
        t = Table(data, repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [t, Spacer(1, 4 * mm)]
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(_rich("营业厅主任（签字）：________________　　质检（签字）："
                                 "________________", font), st["Normal"]))
    doc.build(story, canvasmaker=_pdf_canvas())
    return buf.getvalue()


def write_pdf(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(to_pdf(rep))
    return path


__all__ = ["sections", "to_csv", "to_pdf", "write_csv", "write_pdf"]
