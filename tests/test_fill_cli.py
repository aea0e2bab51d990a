"""`selfeval fill` through the CLI runner: --answers, submit, reopen, the lock, no terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from filelock import FileLock
from fillkit import mini_workspace, response_of
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

REL = "responses/mijn-incidentcategorie/DEP1/mini.yaml"

GOOD = """\
name: Financiën
remark: |
  Eerste regel
  tweede regel
count: 7
agree: false
why_not: 'NO'
level: mid
partners: [DEP2]
points:
  - title: '1.10'
    year: 2006
  - title: 'on'
signed_on: 2006-05-16
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return mini_workspace(tmp_path / "ws")


def fill(runner: CliRunner, ws: Path, *args: str) -> object:
    return runner.invoke(app, ["fill", "-w", str(ws), "-p", "DEP1", "-q", "mini", *args])


def write(ws: Path, text: str, name: str = "answers.yaml") -> Path:
    path = ws / name
    path.write_text(text, "utf-8")
    return path


def test_without_a_terminal_and_without_answers_it_fails_fast(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(app, ["fill", "-w", str(ws), "-p", "DEP1"])
    assert result.exit_code == 2
    # Without --answers the reader is a respondent: the session language (Dutch).
    assert "De vragen kunnen alleen in een terminalvenster worden gesteld" in result.stderr
    assert not (ws / "responses/mijn-incidentcategorie/DEP1").exists()


def test_answers_file_fills_and_submits_keeping_strings_as_typed(
    runner: CliRunner, ws: Path
) -> None:
    result = fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Ingediend:" in result.stdout
    data = response_of(ws)
    assert data["status"] == "submitted"
    assert data["answers"] == {
        "name": "Financiën",
        "remark": "Eerste regel\ntweede regel\n",
        "count": 7,
        "agree": False,
        "why_not": "NO",
        "level": "mid",
        "partners": ["DEP2"],
        "points": [{"title": "1.10", "year": 2006}, {"title": "on"}],
        "signed_on": "2006-05-16",
    }
    assert "signed_on: '2006-05-16'" in (ws / REL).read_text("utf-8")


def test_json_answers_file(runner: CliRunner, ws: Path) -> None:
    answers = {"name": "BZ", "agree": True, "level": "low", "signed_on": "2006-05-16"}
    path = write(ws, json.dumps(answers), "answers.json")
    result = fill(runner, ws, "--answers", str(path), "--submit")
    assert result.exit_code == 0, result.stderr
    assert response_of(ws)["answers"] == answers


def test_every_invalid_answer_is_reported_at_once_with_lines(runner: CliRunner, ws: Path) -> None:
    bad = "name: NO\ncount: 500\nlevel: extreme\npoints:\n  - year: 2006\n  - title: x\n    colour: red\n"
    result = fill(runner, ws, "--answers", str(write(ws, bad)))
    assert result.exit_code == 1
    err = result.stderr
    assert (
        "answers.yaml:1:7: name: expected text, but YAML read an unquoted word "
        "(such as NO, yes, on, off) as false; put the text in quotes"
    ) in err
    assert "answers.yaml:2:8: count: must be between 0 and 100" in err
    assert "answers.yaml:3:8: level: 'extreme' is not one of the choices: low, mid, high" in err
    assert "answers.yaml:7:13: points[1].colour: there is no such item" in err
    assert not (ws / REL).exists()


def test_submit_refused_lists_every_missing_answer(runner: CliRunner, ws: Path) -> None:
    path = write(ws, "name: x\npoints:\n  - year: 2006\n")
    result = fill(runner, ws, "--answers", str(path), "--submit")
    assert result.exit_code == 1
    for missing in ("agree", "level", "signed_on"):
        assert f"answers.yaml: {missing}: a required answer is missing" in result.stderr
    assert "answers.yaml:3:5: points[0].title: a required answer is missing" in result.stderr
    assert not (ws / REL).exists()


def test_a_partial_draft_is_saved_and_what_is_missing_is_said(runner: CliRunner, ws: Path) -> None:
    result = fill(runner, ws, "--answers", str(write(ws, "name: x\n")))
    assert result.exit_code == 0
    assert "Opgeslagen als concept:" in result.stdout
    assert "Nog nodig vóór indienen: Akkoord, Niveau, Datum" in result.stdout
    assert response_of(ws)["status"] == "draft"
    # a second file adds to the draft rather than replacing it
    result = fill(runner, ws, "--answers", str(write(ws, "count: 3\n")))
    assert response_of(ws)["answers"] == {"name": "x", "count": 3}


def test_a_submitted_response_is_not_overwritten_without_reopen(
    runner: CliRunner, ws: Path
) -> None:
    fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    before = (ws / REL).read_bytes()
    result = fill(runner, ws, "--answers", str(write(ws, "name: other\n", "b.yaml")))
    assert result.exit_code == 1
    assert "was submitted on" in result.stderr
    assert "run the command again with --reopen to change it" in result.stderr
    assert (ws / REL).read_bytes() == before


def test_reopen_keeps_the_submitted_version_and_records_it(runner: CliRunner, ws: Path) -> None:
    fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    submitted = (ws / REL).read_text("utf-8")
    result = fill(runner, ws, "--reopen", "--answers", str(write(ws, "name: ander\n", "b.yaml")))
    assert result.exit_code == 0, result.stderr
    kept = list((ws / REL).parent.glob("mini.submitted-*.yaml"))
    assert len(kept) == 1
    assert kept[0].read_text("utf-8") == submitted
    assert "Heropend; de ingediende versie is bewaard als" in result.stdout
    data = response_of(ws)
    assert data["status"] == "draft"
    assert data["reopened_from"] == kept[0].name
    assert data["answers"]["name"] == "ander"
    # and it can be submitted again
    result = fill(runner, ws, "--answers", str(write(ws, "{}\n", "c.yaml")), "--submit")
    assert result.exit_code == 0, result.stderr
    assert response_of(ws)["status"] == "submitted"


def test_a_response_locked_by_another_process_is_refused_naming_the_lock(
    runner: CliRunner, ws: Path
) -> None:
    folder = ws / REL
    lock_path = ws / ".selfeval/locks/mijn-incidentcategorie/DEP1/mini.lock"
    lock_path.parent.mkdir(parents=True)
    with FileLock(lock_path, is_singleton=False):
        result = fill(runner, ws, "--answers", str(write(ws, "name: x\n")))
    assert result.exit_code == 1
    assert "being changed by another selfeval process" in result.stderr
    assert str(lock_path) in result.stderr
    assert not folder.exists()


def test_two_different_responses_can_be_filled_at_once(runner: CliRunner, ws: Path) -> None:
    exercise = yamlio.load(ws / "selfeval.yaml")
    exercise["participants"][1]["involvement"] = ["self-evaluation"]
    yamlio.write(ws / "selfeval.yaml", exercise)
    lock_path = ws / ".selfeval/locks/mijn-incidentcategorie/DEP1/mini.lock"
    lock_path.parent.mkdir(parents=True)
    with FileLock(lock_path, is_singleton=False):
        result = runner.invoke(
            app,
            ["fill", "-w", str(ws), "-p", "DEP2", "-q", "mini", "--answers",
             str(write(ws, "name: y\n"))],
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert response_of(ws, "DEP2")["answers"] == {"name": "y"}


def test_a_peer_review_participant_is_sent_to_peer_review(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(
        app, ["fill", "-w", str(ws), "-p", "DEP2", "--answers", str(write(ws, "{}\n"))]
    )
    assert result.exit_code == 1
    assert "DEP2 takes part in peer-review-2, not in a self-evaluation" in result.stderr
    assert "selfeval peer-review --participant DEP2" in result.stderr


def test_a_peer_review_questionnaire_is_refused(runner: CliRunner, ws: Path) -> None:
    result = fill(runner, ws, "-q", "peer-review-1", "--answers", str(write(ws, "{}\n")))
    assert result.exit_code == 1
    assert "peer-review-1 is a peer review;" in result.stderr
    assert "use `selfeval peer-review --participant DEP1` for peer reviews" in result.stderr


def test_unknown_participant(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(
        app, ["fill", "-w", str(ws), "-p", "XX", "--answers", str(write(ws, "{}\n"))]
    )
    assert result.exit_code == 1
    assert "participant 'XX' is not in selfeval.yaml" in result.stderr
    assert "use one of: DEP1, DEP2" in result.stderr


def test_a_code_typed_in_another_case_names_its_participant(runner: CliRunner, ws: Path) -> None:
    answers = {"name": "BZ", "agree": True, "level": "low", "signed_on": "2006-05-16"}
    path = write(ws, json.dumps(answers), "answers.json")
    result = runner.invoke(
        app, ["fill", "-w", str(ws), "-p", "dep1", "-q", "mini", "--answers", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    assert response_of(ws)["participant"] == "DEP1"
    assert response_of(ws)["answers"] == answers
    assert not (ws / "responses/mijn-incidentcategorie/dep1").exists()


def test_a_code_matching_two_participants_ignoring_case_is_refused_listing_the_codes() -> None:
    from types import SimpleNamespace

    from selfeval.cli._common import participant_code
    from selfeval.errors import NotFoundError

    ws = SimpleNamespace(
        exercise=SimpleNamespace(codes=("Ab", "AB", "C")), exercise_path=Path("selfeval.yaml")
    )
    assert participant_code(ws, "AB") == "AB"  # type: ignore[arg-type]
    assert participant_code(ws, "c") == "C"  # type: ignore[arg-type]
    with pytest.raises(NotFoundError) as caught:
        participant_code(ws, "ab")  # type: ignore[arg-type]
    assert caught.value.hint == "use one of: Ab, AB, C"


def test_submit_needs_answers(runner: CliRunner, ws: Path) -> None:
    result = fill(runner, ws, "--submit")
    assert result.exit_code == 2
    assert result.stderr == "U dient in aan het eind van de vragen; laat --submit weg.\n"


def test_answers_file_that_is_not_a_mapping(runner: CliRunner, ws: Path) -> None:
    result = fill(runner, ws, "--answers", str(write(ws, "- a\n- b\n")))
    assert result.exit_code == 1
    assert "answers.yaml:1:1: the answers file must be a mapping" in result.stderr


SHIPPED_COMPLETE = """\
definition: |
  Staten die hun kerntaken niet meer kunnen uitvoeren.
causes: Armoede, conflict.
phases: [prevention, response, aftercare]  # the template exercise's phases
phases_note: Nazorg voorkomt terugval.
documents:
  - title: Notitie Wederopbouw na gewapend conflict
    year: 2005
role: |
  Coördinatie van het buitenlands beleid.
  Ontwikkelingssamenwerking.
involvement: strong
gives_input_to: [DEP2]
receives_input_from: []
cooperation_rating: 3
other_roles:
  - participant: DEP2
    role: Financiering.
    involvement: medium
activities:
  - phase: research
    description: Risicoanalyses per land.
    sources:
      - document: Jaarverslag
        year: 2005
        page: '12'
  - phase: implementation
    description: Programma's in fragiele staten.
has_bottlenecks: true
bottlenecks:
  - title: Versnipperde informatie
    description: Informatie over fragiele staten is verspreid.
    departments: [DEP2]
blind_spots:
  - title: Vroegsignalering
    description: Te weinig aandacht voor vroege signalen.
needs:
  - title: Gedeelde analyse
    description: Eén gezamenlijk beeld.
    scope: interdepartmental
    departments: [DEP2]
opportunities:
  - title: Gezamenlijke landenanalyses
    description: Samen analyseren.
    scope: interdepartmental
    nature: process
    direction: develop
remarks: Geen.
completed_by: J. Jansen, beleidsmedewerker
completed_on: 2006-05-16
"""


def test_the_shipped_self_evaluation_can_be_filled_completely_from_a_file(
    runner: CliRunner, empty_ws: Path
) -> None:
    path = write(empty_ws, SHIPPED_COMPLETE)
    result = runner.invoke(
        app, ["fill", "-w", str(empty_ws), "-p", "DEP1", "--answers", str(path), "--submit"]
    )
    assert result.exit_code == 0, result.stderr
    data = yamlio.load(empty_ws / "responses/mijn-incidentcategorie/DEP1/self-evaluation.yaml")
    assert data["status"] == "submitted"
    assert data["questionnaire"]["id"] == "self-evaluation"
    assert data["answers"]["completed_on"] == "2006-05-16"
    assert (
        data["answers"]["role"]
        == "Coördinatie van het buitenlands beleid.\nOntwikkelingssamenwerking.\n"
    )
    checked = runner.invoke(app, ["validate", "-w", str(empty_ws)])
    assert checked.exit_code == 0, checked.stderr


# -- from the new-user trial --------------------------------------------------------------


def test_reopen_with_an_invalid_answers_file_changes_nothing(runner: CliRunner, ws: Path) -> None:
    fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    before = (ws / REL).read_bytes()
    result = fill(runner, ws, "--reopen", "--answers", str(write(ws, "count: 500\n", "b.yaml")))
    assert result.exit_code == 1
    assert "count: must be between 0 and 100" in result.stderr
    assert (ws / REL).read_bytes() == before
    assert response_of(ws)["status"] == "submitted"
    assert not list((ws / REL).parent.glob("mini.submitted-*"))


def test_reopen_with_answers_that_change_nothing_leaves_it_submitted(
    runner: CliRunner, ws: Path
) -> None:
    fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    before = (ws / REL).read_bytes()
    result = fill(runner, ws, "--reopen", "--answers", str(write(ws, "level: mid\n", "b.yaml")))
    assert result.exit_code == 0, result.stderr
    assert "Niets gewijzigd:" in result.stdout
    assert "is nog steeds ingediend" in result.stdout
    assert (ws / REL).read_bytes() == before
    assert not list((ws / REL).parent.glob("mini.submitted-*"))


def test_an_unknown_participant_is_said_before_no_terminal(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(app, ["fill", "-w", str(ws), "-p", "XX"], input="\n")
    assert result.exit_code == 1
    assert "Er is geen deelnemer met de code XX." in result.stderr
    assert "terminalvenster" not in result.stderr


def test_closing_lines_follow_the_language_asked_for(runner: CliRunner, ws: Path) -> None:
    result = fill(runner, ws, "--lang", "en", "--answers", str(write(ws, "name: x\n")))
    assert result.exit_code == 0, result.stderr
    assert "Saved as draft:" in result.stdout
    assert "Still missing before you can submit: Agree, Level, Date" in result.stdout
    assert "Continue with: selfeval fill --participant DEP1 --questionnaire mini" in result.stdout
    assert result.stdout.rstrip().endswith("--lang en")


def test_answers_file_never_fills_in_a_default_and_keeps_an_empty_checklist(
    runner: CliRunner, tmp_path: Path
) -> None:
    from fillkit import defaults_workspace

    ws = defaults_workspace(tmp_path / "ws")
    answers = write(ws, "must: [a]\nmay: []\n")
    args = ["fill", "-w", str(ws), "-p", "DEP1", "-q", "defaults", "--answers", str(answers)]
    result = runner.invoke(app, [*args, "--submit"])
    assert result.exit_code == 0, result.output
    # every item with a `default:` was left out of the file: none is answered
    assert response_of(ws, qid="defaults")["answers"] == {"must": ["a"], "may": []}


def test_answers_file_with_an_empty_required_checklist_cannot_submit(
    runner: CliRunner, tmp_path: Path
) -> None:
    from fillkit import defaults_workspace

    ws = defaults_workspace(tmp_path / "ws")
    answers = write(ws, "must: []\n")
    args = ["fill", "-w", str(ws), "-p", "DEP1", "-q", "defaults", "--answers", str(answers)]
    result = runner.invoke(app, [*args, "--submit"])
    assert result.exit_code == 1
    assert "answers.yaml:1:7: must: a required answer is missing" in result.stderr


def test_a_default_the_item_does_not_accept_is_an_error_at_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    from fillkit import DEFAULTS, defaults_workspace

    ws = defaults_workspace(tmp_path / "ws")
    path = ws / "questionnaires" / "defaults-1.0.0.yaml"
    path.write_text(DEFAULTS.replace("default: mid", "default: top"), "utf-8")
    line = DEFAULTS.splitlines().index("        default: mid") + 1
    for args in (["validate", str(ws)], ["fill", "-w", str(ws), "-p", "DEP1", "-q", "defaults"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert f"defaults-1.0.0.yaml:{line}:18: sections[0].items[5].default: the default of " in (
            result.output
        )
        assert "'top' is not one of the choices: low, mid" in result.output


def test_a_respondent_at_a_terminal_hears_in_plain_dutch_that_it_was_submitted(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The trial: an English "Error: …" with "--reopen" in the hint, in a Dutch session.
    fill(runner, ws, "--answers", str(write(ws, GOOD)), "--submit")
    before = (ws / REL).read_bytes()
    monkeypatch.setattr("selfeval.cli.fill.check_session_flags", lambda *a, **k: None)
    result = fill(runner, ws, "--lang", "nl")
    assert result.exit_code == 1
    assert "zijn al ingediend" in result.stderr
    assert "vraag dan uw coördinator" in result.stderr
    assert "--reopen" not in result.stderr and "Error" not in result.stderr
    assert (ws / REL).read_bytes() == before
