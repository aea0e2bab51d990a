"""``reports/draft.yaml`` kept between runs (issue 20): the draft stays byte for byte the same.

A second ``aggregate --draft`` with the same findings copies the draft file's
kept bytes from ``.selfeval/cache/drafts/`` instead of streaming it again
(``selfeval.report.draftkeep``). Each test compares what a user gets — the
draft file and the draft report — with a run without any cache; the kept
entry is workspace input, so one not sealed by this user for these very
inputs is never used.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report import sealed

DRAFT_YAML = Path("reports") / "draft.yaml"
DRAFT_REPORT = Path("reports") / "integrated-report-draft.md"


def aggregate(runner: CliRunner, ws: Path, *args: str) -> None:
    result = runner.invoke(app, ["aggregate", "-w", str(ws), "--draft", *args])
    assert result.exit_code == 0, result.output


def forget_runs(ws: Path) -> None:
    """Remove the record of the last run, so that the next run makes the draft again."""
    shutil.rmtree(ws / ".selfeval" / "cache" / "runs", ignore_errors=True)


def kept(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "drafts").glob("*.yaml"))


def cold(runner: CliRunner, ws: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    """``draft.yaml`` and the draft report of a copy of ``ws`` made with ``--no-cache``."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ws, copy, ignore=shutil.ignore_patterns(".selfeval", "reports"))
    aggregate(runner, copy, "--no-cache")
    assert not kept(copy)
    return (copy / DRAFT_YAML).read_bytes(), (copy / DRAFT_REPORT).read_bytes()


@pytest.fixture(scope="module")
def cold_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """:func:`cold` of the worked example as ``init --example`` makes it (made once)."""
    from selfeval.files.scaffold import init_workspace

    base = tmp_path_factory.mktemp("cold-example")
    init_workspace(base / "example", example=True)
    return cold(CliRunner(), base / "example", base)


def made(ws: Path) -> tuple[bytes, bytes]:
    return (ws / DRAFT_YAML).read_bytes(), (ws / DRAFT_REPORT).read_bytes()


def no_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make streaming the draft file fail: a run that passes took it from what was kept."""

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("draft.yaml was streamed again")

    monkeypatch.setattr("selfeval.report.draftkeep.write_draft", refused)


def test_a_second_draft_copies_the_kept_bytes_and_they_are_the_same(
    runner: CliRunner,
    example_ws: Path,
    cold_example: tuple[bytes, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aggregate(runner, example_ws)
    assert len(kept(example_ws)) == 1
    first = made(example_ws)
    forget_runs(example_ws)
    with monkeypatch.context() as patch:
        no_streaming(patch)
        aggregate(runner, example_ws)
    assert made(example_ws) == first == cold_example


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), "utf-8")


BZ = Path("responses") / "falende-staten" / "BZ" / "self-evaluation.yaml"


def change_text(ws: Path) -> None:
    """A need's description: the draft hash changes."""
    _edit(ws / BZ, "Meer aandacht voor landen", "Veel meer aandacht voor landen")


def change_scope(ws: Path) -> None:
    """A need's scope: in draft.yaml, not in the draft hash (kind, title and text only)."""
    _edit(
        ws / BZ,
        "gronden ingrijpen of optreden gerechtvaardigd is.\n    scope: departmental",
        "gronden ingrijpen of optreden gerechtvaardigd is.\n    scope: interdepartmental",
    )


def change_project(ws: Path) -> None:
    """The exercise's project: in draft.yaml's header, not in the draft hash."""
    _edit(
        ws / "selfeval.yaml",
        "  nl: Project Nationale Veiligheid\n",
        "  nl: Project Nationale Veiligheid (herzien)\n",
    )


