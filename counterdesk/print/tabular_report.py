"""The skeleton of a manager's period report: titled tables, on paper (A4 landscape PDF, CJK
font embedded, signature line) and as CSV (UTF-8 with a BOM, one block per table).

A report module (``orders_report``, ``quality_report``) turns its service's dict into a
:class:`TabularReport` (title, who made it when, the tables, who signs) and hands it here;
the layout is the same for every such report. The day close and the till sheet have
pages of their own (:mod:`.dayclose_pdf`, :mod:`.till_report`) and share only the table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .. import textfiles

Section = tuple[str, list[list[str]]]   # (heading, rows: the first is the header)


@dataclass(frozen=True)
class TabularReport:
    title: str
    company: str
    generated_at: str              # already written for people, e.g. 2026-11-30 17:01
    generated_by: str
    sections: list[Section]
    signers: tuple[str, ...]       # who signs the paper, e.g. ("营业厅主任", "调度")


def pct(v) -> str:
    """A rate for people: 0.875 → ``87.5%``; ``None`` (nothing to rate) → ``—``."""
    return "—" if v is None else f"{v * 100:.1f}%"


def to_csv(r: TabularReport) -> str:
    """UTF-8 CSV text (write it with a BOM so Excel opens the Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([r.title])
    w.writerow([f"生成时间 {r.generated_at}", f"制表 {r.generated_by}"])
    for name, rows in r.sections:
        w.writerow([])
        w.writerow([f"[{name}]"])
        w.writerows(rows)
    return buf.getvalue()


def write_csv(r: TabularReport, path: str | Path) -> Path:
    return textfiles.write_text(path, to_csv(r))


def to_pdf(r: TabularReport) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_pdf import rich, signature_line, table
    from .pdf import canvasmaker, register_fonts, styles

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("tabcell", fontSize=8, leading=10)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                            title=r.title, author=r.company)
    story = [Paragraph(rich(r.title, font), st["Title"]),
             Paragraph(rich(f"{r.company}　生成时间 {r.generated_at}　制表 {r.generated_by}",
                            font), st["Normal"]),
             Spacer(1, 4 * mm)]
    for name, rows in r.sections:
        story.append(Paragraph(rich(name, font), st["Heading3"]))
        if len(rows) == 1:
            rows = rows + [["（无）"] + [""] * (len(rows[0]) - 1)]
        story += [table(rows, font, cell), Spacer(1, 4 * mm)]
    story += [Spacer(1, 8 * mm), signature_line(font, st, r.signers)]
    doc.build(story, canvasmaker=canvasmaker())
    return buf.getvalue()


def write_pdf(r: TabularReport, path: str | Path) -> Path:
    from .pdf import save

    return save(to_pdf(r), path)


__all__ = ["Section", "TabularReport", "pct", "to_csv", "to_pdf", "write_csv", "write_pdf"]
