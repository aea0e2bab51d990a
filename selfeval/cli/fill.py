"""``selfeval fill``."""

from __future__ import annotations

import sys
from typing import Annotated

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
    echo_err,
    fit_terminal,
    handle_errors,
    implied_category,
    participant_code,
    report_session,
    respondent_errors,
    resume_command,
    terminal_prompter,
)


@app.command("fill", cls=RespondentCommand)
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
    category: CategoryOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
    answers: AnswersOption = None,
    submit: SubmitOption = False,
    reopen: ReopenOption = False,
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
      selfeval fill -p DEF --category risicolanden
    """
    from selfeval.files.workspace import Workspace
    from selfeval.fill.run import choose_questionnaire, run_fill

    # At a terminal the reader is a respondent: errors in the session language.
    respondent = answers is None
    if respondent:
        respondent_errors(lang)
    ws = Workspace.open(workspace)
    if respondent:
        respondent_errors(lang, ws)
    participant = participant_code(ws, participant)
    # A wrong participant or questionnaire is the first thing to hear about,
    # before "no terminal" (a mistyped code would otherwise hide behind it).
    choose_questionnaire(ws, participant, questionnaire)
    category = implied_category(ws, participant, category, lang.value if lang else None)
    ws.one_category(category)
    check_session_flags(
        answers, submit=submit, interactive=sys.stdin.isatty(), answers_doc="docs/fill-reference.md"
    )
    from selfeval.files.store import SubmittedError

    try:
        outcome = run_fill(
            workspace=ws,
            participant=participant,
            questionnaire=questionnaire,
            lang=lang.value if lang else None,
            answers_file=answers,
            submit=submit,
            reopen=reopen,
            prompter=terminal_prompter,
            category=category,
        )
    except SubmittedError as exc:
        if answers is not None:
            raise
        # A respondent at a terminal: plain words in the session language.
        from selfeval.fill.local import local_time
        from selfeval.i18n import gettext

        language = lang.value if lang else ws.exercise.language
        when = local_time(exc.submitted_at, language)
        said = gettext(language, "fill.already_submitted", participant=exc.participant, when=when)
        echo_err(fit_terminal(said, sys.stderr))
        raise typer.Exit(1) from None
    resume = resume_command(
        "fill",
        participant,
        ("--questionnaire", questionnaire),
        ("--category", category),
        workspace=workspace,
        lang=lang.value if lang else None,
    )
    report_session(outcome, resume, paths=answers is not None)
