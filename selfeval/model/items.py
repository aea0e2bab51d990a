"""Questionnaire item types: what each asks, how it checks and shows its answer.

Items are a tagged union on ``type`` (:data:`Item`); a mistyped key is an
error (``extra="forbid"``). Each item type owns what it knows about its
answers, as copier's ``Question`` does (``copier/_user_data.py``):
:meth:`parse` turns typed text into a value, :meth:`check` checks a stored
answer and returns it in stored form, :meth:`display` shows it in the report.
The terminal widget for each type stays in ``selfeval/cli/terminal.py``;
checking whole responses (conditions, repeat groups, required answers) is
:mod:`selfeval.model.answers`. The format is ``docs/questionnaire-format.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Container, Iterable
from functools import cached_property
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from selfeval.i18n import N_, Message
from selfeval.model.conditions import Condition, ConditionError
from selfeval.model.conditions import parse as parse_condition
from selfeval.model.roles import ReportRoleName
from selfeval.model.text import bad_character, character_message, character_problem, normalised

__all__ = [
    "FINDING_ID",
    "ITEM_TYPES",
    "AnswerError",
    "Choice",
    "Codes",
    "FindingsItem",
    "Item",
    "LocalText",
    "LocatedValueError",
    "QuotedStr",
    "RepeatItem",
    "text_in",
    "yaml_reading",
]

Language = Literal["nl", "en"]
_ID = r"^[a-z][a-z0-9_]*$"


class AnswerError(ValueError):
    """An answer that does not fit its item; the message says what fits.

    Raised with a message of the catalogue (``answer.*``, ``selfeval/locale``)
    and its values, so that each reader gets it in their language:
    ``str(error)`` is the English text (answers files, ``validate``),
    ``error.text("nl")`` the Dutch one (a Dutch ``fill`` session).
    :attr:`said` is the :class:`~selfeval.i18n.Message` itself.
    """

    def __init__(self, msgid: str | Message, /, **values: Any) -> None:
        self.said = msgid if isinstance(msgid, Message) else Message(msgid, **values)
        super().__init__(str(self.said))

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``nl``, ``en``)."""
        return self.said.text(lang)


class Codes(Container[str], Iterable[str], Protocol):
    """The participant codes a participant item accepts (membership, and listed for messages)."""


#: ``codes_for(exclude_self)``: the codes a participant item accepts, or None to skip the check.
CodesFor = Callable[[bool], Codes] | None


def as_read(value: Any) -> Message:
    """Say what YAML made of an answer, in the user's terms, not Python's."""
    if isinstance(value, bool):
        return Message("answer.read_word", value=str(value).lower())
    if isinstance(value, dt.datetime | dt.date):
        return Message("answer.read_date", value=value.isoformat())
    if isinstance(value, int | float):
        return Message("answer.read_number", value=value)
    if value is None:
        return Message("answer.read_empty")
    if isinstance(value, str):
        return Message("answer.read_text", value=repr(value))
    if isinstance(value, list):
        return Message("answer.read_list")
    if isinstance(value, dict):
        return Message("answer.read_mapping")
    return Message("answer.read_other", value=repr(value))


def _plain(value: str) -> str:
    """A text of a questionnaire or the exercise under the one rule of texts (model.text)."""
    problem = character_problem(value)
    if problem is not None:
        raise ValueError(f"{problem}: remove it")
    return value


def _plain_texts(value: dict[Language, str]) -> dict[Language, str]:
    for text in value.values():
        _plain(text)
    return value


def _local_text(value: Any) -> Any:
    if isinstance(value, str):
        return {"nl": value, "en": value}
    if not isinstance(value, dict):  # say both forms, not only the mapping's
        found = yaml_reading(value)[0]  # a number, yes/no, a date: an unquoted word's reading
        raise ValueError(f"one text, or {{nl: …, en: …}}, belongs here, but YAML read {found}")
    return value


