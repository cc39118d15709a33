"""A throw-away PostgreSQL primary and streaming standby on this machine (issue 24).

Built from the server binaries (``/usr/lib/postgresql/*/bin``) under a temp folder,
owned by the ``postgres`` user (commands run through ``runuser -u postgres --`` when we
are root), on ports of their own; :meth:`Pair.teardown` stops both and removes every
file. Every wait is a poll of ``pg_isready`` or a query with a deadline, never a sleep
of a guessed length.

``synchronous=True`` makes the standby synchronous (``synchronous_standby_names = '*'``,
``synchronous_commit = on``): a commit is acknowledged only once it is on the standby's
disk, so a payment the clerk was told succeeded survives the primary's crash.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def server_bin() -> Path | None:
    """The newest PostgreSQL server binaries folder, or ``None`` when not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it; 55432/55433 when free)."""
    for wanted in (55432, 55433, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", wanted))
            except OSError:
                continue
            port = s.getsockname()[1]
        if port not in _TAKEN:
            _TAKEN.add(port)
            return port
    raise RuntimeError("no free TCP port")


_TAKEN: set[int] = set()


def skip_reason() -> str | None:
    if os.name != "posix":
        return "a local primary/standby pair is built on Linux only (pg_ctl under runuser)"
    if server_bin() is None:
        return ("PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin/initdb); "
                "apt-get install postgresql to run the failover test")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as postgres"
    return None


class Pair:
    """A primary on ``ports[0]`` and a standby streaming from it on ``ports[1]``."""

    def __init__(self, ports: tuple[int, int] | None = None, *, synchronous: bool = True,
                 dbname: str = "counterdesk"):
        self.bin = server_bin()
        self.ports = ports or (free_port(), free_port())
        self.synchronous = synchronous
        self.dbname = dbname
        self.base = Path(tempfile.mkdtemp(prefix="cd-pgpair-"))
        self.primary = self.base / "primary"
        self.standby = self.base / "standby"
        self.running: set[Path] = set()

    # -- commands -------------------------------------------------------------------------
    def _run(self, *args: str, timeout: float = 120, check: bool = True):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout, check=check, cwd=self.base)

    def url(self, which: str = "both", user: str = "postgres") -> str:
        hosts = {"primary": [self.ports[0]], "standby": [self.ports[1]],
                 "both": list(self.ports)}[which]
        names = ",".join(f"127.0.0.1:{p}" for p in hosts)
        tail = "?target_session_attrs=read-write" if which == "both" else ""
        return f"postgresql+psycopg://{user}@{names}/{self.dbname}{tail}"

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        os.chmod(self.base, 0o700)
        self._run("initdb", "-D", str(self.primary), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        conf = [f"port = {self.ports[0]}", "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{self.base}'", "wal_level = replica",
                "max_wal_senders = 5", "hot_standby = on", "max_connections = 200",
                "shared_buffers = 64MB", "wal_sender_timeout = 5s",
                "wal_receiver_status_interval = 1s"]
        if self.synchronous:
            conf += ["synchronous_standby_names = '*'", "synchronous_commit = on"]
        self._append(self.primary / "postgresql.conf", conf)
        self._start(self.primary)
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports[0]), "-U",
                  "postgres", "-D", str(self.standby), "-R", "-X", "stream", "--no-sync")
        # promoted, it stands alone: a synchronous wait for a standby it does not have would
        # hang every commit (docs/install.md: re-add a standby, then set it back)
        self._append(self.standby / "postgresql.conf",
                     [f"port = {self.ports[1]}", "synchronous_standby_names = ''"])
        self._start(self.standby)
        self._psql(self.ports[0], f'CREATE DATABASE "{self.dbname}"', db="postgres")

    def _append(self, path: Path, lines: list[str]) -> None:
        # written by root, read by postgres: keep the owner postgres
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n" + "\n".join(lines) + "\n")

    def _start(self, data: Path) -> None:
        self._run("pg_ctl", "-D", str(data), "-l", str(data.parent / (data.name + ".log")),
                  "-w", "-t", "60", "start")
        self.running.add(data)
        self.wait_ready(self.ports[0] if data == self.primary else self.ports[1])

    def wait_ready(self, port: int, deadline_s: float = 60) -> None:
        end = time.monotonic() + deadline_s
        while True:
            r = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(port), "-t", "5",
                          check=False)
            if r.returncode == 0:
                return
            if time.monotonic() > end:
                raise TimeoutError(f"PostgreSQL on port {port} not ready: {r.stdout}")

    def _psql(self, port: int, sql: str, db: str | None = None) -> str:
        r = self._run("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d",
                      db or self.dbname, "-Atqc", sql)
        return r.stdout.strip()

    def wait_replayed(self, deadline_s: float = 60) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        target = self._psql(self.ports[0], "SELECT pg_current_wal_lsn()")
        end = time.monotonic() + deadline_s
        while True:
            done = self._psql(self.ports[1], f"SELECT pg_last_wal_replay_lsn() >= '{target}'")
            if done == "t":
                return
            if time.monotonic() > end:
                raise TimeoutError("the standby did not catch up")

    def crash_primary(self) -> None:
        """The primary's machine dies: an immediate stop (no checkpoint, no goodbye)."""
        self._run("pg_ctl", "-D", str(self.primary), "-m", "immediate", "-w", "-t", "60",
                  "stop")
        self.running.discard(self.primary)

    def promote(self) -> None:
        self._run("pg_ctl", "-D", str(self.standby), "-w", "-t", "60", "promote")
        end = time.monotonic() + 60
        while self._psql(self.ports[1], "SELECT pg_is_in_recovery()") != "f":
            if time.monotonic() > end:
                raise TimeoutError("the standby was not promoted")

    def teardown(self) -> None:
        for data in list(self.running):
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "-t", "60", "stop",
                      check=False)
            self.running.discard(data)
        shutil.rmtree(self.base, ignore_errors=True)
