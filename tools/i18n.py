"""Qt Linguist translations of the UI, one .ts per language (a term is translated once).

    python tools/i18n.py update            # lupdate every counterdesk/ui/**/*.py → resources/translations/counterdesk_zh_CN.ts
    python tools/i18n.py fill FILE.json    # set translations {"source": "译文"} in counterdesk_zh_CN.ts
                                           # ("Context::source" for one context only)
    python tools/i18n.py release           # lrelease every .ts → .qm (shipped)
    python tools/i18n.py check             # list unfinished translations; exit 1 if any

English is the source language; Simplified Chinese is the default UI language. The
glossary of docs/development.md fixes the Chinese terms (e.g. the manager is 主任).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "counterdesk" / "ui"
TR = ROOT / "resources" / "translations"
LANGS = ("zh_CN",)


def _tool(name: str) -> str:
    exe = shutil.which(f"pyside6-{name}") or str(Path(sys.executable).parent / f"pyside6-{name}")
    return exe


def ui_sources() -> list[Path]:
    """Every module of the UI, packages' ``__init__`` too (ui/policy's puts its menu item)."""
    return sorted(p for p in UI.rglob("*.py") if p.stat().st_size)


def ts_path(lang: str = "zh_CN") -> Path:
    return TR / f"counterdesk_{lang}.ts"


def update() -> None:
    TR.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        ts = ts_path(lang)
        subprocess.run([_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                        *map(str, ui_sources()), "-ts", str(ts)], check=True)
        root = ET.parse(ts).getroot()
        root.set("language", lang)
        ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)


def fill(mapping: dict[str, str], lang: str = "zh_CN") -> int:
    """Set the translations of ``mapping``: a key ``"source"`` in every context, a key
    ``"Context::source"`` in that context only (it wins over the plain source)."""
    ts = ts_path(lang)
    tree = ET.parse(ts)
    n = 0
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            src = msg.findtext("source")
            text = mapping.get(f"{name}::{src}", mapping.get(src))
            if text is None:
                continue
            tr = msg.find("translation")
            tr.text = text
            tr.attrib.pop("type", None)
            n += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return n


def release() -> None:
    for ts in sorted(TR.glob("*.ts")):
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)


def unfinished() -> list[str]:
    out = []
    for ts in sorted(TR.glob("*.ts")):
        for ctx in ET.parse(ts).getroot().iter("context"):
            name = ctx.findtext("name")
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") \
                        or not (tr.text or "").strip():
                    if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                        continue
                    out.append(f"{ts.name}: {name}: {msg.findtext('source')!r}")
    return out


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "update":
        update()
    elif cmd == "fill":
        n = fill(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        print(f"{n} translations set")
    elif cmd == "release":
        release()
    elif cmd == "check":
        missing = unfinished()
        for m in missing:
            print(m)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
