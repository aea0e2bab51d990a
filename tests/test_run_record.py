"""A re-run of aggregate with nothing changed writes nothing (issue 20; selfeval.report.runrecord).

What a user sees: the same messages and the same files, untouched (same
inode: an atomic write would have made a new one). Any change to an input —
a response, a text, a template, the options, selfeval, a library, the
language — renders again; so does a report edited or removed since. A record
is workspace input: a damaged, forged or foreign one is ignored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report import cachebase, render, runrecord, sealed

REPORT = Path("reports/integrated-report.md")
BZ = Path("responses/falende-staten/BZ/self-evaluation.yaml")
ANSWER = "Wederopbouw na een gewapend conflict (met Defensie en EZ)"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The formats of every report rendered (render.render_into and render.render)."""
    seen: list[str] = []
    into, whole = render.render_into, render.render

    def counting_into(report: object, handle: object, **kwargs: object) -> object:
        seen.append(str(kwargs.get("fmt")))
        return into(report, handle, **kwargs)  # type: ignore[arg-type]

    def counting(report: object, **kwargs: object) -> str:
        seen.append(str(kwargs.get("fmt")))
        return whole(report, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_into", counting_into)
    monkeypatch.setattr(render, "render", counting)
    yield seen


def _run(runner: CliRunner, ws: Path, *args: str) -> tuple[str, str]:
    result = runner.invoke(app, ["aggregate", "-w", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def _edit_answer(ws: Path) -> None:
    """Edit a title BZ's response gives (the report shows it)."""
    path = ws / BZ
    text = path.read_text("utf-8")
    assert ANSWER in text
    path.write_text(text.replace(ANSWER, ANSWER + " (bewerkt)", 1), "utf-8")


def _comment(ws: Path, line: str = "# edited") -> None:
    """Add a comment line to BZ's response: its bytes change, not what it reads as."""
    path = ws / BZ
    path.write_text(path.read_text("utf-8") + line + "\n", "utf-8")


def _records(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "runs").glob("*.json"))


def test_a_rerun_with_nothing_changed_renders_and_writes_nothing(
    runner: CliRunner, example_ws: Path, rendered: list[str]
) -> None:
    first = _run(runner, example_ws)
    assert rendered == ["md"]
    report = example_ws / REPORT
    before = report.stat()
    figures = sorted(report.parent.glob("figure-*.png"))
    assert figures
    again = _run(runner, example_ws)
    assert again == first  # the same "Wrote …" lines, counts and warnings
    assert rendered == ["md"]  # not rendered again
    after = report.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _run(runner, example_ws, "--no-cache") == first
    assert rendered == ["md", "md"]  # --no-cache: the whole run


_SLOW = pytest.mark.slow  # the same check for one more kind of input: the slow tier


@pytest.mark.parametrize(
    "change",
    [
        "response",
        pytest.param("text", marks=_SLOW),
        pytest.param("template", marks=_SLOW),
        "new file",
        pytest.param("option", marks=_SLOW),
        "selfeval",
        pytest.param("library", marks=_SLOW),
        pytest.param("language", marks=_SLOW),
    ],
)
def test_a_changed_input_renders_again(
    runner: CliRunner,
    example_ws: Path,
    rendered: list[str],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    _run(runner, example_ws)
    args: list[str] = []
    if change == "response":  # an answer the report shows (a comment would read the same)
        _edit_answer(example_ws)
    elif change == "text":
        (example_ws / "texts" / "summary.md").write_text("A new summary.\n", "utf-8")
    elif change == "template":
        (example_ws / "templates").mkdir(exist_ok=True)
        (example_ws / "templates" / "labels.yaml").write_text("{}\n", "utf-8")
    elif change == "new file":
        (example_ws / "notes.txt").write_text("x", "utf-8")
    elif change == "option":
        args = ["--ids"]
    elif change == "selfeval":
        monkeypatch.setattr(cachebase, "tool_fingerprint", lambda: "another selfeval")
    elif change == "library":
        monkeypatch.setattr(runrecord, "_versions", lambda: ["jinja2=99"])
    else:
        monkeypatch.setenv("LANGUAGE", "xx")
    _run(runner, example_ws, *args)
    assert rendered == ["md", "md"]


@pytest.mark.parametrize(
    "damage", ["edited", pytest.param("removed", marks=_SLOW), "figure removed"]
)
def test_a_report_changed_since_is_written_again(
    runner: CliRunner, example_ws: Path, rendered: list[str], damage: str
) -> None:
    first = _run(runner, example_ws)
    report = example_ws / REPORT
    genuine = report.read_bytes()
    if damage == "edited":
        report.write_bytes(genuine.replace(b"#", b"##", 1))
    elif damage == "removed":
        report.unlink()
    else:
        next(report.parent.glob("figure-*.png")).unlink()
    assert _run(runner, example_ws) == first
    assert rendered == ["md", "md"]
    assert report.read_bytes() == genuine
    assert len(list(report.parent.glob("figure-*.png"))) == 2


def _forge(raw: bytes) -> bytes:
    data = json.loads(raw[sealed.SEAL_BYTES :])
    data["warnings"] = ["a message nobody wrote"]
    return raw[: sealed.SEAL_BYTES] + json.dumps(data).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated", marks=_SLOW),
        pytest.param(lambda raw: raw[sealed.SEAL_BYTES :], id="seal-removed", marks=_SLOW),
        pytest.param(_forge, id="forged"),
    ],
)
def test_a_damaged_or_forged_record_is_ignored(
    runner: CliRunner, example_ws: Path, rendered: list[str], damage: object
) -> None:
    first = _run(runner, example_ws)
    (record,) = _records(example_ws)
    record.write_bytes(damage(record.read_bytes()))  # type: ignore[operator]
    assert _run(runner, example_ws) == first
    assert rendered == ["md", "md"]
    assert _run(runner, example_ws) == first
    assert rendered == ["md", "md"]  # recorded again, sound


def test_a_record_sealed_by_another_user_is_ignored(
    runner: CliRunner, example_ws: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(runner, example_ws)
    monkeypatch.setenv("XDG_CACHE_HOME", str(example_ws.parent / "another-user"))
    _run(runner, example_ws)
    assert rendered == ["md", "md"]


def test_a_failed_run_is_not_recorded(runner: CliRunner, example_ws: Path) -> None:
    path = example_ws / BZ
    path.write_text(path.read_text("utf-8").replace("participant: BZ", "participant: XX"), "utf-8")
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    assert result.exit_code != 0
    assert not _records(example_ws)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The responses read through the cache (aggregate.read_cached), by file name's folder."""
    from selfeval.report import aggregate

    seen: list[str] = []
    through = aggregate.read_cached

    def counting(ctx: object, cache: object, path: Path, **kwargs: object) -> object:
        seen.append(path.parent.name)
        return through(ctx, cache, path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(aggregate, "read_cached", counting)
    yield seen


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=_SLOW)])
def test_a_response_that_reads_as_before_renders_nothing_and_reads_only_itself(
    runner: CliRunner, example_ws: Path, rendered: list[str], reads: list[str], jobs: str
) -> None:
    """The record's cut-off: a comment line added changes the bytes, not what the report is made of."""
    first = _run(runner, example_ws, "--jobs", jobs)
    assert rendered == ["md"]
    report = example_ws / REPORT
    before = report.stat()
    reads.clear()
    _comment(example_ws)
    assert _run(runner, example_ws) == first
    assert rendered == ["md"]  # not rendered again
    assert reads == ["BZ"]  # only the changed response was read
    after = report.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    reads.clear()
    assert _run(runner, example_ws) == first  # the record now stands for the new bytes
    assert (rendered, reads) == (["md"], [])
    genuine = report.read_bytes()
    assert _run(runner, example_ws, "--no-cache") == first
    assert report.read_bytes() == genuine


