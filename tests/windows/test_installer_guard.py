"""Issue 17.10: the installer check never runs over a hall PC's installation or data."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import check_installer  # noqa: E402


def test_refuses_a_pc_with_counterdesk_unless_ci(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(check_installer, "existing_installation",
                        lambda: [r"C:\ProgramData\CounterDesk"])
    monkeypatch.delenv("CI", raising=False)
    rc = check_installer.main(["--stub", "--work", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1 and "FAIL  prepare" in out and "CI=true" in out
    assert not (tmp_path / "out").exists()  # nothing compiled, installed or written
    monkeypatch.setenv("CI", "true")
    assert check_installer.refuse_on_a_hall_pc() is None


def test_no_installation_found_off_windows():
    if sys.platform != "win32":
        assert check_installer.existing_installation() == []


def test_installer_script_has_the_windows_settings():
    iss = (ROOT / "installer" / "counterdesk.iss").read_text(encoding="utf-8-sig")
    from counterdesk.platform import windows

    assert "MinVersion=10.0.17763" in iss
    assert f"AppMutex={windows.APP_MUTEX}" in iss
    assert r"{commonstartup}" in iss and "startupkiosk" in iss and "startupdisplay" in iss
    assert r"{commonappdata}\CounterDesk\CounterDesk\data" in iss
