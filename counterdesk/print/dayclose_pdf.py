"""The day-close report (日结报表) as an A4 PDF with the CJK font embedded.

Input is the report dict of :func:`counterdesk.cash.close_day` / ``day_report``; the
tables are :func:`counterdesk.print.dayclose_export.report_sections` (the same as the CSV and Excel
exports). Long lists (unprinted receipts) are cut in the PDF with a note; the CSV and
Excel files carry them in full.
"""

from __future__ import annotations

import io
from pathlib import Path

from .pdf import FONT as LATIN  # the embedded font covers Latin and CJK
from .pdf import canvasmaker as _pdf_canvas
from .pdf import markup

PDF_ROW_LIMIT = 120   # rows per section on paper; the CSV / Excel have them all


def rich(text, cjk: str = "") -> str:
    """Paragraph markup in the embedded fonts (see ``print.pdf.markup``)."""
    return markup(text)


def signature_line(font: str, st, roles=("收费员", "复核人", "营业厅主任")):
    from reportlab.platypus import Paragraph

    text = "　　".join(f"{r}（签字）：____________" for r in roles)
    return Paragraph(rich(text, font), st["Normal"])


def table(rows: list[list], font: str, cell_style, *, header=True, col_widths=None,
          align_right_from: int | None = None):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    def cell(v):
        text = "" if v is None else str(v)
        if all(ord(ch) < 0x250 for ch in text):
            return text            # Latin only (numbers, receipt numbers): a plain string
        return Paragraph(rich(text, font), cell_style)
    data = [[cell(v) for v in r] for r in rows]
    t = Table(data, repeatRows=1 if header else 0, hAlign="LEFT", colWidths=col_widths)
    style = [("FONTNAME", (0, 0), (-1, -1), LATIN),
             ("FONTSIZE", (0, 0), (-1, -1), cell_style.fontSize),
             ("LEADING", (0, 0), (-1, -1), cell_style.leading),
             ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    t.setStyle(TableStyle(style))
    return t


def _footer(text: str, font: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(LATIN, 8)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 8 * 2.8346,
                               f"{text}  - {doc.page} -")
        canvas.restoreState()
    return draw


def title(rep: dict) -> str:
    return f"{rep['hall']['name']} 营业日结报表（日清日结） {rep['business_day']}"


def to_pdf(rep: dict) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_export import report_sections
    from .pdf import register_fonts, styles

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("dccell", fontSize=8, leading=10)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=14 * mm,
                            title=title(rep), author=rep["hall"].get("company", ""),
                            subject="CounterDesk day close")
    status = {"closed": "已日结（锁定）", "reopened": "已重新开启", "open": "未日结（预览）"}.get(
        rep.get("status", "open"), rep.get("status", ""))
    head = (f"{rep['hall'].get('company', '')}　{rep['hall']['name']}（{rep['hall']['code']}）"
            f"　营业日 {rep['business_day']}　状态：{status}")
    who = (f"日结人 {rep.get('closed_by') or '—'} {rep.get('closed_by_name') or ''}　"
           f"日结时间 {(rep.get('closed_at') or '—').replace('T', ' ')}　"
           f"生成时间 {(rep.get('generated_at') or '').replace('T', ' ')}")
    story = [Paragraph(rich(title(rep), font), st["Title"]),
             Paragraph(rich(head, font), st["Normal"]),
             Paragraph(rich(who, font), st["Normal"])]
    if rep.get("anchor"):
        story.append(Paragraph(rich(f"审计锚点（请留存本页，核对：counterdesk audit verify --anchor "
                                    f"{rep['anchor']}）", font), st["Normal"]))
    story.append(Spacer(1, 3 * mm))
    blockers = rep.get("blockers") or []
    if blockers:
        story.append(Paragraph(rich("尚不能日结：" + "；".join(b["zh"] for b in blockers), font),
                               st["Normal"]))
    for name, header, rows in report_sections(rep):
        story.append(Paragraph(rich(name, font), st["Heading3"]))
        if not rows:
            rows = [["（无）"] + [""] * (len(header) - 1)]
        shown = rows[:PDF_ROW_LIMIT]
        story.append(table([header] + shown, font, cell))
        total = len(rows)
        if name.startswith("未打印"):
            total = rep["unprinted"]["count"]
        if total > len(shown):
            story.append(Paragraph(rich(f"…… 另有 {total - len(shown)} 行未列出，见 CSV / Excel 导出",
                                        font), cell))
        story.append(Spacer(1, 2 * mm))
    story += [Spacer(1, 10 * mm), signature_line(font, st)]
    doc.build(story, canvasmaker=_pdf_canvas(), onFirstPage=_footer(f"CounterDesk {rep['business_day']}", font),
              onLaterPages=_footer(f"CounterDesk {rep['business_day']}", font))
    return buf.getvalue()


def write_pdf(rep: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_pdf(rep))
    return path


__all__ = ["to_pdf", "write_pdf", "title", "rich", "table", "signature_line"]
