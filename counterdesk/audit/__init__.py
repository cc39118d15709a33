"""The audit log: a hash chain per hall of every business event, vouching for the business
rows.

- :mod:`.chain` — appending an event (one statement on PostgreSQL) and the event hash;
- :mod:`.coverage` — the covered tables and the rows' canonical content hashes;
- :mod:`.check` — ``audit verify``: every hall's chain, the rows and the anchors;
- :mod:`.anchor` — the heads of a backup file as anchors;
- :mod:`.adopt` — rows of a hall from before row coverage, adopted at the upgrade.
"""

from ..models import AuditEvent, AuditHead
from .anchor import backup_heads
from .chain import (
    GENESIS,
    _body_around_seq,
    _event_body,
    canonical_json,
    chain_of,
    compute_hash,
    head,
    heads,
    home_chain,
    record,
)
from .check import Anchor, Problem, VerifyResult, anchor_text, parse_anchor, verify
from .coverage import COVERED, NAMES, Fetched, Rows, returning

__all__ = ["AuditEvent", "AuditHead", "GENESIS", "canonical_json", "compute_hash", "head",
           "heads", "home_chain", "chain_of", "record", "Anchor", "anchor_text", "Problem",
           "VerifyResult", "parse_anchor", "verify", "COVERED", "NAMES", "Rows", "Fetched",
           "returning", "backup_heads", "_body_around_seq", "_event_body"]
