"""Prompts asked one after another by one prompter: each as if it were the first.

The terminal prompter keeps prompt_toolkit's sessions from one prompt to the
next (a list's question line, one session for every text prompt: issue 20,
fill latency). Nothing of a prompt may show in the next one: its question,
its answer (no history, no clipboard), its keys (a long text's Enter, Ctrl-B
where there is no way back). The real prompts, fed keys through a pipe and
drawn into a pyte screen of 80x24 (``test_prompt_screen``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from test_prompt_screen import drawn_with, item, on_screen  # skips without pyte, as it does

from selfeval.fill.prompter import AskContext, GoBack, Option, TypedInterrupt

ENTER = "\r"
UP = "\x1b[A"
CTRL_A = "\x01"
CTRL_B = "\x02"
CTRL_C = "\x03"
CTRL_K = "\x0b"
CTRL_Y = "\x19"


def context(label: str, *, back: bool = True, required: bool = False) -> AskContext:
    return AskContext(
        path=("x",), lang="nl", label=label, help=None, required=required, entry=None,
        participants=(), validate=lambda value: None, can_go_back=back,
    )  # fmt: skip


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


#: Questions of two lines at 80 columns: prompt_toolkit draws all lines but
#: the last in a window of their own, which keeps what it drew.
FIRST = "Eerste vraag: welke beleidsdocumenten zijn in de geëvalueerde periode vastgesteld?"
SECOND = "Tweede vraag: welke knelpunten zag uw departement in de samenwerking met anderen?"


def asked(screen: Any, question: str) -> int:
    """How many times at most a frame drawn by prompt_toolkit shows ``question``.

    Once when it is asked; once too when it was answered before (rich
    prints it again with its answer); twice when drawn for another question.
    """
    start = "? " + question[:30]
    return max(sum(line.startswith(start) for line in frame) for frame in screen.frames)


def test_each_list_shows_its_own_question(keys: Any) -> None:
    # The keys of a prompt are sent once the prompt before has taken its own:
    # keys read ahead would answer the next prompt before it is drawn.
    p, screen = on_screen(keys)
    keys.send_text(ENTER)
    assert p.choose(FIRST, [Option("alfa", "Alfa"), Option("beta", "Beta")]) == "alfa"
    screen.frames.clear()
    keys.send_text(ENTER)
    assert p.choose(SECOND, [Option("gamma", "Gamma"), Option("delta", "Delta")]) == "gamma"
    drawn_with(screen, "Delta")
    assert asked(screen, SECOND) == 1, screen.frames
    assert asked(screen, FIRST) == 1, screen.frames  # the answer printed above


def test_each_text_prompt_shows_its_own_question(keys: Any) -> None:
    p, screen = on_screen(keys)
    keys.send_text("een" + ENTER)
    assert p.ask(item(type="text"), None, context(FIRST)) == "een"
    screen.frames.clear()
    keys.send_text("twee" + ENTER)
    assert p.ask(item(type="text"), None, context(SECOND)) == "twee"
    assert asked(screen, SECOND) == 1, screen.frames
    assert asked(screen, FIRST) == 1, screen.frames  # the answer printed above


def test_a_text_prompt_recalls_no_earlier_answer(keys: Any) -> None:
    # ↑ in a new prompt has no history to go back to: nothing is filled in.
    p, _ = on_screen(keys)
    keys.send_text("Ministerie van Financiën" + ENTER)
    assert p.ask(item(type="text"), None, context("Eerste")) == "Ministerie van Financiën"
    keys.send_text(UP + ENTER)
    keys.close()  # no more keys: a prompt still open ends (EOFError), never hangs
    assert p.ask(item(type="text"), None, context("Tweede")) is None


def test_text_cut_in_one_prompt_cannot_be_pasted_in_the_next(keys: Any) -> None:
    # Ctrl-K cuts to the prompt's own clipboard; Ctrl-Y in the next pastes nothing.
    p, _ = on_screen(keys)
    keys.send_text("weg" + CTRL_A + CTRL_K + "blijft" + ENTER)
    assert p.ask(item(type="text"), None, context("Eerste")) == "blijft"
    keys.send_text(CTRL_Y + "nieuw" + ENTER)
    keys.close()
    assert p.ask(item(type="text"), None, context("Tweede")) == "nieuw"


def test_enter_finishes_a_one_line_answer_after_a_long_text(keys: Any) -> None:
    p, _ = on_screen(keys)
    keys.send_text("regel een" + ENTER + "regel twee" + ENTER + ENTER)
    first = p.ask(item(type="long-text"), None, context("Toelichting"))
    assert first == "regel een\nregel twee"
    keys.send_text("kort" + ENTER)
    keys.close()  # an Enter that only began a new line would end in EOFError, never hang
    assert p.ask(item(type="text"), None, context("Titel")) == "kort"


def test_a_long_text_after_a_one_line_answer_takes_lines(keys: Any) -> None:
    p, _ = on_screen(keys)
    keys.send_text("kort" + ENTER)
    assert p.ask(item(type="text"), None, context("Titel")) == "kort"
    keys.send_text("lang" + ENTER + "nog" + ENTER + ENTER)
    keys.close()
    assert p.ask(item(type="long-text"), None, context("Toelichting")) == "lang\nnog"


def test_ctrl_b_goes_back_only_where_it_can(keys: Any) -> None:
    p, _ = on_screen(keys)
    keys.send_text(CTRL_B)
    with pytest.raises(GoBack):
        p.ask(item(type="text"), None, context("Tweede", back=True))
    # The first question: no way back, Ctrl-B does nothing.
    keys.send_text("eerste" + CTRL_B + ENTER)
    keys.close()
    assert p.ask(item(type="text"), None, context("Eerste", back=False)) == "eerste"


def test_ctrl_c_keeps_only_what_was_typed_in_this_prompt(keys: Any) -> None:
    p, _ = on_screen(keys)
    keys.send_text("een" + ENTER)
    assert p.ask(item(type="text"), None, context("Eerste")) == "een"
    keys.send_text("twe" + CTRL_C)
    keys.close()
    with pytest.raises(TypedInterrupt) as caught:
        p.ask(item(type="text"), None, context("Tweede"))
    assert caught.value.text == "twe"
