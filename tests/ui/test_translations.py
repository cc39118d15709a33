"""Every user-visible string of the UI is translated, and the shipped .qm files are current."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402


def test_no_unfinished_translations():
    assert i18n.unfinished() == []


def _sources(ts: Path) -> set[tuple[str, str]]:
    import xml.etree.ElementTree as ET

    out = set()
    for ctx in ET.parse(ts).getroot().iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                continue
            out.add((ctx.findtext("name"), msg.findtext("source")))
    return out


def test_every_string_in_the_code_is_in_its_ts(tmp_path):
    """lupdate the code afresh: nothing may be missing from the shipped .ts files."""
    for src in sorted((ROOT / "counterdesk" / "ui").glob("*.py")):
        fresh = tmp_path / f"{src.stem}.ts"
        subprocess.run([i18n._tool("lupdate"), "-silent", "-locations", "none", str(src),
                        "-ts", str(fresh)], check=True)
        if not fresh.exists() or not _sources(fresh):
            continue
        shipped = i18n.ts_path(src.stem)
        assert shipped.exists(), f"{src.name}: run tools/i18n.py update"
        missing = _sources(fresh) - _sources(shipped)
        assert not missing, f"{src.name}: untranslated {sorted(missing)[:5]}"


def test_qm_files_are_compiled_from_the_ts(tmp_path):
    for ts in sorted(i18n.TR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        assert qm.exists(), f"{qm.name} missing: run tools/i18n.py release"
        fresh = tmp_path / qm.name
        subprocess.run([i18n._tool("lrelease"), "-silent", str(ts), "-qm", str(fresh)], check=True)
        assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run tools/i18n.py release"
