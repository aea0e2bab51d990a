"""`selfeval migrate`, and what `status` and `validate` say about versions (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.load import load_questionnaire

CAT = Path("responses") / "falende-staten"
#: The self-evaluation version the worked example's responses answer, and two later
#: versions made up by these tests (not shipped).
OLD = yamlio.load(Path(__file__).resolve().parents[1] / "selfeval.yaml")["questionnaires"][
    "self-evaluation"
]
NEW, LATER = "1.90.0", "1.91.0"


def new_version(ws: Path, migrates_from: dict[str, Any] | None = None, *, pin: bool = True) -> Path:
    """Publish self-evaluation NEW: `causes` renamed to `root_causes`, `completed_by`
    removed, the roles' involvement `medium` renamed to `moderate`; pin it."""
    data = yamlio.load(ws / "questionnaires" / f"self-evaluation-{OLD}.yaml")
    data["version"] = NEW
    for section in data["sections"]:
        kept = []
        for item in section["items"]:
            if item["id"] == "causes":
                item["id"] = "root_causes"
            if item["id"] == "completed_by":
                continue
            if item["id"] == "other_roles":
                for sub in item["items"]:
                    for choice in sub.get("choices", []):
                        if sub["id"] == "involvement" and choice["value"] == "medium":
                            choice["value"] = "moderate"
            kept.append(item)
        section["items"] = kept
    data["migrates_from"] = migrates_from or {
        "version": OLD,
        "renamed": {"causes": "root_causes"},
        "removed": ["completed_by"],
        "choices": {"other_roles.involvement": {"medium": "moderate"}},
    }
    path = ws / "questionnaires" / f"self-evaluation-{NEW}.yaml"
    yamlio.write(path, data)
    if pin:
        exercise = ws / "selfeval.yaml"
        text = exercise.read_text("utf-8")
        exercise.write_text(text.replace(f"self-evaluation: '{OLD}'", f"self-evaluation: '{NEW}'"))
    return path


