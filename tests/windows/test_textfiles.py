"""Issue 17.6: files saved by Notepad/Excel on a Chinese PC are read; CSV has no blank lines."""

from __future__ import annotations

import pytest

from counterdesk import settings, textfiles
from counterdesk.cli import main
from counterdesk.errors import SettingsError, ValidationError
from tests.helpers.billing_helpers import DAY

TOML = '[hall]\ncode = "HQ02"\n\n[printer]\nuri = "win32:收银打印机"\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_settings_saved_by_notepad(tmp_path, encoding):
    path = tmp_path / "counterdesk.toml"
    path.write_bytes(TOML.encode(encoding))
    s = settings.load(path)
    assert s.hall.code == "HQ02" and s.printer.uri == "win32:收银打印机"


def test_unreadable_encoding_names_the_file(tmp_path):
    path = tmp_path / "counterdesk.toml"
    path.write_bytes(b'[hall]\ncode = "\x81\x20"\n')  # neither UTF-8 nor GB18030
    with pytest.raises(SettingsError) as exc:
        settings.load(path)
    assert "counterdesk.toml" in exc.value.zh and "GBK" in exc.value.zh
    with pytest.raises(ValidationError):
        textfiles.decode(b"\x81\x20", name="x.csv")


def test_csv_written_with_own_line_ends(tmp_path):
    path = textfiles.write_text(tmp_path / "sub" / "a.csv", "甲,乙\r\n1,2\r\n")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\r\n" not in data
    assert data.count(b"\r\n") == 2


def test_prices_import_accepts_excel_gbk(capsys, tmp_path, monkeypatch):
    from counterdesk import clock

    clock.set_now(DAY)
    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    exported = tmp_path / "prices.csv"
    assert main(["--db", url, "prices", "export", str(exported)]) == 0
    raw = exported.read_bytes()
    assert b"\r\r\n" not in raw
    text = raw.decode("utf-8-sig")
    gbk = tmp_path / "prices-gbk.csv"
    gbk.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    capsys.readouterr()
    code = main(["--db", url, "--json", "prices", "import", str(gbk), "--staff", "9001",
                 "--reason", "Excel"])
    out, err = capsys.readouterr()
    assert code == 0, err
    import json

    counts = json.loads(out)  # the Chinese names read right: nothing differs from the database
    assert counts["change"] == 0 and counts["add"] == 0 and counts["unchanged"] > 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_phrases_import_saved_by_notepad(capsys, tmp_path, monkeypatch, encoding):
    import json

    url = "sqlite:///" + (tmp_path / "p.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    f = tmp_path / "p.toml"
    assert main(["--db", url, "phrases", "export", str(f)]) == 0
    text = f.read_text(encoding="utf-8").replace('"您好"', '"您好，请坐"', 1)
    f.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    capsys.readouterr()
    assert main(["--db", url, "--json", "phrases", "import", str(f), "--staff", "9001"]) == 0
    assert json.loads(capsys.readouterr().out)["set"] == 1
