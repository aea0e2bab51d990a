"""The README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_set_up_commands() -> None:
    commands = readme_commands()
    assert commands[0].endswith("selfeval aggregate")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_exercise_file_reference_is_generated_from_the_model() -> None:
    """docs/files.md and docs/new-exercise.md list every key of selfeval.yaml (issue 12)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "exercise_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    from selfeval.model.exercise import Exercise

    text = (REPO / "docs" / "files.md").read_text("utf-8")
    for key in Exercise.model_fields:
        assert f"| `{key}` |" in text, key


def test_cli_reference_is_generated_from_the_current_help() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_has_help_that_teaches() -> None:
    from typer.testing import CliRunner

    from selfeval.cli import app

    sys_path = str(REPO / "scripts")
    import sys

    sys.path.insert(0, sys_path)
    try:
        from cli_reference import command_names
    finally:
        sys.path.remove(sys_path)
    runner = CliRunner()
    for name in command_names():
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        first = result.output.split("\n\n")[1].strip()
        assert len(first) > 20, f"{name}: help summary too short: {first!r}"
