"""``selfeval aggregate``."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import (
    WorkspaceOption,
    app,
    choices,
    echo_err,
    handle_errors,
    shown_path,
)


class _Format(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


@app.command("aggregate")
@handle_errors
def aggregate_command(
    workspace: WorkspaceOption = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help="Report on this incident category only. Default: every category of the "
            "exercise, one report each (in reports/<category>/ when there are several).",
            show_default=False,
        ),
    ] = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Write the draft report for peer review, plus reports/draft.yaml.",
        ),
    ] = False,
    fmt: Annotated[
        _Format,
        typer.Option(
            "--format",
            "-f",
            help="md (Markdown), html (one printable page) or docx (Word, with "
            "the workspace's templates/reference.docx as house style if there is one).",
            **choices(_Format),
        ),
    ] = _Format.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Report path. Default: reports/integrated-report[-draft].md|html|docx in the workspace.",  # noqa: E501
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    include_drafts: Annotated[
        bool,
        typer.Option(
            "--include-drafts", help="Also include responses not yet submitted (status: draft)."
        ),
    ] = False,
    ids: Annotated[
        bool | None,
        typer.Option(
            "--ids/--no-ids",
            help="Show finding ids in the running text. Default: in the draft, not in the "
            "final report.",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Read and parse the response files in this many worker processes "
            "(0: one per CPU core); from 2 on, the figures are also drawn in a helper "
            "process while the report is written. Worth it from a few hundred responses on.",
        ),
    ] = 1,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse what earlier runs read from unchanged responses (.selfeval/cache/); "
            "--no-cache reads and checks every response again.",
        ),
    ] = True,
) -> None:
    """Merge all responses into the integrated report.

    Reads the exercise, the questionnaires and every response, checks them
    (as validate does), and writes the report: each finding attributed to the
    departments that raised it, with a stable id, and the peer-review
    reactions woven in. Responses still in draft are left out, with a warning.
    A response unchanged since an earlier run is not parsed again: what was
    read from it is kept in .selfeval/cache/ (selfeval cache clear).

    Examples:

    \b
      selfeval aggregate
      selfeval aggregate --draft
      selfeval aggregate --format html -o report.html
      selfeval aggregate --format docx
      selfeval aggregate --jobs 2
      selfeval aggregate --category risicolanden
    """
    from selfeval.files.root import find_workspace
    from selfeval.report import runrecord

    root = find_workspace(explicit=workspace) if workspace is not None else find_workspace()
    inputs = None
    if cache:
        # Nothing changed since the last such run: its result, before loading any model.
        options = runrecord.options_of(
            draft=draft, fmt=fmt.value, output=output, include_drafts=include_drafts, ids=ids,
            category=category,
        )  # fmt: skip
        inputs, last = runrecord.last_run(root, options)
        if last is not None:
            _said([p for p, _ in last.written], last.warnings, last.findings, last.responses)
            return

    from selfeval.cli.progress import progress_bar
    from selfeval.report.aggregate import aggregate

    with progress_bar() as progress:
        result = aggregate(
            root,
            jobs=jobs,
            draft=draft,
            fmt=fmt.value,
            output=output,
            include_drafts=include_drafts,
            ids=ids,
            cache=cache,
            category=category,
            progress=progress,
            inputs=inputs,
        )
    _said(result.written, result.warnings, result.findings, result.responses)


def _said(written: Sequence[Path], warnings: Sequence[str], findings: int, responses: int) -> None:
    """What aggregate tells the user: warnings on stderr, the files written, the counts."""
    for warning in warnings:
        echo_err(f"Warning: {warning}")
    for path in written:
        typer.echo(f"Wrote {shown_path(path)}")
    typer.echo(f"{findings} findings from {responses} responses.")
