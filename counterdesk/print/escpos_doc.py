"""Building ESC/POS documents with Chinese text, as bytes.

Facts (python-escpos 3.1): its ``text()`` sends a string containing an ideograph as
GB18030 with no mode command and turns full-width punctuation alone into ``?``. So
text goes out here as ``FS &`` + GB18030 + ``FS .``; ``¥`` is replaced by ``￥``;
characters outside GBK print as ``[U+XXXX]`` (one rule for all paper, see
:func:`codepoint`); each double-byte character counts two columns; ``GS !`` enlarges (``ESC !`` does not
enlarge Chinese). python-escpos renders QR codes, cuts and the cash drawer.

Usage::

    doc = Doc(columns=32)
    doc.center().big("A012").normal().line("缴费  前面还有 3 人")
    doc.pair("合计", "￥123.45")
    doc.qr("2026-000123|ab12").cut()
    data: bytes = doc.bytes()
"""

from __future__ import annotations

import re

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
INIT = ESC + b"@"
CN_ON = FS + b"&"
CN_OFF = FS + b"."
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"

# Characters that must not reach the printer as themselves.
_REPLACE = {"¥": "￥", "\u00a0": " ", "\t": " "}


def columns_for(width_mm: int, dots: int = 576) -> int:
    """Character columns of a 12×24 font: 58 mm → 32, 80 mm → 48 (42 on 512-dot heads)."""
    if width_mm <= 58:
        return 32
    return 42 if dots <= 512 else 48


def codepoint(ch: str) -> str:
    """How a character a GBK printer cannot print appears on paper: ``𠮷`` → ``[U+20BB7]``."""
    return f"[U+{ord(ch):04X}]"


