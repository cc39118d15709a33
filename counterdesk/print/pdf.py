"""PDF basics shared by every report and form: the embedded fonts and text markup.

The bundled TrueType font WenQuanYi Micro Hei (``resources/fonts``) covers CJK and Latin
and is embedded as a subset in each PDF, so any PC shows the Chinese (``pdffonts``
lists it as embedded). DejaVu Sans is the fallback for symbols it lacks; a character in
neither is written as ``[U+XXXX]`` rather than silently dropped. Every document starts
its canvas in the embedded font (:func:`canvasmaker`), so no unembedded base-14 font is
referenced.
"""

from __future__ import annotations

FONT = "CounterDeskCJK"
FALLBACK = "CounterDeskLatin"
_registered = False


def register_fonts() -> str:
    """Register the fonts with reportlab once; returns the main font's name."""
    global _registered
    if _registered:
        return FONT
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
