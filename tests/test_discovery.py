"""One discovery rule for validate, status and aggregate (issue 10): a response counts only
where it belongs, and `selfeval validate DIR` judges a workspace as `cd DIR && validate` does."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

CAT = Path("responses") / "falende-staten"


def aggregate(runner: CliRunner, ws: Path) -> Any:
    return runner.invoke(app, ["aggregate", "--workspace", str(ws)])


def status(runner: CliRunner, ws: Path) -> Any:
    return runner.invoke(app, ["status", "--json", "--workspace", str(ws)])


def test_a_copy_in_another_folder_is_named_and_not_counted(
    runner: CliRunner, example_ws: Path
) -> None:
    before = aggregate(runner, example_ws)
    assert "76 findings from 9 responses." in before.stdout
    shutil.copytree(example_ws / CAT / "DEF", example_ws / CAT / "DEF (copy)")
    result = aggregate(runner, example_ws)
    assert result.exit_code == 0, result.output
    assert "76 findings from 9 responses." in result.stdout
    assert "responses/falende-staten/DEF (copy)/self-evaluation.yaml: not counted" in result.stderr
    data = json.loads(status(runner, example_ws).stdout)
    assert "responses/falende-staten/DEF (copy)/self-evaluation.yaml" in data["not_counted"]
    # validate names it with where it belongs.
    checked = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert checked.exit_code == 1
    assert "DEF (copy)/self-evaluation.yaml: this response (participant DEF" in checked.stderr


def test_a_copy_in_another_categorys_folder_is_not_counted(
    runner: CliRunner, example_ws: Path
) -> None:
    shutil.copytree(example_ws / CAT / "BZ", example_ws / "responses" / "terrorisme" / "BZ")
    result = aggregate(runner, example_ws)
    assert result.exit_code == 0, result.output
    assert "76 findings from 9 responses." in result.stdout
    assert "responses/terrorisme/BZ/self-evaluation.yaml: not counted" in result.stderr


def test_a_response_claiming_another_department_is_refused_everywhere(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "NCTb" / "peer-review-1.yaml"
    data = yamlio.load(path)
    data["participant"] = "BZ"
    yamlio.write(path, data)
    result = aggregate(runner, example_ws)
    assert result.exit_code == 1
    assert "NCTb/peer-review-1.yaml: this response (participant BZ, questionnaire " in (
        result.stderr
    )
    assert not (example_ws / "reports" / "integrated-report.md").exists()
    seen = status(runner, example_ws)
    assert seen.exit_code == 1
    rows = {(r["participant"], r["questionnaire"]): r for r in json.loads(seen.stdout)["rows"]}
    assert rows["NCTb", "peer-review-1"]["state"] == "invalid"
    checked = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert checked.exit_code == 1
    assert "correct participant in the file" in checked.stderr


def test_validate_dir_judges_a_workspace_as_validate_inside_it(
    runner: CliRunner, example_ws: Path
) -> None:
    by_dir = runner.invoke(app, ["validate", str(example_ws)])
    here = os.getcwd()
    os.chdir(example_ws)
    try:
        inside = runner.invoke(app, ["validate"])
    finally:
        os.chdir(here)
    assert "not a questionnaire, exercise or response file" not in by_dir.stderr
    assert by_dir.exit_code == inside.exit_code == 0
    assert by_dir.stdout == inside.stdout
    assert by_dir.stderr == inside.stderr


def test_a_pipe_anywhere_under_responses_stops_every_reading_command_naming_it(
    runner: CliRunner, example_ws: Path
) -> None:
    # One rule (Workspace.discover_responses): status used to skip a pipe that
    # validate and aggregate read (notes.yaml), and every command skipped one
    # elsewhere. Reads open without blocking, so no writer is needed.
    places = [
        CAT / "BZ" / "notes.yaml",  # shaped like a response, not a questionnaire's name
        CAT / "BZ" / "self-evaluation (copy).yaml",
        CAT / "BZ" / "self-evaluation.submitted-20260101T000000Z.yaml",
        CAT / "BZ" / ".self-evaluation.yaml.x1.tmp",
        Path("responses") / "README",
        CAT / "BZ" / "self-evaluation.yaml",  # where a response belongs: the same words
    ]
    for place in places:
        path = example_ws / place
        path.unlink(missing_ok=True)
        os.mkfifo(path)
        said = f"Error: {path}: this is a named pipe (FIFO), not a regular file"
        for command in ("status", "validate", "aggregate", "export"):
            result = runner.invoke(app, [command, "--workspace", str(example_ws)])
            assert result.exit_code == 1, (place, command, result.output)
            assert result.stderr.startswith(said), (place, command, result.stderr)
            assert "Traceback" not in result.output
        path.unlink()
