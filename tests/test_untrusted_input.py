"""A workspace and the files named on the command line are untrusted input.

What a break-test found: fill saving a response nothing could read back,
``--answers`` JSON without the limits YAML has, a draft too large for
peer-review, unchecked timestamps, validate not checking ``texts/merges.yaml``,
``--jobs -1``, and status passing over a folder of an unknown participant.
Each is refused with one message (file, place, what to do) and a non-zero exit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fillkit import mini_workspace, response_of
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

REL = "responses/mijn-incidentcategorie/DEP1/mini.yaml"


@pytest.fixture(autouse=True)
def _own_read_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The read cache keeps what reading a file gave (errors too) by its content:
    # a test that makes a limit small must not leave its refusals to the next one.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return mini_workspace(tmp_path / "ws")


def fill(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["fill", "-w", str(ws), "-p", "DEP1", "-q", "mini", *args])


def write(ws: Path, name: str, text: str) -> Path:
    path = ws / name
    path.write_text(text, "utf-8")
    return path


# -- 1. fill never saves what it could not read back -----------------------------


def test_fill_refuses_to_save_a_response_over_the_reading_limit_and_names_the_answers(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one constant, made small: both sides (reading, saving) look it up.
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 4000)
    first = fill(runner, ws, "--answers", str(write(ws, "g1.yaml", f"name: '{'x' * 2500}'\n")))
    assert first.exit_code == 0, first.output
    before = (ws / REL).read_bytes()
    second = fill(runner, ws, "--answers", str(write(ws, "g2.yaml", f"remark: '{'y' * 2500}'\n")))
    assert second.exit_code == 1
    err = second.stderr
    assert "over the limit of 4,000 that selfeval reads back" in err
    assert "remark (" in err and "name (" in err
    assert "shorten them" in err
    assert "Traceback" not in second.output
    # Nothing was written: the earlier answers are still there, and readable.
    assert (ws / REL).read_bytes() == before
    assert response_of(ws)["answers"] == {"name": "x" * 2500}
    again = fill(runner, ws, "--answers", str(write(ws, "g3.yaml", "count: 7\n")))
    assert again.exit_code == 0, again.output


def test_a_json_answers_file_has_the_same_size_limit(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 4000)
    path = write(ws, "big.json", json.dumps({"name": "x" * 5000}))
    result = fill(runner, ws, "--answers", str(path))
    assert result.exit_code == 1
    assert "big.json: the file is 5,012 bytes, over the limit of 4,000" in result.stderr
    assert not (ws / REL).exists()


# -- 2. JSON answers: YAML's nesting limit and no duplicate keys ---------------------


def test_deeply_nested_json_answers_are_refused_with_a_message(runner: CliRunner, ws: Path) -> None:
    path = write(ws, "deep.json", '{"name":' + "[" * 100000 + "]" * 100000 + "}")
    result = fill(runner, ws, "--answers", str(path))
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert f"deep.json:1:{8 + 63}: the document is nested deeper than 64 levels" in result.stderr
    assert "flatten the structure" in result.stderr


@pytest.mark.parametrize("depth", [62, 63, 64])
def test_json_and_yaml_answers_draw_the_nesting_line_at_the_same_depth(
    runner: CliRunner, ws: Path, depth: int
) -> None:
    # The mapping is level 1, so the text answer sits under depth - 1 lists.
    body = "[" * (depth - 1) + '"x"' + "]" * (depth - 1)
    refused = []
    for name in ("nest.json", "nest.yaml"):
        path = write(ws, name, '{"name": ' + body + "}")
        result = fill(runner, ws, "--answers", str(path))
        refused.append("nested deeper than 64 levels" in result.stderr)
    assert refused[0] == refused[1] == (depth >= 64)


def test_a_key_twice_in_json_answers_is_refused_as_in_yaml(runner: CliRunner, ws: Path) -> None:
    path = write(ws, "dup.json", '{\n  "name": "x",\n  "name": "y"\n}\n')
    result = fill(runner, ws, "--answers", str(path))
    assert result.exit_code == 1
    assert "dup.json:3:3: duplicate key 'name'" in result.stderr
    assert "remove or rename one of the two entries" in result.stderr
    assert not (ws / REL).exists()


# -- 3. the draft peer-review reads is one aggregate can write ------------------------


def test_peer_review_reads_a_draft_larger_than_the_general_file_limit(
    runner: CliRunner, example_ws: Path
) -> None:
    made = runner.invoke(app, ["aggregate", "-w", str(example_ws), "--draft"])
    assert made.exit_code == 0, made.output
    # Past the 10 MiB of other files, as 2,000 responses make 34 MB; a comment
    # grows the file without changing the draft (nor its hash).
    draft = example_ws / "reports" / "draft.yaml"
    with draft.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * yamlio.MAX_FILE_BYTES + "\n")
    listed = runner.invoke(
        app, ["peer-review", "-w", str(example_ws), "-p", "DEF", "--round", "1", "--list"]
    )
    assert listed.exit_code == 0, listed.output
    assert "Round 1:" in listed.output


def test_aggregate_does_not_write_a_draft_peer_review_could_not_read(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.report import findings

    monkeypatch.setattr(findings, "MAX_DRAFT_BYTES", 2000)
    made = runner.invoke(app, ["aggregate", "-w", str(example_ws), "--draft"])
    assert made.exit_code == 1
    err = made.stderr
    assert "draft.yaml: not saved: the file would be" in err
    assert "over the limit of 2,000 that selfeval reads back" in err
    assert "peer-review could not read a draft this large" in err
    assert "Traceback" not in made.output
    reports = example_ws / "reports"
    assert not (reports / "draft.yaml").exists()
    assert not (reports / "integrated-report-draft.md").exists()


# -- 4. a response's times are ISO 8601 UTC times --------------------------------------

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"


def _set_line(path: Path, key: str, value: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
    assert found, key
    lines[found[0]] = f"{key}: {value}\n"
    path.write_text("".join(lines), "utf-8")


@pytest.mark.parametrize("key", ["submitted_at", "started_at", "updated_at"])
def test_a_time_that_is_not_iso_8601_utc_is_refused_with_the_form_to_write(
    runner: CliRunner, example_ws: Path, key: str
) -> None:
    _set_line(example_ws / BZ, key, "'yesterday'")
    checked = runner.invoke(app, ["validate", "-w", str(example_ws)])
    assert checked.exit_code == 1
    line = {"started_at": 8, "updated_at": 9, "submitted_at": 10}[key]
    assert re.search(
        rf"self-evaluation\.yaml:{line}:\d+: {key}: 'yesterday' is not an ISO 8601 time in "
        rf"UTC; write it as '2026-12-03T06:27:21Z'",
        checked.stderr,
    ), checked.stderr
    status = runner.invoke(app, ["status", "-w", str(example_ws)])
    assert "yesterday" not in status.stdout.split("[1]")[0]  # not shown as a time
    assert "invalid" in status.stdout


def test_an_unquoted_utc_time_is_taken_as_the_time_it_is(
    runner: CliRunner, example_ws: Path
) -> None:
    _set_line(example_ws / BZ, "submitted_at", "2026-12-03T06:27:21Z")
    checked = runner.invoke(app, ["validate", "-w", str(example_ws)])
    assert checked.exit_code == 0, checked.output
    status = runner.invoke(app, ["status", "-w", str(example_ws)])
    assert status.exit_code == 0, status.output
    assert "2026-12-03 06:27" in status.stdout


# -- 7. a folder of a participant the exercise does not have ---------------------------


def test_status_flags_a_response_of_an_unknown_participant_as_validate_and_aggregate_do(
    runner: CliRunner, example_ws: Path
) -> None:
    source = (example_ws / "responses/falende-staten/DEF/self-evaluation.yaml").read_text("utf-8")
    evil = example_ws / "responses/falende-staten/EVIL/self-evaluation.yaml"
    evil.parent.mkdir()
    evil.write_text(source.replace("participant: DEF", "participant: EVIL"), "utf-8")
    said = "EVIL/self-evaluation.yaml:5:14: participant 'EVIL' is not in selfeval.yaml"
    for command in ("status", "validate", "aggregate"):
        result = runner.invoke(app, [command, "-w", str(example_ws)])
        assert result.exit_code == 1, (command, result.output)
        assert said in result.stderr, (command, result.stderr)
    status = runner.invoke(app, ["status", "-w", str(example_ws)])
    row = next(line for line in status.stdout.splitlines() if line.split()[:1] == ["EVIL"])
    assert row.split()[2] == "invalid"


# -- 5. validate checks texts/merges.yaml as aggregate does ----------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "merges:\n  - ids: [NOPE.x.y, BZ.bottlenecks.relaties-ez-financien]\n",
            "merges.yaml:2:5: a merge names 'NOPE.x.y', which is not a finding of any response",
        ),
        ("merges:\n  - ids: [NOPE.x.y]\n", "merges.yaml:2:5: each merge needs 'ids'"),
        ("merges:\n\t- ids: [A, B]\n", "merges.yaml:2:1: a tab character is used for indentation"),
    ],
)
def test_validate_refuses_the_merges_aggregate_refuses(
    runner: CliRunner, example_ws: Path, text: str, said: str
) -> None:
    (example_ws / "texts" / "merges.yaml").write_text(text, "utf-8")
    for command in ("validate", "aggregate"):
        result = runner.invoke(app, [command, "-w", str(example_ws)])
        assert result.exit_code == 1, (command, result.output)
        assert said in result.stderr, (command, result.stderr)
        assert result.stderr.count(said) == 1


def test_validate_passes_the_merges_of_the_worked_example(
    runner: CliRunner, example_ws: Path
) -> None:
    assert "ids:" in (example_ws / "texts" / "merges.yaml").read_text("utf-8")
    result = runner.invoke(app, ["validate", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert not (example_ws / ".selfeval" / "cache").exists()  # validate writes nothing
