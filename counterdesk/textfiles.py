"""Files a person wrote or will open: read them as Windows tools save them, write CSV
that Excel shows without blank lines.

Notepad saves UTF-8 with a BOM (or ANSI: GBK on a Chinese PC), Excel saves CSV in the
PC's code page (GBK/GB18030): :func:`decode` tries ``utf-8-sig`` then ``gb18030``.
CSV text made by the ``csv`` module already carries its line ends: :func:`write_text`
writes with ``newline=""`` so Windows adds no second ``\\r``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ValidationError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, *, name: str = "") -> str:
    """The text of ``data``: UTF-8 (with or without BOM), else GB18030 (GBK is a subset)."""
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    what = f"文件 {name} " if name else "文件"
    raise ValidationError(f"{what}的编码无法识别：请保存为 UTF-8 或 GBK（ANSI）编码",
                          f"Unknown encoding of {name or 'the file'}: save it as UTF-8 or GBK "
                          "(ANSI)", field="file")


def read_text(path: str | Path) -> str:
    """Read a file a person wrote (settings, price list, bills). Raises ``OSError`` when it
    cannot be read, :class:`ValidationError` when its encoding is unknown."""
    path = Path(path)
    return decode(path.read_bytes(), name=path.name)


def write_text(path: str | Path, text: str, *, bom: bool = True) -> Path:
    """Write ``text`` unchanged (its own line ends), UTF-8 with a BOM so Excel reads
    Chinese; the folder is created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        fh.write(text)
    return path


__all__ = ["ENCODINGS", "decode", "read_text", "write_text"]
