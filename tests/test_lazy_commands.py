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
from pathlib import Path

import pytest
import typer
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from selfeval.cli import COMMANDS, app, load_all_commands


def _eager_app() -> typer.Typer:
    """``app`` as typer builds it by default: every command registered, a plain group.

    A command registers when its module is imported, so the registration order
    depends on what this process imported before (another test may have imported
    ``selfeval.cli.aggregate`` first). The eager app lists them in the order
    ``COMMANDS`` gives, the one ``selfeval --help`` shows; what is compared is
    each command's summary and the whole help text.
    """
    load_all_commands()
    order = {name: index for index, name in enumerate(COMMANDS)}
    eager = copy.copy(app)
    eager.info = copy.copy(app.info)
    eager.info.cls = TyperGroup
    eager.registered_commands = sorted(
        app.registered_commands, key=lambda info: order.get(info.name or "", len(order))
    )
    eager.registered_groups = sorted(
        app.registered_groups, key=lambda info: order.get(info.name or "", len(order))
    )
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


# -- option values parsed without pydantic (cli._common._shortcut) ---------------------


def _every_command() -> list[tuple[str, typer.core.TyperCommand]]:
    """(path, command) of every command and group of ``selfeval``, the root included."""
    root = typer.main.get_command(app)
    found: list[tuple[str, typer.core.TyperCommand]] = []

    def walk(path: str, command: typer.core.TyperCommand) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(f"{path} {name}", sub)

    walk("selfeval", root)  # type: ignore[arg-type]
    return found


def _outcome(runtime: object, value: object, param: object, ctx: object) -> tuple[str, object]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)  # type: ignore[attr-defined]
    except Exception as exc:  # compared: the same kind and words
        return ("error", (type(exc).__name__, str(exc)))
    return ("value", (type(result).__name__, result))


def test_every_option_is_parsed_as_typer_parses_it(tmp_path: Path) -> None:
    from typer._coercion import build_runtime_param

    a_file = tmp_path / "answers.yaml"
    a_file.write_text("x: 1\n", encoding="utf-8")
    values: list[object] = [
        None, True, False, 0, 1, 2, "", "x", "-", "nl", "md", "docx", "pdf", "2", "a//b",
        "ünïcode", str(tmp_path), str(a_file), str(tmp_path / "missing"), f"{a_file}/",
        f"{tmp_path}/", "./x", "~",
        (), ("x",), (str(a_file), str(tmp_path)), [str(tmp_path / "missing")],
    ]  # fmt: skip
    compared = 0
    for path, command in _every_command():
        ctx = typer.Context(command, info_name=path.split()[-1])
        params = [*command.params, command.get_help_option(ctx)]
        for param in params:
            if param is None:
                continue
            ours = param.get_runtime_param()
            assert type(ours).__name__ == "ShortcutParam", f"{path} {param.name}: typer's own"
            theirs = build_runtime_param(param.type_descriptor)
            for value in values:
                if (param.multiple or param.nargs == -1) != isinstance(value, (tuple, list)):
                    continue  # click gives a list option a tuple, any other a single value
                expected = _outcome(theirs, value, param, ctx)
                assert _outcome(ours, value, param, ctx) == expected, (path, param.name, value)
                compared += 1
    assert compared > 400, compared


def test_status_parses_its_options_without_pydantic_s_adapters(example_ws: Path) -> None:
    code = f"""
import os, sys
os.chdir({str(example_ws)!r})
sys.argv = ["selfeval", "status", "--category", "falende-staten", "-w", "."]
from selfeval.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("LOADED:" + str("typer._adapters" in sys.modules))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "Responses — falende-staten" in out
    assert out.splitlines()[-1] == "LOADED:False"
