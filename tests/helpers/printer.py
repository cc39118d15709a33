"""A stand-in ESC/POS network printer on 127.0.0.1 (an ephemeral port, like 9100).

Modes:
* ``accept`` — reads each connection to its end and closes (a raw-9100 printer confirming
  the job), answers ``DLE EOT 4`` (paper present) and ``GS r 1`` (paper ok);
* ``refuse`` — nothing listens on the port (connection refused);
* ``stall`` — accepts the connection and never reads (buffers fill, the sender times out);
* ``drop`` — closes each connection after the first bytes;
* ``paper-out`` — answers ``DLE EOT 4`` / ``GS r 1`` with the paper-end bits, prints nothing,
  never closes (an offline printer holding the connection);
* ``keep-open`` — takes every byte, never answers, never closes;
* ``hold`` — prints every job and answers the status queries, but never closes the
  connection (a real printer keeping port 9100 open: ``?status=1`` confirms its jobs).

``jobs``: the bytes of each printed job (status queries removed); ``received``: every
connection's bytes, whatever the mode. Wait with :meth:`wait_for` / :meth:`wait_received`.
"""

from __future__ import annotations

import socket
import threading

DLE_EOT_PAPER = b"\x10\x04\x04"
GS_R_PAPER = b"\x1dr\x01"
MODES = ("accept", "refuse", "stall", "drop", "paper-out", "keep-open", "hold")


class PrinterListener:
    def __init__(self, mode: str = "accept"):
        assert mode in MODES, mode
        self.mode = mode
        self.jobs: list[bytes] = []
        self.received: list[bytes] = []
        self.connections = 0
        self._cond = threading.Condition()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self._conns: list[socket.socket] = []
        if mode == "refuse":
            return   # bound, not listening: connections are refused
        self.sock.listen(16)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._cond:
                self._conns.append(conn)
                self.connections += 1
                self._cond.notify_all()
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _answer(self, conn, data: bytearray, seen: int) -> None:
        """Answer the status queries that arrived in ``data[seen:]``."""
        if self.mode == "keep-open":
            return
        paper_out = self.mode == "paper-out"
        window = bytes(data[max(0, seen - 2):])
        for _ in range(window.count(DLE_EOT_PAPER)):
            conn.sendall(b"\x72" if paper_out else b"\x12")
        for _ in range(window.count(GS_R_PAPER)):
            conn.sendall(b"\x0c" if paper_out else b"\x00")

    def _handle(self, conn):
        if self.mode == "stall":
            return  # never read
        data = bytearray()
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                seen = len(data)
                data += chunk
                self._answer(conn, data, seen)
                if self.mode == "drop":
                    break
        except OSError:
            pass
        finally:
            if self.mode not in ("keep-open", "paper-out", "hold"):   # those never close
                try:
                    conn.close()
                except OSError:
                    pass
        with self._cond:
            self.received.append(bytes(data))
            job = bytes(data).replace(DLE_EOT_PAPER, b"").replace(GS_R_PAPER, b"")
            if self.mode in ("accept", "hold") and job:   # a status query alone is no job
                self.jobs.append(job)
            self._cond.notify_all()

    def wait_for(self, n: int = 1, timeout: float = 10.0) -> list[bytes]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.jobs) >= n, timeout)
        assert ok, f"printer received {len(self.jobs)} jobs, expected {n}"
        return list(self.jobs)

    def wait_connections(self, n: int = 1, timeout: float = 10.0) -> int:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.connections >= n, timeout)
        assert ok, f"printer saw {self.connections} connections, expected {n}"
        return self.connections

    def close(self):
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass
        for c in list(self._conns):
            try:
                c.close()
            except OSError:
                pass
