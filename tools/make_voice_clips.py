"""Generate the hall display's offline voice clips (resources/sounds/*.wav).

    python tools/make_voice_clips.py            # needs espeak-ng (Mandarin voice cmn) and sox

Each clip is one word of "请 A012 号到 3 号窗口办理" spoken by espeak-ng's Mandarin
voice, trimmed of silence, as 16 kHz mono 16-bit WAV; the chime is synthesised here.
The display concatenates clips at run time (counterdesk/voice.py), so a hall may replace
any clip by a recording of a real voice with the same file name.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"
RATE = 16000

WORDS = {
    "qing": "请", "hao": "号", "dao": "到", "chuangkou": "窗口", "banli": "办理",
    "shi": "十", "bai": "百", "chonghu": "重呼",
    **{f"d{i}": ch for i, ch in enumerate("零一二三四五六七八九")},
}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _espeak(text: str, dest: Path, voice: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(dest),
                        "norm", "-1", "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02",
                        "0.5%", "reverse"], check=True)


def _chime(dest: Path) -> None:
    frames = bytearray()
    for freq, dur in ((880.0, 0.35), (659.25, 0.55)):  # ding-dong (A5, E5)
        n = int(RATE * dur)
        for i in range(n):
            t = i / RATE
            env = math.exp(-3.5 * t / dur)
            v = 0.45 * env * (math.sin(2 * math.pi * freq * t)
                              + 0.3 * math.sin(2 * math.pi * 2 * freq * t))
            frames += struct.pack("<h", int(max(-1, min(1, v)) * 32767))
    with wave.open(str(dest), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


def main() -> int:
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            print(f"{tool} not found (apt-get install espeak-ng sox)", file=sys.stderr)
            return 1
    OUT.mkdir(parents=True, exist_ok=True)
    _chime(OUT / "chime.wav")
    for name, text in WORDS.items():
        _espeak(text, OUT / f"{name}.wav", "cmn")
    for letter in LETTERS:
        _espeak(letter, OUT / f"letter_{letter}.wav", "cmn")
    print(f"{len(list(OUT.glob('*.wav')))} clips in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
