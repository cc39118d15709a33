"""Playing the display's announcements, one after another, never breaking the display.

QtMultimedia / QtTextToSpeech are not part of PySide6-Essentials, so the sentence is
built from WAV clips (:mod:`counterdesk.voice`) and played by the simplest thing the
PC has: ``winsound`` on Windows (standard library, plays from memory), otherwise
``paplay`` / ``aplay`` / ``afplay`` / ``play``. Playback runs on a worker thread; any
failure is logged and reported with ``failed``, and the display goes on.
"""

from __future__ import annotations

import logging
import os
import queue as queue_mod
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ... import voice

log = logging.getLogger(__name__)

Backend = Callable[[bytes], None]


def _winsound(data: bytes) -> None:  # pragma: no cover - Windows only
    import winsound

    winsound.PlaySound(data, winsound.SND_MEMORY)


def _command(exe: str) -> Backend:
    def play(data: bytes) -> None:
        fd, path = tempfile.mkstemp(suffix=".wav")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            subprocess.run([exe, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=max(5.0, voice.duration_s(data) + 5), check=True)
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass
    return play


def _silent(data: bytes) -> None:
    return None


def default_backend() -> tuple[str, Backend]:
    if sys.platform == "win32":
        return "winsound", _winsound
    for exe in ("paplay", "aplay", "afplay", "play"):
        path = shutil.which(exe)
        if path:
            return exe, _command(path)
    return "none", _silent


class VoicePlayer(QObject):
    done = Signal(str)          # key of the announcement (played or not)
    failed = Signal(str, str)   # key, reason

    def __init__(self, backend: Backend | None = None, *, enabled: bool = True, parent=None):
        super().__init__(parent)
        if backend is None:
            self.backend_name, backend = default_backend() if enabled else ("off", _silent)
        else:
            self.backend_name = "custom"
        self.backend = backend
        self._q: queue_mod.Queue = queue_mod.Queue()
        self._thread = threading.Thread(target=self._work, name="voice", daemon=True)
        self._thread.start()
        log.info("voice backend: %s", self.backend_name)

    def speak(self, key: str, number: str, window: int, *, recall: bool = False) -> None:
        self._q.put((key, number, window, recall))

    def close(self) -> None:
        self._q.put(None)
        self._thread.join(2)

    def _work(self) -> None:
        while True:
            item = self._q.get()
            if item is None:
                return
            key, number, window, recall = item
            try:
                self.backend(voice.announcement(number, window, recall=recall))
            except Exception as exc:  # noqa: BLE001 - sound must never break the display
                log.warning("announcement %s not played: %s", key, exc)
                self.failed.emit(key, str(exc))
            self.done.emit(key)
