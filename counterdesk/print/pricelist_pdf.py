"""The published price list (收费标准公示) as an A4 PDF for the hall's notice board.

Company and hall, the day the list applies, every item in force (code, name, category,
unit, unit price), residential gas tiers spelled out (阶梯气价), the items announced
for a later date, and the hotline for questions. The CJK font is embedded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import billing, clock, money
from ..db import Database
from .pdf import canvasmaker as _pdf_canvas


def _mixed(text: str) -> str:
    """Paragraph markup in the embedded fonts (see ``print.pdf.markup``)."""
    from .pdf import markup

    return markup(text)


def _hall(db: Database, hall_code: str) -> dict:
    from sqlalchemy import select

    from ..models import Hall

    with db.read() as s:
        h = s.execute(select(Hall).where(Hall.code == hall_code)).scalar_one()
        return {"name": h.name, "company": h.company_name, "hotline": h.hotline,
                "address": h.address}


def write_pdf(db: Database, hall_code: str, path: str | Path, *,
              day: dt.date | None = None) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .pdf import register_fonts, styles

    day = day or clock.today()
    path = Path(path)
    font = register_fonts()
    st = styles()
    hall = _hall(db, hall_code)
    items = billing.list_prices(db, hall_code, day=day)
    later = [i for i in billing.list_prices(db, hall_code, history=True)
             if i.effective_from > day.isoformat()]

    def P(text, style="Normal"):  # noqa: N802 - reads like the reportlab class
        return Paragraph(_mixed(text), st[style])

    story = [P(hall["company"], "Title"), P("收费标准公示", "Title"),
             P(f"{hall['name']}　执行日期：{day.year}年{day.month}月{day.day}日"),
             Spacer(1, 4 * mm)]
    rows = [[P(h) for h in ("代码", "收费项目", "类别", "单位", "单价（元）", "说明")]]
    for it in items:
        price = money.fmt(it.unit_price_fen)
        note = it.note
        if it.tiered:
            price = "阶梯计价"
            parts = []
            for i, t in enumerate(it.tiers):
                nxt = it.tiers[i + 1].from_volume if i + 1 < len(it.tiers) else None
                rng = f"{t.from_volume}-{nxt}" if nxt else f"{t.from_volume} 以上"
                parts.append(f"第{t.tier}档 年用气量 {rng} {it.unit}：{money.fmt(t.unit_price_fen)} 元")
            note = "；".join(parts)
        rows.append([P(it.code), P(it.name), P(billing.CATEGORY_NAMES.get(it.category,
                                                                           it.category)),
                     P(it.unit), P(price), P(note)])
    table = Table(rows, colWidths=[27 * mm, 42 * mm, 17 * mm, 17 * mm, 21 * mm, 62 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (4, 1), (4, -1), "RIGHT"),
    ]))
    story.append(table)
    if later:
        story += [Spacer(1, 5 * mm), P("已公示、将于以后执行的价格", "Heading3")]
        for it in later:
            story.append(P(f"{it.code} {it.name}：自 {it.effective_from} 起 "
                           f"{it.price_text} 元/{it.unit}"))
    story += [Spacer(1, 6 * mm),
              P("本厅严格按公示价格收费，不准乱收费。所有收费均出具统一票据，请当面核对。"),
              P(f"服务热线：{hall['hotline']}　地址：{hall['address']}")]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="收费标准公示",
                            author=hall["company"], leftMargin=12 * mm, rightMargin=12 * mm)
    doc.build(story, canvasmaker=_pdf_canvas())
    return path


__all__ = ["write_pdf"]
