"""Figures of the Windows bundle (issue 9): size, and start-up to the sign-in window.

    python bench/bench_bundle.py [REPEAT]             # source, frozen (if built) and bare Qt
    python bench/bench_bundle.py 1 --source-only       # what the test suite runs

* **Size** of ``dist/CounterDesk`` (build it with ``tools/release.py``): unpacked bytes,
  files, zipped bytes. Goal ≤ 150 MB unpacked.
* **Start-up to the sign-in window**: wall time from starting the process until the
  program prints ``counterdesk-shown SignInDialog`` (``COUNTERDESK_SHOWN_MARKER=1``; it
  quits by itself through ``COUNTERDESK_QUIT_AFTER_MS``), on a demo database that is
  already at this program's schema, with ``QT_QPA_PLATFORM=offscreen``; and until
  ``counterdesk-ready SignInDialog``: the database is open and signing in works (the
  window shows first and the clerk types while it connects).
  - frozen ÷ source, in the same run: goal ≤ 1.5×;
  - source ÷ a bare PySide6 ``QMainWindow`` started the same way (same interpreter,
    same marker): goal ≤ 2.5× time and ≤ 2× resident memory (read from
    ``/proc/PID/status`` when the window is shown; Linux only).

REPEAT (default 5) is the number of starts of each; medians are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import release  # noqa: E402  (tools/release.py: sizes, zip, names)

MARKER = release.MARKER
TIMEOUT = 120

BARE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.show()
def shown():
    print("counterdesk-shown QMainWindow bare", flush=True)
    QTimer.singleShot(300, app.quit)
QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""


def _rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


READY = "counterdesk-ready"


def start_once(cmd: list[str], env: dict, ready: bool) -> dict:
    """Seconds from process start to the shown marker (and, with ``ready``, to the
    ready marker: the sign-in window's database is open), RSS (KiB) at the last one."""
    t0 = time.perf_counter()
    out: dict = {"shown": None, "ready": None, "rss": None, "rss_shown": None}
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as proc:
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace")
                if line.startswith(MARKER) and out["shown"] is None:
                    out["shown"] = time.perf_counter() - t0
                    out["rss_shown"] = _rss_kib(proc.pid)
                    if not ready:
                        out["rss"] = _rss_kib(proc.pid)
                        break
                elif line.startswith(READY) and ready:
                    out["ready"] = time.perf_counter() - t0
                    out["rss"] = _rss_kib(proc.pid)
                    break
            proc.stdout.read()
            proc.wait(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if out["shown"] is None or (ready and out["ready"] is None):
        raise RuntimeError(f"no window was shown (or made ready) by: {' '.join(cmd)} "
                           f"(exit {proc.returncode})")
    if not ready:
        out["ready"] = out["shown"]
    return out


def measure(cmd: list[str], env: dict, repeat: int, ready: bool = True) -> dict:
    runs = [start_once(cmd, env, ready) for _ in range(repeat)]
    rss = [r["rss"] for r in runs if r["rss"]]
    rss_shown = [r["rss_shown"] for r in runs if r["rss_shown"]]
    shown = [r["shown"] for r in runs]
    readys = [r["ready"] for r in runs]
    return {"median_s": statistics.median(shown), "min_s": min(shown),
            "ready_s": statistics.median(readys), "ready_min_s": min(readys),
            "rss_mb": statistics.median(rss) / 1024 if rss else None,
            "rss_shown_mb": statistics.median(rss_shown) / 1024 if rss_shown else None}


def _line(name: str, m: dict, key: str = "median_s", low: str = "min_s") -> str:
    mem = f"{m['rss_mb']:6.1f} MB" if m["rss_mb"] else "   n/a"
    return (f"{name:<34} median {m[key] * 1000:6.0f} ms  (min {m[low] * 1000:.0f})  "
            f"RSS {mem}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repeat", nargs="?", type=int, default=5, help="starts of each (size)")
    ap.add_argument("--source-only", action="store_true",
                    help="skip the frozen bundle (its size and its start-up)")
    ap.add_argument("--dist", default=str(release.DIST / release.APP), help="the bundle folder")
    args = ap.parse_args(argv)
    repeat = max(1, args.repeat)
    bundle = Path(args.dist)
    frozen = bundle / f"counterdesk{release.EXE}"
    if os.name == "nt":
        frozen = bundle / "counterdesk-cli.exe"  # the windowed one has no stdout
    use_frozen = not args.source_only and frozen.exists()

    home = Path(tempfile.mkdtemp(prefix="counterdesk-bench-"))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERDESK_")}
        env.update({"QT_QPA_PLATFORM": "offscreen", "COUNTERDESK_HOME": str(home),
                    "COUNTERDESK_SHOWN_MARKER": "1", "COUNTERDESK_QUIT_AFTER_MS": "300",
                    "PYTHONIOENCODING": "utf-8"})
        url = "sqlite:///" + (home / "hall.sqlite3").as_posix()
        subprocess.run([sys.executable, "-m", "counterdesk", "--db", url, "demo"], env=env,
                       check=True, capture_output=True, cwd=ROOT)

        print(f"bench_bundle: {repeat} start(s) each, offscreen, demo database at schema head")
        if args.source_only:
            print("bundle size: skipped (--source-only)")
        elif bundle.exists():
            size, files = release.dir_stats(bundle)
            zpath = home / "bundle.zip"
            zsize = release.zip_dir(bundle, zpath)
            print(f"bundle size: {release.human(size)} unpacked in {files} files, "
                  f"{release.human(zsize)} zipped  (goal ≤ 150 MB unpacked: "
                  f"{'met' if size <= 150_000_000 else 'NOT met'})")
        else:
            print(f"bundle size: no bundle in {bundle} (python tools/release.py builds it)")

        bare = measure([sys.executable, "-c", BARE], env, repeat, ready=False)
        source = measure([sys.executable, "-m", "counterdesk", "--db", url], env, repeat)
        print(_line("bare PySide6 QMainWindow (source)", bare))
        print(_line("sign-in window shown, from source", source).rsplit("  RSS", 1)[0]
              + (f"  RSS {source['rss_shown_mb']:6.1f} MB" if source["rss_shown_mb"] else ""))
        print(_line("  … database open (ready)", source, "ready_s", "ready_min_s"))
        t_ratio = source["median_s"] / bare["median_s"]
        r_ratio = source["ready_s"] / bare["median_s"]
        print(f"  source ÷ bare Qt: time to the window {t_ratio:.2f}× (goal ≤ 2.5×), to "
              f"sign-in ready {r_ratio:.2f}×", end="")
        if source["rss_mb"] and bare["rss_mb"]:
            m_shown = source["rss_shown_mb"] / bare["rss_mb"]
            m_ratio = source["rss_mb"] / bare["rss_mb"]
            print(f", memory at the sign-in window {m_shown:.2f}× (goal ≤ 2×), when ready "
                  f"{m_ratio:.2f}× (SQLAlchemy and the models loaded)")
        else:
            print(", memory n/a on this OS")
        if use_frozen:
            fro = measure([str(frozen), "--db", url], env, repeat)
            print(_line("sign-in window shown, from the bundle", fro).rsplit("  RSS", 1)[0])
            print(_line("  … database open (ready)", fro, "ready_s", "ready_min_s"))
            print(f"  frozen ÷ source: time to the window {fro['median_s'] / source['median_s']:.2f}×"
                  f" (goal ≤ 1.5×), to ready {fro['ready_s'] / source['ready_s']:.2f}×")
        elif not args.source_only:
            print(f"frozen: no bundle at {frozen} (python tools/release.py builds it)")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
