"""``selfeval questionnaire show``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from selfeval.cli._common import (
    LangOption,
    WorkspaceOption,
    app,
    choices,
    format_of,
    handle_errors,
    shown_path,
)

questionnaire_app = typer.Typer(
    help="Read the questionnaires of the workspace as documents.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(questionnaire_app, name="questionnaire")


class _Format(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


@questionnaire_app.command("show")
@handle_errors
def show_command(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="ID[@VERSION]",
            help="Questionnaire id, optionally with a version (default: the exercise's), "
            "or the path of a questionnaire file.",
            show_default=False,
        ),
    ],
    workspace: WorkspaceOption = None,
    fmt: Annotated[
        _Format | None,
        typer.Option(
            "--format",
            "-f",
            help="md (Markdown), html (one printable page) or docx (Word; needs -o). "
            "Default: from the -o file name, else md.",
            show_default=False,
            **choices(_Format),
        ),
    ] = None,
    lang: LangOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the document to this file. Default: print it.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show a questionnaire as a readable document, to read before filling it in.

    Sections and numbered questions, with their help text, the kind of answer
    (choices listed), which are required, and when a question is asked (its
    `when` condition in words). Meant for departments that want to read the
    questionnaire first, or circulate it for internal sign-off: as Markdown,
    one printable HTML page, or a Word document (A4, Word's heading styles).

    Examples:

    \b
      selfeval questionnaire show self-evaluation
      selfeval questionnaire show peer-review-1@1.0.0 --lang en
      selfeval questionnaire show self-evaluation --format html -o zelfevaluatie.html
      selfeval questionnaire show self-evaluation -o zelfevaluatie.docx
    """
    from selfeval.export.questionnaire import show_questionnaire

    document = show_questionnaire(
        ref,
        workspace=workspace,
        fmt=format_of(_Format, fmt, output, "md"),
        lang=lang.value if lang is not None else None,
        output=output,
    )
    if output is None:
        assert isinstance(document, str)  # docx needs -o (a usage error otherwise)
        typer.echo(document, nl=False)
    else:
        typer.echo(f"Wrote {shown_path(output)}")
