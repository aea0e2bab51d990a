"""What a text prompt draws on an 80x24 screen and which keys finish it (issue 16, trial 4).

The real prompts, fed keys through prompt_toolkit's pipe input and drawn
through prompt_toolkit's VT100 output into a pyte screen: every frame drawn
is kept, so a test reads the prompt as the respondent saw it while answering
(the prompt is erased once answered). No pty, no process: cheap.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from pydantic import TypeAdapter
from rich.console import Console

from selfeval.cli.terminal import TerminalPrompter
from selfeval.fill.prompter import AskContext
from selfeval.model.questionnaire import Item

pyte = pytest.importorskip("pyte")

ENTER = "\r"
ESC = "\x1b"
ITEM: TypeAdapter[Any] = TypeAdapter(Item)


class Screen(io.StringIO):
    """A terminal of ``columns`` x ``rows`` for prompt_toolkit (what it writes) and rich.

    Every flush (prompt_toolkit flushes once per frame) keeps a copy of the
    screen in :attr:`frames`.
    """

    def __init__(self, columns: int = 80, rows: int = 24) -> None:
        super().__init__()
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.frames: list[list[str]] = []

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def write(self, text: str) -> int:
        self.stream.feed(text.replace("\n", "\r\n") if "\x1b" not in text else text)
        return len(text)

    def flush(self) -> None:
        self.frames.append([line.rstrip() for line in self.screen.display])

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]


class RichOnScreen(io.StringIO):
    """rich's side of the same terminal: its lines go to the pyte screen too."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def write(self, text: str) -> int:
        self.target.stream.feed(text.replace("\n", "\r\n"))
        return len(text)


def item(**data: Any) -> Any:
    data.setdefault("id", "x")
    data.setdefault("label", {"nl": "Vraag", "en": "Question"})
    return ITEM.validate_python(data)


def context(label: str, **more: Any) -> AskContext:
    return AskContext(
        path=("x",), lang="nl", label=label, help=None, required=True, entry=None,
        participants=(), validate=lambda value: None, can_go_back=True, **more,
    )  # fmt: skip


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def on_screen(pipe: Any) -> tuple[TerminalPrompter, Screen]:
    screen = Screen()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm", enable_cpr=False)
    console = Console(
        file=RichOnScreen(screen), width=80, height=24, color_system=None, force_terminal=False
    )
    prompter = TerminalPrompter(console=console, input=pipe, output=output, lang="nl")
    return prompter, screen


def drawn_with(screen: Screen, text: str) -> list[str]:
    """The last frame that shows ``text`` (the prompt as it was answered)."""
    frames = [frame for frame in screen.frames if any(text in line for line in frame)]
    assert frames, f"{text!r} never drawn:\n" + "\n".join(screen.lines())
    return frames[-1]


PRE_FILLED = (
    "Versterking van de samenwerking tussen de crisisorganisaties van de "
    "departementen bij grensoverschrijdende incidenten"
)


def test_a_pre_filled_one_line_answer_wraps_between_words(keys: Any) -> None:
    the_item = item(type="text")
    keys.send_text(ENTER)
    p, screen = on_screen(keys)
    assert p.ask(the_item, PRE_FILLED, context("Titel van de behoefte")) == PRE_FILLED
    frame = drawn_with(screen, "Versterking")
    start = next(n for n, line in enumerate(frame) if "Versterking" in line)
    shown = frame[start : start + 3]
    words = set(PRE_FILLED.split())
    # Every word on the screen is a whole word of the answer: none cut at the edge.
    for line in shown:
        after = line.split("vraag) ", 1)[-1] if "vraag) " in line else line
        for word in after.split():
            assert word in words, (word, shown)
    assert " ".join(" ".join(shown).split()).endswith(PRE_FILLED)


def test_one_space_before_the_instruction_of_a_text_prompt(keys: Any) -> None:
    keys.send_text("Ja" + ENTER)
    p, screen = on_screen(keys)
    p.ask(item(type="text"), None, context("Titel van de behoefte"))
    frame = drawn_with(screen, "Titel van de behoefte")
    line = next(line for line in frame if "Titel van de behoefte" in line)
    assert line.startswith("? Titel van de behoefte * (Ctrl-B: vorige vraag)"), line


@pytest.mark.parametrize("kind", ["text", "long-text"])
def test_the_unconfirmed_notice_goes_once_the_answer_is_confirmed(keys: Any, kind: str) -> None:
    keys.send_text(" af" + ENTER + (ENTER if kind == "long-text" else ""))
    p, screen = on_screen(keys)
    answer = p.ask(item(type=kind), "concept", context("Toelichting", unconfirmed=True))
    assert answer == "concept af"
    drawn_with(screen, "nog niet bevestigd")  # shown while the draft is offered
    assert not any("nog niet bevestigd" in line for line in screen.lines()), screen.lines()
    assert any("concept af" in line for line in screen.lines())


def pressed_before_typing(monkeypatch: pytest.MonkeyPatch, *presses: Any) -> None:
    """Keys the next text prompt takes before anything from the pipe.

    ``_FLUSH`` among them is what prompt_toolkit does when a second passes
    with no key after Esc: the Esc is then taken on its own (a person's
    pause between Esc and Enter, without waiting for it).
    """
    import questionary

    made = questionary.text

    def text(*args: Any, **kwargs: Any) -> Any:
        question = made(*args, **kwargs)
        processor = question.application.key_processor
        question.application.pre_run_callables.append(
            lambda: processor.feed_multiple(list(presses))
        )
        return question

    monkeypatch.setattr(questionary, "text", text)


def test_esc_then_enter_finishes_a_long_text_after_a_pause(
    keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prompt_toolkit.key_binding.key_processor import KeyPress, _Flush
    from prompt_toolkit.keys import Keys

    pressed_before_typing(monkeypatch, KeyPress(Keys.Escape), _Flush)
    # Before: the Esc was dropped after the pause, Enter started a new line
    # and the text went on ("Eerste alinea\nmeer").
    keys.send_text(ENTER + "meer" + ENTER + ENTER)
    keys.close()  # no more keys: a prompt still open ends (EOFError), never hangs
    p, _ = on_screen(keys)
    assert p.ask(item(type="long-text"), "Eerste alinea", context("Toelichting")) == (
        "Eerste alinea"
    )


@pytest.mark.parametrize("kind", ["text", "long-text"])
def test_esc_never_swallows_the_next_key(keys: Any, kind: str) -> None:
    # Esc then "b" was Alt-b: the cursor went a word back and the "b" was lost.
    keys.send_text("Zie " + ESC + "beleid" + ENTER + (ENTER if kind == "long-text" else ""))
    keys.close()  # no more keys: a prompt still open ends (EOFError), never hangs
    p, _ = on_screen(keys)
    assert p.ask(item(type=kind), None, context("Toelichting")) == "Zie beleid"
