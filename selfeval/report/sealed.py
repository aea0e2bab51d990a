"""Cache entries only this user's selfeval can have written: a keyed hash over each entry.

The workspace's ``.selfeval/cache/`` is untrusted input: a workspace is
shared through git and mail, and anyone who can put a file there could put
a figure with a script in it (the HTML report inlines the SVG) or claim that
a report already on disk is up to date. A plain content hash stored beside
the bytes only catches a truncated or damaged file — whoever forges an entry
computes the hash too. So every entry written through this module is
**sealed**: stored with an HMAC-SHA256 of what it is (its kind), its key and
its bytes, under a secret that never lies in a workspace:

* the secret is 32 random bytes in the user's own cache folder
  (``$XDG_CACHE_HOME/selfeval/cache-secret``, else ``~/.cache/…``; on
  Windows ``%LOCALAPPDATA%\\selfeval\\…``), made on first use, readable by
  the user only;
* an entry is used only when its seal checks out under that secret; anything
  else — truncated, tampered, copied from another user or machine, sealed
  for another key or kind — is a miss, and the caller makes the value again;
* without a secret (no home folder, nothing writable) nothing is read from
  or written to the cache: every value is made afresh.

Entries are written atomically (a temporary file renamed into place), so two
runs at once never see half an entry; the last one written wins, and both
are sound. Nothing here prints.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "SEAL_BYTES",
    "SealedWriter",
    "read_sealed",
    "read_sealed_text",
    "seal",
    "secret",
    "secret_path",
    "unseal",
    "write_sealed",
    "write_sealed_chunks",
]

#: Length of the seal at the start of an entry (HMAC-SHA256).
SEAL_BYTES = 32
_SECRET_FILE = "cache-secret"


def secret_path() -> Path | None:
    """Where this user's secret lives (outside any workspace), or None when there is no home."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    else:
        try:
            base = Path.home() / ".cache"
        except RuntimeError:  # no home folder
            return None
    return base / "selfeval" / _SECRET_FILE


