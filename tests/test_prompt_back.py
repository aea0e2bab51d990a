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


PHASES = "Op welke fasen richt het beleid van uw departement zich?"
PHASES_HELP = "Kies alle fasen waarop het beleid zich richt."
CHOICES = [{"value": "v", "label": "Voorkomen"}, {"value": "r", "label": "Reageren"}]
SPACE, DOWN, ENTER = " ", "\x1b[B", "\r"


def phases(prompter: TerminalPrompter, keys: Any, presses: str, current: Any = None) -> Any:
    keys.send_text(presses)
    return prompter.ask(
        item(type="multiple-choice", choices=CHOICES),
        current,
        replace(context(PHASES), path=("phases",), help=PHASES_HELP),
    )


def left_with_ctrl_b(prompter: TerminalPrompter, keys: Any, **more: Any) -> None:
    keys.send_text(CTRL_B)
    with pytest.raises(GoBack):
        prompter.ask(
            item(type="long-text"),
            None,
            replace(context(LABEL), path=("phases_note",), help="Een toelichting.", **more),
        )


def test_ctrl_b_erases_the_answered_line_and_help_of_the_question_gone_back_to(
    keys: Any,
) -> None:
    # Sixth trial: "? Op welke fasen richt het beleid van uw departement zich? *
    # Voorkomen, Reageren" stayed above the same question asked again after Ctrl-B.
    prompter, screen = on_terminal(keys)
    prompter.console.print("Beleid")
    assert phases(prompter, keys, SPACE + DOWN + SPACE + ENTER) == ["v", "r"]
    assert any("Voorkomen, Reageren" in line for line in screen.lines())
    left_with_ctrl_b(prompter, keys)
    asked = len(screen.frames)
    assert phases(prompter, keys, ENTER, ["v", "r"]) == ["v", "r"]
    again = next(f for f in screen.frames[asked:] if any("spatie" in line for line in f))
    text = "\n".join(again)
    assert again[:2] == ["Beleid", PHASES_HELP], text
    assert again[2].startswith("? Op welke fasen"), text
    assert text.count("Op welke fasen") == 1 and text.count(PHASES_HELP) == 1, text
    assert "Toelichting" not in text and "Een toelichting" not in text, text


def test_ctrl_b_twice_erases_both_answered_questions(keys: Any) -> None:
    prompter, screen = on_terminal(keys)
    prompter.console.print("Beleid")
    phases(prompter, keys, SPACE + ENTER)
    keys.send_text("Nota 2006" + ENTER)
    prompter.ask(item(type="text"), None, replace(context("Titel"), path=("title",)))
    left_with_ctrl_b(prompter, keys)
    keys.send_text(CTRL_B)
    with pytest.raises(GoBack):
        prompter.ask(item(type="text"), "Nota 2006", replace(context("Titel"), path=("title",)))
    phases(prompter, keys, ENTER, ["v"])
    shown = [line for line in screen.lines() if line]
    assert shown == ["Beleid", PHASES_HELP, f"? {PHASES} * Voorkomen"], shown


def test_a_question_asked_again_after_an_error_is_erased_whole_when_left(keys: Any) -> None:
    # The answer refused, then the question asked again with why: Ctrl-B there leaves
    # neither attempt above the question before.
    prompter, screen = on_terminal(keys)
    phases(prompter, keys, SPACE + ENTER)
    keys.send_text("iets" + ENTER + ENTER)
    note = replace(context(LABEL), path=("phases_note",), help="Een toelichting.")
    prompter.ask(item(type="long-text"), None, note)
    left_with_ctrl_b(prompter, keys, error="Dat past niet.")
    phases(prompter, keys, ENTER, ["v"])
    shown = "\n".join(screen.lines())
    assert "iets" not in shown and "toelichting" not in shown.lower(), shown
    assert shown.count("Op welke fasen") == 1, shown


def test_nothing_printed_since_is_erased_with_it(keys: Any) -> None:
    # A section heading (or a notice) printed after the answer stands between: the
    # answered line stays where it is, and so does what is under it.
    from selfeval.fill.prompter import Notice

    prompter, screen = on_terminal(keys)
    phases(prompter, keys, SPACE + ENTER)
    prompter.show_notice(Notice("info", "Dit is de eerste vraag van het onderdeel.", now=True))
    left_with_ctrl_b(prompter, keys)
    phases(prompter, keys, ENTER, ["v"])
    shown = [line for line in screen.lines() if line]
    assert shown[:3] == [
        PHASES_HELP,
        f"? {PHASES} * Voorkomen",
        "i Dit is de eerste vraag van het onderdeel.",
    ], shown
