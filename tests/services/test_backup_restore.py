"""Backups sealed with the hall key; restore all or nothing (issues 16.4, 23) on both engines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from counterdesk import backup, sequence
from counterdesk.backup import hallkey
from counterdesk.errors import Conflict, SchemaError, ValidationError

HALL = "HQ01"


def _state(db) -> tuple:
    with db.read() as s:
        return (s.execute(text("SELECT count(*) FROM window_services")).scalar(),
                s.execute(text("SELECT count(*) FROM audit_events")).scalar(),
                s.execute(text("SELECT value FROM meta WHERE key='test-marker'")).scalar())


def _mark(db, value: str) -> None:
    with db.write() as s:
        s.execute(text("DELETE FROM meta WHERE key='test-marker'"))
        s.execute(text("INSERT INTO meta (key, value) VALUES ('test-marker', :v)"), {"v": value})


def _backups(home: Path) -> list[Path]:
    return sorted(home.rglob("*.cdbak"))


def test_round_trip_sealed_no_personal_data_in_clear(demo_db, tmp_path):
    with demo_db.read() as s:
        name, idno = s.execute(text("SELECT name, id_number FROM holders "
                                    "WHERE id_number <> '' ORDER BY id")).first()
    _mark(demo_db, "before")
    made = backup.backup(demo_db, directory=tmp_path / "bk", hall_code=HALL, keep_days=90)
    assert made.parent == tmp_path / "bk" / HALL / "manual" and made.suffix == ".cdbak"
    assert (made.parent / "说明.txt").read_text(encoding="utf-8-sig").count("90 天")
    raw = made.read_bytes()
    for secret in (idno, name, idno[-6:]):
        for enc in ("utf-8", "utf-16-le"):
            assert secret.encode(enc) not in raw
    _mark(demo_db, "after")
    res = backup.restore(demo_db, made, hall_code=HALL, staff_no="admin",
                         backup_dir=tmp_path / "bk")
    assert _state(demo_db)[2] == "before" and res.encrypted
    assert Path(res.previous).exists() and "pre-restore" in Path(res.previous).parts
    with demo_db.read() as s:
        assert s.execute(text("SELECT count(*) FROM audit_events WHERE kind='backup.restored'"
                              )).scalar() == 1
    # the kept copy of the database before the restore is itself sealed and restorable
    backup.restore(demo_db, res.previous, hall_code=HALL, backup_dir=tmp_path / "bk")
    assert _state(demo_db)[2] == "after"


@pytest.mark.parametrize("damage", ["truncated", "tampered", "wrong_key", "newer_schema",
                                    "unencrypted"])
def test_bad_backup_changes_nothing(demo_db, tmp_path, damage):
    if damage == "newer_schema":
        with demo_db.write() as s:
            real = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
            s.execute(text("UPDATE alembic_version SET version_num='9999'"))
    made = backup.backup(demo_db, tmp_path / "b.cdbak", hall_code=HALL,
                         encrypt=damage != "unencrypted")
    if damage == "newer_schema":
        with demo_db.write() as s:
            s.execute(text("UPDATE alembic_version SET version_num=:r"), {"r": real})
    raw = made.read_bytes()
    if damage == "truncated":
        made.write_bytes(raw[:int(len(raw) * 0.6)])
    elif damage == "tampered":
        middle = len(raw) // 2
        made.write_bytes(raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1:])
    elif damage == "wrong_key":
        hallkey.install(HALL, hallkey.recovery_text(os.urandom(32)), replace=True)
    _mark(demo_db, "live")
    before = _state(demo_db)
    err = SchemaError if damage == "newer_schema" else ValidationError
    with pytest.raises(err) as e:
        backup.restore(demo_db, made, hall_code=HALL, backup_dir=tmp_path / "bk")
    assert "未做任何改动" in e.value.zh
    assert _state(demo_db) == before
    assert not _backups(tmp_path / "bk")  # refused before the pre-restore copy


def test_paths_with_hash_percent_and_unc_like(demo_db, tmp_path):
    folder = tmp_path / "备份 #1 %20 50%"
    folder.mkdir()
    made = backup.backup(demo_db, folder / "a#b%41.cdbak", hall_code=HALL)
    _mark(demo_db, "x")
    unc_like = Path("//" + str(made).lstrip("/")) if os.name != "nt" else made
    backup.restore(demo_db, unc_like, hall_code=HALL, backup_dir=tmp_path / "bk")
    assert _state(demo_db)[2] is None
    with pytest.raises(ValidationError) as e:
        backup.backup(demo_db, tmp_path / "missing" / "x.cdbak", hall_code=HALL)
    assert e.value.field == "file"


def test_restore_never_reissues_a_receipt_number(demo_db, tmp_path):
    with demo_db.read() as s:
        hid = s.execute(text("SELECT id FROM halls WHERE code=:c"), {"c": HALL}).scalar()
    with demo_db.write() as s:
        sequence.next_value(s, hid, "receipt:2026")
    made = backup.backup(demo_db, tmp_path / "b.cdbak", hall_code=HALL)
    with demo_db.write() as s:
        for _ in range(4):  # receipts 2..5 handed to customers after the backup
            sequence.next_value(s, hid, "receipt:2026")
    res = backup.restore(demo_db, made, hall_code=HALL, backup_dir=tmp_path / "bk",
                         last_receipt="2026-000007")  # on paper: even one more than the DB
    assert res.skipped == [{"year": 2026, "first": "2026-000002", "last": "2026-000007",
                            "count": 6}]
    with demo_db.write() as s:
        assert sequence.next_value(s, hid, "receipt:2026") == 8
    import datetime as dt

    from counterdesk.cash import dayreport
    with demo_db.read() as s:
        lost = dayreport._restore_skips(s, hid, dt.date.today() + dt.timedelta(days=1))
    assert [(x["first"], x["last"]) for x in lost] == [("2026-000002", "2026-000007")]


def test_restore_into_an_empty_database_needs_the_last_receipt(tmp_path, _templates):
    from counterdesk.db import Database

    demo, _ = _templates.clone("sqlite", "demo", tmp_path)
    made = backup.backup(demo, tmp_path / "b.cdbak", hall_code=HALL)
    fresh = Database("sqlite:///" + (tmp_path / "fresh" / "new.sqlite3").as_posix())
    with pytest.raises(ValidationError) as e:
        backup.restore(fresh, made, hall_code=HALL)
    assert e.value.field == "last_receipt"
    backup.restore(fresh, made, hall_code=HALL, last_receipt="0")
    assert _state(fresh)[0] == _state(demo)[0]
    fresh.dispose()
    demo.dispose()


def test_postgres_refuses_while_another_pc_is_connected(demo_db, tmp_path):
    if not demo_db.is_postgres:
        pytest.skip("other PCs share only a PostgreSQL database")
    made = backup.backup(demo_db, tmp_path / "b.cdbak", hall_code=HALL)
    _mark(demo_db, "live")
    other = create_engine(demo_db.url, poolclass=NullPool)
    try:
        with other.connect() as c:
            c.execute(text("SELECT 1"))
            with pytest.raises(Conflict):
                backup.restore(demo_db, made, hall_code=HALL, backup_dir=tmp_path / "bk")
    finally:
        other.dispose()
    assert _state(demo_db)[2] == "live" and not _backups(tmp_path / "bk")


def test_retention_keeps_the_newest(tmp_path):
    import datetime as dt

    from counterdesk import clock
    from counterdesk.backup import files

    clock.set_now(lambda: dt.datetime(2026, 12, 3, 9, 0))
    where = tmp_path / "HQ01" / "dayclose"
    where.mkdir(parents=True)
    for days in (1, 50, 100, 200, 300):
        stamp = (dt.datetime(2026, 12, 3) - dt.timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
        (where / f"counterdesk-HQ01-dayclose-{stamp}.cdbak").write_bytes(b"x")
    gone = files.prune(where, keep_days=90, keep_min=1)
    assert len(gone) == 3 and len(list(where.glob("*.cdbak"))) == 2
