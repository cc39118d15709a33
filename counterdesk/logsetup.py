"""Logging to a rotating file in the platform's log directory (never personal data)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from . import paths

_configured = False


def setup(level: int = logging.INFO, directory: Path | None = None) -> Path:
    global _configured
    directory = Path(directory or paths.log_dir())
    directory.mkdir(parents=True, exist_ok=True)
    logfile = directory / "counterdesk.log"
    if _configured:
        return logfile
    handler = logging.handlers.RotatingFileHandler(logfile, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    _configured = True
    return logfile
