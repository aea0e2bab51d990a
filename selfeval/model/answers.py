"""Checking answers against a questionnaire: types, choices, ranges, conditions.

This is the one place that knows what a valid answer to each item type is;
``fill``, ``peer-review``, ``validate``, ``status`` and ``aggregate`` all use
it. Values are stored as plain YAML data: text as ``str``, integers as
``int``, numbers as ``int``/``float``, dates as ISO ``YYYY-MM-DD`` strings,
yes/no as ``bool``, choices as the choice's ``value``, participants as codes,
and repeat groups as lists of mappings (each entry may also carry ``key``, an
explicit stable id for the finding, and ``same_as``, finding ids it merges
with; see ``docs/questionnaire-format.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval.i18n import N_, Message
from selfeval.model.exercise import Exercise
from selfeval.model.items import AnswerError, as_read
from selfeval.model.questionnaire import (
    FindingsItem,
    InfoItem,
    Item,
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    Questionnaire,
    RepeatItem,
    Section,
)

#: Items answered with a list, where an empty list can be an answer.
_LISTED = (RepeatItem, MultipleChoiceItem, ParticipantsItem, FindingsItem)

__all__ = [
    "ANSWERABLE",
    "CONCERNS",
    "ENTRY_KEYS",
    "MISSING",
    "AnswerError",
    "Problem",
    "Progress",
    "Split",
    "active_answers",
    "active_entry",
    "check_answer",
    "check_answers",
    "entry_findings",
    "excludes_respondent",
    "finding_id",
    "inactive_answers",
    "is_answered",
    "item_answered",
    "parse_typed",
    "progress",
    "split_answers",
    "visible",
]

#: The kinds of finding an opportunity can answer (its ``answers``; the left of Figure 2).
ANSWERABLE = ("blind-spot", "bottleneck", "need")
#: The item of a finding's entry that names the departments it concerns (``docs/findings.md``).
CONCERNS = "departments"
#: Keys a repeat-group entry may carry besides its items' ids.
ENTRY_KEYS = ("key", "same_as")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


#: The message of a required answer that is missing (:attr:`Problem.missing`).
MISSING = N_("answer.required_missing")
#: An answer to an item the questionnaire does not have (:attr:`Problem.unknown_item`).
NO_SUCH_ITEM = N_("answer.no_such_item")


@dataclass(frozen=True)
class Problem:
    """One problem with a set of answers.

    Attributes:
        path: item id path, e.g. ``("bottlenecks", 0, "title")``.
        said: what is wrong and what fits, a message of the catalogue
            (``answer.*``): ``said.text("nl")`` in a Dutch session.
    """

    path: tuple[str | int, ...]
    said: Message

    @property
    def message(self) -> str:
        """What is wrong and what fits, in English (answers files, ``validate``)."""
        return str(self.said)

    @property
    def missing(self) -> bool:
        """True when the problem is a required answer that is missing."""
        return self.said.msgid == MISSING

    @property
    def unknown_item(self) -> bool:
        """True when the problem is an answer to an item the questionnaire does not have."""
        return self.said.msgid == NO_SUCH_ITEM

    def __str__(self) -> str:
        return f"{_dotted(self.path)}: {self.message}"


def _dotted(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def is_answered(value: Any) -> bool:
    """True when ``value`` counts as an answer (not None, not empty text or list)."""
    return value is not None and value != "" and value != [] and value != {}


def item_answered(item: Item, value: Any) -> bool:
    """True when ``value`` answers ``item``: the one rule for what counts as answered.

    An answer in the sense of :func:`is_answered` counts, and so does an empty
    list given to an *optional* checklist ("none of these") or repeat group
    ("Klaar" with no entries): the respondent answered it, with nothing. For a
    required item an empty list stays unanswered (it is missing at submission,
    see :func:`check_answers`).

    Args:
        item: the item answered.
        value: its stored answer (None when absent).

    Returns:
        Whether progress and the section summaries count ``item`` as answered.
    """
    if is_answered(value):
        return True
    return value == [] and not needs_answer(item) and isinstance(item, _LISTED)


def needs_answer(item: Item) -> bool:
    """Whether an active ``item`` must be answered before submission: the one rule.

    A ``required`` item must, and so must a repeat group with ``min_items``
    (marked "(minstens N)" in ``fill``; ``docs/questionnaire-format.md``, repeat):
    a "yes" to bottlenecks with no bottleneck cannot be submitted. Submission
    (:func:`check_answers` with ``complete=True``, and so ``fill``, ``validate``,
    ``status``, ``aggregate`` and ``import``) and :func:`progress` ask this.

    Args:
        item: the item, active (its ``when`` holds).

    Returns:
        True when a submitted response must answer it.
    """
    return item.required or (isinstance(item, RepeatItem) and item.min_items > 0)


def visible(item: Item | Section, answers: Mapping[str, Any]) -> bool:
    """Whether ``item``'s ``when`` holds for ``answers`` (true when it has none).

    ``answers`` must be the *active* answers in scope (:func:`active_answers`,
    plus :func:`active_entry` inside a repeat entry), so that an answer that no
    longer counts cannot switch on another item.
    """
    condition = item.condition
    return condition is None or condition.evaluate(answers)


# -- which answers count ------------------------------------------------------------
#
# The one rule for "active" (issue 10): fill, its review, status, validate, peer
# review and aggregate all go through _split (via active_answers, active_entry or
# inactive_answers). An answer is active when its section's ``when`` and its own
# ``when`` hold for the active answers given before it (a ``when`` can only name
# earlier items, see questionnaire.py), and, inside a repeat entry, when the group
# is active and the item's ``when`` holds for the group's scope plus the active
# answers given earlier in the same entry. Inactive answers stay in the file
# ("kept but not counted") and never reach the report.


def _split_items(
    items: Iterable[Item],
    container: Mapping[str, Any],
    outer: Mapping[str, Any],
    base: tuple[str | int, ...],
    kept: dict[str, Any],
    inactive: list[tuple[str | int, ...]],
    shown: bool = True,
) -> None:
    for item in items:
        if item.id not in container:
            continue
        value = container[item.id]
        if not (shown and visible(item, {**outer, **kept})):
            if is_answered(value):
                inactive.append((*base, item.id))
            continue
        if isinstance(item, RepeatItem) and isinstance(value, list):
            scope = {**outer, **kept}
            entries: list[Any] = []
            for index, entry in enumerate(value):
                if not isinstance(entry, Mapping):
                    entries.append(entry)
                    continue
                inner: dict[str, Any] = {k: entry[k] for k in ENTRY_KEYS if k in entry}
                _split_items(item.items, entry, scope, (*base, item.id, index), inner, inactive)
                entries.append(inner)
            kept[item.id] = entries
        else:
            kept[item.id] = value


def _split(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str | int, ...]]]:
    kept: dict[str, Any] = {}
    inactive: list[tuple[str | int, ...]] = []
    for section in questionnaire.sections:
        shown = visible(section, kept)
        _split_items(section.items, answers, {}, (), kept, inactive, shown)
    return kept, inactive


@dataclass(frozen=True)
class Split:
    """Which answers of a set count and which are kept but not counted (one walk).

    Attributes:
        active: what :func:`active_answers` returns.
        inactive: what :func:`inactive_answers` returns.
    """

    active: dict[str, Any]
    inactive: tuple[str, ...]


def split_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Split:
    """:func:`active_answers` and :func:`inactive_answers` of one set, in one walk.

    For a caller that needs both, and checks with :func:`check_answers`
    (``active=``): aggregate's read step walks each response once instead
    of three times (issue 20).

    Args:
        questionnaire: the version answered.
        answers: item id → value, as stored.

    Returns:
        A :class:`Split`; the same rule (``_split``) as the two functions.
    """
    kept, inactive = _split(questionnaire, answers)
    return Split(kept, tuple(_dotted(path) for path in inactive))


def active_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that count: the one rule for ``when`` (issue 10).

    Args:
        questionnaire: the version answered.
        answers: item id → value, as stored.

    Returns:
        A new mapping, in questionnaire order, with only the answers to items
        whose section's and own ``when`` hold for the active answers before
        them; repeat entries are filtered the same way inside (their ``key``
        and ``same_as`` kept). Keys the questionnaire does not know are left
        out. This is what the report, progress and checks see; everything
        else in the file is kept but not counted (:func:`inactive_answers`).
    """
    return _split(questionnaire, answers)[0]


