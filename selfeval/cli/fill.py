"""``selfeval fill``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfeval.cli._common import (
    LangOption,
    WorkspaceOption,
    app,
    echo_err,
    handle_errors,
    shown_path,
)
from selfeval.errors import ExitStatus

if TYPE_CHECKING:
    from selfeval.fill.prompter import Prompter
    from selfeval.fill.session import Outcome


def _resume_command(
    participant: str, questionnaire: str | None, workspace: Path | None, lang: str | None
) -> str:
    parts = ["selfeval", "fill", "--participant", participant]
    if questionnaire:
        parts += ["--questionnaire", questionnaire]
    if workspace is not None:
        parts += ["--workspace", str(workspace)]
    if lang:
        parts += ["--lang", lang]
    return " ".join(parts)


def _terminal_prompter(lang: str) -> Prompter:
    from selfeval.cli.terminal import TerminalPrompter

    return TerminalPrompter(lang=lang)


def _report(outcome: Outcome, resume: str) -> None:
    """The closing lines, in the session language (texts in :mod:`selfeval.fill.prompter`)."""
    from selfeval.fill.prompter import message

    lang = outcome.lang
    p = outcome.progress
    path = shown_path(outcome.path)
    counts = message(
        "end_counts", lang, answered=p.answered, done=p.required_answered, required=p.required
    )
    if outcome.reopened is not None:
        typer.echo(message("end_reopened", lang, path=shown_path(outcome.reopened)))
    if outcome.inactive:
        typer.echo(message("end_inactive", lang, items=", ".join(outcome.inactive)))
    if outcome.still_submitted:
        line = message("end_unchanged", lang, path=path)
        if outcome.state != "interrupted":
            typer.echo(line)
            return
        echo_err("\n" + line)
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    if outcome.state == "submitted":
        typer.echo(message("end_submitted", lang, path=path, counts=counts))
        return
    if outcome.state == "interrupted":
        echo_err("\n" + message("end_interrupted", lang, path=path, counts=counts))
        echo_err(message("end_resume", lang, command=resume))
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    typer.echo(message("end_draft", lang, path=path, counts=counts))
    if p.missing:
        typer.echo(message("end_missing", lang, items=", ".join(outcome.missing_labels)))
    typer.echo(message("end_continue", lang, command=resume))


@app.command("fill")
@handle_errors
def fill_command(
    participant: Annotated[
        str,
        typer.Option(
            "--participant",
            "-p",
            help="Participant code of the department answering (e.g. BZ).",
            show_default=False,
        ),
    ],
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            help="ID[@VERSION]. Default: the self-evaluation, in the version a draft pins, "
            "else the exercise's, else the newest.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Fill without prompts from this YAML or JSON file (item id: answer; repeat "
            "groups as lists of mappings).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    submit: Annotated[
        bool, typer.Option("--submit", help="With --answers: submit in the same run.")
    ] = False,
    reopen: Annotated[
        bool,
        typer.Option(
            "--reopen",
            help="Change a submitted response; the submitted version is kept beside it.",
        ),
    ] = False,
) -> None:
    """Answer a questionnaire for one participant; every answer is saved at once.

    The response goes to responses/<category>/<participant>/<questionnaire>.yaml.
    Run it again to continue a draft, revisit a section or review and submit.
    Ctrl-C (or Ctrl-D) stops, keeps every answer and prints how to resume
    (exit 130). Without a terminal, give the answers with --answers FILE.
    A submitted response changes only with --reopen, and stays submitted
    until an answer actually changes. Messages follow the session language.

    Examples:

    \b
      selfeval fill --participant BZ
      selfeval fill -p DEF --answers def-answers.yaml --submit
      selfeval fill -p BZ --reopen
    """
    from selfeval.files.workspace import Workspace
    from selfeval.fill.run import run_fill

    outcome = run_fill(
        workspace=Workspace.open(workspace),
        participant=participant,
        questionnaire=questionnaire,
        lang=lang.value if lang else None,
        answers_file=answers,
        submit=submit,
        reopen=reopen,
        interactive=sys.stdin.isatty(),
        prompter=_terminal_prompter,
    )
    given = lang.value if lang else None
    _report(outcome, _resume_command(participant, questionnaire, workspace, given))
