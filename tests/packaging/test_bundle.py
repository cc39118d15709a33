"""The bundle (issue 9): self-test from source, release-script helpers, the bench once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from counterdesk import selftest
from counterdesk.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))

import release  # noqa: E402


def test_self_test_from_source_passes_every_step():
    lines: list[str] = []
    report = selftest.run(lines.append)
    by_name = {s.name: s for s in report.steps}
    assert [n for n, _, _ in selftest.STEPS] == list(by_name)
    for core in ("resources", "drivers", "libraries", "escpos", "pdf", "migrate", "demo",
                 "sign-in", "audit"):
        assert by_name[core].ok, by_name[core].line()
    for step in report.steps:  # every capability is in the build (static wiring)
        assert step.ok, step.line()
    assert len(lines) == len(report.steps) + 1
    assert lines[-1] == report.summary()
    assert lines[-1].startswith("self-test passed" if report.ok else "self-test FAILED")
    assert report.folder == ""  # the temporary folder is removed


def test_gui_step_opens_the_workstation(qtbot, demo_db, clerk):
    from counterdesk.ui.shell import selfcheck

    text = selfcheck.check_workstation(demo_db, clerk)
    assert text.startswith("main window with ")
    assert [n for n, _, _ in selftest.GUI_STEPS] == ["workstation"]


def test_a_missing_capability_fails_never_passes(tmp_path):
    def absent(st):
        raise selftest.Unavailable("not available in this build (a platform module missing)")

    steps = [("first", absent, ()), ("second", lambda st: "fine", ("first",)),
             ("third", lambda st: "fine", ())]
    report = selftest.run(None, keep=tmp_path / "kept", steps=steps)
    first, second, third = report.steps
    assert not first.ok and "not available in this build" in first.detail
    assert not second.ok and second.detail == "skipped: needs first"
    assert third.ok
    assert not report.ok and "FAILED: 2 of 3" in report.summary()
    assert (tmp_path / "kept").is_dir()


def test_a_broken_step_names_the_error(tmp_path):
    def boom(st):
        raise ValueError("bad thing")

    report = selftest.run(None, steps=[("boom", boom, ())])
    assert not report.ok
    assert report.steps[0].detail.startswith("ValueError: bad thing at test_bundle.py:")


def test_self_test_verb_and_global_flag(tmp_path, capsys):
    out = tmp_path / "report.json"
    code = cli_main(["--json", "--self-test", "--report", str(out)])
    printed = json.loads(capsys.readouterr().out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert printed == data
    assert code == (0 if data["ok"] else 1)
    assert {s["step"] for s in data["steps"]} >= {"migrate", "demo", "audit"}
    assert all(s["ok"] for s in data["steps"] if s["step"] in ("migrate", "demo", "audit"))


# -- tools/release.py: the pure helpers (the release itself runs in its own job) -------------
def test_release_problem_lines():
    text = "\n".join([
        "[ OK ] audit  2 ms  chain intact, 0 errors",   # a step line is fine
        "This plugin does not support propagateSizeHints()",
        "counterdesk-shown SignInDialog x",
        "qt.qpa.fonts: Populating font family aliases took 120 ms",
        "Traceback (most recent call last):",
        "WARNING: something odd",
        "错误：数据库不可用",
        "[FAIL] day-report  not available in this build",
    ])
    found = release.problems(text)
    assert found == ["qt.qpa.fonts: Populating font family aliases took 120 ms",
                     "Traceback (most recent call last):", "WARNING: something odd",
                     "错误：数据库不可用", "[FAIL] day-report  not available in this build"]
    assert release.problems("all good\nself-test passed: 13/13 steps") == []


def test_release_sizes_zip_and_names(tmp_path):
    bundle = tmp_path / "CounterDesk"
    (bundle / "_internal" / "sub").mkdir(parents=True)
    (bundle / "counterdesk").write_bytes(b"x" * 1000)
    (bundle / "_internal" / "sub" / "lib.so.6").write_bytes(b"y" * 500)
    if os.name != "nt":
        (bundle / "_internal" / "lib.so").symlink_to("sub/lib.so.6")
    size, files = release.dir_stats(bundle)
    assert files == (3 if os.name != "nt" else 2) and size >= 1500
    target = tmp_path / "out" / release.zip_name("1.2.3", "linux-x86_64")
    zsize = release.zip_dir(bundle, target)
    assert target.name == "CounterDesk-1.2.3-linux-x86_64.zip" and zsize == target.stat().st_size
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
    assert "CounterDesk/counterdesk" in names and "CounterDesk/_internal/sub/lib.so.6" in names
    assert release.project_version() == __import__("counterdesk").__version__
    assert release.marker_seen("x\ncounterdesk-shown SignInDialog t\n", "SignInDialog")
    assert not release.marker_seen("counterdesk-shown FirstRunDialog t", "SignInDialog")
    assert release.human(150_000_000) == "150.0 MB"
    assert release.scratch_url("postgresql+psycopg://u:p@h:5432/postgres?sslmode=off", "x") == \
        "postgresql+psycopg://u:p@h:5432/x?sslmode=off"


def test_build_spec_reads_the_version_and_ships_what_the_program_reads():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'pyproject.toml' in spec and "VSVersionInfo" in spec
    assert '"resources", "counterdesk/resources"' in spec
    assert '"migrations", "counterdesk/migrations"' in spec
    assert '"tkinter"' in spec and '_exe("counterdesk-cli", console=True)' in spec
    assert (ROOT / "resources" / "icons" / "counterdesk.ico").read_bytes()[:4] == \
        b"\x00\x00\x01\x00"
    assert (ROOT / "resources" / "icons" / "counterdesk.png").read_bytes()[:4] == b"\x89PNG"


def test_windows_workflow_is_valid_and_runs_every_check(tmp_path):
    """The workflow never ran here: at least it is valid against GitHub's schema
    (SchemaStore's, vendored by check-jsonschema) and runs every check of issue 9."""
    from ruamel.yaml import YAML

    wf_path = ROOT / ".github" / "workflows" / "windows.yml"
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(wf_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(wf_path.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"),
                      encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(broken)],
                          capture_output=True).returncode != 0
    wf = YAML(typ="safe").load(wf_path.read_text(encoding="utf-8"))
    job = wf["jobs"]["bundle"]
    assert job["runs-on"].startswith("windows-")
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    for command in ("tools/dev.py test", "build.spec", "self-test", "release.py --no-build",
                    "counterdesk.iss", "check_installer.py"):
        assert command in runs.replace("\\", "/"), command
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and "setup.exe" in uploads[0]["with"]["path"]


def test_installer_script_keeps_user_data():
    iss = (ROOT / "installer" / "counterdesk.iss").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=admin" in iss and "{autopf}" in iss
    sections = [ln.strip() for ln in iss.splitlines() if ln.startswith("[")]
    assert "[UninstallDelete]" not in sections  # data, settings and backups stay
    assert "[Registry]" not in sections and "[INI]" not in sections


def _installer_check_unavailable() -> str:
    if os.name == "nt":  # natively it installs into this PC: never on a hall PC (issue 17.10)
        return "" if os.environ.get("CI", "").lower() == "true" else \
            "the installer check runs natively only on a throw-away CI machine (CI=true)"
    missing = [tool for tool in ("wine", "xvfb-run", "npm") if not shutil.which(tool)]
    if missing:
        return ("the installer check needs Windows, or on Linux " + ", ".join(missing) +
                " (Debian: apt install wine wine32 xvfb npm)")
    return ""


@pytest.mark.slow
@pytest.mark.skipif(bool(_installer_check_unavailable()), reason=_installer_check_unavailable())
def test_installer_installs_upgrades_and_uninstalls_keeping_the_data(tmp_path, capsys):
    """The real Inno Setup compiler and setup (under Wine on Linux) on a stand-in bundle:
    per-machine install, shortcuts with their arguments, nothing written into the program
    folder, an upgrade and an uninstall that keep the settings, database and backups."""
    import check_installer

    rc = check_installer.main(["--stub", "--work", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0, out
    for name in ("compile", "install", "program folder", "settings folder", "start menu",
                 "apps & features", "upgrade", "uninstall"):
        assert f"ok    {name}:" in out
    assert "10/10 checks passed" in out


@pytest.mark.slow
def test_bench_bundle_once_from_source(capsys):
    import bench_bundle

    assert bench_bundle.main(["1", "--source-only"]) == 0
    out = capsys.readouterr().out
    assert "sign-in window shown, from source" in out and "database open (ready)" in out
    assert "source ÷ bare Qt" in out and "to sign-in ready" in out
