"""Logging to a rotating file in the platform's log directory (never personal data).

One file per program (issue 17.12): Windows cannot rename a log another process holds
open, so the workstation, the kiosk, the display and the command line each rotate their
own file (``workstation.log``, ``kiosk.log``, ``display.log``, ``cli.log``).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from . import paths

PROGRAMS = ("workstation", "kiosk", "display", "cli")

_configured: Path | None = None


def log_file(program: str, directory: Path | None = None) -> Path:
    if program not in PROGRAMS:
        raise ValueError(f"unknown program {program!r}; one of {PROGRAMS}")
    return Path(directory or paths.log_dir()) / f"{program}.log"


def setup(program: str = "workstation", level: int = logging.INFO,
          directory: Path | None = None) -> Path:
    """Log this process to ``<log dir>/<program>.log``; a second call keeps the first file."""
    global _configured
    logfile = log_file(program, directory)
    if _configured is not None:
        return _configured
    logfile.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(logfile, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    _configured = logfile
    return logfile
