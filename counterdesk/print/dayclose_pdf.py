"""The day-close report (日结报表) as an A4 PDF with the CJK font embedded.

Input is the report dict of :func:`counterdesk.cash.close_day` / ``day_report``; the
tables are :func:`counterdesk.print.dayclose_export.report_sections` (the same as the CSV and Excel
exports). Long lists (unprinted receipts) are cut in the PDF with a note; the CSV and
Excel files carry them in full.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .pdf import FONT as LATIN  # the embedded font covers Latin and CJK
from .pdf import canvasmaker as _pdf_canvas
from .pdf import markup

PDF_ROW_LIMIT = 120   # rows per section on paper; the CSV / Excel have them all


def rich(text, cjk: str = "") -> str:
    """Paragraph markup in the embedded fonts (see ``print.pdf.markup``)."""
    return markup(text)


def signature_line(font: str, st, roles=("收费员", "复核人", "营业厅主任"), sign: str = "（签字）"):
    from reportlab.platypus import Paragraph

    text = "　　".join(f"{r}{sign}：____________" for r in roles)
    return Paragraph(rich(text, font), st["Normal"])


def _is_figure(v) -> bool:
    from decimal import Decimal

    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def table(rows: list[list], font: str, cell_style, *, header=True, col_widths=None,
          align_right_from: int | None = None, width: float | None = None):
    """A table; figures (amounts, counts, quantities) right-aligned in columns just wide
    enough for them, so long texts (explanations, reasons) wrap in the other columns.
    Text without Chinese wraps at spaces, never mid-word."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    from .dayclose_export import show

    latin_style = cell_style.clone(cell_style.name + "_latin", wordWrap=None)

    def cell(v):
        text = show(v)
        if _is_figure(v) or (len(text) <= 12 and all(ord(ch) < 0x250 for ch in text)):
            return text            # figures, receipt numbers, short codes: a plain string
        latin = all(ord(ch) < 0x2E80 for ch in text)
        return Paragraph(rich(text, font), latin_style if latin else cell_style)
    body = rows[1:] if header else rows
    figures = [i for i in range(len(rows[0]) if rows else 0)
               if body and all(_is_figure(r[i]) or r[i] in (None, "") for r in body)
               and any(_is_figure(r[i]) for r in body)]
    if col_widths is None and width and rows:
        n = len(rows[0])
        fig_w = 22 * mm
        free = max(len(rows[0]) - len(figures), 1)
        rest = max(width - fig_w * len(figures), 20 * mm * free)
        col_widths = [fig_w if i in figures else rest / free for i in range(n)]
    data = [[cell(v) for v in r] for r in rows]
    t = Table(data, repeatRows=1 if header else 0, hAlign="LEFT", colWidths=col_widths)
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), cell_style.fontSize),
        ("LEADING", (0, 0), (-1, -1), cell_style.leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    for i in figures:
        style.append(("ALIGN", (i, 1 if header else 0), (i, -1), "RIGHT"))
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


WORDS: dict[str, dict[str, Any]] = {
    "zh": {"title": "{hall} 营业日结报表（日清日结） {day}", "day": "营业日", "status": "状态",
           "closed": "已日结（锁定）", "reopened": "已重新开启", "open": "未日结（预览）",
           "closed_by": "日结人", "closed_at": "日结时间", "generated": "生成时间",
           "blocked": "尚不能日结：", "none": "（无）",
           "more": "…… 另有 {n} 行未列出，见 CSV / Excel 导出",
           "roles": ("收费员", "复核人", "营业厅主任"), "sign": "（签字）"},
    "en": {"title": "{hall} day close report {day}", "day": "Business day", "status": "Status",
           "closed": "closed (locked)", "reopened": "reopened", "open": "not closed (preview)",
           "closed_by": "Closed by", "closed_at": "Closed at", "generated": "Generated",
           "blocked": "Cannot close yet: ", "none": "(none)",
           "more": "... {n} more rows not shown: see the CSV / Excel export",
           "roles": ("Clerk", "Checked by", "Hall manager"), "sign": " (signature)"},
}


def when(value) -> str:
    """An ISO time for people: ``2025-10-28T09:00:00+08:00`` → ``2025-10-28 09:00``."""
    from .dayclose_export import as_time, show

    return show(as_time(value)) if value else "—"


def title(rep: dict, lang: str | None = None) -> str:
    from .dayclose_export import language

    return WORDS[language(lang)]["title"].format(hall=rep["hall"]["name"], day=rep["business_day"])


def to_pdf(rep: dict, lang: str | None = None) -> bytes:
    """The report in one language (Chinese by default, ``lang="en"`` English); headings
    stay with their tables and the signature block with the last table."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_export import language, report_sections
    from .pdf import register_fonts, styles

    lang = language(lang)
    w = WORDS[lang]
    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("dccell", fontSize=8, leading=10)
    heading = st["Heading3"].clone("dchead", keepWithNext=1)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=14 * mm,
                            title=title(rep, lang), author=rep["hall"].get("company", ""),
                            subject="CounterDesk day close")
    status = w.get(rep.get("status", "open"), rep.get("status", ""))
    sep = "　" if lang != "en" else "   "
    head = (f"{rep['hall'].get('company', '')}{sep}{rep['hall']['name']}（{rep['hall']['code']}）"
            f"{sep}{w['day']} {rep['business_day']}{sep}{w['status']}：{status}")
    who = (f"{w['closed_by']} {rep.get('closed_by') or '—'} {rep.get('closed_by_name') or ''}"
           f"{sep}{w['closed_at']} {when(rep.get('closed_at'))}"
           f"{sep}{w['generated']} {when(rep.get('generated_at'))}")
    story: list[Flowable] = [Paragraph(rich(title(rep, lang), font), st["Title"]),
                             Paragraph(rich(head, font), st["Normal"]),
                             Paragraph(rich(who, font), st["Normal"])]
    if rep.get("anchor"):
        story.append(Paragraph(rich(f"审计锚点（请留存本页，核对：counterdesk audit verify --anchor "
                                    f"{rep['anchor']}）", font), st["Normal"]))
    story.append(Spacer(1, 3 * mm))
    blockers = rep.get("blockers") or []
    if blockers:
        story.append(Paragraph(rich(w["blocked"] + "；".join(
            b["en" if lang == "en" else "zh"] for b in blockers), font), st["Normal"]))
    sections = report_sections(rep, lang)
    for n, (name, header, rows) in enumerate(sections):
        if not rows:
            rows = [[w["none"]] + [""] * (len(header) - 1)]
        shown = rows[:PDF_ROW_LIMIT]
        part = [Paragraph(rich(name, font), heading),
                table([header] + shown, font, cell, width=doc.width)]
        total = len(rows)
        if name in ("未打印票据", "Unprinted receipts"):
            total = rep["unprinted"]["count"]
        if total > len(shown):
            part.append(Paragraph(rich(w["more"].format(n=total - len(shown)), font), cell))
        if n == len(sections) - 1:
            part += [Spacer(1, 10 * mm), signature_line(font, st, w["roles"], w["sign"])]
            story.append(KeepTogether(part))
        else:
            story += part
        story.append(Spacer(1, 2 * mm))
    footer = _footer(f"CounterDesk {rep['business_day']}", font)
    doc.build(story, canvasmaker=_pdf_canvas(), onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def write_pdf(rep: dict, path: str | Path, lang: str | None = None) -> Path:
    from .pdf import save

    return save(to_pdf(rep, lang), path)


__all__ = ["to_pdf", "write_pdf", "title", "rich", "table", "signature_line"]
