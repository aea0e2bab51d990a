"""One family of errors, each saying what is wrong, where, and what to do.

The core raises these; only the CLI (``selfeval.cli._app``) turns them into a
message on stderr and an exit code. Exit codes follow the usual conventions:
0 success, 1 invalid input or refused action, 2 usage error, 70 internal
error (a bug: ``EX_SOFTWARE`` of ``sysexits.h``), 130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Protocol

__all__ = [
    "ExitStatus",
    "InputError",
    "Location",
    "LockedError",
    "NotFoundError",
    "RefusedError",
    "Said",
    "SelfevalError",
    "UsageError",
    "ValidationProblems",
    "shown_path",
]


class ExitStatus(IntEnum):
    """Process exit codes used by every command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INTERNAL = 70
    INTERRUPTED = 130


def shown_path(path: Path | str) -> str:
    """A file's name as every message shows it: as it is, or quoted with escapes.

    A name holding a character that is not printable (a line break, a tab,
    ESC, a right-to-left override, a byte that is not UTF-8 …) is shown as
    Python writes it (``'x\\nOK: 10 files valid.\\n.yaml'``), so a file
    name from a shared workspace cannot break a line of output, forge one or
    send codes to the terminal. Any other name is shown unchanged.
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column, either may be unknown.

    Attributes:
        path: the file.
        line: 1-based line number, or None when not known.
        column: 1-based column number, or None when not known.
    """

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = shown_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text

    @classmethod
    def at_offset(cls, path: Path | str, text: str, offset: int) -> Location:
        """The place of character ``offset`` (0-based) of ``text``, the whole of ``path``."""
        line, column = line_and_column(text, offset)
        return cls(path, line, column)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character ``offset`` (0-based) of ``text``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class Said(Protocol):
    """Words said later in the reader's language: a ``selfeval.i18n.Message``.

    A protocol, because ``errors`` imports nothing of selfeval (docs/architecture.md).
    """

    def text(self, lang: str) -> str:
        """The words in ``lang`` (``nl``, ``en``)."""
        ...


class SelfevalError(Exception):
    """Base of every error the core raises on purpose.

    Args:
        message: what is wrong, in a full sentence.
        location: where (file, line, column), if it concerns a file.
        hint: what the user can do about it.
        said: the same in a respondent's words (a ``Message`` of the catalogue,
            ``docs/translation.md``): what happened and what to do, in plain
            words, naming no file unless the respondent must act on it.
            ``fill`` and ``peer-review`` at a terminal show it in the
            session language instead of ``str(error)``
            (:func:`selfeval.cli._common.handle_errors`); None: the error is
            one for the coordinator.
    """

    exit_status: ExitStatus = ExitStatus.ERROR

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        said: Said | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.said = said

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(SelfevalError):
    """A file or value the user gave is invalid (exit 1)."""


class NotFoundError(SelfevalError):
    """A workspace, file, participant or questionnaire does not exist (exit 1)."""


class RefusedError(SelfevalError):
    """The action would lose or overwrite work and was refused (exit 1)."""


class LockedError(RefusedError):
    """Another process holds the lock on a response (exit 1)."""


class UsageError(SelfevalError):
    """The command line itself is wrong (exit 2)."""

    exit_status = ExitStatus.USAGE


class ValidationProblems(InputError):
    """Several problems found at once; ``problems`` holds each one.

    Args:
        problems: the individual errors, in file order.
    """

    def __init__(self, problems: list[SelfevalError]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
