"""Issue 16, trial 4: what a respondent read for an empty checklist, a draft answer only
and wrapped list lines (the engine with a scripted prompter; rich at 80 columns)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fillkit import mini_workspace, response_of
from rich.console import Console
from test_session import BASICS, Interrupt, Scripted, Typed, ask, choose, run

from selfeval.cli.terminal import TerminalPrompter
from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import Notice, ReviewRow


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def test_an_empty_checklist_reads_the_same_in_the_review_as_while_filling(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [*BASICS, ask("partners", []), choose("done"), ask("signed_on", Interrupt())]
    )
    run(ws, prompter, lang="nl")
    assert response_of(ws.root)["answers"]["partners"] == []
    prompter = Scripted([choose("review"), choose("quit")])
    run(ws, prompter, lang="nl")
    rows = {r.label: (r.value, r.state) for r in prompter.reviews[-1]}
    # The prompt says "niets gekozen" when nothing is ticked (test_prompts); the
    # review said nothing at all.
    assert rows["Partners"] == ("niets gekozen", "answered")


def test_a_draft_answer_alone_is_offered_with_the_resume_menu(ws: Workspace) -> None:
    run(ws, Scripted([ask("name", Typed("Financi"))]))
    data = response_of(ws.root)
    assert data["unconfirmed"] == {"name": "Financi"} and not data.get("answers")
    # Before: no menu, the walk started at the first question as if nothing was saved.
    prompter = Scripted([choose("continue"), ask("name", "Financiën"), ask("remark", Interrupt())])
    run(ws, prompter)
    assert prompter.menus[0][1][0] == "continue"
    assert any("Not yet confirmed" in line for n in prompter.notices for line in n.details)
    assert prompter.offered["name"] == "Financi" and prompter.contexts[0].unconfirmed
    assert response_of(ws.root)["answers"] == {"name": "Financiën"}


def printed(show: object, width: int = 80) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    prompter = TerminalPrompter(console=console, lang="nl", page=False, wait=False)
    show(prompter)  # type: ignore[operator]
    return [line.rstrip() for line in out.getvalue().splitlines()]


LONG = (
    "Nog niet bevestigd (getypt vóór de onderbreking): Toelichting op de fasen "
    "(bijvoorbeeld hoe voorkomen en nazorg zich verhouden)"
)


def test_a_wrapped_notice_line_goes_on_under_its_text() -> None:
    lines = printed(lambda p: p.show_notice(Notice("info", "Concept", (LONG, "Kort"))))
    first = next(n for n, line in enumerate(lines) if line.startswith("  - Nog niet"))
    assert lines[first + 1].startswith("    (bijvoorbeeld"), lines
    assert lines[first + 2] == "  - Kort"


def test_wrapped_review_rows_and_listed_answer_lines_go_on_under_their_text() -> None:
    question = (
        "Welke rol en verantwoordelijkheden heeft uw departement voor deze incidentcategorie?"
    )
    answer = "Zo:\n- " + "leidende rol bij het nationale beleid voor een proactieve aanpak " * 2
    rows = [
        ReviewRow(0, "Rol", "", "heading"),
        ReviewRow(1, question, answer.strip(), "answered"),
    ]
    lines = printed(lambda p: p.show_review("Uw antwoorden", rows))
    at = next(n for n, line in enumerate(lines) if line.startswith("  Welke rol"))
    assert lines[at + 1] == "    incidentcategorie?", lines  # under its text, no colon after "?"
    assert lines[at + 2] == "      Zo:"
    assert lines[at + 3].startswith("      - leidende rol")
    assert lines[at + 4].startswith("        "), lines  # under the text, not the dash
    assert lines[at + 4][8] != " "
