"""Service phrases (服务用语): the data behind the prompt panel.

* :mod:`.catalogue` — the shipped defaults per language and a hall's edits applied
  (:func:`load`, :func:`defaults`, :func:`revision`);
* :mod:`.search` — characters, pinyin initials or full pinyin (``dbq`` finds 对不起);
* :mod:`.edits` — a manager's edits, restore defaults, TOML export/import;
* :mod:`.contextual` — which phrases fit a moment of the workstation.

This package's names are the public API.
"""

from __future__ import annotations

from ..demo.phrases import seed_demo
from .catalogue import (
    LANGS,
    MAX_NOTE,
    MAX_TEXT,
    MAX_TITLE,
    REFUSAL_ALIASES,
    SECTION_KINDS,
    Catalogue,
    Item,
    Section,
    defaults,
    load,
    parse,
    revision,
)
from .contextual import (
    COMPOUND_SURNAMES,
    Prompt,
    contextual,
    for_account,
    refusal_kind,
    surname,
)
from .edits import (
    add_item,
    edit_item,
    export_data,
    export_toml,
    import_data,
    remove_item,
    restore_defaults,
    validate,
)
from .search import search

__all__ = [
    "COMPOUND_SURNAMES", "LANGS", "MAX_NOTE", "MAX_TEXT", "MAX_TITLE", "REFUSAL_ALIASES",
    "SECTION_KINDS", "Catalogue", "Item", "Prompt", "Section", "add_item", "contextual",
    "defaults", "edit_item", "export_data", "export_toml", "for_account", "import_data", "load",
    "parse", "refusal_kind", "remove_item", "restore_defaults", "revision", "search",
    "seed_demo", "surname", "validate",
]
