"""Queue service: numbering, call-next order, ticket life, window pause rules, statistics."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from counterdesk import clock, queue, staff
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent, Authorisation, ServiceType
from counterdesk.models.queue import Ticket, TicketEvent, WindowPause
from tests.helpers.hall_policy import set_rule

T0 = dt.datetime(2026, 11, 22, 10, 0, 0)  # inside opening hours (08:30-17:30)


@pytest.fixture
def hall(demo_db):
    clock.set_now(T0)
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    return demo_db, kiosk


def at(minutes: float) -> None:
    clock.set_now(T0 + dt.timedelta(minutes=minutes))


def clerk_at(db, window: int, staff_no: str = "1001"):
    return staff.sign_in(db, staff_no, "123456", window=window)


def _count(db, model, *where):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _audit_kinds(db) -> list[str]:
    with db.read() as s:
        return list(s.execute(select(AuditEvent.kind).order_by(AuditEvent.seq)).scalars())


# -- numbering ------------------------------------------------------------------------
def test_numbers_are_gapless_per_service_and_restart_each_day(hall):
    db, kiosk = hall
    got = [queue.issue(db, kiosk, letter).number for letter in "AABAB"]
    assert got == ["A001", "A002", "B001", "A003", "B002"]
    clock.set_now(T0 + dt.timedelta(days=1))
    assert queue.issue(db, kiosk, "a").number == "A001"  # lower case accepted
    # yesterday's tickets stay (statistics), today's list shows today only
    assert len(queue.list_tickets(db, kiosk.hall_id, day=T0.date())) == 5
    assert [t.number for t in queue.list_tickets(db, kiosk.hall_id)] == ["A001"]


def test_issue_tells_how_many_wait_ahead(hall):
    db, kiosk = hall
    assert queue.issue(db, kiosk, "A").ahead == 0
    assert queue.issue(db, kiosk, "A").ahead == 1
    assert queue.issue(db, kiosk, "A", priority=True).ahead == 0  # priority goes first
    assert queue.issue(db, kiosk, "A").ahead == 3
    t = queue.issue(db, kiosk, "B")
    assert t.ahead == 0 and t.hall_name


def test_bad_issue_changes_nothing(hall):
    db, kiosk = hall
    with pytest.raises(NotFound) as e:
        queue.issue(db, kiosk, "Z")
    assert "Z" in e.value.message and "A" in e.value.message
    with db.write() as s:
        s.add(ServiceType(hall_id=kiosk.hall_id, letter="E", name="燃气具销售"))
    with pytest.raises(Conflict) as e:
        queue.issue(db, kiosk, "E")
    assert "暂无窗口办理" in e.value.message
    assert _count(db, Ticket) == 0
    svc = {s.letter: s for s in queue.services(db, kiosk.hall_id)}
    assert svc["E"].served is False and svc["A"].served is True


# -- call next ------------------------------------------------------------------------
def test_call_takes_oldest_of_the_windows_services_and_double_press_calls_once(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "B")          # window 1 serves A only
    at(1)
    queue.issue(db, kiosk, "A")
    at(2)
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    at(5)
    t = queue.call_next(db, w1)
    assert (t.number, t.window, t.status, t.waited_seconds) == ("A001", 1, "called", 240)
    assert t.first_staff_no == "1001" and t.first_window == 1
    before = _count(db, TicketEvent)
    with pytest.raises(Conflict) as e:   # second press: refused, nothing changed
        queue.call_next(db, w1)
    assert "A001" in e.value.message and e.value.data["ticket"]["number"] == "A001"
    assert _count(db, TicketEvent) == before
    assert _count(db, Ticket, Ticket.status == "called") == 1
    w3 = clerk_at(db, 3, "1003")
    assert queue.call_next(db, w3).number == "B001"
    queue.finish(db, w3)
    with pytest.raises(NotFound):          # nothing left for window 3's services (B, C)
        queue.call_next(db, w3)
    assert "queue.called" in _audit_kinds(db)


def test_call_on_empty_queue_is_a_clear_refusal(hall):
    db, kiosk = hall
    with pytest.raises(NotFound) as e:
        queue.call_next(db, clerk_at(db, 1))
    assert "暂无等候" in e.value.message


def test_priority_goes_first_but_is_capped(hall):
    db, kiosk = hall
    for _ in range(2):
        queue.issue(db, kiosk, "A")
    for _ in range(4):
        queue.issue(db, kiosk, "A", priority=True)
    w1 = clerk_at(db, 1)
    set_rule(db, "queue.priority_cap", 3)
    order = []
    for _ in range(6):
        t = queue.call_next(db, w1)
        order.append(("P" if t.priority else "N") + t.number)
        queue.finish(db, w1)
    assert order == ["PA003", "PA004", "PA005", "NA001", "PA006", "NA002"]


def test_priority_cap_zero_means_plain_arrival_order(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    queue.issue(db, kiosk, "A", priority=True)
    w1 = clerk_at(db, 1)
    set_rule(db, "queue.priority_cap", 0)
    assert queue.call_next(db, w1).number == "A001"


# -- ticket life ----------------------------------------------------------------------
def test_recall_is_counted_and_limited(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    set_rule(db, "queue.recall_limit", 2)
    assert queue.recall(db, w1).recall_count == 1
    assert queue.recall(db, w1).recall_count == 2
    with pytest.raises(Conflict) as e:
        queue.recall(db, w1)
    assert "过号" in e.value.message
    assert _count(db, TicketEvent, TicketEvent.kind == "recalled") == 2


def test_no_show_and_the_requeue_rule(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    at(1)
    t = queue.no_show(db, w1)
    assert t.status == "no_show"
    at(3)
    queue.issue(db, kiosk, "A")          # A003 arrives after the no-show
    at(10)
    back = queue.requeue(db, w1, "A001")  # came back within 30 min: behind everybody waiting
    assert back.status == "waiting" and back.number == "A001"
    calls = []
    for _ in range(3):
        calls.append(queue.call_next(db, w1).number)
        queue.finish(db, w1)
    assert calls == ["A002", "A003", "A001"]
    with pytest.raises(Conflict):        # not a no-show any more
        queue.requeue(db, w1, "A001")
    # a second no-show is not re-queued again; nor one after the time limit
    queue.issue(db, kiosk, "A")
    queue.call_next(db, w1)
    queue.no_show(db, w1)
    at(10 + 31)
    with pytest.raises(Conflict) as e:
        queue.requeue(db, w1, "A004")
    assert "重新取号" in e.value.message


def test_transfer_keeps_first_clerk_and_place(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    at(1)
    queue.issue(db, kiosk, "C")           # C001 issued after A001
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    with pytest.raises(ValidationError):  # a note is required
        queue.transfer(db, w1, service="C", note=" ")
    t = queue.transfer(db, w1, service="C", note="客户要办过户")
    assert t.status == "waiting" and t.service == "C" and t.first_staff_no == "1001"
    w3 = clerk_at(db, 3, "1003")
    t = queue.call_next(db, w3)
    assert t.number == "A001"              # kept its original place, ahead of C001
    assert t.first_staff_no == "1001" and t.staff_no == "1003" and "过户" in t.note
    # to a named window: only that window gets it, and only with somebody signed in there
    w6 = clerk_at(db, 6, "1006")
    with pytest.raises(Conflict, match="无人签到"):
        queue.transfer(db, w3, to_window=6, note="交主任窗口处理")
    queue.sign_on(db, w6)
    t = queue.transfer(db, w3, to_window=6, note="交主任窗口处理")
    assert t.target_window == 6
    w4 = clerk_at(db, 4, "1004")
    assert queue.call_next(db, w4).number == "C001"
    t = queue.call_next(db, w6)
    assert t.number == "A001" and t.first_window == 1
    assert "queue.transferred" in _audit_kinds(db)
    with pytest.raises(Conflict):  # window 6 doesn't take B for a named window w/o service
        queue.transfer(db, w6, service="D", to_window=3, note="x")


def test_transfer_to_a_window_not_serving_the_service_is_refused_clearly(hall):
    """Issue 18.1: a clear refusal naming what the window serves (it was an AttributeError);
    the snapshot says who is signed in at each window; sign-off leaves the window."""
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    snap = {w["number"]: w for w in queue.snapshot(db, kiosk.hall_id)["windows"]}
    target = next(n for n, w in snap.items() if "A" not in w["services"] and n != 1)
    clerk = clerk_at(db, target, "1004")
    queue.sign_on(db, clerk)
    with pytest.raises(Conflict) as err:
        queue.transfer(db, w1, to_window=target, note="转过去")
    assert "不办理" in err.value.message and "/".join(snap[target]["services"])[:1] in \
        err.value.message
    with pytest.raises(NotFound):
        queue.transfer(db, w1, to_window=99, note="转过去")
    snap = {w["number"]: w for w in queue.snapshot(db, kiosk.hall_id)["windows"]}
    assert snap[target]["staff_no"] == "1004" and snap[target]["staff_name"]
    queue.sign_off(db, w1, window=target)          # somebody else's sign-off changes nothing
    queue.sign_off(db, clerk)
    snap = {w["number"]: w for w in queue.snapshot(db, kiosk.hall_id)["windows"]}
    assert snap[target]["staff_no"] == "" and queue.current(db, w1).number == "A001"


def test_hold_and_resume(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    queue.start(db, w1)
    assert queue.hold(db, w1).status == "held"
    assert queue.call_next(db, w1).number == "A002"  # window free while A001 is parked
    with pytest.raises(Conflict):
        queue.resume(db, w1, "A001")                 # busy with A002
    queue.finish(db, w1)
    assert [t.number for t in queue.held_tickets(db, w1)] == ["A001"]
    assert queue.resume(db, w1, "A001").status == "serving"
    assert queue.finish(db, w1).status == "finished"


def test_finishing_another_windows_ticket_is_refused(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    w2 = clerk_at(db, 2, "1002")
    with pytest.raises(Conflict) as e:
        queue.finish(db, w2, "A001")
    assert "1 号窗口" in e.value.message
    assert queue.current(db, w1).status == "called"
    with pytest.raises(Conflict):
        queue.finish(db, w2)               # window 2 holds nothing
    with pytest.raises(NotFound):
        queue.finish(db, w2, "A999")


def test_every_step_is_timed_and_audited(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    at(2)
    queue.call_next(db, w1)
    at(3)
    queue.start(db, w1)
    at(9)
    t = queue.finish(db, w1)
    assert (t.waited_seconds, t.service_seconds) == (120, 360)
    assert t.called_at and t.started_at and t.finished_at
    kinds = [k for k in _audit_kinds(db) if k.startswith("queue.")]
    assert kinds == ["queue.issued", "queue.called", "queue.started", "queue.finished"]
    from counterdesk import audit
    assert audit.verify(db).ok


# -- window pause -----------------------------------------------------------------------
def test_pause_needs_a_reason_and_a_future_return(hall):
    db, kiosk = hall
    w1 = clerk_at(db, 1)
    for kwargs in ({"until": "10:10"}, {"reason": "other", "until": "10:10"},
                   {"reason": "nap", "until": "10:10"}, {"reason": "meal", "until": "09:00"},
                   {"reason": "meal", "until": "25:00"}):
        with pytest.raises(ValidationError):
            queue.pause_window(db, w1, **kwargs)
    assert _count(db, WindowPause) == 0
    p = queue.pause_window(db, w1, reason_text="去档案室取资料", until="10:10")
    assert p.reason_code == "other" and p.reason == "去档案室取资料"


def test_short_pause_blocks_calls_and_neighbours_see_it(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    p = queue.pause_window(db, w1, reason="restroom", until="10:05")
    assert p.approved_by == "" and p.expected_until.endswith("10:05:00")
    with pytest.raises(Conflict) as e:
        queue.call_next(db, w1)
    assert "暂停" in e.value.message
    assert _count(db, Ticket, Ticket.status == "waiting") == 1
    pauses = queue.open_pauses(db, kiosk.hall_id)
    assert [(x.window, x.reason, x.staff_name) for x in pauses] == [(1, "如厕", "李晓华")]
    snap = queue.snapshot(db, kiosk.hall_id)
    assert snap["windows"][0]["pause"]["reason"] == "如厕"
    with pytest.raises(Conflict):
        queue.pause_window(db, w1, reason="meal", until="10:20")  # already paused
    at(4)
    r = queue.resume_window(db, w1)
    assert r.ended_at and r.ended_by == "1001"
    assert queue.open_pauses(db, kiosk.hall_id) == []
    assert queue.call_next(db, w1).number == "A001"


def test_long_pause_needs_manager_and_cover(hall, approval):
    db, kiosk = hall
    w1 = clerk_at(db, 1)
    with pytest.raises(ValidationError) as e:
        queue.pause_window(db, w1, reason="meal", until="10:40")
    assert e.value.field == "cover"
    with pytest.raises(PermissionDenied) as e:
        queue.pause_window(db, w1, reason="meal", until="10:40", cover="1002")
    assert "授权" in e.value.message
    with pytest.raises(PermissionDenied):  # a clerk cannot approve
        queue.pause_window(db, w1, reason="meal", until="10:40", cover="1002",
                           approval=staff.Approval("1003", "123456"))
    with pytest.raises(NotFound):
        queue.pause_window(db, w1, reason="meal", until="10:40", cover="7777",
                           approval=approval)
    assert _count(db, WindowPause) == 0 and _count(db, Authorisation) == 0
    p = queue.pause_window(db, w1, reason="meal", until="10:40", cover="1002",
                           approval=approval)
    assert (p.approved_by, p.cover_staff_no) == ("9001", "1002")
    with db.read() as s:
        auth = s.execute(select(Authorisation)).scalar_one()
        assert auth.action == "window.pause" and "40" in auth.reason


def test_last_open_window_for_waiting_service_needs_override(hall, approval):
    db, kiosk = hall
    # D is served by windows 5 and 6 only
    queue.issue(db, kiosk, "D")
    w6 = clerk_at(db, 6, "1006")
    queue.pause_window(db, w6, reason="meal", until="10:10")
    w5 = clerk_at(db, 5, "1005")
    needs = queue.pause_needs(db, w5, until="10:10")
    assert needs["last_for_services"] == ["D"] and needs["needs_approval"]
    with pytest.raises(PermissionDenied) as e:
        queue.pause_window(db, w5, reason="meal", until="10:10")
    assert "D" in e.value.message
    p = queue.pause_window(db, w5, reason="meal", until="10:10", approval=approval)
    assert p.override and p.approved_by == "9001"
    # outside opening hours nobody needs an override
    queue.resume_window(db, w5)
    clock.set_now(dt.datetime(2026, 11, 22, 18, 0))
    assert not queue.pause_needs(db, w5, until="18:10")["needs_approval"]


def test_pausing_with_a_customer_at_the_window_is_refused(hall):
    db, kiosk = hall
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    with pytest.raises(Conflict):
        queue.pause_window(db, w1, reason="meal", until="10:10")


# -- propagation ----------------------------------------------------------------------
def test_change_version_and_events_feed(hall):
    db, kiosk = hall
    v0 = queue.change_version(db, kiosk.hall_id)
    queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    queue.call_next(db, w1)
    v1 = queue.change_version(db, kiosk.hall_id)
    assert v1 > v0
    ev = queue.events_since(db, kiosk.hall_id, v0, kinds=("called", "recalled"))
    assert [(e["kind"], e["number"], e["window"]) for e in ev] == [("called", "A001", 1)]
    snap = queue.snapshot(db, kiosk.hall_id)
    assert snap["version"] == v1 and snap["windows"][0]["current"]["number"] == "A001"


# -- statistics -----------------------------------------------------------------------
def test_statistics_and_csv(hall):
    db, kiosk = hall
    for i in range(10):
        at(i)
        queue.issue(db, kiosk, "A")
    w1 = clerk_at(db, 1)
    for i in range(10):
        at(20 + 2 * i)
        queue.call_next(db, w1)
        if i == 9:
            queue.no_show(db, w1)
            continue
        at(21 + 2 * i)
        queue.finish(db, w1)
    stats = queue.statistics(db, kiosk.hall_id, T0.date())
    total = stats["rows"][0]
    assert (total["tickets"], total["finished"], total["no_shows"]) == (10, 9, 1)
    # waits: 20, 21, …, 29 minutes
    assert total["avg_wait"] == round(sum(range(20, 30)) * 60 / 10)
    assert total["p90_wait"] == 28 * 60
    assert total["avg_service"] == 60
    clerk = [r for r in stats["rows"] if r["group"] == "clerk"][0]
    assert clerk["key"] == "1001" and clerk["tickets"] == 10
    assert stats["busiest_hours"][0] == "10:00"
    text = queue.statistics_csv(stats)
    assert text.splitlines()[1].startswith("total,,合计,10,9,1,")
    with pytest.raises(ValidationError):
        queue.statistics(db, kiosk.hall_id, T0.date(), T0.date() - dt.timedelta(days=1))


# -- command line ---------------------------------------------------------------------
def test_cli_issue_call_finish_json(demo_db, tmp_path, monkeypatch, capsys):
    from counterdesk.cli import main

    url = demo_db.url
    if demo_db.is_postgres:
        pytest.skip("the CLI test runs on the SQLite file")
    clock.set_now(T0)
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")

    def run(*argv):
        code = main(["--db", url, "--json", *argv])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    code, t, _ = run("queue", "issue", "A", "--priority")
    assert code == 0 and t["number"] == "A001" and t["priority"] is True
    code, t, _ = run("queue", "call", "--staff", "1001", "--window", "1")
    assert code == 0 and (t["number"], t["window"], t["status"]) == ("A001", 1, "called")
    assert {"issued_at", "called_at", "started_at", "finished_at"} <= set(t)
    code, _, err = run("queue", "call", "--staff", "1001", "--window", "1")
    assert code != 0 and "A001" in err
    code, _, err = run("queue", "finish", "A001", "--staff", "1002", "--window", "2")
    assert code != 0 and "1 号窗口" in err
    code, _, err = run("window", "pause", "--staff", "1002", "--window", "2", "--until", "10:10")
    assert code != 0 and "原因" in err
    code, _, err = run("queue", "issue", "Q")
    assert code != 0 and "Q" in err
    code, t, _ = run("queue", "finish", "--staff", "1001", "--window", "1")
    assert code == 0 and t["status"] == "finished"
    code, p, _ = run("window", "pause", "--staff", "1001", "--window", "1", "--reason", "meal",
                     "--until", "10:10")
    assert code == 0 and p["window"] == 1 and p["reason_code"] == "meal"
    code, snap, _ = run("window", "status")
    assert snap["windows"][0]["pause"]["reason_code"] == "meal"
    csv_path = tmp_path / "q.csv"
    code, stats, _ = run("queue", "stats", "--csv", str(csv_path))
    assert code == 0 and stats["rows"][0]["tickets"] == 1
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
