"""Where a list prompt's instruction and a notice's wrapped lines start (issue 16, leftovers).

Drawn as the respondent sees them: the real prompts through prompt_toolkit's
pipe input into a pyte screen (``test_prompt_screen.py``), and rich's notices
at a narrow width.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from test_prompt_screen import ENTER, context, drawn_with, item, on_screen

from selfeval.fill.prompter import Option

CHOICES = [{"value": v, "label": {"nl": v.title(), "en": v}} for v in ("alfa", "beta")]
#: Fits on one line at 80 columns, with no room for the instruction after it.
QUESTION = "Op welke fasen richt het beleid van uw departement zich?"


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


@pytest.mark.parametrize("kind", ["single-choice", "multiple-choice"])
def test_a_list_instruction_on_a_line_of_its_own_starts_at_the_edge(keys: Any, kind: str) -> None:
    # Before: " (pijltjestoetsen, Enter kiest, ← vorige vraag)", one space in (questionary's
    # space after the question), where a text prompt's and a wrapped question's start
    # at the edge.
    keys.send_text(ENTER)
    p, screen = on_screen(keys)
    p.ask(item(type=kind, choices=CHOICES, required=False), None, context(QUESTION))
    frame = drawn_with(screen, "Alfa")
    at = next(n for n, line in enumerate(frame) if line.startswith("? " + QUESTION))
    assert frame[at + 1].startswith("(pijltjestoetsen" if kind == "single-choice" else "(spatie")
    assert frame[at + 2].startswith(" » ")  # the list under it, as before


def test_a_menu_instruction_on_a_line_of_its_own_starts_at_the_edge(keys: Any) -> None:
    keys.send_text(ENTER)
    p, screen = on_screen(keys)
    message = "Welke bevinding wilt u een andere reactie geven of alsnog beantwoorden?"
    p.choose(message, [Option("a", "Rol: Defensie"), Option("b", "Rol: AZ")])
    frame = drawn_with(screen, "Rol: AZ")
    at = next(n for n, line in enumerate(frame) if line.startswith("? Welke bevinding"))
    assert frame[at + 1] == "(pijltjestoetsen, Enter kiest)", frame
