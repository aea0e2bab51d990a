"""One error boundary: every command goes through ``handle_errors``; no traceback reaches a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliakit import COMMANDS, Command, invoke, registered_commands, require
from typer.testing import CliRunner

from selfeval.cli import app, load_all_commands
from selfeval.cli._common import handle_errors


def _wrapper_code() -> object:
    return handle_errors(lambda: None).__code__


@pytest.mark.parametrize("name", sorted(registered_commands()))
def test_every_command_is_wrapped_by_handle_errors(name: str) -> None:
    load_all_commands()  # a command registers on `app` when its module is imported
    callbacks = {
        (info.name or (info.callback.__name__ if info.callback else "")): info.callback
        for info in app.registered_commands
    }
    # A group (`selfeval questionnaire …`): each of its commands is wrapped.
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            subs = group.typer_instance.registered_commands
            assert subs, f"the group {name} has no commands"
            for info in subs:
                assert info.callback is not None
                assert info.callback.__code__ is _wrapper_code(), (
                    f"`selfeval {name} {info.name}` is not wrapped by cli._common.handle_errors"
                )
            return
    callback = callbacks.get(name)
    assert callback is not None, f"{name} is not registered with @app.command"
    assert callback.__code__ is _wrapper_code(), (
        f"`selfeval {name}` is not wrapped by cli._common.handle_errors"
    )


def test_crash_output_never_shows_local_variables() -> None:
    # Response data must never be printed into a terminal log by a crash (STYLE.md §3).
    assert app.pretty_exceptions_show_locals is False


@pytest.mark.parametrize("command", [pytest.param(c, id=c.name) for c in COMMANDS])
def test_no_workspace_is_a_clear_error(runner: CliRunner, tmp_path: Path, command: Command) -> None:
    require(command)
    missing = tmp_path / "not-a-workspace"
    missing.mkdir()
    result = invoke(runner, command.argv(missing))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1, result.output
    assert f"{missing} is not a selfeval workspace" in result.stderr
