"""``selfeval peer-review``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfeval.cli._common import (
    AnswersOption,
    CategoryOption,
    LangOption,
    ReopenOption,
    RespondentCommand,
    SubmitOption,
    WorkspaceOption,
    app,
    check_session_flags,
    choices,
    handle_errors,
    implied_category,
    participant_code,
    report_session,
    respondent_errors,
    resume_command,
    terminal_prompter,
)

if TYPE_CHECKING:
    from selfeval.peer_review.run import PeerReviewResult


class Round(StrEnum):
    """The two peer-review rounds (collegiale toets 1 and 2)."""

    one = "1"
    two = "2"


def _report_listed(result: PeerReviewResult) -> None:
    """``--list``: the notes, then the findings this participant reacts to."""
    for line in result.closing_notes():
        typer.echo(line)
    from selfeval.i18n import ngettext

    heading = ngettext(
        result.lang, "peer_review.listed", "peer_review.listed_plural", len(result.findings),
        round=result.round,
    )  # fmt: skip
    typer.echo(heading)
    for finding in result.findings:
        typer.echo(f"  {finding.id}  [{finding.kind}]  {finding.title}")


@app.command("peer-review", cls=RespondentCommand)
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
            **choices(Round),
        ),
    ] = None,
    category: CategoryOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
    answers: AnswersOption = None,
    submit: SubmitOption = False,
    reopen: ReopenOption = False,
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
    started, the session says what changed and asks to go on with it (with
    --answers, --rebase is needed); a submitted review is reopened on request.

    Examples:

    \b
      selfeval peer-review --participant DEF
      selfeval peer-review -p FIN --list
      selfeval peer-review -p FIN --answers answers/FIN-peer-review-2.yaml --submit
    """
    from selfeval.files.workspace import Workspace
    from selfeval.peer_review.run import choose_round, run_peer_review

    # At a terminal the reader is a respondent: errors in the session language.
    respondent = answers is None and not list_findings
    if respondent:
        respondent_errors(lang)
    ws = Workspace.open(workspace)
    if respondent:
        respondent_errors(lang, ws)
    participant = participant_code(ws, participant)
    requested = int(round_.value) if round_ else None
    if draft is None:
        # The draft is the category's: a department in one category needs no --category.
        category = implied_category(ws, participant, category, lang.value if lang else None)
    if not list_findings:
        # A wrong participant or round is the first thing to hear about.
        choose_round(ws.exercise, participant, requested)
        check_session_flags(
            answers,
            submit=submit,
            interactive=sys.stdin.isatty(),
            answers_doc="docs/peer-review-reference.md",
        )
    result = run_peer_review(
        ws,
        participant=participant,
        draft_path=draft,
        round_=requested,
        answers_file=answers,
        submit=submit,
        reopen=reopen,
        rebase=rebase,
        list_only=list_findings,
        lang=lang.value if lang else None,
        prompter=terminal_prompter,
        category=category,
    )
    if result.state == "listed":
        _report_listed(result)
        return
    resume = resume_command(
        "peer-review",
        participant,
        ("--round", round_.value if round_ else None),
        ("--draft", draft),
        ("--category", category),
        workspace=workspace,
        lang=lang.value if lang else None,
    )
    report_session(result, resume, paths=answers is not None)