#: A text in Dutch and/or English: a plain string (same in both) or ``{nl: …, en: …}``.
LocalText = Annotated[
    dict[Language, str],
    BeforeValidator(_local_text, json_schema_input_type=str | dict[Language, str]),
    AfterValidator(_plain_texts),
]


def text_in(text: dict[Language, str] | None, lang: str) -> str:
    """Pick ``lang`` from a :data:`LocalText`, falling back to the other language."""
    if not text:
        return ""
    return text.get(lang) or text.get("nl") or text.get("en") or ""  # type: ignore[call-overload]


def yaml_reading(value: Any) -> tuple[str, str]:
    """What YAML read from an unquoted value, in a reader's words, and how to write it instead.

    Python's own form (``datetime.date(2027, 3, 15)``) means nothing to the
    person who wrote ``date: 2027-03-15`` (trial 10): this says
    ``'2027-03-15', a date`` and ``in quotes: '2027-03-15'``.

    Args:
        value: what YAML made of the unquoted text (a date, number, yes/no, list, …).

    Returns:
        (what was read, how to write it as text), for "YAML read …; write it …".
    """
    if value is None:
        return "nothing", "the text in quotes"
    if isinstance(value, bool):  # before int: a bool is an int
        word = str(value).lower()
        return (
            f"{word}, a yes/no value (from an unquoted yes, no, on, off, true or false)",
            "in quotes, as written: 'no'",
        )
    if isinstance(value, dt.date):  # a datetime is a date too
        return f"'{value.isoformat()}', a date", f"in quotes: '{value.isoformat()}'"
    if isinstance(value, int):
        return f"{value}, a number", f"in quotes: '{value}'"
    if isinstance(value, float):
        return f"{value!r}, a number", "in quotes, as written: '1.10'"
    if isinstance(value, list):
        return "a list", "as one text in quotes"
    if isinstance(value, dict):
        return "a mapping (key: value lines)", "as one text in quotes"
    return f"a {type(value).__name__}", "in quotes"


