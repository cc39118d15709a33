"""Build the CounterDesk bundle, smoke-test the frozen program, zip it, report its size.

    python tools/release.py              # build dist/CounterDesk, smoke test, write the zip
    python tools/release.py --no-build   # smoke test and zip an existing dist/CounterDesk
    python tools/release.py --skip-gui   # only the command-line checks (no Qt platform)
    python tools/release.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres
                                         # also on a scratch PostgreSQL database

Runs PyInstaller from the project's ``.venv`` on ``build.spec`` (``build/`` and
``dist/`` are not committed), then runs the *frozen* executables with
``QT_QPA_PLATFORM=offscreen`` in a throw-away ``COUNTERDESK_HOME``:

1. ``counterdesk-cli --version`` matches ``pyproject.toml``;
2. ``counterdesk-cli self-test --gui`` passes every step (incl. the main window);
3. ``counterdesk-cli --db URL demo`` creates a demo hall;
4. each GUI mode starts and quits by itself (``COUNTERDESK_QUIT_AFTER_MS``) after its
   window was shown (``COUNTERDESK_SHOWN_MARKER``): the workstation's sign-in window,
   the first-run dialog of a PC without settings, the kiosk and the hall display.

With ``--pg URL`` (or ``COUNTERDESK_RELEASE_PG``) the frozen program also creates a demo
hall, issues a ticket, verifies the audit chain and opens the display on a scratch
database on that server (created and dropped by the script).

Any non-zero exit, missing marker, or a line of output that looks like an error or a
warning and is not in :data:`ALLOWED` fails the release. Then it reports the bundle's
size unpacked and zipped and its file count, and writes
``dist/CounterDesk-<version>-<platform>.zip``. Exit status 0 only if all passed.

On Windows the GUI modes are started through ``counterdesk-cli.exe`` (the windowed
``counterdesk.exe`` has no stdout to print the marker on); it is the same program.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP = "CounterDesk"
EXE = ".exe" if os.name == "nt" else ""
MARKER = "counterdesk-shown"
QUIT_AFTER_MS = 300
RUN_TIMEOUT = 120

# Output lines that look like problems but are expected when running offscreen.
ALLOWED = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"^\[ OK \] ",  # self-test step lines ("… errors" inside a detail is not a problem)
]
PROBLEM = re.compile(r"(?i)\b(error|warning|warn|traceback|exception|critical|fatal|"
                     r"failed|cannot|could not|not found|missing)\b|^qt\.|^\[FAIL\]|错误")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    output: str = ""


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    size_bytes: int = 0
    files: int = 0
    zip_bytes: int = 0
    zip_path: str = ""
    build_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


# -- pure helpers (tested in tests/packaging/test_bundle.py) ------------------------------------------
def project_version(root: Path = ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower() or 'unknown'}"


def zip_name(version: str, tag: str) -> str:
    return f"{APP}-{version}-{tag}.zip"


def problems(text: str, allowed: list[str] | None = None) -> list[str]:
    """Lines of ``text`` that look like an error or a warning and are not allowed."""
    allowed_re = [re.compile(a) for a in (ALLOWED if allowed is None else allowed)]
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or any(a.search(s) for a in allowed_re):
            continue
        if PROBLEM.search(s):
            out.append(s)
    return out


def dir_stats(path: Path) -> tuple[int, int]:
    """(bytes, files) of a folder; symbolic links count as files of their own size."""
    total = files = 0
    for p in Path(path).rglob("*"):
        if p.is_symlink() or p.is_file():
            total += p.lstat().st_size
            files += 1
    return total, files


def zip_dir(folder: Path, target: Path) -> int:
    """Zip ``folder`` (as its own top-level folder) into ``target``; returns the zip's size."""
    folder = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for p in sorted(folder.rglob("*")):
            arc = Path(folder.name) / p.relative_to(folder)
            if p.is_symlink():
                info = zipfile.ZipInfo(arc.as_posix())
                info.create_system = 3
                info.external_attr = 0o120777 << 16  # a symbolic link, as on Linux
                zf.writestr(info, os.readlink(p))
            elif p.is_file():
                zf.write(p, arc.as_posix())
    tmp.replace(target)
    return target.stat().st_size


