"""kill -9 while saving never leaves half a file; two processes on one response cannot both write.

The kill test runs a small child that opens the response with
:class:`selfeval.files.store.ResponseStore` (what ``fill`` and ``peer-review`` use)
and saves in a loop, each save a different size, and kills it with SIGKILL
at a random moment, many times over. After every kill the response must load
and validate: it is a complete earlier or later version, never a mix. The
default run kills a few times (each kill lands in a different write, as the
saves differ in size); the ``slow`` tier (``pytest -m slow``) kills fifty times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from reliakit import COMMANDS, DEF_SELF_EVALUATION, HANG_GUARD, NCTB_PEER_REVIEW, Command, require
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files.load import load_response
from selfeval.files.workspace import Workspace
from selfeval.model.answers import check_answers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")

#: Kills in the default run, and in the slow tier. The waits before each kill come from a
#: seeded generator (0.12, 0.19, 0.06, 0.22 s for the first four), so the default run's
#: kills land after some saves every time; the slow tier's fifty cover the rest.
KILLS, MANY_KILLS = 4, 50

_SAVER = """\
import random, sys
from pathlib import Path
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace

store = ResponseStore(Workspace(Path(sys.argv[1])), sys.argv[2], sys.argv[3])
store.open()
count = 0
print("open", flush=True)
while True:
    count += 1
    answers = dict(store.answers)
    # Sizes from a few bytes to ~0.5 MB, so a kill can land in any part of a write.
    answers["remarks"] = f"save {count}\\n" + "Financiën " * random.randint(0, 50_000)
    store.save(answers)
"""


def _start(argv: list[str], children: list[subprocess.Popen[Any]]) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    children.append(child)
    return child


def _wait_for(child: subprocess.Popen[str], word: str) -> None:
    assert child.stdout is not None
    line = child.stdout.readline()  # the child prints it once the store is open
    assert line.strip() == word, (line, child.stderr.read() if child.poll() is not None else "")


# Slow tier: kill -9 during fill is proved by default in tests/test_fill_pty.py
# (test_kill_9_leaves_the_last_saved_draft_intact); this is the store's own loop, once.
@pytest.mark.slow
def test_kill_9_while_saving_leaves_a_whole_file(
    ws: Path, child_processes: list[subprocess.Popen[Any]]
) -> None:
    _kill_while_saving(ws, child_processes, KILLS)


@pytest.mark.slow
def test_kill_9_while_saving_many_times_leaves_a_whole_file(
    ws: Path, child_processes: list[subprocess.Popen[Any]]
) -> None:
    _kill_while_saving(ws, child_processes, MANY_KILLS)


def _kill_while_saving(ws: Path, child_processes: list[subprocess.Popen[Any]], kills: int) -> None:
    workspace = Workspace(ws)
    path = ws / DEF_SELF_EVALUATION
    questionnaire = workspace.questionnaire("self-evaluation").questionnaire
    rng = random.Random(20060516)
    seen: set[str] = set()
    for _ in range(kills):
        child = _start([_SAVER, str(ws), "DEF", "self-evaluation"], child_processes)
        # The lock of the previous, killed child must not stand in the way.
        _wait_for(child, "open")
        time.sleep(rng.uniform(0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=HANG_GUARD)
        assert child.returncode == -signal.SIGKILL
        response = load_response(path)  # raises on a partial or mixed file
        assert check_answers(questionnaire, response.answers) == []
        remarks = response.answers.get("remarks", "")
        if remarks.startswith("save "):
            seen.add(remarks.split("\n", 1)[0])
    # The kills landed after some saves: the file holds children's saves, not just the fixture's.
    assert seen
    leftovers = list(path.parent.glob(".*.tmp"))
    result = CliRunner().invoke(app, ["validate", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    for tmp in leftovers:  # a kill between write and rename: reported, never harmful
        assert f"Warning: {tmp}: a temporary file left by an interrupted save" in result.stderr


_HOLDER = """\
import sys
from pathlib import Path
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace

with ResponseStore(Workspace(Path(sys.argv[1])), sys.argv[2], sys.argv[3]):
    print("locked", flush=True)
    sys.stdin.readline()
"""

#: Commands that change a response: (command, participant, questionnaire) of the one they change.
CHANGERS = [
    pytest.param(c, *owner, id=c.name)
    for c in COMMANDS
    for name, owner in (
        ("fill", ("DEF", "self-evaluation")),
        ("peer-review", ("NCTb", "peer-review-1")),
    )
    if c.name == name
]


@pytest.mark.parametrize(("command", "code", "qid"), CHANGERS)
def test_second_process_on_the_same_response_is_refused(
    ws: Path,
    command: Command,
    code: str,
    qid: str,
    child_processes: list[subprocess.Popen[Any]],
) -> None:
    require(command)
    path = Workspace(ws).response_path(code, qid)
    before = path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(ws), code, qid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    child_processes.append(holder)
    _wait_for(holder, "locked")
    result = CliRunner().invoke(app, command.argv(ws))
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert "is being changed by another selfeval process" in result.stderr
    assert f"lock file {Workspace(ws).lock_path(code, qid)}" in result.stderr
    assert path.read_bytes() == before
    holder.communicate("done\n", timeout=HANG_GUARD)
    # Once the first process is done, the second may go ahead.
    again = CliRunner().invoke(app, command.argv(ws))
    assert again.exit_code == 0, again.output


def test_two_fills_on_different_responses_both_succeed(ws: Path) -> None:
    fill = next(c for c in COMMANDS if c.name == "fill")
    require(fill)
    # --reopen reopens only on a real change, so BZ's file changes one answer.
    change = ws / "bz-change.yaml"
    change.write_text("completed_by: J. Jansen, Buitenlandse Zaken\n", "utf-8")
    bz = ["-p", "BZ", "--reopen", "--answers", str(change)]
    argvs = [
        fill.argv(ws),  # DEF continues its draft
        ["fill", *bz, "--workspace", str(ws)],  # BZ reopens its submitted self-evaluation
    ]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", "from selfeval.cli import main; main()", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    for child in children:
        out, err = child.communicate(timeout=HANG_GUARD)
        assert child.returncode == 0, out + err
    for code in ("DEF", "BZ"):
        response = load_response(Workspace(ws).response_path(code, "self-evaluation"))
        assert response.status == "draft"
    assert load_response(ws / DEF_SELF_EVALUATION).answers
    assert (ws / NCTB_PEER_REVIEW).exists()
