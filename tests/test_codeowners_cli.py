"""`selfeval codeowners`: each department owns its own responses folder on a forge."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from selfeval.cli import app


def test_codeowners_maps_each_participant_folder_to_its_team(
    runner: CliRunner, example_ws: Path
) -> None:
    result = runner.invoke(
        app,
        ["codeowners", "-w", str(example_ws), "@nv/{code_lower} @nv/secretariaat",
         "--secretariat", "@nv/secretariaat"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [
        line.split()
        for line in (example_ws / "CODEOWNERS").read_text("utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert lines[0] == ["*", "@nv/secretariaat"]  # first: later lines win
    assert ["/responses/falende-staten/BZ/", "@nv/bz", "@nv/secretariaat"] in lines
    assert ["/responses/falende-staten/NCTb/", "@nv/nctb", "@nv/secretariaat"] in lines
    assert len(lines) == 1 + 8  # every participant of the worked example
    # Run again (participants changed): it replaces its own file.
    again = runner.invoke(app, ["codeowners", "-w", str(example_ws), "{code}@example.org"])
    assert again.exit_code == 0, again.output
    assert "/responses/falende-staten/FIN/  FIN@example.org" in (
        example_ws / "CODEOWNERS"
    ).read_text("utf-8")


def test_codeowners_refuses_a_pattern_without_code_and_a_file_it_did_not_write(
    runner: CliRunner, example_ws: Path
) -> None:
    result = runner.invoke(app, ["codeowners", "-w", str(example_ws), "@nv/team"])
    assert result.exit_code == 2
    assert "has no {code} or {code_lower}" in result.stderr
    mine = example_ws / "CODEOWNERS"
    mine.write_text("* @someone\n", "utf-8")
    result = runner.invoke(app, ["codeowners", "-w", str(example_ws), "@nv/{code}"])
    assert result.exit_code == 1
    assert "a CODEOWNERS file that selfeval did not write is already there" in result.stderr
    assert mine.read_text("utf-8") == "* @someone\n"
