"""``selfeval init``: lay out a new workspace, empty or as the worked example.

Every workspace also gets a ``.gitignore`` and a ``.gitattributes``
(:data:`GITIGNORE`, :data:`GITATTRIBUTES`), so that departments on separate
machines can share it through git without committing lock or temporary files
and without line-end noise (``docs/collaboration.md``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from selfeval.errors import InputError, Location, RefusedError
from selfeval.files.resources import example_files, newest_questionnaires, template_dir
from selfeval.model.exercise import EXERCISE_FILE

__all__ = ["GITATTRIBUTES", "GITIGNORE", "init_workspace"]

#: The ``.gitignore`` of a new workspace. Generated reports are *not* ignored:
#: the secretariat commits ``reports/`` (departments need ``reports/draft.yaml``
#: for peer review); departments commit only their own ``responses/`` folder.
GITIGNORE = """\
# Written by `selfeval init`: what git must not see in a selfeval workspace.
# See docs/collaboration.md.

# Lock files, held while a command changes a response (selfeval keeps them in .selfeval/).
/.selfeval/
*.lock
# Temporary files of a save that was interrupted (.<file>.<random>.tmp).
.*.tmp
# Caches and editor leftovers.
__pycache__/
*.pyc
.DS_Store
Thumbs.db
*~
*.swp

# Generated reports (reports/) are NOT ignored on purpose: the secretariat runs
# `selfeval aggregate` and commits reports/, so that every department gets
# reports/draft.yaml for peer review. Departments commit only their own
# responses/<category>/<CODE>/ folder.
"""

#: The ``.gitattributes`` of a new workspace: text files with LF line ends on
#: every machine, so a Windows checkout neither changes every line nor breaks
#: the questionnaire content hash.
GITATTRIBUTES = """\
# Written by `selfeval init`: selfeval files are UTF-8 text with LF line ends everywhere.
* text=auto eol=lf
*.yaml text eol=lf
*.yml text eol=lf
*.md text eol=lf
*.html text eol=lf
*.j2 text eol=lf
*.docx binary
*.xlsx binary
*.zip binary
"""

#: Extra files every new workspace gets: (relative path, content).
_GIT_FILES = ((Path(".gitignore"), GITIGNORE), (Path(".gitattributes"), GITATTRIBUTES))


def init_workspace(target: Path, *, example: bool = False, force: bool = False) -> list[Path]:
    """Create a workspace in ``target``.

    Args:
        target: the folder; created if missing.
        example: lay out the worked example (falende staten) instead of an
            empty exercise.
        force: allow a folder that already has files (never overwrites one).

    Returns:
        The files written, relative to ``target``.

    Raises:
        RefusedError: ``target`` (or a folder above it) is a file, already
            holds a workspace, or is not empty and ``force`` is not given;
            nothing is written then.
        InputError: a file or folder cannot be written (disk full, read-only,
            a file in the way); the files already copied are left.
    """
    in_the_way = next((p for p in (target, *target.parents) if p.exists()), None)
    if in_the_way is not None and not in_the_way.is_dir():
        raise RefusedError(
            f"{in_the_way} is a file, not a folder: a workspace is a folder",
            hint="give a new or empty folder for the workspace, e.g. `selfeval init my-exercise`",
        )
    if (target / EXERCISE_FILE).exists():
        raise RefusedError(
            f"{target} already holds a workspace ({EXERCISE_FILE} exists)",
            hint="choose another folder; init never overwrites a workspace",
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise RefusedError(
            f"{target} is not empty",
            hint="choose an empty or new folder, or pass --force to add the workspace beside it",
        )
    if example:
        pairs = example_files()
    else:
        template = template_dir()
        pairs = [(p, p.relative_to(template)) for p in sorted(template.rglob("*")) if p.is_file()]
        # The newest version of each questionnaire only: older ones serve the worked example.
        pairs += [(p, Path("questionnaires") / p.name) for p in newest_questionnaires()]
    written: list[Path] = []
    try:
        for source, relative in pairs:
            destination = target / relative
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            written.append(relative)
        for relative, text in _GIT_FILES:
            destination = target / relative
            if not destination.exists():  # --force beside an existing repository: keep its own
                destination.write_text(text, "utf-8", newline="\n")
                written.append(relative)
        (target / "responses").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # A full disk, a read-only folder, a file where a folder should be: say so, no traceback.
        where = Path(exc.filename) if exc.filename else target
        raise InputError(
            f"cannot create the workspace: {exc.strerror or exc}",
            location=Location(where),
            hint=f"check that {target} is writable and the disk has space, then delete what "
            f"was created ({len(written)} files) and run init again",
        ) from None
    return written
