"""``selfeval codeowners``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import WorkspaceOption, app, handle_errors, shown_path


@app.command("codeowners")
@handle_errors
def codeowners_command(
    team_pattern: Annotated[
        str,
        typer.Argument(
            help="Owner of a department's folder; {code} or {code_lower} stands for its code.",
            show_default=False,
            metavar="TEAM-PATTERN",
        ),
    ],
    secretariat: Annotated[
        str | None,
        typer.Option("--secretariat", help="Owner of everything else (exercise, texts, reports)."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Where to write it ('-' prints it). Default: CODEOWNERS."
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write a CODEOWNERS file: each department owns its responses/<category>/<CODE>/ folder.

    For a hosted forge (GitHub, GitLab, Forgejo): with the main branch
    protected and code-owner approval required, a department's changes can
    only touch its own folder. Made from the participants in selfeval.yaml;
    run it again when they change. See docs/collaboration.md.

    Examples:

    \b
      selfeval codeowners '@ministeries/{code_lower}' --secretariat @ministeries/secretariaat
      selfeval codeowners '{code_lower}@example.org' --output .gitlab/CODEOWNERS
    """
    from selfeval.files.codeowners import codeowners_text, write_codeowners
    from selfeval.files.workspace import Workspace

    ws = Workspace.open(workspace)
    if output == "-":
        typer.echo(codeowners_text(ws, team_pattern, secretariat), nl=False)
        return
    path = write_codeowners(
        ws, team_pattern, secretariat=secretariat, path=Path(output) if output else None
    )
    count = len(ws.exercise.participants)
    typer.echo(f"Wrote {shown_path(path)}: {count} department folders, each with its owner.")
