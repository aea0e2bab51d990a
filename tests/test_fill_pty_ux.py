"""Issue 16 in a real 80×24 pseudo-terminal: going back, Ctrl-C inside a text, resume.

Short walks, each for one behaviour, in the default tier; the long walk of a
whole self-evaluation is ``test_fill_pty_walk.py``. Every step waits for the
prompt text (never sleeps).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fillkit import mini_workspace, response_of
from test_fill_pty import CTRL_C, DOWN, ENTER, answer, answer_long, finish, spawn

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

CTRL_B = "\x02"
LEFT = "\x1b[D"
UP = "\x1b[A"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return mini_workspace(tmp_path / "ws")


# Slow tier: the default tier's pty walk goes back, presses Ctrl-C inside a long text and resumes with it.
@pytest.mark.slow
def test_back_from_a_question_then_ctrl_c_in_a_long_text_keeps_the_typed_text(ws: Path) -> None:
    child = spawn(ws, width=80)
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(child, "Enter on an empty line finishes", "één" + ENTER + ENTER)
    answer(child, "Count", CTRL_B)  # previous question: the long text, with its answer
    answer_long(child, "Ctrl-B: previous question", " en nog wat")
    child.send(CTRL_C)
    child.expect("What you typed at 'Remark' is kept as a draft answer")
    child.expect("Resume with: selfeval fill")
    assert finish(child) == 130
    data = response_of(ws)
    assert data["answers"] == {"name": "Financiën", "remark": "één"}
    assert data["unconfirmed"] == {"remark": "één en nog wat"}

    child = spawn(ws, width=80)
    child.expect("Not yet confirmed")
    answer(child, "Continue where you left off", ENTER)
    # the notice is part of the prompt, under the question (it goes once the answer is confirmed)
    child.expect("Enter on an empty line finishes")
    answer_long(child, "You typed this before the interruption", ENTER + ENTER)  # confirm as it is
    answer(child, "Count", "7" + ENTER)
    answer(child, r"Agree \*", CTRL_C)
    assert finish(child) == 130
    data = response_of(ws)
    assert data["answers"]["remark"] == "één en nog wat"
    assert "unconfirmed" not in data


# Slow tier: ← from a list is proved by default through prompt_toolkit's pipe input
# (tests/test_prompts.py, the LEFT cases); this is the same in a real terminal (~2 s).
@pytest.mark.slow
def test_back_from_a_list_with_the_left_key_and_from_a_repeat_menu(ws: Path) -> None:
    child = spawn(ws, width=80)
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(child, "Enter on an empty line finishes", ENTER)
    answer(child, "Count", "7" + ENTER)
    answer(child, r"Agree \*", DOWN + ENTER)  # No: why_not follows
    answer(child, "Why not", CTRL_B)
    answer(child, r"Agree \*", UP + ENTER)  # Yes now: why_not is not asked
    answer(child, r"Level \*", LEFT)  # ← in a list: previous question
    answer(child, r"Agree \*", ENTER)
    answer(child, r"Level \*", ENTER)
    answer(child, "Partners", ENTER)
    answer(child, "Points: 0 filled in", ENTER)  # Add
    child.expect("Ctrl-B at its first question cancels it")
    answer(child, r"\[Point 1\] Title \*", CTRL_B)
    child.expect("Point 1 is cancelled")
    answer(child, "Points: 0 filled in", DOWN * 5 + ENTER)  # no wrap-around: the last entry
    answer(child, "Partners", CTRL_C)  # "previous question" led back to the checklist
    assert finish(child) == 130
    answers = response_of(ws)["answers"]
    assert answers["agree"] is True
    assert answers["points"] == []
