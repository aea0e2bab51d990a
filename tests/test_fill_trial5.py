"""Issue 16, trial 5: what a Dutch policy officer met filling the shipped
self-evaluation from ``docs/fill.md`` alone (the engine with a scripted prompter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_session import Interrupt, Scripted, Typed, ask, choose

from selfeval.files.scaffold import init_workspace
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace
from selfeval.fill.session import FillSession


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = tmp_path / "proef5"
    init_workspace(root)
    return Workspace(root)


def run(ws: Workspace, prompter: Scripted) -> None:
    with ResponseStore(ws, "DEP1", "self-evaluation") as store:
        FillSession(store, prompter, lang="nl").run()
    assert not prompter.steps, f"script not used up: {prompter.steps}"


VIEW = [
    ask("definition", "Een omschrijving."),
    ask("causes", "Oorzaken."),
    ask("phases", ["prevention"]),
]


def test_done_with_a_group_after_resuming_at_an_unconfirmed_text_moves_on_at_once(
    ws: Workspace,
) -> None:
    run(ws, Scripted([*VIEW, ask("phases_note", Typed("Voorkomen gaat"))]))
    prompter = Scripted(
        [
            choose("continue"),
            ask("phases_note", "Voorkomen gaat voor."),
            choose("add"),
            ask("documents.0.title", "Nota"),
            ask("documents.0.year", 2023),
            ask("documents.0.note", None),
            choose("done"),
            # Before: the part's heading again and the same list ("Klaar" a second time).
            ask("role", Interrupt()),
        ]
    )
    run(ws, prompter)
    assert [s.title for s in prompter.sections] == [
        "Visie op de incidentcategorie",
        "Rol en verantwoordelijkheden",
    ]


def test_continue_re_enters_the_group_it_stopped_in_until_done_is_chosen_there(
    ws: Workspace,
) -> None:
    run(ws, Scripted([*VIEW, ask("phases_note", None), ("choose", "menu", Interrupt())]))
    # Stopped in the documents' list: continue goes back into it.
    prompter = Scripted([choose("continue"), choose("done"), ask("role", Interrupt())])
    run(ws, prompter)
    assert prompter.menus[1][0].startswith("Belangrijkste beleidsdocumenten")
    # The part walked again first, the list closed with "Klaar" there: continue goes on.
    again = [ask(step[1], step[2]) for step in [*VIEW, ask("phases_note", None)]]
    prompter = Scripted(
        [choose("revisit"), choose("0"), *again, choose("done"), choose("continue"),
         ask("role", Interrupt())]
    )  # fmt: skip
    run(ws, prompter)
