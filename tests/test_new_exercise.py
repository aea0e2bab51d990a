"""docs/new-exercise.md works: its commands, run in order, make a second exercise's report.

The guide's ``sh`` blocks are run as written, through the CLI only (issue 12):
a new workspace, an English exercise on another incident category with other
participants, their answers, the draft, the peer reviews and the final report.
The report is then checked against the guide's own files: nothing of the
worked example, every participant's full name, every opportunity in the
matrix. The blocks may only use ``selfeval``, ``cd``, ``mkdir -p`` and
``cat > FILE <<'EOF'`` (so that what the guide shows is what ran).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from exercisekit import worked_example_words
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.load import load_questionnaire

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "new-exercise.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
HEREDOC = re.compile(r"^cat > (\S+) <<'EOF'$")


def run_guide(runner: CliRunner, start: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every ``sh`` block of the guide in ``start``; return the folder it ends in."""
    monkeypatch.chdir(start)
    here = start
    for block in SH_BLOCK.findall(GUIDE.read_text("utf-8")):
        lines = iter(block.splitlines())
        for line in lines:
            if heredoc := HEREDOC.match(line):
                body = []
                for text in lines:
                    if text == "EOF":
                        break
                    body.append(text + "\n")
                (here / heredoc[1]).write_text("".join(body), "utf-8")
            elif line.startswith("mkdir -p "):
                (here / line.removeprefix("mkdir -p ")).mkdir(parents=True, exist_ok=True)
            elif line.startswith("cd "):
                here = here / line.removeprefix("cd ")
                monkeypatch.chdir(here)
            elif line.startswith("selfeval "):
                result = runner.invoke(app, shlex.split(line)[1:], env={"COLUMNS": "120"})
                assert result.exit_code == 0, f"{line}\n{result.stdout}{result.stderr}"
            else:
                pytest.fail(f"the guide runs {line!r}: use only selfeval, cd, mkdir -p, cat > F")
    return here


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's workspace after its last command."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        return run_guide(CliRunner(), tmp_path_factory.mktemp("guide"), monkeypatch)
    finally:
        monkeypatch.undo()


def opportunities(ws: Path) -> list[str]:
    """The id of every opportunity in the guide's answer files (from any questionnaire)."""
    ids = []
    for path in sorted((ws / "answers").glob("*.yaml")):
        code, _, qid = path.stem.partition("-")
        prefix = code if qid == "self-evaluation" else f"{code}.{qid}"
        for entry in yamlio.load(path).get("opportunities") or []:
            ids.append(f"{prefix}.opportunities.{entry['key']}")
    return ids


def opportunity_titles(ws: Path) -> list[str]:
    """The title of every opportunity in the guide's answer files (from any questionnaire)."""
    return [
        str(entry["title"])
        for path in sorted((ws / "answers").glob("*.yaml"))
        for entry in yamlio.load(path).get("opportunities") or []
    ]


def test_the_guide_makes_a_final_report_of_its_own_exercise(finished: Path) -> None:
    report = (finished / "reports" / "integrated-report.md").read_text("utf-8")
    assert report.startswith("# Integrated report of the interdepartmental self-evaluation")
    assert "Cyber attacks on vital infrastructure" in report
    assert worked_example_words(report) == []
    html = (finished / "reports" / "integrated-report.html").read_text("utf-8")
    assert worked_example_words(html) == []


def test_every_abbreviation_is_given_its_full_name(finished: Path) -> None:
    """The list of abbreviations spells out a short name the full name does not contain (NCC);
    one the full name spells out (Digital Affairs, "Ministry of Digital Affairs") has no row,
    as in the seed, and Annex 1 shows the short names."""
    report = (finished / "reports" / "integrated-report.md").read_text("utf-8")
    abbreviations = report[report.index("| Abbreviation | Meaning |") :].split("\n\n", 1)[0]
    participants = yamlio.load(finished / "selfeval.yaml")["participants"]
    assert any(isinstance(p["full_name"], dict) for p in participants)  # the guide gives one
    for participant in participants:
        name, full = participant["name"], participant["full_name"]
        if isinstance(full, dict):  # the English report shows the English name only
            assert full["nl"] not in report, full
            full = full["en"]
        row = f"| {name} | {full} |"
        assert (row in abbreviations) is (name not in full), row


def test_the_matrix_holds_every_opportunity(finished: Path) -> None:
    report = (finished / "reports" / "integrated-report.md").read_text("utf-8")
    # The final report names findings by title (ids only with --ids): Figure 2's table.
    matrix = report[report.index("| Kind | Departmental | Interdepartmental |") :]
    matrix = " ".join(matrix[: matrix.index("\n\n")].split())
    expected = opportunity_titles(finished)
    assert len(expected) == len(opportunities(finished)) >= 2
    for title in expected:
        assert " ".join(title.split()) in matrix, title
    # Each self-evaluation opportunity shows the finding of its own response it answers.
    assert "One reporting point for incidents (answers No shared picture of incidents" in matrix
    assert "Security requirements for suppliers (answers Suppliers of control systems" in matrix


def test_the_english_exercise_has_no_dutch_title_page(finished: Path) -> None:
    report = (finished / "reports" / "integrated-report.md").read_text("utf-8")
    title_page = report[: report.index("## ")]
    assert "Status: internal working document" in title_page
    assert "werkdocument" not in report and "Incidentcategorie" not in report


def test_the_category_specific_version_in_the_guide_is_valid(tmp_path: Path) -> None:
    """The guide's example items and migrates_from, put into a copy of the generic version."""
    text = GUIDE.read_text("utf-8")
    part = text[text.index("## A category-specific questionnaire version") :]
    blocks = re.findall(r"```yaml\n(.*?)```", part, re.DOTALL)
    migrates_from, items = (yamlio.load_text(re.sub(r"(?m)^   ", "", b)) for b in blocks)
    shipped = Path(__file__).resolve().parents[1] / "questionnaires"
    data = yamlio.load(shipped / "self-evaluation-1.6.0.yaml")
    data["version"] = "1.6.1"
    data["migrates_from"] = migrates_from["migrates_from"]
    data["sections"][0]["items"] += items
    path = tmp_path / "self-evaluation-1.6.1.yaml"
    yamlio.write(path, data)
    loaded = load_questionnaire(path).questionnaire
    assert loaded.item("sectors").type == "multiple-choice"
