"""Compile the Inno Setup installer and check it the way a hall's IT person uses it.

    python tools/check_installer.py            # installs dist/CounterDesk (the built bundle)
    python tools/check_installer.py --stub     # a stand-in bundle: checks the installer alone

On Windows it runs the Inno Setup compiler (``iscc`` on PATH or in Program Files) and the
setup natively; run it as administrator (the install is per machine). On Linux it runs
both under Wine (``apt install wine wine32``) in a throw-away Wine prefix, with the Inno
Setup compiler of the npm package ``innosetup-compiler`` (installed into
the temporary folder on first use).

It prints one line per check and exits 0 only if all passed:

1. ISCC compiles ``installer/counterdesk.iss`` without a warning;
2. a silent install (``/VERYSILENT /SUPPRESSMSGBOXES /NORESTART``) exits 0;
3. the program folder holds exactly the bundle plus the uninstaller: no settings,
   database or log is written there; the PC-wide settings folder (ProgramData) exists,
   empty, for the first-run dialog to save into;
4. the all-users Start menu has the workstation, kiosk (``kiosk``) and display
   (``display``) shortcuts on ``counterdesk.exe`` in the program folder, plus the
   command line, self-test and uninstall entries;
5. "Apps & features" lists CounterDesk with its version;
6. an upgrade over a used installation (data written where the program writes it, a stale
   library in ``_internal``) replaces the libraries and leaves the data alone;
7. a silent uninstall removes the program folder, the shortcuts and the entry, and keeps
   the settings (the user's and the PC-wide file), the database and the backups;
8. with the real bundle on Windows: the installed ``counterdesk-cli.exe self-test`` passes.

Safety (issue 17.10): natively on Windows it installs into the real Program Files and
writes stand-in data into the real ``%LOCALAPPDATA%`` and ``ProgramData``. It therefore
refuses to run on a PC that has a CounterDesk installation or data unless ``CI=true`` (a
throw-away CI machine), and at the end removes everything it wrote (the stand-in data
and the PC-wide folder the installer keeps on uninstall). Under Wine everything happens
in a throw-away prefix.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

ROOT = Path(__file__).resolve().parents[1]
ISS = ROOT / "installer" / "counterdesk.iss"
APP_ID = "{6F1C2B0E-4D7A-4B8E-9C35-2E1A0C7D9B41}_is1"
INNO_NPM = "innosetup-compiler@6.3.1"
ON_WINDOWS = os.name == "nt"
EXPECTED_SHORTCUTS = {
    # shortcut name -> (target file name in {app}, arguments)
    "CounterDesk 柜员工作台": ("counterdesk.exe", ""),
    "CounterDesk 取号机": ("counterdesk.exe", "kiosk"),
    "CounterDesk 叫号屏": ("counterdesk.exe", "display"),
}


class CheckFailed(Exception):
    pass


def version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


@dataclass
class Host:
    """Runs Windows programs: natively, or under Wine in a prefix of its own."""

    work: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    wrapper: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, work: Path) -> Host:
        host = cls(work)
        if ON_WINDOWS:
            return host
        if not shutil.which("wine"):
            raise CheckFailed("Wine is not installed (Debian: apt install wine wine32); the "
                              "installer can only be checked on Windows or under Wine")
        prefix = work / "wineprefix"
        shutil.rmtree(prefix, ignore_errors=True)
        # Wine names files in the Unix character set: UTF-8, for the Chinese shortcut names
        host.env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64",
                        WINEDLLOVERRIDES="mscoree,mshtml=", LC_ALL="C.UTF-8")
        if not host.env.get("DISPLAY"):
            if not shutil.which("xvfb-run"):
                raise CheckFailed("no display: install xvfb (apt install xvfb) so that Wine "
                                  "can run the setup")
            host.wrapper = ["xvfb-run", "-a"]
        host.run(["wineboot", "--init"], check=True, timeout=300)
        return host

    def run(self, argv: list[str], *, check: bool = False, timeout: float = 600,
            windows_program: bool = True) -> subprocess.CompletedProcess:
        if not ON_WINDOWS and windows_program:
            if argv[0] == "wineboot":
                argv = [*self.wrapper, *argv]
            else:
                argv = [*self.wrapper, "wine", *argv]
        proc = subprocess.run(argv, env=self.env, capture_output=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise CheckFailed(f"{argv[-1] if argv else '?'} exited {proc.returncode}: "
                              f"{_text(proc.stdout + proc.stderr)[-800:]}")
        return proc

    def getenv(self, name: str) -> PureWindowsPath:
        if ON_WINDOWS:
            return PureWindowsPath(os.environ[name])
        out = _text(self.run(["cmd", "/c", f"echo %{name}%"], check=True).stdout).strip()
        return PureWindowsPath(out.splitlines()[-1].strip())

    def local(self, path: PureWindowsPath) -> Path:
        """The path on this machine of a Windows path."""
        if ON_WINDOWS:
            return Path(str(path))
        drive = path.drive.rstrip(":").lower()
        base = Path(self.env["WINEPREFIX"]) / f"drive_{drive}"
        return base.joinpath(*path.parts[1:])

    def windows(self, path: Path) -> str:
        """A path on this machine as the Windows programs see it."""
        if ON_WINDOWS:
            return str(path)
        return "Z:" + str(path.resolve()).replace("/", "\\")


def _text(raw: bytes) -> str:
    for enc in ("utf-8", "gbk", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def find_iscc(host: Host) -> list[str]:
    if ON_WINDOWS:
        found = shutil.which("iscc")
        if found:
            return [found]
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
                return [str(Path(base) / "Inno Setup 6" / "ISCC.exe")]
        raise CheckFailed("Inno Setup 6 is not installed (choco install innosetup, or "
                          "https://jrsoftware.org/isdl.php)")
    npm_dir = Path(tempfile.gettempdir()) / "counterdesk-innosetup"
    iscc = npm_dir / "node_modules" / "innosetup-compiler" / "bin" / "ISCC.exe"
    if not iscc.exists():
        if not shutil.which("npm"):
            raise CheckFailed("npm is needed to fetch the Inno Setup compiler "
                              f"({INNO_NPM}) on Linux")
        npm_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(npm_dir), INNO_NPM], check=True)
    return [str(iscc)]


def chinese_messages(iscc: list[str]) -> str:
    """Which languages the setup will have (see [Languages] in the script)."""
    official = Path(iscc[-1]).parent / "Languages" / "ChineseSimplified.isl"
    if official.exists():
        return "Simplified Chinese (Inno Setup's own) and English"
    if (ISS.parent / "ChineseSimplified.isl").exists():
        return "Simplified Chinese (installer/ChineseSimplified.isl) and English"
    return ("English only: this Inno Setup has no ChineseSimplified.isl (official from 6.5; "
            "put the unofficial one next to the script for an older compiler)")


def stub_bundle(dest: Path) -> Path:
    """A stand-in for dist/CounterDesk with the same layout (the installer does not run it)."""
    bundle = dest / "CounterDesk"
    shutil.rmtree(bundle, ignore_errors=True)
    (bundle / "_internal" / "counterdesk" / "resources").mkdir(parents=True)
    for name in ("counterdesk.exe", "counterdesk-cli.exe"):
        (bundle / name).write_bytes(b"MZ stand-in for " + name.encode())
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (bundle / "_internal" / "counterdesk" / "resources" / "README.txt").write_text(
        "stand-in bundle of tools/check_installer.py\n", encoding="utf-8")
    return bundle


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix().lower() for p in root.rglob("*") if p.is_file()}


def existing_installation() -> list[str]:
    """What of a real CounterDesk this Windows PC has (installation, settings, data)."""
    if not ON_WINDOWS:
        return []
    found = []
    for var in ("LOCALAPPDATA", "ProgramData"):
        base = os.environ.get(var)
        if base and (Path(base) / "CounterDesk").exists():
            found.append(str(Path(base) / "CounterDesk"))
    import winreg  # Windows only

    key = rf"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            winreg.CloseKey(winreg.OpenKey(hive, key))
            found.append(f"the Apps & features entry {APP_ID}")
        except OSError:
            pass
    return found


def refuse_on_a_hall_pc() -> str | None:
    """Why this check must not run here, or None (CI=true: a throw-away machine)."""
    if os.environ.get("CI", "").lower() == "true":
        return None
    found = existing_installation()
    if found:
        return ("this PC has a CounterDesk installation or data (" + "; ".join(found) +
                "): the check installs over it and writes stand-in data, which would destroy "
                "a hall's database and settings. Run it on a throw-away machine with CI=true")
    return None


def read_shortcut(path: Path) -> tuple[str, str]:
    """(target path, arguments) of a .lnk file."""
    import LnkParse3

    with open(path, "rb") as f:
        info = LnkParse3.lnk_file(f).get_json()
    data = info.get("data", {})
    link = info.get("link_info", {})
    target = link.get("local_base_path") or link.get("local_base_path_unicode") or ""
    if not target:
        target = data.get("relative_path", "")
    return target, data.get("command_line_arguments", "") or ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stub", action="store_true",
                    help="install a stand-in bundle instead of dist/CounterDesk")
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "CounterDesk")
    # outside the project: the Wine prefix links drive Z: to /, which a tree walk would follow
    ap.add_argument("--work", type=Path,
                    default=Path(tempfile.gettempdir()) / "counterdesk-installer-check")
    args = ap.parse_args(argv)

    steps: list[tuple[str, bool, str]] = []

    def step(name: str, fn):
        try:
            detail = fn() or ""
            steps.append((name, True, detail))
            print(f"ok    {name}: {detail}", flush=True)
            return True
        except (CheckFailed, subprocess.SubprocessError, OSError, AssertionError) as exc:
            steps.append((name, False, str(exc)))
            print(f"FAIL  {name}: {exc}", flush=True)
            return False

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out_dir = work / "out"
    ver = version()
    state: dict = {}

    def prepare():
        refusal = refuse_on_a_hall_pc()
        if refusal:
            raise CheckFailed(refusal)
        state["host"] = Host.make(work)
        state["bundle"] = stub_bundle(work) if args.stub else args.bundle.resolve()
        if not (state["bundle"] / "counterdesk.exe").exists():
            raise CheckFailed(f"no bundle at {state['bundle']} (build it with "
                              "tools/release.py, or use --stub)")
        return f"{'stand-in' if args.stub else 'real'} bundle {state['bundle']}; " + \
            ("Windows" if ON_WINDOWS else f"Wine prefix {state['host'].env['WINEPREFIX']}")

    def compile_():
        host: Host = state["host"]
        iscc = find_iscc(host)
        languages = chinese_messages(iscc)
        shutil.rmtree(out_dir, ignore_errors=True)
        proc = host.run([*iscc, f"/DAppVersion={ver}",
                         f"/DBundleDir={host.windows(state['bundle'])}",
                         f"/DOutDir={host.windows(out_dir)}", host.windows(ISS)])
        text = _text(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            raise CheckFailed(f"ISCC exited {proc.returncode}:\n{text[-1500:]}")
        warnings = [ln for ln in text.splitlines() if ln.lower().startswith("warning")]
        if warnings:
            raise CheckFailed("ISCC warnings:\n" + "\n".join(warnings))
        setup = out_dir / f"CounterDesk-{ver}-setup.exe"
        if not setup.exists():
            raise CheckFailed(f"{setup.name} was not written")
        state["setup"] = setup
        state["chinese"] = languages.startswith("Simplified Chinese")
        return f"{setup.name}, {setup.stat().st_size / 1e6:.1f} MB; {languages}"

    def install(log_name: str):
        host: Host = state["host"]
        log = work / log_name
        # what Setup picks by itself on a Chinese Windows (LanguageDetectionMethod=uilanguage)
        lang = ["/LANG=chinesesimp"] if state["chinese"] else []
        proc = host.run([host.windows(state["setup"]), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                         "/NORESTART", f"/LOG={host.windows(log)}", *lang])
        if proc.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:] \
                if log.exists() else ""
            raise CheckFailed(f"setup exited {proc.returncode}\n{tail}")
        app = host.getenv("ProgramW6432") / "CounterDesk"  # 64-bit Program Files
        state["app"] = app
        state["app_local"] = host.local(app)
        if not (state["app_local"] / "counterdesk.exe").exists():
            raise CheckFailed(f"counterdesk.exe is not in {app}")
        return f"installed into {app}"

    def program_folder():
        installed = files_under(state["app_local"])
        bundle = files_under(state["bundle"])
        missing = bundle - installed
        extra = {f for f in installed - bundle if not re.fullmatch(r"unins\d{3}\.(exe|dat)", f)}
        if missing:
            raise CheckFailed(f"not installed: {sorted(missing)[:10]}")
        if extra:
            raise CheckFailed(f"written into the program folder besides the bundle: "
                              f"{sorted(extra)[:10]}")
        return f"{len(bundle)} bundle files + the uninstaller, nothing else"

    def machine_settings_dir() -> Path:
        host: Host = state["host"]
        return host.local(host.getenv("ProgramData") / "CounterDesk" / "CounterDesk")

    def settings_folder():
        folder = machine_settings_dir()
        if not folder.is_dir():
            raise CheckFailed(f"the PC-wide settings folder {folder} was not created")
        inside = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
        if inside - {"data"} or any(p.is_file() for p in folder.rglob("*")):
            raise CheckFailed(f"the installer wrote into {folder}: {sorted(inside)[:10]}")
        return ("PC-wide settings folder ProgramData\\CounterDesk\\CounterDesk created with "
                "its empty data folder (settings: Users read-only, Administrators write; "
                "data: users-modify, where the PC's SQLite file goes)")

    def start_menu_dir() -> Path:
        host: Host = state["host"]
        return host.local(host.getenv("ProgramData") / "Microsoft" / "Windows" /
                          "Start Menu" / "Programs" / "CounterDesk")

    def shortcuts():
        folder = start_menu_dir()
        if not folder.is_dir():
            raise CheckFailed(f"no Start-menu folder {folder}")
        found = {p.stem: p for p in folder.glob("*.lnk")}
        app = state["app"]
        for name, (exe, arguments) in EXPECTED_SHORTCUTS.items():
            if name not in found:
                raise CheckFailed(f"shortcut {name!r} missing (found {sorted(found)})")
            target, args_ = read_shortcut(found[name])
            if PureWindowsPath(target) != app / exe or args_.strip() != arguments:
                raise CheckFailed(f"shortcut {name!r} runs {target!r} {args_!r}, expected "
                                  f"{str(app / exe)!r} {arguments!r}")
        others = {"CounterDesk 命令行", "CounterDesk 自检"} - set(found)
        if others:
            raise CheckFailed(f"shortcuts missing: {sorted(others)}")
        uninstall_name = "卸载 CounterDesk" if state["chinese"] else "Uninstall CounterDesk"
        if uninstall_name not in found:
            raise CheckFailed(f"no shortcut {uninstall_name!r} (found {sorted(found)})")
        return ", ".join(sorted(found))

    def uninstall_entry(expect: bool):
        host: Host = state["host"]
        key = rf"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
        proc = host.run(["reg", "query", key, "/v", "DisplayVersion", "/reg:64"])
        text = _text(proc.stdout)
        present = proc.returncode == 0 and ver in text
        if expect and not present:
            raise CheckFailed(f"no uninstall entry {key} with version {ver}: {text.strip()}")
        if not expect and proc.returncode == 0:
            raise CheckFailed(f"uninstall entry still there: {key}")
        return f"{key} DisplayVersion {ver}" if expect else "entry removed"

    def hall_data():
        """Write what a used installation has, where the program writes it (platformdirs)."""
        host: Host = state["host"]
        user = host.local(host.getenv("LOCALAPPDATA") / "CounterDesk" / "CounterDesk")
        machine = host.local(host.getenv("ProgramData") / "CounterDesk" / "CounterDesk")
        files = {
            user / "counterdesk.toml": b"[database]\nurl = \"\"\n[workstation]\nwindow = 3\n",
            user / "counterdesk.sqlite3": b"SQLite format 3\0 stand-in",
            user / "backups" / "counterdesk-2026-11-22.sqlite3": b"SQLite format 3\0 backup",
            user / "Logs" / "counterdesk.log": b"started\n",
            machine / "counterdesk.toml": b"[database]\nurl = \"postgresql://hall/counterdesk\"\n",
        }
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        stale = state["app_local"] / "_internal" / "stale-library-of-0.0.9.dll"
        stale.write_bytes(b"old")
        state["data"] = files
        state["stale"] = stale
        return f"{len(files)} files of settings, database, backup and log; a stale library"

    def upgrade():
        detail = install("install-upgrade.log")
        if state["stale"].exists():
            raise CheckFailed("the upgrade left the previous version's library in _internal")
        changed = [str(p) for p, d in state["data"].items()
                   if not p.exists() or p.read_bytes() != d]
        if changed:
            raise CheckFailed(f"the upgrade touched the data: {changed}")
        return detail + "; stale library removed, data untouched"

    def uninstall():
        host: Host = state["host"]
        uninstaller = state["app"] / "unins000.exe"
        proc = host.run([str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"])
        if proc.returncode != 0:
            raise CheckFailed(f"uninstaller exited {proc.returncode}")
        _wait_gone(state["app_local"] / "counterdesk.exe")
        left = files_under(state["app_local"]) if state["app_local"].exists() else set()
        if left:
            raise CheckFailed(f"left in the program folder: {sorted(left)[:10]}")
        if start_menu_dir().exists() and any(start_menu_dir().glob("*.lnk")):
            raise CheckFailed("Start-menu shortcuts left behind")
        uninstall_entry(expect=False)
        lost = [str(p) for p, d in state["data"].items()
                if not p.exists() or p.read_bytes() != d]
        if lost:
            raise CheckFailed(f"the uninstall removed or changed data: {lost}")
        if not machine_settings_dir().is_dir():
            raise CheckFailed("the uninstall removed the PC-wide settings folder")
        return ("program folder, shortcuts and entry removed; settings (user and PC-wide), "
                "database, backups and log kept")

    def installed_self_test():
        host: Host = state["host"]
        home = Path(tempfile.mkdtemp(prefix="counterdesk-installed-"))
        env = dict(host.env, COUNTERDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        proc = subprocess.run([str(state["app_local"] / "counterdesk-cli.exe"), "self-test"],
                              env=env, capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise CheckFailed(_text(proc.stdout + proc.stderr)[-1500:])
        return _text(proc.stdout).strip().splitlines()[-1]

    if not step("prepare", prepare):
        return 1
    try:
        ok = (step("compile", compile_)
              and step("install", lambda: install("install.log"))
              and step("program folder", program_folder)
              and step("settings folder", settings_folder)
              and step("start menu", shortcuts)
              and step("apps & features", lambda: uninstall_entry(expect=True)))
        if ok and ON_WINDOWS and not args.stub:
            ok = step("installed self-test", installed_self_test)
        ok = ok and step("used installation", hall_data) and step("upgrade", upgrade) \
            and step("uninstall", uninstall)
    finally:
        cleanup(state, machine_settings_dir)
    failed = [name for name, good, _ in steps if not good]
    print(f"{len(steps) - len(failed)}/{len(steps)} checks passed" +
          (f"; failed: {', '.join(failed)}" if failed else ""))
    return 0 if ok and not failed else 1


def cleanup(state: dict, machine_settings_dir) -> None:
    """Remove what the check wrote outside its work folder (issue 17.10): the stand-in
    data, the PC-wide folder the installer keeps, an installation left by a failed step."""
    for path in state.get("data", {}):
        path.unlink(missing_ok=True)
    app = state.get("app_local")
    uninstaller = app / "unins000.exe" if app else None
    if uninstaller is not None and uninstaller.exists():
        state["host"].run([str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"])
        _wait_gone(app / "counterdesk.exe")
    if machine_settings_dir is not None:
        folder = machine_settings_dir()
        shutil.rmtree(folder, ignore_errors=True)
        if folder.parent.name == "CounterDesk" and folder.parent.exists() and \
                not any(folder.parent.iterdir()):
            folder.parent.rmdir()
    host = state.get("host")
    if host is not None:
        user = host.local(host.getenv("LOCALAPPDATA") / "CounterDesk")
        shutil.rmtree(user, ignore_errors=True)


def _wait_gone(path: Path) -> None:
    """The uninstaller returns before its copy in %TEMP% has deleted the folder."""
    import time

    deadline = time.monotonic() + 60
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
