"""A list longer than the screen fits it, the question kept on screen (issue 16, fifth trial).

The tester's round-1 checklist "[Kans 1] Op welke knelpunten, blinde vlekken of
behoeften is deze kans een antwoord?" (more than 20 findings) filled all 24 rows
of an 80x24 terminal: the question scrolled off while moving, and once answered
the screen was mostly blank lines. "Een reactie wijzigen" → "Welke bevinding?"
(23 findings) pushed its question off too. The real prompts, keys through
prompt_toolkit's pipe input, one key per frame drawn, every frame read from a
pyte screen (test_prompt_screen.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_prompt_screen import Screen, context, item, on_screen

from selfeval.fill.prompter import Option

DOWN, UP, SPACE, ENTER = "\x1b[B", "\x1b[A", " ", "\r"
QUESTION = "[Kans 1] Op welke knelpunten, blinde vlekken of behoeften is deze kans een antwoord?"
FINDINGS = tuple(
    (f"f{n}", f"Knelpunt (BZ): knelpunt nummer {n}" + (" uit de zelfevaluaties van de departementen" if n % 3 else ""))
    for n in range(1, 26)
)  # fmt: skip


@pytest.fixture
def keys() -> Iterator[Any]:
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        yield pipe


def one_key_per_frame(monkeypatch: pytest.MonkeyPatch, pipe: Any, presses: list[str]) -> None:
    """The next list prompt gets ``presses`` one at a time, each after a frame is drawn.

    As a person presses keys: every key is drawn before the next (sent all at
    once, prompt_toolkit draws only the last state).
    """
    import questionary

    left = list(presses)

    def press(app: Any) -> None:
        if left and not app.is_done:
            pipe.send_text(left.pop(0))

    for name in ("select", "checkbox"):
        made = getattr(questionary, name)

        def wrapped(*args: Any, made: Any = made, **kwargs: Any) -> Any:
            question = made(*args, **kwargs)
            question.application.after_render += press
            return question

        monkeypatch.setattr(questionary, name, wrapped)


def live(screen: Screen, marker: str) -> list[list[str]]:
    """The frames drawn while the list was open (its instruction on screen)."""
    frames = [f for f in screen.frames if any(marker in line for line in f)]
    assert frames, "\n".join(screen.lines())
    return frames


def card(screen: Screen, p: Any, lines: int) -> None:
    for n in range(1, lines + 1):
        p.console.print(f"kaartregel {n}")


def test_a_long_checklist_keeps_its_question_and_what_is_above_on_screen(
    keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    presses = [DOWN] * 22 + [SPACE, UP, UP, SPACE, ENTER]
    one_key_per_frame(monkeypatch, keys, presses)
    p, screen = on_screen(keys)
    card(screen, p, 8)
    answer = p.ask(item(type="findings"), None, context(QUESTION, findings=FINDINGS))
    assert answer == ["f21", "f23"]
    frames = live(screen, "spatie kiest")
    assert len(frames) > 20  # a frame per key
    for frame in frames:
        text = "\n".join(frame)
        assert frame[-1] or frame[-2], text  # drawn to the foot of the screen, no more
        assert any(line.startswith("? [Kans 1] Op welke knelpunten") for line in frame), text
        assert any("»" in line for line in frame), text  # the entry pointed at is shown
        assert "kaartregel 8" in text, text  # what the question is about stays above it
        # The list starts with an entry, never with the rest of one cut above.
        under = next(n for n, line in enumerate(frame) if "spatie kiest" in line) + 1
        assert "○" in frame[under] or "●" in frame[under], text
    # The list says there is more than it shows, and where.
    # (8 of 25 entries in the 15 lines left: 24 rows less 6 above, 2 of question, this one.)
    assert frames[0][-1] == "  ↓ nog 16 keuzes", frames[0]
    assert frames[-1][-1] == "  ↑ nog 15 keuzes · ↓ nog 1 keuze", frames[-1]
    # Answered: the card, then the question with its answer; the screen is not emptied.
    shown = screen.lines()
    at = next(n for n, line in enumerate(shown) if line.startswith("? [Kans 1]"))
    assert shown[at - 1] == "kaartregel 8", shown
    assert "knelpunt nummer 21" in " ".join(shown[at:]), shown


def test_which_finding_keeps_its_question_on_screen(
    keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = [Option(f"f{n}", f"Knelpunt: bevinding {n}: Eens") for n in range(1, 24)]
    options.append(Option("back", "← Terug naar het overzicht"))
    one_key_per_frame(monkeypatch, keys, [DOWN] * 23 + [UP] * 23 + [DOWN] * 23 + [ENTER])
    p, screen = on_screen(keys)
    card(screen, p, 10)
    assert p.choose("Welke bevinding?", options) == "back"
    frames = live(screen, "Enter kiest")
    for frame in frames:
        text = "\n".join(frame)
        assert any(line.startswith("? Welke bevinding?") for line in frame), text
        assert any("»" in line for line in frame), text
        assert "kaartregel 10" in text, text  # the review page's foot stays above it
    assert any("» ← Terug naar het overzicht" in line for line in frames[-1]), frames[-1]
    assert frames[0][-1] == "  ↓ nog 8 keuzes" and frames[-1][-1] == "  ↑ nog 8 keuzes"


def test_a_list_that_fits_is_drawn_whole_as_before(keys: Any) -> None:
    keys.send_text(ENTER)
    p, screen = on_screen(keys)
    card(screen, p, 10)
    options = [Option(str(n), f"Keuze {n}") for n in range(1, 9)]
    assert p.choose("Wat wilt u doen?", options) == "1"
    frame = live(screen, "Enter kiest")[0]
    assert "\n".join(frame).count("Keuze ") == 8
    assert not any("nog " in line and "keuze" in line for line in frame)


def test_the_answer_given_before_is_in_view_when_the_list_opens(keys: Any) -> None:
    keys.send_text(ENTER)
    p, screen = on_screen(keys)
    choices = [{"value": f"c{n}", "label": {"nl": f"Keuze nummer {n}"}} for n in range(1, 31)]
    the_item = item(type="single-choice", choices=choices)
    assert p.ask(the_item, "c27", context("Welke keuze?")) == "c27"
    first = live(screen, "Enter kiest")[0]
    assert any("» Keuze nummer 27" in line for line in first), first
    assert any(line.startswith("? Welke keuze?") for line in first), first