def _strict_str(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        what, how = yaml_reading(value)
        raise ValueError(f"must be a quoted string, but YAML read {what}; write it {how}")
    return value


QuotedStr = Annotated[str, BeforeValidator(_strict_str), AfterValidator(_plain)]


class LocatedValueError(ValueError):
    """A ValueError that knows where in the document it applies (a path of keys/indexes)."""

    def __init__(self, message: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.loc = loc


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Model):
    """One option of a choice item: the stored ``value`` and its label."""

    value: QuotedStr = Field(
        description="What a response stores when this choice is made: keep it once answers "
        "arrive (a quoted string)."
    )
    label: LocalText = Field(
        description="What fill offers and the report shows: one text, or {nl: …, en: …}; "
        "can be improved any time."
    )


class _Conditional(_Model):
    """Something asked only when its ``when`` condition holds (items and sections)."""

    when: str | None = Field(
        default=None, description="Condition on earlier answers; see docs/questionnaire-format.md."
    )

    @cached_property
    def condition(self) -> Condition | None:
        """The parsed ``when``, or None.

        A cached property, not a pydantic private attribute: it is read for
        every answer checked, and a plain instance attribute is several times
        cheaper to read (``docs/performance.md``).

        Raises:
            ConditionError: on first access, if ``when`` does not parse (which
                :meth:`model_post_init` turns into a validation error at load time).
        """
        return None if self.when is None else parse_condition(self.when)

    def model_post_init(self, context: Any) -> None:
        """Parse ``when`` once, so a bad condition fails at load time."""
        try:
            self.condition  # noqa: B018 - parse now, cache for later
        except ConditionError as exc:
            when = self.when or ""
            shown = when if len(when) <= 80 else f"{when[:60]}…"  # never the whole of a huge one
            raise LocatedValueError(
                f"invalid 'when' condition {shown!r}: {exc}", ("when",)
            ) from None


class _ItemBase(_Conditional):
    id: Annotated[str, Field(pattern=_ID, description="Unique id, lower_snake_case.")]
    label: LocalText
    help: LocalText | None = None
    required: bool = False
    report: ReportRoleName | None = Field(
        default=None,
        description="What the integrated report does with the answer (a report role; "
        "docs/questionnaire-format.md). Not part of the content hash.",
    )

    def parse(self, text: str) -> Any:
        """Turn what a respondent typed into the value to :meth:`check` (here: as typed).

        Raises:
            AnswerError: the text is not a number or date where one is needed.
        """
        return text

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """Check one answer (not None) and return it in stored form.

        Args:
            value: the answer, as read from YAML or parsed.
            codes_for: the participant codes a participant item accepts
                (None: not checked).

        Raises:
            AnswerError: with a message that says what fits.
        """
        raise AnswerError("answer.unsupported", type=repr(self.type))  # type: ignore[attr-defined]

    def display(self, value: Any, lang: str) -> str:
        """An answer as a reader of the report sees it (here: the value as text).

        Args:
            value: a stored answer of this item.
            lang: the report language.

        Returns:
            The text shown; choice items show their labels (:class:`_Choosable`).
        """
        return str(value)


#: The name of a choice list an exercise declares per incident category (``choices_from:``).
CHOICE_LIST_PATTERN = _ID


class _Choosable:
    """What a choice item knows: its choices' labels (mixed into the choice item types).

    A choice item lists its ``choices``, or names a list the exercise declares
    for its incident category (``choices_from: phases``): the category's
    vocabulary lives with the exercise, not in a generic questionnaire (issue
    12). :func:`selfeval.model.questionnaire.bind_choice_lists` fills such an
    item's choices in before the questionnaire is used; until then it has none.
    """

    choices: list[Choice]
    choices_from: str | None

    def display(self, value: Any, lang: str) -> str:
        """The chosen value(s) as their labels in ``lang``, joined; an unknown value as is."""
        values = value if isinstance(value, list) else [value]
        labels = {c.value: text_in(c.label, lang) for c in self.choices}
        return ", ".join(labels.get(v, str(v)) for v in values)


def _check_choice_source(item: Any) -> Any:
    """A choice item has ``choices`` or ``choices_from``, exactly one of the two."""
    if item.choices_from is not None and item.choices:
        raise LocatedValueError(
            f"item {item.id!r} has both 'choices' and 'choices_from'; give one of the two",
            ("choices_from",),
        )
    if item.choices_from is None and not item.choices:
        raise LocatedValueError(
            f"item {item.id!r} needs 'choices' (at least one), or 'choices_from' naming a "
            f"choice list of the exercise's incident category",
            ("choices",),
        )
    return item


class TextItem(_ItemBase):
    """A one-line text answer."""

    type: Literal["text"]
    default: QuotedStr | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None

    def parse(self, text: str) -> Any:
        """The text as typed; None when only whitespace."""
        return text if text.strip() else None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """Text within ``min_length``/``max_length`` and ``pattern``."""
        return _check_text(value, self.min_length, self.max_length, self.pattern)


class LongTextItem(_ItemBase):
    """A multi-line text answer (prompted with a multi-line editor)."""

    type: Literal["long-text"]
    default: QuotedStr | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)

    def parse(self, text: str) -> Any:
        """The text as typed; None when only whitespace."""
        return text if text.strip() else None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """Text within ``min_length``/``max_length``."""
        return _check_text(value, self.min_length, self.max_length, None)


def _check_text(
    value: Any, min_length: int | None, max_length: int | None, pattern: str | None
) -> str:
    """A stored text within the length bounds and, if given, matching ``pattern``.

    Shared by text and long-text items.

    Returns:
        The text, CR LF and a lone CR made LF (:mod:`selfeval.model.text`).

    Raises:
        AnswerError: not text (a YAML scalar read as something else), a
            character no text may hold (a control character, a lone surrogate,
            a noncharacter: :func:`~selfeval.model.text.bad_character`), too
            short, too long, or not matching the pattern.
    """
    if not isinstance(value, str):
        raise AnswerError("answer.expected_text", read=as_read(value))
    value = normalised(value)
    bad = bad_character(value)
    if bad is not None:
        raise AnswerError(character_message(value, *bad))
    if min_length is not None and len(value.strip()) < min_length:
        raise AnswerError(Message.plural("answer.min_chars", "answer.min_chars_plural", min_length))
    if max_length is not None and len(value) > max_length:
        raise AnswerError(
            Message.plural(
                "answer.max_chars", "answer.max_chars_plural", max_length, length=len(value)
            )
        )
    if pattern and not re.fullmatch(pattern, value):
        raise AnswerError("answer.pattern", pattern=pattern)
    return value


