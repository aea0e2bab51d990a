"""Every answer check a respondent can meet, said in Dutch in a Dutch session (issues 16, 17).

The model's checks (:mod:`selfeval.model.items`, :mod:`selfeval.model.answers`)
say what is wrong as a message of the catalogue (``answer.*``) with its
values; ``validate`` and answers files read it in English, a ``fill``
session in its own language. This walks **every** ``answer.*`` message of
the catalogue — each one raised by the check that says it, not looked up by
id — and fails when one is not reached here (a new check needs a case), when
the Dutch text is the English one, or when it holds English words. Before
this, ``fill/local.py`` translated by matching the English text, and a
reworded English message silently stayed English in a Dutch session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter

from selfeval import i18n
from selfeval.fill.local import parse_answer
from selfeval.fill.review import problem_lines
from selfeval.i18n import Message
from selfeval.model.answers import AnswerError, check_answer, check_answers
from selfeval.model.items import InfoItem
from selfeval.model.questionnaire import Item, Questionnaire

ITEM: TypeAdapter[Any] = TypeAdapter(Item)
CODES = ["BZ", "FIN"]


def item(**data: Any) -> Any:
    return ITEM.validate_python({"id": "x", "label": "Vraag", **data})


def typed(data: dict[str, Any], text: str) -> Callable[[], Any]:
    """What the respondent types at the prompt (a Dutch session)."""
    return lambda: parse_answer(item(**data), text, "nl")


def stored(data: dict[str, Any], value: Any) -> Callable[[], Any]:
    """An answer as the response file holds it (checked again in the session)."""
    return lambda: item(**data).check(value, lambda exclude_self: CODES)


CHOICES = {"type": "multiple-choice", "choices": [{"value": "a", "label": "A"}]}
#: (what the respondent does, the message it gets). Every answer.* message has a case.
CASES: list[tuple[Callable[[], Any], str]] = [
    (typed({"type": "integer"}, "ca. 2004"), "answer.not_whole"),
    (typed({"type": "number"}, "veel"), "answer.not_number"),
    (typed({"type": "date"}, "31-02-2006"), "answer.no_such_day"),
    (typed({"type": "date"}, "mei 2006"), "answer.not_a_date"),
    (stored({"type": "integer", "min": 1900, "max": 2100}, 20), "answer.between"),
    (stored({"type": "integer", "min": 1900}, 20), "answer.out_of_range"),
    (stored({"type": "integer"}, True), "answer.expected_whole"),
    (stored({"type": "number", "min": 0.5}, 0.1), "answer.at_least"),
    (stored({"type": "number", "max": 0.5}, 1), "answer.at_most"),
    (stored({"type": "number"}, "veel"), "answer.expected_number"),
    (stored({"type": "text", "min_length": 10}, "kort"), "answer.min_chars"),
    (stored({"type": "text", "min_length": 1}, " "), "answer.min_chars"),
    (stored({"type": "long-text", "max_length": 5}, "te lang"), "answer.max_chars"),
    (stored({"type": "text", "max_length": 1}, "ab"), "answer.max_chars"),
    (stored({"type": "text", "pattern": "[A-Z]+"}, "abc"), "answer.pattern"),
    (stored({"type": "text"}, "a\x1bb"), "answer.control_char"),
    (stored({"type": "long-text"}, "a\n\ud800"), "answer.surrogate"),
    (stored({"type": "text"}, "a\ufdd0"), "answer.noncharacter"),
    (stored({"type": "text"}, "a\u202eb"), "answer.bidi_control"),
    (stored({"type": "text"}, False), "answer.expected_text"),
    (stored({"type": "text"}, dt.date(2006, 5, 16)), "answer.expected_text"),
    (stored({"type": "text"}, 1.1), "answer.expected_text"),
    (stored({"type": "text"}, {"a": 1}), "answer.expected_text"),
    (stored({"type": "text"}, ["a"]), "answer.expected_text"),
    (stored({"type": "text"}, None), "answer.expected_text"),
    (stored({"type": "text"}, b"x"), "answer.expected_text"),
    (stored({"type": "date"}, 2006), "answer.expected_date"),
    (stored({"type": "date"}, "2006-5-16"), "answer.not_a_date"),
    (stored({"type": "date"}, "2006-02-30"), "answer.no_such_day"),
    (stored({"type": "yes-no"}, "ja"), "answer.expected_yes_no"),
    (stored({"type": "single-choice", "choices": [{"value": "a", "label": "A"}]}, "b"),
     "answer.not_a_choice"),
    (stored(CHOICES, 3), "answer.expected_list"),
    (stored(CHOICES, ["b"]), "answer.not_among"),
    (stored(CHOICES, ["a", "a"]), "answer.listed_twice"),
    (stored({**CHOICES, "min_selected": 1}, []), "answer.choose_at_least"),
    (stored({**CHOICES, "max_selected": 1}, ["a", "a"]), "answer.listed_twice"),
    (stored({"type": "participants", "max_selected": 1}, ["BZ", "FIN"]),
     "answer.choose_at_most"),
    (stored({"type": "participants"}, ["XX"]), "answer.not_among"),
    (stored({"type": "participant"}, 3), "answer.not_a_participant"),
    (stored({"type": "participant"}, "XX"), "answer.not_a_participant_of"),
    (stored({"type": "findings"}, ["geen id"]), "answer.not_finding_ids"),
    (stored({"type": "findings"}, 7), "answer.expected_list"),
    (lambda: InfoItem.model_validate({"id": "x", "type": "info", "label": "L"}).check("a"),
     "answer.info_note"),
    # the base class's answer to a type without a check of its own
    (lambda: type(item(type="text")).__mro__[1].check(item(type="text"), "a"),
     "answer.unsupported"),
]  # fmt: skip

QUESTIONNAIRE = Questionnaire.model_validate(
    {
        "id": "q",
        "version": "1.0.0",
        "kind": "self-evaluation",
        "title": "Q",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "items": [
                    {"id": "name", "type": "text", "label": "Naam", "required": True},
                    {
                        "id": "docs",
                        "type": "repeat",
                        "label": "Documenten",
                        "min_items": 2,
                        "max_items": 2,
                        "items": [{"id": "title", "type": "text", "label": "Titel"}],
                    },
                ],
            }
        ],
    }
)
#: Responses whose problems the review lists (check_answers), each with its message.
RESPONSES: list[tuple[dict[str, Any], str]] = [
    ({"unknown": 1}, "answer.no_such_item"),
    ({}, "answer.required_missing"),
    ({"docs": "x"}, "answer.expected_entries"),
    ({"docs": [{}]}, "answer.too_few_entries"),
    ({"docs": [{}, {}, {}]}, "answer.too_many_entries"),
    ({"docs": ["x"]}, "answer.entry_not_mapping"),
    ({"docs": [{"key": "A B"}]}, "answer.bad_key"),
    ({"docs": [{"key": "a"}, {"key": "a"}]}, "answer.key_twice"),
    ({"docs": [{"key": "2"}, {}]}, "answer.key_is_position"),
    ({"docs": [{"same_as": "x"}]}, "answer.same_as_ids"),
]

#: Words of the English messages that Dutch does not use. Looked for outside quoted
#: values ('text') and outside file names and finding ids (reports/draft.yaml, ABC.needs.2).
_NOT_WORDS = re.compile(r"'[^']*'|\S+[./]\S+")
ENGLISH = re.compile(
    r"\b(must|expected|but|choose|the|at|least|most|not|write|got|needs|allows|has|such|"
    r"this|use|one|put|between|and|out|takes|becomes|unquoted|read|entries|entry|answer|"
    r"number|date|required|missing|listed|twice|key|text|list|value|among|choices|"
    r"finding|information|note|whole|item|items|quotes|lines|range|type|unsupported)\b"
)


def _ids(message: Message) -> Iterator[str]:
    yield message.msgid
    for value in message.values.values():
        for part in value if isinstance(value, tuple) else (value,):
            if isinstance(part, Message):
                yield from _ids(part)


def _said() -> list[tuple[str, Message]]:
    """(what was done, the message said) for every case: raised by the checks themselves."""
    found = []
    for index, (act, expected) in enumerate(CASES):
        with pytest.raises(AnswerError) as caught:
            act()
        assert caught.value.said.msgid == expected, f"case {index}"
        found.append((f"case {index}", caught.value.said))
    for answers, expected in RESPONSES:
        problems = check_answers(QUESTIONNAIRE, answers, complete=True)
        said = [p.said for p in problems if p.said.msgid == expected]
        assert said, f"{answers}: no {expected} among {[p.said.msgid for p in problems]}"
        found.append((repr(answers), said[0]))
    # a whole repeat group checked as one answer says each entry's problem
    group = QUESTIONNAIRE.sections[0].items[1]
    with pytest.raises(AnswerError) as caught:
        check_answer(group, [{"title": 3}])
    found.append(("one group", caught.value.said))
    found += _links_said()
    return found


def _links_said() -> list[tuple[str, Message]]:
    """What an opportunity's link that may not be says (selfeval.model.links), each once."""
    from selfeval.files.load import load_questionnaire
    from selfeval.files.resources import shipped_questionnaires
    from selfeval.model.links import response_link_problems

    shipped = {p.name: p for p in shipped_questionnaires()}
    own = load_questionnaire(shipped["self-evaluation-1.2.0.yaml"]).questionnaire
    review = load_questionnaire(shipped["peer-review-2-1.1.0.yaml"]).questionnaire
    cases = [
        (own, {"opportunities": [{"answers": ["X.needs.1"]}]}, "answer.link_not_own"),
        (own, {"opportunities": [{"answers": ["X.opportunities.1"]}]}, "answer.link_kind"),
        (
            review,
            {"opportunities": [{"answers": ["X.peer-review-2.needs.9"]}]},
            "answer.link_unknown",
        ),
    ]
    found = []
    for questionnaire, answers, expected in cases:
        said = [p.said for p in response_link_problems(questionnaire, "X", answers)]
        assert [m.msgid for m in said] == [expected], answers
        found.append((repr(answers), said[0]))
    return found


