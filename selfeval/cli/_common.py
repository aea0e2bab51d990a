"""What every command shares: the Typer app, the error boundary, common options."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import typing
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from selfeval.errors import ExitStatus, SelfevalError, UsageError

#: click's exceptions as typer raises them: typer 0.29 carries its own copy of
#: click (``typer._click``); its public ``typer.BadParameter`` is one of them.
click_errors: Any = sys.modules[typer.BadParameter.__module__]

if TYPE_CHECKING:
    from selfeval.files.workspace import Workspace
    from selfeval.fill.prompter import Prompter
    from selfeval.fill.session import SessionResult

__all__ = [
    "COMMANDS",
    "AnswersOption",
    "Lang",
    "LangOption",
    "LazyGroup",
    "ReopenOption",
    "RespondentCommand",
    "SubmitOption",
    "WorkspaceOption",
    "app",
    "check_session_flags",
    "choices",
    "echo_err",
    "format_of",
    "handle_errors",
    "load_all_commands",
    "load_command_module",
    "participant_code",
    "report_session",
    "respondent_errors",
    "resume_command",
    "shown_path",
    "terminal_prompter",
]

P = ParamSpec("P")
R = TypeVar("R")

#: Every command of ``selfeval``, in the order ``selfeval --help`` lists them: its
#: name, the module of :mod:`selfeval.cli` that defines it, and the summary the list
#: shows. The command's own help (its docstring, or its group's ``help=``) is the
#: one place the summary is written; this is a copy, so that ``selfeval --help``
#: lists every command without importing any of their modules.
#: ``tests/test_lazy_commands.py`` checks that it is the same text (the first
#: sentence of that help, as click shortens it) and that the list is the same.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "Create a workspace: exercise file, questionnaires, responses/ and texts/."),
    "fill": (
        "fill",
        "Answer a questionnaire for one participant; every answer is saved at once.",
    ),
    "aggregate": ("aggregate", "Merge all responses into the integrated report."),
    "peer-review": (
        "peer_review",
        "React to the draft integrated report, as one department (collegiale toets).",
    ),
    "import": (
        "importing",
        "Put response files received by mail where they belong in the workspace.",
    ),
    "status": (
        "status",
        "Show who has answered what, how complete, and what is still missing.",
    ),
    "validate": ("validate", "Check questionnaires, the exercise file and responses."),
    "codeowners": (
        "codeowners",
        "Write a CODEOWNERS file: each department owns its responses/<category>/<CODE>/ folder.",
    ),
    "export": (
        "export",
        "Export every answer, finding and participant for analysts: CSV, XLSX or JSON.",
    ),
    "migrate": (
        "migrate",
        "Move responses on an older questionnaire version to the pinned one.",
    ),
    "schema": (
        "schema",
        "Print the JSON Schema of a file format, for editor completion and checking.",
    ),
    "questionnaire": ("questionnaire", "Read the questionnaires of the workspace as documents."),
    "cache": (
        "cache",
        "The workspace's cache of read responses (.selfeval/cache/, never committed).",
    ),
}


def load_command_module(name: str) -> None:
    """Import the module that defines command ``name`` (it registers itself on :data:`app`).

    Raises:
        KeyError: ``name`` is not in :data:`COMMANDS`.
    """
    import importlib

    importlib.import_module(f"selfeval.cli.{COMMANDS[name][0]}")


def load_all_commands() -> None:
    """Import every command module, so that ``app.registered_commands`` holds them all."""
    for name in COMMANDS:
        load_command_module(name)


class _Commands(MutableMapping[str, "TyperCommand | TyperGroup"]):
    """The commands of ``selfeval``, built the first time each is asked for.

    Its keys are those of :data:`COMMANDS`, in that order; looking one up
    imports its module and builds its click command with typer, exactly as
    ``typer.main.get_command(app)`` builds every command up front.
    """

    def __init__(self, built: Mapping[str, TyperCommand | TyperGroup]) -> None:
        self._built: dict[str, TyperCommand | TyperGroup] = dict(built)

    def __getitem__(self, name: str) -> TyperCommand | TyperGroup:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            command = _build_command(name)
            _parse_without_pydantic(command)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: TyperCommand | TyperGroup) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._built)


def _build_command(name: str) -> TyperCommand | TyperGroup:
    """Import command ``name``'s module and build its click command as typer does."""
    import typer.main

    load_command_module(name)
    for info in app.registered_commands:
        if info.name == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
    raise KeyError(f"selfeval.cli.{COMMANDS[name][0]} does not register {name!r}")


