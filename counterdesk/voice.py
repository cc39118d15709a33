"""Offline voice announcements for the hall display: "请 A012 号到 3 号窗口办理".

No online service and no OS speech engine needed: the sentence is put together from
short WAV clips shipped in ``resources/sounds`` (made by ``tools/make_voice_clips.py``
with espeak-ng's Mandarin voice; a hall may replace any clip by a real recording with
the same name). A chime comes first. Ticket digits are read one by one (A012 → A 零一二),
the window number as a number (12 → 十二).
"""

from __future__ import annotations

import io
import logging
import wave
from functools import lru_cache

from . import resources_access

log = logging.getLogger(__name__)

GAP_MS = 60


def window_words(n: int) -> list[str]:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五, 105 → 一百零五 (clip names)."""
    if n < 0:
        return []
    if n < 10:
        return [f"d{n}"]
    if n < 20:
        return ["shi"] + ([f"d{n % 10}"] if n % 10 else [])
    if n < 100:
        return [f"d{n // 10}", "shi"] + ([f"d{n % 10}"] if n % 10 else [])
    if n < 1000:
        rest = n % 100
        words = [f"d{n // 100}", "bai"]
        if rest == 0:
            return words
        if rest < 10:
            return words + ["d0", f"d{rest}"]
        return words + ([f"d{rest // 10}", "shi"] + ([f"d{rest % 10}"] if rest % 10 else []))
    return [f"d{c}" for c in str(n)]


def phrase(number: str, window: int, *, recall: bool = False, chime: bool = True) -> list[str]:
    """Clip names for one announcement."""
    clips = ["chime"] if chime else []
    if recall:
        clips.append("chonghu")
    clips.append("qing")
    for ch in number.upper():
        if ch.isdigit():
            clips.append(f"d{ch}")
        elif "A" <= ch <= "Z":
            clips.append(f"letter_{ch}")
    clips += ["hao", "dao", *window_words(window), "hao", "chuangkou", "banli"]
    return clips


def text(number: str, window: int) -> str:
    return f"请 {number} 号到 {window} 号窗口办理"


@lru_cache(maxsize=128)
def _clip(name: str) -> tuple[tuple, bytes] | None:
    try:
        data = resources_access.read_bytes("sounds", f"{name}.wav")
    except (FileNotFoundError, OSError):
        log.warning("voice clip %s.wav missing", name)
        return None
    with wave.open(io.BytesIO(data)) as w:
        return (w.getnchannels(), w.getsampwidth(), w.getframerate()), w.readframes(
            w.getnframes())


def compose(clips: list[str]) -> bytes:
    """One WAV (bytes) of the clips in order with short gaps; missing clips are skipped."""
    params = None
    out = bytearray()
    for name in clips:
        c = _clip(name)
        if c is None:
            continue
        p, frames = c
        if params is None:
            params = p
        elif p != params:
            log.warning("voice clip %s has different format %s; skipped", name, p)
            continue
        if out:
            out += b"\x00" * (params[1] * params[0] * params[2] * GAP_MS // 1000)
        out += frames
    params = params or (1, 2, 16000)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(params[0])
        w.setsampwidth(params[1])
        w.setframerate(params[2])
        w.writeframes(bytes(out))
    return buf.getvalue()


def announcement(number: str, window: int, *, recall: bool = False) -> bytes:
    return compose(phrase(number, window, recall=recall))


def duration_s(wav_bytes: bytes) -> float:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        return w.getnframes() / float(w.getframerate())
