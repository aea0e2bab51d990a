"""The exercise file (``selfeval.yaml``): project, incident category, participants.

One file at a workspace's root describes the exercise (``DESIGN.md`` §1, §7):
the project and report title page data, the incident category, the report
language, which questionnaire versions the exercise uses, and the
participants with their forms of involvement (the seed's Annex 1, Table 1).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from selfeval.model.items import CHOICE_LIST_PATTERN
from selfeval.model.names import EXERCISE_FILE
from selfeval.model.questionnaire import (
    KINDS,
    Choice,
    Kind,
    LocalText,
    LocatedValueError,
    QuotedStr,
    text_in,
)

__all__ = ["EXERCISE_FILE", "Exercise", "IncidentCategory", "Participant"]

#: The exercise file's name at a workspace's root.

#: A text shaped like an ISO date (``2027-02-30``): it must then be a real date.
_ISO_SHAPED = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")

#: A participant code or incident category id: used in file paths, so no
#: separators, dots or spaces; this is what keeps ``../x`` out of the workspace.
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,31}$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

#: The questionnaires a participant can be invited to outside its ``involvement``
#: (``selfeval peer-review --round N``; :meth:`Exercise.invited`).
INVITABLE = ("peer-review-1", "peer-review-2")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Participant(_Model):
    """A department or other entity taking part.

    Attributes:
        code: short id used in files and finding ids (``BZ``, ``FIN``).
        name: display name used in attributions (``Financiën``).
        full_name: full name (``Ministerie van Financiën``), per language like
            the exercise's other texts; :meth:`full_name_in` picks one. The
            report's list of abbreviations gives it where ``name`` abbreviates
            it (:func:`selfeval.report.chapters.abbreviations`).
        kind: ``ministry`` or ``other`` (the seed's NCTb is not a ministry).
        involvement: forms of involvement, one or more of the three kinds.
        note: optional remark shown in Annex 1.
    """

    code: Annotated[str, Field(pattern=CODE_PATTERN)] = Field(
        description="Short id used in file names and finding ids (BZ, FIN): a letter, then "
        "letters, digits, '-' or '_', at most 32."
    )
    name: QuotedStr = Field(
        description="Short name in attributions ('according to Financiën') and tables."
    )
    full_name: LocalText = Field(
        description="Full name (Ministerie van Buitenlandse Zaken), in the report's list of "
        "abbreviations when the short name abbreviates it (BZ; not Financiën, which "
        "'Ministerie van Financiën' spells out); Annex 1 shows the short name, as the seed "
        "does. In the report language: one text or {nl: …, en: …}."
    )
    kind: Literal["ministry", "other"] = Field(
        default="ministry",
        description="ministry, or other for an entity that is not a ministry (Annex 1 says so).",
    )
    involvement: Annotated[list[Kind], Field(min_length=1)] = Field(
        description="Forms of involvement, one or more of self-evaluation, peer-review-1, "
        "peer-review-2: the questionnaires the participant answers."
    )
    note: LocalText | None = Field(
        default=None, description="A remark shown in Annex 1: one text or {nl: …, en: …}."
    )
    categories: list[Annotated[str, Field(pattern=SLUG_PATTERN)]] | None = Field(
        default=None,
        description="With several incident categories: the ids of those this participant "
        "answers for (one response per category); left out: every category.",
    )

    def full_name_in(self, lang: str) -> str:
        """The full name in ``lang`` (``nl``/``en``), else in the other language given."""
        return text_in(self.full_name, lang)

    @model_validator(mode="after")
    def _no_duplicate_forms(self) -> Participant:
        if len(set(self.involvement)) != len(self.involvement):
            raise LocatedValueError("a form of involvement is listed twice", ("involvement",))
        return self


ChoiceListName = Annotated[str, Field(pattern=CHOICE_LIST_PATTERN)]


class IncidentCategory(_Model):
    """The incident category evaluated.

    Attributes:
        id: used in paths (``responses/<id>/``).
        name: shown in the report.
        choices: the category's own choice lists, by name (``phases``): a
            questionnaire item with ``choices_from: phases`` offers these
            choices (issue 12: the vocabulary of an incident category lives
            with the exercise, not in a generic questionnaire).
    """

    id: Annotated[str, Field(pattern=SLUG_PATTERN)] = Field(
        description="Used in paths (responses/ID/): lower-case letters, digits and '-'."
    )
    name: LocalText = Field(description="What the report calls it: one text or {nl: …, en: …}.")
    choices: dict[ChoiceListName, Annotated[list[Choice], Field(min_length=1)]] = Field(
        default_factory=dict,
        description="The category's own choice lists, by name (phases): a questionnaire "
        "item with choices_from: phases offers them. The shipped self-evaluation needs "
        "phases.",
    )

    @model_validator(mode="after")
    def _unique_values(self) -> IncidentCategory:
        for name, listed in self.choices.items():
            seen: set[str] = set()
            for index, choice in enumerate(listed):
                if choice.value in seen:
                    raise LocatedValueError(
                        f"choice list {name!r}: the value {choice.value!r} is listed twice",
                        ("choices", name, index, "value"),
                    )
                seen.add(choice.value)
        return self

    def choice_lists(self) -> dict[str, list[dict[str, object]]]:
        """The choice lists as plain data, to bind into a questionnaire (``choices_from:``)."""
        return {
            name: [choice.model_dump() for choice in listed]
            for name, listed in self.choices.items()
        }


def _categories_of(exercise: Exercise) -> tuple[IncidentCategory, ...]:
    """The categories of ``incident_category`` or ``incident_categories`` (exactly one given).

    Raises:
        LocatedValueError: both or neither given, or an id used twice.
    """
    single, several = exercise.incident_category, exercise.incident_categories
    if single is not None and several is not None:
        raise LocatedValueError(
            "give incident_category (one) or incident_categories (several), not both",
            ("incident_categories",),
        )
    if single is None and several is None:
        raise LocatedValueError(
            "required key 'incident_category' is missing (or 'incident_categories' for several)",
            ("incident_category",),
        )
    found = (single,) if single is not None else tuple(several or ())
    seen: set[str] = set()
    for index, category in enumerate(found):
        if category.id in seen:
            raise LocatedValueError(
                f"incident category {category.id!r} is listed twice",
                ("incident_categories", index, "id"),
            )
        seen.add(category.id)
    return found


class Exercise(_Model):
    """The whole exercise file.

    Attributes:
        project: project name on the title page.
        title: report title.
        incident_category: the category evaluated.
        date: report date, a quoted ISO date string.
        status: status label, e.g. ``intern werkdocument``.
        language: report language.
        secretariat: who writes the report (signs the preface).
        questionnaires: questionnaire id → version this exercise uses; a
            missing id means the newest version in the workspace.
        participants: who takes part, in Annex 1 order.
    """

    project: LocalText = Field(
        description="Project name on the title page: one text or {nl: …, en: …}."
    )
    title: LocalText = Field(description="The report's title: one text or {nl: …, en: …}.")
    incident_category: IncidentCategory | None = Field(
        default=None,
        description="The incident category evaluated (its keys: below). For several, give "
        "incident_categories instead.",
    )
    incident_categories: Annotated[list[IncidentCategory], Field(min_length=1)] | None = Field(
        default=None,
        description="Several incident categories in one exercise, each with the keys of "
        "incident_category: a participant answers per category, and each gets its own "
        "responses/ID/ folder, status and report. Instead of incident_category.",
    )
    date: QuotedStr = Field(
        description="The report's date on the title page, quoted: '2027-03-01' (an ISO "
        "date is written out per language, and must exist: '2027-02-30' is refused); other "
        "text ('mei 2027') is shown as written."
    )
    status: LocalText = Field(
        default={"nl": "intern werkdocument", "en": "internal working document"},
        description="The status line of the title page: one text or {nl: …, en: …}.",
    )
    language: Literal["nl", "en"] = Field(
        default="nl",
        description="Language of the report and of the questions: nl or en. A text given "
        "in the other language only is used as it is.",
    )
    secretariat: LocalText | None = Field(
        default=None,
        description="Who writes the report; signs the preface. One text or {nl: …, en: …}.",
    )
    questionnaires: dict[str, QuotedStr] = Field(
        default_factory=dict,
        description="Questionnaire id → the version this exercise uses ('1.1.0'). An id left "
        "out uses the newest version in questionnaires/; pin before the first response.",
    )
    participants: Annotated[list[Participant], Field(min_length=1)] = Field(
        description="Who takes part, in the order of Annex 1 (their keys: below)."
    )

    _categories: tuple[IncidentCategory, ...] = PrivateAttr(default=())

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str) -> str:
        """An ISO-shaped date must exist ('2027-02-30' does not); other text is kept as written."""
        if _ISO_SHAPED.match(value):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(
                    f"{value.strip()!r} is no date in the calendar: write a real one, "
                    "quoted, as YYYY-MM-DD ('2027-02-28'), or a text such as 'maart 2027'"
                ) from None
        return value

    _codes: tuple[str, ...] = PrivateAttr(default=())
    _code_set: frozenset[str] = PrivateAttr(default=frozenset())
    _by_code: dict[str, Participant] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Exercise:
        self._categories = _categories_of(self)
        known = {category.id for category in self._categories}
        seen: set[str] = set()
        for index, participant in enumerate(self.participants):
            if participant.code.lower() in seen:
                raise LocatedValueError(
                    f"participant code {participant.code!r} is used twice",
                    ("participants", index, "code"),
                )
            seen.add(participant.code.lower())
            for at, category in enumerate(participant.categories or ()):
                if category not in known:
                    raise LocatedValueError(
                        f"unknown incident category {category!r}; the exercise's are: "
                        f"{', '.join(sorted(known))}",
                        ("participants", index, "categories", at),
                    )
        for index, category in enumerate(self._categories):
            if not any(self.takes_part_in(p, category.id) for p in self.participants):
                raise LocatedValueError(
                    f"no participant takes part in incident category {category.id!r}",
                    ("incident_categories", index, "id"),
                )
        self._codes = tuple(p.code for p in self.participants)
        self._code_set = frozenset(self._codes)
        self._by_code = {p.code: p for p in self.participants}
        for kind in self.questionnaires:
            if kind not in KINDS:
                raise LocatedValueError(
                    f"unknown questionnaire {kind!r}; expected one of {', '.join(KINDS)}",
                    ("questionnaires", kind),
                )
        return self

    def participant(self, code: str) -> Participant:
        """Return the participant with ``code``.

        Raises:
            KeyError: no such participant.
        """
        return self._by_code[code]

    @property
    def codes(self) -> tuple[str, ...]:
        """Participant codes in exercise order (computed once)."""
        return self._codes

    @property
    def code_set(self) -> frozenset[str]:
        """Participant codes as a set, for O(1) membership tests."""
        return self._code_set

    @property
    def categories(self) -> tuple[IncidentCategory, ...]:
        """The incident categories evaluated, in file order (one, usually)."""
        return self._categories

    def for_category(self, category_id: str) -> Exercise:
        """The exercise as one incident category sees it: that category, its participants.

        What the report of one category is built from (``aggregate --category``):
        the same file with ``incident_category`` the one chosen and only the
        participants taking part in it (:meth:`takes_part_in`), so the title
        page, Annex 1 and the draft name that category alone. An exercise with
        one category is returned as it is.

        Raises:
            KeyError: no such category.
        """
        chosen = self.category(category_id)
        if self.incident_category is not None:
            return self  # one category: the exercise as it is
        data = self.model_dump(exclude={"incident_categories"})
        data["incident_category"] = chosen.model_dump()
        data["participants"] = [
            {**p.model_dump(), "categories": None}
            for p in self.participants
            if self.takes_part_in(p, chosen.id)
        ]
        return Exercise.model_validate(data)

    def not_asked(self, code: str, questionnaire_id: str, category_id: str) -> str | None:
        """Why a response is not asked for, or None when it is (the one rule).

        A response counts only when its participant takes part in the
        incident category (:meth:`takes_part_in`) and the questionnaire is
        one of its forms of involvement, or a peer review it was invited to
        (:meth:`invited`): ``status`` lists the others as
        "not asked for", ``validate`` warns, ``aggregate`` leaves them out
        with a warning (Annex 1 lists the forms of involvement, so the report
        never shows an answer it says was not asked).

        Args:
            code: the participant code (one not in the exercise: None, that
                is another rule's business).
            questionnaire_id: ``self-evaluation``, ``peer-review-1`` or ``peer-review-2``.
            category_id: the response's incident category.

        Returns:
            The reason in words, or None.
        """
        member = self._by_code.get(code)
        if member is None:
            return None
        if not self.takes_part_in(member, category_id):
            return (
                f"{code} does not take part in incident category {category_id!r} "
                f"(its categories in {EXERCISE_FILE}: {', '.join(member.categories or ())})"
            )
        if questionnaire_id not in member.involvement and questionnaire_id not in INVITABLE:
            return (
                f"{code} is not asked for {questionnaire_id} (its involvement in "
                f"{EXERCISE_FILE}: {', '.join(member.involvement)})"
            )
        return None

    def invited(self, code: str, questionnaire_id: str, category_id: str) -> bool:
        """Whether a response is a peer review its participant was invited to (the one rule).

        ``selfeval peer-review --round N`` invites a participant to a round its
        ``involvement`` does not list (``docs/peer-review-reference.md``: round 1
        is for the self-evaluating departments "and others invited"). Such a
        response is asked for (:meth:`not_asked` is None): ``aggregate`` counts it,
        Annex 1 lists the round, ``status`` notes it as invited, not as expected.

        Args:
            code: the participant code.
            questionnaire_id: the response's questionnaire id.
            category_id: the response's incident category.

        Returns:
            True for a peer review outside the participant's involvement, in a
            category it takes part in.
        """
        member = self._by_code.get(code)
        return (
            member is not None
            and questionnaire_id in INVITABLE
            and questionnaire_id not in member.involvement
            and self.takes_part_in(member, category_id)
        )

    def takes_part_in(self, participant: Participant, category_id: str) -> bool:
        """Whether ``participant`` answers for incident category ``category_id``."""
        return participant.categories is None or category_id in participant.categories

    def category(self, category_id: str | None = None) -> IncidentCategory:
        """The incident category ``category_id``; None: the first (the only one, usually).

        Raises:
            KeyError: no such category in the exercise.
        """
        if category_id is None:
            return self.categories[0]
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def text(self, value: dict[str, str] | None) -> str:
        """A text of the exercise file (``project``, ``status``…) in the report language."""
        return text_in(value, self.language)  # type: ignore[arg-type]

    def category_name(self, category_id: str | None = None) -> str:
        """An incident category's name (None: the first) in the report language."""
        return text_in(self.category(category_id).name, self.language)
