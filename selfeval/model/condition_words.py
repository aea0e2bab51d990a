"""A ``when`` condition in words, for people who read a questionnaire before filling it.

``recognition == 'partly' or recognition == 'not'`` becomes "the answer to
question 1.2 is “Gedeeltelijk” or the answer to question 1.2 is “Niet”":
item ids become the questions' numbers and labels, choice values their
labels, ``true``/``false`` of a yes/no question "yes"/"no". The condition is
read from its parsed tree (:mod:`selfeval.model.conditions`), never from its
text, so the words say exactly what is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from selfeval.i18n import N_, gettext
from selfeval.model.conditions import Condition
from selfeval.model.questionnaire import (
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    ScaleItem,
    SingleChoiceItem,
    YesNoItem,
    text_in,
)

__all__ = ["Named", "describe"]

#: The message (``selfeval/locale``) for each part of a condition.
_WORDS = {
    "set": N_("condition.answered"),
    "yes": N_("condition.answered_yes"),
    "==": N_("condition.is"),
    "!=": N_("condition.is_not"),
    "<": N_("condition.less_than"),
    "<=": N_("condition.at_most"),
    ">": N_("condition.more_than"),
    ">=": N_("condition.at_least"),
    "chosen": N_("condition.chosen"),
    "not chosen": N_("condition.not_chosen"),
    "one of": N_("condition.one_of"),
    "not one of": N_("condition.none_of"),
    "not": N_("condition.not"),
    "and": N_("condition.and"),
    "or": N_("condition.or"),
    "true": N_("condition.yes"),
    "false": N_("condition.no"),
    "null": N_("condition.empty"),
    "question": N_("condition.question"),
    "again": N_("condition.question_again"),
}


@dataclass(frozen=True)
class Named:
    """How a condition names an item: the item and its number in the document (``2.3``)."""

    item: Any
    number: str


def describe(condition: Condition, items: Mapping[str, Named], lang: str) -> str:
    """Say what ``condition`` means, in ``lang`` (``nl`` or ``en``).

    Args:
        condition: a parsed ``when``.
        items: item id → the item and its number, for every id the
            condition may name (those of the same repeat entry first).
        lang: the language of the words and labels.

    Returns:
        One phrase, e.g. ``the answer to question 1.2 (“…”) is “Partly” or
        the answer to question 1.2 is “Not”`` (a question's label is given the
        first time it is named). An id that ``items`` does not know is shown
        as it is.
    """
    words = {part: gettext(lang, msgid) for part, msgid in _WORDS.items()}
    return _Describer(items, lang, words).node(condition.tree)


class _Describer:
    def __init__(self, items: Mapping[str, Named], lang: str, words: dict[str, str]) -> None:
        self.items = items
        self.lang = lang
        self.w = words
        self.seen: set[str] = set()

    def question(self, item_id: str) -> str:
        """The question by number, with its label the first time it is named."""
        named = self.items.get(item_id)
        if named is None:
            return f"“{item_id}”"
        if item_id in self.seen:
            return self.w["again"].format(n=named.number)
        self.seen.add(item_id)
        return self.w["question"].format(n=named.number, label=text_in(named.item.label, self.lang))

    def value(self, node: Any, about: str | None) -> str:
        """A literal (or list of literals) as the reader knows it: a label where there is one."""
        kind = node[0]
        if kind == "list":
            return ", ".join(self.value(n, about) for n in node[1])
        if kind == "name":
            return self.question(node[1])
        if kind != "lit":
            return self.node(node)
        value = node[1]
        item = self.items[about].item if about in self.items else None
        if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
            for choice in item.choices:
                if choice.value == value:
                    return f"“{text_in(choice.label, self.lang)}”"
        if isinstance(item, ScaleItem) and value in item.labels:
            return f"{value} (“{text_in(item.labels[value], self.lang)}”)"
        if isinstance(value, bool):
            return self.w["true" if value else "false"]
        if value is None:
            return self.w["null"]
        if isinstance(value, str) and not isinstance(item, ParticipantItem | ParticipantsItem):
            return f"“{value}”"
        return str(value)

    def node(self, node: Any) -> str:
        kind = node[0]
        if kind == "name":
            item = self.items.get(node[1])
            key = "yes" if item is not None and isinstance(item.item, YesNoItem) else "set"
            return self.w[key].format(q=self.question(node[1]))
        if kind == "not":
            inner = node[1]
            if inner[0] == "cmp" and inner[1] == "in":
                return self.membership(inner, negated=True)
            if inner[0] == "cmp" and inner[1] == "==":
                return self.compare(("cmp", "!=", inner[2], inner[3]))
            return self.w["not"].format(x=self.node(inner))
        if kind in ("and", "or"):  # a chain is one flat node: ("and", (a, b, c, …))
            return f" {self.w[kind]} ".join(self.node(n) for n in node[1])
        if kind == "cmp":
            if node[1] == "in":
                return self.membership(node, negated=False)
            return self.compare(node)
        return self.value(node, None)

    def compare(self, node: Any) -> str:
        _, op, left, right = node
        if left[0] != "name" and right[0] == "name":
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
            left, right, op = right, left, flipped.get(op, op)
        if left[0] == "name":
            if op in ("==", "!=") and right == ("lit", True):
                yes = self.node(left)
                return yes if op == "==" else self.w["not"].format(x=yes)
            return self.w[op].format(q=self.question(left[1]), v=self.value(right, left[1]))
        return f"{self.value(left, None)} {op} {self.value(right, None)}"

    def membership(self, node: Any, *, negated: bool) -> str:
        _, _, left, right = node
        if right[0] == "name":  # 'recovery' in phases: a choice made in a list answer
            key = "not chosen" if negated else "chosen"
            return self.w[key].format(q=self.question(right[1]), v=self.value(left, right[1]))
        if left[0] == "name":  # involvement in ['strong', 'medium']
            key = "not one of" if negated else "one of"
            return self.w[key].format(q=self.question(left[1]), v=self.value(right, left[1]))
        text = f"{self.value(left, None)} in {self.value(right, None)}"
        return self.w["not"].format(x=text) if negated else text
