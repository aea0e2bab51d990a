"""`selfeval status`: who has answered what, how complete, what is still missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace
from selfeval.files.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example's exercise and questionnaires, with no responses yet (and so no
    merges: the example's texts/merges.yaml names findings of its responses, and aggregate,
    validate and status refuse a merge naming a finding no response has)."""
    target = tmp_path / "ws"
    init_workspace(target, example=True)
    shutil.rmtree(target / "responses")
    (target / "responses").mkdir()
    (target / "texts" / "merges.yaml").unlink()
    return target


def write_response(root: Path, code: str, qid: str, answers: dict[str, Any], **fields: Any) -> Path:
    """Write a response file as `fill` would, pinned to the workspace's questionnaire."""
    workspace = Workspace(root)
    loaded = workspace.questionnaire(qid)
    data: dict[str, Any] = {
        "questionnaire": {
            "id": qid,
            "version": loaded.questionnaire.version,
            "hash": loaded.hash,
        },
        "participant": code,
        "incident_category": "falende-staten",
        "status": "draft",
        "started_at": "2026-05-01T09:00:00Z",
        "updated_at": "2026-05-02T10:30:00Z",
        **fields,
        "answers": answers,
    }
    path = workspace.response_path(code, qid)
    yamlio.write(path, data, fsync=False)
    return path


def status(runner: CliRunner, root: Path, *args: str) -> Any:
    # A wide terminal, so rich does not wrap the table's cells.
    return runner.invoke(app, ["status", "--workspace", str(root), *args], env={"COLUMNS": "200"})


def rows_by_key(root: Path, runner: CliRunner) -> dict[tuple[str, str], dict[str, Any]]:
    result = status(runner, root, "--json")
    data = json.loads(result.stdout)
    return {(r["participant"], r["questionnaire"]): r for r in data["rows"]}


def test_fresh_workspace_everyone_not_started(runner: CliRunner, ws: Path) -> None:
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    assert "8 participants, 9 expected responses: 9 not started." in result.stdout
    # Every participant appears, with each form of involvement from selfeval.yaml.
    for code in ("BZ", "DEF", "NCTb", "BZK", "EZ", "AZ", "FIN", "JUS"):
        assert code in result.stdout
    assert result.stdout.count("not started") == 9 + 1  # nine rows and the summary line
    assert "Peer reviews still missing: DEF (peer-review-1), NCTb (peer-review-1)" in (
        " ".join(result.stdout.split())
    )


def test_draft_shows_required_answered_and_last_saved(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "BZ", "self-evaluation", {"definition": "Staten die falen.", "role": "x"})
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    row = rows_by_key(ws, runner)[("BZ", "self-evaluation")]
    assert row["state"] == "draft"
    assert row["answered"] == 2
    assert row["required_answered"] == 2
    # definition, phases, role, involvement, activities, has_bottlenecks, completed_by, completed_on
    assert row["required"] == 8
    assert "phases" in row["missing"]
    assert row["updated_at"] == "2026-05-02T10:30:00Z"
    flat = " ".join(result.stdout.split())
    assert "BZ self-evaluation draft 2/8 2026-05-02 10:30" in flat
    assert "1 draft, 8 not started." in flat


def test_progress_honours_when_conditions(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "DEF", "peer-review-1", {"recognition": "fully"})
    assert rows_by_key(ws, runner)[("DEF", "peer-review-1")]["required"] == 2
    write_response(ws, "DEF", "peer-review-1", {"recognition": "partly"})
    row = rows_by_key(ws, runner)[("DEF", "peer-review-1")]
    assert row["required"] == 3  # recognition_why is asked once recognition is 'partly'
    assert row["missing"] == ["recognition_why", "completed_by"]


def test_submitted_and_reopened(runner: CliRunner, ws: Path) -> None:
    write_response(
        ws, "NCTb", "peer-review-1", {"recognition": "fully", "completed_by": "A. de Vries"},
        status="submitted", submitted_at="2026-05-03T16:00:00Z",
    )  # fmt: skip
    write_response(
        ws, "DEF", "self-evaluation", {"definition": "x"},
        reopened_from="self-evaluation.submitted-20260501T120000Z.yaml",
    )  # fmt: skip
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "NCTb peer-review-1 submitted 2/2 2026-05-03 16:00" in flat
    assert "DEF self-evaluation reopened 1/8 2026-05-02 10:30 reopened from" in flat
    assert "1 submitted, 1 reopened, 7 not started." in flat
    missing = flat.split("Peer reviews still missing:")[1]
    assert "NCTb" not in missing  # submitted: no longer missing
    assert "DEF (peer-review-1)" in missing
    rows = rows_by_key(ws, runner)
    assert rows[("DEF", "self-evaluation")]["state"] == "reopened"
    assert rows[("NCTb", "peer-review-1")]["state"] == "submitted"


