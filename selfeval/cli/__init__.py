"""The ``selfeval`` command line: a thin layer that parses, calls the core, prints.

Each command lives in its own module and makes one call into the core. Heavy
libraries (rich, questionary, pydantic, jinja2) are imported inside the
commands that need them, so ``selfeval --help`` stays fast. Errors from the
core are turned into a message and an exit code in one place,
:func:`selfeval.cli._common.handle_errors`.
"""

from __future__ import annotations

from selfeval.cli._common import app

# Importing the command modules registers their commands on ``app``, in the
# order of the flow, which is the order `selfeval --help` lists them in.
from selfeval.cli import init as _init  # noqa: F401  isort: skip
from selfeval.cli import fill as _fill  # noqa: F401  isort: skip
from selfeval.cli import aggregate as _aggregate  # noqa: F401  isort: skip
from selfeval.cli import peer_review as _peer_review  # noqa: F401  isort: skip
from selfeval.cli import importing as _importing  # noqa: F401  isort: skip
from selfeval.cli import status as _status  # noqa: F401  isort: skip
from selfeval.cli import validate as _validate  # noqa: F401  isort: skip
from selfeval.cli import codeowners as _codeowners  # noqa: F401  isort: skip
from selfeval.cli import export as _export  # noqa: F401  isort: skip
from selfeval.cli import questionnaire as _questionnaire  # noqa: F401  isort: skip
from selfeval.cli import migrate as _migrate  # noqa: F401  isort: skip
from selfeval.cli import schema as _schema  # noqa: F401  isort: skip
from selfeval.cli import cache as _cache  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point.

    ``--debug`` is an option of ``selfeval`` itself, but the internal-error
    message says "run again with --debug", and users add it at the end: it is
    moved to the front from anywhere before a ``--``.
    """
    import sys

    args = sys.argv[1:]
    end = args.index("--") if "--" in args else len(args)
    if "--debug" in args[:end]:
        args = ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]
    app(args=args, prog_name="selfeval")
