"""Issue 16, trial 5: what a Dutch policy officer met filling the shipped
self-evaluation from ``docs/fill.md`` alone (the engine with a scripted prompter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from test_session import Interrupt, Scripted, Typed, ask, choose

from selfeval.files.scaffold import init_workspace
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace
from selfeval.fill.local import parse_answer
from selfeval.fill.prompter import BACK, MENU_MARGIN
from selfeval.fill.session import FillSession
from selfeval.model.answers import AnswerError
from selfeval.model.questionnaire import Item

ITEM: TypeAdapter[Any] = TypeAdapter(Item)


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


def test_a_year_typed_with_its_month_is_told_what_to_type_with_an_example() -> None:
    year = ITEM.validate_python(
        {"id": "year", "type": "integer", "min": 1900, "max": 2100, "label": "Jaar"}
    )
    with pytest.raises(AnswerError) as caught:
        parse_answer(year, "mei 2023", "nl")
    # Before: "'mei 2023' is geen geheel getal", nothing on what to type instead.
    this_year = dt.date.today().year
    assert caught.value.text("nl") == (
        f"'mei 2023' is geen geheel getal; vul een getal in cijfers in, bijvoorbeeld {this_year}"
    )
    assert caught.value.text("en") == (
        f"'mei 2023' is not a whole number; type a number in digits, for example {this_year}"
    )


@pytest.mark.parametrize(
    ("data", "example"),
    [
        ({"type": "integer"}, "3"),
        ({"type": "integer", "min": 10, "max": 20}, "10"),
        ({"type": "integer", "max": -1}, "-1"),
        ({"type": "number", "min": 0.5, "max": 1.5}, "1"),
        ({"type": "number"}, "3"),
    ],
)
def test_the_example_of_a_number_fits_the_question(data: dict[str, object], example: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(ITEM.validate_python({"id": "n", "label": "N", **data}), "veel", "nl")
    assert caught.value.text("nl").endswith(f", bijvoorbeeld {example}")


class Labelled(Scripted):
    """The scripted prompter, keeping the labels of every menu too."""

    def __init__(self, steps: Any) -> None:
        super().__init__(steps)
        self.labels: list[list[str]] = []

    def choose(self, message: str, options: Any, *, default: str | None = None) -> str:
        self.labels.append([o.label for o in options])
        return super().choose(message, options, default=default)


ROLE = [
    ask("role", "Beleid."),
    ask("involvement", "strong"),
    ask("gives_input_to", []),
    ask("receives_input_from", []),
    ask("cooperation_rating", 3),
    choose("done"),
]


def test_two_activities_in_one_phase_can_be_told_apart_in_the_picker(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    first = "Inventarisatie van de risico's voor vitale processen, met de veiligheidsregio's"
    second = "Scenario-analyse voor de komende vijf jaar"
    prompter = Labelled(
        [
            *VIEW, ask("phases_note", None), choose("done"), *ROLE,
            choose("add"), ask("activities.0.phase", "research"),
            ask("activities.0.description", first), choose("done"),
            choose("add"), ask("activities.1.phase", "research"),
            ask("activities.1.description", second), choose("done"),
            choose("edit"), choose(BACK), choose("done"), ask("has_bottlenecks", Interrupt()),
        ]
    )  # fmt: skip
    run(ws, prompter)
    picker = prompter.labels[-2]
    # Before: "Activiteit 1: Onderzoek en risicoanalyses" twice.
    assert picker[:2] == [
        "Activiteit 1: Onderzoek en risicoanalyses · Inventarisatie van de…",
        "Activiteit 2: Onderzoek en risicoanalyses · Scenario-analyse voor de…",
    ]
    assert all(len(label) <= 80 - MENU_MARGIN for label in picker)


def test_a_new_role_entry_is_not_named_like_a_department_and_its_help_is_plain(
    ws: Workspace,
) -> None:
    prompter = Labelled(
        [
            *VIEW, ask("phases_note", None), choose("done"), *ROLE[:-1],
            choose("add"), ask("other_roles.0.participant", "DEP2"),
            ask("other_roles.0.role", "Uitvoering."), ask("other_roles.0.involvement", None),
            ("choose", "menu", Interrupt()),
        ]
    )  # fmt: skip
    run(ws, prompter)
    said = [n.text for n in prompter.notices if n.kind != "panel"]
    # Before: "Nieuw: Departement 1." ("Departement 1" is DEP1's name) and "Departementen
    # zonder zelfevaluatie reageren hierop in collegiale toets 2.".
    assert "Nieuw: Rol 1. Met Ctrl-B bij de eerste vraag annuleert u deze invoer." in said
    assert not any("collegiale toets" in text or "Departement 1" in text for text in said)
    helptext = next(text for text in said if text.startswith("Voeg per ander departement"))
    assert "krijgen dit later te lezen en kunnen erop reageren" in helptext
    assert prompter.labels[-1][0] == "Rol toevoegen"
    assert prompter.contexts[-1].entry == "Rol 1"


def test_continue_after_a_text_typed_past_a_group_goes_on_and_not_back_into_the_group(
    ws: Workspace,
) -> None:
    """Trial 8: Ctrl-C while typing the first question of part 2, after part 1's list.

    Before: once the rest of part 2 was answered, "continue" went back to part
    1's list of documents ("Belangrijkste beleidsdocumenten: 1 ingevuld"), the
    group last asked in the file, though the respondent had left it with
    "Klaar" and was typing in part 2 when stopped.
    """
    run(
        ws,
        Scripted(
            [
                *VIEW,
                ask("phases_note", None),
                choose("add"),
                ask("documents.0.title", "Nota"),
                ask("documents.0.year", 2023),
                ask("documents.0.note", None),
                choose("done"),
                ask("role", Typed("Wij coördineren")),
            ]
        ),
    )
    prompter = Scripted(
        [
            choose("continue"),
            ask("role", "Wij coördineren de inzet."),
            ask("involvement", "strong"),
            ask("gives_input_to", []),
            ask("receives_input_from", []),
            ask("cooperation_rating", None),
            choose("done"),
            # Before: the heading of part 1 and its list of documents again.
            ("choose", "menu", Interrupt()),
        ]
    )
    run(ws, prompter)
    assert [s.title for s in prompter.sections] == [
        "Rol en verantwoordelijkheden",
        "Beleidsactiviteiten per fase van het beleidsproces",
    ]