def active_entry(item: RepeatItem, entry: Mapping[str, Any], scope: Mapping[str, Any]) -> dict:
    """The active answers of one repeat entry (same rule as :func:`active_answers`).

    Args:
        item: the repeat group.
        entry: one entry, as stored.
        scope: the active answers outside the entry (its conditions may name them).

    Returns:
        The entry's answers that count (``key``/``same_as`` kept).
    """
    kept: dict[str, Any] = {k: entry[k] for k in ENTRY_KEYS if k in entry}
    _split_items(item.items, entry, scope, (), kept, [])
    return kept


class _Codes:
    """The participant codes an item accepts: O(1) membership, listed only for messages.

    Checking answers of thousands of participants must not rebuild a list of
    all codes per answer (that made aggregation quadratic in participants).
    """

    def __init__(self, exercise: Exercise, participant: str | None, exclude_self: bool) -> None:
        self._exercise = exercise
        self._excluded = participant if exclude_self else None

    def __contains__(self, code: object) -> bool:
        return code != self._excluded and code in self._exercise.code_set

    def __iter__(self) -> Iterator[str]:
        return (code for code in self._exercise.codes if code != self._excluded)


def excludes_respondent(item: Item, group: RepeatItem | None = None) -> bool:
    """Whether a participant item offers every participant but the respondent.

    True with ``exclude_self``, and for the item naming whom a finding
    concerns (:data:`CONCERNS` in an entry of a repeat group marked
    ``finding:``): a department raises a finding about *other* departments
    (round 2 of the peer review puts it before each department it concerns,
    ``docs/findings.md``). The choices ``fill`` and ``peer-review`` offer
    follow this rule (issue 16); answers that name the respondent anyway
    are not refused.

    Args:
        item: a ``participant`` or ``participants`` item (anything else: False).
        group: the repeat group whose entry holds ``item``, if any.
    """
    if not isinstance(item, ParticipantItem | ParticipantsItem):
        return False
    if item.exclude_self:
        return True
    return group is not None and group.finding is not None and item.id == CONCERNS


