"""Issue 16, sixth trial: what a policy officer read in a peer review at 80x24
(`selfeval peer-review --participant BZ --round 1`, from docs/peer-review.md alone).

The real prompts of a peer review (run_peer_review with TerminalPrompter), keys
through prompt_toolkit's pipe input, drawn into a pyte screen
(test_prompt_screen.py); what rich printed, in order, from its record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console
from test_peer_review import fresh_example
from test_prompt_screen import RichOnScreen, Screen

from selfeval.cli.terminal import TerminalPrompter
from selfeval.files.workspace import Workspace
from selfeval.peer_review.run import run_peer_review

DOWN, ENTER, CTRL_B, CTRL_C = "\x1b[B", "\r", "\x02", "\x03"
#: The verdict list: Eens, Deels eens, Oneens, Geen mening, De overige bevindingen
#: overslaan, (geen antwoord), ← Vorige vraag.
NO_ANSWER = DOWN * 5 + ENTER
DISAGREE = DOWN * 2 + ENTER


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example's exercise with the hand-written draft in reports/, no responses."""
    return fresh_example(tmp_path / "example")


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def reviewed(
    ws: Path, pipe: Any, presses: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Console, Screen]:
    """DEF's peer review at an 80x24 terminal: ``presses`` are the keys of each prompt in turn.

    Each prompt gets its keys just before it is drawn; the last one stops with Ctrl-C.
    """
    left = [*presses, CTRL_C]
    asked = TerminalPrompter._asked

    def next_keys(self: TerminalPrompter, question: Any) -> Any:
        pipe.send_text(left.pop(0) if left else CTRL_C)
        return asked(self, question)

    monkeypatch.setattr(TerminalPrompter, "_asked", next_keys)
    screen = Screen()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm", enable_cpr=False)
    console = Console(
        file=RichOnScreen(screen), width=80, height=24, color_system=None, force_terminal=True,
        record=True,
    )  # fmt: skip

    def prompter(lang: str) -> TerminalPrompter:
        return TerminalPrompter(
            console=console, input=pipe, output=output, lang=lang, page=False, wait=False
        )

    run_peer_review(Workspace.open(ws), participant="DEF", lang="nl", prompter=prompter)
    return console, screen


def test_the_skip_notice_is_printed_before_the_next_card(
    ws: Path, keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sixth trial: "i Overgeslagen: geen reactie op bevinding 5/23 (u kunt later nog
    # reageren)." stood under card 6's text, just above its list: it read as if it
    # belonged to card 6.
    console, _ = reviewed(ws, keys, [NO_ANSWER], monkeypatch)
    lines = console.export_text().splitlines()
    skipped = next(n for n, line in enumerate(lines) if "Overgeslagen: geen reactie" in line)
    card_2 = next(n for n, line in enumerate(lines) if line.startswith("i [2/3]"))
    card_1 = next(n for n, line in enumerate(lines) if line.startswith("i [1/3]"))
    assert card_1 < skipped < card_2, "\n".join(lines)


def test_ctrl_b_from_the_comment_erases_the_verdict_given_above_the_list(
    ws: Path, keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sixth trial: "? Uw reactie op deze bevinding Oneens" stayed above the verdict
    # list asked again after Ctrl-B from the comment.
    _, screen = reviewed(ws, keys, [DISAGREE, CTRL_B], monkeypatch)
    lists = [
        n for n, frame in enumerate(screen.frames)
        if any(line.startswith(" » Eens") or line.startswith("   Eens") for line in frame)
    ]  # fmt: skip
    again = screen.frames[lists[-1]]
    assert lists[-1] > lists[0] + 1, "the verdict was not asked again"
    text = "\n".join(again)
    assert "Oneens" in text and "? Uw reactie op deze bevinding Oneens" not in text, text
    assert text.count("Uw reactie op deze bevinding") == 1, text
    assert text.count("Reageren is niet verplicht") == 1, text  # its help, once
    assert "i [1/3] Rol: BZ" in text  # the card stays above
    assert "toelichting" not in text.lower(), text
