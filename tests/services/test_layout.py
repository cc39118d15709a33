"""The architecture rules that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

import counterdesk

PKG = Path(counterdesk.__file__).parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_core_never_imports_qt():
    offenders = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] == "ui":
            continue
        for mod in _imports(path):
            if mod.split(".")[0] in QT:
                offenders.append(f"{rel}: {mod}")
    assert offenders == []


def test_ui_holds_no_sql():
    offenders = []
    for path in (PKG / "ui").rglob("*.py"):
        for mod in _imports(path):
            if mod.split(".")[0] == "sqlalchemy":
                offenders.append(f"{path.name}: {mod}")
    assert offenders == []


def test_layout_of_the_design_card():
    root = PKG.parent
    for p in ("counterdesk/ui", "counterdesk/print", "resources", "tests", "pyproject.toml",
              "build.spec", "README.md"):
        assert (root / p).exists(), p


UI_FOLDERS = ("shell", "widgets", "queue", "accounts", "payment", "till", "dayclose",
              "complaints", "prompts", "hall", "policy", "orders", "card")


def test_ui_is_grouped_by_what_is_on_screen():
    """ui/ holds only its folders (docs/development.md, "Layout"); no flat modules."""
    ui = PKG / "ui"
    flat = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    folders = sorted(p.name for p in ui.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert flat == []
    assert folders == sorted(UI_FOLDERS)


def test_ui_modules_are_small():
    """Every ui module about 400 lines at most; 450 is the hard limit."""
    big = [f"{p.relative_to(PKG)}: {n}" for p in (PKG / "ui").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert big == []


def test_static_wiring():
    """Nothing in counterdesk/ is imported by a name computed at run time."""
    offenders = []
    for path in PKG.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import_module(" in text or "__import__(" in text:
            offenders.append(str(path.relative_to(PKG)))
    assert offenders == []


def test_the_main_window_lists_every_panel():
    from counterdesk.ui.shell import mainwindow

    assert [s.key for s in mainwindow.PANELS] == ["queue", "accounts", "payment", "card", "till",
                                                  "complaints", "orders", "prompts"]
    assert all(callable(s.create) for s in mainwindow.PANELS)


def test_version_matches_pyproject():
    import tomllib

    data = tomllib.loads((PKG.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["version"] == counterdesk.__version__


def test_resources_read_through_importlib():
    from counterdesk import resources_access

    assert "hall" in resources_access.read_toml("demo", "hall.toml")


def test_the_sign_in_window_needs_no_sqlalchemy():
    """The workstation shows its sign-in window before SQLAlchemy, the models and the
    schema check are imported (they load while the clerk types): keep it so."""
    import subprocess
    import sys

    code = ("import sys; import counterdesk.cli, counterdesk.cli.context, counterdesk.ui.shell.app, "
            "counterdesk.ui.shell.signin, counterdesk.ui.shell.startup, counterdesk.ui.shell.first_run; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
            "or m in ('counterdesk.db', 'counterdesk.staff', 'counterdesk.models')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
