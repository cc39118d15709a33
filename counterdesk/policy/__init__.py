"""Hall policy: the hall's rules stored in the database, the same for every PC of the hall.

``policy.get(session, hall_id, key)`` inside a service's transaction; ``policy.values`` /
``policy.rows`` for screens and the command line; ``policy.set(db, actor, key, value)``
for a manager (validated, audited with old and new value). The keys are in
:mod:`.registry`.
"""

from .registry import BY_KEY, KEYS, KINDS, PolicyKey
from .store import PolicyRow, get, key_of, parse, rows, set, to_text, values  # noqa: A004

__all__ = ["BY_KEY", "KEYS", "KINDS", "PolicyKey", "PolicyRow", "get", "key_of", "parse", "rows",
           "set", "to_text", "values"]
