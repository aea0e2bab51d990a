"""What an opportunity's ``answers`` question shows: the findings by kind and title, never an id.

Issue 16, third trial at 80x24: the checklist read
"○ BZ.bottlenecks.capaciteit-politie-justitie — Beperkte capaciteit…" and the
review "antwoord?: BZ.bottlenecks.relaties-ez-financien". The respondent knows
their findings by kind, number and title; the id is only what is stored.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console

from selfeval.cli.terminal import TerminalPrompter
from selfeval.files.store import open_for_session
from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import AskContext
from selfeval.fill.walker import Walker
from selfeval.model.questionnaire import RepeatItem

pyte = pytest.importorskip("pyte")

ROWS, COLUMNS = 24, 80
#: A finding id as docs/findings.md §2 gives it (BZ.bottlenecks.2, BZ.needs.wereldbank).
FINDING_ID = re.compile(r"\b[A-Za-z]+\.(?:[a-z0-9-]+\.)?(?:bottlenecks|blind_spots|needs)\.")


class _Screen(io.StringIO):
    """prompt_toolkit's output read by pyte at 80x24; each drawing kept as the screen showed it."""

    encoding = "utf-8"

    def __init__(self) -> None:
        super().__init__()
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.Stream(self.screen)
        self.drawn: list[str] = []

    def flush(self) -> None:
        self.stream.feed(self.getvalue())
        self.seek(0)
        self.truncate()
        self.drawn.append("\n".join(line.rstrip() for line in self.screen.display))


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def test_the_answers_checklist_and_the_review_show_titles_not_finding_ids(
    example_ws: Path, keys: Any
) -> None:
    out = _Screen()
    output = Vt100_Output(out, lambda: Size(rows=ROWS, columns=COLUMNS), term="xterm")
    review = io.StringIO()
    console = Console(file=review, width=COLUMNS, height=ROWS, color_system=None)
    prompter = TerminalPrompter(console=console, input=keys, output=output, lang="nl", page=False)
    with open_for_session(Workspace.open(example_ws), "BZ", "self-evaluation", reopen=True) as st:
        walker = Walker(st, prompter, lang="nl")
        group = st.loaded.questionnaire.item("opportunities")
        assert isinstance(group, RepeatItem)
        item = next(i for i in group.items if i.id == "answers")
        entry = st.answers["opportunities"][1]  # answers BZ.bottlenecks.capaciteit-politie-justitie
        context: AskContext = walker._context(item, ("opportunities", 1, "answers"), entry, None)
        keys.send_text("\r")  # Enter: the answer as it was
        answer = prompter.ask(item, entry["answers"], context)
        rows = walker.review_rows()
        prompter.show_review("Overzicht", rows)

    assert answer == ["BZ.bottlenecks.capaciteit-politie-justitie"]  # the id is what is stored
    # The last drawing before the answer was given (the prompt is erased when done).
    shown = next(d for d in reversed(out.drawn) if d.strip())
    assert "Beperkte capaciteit" in shown, shown
    assert re.search(r"Knelpunt \d+: Beperkte capaciteit", shown), shown
    assert not FINDING_ID.search(shown), shown
    text = review.getvalue()
    assert re.search(r"Knelpunt \d+: Beperkte capaciteit", " ".join(text.split())), text
    assert not FINDING_ID.search(text), text
