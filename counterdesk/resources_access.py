"""Read bundled resources through importlib.resources (works from source and frozen)."""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def root() -> Traversable:
    """The resources: the installed ``counterdesk.resources`` package (wheel, frozen
    bundle), or the source tree's top-level ``resources/`` folder."""
    try:
        return resources.files("counterdesk.resources")
    except ModuleNotFoundError:
        source = Path(__file__).resolve().parent.parent / "resources"
        if source.is_dir():
            return source
        raise


def path(*parts: str) -> Traversable:
    node = root()
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return path(*parts).read_bytes()


def read_toml(*parts: str) -> dict:
    return tomllib.loads(read_text(*parts))


def as_file(*parts: str):
    """Context manager giving a real filesystem path (for fonts, .qm files…)."""
    return resources.as_file(path(*parts))
