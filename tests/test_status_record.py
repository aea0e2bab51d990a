"""``selfeval status`` answered from the record of the last status (issue 20).

A status with no file of the workspace changed since the last one prints from
what that one gathered (``.selfeval/cache/said/``, sealed,
:func:`selfeval.report.runrecord.recall_output`) without reading a response.
What a user sees must be the same either way; anything changed, and any
record that is not exactly ours for these inputs, means gathering again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.checks import status as status_module
from selfeval.cli import app
from selfeval.errors import InputError
from selfeval.files.workspace import Workspace
from selfeval.report import cachebase, sealed

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"


@pytest.fixture
def gathered(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The categories :func:`workspace_status` gathered (a status from its record gathers none)."""
    calls: list[str | None] = []
    real = status_module.workspace_status

    def spy(
        workspace: Workspace, category: str | None = None, kept: object = None
    ) -> status_module.Status:
        calls.append(category)
        return real(workspace, category, kept)  # type: ignore[arg-type]

    monkeypatch.setattr(status_module, "workspace_status", spy)
    return calls


def _status(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["status", "-w", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def _records(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "said").glob("*.json"))


def _append(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode())


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_second_status_shows_the_same_from_the_record(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    # A file where no response belongs: its warning must come back from the record too.
    (example_ws / "responses" / "notes.yaml").write_text("a: 1\n", "utf-8")
    first = _status(runner, example_ws)
    assert first[0] == 0 and "BZ" in first[1] and "notes.yaml" in first[2]
    assert gathered == ["falende-staten"]
    assert len(_records(example_ws)) == 1

    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"]  # nothing gathered: the record answered
    as_json = _status(runner, example_ws, "--json")
    assert gathered == ["falende-staten"]
    assert _status(runner, example_ws, "--json", "--no-cache") == as_json
    assert _status(runner, example_ws, "--no-cache") == first
    assert gathered == ["falende-staten"] * 3


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda ws: _edit(ws / BZ, "zwak te houden.", "zwak houden."), id="response"),
        pytest.param(lambda ws: (ws / BZ).unlink(), id="response-removed"),
        pytest.param(
            lambda ws: _append(ws / "questionnaires" / "self-evaluation-1.6.0.yaml", "# x\n"),
            id="questionnaire",
        ),
        pytest.param(lambda ws: _append(ws / "selfeval.yaml", "# edited\n"), id="selfeval.yaml"),
    ],
)
def test_a_changed_file_is_read_again(
    runner: CliRunner, example_ws: Path, gathered: list[str | None], change: object
) -> None:
    _status(runner, example_ws)
    change(example_ws)  # type: ignore[operator]
    after = _status(runner, example_ws)
    assert gathered == ["falende-staten"] * 2
    assert after == _status(runner, example_ws, "--no-cache")


def test_a_removed_response_shows_as_not_started(runner: CliRunner, example_ws: Path) -> None:
    _status(runner, example_ws)
    (example_ws / BZ).unlink()
    data = json.loads(_status(runner, example_ws, "--json")[1])
    (row,) = [r for r in data["rows"] if r["path"] == BZ]
    assert row["state"] == "not-started"


def test_another_version_of_selfeval_reads_again(
    runner: CliRunner,
    example_ws: Path,
    gathered: list[str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _status(runner, example_ws)
    monkeypatch.setattr(cachebase, "tool_fingerprint", lambda: "another version")
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"] * 2


def _forge(raw: bytes) -> bytes:
    """The record with another participant's name in it, its seal kept."""
    record = json.loads(raw[sealed.SEAL_BYTES :])
    record["data"][0]["rows"][0]["participant"] = "FORGED"
    return raw[: sealed.SEAL_BYTES] + json.dumps(record).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[sealed.SEAL_BYTES :], id="seal-removed"),
        pytest.param(_forge, id="forged"),
        pytest.param(lambda raw: b"", id="empty"),
    ],
)
def test_a_damaged_or_forged_record_is_ignored(
    runner: CliRunner, example_ws: Path, gathered: list[str | None], damage: object
) -> None:
    first = _status(runner, example_ws)
    (record,) = _records(example_ws)
    record.write_bytes(damage(record.read_bytes()))  # type: ignore[operator]
    second = _status(runner, example_ws)
    assert second == first and "FORGED" not in second[1]
    assert gathered == ["falende-staten"] * 2
    assert _status(runner, example_ws) == first  # recorded again, sound
    assert gathered == ["falende-staten"] * 2


