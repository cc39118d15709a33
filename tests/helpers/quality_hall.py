"""A light demo hall for the quality tests: the demo hall's windows, services and the
staff the tests use, plus the quality demo data — without the other capabilities'
demo data (2,000 accounts take seconds to seed on every test)."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk import clock, quality, resources_access, setup, staff

# The demo complaints and ratings are dated back from "now"; seeding them at a fixed
# instant keeps them off the days the tests pin (MON = 2026-11-23), whatever the date.
SEEDED_AT = dt.datetime(2026, 11, 20, 9, 0)   # the Friday before MON

STAFF = ("9001", "1001", "1002", "1003", "1004", "1005", "1006")


@pytest.fixture
def qdb(db):
    data = resources_access.read_toml("demo", "hall.toml")
    setup.create_hall(db, data)
    for u in data["staff"]:
        if u["staff_no"] in STAFF:
            staff.add_user(db, u["staff_no"], u["name"], u["role"], u["password"],
                           hall_code=data["hall"]["code"])
    clock.set_now(SEEDED_AT)
    try:
        quality.seed_demo(db, data["hall"]["code"])
    finally:
        clock.set_now(None)
    return db


@pytest.fixture
def qclerk(qdb):
    return staff.sign_in(qdb, "1001", "123456", window=1)


def finished_ticket(db, window: int = 1, staff_no: str = "1001", letter: str = "A") -> dict:
    """A ticket issued at the kiosk, called and finished at ``window`` (what a rating
    names), as the bench's ``ticket_finished`` carries it."""
    from counterdesk import queue

    queue.issue(db, queue.kiosk_actor(db, "HQ01"), letter)
    clerk = staff.sign_in(db, staff_no, "123456", window=window)
    queue.call_next(db, clerk)
    return queue.finish(db, clerk).to_dict()
