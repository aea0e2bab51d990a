"""Merges and reactions say only what the responses say (trial 10, payment outage).

* A merge of ``texts/merges.yaml`` that did not happen (one of its findings is
  in a response that is a draft again) showed its note, in the report and in
  export's ``findings.csv``, on the one finding left.
* A department that reacted on the first draft to two findings merged since
  was shown agreeing and disagreeing with the merged finding (Table 2,
  export's counts): a reaction whose ``finding_hash`` is not the merged
  finding's hash is a reaction to a changed text (``docs/findings.md`` §4, §6).

All through the CLI, on a workspace built as the trial built it.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app

EXERCISE = """\
project: Project Weerbaar Betalen
title:
  nl: Geïntegreerde rapportage betalingsverkeer
incident_category:
  id: uitval-betalingsverkeer
  name:
    nl: Grootschalige uitval van het betalingsverkeer
  choices:
    phases:
      - value: preventie
        label: {nl: Preventie, en: Prevention}
      - value: herstel
        label: {nl: Herstel, en: Recovery}
date: '2027-03-15'
language: nl
participants:
  - code: FIN
    name: Financiën
    full_name: Ministerie van Financiën
    involvement: [self-evaluation, peer-review-1]
  - code: EZK
    name: EZK
    full_name: Ministerie van Economische Zaken en Klimaat
    involvement: [self-evaluation, peer-review-1]
  - code: JenV
    name: JenV
    full_name: Ministerie van Justitie en Veiligheid
    involvement: [self-evaluation]
"""

COMMON = """\
definition: Uitval van pin- en internetbetalingen.
phases: [preventie]
role: Onze rol.
involvement: medium
activities:
  - phase: implementation
    description: Toezicht.
has_bottlenecks: false
completed_by: K. Smit
completed_on: '2027-01-15'
"""

ANSWERS = {
    "EZK": COMMON
    + """\
blind_spots:
  - key: kleine-winkels
    title: Kleine winkels zonder kasvoorraad
    description: Kleine ondernemers hebben geen contant wisselgeld meer in huis.
""",
    "JenV": COMMON
    + """\
blind_spots:
  - title: Onrust bij lege geldautomaten
    description: Er is geen beeld van hoe snel onrust ontstaat als automaten leeg raken.
""",
    "FIN": COMMON.replace("has_bottlenecks: false\n", "")
    + """\
has_bottlenecks: true
bottlenecks:
  - key: geen-noodnet
    title: Geen landelijk noodnetwerk
    description: Er is geen terugvalnetwerk.
""",
}

FIN_PEER_REVIEW = """\
recognition: largely
reactions:
  - finding: EZK.blind_spots.kleine-winkels
    verdict: disagree
    comment: Het probleem is de afstorting.
  - finding: JenV.blind_spots.1
    verdict: agree
    comment: Dit zien wij ook.
completed_by: M. de Boer
"""

NOTE = "Beide departementen wijzen op het tekort aan contant geld."
MERGES = f"""\
merges:
  - ids: [EZK.blind_spots.kleine-winkels, JenV.blind_spots.1]
    note: {NOTE}
"""


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--workspace", str(ws)], env={"COLUMNS": "150"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three self-evaluations submitted, the draft made, FIN's peer review on it submitted."""
    runner = CliRunner()
    ws = tmp_path_factory.mktemp("trial10") / "pay"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    (ws / "selfeval.yaml").write_text(EXERCISE, "utf-8")
    answers = ws / "answers"
    answers.mkdir()
    for code, text in ANSWERS.items():
        (answers / f"{code}.yaml").write_text(text, "utf-8")
        done = run(
            runner, ws, "fill", "-p", code, "--answers", str(answers / f"{code}.yaml"), "--submit"
        )
        assert done[0] == 0, done
    done = run(runner, ws, "aggregate", "--draft")
    assert done[0] == 0, done
    (answers / "FIN-pr1.yaml").write_text(FIN_PEER_REVIEW, "utf-8")
    done = run(
        runner,
        ws,
        "peer-review",
        "-p",
        "FIN",
        "--answers",
        str(answers / "FIN-pr1.yaml"),
        "--submit",
    )
    assert done[0] == 0, done
    return ws


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    """A copy of the built workspace, with the merge written in texts/merges.yaml."""
    target = tmp_path / "pay"
    shutil.copytree(built, target)
    (target / "texts" / "merges.yaml").write_text(MERGES, "utf-8")
    return target


