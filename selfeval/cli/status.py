"""``selfeval status``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

from selfeval.cli._common import WorkspaceOption, app, echo_err, handle_errors

if TYPE_CHECKING:
    from rich.table import Table

    from selfeval.status import Status, StatusRow

_STYLE = {
    "not-started": "dim",
    "draft": "yellow",
    "reopened": "magenta",
    "submitted": "green",
    "invalid": "bold red",
}


def _progress(row: StatusRow) -> str:
    if row.required is None:
        return ""
    text = f"{row.required_answered}/{row.required} required"
    if row.reactions:
        text += f", {row.reactions} reaction{'s' if row.reactions != 1 else ''}"
    return text


def _short(stamp: str | None) -> str:
    """``2026-05-02T10:30:00Z`` → ``2026-05-02 10:30`` (UTC); anything else as it is."""
    if not stamp:
        return "?"
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|\+00:00)", stamp)
    return f"{match[1]} {match[2]}" if match else stamp


def _when(row: StatusRow) -> str:
    if row.state == "submitted":
        return f"submitted {_short(row.submitted_at)}"
    if row.state == "invalid":
        return row.problem or ""
    if row.state == "not-started":
        return ""
    text = f"saved {_short(row.updated_at or row.started_at)}"
    if row.reopened_from:
        text += f" (reopened from {row.reopened_from})"
    return text


def build_table(status: Status) -> Table:
    """Build the rich table of ``status`` (one row per participant and questionnaire)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Responses — {status.incident_category}", title_justify="left")
    table.add_column("Participant")
    table.add_column("Questionnaire")
    table.add_column("State")
    table.add_column("Progress")
    table.add_column("When / problem", overflow="fold")
    for row in status.rows:
        state = Text(row.state.replace("-", " "), style=_STYLE[row.state])
        qid = row.questionnaire if row.expected else f"{row.questionnaire} (not asked for)"
        participant = row.participant
        if row.name != row.participant:
            participant += f" ({row.name})"
        table.add_row(participant, qid, state, _progress(row), _when(row))
    return table


@app.command("status")
@handle_errors
def status_command(
    workspace: WorkspaceOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the status as JSON, for scripts.")
    ] = False,
) -> None:
    """Show who has answered what, how complete, and what is still missing.

    One row per participant and expected questionnaire (from the forms of
    involvement in selfeval.yaml): not started, draft (required questions
    answered, last saved), reopened, or submitted (when); then a summary line
    and the peer reviews still missing. Exit 0; exit 1 when a response file
    cannot be read (each such file is named with its line).

    Examples:

    \b
      selfeval status
      selfeval status --json | jq '.summary'
    """
    from selfeval.status import workspace_status
    from selfeval.workspace import Workspace

    status = workspace_status(Workspace.open(workspace))
    if as_json:
        import json

        typer.echo(json.dumps(status.to_data(), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        console = Console(highlight=False)
        console.print(build_table(status))
        console.print(status.summary.line(), markup=False)
        missing = status.summary.missing_peer_reviews
        if missing:
            listed = ", ".join(f"{p} ({q})" for p, q in missing)
            console.print(f"Peer reviews still missing: {listed}", markup=False)
    for problem in status.problems:
        echo_err(f"Error: {problem}")
    if status.problems:
        raise typer.Exit(1)