def test_a_record_sealed_by_another_user_is_ignored(
    runner: CliRunner,
    example_ws: Path,
    gathered: list[str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _status(runner, example_ws)
    monkeypatch.setenv("XDG_CACHE_HOME", str(example_ws.parent / "another-user"))
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"] * 2


def test_a_read_only_workspace_needs_no_record(
    runner: CliRunner,
    example_ws: Path,
    gathered: list[str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _status(runner, example_ws, "--no-cache")
    assert not (example_ws / ".selfeval").exists()

    def read_only(self: Workspace) -> Path:
        raise InputError("read-only file system")

    monkeypatch.setattr(Workspace, "prepare_state_dir", read_only)
    assert _status(runner, example_ws) == expected
    assert _status(runner, example_ws) == expected
    assert not _records(example_ws)
    assert gathered == ["falende-staten"] * 3


def test_a_status_with_an_unreadable_response_is_not_recorded(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    (example_ws / BZ).write_text("questionnaire: [\n", "utf-8")
    first = _status(runner, example_ws)
    assert first[0] == 1 and f"{BZ}:" in first[2]
    assert _status(runner, example_ws) == first  # the error keeps its file and line
    assert gathered == ["falende-staten"] * 2
    assert not _records(example_ws)


def test_a_pipe_in_the_workspace_is_not_read_and_nothing_is_recorded(example_ws: Path) -> None:
    """A named pipe outside ``responses/`` (which status never read) must not block status.

    Its content cannot be hashed (reading it would wait for a writer), so no
    key, no record. Run as a process, so that a regression fails by the
    timeout instead of hanging the suite.
    """
    import os
    import subprocess
    import sys

    os.mkfifo(example_ws / "texts" / "pipe")
    result = subprocess.run(
        [sys.executable, "-c", "from selfeval.cli import main; main()",
         "status", "-w", str(example_ws)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "9 expected responses: 9 submitted." in result.stdout
    assert not _records(example_ws)


# --- the cut-off: a response whose bytes changed but that reads as before ----------------


def test_a_comment_added_to_a_response_is_shown_from_the_record(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    """Its document is the same, so every check gives the same row: nothing is gathered."""
    first = _status(runner, example_ws)
    _append(example_ws / BZ, "# checked by the secretariat\n")
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"]  # read as before: the record answered
    assert _status(runner, example_ws) == first  # kept again under the new inputs
    _append(example_ws / BZ, "# and again\n")
    assert _status(runner, example_ws, "--json") == _status(
        runner, example_ws, "--json", "--no-cache"
    )
    assert gathered == ["falende-staten"] * 2  # only --no-cache gathered


def test_a_comment_naming_same_as_is_shown_from_the_record(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    """The merges' check reads responses whose bytes name ``same_as``; a comment is no merge."""
    first = _status(runner, example_ws)
    _append(example_ws / BZ, "# same_as: [DEF.bottlenecks.99]\n")
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"]
    assert _status(runner, example_ws, "--no-cache") == first


def test_the_same_answers_written_otherwise_are_shown_from_the_record(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    first = _status(runner, example_ws)
    # Another quoting of the same text: the same document.
    _edit(
        example_ws / BZ, "started_at: '2026-12-03T13:52:05Z'", 'started_at: "2026-12-03T13:52:05Z"'
    )
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"]


@pytest.mark.parametrize(
    "change",
    [
        # A line beginning with '#' inside a block scalar is text, not a comment.
        pytest.param(
            lambda ws: _edit(
                ws / BZ, "zwak te houden.\n", "zwak te houden.\n    # geen commentaar\n"
            ),
            id="hash-inside-block-text",
        ),
        # The same digits, another type: a text where a number was.
        pytest.param(lambda ws: _edit(ws / BZ, "year: 2005", "year: '2005'"), id="number-to-text"),
        pytest.param(
            lambda ws: (
                _append(ws / BZ, "# a comment\n"),
                _append(ws / "selfeval.yaml", "# edited\n"),
            ),
            id="comment-and-another-file",
        ),
        pytest.param(
            lambda ws: (
                _append(ws / BZ, "# a comment\n"),
                (ws / "texts" / "new.md").write_text("nieuw\n", "utf-8"),
            ),
            id="comment-and-a-new-file",
        ),
    ],
)
def test_a_response_that_reads_otherwise_is_gathered_again(
    runner: CliRunner, example_ws: Path, gathered: list[str | None], change: object
) -> None:
    _status(runner, example_ws)
    change(example_ws)  # type: ignore[operator]
    after = _status(runner, example_ws, "--json")
    assert gathered == ["falende-staten"] * 2
    assert after == _status(runner, example_ws, "--json", "--no-cache")


def test_a_response_refused_after_a_change_keeps_its_error(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    """A key written twice is refused by the reader: no cut-off, the error with its line."""
    _status(runner, example_ws)
    _append(example_ws / BZ, "status: draft\n")
    code, _, err = _status(runner, example_ws)
    assert code == 1 and f"{BZ}:" in err
    assert gathered == ["falende-staten"] * 2


def test_a_record_without_its_cut_off_part_still_answers_for_its_key(
    runner: CliRunner, example_ws: Path, gathered: list[str | None]
) -> None:
    """A record written before the cut-off (no ``cutoff``) holds for its key, and for no other."""
    first = _status(runner, example_ws)
    (record,) = _records(example_ws)
    raw = record.read_bytes()
    data = json.loads(raw[sealed.SEAL_BYTES :])
    assert set(data["cutoff"]["responses"]) >= {BZ}
    del data["cutoff"]
    body = json.dumps(data, ensure_ascii=False).encode()
    name = record.stem
    assert sealed.write_sealed(record, "said", name, body)
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"]
    _append(example_ws / BZ, "# a comment\n")
    assert _status(runner, example_ws) == first
    assert gathered == ["falende-staten"] * 2
