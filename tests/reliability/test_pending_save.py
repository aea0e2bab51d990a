"""An answer still being written when the next prompt is built is never lost.

``fill`` writes each answer in a background thread while it builds the next
prompt (``docs/performance.md``). Here that write is held just before its
rename (a wrapper around ``os.replace``, released by the test through a
file), so each test knows the answer is not on disk yet, and then checks
what the respondent sees and what ends up on disk: the next prompt is drawn
only after the write, Ctrl-C during the write keeps the answer, and a process
that ends with a write pending finishes it first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import spawnkit
from fillkit import mini_workspace, response_of
from reliakit import HANG_GUARD

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and a pty")

#: Holds the first background write before its rename until the file ``release`` exists.
_HOLD = """\
import os, sys, threading, time
from pathlib import Path

held, release = Path(sys.argv[1]), Path(sys.argv[2])
_replace = os.replace

def say(line):
    # One write per line: the main thread and the held save both speak, and print()
    # writes a line and its newline apart ("SAVE HELDmain done" was read once).
    os.write(1, (line + "\\n").encode())

def replace(src, dst):
    if threading.current_thread() is threading.main_thread() or held.exists():
        return _replace(src, dst)
    held.write_text("held")
    say("SAVE HELD")
    deadline = time.monotonic() + 120  # a hang guard only
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    _replace(src, dst)
    say("RENAMED")

os.replace = replace
"""

_FILL = (
    _HOLD
    + """
from selfeval.cli import main
sys.argv[:] = ["selfeval", *sys.argv[3:]]
main()
"""
)

_SAVE_AND_END = (
    _HOLD
    + """
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace

store = ResponseStore(Workspace(Path(sys.argv[3])), "DEP1", "mini")
store.open()
store.answers["name"] = "Financiën"
store.save(background=True)
say("main done")
"""  # the main thread ends here: the write is held, the store never closed
)

#: What the mini questionnaire's long-text prompt draws once it is live.
LIVE_LONG_TEXT = "›"


def _spawn_fill(tmp_path: Path) -> tuple[pexpect.spawn, Path, Path]:
    ws = mini_workspace(tmp_path / "ws")
    script = tmp_path / "hold_fill.py"
    script.write_text(_FILL, encoding="utf-8")
    held, release = tmp_path / "held", tmp_path / "release"
    env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"  # pexpect does not answer cursor-position requests
    env.update(COLUMNS="160", LINES="24")
    child = spawnkit.spawn(
        sys.executable,
        [str(script), str(held), str(release), "fill", "-p", "DEP1", "-q", "mini", "--lang", "en"],
        cwd=str(ws),
        env=env,
        encoding="utf-8",
        dimensions=(24, 160),
        timeout=30,  # a hang guard only
    )
    child.expect("Press Enter to begin")  # under the opening panel
    child.send("\r")
    return child, ws, release


def _on_disk(ws: Path) -> dict:
    path = ws / "responses" / "mijn-incidentcategorie" / "DEP1" / "mini.yaml"
    return response_of(ws)["answers"] if path.exists() else {}


def test_the_next_prompt_is_drawn_only_once_the_answer_is_on_disk(tmp_path: Path) -> None:
    child, ws, release = _spawn_fill(tmp_path)
    child.expect(r"Name \*")
    child.send("Financiën\r")
    child.expect("SAVE HELD")
    assert _on_disk(ws) == {}  # held: not written yet
    release.touch()
    # Whatever else was printed meanwhile, the live prompt comes after the rename.
    assert child.expect(["RENAMED", LIVE_LONG_TEXT]) == 0
    child.expect(LIVE_LONG_TEXT)
    assert _on_disk(ws) == {"name": "Financiën"}
    child.send("\x03")
    child.expect("Interrupted. Every answer given is saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_ctrl_c_while_an_answer_is_being_written_keeps_it(tmp_path: Path) -> None:
    child, ws, release = _spawn_fill(tmp_path)
    child.expect(r"Name \*")
    child.send("Financiën\r")
    child.expect("SAVE HELD")
    assert _on_disk(ws) == {}
    child.send("\x03")  # while the write is held
    release.touch()
    child.expect("Interrupted. Every answer given is saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _on_disk(ws) == {"name": "Financiën"}
    assert not list((ws / "responses").rglob(".*.tmp"))


def test_a_process_that_ends_with_a_write_pending_finishes_it(tmp_path: Path) -> None:
    ws = mini_workspace(tmp_path / "ws")
    script = tmp_path / "save_and_end.py"
    script.write_text(_SAVE_AND_END, encoding="utf-8")
    held, release = tmp_path / "held", tmp_path / "release"
    child = subprocess.Popen(
        [sys.executable, str(script), str(held), str(release), str(ws)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        lines = {child.stdout.readline().strip() for _ in range(2)}
        if lines != {"SAVE HELD", "main done"}:
            child.kill()  # before reading its stderr: the held save would wait for the guard
            _, err = child.communicate(timeout=HANG_GUARD)
            pytest.fail(f"the child said {lines!r}, not its two lines; stderr: {err}")
        assert _on_disk(ws) == {}  # the main thread is done; the write is still held
        release.touch()
        out, err = child.communicate(timeout=HANG_GUARD)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=HANG_GUARD)
    assert child.returncode == 0, err
    assert "RENAMED" in out
    assert _on_disk(ws) == {"name": "Financiën"}
