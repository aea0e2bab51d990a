"""What every command shares: the Typer app, the error boundary, common options."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import typing
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from selfeval.errors import ExitStatus, SelfevalError

__all__ = [
    "Lang",
    "LangOption",
    "WorkspaceOption",
    "app",
    "echo_err",
    "handle_errors",
    "shown_path",
]

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
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


class Lang(StrEnum):
    """Languages a questionnaire (and its session texts) can be asked in."""

    nl = "nl"
    en = "en"


LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of the questions. Default: the exercise's."),
]


def shown_path(path: Path) -> str:
    """``path`` as the user best recognises it: relative to the current folder when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def echo_err(message: str) -> None:
    """Print ``message`` to stderr."""
    typer.echo(message, err=True)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: core errors become a message on stderr and an exit code.

    ``SelfevalError`` → its message, exit 1 (2 for usage errors);
    ``KeyboardInterrupt``/``EOFError`` → "Interrupted.", exit 130;
    an unexpected ``OSError`` → its file and reason, exit 1.
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
        try:
            return func(*args, **kwargs)
        except SelfevalError as exc:
            echo_err(f"Error: {exc}")
            raise typer.Exit(int(exc.exit_status)) from None
        except (KeyboardInterrupt, EOFError):
            echo_err("\nInterrupted.")
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
            where = f"{exc.filename}: " if exc.filename else ""
            echo_err(f"Error: {where}{exc.strerror or exc}")
            raise typer.Exit(int(ExitStatus.ERROR)) from None

    return wrapper


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
) -> None:
    """Run an interdepartmental self-evaluation."""