def test_json_for_scripts(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "FIN", "peer-review-2", {"role": "Financiën draagt bij."})
    result = status(runner, ws, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["incident_category"] == "falende-staten"
    assert len(data["rows"]) == 9
    assert data["summary"]["counts"]["draft"] == 1
    assert data["summary"]["counts"]["not-started"] == 8
    assert {"participant": "FIN", "questionnaire": "peer-review-2"} in data["summary"][
        "missing_peer_reviews"
    ]
    fin = next(r for r in data["rows"] if r["participant"] == "FIN")
    assert fin["name"] == "Financiën"  # diacritics intact, not \u-escaped
    assert "Financiën" in result.stdout
    assert data["problems"] == []


def test_response_nobody_asked_for_is_listed(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "FIN", "self-evaluation", {})
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    # The reason in the words of validate's warning (Exercise.not_asked, the one rule).
    assert "FIN self-evaluation draft" in flat
    assert "not asked for: FIN is not asked for self-evaluation" in flat
    assert "1 response not asked for." in flat
    row = rows_by_key(ws, runner)[("FIN", "self-evaluation")]
    assert row["expected"] is False and row["invited"] is False
    assert row["not_asked"] == (
        "FIN is not asked for self-evaluation (its involvement in selfeval.yaml: peer-review-2)"
    )


def test_a_peer_review_by_an_invited_participant_is_noted_as_invited(
    runner: CliRunner, ws: Path
) -> None:
    # Trial 9: peer-review --round invites a participant to a round it is not down for;
    # status called its response "not asked for" and aggregate left it out.
    write_response(ws, "BZ", "peer-review-2", {})
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "BZ peer-review-2 draft" in flat
    assert "invited: not in its involvement in selfeval.yaml, counted" in flat
    assert "not asked for" not in flat
    row = rows_by_key(ws, runner)[("BZ", "peer-review-2")]
    assert row["expected"] is False and row["invited"] is True and row["not_asked"] is None


def test_unreadable_response_is_named_and_the_rest_still_shown(runner: CliRunner, ws: Path) -> None:
    write_response(ws, "EZ", "peer-review-2", {"role": "ok"})
    bad = write_response(ws, "BZ", "self-evaluation", {})
    bad.write_text(bad.read_text("utf-8") + "status: draft\n", encoding="utf-8")
    result = status(runner, ws)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{bad}:" in result.stderr
    assert "duplicate key 'status'" in result.stderr
    flat = " ".join(result.stdout.split())
    assert "invalid" in flat
    assert "1 draft, 7 not started, 1 invalid." in flat


def test_no_workspace_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--workspace", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a selfeval workspace" in result.stderr


def test_changed_questionnaire_is_noted(runner: CliRunner, ws: Path) -> None:
    path = write_response(ws, "EZ", "peer-review-2", {"role": "ok"})
    assert rows_by_key(ws, runner)[("EZ", "peer-review-2")]["questionnaire_changed"] is False
    questionnaire = ws / "questionnaires" / "peer-review-2-1.2.0.yaml"
    questionnaire.write_text(
        questionnaire.read_text("utf-8").replace("Collegiale toets 2", "Collegiale toets twee"),
        encoding="utf-8",
    )
    result = status(runner, ws)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "peer-review-2@1.2.0 changed since; run selfeval validate" in flat
    assert rows_by_key(ws, runner)[("EZ", "peer-review-2")]["questionnaire_changed"] is True
    assert path.exists()


def test_at_80_columns_a_long_note_is_given_in_full_below_the_table(
    runner: CliRunner, ws: Path
) -> None:
    # The trial: "not asked for / in / selfeval.yaml; / 6 reactions" in a narrow column.
    write_response(ws, "FIN", "self-evaluation", {})
    result = runner.invoke(app, ["status", "--workspace", str(ws)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = next(line for line in lines if "FIN" in line and "self-evaluation" in line)
    assert row.rstrip().endswith("[1]")
    below = " ".join(" ".join(lines[lines.index(row) + 1 :]).split())
    assert "[1] FIN self-evaluation: not asked for: FIN is not asked for self-evaluation" in below
