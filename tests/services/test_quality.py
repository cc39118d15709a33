"""Service quality: deadlines, ownership, follow-ups, ratings, reports (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from counterdesk import clock, quality, staff
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent
from counterdesk.models.quality import Complaint, ComplaintStep, FollowUp, Rating
from counterdesk.settings import QualitySettings

MON = dt.datetime(2026, 11, 23, 10, 0)   # a Monday
FRI = dt.datetime(2026, 11, 20, 15, 0)   # a Friday


def _counts(db) -> tuple:
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(t)).scalar()
                     for t in (Complaint, ComplaintStep, FollowUp, Rating, AuditEvent))


def _add(db, actor, **kw):
    data = dict(contact_phone="13912345678", contact_name="张先生",
                description="窗口办理缴费等候时间过长", category="办事效率")
    data.update(kw)
    return quality.record_complaint(db, actor, **data)


# -- deadline arithmetic (pure) ----------------------------------------------------------------
@pytest.mark.parametrize("start,hours,working,expected", [
    (MON, 48, False, dt.datetime(2026, 11, 25, 10, 0)),
    (dt.datetime(2026, 11, 23, 22, 30), 3, False, dt.datetime(2026, 11, 24, 1, 30)),  # midnight
    (FRI, 48, False, dt.datetime(2026, 11, 22, 15, 0)),            # calendar: into Sunday
    (FRI, 48, True, dt.datetime(2026, 11, 24, 15, 0)),             # Fri 9h + Mon 24h + Tue 15h
    (dt.datetime(2026, 11, 21, 10, 0), 48, True, dt.datetime(2026, 11, 25, 0, 0)),  # from Sat
    (dt.datetime(2026, 11, 22, 23, 0), 2, True, dt.datetime(2026, 11, 23, 2, 0)),   # from Sun
    (dt.datetime(2026, 11, 20, 23, 0), 2, True, dt.datetime(2026, 11, 23, 1, 0)),   # Fri night
    (dt.datetime(2026, 11, 26, 12, 0), 24, True, dt.datetime(2026, 11, 27, 12, 0)),  # Thu→Fri
    (FRI, 9, True, dt.datetime(2026, 11, 21, 0, 0)),               # exactly Friday's end
])
def test_add_hours(start, hours, working, expected):
    assert quality.add_hours(start, hours, working) == expected


def test_working_days_follow_the_official_holidays():
    """National Day 2026: Oct 1-7 off, Sat Oct 10 worked (调休); the deadline jumps the week."""
    wed = dt.datetime(2026, 9, 30, 10, 0)
    # Wed 14h, Oct 1-7 off, Thu Oct 8 24h, Fri Oct 9 10h
    assert quality.add_hours(wed, 48, True) == dt.datetime(2026, 10, 9, 10, 0)
    # Fri Oct 9 14h + Sat Oct 10 (a made-up working day) 24h + Mon Oct 12 10h
    assert quality.add_hours(dt.datetime(2026, 10, 9, 10, 0), 48, True) == \
        dt.datetime(2026, 10, 12, 10, 0)
    cfg = QualitySettings(working_days_only=True)
    assert quality.next_followup_slot(dt.datetime(2026, 9, 30, 18, 0), cfg) == \
        dt.datetime(2026, 10, 8, 8, 30)
    assert quality.next_followup_slot(dt.datetime(2026, 10, 10, 9, 0), cfg) == \
        dt.datetime(2026, 10, 10, 9, 0)


def test_a_year_not_yet_packaged_uses_the_halls_list():
    from counterdesk import workdays

    assert workdays.official_until() >= 2026
    thu = dt.datetime(2026, 12, 31, 10, 0)  # 2027's notice is not in the library yet
    if workdays.official_until() < 2027:
        # Mon-Fri only: Thu 14h, Fri Jan 1 24h (not known as a holiday), Mon Jan 4 10h
        assert quality.add_hours(thu, 48, True) == dt.datetime(2027, 1, 4, 10, 0)
    cal = workdays.calendar("2027-01-01..2027-01-03", "2027-01-09")
    # Thu 14h, Jan 1-3 off, Mon Jan 4 24h, Tue 10h
    assert quality.add_hours(thu, 48, True, cal) == dt.datetime(2027, 1, 5, 10, 0)
    assert cal.is_working_day(dt.date(2027, 1, 9))  # a Saturday the hall listed as worked
    cfg = QualitySettings(working_days_only=True, extra_holidays="2027-01-01..2027-01-03")
    assert quality.reply_deadline("complaint", thu, cfg) == dt.datetime(2027, 1, 5, 10, 0)


@pytest.mark.parametrize("text", ["2027-13-01", "2027-01-05..2027-01-01", "tomorrow",
                                  "2027-01-01..2028-06-01"])
def test_bad_holiday_lists_are_refused_with_the_setting_named(text):
    from counterdesk import settings as settings_mod
    from counterdesk.errors import SettingsError

    with pytest.raises(SettingsError) as e:
        settings_mod.from_dict({"quality": {"extra_holidays": text}})
    assert e.value.field == "quality.extra_holidays" and "2027-01-01" in e.value.zh


def test_followup_hours_and_slots():
    cfg = QualitySettings()
    assert quality.followup_allowed(dt.datetime(2026, 11, 23, 8, 30), cfg)
    assert quality.followup_allowed(dt.datetime(2026, 11, 23, 17, 0), cfg)
    assert not quality.followup_allowed(dt.datetime(2026, 11, 23, 8, 29), cfg)
    assert not quality.followup_allowed(dt.datetime(2026, 11, 23, 17, 1), cfg)
    assert quality.next_followup_slot(dt.datetime(2026, 11, 23, 7, 0), cfg) == \
        dt.datetime(2026, 11, 23, 8, 30)
    assert quality.next_followup_slot(dt.datetime(2026, 11, 20, 18, 0), cfg) == \
        dt.datetime(2026, 11, 21, 8, 30)
    cfg.working_days_only = True
    assert quality.next_followup_slot(dt.datetime(2026, 11, 20, 18, 0), cfg) == \
        dt.datetime(2026, 11, 23, 8, 30)
    # a reply given in the evening is followed up before 10:00 the next day (002)
    assert quality.followup_due(dt.datetime(2026, 11, 23, 19, 0), cfg) == \
        dt.datetime(2026, 11, 24, 10, 0)
    assert quality.followup_due(dt.datetime(2026, 11, 23, 11, 0), cfg) == \
        dt.datetime(2026, 11, 23, 17, 0)


# -- complaints ----------------------------------------------------------------------------
def test_record_sets_owner_deadline_and_masks_phone(qdb, qclerk):
    clock.set_now(MON)
    v = _add(qdb, qclerk, account_no="")
    assert v.number.startswith("TS2026") and v.owner_staff_no == "1001"
    assert v.due_at == "2026-11-25T10:00:00" and v.state == "pending"
    assert v.contact_phone == "139****5678"
    assert "13912345678" not in str(v.to_dict())
    assert [s.kind for s in v.steps] == ["recorded"]
    e = quality.record_complaint(qdb, qclerk, kind="咨询", contact_phone="0571-88881234",
                                 description="咨询报装需要的材料")
    assert e.kind == "enquiry" and e.number.startswith("ZX")
    assert e.due_at == "2026-11-24T10:00:00"  # enquiry_deadline_hours = 24


def test_deadline_across_weekend_with_working_days(qdb, qclerk):
    clock.set_now(FRI)
    cfg = QualitySettings(working_days_only=True)
    v = _add(qdb, qclerk, config=cfg)
    assert v.due_at == "2026-11-24T15:00:00"
    # Monday 09:00: 30 hours left by the clock, still pending
    clock.set_now(dt.datetime(2026, 11, 23, 9, 0))
    assert quality.get_complaint(qdb, qclerk, v.number, config=cfg).state == "pending"
    clock.set_now(dt.datetime(2026, 11, 24, 12, 0))
    assert quality.get_complaint(qdb, qclerk, v.number, config=cfg).state == "due_soon"
    clock.set_now(dt.datetime(2026, 11, 24, 15, 1))
    over = quality.overdue(qdb, staff.sign_in(qdb, "9001", "888888"), config=cfg)
    assert v.number in [o.number for o in over]


def test_deadline_across_midnight(qdb, qclerk):
    clock.set_now(dt.datetime(2026, 11, 23, 22, 30))
    cfg = QualitySettings(enquiry_deadline_hours=3)
    v = quality.record_complaint(qdb, qclerk, kind="help", contact_phone="13800001111",
                                 description="家里燃气表异常求助", config=cfg)
    assert v.due_at == "2026-11-24T01:30:00"
    clock.set_now(dt.datetime(2026, 11, 24, 1, 31))
    assert quality.get_complaint(qdb, qclerk, v.number, config=cfg).state == "overdue"


def test_bad_input_changes_nothing(qdb, qclerk):
    clock.set_now(MON)
    before = _counts(qdb)
    with pytest.raises(ValidationError) as e:
        _add(qdb, qclerk, contact_phone="")
    assert "联系电话" in e.value.zh and e.value.field == "contact_phone"
    with pytest.raises(ValidationError) as e:
        _add(qdb, qclerk, description="   ")
    assert "描述" in e.value.zh and e.value.field == "description"
    with pytest.raises(ValidationError):
        _add(qdb, qclerk, contact_phone="12ab")
    with pytest.raises(ValidationError):
        _add(qdb, qclerk, kind="praise")
    with pytest.raises(NotFound):
        _add(qdb, qclerk, account_no="NO-SUCH")
    assert _counts(qdb) == before


def test_ownership_and_hand_over(qdb, qclerk):
    clock.set_now(MON)
    v = _add(qdb, qclerk)
    other = staff.sign_in(qdb, "1002", "123456", window=2)
    before = _counts(qdb)
    with pytest.raises(PermissionDenied) as e:
        quality.reply(qdb, other, v.number, "已处理")
    assert "首问负责制" in e.value.zh and "1001" in e.value.zh
    with pytest.raises(PermissionDenied):
        quality.hand_over(qdb, other, v.number, "1002", "我来接手")
    with pytest.raises(ValidationError):
        quality.hand_over(qdb, qclerk, v.number, "1002", "")   # a record is required
    with pytest.raises(NotFound):
        quality.hand_over(qdb, qclerk, v.number, "7777", "交给不存在的人")
    assert _counts(qdb) == before
    clock.set_now(MON + dt.timedelta(hours=1))
    h = quality.hand_over(qdb, qclerk, v.number, "1002", "下午轮休，交陈静跟进")
    assert h.owner_staff_no == "1002" and h.owner_name == "陈静"
    step = h.steps[-1]
    assert step.kind == "handed_over" and step.staff_no == "1001" and step.to_staff_no == "1002"
    assert step.at == "2026-11-23T11:00:00" and "1001 → 1002" in step.note
    with pytest.raises(PermissionDenied):
        quality.forward(qdb, qclerk, v.number, "维修部")      # no longer the owner
    assert v.number in [x.number for x in quality.list_complaints(qdb, other)]
    assert v.number not in [x.number for x in quality.list_complaints(qdb, qclerk)]
    f = quality.forward(qdb, other, v.number, "维修部", "请安排上门")
    assert f.status == "forwarded" and f.department == "维修部"
    # a manager may act on any item
    mgr = staff.sign_in(qdb, "9001", "888888")
    c = quality.contact(qdb, mgr, v.number, "已电话告知客户处理进度")
    assert [s.kind for s in c.steps] == ["recorded", "handed_over", "forwarded", "contacted"]
    assert [s.staff_no for s in c.steps] == ["1001", "1001", "1002", "9001"]


def test_reply_follow_up_close_and_reopen(qdb, qclerk):
    clock.set_now(MON)
    v = _add(qdb, qclerk)
    clock.set_now(MON + dt.timedelta(hours=20))
    r = quality.reply(qdb, qclerk, v.number, "已核实，向客户致歉并说明改进措施")
    assert r.status == "replied" and r.on_time is True and r.state == "awaiting_followup"
    rem = quality.followup_reminders(qdb, qclerk)
    rem = [x for x in rem if x.number == v.number]
    assert len(rem) == 1 and rem[0].contact_phone == "139****5678"
    assert rem[0].followup_by == "2026-11-24T17:00:00"  # replied 06:00: follow up that day
    # unsatisfied follow-up reopens with a new deadline
    clock.set_now(dt.datetime(2026, 11, 24, 9, 0))
    mgr = staff.sign_in(qdb, "9001", "888888")
    with pytest.raises(ValidationError):
        quality.follow_up(qdb, mgr, v.number, "unsatisfied")  # reason required
    o = quality.follow_up(qdb, mgr, v.number, "不满意", note="客户认为改进措施不具体")
    assert o.status == "open" and o.reopen_count == 1 and o.verdict == "unsatisfied"
    assert o.due_at == "2026-11-26T09:00:00" and o.replied_at is None
    assert o.owner_staff_no == "1001"  # ownership unchanged
    assert [s.kind for s in o.steps][-2:] == ["followed_up", "reopened"]
    assert o.first_replied_at is not None and o.on_time is True
    with pytest.raises(Conflict):   # not replied again yet
        quality.close(qdb, mgr, v.number, "satisfied")
    quality.reply(qdb, qclerk, v.number, "补充了具体改进措施和时间表")
    clock.set_now(dt.datetime(2026, 11, 24, 16, 0))
    c = quality.close(qdb, mgr, v.number, "satisfied", method="visit")
    assert c.status == "closed" and c.closed_at == "2026-11-24T16:00:00"
    assert [s.kind for s in c.steps][-2:] == ["followed_up", "closed"]
    with qdb.read() as s:
        cid = s.execute(select(Complaint.id).where(Complaint.number == v.number)).scalar()
        fus = s.execute(select(FollowUp).where(FollowUp.complaint_id == cid)
                        .order_by(FollowUp.id)).scalars().all()
        assert [(f.verdict, f.staff_no) for f in fus] == [("unsatisfied", "9001"),
                                                           ("satisfied", "9001")]
        kinds = [e.kind for e in s.execute(select(AuditEvent).where(
            AuditEvent.kind.like("quality.%")).order_by(AuditEvent.seq)).scalars()]
    assert kinds.count("quality.complaint_followed_up") == 2
    # a closed complaint takes no reply, nothing changes
    before = _counts(qdb)
    with pytest.raises(Conflict) as e:
        quality.reply(qdb, qclerk, v.number, "再答复一次")
    assert "已经回访关闭" in e.value.zh
    with pytest.raises(Conflict):
        quality.follow_up(qdb, mgr, v.number, "satisfied")
    assert _counts(qdb) == before
    assert v.number not in [x.number for x in quality.list_complaints(qdb, qclerk)]


@pytest.mark.parametrize("at", [dt.datetime(2026, 11, 24, 8, 0), dt.datetime(2026, 11, 24, 17, 5),
                                dt.datetime(2026, 11, 24, 21, 0)])
def test_follow_up_outside_hours_refused(qdb, qclerk, at):
    clock.set_now(MON)
    v = _add(qdb, qclerk)
    quality.reply(qdb, qclerk, v.number, "已答复")
    clock.set_now(at)
    before = _counts(qdb)
    with pytest.raises(ValidationError) as e:
        quality.follow_up(qdb, qclerk, v.number, "satisfied")
    assert "08:30–17:00" in e.value.zh and e.value.field == "time"
    assert _counts(qdb) == before
    assert quality.get_complaint(qdb, qclerk, v.number).status == "replied"


def test_follow_up_hours_from_settings(qdb, qclerk):
    clock.set_now(MON)
    v = _add(qdb, qclerk)
    quality.reply(qdb, qclerk, v.number, "已答复")
    cfg = QualitySettings(followup_start="09:00", followup_end="12:00")
    clock.set_now(dt.datetime(2026, 11, 23, 12, 30))
    with pytest.raises(ValidationError):
        quality.follow_up(qdb, qclerk, v.number, "satisfied", config=cfg)
    clock.set_now(dt.datetime(2026, 11, 23, 11, 30))
    assert quality.follow_up(qdb, qclerk, v.number, "satisfied", config=cfg).status == "closed"


def test_manager_scope_and_reveal(qdb, qclerk):
    clock.set_now(MON)
    v = _add(qdb, qclerk)
    with pytest.raises(PermissionDenied):
        quality.list_complaints(qdb, qclerk, scope="all")
    with pytest.raises(PermissionDenied):
        quality.reveal_phone(qdb, qclerk, v.number)
    mgr = staff.sign_in(qdb, "9001", "888888")
    assert quality.reveal_phone(qdb, mgr, v.number) == "13912345678"
    assert v.number in [x.number for x in quality.list_complaints(qdb, mgr, scope="all")]


# -- ratings --------------------------------------------------------------------------------
TICKET = {"id": 41, "number": "A012", "service_letter": "A", "service_name": "缴费",
          "window": 1, "staff_no": "1001"}


def test_rating_only_from_the_customer_screen(qdb, qclerk):
    clock.set_now(MON)
    before = _counts(qdb)
    with pytest.raises(PermissionDenied) as e:
        quality.record_rating(qdb, qclerk, TICKET, "very_satisfied")  # the workstation path
    assert "柜员不能代客户评价" in e.value.zh
    forged = quality.CustomerScreenSource(1, "HQ01", 1, _token="guess")
    with pytest.raises(PermissionDenied):
        quality.record_rating(qdb, forged, TICKET, "very_satisfied")
    with pytest.raises(PermissionDenied):
        quality.record_rating(qdb, None, TICKET, "satisfied")
    assert _counts(qdb) == before
    src = quality.open_customer_screen(qdb, "HQ01", 1, staff_no="1001")
    r = quality.record_rating(qdb, src, TICKET, "满意")
    assert (r.value, r.staff_no, r.staff_name, r.window, r.source) == \
        ("satisfied", "1001", "李晓华", 1, "customer_screen")
    with pytest.raises(Conflict):
        quality.record_rating(qdb, src, TICKET, "unsatisfied")   # one per ticket
    n = quality.record_rating(qdb, src, {"number": "B003", "window": 1}, "none")
    assert n.value == "none" and n.service_letter == "B" and n.staff_no == "1001"
    with pytest.raises(ValidationError):
        quality.record_rating(qdb, src, {"number": "A013"}, "great")
    assert [x.value for x in quality.list_ratings(qdb, qclerk, date_from=MON.date())] == \
        ["satisfied", "none"]


def test_report_and_demo(qdb):
    clock.set_now(MON)
    mgr = staff.sign_in(qdb, "9001", "888888")
    # seed_demo is idempotent: a second call adds nothing
    assert quality.seed_demo(qdb, "HQ01") == {"complaints": 0, "ratings": 0}
    rep = quality.report(qdb, mgr, date_from=dt.date(2020, 1, 1),
                         date_to=dt.date(2030, 12, 31))
    sat = rep["satisfaction"]
    assert sat["total"]["asked"] == 7 * 6 * 5
    assert {r["key"] for r in sat["by_clerk"]} == {f"100{i}" for i in range(1, 7)}
    assert {r["key"] for r in sat["by_service"]} == {"A", "B", "C", "D"}
    assert 0 < sat["total"]["satisfaction_rate"] <= 1
    assert rep["complaints"]["total"] == 5
    text = str(rep)
    for phone in ("13900001111", "13900002222", "0571-88880001"):
        assert phone not in text
    qclerk = staff.sign_in(qdb, "1001", "123456", window=1)
    with pytest.raises(PermissionDenied):
        quality.report(qdb, qclerk)


def test_report_on_time_rate_and_overdue(qdb, qclerk):
    clock.set_now(MON)
    a = _add(qdb, qclerk, category="服务态度")
    b = _add(qdb, qclerk, category="服务态度")
    c = _add(qdb, qclerk, category="收费争议")
    clock.set_now(MON + dt.timedelta(hours=10))
    quality.reply(qdb, qclerk, a.number, "已答复")
    clock.set_now(MON + dt.timedelta(hours=50))
    quality.reply(qdb, qclerk, b.number, "迟了的答复")
    mgr = staff.sign_in(qdb, "9001", "888888")
    rep = quality.report(qdb, mgr, date_from=MON.date(), date_to=MON.date())
    cats = {d["category"]: d["total"] for d in rep["complaints"]["by_category"]}
    assert cats["服务态度"] == 2 and cats["收费争议"] == 1
    assert rep["complaints"]["decided"] == 3 and rep["complaints"]["on_time"] == 1
    assert rep["complaints"]["on_time_rate"] == pytest.approx(1 / 3, abs=1e-4)
    overdue = [o["number"] for o in rep["overdue"] if o["number"] in (a.number, b.number,
                                                                       c.number)]
    assert overdue == [c.number]
    mine = [o for o in rep["overdue"] if o["number"] == c.number][0]
    assert mine["contact_name"] == "张*生" and mine["contact_phone"] == "139****5678"


def test_demo_seed_is_deterministic(tmp_path):
    from counterdesk import setup
    from counterdesk.db import Database
    from counterdesk.models import Base

    results = []
    for i in range(2):
        clock.set_now(MON)
        db = Database("sqlite:///" + (tmp_path / f"d{i}.sqlite3").as_posix())
        Base.metadata.create_all(db.engine)
        from counterdesk import schema
        schema.stamp(db)
        setup.mark_database(db)
        setup.demo(db)
        with db.read() as s:
            results.append([(r.ticket_key, r.value, r.staff_no) for r in
                            s.execute(select(Rating).order_by(Rating.ticket_key)).scalars()])
        mgr = staff.sign_in(db, "9001", "888888")
        states = sorted((v.number, v.state) for v in
                        quality.list_complaints(db, mgr, scope="all", include_closed=True))
        results[-1].append(states)
        db.dispose()
    assert results[0] == results[1]
    assert {s for _, s in results[0][-1]} >= {"overdue", "awaiting_followup", "closed"}


# -- paper, command line, benchmark ------------------------------------------------------------
def test_report_pdf_and_csv_read_back(qdb, tmp_path):
    from pypdf import PdfReader

    from counterdesk.print import quality_report

    clock.set_now(MON)
    mgr = staff.sign_in(qdb, "9001", "888888")
    rep = quality.report(qdb, mgr, date_from=dt.date(2026, 11, 1), date_to=MON.date())
    pdf = quality_report.write_pdf(rep, tmp_path / "q.pdf")
    reader = PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    for needle in ("服务质量报表", "满意度", "按柜员", "1001", "超期未答复清单", "签字"):
        assert needle in text, needle
    assert "13900001111" not in text and "139****1111" in text
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                fonts.add(str(f["/BaseFont"]))
    assert any("WenQuanYi" in f for f in fonts)   # the CJK font is embedded
    csv_path = quality_report.write_csv(rep, tmp_path / "q.csv")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                 # BOM for Excel
    body = raw.decode("utf-8-sig")
    assert "[满意度·按窗口]" in body and "139****2222" in body and "13900002222" not in body
    assert "刘*生" in body and "刘先生" not in body


def test_cli_complaint_cycle(qdb, capsys, monkeypatch, tmp_path):
    import json

    from counterdesk.cli import main

    if not qdb.is_sqlite:
        pytest.skip("the command line is exercised once, on the SQLite file")
    url = qdb.url
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")

    def run(*args):
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("--json", "complaint", "add", "--staff", "1001", "--window", "1",
                         "--phone", "13712345678", "--name", "周女士", "--category", "服务态度",
                         "-d", "柜员解释不耐心")
    assert code == 0, err
    data = json.loads(out)
    number = data["number"]
    assert data["contact_phone"] == "137****5678" and data["owner_staff_no"] == "1001"
    code, out, err = run("complaint", "add", "--staff", "1001", "--phone", "", "-d", "没有电话")
    assert code != 0 and "联系电话" in err and err.count("\n") == 1
    code, out, err = run("complaint", "forward", number, "--staff", "1001",
                         "--department", "客服调度中心")
    assert code == 0 and "已转交" in out
    code, out, err = run("complaint", "reply", number, "--staff", "1002", "--text", "代答")
    assert code != 0 and "首问负责制" in err
    code, out, err = run("complaint", "reply", number, "--staff", "1001", "--text",
                         "已致歉并加强培训")
    assert code == 0 and "待回访" in out
    clock.set_now(dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(20, 0)))
    code, out, err = run("complaint", "close", number, "--staff", "1001", "--verdict", "满意")
    assert code != 0 and "08:30–17:00" in err
    clock.set_now(dt.datetime.combine(clock.today(), dt.time(9, 0)))
    code, out, err = run("complaint", "close", number, "--staff", "1001", "--verdict", "满意")
    assert code == 0 and "已关闭" in out
    code, out, err = run("complaint", "reply", number, "--staff", "1001", "--text", "again")
    assert code != 0 and "已经回访关闭" in err
    code, out, err = run("complaint", "show", number, "--staff", "1001")
    assert code == 0 and "转交部门" in out and "13712345678" not in out
    code, out, _ = run("--json", "complaint", "list", "--staff", "1001")
    assert number not in out
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, _ = run("--json", "complaint", "list", "--staff", "9001", "--all", "--overdue")
    assert code == 0 and all(d["state"] == "overdue" for d in json.loads(out))
    code, out, _ = run("complaint", "list", "--staff", "9001", "--all", "--followups")
    assert code == 0
    code, out, err = run("complaint", "report", "--staff", "9001", "--from", "2026-01-01",
                         "--pdf", str(tmp_path / "r.pdf"), "--csv", str(tmp_path / "r.csv"))
    assert code == 0, err
    assert (tmp_path / "r.pdf").exists() and "满意率" in out
    code, out, _ = run("--json", "rating", "list", "--staff", "9001", "--from", "2026-01-01")
    assert code == 0 and len(json.loads(out)) == 210
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    code, out, err = run("complaint", "report", "--staff", "1001")
    assert code != 0


def test_bench_runs_at_a_tiny_size(capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_quality.py"
    spec = importlib.util.spec_from_file_location("bench_quality", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["5", "--pg", ""]) == 0
    out = capsys.readouterr().out
    assert "report(all time)" in out and "×" in out
