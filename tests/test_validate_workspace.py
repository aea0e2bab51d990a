"""`selfeval validate` on a whole workspace: responses, their place, and what a crash leaves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace
from selfeval.files.workspace import Workspace

GOOD_PR1 = {"recognition": "fully", "completed_by": "A. de Vries"}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example's exercise and questionnaires, with no responses yet."""
    target = tmp_path / "ws"
    init_workspace(target, example=True)
    shutil.rmtree(target / "responses")
    (target / "responses").mkdir()
    # Its merges name findings of those responses: validate refuses them then, as
    # aggregate does (tests/test_untrusted_input.py).
    (target / "texts" / "merges.yaml").write_text("merges: []\n", "utf-8")
    return target


def response_data(root: Path, code: str, qid: str, answers: dict[str, Any], **fields: Any) -> Any:
    loaded = Workspace(root).questionnaire(qid)
    return {
        "questionnaire": {"id": qid, "version": loaded.questionnaire.version, "hash": loaded.hash},
        "participant": code,
        "incident_category": "falende-staten",
        "status": "draft",
        "started_at": "2026-05-01T09:00:00Z",
        "updated_at": "2026-05-02T10:30:00Z",
        **fields,
        "answers": answers,
    }


def write_response(
    root: Path,
    code: str,
    qid: str,
    answers: dict[str, Any],
    *,
    at: Path | None = None,
    **fields: Any,
) -> Path:
    path = at or Workspace(root).response_path(code, qid)
    yamlio.write(path, response_data(root, code, qid, answers, **fields), fsync=False)
    return path


