"""``selfeval --help`` lists every command without importing their modules (issue 20).

The summaries it lists are copies (``cli._common.COMMANDS``) of the first
sentence of each command's own help; these tests hold the copy to the
original and the lazy list to the one typer builds from every command.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from selfeval.cli import COMMANDS, app, load_all_commands


def _eager_app() -> typer.Typer:
    """``app`` as typer builds it by default: every command registered, a plain group."""
    load_all_commands()
    eager = copy.copy(app)
    eager.info = copy.copy(app.info)
    eager.info.cls = TyperGroup
    return eager


def test_the_summaries_are_the_first_sentence_of_each_command_s_help() -> None:
    from typer._click.utils import make_default_short_help

    eager = typer.main.get_command(_eager_app())
    assert isinstance(eager, TyperGroup)
    real = {
        name: make_default_short_help(command.help or "", sys.maxsize)
        for name, command in eager.commands.items()
    }
    listed = {name: summary for name, (_, summary) in COMMANDS.items()}
    assert listed == real, "update cli._common.COMMANDS to:\n" + json.dumps(real, indent=1)
    assert list(listed) == list(real), "COMMANDS lists the commands in another order"


@pytest.mark.parametrize("columns", ["50", "80", "100", "200"])
def test_the_help_is_the_one_typer_builds_from_every_command(columns: str) -> None:
    runner = CliRunner()
    env = {"COLUMNS": columns, "TERM": "dumb"}
    lazy = runner.invoke(app, ["--help"], env=env, prog_name="selfeval")
    eager = runner.invoke(_eager_app(), ["--help"], env=env, prog_name="selfeval")
    assert lazy.exit_code == eager.exit_code == 0
    assert "Commands:" in lazy.output and "status " in lazy.output
    assert lazy.output == eager.output


_PROBE = """
import json, sys
sys.argv = ["selfeval", *{args!r}]
from selfeval.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + json.dumps(sorted(m for m in sys.modules if m.startswith("selfeval.cli."))))
"""


def _command_modules_after(args: list[str]) -> list[str]:
    code = _PROBE.format(args=args)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded: list[str] = json.loads(out.splitlines()[-1].removeprefix("LOADED:"))
    modules = {f"selfeval.cli.{module}" for module, _ in COMMANDS.values()}
    return [m for m in loaded if m in modules]


def test_help_imports_no_command_module() -> None:
    assert _command_modules_after(["--help"]) == []


def test_a_command_imports_its_own_module_only() -> None:
    assert _command_modules_after(["cache", "--help"]) == ["selfeval.cli.cache"]


def test_a_mistyped_command_is_still_suggested() -> None:
    result = CliRunner().invoke(app, ["statu"], prog_name="selfeval")
    assert result.exit_code == 2
    assert "No such command 'statu'. Did you mean 'status'?" in result.output
