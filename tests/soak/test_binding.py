"""The Qt binding itself: thousands of emits must leave True/False/None's refcounts flat.

PySide6-Essentials 6.12.0 drops a reference to ``True`` (and ``None``) on every
``Signal.emit()`` from Python and aborts the interpreter after a few hundred emits
(``Fatal Python error: bool_dealloc``). The probe runs in a child process, so such a
binding fails this test (non-zero exit, or drifting counts) instead of killing pytest.
See docs/development.md, "Qt binding pin".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.soak

PROBE = Path(__file__).with_name("binding_probe.py")
EMITS = 3000
TOLERANCE = 50   # a leak of one per emit moves a count by thousands
# Another interpreter to probe (e.g. a throw-away venv holding the PySide6 to check):
#   COUNTERDESK_SOAK_PYTHON=/tmp/pyside612/bin/python pytest tests/soak/test_binding.py
PYTHON = os.environ.get("COUNTERDESK_SOAK_PYTHON") or sys.executable


def test_signal_emit_keeps_true_false_none_refcounts_flat():
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    proc = subprocess.run([PYTHON, str(PROBE), str(EMITS)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, (
        f"the binding probe died (exit {proc.returncode}): a PySide6 whose Signal.emit "
        f"leaks references? stderr:\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    print(report)
    assert report["emits"] == EMITS
    assert report["received"] == [EMITS + 20] * 3
    for name, drift in report["drift"].items():
        assert abs(drift) <= TOLERANCE, f"refcount of {name} moved by {drift} over {EMITS} emits"


def test_the_installed_binding_is_inside_the_pin():
    """The venv tests run on (and PyInstaller freezes: build.spec checks the same) holds
    a PySide6-Essentials inside pyproject's pin."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    root = Path(__file__).resolve().parents[2]
    deps = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"]
    req = next(Requirement(d) for d in deps if d.lower().startswith("pyside6-essentials"))
    assert "6.12.0" not in req.specifier          # the release that leaks
    assert req.specifier.contains(version("PySide6-Essentials"))
    assert version("shiboken6") == version("PySide6-Essentials")
