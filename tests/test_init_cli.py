"""`selfeval init`, `--help` and `--version`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from selfeval.cli import app


def test_init_creates_a_valid_empty_workspace(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "selfeval.yaml").is_file()
    assert sorted(p.name for p in (target / "questionnaires").iterdir()) == [
        "peer-review-1-1.2.0.yaml", "peer-review-2-1.2.0.yaml", "self-evaluation-1.4.0.yaml",
    ]  # fmt: skip
    # (the newest version of each; older ones serve the worked example)
    assert (target / "responses").is_dir()
    assert (target / "texts" / "preface.md").is_file()
    check = runner.invoke(app, ["validate", "--workspace", str(target)])
    assert check.exit_code == 0, check.output


def test_init_example_lays_out_the_worked_example(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ex"
    result = runner.invoke(app, ["init", "--example", str(target)])
    assert result.exit_code == 0, result.output
    assert "falende-staten" in (target / "selfeval.yaml").read_text("utf-8")


def test_init_never_overwrites_a_workspace(runner: CliRunner, empty_ws: Path) -> None:
    exercise = empty_ws / "selfeval.yaml"
    exercise.write_text(exercise.read_text("utf-8") + "# my edits\n", "utf-8")
    result = runner.invoke(app, ["init", str(empty_ws)])
    assert result.exit_code == 1
    assert "already holds a workspace" in result.output
    assert exercise.read_text("utf-8").endswith("# my edits\n")


def test_init_refuses_a_non_empty_folder_without_force(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "--force" in result.output
    assert runner.invoke(app, ["init", "--force", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_help_teaches_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "init → fill" in result.output
    for command in ("init", "validate", "schema"):
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0
        assert "Usage: " in sub.output


def test_version_names_the_yaml_implementation(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "YAML: " in result.output


def test_an_unexpected_os_error_is_a_message_not_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import selfeval.files.scaffold

    def broken(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "x"))

    monkeypatch.setattr(selfeval.files.scaffold, "init_workspace", broken)
    result = runner.invoke(app, ["init", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "Permission denied" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_init_on_a_file_says_it_is_a_file_not_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    """New-user trial: `init /etc/passwd` said "File exists" and hinted at write permissions."""
    afile = tmp_path / "notes.txt"
    afile.write_text("mine\n", "utf-8")
    for target in (afile, afile / "ws"):
        result = runner.invoke(app, ["init", str(target)])
        assert result.exit_code == 1
        said = " ".join(result.output.split())
        assert f"{afile} is a file, not a folder" in said
        assert "writable" not in said and "Traceback" not in said
    assert afile.read_text("utf-8") == "mine\n"
