"""Emit Qt signals from Python many times and print how the refcounts of True, False
and None moved (one JSON line on stdout).

    python tests/soak/binding_probe.py [COUNT]

Standalone on purpose: no CounterDesk import, so it also runs in a throw-away venv
holding nothing but a PySide6 to check (``/tmp/pyside612/bin/python binding_probe.py``).
PySide6-Essentials 6.12.0 drops one reference to ``True`` (and to ``None`` for dict and
list arguments) on every ``Signal.emit()``; the interpreter then aborts with
``Fatal Python error: bool_dealloc`` / ``none_dealloc`` after a few hundred emits, which
is why this runs in a child process (tests/soak/test_binding.py).
"""

from __future__ import annotations

import gc
import json
import sys

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, QObject, Signal


class Emitter(QObject):
    as_dict = Signal(dict)
    as_list = Signal(list)
    as_bool = Signal(bool)


def _counts() -> dict[str, int]:
    gc.collect()
    return {"True": sys.getrefcount(True), "False": sys.getrefcount(False),
            "None": sys.getrefcount(None)}


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 3000
    app = QCoreApplication.instance() or QCoreApplication([])
    e = Emitter()
    got = [0, 0, 0]

    def on_dict(d):
        got[0] += 1

    def on_list(v):
        got[1] += 1

    def on_bool(b):
        got[2] += 1

    e.as_dict.connect(on_dict)
    e.as_list.connect(on_list)
    e.as_bool.connect(on_bool)
    for _ in range(20):  # warm-up: first emits may cache things
        e.as_dict.emit({"x": True, "y": None})
        e.as_list.emit([True, None])
        e.as_bool.emit(True)
    before = _counts()
    for i in range(count):
        e.as_dict.emit({"x": True, "served": False, "pause": None})
        e.as_list.emit([True, None, i])
        e.as_bool.emit(i % 2 == 0)
    after = _counts()
    print(json.dumps({"pyside": PYSIDE_VERSION, "emits": count, "received": got,
                      "before": before, "after": after,
                      "drift": {k: after[k] - before[k] for k in before}}), flush=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
