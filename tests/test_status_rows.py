"""``selfeval status`` right after one response changed parses only that response (issue 20).

``status`` keeps each response's row (``.selfeval/cache/status/``, sealed,
:mod:`selfeval.report.statusrows`) under the response's place and bytes,
within the exercise file, the questionnaire files, the category and selfeval
itself. What a user sees must be the same as with ``--no-cache``; a changed
response, questionnaire, exercise or selfeval means reading again, and a record
that is not exactly ours is ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import load, workspace
from selfeval.report import cachebase, sealed

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"
DEF = "responses/falende-staten/DEF/self-evaluation.yaml"
AZ = "responses/falende-staten/AZ/peer-review-2.yaml"


class Parsed:
    """Which response and questionnaire files a command parsed (by file name)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.responses: list[str] = []
        self.questionnaires: list[str] = []
        read_response, load_questionnaire = load.read_response, workspace.load_questionnaire

        def spy_response(path: Path, **raw: bytes | None) -> object:
            self.responses.append(path.relative_to(path.parents[3]).as_posix())
            return read_response(path, **raw)

        def spy_questionnaire(path: Path, **kwargs: object) -> object:
            self.questionnaires.append(path.name)
            return load_questionnaire(path, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(load, "read_response", spy_response)
        monkeypatch.setattr(workspace, "load_questionnaire", spy_questionnaire)

    def clear(self) -> None:
        self.responses.clear()
        self.questionnaires.clear()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Parsed:
    return Parsed(monkeypatch)


def _status(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["status", "-w", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def _same_as_without_cache(runner: CliRunner, ws: Path) -> tuple[int, str, str]:
    """``status`` and ``status --json`` (cached first) equal to the same with ``--no-cache``.

    Returns:
        What ``status`` showed (exit code, stdout with the JSON after the table, stderr).
    """
    shown = _status(runner, ws)
    as_json = _status(runner, ws, "--json")
    assert _status(runner, ws, "--no-cache") == shown
    assert _status(runner, ws, "--json", "--no-cache") == as_json
    return shown[0], shown[1] + as_json[1], shown[2]


def _edit(ws: Path, name: str, old: str, new: str) -> None:
    path = ws / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _edited(ws: Path, word: str = "bewust") -> None:
    """BZ's answer on causes edited: its row is the same, but it reads otherwise."""
    _edit(ws, BZ, "zwak te houden.", f"{word} zwak te houden.")


def _records(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "status").glob("*.json"))


def _without_merges(ws: Path) -> None:
    """Take out texts/merges.yaml and every same_as (block style in the worked example)."""
    (ws / "texts" / "merges.yaml").unlink()
    for path in (ws / "responses").rglob("*.yaml"):
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"^    same_as:\n(    - .*\n)+", "", text, flags=re.M), "utf-8")
    assert all("same_as" not in p.read_text("utf-8") for p in (ws / "responses").rglob("*.yaml"))


def test_after_one_response_changed_only_it_is_parsed(
    runner: CliRunner, example_ws: Path, parsed: Parsed
) -> None:
    """Without merges. Where something names ids (texts/merges.yaml, a same_as), status also
    runs aggregate's check of the merges, which loads every questionnaire version and reads
    the responses through aggregate's read cache (test_same_as_check.py; its cost:
    docs/performance.md)."""
    _without_merges(example_ws)
    assert _status(runner, example_ws, "--no-cache")[0] == 0
    assert not _records(example_ws)  # --no-cache keeps nothing
    parsed.clear()
    _status(runner, example_ws)
    assert len(parsed.responses) == 9 and len(_records(example_ws)) == 1
    parsed.clear()

    # An answer edited: it reads otherwise, so the last status's record is stale (a comment
    # line would not be: tests/test_status_record.py, the cut-off).
    _edited(example_ws)
    first = _status(runner, example_ws)
    assert first[0] == 0 and "BZ" in first[1]
    assert parsed.responses == [BZ]
    assert set(parsed.questionnaires) == {_answered(example_ws, BZ)}  # of all the files
    _edited(example_ws, "weer")
    _same_as_without_cache(runner, example_ws)


def _submitted_later(ws: Path) -> str:
    path = ws / DEF
    text = re.sub(r"submitted_at: '[^']*'", "submitted_at: '2027-01-02T03:04:05Z'",
                  path.read_text("utf-8"))  # fmt: skip
    path.write_text(text, "utf-8")
    return "2027-01-02 03:04"


def _answered(ws: Path, response: str) -> str:
    """The questionnaire file a response answers (``<id>-<version>.yaml``)."""
    text = (ws / response).read_text("utf-8")
    qid = re.search(r"^  id: (\S+)$", text, re.M)
    version = re.search(r"^  version: '?([0-9.]+)'?$", text, re.M)
    assert qid and version
    return f"{qid[1]}-{version[1]}.yaml"


def _questionnaire_changed(ws: Path) -> str:
    _edit(ws, f"questionnaires/{_answered(ws, BZ)}", "Hoe omschrijft uw departement",
          "Hoe beschrijft uw departement")  # fmt: skip
    return "changed since"


