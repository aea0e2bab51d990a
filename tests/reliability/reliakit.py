"""Helpers for the reliability suite (issue 6).

:data:`COMMANDS` lists every command that reads files, with the command line
that makes it read them; a test parametrised over it covers a new command by
adding one entry here. A command not (yet) registered on the CLI is skipped
with the reason, so the suite can be written before the command exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from selfeval import yamlio
from selfeval.cli import app
from selfeval.scaffold import init_workspace
from selfeval.workspace import Workspace

#: The participant and questionnaire whose response the suite corrupts, fills, kills.
CODE = "DEF"
QID = "peer-review-1"
#: A complete, valid set of answers to peer-review-1 1.0.0.
ANSWERS: dict[str, Any] = {"recognition": "fully", "completed_by": "A. de Vries"}

#: Address-space limit for a child process (bytes): a document that expanded in
#: memory (an alias bomb) would die with MemoryError instead of swapping.
MEMORY_LIMIT = 1536 * 1024 * 1024
#: Seconds before a child is considered hung. A guard only: no test asserts a duration.
HANG_GUARD = 120


def registered_commands() -> set[str]:
    """Names of the commands the CLI has right now."""
    group = typer.main.get_command(app)
    return set(getattr(group, "commands", {}))


@dataclass(frozen=True)
class Command:
    """A command that reads workspace files, and how to make it read them.

    Attributes:
        name: the command's name.
        argv: builds the arguments after ``selfeval`` from (workspace, answers file).
        reads: which files the command reads: ``exercise``, ``questionnaire``,
            ``response`` (DEF's peer-review-1 response) and/or ``answers``
            (the file given with ``--answers``).
    """

    name: str
    argv: Callable[[Path, Path], list[str]]
    reads: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


COMMANDS = [
    Command(
        "validate",
        lambda ws, answers: ["validate", "--workspace", str(ws)],
        ("exercise", "questionnaire", "response"),
    ),
    Command(
        "status",
        lambda ws, answers: ["status", "--workspace", str(ws)],
        ("exercise", "questionnaire", "response"),
    ),
]


def targets(*kinds: str) -> list[Any]:
    """``pytest.param(command, target)`` for every command and each file it reads."""
    params = []
    for command in COMMANDS:
        for target in command.reads:
            if not kinds or target in kinds:
                params.append(pytest.param(command, target, id=f"{command.name}-{target}"))
    return params


def require(command: Command) -> None:
    """Skip the test when ``command`` is not on the CLI yet."""
    if command.name not in registered_commands():
        pytest.skip(f"`selfeval {command.name}` does not exist yet")


def response_data(root: Path, code: str = CODE, qid: str = QID, **fields: Any) -> dict[str, Any]:
    """A valid response as ``fill`` writes it, pinned to the workspace's questionnaire."""
    loaded = Workspace(root).questionnaire(qid)
    return {
        "questionnaire": {"id": qid, "version": loaded.questionnaire.version, "hash": loaded.hash},
        "participant": code,
        "incident_category": "falende-staten",
        "status": "draft",
        "started_at": "2026-05-01T09:00:00Z",
        "updated_at": "2026-05-02T10:30:00Z",
        **fields,
        "answers": dict(ANSWERS),
    }


@dataclass
class Files:
    """The workspace of one test and the files the commands read.

    Attributes:
        root: the workspace folder.
        exercise, questionnaire, response, answers: the files by kind.
    """

    root: Path
    exercise: Path
    questionnaire: Path
    response: Path
    answers: Path

    def path(self, kind: str) -> Path:
        """The file of ``kind`` (``exercise``, ``questionnaire``, ``response``, ``answers``)."""
        return getattr(self, kind)  # type: ignore[no-any-return]


def make_files(tmp_path: Path) -> Files:
    """The worked example's exercise and questionnaires, one draft response and an answers file."""
    root = tmp_path / "ws"
    init_workspace(root, example=True)
    shutil.rmtree(root / "responses")
    (root / "responses").mkdir()
    workspace = Workspace(root)
    response = workspace.response_path(CODE, QID)
    yamlio.write(response, response_data(root), fsync=False)
    answers = tmp_path / "answers.yaml"
    yamlio.write(answers, dict(ANSWERS), fsync=False)
    return Files(
        root=root,
        exercise=workspace.exercise_path,
        questionnaire=workspace.questionnaire(QID).path,
        response=response,
        answers=answers,
    )


def invoke(runner: CliRunner, argv: list[str]) -> Any:
    """Run the CLI in-process, with no terminal and an empty stdin."""
    return runner.invoke(app, argv, input="", env={"COLUMNS": "200"})


def assert_refused_cleanly(result: Any, path: Path, *, line: bool = True) -> None:
    """Exit 1, no traceback, one error that names ``path`` (and a line when ``line``)."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    # An exception that escaped the CLI's error boundary also makes CliRunner exit 1.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 1, output
    pattern = re.escape(str(path)) + (r":\d+" if line else r"(:|\b)")
    assert re.search(pattern, result.stderr), result.stderr
    assert result.stderr.count("Error:") == 1, result.stderr


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_selfeval(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``selfeval`` in a child process with bounded memory and a hang guard."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONFAULTHANDLER": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from selfeval.cli import main; main()", *argv],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        preexec_fn=_limit_memory,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
        **kwargs,
    )
