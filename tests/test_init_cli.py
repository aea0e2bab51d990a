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
        "peer-review-1-1.2.0.yaml", "peer-review-2-1.2.0.yaml", "self-evaluation-1.6.0.yaml",
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


def _commands(output: str) -> list[str]:
    """The commands ``init`` prints: its indented lines."""
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


def test_init_says_what_to_do_next_in_the_exercises_language_as_the_docs_do(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The fourth trial (issue 16): `selfeval init proef`, from docs/fill.md, answered
    # "Next: edit proef/selfeval.yaml, then run: selfeval validate", in English in a
    # Dutch exercise, and not the `fill` the page went on with.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "proef"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Werkmap gemaakt in proef ("), lines
    assert lines[0].endswith(" bestanden). Zo gaat u verder:"), lines
    assert "Een leeg formulier proberen, als departement DEP1:" in lines
    assert "Created" not in result.output and "Next" not in result.output
    assert _commands(result.output) == [
        "cd proef",
        "selfeval fill --participant DEP1",
        "selfeval validate",
    ]
    assert all(len(line) <= 80 for line in lines), lines
    # The docs' "Trying an empty form" goes on with the same commands.
    page = (Path(__file__).resolve().parents[1] / "docs" / "fill-reference.md").read_text("utf-8")
    part = page[page.index("**Trying an empty form.**") :]
    block = part.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == ["selfeval init proef", *_commands(result.output)[:2]]


def test_the_worked_examples_next_steps_are_the_docs_commands(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--example", "ws"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Uitgewerkt voorbeeld gemaakt in ws (")
    commands = _commands(result.output)
    assert commands[0] == "cd ws"
    assert "selfeval peer-review --participant BZ --round 1" in commands
    docs = Path(__file__).resolve().parents[1] / "docs"
    text = "".join(
        (docs / name).read_text("utf-8")
        for name in ("fill-reference.md", "peer-review-reference.md", "../README.md")
    )
    assert [c for c in commands if f"`{c}`" not in text] == []
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_init_says_its_next_steps_in_english_with_lang_en(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    dutch = runner.invoke(app, ["init", "nl-ws"])
    result = runner.invoke(app, ["init", "en-ws", "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Created a workspace in en-ws (") and lines[0].endswith("Next:")
    assert "Try an empty form, as department DEP1:" in lines
    # The same commands, only the words around them change.
    assert _commands(result.output)[1:] == _commands(dutch.output)[1:]
    assert "Werkmap" not in result.output