def number_example(low: float | None, high: float | None) -> str:
    """A number to show as an example of what to type, within ``low``..``high``.

    This year when the range starts at a four-digit number and holds it (a
    year question: "bijvoorbeeld 2026"), else 3, moved into the range; a whole
    number whenever the range holds one (issue 16, trial 5: "'mei 2023' is
    geen geheel getal" said nothing of what to type instead).
    """
    first = math.ceil(low) if low is not None else None
    last = math.floor(high) if high is not None else None
    if first is not None and last is not None and first > last:
        return str(low)  # no whole number in the range
    year = dt.date.today().year
    wanted = year if low is not None and low >= 1000 and (last is None or year <= last) else 3
    if first is not None:
        wanted = max(wanted, first)
    if last is not None:
        wanted = min(wanted, last)
    return str(wanted)


def _parse_whole(text: str, low: int | None, high: int | None) -> int | None:
    """A typed whole number (integer and scale items); None when empty.

    Raises:
        AnswerError: the text is not a whole number (the message gives an
            example within ``low``..``high``, :func:`number_example`).
    """
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return int(stripped)
    except ValueError:
        raise AnswerError(
            "answer.not_whole", value=repr(stripped), example=number_example(low, high)
        ) from None


def _check_whole(value: Any, low: int | None, high: int | None) -> int:
    """A stored whole number within ``low``..``high`` (integer and scale items).

    Raises:
        AnswerError: not a whole number (a YAML boolean included), or out of range.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError("answer.expected_whole", read=as_read(value))
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            raise AnswerError("answer.between", low=low, high=high)
        raise AnswerError("answer.out_of_range", value=value)
    return value


class IntegerItem(_ItemBase):
    """A whole number, optionally within ``min``..``max``."""

    type: Literal["integer"]
    default: int | None = None
    min: int | None = None
    max: int | None = None

    def parse(self, text: str) -> Any:
        """A whole number; None when empty."""
        return _parse_whole(text, self.min, self.max)

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A whole number within ``min``..``max``."""
        return _check_whole(value, self.min, self.max)


class NumberItem(_ItemBase):
    """A decimal number, optionally within ``min``..``max``."""

    type: Literal["number"]
    default: float | None = None
    min: float | None = None
    max: float | None = None

    def parse(self, text: str) -> Any:
        """A number (a decimal comma is fine); None when empty."""
        stripped = text.strip()
        if not stripped:
            return None
        try:
            number = float(stripped.replace(",", "."))
        except ValueError:
            raise AnswerError(
                "answer.not_number",
                value=repr(stripped),
                example=number_example(self.min, self.max),
            ) from None
        return int(number) if number.is_integer() and "." not in stripped else number

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A number within ``min``..``max``."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError("answer.expected_number", read=as_read(value))
        if self.min is not None and value < self.min:
            raise AnswerError("answer.at_least", n=self.min)
        if self.max is not None and value > self.max:
            raise AnswerError("answer.at_most", n=self.max)
        return value


