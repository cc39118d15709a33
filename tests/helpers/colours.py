"""Colour checks for screen tests."""

from __future__ import annotations


def reddish(sheet: str) -> bool:
    """The style sheet's text colour is a red (the theme may lighten it for contrast)."""
    import re

    m = re.search(r"color:\s*#([0-9a-fA-F]{6})", sheet)
    if not m:
        return False
    r, g, b = (int(m.group(1)[i:i + 2], 16) for i in (0, 2, 4))
    return r > 150 and r > g + 50 and r > b + 50
