"""bench/bench_day.py once at a tiny size (the figures themselves are not asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_bench_day_runs_tiny(qapp, tmp_path):
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_day.py"
    spec = importlib.util.spec_from_file_location("bench_day", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lines: list[str] = []
    res = mod.run(12, every=10, folder=tmp_path, emit=lines.append)
    assert res["counts"]["tickets"] == 12 and res["counts"]["payments"] == 6
    assert res["counts"]["announced"] == 12 and res["counts"]["ratings"] == 12
    assert res["ops"] == 12 * 3 + 6 and len(res["samples"]) >= 3
    text = "\n".join(lines)
    assert "rss" in text and "MB per 1,000 operations" in text
