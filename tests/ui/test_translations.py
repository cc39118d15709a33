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


def test_every_string_in_the_code_is_in_the_ts(tmp_path):
    """lupdate the code afresh: nothing may be missing from the shipped .ts file."""
    fresh = tmp_path / "fresh.ts"
    sources = i18n.ui_sources()
    assert len(sources) > 20
    subprocess.run([i18n._tool("lupdate"), "-silent", "-locations", "none",
                    *map(str, sources), "-ts", str(fresh)], check=True)
    missing = _sources(fresh) - _sources(i18n.ts_path())
    assert not missing, f"untranslated (tools/i18n.py update): {sorted(missing)[:5]}"


def test_one_ts_per_language_and_one_name_for_the_manager():
    import xml.etree.ElementTree as ET

    assert [p.name for p in i18n.TR.glob("*.ts")] == ["counterdesk_zh_CN.ts"]
    texts = [m.findtext("translation") or "" for m in
             ET.parse(i18n.ts_path()).getroot().iter("message")]
    for other in ("值班经理", "值班长", "营业厅主任"):
        assert not [t for t in texts if other in t], other


def test_qm_files_are_compiled_from_the_ts(tmp_path):
    for ts in sorted(i18n.TR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        assert qm.exists(), f"{qm.name} missing: run tools/i18n.py release"
        fresh = tmp_path / qm.name
        subprocess.run([i18n._tool("lrelease"), "-silent", str(ts), "-qm", str(fresh)], check=True)
        assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run tools/i18n.py release"