@pytest.mark.parametrize(
    "change",
    [
        change_text,
        pytest.param(change_scope, marks=pytest.mark.slow),  # ~2 s: figure 2 drawn twice
        change_project,
    ],
    ids=["text", "scope", "project"],
)
def test_a_change_to_what_the_draft_lists_writes_it_again(
    runner: CliRunner, example_ws: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    aggregate(runner, example_ws)
    before = made(example_ws)
    change(example_ws)
    aggregate(runner, example_ws)
    after = made(example_ws)
    assert after[0] != before[0]  # the change shows in draft.yaml
    assert after == cold(runner, example_ws, tmp_path)


def _entry_of_other_bytes(entry: Path) -> None:
    """The entry's bytes replaced by a draft with a finding no workspace has."""
    raw = entry.read_bytes()
    poisoned = raw[sealed.SEAL_BYTES :].replace(b"- id: ", b"- id: POISON", 1)
    entry.write_bytes(raw[: sealed.SEAL_BYTES] + poisoned)  # the old seal kept


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda e: e.write_bytes(e.read_bytes()[: e.stat().st_size // 2]), id="truncated"
        ),
        pytest.param(_entry_of_other_bytes, id="forged-bytes"),
        pytest.param(
            lambda e: e.write_bytes(bytes(sealed.SEAL_BYTES) + e.read_bytes()[sealed.SEAL_BYTES :]),
            id="forged-seal",
        ),
        pytest.param(
            lambda e: e.write_bytes(e.read_bytes()[sealed.SEAL_BYTES :]), id="seal-removed"
        ),
    ],
)
def test_a_damaged_or_forged_entry_is_ignored_and_made_again(
    runner: CliRunner,
    example_ws: Path,
    cold_example: tuple[bytes, bytes],
    damage: Callable[[Path], None],
) -> None:
    aggregate(runner, example_ws)
    (entry,) = kept(example_ws)
    damage(entry)
    forget_runs(example_ws)
    aggregate(runner, example_ws)
    assert b"POISON" not in (example_ws / DRAFT_YAML).read_bytes()
    assert made(example_ws) == cold_example
    (remade,) = kept(example_ws)
    assert b"POISON" not in remade.read_bytes()


def test_an_entry_sealed_for_other_inputs_is_not_used(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    """A genuine entry of this user, of a workspace that said something else: a miss."""
    aggregate(runner, example_ws)
    (entry,) = kept(example_ws)
    stale = entry.read_bytes()
    change_project(example_ws)
    aggregate(runner, example_ws)
    entry.write_bytes(stale)  # the entry of before the change, put back
    forget_runs(example_ws)
    aggregate(runner, example_ws)
    assert made(example_ws) == cold(runner, example_ws, tmp_path)


def test_no_cache_keeps_no_draft_and_cache_clear_removes_it(
    runner: CliRunner, example_ws: Path
) -> None:
    aggregate(runner, example_ws, "--no-cache")
    assert not kept(example_ws)
    aggregate(runner, example_ws)
    assert kept(example_ws)
    result = runner.invoke(app, ["cache", "clear", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert not kept(example_ws)


def test_a_draft_pair_made_the_same_is_left_untouched_and_a_changed_one_replaced(
    runner: CliRunner, example_ws: Path
) -> None:
    """The pair is written only when a byte of it changes: both files keep their inode and time."""
    aggregate(runner, example_ws)
    pair = [example_ws / DRAFT_YAML, example_ws / DRAFT_REPORT]
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in pair]
    forget_runs(example_ws)
    aggregate(runner, example_ws)  # made again (no record), the same bytes
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in pair] == before
    assert not [p.name for p in pair[0].parent.iterdir() if p.name.endswith(".tmp")]
    preface = example_ws / "texts" / "preface.md"
    preface.write_text(preface.read_text("utf-8") + "\nEen alinea erbij.\n", "utf-8")
    aggregate(runner, example_ws)  # only the report changes: both are replaced, as one pair
    assert all(p.stat().st_ino != b[0] for p, b in zip(pair, before, strict=True))
    assert "Een alinea erbij." in pair[1].read_text("utf-8")