def findings_row(ws: Path, fid: str) -> dict[str, str]:
    with (ws / "reports" / "export" / "findings.csv").open(encoding="utf-8-sig", newline="") as f:
        return next(row for row in csv.DictReader(f) if row["id"] == fid)


def section(report: str, start: str, end: str) -> str:
    return report[report.index(start) : report.index(end, report.index(start))]


def test_the_note_of_a_merge_that_did_not_happen_is_not_shown(runner: CliRunner, ws: Path) -> None:
    """JenV's self-evaluation a draft again: the merge is not made, so neither is its note."""
    fix = ws / "answers" / "JenV-fix.yaml"
    fix.write_text("role: Handhaving van de openbare orde.\n", "utf-8")
    code, out, err = run(runner, ws, "fill", "-p", "JenV", "--reopen", "--answers", str(fix))
    assert code == 0, out + err
    code, out, err = run(runner, ws, "aggregate")
    assert code == 0, out + err
    assert "a merge names JenV.blind_spots.1, a finding of a draft response left out" in err
    report = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    blind_spots = section(report, "### 4.2", "### 4.3")
    assert "#### EZK: Kleine winkels zonder kasvoorraad" in blind_spots, blind_spots
    assert NOTE not in report
    code, out, err = run(runner, ws, "export")
    assert code == 0, out + err
    row = findings_row(ws, "EZK.blind_spots.kleine-winkels")
    assert (row["note"], row["merged"], row["raised_by"]) == ("", "", "EZK"), row


def test_the_note_of_a_merge_made_is_shown(runner: CliRunner, ws: Path) -> None:
    """The counterpart: both responses submitted, the note is with the merged finding."""
    assert run(runner, ws, "aggregate")[0] == 0
    report = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert "#### EZK en JenV: Kleine winkels zonder kasvoorraad" in report
    assert f"*{NOTE}*" in section(report, "### 4.2", "### 4.3")
    assert run(runner, ws, "export")[0] == 0
    assert findings_row(ws, "EZK.blind_spots.kleine-winkels")["note"] == NOTE


def test_one_department_is_not_counted_twice_on_a_merged_finding(
    runner: CliRunner, ws: Path
) -> None:
    """FIN reacted on the first draft to both findings merged since: its reaction to the
    alias was on JenV's text, not the merged finding's, so it is listed as "text changed"."""
    code, out, err = run(runner, ws, "aggregate")
    assert code == 0, out + err
    report = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    table = section(report, "### 4.4", "### 4.5")
    assert "| EZK en JenV: Kleine winkels zonder kasvoorraad | — | — | Financiën |" in table, table
    merged = section(report, "#### EZK en JenV", "### 4.3")
    assert "Het probleem is de afstorting." in merged
    assert "Dit zien wij ook." not in merged
    changed = section(report, "### 4.6", "## 5")
    assert (
        "- EZK en JenV: Kleine winkels zonder kasvoorraad (de tekst van de bevinding is sinds "
        "het concept gewijzigd): In collegiale toets 1 gaf Financiën aan het hiermee eens te zijn."
        in changed
    )
    assert "Dit zien wij ook." in changed
    assert run(runner, ws, "export")[0] == 0
    row = findings_row(ws, "EZK.blind_spots.kleine-winkels")
    assert (row["agree"], row["disagree"]) == ("0", "1"), row
