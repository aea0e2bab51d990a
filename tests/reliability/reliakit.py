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
#: ``RELIABILITY_HANG_GUARD`` lowers it (checking that a hang test fails before a fix).
HANG_GUARD = int(os.environ.get("RELIABILITY_HANG_GUARD", "120"))

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


def run_in_process(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``selfeval`` in this process (typer's CliRunner), answered as :func:`run_selfeval` is.

    For hostile input that cannot hang or fill memory (a folder or a link where a
    file should be, a tag the loader refuses): the same command and words as in a
    child, without a child's start-up. A named pipe, ``/dev/zero``, a huge or deeply
    nested file go through :func:`run_selfeval` (its hang guard and memory limit).

    Returns:
        The exit code and what the command wrote to stdout and stderr.

    Raises:
        AssertionError: an exception escaped the CLI's error boundary (a child would
            have printed a traceback).
    """
    result = invoke(CliRunner(), argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return subprocess.CompletedProcess(
        ["selfeval", *argv], result.exit_code, result.stdout, result.stderr
    )


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_selfeval(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``selfeval`` in a child process with bounded memory and a hang guard.

    The child is forked from a server process that has imported the CLI once
    (multiprocessing's ``forkserver`` with ``selfeval.cli`` preloaded): what
    the child runs, and the limits it runs under, are those of a fresh
    ``selfeval`` process, without paying the interpreter's and the imports'
    start-up for each of the hostile files. Nothing of selfeval has run in the
    server: it only imported the modules.

    Returns:
        The exit code and what the child wrote to stdout and stderr.

    Raises:
        subprocess.TimeoutExpired: the child ran longer than :data:`HANG_GUARD`
            seconds (it is killed).
    """
    import tempfile

    context = _forkserver()
    with tempfile.TemporaryDirectory(prefix="selfeval-child-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        child = context.Process(target=_run_child, args=(argv, str(out), str(err)))
        child.start()
        child.join(HANG_GUARD)
        if child.is_alive():
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired(["selfeval", *argv], HANG_GUARD)
        assert isinstance(child.exitcode, int)
        returncode = child.exitcode  # negative: killed by that signal, as subprocess says
        stdout = out.read_text("utf-8", errors="replace") if out.exists() else ""
        stderr = err.read_text("utf-8", errors="replace") if err.exists() else ""
    return subprocess.CompletedProcess(["selfeval", *argv], returncode, stdout, stderr)


_FORKSERVER: Any = None


def _forkserver() -> Any:
    """The ``forkserver`` context whose server has imported ``selfeval.cli`` (started once)."""
    global _FORKSERVER
    if _FORKSERVER is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["selfeval.cli", "reliakit"])
        _FORKSERVER = context
    return _FORKSERVER


def _run_child(argv: list[str], out: str, err: str) -> None:  # pragma: no cover - in the child
    """In the forked child: the limits, stdio and environment of a fresh ``selfeval`` run."""
    import faulthandler
    import io

    _limit_memory()
    os.environ["COLUMNS"] = "200"
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, name in ((1, out), (2, err)):
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
    )
    faulthandler.enable()
    sys.argv = ["selfeval", *argv]
    from selfeval.cli import main

    code: Any = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        sys.stderr.flush()
        code = 1
    os._exit(code)