class DateItem(_ItemBase):
    """A calendar date, stored as an ISO string ``YYYY-MM-DD``."""

    type: Literal["date"]
    default: QuotedStr | None = None

    def parse(self, text: str) -> Any:
        """The date as typed (checked by :meth:`check`); None when empty."""
        return text.strip() or None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """An ISO date ``YYYY-MM-DD`` (a YAML date becomes that string)."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise AnswerError("answer.expected_date", read=as_read(value))
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            # Written as a date but not in the calendar (2027-02-30): say so, not "write it as".
            shaped = len(value) == 10 and value[4] == value[7] == "-"
            message = "answer.no_such_day" if shaped else "answer.not_a_date"
            raise AnswerError(message, value=repr(value)) from None
        if len(value) != 10:
            raise AnswerError("answer.not_a_date", value=repr(value))
        return value


class YesNoItem(_ItemBase):
    """Yes or no, stored as ``true``/``false``."""

    type: Literal["yes-no"]
    default: bool | None = None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """``true`` or ``false``."""
        if not isinstance(value, bool):
            raise AnswerError("answer.expected_yes_no", read=as_read(value))
        return value


class SingleChoiceItem(_Choosable, _ItemBase):
    """Exactly one of ``choices``; stores the choice's ``value``."""

    type: Literal["single-choice"]
    choices: list[Choice] = Field(default_factory=list)
    choices_from: Annotated[str | None, Field(pattern=CHOICE_LIST_PATTERN)] = Field(
        default=None,
        description="Name of a choice list the exercise declares for its incident category "
        "(selfeval.yaml, incident_category.choices); instead of choices.",
    )
    default: QuotedStr | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Any:
        return _check_choice_source(self)

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """One of the choices' values."""
        allowed = [c.value for c in self.choices]
        if value not in allowed:
            raise AnswerError("answer.not_a_choice", value=repr(value), choices=", ".join(allowed))
        return value


class MultipleChoiceItem(_Choosable, _ItemBase):
    """Any number of ``choices`` (between ``min_selected`` and ``max_selected``)."""

    type: Literal["multiple-choice"]
    choices: list[Choice] = Field(default_factory=list)
    choices_from: Annotated[str | None, Field(pattern=CHOICE_LIST_PATTERN)] = Field(
        default=None,
        description="Name of a choice list the exercise declares for its incident category "
        "(selfeval.yaml, incident_category.choices); instead of choices.",
    )
    default: list[QuotedStr] | None = None
    min_selected: int | None = Field(default=None, ge=0)
    max_selected: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_source(self) -> Any:
        return _check_choice_source(self)

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A list of the choices' values, each once, within ``min/max_selected``."""
        return _check_list(self, value, [c.value for c in self.choices])


class ScaleItem(_ItemBase):
    """A point on an integer scale ``min``..``max``, with optional labels per point."""

    type: Literal["scale"]
    min: int = 1
    max: int = 5
    labels: dict[int, LocalText] = Field(default_factory=dict)
    default: int | None = None

    def parse(self, text: str) -> Any:
        """A whole number; None when empty."""
        return _parse_whole(text, self.min, self.max)

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A whole number within ``min``..``max``."""
        return _check_whole(value, self.min, self.max)


class ParticipantItem(_ItemBase):
    """One participant of the exercise, stored as its code."""

    type: Literal["participant"]
    exclude_self: bool = False
    default: QuotedStr | None = None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A participant code of the exercise (not the respondent's own with ``exclude_self``)."""
        if not isinstance(value, str):
            raise AnswerError("answer.not_a_participant", value=repr(value))
        if codes_for is not None:
            codes = codes_for(self.exclude_self)
            if value not in codes:
                raise AnswerError(
                    "answer.not_a_participant_of", value=repr(value), codes=", ".join(codes)
                )
        return value


