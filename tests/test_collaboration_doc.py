"""docs/collaboration.md is followed, command by command, with real git.

Every ```sh block of the page runs, in order, in one empty folder (each block
starts there), with ``selfeval`` on the PATH and git free of the machine's own
configuration. A block that fails fails the test, naming the block.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitkit import REPO, git_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

DOC = REPO / "docs" / "collaboration.md"


def shell_blocks() -> list[str]:
    """The ```sh blocks of the page, in order."""
    return re.findall(r"^```sh\n(.*?)^```$", DOC.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def test_the_page_has_the_steps() -> None:
    blocks = shell_blocks()
    assert len(blocks) >= 6
    text = "\n".join(blocks)
    for step in ("git pull -q --rebase", "git push", "selfeval aggregate", "selfeval import"):
        assert step in text


@pytest.mark.slow  # ~10 s of real git; tests/test_git_workflow.py covers the workflow by default
def test_collaboration_doc_commands_run(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "selfeval"
    shim.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "from selfeval.cli import main; main()" "$@"\n',
        "utf-8",
    )
    shim.chmod(0o755)
    env = git_env()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    base = tmp_path / "work"
    base.mkdir()
    outputs = []
    for number, block in enumerate(shell_blocks(), 1):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=base,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (
            f"block {number} of {DOC.name} failed:\n{block}\n{result.stdout}{result.stderr}"
        )
        outputs.append(result.stdout)
    secretariat = base / "falende-staten"
    # Both departments' answers reached the secretariat's draft report.
    draft = (secretariat / "reports/integrated-report-draft.md").read_text("utf-8")
    assert "BZ" in draft and "Defensie" in draft
    log = subprocess.run(
        ["git", "log", "--format=%an", "--name-only"],
        cwd=secretariat, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "responses/falende-staten/BZ/self-evaluation.yaml" in log
    assert "responses/falende-staten/DEF/self-evaluation.yaml" in log
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=secretariat, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in tracked if f.endswith((".lock", ".tmp")) or f.startswith(".selfeval")]
    assert "CODEOWNERS" in "".join(outputs) or (secretariat / "CODEOWNERS").is_file()
