"""``selfeval import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import WorkspaceOption, app, handle_errors, shown_path


@app.command("import")
@handle_errors
def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Response files received (e.g. by mail), or .zip files of them.",
            show_default=False,
            metavar="FILE…",
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace a response already in the workspace; a submitted one is kept "
            "beside it, as --reopen keeps it.",
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Put response files received by mail where they belong in the workspace.

    Each file is checked first: a participant of the exercise, its incident
    category, the questionnaire version it pins (present, same content hash)
    and its answers. It is then written to
    responses/<category>/<participant>/<questionnaire>.yaml, whatever its own
    file name. All or nothing: if one file is refused, none is imported. A
    response already there is only replaced with --replace.

    Examples:

    \b
      selfeval import ~/Downloads/self-evaluation.yaml
      selfeval import bz.yaml def.yaml
      selfeval import --replace responses-fin.zip
    """
    from selfeval.files.importing import import_responses
    from selfeval.files.workspace import Workspace

    imported = import_responses(Workspace.open(workspace), files, replace=replace)
    for item in imported:
        response = item.response
        what = f"{response.participant}'s {response.questionnaire.id} ({response.status})"
        verb = "Unchanged" if item.unchanged else "Replaced" if item.replaced else "Imported"
        typer.echo(f"{verb} {what}: {shown_path(item.target)} (from {item.source})")
        if item.kept is not None:
            typer.echo(f"  the submitted version it replaced is kept as {shown_path(item.kept)}")
    count = sum(not item.unchanged for item in imported)
    typer.echo(f"{count} response{'s' if count != 1 else ''} imported. Next: selfeval status")
