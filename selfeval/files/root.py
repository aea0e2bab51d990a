"""Finding the workspace: the one rule, without loading the models (a fast start for re-runs)."""

from __future__ import annotations

import os
from pathlib import Path

from selfeval.errors import InputError, Location, NotFoundError
from selfeval.model.names import EXERCISE_FILE

__all__ = ["find_workspace", "list_folder", "list_tree"]


def find_workspace(start: Path | None = None, *, explicit: Path | None = None) -> Path:
    """Locate the workspace root.

    Args:
        start: where to begin the upward search (default: current folder).
        explicit: a folder given with ``--workspace``; searched no further.

    Returns:
        The folder that contains ``selfeval.yaml``.

    Raises:
        NotFoundError: no exercise file found.
    """
    if explicit is not None:
        if not (explicit / EXERCISE_FILE).is_file():
            from selfeval.i18n import Message  # only when refusing: the start stays fast

            raise NotFoundError(
                f"{explicit} is not a selfeval workspace (no {EXERCISE_FILE} in it)",
                hint="create one with `selfeval init DIR` or give the right --workspace",
                said=Message("error.not_a_workspace", folder=str(explicit)),
            )
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / EXERCISE_FILE).is_file():
            return folder
    from selfeval.i18n import Message

    raise NotFoundError(
        f"no selfeval workspace here ({EXERCISE_FILE} not found in {here} or its parents)",
        hint="run inside a workspace, pass --workspace DIR, or create one with `selfeval init DIR`",
        said=Message("error.no_workspace_here"),
    )


def _refuse_link(path: Path) -> InputError:
    return InputError(
        f"this is a link (to {os.readlink(path)}); selfeval follows no links in a workspace's "
        f"responses/, questionnaires/, texts/ and templates/",
        location=Location(path),
        hint="replace the link with the folder or file itself (a workspace is shared: a "
        "link in it may point anywhere on the reader's machine)",
    )


def list_folder(folder: Path, what: str = "folder") -> list[Path]:
    """The entries of one workspace folder, refusing what could hide or import something.

    The one rule for listing ``responses/``, ``questionnaires/``, ``texts/``
    and ``templates/``: a link (the folder itself or an entry in it) or a
    folder that cannot be read is an error naming it, never silently
    skipped, so no department vanishes from a report without a word.

    Args:
        folder: the folder.
        what: what to call it in a message ("report template folder").

    Returns:
        The paths in ``folder`` (unsorted).

    Raises:
        InputError: ``folder`` or an entry is a link, ``folder`` is not a
            folder, or it cannot be read.
    """
    if os.path.islink(folder):
        raise _refuse_link(folder)
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except NotADirectoryError:
        raise InputError(
            "this should be a folder, but it is a file",
            location=Location(folder),
            hint="move the file away and make this a folder",
        ) from None
    except OSError as exc:
        raise InputError(
            f"this {what} cannot be read: {exc.strerror or exc}",
            location=Location(folder),
            hint="give yourself read permission on it (chmod u+rx), or remove it",
        ) from None
    for entry in listed:
        if entry.is_symlink():
            raise _refuse_link(Path(entry.path))
    return [Path(entry.path) for entry in listed]


def list_tree(folder: Path) -> list[Path]:
    """Every file (and empty or unreadable place) below ``folder``, by :func:`list_folder`'s rule.

    Returns:
        Every path below ``folder`` that is not a folder, and every folder
        named like a file (``x.yaml``, ``preface.md``: where a file may be
        expected, reading it then says it is a folder); folders are
        descended into.

    Raises:
        InputError: as :func:`list_folder`, for any folder on the way.
    """
    found: list[Path] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        for path in list_folder(here):
            if path.is_dir():
                if path.suffix:
                    found.append(path)
                stack.append(path)
            else:
                found.append(path)
    return found
