"""PDF basics shared by every report and form: the embedded CJK font and styles.

The bundled TrueType font (``resources/fonts``) is embedded as a subset in each PDF,
so any PC shows the Chinese (``pdffonts`` lists it as embedded).
"""

from __future__ import annotations

from .. import resources_access

FONT = "CounterDeskCJK"
_registered = False


def register_fonts() -> str:
    """Register the CJK font with reportlab once; returns its name."""
    global _registered
    if _registered:
        return FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with resources_access.as_file("fonts", "DroidSansFallbackFull.ttf") as path:
        pdfmetrics.registerFont(TTFont(FONT, str(path)))
    from reportlab.lib.fonts import addMapping

    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT)
    _registered = True
    return FONT


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