def printable(ch: str) -> bool:
    """True if a GBK printer prints ``ch`` as itself."""
    ch = _REPLACE.get(ch, ch)
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that would print as ``[U+XXXX]`` (for save-time checks)."""
    return [ch for ch in dict.fromkeys(text or "") if ord(ch) >= 0x20 and not printable(ch)]


def to_gbk_safe(text: str, substitute: str | None = None) -> str:
    """Replace what GBK printers cannot print (rare ideographs such as 𠮷, emoji…) by
    ``[U+XXXX]`` (or ``substitute`` if given)."""
    out = []
    for ch in text:
        ch = _REPLACE.get(ch, ch)
        if ch == "\n" or ch == "\r":
            out.append(ch)
            continue
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            continue  # control characters never go to the printer
        try:
            ch.encode("gbk")
            out.append(ch)
        except UnicodeEncodeError:
            out.append(codepoint(ch) if substitute is None else substitute)
    return "".join(out)


def width(text: str) -> int:
    """Printed columns: 1 for a single-byte (ASCII) character, 2 for every GBK double-byte
    character (including ·, ×, — and full-width punctuation)."""
    w = 0
    for ch in to_gbk_safe(text):
        w += 1 if ord(ch) < 0x80 else 2
    return w


def truncate(text: str, cols: int) -> str:
    out, w = [], 0
    for ch in to_gbk_safe(text):
        cw = 1 if ord(ch) < 0x80 else 2
        if w + cw > cols:
            break
        out.append(ch)
        w += cw
    return "".join(out)


_NO_LINE_START = set("，。、；：！？）》」』”’…")


def _tokens(para: str) -> list[str]:
    """Units a line may not be broken inside: runs of ASCII letters/digits/punctuation
    (account numbers, amounts, ``[U+20BB7]``) and single double-byte characters."""
    return re.findall(r"\[U\+[0-9A-F]{4,6}\]|[\x21-\x7e]+| |[^\x00-\x7f]", para)


def wrap(text: str, cols: int) -> list[str]:
    """Split into lines of at most ``cols`` printed columns, never inside a number or
    ASCII word unless it is wider than a whole line."""
    lines: list[str] = []
    cols = max(1, cols)
    for para in to_gbk_safe(text).split("\n"):
        cur, w = "", 0
        for tok in _tokens(para):
            tw = width(tok)
            if w + tw > cols and cur.strip():
                carry = ""
                if tok in _NO_LINE_START and len(cur) > 1 and ord(cur[-1]) >= 0x80:
                    cur, carry = cur[:-1], cur[-1]  # no closing punctuation at a line start
                lines.append(cur.rstrip())
                cur, w = carry, width(carry)
                if tok == " ":
                    continue
            while tw > cols:  # a token wider than the line: hard split
                head = truncate(tok, cols - w)
                lines.append(cur + head)
                tok, cur, w = tok[len(head):], "", 0
                tw = width(tok)
            cur += tok
            w += tw
        lines.append(cur.rstrip() if cur.strip() else cur)
    return lines


def pad(text: str, cols: int, align: str = "left") -> str:
    text = truncate(text, cols)
    gap = cols - width(text)
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def encode(text: str) -> bytes:
    """Text bytes: ASCII as is; anything else inside FS & … FS . as GB18030 (GBK range)."""
    text = to_gbk_safe(text)
    if all(ord(c) < 0x80 for c in text):
        return text.encode("ascii")
    return CN_ON + text.encode("gb18030") + CN_OFF


class Doc:
    """An ESC/POS document; every method returns ``self`` for chaining."""

    def __init__(self, columns: int = 48):
        self.columns = columns
        self._parts: list[bytes] = [INIT]
        self._size = 1

    # -- layout -------------------------------------------------------------------
    def raw(self, data: bytes) -> Doc:
        self._parts.append(data)
        return self

    def align(self, where: str) -> Doc:
        return self.raw(ALIGN[where])

    def left(self) -> Doc:
        return self.align("left")

    def center(self) -> Doc:
        return self.align("center")

    def right(self) -> Doc:
        return self.align("right")

    def bold(self, on: bool = True) -> Doc:
        return self.raw(BOLD_ON if on else BOLD_OFF)

    def size(self, w: int = 1, h: int = 1) -> Doc:
        """Character size with ``GS !`` (1..8 times); enlarges Chinese too."""
        w, h = max(1, min(8, w)), max(1, min(8, h))
        self._size = w
        return self.raw(GS + b"!" + bytes([((w - 1) << 4) | (h - 1)]))

    def big(self, text: str, w: int = 2, h: int = 2) -> Doc:
        """One line in large characters, then back to normal size."""
        self.size(w, h)
        self.raw(encode(truncate(text, self.columns // w)) + b"\n")
        return self.size(1, 1)

    def normal(self) -> Doc:
        return self.size(1, 1).bold(False)

    def line(self, text: str = "") -> Doc:
        """Text wrapped to the paper width (at the current size)."""
        cols = self.columns // self._size
        for part in wrap(text, cols):
            self.raw(encode(part) + b"\n")
        return self

    def rule(self, ch: str = "-") -> Doc:
        return self.raw(encode(ch * self.columns) + b"\n")

    def pair(self, left: str, right: str) -> Doc:
        """``left`` flush left and ``right`` flush right on one line. If both do not fit,
        ``left`` wraps on its own lines and ``right`` goes flush right below it (wrapped
        too if it is wider than the paper); nothing is cut and no line is too wide."""
        cols = self.columns
        rw = width(right)
        if width(left) + 1 + rw <= cols:
            return self.raw(encode(pad(left, cols - rw) + to_gbk_safe(right)) + b"\n")
        parts = wrap(left, cols)
        if rw <= cols and width(parts[-1]) + 1 + rw <= cols:
            for p in parts[:-1]:
                self.raw(encode(p) + b"\n")
            return self.raw(encode(pad(parts[-1], cols - rw) + to_gbk_safe(right)) + b"\n")
        for p in parts:
            self.raw(encode(p) + b"\n")
        for p in wrap(right, cols):
            self.raw(encode(pad(p, cols, "right")) + b"\n")
        return self

    def labelled(self, label: str, value: str) -> Doc:
        """``label value`` with ``value`` wrapped under itself (hanging indent)."""
        lw = width(label) + 1
        if lw > self.columns // 2:
            return self.line(label).line(value)
        parts = wrap(value, self.columns - lw)
        for i, p in enumerate(parts):
            self.raw(encode((label + " " if i == 0 else " " * lw) + p) + b"\n")
        return self

    def account(self, account_no: str, holder: str) -> Doc:
        """The 户号/户名 lines: the account number is never split; 户名 shares its line
        when it fits, else wraps on its own line(s)."""
        acc = f"户号 {account_no}"
        name = f"户名 {holder}"
        if width(acc) + 2 + width(name) <= self.columns:
            return self.raw(encode(acc + "  " + name) + b"\n")
        self.raw(encode(acc) + b"\n")
        return self.labelled("户名", holder)

    def row(self, cells: list[str], widths: list[int], aligns: list[str] | None = None) -> Doc:
        """A table row: each cell padded to its column width (sum ≤ columns)."""
        aligns = aligns or ["left"] * len(cells)
        text = "".join(pad(c, w, a) for c, w, a in zip(cells, widths, aligns, strict=True))
        return self.raw(encode(text.rstrip()) + b"\n")

    def feed(self, n: int = 1) -> Doc:
        return self.raw(b"\n" * n)

    # -- via python-escpos --------------------------------------------------------
    def _escpos(self, fn) -> Doc:
        from escpos.printer import Dummy

        d = Dummy()
        fn(d)
        return self.raw(d.output)

    def qr(self, content: str, size: int = 6) -> Doc:
        return self._escpos(lambda d: d.qr(content, size=size, native=True, center=False))

    def cut(self) -> Doc:
        return self._escpos(lambda d: d.cut(feed=True))

    def cash_drawer(self) -> Doc:
        return self._escpos(lambda d: d.cashdraw(2))

    def bytes(self) -> bytes:
        return b"".join(self._parts)


def decode(data: bytes) -> str:
    """Read printed text back from ESC/POS bytes (for tests and previews).

    Keeps the text inside ``FS & … FS .`` (GB18030) and printable ASCII outside it;
    drops commands. Lines are separated by ``\\n``.
    """
    out: list[str] = []
    i, n = 0, len(data)
    cn = False
    buf = bytearray()
    while i < n:
        b = data[i]
        if data[i:i + 2] == CN_ON:
            cn, i = True, i + 2
            continue
        if data[i:i + 2] == CN_OFF:
            out.append(buf.decode("gb18030", errors="replace"))
            buf.clear()
            cn, i = False, i + 2
            continue
        if cn:
            buf.append(b)
            i += 1
            continue
        if b == 0x1B:  # ESC x [n]
            cmd = data[i + 1:i + 2]
            i += 3 if cmd in (b"a", b"E", b"!", b"-", b"d", b"t", b"M", b"p") else 2
            if cmd == b"p":
                i += 2
            continue
        if b == 0x1D:  # GS
            cmd = data[i + 1:i + 2]
            if cmd == b"(":  # GS ( k pL pH ...
                ln = data[i + 3] + 256 * data[i + 4]
                i += 5 + ln
            elif cmd == b"V":
                i += 4 if data[i + 2:i + 3] in (b"A", b"B", b"a", b"b", b"\x41", b"\x42") else 3
            else:
                i += 3
            continue
        if b == 0x0A or 0x20 <= b < 0x7F:
            out.append(chr(b))
        i += 1
    return "".join(out)