def validate(runner: CliRunner, root: Path) -> Any:
    return runner.invoke(app, ["validate", "--workspace", str(root)])


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` that contains ``needle``."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_valid_responses_pass(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, status="submitted")
    write_response(ws, "BZ", "self-evaluation", {"definition": "Staten die falen."})
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert "OK: 16 files valid." in result.stdout  # exercise, 13 questionnaires, 2 responses
    assert "Warning" not in result.output


def test_hash_mismatch_is_an_error_at_the_hash_line(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", GOOD_PR1)
    text = path.read_text("utf-8")
    real = Workspace(ws).questionnaire("peer-review-1").hash
    path.write_text(text.replace(real, "sha256:" + "0" * 64), encoding="utf-8")
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, 'hash:')}:" in result.stderr
    assert "the questionnaire changed after this response was started" in result.stderr


def test_unknown_version_names_the_response(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", GOOD_PR1)
    path.write_text(
        path.read_text("utf-8").replace("version: 1.2.0", "version: 9.9.9"), encoding="utf-8"
    )
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"Error: {path}: questionnaire 'peer-review-1' has no version '9.9.9'" in result.stderr
    assert "available versions: 1.0.0, 1.1.0, 1.2.0" in result.stderr


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"recognition": "fully", "colour": "red"}, "colour:",
         "answers.colour: there is no such item in this questionnaire"),
        ({"recognition": 3}, "recognition:", "answers.recognition: 3 is not one of the choices"),
        ({"recognition": "somewhat"}, "recognition:",
         "answers.recognition: 'somewhat' is not one of the choices: fully, largely, partly, not"),
        ({"recognition": "fully", "completed_by": ["a", "b"]}, "- a",
         "answers.completed_by: expected text"),
    ],
)  # fmt: skip
def test_bad_answers_are_errors_with_line(
    runner: CliRunner, ws: Path, answers: dict[str, Any], key: str, message: str
) -> None:
    path = write_response(ws, "DEF", "peer-review-1", answers)
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, key)}:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_participant_not_in_the_exercise(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "XYZ", "peer-review-1", GOOD_PR1)
    result = validate(runner, ws)
    assert result.exit_code == 1
    # At its participant: line (the one rule validate, status and aggregate apply).
    assert re.search(
        rf"{re.escape(str(path))}:\d+:\d+: participant 'XYZ' is not in selfeval\.yaml",
        result.stderr,
    )
    assert "use one of: BZ, DEF, NCTb" in result.stderr


def test_response_in_another_participants_folder(runner: CliRunner, ws: Path) -> None:
    wrong = ws / "responses" / "falende-staten" / "NCTb" / "peer-review-1.yaml"
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, at=wrong)
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{wrong}: this response (participant DEF, questionnaire peer-review-1) is in the " in (
        result.stderr
    )
    assert (
        "hint: if it is DEF's peer-review-1 response, move it to "
        "responses/falende-staten/DEF/peer-review-1.yaml; if it is NCTb's peer-review-1, "
        "correct participant in the file"
    ) in result.stderr


def test_response_misplaced_where_one_already_is(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1)
    copy = ws / "responses" / "falende-staten" / "DEF" / "peer-review-1 (copy).yaml"
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, at=copy)
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{copy}: this response" in result.stderr
    assert "already exists: compare the two" in result.stderr


def test_response_loose_in_responses_folder_is_found(runner: CliRunner, ws: Path) -> None:
    loose = ws / "responses" / "DEF-peer-review-1.yaml"
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, at=loose)
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{loose}: this response (participant DEF" in result.stderr


def test_category_folder_must_match_the_exercise(runner: CliRunner, ws: Path) -> None:
    wrong = ws / "responses" / "terrorisme" / "DEF" / "peer-review-1.yaml"
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, at=wrong)
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{wrong}: this response" in result.stderr
    assert "move it to responses/falende-staten/DEF/peer-review-1.yaml" in result.stderr


def test_incident_category_in_the_file_must_match(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", GOOD_PR1, incident_category="terrorisme")
    result = validate(runner, ws)
    assert result.exit_code == 1
    line = line_of(path, "incident_category:")
    assert (
        f"{path}:{line}:20: the response is for incident category 'terrorisme', but this "
        "exercise evaluates 'falende-staten'"
    ) in result.stderr


def test_empty_response_file(runner: CliRunner, ws: Path) -> None:
    path = Workspace(ws).response_path("DEF", "peer-review-1")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"Error: {path}: the file is empty" in result.stderr
    # Trial 8: the hint was "see docs/ for the expected content".
    assert (
        f"hint: restore it from git (git checkout -- {path}), or delete it and answer again "
        "with `selfeval fill`"
    ) in result.stderr


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("recognitoin", "hint: did you mean 'recognition'? Rename the key, or remove the answer"),
        (
            "budget_2027",
            "hint: remove the answer: peer-review-1@1.2.0 asks no such question "
            "(`selfeval questionnaire show peer-review-1@1.2.0`)",
        ),
    ],
)
def test_an_answer_to_no_item_says_what_to_do(
    runner: CliRunner, ws: Path, key: str, hint: str
) -> None:
    """Trial 8: "there is no such item in this questionnaire", and no word on what to do."""
    write_response(ws, "DEF", "peer-review-1", {"recognition": "fully", key: "x"})
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"answers.{key}: there is no such item in this questionnaire\n  {hint}" in (
        result.stderr
    )


def test_submitted_response_must_be_complete(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", {"recognition": "partly"}, status="submitted")
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert str(path) in result.stderr
    assert "recognition_why" in result.stderr


def test_stray_yaml_is_a_warning(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1)
    notes = ws / "responses" / "notes.yaml"
    notes.write_text("todo: bel EZ\n", encoding="utf-8")
    broken = ws / "responses" / "falende-staten" / "scratch.yml"
    broken.write_text("a: [1, 2\n", encoding="utf-8")
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert f"Warning: {notes}: a file under responses/ that is not a response" in result.stderr
    assert "selfeval ignores responses/notes.yaml; move it out of responses/ or delete it" in (
        result.stderr
    )
    assert f"Warning: {broken}:" in result.stderr


def test_leftover_temp_file_is_a_warning_that_says_it_can_go(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", GOOD_PR1)
    tmp = path.with_name(".peer-review-1.yaml.k2j4h1q.tmp")
    tmp.write_text("questionnaire:\n  id: peer-revi", encoding="utf-8")  # cut off mid-write
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert f"Warning: {tmp}: a temporary file left by an interrupted save" in result.stderr
    assert "hint: it can be deleted" in result.stderr


def test_leftover_temp_file_without_its_response_is_kept_for_checking(
    runner: CliRunner, ws: Path
) -> None:
    folder = ws / "responses" / "falende-staten" / "DEF"
    folder.mkdir(parents=True)
    tmp = folder / ".peer-review-1.yaml.abc123.tmp"
    tmp.write_text("questionnaire: {}\n", encoding="utf-8")
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert "peer-review-1.yaml does not exist: this may hold the only copy" in result.stderr


def test_earlier_submitted_versions_are_checked(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "DEF", "peer-review-1", GOOD_PR1, reopened_from="x")
    kept = path.with_name("peer-review-1.submitted-20260503T160000Z.yaml")
    write_response(ws, "DEF", "peer-review-1", GOOD_PR1, at=kept, status="submitted")
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert "OK: 16 files valid." in result.stdout
    kept.write_text(kept.read_text("utf-8").replace("fully", "entirely"), encoding="utf-8")
    result = validate(runner, ws)
    assert result.exit_code == 1
    assert f"{kept}:{line_of(kept, 'entirely')}:" in result.stderr


def test_response_nobody_asked_for_is_a_warning(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "FIN", "self-evaluation", {"completed_by": "x"})
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert (
        f"Warning: {path}: not asked for: FIN is not asked for self-evaluation (its "
        "involvement in selfeval.yaml: peer-review-2)"
    ) in result.stderr


def test_a_peer_review_by_an_invited_participant_is_no_warning(runner: CliRunner, ws: Path) -> None:
    # peer-review --round 2 invites BZ (down for a self-evaluation only): its response counts.
    write_response(ws, "BZ", "peer-review-2", {"completed_by": "x"})
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    assert "not asked for" not in result.output


def test_the_hint_for_answers_not_counted_names_the_command_that_gave_them(
    runner: CliRunner, ws: Path
) -> None:
    # Trial 9: a peer review's answers kept but not counted said "delete these answers
    # with `selfeval fill`", which refuses a peer review.
    review = {**GOOD_PR1, "recognition": "largely", "recognition_why": "Zie bijlage."}
    path = write_response(ws, "DEF", "peer-review-1", review)
    result = validate(runner, ws)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stderr.split())
    assert f"{path}: kept but not counted" in flat and "recognition_why" in flat, flat
    assert "delete these answers with `selfeval peer-review -p DEF --round 1`" in flat, flat
    assert "selfeval fill" not in flat
    own = write_response(
        ws, "BZ", "self-evaluation", {"has_bottlenecks": False, "bottlenecks": [{"title": "x"}]}
    )
    flat = " ".join(validate(runner, ws).stderr.split())
    assert f"{own}: kept but not counted" in flat
    assert "delete these answers with `selfeval fill -p BZ`" in flat, flat


def test_a_hint_on_a_submitted_response_names_reopen(runner: CliRunner, ws: Path) -> None:
    # Trial 10: "delete these answers with `selfeval fill -p EZK`" on a submitted
    # self-evaluation, and `fill -p EZK` then refused it ("already submitted").
    own = write_response(
        ws,
        "BZ",
        "self-evaluation",
        {"has_bottlenecks": False, "bottlenecks": [{"title": "x"}]},
        status="submitted",
        submitted_at="2026-05-02T10:30:00Z",
    )
    review = {**GOOD_PR1, "recognition": "largely", "recognition_why": "Zie bijlage."}
    path = write_response(
        ws, "DEF", "peer-review-1", review, status="submitted", submitted_at="2026-05-02T10:30:00Z"
    )
    result = validate(runner, ws)
    flat = " ".join(result.stderr.split())
    assert f"{own}: kept but not counted" in flat, flat
    assert "delete these answers with `selfeval fill -p BZ --reopen`" in flat, flat
    assert f"{path}: kept but not counted" in flat, flat
    assert "delete these answers with `selfeval peer-review -p DEF --round 1 --reopen`" in flat
    # The command named is taken; without --reopen it is refused.
    nothing = ws / "nothing.yaml"
    nothing.write_text("{}\n", "utf-8")
    fill = ["fill", "-p", "BZ", "--workspace", str(ws), "--answers", str(nothing)]
    assert runner.invoke(app, fill).exit_code == 1
    assert runner.invoke(app, [*fill, "--reopen"]).exit_code == 0


def test_a_hint_on_a_submitted_reviews_reactions_names_reopen(runner: CliRunner, ws: Path) -> None:
    reactions = [
        {"finding": "BZ.bottlenecks.1", "verdict": "agree"},
        {"finding": "BZ.bottlenecks.1", "verdict": "agree", "finding_hash": "abc"},
    ]
    write_response(
        ws,
        "DEF",
        "peer-review-1",
        GOOD_PR1,
        status="submitted",
        submitted_at="2026-05-02T10:30:00Z",
        reactions=reactions,
    )
    flat = " ".join(validate(runner, ws).stderr.split())
    assert "react with `selfeval peer-review -p DEF --round 1 --reopen`" in flat, flat
    assert "`selfeval peer-review -p DEF --round 1 --reopen`, which replaces" in flat, flat


def test_an_unquoted_date_is_named_as_written_not_as_python_shows_it(
    runner: CliRunner, ws: Path
) -> None:
    # Trial 10: "but YAML read datetime.date(2027, 3, 15) as date".
    exercise = ws / "selfeval.yaml"
    text = exercise.read_text("utf-8")
    exercise.write_text(re.sub(r"(?m)^date: .*$", "date: 2027-03-15", text), "utf-8")
    result = validate(runner, ws)
    assert result.exit_code == 1
    flat = " ".join(result.stderr.split())
    assert (
        "date: must be a quoted string, but YAML read '2027-03-15', a date; "
        "write it in quotes: '2027-03-15'"
    ) in flat, flat
    assert "datetime" not in flat
