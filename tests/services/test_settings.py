import pytest

from counterdesk import i18n, settings
from counterdesk.errors import SettingsError


def test_defaults_when_no_file(tmp_path):
    s = settings.load(tmp_path / "missing.toml")
    assert s.window.number == 1
    assert s.database.effective_url().startswith("sqlite:///")
    assert s.database.effective_url().endswith("counterdesk.sqlite3")


def test_round_trip(tmp_path):
    s = settings.Settings()
    s.window.number = 4
    s.printer.uri = "tcp://127.0.0.1:9100"
    s.printer.width = 58
    path = s.save(tmp_path / "c.toml")
    again = settings.load(path)
    assert again.window.number == 4 and again.printer.width == 58
    assert again.printer.uri == "tcp://127.0.0.1:9100"


@pytest.mark.parametrize("text,key", [
    ("[window]\nnumber = 'three'\n", "window.number"),
    ("[printer]\nwidth = 60\n", "printer.width"),
    ("[printer]\nuri = 'lpt1'\n", "printer.uri"),
    ("[window]\nnumbr = 3\n", "window.numbr"),
    ("[colour]\nx = 1\n", "colour"),
    ("[database]\nurl = 'mysql://x'\n", "database.url"),
])
def test_bad_values_name_the_key(tmp_path, text, key):
    f = tmp_path / "c.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as e:
        settings.load(f)
    assert e.value.field == key
    assert key in e.value.message
    i18n.set_language("en")
    assert "expected" in e.value.message or "Unknown" in e.value.message


def test_corrupt_file(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[window\nnumber=", encoding="utf-8")
    with pytest.raises(SettingsError) as e:
        settings.load(f)
    assert "TOML" in e.value.message


def test_a_pc_wide_settings_file_wins_for_every_account(tmp_path):
    from counterdesk import paths

    assert settings.load().window.number == 1          # nothing placed yet: defaults
    machine = paths.machine_settings_file()
    machine.parent.mkdir(parents=True)
    machine.write_text("[window]\nnumber = 5\n", encoding="utf-8")
    assert paths.default_settings_file() == machine
    assert settings.load().window.number == 5


def test_first_run_saves_pc_wide_when_the_installer_made_the_folder():
    """Without the installer's PC-wide folder: this user's file. With it (writable by
    every user): the PC-wide file, so every Windows account of the window PC shares it."""
    from counterdesk import paths

    machine = paths.machine_settings_file()
    assert not machine.parent.exists()
    assert paths.settings_file_to_write() == paths.config_dir() / "counterdesk.toml"
    machine.parent.mkdir(parents=True)
    assert paths.settings_file_to_write() == machine
    s = settings.Settings()
    s.window.number = 7
    s.save(paths.settings_file_to_write())
    assert paths.default_settings_file() == machine and settings.load().window.number == 7


def test_command_line_values_are_used_but_never_saved(tmp_path):
    """Issue 18.17: --db/--printer/--window/--lang are for this run; a view toggle saves
    what the user changed and the file's own values for the rest."""
    import argparse

    from counterdesk.cli.context import Context
    from counterdesk.ui.shell.settings_dialog import toggle_contrast

    path = tmp_path / "settings.toml"
    s = settings.Settings()
    s.printer.uri = "tcp://10.0.0.5:9100"
    s.save(path)
    ctx = Context(argparse.Namespace(config=str(path), db="sqlite:///x.db", verb=None,
                                     printer="file:out.bin", global_window=2))
    ctx.load_settings()
    assert ctx.settings.database.url == "sqlite:///x.db" and ctx.settings.window.number == 2
    toggle_contrast(ctx.settings, True)
    saved = settings.load(path)
    assert saved.ui.high_contrast is True
    assert saved.database.url == "" and saved.printer.uri == "tcp://10.0.0.5:9100"
    assert saved.window.number == s.window.number
    ctx.settings.window.number = 4          # the user chose another window: that is saved
    ctx.settings.save()
    assert settings.load(path).window.number == 4
