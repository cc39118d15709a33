"""Finding a phrase: characters anywhere, or pinyin initials / full pinyin
(``dbq`` finds 对不起, ``nihao`` finds 您好)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import Catalogue, Item

# ----------------------------------------------------------------------------- pinyin
def _initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # lazy: ~0.2 s import

    out = []
    for tok in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"):
        out.append("".join(ch for ch in tok.lower() if ch.isascii() and ch.isalnum()))
    return "".join(out)


def _full_pinyin(text: str) -> tuple[str, tuple[int, ...]]:
    """The full pinyin joined, with the offsets where syllables start."""
    from pypinyin import lazy_pinyin

    joined, starts = "", []
    for tok in lazy_pinyin(text):
        tok = "".join(ch for ch in tok.lower() if ch.isascii() and ch.isalnum())
        if tok:
            starts.append(len(joined))
            joined += tok
    return joined, tuple(starts)


def _pinyin_match(full: tuple[str, tuple[int, ...]], q: str) -> int | None:
    """Offset of the first syllable where ``q`` begins (``nihao``, ``haoma``), else None."""
    joined, starts = full
    for off in starts:
        if joined.startswith(q, off):
            return off
    return None


def search(catalogue: Catalogue, query: str, limit: int = 60) -> list[Item]:
    """Items matching ``query``: characters anywhere (text, say-instead, note, title), or
    ASCII letters as pinyin initials (``nh`` → 您好) or full pinyin (``nihao``).
    Best first: matches in the phrase itself, then earlier position."""
    q = (query or "").strip().lower()
    if not q:
        return []
    words = q.split()
    ascii_q = q.replace(" ", "")
    pinyin_ok = ascii_q.isascii() and ascii_q.isalnum()
    scored: list[tuple[int, int, Item]] = []
    for order, item in enumerate(catalogue.items()):
        hay, initials, full = item.index()
        rank = None
        if all(w in hay for w in words):
            rank = 0 if q in item.text.lower() else 1
        elif pinyin_ok and (ascii_q in initials or _pinyin_match(full, ascii_q) is not None):
            rank = 2 if (initials.startswith(ascii_q) or _pinyin_match(full, ascii_q) == 0) \
                else 3
        if rank is not None:
            scored.append((rank, order, item))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in scored[:limit]]
