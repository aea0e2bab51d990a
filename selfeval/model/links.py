"""The one rule for the ids an opportunity's ``answers`` names (``docs/findings.md`` §7).

An opportunity entry names, in its item ``answers`` (type ``findings``), the
bottlenecks, blind spots and needs it answers; the lines of the seed report's
Figure 2. What an id may name depends on the questionnaire:

* in a **self-evaluation**, the respondent's own bottlenecks, blind spots and
  needs — the entries of the same response, by the ids the report gives them
  (``BZ.needs.conflictpreventie``, :func:`selfeval.model.answers.finding_id`);
* in a **peer review**, a finding of the draft report it reacts to
  (``reports/draft.yaml``, merged ids included) or one of its own needs in
  the same response (``JUS.peer-review-2.needs.1``).

:func:`link_said` (:func:`link_problem` in English) is the rule for one id;
:func:`response_link_problems` applies it to every opportunity of one
response. It is part of the one check of a response's answers,
:func:`selfeval.files.workspace.response_problems` (``validate``, ``status``,
``import``, ``aggregate``), and of what ``fill`` and ``peer-review`` check
before saving an answers file or submitting
(:meth:`selfeval.files.store.ResponseStore.problems`). ``aggregate`` then
checks the links between responses once more against the report's findings
(:func:`selfeval.report.links.link_answers`, which also routes merged ids and
excuses what the respondent could not have known).

:func:`remove_entry` removes an entry of a repeat group and keeps every
opportunity's links on the entries they named (ids of entries without a
``key`` are positions, and move).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval.errors import InputError, Location
from selfeval.i18n import Message
from selfeval.model.answers import ANSWERABLE, Problem, entry_findings, finding_id
from selfeval.model.questionnaire import Questionnaire, RepeatItem

__all__ = [
    "ANSWERABLE",
    "HINT",
    "SELF_EVALUATION_HINT",
    "DroppedLink",
    "LinkProblem",
    "link_problem",
    "link_said",
    "peer_review_hint",
    "remove_entry",
    "response_link_problems",
]


def peer_review_hint(draft: str | None = None) -> str:
    """What to do about a wrong id in a peer review: name ids of ``draft`` (its category's).

    ``draft``: the draft file as a reader finds it (``reports/droughts/draft.yaml``);
    None: ``reports/draft.yaml``, the draft of an exercise with one category.
    """
    return (
        "name the bottlenecks, blind spots and needs it answers by their ids in "
        f"{draft or 'reports/draft.yaml'}, "
        "or those of your own needs (ABC.needs.2, ABC.peer-review-2.needs.1); see docs/findings.md"
    )


#: What to do about a wrong id in a peer review (:func:`peer_review_hint`).
HINT = peer_review_hint()
#: What to do about a wrong id in a self-evaluation.
SELF_EVALUATION_HINT = (
    "name your own bottlenecks, blind spots and needs of this self-evaluation by their ids "
    "(ABC.bottlenecks.2, ABC.needs.my-key); see docs/findings.md §7"
)

#: Every kind of finding a questionnaire's repeat group can hold.
_ENTRY_KINDS = ("activity", "bottleneck", "blind-spot", "need", "opportunity")


def link_said(fid: str, kinds: Mapping[str, str], *, own_only: bool = False) -> Message | None:
    """Why ``fid`` cannot be something an opportunity answers, or None when it can.

    Args:
        fid: an id from an opportunity's ``answers``.
        kinds: finding id (and merged alias) → kind, of every finding the
            respondent could name.
        own_only: the opportunity is a self-evaluation's, so ``kinds`` holds
            only the respondent's own findings (the message says so).

    Returns:
        The problem as a message of the catalogue (``answer.link_*``; in
        English it starts with "names …"), or None.
    """
    kind = kinds.get(fid)
    if kind is None:
        if own_only:
            return Message("answer.link_not_own", fid=repr(fid))
        return Message("answer.link_unknown", fid=repr(fid))
    if kind not in ANSWERABLE:
        return Message("answer.link_kind", fid=fid, kind=repr(kind))
    return None


def link_problem(fid: str, kinds: Mapping[str, str], *, own_only: bool = False) -> str | None:
    """:func:`link_said` in English (it starts with "names …"), or None."""
    said = link_said(fid, kinds, own_only=own_only)
    return None if said is None else str(said)


@dataclass(frozen=True)
class LinkProblem:
    """One wrong id in an opportunity's ``answers``.

    Attributes:
        path: where the id is in the response's answers
            (``("opportunities", 0, "answers", 1)``), for file:line.
        message: ``answers of <opportunity id> names …`` (English).
        hint: what to do.
        said: what is wrong (without the opportunity's id), in any language.
    """

    path: tuple[str | int, ...]
    message: str
    hint: str
    said: Message

    def error(self, location: Location) -> InputError:
        """The problem as the one error a command reports, at ``location``."""
        return InputError(self.message, location=location, hint=self.hint)

    @property
    def problem(self) -> Problem:
        """The problem as ``fill`` lists it before submitting: at the entry's ``answers``.

        Its path leaves out the id's position, so that ``fill`` asks the
        question again (:class:`~selfeval.model.answers.Problem`), in the
        session's language (:attr:`said`).
        """
        return Problem(self.path[:3], self.said)


def response_link_problems(
    questionnaire: Questionnaire,
    participant: str,
    answers: Mapping[str, Any],
    *,
    draft: Mapping[str, str] | None = None,
    codes: Collection[str] = (),
    draft_name: str | None = None,
) -> list[LinkProblem]:
    """Every id an opportunity of one response names that it may not (the rule above).

    Args:
        questionnaire: the exact version answered.
        participant: the respondent's code.
        answers: the response's answers.
        draft: for a peer review, finding id (and merged id) → kind of the
            draft it reacts to; None when that draft is not at hand (then
            only the ids the respondent had in front of it are checked: its
            own, and those of a participant not in ``codes``). Ignored for a
            self-evaluation.
        codes: the exercise's participant codes.
        draft_name: that draft as the hint names it (the response's
            ``draft: path:``; ``reports/<category>/draft.yaml`` with several
            incident categories).

    Returns:
        One :class:`LinkProblem` per wrong id, in entry order.
    """
    own_only = questionnaire.kind == "self-evaluation"
    found = entry_findings(questionnaire, participant, answers, _ENTRY_KINDS)
    kinds = {fid: kind for fid, kind, _ in found}
    if not own_only and draft is not None:
        kinds = {**draft, **kinds}
    own_prefix = participant + "."
    hint = SELF_EVALUATION_HINT if own_only else peer_review_hint(draft_name)
    problems: list[LinkProblem] = []
    for item in questionnaire.items():
        if not isinstance(item, RepeatItem) or item.finding != "opportunity":
            continue
        entries = answers.get(item.id)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            named = entry.get("answers") if isinstance(entry, dict) else None
            if not isinstance(named, list):
                continue
            opportunity = finding_id(participant, questionnaire, item.id, entry, index + 1)
            for position, fid in enumerate(named):
                if not isinstance(fid, str):
                    continue
                department = fid[5:] if fid.startswith("role.") else fid.split(".", 1)[0]
                unknowable = (
                    not own_only
                    and draft is None
                    and not fid.startswith(own_prefix)
                    and department in codes
                )
                if unknowable:
                    continue  # checked by aggregate, which knows whether the draft changed
                said = link_said(fid, kinds, own_only=own_only)
                if said is not None:
                    problems.append(
                        LinkProblem(
                            (item.id, index, "answers", position),
                            f"answers of {opportunity} {said}",
                            hint,
                            said,
                        )
                    )
    return problems


@dataclass(frozen=True)
class DroppedLink:
    """A link an opportunity lost because the entry it named was removed.

    Attributes:
        item: the opportunities item's id (``opportunities``).
        index: the opportunity's 0-based place in it.
        fid: the id it named (the removed entry's id before the removal).
    """

    item: str
    index: int
    fid: str


def remove_entry(
    questionnaire: Questionnaire,
    participant: str,
    answers: dict[str, Any],
    item_id: str,
    index: int,
) -> list[DroppedLink]:
    """Remove entry ``index`` of the repeat group ``item_id``; every link keeps its entry.

    An entry without a ``key`` has its position as the last part of its
    finding id (``docs/findings.md`` §2), so removing an entry moves the ids
    of the keyless entries after it (``SZW.needs.3`` becomes ``SZW.needs.2``).
    An opportunity's ``answers`` (the one place a response names its own
    findings, §7) is re-pointed here, in the same step: an id of an entry
    that moved becomes that entry's new id, and an id of the removed entry
    is taken out (the respondent is told: ``fill`` says so).

    Args:
        questionnaire: the version answered.
        participant: the respondent's code (part of every id).
        answers: the response's answers; changed in place.
        item_id: a top-level repeat group of ``questionnaire``.
        index: the 0-based entry to remove.

    Returns:
        The links taken out, in opportunity order.

    Raises:
        IndexError: ``answers[item_id]`` has no entry ``index``.
    """
    entries = answers[item_id]
    before = [
        finding_id(participant, questionnaire, item_id, entry, n)
        for n, entry in enumerate(entries, start=1)
    ]
    del entries[index]
    gone = before.pop(index)
    moved = {
        old: new
        for old, new in zip(
            before,
            (
                finding_id(participant, questionnaire, item_id, entry, n)
                for n, entry in enumerate(entries, start=1)
            ),
            strict=True,
        )
        if old != new
    }
    dropped: list[DroppedLink] = []
    for item in questionnaire.items():
        if not isinstance(item, RepeatItem) or item.finding != "opportunity":
            continue
        listed = answers.get(item.id)
        for place, entry in enumerate(listed if isinstance(listed, list) else []):
            named = entry.get("answers") if isinstance(entry, dict) else None
            if not isinstance(named, list) or not any(
                isinstance(fid, str) and (fid == gone or fid in moved) for fid in named
            ):
                continue
            kept = []
            for fid in named:
                if fid == gone:
                    dropped.append(DroppedLink(item.id, place, fid))
                else:
                    kept.append(moved.get(fid, fid) if isinstance(fid, str) else fid)
            entry["answers"] = kept
    return dropped
