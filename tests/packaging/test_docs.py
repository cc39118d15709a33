"""The generated reference pages are current, and the README stays a short front page."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_and_settings_pages_are_current():
    mod = _gen_docs()
    for rel, make in mod.FILES.items():
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert text == make(), f"{rel} is stale: run python tools/gen_docs.py"


def test_readme_is_short_and_its_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    import re

    for target in re.findall(r"\]\(((?:docs/)[^)#]+)", readme):
        assert (ROOT / target).exists(), target
