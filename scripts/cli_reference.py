"""Generate docs/cli.md, the CLI reference, from every command's --help.

Usage: python scripts/cli_reference.py          (writes docs/cli.md)
       python scripts/cli_reference.py --check  (exit 1 if docs/cli.md is stale)

tests/test_docs.py runs the check, so the reference cannot drift from the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from selfeval.cli import app

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def command_names() -> list[str]:
    """Names of all registered commands, in registration order."""
    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def command_paths() -> list[list[str]]:
    """Every command as the words that call it, groups' subcommands included.

    ``["export"]``, …, ``["questionnaire"]``, ``["questionnaire", "show"]``.
    """
    group = typer.main.get_command(app)
    paths: list[list[str]] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        paths.append([name])
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    return paths


def render() -> str:
    """The whole reference as Markdown."""
    runner = CliRunner()
    env = {"COLUMNS": "100", "TERM": "dumb"}
    parts = [
        "# CLI reference\n\n",
        "Generated from `--help` by `python scripts/cli_reference.py`; do not edit by hand.\n",
    ]
    for args in [[], *command_paths()]:
        result = runner.invoke(app, [*args, "--help"], env=env, prog_name="selfeval")
        title = " ".join(["selfeval", *args])
        parts.append(f"\n## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


def main() -> int:
    """Write or check docs/cli.md."""
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text("utf-8") != text:
            print("docs/cli.md is out of date: run python scripts/cli_reference.py")
            return 1
        return 0
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
