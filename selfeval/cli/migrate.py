"""``selfeval migrate``."""

from __future__ import annotations

from typing import Annotated

import typer

from selfeval.cli._common import (
    WorkspaceOption,
    app,
    echo_err,
    handle_errors,
    participant_code,
    shown_path,
)


@app.command("migrate")
@handle_errors
def migrate_command(
    questionnaires: Annotated[
        list[str] | None,
        typer.Argument(
            help="Questionnaire ids. Default: every questionnaire selfeval.yaml pins.",
            show_default=False,
            metavar="QUESTIONNAIRE",
        ),
    ] = None,
    participant: Annotated[
        str | None,
        typer.Option("--participant", "-p", help="Only this participant's responses."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="The version to move to. Default: the one selfeval.yaml pins.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show per response what would change; write nothing."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Move responses on an older questionnaire version to the pinned one.

    Uses what the new version's file declares in 'migrates_from:' (renamed
    items, removed items, renamed choice values). Each response's old file is
    kept beside it (<questionnaire>.migrated-<old version>-<time>.yaml) and
    the migration is recorded in the response. An answer that cannot be
    carried over is listed and stays in the kept old file; a submitted
    response with an answer that has no place in the new version, or without
    a required answer, becomes a draft.
    Exit 0 when all went well, 1 when a response could not be migrated.

    Examples:

    \b
      selfeval migrate --dry-run
      selfeval migrate self-evaluation --participant BZ
      selfeval migrate self-evaluation --to 1.1.0
    """
    from selfeval.cli.progress import progress_bar
    from selfeval.files.migrate import migrate_workspace
    from selfeval.files.workspace import Workspace

    ws = Workspace.open(workspace)
    if participant is not None:
        participant = participant_code(ws, participant)
    with progress_bar() as progress:
        result = migrate_workspace(
            ws,
            questionnaires=questionnaires,
            participant=participant,
            to=to,
            dry_run=dry_run,
            progress=progress,
        )
    failed = 0
    for plan in result.plans:
        where = shown_path(plan.path)
        if plan.error is not None:
            failed += 1
            echo_err(f"Error: {where}: not migrated: {plan.error}")
            continue
        typer.echo(f"{where}: {plan.questionnaire} {plan.from_version} → {plan.to_version}")
        for change in plan.changes:
            label = {
                "renamed": "renamed",
                "value": "choice",
                "removed": "NOT CARRIED",
                "not-carried": "NOT CARRIED",
            }
            typer.echo(f"  {label[change.kind]}: {change}")
        if not plan.changes:
            typer.echo("  every answer carries over unchanged")
        kept = result.kept.get(plan.path)
        if plan.not_carried:
            place = kept.name if kept else "the old file, kept beside it"
            typer.echo(f"  {len(plan.not_carried)} answer(s) not carried over stay in {place}")
        if kept is not None and not plan.not_carried:
            typer.echo(f"  old file kept as {kept.name}")
        if plan.was_submitted and not plan.submitted:
            why = "an answer has no place in it" if plan.lost else "a required answer is missing"
            typer.echo(
                f"  {'would become' if dry_run else 'now'} a draft ({why}): "
                f"{plan.participant} checks it with `selfeval fill --participant "
                f"{plan.participant} --questionnaire {plan.questionnaire}` and submits it again"
            )
        for missing in plan.missing:
            typer.echo(f"  missing: {missing}")
    done = len(result.plans) - failed
    moved = {p.questionnaire for p in result.plans} or set(result.target)
    targets = ", ".join(f"{q} {v}" for q, v in result.target.items() if q in moved)
    if not result.plans:
        typer.echo(f"Nothing to migrate: every response is on {targets}.")
    elif dry_run:
        typer.echo(f"Dry run: {done} response(s) would be migrated to {targets}; nothing written.")
    else:
        typer.echo(f"Migrated {done} response(s) to {targets}; the old files are kept beside them.")
    if failed:
        raise typer.Exit(1)
