"""Checking answers against items: types, choices, ranges, conditions, progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from selfeval.files.load import load_exercise, load_questionnaire
from selfeval.model.answers import (
    AnswerError,
    check_answer,
    check_answers,
    inactive_answers,
    parse_typed,
    progress,
)

REPO = Path(__file__).resolve().parents[1]
SE = load_questionnaire(REPO / "questionnaires" / "self-evaluation-1.0.0.yaml").questionnaire
EXERCISE = load_exercise(REPO / "selfeval.yaml")


def test_typed_text_is_kept_verbatim() -> None:
    for text in ["NO", "1.10", "2006-05-16", "22:22", "Financiën"]:
        assert parse_typed(SE.item("definition"), text) == text


def test_numbers_and_dates_are_checked() -> None:
    year = SE.item("documents").items[1]  # type: ignore[union-attr]
    assert check_answer(year, 2006) == 2006
    with pytest.raises(AnswerError, match="between 1900 and 2100"):
        check_answer(year, 1800)
    with pytest.raises(AnswerError, match="whole number"):
        parse_typed(year, "twee")
    assert check_answer(SE.item("completed_on"), dt.date(2006, 5, 16)) == "2006-05-16"
    with pytest.raises(AnswerError, match="YYYY-MM-DD"):
        check_answer(SE.item("completed_on"), "16-05-2006")


def test_choices_and_participants() -> None:
    with pytest.raises(AnswerError, match="not one of the choices"):
        check_answer(SE.item("involvement"), "huge")
    gives = SE.item("gives_input_to")
    assert check_answer(gives, ["DEF", "FIN"], exercise=EXERCISE, participant="BZ") == [
        "DEF",
        "FIN",
    ]
    with pytest.raises(AnswerError, match="not among the participant codes"):
        check_answer(gives, ["BZ"], exercise=EXERCISE, participant="BZ")  # exclude_self
    with pytest.raises(AnswerError, match="expected text"):
        check_answer(SE.item("definition"), False)  # an unquoted NO in a hand-written file


def test_missing_required_answers_and_bad_entries_are_all_reported() -> None:
    answers = {
        "definition": "Een staat die faalt.",
        "has_bottlenecks": True,
        "bottlenecks": [{"title": "Capaciteit", "departments": ["XX"]}],
        "colour": "red",
    }
    problems = [str(p) for p in check_answers(SE, answers, exercise=EXERCISE, complete=True)]
    assert "colour: there is no such item in this questionnaire" in problems
    assert "phases: a required answer is missing" in problems
    assert "bottlenecks[0].description: a required answer is missing" in problems
    assert any(p.startswith("bottlenecks[0].departments: 'XX'") for p in problems)


def test_when_skips_items_and_inactive_answers_are_found() -> None:
    answers = {"has_bottlenecks": False, "bottlenecks": [{"title": "x", "description": "y"}]}
    assert inactive_answers(SE, answers) == ["bottlenecks"]
    assert "bottlenecks" not in progress(SE, answers).missing
    answers["has_bottlenecks"] = True
    assert inactive_answers(SE, answers) == []


def test_progress_counts_required_items() -> None:
    before = progress(SE, {})
    after = progress(SE, {"definition": "x"})
    assert after.required_answered == before.required_answered + 1
    assert "definition" in before.missing and "definition" not in after.missing
    assert not after.complete


def test_one_unknown_item_is_reported_once() -> None:
    problems = [str(p) for p in check_answers(SE, {"bogus_item": "hello"})]
    assert problems == ["bogus_item: there is no such item in this questionnaire"]


def test_an_incomplete_entry_of_an_optional_group_blocks_completeness() -> None:
    answers = {"documents": [{"year": 2003}]}  # the entry's required title is missing
    result = progress(SE, answers)
    assert "documents" in result.missing
    assert any(
        str(p) == "documents[0].title: a required answer is missing"
        for p in check_answers(SE, answers, complete=True)
    )
    answers["documents"][0]["title"] = "Aan elkaar verplicht"
    assert "documents" not in progress(SE, answers).missing
