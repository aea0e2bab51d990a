"""``selfeval init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import app, handle_errors


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
) -> None:
    """Create a workspace: exercise file, questionnaires, responses/ and texts/.

    The questionnaires are copied in, so the workspace keeps working when
    selfeval is upgraded. A .gitignore (lock and temporary files) and a
    .gitattributes (LF line ends) are written for sharing the workspace
    through git (docs/collaboration.md). Nothing is ever overwritten.

    Examples:

    \b
      selfeval init my-exercise
      selfeval init --example falende-staten
    """
    from selfeval.files.scaffold import init_workspace

    written = init_workspace(directory, example=example, force=force)
    kind = "worked example" if example else "workspace"
    typer.echo(f"Created {kind} in {directory} ({len(written)} files).")
    if example:
        typer.echo(f"Next: cd {directory} && selfeval status && selfeval aggregate")
    else:
        typer.echo(f"Next: edit {directory / 'selfeval.yaml'}, then run: selfeval validate")