def parse_typed(item: Item, text: str) -> Any:
    """Turn what a respondent typed into the stored value (the item type's ``parse``).

    Args:
        item: a text, long-text, integer, number, date or scale item.
        text: the typed text.

    Returns:
        The value to check with :func:`check_answer`; ``None`` for empty input.

    Raises:
        AnswerError: the text is not a number or date where one is needed.
    """
    return item.parse(text)


def check_answer(
    item: Item,
    value: Any,
    *,
    exercise: Exercise | None = None,
    participant: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> Any:
    """Check one answer and return it in stored form.

    The item type owns the check (``check`` in :mod:`selfeval.model.items`);
    a repeat group's entries are checked here, item by item.

    Args:
        item: the questionnaire item.
        value: the answer (not None; use :func:`is_answered` first).
        exercise: the exercise, to check participant codes (skipped if None).
        participant: the respondent, for ``exclude_self``.
        context: answers outside a repeat entry, for conditions inside it.

    Returns:
        The normalised value (e.g. a ``datetime.date`` becomes an ISO string).

    Raises:
        AnswerError: with a message that says what fits.
    """
    if isinstance(item, RepeatItem):
        problems = _check_repeat(
            item, value, (), exercise, participant, context or {}, complete=False
        )
        if problems:
            raise AnswerError(
                "answer.in_entries",
                problems=tuple(
                    Message("answer.at", path=_dotted(p.path), problem=p.said) for p in problems
                ),
            )
        return value
    codes_for = None
    if exercise is not None:
        known = exercise

        def codes_for(exclude_self: bool) -> _Codes:
            return _Codes(known, participant, exclude_self)

    return item.check(value, codes_for)


def _check_items(
    items: Iterable[Item],
    answers: Mapping[str, Any],
    base: tuple[str | int, ...],
    exercise: Exercise | None,
    participant: str | None,
    context: Mapping[str, Any],
    *,
    complete: bool,
    extra_keys: tuple[str, ...] | None = (),
) -> list[Problem]:
    problems: list[Problem] = []
    items = list(items)
    known = {item.id for item in items}
    # extra_keys None: the caller reports unknown keys itself.
    for key in answers if extra_keys is not None else ():
        if key not in known and key not in extra_keys:  # type: ignore[operator]
            problems.append(Problem((*base, key), Message(NO_SUCH_ITEM)))
    # ``context`` is the active answers in scope (see active_answers); conditions see
    # nothing else, so an inactive answer switches on nothing.
    scope = context
    for item in items:
        value = answers.get(item.id)
        if not visible(item, scope):
            continue
        if not is_answered(value):
            if complete and needs_answer(item):
                if isinstance(item, RepeatItem) and item.min_items:
                    problems.extend(
                        _check_repeat(
                            item, [], (*base, item.id), exercise, participant, scope, complete=True
                        )
                    )
                else:
                    problems.append(Problem((*base, item.id), Message(MISSING)))
            continue
        if isinstance(item, RepeatItem):
            problems.extend(
                _check_repeat(
                    item, value, (*base, item.id), exercise, participant, scope, complete=complete
                )
            )
            continue
        try:
            check_answer(item, value, exercise=exercise, participant=participant)
        except AnswerError as exc:
            problems.append(Problem((*base, item.id), exc.said))
    return problems


def _check_repeat(
    item: RepeatItem,
    value: Any,
    base: tuple[str | int, ...],
    exercise: Exercise | None,
    participant: str | None,
    context: Mapping[str, Any],
    *,
    complete: bool,
) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(base, Message("answer.expected_entries", read=as_read(value)))]
    problems: list[Problem] = []
    if complete and len(value) < item.min_items:
        problems.append(
            Problem(
                base,
                Message.plural(
                    "answer.too_few_entries",
                    "answer.too_few_entries_plural",
                    item.min_items,
                    has=len(value),
                ),
            )
        )
    if item.max_items is not None and len(value) > item.max_items:
        problems.append(
            Problem(
                base,
                Message.plural(
                    "answer.too_many_entries",
                    "answer.too_many_entries_plural",
                    item.max_items,
                    has=len(value),
                ),
            )
        )
    keys: set[str] = set()
    keyless = {
        str(n): n
        for n, entry in enumerate(value, start=1)
        if isinstance(entry, dict) and entry.get("key") is None
    }
    for index, entry in enumerate(value):
        where = (*base, index)
        if not isinstance(entry, dict):
            problems.append(Problem(where, Message("answer.entry_not_mapping")))
            continue
        key = entry.get("key")
        if key is not None:
            if not isinstance(key, str) or not _KEY.match(key):
                problems.append(Problem((*where, "key"), Message("answer.bad_key")))
            elif key in keys:
                problems.append(
                    Problem((*where, "key"), Message("answer.key_twice", key=repr(key)))
                )
            elif key in keyless:
                # finding_id gives an entry without a key its position: a key that is
                # another entry's position would give two findings one id.
                problems.append(
                    Problem(
                        (*where, "key"),
                        Message("answer.key_is_position", key=key, position=keyless[key]),
                    )
                )
            else:
                keys.add(key)
        same_as = entry.get("same_as")
        if same_as is not None and (
            not isinstance(same_as, list) or not all(isinstance(s, str) for s in same_as)
        ):
            problems.append(Problem((*where, "same_as"), Message("answer.same_as_ids")))
        inner = {**context, **active_entry(item, entry, context)}
        problems.extend(
            _check_items(
                item.items, entry, where, exercise, participant, inner,
                complete=complete, extra_keys=ENTRY_KEYS,
            )
        )  # fmt: skip
    return problems


