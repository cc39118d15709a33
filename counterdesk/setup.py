"""Creating a hall's database (``init``) and the demo hall (``demo``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from . import __version__, audit, backup, clock, resources_access, schema, staff
from .db import Database
from .errors import Conflict
from .models import Hall, Meta, ServiceType, Staff, Window, WindowService

log = logging.getLogger(__name__)


def _demo_seeds() -> tuple:
    """(name, seed_demo(db, hall_code) -> dict) of every capability with demo data, in order."""
    from . import accounts, billing, phrases, quality
    from .demo import cards as cards_demo
    from .orders import demo as orders_demo

    return (("phrases", phrases.seed_demo), ("billing", billing.seed_demo),
            ("cards", cards_demo.seed_demo), ("accounts", accounts.seed_demo),
            ("quality", quality.seed_demo), ("orders", orders_demo.seed_demo))


def mark_database(db: Database) -> None:
    with db.write() as s:
        for key, value in ((backup.MARKER_KEY, backup.MARKER_VALUE),
                           ("created_by_version", __version__)):
            if s.get(Meta, key) is None:
                s.add(Meta(key=key, value=value))


def create_hall(db: Database, data: dict) -> int:
    """Create the hall, its service types and windows from a dict (the demo TOML shape)."""
    h = data["hall"]
    with db.write() as s:
        if s.execute(select(Hall).where(Hall.code == h["code"])).scalar():
            raise Conflict(f"营业厅 {h['code']} 已存在", f"Hall {h['code']} already exists")
        hall = Hall(code=h["code"], name=h["name"], company_name=data["company"]["name"],
                    company_short=data["company"].get("short", ""),
                    address=h.get("address", ""), hotline=h.get("hotline", ""),
                    opening_time=h.get("opening_time", "08:30"),
                    closing_time=h.get("closing_time", "17:30"))
        s.add(hall)
        s.flush()
        types = {}
        for svc in data.get("service", []):
            st = ServiceType(hall_id=hall.id, letter=svc["letter"], name=svc["name"],
                             name_en=svc.get("name_en", ""))
            s.add(st)
            types[svc["letter"]] = st
        s.flush()
        for w in data.get("window", []):
            win = Window(hall_id=hall.id, number=w["number"], name=f"{w['number']}号窗口")
            for pos, letter in enumerate(w.get("services", "")):
                win.services.append(WindowService(service_type_id=types[letter].id,
                                                  position=pos))
            s.add(win)
        audit.record(s, "hall.created", {"code": hall.code, "name": hall.name},
                     hall_code=hall.code)
        return hall.id


@dataclass
class DemoResult:
    created: bool
    hall_code: str
    users: list[dict] = field(default_factory=list)
    extras: dict = field(default_factory=dict)


def init(db: Database) -> str:
    """Create or upgrade the schema and mark the database. Returns the prior state."""
    state = schema.upgrade(db)
    mark_database(db)
    return state


def demo(db: Database) -> DemoResult:
    """Seed the demo hall (idempotent: a second run changes nothing)."""
    init(db)
    data = resources_access.read_toml("demo", "hall.toml")
    code = data["hall"]["code"]
    with db.read() as s:
        exists = s.execute(select(Hall).where(Hall.code == code)).scalar() is not None
    result = DemoResult(created=not exists, hall_code=code)
    result.users = [{"staff_no": u["staff_no"], "name": u["name"], "role": u["role"],
                     "password": u["password"]} for u in data.get("staff", [])]
    if exists:
        return result
    create_hall(db, data)
    for u in data.get("staff", []):
        with db.read() as s:
            if s.execute(select(Staff).where(Staff.staff_no == u["staff_no"])).scalar():
                continue
        staff.add_user(db, u["staff_no"], u["name"], u["role"], u["password"], hall_code=code)
    for name, seed in _demo_seeds():
        result.extras[name] = seed(db, code)
    log.info("demo hall %s seeded at %s", code, clock.now())
    return result


def needs_first_hall(db: Database) -> bool:
    """An empty database: nobody can sign in yet (no staff account at all)."""
    with db.read() as s:
        return s.execute(select(Staff.id).limit(1)).scalar() is None


def first_hall(db: Database, *, name: str, code: str, company: str, windows: int,
               admin_no: str, admin_name: str, password: str) -> int:
    """Issue 18.6: a first run on an empty database creates the hall (name, code, windows
    1…N serving every service of the standard gas-hall template: 缴费, 开户/报装, 过户/更名,
    咨询/投诉) and the first administrator. Refused if any account exists already."""
    from .errors import ValidationError

    name, code, company = (name or "").strip(), (code or "").strip().upper(), \
        (company or "").strip()
    if not name:
        raise ValidationError("请填写营业厅名称", "Enter the hall's name", field="hall_name")
    if not code or not code.isalnum() or len(code) > 16:
        raise ValidationError("营业厅代码应为 1–16 位字母或数字", "The hall code must be 1-16 "
                              "letters or digits", field="hall_code")
    if not 1 <= int(windows) <= 50:
        raise ValidationError("窗口数应为 1 到 50", "Windows: 1 to 50", field="windows")
    staff.validate_password(password)
    if not needs_first_hall(db):
        raise Conflict("数据库中已有员工账号，不能再用首次设置创建营业厅",
                       "Accounts exist already; the first-run set-up is not for this database")
    template = resources_access.read_toml("demo", "hall.toml")
    letters = "".join(svc["letter"] for svc in template["service"])
    init(db)
    with db.read() as s:   # a hall left by an attempt whose administrator was refused
        exists = s.execute(select(Hall.id).where(Hall.code == code)).scalar() is not None
    if not exists:
        create_hall(db, {"company": {"name": company or name},
                         "hall": {"code": code, "name": name},
                         "service": template["service"],
                         "window": [{"number": n, "services": letters}
                                    for n in range(1, int(windows) + 1)]})
    staff.create_first_admin(db, admin_no, admin_name, password, hall_code=code)
    with db.read() as s:
        return s.execute(select(Hall.id).where(Hall.code == code)).scalar_one()
