"""What `fill` and `peer-review` share when they open a response: one step, one wording."""

from __future__ import annotations

from pathlib import Path

import pytest
from fillkit import mini_workspace
from test_peer_review import fresh_example
from typer.testing import CliRunner

from selfeval.cli import app

SELFEVAL = Path(__file__).resolve().parents[1] / "selfeval"


def _message(stderr: str) -> str:
    """The error after "Error: <file>: ", with the file name taken out."""
    return stderr.split(": ", 2)[2].replace("mini.yaml", "X").replace("peer-review-2.yaml", "X")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The worked example's exercise with a draft in reports/, no responses."""
    return fresh_example(tmp_path / "example")


def test_fill_and_peer_review_refuse_a_submitted_response_in_the_same_words(
    runner: CliRunner, tmp_path: Path, example: Path
) -> None:
    ws = mini_workspace(tmp_path / "ws")
    answers = ws / "a.yaml"
    answers.write_text("name: x\nagree: true\nlevel: low\nsigned_on: 2006-05-16\n", "utf-8")
    fill = ["fill", "-w", str(ws), "-p", "DEP1", "-q", "mini", "--answers", str(answers)]
    assert runner.invoke(app, [*fill, "--submit"]).exit_code == 0
    refused_fill = runner.invoke(app, fill)

    fin = example / "fin.yaml"
    fin.write_text(
        "completed_by: J. Jansen, Financiën\n"
        "needs:\n  - title: Vaste contactpersoon\n    description: Eén loket.\n"
        "    scope: interdepartmental\n    departments: [BZ]\n",
        "utf-8",
    )
    review = ["peer-review", "-w", str(example), "-p", "FIN", "--answers", str(fin)]
    assert runner.invoke(app, [*review, "--submit"]).exit_code == 0
    refused_review = runner.invoke(app, review)

    assert (refused_fill.exit_code, refused_review.exit_code) == (1, 1)
    text = _message(refused_fill.stderr)
    assert "X of DEP1 was submitted on" in text
    assert "hint: run the command again with --reopen to change it; the submitted version " in text
    other = _message(refused_review.stderr)
    assert other.replace("FIN", "DEP1").split(" on ")[0] == text.split(" on ")[0]
    assert other.split("\n", 1)[1] == text.split("\n", 1)[1]  # the same hint


def test_fill_and_peer_review_say_no_terminal_in_the_same_words(
    runner: CliRunner, example: Path
) -> None:
    fill = runner.invoke(app, ["fill", "-w", str(example), "-p", "BZ"])
    review = runner.invoke(app, ["peer-review", "-w", str(example), "-p", "FIN"])
    assert (fill.exit_code, review.exit_code) == (2, 2)
    # A respondent's words, in the session language (the example is Dutch).
    said = (
        "De vragen kunnen alleen in een terminalvenster worden gesteld. Start de "
        "opdracht in een terminal (zoals PowerShell of Terminal) en probeer het opnieuw.\n"
    )
    assert fill.stderr == review.stderr == said


def test_an_unknown_participant_is_said_before_no_terminal_in_peer_review_too(
    runner: CliRunner, example: Path
) -> None:
    result = runner.invoke(app, ["peer-review", "-w", str(example), "-p", "XX"])
    assert result.exit_code == 1
    assert "Er is geen deelnemer met de code XX." in result.stderr
    assert "terminalvenster" not in result.stderr


def test_only_the_cli_names_command_line_flags_in_its_checks() -> None:
    core = [p for p in SELFEVAL.rglob("*.py") if "cli" not in p.relative_to(SELFEVAL).parts]
    for path in core:
        text = path.read_text("utf-8")
        for flag_check in ("--submit goes with", "no terminal to ask", "isatty"):
            assert flag_check not in text, f"{path.relative_to(SELFEVAL)} says {flag_check!r}"
