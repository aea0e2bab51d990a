"""The floor for start-up: a minimal typer app with selfeval's command names and settings.

Every command takes no options and does nothing; what ``selfeval --help``
costs beyond running this is the cost of our own code and imports.
"""

from __future__ import annotations

import typer

COMMANDS = [
    "init", "fill", "aggregate", "peer-review", "import", "status", "validate", "codeowners",
    "export", "migrate", "schema",
]  # fmt: skip
GROUPS = {"questionnaire": ["show"], "cache": ["clear"]}

app = typer.Typer(
    name="selfeval",
    help="A minimal app with the same command names.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root() -> None:
    """Minimal root."""


def _make(name: str) -> None:
    def command() -> None:
        """Do nothing."""

    app.command(name)(command)


for _name in COMMANDS:
    _make(_name)

for _group, _names in GROUPS.items():
    _sub = typer.Typer(help="A group.", no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(_sub, name=_group)
    for _name in _names:
        _sub.command(_name)(lambda: None)

if __name__ == "__main__":
    app(prog_name="selfeval")
