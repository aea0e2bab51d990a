"""One read per file per command: a message's line comes from the text that was checked.

A file replaced right after it is read (by a sync tool, git, another
department's import) must not move the line of a message about what was read:
every error path locates its problem in the text it parsed instead of reading
the file again. The tests replace the file the moment selfeval has read it
(the one read function, ``yamlio.read_file``), with five comment lines more at
its top, so a second read would give every line five too many.

``aggregate`` and ``export`` run with ``--no-cache`` here; with the read cache
a response's bytes are read once for its key, and on a miss those very bytes
are parsed (last test).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

CAT = Path("responses/falende-staten")
BZ = CAT / "BZ" / "self-evaluation.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.fixture
def swap_after_read(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Replace a file (five lines pushed down) right after its first read."""
    real = yamlio.read_file
    targets: set[Path] = set()

    def reading(path: Path | str, **kwargs: object) -> bytes:
        data = real(path, **kwargs)  # type: ignore[arg-type]
        here = Path(path).resolve()
        if here in targets:
            targets.discard(here)
            Path(path).write_bytes(b"# replaced after reading\n" * 5 + data)
        return data

    monkeypatch.setattr(yamlio, "read_file", reading)
    return lambda path: targets.add(path.resolve())


def _run(runner: CliRunner, ws: Path, command: str) -> str:
    uncached = ["--no-cache"] if command in ("aggregate", "export") else []
    result = runner.invoke(app, [command, *uncached, "--workspace", str(ws)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr


@pytest.mark.parametrize("command", ["validate", "aggregate", "export"])
def test_an_answers_problem_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None], command: str
) -> None:
    path = example_ws / BZ
    _edit(path, "involvement: strong", "involvement: enormous")
    line = _line_of(path, "involvement: enormous")
    swap_after_read(path)
    err = _run(runner, example_ws, command)
    assert f"{path}:{line}:" in err and "enormous" in err, err


@pytest.mark.parametrize("command", ["validate", "status", "aggregate"])
def test_a_malformed_response_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None], command: str
) -> None:
    path = example_ws / BZ
    _edit(path, "status: submitted", "status: finished")
    swap_after_read(path)
    err = _run(runner, example_ws, command)
    assert f"{path}:7:9: status: " in err, err


@pytest.mark.parametrize("command", ["validate", "status", "aggregate"])
def test_an_unknown_participant_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None], command: str
) -> None:
    path = example_ws / CAT / "EVIL" / "self-evaluation.yaml"
    path.parent.mkdir()
    path.write_text(
        (example_ws / BZ).read_text("utf-8").replace("participant: BZ", "participant: EVIL"),
        "utf-8",
    )
    swap_after_read(path)
    err = _run(runner, example_ws, command)
    assert f"{path}:5:14: participant 'EVIL' is not in selfeval.yaml" in err, err


def test_a_merges_file_problem_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None]
) -> None:
    path = example_ws / "texts" / "merges.yaml"
    path.write_text("merges:\n  - ids: [BZ.bottlenecks.one]\n", "utf-8")
    swap_after_read(path)
    for command in ("validate", "aggregate"):
        swap_after_read(path)
        err = _run(runner, example_ws, command)
        assert f"{path}:2:" in err, (command, err)
        path.write_text("merges:\n  - ids: [BZ.bottlenecks.one]\n", "utf-8")


def test_a_labels_file_problem_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None]
) -> None:
    path = example_ws / "templates" / "labels.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("en:\n  report.no_such_word: Nothing\n", "utf-8")
    swap_after_read(path)
    err = _run(runner, example_ws, "aggregate")
    assert f"{path}:2:" in err and "unknown label 'report.no_such_word'" in err, err


def test_a_questionnaire_default_problem_keeps_the_line_it_was_read_at(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None]
) -> None:
    path = example_ws / "questionnaires" / "demo-1.0.0.yaml"
    path.write_text(
        "id: demo\nversion: '1.0.0'\nkind: self-evaluation\ntitle: Demo\nsections:\n"
        "  - id: main\n    title: Main\n    items:\n      - id: count\n        type: integer\n"
        "        label: How many?\n        default: many\n",
        "utf-8",
    )
    swap_after_read(path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:12:18: sections[0].items[0].default: " in result.stderr, result.stderr


def test_validate_parses_each_response_once_with_merges_to_check(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # texts/merges.yaml names findings, so validate checks it as aggregate does;
    # that check used to read and parse every response a second time.
    assert "ids: [BZ.bottlenecks" in (example_ws / "texts" / "merges.yaml").read_text("utf-8")
    real = yamlio.read_file
    reads: list[Path] = []

    def reading(path: Path | str, **kwargs: object) -> bytes:
        if "responses" in Path(path).parts:
            reads.append(Path(path))
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlio, "read_file", reading)
    result = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert result.exit_code == 0, result.output
    responses = sorted((example_ws / "responses").rglob("*.yaml"))
    assert len(responses) == 9
    assert sorted(reads) == responses  # each once
    # The merges check still works on what validate parsed.
    merges = example_ws / "texts" / "merges.yaml"
    merges.write_text(
        merges.read_text("utf-8").replace("DEF.bottlenecks.relatie", "DEF.bottlenecks.relatie-x"),
        "utf-8",
    )
    reads.clear()
    result = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert result.exit_code == 1 and f"{merges}:5:" in result.stderr, result.stderr
    assert sorted(reads) == responses


def test_aggregate_through_the_read_cache_parses_the_bytes_it_read_for_the_key(
    runner: CliRunner, example_ws: Path, swap_after_read: Callable[[Path], None]
) -> None:
    path = example_ws / BZ
    _edit(path, "involvement: strong", "involvement: enormous")
    line = _line_of(path, "involvement: enormous")
    swap_after_read(path)
    result = runner.invoke(app, ["aggregate", "--workspace", str(example_ws)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}:" in result.stderr and "enormous" in result.stderr, result.stderr
