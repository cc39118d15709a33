"""The work-order report on paper (PDF, CJK font embedded) and as CSV.

Input is the dict of :func:`counterdesk.orders.report`: customer names and phones are
masked there already.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _hm(iso: str | None) -> str:
    return iso.replace("T", " ")[:16] if iso else ""


def _orders(items: list[dict]) -> list[list[str]]:
    out = [["工单号", "类型", "户号", "客户", "电话", "维修员", "受理时间", "当前期限", "状态"]]
    for d in items:
        out.append([d["number"], d["kind_label"], d["account_no"], d["contact_name"],
                    d["contact_phone"], d["assignee"] or d["team"], _hm(d["created_at"]),
                    _hm(d["next_due_at"]), d["state_label"]])
    return out


def sections(rep: dict) -> list[tuple[str, list[list[str]]]]:
    kinds = [["类型", "合计", "完成", "未完", "到场按时率", "到场(按时/已定)", "修复按时率",
              "回访按时率", "回访满意", "回访不满意"]]
    for d in rep["by_kind"]:
        kinds.append([d["kind_label"], str(d["total"]), str(d["done"]), str(d["open"]),
                      _pct(d["onsite_rate"]), f"{d['onsite_on_time']}/{d['onsite_decided']}",
                      _pct(d["result_rate"]), _pct(d["followup_rate"]), str(d["satisfied"]),
                      str(d["unsatisfied"])])
    summary = [["项目", "数值"], ["本期受理工单", str(rep["total"])],
               ["当前未办结", str(len(rep["open"]))], ["当前超期", str(len(rep["overdue"]))],
               ["回访满意", str(rep["followups"]["satisfied"])],
               ["回访不满意（已重新处理）", str(rep["followups"]["unsatisfied"])]]
    return [("汇总", summary), ("按类型：按时率与回访", kinds),
            ("超期工单", _orders(rep["overdue"])), ("未办结工单", _orders(rep["open"])),
            ("本期受理明细", _orders(rep["items"]))]


def title(rep: dict) -> str:
    return f"{rep['hall']} 服务工单报表 {rep['from']} 至 {rep['to']}"


def to_csv(rep: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([title(rep)])
    w.writerow([f"生成时间 {_hm(rep['generated_at'])}", f"制表 {rep['generated_by']}"])
    for name, rows in sections(rep):
        w.writerow([])
        w.writerow([f"[{name}]"])
        w.writerows(rows)
    return buf.getvalue()


def write_csv(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(to_csv(rep), encoding="utf-8-sig", newline="")
    return path


def to_pdf(rep: dict) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_pdf import rich, signature_line, table
    from .pdf import canvasmaker, register_fonts, styles

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("ocell", fontSize=8, leading=10)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                            title=title(rep), author=rep.get("company", ""))
    story = [Paragraph(rich(title(rep), font), st["Title"]),
             Paragraph(rich(f"{rep.get('company', '')}　生成时间 {_hm(rep['generated_at'])}"
                            f"　制表 {rep['generated_by']}", font), st["Normal"]),
             Spacer(1, 4 * mm)]
    for name, rows in sections(rep):
        story.append(Paragraph(rich(name, font), st["Heading3"]))
        if len(rows) == 1:
            rows = rows + [["（无）"] + [""] * (len(rows[0]) - 1)]
        story += [table(rows, font, cell), Spacer(1, 4 * mm)]
    story += [Spacer(1, 8 * mm), signature_line(font, st, ("营业厅主任", "调度"))]
    doc.build(story, canvasmaker=canvasmaker())
    return buf.getvalue()


def write_pdf(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(to_pdf(rep))
    return path
