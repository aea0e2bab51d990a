"""A merge left unfinished: every command says "resolve the merge conflict", with file and line.

When ``git pull --rebase`` cannot merge two changes to one file it writes both
into it between ``<<<<<<<``, ``=======`` and ``>>>>>>>`` lines. YAML parsing
then fails with a message about syntax ("could not find expected ':'") that
does not tell a department what happened. The check sits where files are read
(:func:`selfeval.files.yamlio.load_text` and :func:`selfeval.files.yamlio.read_text`),
so every command gives the same message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitkit import CATEGORY, git
from typer.testing import CliRunner

from selfeval.cli import app

CONFLICTED = """\
questionnaire:
  id: self-evaluation
<<<<<<< HEAD
  version: 1.0.0
=======
  version: 1.0.1
>>>>>>> 3f2a1b7 (BZ: zelfevaluatie)
participant: BZ
"""


def _invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")
def test_validate_names_a_real_git_conflict_in_a_response(
    runner: CliRunner, tmp_path: Path
) -> None:
    central = tmp_path / "central.git"
    git(tmp_path, "init", "-q", "--bare", str(central))
    first = tmp_path / "first"
    assert runner.invoke(app, ["init", "--example", str(first)]).exit_code == 0
    git(first, "init", "-q")
    git(first, "add", "-A")
    git(first, "commit", "-q", "-m", "workspace")
    git(first, "remote", "add", "origin", str(central))
    git(first, "push", "-q", "-u", "origin", "main")
    second = tmp_path / "second"
    git(tmp_path, "clone", "-q", str(central), str(second))
    # Two people change the same line of BZ's response, on two machines.
    relative = f"responses/{CATEGORY}/BZ/self-evaluation.yaml"
    for clone, name in ((first, "A. de Vries"), (second, "B. Bakker")):
        path = clone / relative
        text = path.read_text("utf-8")
        changed = text.replace("completed_by: ", f"completed_by: {name} namens ", 1)
        assert changed != text
        path.write_text(changed, "utf-8")
        git(clone, "commit", "-q", "-am", f"BZ: {name}")
    git(first, "push", "-q")
    pull = git(second, "pull", "--rebase", check=False)
    assert "CONFLICT" in pull
    text = (second / relative).read_text("utf-8")
    line = text.splitlines().index(next(s for s in text.splitlines() if s.startswith("<<<<<<<")))

    code, err = _invoke(runner, "validate", "--workspace", str(second))
    assert code == 1
    assert (
        f"{second / relative}:{line + 1}:1: the file holds an unresolved git merge conflict" in err
    )
    assert "resolve the merge conflict" in err
    # Once resolved (here: take the first machine's version), it validates.
    git(second, "checkout", "--ours", "--", relative)  # during a rebase, "ours" is upstream
    code, err = _invoke(runner, "validate", "--workspace", str(second))
    assert code == 0, err


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["status"],
        ["aggregate"],
        ["fill", "-p", "BZ", "--answers", "answers/BZ-self-evaluation.yaml"],
    ],
    ids=lambda c: c[0],
)
def test_every_command_that_reads_the_conflicted_response_says_so(
    runner: CliRunner, example_ws: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = example_ws / f"responses/{CATEGORY}/BZ/self-evaluation.yaml"
    path.write_text(CONFLICTED, "utf-8")
    monkeypatch.chdir(example_ws)
    code, err = _invoke(runner, *command)
    assert code == 1
    assert "self-evaluation.yaml:3:1: the file holds an unresolved git merge conflict" in err
    assert "line 3 starts with '<<<<<<<'" in err
    assert "resolve the merge conflict" in err
    # The hint fits a merge as well as a rebase (it named only `git rebase --continue`).
    said = " ".join(err.split())
    assert "`git rebase --continue` after a pull with rebase" in said
    assert "`git commit` after a merge" in said
    assert path.read_text("utf-8") == CONFLICTED  # nothing written over it


def test_a_conflict_in_the_exercise_file_stops_status(runner: CliRunner, example_ws: Path) -> None:
    exercise = example_ws / "selfeval.yaml"
    lines = exercise.read_text("utf-8").splitlines(keepends=True)
    lines[5:5] = ["<<<<<<< HEAD\n", "=======\n", ">>>>>>> theirs\n"]
    exercise.write_text("".join(lines), "utf-8")
    code, err = _invoke(runner, "status", "--workspace", str(example_ws))
    assert code == 1
    assert f"{exercise}:6:1: the file holds an unresolved git merge conflict" in err


def test_validate_and_aggregate_find_a_conflict_in_a_text(
    runner: CliRunner, example_ws: Path
) -> None:
    preface = example_ws / "texts/preface.md"
    original = preface.read_text("utf-8")
    preface.write_text(
        "Voorwoord\n=========\n\n<<<<<<< HEAD\nEerste tekst.\n=======\nTweede tekst.\n"
        ">>>>>>> a1b2c3d\n" + original,
        "utf-8",
    )
    code, err = _invoke(runner, "validate", "--workspace", str(example_ws))
    assert code == 1
    assert f"{preface}:4:1: the file holds an unresolved git merge conflict" in err
    code, err = _invoke(runner, "aggregate", "--workspace", str(example_ws))
    assert code == 1
    assert f"{preface}:4:1: the file holds an unresolved git merge conflict" in err
    assert not (example_ws / "reports/integrated-report.md").exists()


def test_lines_that_only_look_like_markers_are_fine(runner: CliRunner, example_ws: Path) -> None:
    # A Markdown heading underline of seven '=' and quoted or indented arrows are no conflict.
    preface = example_ws / "texts/preface.md"
    preface.write_text(
        "Voorwoord\n=======\n\n> >>>>>>> geciteerd\n    <<<<<<< ingesprongen\n", "utf-8"
    )
    code, err = _invoke(runner, "validate", "--workspace", str(example_ws))
    assert code == 0, err
