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


# --- 5. status uses the rule aggregate refuses by -----------------------------------------


def test_status_shows_a_submitted_response_aggregate_refuses_as_invalid(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "DEF/self-evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n  completed_by: .*", "", text), encoding="utf-8")
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1 and "answers.completed_by: a required answer is missing" in output, output
    code, output = run(runner, example_ws, "status", "--no-cache")
    assert code == 1, output
    flat = re.sub(r"\s+", "", output)
    assert "answers.completed_by:arequiredanswerismissing" in flat, output
    assert "1invalid" in flat, output


# --- 1. finding ids never collide ----------------------------------------------------------

NUMERIC_KEY = """\
has_bottlenecks: true
bottlenecks:
  - key: '2'
    title: Eerste knelpunt met sleutel 2
    description: MARKER-NK-A
  - title: Tweede knelpunt zonder sleutel
    description: MARKER-NK-B
"""


def test_fill_refuses_a_key_that_is_another_entrys_number(
    runner: CliRunner, example_ws: Path
) -> None:
    answers = example_ws / "answers" / "DEF-numkey.yaml"
    answers.write_text(NUMERIC_KEY, encoding="utf-8")
    before = (example_ws / CAT / "DEF/self-evaluation.yaml").read_text(encoding="utf-8")
    result = runner.invoke(
        app,
        [
            *("fill", "-w", str(example_ws), "--participant", "DEF", "--reopen"),
            *("--answers", str(answers), "--submit"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert re.search(r"DEF-numkey\.yaml:3:\d+: bottlenecks\[0\]\.key: key 2 is also", result.output)
    assert "give this entry a key with a letter" in result.output
    assert (example_ws / CAT / "DEF/self-evaluation.yaml").read_text(encoding="utf-8") == before


def test_validate_and_aggregate_refuse_two_findings_with_one_id(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "DEF/self-evaluation.yaml"
    added = (
        "  - key: '5'\n    title: EXPLICIT-KEY-5\n    description: MARKER-KEY5\n"
        "  - title: Zonder sleutel\n    description: MARKER-NOKEY\n"
    )
    edit(path, "  blind_spots: []\n", added + "  blind_spots: []\n")
    code, output = run(runner, example_ws, "validate")
    assert code == 1, output
    assert re.search(r"DEF/self-evaluation\.yaml:\d+:\d+: answers\.bottlenecks\[3\]\.key", output)
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1, output
    assert "key 5 is also the number of entry 5" in output


# --- 2. the peer-review rules hold for every response file -------------------------------

HASH = "sha256:" + "0" * 64


def _reactions(*entries: tuple[str, str]) -> str:
    lines = ["reactions:"]
    for fid, stamp in entries:
        lines += [f"- finding: {fid}", f"  finding_hash: {stamp}", "  verdict: agree"]
    return "\n".join(lines) + "\n"


def test_two_reactions_to_one_finding_count_nowhere(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    path = example_ws / CAT / "DEF/peer-review-1.yaml"
    text = path.read_text(encoding="utf-8")
    twice = text + _reactions(("BZ.bottlenecks.1", HASH), ("BZ.bottlenecks.1", HASH))
    path.write_text(twice, encoding="utf-8")
    expected = r"DEF/peer-review-1\.yaml:\d+:\d+: BZ\.bottlenecks\.1 is reacted to twice"
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(expected, re.sub(r"\n", "", output)), (command, output)
    # A file received by mail is refused by the same rule.
    path.write_text(text, encoding="utf-8")
    mailed = tmp_path / "peer-review-1.yaml"
    mailed.write_text(twice, encoding="utf-8")
    code, output = run(runner, example_ws, "import", "--replace", str(mailed))
    assert code == 1, output
    assert "BZ.bottlenecks.1 is reacted to twice" in output
    assert path.read_text(encoding="utf-8") == text


def test_a_round_1_reaction_to_ones_own_finding_is_refused(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "DEF/peer-review-1.yaml"
    edit(
        path,
        "answers:\n",
        _reactions(("DEF.bottlenecks.eenzijdige-risicoanalyses", HASH)) + "answers:\n",
    )
    code, output = run(runner, example_ws, "validate")
    assert code == 1, output
    assert "DEF.bottlenecks.eenzijdige-risicoanalyses is DEF's own finding" in output
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1, output
    assert "is DEF's own finding" in output


def test_a_reaction_without_its_finding_hash_is_refused(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "DEF/peer-review-1.yaml"
    edit(path, "answers:\n", _reactions(("BZ.bottlenecks.1", "")) + "answers:\n")
    code, output = run(runner, example_ws, "validate")
    assert code == 1, output
    assert "the reaction to BZ.bottlenecks.1 has no finding_hash" in output
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1, output


# --- 3. a response not asked for is left out, and said so -------------------------------


def test_a_self_evaluation_not_asked_for_is_left_out_with_a_warning(
    runner: CliRunner, example_ws: Path
) -> None:
    # NCTb takes part in peer review 1 only (Annex 1 says so).
    own = (example_ws / CAT / "DEF/self-evaluation.yaml").read_text(encoding="utf-8")
    # Its opportunities name its own findings (NCTb.needs.…), as a self-evaluation's must.
    uninvited = (
        own.replace("participant: DEF", "participant: NCTb")
        .replace("- DEF.", "- NCTb.")
        .replace("Eenzijdige invalshoek van risicoanalyses", "MARKER-UNASKED")
    )
    (example_ws / CAT / "NCTb/self-evaluation.yaml").write_text(uninvited, encoding="utf-8")
    code, output = run(runner, example_ws, "validate")
    assert "NCTb/self-evaluation.yaml: not asked for: NCTb is not asked for self-evaluation" in (
        output
    )
    code, output = run(runner, example_ws, "status", "--no-cache")
    assert "not asked for" in output
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 0, output
    assert re.search(
        r"NCTb/self-evaluation\.yaml: left out: NCTb is not asked for self-evaluation", output
    ), output
    report = (example_ws / "reports" / "integrated-report.md").read_text(encoding="utf-8")
    assert "MARKER-UNASKED" not in report
