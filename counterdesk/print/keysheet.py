"""The recovery sheet of the hall's backup key (A4 PDF), printed once at set-up for the
主任, who keeps it locked away: without it, a backup cannot be read on a new PC."""

from __future__ import annotations

from pathlib import Path

from .. import clock
from .pdf import canvasmaker, markup


def write_pdf(path: str | Path, *, hall_code: str, hall_name: str, key_text: str,
              fingerprint: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .pdf import styles

    st = styles()

    def p(text, style="Normal"):
        return Paragraph(markup(text), st[style])

    groups = key_text.split("-")
    lines = [" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)]
    story = [p("CounterDesk 备份密钥恢复单", "Title"),
             p(f"营业厅：{hall_name}（{hall_code}）　打印时间：{clock.now():%Y-%m-%d %H:%M}"),
             Spacer(1, 6 * mm),
             p("本营业厅的备份文件用下面的密钥加密。换电脑、重装系统或恢复备份时，需要在新电脑上"
               "输入此密钥（counterdesk backup key-import）。没有它，备份无法读取。"),
             Spacer(1, 4 * mm), p("密钥（共 14 组，最后一组是校验组）：", "Heading3")]
    story += [p(line, "Heading2") for line in lines]
    story += [Spacer(1, 4 * mm), p(f"密钥编号：{fingerprint}（每个备份文件的文件头中写有它所用的密钥编号）"),
              Spacer(1, 6 * mm),
              p("保管要求：由主任签收，锁在保险柜中，不得拍照、复印或存入电脑；"
                "怀疑泄露时，请管理员生成新密钥并重新打印本单，旧密钥的备份仍需旧单恢复。"),
              Spacer(1, 12 * mm), p("签收人（主任）：____________　　日期：____________")]
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="备份密钥恢复单",
                            leftMargin=20 * mm, rightMargin=20 * mm)
    doc.build(story, canvasmaker=canvasmaker())
    return path


__all__ = ["write_pdf"]
