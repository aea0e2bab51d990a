"""``selfeval status``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfeval.cli._common import WorkspaceOption, app, echo_err, handle_errors
from selfeval.errors import shown_path

if TYPE_CHECKING:
    from rich.table import Table

    from selfeval.checks.status import Status, StatusRow

_STYLE = {
    "not-started": "dim",
    "draft": "yellow",
    "reopened": "magenta",
    "submitted": "green",
    "invalid": "bold red",
}


def _required(row: StatusRow) -> str:
    if row.required is None:
        return ""
    return f"{row.required_answered}/{row.required}"


def _short(stamp: str | None) -> str:
    """``2026-05-02T10:30:00Z`` → ``2026-05-02 10:30`` (UTC); anything else as it is."""
    if not stamp:
        return ""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|\+00:00)", stamp)
    return f"{match[1]} {match[2]}" if match else stamp


def _when(row: StatusRow) -> str:
    if row.state == "submitted":
        return _short(row.submitted_at)
    if row.state in ("draft", "reopened"):
        return _short(row.updated_at or row.started_at)
    return ""


def _note(row: StatusRow) -> str:
    notes = []
    if row.state == "invalid" and row.problem:
        notes.append(row.problem)
    if row.questionnaire_changed:
        notes.append(f"{row.questionnaire}@{row.version} changed since; run selfeval validate")
    if row.pinned and row.migrate:
        notes.append(f"on {row.version}, pinned {row.pinned}: {row.migrate}")
    if row.not_counted:
        notes.append(f"kept but not counted: {', '.join(row.not_counted)}")
    if row.invited:
        notes.append("invited: not in its involvement in selfeval.yaml, counted")
    elif not row.expected:
        notes.append(f"not asked for: {row.not_asked}" if row.not_asked else "not asked for")
    if row.reactions:
        notes.append(f"{row.reactions} reaction{'s' if row.reactions != 1 else ''}")
    if row.state == "reopened" and row.reopened_from:
        notes.append(f"reopened from {row.reopened_from}")
    return "; ".join(notes)


#: Columns the table takes besides the note (participant … when, with padding).
_FIXED_WIDTH = 66


def build_table(status: Status, *, width: int = 200) -> tuple[Table, list[str]]:
    """Build the rich table of ``status``: one row per participant and questionnaire.

    Columns: participant, questionnaire, state, required answered / required (Req.),
    when (last saved for a draft, submitted for a submitted response, UTC)
    and a note (a file's problem, reactions, reopened from, not asked for).

    Args:
        status: the status of one incident category.
        width: the console's width. A note that does not fit in what the
            other columns leave (at 80 columns: broken into fragments) is
            numbered in the table, ``[1]``, and given in full below it.

    Returns:
        The table, and the notes to print below it (``[1] …``), if any.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Responses — {status.incident_category}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("Participant", no_wrap=True)
    table.add_column("Questionnaire", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Req.", no_wrap=True, justify="right")
    table.add_column("When (UTC)", no_wrap=True)
    table.add_column("Note", min_width=14, overflow="fold")
    room = max(width - _FIXED_WIDTH, 14)
    below: list[str] = []
    for row in status.rows:
        state = Text(row.state.replace("-", " "), style=_STYLE[row.state])
        note = _note(row)
        if len(note) > room:
            below.append(f"[{len(below) + 1}] {row.participant} {row.questionnaire}: {note}")
            note = f"[{len(below)}]"
        table.add_row(row.participant, row.questionnaire, state, _required(row), _when(row), note)
    return table, below


def _statuses(
    workspace: Path | None, category: str | None, *, cache: bool
) -> tuple[list[Status], list[str]]:
    """The status of each category asked for: from the last status's record, or gathered.

    With ``cache``, a record of a status of these very inputs
    (:func:`selfeval.report.runrecord.recall_output`: every workspace file,
    selfeval itself, the options) is shown again without loading a model or
    parsing a file, and so is a record of inputs that differ only in
    responses that read as before (the cut-off: each such response parsed by
    :func:`~selfeval.checks.status.read_as`, no model loaded; the record is
    then kept under the new inputs); otherwise each category is gathered by
    :func:`~selfeval.checks.status.workspace_status` — with ``cache``, from
    the rows kept of responses that did not change
    (:class:`selfeval.report.statusrows.StatusRows`), parsing only the others
    and the questionnaire versions they answer — and recorded when it has no
    problems (a file that cannot be read is read again next time, so its
    error keeps its file and line). A record that cannot be written (a
    read-only workspace) is not needed.

    A gathered status also gets the problems of its category's merges, by
    ``aggregate``'s own check (:meth:`~selfeval.report.aggregate.MergesCheck.problems_reading`:
    a ``same_as`` or ``texts/merges.yaml`` naming no finding, another
    category's, or one of another kind), so it is never recorded with them.
    That check too is a function of what the responses read as (their
    findings) and of other files' bytes (``texts/merges.yaml``), so the
    cut-off holds for it: a comment naming ``same_as`` changes nothing.

    Returns:
        The statuses, and the ids of the categories whose merges ``aggregate``
        refuses.
    """
    from selfeval.checks.status import Status, read_as, responses_read, same_as_recorded
    from selfeval.files.root import find_workspace
    from selfeval.report import runrecord

    root = find_workspace(explicit=workspace)
    options = {"command": "status", "root": str(root), "category": category}
    said = None
    if cache:
        said = runrecord.recall_output(root, options, read_as=read_as)
        recorded = said.data
        if isinstance(recorded, list) and recorded:
            try:
                statuses = [Status.from_data(data) for data in recorded]
            except ValueError:
                pass  # not what status records: gathered again
            else:
                if said.cut_off:  # responses read as before: kept under these inputs
                    runrecord.keep_output(
                        root,
                        said,
                        options,
                        recorded,
                        read=[rel for status in statuses for rel in responses_read(status)],
                        read_as=read_as,
                    )
                return statuses, []

    from selfeval.checks.status import workspace_status
    from selfeval.errors import SelfevalError
    from selfeval.files.workspace import Workspace
    from selfeval.report.aggregate import MergesCheck
    from selfeval.report.statusrows import StatusRows

    ws = Workspace(root)
    chosen = [category] if category else [c.id for c in ws.exercise.categories]
    kept = {one: StatusRows.open(ws, one) if cache else None for one in chosen}
    statuses = [workspace_status(ws, one, kept=kept[one]) for one in chosen]
    # What would make aggregate refuse a category: its merges, by aggregate's own check.
    merges = MergesCheck(ws)
    refused = []
    for status in statuses:
        found = merges.problems_reading([status.incident_category], cache=cache)
        if found:
            status.problems += found
            refused.append(status.incident_category)
    if cache:
        try:
            ws.prepare_state_dir()
        except (SelfevalError, OSError):
            return statuses, refused  # a read-only workspace: nothing kept
        for rows in kept.values():
            if rows is not None:
                rows.save()
    if said is not None and all(same_as_recorded(status) for status in statuses):
        runrecord.keep_output(
            root,
            said,
            options,
            [status.to_data() for status in statuses],
            read=[rel for status in statuses for rel in responses_read(status)],
            read_as=read_as,
        )
    return statuses, refused


@app.command("status")
@handle_errors
def status_command(
    workspace: WorkspaceOption = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help="Only this incident category. Default: every category of the exercise, "
            "one table each.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the status as JSON, for scripts.")
    ] = False,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Answer from the record of the last status when no file of the workspace "
            "changed since, and read only the responses that changed otherwise "
            "(.selfeval/cache/); --no-cache reads every response again.",
        ),
    ] = True,
) -> None:
    """Show who has answered what, how complete, and what is still missing.

    One row per participant and expected questionnaire (from the forms of
    involvement in selfeval.yaml): not started, draft (required questions
    answered, last saved), reopened, or submitted (when); then a summary line
    and the peer reviews still missing. An exercise with several incident
    categories gets one table per category (a participant answers per
    category); with --json, {"categories": [...]} holds one status each.
    A note too long for the terminal's width is numbered in the table and
    given in full below it. When no file of the workspace changed since the
    last status, it is shown again from its record in .selfeval/cache/
    without reading the responses, and so when only responses changed that
    read as before (a comment added); otherwise only the responses that
    changed are read again (selfeval cache clear).
    Exit 0; exit 1 when a response file cannot be read (each such file is
    named with its line), or when aggregate would refuse the report: no
    response counts, or a same_as or texts/merges.yaml names no finding of
    the category (at its line, as selfeval validate says it).

    Examples:

    \b
      selfeval status
      selfeval status --json | jq '.summary'
      selfeval status --category risicolanden
    """
    statuses, refused = _statuses(workspace, category, cache=cache)
    if as_json:
        import json

        data = (
            statuses[0].to_data()
            if len(statuses) == 1
            else {"categories": [status.to_data() for status in statuses]}
        )
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        console = Console(highlight=False)
        for status in statuses:
            table, below = build_table(status, width=console.width)
            console.print(table)
            for line in below:
                console.print(line, markup=False)
            console.print(status.summary.line(), markup=False)
            missing = status.summary.missing_peer_reviews
            if missing:
                listed = ", ".join(f"{p} ({q})" for p, q in missing)
                console.print(f"Peer reviews still missing: {listed}", markup=False)
    for path in statuses[0].not_counted:  # the same files in every category's status
        echo_err(
            f"Warning: {shown_path(path)}: not counted: a response counts only at "
            f"responses/<category>/<participant>/<questionnaire id>.yaml "
            f"(run `selfeval validate` to see where it belongs)"
        )
    # A problem of texts/merges.yaml is every category's: said once.
    problems = list({str(p): p for status in statuses for p in status.problems}.values())
    for problem in problems:
        echo_err(f"Error: {problem}")
    for one in refused:
        echo_err(
            f"selfeval aggregate refuses the report of {one} until its merges above are "
            "fixed (same_as, texts/merges.yaml: docs/findings.md §4)."
        )
    if problems:
        raise typer.Exit(1)
