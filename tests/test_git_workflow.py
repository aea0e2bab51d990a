"""Departments on separate machines share a workspace through real git (issue 15).

These tests run the ``git`` binary on temporary repositories: a bare
"central" repository, one clone per department and one for the secretariat.
What they hold the tool to: ``init`` writes a ``.gitignore`` and a
``.gitattributes``; ``fill`` leaves nothing beside the response that ``git add
-A`` would pick up; two departments that answer at the same time commit, pull
--rebase and push without a conflict; the secretariat's report holds both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitkit import CATEGORY, git, git_env
from typer.testing import CliRunner

from selfeval.cli import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


def selfeval(cwd: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``selfeval ARGS`` as its own process in ``cwd`` (not waited for)."""
    return subprocess.Popen(
        [sys.executable, "-c", "from selfeval.cli import main; main()", *args],
        cwd=cwd,
        env=git_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def committed(clone: Path) -> list[str]:
    """Every file in the clone's last commit."""
    return git(clone, "ls-tree", "-r", "--name-only", "HEAD").split()


@pytest.mark.parametrize("example", [False, True], ids=["empty", "example"])
def test_init_writes_gitignore_and_gitattributes(
    runner: CliRunner, tmp_path: Path, example: bool
) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(ws), *(["--example"] if example else [])])
    assert result.exit_code == 0, result.output
    assert "eol=lf" in (ws / ".gitattributes").read_text("utf-8")
    git(ws, "init", "-q")
    # What git must not see: lock files (old and new place) and an interrupted save's temp file.
    ignored = [
        ".selfeval/locks/x/BZ/self-evaluation.lock",
        "responses/x/BZ/.self-evaluation.yaml.lock",
        "responses/x/BZ/.self-evaluation.yaml.k2j3h4.tmp",
        "__pycache__/a.pyc",
    ]
    shown = git(ws, "check-ignore", "--no-index", *ignored).split()
    assert shown == ignored
    # What it must see: responses, texts and the secretariat's reports (the draft for peer review).
    for kept in ("responses/x/BZ/self-evaluation.yaml", "texts/preface.md", "reports/draft.yaml"):
        check = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", kept], cwd=ws, env=git_env(), check=False
        )
        assert check.returncode == 1, f"{kept} is ignored"
    attributes = git(ws, "check-attr", "eol", "--", "selfeval.yaml", "texts/preface.md")
    assert attributes.splitlines() == ["selfeval.yaml: eol: lf", "texts/preface.md: eol: lf"]


def test_fill_leaves_nothing_but_the_response_for_git(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "--example", str(ws)]).exit_code == 0
    (ws / f"responses/{CATEGORY}/BZ/self-evaluation.yaml").unlink()
    git(ws, "init", "-q")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "workspace")
    result = runner.invoke(
        app,
        ["fill", "-w", str(ws), "-p", "BZ", "--answers", str(ws / "answers/BZ-self-evaluation.yaml"),
         "--submit"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    status = git(ws, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert status == [f"?? responses/{CATEGORY}/BZ/self-evaluation.yaml"]


def _answers_with_marker(clone: Path, code: str) -> Path:
    """The department's answers from the worked example, with a sentence only it wrote."""
    text = (clone / f"answers/{code}-self-evaluation.yaml").read_text("utf-8")
    marked = text.replace(
        "definition: |\n", f"definition: |\n  Geschreven op de machine van {code}.\n", 1
    )
    assert marked != text
    path = clone.parent / f"{code}-answers.yaml"  # received outside the workspace
    path.write_text(marked, "utf-8")
    return path


def test_two_departments_fill_at_once_and_push_without_conflict(tmp_path: Path) -> None:
    central = tmp_path / "central.git"
    git(tmp_path, "init", "-q", "--bare", str(central))
    # The secretariat lays out the workspace; BZ's and DEF's self-evaluations are still to come.
    secretariat = tmp_path / "secretariaat"
    assert CliRunner().invoke(app, ["init", "--example", str(secretariat)]).exit_code == 0
    for code in ("BZ", "DEF"):
        (secretariat / f"responses/{CATEGORY}/{code}/self-evaluation.yaml").unlink()
    git(secretariat, "init", "-q")
    git(secretariat, "add", "-A")
    git(secretariat, "commit", "-q", "-m", "workspace")
    git(secretariat, "remote", "add", "origin", str(central))
    git(secretariat, "push", "-q", "-u", "origin", "main")

    clones = {code: tmp_path / code for code in ("BZ", "DEF")}
    answers = {}
    for code, clone in clones.items():
        git(tmp_path, "clone", "-q", str(central), str(clone))
        answers[code] = _answers_with_marker(clone, code)
    # Both departments answer at the same moment, each on its own machine.
    fills = [
        selfeval(clone, "fill", "-p", code, "--answers", str(answers[code]), "--submit")
        for code, clone in clones.items()
    ]
    for fill in fills:
        out, err = fill.communicate(timeout=120)
        assert fill.returncode == 0, out + err
    # Each commits everything git sees, then pulls with rebase and pushes: no conflict.
    for code, clone in clones.items():
        git(clone, "add", "-A", who=code)
        git(clone, "commit", "-q", "-m", f"{code}: zelfevaluatie ingediend", who=code)
        git(clone, "pull", "-q", "--rebase", who=code)
        git(clone, "push", "-q", who=code)
        files = committed(clone)
        assert not [f for f in files if f.endswith((".lock", ".tmp")) or ".selfeval/" in f]

    git(secretariat, "pull", "-q", "--rebase")
    # Two commits came in, each changing only its department's own folder.
    log = git(secretariat, "log", "-2", "--format=%an", "--name-only").split()
    assert sorted(zip(log[::2], log[1::2], strict=True)) == [
        (code, f"responses/{CATEGORY}/{code}/self-evaluation.yaml") for code in ("BZ", "DEF")
    ]
    result = CliRunner().invoke(app, ["aggregate", "-w", str(secretariat)])
    assert result.exit_code == 0, result.output
    report = (secretariat / "reports/integrated-report.md").read_text("utf-8")
    assert "Geschreven op de machine van BZ." in report
    assert "Geschreven op de machine van DEF." in report
