"""PDF basics shared by every report and form: the embedded fonts and text markup.

The bundled TrueType font WenQuanYi Micro Hei (``resources/fonts``) covers CJK and Latin
and is embedded as a subset in each PDF, so any PC shows the Chinese (``pdffonts``
lists it as embedded). DejaVu Sans is the fallback for symbols it lacks. Rare characters
of names and addresses beyond the common set (CJK Extension B and later, e.g. 𠮷) come
from the PC's own font for them when it has one — SimSun-ExtB/ExtG or MingLiU-ExtB on
Windows, HanaMin B on Linux (``fonts-hanazono``) — embedded the same way. A character in
none is written as ``[U+XXXX]`` rather than silently dropped. Every document starts
its canvas in the embedded font (:func:`canvasmaker`), so no unembedded base-14 font is
referenced.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT = "CounterDeskCJK"
FALLBACK = "CounterDeskLatin"
RARE = "CounterDeskRare"
_registered = False
_rare: list[tuple[str, dict]] | None = None  # (font name, its cmap), in order of preference


def rare_font_candidates() -> list[tuple[Path, int]]:
    """(file, index in a .ttc) of the PC's fonts with the rarer CJK ideographs, best first:
    Extension A (䶮) and B and later (𠮷)."""
    windir = Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows")
    win = windir / "Fonts"
    hana = [Path(d) / n for d in ("/usr/share/fonts/truetype/hanazono", "/usr/share/fonts/hanazono")
            for n in ("HanaMinA.ttf", "HanaMinB.ttf")]
    return [(win / "simsun.ttc", 0), (win / "SimsunExtG.ttf", 0), (win / "simsunb.ttf", 0),
            (win / "mingliub.ttc", 0), *[(h, 0) for h in hana]]


def _rare_fonts() -> list[tuple[str, dict]]:
    """Register the PC's rare-character fonts once; [] if it has none."""
    global _rare
    if _rare is not None:
        return _rare
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    _rare = []
    for path, index in rare_font_candidates():
        if not path.is_file():
            continue
        name = f"{RARE}{len(_rare) + 1}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
        except (TTFError, OSError, ValueError):
            continue  # e.g. PostScript outlines, which reportlab cannot embed
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        _rare.append((name, _cmap(name)))
    return _rare


def _utf16_to_unicode_cmaps() -> None:
    """reportlab (5.1) writes a character beyond U+FFFF in the ToUnicode map as five hex
    digits, which readers cut to four: 𠮷 prints right but copies or searches as ₻. The
    map must hold UTF-16 (a surrogate pair), so fix those entries of what it generates."""
    import re

    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "counterdesk_utf16", False):
        return

    def pair(m: re.Match) -> str:
        code = int(m.group(2), 16)
        hi, lo = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        return f"<{m.group(1)}> <{hi:04X}{lo:04X}>"

    def make(fontname, subset):
        return re.sub(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>", pair, original(fontname, subset))

    make.counterdesk_utf16 = True  # type: ignore[attr-defined]  # marks the patch as done
    ttfonts.makeToUnicodeCMap = make


def register_fonts() -> str:
    """Register the fonts with reportlab once; returns the main font's name."""
    global _registered
    if _registered:
        return FONT
    _utf16_to_unicode_cmaps()
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from .. import resources_access

    with resources_access.as_file("fonts", "wqy-microhei.ttc") as path:
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    with resources_access.as_file("fonts", "DejaVuSans.ttf") as path:
        pdfmetrics.registerFont(TTFont(FALLBACK, str(path)))
    for name in (FONT, FALLBACK):
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    _registered = True
    return FONT


def _cmap(name: str) -> dict:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(name)
    return getattr(getattr(font, "face", None), "charToGlyph", None) or {}


def markup(text) -> str:
    """Paragraph markup for ``text``: the main font, the fallback for what it lacks,
    ``[U+XXXX]`` for characters neither has. XML-escaped."""
    from xml.sax.saxutils import escape

    register_fonts()
    main, fallback = _cmap(FONT), _cmap(FALLBACK)
    runs: list[list] = []

    def add(font: str, chunk: str) -> None:
        if runs and runs[-1][0] == font:
            runs[-1][1] += chunk
        else:
            runs.append([font, chunk])

    for ch in "" if text is None else str(text):
        o = ord(ch)
        if o in main or ch in " \n":
            add(FONT, ch)
        elif o in fallback:
            add(FALLBACK, ch)
        else:
            font = next((name for name, cmap in _rare_fonts() if o in cmap), None)
            if font is not None:
                add(font, ch)
            else:
                add(FALLBACK, f"[U+{o:04X}]")
    return "".join(escape(t) if f == FONT else f'<font name="{f}">{escape(t)}</font>'
                   for f, t in runs)


def canvasmaker():
    """A reportlab canvas class that starts in the embedded font (no Helvetica reference)."""
    from reportlab.pdfgen.canvas import Canvas

    font = register_fonts()

    class EmbeddedFontCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = font  # documents pass Helvetica otherwise
            super().__init__(*args, **kwargs)

    return EmbeddedFontCanvas


def styles():
    """A reportlab stylesheet whose styles use the CJK font (wordWrap for Chinese)."""
    from reportlab.lib.styles import getSampleStyleSheet

    font = register_fonts()
    sheet = getSampleStyleSheet()
    for st in sheet.byName.values():
        st.fontName = font
        if hasattr(st, "wordWrap"):
            st.wordWrap = "CJK"
    return sheet


def save(data: bytes, path: str | Path) -> Path:
    """Write a finished PDF to ``path``, its folder created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