class ParticipantsItem(_ItemBase):
    """Several participants of the exercise, stored as a list of codes."""

    type: Literal["participants"]
    exclude_self: bool = False
    min_selected: int | None = Field(default=None, ge=0)
    max_selected: int | None = Field(default=None, ge=1)
    default: list[QuotedStr] | None = None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A list of participant codes, each once, within ``min/max_selected``."""
        allowed = codes_for(self.exclude_self) if codes_for is not None else None
        return _check_list(self, value, allowed)


class InfoItem(_ItemBase):
    """A note shown to the respondent; it asks nothing and stores nothing."""

    type: Literal["info"]

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """Nothing: a note takes no answer."""
        raise AnswerError("answer.info_note")


#: A finding id as ``docs/findings.md`` §2 defines it: ``BZ.needs.3``,
#: ``FIN.peer-review-2.needs.eigen-relatie-eu``, ``role.BZK``.
FINDING_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+){1,3}$")


class FindingsItem(_ItemBase):
    """Findings this entry refers to, stored as a list of finding ids.

    In an ``opportunity`` group, the item ``answers`` names the bottlenecks,
    blind spots and needs the opportunity answers (the seed's Figure 2):
    ids of the draft report (``reports/draft.yaml``) or of the respondent's
    own findings in the same response. Here only the form of each id is
    checked; whether it names a finding is checked with the response
    (:func:`selfeval.model.links.response_link_problems`, part of the one check
    of a response) and against all findings when the report is built
    (:func:`selfeval.report.links.link_answers`).
    """

    type: Literal["findings"]
    min_selected: int | None = Field(default=None, ge=0)
    max_selected: int | None = Field(default=None, ge=1)
    default: list[QuotedStr] | None = None

    def parse(self, text: str) -> Any:
        """Ids separated by commas or spaces; None when empty."""
        ids = [part for part in re.split(r"[\s,;]+", text) if part]
        return ids or None

    def check(self, value: Any, codes_for: CodesFor = None) -> Any:
        """A list of finding ids, each once, within ``min/max_selected``."""
        ids = _check_list(self, value, None)
        wrong = [v for v in ids if not FINDING_ID.match(v)]
        if wrong:
            raise AnswerError("answer.not_finding_ids", ids=", ".join(map(repr, wrong)))
        return ids

    def display(self, value: Any, lang: str) -> str:
        """The ids, comma-separated."""
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


FindingKind = Literal["bottleneck", "blind-spot", "need", "opportunity", "activity", "document"]


class RepeatItem(_ItemBase):
    """A repeated group: a list of entries, each answering ``items``.

    ``finding`` marks the group as a list of findings of that kind, which the
    integrated report attributes and gives stable ids (``DESIGN.md`` §5).
    """

    type: Literal["repeat"]
    items: Annotated[list[Item], Field(min_length=1)]
    min_items: int = Field(default=0, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    entry_label: LocalText | None = None
    finding: FindingKind | None = None


#: What a list answer holds, per item type, for the messages about it.
_LIST_OF = {
    "multiple-choice": N_("answer.list_of_choices"),
    "participants": N_("answer.list_of_participants"),
    "findings": N_("answer.list_of_findings"),
}


def _check_list(item: Any, value: Any, allowed: Codes | list[str] | None) -> list[str]:
    what = Message(_LIST_OF[item.type])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError("answer.expected_list", what=what, read=as_read(value))
    if allowed is not None:
        wrong = [v for v in value if v not in allowed]
        if wrong:
            raise AnswerError(
                "answer.not_among",
                values=", ".join(map(repr, wrong)),
                what=what,
                allowed=", ".join(allowed),
            )
    if len(set(value)) != len(value):
        raise AnswerError("answer.listed_twice")
    if item.min_selected is not None and len(value) < item.min_selected:
        raise AnswerError("answer.choose_at_least", n=item.min_selected)
    if item.max_selected is not None and len(value) > item.max_selected:
        raise AnswerError("answer.choose_at_most", n=item.max_selected)
    return list(value)


Item = Annotated[
    TextItem
    | LongTextItem
    | IntegerItem
    | NumberItem
    | DateItem
    | YesNoItem
    | SingleChoiceItem
    | MultipleChoiceItem
    | ScaleItem
    | ParticipantItem
    | ParticipantsItem
    | InfoItem
    | FindingsItem
    | RepeatItem,
    Field(discriminator="type"),
]
RepeatItem.model_rebuild()

ITEM_TYPES = (
    "text", "long-text", "integer", "number", "date", "yes-no", "single-choice",
    "multiple-choice", "scale", "participant", "participants", "findings", "info", "repeat",
)  # fmt: skip
