"""The ninth new-user trial (3 December): what the report says is what the responses say.

The trial built its own exercise ("Langdurige verstoring van de drinkwatervoorziening",
four departments) from the README and the docs alone. Each test rebuilds what it needs
of that workspace and goes through the CLI (typer's CliRunner) or, for the interactive
session, through the session with a scripted prompter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fillkit import MINI, mini_workspace
from test_session import Scripted, ask, choose, run
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files.scaffold import init_workspace
from selfeval.files.workspace import Workspace

CAT = "responses/drinkwaterverstoring"

EXERCISE = """\
project: Evaluatie drinkwaterzekerheid
title:
  nl: Geïntegreerde rapportage interdepartementale zelfevaluatie
incident_category:
  id: drinkwaterverstoring
  name:
    nl: Langdurige verstoring van de drinkwatervoorziening
  choices:
    phases:
      - value: voorkomen
        label: Voorkomen
      - value: herstel
        label: Herstel
date: '2027-03-01'
language: nl
secretariat: Secretariaat Drinkwaterzekerheid
questionnaires:
  self-evaluation: '1.6.0'
  peer-review-1: '1.2.0'
  peer-review-2: '1.2.0'
participants:
  - code: IenW
    name: IenW
    full_name: Ministerie van Infrastructuur en Waterstaat
    involvement: [self-evaluation, peer-review-1]
  - code: BZK
    name: BZK
    full_name: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
    involvement: [self-evaluation, peer-review-1]
  - code: VWS
    name: VWS
    full_name: Ministerie van Volksgezondheid, Welzijn en Sport
    involvement: [self-evaluation]
  - code: JenV
    name: Justitie en Veiligheid
    full_name: Ministerie van Justitie en Veiligheid
    involvement: [self-evaluation, peer-review-2]
"""

#: The trial's answers for JenV: "yes" to bottlenecks, and no bottlenecks.
YES_BUT_NONE = """\
definition: Sabotage.
phases: [voorkomen]
role: NCTV.
involvement: strong
activities:
  - phase: research
    description: Analyse.
has_bottlenecks: true
completed_by: X
completed_on: 2027-01-02
"""

ONE_BOTTLENECK = """\
bottlenecks:
  - title: Geen noodwaterplan
    description: Er is geen landelijk noodwaterplan.
"""


def run_cli(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [args[0], "-w", str(ws), *args[1:]])
    return result.exit_code, result.output


@pytest.fixture
def drinkwater(tmp_path: Path) -> Path:
    """The trial's workspace: `selfeval init`, then its own selfeval.yaml."""
    ws = tmp_path / "drinkwater"
    init_workspace(ws)
    (ws / "selfeval.yaml").write_text(EXERCISE, encoding="utf-8")
    return ws


def fill(runner: CliRunner, ws: Path, who: str, answers: str, *more: str) -> tuple[int, str]:
    path = ws / f"{who}-answers.yaml"
    path.write_text(answers, encoding="utf-8")
    return run_cli(runner, ws, "fill", "-p", who, "--answers", str(path), *more)


# --- 1. "yes" to bottlenecks with no bottlenecks ---------------------------------------


def test_fill_answers_refuses_to_submit_yes_to_bottlenecks_without_one(
    runner: CliRunner, drinkwater: Path
) -> None:
    code, output = fill(runner, drinkwater, "JenV", YES_BUT_NONE, "--submit")
    assert code == 1, output
    assert "Ingediend" not in output
    assert "bottlenecks: needs at least 1 entry (has 0)" in output, output
    assert not (drinkwater / CAT / "JenV/self-evaluation.yaml").exists()
    # With one bottleneck it goes in.
    code, output = fill(runner, drinkwater, "JenV", YES_BUT_NONE + ONE_BOTTLENECK, "--submit")
    assert code == 0 and "Ingediend" in output, output


def test_a_submitted_response_with_yes_and_no_bottlenecks_is_named_everywhere(
    runner: CliRunner, drinkwater: Path
) -> None:
    # An old file, submitted before the rule held: validate, status and aggregate name it.
    code, output = fill(runner, drinkwater, "JenV", YES_BUT_NONE)
    assert code == 0, output
    path = drinkwater / CAT / "JenV/self-evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft", "status: submitted"), encoding="utf-8")
    where = r"JenV/self-evaluation\.yaml:\d+:\d+: answers\.bottlenecks: needs at least 1 entry"
    code, output = run_cli(runner, drinkwater, "validate")
    assert code == 1 and re.search(where, output), output
    code, output = run_cli(runner, drinkwater, "status", "--no-cache")
    assert code == 1 and "needs at least 1 entry" in output, output
    code, output = run_cli(runner, drinkwater, "aggregate", "--draft", "--no-cache")
    assert code == 1 and re.search(where, output), output


