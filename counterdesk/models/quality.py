"""Models of the quality capability (filled in by its issue)."""

from __future__ import annotations

from .base import Base  # noqa: F401
