"""Resolve the Windows wheels of every dependency, from this (Linux) machine.

    python tools/windows_wheels.py            # prints name==version of each wheel; exit 1 on failure

``pip install --dry-run --report`` with ``--platform win_amd64 --only-binary=:all:`` (only
metadata is fetched where the index serves it). pip evaluates environment markers
against the *running* system, so a Windows-only dependency (``pywin32; sys_platform ==
"win32"``, python-escpos's ``win32`` extra) would silently drop out: this tool evaluates
every resolved package's ``Requires-Dist`` against a Windows environment itself and
resolves again with what was missing, until nothing is (issue 17, packaging check).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYTHON = "3.11"
WINDOWS_ENV = {**default_environment(), "sys_platform": "win32", "platform_system": "Windows",
               "os_name": "nt", "platform_machine": "AMD64", "python_version": PYTHON,
               "python_full_version": PYTHON + ".9", "implementation_name": "cpython",
               "platform_python_implementation": "CPython"}


class ResolveError(Exception):
    pass


def project_requirements() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return list(tomllib.load(fh)["project"]["dependencies"])


def _for_windows(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    envs = [{**WINDOWS_ENV, "extra": e} for e in (extras or {""})]
    return any(req.marker.evaluate(env) for env in envs)


def _strip(req: Requirement) -> str:
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def resolve(requirements: list[str], *, rounds: int = 5) -> dict[str, dict]:
    """name (canonical) → the report's metadata of each wheel a Windows install gets."""
    wanted = [_strip(r) for r in map(Requirement, requirements) if _for_windows(r, set())]
    for _ in range(rounds):
        got = _pip_report(wanted)
        missing = []
        for item in got.values():
            extras = set(item.get("requested_extras") or [])
            for text in item["metadata"].get("requires_dist") or []:
                req = Requirement(text)
                if _for_windows(req, extras) and canonicalize_name(req.name) not in got:
                    missing.append(_strip(req))
        if not missing:
            return got
        wanted += sorted(set(missing))
    raise ResolveError(f"still missing after {rounds} rounds: {missing}")


def _pip_report(requirements: list[str]) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
               "--quiet", "--disable-pip-version-check", "--report", str(report),
               "--platform", "win_amd64", "--python-version", PYTHON,
               "--implementation", "cp", "--only-binary=:all:", "--target", str(Path(tmp) / "t"),
               *requirements]
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=600)
        if proc.returncode != 0:
            raise ResolveError(proc.stderr.strip()[-2000:])
        data = json.loads(report.read_text(encoding="utf-8"))
    return {canonicalize_name(i["metadata"]["name"]): i for i in data["install"]}


def main() -> int:
    try:
        got = resolve(project_requirements())
    except ResolveError as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        return 1
    for name, item in sorted(got.items()):
        print(f"{name}=={item['metadata']['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
