"""A round-1 peer review in a real pseudo-terminal: disagree with a comment, Ctrl-C, resume."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from selfeval.files import yamlio

sys.path.insert(0, str(Path(__file__).parent))
from test_peer_review import CATEGORY, fresh_example

DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"
FINISH_LONG_TEXT = "\x1b\r"  # Esc then Enter ends a multi-line answer
#: A multi-line prompt is live (the terminal in raw mode) once it shows this;
#: its question is printed above it before that, and Esc sent then is lost.
LIVE_LONG_TEXT = "›"


def spawn(workspace: Path) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40", "NO_COLOR": "1"}
    # pexpect does not answer cursor-position requests; without this prompt_toolkit
    # waits for each answer before drawing (a real terminal answers at once).
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = pexpect.spawn(
        sys.executable,
        ["-c", "from selfeval.cli import main; main()",
         "peer-review", "--participant", "DEF", "--workspace", str(workspace), "--lang", "en"],
        env=env, encoding="utf-8", timeout=30, dimensions=(40, 120),
    )  # fmt: skip
    return child


def test_round_1_review_in_a_terminal_with_ctrl_c_and_resume(tmp_path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a POSIX pseudo-terminal")
    ws = fresh_example(tmp_path / "example")

    child = spawn(ws)
    child.expect_exact("[1/3] Role: BZ")
    child.expect_exact("Your reaction to this finding")
    child.send(ENTER)  # Agree
    child.expect_exact("[2/3] Role: BZK")
    child.expect_exact("BZ: BZK is betrokken bij wederopbouw.")
    child.expect_exact("Your reaction to this finding")
    child.send(DOWN + DOWN)
    child.send(ENTER)  # Disagree
    child.expect_exact("Comment: what is not (quite) right?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send("BZK is niet betrokken bij wederopbouw.")
    child.send(FINISH_LONG_TEXT)
    child.expect_exact("Proposed correction")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(CTRL_C)
    child.expect_exact("Interrupted.")
    child.expect_exact("Resume with: selfeval peer-review --participant DEF")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    path = ws / "responses" / CATEGORY / "DEF" / "peer-review-1.yaml"
    saved = yamlio.load(path)
    assert saved["status"] == "draft"
    assert [(r["finding"], r["verdict"]) for r in saved["reactions"]] == [
        ("role.BZ", "agree"), ("role.BZK", "disagree"),
    ]  # fmt: skip
    assert saved["reactions"][1]["comment"] == "BZK is niet betrokken bij wederopbouw."

    child = spawn(ws)
    # Resume: the two reactions given are not asked again.
    child.expect_exact("1 to go")
    child.expect_exact("[3/3] Need/ambition: Afstemming met de Wereldbank")
    child.expect_exact("Your reaction to this finding")
    child.send(DOWN + DOWN + DOWN)
    child.send(ENTER)  # No opinion
    child.expect_exact("Your reactions")
    child.expect_exact("To what extent does your department recognise")
    child.send(DOWN)
    child.send(ENTER)  # Largely
    child.expect_exact("General remarks on the draft report")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(FINISH_LONG_TEXT)
    child.expect_exact("What is missing from the draft report?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(FINISH_LONG_TEXT)
    child.expect_exact("Completed by")
    child.send("Kol. A. de Vries" + ENTER)
    child.expect_exact("What would you like to do?")
    child.send(ENTER)  # Submit
    child.expect_exact("Submit now?")
    child.send(ENTER)
    child.expect_exact("Submitted peer review 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = yamlio.load(path)
    assert saved["status"] == "submitted"
    assert [r["verdict"] for r in saved["reactions"]] == ["agree", "disagree", "no-opinion"]
    assert saved["reactions"][1]["comment"] == "BZK is niet betrokken bij wederopbouw."
    assert saved["answers"]["recognition"] == "largely"
    assert saved["answers"]["completed_by"] == "Kol. A. de Vries"
