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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace

#: Address-space limit for a child process (bytes): a document that expanded in
#: memory (an alias bomb) would die with MemoryError instead of swapping.
MEMORY_LIMIT = 1536 * 1024 * 1024
#: Seconds before a child is considered hung. A guard only: no test asserts a duration.
HANG_GUARD = 120

_RESPONSES = "responses/falende-staten"
#: Files of the worked example the commands read, by kind (paths relative to the workspace).
EXERCISE = "selfeval.yaml"
SELF_EVALUATION = "questionnaires/self-evaluation-1.0.0.yaml"
PEER_REVIEW_1 = "questionnaires/peer-review-1-1.0.0.yaml"
DEF_SELF_EVALUATION = f"{_RESPONSES}/DEF/self-evaluation.yaml"
NCTB_PEER_REVIEW = f"{_RESPONSES}/NCTb/peer-review-1.yaml"
DRAFT = "reports/draft.yaml"


def registered_commands() -> set[str]:
    """Names of the commands the CLI has right now."""
    group = typer.main.get_command(app)
    return set(getattr(group, "commands", {}))


@dataclass(frozen=True)
class Command:
    """A command that reads workspace files, and how to make it read them.

    Attributes:
        name: the command's name.
        args: the arguments after the command name (``{ws}`` is replaced by
            the workspace folder); ``--workspace`` is added.
        reads: kind → path (relative to the workspace) of each file it reads:
            ``exercise``, ``questionnaire``, ``response``, ``answers``
            (given with ``--answers``), ``draft`` (``reports/draft.yaml``).
    """

    name: str
    args: tuple[str, ...]
    reads: dict[str, str]

    def argv(self, root: Path) -> list[str]:
        """The full command line after ``selfeval`` for the workspace ``root``."""
        args = [a.replace("{ws}", str(root)) for a in self.args]
        return [self.name, *args, "--workspace", str(root)]

    def __str__(self) -> str:
        return self.name


_SHARED = {"exercise": EXERCISE, "questionnaire": SELF_EVALUATION, "response": DEF_SELF_EVALUATION}

#: Every command that reads files. Adding a command is one entry here.
COMMANDS = [
    Command("validate", (), _SHARED),
    Command("status", (), _SHARED),
    Command("aggregate", ("--include-drafts",), _SHARED),
    Command("export", ("--include-drafts", "-o", "{ws}/export-out"), _SHARED),
    Command(
        "questionnaire",
        ("show", "self-evaluation"),
        {"exercise": EXERCISE, "questionnaire": SELF_EVALUATION},
    ),
    Command(
        "fill",
        ("--participant", "DEF", "--answers", "{ws}/answers/DEF-self-evaluation.yaml"),
        {**_SHARED, "answers": "answers/DEF-self-evaluation.yaml"},
    ),
    Command(
        "peer-review",
        ("--participant", "NCTb", "--answers", "{ws}/answers/NCTb-peer-review-1.yaml"),
        {
            "exercise": EXERCISE,
            "questionnaire": PEER_REVIEW_1,
            "response": NCTB_PEER_REVIEW,
            "answers": "answers/NCTb-peer-review-1.yaml",
            "draft": DRAFT,
        },
    ),
]


def targets(*kinds: str) -> list[Any]:
    """``pytest.param(command, kind)`` for every command and each kind of file it reads."""
    params = []
    for command in COMMANDS:
        for kind in command.reads:
            if not kinds or kind in kinds:
                params.append(pytest.param(command, kind, id=f"{command.name}-{kind}"))
    return params


def require(command: Command) -> None:
    """Skip the test when ``command`` is not on the CLI yet."""
    if command.name not in registered_commands():
        pytest.skip(f"`selfeval {command.name}` does not exist yet")


def make_template(folder: Path) -> Path:
    """The worked example rebuilt from its answer files with the real commands.

    BZ's and Defensie's self-evaluations are filled and submitted, the draft
    report made, NCTb's peer review filled (not submitted); then Defensie's
    self-evaluation is turned back into a draft, so ``fill`` may continue it.
    Built once per test session; each test works on a copy. Steps whose
    command does not exist yet are left out.
    """
    root = folder / "ws"
    init_workspace(root, example=True)
    shutil.rmtree(root / "responses")
    (root / "responses").mkdir()
    shutil.rmtree(root / "reports", ignore_errors=True)
    answers = root / "answers"
    steps = [
        ["fill", "-p", "BZ", "--answers", f"{answers}/BZ-self-evaluation.yaml", "--submit"],
        ["fill", "-p", "DEF", "--answers", f"{answers}/DEF-self-evaluation.yaml", "--submit"],
        ["aggregate", "--draft"],
        ["peer-review", "-p", "NCTb", "--answers", f"{answers}/NCTb-peer-review-1.yaml"],
    ]
    available = registered_commands()
    for step in steps:
        if step[0] in available:
            result = CliRunner().invoke(app, [*step, "--workspace", str(root)])
            assert result.exit_code == 0, (step, result.output)
    path = root / DEF_SELF_EVALUATION
    if path.exists():
        data = yamlio.load(path)
        data["status"] = "draft"
        data.pop("submitted_at", None)
        yamlio.write(path, data, fsync=False)
    return root


def copy_workspace(template: Path, target: Path) -> Path:
    """A fresh copy of the template workspace at ``target``."""
    shutil.copytree(template, target)
    return target


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
