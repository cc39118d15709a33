"""Language of messages produced by the Qt-free core.

The GUI is translated with Qt Linguist; the core's refusals and the command line
carry both Chinese and English text and pick one with :func:`current`.
"""

from __future__ import annotations

_LANG = "zh_CN"
SUPPORTED = ("zh_CN", "en")


def set_language(lang: str) -> None:
    global _LANG
    lang = normalise(lang)
    _LANG = lang


def normalise(lang: str) -> str:
    lang = (lang or "zh_CN").replace("-", "_")
    if lang.lower().startswith("en"):
        return "en"
    return "zh_CN"


def current() -> str:
    return _LANG


def pick(zh: str, en: str) -> str:
    """Return the Chinese or the English text, by the current language."""
    return en if _LANG == "en" else zh