def check_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    exercise: Exercise | None = None,
    participant: str | None = None,
    complete: bool = False,
    active: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Check a whole set of answers.

    Args:
        questionnaire: the version answered.
        answers: item id → value.
        exercise: to check participant codes.
        participant: the respondent.
        complete: also report missing required answers and too-few entries
            (as for submission).
        active: :func:`active_answers` of these answers when the caller has
            it already (:func:`split_answers`); computed here otherwise.

    Returns:
        Every problem found, in questionnaire order; empty when all is well.
        Answers to items that are not active (:func:`active_answers`) are
        not checked: they are kept but not counted.
    """
    problems: list[Problem] = []
    known = {item.id for item in questionnaire.items()}
    for key in answers:
        if key not in known:
            problems.append(Problem((key,), Message(NO_SUCH_ITEM)))
    if active is None:
        active = active_answers(questionnaire, answers)
    for section in questionnaire.sections:
        if not visible(section, active):
            continue
        # Unknown keys were reported once above, not once per section.
        problems.extend(
            _check_items(
                section.items, answers, (), exercise, participant, active, complete=complete,
                extra_keys=None,
            )
        )  # fmt: skip
    return problems


def inactive_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """Where an answer is kept in the file but not counted (its ``when`` is now false).

    Args:
        questionnaire: the version answered.
        answers: item id → value, as stored.

    Returns:
        Dotted paths in questionnaire order: a top-level item's id
        (``bottlenecks``), or a place inside a repeat entry
        (``bottlenecks[0].sources``). Decided by the same walk as
        :func:`active_answers`, so these are exactly the answers it leaves out.
    """
    return [_dotted(path) for path in _split(questionnaire, answers)[1]]


@dataclass(frozen=True)
class Progress:
    """How far a set of answers is.

    Attributes:
        answered: active items answered (:func:`item_answered`); a repeat group
            is one item, however many entries it has.
        required: active required items.
        required_answered: of those, how many are answered.
        missing: ids of active required items without an answer.
        shown: active items (questions shown now, not info items): what
            ``answered`` counts of.
    """

    answered: int
    required: int
    required_answered: int
    missing: tuple[str, ...]
    shown: int

    @property
    def complete(self) -> bool:
        """True when no required answer is missing."""
        return not self.missing


def progress(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Progress:
    """Count answered and required items, honouring ``when`` conditions.

    A repeat group whose entries are incomplete (a shown required sub-item
    without an answer, or fewer than ``min_items`` entries) is listed in
    ``missing`` even when the group itself is optional, so that progress
    agrees with what submission checks (:func:`check_answers` with
    ``complete=True``); a required group counts as answered only when complete.
    """
    answered = required = required_answered = shown = 0
    missing: list[str] = []
    active = active_answers(questionnaire, answers)
    for section in questionnaire.sections:
        if not visible(section, active):
            continue
        for item in section.items:
            if isinstance(item, InfoItem) or not visible(item, active):
                continue
            value = answers.get(item.id)
            has = is_answered(value)
            shown += 1
            answered += item_answered(item, value)
            incomplete = (
                has
                and isinstance(item, RepeatItem)
                and bool(_check_repeat(item, value, (item.id,), None, None, active, complete=True))
            )
            if needs_answer(item):
                required += 1
                required_answered += has and not incomplete
            if (needs_answer(item) and not has) or incomplete:
                missing.append(item.id)
    return Progress(answered, required, required_answered, tuple(missing), shown)


def finding_id(
    participant: str, questionnaire: Questionnaire, item_id: str, entry: Any, position: int
) -> str:
    """The stable id of one entry of a ``finding:`` repeat group (``docs/findings.md`` §2).

    Args:
        participant: the respondent's code.
        questionnaire: the questionnaire answered (a self-evaluation's ids
            leave its id out).
        item_id: the repeat group's id.
        entry: the entry (its ``key``, when it has one, is the last part).
        position: the entry's 1-based position in the group.

    Returns:
        ``<P>.<item>.<key or n>`` in a self-evaluation, else
        ``<P>.<questionnaire id>.<item>.<key or n>``.
    """
    prefix = participant
    if questionnaire.kind != "self-evaluation":
        prefix += f".{questionnaire.id}"
    key = entry.get("key") if isinstance(entry, dict) else None
    return f"{prefix}.{item_id}.{key if isinstance(key, str) else position}"


def entry_findings(
    questionnaire: Questionnaire,
    participant: str,
    answers: Mapping[str, Any],
    kinds: Iterable[str],
) -> list[tuple[str, str, str]]:
    """The findings a response's answers hold so far, of the given kinds.

    What ``fill`` offers an opportunity's ``answers`` item: the respondent's
    own bottlenecks, blind spots and needs, by the ids the report gives them.

    Returns:
        ``(id, kind, title)`` per entry, in item and entry order.
    """
    wanted = set(kinds)
    found: list[tuple[str, str, str]] = []
    for item in questionnaire.items():
        if not isinstance(item, RepeatItem) or item.finding not in wanted:
            continue
        entries = answers.get(item.id)
        for position, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            if isinstance(entry, dict):
                fid = finding_id(participant, questionnaire, item.id, entry, position)
                found.append((fid, item.finding or "", str(entry.get("title") or "")))
    return found
