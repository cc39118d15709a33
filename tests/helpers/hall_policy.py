"""Set a rule of the demo hall's policy as its manager (9001), as the policy screen does."""

from __future__ import annotations

from counterdesk import policy, staff


def set_rule(db, key: str, value) -> None:
    manager = staff.sign_in(db, "9001", "888888")
    policy.set(db, manager, key, value)
