"""Addresses of the customer file: the parts a clerk types, the text on paper and the
search keys (from the district, the street or the community on)."""

from __future__ import annotations

import unicodedata


def search_form(text: str) -> str:
    """Search form of text: NFKC (full-width digits → ASCII), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace()).lower()


def _with_suffix(value: str, suffix: str) -> str:
    v = (value or "").strip()
    return v + suffix if v.isdigit() else v


def address_parts(a: dict) -> list[str]:
    return [a.get("district", ""), a.get("street", ""), a.get("community", ""),
            _with_suffix(a.get("building", ""), "幢"), _with_suffix(a.get("unit", ""), "单元"),
            _with_suffix(a.get("room", ""), "室")]


def address_keys(a: dict) -> tuple[str, str, str]:
    """(address_key, street_key, community_key): from the district, street, community on."""
    parts = [search_form(p) for p in address_parts(a)]
    tail = parts[3] + parts[4] + parts[5]
    if not parts[5]:
        tail += "|" + search_form(a.get("address_text", ""))
    return ("".join(parts[:3]) + tail)[:300], ("".join(parts[1:3]) + tail)[:300], \
        (parts[2] + tail)[:300]


def address_display(a: dict) -> str:
    main = "".join(p.strip() for p in address_parts(a) if p)
    extra = (a.get("address_text") or "").strip()
    return f"{main} {extra}".strip() if extra and extra not in main else main
