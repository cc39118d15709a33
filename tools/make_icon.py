"""Draw the application icon: ``resources/icons/counterdesk.png`` and ``counterdesk.ico``.

    python tools/make_icon.py

A clerk behind a counter on a blue rounded square, drawn with QPainter (offscreen) at
256 px; the .ico (16–256 px, for the Windows executable, shortcuts and installer) is
written by Pillow from downscaled renders. Both files are committed; run this only to
change the design.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    """The icon as PNG bytes at ``size`` × ``size``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.scale(size / 256, size / 256)
    # background: blue rounded square
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("#1c5fa8"))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    white = QColor("#ffffff")
    # the clerk: head and shoulders
    p.setBrush(white)
    p.drawEllipse(QRectF(98, 42, 60, 60))
    body = QPainterPath()
    body.moveTo(64, 158)
    body.cubicTo(64, 118, 92, 108, 128, 108)
    body.cubicTo(164, 108, 192, 118, 192, 158)
    body.closeSubpath()
    p.drawPath(body)
    # the counter
    p.drawRoundedRect(QRectF(34, 162, 188, 22), 6, 6)
    p.drawRect(QRectF(52, 184, 18, 40))
    p.drawRect(QRectF(186, 184, 18, 40))
    # the ticket number lamp (orange, the flame of a gas company)
    p.setBrush(QColor("#f39c12"))
    p.drawRoundedRect(QRectF(100, 196, 56, 26), 8, 8)
    p.end()
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.WriteOnly)
    img.save(dev, "PNG")
    dev.close()
    return bytes(buf.data())


def main() -> int:
    from PIL import Image

    OUT.mkdir(parents=True, exist_ok=True)
    big = render(256)
    (OUT / "counterdesk.png").write_bytes(big)
    images = [Image.open(io.BytesIO(render(s))).convert("RGBA") for s in SIZES]
    images[-1].save(OUT / "counterdesk.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                    append_images=images[:-1])
    print(f"wrote {OUT / 'counterdesk.png'} and {OUT / 'counterdesk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
