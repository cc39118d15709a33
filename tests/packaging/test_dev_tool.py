"""tools/dev.py, the README's two commands: what it tells a Linux developer whose
desktop lacks the X libraries Qt's window needs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def dev():
    path = Path(__file__).resolve().parents[2] / "tools" / "dev.py"
    spec = importlib.util.spec_from_file_location("counterdesk_dev_tool", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-render-util.so.0.0.0", "libxcb-render-util0"),
])
def test_missing_library_maps_to_its_debian_package(dev, soname, package):
    assert dev._debian_package(soname) == package


def test_no_hint_offscreen_or_without_a_display(dev, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert dev.missing_display_library() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert dev.missing_display_library() is None


def test_lint_runs_ruff_then_mypy_and_fails_if_either_does(dev, monkeypatch):
    calls: list[list[str]] = []
    codes = {"ruff": 0, "mypy": 0}

    class Done:
        def __init__(self, code: int) -> None:
            self.returncode = code

    def run(cmd, **kwargs):
        calls.append([str(c) for c in cmd])
        return Done(codes["mypy" if "mypy" in cmd else "ruff"])

    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev.subprocess, "run", run)
    assert dev.main(["lint"]) == 0
    assert calls == [[str(dev.BIN / "ruff"), "check", "."], [str(dev.PY), "-m", "mypy"]]
    for failing in ("ruff", "mypy"):
        codes[failing] = 1
        calls.clear()
        assert dev.main(["lint"]) == 1 and len(calls) == 2  # both run, the result fails
        codes[failing] = 0


def test_the_dev_install_brings_mypy_and_its_config(dev):
    import tomllib

    project = tomllib.loads((dev.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test_extra = project["project"]["optional-dependencies"]["test"]
    assert any(req.startswith("mypy") for req in test_extra)   # ensure_env installs [test]
    config = project["tool"]["mypy"]
    assert config["files"] == ["counterdesk"] and config["check_untyped_defs"] is True
    assert "^counterdesk/ui/" in config["exclude"]
