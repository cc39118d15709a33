"""Windows calls through ctypes (no pywin32 needed); each is a no-op on other systems.

* :func:`keep_awake` / :func:`allow_sleep` — ``SetThreadExecutionState`` so the hall
  display and the kiosk never turn the screen off or let the PC sleep (issue 17.4).
* :func:`create_mutex` — the named mutex the installer's ``AppMutex`` waits for
  (issue 17.10): setup refuses to replace files of a running copy.
* :data:`NO_WINDOW` — ``creationflags`` for a console program started from the windowed
  program (``pg_dump``): no black window flashes up.
"""

from __future__ import annotations

import subprocess
import sys

IS_WINDOWS = sys.platform == "win32"

ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002

DRIVE_REMOTE = 4

APP_MUTEX = "CounterDeskRunning"  # the installer's AppMutex (installer/counterdesk.iss)

NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # 0 elsewhere

_mutex_handles: list = []


def _kernel32():
    import ctypes

    if sys.platform != "win32":  # called on Windows only (and tells mypy so)
        raise OSError("kernel32 is a Windows library")

    return ctypes.WinDLL("kernel32", use_last_error=True)


def keep_awake() -> bool:
    """Ask Windows to keep the display on and the system awake while this thread runs.
    True when the request was made (Windows), False elsewhere or if Windows refused."""
    if not IS_WINDOWS:
        return False
    flags = ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED
    return bool(_kernel32().SetThreadExecutionState(flags))


def allow_sleep() -> bool:
    """Undo :func:`keep_awake` (the power plan applies again)."""
    if not IS_WINDOWS:
        return False
    return bool(_kernel32().SetThreadExecutionState(ES_CONTINUOUS))


def is_remote_drive(path: str) -> bool:
    """True if ``path`` is on a mapped network drive (``GetDriveTypeW`` = DRIVE_REMOTE)."""
    if not IS_WINDOWS or len(path) < 2 or path[1] != ":":
        return False
    return _kernel32().GetDriveTypeW(path[:2] + "\\") == DRIVE_REMOTE


def create_mutex(name: str = APP_MUTEX) -> bool:
    """Create the named mutex the installer checks (held until the process ends)."""
    if not IS_WINDOWS:
        return False
    import ctypes

    k32 = _kernel32()
    k32.CreateMutexW.restype = ctypes.c_void_p
    made = False
    for full in (name, "Global\\" + name):  # this session, and setup run from another one
        handle = k32.CreateMutexW(None, False, full)
        if handle:
            _mutex_handles.append(handle)  # never closed: Windows releases it when we exit
            made = True
    return made


__all__ = ["APP_MUTEX", "IS_WINDOWS", "NO_WINDOW", "allow_sleep", "create_mutex",
           "is_remote_drive", "keep_awake"]