@pytest.mark.parametrize("also", ["answer edited", "text edited", "another comment"])
def test_the_cut_off_stands_only_when_nothing_else_changed(
    runner: CliRunner, example_ws: Path, rendered: list[str], also: str
) -> None:
    _run(runner, example_ws)
    _comment(example_ws)
    if also == "answer edited":
        _edit_answer(example_ws)
    elif also == "text edited":
        (example_ws / "texts" / "summary.md").write_text("A new summary.\n", "utf-8")
    else:
        _comment(example_ws, "# edited again")
    _run(runner, example_ws)
    report = (example_ws / REPORT).read_bytes()
    expected = ["md"] if also == "another comment" else ["md", "md"]
    assert rendered == expected
    if also == "answer edited":
        assert b"(bewerkt)" in report
    _run(runner, example_ws, "--no-cache")
    assert (example_ws / REPORT).read_bytes() == report  # what a run without the cache writes


def test_a_response_that_reads_as_before_after_an_edit_undone_still_renders_what_it_shows(
    runner: CliRunner, example_ws: Path, rendered: list[str]
) -> None:
    """The cut-off compares with the last run, not with any earlier one."""
    _run(runner, example_ws)
    genuine = (example_ws / REPORT).read_bytes()
    _edit_answer(example_ws)
    _run(runner, example_ws)
    edited = (example_ws / REPORT).read_bytes()
    assert edited != genuine
    path = example_ws / BZ
    path.write_text(path.read_text("utf-8").replace(" (bewerkt)", "", 1) + "# undone\n", "utf-8")
    _run(runner, example_ws)
    assert rendered == ["md", "md", "md"]
    assert (example_ws / REPORT).read_bytes() == genuine


def test_the_inputs_key_covers_every_input_file_and_refuses_what_it_cannot_hash(
    example_ws: Path, tmp_path: Path
) -> None:
    """What the key lists (``runrecord._files``): a workspace a user changes in each way."""
    options = runrecord.options_of(
        draft=False, fmt="md", output=None, include_drafts=False, ids=None, category=None
    )
    key = runrecord.inputs_key(example_ws, options)
    assert key is not None
    # Not inputs: the reports but draft.yaml, .git/, .selfeval/.
    for rel in ("reports/integrated-report.md", "reports/x/y.md", ".git/HEAD", ".selfeval/x"):
        (example_ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (example_ws / rel).write_text("x", "utf-8")
    assert runrecord.inputs_key(example_ws, options) == key
    # Inputs: a file in a new subfolder, a draft.yaml under reports/.
    keys = {key}
    for rel in ("texts/notes/a.md", "reports/x/draft.yaml"):
        (example_ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (example_ws / rel).write_text("x", "utf-8")
        keys.add(runrecord.inputs_key(example_ws, options))
    assert None not in keys and len(keys) == 3
    # What cannot be hashed soundly: no key (the run is never skipped).
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "f.md").write_text("x", "utf-8")
    for make, rel in (
        (lambda p: p.symlink_to(outside, target_is_directory=True), "texts/linked"),
        (lambda p: p.symlink_to(outside / "gone.md"), "texts/broken.md"),
        (lambda p: os.mkfifo(p), "texts/pipe"),
    ):
        path = example_ws / rel
        make(path)
        assert runrecord.inputs_key(example_ws, options) is None, rel
        path.unlink()
    assert runrecord.inputs_key(example_ws, options) in keys
