"""The `when` language: parsed, never evaluated as Python."""

from __future__ import annotations

import pytest

from selfeval.model.conditions import ConditionError, parse


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("involved", {"involved": True}, True),
        ("involved", {"involved": False}, False),
        ("involved", {}, False),
        ("not involved", {}, True),
        ("level == 'strong'", {"level": "strong"}, True),
        ("level != 'strong'", {"level": "weak"}, True),
        ("level != 'strong'", {}, True),
        ("count >= 3", {"count": 3}, True),
        ("count > 3", {"count": "many"}, False),
        ("count > 3", {}, False),
        ("'recovery' in phases", {"phases": ["decay", "recovery"]}, True),
        ("'recovery' not in phases", {"phases": ["decay"]}, True),
        ("level in ['strong', 'medium']", {"level": "medium"}, True),
        ("a and (b or c)", {"a": True, "c": "x"}, True),
        ("a and b or c", {"c": True}, True),
        ("note", {"note": ""}, False),
        ("x == 1.5", {"x": 1.5}, True),
        ("x == null", {"x": None}, True),
    ],
)
def test_evaluation(text: str, answers: dict[str, object], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


def test_names_are_collected_for_load_time_checks() -> None:
    assert parse("a and 'x' in b or not c == 1").names == {"a", "b", "c"}


@pytest.mark.parametrize(
    "text", ["a ==", "a b", "(a", "a && b", "__import__('os')", "a.b", "[1, 2"]
)
def test_malformed_conditions_are_refused(text: str) -> None:
    with pytest.raises(ConditionError):
        parse(text)
