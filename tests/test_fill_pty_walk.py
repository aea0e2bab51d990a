"""A whole self-evaluation in an 80×24 terminal, as a respondent would walk it (issue 16).

Going back, a Ctrl-C inside a long text and the resume (the typed text still
there), changing one answer inside a repeat entry, paging through the review,
and submitting. Every step waits for the prompt text; nothing sleeps.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fillkit import mini_workspace, response_of
from test_fill_pty import CTRL_C, DOWN, ENTER, answer, answer_long, begin, finish, spawn

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

CTRL_B = "\x02"
UP = "\x1b[A"


def test_a_whole_self_evaluation_with_back_ctrl_c_resume_entry_change_paging_and_submit(
    tmp_path: Path,
) -> None:
    ws = mini_workspace(tmp_path / "ws")
    child = spawn(ws, width=80, opening=False)
    child.expect("You answer this questionnaire for")  # the opening panel
    begin(child)  # it waits for Enter
    answer(child, r"Name \*", "Financiën" + ENTER)
    answer_long(child, "Enter on an empty line finishes", "Eerste regel" + ENTER + ENTER)
    answer(child, "Count", "abc" + ENTER)  # refused in place
    child.expect("is not a whole number")
    child.send("\x7f" * 3 + CTRL_B)  # previous question instead
    answer_long(child, "Enter on an empty line finishes", ENTER + "tweede regel, half")
    child.send(CTRL_C)  # inside the long text: what was typed is kept
    child.expect("What you typed at 'Remark' is kept as a draft answer")
    assert finish(child) == 130
    assert response_of(ws)["unconfirmed"] == {"remark": "Eerste regel\ntweede regel, half"}

    child = spawn(ws, width=80)
    child.expect("Not yet confirmed")
    answer(child, "Continue where you left off", ENTER)
    # Said in the prompt, over the draft (erased with it once confirmed).
    answer_long(child, "You typed this before the interruption", " af" + ENTER + ENTER)
    answer(child, "Count", "7" + ENTER)
    answer(child, r"Agree \*", ENTER)
    answer(child, r"Level \*", DOWN + ENTER)
    answer(child, "Partners", " " + ENTER)
    for n, title in enumerate(["Eerste punt", "Tweede punt", "Derde punt"], start=1):
        answer(child, f"Points: {n - 1} filled in", ENTER)  # Add: always first
        answer(child, rf"\[Point {n}\] Title \*", title + ENTER)
        answer(child, rf"\[Point {n}\] Year", f"200{n}" + ENTER)
    answer(child, "Points: 3 filled in", DOWN + DOWN + ENTER)  # Edit a point
    answer(child, "Which one", DOWN + ENTER)  # Point 2
    answer(child, "What would you like to change in Point 2", DOWN * 2 + ENTER)  # its year
    answer(child, r"\[Point 2\] Year", "\x7f" * 4 + "1999" + ENTER)
    answer(child, "Points: 3 filled in", DOWN + ENTER)  # Done
    answer(child, r"Date \*", "2006-05-16" + ENTER)
    child.expect("Your answers")
    child.expect("You are reading page 1 of 2")
    child.send(ENTER)  # Next page
    child.expect("You are reading page 2 of 2")
    child.send(UP + ENTER)  # Previous page (Enter here would end reading: the last page)
    child.expect("You are reading page 1 of 2")
    child.send(DOWN + ENTER)  # Done reading
    child.expect("Everything is answered")
    answer(child, "What would you like to do", ENTER)  # Submit
    answer(child, "Submit now", "y" + ENTER)
    # The closing line says in words where the answers go; no file name (issue 16).
    child.expect(r"Submitted \(.*\)\. Your answers are saved;\s+your coordinator\s+collects them\.")
    assert "responses/" not in str(child.before) + str(child.after)
    assert finish(child) == 0
    data = response_of(ws)
    assert data["status"] == "submitted"
    assert "unconfirmed" not in data
    assert data["answers"]["remark"] == "Eerste regel\ntweede regel, half af"
    assert data["answers"]["points"] == [
        {"title": "Eerste punt", "year": 2001},
        {"title": "Tweede punt", "year": 1999},
        {"title": "Derde punt", "year": 2003},
    ]
