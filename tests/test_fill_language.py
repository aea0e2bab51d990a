"""What a respondent reads in a Dutch session is Dutch, with local dates and labels (issue 16).

Seen in the trial: ``'15-05-2006' is not a date; write it as YYYY-MM-DD`` and
``'ca. 2004' is not a whole number`` in a Dutch session, ``Concept van
2026-12-02T02:04:22Z``, ids (``phases_note``) and raw values
(``implementation``) instead of labels, and "1 antwoorden ontbreken".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fillkit import mini_workspace, response_of
from pydantic import TypeAdapter
from test_session import Interrupt, Scripted, ask, choose, run

from selfeval.files.workspace import Workspace
from selfeval.fill.local import local_time, parse_answer
from selfeval.i18n import ngettext
from selfeval.model.answers import AnswerError
from selfeval.model.questionnaire import Item

ITEM: TypeAdapter[Any] = TypeAdapter(Item)


def item(**data: Any) -> Any:
    return ITEM.validate_python({"id": "x", "label": "Vraag", **data})


@pytest.mark.parametrize("typed", ["15-05-2006", "15/5/2006", "15.05.2006", "2006-05-15"])
def test_a_dutch_session_takes_a_date_as_the_dutch_write_it(typed: str) -> None:
    assert parse_answer(item(type="date"), typed, "nl") == "2006-05-15"


def test_an_english_session_keeps_iso_dates_only() -> None:
    with pytest.raises(AnswerError, match="write it as YYYY-MM-DD"):
        parse_answer(item(type="date"), "15-05-2006", "en")


@pytest.mark.parametrize(
    ("data", "typed", "said"),
    [
        ({"type": "integer"}, "ca. 2004", "'ca. 2004' is geen geheel getal"),
        ({"type": "number"}, "veel", "'veel' is geen getal"),
        # Trial 9: a day written as asked but not in the calendar was told to "write it as DD-MM-JJJJ".
        ({"type": "date"}, "31-02-2006", "'31-02-2006' staat niet in de kalender"),
        ({"type": "date"}, "mei 2006", "'mei 2006' is geen datum; schrijf hem als DD-MM-JJJJ"),
    ],
)
def test_a_typed_answer_that_does_not_fit_is_refused_in_dutch(
    data: dict[str, Any], typed: str, said: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(item(**data), typed, "nl")
    assert caught.value.text("nl").startswith(said)


def test_a_timestamp_is_shown_in_local_time_as_a_person_writes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import time

    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        assert local_time("2026-12-02T02:04:22Z", "nl") == "2 december 2026, 03:04"
        assert local_time("2026-12-02T02:04:22Z", "en") == "2 December 2026, 03:04"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert local_time(None, "nl") == "-"
    assert os.environ.get("TZ") is None


def test_one_missing_answer_is_singular() -> None:
    def said(n: int) -> str:
        return ngettext("nl", "fill.missing_list", "fill.missing_list_plural", n)

    assert said(1) == "Nog niet compleet: 1 antwoord ontbreekt of klopt niet."
    assert said(2) == ("Nog niet compleet: 2 antwoorden ontbreken of kloppen niet.")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def test_a_dutch_session_checks_typed_dates_in_dutch_and_shows_them_the_dutch_way(
    ws: Workspace,
) -> None:
    steps = [
        ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", False),
        ask("why_not", "geen tijd"), ask("level", "low"), ask("partners", []), choose("done"),
        ask("signed_on", "2006-05-15"), choose("change"), choose("0"), choose("agree"),
        ask("agree", True), ("choose", "quit", "quit"),
    ]  # fmt: skip
    prompter = Scripted(steps)
    outcome = run(ws, prompter, lang="nl")
    date_context = next(c for c in prompter.contexts if c.path == ("signed_on",))
    assert date_context.hint == "DD-MM-JJJJ"
    assert date_context.parse is not None and date_context.parse("15-05-2006") == "2006-05-15"
    assert date_context.validate(31) == (
        "verwacht een datum JJJJ-MM-DD, maar YAML las een getal zonder aanhalingstekens als 31 "
        "(1.10 wordt 1.1, 007 wordt 7)"
    )
    review = prompter.reviews[0]
    assert any(r.label == "Datum" and r.value == "15-05-2006" for r in review)
    # the answer that stopped counting is named by its label, in Dutch
    warnings = [n.text for n in prompter.notices if n.kind == "warning"]
    assert any("Uw antwoord op 'Waarom niet' telt niet meer mee" in w for w in warnings)
    assert outcome.closing_notes() == [
        "Bewaard maar niet meegeteld, omdat de vraag niet meer bij uw antwoorden hoort: Waarom niet"
    ]
    assert response_of(ws.root)["answers"]["why_not"] == "geen tijd"


def test_an_entry_is_named_by_the_label_of_its_choice_not_its_value(tmp_path: Path) -> None:
    from fillkit import MINI

    root = mini_workspace(tmp_path / "ws")
    text = MINI.replace(
        "          - id: year\n",
        "          - id: phase\n            type: single-choice\n"
        "            label: {nl: Fase, en: Phase}\n"
        "            choices: [{value: implementation, label: {nl: Beleidsuitvoering, "
        "en: Implementation}}]\n"
        "          - id: year\n",
    ).replace(
        "            required: true\n            label: {nl: Titel", "            label: {nl: Titel"
    )
    (root / "questionnaires" / "mini-1.0.0.yaml").write_text(text, "utf-8")
    prompter = Scripted(
        [
            ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", True),
            ask("level", "low"), ask("partners", []), choose("add"),
            ask("points.0.title", None), ask("points.0.phase", "implementation"),
            ask("points.0.year", None), choose("remove"), ("confirm", "confirm", False),
            choose("done"), ask("signed_on", Interrupt()),
        ]
    )  # fmt: skip
    run(Workspace(root), prompter, lang="nl")
    assert prompter.confirms == ["Punt 1: Beleidsuitvoering verwijderen?"]


@pytest.mark.parametrize(
    ("msgid", "values", "one", "two"),
    [
        ("fill.ui.count_missing", {}, "1 ontbreekt", "2 ontbreken"),
        ("fill.sections", {}, "1 onderdeel", "2 onderdelen"),
        ("fill.questions", {}, "1 vraag", "2 vragen"),
        (
            "peer_review.heading",
            {"todo": 1},
            "Reacties op de conceptrapportage: 1 bevinding, nog 1 te gaan.",
            "Reacties op de conceptrapportage: 2 bevindingen, nog 1 te gaan.",
        ),
        (
            "peer_review.end_reacted",
            {"done": 0},
            "0/1 bevinding van een reactie voorzien",
            "0/2 bevindingen van een reactie voorzien",
        ),
        (
            "peer_review.stale_unchanged",
            {},
            "Ongewijzigd; uw reactie blijft staan: 1 bevinding",
            "Ongewijzigd; uw reactie blijft staan: 2 bevindingen",
        ),
    ],
)
def test_counts_in_a_dutch_session_take_the_right_form(
    msgid: str, values: dict[str, Any], one: str, two: str
) -> None:
    assert ngettext("nl", msgid, f"{msgid}_plural", 1, **values) == one
    assert ngettext("nl", msgid, f"{msgid}_plural", 2, **values) == two