def marker_seen(text: str, window_class: str) -> bool:
    return any(line.startswith(f"{MARKER} {window_class}") for line in text.splitlines())


def human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# -- building and running ---------------------------------------------------------------------
def build(clean: bool = True) -> float:
    pyinstaller = BIN / f"pyinstaller{EXE}"
    if not pyinstaller.exists():
        raise SystemExit(f"PyInstaller is not in {VENV}: {BIN / 'pip'} install pyinstaller")
    t0 = time.perf_counter()
    cmd = [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(DIST),
           "--workpath", str(WORK), str(ROOT / "build.spec")]
    if clean:
        cmd.insert(2, "--clean")
        shutil.rmtree(DIST / APP, ignore_errors=True)
    print("building:", " ".join(cmd), flush=True)
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stdout[-4000:], res.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"PyInstaller failed (exit {res.returncode})")
    return time.perf_counter() - t0


def _env(home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERDESK_")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "COUNTERDESK_HOME": str(home),
                "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run(exe: Path, args: list[str], env: dict, timeout: float = RUN_TIMEOUT):
    try:
        res = subprocess.run([str(exe), *args], env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"") + (exc.stderr or b"")
        return None, out.decode("utf-8", "replace")
    return res.returncode, (res.stdout + res.stderr).decode("utf-8", "replace")


def smoke(bundle: Path, *, gui: bool = True, pg_admin: str = "") -> list[Check]:
    cli = bundle / f"counterdesk-cli{EXE}"
    gui_exe = cli if os.name == "nt" else bundle / f"counterdesk{EXE}"
    checks: list[Check] = []
    home = Path(tempfile.mkdtemp(prefix="counterdesk-release-"))
    try:
        env = _env(home)
        version = project_version()

        def check(name, rc, out, *, want_rc=0, want=None, marker=None):
            bad = problems(out)
            why = []
            if rc is None:
                why.append(f"no exit within {RUN_TIMEOUT} s")
            elif rc != want_rc:
                why.append(f"exit {rc}, expected {want_rc}")
            if want and want not in out:
                why.append(f"{want!r} not in the output")
            if marker and not marker_seen(out, marker):
                why.append(f"window {marker} was not shown")
            if bad:
                why.append("unexpected output: " + " | ".join(bad[:5]))
            checks.append(Check(name, not why, "; ".join(why) or "ok", out))
            print(f"[{'ok' if not why else 'FAIL'}] {name}: {'; '.join(why) or 'ok'}",
                  flush=True)
            if why:
                print("    " + out.strip().replace("\n", "\n    "), flush=True)

        rc, out = run(cli, ["--version"], env)
        check("version", rc, out, want=f"CounterDesk {version}")
        rc, out = run(cli, ["self-test", "--gui"] if gui else ["self-test"], env)
        check("self-test", rc, out, want="self-test passed")
        url = "sqlite:///" + (home / "hall.sqlite3").as_posix()
        rc, out = run(cli, ["--db", url, "demo"], env)
        check("demo hall", rc, out, want="HQ01")
        if gui:
            genv = _env(home, COUNTERDESK_QUIT_AFTER_MS=str(QUIT_AFTER_MS),
                        COUNTERDESK_SHOWN_MARKER="1")
            rc, out = run(gui_exe, ["--db", url], genv)
            check("workstation sign-in", rc, out, marker="SignInDialog")
            rc, out = run(gui_exe, [], _env(home / "fresh-pc", **{
                "COUNTERDESK_QUIT_AFTER_MS": str(QUIT_AFTER_MS),
                "COUNTERDESK_SHOWN_MARKER": "1"}))
            check("first-run dialog", rc, out, want_rc=1, marker="FirstRunDialog")
            for mode in ("kiosk", "display"):
                rc, out = run(gui_exe, ["--db", url, mode, "--windowed"], genv)
                check(mode, rc, out, marker="")
        if pg_admin:
            checks += smoke_postgresql(bundle, pg_admin, home, gui=gui)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return checks


def scratch_url(admin_url: str, name: str) -> str:
    """The admin URL with its database replaced by ``name`` (query kept)."""
    base, sep, query = admin_url.partition("?")
    head, _, _db = base.rpartition("/")
    return f"{head}/{name}{sep}{query}"


def smoke_postgresql(bundle: Path, admin_url: str, home: Path, *, gui: bool) -> list[Check]:
    """The frozen program on a scratch PostgreSQL database (created and dropped here)."""
    import psycopg  # the .venv's driver, only to create and drop the scratch database

    cli = bundle / f"counterdesk-cli{EXE}"
    gui_exe = cli if os.name == "nt" else bundle / f"counterdesk{EXE}"
    name = f"counterdesk_release_{os.getpid()}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    checks: list[Check] = []
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = scratch_url(admin_url, name)
        env = _env(home, COUNTERDESK_PASSWORD="123456")
        steps = [("postgresql demo", cli, ["--db", url, "demo"], "HQ01"),
                 ("postgresql ticket", cli, ["--db", url, "queue", "issue", "A", "--staff",
                                             "1001"], "A001"),
                 ("postgresql audit", cli, ["--db", url, "audit", "verify"], "")]
        for label, exe, args, want in steps:
            rc, out = run(exe, args, env)
            bad = problems(out)
            why = ([f"exit {rc}"] if rc != 0 else []) + \
                  ([f"{want!r} not in the output"] if want and want not in out else []) + \
                  (["unexpected output: " + " | ".join(bad[:5])] if bad else [])
            checks.append(Check(label, not why, "; ".join(why) or "ok", out))
            print(f"[{'ok' if not why else 'FAIL'}] {label}: {'; '.join(why) or 'ok'}",
                  flush=True)
        if gui:
            genv = _env(home, COUNTERDESK_QUIT_AFTER_MS=str(QUIT_AFTER_MS),
                        COUNTERDESK_SHOWN_MARKER="1")
            rc, out = run(gui_exe, ["--db", url, "display", "--windowed"], genv)
            why = ([f"exit {rc}"] if rc != 0 else []) + \
                  (["no window shown"] if not marker_seen(out, "") else []) + \
                  (["unexpected output: " + " | ".join(problems(out)[:5])] if problems(out)
                   else [])
            checks.append(Check("postgresql display", not why, "; ".join(why) or "ok", out))
            print(f"[{'ok' if not why else 'FAIL'}] postgresql display: "
                  f"{'; '.join(why) or 'ok'}", flush=True)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return checks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-build", action="store_true", help="use the existing dist/CounterDesk")
    ap.add_argument("--skip-gui", action="store_true", help="only the command-line checks")
    ap.add_argument("--zip", metavar="FILE", help="where to write the zip")
    ap.add_argument("--pg", metavar="URL", default=os.environ.get("COUNTERDESK_RELEASE_PG", ""),
                    help="a PostgreSQL server (URL with a user allowed to CREATE DATABASE): "
                         "also run the frozen program on a scratch database there")
    args = ap.parse_args(argv)

    report = Report()
    if not args.no_build:
        report.build_seconds = build()
    bundle = DIST / APP
    if not (bundle / f"counterdesk-cli{EXE}").exists():
        print(f"no bundle in {bundle}: build it first", file=sys.stderr)
        return 2
    report.checks = smoke(bundle, gui=not args.skip_gui, pg_admin=args.pg)
    report.size_bytes, report.files = dir_stats(bundle)
    target = Path(args.zip) if args.zip else DIST / zip_name(project_version(), platform_tag())
    report.zip_bytes = zip_dir(bundle, target)
    report.zip_path = str(target)
    print()
    if report.build_seconds:
        print(f"build time      {report.build_seconds:.0f} s")
    print(f"bundle          {bundle}")
    print(f"unpacked        {human(report.size_bytes)} in {report.files} files "
          f"(goal ≤ 150 MB)")
    print(f"zipped          {human(report.zip_bytes)}  → {report.zip_path}")
    bad = [c.name for c in report.checks if not c.ok]
    print("release checks: " + ("all passed" if not bad else f"FAILED: {', '.join(bad)}"))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
