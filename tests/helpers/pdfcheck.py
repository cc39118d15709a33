"""PDF read-back without poppler (issue 17.10: the Windows workflow has no pdftotext /
pdffonts): text and embedded fonts through pypdf."""

from __future__ import annotations


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def embedded_fonts(path) -> dict[str, bool]:
    """Font name → embedded, for every font of every page (Type0: its descendant's file)."""
    from pypdf import PdfReader

    out = {}
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for f in fonts.values():
            f = f.get_object()
            target = f
            if "/DescendantFonts" in f:
                target = f["/DescendantFonts"][0].get_object()
            desc = target.get("/FontDescriptor")
            embedded = bool(desc and any(k in desc.get_object() for k in
                                         ("/FontFile", "/FontFile2", "/FontFile3")))
            out[str(f["/BaseFont"])] = embedded
    return out
