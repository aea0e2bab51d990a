"""The seventh new-user trial: the integrated report says only what the responses say.

Each test goes through the CLI (typer's CliRunner) on a copy of the worked
example, changed as the trial changed it, and checks what the user sees.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from selfeval.cli import app

CAT = "responses/falende-staten"


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [args[0], "-w", str(ws), *args[1:]])
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# --- 6. dates and file names in messages ------------------------------------------------


def test_a_date_not_in_the_calendar_is_refused_at_its_line(
    runner: CliRunner, example_ws: Path
) -> None:
    edit(example_ws / "selfeval.yaml", "date: '2006-05-16'", "date: '2027-02-30'")
    code, output = run(runner, example_ws, "validate")
    assert code == 1, output
    assert re.search(r"selfeval\.yaml:\d+:\d+: date: '2027-02-30' is no date", output), output
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1, output
    assert "'2027-02-30' is no date" in output


def test_a_date_in_words_is_still_taken_as_written(runner: CliRunner, example_ws: Path) -> None:
    edit(example_ws / "selfeval.yaml", "date: '2006-05-16'", "date: 'mei 2006'")
    code, output = run(runner, example_ws, "validate")
    assert code == 0, output


def test_a_response_for_another_category_is_named_with_its_file(
    runner: CliRunner, example_ws: Path
) -> None:
    edit(
        example_ws / CAT / "DEF/self-evaluation.yaml",
        "incident_category: falende-staten",
        "incident_category: drinkwater",
    )
    code, output = run(runner, example_ws, "validate")
    assert code == 1, output
    assert re.search(r"DEF/self-evaluation\.yaml:\d+:\d+: the response is for incident", output), (
        output
    )
    assert "Error: the exercise has no incident category" not in output
