"""Real git for tests: an environment free of the machine's configuration, and a runner."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The worked example's incident category (its responses/ folder).
CATEGORY = "falende-staten"


def git_env() -> dict[str, str]:
    """An environment in which git ignores the machine's own configuration."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        PYTHONPATH=str(REPO),
    )
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    return env


def git(cwd: Path, *args: str, who: str = "secretariaat", check: bool = True) -> str:
    """Run ``git`` in ``cwd`` as ``who``.

    Returns its stdout; with ``check=False`` its stdout and stderr, whatever
    the exit status (else a failing git fails the test).
    """
    result = subprocess.run(
        [
            "git",
            "-c", f"user.name={who}",
            "-c", f"user.email={who.lower()}@example.org",
            "-c", "init.defaultBranch=main",
            "-c", "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        env=git_env(),
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if not check:
        return result.stdout + result.stderr
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout
