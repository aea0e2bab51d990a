"""``selfeval peer-review``."""

from __future__ import annotations

import sys
from enum import StrEnum
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
    from selfeval.peer_review.run import PeerReviewResult


class Round(StrEnum):
    """The two peer-review rounds (collegiale toets 1 and 2)."""

    one = "1"
    two = "2"


def _terminal_prompter(lang: str) -> Prompter:
    from selfeval.cli.terminal import TerminalPrompter

    return TerminalPrompter(lang=lang)


def _resume(
    participant: str,
    draft: Path | None,
    workspace: Path | None,
    round_: str | None,
    lang: str | None,
) -> str:
    parts = ["selfeval", "peer-review", "--participant", participant]
    if round_:
        parts += ["--round", round_]
    if draft is not None:
        parts += ["--draft", str(draft)]
    if workspace is not None:
        parts += ["--workspace", str(workspace)]
    if lang:
        parts += ["--lang", lang]
    return " ".join(parts)


def _report(result: PeerReviewResult, resume: str) -> None:
    """The closing lines, in the session language (texts in :mod:`selfeval.fill.prompter`)."""
    from selfeval.fill.prompter import message

    for note in result.notes:
        typer.echo(f"Note: {note}.")
    if result.state == "listed":
        typer.echo(
            f"Round {result.round}: {len(result.findings)} findings to react to (id, kind, title):"
        )
        for finding in result.findings:
            typer.echo(f"  {finding.id}  [{finding.kind}]  {finding.title}")
        return
    lang = result.lang
    path = shown_path(result.path)
    if result.reopened is not None:
        typer.echo(message("end_reopened", lang, path=shown_path(result.reopened)))
    counts = message("end_reacted", lang, done=result.reacted, count=len(result.findings))
    if result.still_submitted:
        line = message("end_unchanged", lang, path=path)
        if result.state != "interrupted":
            typer.echo(line)
            return
        echo_err("\n" + line)
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    if result.state == "submitted":
        typer.echo(
            message("end_review_submitted", lang, round=result.round, path=path, counts=counts)
        )
        return
    if result.state == "interrupted":
        echo_err("\n" + message("end_interrupted_review", lang, path=path, counts=counts))
        echo_err(message("end_resume", lang, command=resume))
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    typer.echo(message("end_draft", lang, path=path, counts=counts))
    typer.echo(message("end_continue", lang, command=resume))


@app.command("peer-review")
@handle_errors
def peer_review_command(
    participant: Annotated[
        str,
        typer.Option(
            "--participant",
            "-p",
            help="Participant code of the reviewing department (e.g. FIN).",
            show_default=False,
        ),
    ],
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            help="The draft's findings file. Default: reports/draft.yaml in the workspace.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    round_: Annotated[
        Round | None,
        typer.Option(
            "--round",
            help="1 or 2. Default: the round in the participant's involvement (selfeval.yaml).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="React and answer without prompts, from this YAML or JSON file (item id: "
            "answer, plus reactions: [{finding, verdict, comment, correction}]).",
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
            help="Change a submitted peer review; the submitted version is kept beside it.",
        ),
    ] = False,
    rebase: Annotated[
        bool,
        typer.Option(
            "--rebase",
            help="Continue on a draft other than the one this review started on: unchanged "
            "reactions carry over, changed findings are asked again, nothing is deleted.",
        ),
    ] = False,
    list_findings: Annotated[
        bool,
        typer.Option("--list", help="Only list the findings this participant reacts to."),
    ] = False,
) -> None:
    """React to the draft integrated report, as one department (collegiale toets).

    Round 1 walks the findings and role descriptions of the OTHER departments;
    round 2 walks what the draft says about the department's OWN role. Per
    finding: agree, partly agree, disagree or no opinion, with a comment
    (required for partly agree and disagree) and an optional correction; then
    the round's questionnaire. Every answer is saved at once; Ctrl-C stops and
    prints how to resume (exit 130). If the draft changed since the review
    started, the changed findings are listed and --rebase is needed.

    Examples:

    \b
      selfeval peer-review --participant DEF
      selfeval peer-review -p FIN --list
      selfeval peer-review -p FIN --answers answers/FIN-peer-review-2.yaml --submit
    """
    from selfeval.files.workspace import Workspace
    from selfeval.peer_review.run import run_peer_review

    result = run_peer_review(
        Workspace.open(workspace),
        participant=participant,
        draft_path=draft,
        round_=int(round_.value) if round_ else None,
        answers_file=answers,
        submit=submit,
        reopen=reopen,
        rebase=rebase,
        list_only=list_findings,
        lang=lang.value if lang else None,
        interactive=sys.stdin.isatty(),
        prompter=_terminal_prompter,
    )
    _report(
        result,
        _resume(
            participant,
            draft,
            workspace,
            round_.value if round_ else None,
            lang.value if lang else None,
        ),
    )
