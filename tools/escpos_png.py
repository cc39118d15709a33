"""Render ESC/POS bytes to a PNG, the way a 58/80 mm thermal printer lays them out.

    python tools/escpos_png.py [--out docs/receipts]

Without arguments it renders one receipt of each kind (sale at 58 and 80 mm, void,
refund, the account slip) from sample data into ``docs/receipts/``. The renderer reads
what the printer reads: ``ESC @``, ``ESC a`` (alignment), ``ESC E`` (bold), ``GS !``
(character size, Chinese enlarged too), ``FS &``/``FS .`` (GB18030 text), the QR code
of ``GS ( k`` (drawn with the qrcode library that python-escpos brings) and the cut. Each
character takes 12 × 24 dots (ASCII) or 24 × 24 dots (double-byte), so columns are
exact: a line that is too wide on paper is too wide in the picture.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CELL_W, CELL_H, MARGIN, GAP = 12, 24, 16, 6
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"


@dataclass
class Line:
    align: int = 0
    runs: list[tuple[str, int, int, bool]] = field(default_factory=list)  # text, w, h, bold
    qr: str | None = None


def parse(data: bytes) -> list[Line]:
    """ESC/POS bytes → printed lines (text runs with their size) and QR codes."""
    lines: list[Line] = []
    cur = Line()
    align, mag_w, mag_h, bold = 0, 1, 1, False
    qr_data = ""
    i, n = 0, len(data)

    def put(text: str) -> None:
        cur.runs.append((text, mag_w, mag_h, bold))

    while i < n:
        b = data[i]
        if data[i:i + 2] == b"\x1c&":
            j = data.index(b"\x1c.", i)
            put(data[i + 2:j].decode("gb18030"))
            i = j + 2
            continue
        if b == 0x1B:
            cmd = data[i + 1:i + 2]
            if cmd == b"a":
                align = data[i + 2] % 48 if data[i + 2] >= 48 else data[i + 2]
                if not cur.runs:
                    cur.align = align
                i += 3
            elif cmd == b"E":
                bold = bool(data[i + 2] & 1)
                i += 3
            elif cmd == b"@":
                align, mag_w, mag_h, bold = 0, 1, 1, False
                i += 2
            elif cmd == b"p":
                i += 5
            elif cmd in (b"!", b"-", b"d", b"t", b"M"):
                i += 3
            else:
                i += 2
            continue
        if b == 0x1D:
            cmd = data[i + 1:i + 2]
            if cmd == b"!":
                mag_w, mag_h = (data[i + 2] >> 4) + 1, (data[i + 2] & 0x0F) + 1
                i += 3
            elif cmd == b"(":
                ln = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5:i + 5 + ln]
                if body[:3] == b"1P0":                    # store the QR data
                    qr_data = body[3:].decode("utf-8", errors="replace")
                elif body[:3] == b"1Q0":                  # print it
                    lines.append(Line(align=align, qr=qr_data))
                i += 5 + ln
            elif cmd == b"V":
                i += 4 if data[i + 2] in (0x41, 0x42, 0x61, 0x62) else 3
                break
            else:
                i += 3
            continue
        if b == 0x0A:
            cur.align = cur.align if cur.runs else align
            lines.append(cur)
            cur = Line(align=align)
        elif 0x20 <= b < 0x7F:
            put(chr(b))
        i += 1
    if cur.runs:
        lines.append(cur)
    return lines


def render(data: bytes, columns: int, path: str | Path) -> Path:
    """Draw ``data`` as printed on paper of ``columns`` columns; returns the PNG path."""
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), CELL_H - 2, index=1)  # WenQuanYi Micro Hei Mono
    bold_font = font
    width = columns * CELL_W
    items = []
    height = MARGIN
    for ln in parse(data):
        if ln.qr is not None:
            img = qrcode.make(ln.qr, box_size=4, border=1).convert("L")
            items.append((height, ln, img))
            height += img.size[1] + GAP
            continue
        h = max((r[2] for r in ln.runs), default=1) * CELL_H
        items.append((height, ln, None))
        height += h + GAP
    page = Image.new("L", (width + 2 * MARGIN, height + MARGIN), 255)
    draw = ImageDraw.Draw(page)
    for top, ln, img in items:
        if img is not None:
            x = {1: (width - img.size[0]) // 2, 2: width - img.size[0]}.get(ln.align, 0)
            page.paste(img, (MARGIN + x, top))
            continue
        cells = []
        for text, mw, mh, bold in ln.runs:
            for ch in text:
                cw = (1 if ord(ch) < 0x80 else 2) * CELL_W * mw
                cells.append((ch, cw, mw, mh, bold))
        line_w = sum(c[1] for c in cells)
        x = {1: (width - line_w) // 2, 2: width - line_w}.get(ln.align, 0)
        x = max(0, x) if line_w <= width else 0
        line_h = max((c[3] for c in cells), default=1) * CELL_H
        for ch, cw, mw, mh, bold in cells:
            if ch != " ":
                glyph = Image.new("L", (cw // mw, CELL_H), 255)
                ImageDraw.Draw(glyph).text((0, 0), ch, font=bold_font if bold else font, fill=0)
                if bold:
                    ImageDraw.Draw(glyph).text((1, 0), ch, font=font, fill=0)
                glyph = glyph.resize((cw, CELL_H * mh))
                page.paste(glyph, (MARGIN + x, top + line_h - CELL_H * mh))
            x += cw
        if line_w > width:  # show an overflow the way a reader would notice it
            draw.line([(MARGIN + width, top), (MARGIN + width, top + line_h)], fill=0, width=3)
    draw.rectangle([0, 0, page.size[0] - 1, page.size[1] - 1], outline=160)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.save(path)
    return path


def samples() -> dict[str, tuple[bytes, int]]:
    """One receipt of each kind from sample data: name → (bytes, columns)."""
    from counterdesk import privacy
    from counterdesk.print import account_docs, receipt

    sale = {"company": "滨江市燃气有限公司", "hall": "滨江燃气人民路营业厅", "hall_code": "HQ01",
            "hotline": "0571-96777", "window": 1, "staff_no": "1001",
            "receipt_no": "2026-000123", "verification_code": "7Q2K-9M4D",
            "at": "2026-11-23T10:15:00", "kind": "sale", "account_no": "0100020015",
            "holder": privacy.mask_name("滨江市第一中学附属实验小学后勤服务中心", "organisation"),
            "total_fen": 133450, "reason": "", "lines": [
                {"name": "居民管道天然气", "unit": "立方米", "qty": "450", "unit_price_fen": 286,
                 "amount_fen": 128800, "tiers": [
                     {"tier": 1, "qty": "400", "unit_price_fen": 280, "amount_fen": 112000},
                     {"tier": 2, "qty": "50", "unit_price_fen": 336, "amount_fen": 16800}]},
                {"name": "燃气专用不锈钢波纹管", "unit": "米", "qty": "2.5",
                 "unit_price_fen": 1500, "amount_fen": 3750},
                {"name": "燃气费 2026-10", "unit": "期", "qty": "1", "unit_price_fen": 900,
                 "amount_fen": 900}],
            "tenders": [{"method": "cash", "amount_fen": 133450, "tendered_fen": 140000,
                         "change_fen": 6550}]}
    person = dict(sale, holder=privacy.mask_name("买买提·艾力"))
    refund = dict(sale, kind="refund", receipt_no="2026-000131", holder=privacy.mask_name("𠮷祥"),
                  original_receipt_no="2026-000123", approver_no="9001",
                  reason="客户多购，退回最后购入的 100 立方米", total_fen=-30800, lines=[
                      {"name": "居民管道天然气", "unit": "立方米", "qty": "-100",
                       "unit_price_fen": 286, "amount_fen": -30800, "tiers": [
                           {"tier": 1, "qty": "-50", "unit_price_fen": 280, "amount_fen": -14000},
                           {"tier": 2, "qty": "-50", "unit_price_fen": 336,
                            "amount_fen": -16800}]}],
                  tenders=[{"method": "cash", "amount_fen": -30800, "tendered_fen": -30800,
                            "change_fen": 0}])
    void = dict(sale, kind="void", receipt_no="2026-000132", original_receipt_no="2026-000123",
                approver_no="9001", reason="收错户号",
                total_fen=-sale["total_fen"],
                lines=[dict(ln, qty="-" + ln["qty"], amount_fen=-ln["amount_fen"],
                            tiers=[dict(t, qty="-" + t["qty"], amount_fen=-t["amount_fen"])
                                   for t in ln.get("tiers", [])]) for ln in sale["lines"]],
                tenders=[{"method": "cash", "amount_fen": -sale["total_fen"],
                          "tendered_fen": -sale["total_fen"], "change_fen": 0}])
    view = {"account_no": "0100020016", "holder": {
        "name": "欧阳娜娜娜", "kind": "person", "id_masked": "1101**********002X",
        "phone_masked": "138****5678"}, "address": "滨江区人民路 100 号 3 幢 2 单元 1201 室",
        "meter_no": "BJ0100009999", "customer_type": "resident", "customer_type_name": "居民",
        "status": "active", "status_name": "正常"}
    import datetime as dt

    at = dt.datetime(2026, 11, 23, 10, 20)
    return {
        "sale_58mm": (receipt.render(sale, columns=32, cut=True), 32),
        "sale_80mm": (receipt.render(person, columns=48, cut=True), 48),
        "sale_80mm_512dots": (receipt.render(sale, columns=42, cut=True), 42),
        "refund_58mm": (receipt.render(refund, columns=32, cut=True), 32),
        "void_80mm": (receipt.render(void, columns=48, cut=True), 48),
        "account_slip_58mm": (account_docs.account_slip(view, "滨江燃气人民路营业厅", "open",
                                                        staff_no="1001", window=1, columns=32,
                                                        at=at), 32),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "receipts"))
    args = ap.parse_args(argv)
    for name, (data, cols) in samples().items():
        print(render(data, cols, Path(args.out) / f"{name}.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
