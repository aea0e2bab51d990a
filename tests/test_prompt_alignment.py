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


def test_the_changed_draft_notice_goes_on_under_its_text_below_57_columns(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16: below 57 columns the changed-draft notice wrapped. Its list already went
    # on under the text of each line; its first line went on under the "!".
    from test_fill_trial4 import printed
    from test_peer_review import Interrupt, draft_findings, fresh_example, review, write_draft

    from selfeval.fill.prompter import Notice
    from selfeval.report.findings import finding_hash

    ws = fresh_example(tmp_path / "example")
    review(ws, "DEF", ["agree", "agree", Interrupt])
    findings = draft_findings()
    role = next(f for f in findings if f["id"] == "role.BZ")
    role["title"] = "Ministerie van Buitenlandse Zaken en Ontwikkelingssamenwerking"
    role["hash"] = finding_hash("role", role["title"], role["text"])
    write_draft(ws, findings)
    monkeypatch.setenv("COLUMNS", "45")
    _, prompter = review(ws, "DEF", [False], lang="nl")
    kind, text, details = next(n for n in prompter.notices if n[0] == "warning")
    lines = printed(lambda p: p.show_notice(Notice(kind, text, details)), width=45)
    assert lines[:6] == [
        "! Het concept-rapport is gewijzigd sinds u",
        "  met deze collegiale toets begon.",
        "  - Gewijzigd, u krijgt hem opnieuw: Rol:",
        "    Ministerie van…",
        "  - Nieuw: Behoefte/ambitie: Afstemming met…",
        "  - Ongewijzigd; uw reactie blijft staan: 1",
    ], lines
