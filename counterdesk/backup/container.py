"""The backup file: a header that says what it is, then the database in sealed chunks.

Layout (all integers big-endian)::

    b"CounterDesk backup\\n"              magic
    u32 n, n bytes of JSON header        engine, schema revision, hall, reason, time,
                                         encrypted?, key id (never personal data)
    records: u32 (bit 31 = last, bits 0-30 = length), bytes

Encrypted (the normal case): each record is AES-256-GCM of one chunk of at most 1 MiB,
nonce = 8 random bytes of the file + the record's counter, associated data = SHA-256 of
the header + counter + last flag. The last record is an empty sealed chunk, so a file
cut anywhere, re-ordered, spliced or altered fails authentication. Unencrypted
(explicitly, by an administrator, for migration): each record is a plain chunk and the
last one holds the SHA-256 of the header and every chunk, so a cut file is still
detected. Reading streams: memory stays at one chunk whatever the size of the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import ValidationError

MAGIC = b"CounterDesk backup\n"
CHUNK = 1 << 20
_LAST = 1 << 31
_MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class Header:
    engine: str  # "sqlite" | "postgresql"
    schema: str  # Alembic revision(s) of the database written
    hall: str
    reason: str
    created: str  # ISO time
    encrypted: bool
    key_id: str = ""  # fingerprint of the hall key (encrypted files)
    nonce: str = ""  # hex, 8 bytes (encrypted files)
    app: str = ""  # CounterDesk version that wrote it
    format: int = 1

    def to_bytes(self) -> bytes:
        return json.dumps(self.__dict__, sort_keys=True, ensure_ascii=True).encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        data = json.loads(raw.decode("ascii"))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def _refuse(name: str, zh: str, en: str) -> ValidationError:
    return ValidationError(f"备份文件 {name} {zh}，未做任何改动",
                           f"Backup file {name} {en}; nothing changed", field="file")


def is_container(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def read_header(fh: BinaryIO, name: str) -> tuple[Header, bytes]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise _refuse(name, "不是 CounterDesk 的备份文件", "is not a CounterDesk backup")
    raw_len = fh.read(4)
    if len(raw_len) < 4:
        raise _refuse(name, "不完整（文件被截断）", "is incomplete (cut short)")
    (n,) = struct.unpack(">I", raw_len)
    raw = fh.read(n) if n <= _MAX_HEADER else b""
    if len(raw) != n or not raw:
        raise _refuse(name, "不完整或已损坏（文件头）", "is incomplete or damaged (header)")
    try:
        return Header.from_bytes(raw), raw
    except (ValueError, TypeError) as exc:
        raise _refuse(name, "已损坏（文件头）", "is damaged (header)") from exc


def header_of(path: Path) -> Header:
    with open(path, "rb") as fh:
        return read_header(fh, Path(path).name)[0]


def _aad(header_digest: bytes, counter: int, last: bool) -> bytes:
    return header_digest + struct.pack(">QB", counter, 1 if last else 0)


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def write(out: BinaryIO, header: Header, chunks: Iterator[bytes], key: bytes | None) -> None:
    """Write the container to ``out`` from the plain ``chunks``."""
    raw = header.to_bytes()
    out.write(MAGIC + struct.pack(">I", len(raw)) + raw)
    digest = hashlib.sha256(raw).digest()
    if key is None:
        running = hashlib.sha256(raw)
        for chunk in chunks:
            for i in range(0, len(chunk), CHUNK):
                part = chunk[i:i + CHUNK]
                running.update(part)
                out.write(struct.pack(">I", len(part)) + part)
        tail = running.digest()
        out.write(struct.pack(">I", _LAST | len(tail)) + tail)
        return
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead, prefix, counter = AESGCM(key), bytes.fromhex(header.nonce), 0
    for chunk in chunks:
        for i in range(0, len(chunk), CHUNK):
            sealed = aead.encrypt(_nonce(prefix, counter), chunk[i:i + CHUNK],
                                  _aad(digest, counter, False))
            out.write(struct.pack(">I", len(sealed)) + sealed)
            counter += 1
    sealed = aead.encrypt(_nonce(prefix, counter), b"", _aad(digest, counter, True))
    out.write(struct.pack(">I", _LAST | len(sealed)) + sealed)


def new_nonce() -> str:
    return os.urandom(8).hex()


def read(path: Path, key: bytes | None) -> Iterator[bytes]:
    """Yield the plain chunks of ``path``; raise :class:`ValidationError` when the file is
    cut short, altered, or sealed with another key (the caller must not use what it got
    before the error: read to the end first)."""
    name = Path(path).name
    with open(path, "rb") as fh:
        header, raw = read_header(fh, name)
        digest = hashlib.sha256(raw).digest()
        aead = None
        if header.encrypted:
            from cryptography.exceptions import InvalidTag
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            if key is None:
                raise _refuse(name, "已加密，本机没有营业厅备份密钥", "is encrypted and this PC "
                              "has no hall backup key")
            aead, prefix = AESGCM(key), bytes.fromhex(header.nonce)
        running = hashlib.sha256(raw)
        counter = 0
        while True:
            word = fh.read(4)
            if len(word) < 4:
                raise _refuse(name, "不完整（文件被截断）", "is incomplete (cut short)")
            (n,) = struct.unpack(">I", word)
            last, n = bool(n & _LAST), n & ~_LAST
            if n > CHUNK + 64:
                raise _refuse(name, "已损坏", "is damaged")
            body = fh.read(n)
            if len(body) < n:
                raise _refuse(name, "不完整（文件被截断）", "is incomplete (cut short)")
            if aead is not None:
                try:
                    plain = aead.decrypt(_nonce(prefix, counter), body,
                                         _aad(digest, counter, last))
                except InvalidTag as exc:
                    raise _refuse(name, "未通过校验（被改动、损坏或不是用本营业厅的密钥加密）",
                                  "fails authentication (altered, damaged or sealed with "
                                  "another key)") from exc
            elif last:
                if body != running.digest():
                    raise _refuse(name, "未通过校验（内容被改动或损坏）",
                                  "fails its checksum (altered or damaged)")
                plain = b""
            else:
                plain = body
                running.update(plain)
            counter += 1
            if plain:
                yield plain
            if last:
                if fh.read(1):
                    raise _refuse(name, "末尾有多余的数据", "has data after its end")
                return


def unpack(path: Path, key: bytes | None, target: Path) -> Header:
    """Check ``path`` to its end and write the plain database to ``target``."""
    header = header_of(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in read(path, key):
            out.write(chunk)
    return header
