"""Leftovers of the trust boundary and of "one rule, one place" (left4, 3 December 2026).

Each test goes through the CLI (typer's CliRunner) on a copy of the worked
example and checks what the user sees; each failed before its fix.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from selfeval.cli import app

CAT = "responses/falende-staten"


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [args[0], "-w", str(ws), *args[1:]], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- status reads every file where a response may stand, as validate and aggregate do ----


def test_status_reads_a_stray_file_validate_and_aggregate_refuse(
    runner: CliRunner, example_ws: Path
) -> None:
    (example_ws / CAT / "BZ" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(r"BZ/notes\.yaml:1:1: required key 'questionnaire' is missing", output), (
            command,
            output,
        )
    code, output = run(runner, example_ws, "status", "--no-cache")
    assert re.search(r"BZ\s+notes\s+invalid", output), output


# --- one rule for a reaction's comment: peer-review, validate, status, aggregate ---------


def test_a_submitted_reaction_without_its_comment_counts_nowhere(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "EZ/peer-review-2.yaml"
    text = path.read_text(encoding="utf-8")
    comment = "  comment: De beïnvloedingsmogelijkheden van EZ richting het bedrijfsleven"
    assert comment in text
    path.write_text(re.sub(re.escape(comment) + r".*\n", "", text), encoding="utf-8")
    expected = (
        r"EZ/peer-review-2\.yaml:\d+:\d+: reaction to BZ\.opportunities\.relaties-ez-financien: "
        r"a comment is required with verdict partly-agree"
    )
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(expected, flat(output)), (command, output)
