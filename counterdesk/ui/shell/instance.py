"""Each mode (workstation, kiosk, display) runs once per PC and user (issue 16.6).

A double-clicked shortcut must not start a second spooler printing the same receipts or a
second kiosk issuing tickets. A :class:`QLockFile` in the user's runtime (or temp) folder holds the
mode while it runs; Qt frees a lock whose process died (PID check), so a crash never
locks the mode out. The installer's ``AppMutex`` (platform/windows.py) is a different
thing: it only tells setup that some copy is running.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QLockFile

log = logging.getLogger(__name__)


def lock_path(program: str) -> Path:
    """The lock file of ``program`` for this user (a portable or test home gets its own)."""
    # Windows: %TEMP% is the user's own; elsewhere the runtime dir, else the shared /tmp
    # (then the user's name keeps users apart).
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    home = os.environ.get("COUNTERDESK_HOME", "")
    key = f"{getpass.getuser()}|{home}".encode()
    return Path(base) / f"counterdesk-{program}-{hashlib.sha256(key).hexdigest()[:10]}.lock"


def acquire(program: str) -> QLockFile | None:
    """The held lock (keep a reference while the mode runs), or None when this mode is
    already running for this user on this PC."""
    path = lock_path(program)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)   # stale only when its process is gone, never by age
    if lock.tryLock(0):
        return lock
    log.warning("%s is already running for this user on this PC", program)
    return None
