"""Hall policy: the hall's rules stored in the database, the same for every PC of the hall.

``policy.get(session, hall_id, key)`` inside a service's transaction; ``policy.values`` /
``policy.rows`` for screens and the command line; ``policy.set(db, actor, key, value)``
for a manager (validated, audited with old and new value). The keys are in
:mod:`.registry`.
"""

from .registry import BY_KEY, KEYS, KINDS, UNITS_EN, PolicyKey, unit_label
from .rules import (
    QualityRules,
    QueueRules,
    cash_threshold_fen,
    load_quality_rules,
    load_queue_rules,
    payment_limit_fen,
    quality_rules,
    queue_rules,
)
from .store import PolicyRow, get, get_many, key_of, parse, rows, set, to_text, values  # noqa: A004

__all__ = ["BY_KEY", "KEYS", "KINDS", "UNITS_EN", "PolicyKey", "PolicyRow", "QualityRules", "QueueRules",
           "cash_threshold_fen", "get", "get_many", "key_of", "load_quality_rules", "load_queue_rules",
           "parse", "payment_limit_fen", "quality_rules", "queue_rules", "rows", "set", "to_text",
           "unit_label", "values"]