def _renamed(ws: Path) -> str:
    _edit(ws, "selfeval.yaml", "name: Defensie", "name: Defensie en Veteranen")
    return "Defensie en Veteranen"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_submitted_later, id="response"),
        pytest.param(_questionnaire_changed, id="questionnaire"),
        pytest.param(_renamed, id="selfeval.yaml"),
    ],
)
def test_a_change_a_row_depends_on_is_shown(
    runner: CliRunner, example_ws: Path, change: Callable[[Path], str]
) -> None:
    _status(runner, example_ws)
    shown = change(example_ws)
    assert shown in _same_as_without_cache(runner, example_ws)[1]


def test_another_version_of_selfeval_parses_every_response(
    runner: CliRunner, example_ws: Path, parsed: Parsed, monkeypatch: pytest.MonkeyPatch
) -> None:
    _status(runner, example_ws)
    _edited(example_ws)
    monkeypatch.setattr(cachebase, "tool_fingerprint", lambda: "another version")
    parsed.clear()
    _status(runner, example_ws)
    assert len(parsed.responses) == 9
    assert len(set(parsed.questionnaires)) == len(list((example_ws / "questionnaires").iterdir()))


def _forge(raw: bytes) -> bytes:
    """The record with another participant in every row, its seal kept."""
    record = json.loads(raw[sealed.SEAL_BYTES :])
    for row in record["rows"].values():
        row["participant"] = "FORGED"
    return raw[: sealed.SEAL_BYTES] + json.dumps(record).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_forge, id="forged"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[sealed.SEAL_BYTES :], id="seal-removed"),
        pytest.param(lambda raw: b"", id="empty"),
    ],
)
def test_a_damaged_or_forged_record_is_ignored(
    runner: CliRunner, example_ws: Path, parsed: Parsed, damage: Callable[[bytes], bytes]
) -> None:
    _status(runner, example_ws)
    (record,) = _records(example_ws)
    record.write_bytes(damage(record.read_bytes()))
    _edited(example_ws)
    parsed.clear()
    shown = _status(runner, example_ws)
    assert "FORGED" not in shown[1]
    assert len(parsed.responses) == 9  # nothing taken from it
    assert shown == _status(runner, example_ws, "--no-cache")


def test_a_record_sealed_by_another_user_is_ignored(
    runner: CliRunner, example_ws: Path, parsed: Parsed, monkeypatch: pytest.MonkeyPatch
) -> None:
    _status(runner, example_ws)
    _edited(example_ws)
    monkeypatch.setenv("XDG_CACHE_HOME", str(example_ws.parent / "another-user"))
    parsed.clear()
    _status(runner, example_ws)
    assert len(parsed.responses) == 9


def test_a_workspace_with_problems_shows_the_same(
    runner: CliRunner, example_ws: Path, parsed: Parsed
) -> None:
    (example_ws / AZ).write_text("questionnaire: [\n", "utf-8")  # unreadable
    _edit(example_ws, DEF, "status: submitted", "status: draft")
    path = example_ws / DEF
    path.write_text(re.sub(r"submitted_at: '[^']*'\n", "", path.read_text("utf-8")), "utf-8")
    (example_ws / "responses" / "notes.yaml").write_text("a: 1\n", "utf-8")  # a stray file
    first = _status(runner, example_ws)
    assert first[0] == 1 and f"{AZ}:2:" in first[2] and "notes.yaml" in first[2]
    assert "draft" in first[1]

    _edited(example_ws)
    parsed.clear()
    again = _same_as_without_cache(runner, example_ws)
    assert again[0] == 1 and f"{AZ}:2:" in again[2]
    # The first of these runs parsed the changed response and the unreadable one
    # (never kept: its error keeps its line), nothing else.
    assert parsed.responses[:2] == [BZ, AZ]


def test_a_file_not_holding_the_version_assumed_is_not_taken_for_it(example_ws: Path) -> None:
    """A record that were wrong about a file (it cannot be, sealed) still gives the right one."""
    ws = workspace.Workspace(example_ws)
    folder = ws.questionnaires_dir
    ws.assume_questionnaires(
        {
            ("self-evaluation", "1.4.0"): folder / "self-evaluation-1.4.0.yaml",
            ("self-evaluation", "1.5.0"): folder / "self-evaluation-1.4.0.yaml",
        }
    )
    loaded = ws.questionnaire("self-evaluation", "1.5.0")
    assert loaded.path.name == "self-evaluation-1.5.0.yaml"
    assert loaded.questionnaire.version == "1.5.0"


def test_a_peer_reviews_row_is_not_kept_past_a_change_of_its_draft(
    runner: CliRunner, example_ws: Path, parsed: Parsed
) -> None:
    """A peer review's links are checked against the draft it names: its row depends on it."""
    _status(runner, example_ws)
    reviews = sorted(
        path.relative_to(example_ws).as_posix()
        for path in (example_ws / "responses").rglob("peer-review-*.yaml")
        if "path: reports/draft.yaml" in path.read_text("utf-8")
    )
    assert reviews
    (example_ws / "reports").mkdir(exist_ok=True)
    (example_ws / "reports" / "draft.yaml").write_text("draft: {hash: x}\nfindings: []\n", "utf-8")
    parsed.clear()
    _same_as_without_cache(runner, example_ws)
    first_run = parsed.responses[: len(reviews)]
    assert sorted(first_run) == reviews  # the peer reviews naming it, and nothing else
