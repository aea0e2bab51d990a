"""Finding the workspace: the one rule, without loading the models (a fast start for re-runs)."""

from __future__ import annotations

from pathlib import Path

from selfeval.errors import NotFoundError
from selfeval.model.names import EXERCISE_FILE

__all__ = ["find_workspace"]


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
