"""The one read of a file: bounded, never blocking, never leading out of its workspace.

Every read of a file by selfeval goes through :func:`read_file`
(``docs/files.md``, "Reads"), usually as :func:`selfeval.files.yamlio.read_file`,
which gives it the file-size limit. It is a module of its own, importing
nothing but the standard library and :mod:`selfeval.errors`, so that a
command that only hashes the workspace (the run record's key of ``status``
and ``aggregate``, :mod:`selfeval.report.runrecord`) reads by the same rule
without loading YAML or any model.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from selfeval.errors import InputError, Location
from selfeval.model.names import EXERCISE_FILE

__all__ = ["check_inside_to_read", "check_size", "not_regular_error", "read_file"]


def check_size(size: int, path: Path | str, max_bytes: int, *, writing: str | None = None) -> None:
    """Refuse a file of ``size`` bytes over ``max_bytes``: the one size rule of reading and writing.

    Every reader of a workspace file applies it (:func:`read_file`, and so
    ``yamlio``'s ``read_bytes``, ``load`` and ``read_text``), and so does every writer of a file
    selfeval reads back (a response, ``reports/draft.yaml``) *before* writing:
    selfeval never saves a file it would then refuse to read.

    Args:
        size: the file's size in bytes (on disk, or of the text about to be written).
        path: the file, for the message.
        max_bytes: the limit.
        writing: when writing, what is too large and what to do (the message
            then says nothing was written).

    Raises:
        InputError: ``size`` is over ``max_bytes``.
    """
    if size <= max_bytes:
        return
    if writing is None:
        raise InputError(
            f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
            location=Location(path),
            hint="selfeval files are small text files; check that this is the right file",
        )
    raise InputError(
        f"not saved: the file would be {size:,} bytes, over the limit of {max_bytes:,} that "
        f"selfeval reads back; {writing}",
        location=Location(path),
        hint="nothing was written; the file on disk is as it was",
    )


#: Folder → the workspace root found above it: only found roots are kept (a root
#: that stops being one only makes the check stricter), so a folder of many
#: responses is searched once per process, not once per file.
_ROOTS: dict[str, tuple[Path, str]] = {}


def _root_of(folder: str) -> tuple[Path, str] | None:
    """(root, its real path) of the workspace ``folder`` is in, or None.

    The workspace by the folder's name alone: its nearest folder holding
    ``selfeval.yaml``, links not followed, so a link in a workspace that points
    elsewhere still belongs to the workspace it is in.
    """
    if (known := _ROOTS.get(folder)) is not None:
        return known
    here = folder
    while not os.path.isfile(os.path.join(here, EXERCISE_FILE)):
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    if len(_ROOTS) > 4096:
        _ROOTS.clear()
    _ROOTS[folder] = found = (Path(here), os.path.realpath(here))
    return found


def check_inside_to_read(path: Path, root: Path, real_root: str | None = None) -> None:
    """Refuse to read ``path`` when its real location (links followed) is outside ``root``.

    Args:
        path: the file.
        root: the workspace root.
        real_root: ``root``'s real path, when already known.

    Raises:
        InputError: naming the file, where it leads, and what to do.
    """
    base = real_root if real_root is not None else os.path.realpath(root)
    real = _real_path(path, root, base)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        raise InputError(
            f"this is a link to {real}, outside the workspace; selfeval does not read "
            f"files outside the workspace",
            location=Location(path),
            hint="replace the link with the file itself (a workspace is shared: a link in "
            "it may point anywhere on the reader's machine)",
        )


def _real_path(path: Path, root: Path, real_root: str) -> str:
    """``os.path.realpath(path)``, looking only at the folders below ``root``.

    realpath looks at every folder from ``/`` down, at every read. For a file
    in the workspace at ``root``, whose real path ``real_root`` is known, only
    what lies below ``root`` can lead elsewhere: when none of it is a link,
    the real path is ``real_root`` joined with the rest. A link below the root,
    a ``..``, a missing part or a path not under ``root`` is left to realpath,
    so the answer is realpath's in every case.
    """
    text = os.fspath(path)
    top = os.fspath(root).rstrip(os.sep)
    absolute = text if text.startswith(top + os.sep) else os.path.abspath(text)
    if os.pardir in text.split(os.sep) or not absolute.startswith(top + os.sep):
        return os.path.realpath(path)
    rest = absolute[len(top) + 1 :].split(os.sep)
    if "" in rest or os.curdir in rest:  # not in normal form: realpath's answer
        return os.path.realpath(path)
    here = top
    for part in rest:
        here = os.path.join(here, part)
        try:
            if stat.S_ISLNK(os.lstat(here).st_mode):
                return os.path.realpath(path)
        except OSError:
            return os.path.realpath(path)
    return os.path.join(real_root, *rest)


_NOT_REGULAR = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def not_regular_error(path: Path | str, mode: int) -> InputError:
    """The one error for something that is not a regular file (a pipe, device, socket, folder).

    :func:`read_file` raises it where a file is read, and
    :meth:`selfeval.files.workspace.Workspace.discover_responses` for such a
    thing anywhere else under ``responses/``, in the same words.

    Args:
        path: where it is.
        mode: its ``st_mode`` (which kind of thing it is).

    Returns:
        The error, naming the path and what it is.
    """
    what = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
    return InputError(
        f"this is {what}, not a regular file; selfeval reads only regular files",
        location=Location(path),
        hint="replace it with the file itself, or remove it",
    )


def read_file(path: Path | str, *, max_bytes: int, named: bool = False) -> bytes:
    """The bytes of one file: the one rule every read of a file goes through.

    A workspace is untrusted input (``docs/files.md``, "Security model"): no
    file in it may make selfeval read elsewhere, hang or fill the memory. So:

    * A file in a workspace (its nearest folder holding ``selfeval.yaml``)
      whose real location (links followed, anywhere on the path) is outside
      that workspace is refused;
      files the user names on the command line (``named=True``: ``fill
      --answers``, ``import``) may be anywhere.
    * Anything that is not a regular file — a folder, named pipe, device or
      socket — is refused. The file is opened with ``O_NONBLOCK`` (a pipe
      swapped in cannot block the open) and checked on the opened
      descriptor (``fstat``), so what is checked is what is read.
    * A file over ``max_bytes`` is refused from its size before any byte is
      read, and at most ``max_bytes + 1`` bytes are ever read.

    Args:
        path: the file.
        max_bytes: the size limit.
        named: the user named the file (it may be outside a workspace).

    Returns:
        The file's bytes.

    Raises:
        InputError: the file is missing, unreadable, not a regular file, or too
            large, or it is in a workspace but leads outside it.
    """
    if not named and (found := _root_of(os.path.dirname(os.path.abspath(path)))) is not None:
        check_inside_to_read(Path(path), *found)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(
                f"this is a link to {os.readlink(path)}, which does not exist",
                location=Location(path),
                hint="replace the link with the file itself, or remove it",
            ) from None
        raise InputError("the file does not exist", location=Location(path)) from None
    except IsADirectoryError:
        raise not_regular_error(path, stat.S_IFDIR) from None
    except PermissionError:
        raise InputError(
            "the file cannot be read (permission denied)", location=Location(path)
        ) from None
    except OSError as exc:
        mode = 0
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
        if mode and not stat.S_ISREG(mode):
            raise not_regular_error(path, mode) from None
        raise InputError(
            f"the file cannot be read: {exc.strerror or exc}", location=Location(path)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular_error(path, info.st_mode)
        check_size(info.st_size, path, max_bytes)  # the one size rule, before any byte is read
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise InputError(
                f"the file is over the limit of {max_bytes:,} bytes",
                location=Location(path),
                hint="selfeval files are small text files; check that this is the right file",
            )
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(
            f"the file cannot be read: {exc.strerror or exc}", location=Location(path)
        ) from None
    finally:
        os.close(fd)