def run(runner: CliRunner, ws: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--workspace", str(ws)], env={"COLUMNS": "200"})


def test_status_and_validate_name_responses_on_an_older_version(
    runner: CliRunner, example_ws: Path
) -> None:
    new_version(example_ws)
    checked = run(runner, example_ws, "validate")
    assert checked.exit_code == 0, checked.output
    for code in ("BZ", "DEF"):
        assert (
            f"{code}/self-evaluation.yaml: answers self-evaluation {OLD}, but selfeval.yaml "
            f"pins {NEW}"
        ) in checked.stderr
        assert f"`selfeval migrate self-evaluation --participant {code}`" in checked.stderr
    assert "peer-review-1.yaml: answers" not in checked.stderr
    table = run(runner, example_ws, "status").stdout
    assert f"on {OLD}, pinned {NEW}: selfeval migrate self-evaluation --participant BZ" in table
    rows = json.loads(run(runner, example_ws, "status", "--json").stdout)["rows"]
    bz = next(r for r in rows if r["participant"] == "BZ")
    assert (bz["version"], bz["pinned"]) == (OLD, NEW)
    assert bz["migrate"] == "selfeval migrate self-evaluation --participant BZ"


def test_dry_run_shows_what_would_change_and_writes_nothing(
    runner: CliRunner, example_ws: Path
) -> None:
    new_version(example_ws)
    before = {p: p.read_bytes() for p in (example_ws / "responses").rglob("*.yaml")}
    result = run(runner, example_ws, "migrate", "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"BZ/self-evaluation.yaml: self-evaluation {OLD} → {NEW}" in out
    assert "renamed: causes: now root_causes" in out
    assert f"NOT CARRIED: completed_by: removed in {NEW}" in out
    assert "choice: other_roles[0].involvement: 'medium' → 'moderate'" in out
    assert f"Dry run: 2 response(s) would be migrated to self-evaluation {NEW}" in out
    assert {p: p.read_bytes() for p in (example_ws / "responses").rglob("*.yaml")} == before


def test_migrate_keeps_the_old_file_and_records_the_migration(
    runner: CliRunner, example_ws: Path
) -> None:
    new_version(example_ws)
    path = example_ws / CAT / "BZ" / "self-evaluation.yaml"
    old = yamlio.load(path)
    result = run(runner, example_ws, "migrate", "self-evaluation", "--participant", "BZ")
    assert result.exit_code == 0, result.output
    kept = [p for p in path.parent.iterdir() if f".migrated-{OLD}-" in p.name]
    assert len(kept) == 1
    assert yamlio.load(kept[0]) == old  # the old file, byte for byte in content
    new = yamlio.load(path)
    assert new["questionnaire"]["version"] == NEW
    assert new["answers"]["root_causes"] == old["answers"]["causes"]
    assert "causes" not in new["answers"] and "completed_by" not in new["answers"]
    assert new["answers"]["other_roles"][0]["involvement"] == "moderate"
    assert new["status"] == "submitted"  # a declared removal is no reason to resubmit
    (record,) = new["migrations"]
    assert (record["from_version"], record["to_version"]) == (OLD, NEW)
    assert record["kept"] == kept[0].name
    assert record["not_carried"] == ["completed_by"]
    assert kept[0].name in result.stdout
    # DEF was not asked for: still on OLD, still named by validate.
    checked = run(runner, example_ws, "validate")
    assert checked.exit_code == 0, checked.output
    assert f"DEF/self-evaluation.yaml: answers self-evaluation {OLD}" in checked.stderr
    assert "BZ/self-evaluation.yaml: answers" not in checked.stderr
    report = run(runner, example_ws, "aggregate")
    assert report.exit_code == 0, report.output
    assert "76 findings from 9 responses." in report.stdout
    assert "migrated" not in report.stderr  # the kept old file is not counted


def test_an_answer_that_does_not_fit_is_listed_kept_and_the_response_becomes_a_draft(
    runner: CliRunner, example_ws: Path
) -> None:
    # NEW renames 'medium' to 'moderate' but forgets to say so.
    new_version(
        example_ws,
        {"version": OLD, "renamed": {"causes": "root_causes"}, "removed": ["completed_by"]},
    )
    path = example_ws / CAT / "BZ" / "self-evaluation.yaml"
    result = run(runner, example_ws, "migrate", "--participant", "BZ")
    assert result.exit_code == 0, result.output
    assert f"NOT CARRIED: other_roles[0].involvement: does not fit {NEW}" in result.stdout
    assert "now a draft" in result.stdout
    new = yamlio.load(path)
    assert new["status"] == "draft"
    assert "involvement" not in new["answers"]["other_roles"][0]
    (record,) = new["migrations"]
    assert "other_roles[0].involvement" in record["not_carried"]
    kept = path.parent / record["kept"]
    assert yamlio.load(kept)["answers"]["other_roles"][0]["involvement"] == "medium"
    assert new["reopened_from"] == kept.name


def test_no_declared_way_from_the_old_version_is_an_error(
    runner: CliRunner, example_ws: Path
) -> None:
    data = new_version(example_ws)
    content = yamlio.load(data)
    del content["migrates_from"]
    yamlio.write(data, content)
    result = run(runner, example_ws, "migrate")
    assert result.exit_code == 1
    assert f"no migration from self-evaluation {OLD} to {NEW}" in result.stderr
    assert "migrates_from" in result.stderr


@pytest.mark.parametrize(
    ("migrates_from", "message"),
    [
        ({"version": OLD, "renamed": {"causes": "oorzaken"}}, "has no item 'oorzaken'"),
        ({"version": OLD, "colour": "red"}, "colour"),
        ({"version": LATER}, "must be older than this version"),
        (
            {"version": OLD, "choices": {"involvement": {"strong": "huge"}}},
            "'huge', which is not one of its choices",
        ),
    ],
)
def test_a_bad_migrates_from_is_a_validation_error(
    runner: CliRunner, example_ws: Path, migrates_from: dict[str, Any], message: str
) -> None:
    path = new_version(example_ws, migrates_from, pin=False)
    result = run(runner, example_ws, "validate")
    assert result.exit_code == 1
    assert str(path) in result.stderr
    assert message in result.stderr


def test_a_self_evaluation_on_1_1_0_moves_to_the_pinned_1_6_0_with_every_answer(
    runner: CliRunner, example_ws: Path
) -> None:
    """1.2.0 adds `answers` to each opportunity, 1.3.0 to 1.6.0 reword texts; a 1.1.0 response loses nothing."""
    path = example_ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(path)
    for entry in data["answers"]["opportunities"]:
        entry.pop("answers", None)  # 1.1.0 has no such item
    old = load_questionnaire(example_ws / "questionnaires" / "self-evaluation-1.1.0.yaml")
    data["questionnaire"] = {"id": "self-evaluation", "version": "1.1.0", "hash": old.hash}
    yamlio.write(path, data)
    checked = run(runner, example_ws, "validate")
    assert checked.exit_code == 0, checked.output
    assert (
        "BZ/self-evaluation.yaml: answers self-evaluation 1.1.0, but selfeval.yaml pins 1.6.0"
        in (checked.stderr)
    )
    dry = run(runner, example_ws, "migrate", "--dry-run")
    assert "BZ/self-evaluation.yaml: self-evaluation 1.1.0 → 1.6.0" in dry.stdout
    assert "NOT CARRIED" not in dry.stdout
    result = run(runner, example_ws, "migrate", "self-evaluation", "--participant", "BZ")
    assert result.exit_code == 0, result.output
    moved = yamlio.load(path)
    assert moved["questionnaire"]["version"] == "1.6.0"
    assert moved["answers"] == data["answers"]
    assert moved["status"] == "submitted"
    assert run(runner, example_ws, "validate").exit_code == 0


@pytest.mark.parametrize(
    ("code", "version"), [("DEF", "1.2.0"), ("BZ", "1.3.0"), ("DEF", "1.4.0"), ("BZ", "1.5.0")]
)
def test_a_self_evaluation_on_an_earlier_version_moves_to_1_6_0_unchanged(
    runner: CliRunner, example_ws: Path, code: str, version: str
) -> None:
    """1.3.0 to 1.6.0 only reword texts (issue 16, trial 8): a 1.2.0, 1.3.0, 1.4.0 or 1.5.0
    response keeps every answer, and stays submitted."""
    path = example_ws / CAT / code / "self-evaluation.yaml"
    data = yamlio.load(path)
    old = load_questionnaire(example_ws / "questionnaires" / f"self-evaluation-{version}.yaml")
    data["questionnaire"] = {"id": "self-evaluation", "version": version, "hash": old.hash}
    yamlio.write(path, data)
    dry = run(runner, example_ws, "migrate", "--dry-run")
    assert f"{code}/self-evaluation.yaml: self-evaluation {version} → 1.6.0" in dry.stdout
    assert "NOT CARRIED" not in dry.stdout
    result = run(runner, example_ws, "migrate", "self-evaluation", "--participant", code)
    assert result.exit_code == 0, result.output
    moved = yamlio.load(path)
    assert moved["questionnaire"]["version"] == "1.6.0"
    assert moved["answers"] == data["answers"]
    assert moved["status"] == data["status"] == "submitted"
    assert run(runner, example_ws, "validate").exit_code == 0


@pytest.mark.parametrize(
    "round_, code",
    # Round 1 is the same change to a copy (slow tier; validate checks its migrates_from).
    [pytest.param(1, "NCTb", marks=pytest.mark.slow), (2, "FIN")],
)
def test_a_peer_review_on_1_1_0_moves_to_1_2_0_unchanged(
    runner: CliRunner, example_ws: Path, round_: int, code: str
) -> None:
    """1.2.0 only rewords the help of an opportunity's `answers` (issue 16): nothing is lost."""
    qid = f"peer-review-{round_}"
    path = example_ws / CAT / code / f"{qid}.yaml"
    data = yamlio.load(path)
    old = load_questionnaire(example_ws / "questionnaires" / f"{qid}-1.1.0.yaml")
    data["questionnaire"] = {"id": qid, "version": "1.1.0", "hash": old.hash}
    yamlio.write(path, data)
    dry = run(runner, example_ws, "migrate", "--dry-run")
    assert f"{code}/{qid}.yaml: {qid} 1.1.0 → 1.2.0" in dry.stdout
    assert "NOT CARRIED" not in dry.stdout
    result = run(runner, example_ws, "migrate", qid, "--participant", code)
    assert result.exit_code == 0, result.output
    moved = yamlio.load(path)
    assert moved["questionnaire"]["version"] == "1.2.0"
    assert moved["answers"] == data["answers"]
    assert moved.get("reactions") == data.get("reactions")  # NCTb gave none in the example
    assert run(runner, example_ws, "validate").exit_code == 0


def test_the_kept_file_is_the_one_migrated_from_read_once(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old file was copied by a read of its own (``Path.read_text``), outside the one
    read function: a file replaced after the store read it was kept instead of the one
    migrated. Each read here replaces the file (a line more) right after reading it."""
    new_version(example_ws)
    path = example_ws / CAT / "BZ" / "self-evaluation.yaml"
    real = yamlio.read_file
    reads: list[bytes] = []

    def reading(target: Path | str, **kwargs: Any) -> bytes:
        data = real(target, **kwargs)
        if Path(target) == path:
            reads.append(data)
            path.write_bytes(b"# replaced after reading\n" + data)
        return data

    monkeypatch.setattr(yamlio, "read_file", reading)
    result = run(runner, example_ws, "migrate", "self-evaluation", "--participant", "BZ")
    assert result.exit_code == 0, result.output
    (kept,) = [p for p in path.parent.iterdir() if f".migrated-{OLD}-" in p.name]
    assert kept.read_bytes() in reads
