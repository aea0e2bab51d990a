"""``selfeval init``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import Lang, app, choices, handle_errors


@app.command("init")
@handle_errors
def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the new workspace (created if missing).")
    ] = Path("."),
    example: Annotated[
        bool,
        typer.Option(
            "--example", help="Lay out the worked example (falende staten, 2006) instead."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Allow a folder that already has other files.")
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language of the next steps printed. Default: the new exercise's.",
            **choices(Lang),
        ),
    ] = None,
) -> None:
    """Create a workspace: exercise file, questionnaires, responses/ and texts/.

    The questionnaires are copied in, so the workspace keeps working when
    selfeval is upgraded. A .gitignore (lock and temporary files) and a
    .gitattributes (LF line ends) are written for sharing the workspace
    through git (docs/collaboration.md). Nothing is ever overwritten. It ends
    with the next steps, in the exercise's language unless --lang is given.

    Examples:

    \b
      selfeval init my-exercise
      selfeval init --example falende-staten
      selfeval init my-exercise --lang en
    """
    from selfeval.files.load import load_exercise
    from selfeval.files.scaffold import init_workspace
    from selfeval.model.exercise import EXERCISE_FILE

    written = init_workspace(directory, example=example, force=force)
    said = lang.value if lang else load_exercise(directory / EXERCISE_FILE).language
    typer.echo(next_steps(said, directory, files=len(written), example=example))


def next_steps(lang: str, directory: Path, *, files: int, example: bool) -> str:
    """What ``init`` prints: what it made and the commands to go on with.

    The commands are the ones the docs give for the same step (the worked
    example: ``docs/fill-reference.md`` and ``docs/peer-review-reference.md``,
    "Trying it"; an empty exercise: those and ``docs/new-exercise.md``), each
    on a line of its own under a line saying what it is for.

    Args:
        lang: ``nl`` or ``en``, the language of the lines (the commands stay as they are).
        directory: the folder as the user gave it; ``cd`` into it comes first
            unless it is the current folder.
        files: how many files were written.
        example: the worked example rather than an empty exercise.

    Returns:
        The lines, joined by newlines (no newline at the end).
    """
    from selfeval.i18n import N_, gettext, ngettext

    folder = shlex.quote(str(directory))
    if example:
        made = ngettext(
            lang, "init.created_example", "init.created_example_plural", files, folder=folder
        )
        steps = [
            (N_("init.example_report"), ["selfeval status", "selfeval aggregate"]),
            (N_("init.example_fill"), ["selfeval fill --participant BZ --reopen"]),
            (
                N_("init.example_peer_review"),
                ["selfeval aggregate --draft", "selfeval peer-review --participant BZ --round 1"],
            ),
        ]
    else:
        made = ngettext(lang, "init.created", "init.created_plural", files, folder=folder)
        steps = [
            (N_("init.try_fill"), ["selfeval fill --participant DEP1"]),
            (N_("init.own_exercise"), ["selfeval validate"]),
        ]
    lines = [made]
    if directory != Path("."):
        lines.append(f"  cd {folder}")
    for msgid, commands in steps:
        lines.append(gettext(lang, msgid))
        lines += [f"  {command}" for command in commands]
    return "\n".join(lines)
