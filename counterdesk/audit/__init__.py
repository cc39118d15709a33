"""The audit log: a hash chain of every business event that vouches for the business rows.

- :mod:`.chain` — appending an event (one statement on PostgreSQL) and the event hash;
- :mod:`.coverage` — the covered tables and the rows' canonical content hashes;
- :mod:`.check` — ``audit verify``: the chain, the rows and the anchors;
- :mod:`.anchor` — the head of a backup file as an anchor;
- :mod:`.adopt` — rows of a hall from before row coverage, adopted at the upgrade.
"""

from ..models import AuditEvent, AuditHead
from .anchor import backup_head
from .chain import (
    GENESIS,
    _body_around_seq,
    _event_body,
    canonical_json,
    compute_hash,
    head,
    record,
)
from .check import Problem, VerifyResult, parse_anchor, verify
from .coverage import COVERED, NAMES, Fetched, Rows, returning

__all__ = ["AuditEvent", "AuditHead", "GENESIS", "canonical_json", "compute_hash", "head",
           "record", "Problem", "VerifyResult", "parse_anchor", "verify", "COVERED", "NAMES",
           "Rows", "Fetched", "returning", "backup_head", "_body_around_seq", "_event_body"]
