"""`selfeval fill` end to end in a real pseudo-terminal (pexpect, test tier 4)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pexpect
import pytest
import spawnkit
from fillkit import mini_workspace, response_of

from selfeval.files import yamlio
from selfeval.files.load import load_response

DOWN = "\x1b[B"
ENTER = "\r"
ESC_ENTER = "\x1b\r"
CTRL_C = "\x03"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


#: The prompt under the opening panel: it waits for Enter, so the panel can be read first.
BEGIN = r"Press Enter to begin|Druk op Enter om te beginnen"


def begin(child: pexpect.spawn) -> None:
    """Wait for the opening panel's prompt and press Enter."""
    child.expect(BEGIN)
    child.send(ENTER)


def spawn(
    ws: Path, *args: str, width: int = 160, mini: bool = True, opening: bool = True
) -> pexpect.spawn:
    """``selfeval fill`` in a pseudo-terminal; with ``opening``, past the opening panel."""
    exe = shutil.which("selfeval")
    assert exe, "selfeval is not on PATH"
    # pexpect does not answer cursor-position requests; without this prompt_toolkit
    # waits for each answer before drawing (a real terminal answers at once).
    env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    # The terminal's size, not the test runner's (pytest-xdist workers set COLUMNS=80).
    env.update(COLUMNS=str(width), LINES="24")
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = spawnkit.spawn(
        exe,
        ["fill", "-p", "DEP1", *(["-q", "mini", "--lang", "en"] if mini else []), *args],
        cwd=str(ws),
        env=env,
        encoding="utf-8",
        dimensions=(24, width),
        timeout=20,
    )
    if opening:
        begin(child)
    return child


def wrapped(text: str) -> str:
    """A pattern for ``text`` as a terminal shows it: maybe wrapped, maybe styled."""
    gap = r"(?:\s|\x1b\[[0-9;]*m)+"
    return gap.join(re.escape(word) for word in text.split())


#: What a multi-line prompt shows once it is live. The question and the
#: "Enter on an empty line" hint above it are printed before prompt_toolkit puts the
#: terminal in raw mode; keys sent then are cooked by the line discipline
#: (Esc echoes as ``^[`` and is never seen as Esc).
LIVE_LONG_TEXT = "›"


def answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    """Wait until ``prompt`` is on screen, then type ``keys``.

    ``prompt`` must be drawn by the prompt itself (a questionary message), so
    the terminal is already in raw mode; for a multi-line answer use
    :func:`answer_long`.
    """
    child.expect(prompt)
    child.send(keys)


def answer_long(child: pexpect.spawn, question: str, keys: str) -> None:
    """Wait for a multi-line question and then for its live prompt, then type ``keys``."""
    child.expect(question)
    child.expect(LIVE_LONG_TEXT)
    child.send(keys)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return mini_workspace(tmp_path / "ws")


# Slow tier: tests/test_fill_pty_walk.py walks a whole self-evaluation to submission in a pty by default.
@pytest.mark.slow
def test_fill_a_whole_questionnaire_in_a_terminal_and_submit(ws: Path) -> None:
    child = spawn(ws)
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(
        child, "Enter on an empty line finishes", "1.10" + ENTER + "Defensie: ja" + ENTER + ENTER
    )
    answer(child, "Count", "7" + ENTER)
    answer(child, r"Agree \*", ENTER)  # Yes: why_not is not asked
    answer(child, r"Level \*", DOWN + ENTER)
    answer(child, "Partners", " " + ENTER)
    answer(child, "Points: 0 filled in", ENTER)  # Add point
    answer(child, r"\[Point 1\] Title \*", "NO" + ENTER)
    answer(child, r"\[Point 1\] Year", "2006" + ENTER)
    answer(child, "Points: 1 filled in", DOWN + ENTER)  # Done: always second, ↓ Enter
    answer(child, r"Date \*", "2006-05-16" + ENTER)
    child.expect("Your answers")
    answer(child, "What would you like to do", ENTER)  # Submit
    answer(child, "Submit now", "y" + ENTER)
    child.expect(r"Submit now\? .*Yes")
    child.expect(r"Submitted \(")
    assert finish(child) == 0
    assert "Why not" not in (child.before or "")
    data = response_of(ws)
    assert data["status"] == "submitted"
    assert data["answers"] == {
        "name": "Financiën",
        "remark": "1.10\nDefensie: ja",
        "count": 7,
        "agree": True,
        "level": "mid",
        "partners": ["DEP2"],
        "points": [{"title": "NO", "year": 2006}],
        "signed_on": "2006-05-16",
    }


