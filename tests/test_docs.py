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


def test_every_example_in_a_commands_help_is_a_line_of_its_own() -> None:
    """Click joins a docstring's paragraph unless it follows ``\\b``: an example list
    without it reads "Examples:   selfeval aggregate" and then loose lines."""
    import sys

    from typer.testing import CliRunner

    from selfeval.cli import app

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from cli_reference import command_paths
    finally:
        sys.path.remove(str(REPO / "scripts"))
    runner = CliRunner()
    for path in command_paths():
        result = runner.invoke(app, [*path, "--help"], terminal_width=80)
        assert result.exit_code == 0, path
        lines = result.output.splitlines()
        heads = [i for i, line in enumerate(lines) if re.match(r"\s*Examples?:", line)]
        for head in heads:
            assert lines[head].strip() in ("Example:", "Examples:"), (path, lines[head])
            block: list[str] = []
            for line in lines[head + 1 :]:
                if line.strip() in ("Options:", "Commands:", "Arguments:"):
                    break
                block.append(line)
            examples = [line.strip() for line in block if line.strip()]
            assert examples, path
            # One command per line, with no blank line between them.
            assert all(e.startswith("selfeval ") for e in examples), (path, examples)
            first = next(i for i, line in enumerate(block) if line.strip())
            assert all(line.strip() for line in block[first : first + len(examples)]), path
