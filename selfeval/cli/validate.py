"""``selfeval validate``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfeval.cli._common import WorkspaceOption, app, echo_err, handle_errors

if TYPE_CHECKING:
    from selfeval.checks.validate import MergesCheck
    from selfeval.files.workspace import Workspace


@app.command("validate")
@handle_errors
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to check. Default: the whole workspace.",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Check questionnaires, the exercise file and responses.

    Every problem is listed with file:line:column and what to do. Responses
    are checked against exactly the questionnaire version (and content hash)
    they pin. Report template overrides in templates/ are parsed and tried:
    the report is rendered with them on the worked example's data, in the
    sandbox aggregate uses. Exit 0 when everything is valid, 1 when anything
    is not.

    Examples:

    \b
      selfeval validate
      selfeval validate questionnaires/ responses/falende-staten/BZ/
    """
    from selfeval.checks.validate import validate_paths, validate_workspace
    from selfeval.files.workspace import Workspace
    from selfeval.report.trial import check_and_try_templates

    if paths:
        ws = Workspace.open(workspace) if workspace else None
        report = validate_paths(
            paths,
            workspace=ws,
            template_check=check_and_try_templates,
            merges_check_of=_check_merges,
        )
    else:
        report = validate_workspace(
            Workspace.open(workspace),
            template_check=check_and_try_templates,
            merges_check=_check_merges,
        )
    for problem in report.problems:
        echo_err(f"Error: {problem}")
    for warning in report.warnings:
        echo_err(f"Warning: {warning}")
    files = len(report.checked)
    if report.ok:
        typer.echo(f"OK: {files} file{'s' if files != 1 else ''} valid.")
        return
    count = len(report.problems)
    echo_err(
        f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}."
    )
    raise typer.Exit(1)


def _check_merges(ws: Workspace) -> MergesCheck:
    """``texts/merges.yaml`` checked by aggregate's own code (imported only when there is one)."""
    from selfeval.report import aggregate

    return aggregate.MergesCheck(ws)
