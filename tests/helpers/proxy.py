"""A threaded TCP proxy between a client and PostgreSQL, to drill network faults.

Modes (``proxy.mode``):

* ``"pass"``: forward both ways;
* ``"cut_after_commit"``: forward the client's next ``COMMIT`` (simple or extended query
  message), wait for the server's reply (it has committed), then close both sides
  without forwarding it — the reply is lost. Once; then back to ``"pass"``;
* ``"cut_before_commit"``: swallow the client's next ``COMMIT`` and close both sides (the
  server rolls back). Once; then back to ``"pass"``;
* ``proxy.cut_when = b"INSERT INTO payments"``: cut only the COMMIT of a transaction
  (on a connection) that sent a message containing this;
* ``"blackhole"``: keep every socket open and forward nothing (a pulled cable, a hung PC);
  new connections are accepted and never answered. What is sent meanwhile is held and
  delivered when the mode goes back to ``"pass"`` (the cable is plugged in again);
* ``"delay"``: forward each client message after ``proxy.delay`` seconds.

:meth:`freeze_after` freezes a connection mid-transaction: the client message containing
a pattern (e.g. ``b"UPDATE audit_head"``) and the server's reply to it pass, then that
connection forwards nothing more, holding whatever locks it has taken.

The client must not use TLS (``sslmode=disable``): the proxy reads the messages.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from sqlalchemy.engine import make_url


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        try:
            chunk = sock.recv(n - len(buf))
        except OSError:
            return None
        if not chunk:
            return None
        buf += chunk
    return buf


def _read_message(sock: socket.socket, typed: bool) -> bytes | None:
    """One protocol message, whole (type byte, length, body)."""
    head = _recv_exact(sock, 5 if typed else 4)
    if head is None:
        return None
    length = struct.unpack("!I", head[1:5] if typed else head)[0]
    body = _recv_exact(sock, length - 4)
    return None if body is None else head + body


def _is_commit(msg: bytes) -> bool:
    if msg[:1] not in (b"Q", b"P"):
        return False
    text = msg[5:].replace(b"\x00", b" ").strip().upper()
    return b"COMMIT" in text


class _Link:
    def __init__(self, proxy: PgProxy, client: socket.socket):
        self.proxy = proxy
        self.client = client
        self.server: socket.socket | None = None
        self.cut = False          # COMMIT forwarded: drop the reply and close
        self.freeze_on_reply = False
        self.frozen = False
        self.armed = False        # the cut's trigger pattern was seen on this link

    def close(self) -> None:
        for s in (self.client, self.server):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()

    def client_to_server(self) -> None:
        first = True
        while True:
            msg = _read_message(self.client, typed=not first)
            if msg is None:
                break
            first = False
            p = self.proxy
            if self.frozen:
                continue              # swallowed; the socket stays open
            p.flowing.wait()          # blackhole: held until the network comes back
            if p.mode == "delay":
                time.sleep(p.delay)   # the fault itself, not a test wait
            if p.cut_when and p.cut_when in msg:
                self.armed = True
            ready = self.armed or not p.cut_when
            if p.mode == "cut_before_commit" and ready and _is_commit(msg):
                p.mode = "pass"
                self.close()
                p.cut_done.set()
                return
            if p.mode == "cut_after_commit" and ready and _is_commit(msg):
                self.cut = True
                p.mode = "pass"
            if _is_commit(msg):
                self.armed = False    # the trigger counts within one transaction
            if p.freeze_pattern and p.freeze_pattern in msg:
                p.freeze_pattern = b""
                self.freeze_on_reply = True
            try:
                self.server.sendall(msg)
            except OSError:
                break
        if not self.frozen:
            self.close()

    def server_to_client(self) -> None:
        while True:
            msg = _read_message(self.server, typed=True)
            if msg is None:
                break
            if self.frozen:
                continue
            self.proxy.flowing.wait()
            if self.cut:
                if msg[:1] == b"Z":   # the server has answered COMMIT: lose the reply
                    self.close()
                    self.proxy.cut_done.set()
                    return
                continue
            if self.freeze_on_reply and msg[:1] == b"Z":
                self.frozen = True
                self.proxy.frozen.set()
            try:
                self.client.sendall(msg)
            except OSError:
                break
        if not self.frozen:
            self.close()


class PgProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.flowing = threading.Event()
        self.mode = "pass"
        self.delay = 0.0
        self.freeze_pattern = b""
        self.cut_when = b""       # cut only the COMMIT of a transaction that sent this
        self.cut_done = threading.Event()
        self.frozen = threading.Event()
        self._links: list[_Link] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._start(self._accept)

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        self._mode = value
        if value == "blackhole":
            self.flowing.clear()
        else:
            self.flowing.set()

    @classmethod
    def for_url(cls, url: str) -> PgProxy:
        u = make_url(url)
        return cls(u.host or "127.0.0.1", u.port or 5432)

    def url(self, url: str) -> str:
        """``url`` through this proxy (no TLS, so the proxy can read the messages)."""
        u = make_url(url).set(host="127.0.0.1", port=self.port)
        u = u.update_query_dict({"sslmode": "disable", "gssencmode": "disable"})
        return u.render_as_string(hide_password=False)

    def freeze_after(self, pattern: bytes) -> None:
        self.frozen.clear()
        self.freeze_pattern = pattern

    def _start(self, fn, *args) -> None:
        t = threading.Thread(target=fn, args=args, daemon=True, name="pg-proxy")
        self._threads.append(t)
        t.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            link = _Link(self, client)
            self._links.append(link)
            self._start(self._connect, link)

    def _connect(self, link: _Link) -> None:
        self.flowing.wait()           # blackhole: accepted, answered only when it ends
        if self._closed:
            link.close()
            return
        try:
            link.server = socket.create_connection(self.target, timeout=5)
            link.server.settimeout(None)
        except OSError:
            link.close()
            return
        self._start(link.client_to_server)
        self._start(link.server_to_client)

    def close(self) -> None:
        self._closed = True
        self.flowing.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for link in self._links:
            link.frozen = False
            link.close()
        for t in self._threads:
            t.join(timeout=5)
