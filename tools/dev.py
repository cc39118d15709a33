"""Set up and run CounterDesk from a fresh clone, with nothing but Python >= 3.11.

    python3 tools/dev.py run     # venv + install, demo hall on SQLite, start the workstation
    python3 tools/dev.py test    # venv + install, run the whole test suite
    python3 tools/dev.py lint    # venv + install, ruff over the tree, mypy over the core (CI first)
    python3 tools/dev.py ARGS…   # any counterdesk command inside the venv

The virtual environment is ``.venv`` next to this folder; it is (re)installed when
``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run by whatever python3 a PC has
        sys.exit("CounterDesk needs Python 3.11 or newer")
    if not PY.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".counterdesk-installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        print("installing CounterDesk and its dependencies into .venv …", flush=True)
        subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                       check=True)
        subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"],
                       check=True)
        if os.name != "nt" and subprocess.run(
                [str(PY), "-m", "pip", "install", "--quiet", "pyscard>=2.0"]).returncode:
            print("note: pyscard (PC/SC card readers) could not be built here: it needs swig "
                  "and libpcsclite-dev (Debian: apt-get install swig libpcsclite-dev); the "
                  "pcsc: card tests will skip", flush=True)
        stamp.write_text(want)


def counterdesk(*args: str) -> int:
    return subprocess.run([str(PY), "-m", "counterdesk", *args], cwd=ROOT).returncode


def _debian_package(soname: str) -> str:
    """libxcb-icccm.so.4 → libxcb-icccm4; libxkbcommon-x11.so.0 → libxkbcommon-x11-0."""
    name, _, version = soname.partition(".so.")
    version = version.split(".")[0]
    return f"{name}{'-' if name[-1].isdigit() else ''}{version}"


def missing_display_library() -> str | None:
    """On Linux under X11, Qt's xcb platform plugin needs X libraries that a desktop may
    lack (libxcb-cursor, -icccm, -keysyms…): name them and how to install them, rather
    than let Qt print its platform-plugin error."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM") \
            or not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    import shutil

    plugins = sorted(VENV.glob("lib/python3*/site-packages/PySide6/Qt/plugins/platforms/"
                               "libqxcb.so"))
    if not plugins or not shutil.which("ldd"):
        return None
    out = subprocess.run(["ldd", str(plugins[0])], capture_output=True, text=True).stdout
    missing = sorted({line.split()[0] for line in out.splitlines() if "not found" in line})
    if not missing:
        return None
    return ("Qt cannot open a window on this Linux desktop: missing "
            + ", ".join(missing) + ". Install them:\n"
            "  sudo apt-get install " + " ".join(_debian_package(m) for m in missing)
            + "      (Debian, Ubuntu)\n"
            "or look at it without a screen: QT_QPA_PLATFORM=offscreen python3 tools/dev.py run")


def run_tests(args: list[str]) -> int:
    """The suite, then the drills (tests marked ``drill``: fault, failover, concurrency and
    soak drills that start processes or servers). With arguments, one pytest run of exactly
    those arguments."""
    env = dict(os.environ)

    def pytest(*extra: str) -> int:
        return subprocess.run([str(PY), "-m", "pytest", *extra], cwd=ROOT, env=env).returncode

    if args:
        return pytest(*args)
    # The suite on every core (pytest-xdist): its tests use their own databases, folders
    # and ports; the PC/SC tests take turns (tests/helpers/pcsc.py). The drills start
    # servers and processes of their own, and measure: one at a time.
    stages = [("suite", ("-m", "not drill", "-n", "auto")), ("drills", ("-m", "drill"))]
    results = []
    for name, extra in stages:
        print(f"== {name}: pytest {' '.join(extra)}", flush=True)
        started = time.monotonic()
        rc = pytest(*extra)
        results.append((name, rc, time.monotonic() - started))
    for name, rc, took in results:
        print(f"== {name}: {'passed' if rc == 0 else f'FAILED (exit {rc})'} "
              f"in {took / 60:.1f} min", flush=True)
    return next((rc for _, rc, _ in results if rc != 0), 0)


def main(argv: list[str]) -> int:
    ensure_env()
    if not argv or argv[0] == "run":
        rc = counterdesk("demo", "--tickets")
        if rc != 0:
            return rc
        hint = missing_display_library()
        if hint:
            print(hint, file=sys.stderr)
            return 1
        extra = list(argv[1:])
        if not any(a.startswith(("--db", "--config")) for a in extra):
            # The demo hall lives in this PC's settings' database; name it so the
            # first-run dialog (meant for a real installation) does not ask for it.
            url = subprocess.run([str(PY), "-c", "from counterdesk import settings; "
                                  "print(settings.load().database.effective_url())"],
                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout
            extra = ["--db", url.strip(), *extra]
        return counterdesk(*extra)
    if argv[0] == "lint":
        ruff = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT).returncode
        # then the types of the Qt-free core (pyproject.toml, [tool.mypy])
        mypy = subprocess.run([str(PY), "-m", "mypy"], cwd=ROOT).returncode
        return ruff or mypy
    if argv[0] == "test":
        return run_tests(argv[1:])
    return counterdesk(*argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