_NO_SHORTCUT = object()


def _shortcut(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` parsed as typer would, for the kinds of option we use, without pydantic.

    typer 0.29 parses every option value that is not already a bool through a
    pydantic ``TypeAdapter`` it builds on first use — importing pydantic and
    ``typer._adapters`` (~80 ms of start-up, docs/performance.md) even when
    an option is left out. For a text (``str``), a folder or file
    (``Path``, typer's own existence checks, when the path is written as
    ``Path`` writes it), a list of those, an ``int``
    that is already one (its default) and an option with our own ``parser``,
    the result is the one typer's adapter gives; ``tests/test_lazy_commands.py``
    compares the two for every option of every command. Anything else, or a
    ``parser`` that raises something other than ``typer.BadParameter``,
    returns :data:`_NO_SHORTCUT` and typer parses it.
    """
    from typing import get_args, get_origin

    if get_origin(annotation) is list and isinstance(value, (list, tuple)):
        items = [_shortcut(get_args(annotation)[0], info, item, param, ctx) for item in value]
        return _NO_SHORTCUT if _NO_SHORTCUT in items else items
    if info.parser is not None:
        if not isinstance(value, str):
            return _NO_SHORTCUT
        try:
            return info.parser(value)
        except typer.BadParameter:
            raise  # what typer's adapter lets through unchanged
        except Exception:  # typer words other errors its own way
            return _NO_SHORTCUT
    if annotation is str and isinstance(value, str):
        return value
    if annotation is int and type(value) is int:
        if info.min is None and info.max is None and not info.clamp:
            return value
    if (
        annotation is Path
        and isinstance(value, str)
        and info.path_type is None
        and not info.allow_dash
        and str(Path(value)) == value  # typer checks Path(value): "x/" is "x", "" is "."
    ):
        from typer._param_types import coerce_cli_path

        return Path(coerce_cli_path(value, info, path_type=None, param=param, ctx=ctx))
    return _NO_SHORTCUT


def _parse_without_pydantic(command: Any) -> None:
    """Give every option of ``command`` (and of its subcommands) :func:`_shortcut`'s parsing.

    typer builds its parser for an option the first time the option has a
    value, even None (``_TyperParameter.get_runtime_param``); this sets one
    that tries :func:`_shortcut` first and builds typer's own only when that
    declines. ``--help`` is made by click when first asked for, so it gets
    the same as it is made. If typer's internals are not as in 0.29, nothing
    is changed (typer parses everything, only slower);
    ``tests/test_lazy_commands.py`` notices.
    """
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # another typer: leave its parsing alone
        return

    class ShortcutParam(RuntimeParam):  # type: ignore[misc]
        """typer's coercion of one option, tried through :func:`_shortcut` first."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            done = _shortcut(self.annotation, self.parameter_info, value, param, ctx)
            if done is not _NO_SHORTCUT:
                return done
            return build_runtime_param(param.type_descriptor)._coerce_value(
                value, param=param, ctx=ctx
            )

    def shortcut(param: Any) -> None:
        descriptor = getattr(param, "type_descriptor", None)
        if isinstance(param, _TyperParameter) and descriptor is not None:
            if getattr(param, "_runtime_param", ...) is None:
                param._runtime_param = ShortcutParam(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
                )

    def walk(command: Any) -> None:
        for param in command.params:
            shortcut(param)
        made = command.get_help_option

        def get_help_option(ctx: Any) -> Any:
            option = made(ctx)
            if option is not None:
                shortcut(option)
            return option

        command.get_help_option = get_help_option
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(command)


class LazyGroup(TyperGroup):
    """``selfeval`` itself: imports a command's module only when that command is run.

    ``selfeval --help`` lists every command with its summary from
    :data:`COMMANDS` and imports none of them; ``selfeval status`` imports
    ``selfeval.cli.status`` only. Start-up (issue 20, docs/performance.md).
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _parse_without_pydantic(self)
        self.commands = _Commands(self.commands)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """The names of the commands, in the order of :data:`COMMANDS` (nothing imported)."""
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name`` (None if there is none); a stand-in while listing."""
        if self._listing and cmd_name in COMMANDS:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands as typer lists them, each summary from :data:`COMMANDS` (no import)."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    name="selfeval",
    help=(
        "Run an interdepartmental self-evaluation: versioned questionnaires, answered per "
        "department, merged into the integrated report.\n\n"
        "Flow: init → fill (each department) → aggregate --draft → peer-review → aggregate. "
        "Check files any time with validate; see who is done with status."
    ),
    no_args_is_help=True,
    add_completion=False,
    # Response data must never be printed into a terminal log by a crash.
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CategoryOption = Annotated[
    str | None,
    typer.Option(
        "--category",
        help="Incident category id (selfeval.yaml). Default: the exercise's only one, "
        "else the only one the participant answers for; otherwise needed.",
        show_default=False,
    ),
]

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (holds selfeval.yaml). Default: the current folder or a parent.",
        file_okay=False,
        show_default=False,
    ),
]


class NotAChoice(typer.BadParameter):
    """An option's value is not one of its choices (:func:`choices`); keeps both for a respondent.

    Attributes:
        value: the value given.
        names: the choices.
    """

    def __init__(self, value: str, names: list[str]) -> None:
        super().__init__(f"{value!r} is not one of the choices: {', '.join(names)}")
        self.value = value
        self.names = names


def choices(kind: type[StrEnum]) -> dict[str, Any]:
    """``typer.Option`` settings that parse one of ``kind``'s values, with a plain message.

    typer 0.29 parses enum options through pydantic and shows its prefix
    ("Value error, 'pdf' is not one of …"); this parser says instead
    "'pdf' is not one of the choices: md, html, docx" (exit 2, usage error),
    and the help shows the choices as ``<md|html|docx>``.

    Args:
        kind: the enum whose values the option takes.

    Returns:
        ``parser`` and ``metavar`` for ``typer.Option(**choices(kind))``.
    """
    names = [member.value for member in kind]

    def parse(value: str | StrEnum) -> StrEnum:
        if isinstance(value, kind):
            return value
        try:
            return kind(str(value))
        except ValueError:
            raise NotAChoice(str(value), names) from None

    return {"parser": parse, "metavar": "<" + "|".join(names) + ">"}


def format_of(kind: type[StrEnum], fmt: StrEnum | None, output: Path | None, default: str) -> str:
    """The output format: ``--format``, else the ``-o`` file's suffix, else ``default``.

    The one rule of ``export`` and ``questionnaire show``: ``-o analyse.xlsx``
    alone writes XLSX; a ``--format`` the file name contradicts
    (``--format md -o x.docx``) is a usage error rather than a file whose
    name lies about its content.

    Raises:
        UsageError: ``fmt`` and the suffix of ``output`` name different formats.
    """
    from selfeval.errors import UsageError

    names = [member.value for member in kind]
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if fmt is None:
        return suffix if suffix in names else default
    if suffix in names and suffix != fmt.value:
        raise UsageError(
            f"--format {fmt.value} does not match the output file {output}",
            hint=f"name the file .{fmt.value}, or leave --format out",
        )
    return str(fmt.value)


class Lang(StrEnum):
    """Languages a questionnaire (and its session texts) can be asked in."""

    nl = "nl"
    en = "en"


LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help="Language of the questions. Default: the exercise's.", **choices(Lang)
    ),
]


# -- what fill and peer-review share: answering a response in a session --------------

AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Answer without prompts, from this YAML or JSON file (item id: answer; repeat "
        "groups as lists of mappings; peer-review also takes reactions: [{finding, verdict, "
        "comment, correction}]).",
        dir_okay=False,
        show_default=False,
    ),
]

SubmitOption = Annotated[
    bool, typer.Option("--submit", help="With --answers: submit in the same run.")
]

ReopenOption = Annotated[
    bool,
    typer.Option(
        "--reopen",
        help="Change a submitted response; the submitted version is kept beside it.",
    ),
]


def check_session_flags(
    answers: Path | None, *, submit: bool, interactive: bool, answers_doc: str
) -> None:
    """Refuse the flag combinations ``fill`` and ``peer-review`` cannot run with.

    Args:
        answers: ``--answers FILE``, or None to ask in the terminal.
        submit: ``--submit`` was given.
        interactive: standard input is a terminal.
        answers_doc: the page that describes the command's answers file.

    Raises:
        UsageError: ``--submit`` without ``--answers`` (interactively one
            submits at the end of the questions); no terminal and no
            ``--answers`` (fail fast instead of waiting for input that never
            comes, ``STYLE.md`` §5).
    """
    if answers is not None:
        return
    from selfeval.i18n import Message

    if submit:
        raise UsageError(
            "--submit goes with --answers FILE",
            hint="interactively, you submit at the end of the questions",
            said=Message("error.submit_at_the_end"),
        )
    if not interactive:
        raise UsageError(
            "no terminal to ask the questions in (standard input is not a terminal)",
            hint=f"run it in a terminal, or give the answers with --answers FILE (YAML or "
            f"JSON keyed by item id; see {answers_doc})",
            said=Message("error.no_terminal"),
        )


def terminal_prompter(lang: str) -> Prompter:
    """The questionary/rich prompter for ``lang`` (imported only when asking)."""
    from selfeval.cli.terminal import TerminalPrompter

    return TerminalPrompter(lang=lang)


def participant_code(workspace: Workspace, given: str) -> str:
    """The participant a ``--participant`` code names: the one place the CLI resolves it.

    A code is matched exactly first; else, when it matches exactly one
    participant's code ignoring case (``bz`` for ``BZ``), that participant's
    code is returned, so every command goes on with the code as
    ``selfeval.yaml`` spells it (file names, resume commands).

    Args:
        workspace: the opened workspace.
        given: the code as typed.

    Returns:
        The participant code as in ``selfeval.yaml``.

    Raises:
        NotFoundError: no participant, or more than one, has that code
            ignoring case; the hint lists the codes.
    """
    from selfeval.errors import Location, NotFoundError
    from selfeval.model.exercise import EXERCISE_FILE

    codes = workspace.exercise.codes
    if given in codes:
        return given
    matches = [code for code in codes if code.casefold() == given.casefold()]
    if len(matches) == 1:
        return matches[0]
    from selfeval.i18n import Message

    raise NotFoundError(
        f"participant {given!r} is not in {EXERCISE_FILE}",
        location=Location(workspace.exercise_path),
        hint=f"use one of: {', '.join(codes)}",
        said=Message("error.unknown_participant", code=given, codes=", ".join(codes)),
    )


def implied_category(
    ws: Workspace, participant: str, category: str | None, lang: str | None
) -> str | None:
    """``--category`` of ``fill`` and ``peer-review``: as given, or the participant's only one.

    In an exercise with several incident categories, a participant whose
    ``categories:`` names one needs no ``--category`` (trial 10): that one is
    taken, and one line on stderr, in the session language, says so.

    Args:
        ws: the opened workspace.
        participant: the participant code (already checked).
        category: ``--category`` as given (None: not given).
        lang: ``--lang`` when given; else the exercise's language.

    Returns:
        The category to pass on (None: not given and none implied; the core
        then takes the exercise's only one or asks which).
    """
    if category is not None:
        return category
    implied = ws.only_category_of(participant)
    if implied is not None:
        from selfeval.i18n import gettext

        said = gettext(
            lang or ws.exercise.language,
            "fill.category_implied",
            participant=participant,
            category=implied,
        )
        echo_err(fit_terminal(said, sys.stderr))
    return implied


def resume_command(
    command: str,
    participant: str,
    *options: tuple[str, str | Path | None],
    workspace: Path | None,
    lang: str | None,
) -> str:
    """The command line that continues a session: the options given, in a fixed order.

    Args:
        command: ``fill`` or ``peer-review``.
        participant: the ``--participant`` code.
        options: (flag, value) pairs of the command's own options; None is left out.
        workspace: ``--workspace`` when given.
        lang: ``--lang`` when given.
    """
    parts = ["selfeval", command, "--participant", participant]
    for flag, value in (*options, ("--workspace", workspace), ("--lang", lang)):
        if value is not None and value != "":
            parts += [flag, str(value)]
    return " ".join(parts)


def report_session(result: SessionResult, resume: str, *, paths: bool = True) -> None:
    """Print how a ``fill`` or ``peer-review`` session ended, in the session language.

    Notes first, then: reopened, and one of still submitted / submitted /
    interrupted (on stderr, with the resume command; exit 130) / saved as a
    draft (with what is missing and the command that continues).

    Args:
        result: how the session ended.
        resume: the command that continues it.
        paths: name the response files (a coordinator's run with ``--answers``).
            A respondent at a terminal is told in words instead: the answers
            are saved and the coordinator collects them (issue 16).

    Raises:
        typer.Exit: 130 when the session was interrupted.
    """
    from selfeval.i18n import gettext

    def echo(line: str) -> None:
        typer.echo(fit_terminal(line, sys.stdout))

    def echo_err(line: str) -> None:
        typer.echo(fit_terminal(line, sys.stderr), err=True)

    lang = result.lang
    path = shown_path(result.path) if paths else None
    for line in result.closing_notes():
        echo(line)
    if result.reopened is not None:
        if paths:
            echo(gettext(lang, "fill.end_reopened", path=shown_path(result.reopened)))
        elif result.state != "submitted":
            echo(gettext(lang, "fill.end_reopened_kept"))
    if result.still_submitted:
        line = (
            gettext(lang, "fill.end_unchanged", path=path)
            if path is not None
            else gettext(lang, "fill.end_unchanged_saved")
        )
        if result.state != "interrupted":
            echo(line)
            return
        echo_err("\n" + line)
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    if result.state == "submitted":
        echo(result.submitted_text(path))
        if (result.reopened is not None or result.resubmitted) and path is None:
            # Submitted again (reopened in this run or an earlier one): not
            # "reopened", which is what it was in between.
            echo(gettext(lang, "fill.end_resubmitted"))
        return
    if result.state == "interrupted":
        echo_err("\n" + result.interrupted_text(path))
        echo_err(gettext(lang, "fill.end_resume", command=resume))
        raise typer.Exit(int(ExitStatus.INTERRUPTED))
    if path is None:
        echo(gettext(lang, "fill.end_draft_saved", counts=result.counts()))
    else:
        echo(gettext(lang, "fill.end_draft", path=path, counts=result.counts()))
    missing = result.missing_text()
    if missing:
        echo(missing)
    echo(gettext(lang, "fill.end_continue", command=resume))


def fit_terminal(text: str, stream: Any) -> str:
    """``text`` broken at spaces to the terminal's width when ``stream`` is a terminal.

    A terminal breaks a long line at its edge, in the middle of a word or a
    path; this breaks it between words instead (a word or path longer than a
    line stays whole, on a line of its own), the later lines of an indented
    line (``  hint: …``) under its first. Text for a file or a pipe is
    left as it is. Line breaks in ``text`` stay.
    """
    import shutil
    import textwrap

    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return text
    width = max(shutil.get_terminal_size().columns - 1, 20)
    lines = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return "\n".join(lines)


def shown_path(path: Path) -> str:
    """``path`` as every command shows it: relative when inside the current folder, else absolute.

    ``reports/integrated-report.md`` when run in the workspace;
    ``/tmp/out/x.xlsx`` for a file elsewhere (never ``../../tmp/out/x.xlsx``).
    """
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the current folder, or no current folder
        return str(absolute)


def echo_err(message: str) -> None:
    """Print ``message`` to stderr."""
    typer.echo(message, err=True)


#: Set by ``--debug`` (or ``SELFEVAL_DEBUG=1``) for the command being run.
_debug = False


def debug_enabled() -> bool:
    """True when ``--debug`` was given or ``SELFEVAL_DEBUG=1`` is set."""
    return _debug or os.environ.get("SELFEVAL_DEBUG", "") not in ("", "0")


def _where(exc: BaseException) -> str:
    """``module.function`` of the innermost selfeval frame of ``exc`` (no values, no paths)."""
    place = "selfeval"
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module == "selfeval" or module.startswith("selfeval."):
            place = f"{module}.{tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    return place


def internal_error_line(exc: BaseException) -> str:
    """The one line an unexpected exception becomes: its type and where, never its message.

    The message of an unexpected exception may quote an answer (``ValueError:
    invalid literal … '<the answer>'``), so it is left out, as are local
    variables; ``--debug`` shows the full traceback.
    """
    return (
        f"internal error: {type(exc).__name__} in {_where(exc)}; "
        f"run again with --debug and report it"
    )


# -- who reads an error: a respondent (fill, peer-review) or the coordinator ---------------

#: The language of an exercise that names none (``Exercise.language``): a
#: respondent's errors are said in it until the exercise is read, and when it
#: cannot be (no workspace here). ``tests/test_respondent_errors.py`` keeps the two equal.
DEFAULT_LANGUAGE = "nl"

#: The language the running command says its errors in to a respondent; None:
#: its errors are the coordinator's (English, with files and places).
_respondent_lang: str | None = None


def respondent_errors(lang: Lang | None, workspace: Workspace | None = None) -> None:
    """From here on, the running command's errors are said to a respondent (docs/translation.md).

    ``fill`` and ``peer-review`` at a terminal (without ``--answers``) call
    this first with ``--lang``, and again once the workspace is open: the
    session language is ``--lang``, else the exercise's ``language``, else
    (before the exercise is read) :data:`DEFAULT_LANGUAGE`.
    :func:`handle_errors` then prints an error's ``said`` in that language,
    and an error without one (a problem only the coordinator can solve)
    under a line that says to pass it on.

    Raises:
        InputError: ``workspace``'s exercise file is invalid.
    """
    global _respondent_lang
    if lang is not None:
        _respondent_lang = lang.value
    elif workspace is not None:
        _respondent_lang = workspace.exercise.language
    else:
        _respondent_lang = DEFAULT_LANGUAGE


def print_error(text: str) -> None:
    """Print an error on stderr, broken at spaces to the terminal's width (:func:`fit_terminal`).

    The one printer of :func:`handle_errors` and of a respondent's usage
    errors (:class:`RespondentCommand`).
    """
    echo_err(fit_terminal(text, sys.stderr))


def _error_text(exc: SelfevalError) -> str:
    """What ``exc`` says to the reader of the running command (:func:`respondent_errors`)."""
    lang = _respondent_lang
    if lang is None:
        return f"Error: {exc}"
    if exc.said is not None:
        return exc.said.text(lang)
    return _for_the_coordinator(f"Error: {exc}")


def _for_the_coordinator(text: str) -> str:
    """``text`` as is for the coordinator; for a respondent under a line that says to pass it on."""
    if _respondent_lang is None:
        return text
    from selfeval.i18n import gettext

    return gettext(_respondent_lang, "error.pass_on") + "\n" + text


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: every exception becomes one message on stderr and an exit code.

    ``SelfevalError`` → its message, exit 1 (2 for usage errors);
    ``KeyboardInterrupt``/``EOFError`` → "Interrupted.", exit 130;
    an unexpected ``OSError`` → its file and reason, exit 1;
    anything else (a bug, a ``RecursionError``, ``MemoryError``) →
    :func:`internal_error_line`, exit 70 — with ``--debug`` or
    ``SELFEVAL_DEBUG=1`` also the traceback (without local variables).
    Never a traceback otherwise (``docs/files.md``, "Security model").
    Once the command said its reader is a respondent
    (:func:`respondent_errors`): an error's ``said`` in the session
    language, else the message under a line asking to pass it on to the
    coordinator. Every message is broken at spaces to the terminal's width.
    """
    # Start-up: resolve the command's string annotations (``from __future__ import
    # annotations``) once, here. typer otherwise evaluates every ``Annotated[...,
    # typer.Option(...)]`` string twice per command on every run, even for
    # ``selfeval --help`` (measured: ~8 ms of its command-tree build; see
    # docs/performance.md). Names only imported under TYPE_CHECKING stay strings.
    with contextlib.suppress(NameError):
        func.__annotations__ = typing.get_type_hints(func, include_extras=True)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        global _respondent_lang
        _respondent_lang = None  # the coordinator's, until the command says otherwise
        try:
            return func(*args, **kwargs)
        except SelfevalError as exc:
            print_error(_error_text(exc))
            raise typer.Exit(int(exc.exit_status)) from None
        except (KeyboardInterrupt, EOFError):
            if _respondent_lang is None:
                echo_err("\nInterrupted.")
            else:
                from selfeval.i18n import gettext

                echo_err("\n" + gettext(_respondent_lang, "error.interrupted"))
            raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None
        except BrokenPipeError:
            # `selfeval … | head`: the reader left; stop quietly, as other tools do.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")
            raise typer.Exit(int(ExitStatus.ERROR)) from None
        except OSError as exc:
            # Last safety net: the core turns the file errors it expects into
            # SelfevalError; one it did not expect (a vanished folder, a full
            # disk mid-read) still gets a message, not a traceback.
            if debug_enabled():
                _print_traceback(exc)
            where = f"{exc.filename}: " if exc.filename else ""
            print_error(_for_the_coordinator(f"Error: {where}{exc.strerror or type(exc).__name__}"))
            raise typer.Exit(int(ExitStatus.ERROR)) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own ways to end a command (usage errors included)
        except Exception as exc:  # the last boundary: anything not ours
            if debug_enabled():
                _print_traceback(exc)
            print_error(_for_the_coordinator(f"Error: {internal_error_line(exc)}"))
            raise typer.Exit(int(ExitStatus.INTERNAL)) from None

    return wrapper


class RespondentCommand(TyperCommand):
    """A command a respondent runs (``fill``, ``peer-review``): its usage errors in their words.

    click's own usage errors ("Missing option '--participant' / '-p'.",
    "No such option: --foo", "Option '-p' requires an argument.") come
    before the command runs, so before :func:`handle_errors`; this says them
    in the session language (:func:`_usage_language`) instead, told apart by
    the kind of error and its option, never by click's English words; an
    error of another kind is said under a line in the session language. A
    coordinator's run (``--answers``) keeps click's own text.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        """The context for ``args``; a click usage error becomes a ``_RespondentUsageError``."""
        given = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click_errors.UsageError as exc:
            if any(arg == "--answers" or arg.startswith("--answers=") for arg in given):
                raise
            raise _RespondentUsageError(exc, self, given) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse as click does, with the words left over raised as :class:`_ExtraArguments`.

        So that they are told apart by their kind, not by click's English
        ("Got unexpected extra argument(s)"), which a coordinator still reads.
        """
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise _ExtraArguments(rest, ctx)
        return list(rest)


class _ExtraArguments(click_errors.UsageError):  # type: ignore[misc]
    """Words after a respondent command's options that none of them takes (``fill -p BZ extra``).

    Its message is click's own, for a coordinator's run.
    """

    def __init__(self, extra: list[str], ctx: Any) -> None:
        self.extra = [
            "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in a) for a in extra
        ]
        super().__init__(f"Got unexpected extra argument(s) ({' '.join(self.extra)})", ctx)


def _option_value(args: list[str], *names: str) -> str | None:
    """The value given to one of the options ``names`` in ``args`` (``-w X``, ``--lang=nl``)."""
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "="):
                return arg[len(name) + 1 :]
    return None


def _usage_language(args: list[str]) -> str:
    """The session language of a command line that could not be parsed.

    ``--lang`` when it names a language; else the exercise's, of the
    workspace ``--workspace`` names or the current folder is in; else
    :data:`DEFAULT_LANGUAGE`.
    """
    from selfeval.i18n import LANGUAGES

    lang = _option_value(args, "--lang")
    if lang in LANGUAGES:
        return str(lang)
    folder = _option_value(args, "--workspace", "-w")
    from selfeval.files.workspace import Workspace

    try:
        return Workspace.open(Path(folder) if folder else None).exercise.language
    except (SelfevalError, OSError):
        return DEFAULT_LANGUAGE


def _usage_words(error: Any, command: Any) -> Any:
    """A click usage error of ``command`` as a :class:`~selfeval.i18n.Message`, by its kind."""
    from selfeval.i18n import Message

    name = f"selfeval {command.name}"
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        option = max(error.param.opts, key=len)
        if error.param.name == "participant":
            return Message("error.usage_no_participant", command=f"{name} {option} CODE")
        return Message("error.usage_missing", option=option)
    if isinstance(error, _ExtraArguments):
        return Message("error.usage_extra", words=" ".join(error.extra), command=name)
    if isinstance(error, click_errors.NoSuchOption):
        return Message("error.usage_unknown_option", option=error.option_name, command=name)
    if isinstance(error, click_errors.BadOptionUsage):
        param = next(
            (p for p in command.params if error.option_name in (*p.opts, *p.secondary_opts)),
            None,
        )
        if param is not None and param.name == "participant":  # `-p` and no code after it
            option = max(param.opts, key=len)
            return Message("error.usage_no_participant", command=f"{name} {option} CODE")
        if param is not None and not getattr(param, "is_flag", False):
            return Message("error.usage_needs_value", option=error.option_name)
        return Message("error.usage_takes_no_value", option=error.option_name)
    if isinstance(error, NotAChoice) and error.param is not None:
        option = max(error.param.opts, key=len)
        return Message(
            "error.usage_not_a_choice",
            option=option,
            value=error.value,
            choices=", ".join(error.names),
        )
    return None


class _RespondentUsageError(click_errors.UsageError):  # type: ignore[misc]
    """A click usage error of a :class:`RespondentCommand`, shown in the session language.

    typer's ``_main`` calls :meth:`show` and exits with ``exit_code`` (2),
    as for click's own usage errors.
    """

    def __init__(self, error: Any, command: Any, args: list[str]) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.error = error
        self.command = command
        self.args_given = args
        self.exit_code = error.exit_code

    def text(self) -> str:
        """The error in the session language; click's own words under a line, for another kind."""
        from selfeval.i18n import gettext

        lang = _usage_language(self.args_given)
        words = _usage_words(self.error, self.command)
        if words is not None:
            return str(words.text(lang))
        name = f"selfeval {self.command.name}"
        return gettext(lang, "error.usage_other", command=name) + "\n" + self.error.format_message()

    def show(self, file: Any = None) -> None:
        """Print :meth:`text` (:func:`print_error`)."""
        print_error(self.text())


def _print_traceback(exc: BaseException) -> None:
    import traceback

    echo_err("".join(traceback.format_exception(exc)).rstrip("\n"))


def version_callback(value: bool) -> None:
    """Print the version and which YAML implementation is in use, then exit."""
    if value:
        # selfeval.__version__, not importlib.metadata: importing the latter costs
        # ~30 ms of start-up; tests/test_startup_imports.py keeps the two equal.
        from selfeval import __version__ as ver
        from selfeval.files.yamlio import LIBYAML

        yaml_impl = "libyaml (C)" if LIBYAML else "pure Python (libyaml not found)"
        typer.echo(f"selfeval {ver}\nYAML: {yaml_impl}\nPython: {sys.version.split()[0]}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Show the version and the YAML implementation in use, and exit.",
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="On an internal error, show the traceback (also: SELFEVAL_DEBUG=1). "
            "It may quote answers; look before you share it.",
        ),
    ] = False,
) -> None:
    """Run an interdepartmental self-evaluation."""
    global _debug
    _debug = debug
