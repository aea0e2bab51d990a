"""The ``selfeval`` command line: a thin layer that parses, calls the core, prints.

Each command lives in its own module and makes one call into the core. The
modules are imported only when their command runs (:class:`~selfeval.cli._common.LazyGroup`,
the list in :data:`~selfeval.cli._common.COMMANDS`), and heavy libraries
(rich, questionary, pydantic, jinja2) are imported inside the commands that
need them, so ``selfeval --help`` stays fast. Errors from the core are turned
into a message and an exit code in one place,
:func:`selfeval.cli._common.handle_errors`.
"""

from __future__ import annotations

from selfeval.cli._common import COMMANDS, app, load_all_commands

__all__ = ["COMMANDS", "app", "load_all_commands", "main"]


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