def test_every_answer_message_is_reached_by_a_check() -> None:
    reached = {msgid for _, said in _said() for msgid in _ids(said)}
    catalogue = {m for m in i18n.messages("en", "answer")}
    assert {f"answer.{m}" for m in catalogue} - reached == set(), "add a case for these"


def test_every_answer_check_is_dutch_in_a_dutch_session_and_english_elsewhere() -> None:
    english_in_dutch = []
    for what, said in _said():
        dutch, english = said.text("nl"), said.text("en")
        assert english == str(said) and dutch != english, what
        if ENGLISH.search(_NOT_WORDS.sub(" ", dutch)):
            english_in_dutch.append(f"{what}: {dutch}")
    assert english_in_dutch == []


def test_the_review_lists_problems_in_the_session_language() -> None:
    problems = check_answers(QUESTIONNAIRE, {"docs": [{"title": 3}]}, complete=True)
    assert problem_lines(QUESTIONNAIRE, problems, "nl") == (
        "Naam: ontbreekt",
        "Documenten: minstens 2 nodig (nu 1)",
        "Documenten › Documenten 1 › Titel: verwacht tekst, maar YAML las een getal zonder "
        "aanhalingstekens als 3 (1.10 wordt 1.1, 007 wordt 7); zet de tekst tussen "
        "aanhalingstekens",
    )
    assert problem_lines(QUESTIONNAIRE, problems, "en")[:2] == (
        "Naam: missing",
        "Documenten: needs at least 2 entries (has 1)",
    )


