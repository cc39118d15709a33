"""Work orders from several PCs at once (threads, one engine each side): numbers stay
unique and gapless, and one order gets one result."""

from __future__ import annotations

import threading

from counterdesk import clock, orders
from counterdesk.errors import Conflict, DatabaseError
from tests.helpers import orders_hall
from tests.helpers.orders_hall import MON, sign

odb = orders_hall.odb  # the fixture
PCS = 4
EACH = 5


def _retrying(call):
    while True:
        try:
            return call()
        except DatabaseError:       # busy: the clerk presses again
            continue


def test_numbers_unique_and_one_result_per_order(odb):
    clock.set_now(MON)
    clerks = [sign(odb, no, w) for no, w in (("1001", 1), ("1002", 2), ("1003", 3),
                                             ("1004", 4))]
    barrier = threading.Barrier(PCS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def pc(actor):
        try:
            barrier.wait()
            for _ in range(EACH):
                v = _retrying(lambda: orders.add_order(
                    odb, actor, kind="repair", account_no=odb.accounts["a"],
                    description="灶具打不着火"))
                numbers.append(v.number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=pc, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"GD2026{i:05d}" for i in range(1, PCS * EACH + 1)]

    n = numbers[0]
    orders.dispatch(odb, clerks[0], n, team="维修一班")      # a team: any of them may act
    orders.arrive(odb, clerks[2], n)
    outcomes: list[str] = []
    barrier2 = threading.Barrier(2)

    def result(actor):
        barrier2.wait()
        try:
            _retrying(lambda: orders.record_result(odb, actor, n, "done", note=actor.staff_no))
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=result, args=(c,)) for c in clerks[2:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    v = orders.get_order(odb, clerks[0], n)
    assert [s.kind for s in v.steps].count("resulted") == 1
