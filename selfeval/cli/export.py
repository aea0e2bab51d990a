"""``selfeval export``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import (
    WorkspaceOption,
    app,
    choices,
    echo_err,
    format_of,
    handle_errors,
    shown_path,
)


class _Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class _Table(StrEnum):
    answers = "answers"
    findings = "findings"
    participants = "participants"


def _format_of(fmt: _Format | None, output: Path | None) -> str:
    """``--format``, else the output's suffix (``.xlsx``, ``.json``, ``.csv``), else csv."""
    from selfeval.errors import UsageError

    if output is not None and str(output) == "-":
        raise UsageError(
            "export writes files, not standard output: '-o -' would make a folder named '-'",
            hint="give a file or folder name, e.g. -o export.xlsx or -o export/",
        )
    return format_of(_Format, fmt, output, "csv")


@app.command("export")
@handle_errors
def export_command(
    workspace: WorkspaceOption = None,
    fmt: Annotated[
        _Format | None,
        typer.Option(
            "--format",
            "-f",
            help="csv (a folder with a file per table), xlsx (one workbook, a sheet per table) "
            "or json. Default: from the -o file name, else csv.",
            show_default=False,
            **choices(_Format),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File (xlsx, json, one CSV table) or folder (CSV). "
            "Default: reports/export/ in the workspace.",
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        _Table | None,
        typer.Option(
            "--table",
            "-t",
            help="Only this table (CSV: one file).",
            show_default=False,
            **choices(_Table),
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help="Incident category id to export. Default: every category of the exercise.",
            show_default=False,
        ),
    ] = None,
    include_drafts: Annotated[
        bool,
        typer.Option(
            "--include-drafts", help="Also export responses not yet submitted (status: draft)."
        ),
    ] = False,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse what earlier runs read from unchanged responses (.selfeval/cache/); "
            "--no-cache reads and checks every response again.",
        ),
    ] = True,
) -> None:
    """Export every answer, finding and participant for analysts: CSV, XLSX or JSON.

    Three tables: answers (one row per answer: participant, questionnaire and
    version, status, item, its label, the repeat path such as
    bottlenecks[2].title, the value, and whether the item is active under its
    `when`); findings (id, kind, title, text, who raised it, merged ids and the
    peer-review reactions); participants (forms of involvement, what each
    has submitted). The responses are checked as aggregate checks them.
    Text cells that a spreadsheet would run as a formula (=, +, -, @) are
    neutralised; see docs/export.md.

    Examples:

    \b
      selfeval export
      selfeval export -o answers.xlsx
      selfeval export --format json -o export.json
      selfeval export --table answers -o answers.csv
    """
    from selfeval.cli.progress import progress_bar
    from selfeval.export.run import export

    chosen = _format_of(fmt, output)
    with progress_bar() as progress:
        result = export(
            workspace=workspace,
            fmt=chosen,  # type: ignore[arg-type]
            output=output,
            category=category,
            include_drafts=include_drafts,
            table=table.value if table is not None else None,
            cache=cache,
            progress=progress,
        )
    for warning in result.warnings:
        echo_err(f"Warning: {warning}")
    for path in result.written:
        typer.echo(f"Wrote {shown_path(path)}")
    counts = dict(result.counts)
    if "findings" in counts:  # as aggregate counts them: a finding gone is none
        counts["findings"] -= result.gone
    if "participants" in counts:  # a row per participant and incident category
        counts["participants"] = result.participants
    parts = [
        f"{counts[name]} {label}"
        for name, label in (
            ("answers", f"answers from {result.responses} responses"),
            ("findings", "findings"),
            ("participants", "participants"),
        )
        if name in counts
    ]
    if result.gone_reactions:
        parts.insert(
            parts.index(f"{counts['findings']} findings") + 1,
            f"{result.gone_reactions} reaction{'' if result.gone_reactions == 1 else 's'} "
            "to findings no longer in the report",
        )
    typer.echo(", ".join(parts) + ".")