def test_the_review_does_not_say_all_is_filled_in_after_yes_and_no_entries(
    tmp_path: Path,
) -> None:
    root = mini_workspace(tmp_path / "ws")
    at_least_one = MINI.replace(
        "        finding: bottleneck\n",
        "        finding: bottleneck\n        when: agree\n        min_items: 1\n",
    )
    (root / "questionnaires" / "mini-1.0.0.yaml").write_text(at_least_one, "utf-8")
    prompter = Scripted(
        [
            ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", True),
            ask("level", "low"), ask("partners", []), choose("done"),
            ask("signed_on", "2006-05-15"), choose("quit"),
        ]
    )  # fmt: skip
    assert run(Workspace(root), prompter, lang="nl").state == "draft"
    said = [n.text for n in prompter.notices]
    assert "Alles is ingevuld. U kunt indienen." not in said, said
    assert any("Voor indienen is minstens 1 nodig bij Punten" in t for t in said), said


# --- 2. no response counts: aggregate refuses and keeps the last report -----------------


def test_aggregate_refuses_when_no_response_counts_and_keeps_the_last_report(
    runner: CliRunner, drinkwater: Path
) -> None:
    code, output = fill(runner, drinkwater, "JenV", YES_BUT_NONE + ONE_BOTTLENECK, "--submit")
    assert code == 0, output
    # The report of an earlier run (a real one is made the same way: not timed here).
    report = drinkwater / "reports" / "integrated-report.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text("# Geïntegreerde rapportage\n\nGeen noodwaterplan (JenV).\n", "utf-8")
    before = report.read_bytes()
    # The trial changed the category's id after the responses were in.
    exercise = drinkwater / "selfeval.yaml"
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(text.replace("id: drinkwaterverstoring", "id: drinkwater"), "utf-8")
    said = (
        "no response counts: the 1 response file under responses/ is in "
        "responses/drinkwaterverstoring/, but the incident category of selfeval.yaml is "
        "'drinkwater'"
    )
    for args in (["aggregate"], ["aggregate", "--no-cache"], ["aggregate", "--draft"]):
        code, output = run_cli(runner, drinkwater, *args)
        assert code == 1, output
        assert said in " ".join(output.split()), output
        assert "change it back to 'drinkwaterverstoring'" in output
        assert "Wrote" not in output and "Traceback" not in output
    assert report.read_bytes() == before
    code, output = run_cli(runner, drinkwater, "status", "--no-cache")
    assert code == 1 and said in " ".join(output.split()), output


def test_a_new_exercise_without_responses_still_aggregates(
    runner: CliRunner, drinkwater: Path
) -> None:
    code, output = run_cli(runner, drinkwater, "aggregate", "--draft", "--no-cache")
    assert code == 0, output


# --- 4. --answers says what is kept but not counted ----------------------------------


def test_fill_answers_names_answers_kept_but_not_counted(
    runner: CliRunner, drinkwater: Path
) -> None:
    no = YES_BUT_NONE.replace("has_bottlenecks: true", "has_bottlenecks: false")
    code, output = fill(runner, drinkwater, "JenV", no + ONE_BOTTLENECK, "--submit")
    assert code == 0 and "Ingediend" in output, output
    said = (
        "Bewaard maar niet meegeteld, omdat de vraag niet meer bij uw antwoorden hoort: Knelpunten"
    )
    assert said in " ".join(output.split()), output


# --- 3. a participant invited to a peer review is counted ------------------------------

VWS_ROUND_1 = """\
recognition: largely
recognition_why: Zie bijlage.
completed_by: R. Smit
reactions:
  - finding: JenV.bottlenecks.1
    verdict: agree
"""


@pytest.mark.slow  # two aggregates (~4 s); by default test_status and test_validate_workspace
# prove the rule (Exercise.invited) for status and validate
def test_a_participant_invited_to_round_1_is_counted_and_listed_in_annex_1(
    runner: CliRunner, drinkwater: Path
) -> None:
    code, output = fill(runner, drinkwater, "JenV", YES_BUT_NONE + ONE_BOTTLENECK, "--submit")
    assert code == 0, output
    code, output = run_cli(runner, drinkwater, "aggregate", "--draft", "--no-cache")
    assert code == 0, output
    answers = drinkwater / "vws-pr.yaml"
    answers.write_text(VWS_ROUND_1, encoding="utf-8")
    review = ["peer-review", "-p", "VWS", "--answers", str(answers), "--submit"]
    code, output = run_cli(runner, drinkwater, *review)
    assert code != 0 and "--round 1" in output, output  # VWS is down for no round
    code, output = run_cli(runner, drinkwater, *review, "--round", "1")
    assert code == 0 and "genodigde" in output, output
    assert "Bewaard maar niet meegeteld" in output and "herkent uw departement niet" in output
    code, output = run_cli(runner, drinkwater, "aggregate", "--no-cache")
    assert code == 0, output
    assert "left out" not in output, output
    report = (drinkwater / "reports" / "integrated-report.md").read_text(encoding="utf-8")
    row = next(line for line in report.splitlines() if line.startswith("| VWS |"))
    assert "collegiale toets 1" in row, row
    # status: not an expected row, not "not asked for" either; validate: no warning.
    code, output = run_cli(runner, drinkwater, "status", "--no-cache")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "invited: not in its involvement in selfeval.yaml, counted" in flat, flat
    assert "not asked for" not in flat, flat
    code, output = run_cli(runner, drinkwater, "validate")
    assert code == 0 and "not asked for" not in output, output