@functools.lru_cache(maxsize=4)
def _secret_at(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    # Missing (first use) or damaged: make a new one. Entries sealed under an
    # old one then fail their check and are made again; nothing is trusted.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".secret.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return None
        # Another process may have replaced it at the same moment: use what is there.
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == 32 else None


@functools.lru_cache(maxsize=4)
def _secret_path_with(environment: tuple[str | None, ...]) -> Path | None:
    """:func:`secret_path` under these values of the variables it reads (see :func:`secret`)."""
    return secret_path()


def secret() -> bytes | None:
    """This user's cache secret (made on first use), or None when none can be had.

    Asked once per cache entry (a thousand times in a re-run of 1,000
    responses): where the secret lives is worked out once per value of the
    variables that say it, not each time.
    """
    path = _secret_path_with(
        tuple(os.environ.get(name) for name in ("LOCALAPPDATA", "XDG_CACHE_HOME", "HOME"))
    )
    return _secret_at(path) if path is not None else None


def _hmac(key_secret: bytes, kind: str, key: str) -> hmac.HMAC:
    return hmac.new(key_secret, f"selfeval-sealed\0{kind}\0{key}\0".encode(), hashlib.sha256)


def _mac(key_secret: bytes, kind: str, key: str, data: bytes | memoryview) -> bytes:
    message = _hmac(key_secret, kind, key)
    message.update(data)
    return message.digest()


def seal(kind: str, key: str, data: bytes) -> bytes | None:
    """``data`` with its seal in front, or None when there is no secret."""
    key_secret = secret()
    if key_secret is None:
        return None
    return _mac(key_secret, kind, key, data) + data


def unseal(kind: str, key: str, raw: bytes) -> bytes | None:
    """The bytes of a sealed entry when its seal is ours for this kind and key; else None."""
    key_secret = secret()
    if key_secret is None or len(raw) < SEAL_BYTES:
        return None
    mac, data = raw[:SEAL_BYTES], raw[SEAL_BYTES:]
    if not hmac.compare_digest(mac, _mac(key_secret, kind, key, data)):
        return None
    return data


def _read_at_most(path: Path, most: int) -> bytes:
    """At most ``most`` bytes of ``path``, asked for by its size (plus one byte).

    ``read(most)`` allocates ``most`` bytes first: with the read cache's limit
    of 32 MB that was most of the time of reading a 28 KB entry (1,000
    entries: 0.065 s against 0.018 s). A file that grows after its size was
    taken is read short, and its seal then does not check out: a miss.

    Raises:
        OSError: the file cannot be opened or read.
    """
    with open(path, "rb", buffering=0) as handle:
        count = min(os.fstat(handle.fileno()).st_size + 1, most)
        chunks: list[bytes] = []
        while count > 0:
            chunk = handle.read(count)
            if not chunk:
                break
            chunks.append(chunk)
            count -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_sealed(path: Path, kind: str, key: str, *, limit: int) -> bytes | None:
    """Read and check one entry; None for a missing, oversized or not genuinely sealed file."""
    try:
        raw = _read_at_most(path, limit + SEAL_BYTES + 1)
    except OSError:
        return None
    if len(raw) > limit + SEAL_BYTES:
        return None
    return unseal(kind, key, raw)


def read_sealed_text(path: Path, kind: str, key: str, *, limit: int) -> str | None:
    """:func:`read_sealed` as UTF-8 text, for a large entry: its bytes are not copied first.

    None as :func:`read_sealed`, and for bytes that are not UTF-8.
    """
    try:
        raw = _read_at_most(path, limit + SEAL_BYTES + 1)
    except OSError:
        return None
    key_secret = secret()
    if key_secret is None or not SEAL_BYTES <= len(raw) <= limit + SEAL_BYTES:
        return None
    data = memoryview(raw)[SEAL_BYTES:]
    if not hmac.compare_digest(raw[:SEAL_BYTES], _mac(key_secret, kind, key, data)):
        return None
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError:
        return None


def write_sealed(path: Path, kind: str, key: str, data: bytes) -> bool:
    """Seal and write one entry atomically (temporary file, rename); False when not written."""
    return write_sealed_chunks(path, kind, key, [data])


def write_sealed_chunks(path: Path, kind: str, key: str, chunks: Iterable[bytes]) -> bool:
    """:func:`write_sealed` of the bytes ``chunks`` make, one at a time (never all held at once).

    The seal is written in front once the last chunk is: the file is the
    same as ``write_sealed(path, kind, key, b"".join(chunks))`` writes.
    """
    writer = SealedWriter.open(path, kind, key)
    if writer is None:
        return False
    try:
        for chunk in chunks:
            writer.write(chunk)
    except BaseException as exc:
        writer.discard()
        if isinstance(exc, OSError):
            return False
        raise
    return writer.commit()


class SealedWriter:
    """One entry written a chunk at a time, as its parts are made; sealed and renamed at the end.

    For an entry whose parts should not all be held until it is written (the
    report's kept parts, :mod:`selfeval.report.fragments`): each chunk goes to
    a temporary file beside ``path`` at once, and can be read back from it
    (:meth:`read`). :meth:`commit` writes the seal in front and renames the
    file into place (the same bytes as :func:`write_sealed` of all the
    chunks); :meth:`discard` removes it. Made by :meth:`open`.
    """

    def __init__(self, path: Path, tmp: str, handle: BinaryIO, message: hmac.HMAC) -> None:
        self.path = path
        self._tmp = tmp
        self._handle = handle
        self._message = message
        #: Bytes written after the seal's place so far.
        self.size = 0

    @classmethod
    def open(cls, path: Path, kind: str, key: str) -> SealedWriter | None:
        """A writer of the entry ``path`` sealed as ``kind`` and ``key``; None when not possible.

        None when there is no secret, or the folder cannot be made or written.
        """
        key_secret = secret()
        if key_secret is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
        except OSError:
            return None
        handle = os.fdopen(fd, "w+b")
        try:
            handle.write(bytes(SEAL_BYTES))
        except OSError:
            handle.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return None
        return cls(path, tmp, handle, _hmac(key_secret, kind, key))

    def write(self, chunk: bytes) -> int:
        """Append ``chunk``; return where it starts (for :meth:`read`).

        Raises:
            OSError: it could not be written (the caller discards the writer).
        """
        at = self.size
        self._message.update(chunk)
        self._handle.write(chunk)
        self.size += len(chunk)
        return at

    def read(self, at: int, size: int) -> bytes:
        """``size`` bytes written from ``at`` on (as :meth:`write` returned it).

        Raises:
            OSError: they could not be read back.
        """
        self._handle.flush()
        return os.pread(self._handle.fileno(), size, SEAL_BYTES + at)

    def commit(self) -> bool:
        """Seal the entry and put it in place; False (and nothing left behind) when that fails."""
        try:
            self._handle.seek(0)
            self._handle.write(self._message.digest())
            self._handle.close()
            os.replace(self._tmp, self.path)
        except OSError:
            self.discard()
            return False
        return True

    def discard(self) -> None:
        """Remove the unfinished entry (the file in place, if any, is left as it was)."""
        with contextlib.suppress(OSError):
            self._handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)