def test_a_problem_of_a_question_says_no_colon_after_its_question_mark() -> None:
    data = QUESTIONNAIRE.model_dump(mode="json", exclude_none=True, by_alias=True)
    data["sections"][0]["items"][0]["label"] = "Welke naam?"
    asked = Questionnaire.model_validate(data)
    problems = check_answers(asked, {}, complete=True)
    assert problem_lines(asked, problems, "nl")[0] == "Welke naam? ontbreekt"


@pytest.mark.parametrize(
    ("act", "dutch", "english"),
    [
        (
            stored({"type": "text", "min_length": 1}, " "),
            "moet minstens 1 teken lang zijn",
            "must be at least 1 character",
        ),
        (
            stored({"type": "text"}, False),
            "verwacht tekst, maar YAML las een woord zonder aanhalingstekens (zoals NO, yes, "
            "on, off) als false; zet de tekst tussen aanhalingstekens",
            "expected text, but YAML read an unquoted word (such as NO, yes, on, off) as "
            "false; put the text in quotes",
        ),
        (
            typed({"type": "date"}, "31-02-2006"),
            "'31-02-2006' staat niet in de kalender; kies een dag die bestaat",
            "'31-02-2006' is not a day in the calendar; pick one that exists",
        ),
    ],
)
def test_a_message_with_values_inside_reads_whole_in_each_language(
    act: Callable[[], Any], dutch: str, english: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        act()
    assert (caught.value.text("nl"), str(caught.value)) == (dutch, english)
