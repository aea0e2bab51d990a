"""Reading a zip file from a workspace or the mail without a zip bomb going off.

One rule for every zip selfeval reads (``selfeval import``'s zips of
responses, the house-style ``templates/reference.docx``): the number of
members is bounded, and so is every member's size and their total, both as
the headers declare it (refused before anything is decompressed) and as
decompressing actually gives it (read at most one byte past the limit, so a
header that lies cannot make selfeval read more).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from selfeval.errors import InputError, Location

__all__ = ["check_members", "open_zip", "read_member"]

_CHUNK = 1024 * 1024


def open_zip(source: Path | bytes, where: Path | str) -> zipfile.ZipFile:
    """Open a zip file (a path, or its bytes already read).

    Args:
        source: the file, or its bytes.
        where: the file as messages name it.

    Raises:
        InputError: not a zip file, or unreadable.
    """
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            f"cannot read the zip file: {exc}", location=Location(where), hint="check the file"
        ) from None


def read_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    where: str,
    limit: int,
    *,
    why: str = "",
    hint: str = "check that this is the right file",
) -> bytes:
    """One member's bytes, never more than ``limit`` of them, whatever its header says.

    Args:
        archive: the open zip.
        member: one of its members.
        where: the member as messages name it (``file.zip:name``).
        limit: the most bytes it may hold once decompressed.
        why: words after the message ("; a response is a small text file").
        hint: what to do.

    Returns:
        The decompressed bytes.

    Raises:
        InputError: the member is encrypted, declares or decompresses to more
            than ``limit`` bytes, or cannot be read.
    """
    return _decompress(archive, member, where, limit, keep=True, why=why, hint=hint)[1]


def _decompress(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    where: str,
    limit: int,
    *,
    keep: bool,
    why: str,
    hint: str,
) -> tuple[int, bytes]:
    """(bytes decompressed, the bytes if ``keep``): :func:`read_member`'s work."""
    if member.flag_bits & 0x1:
        raise InputError(
            "the member is encrypted", location=Location(where), hint="send it unencrypted"
        )
    too_large = InputError(
        f"the member is too large once uncompressed (over {limit:,} bytes){why}",
        location=Location(where),
        hint=hint,
    )
    if member.file_size > limit:
        raise too_large
    size = 0
    parts: list[bytes] = []
    try:
        with archive.open(member) as handle:
            while size <= limit:
                part = handle.read(min(_CHUNK, limit + 1 - size))
                if not part:
                    break
                size += len(part)
                if keep:
                    parts.append(part)
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError) as exc:
        raise InputError(
            f"cannot read this member of the zip: {exc}", location=Location(where)
        ) from None
    if size > limit:
        raise too_large
    return size, b"".join(parts)


def check_members(
    archive: zipfile.ZipFile,
    where: Path | str,
    *,
    max_members: int,
    max_bytes: int,
    why: str = "",
    hint: str = "check that this is the right file",
) -> None:
    """Check a whole zip against the limits by decompressing every member, keeping nothing.

    For a zip that a library opens after this check (python-docx): what it
    will decompress is then known to be within ``max_bytes`` in all.

    Args:
        archive: the open zip.
        where: the file as messages name it.
        max_members: the most members it may have.
        max_bytes: the most bytes its members may hold together, decompressed.
        why: words after a message about size.
        hint: what to do.

    Raises:
        InputError: too many members, or a member over what is left of
            ``max_bytes`` (declared or actual), encrypted or unreadable.
    """
    members = archive.infolist()
    if len(members) > max_members:
        raise InputError(
            f"the zip file has {len(members):,} members, over the limit of {max_members:,}",
            location=Location(where),
            hint=hint,
        )
    declared = sum(member.file_size for member in members)
    if declared > max_bytes:
        raise InputError(
            f"the zip file's members declare {declared:,} bytes once uncompressed, over the "
            f"limit of {max_bytes:,}{why}",
            location=Location(where),
            hint=hint,
        )
    total = 0
    for member in members:
        size, _ = _decompress(
            archive, member, f"{where}:{member.filename}", max_bytes - total, keep=False,
            why=why, hint=hint,
        )  # fmt: skip
        total += size