# Slow tier: the default tier's pty walk (tests/test_fill_pty_walk.py) presses Ctrl-C and resumes.
@pytest.mark.slow
def test_ctrl_c_saves_and_a_rerun_resumes_at_the_next_item(ws: Path) -> None:
    child = spawn(ws)
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(child, "Enter on an empty line finishes", "één" + ESC_ENTER)  # Esc Enter: still
    answer(child, "Count", "3" + ENTER)
    answer(child, r"Agree \*", CTRL_C)
    child.expect(r"Interrupted. Every answer given is saved \(")
    child.expect("Resume with: selfeval fill --participant DEP1 --questionnaire mini --lang en")
    assert finish(child) == 130
    assert response_of(ws)["answers"] == {"name": "Financiën", "remark": "één", "count": 3}

    child = spawn(ws)
    style = r"(?:\x1b\[[0-9;]*m)*"  # the count is in colour
    child.expect(rf"Draft of .*:{style}\r*\n  {style}3 of 8 questions answered, required 1/4")
    answer(child, "Continue where you left off", ENTER)
    child.expect(r"Agree \*")
    assert "Name" not in (child.before or "")
    child.send(DOWN + ENTER)  # No: now why_not is asked
    answer(child, "Why not", "geen tijd" + ENTER)
    answer(child, r"Level \*", "\x04")  # Ctrl-D stops as well
    child.expect("Resume with:")
    assert finish(child) == 130
    assert response_of(ws)["answers"] == {
        "name": "Financiën",
        "remark": "één",
        "count": 3,
        "agree": False,
        "why_not": "geen tijd",
    }


def test_kill_9_leaves_the_last_saved_draft_intact(ws: Path) -> None:
    child = spawn(ws)
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(child, "Enter on an empty line finishes", "half getypt")
    child.kill(signal.SIGKILL)
    child.close(force=True)
    path = ws / "responses/mijn-incidentcategorie/DEP1/mini.yaml"
    response = load_response(path)
    assert response.answers == {"name": "Financiën"}
    assert not list(path.parent.glob(".mini.yaml.*.tmp"))
    # the lock died with the process: the next run gets in
    child = spawn(ws)
    child.expect("Continue where you left off")
    child.send(CTRL_C)
    assert finish(child) == 130


def test_long_questions_of_the_shipped_questionnaire_show_in_an_80_column_terminal(
    tmp_path: Path,
) -> None:
    from selfeval.files.scaffold import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    child = spawn(ws, width=80, mini=False)
    child.expect(wrapped("Hoe omschrijft uw departement de incidentcategorie?"))
    answer_long(
        child,
        wrapped("Enter op een lege regel rondt af"),
        "Staten die hun kerntaken niet meer uitvoeren." + ESC_ENTER,
    )
    child.expect(wrapped("Welke oorzaken onderscheidt uw departement?"))
    child.send(CTRL_C)
    child.expect(r"Onderbroken. Elk gegeven antwoord is bewaard \(")
    child.expect("Verder met: selfeval fill --participant DEP1")
    assert finish(child) == 130
    data = yamlio.load(ws / "responses/mijn-incidentcategorie/DEP1/self-evaluation.yaml")
    assert data["answers"] == {"definition": "Staten die hun kerntaken niet meer uitvoeren."}


def test_reopen_then_ctrl_c_at_the_first_menu_leaves_it_submitted(ws: Path) -> None:
    from typer.testing import CliRunner

    from selfeval.cli import app

    answers = ws / "a.yaml"
    answers.write_text("name: x\nagree: true\nlevel: low\nsigned_on: 2006-05-16\n", "utf-8")
    args = ["fill", "-w", str(ws), "-p", "DEP1", "-q", "mini", "--answers", str(answers)]
    assert CliRunner().invoke(app, [*args, "--submit"]).exit_code == 0
    path = ws / "responses/mijn-incidentcategorie/DEP1/mini.yaml"
    before = path.read_bytes()
    child = spawn(ws, "--reopen")
    child.expect("It stays submitted until you change an answer")
    answer(child, "What would you like to do", CTRL_C)
    child.expect("Nothing changed: your answers are still submitted.")
    assert finish(child) == 130
    assert path.read_bytes() == before
    assert not list(path.parent.glob("mini.submitted-*"))
