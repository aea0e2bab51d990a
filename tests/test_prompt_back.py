"""Ctrl-B erases the question it leaves (issue 16, trial 5, point 7).

The real prompts on an 80x24 screen through prompt_toolkit's pipe input (as
``test_prompt_screen.py``), with rich writing to the same screen as a terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console
from test_prompt_screen import RichOnScreen, Screen, context, item

from selfeval.cli.terminal import TerminalPrompter
from selfeval.fill.prompter import GoBack

CTRL_B = "\x02"
LABEL = "Toelichting op de fasen (bijvoorbeeld hoe voorkomen en nazorg zich verhouden)"


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def on_terminal(pipe: Any) -> tuple[TerminalPrompter, Screen]:
    screen = Screen()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm", enable_cpr=False)
    console = Console(
        file=RichOnScreen(screen), width=80, height=24, color_system=None, force_terminal=True
    )
    prompter = TerminalPrompter(console=console, input=pipe, output=output, lang="nl")
    return prompter, screen


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("long-text", {}),
        ("text", {}),
        ("single-choice", {"choices": [{"value": "a", "label": "Aa"}]}),
    ],
)
def test_ctrl_b_erases_the_question_left_with_its_help_and_error(
    keys: Any, kind: str, extra: dict[str, Any]
) -> None:
    prompter, screen = on_terminal(keys)
    prompter.console.print("? Op welke fasen richt het beleid zich? Voorkomen")
    keys.send_text(CTRL_B)
    with pytest.raises(GoBack):
        prompter.ask(
            item(type=kind, **extra),
            None,
            replace(context(LABEL), help="Een toelichting bij de vraag.", error="Dat past niet."),
        )
    shown = "\n".join(screen.lines())
    # Before: the question, its help and the error stayed above the question asked again.
    assert "Toelichting" not in shown and "toelichting bij" not in shown, shown
    assert "Dat past niet" not in shown, shown
    assert screen.lines()[0] == "? Op welke fasen richt het beleid zich? Voorkomen"
    assert screen.screen.cursor.y == 1
