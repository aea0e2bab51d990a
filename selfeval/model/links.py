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

:func:`link_problem` is the rule for one id; :func:`response_link_problems`
applies it to every opportunity of one response. ``selfeval validate``,
``selfeval fill --answers``, ``selfeval peer-review --answers`` and ``selfeval aggregate``
(:func:`selfeval.report.links.link_answers`, which also routes merged ids and
excuses what the respondent could not have known) all call them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval.errors import InputError, Location
from selfeval.model.answers import ANSWERABLE, entry_findings, finding_id
from selfeval.model.questionnaire import Questionnaire, RepeatItem

__all__ = [
    "ANSWERABLE",
    "HINT",
    "SELF_EVALUATION_HINT",
    "LinkProblem",
    "link_problem",
    "response_link_problems",
]

#: What to do about a wrong id in a peer review.
HINT = (
    "name the bottlenecks, blind spots and needs it answers by their ids in reports/draft.yaml, "
    "or those of your own needs (ABC.needs.2, ABC.peer-review-2.needs.1); see docs/findings.md"
)
#: What to do about a wrong id in a self-evaluation.
SELF_EVALUATION_HINT = (
    "name your own bottlenecks, blind spots and needs of this self-evaluation by their ids "
    "(ABC.bottlenecks.2, ABC.needs.my-key); see docs/findings.md §7"
)

#: Every kind of finding a questionnaire's repeat group can hold.
_ENTRY_KINDS = ("activity", "bottleneck", "blind-spot", "need", "opportunity")


def link_problem(fid: str, kinds: Mapping[str, str], *, own_only: bool = False) -> str | None:
    """Why ``fid`` cannot be something an opportunity answers, or None when it can.

    Args:
        fid: an id from an opportunity's ``answers``.
        kinds: finding id (and merged alias) → kind, of every finding the
            respondent could name.
        own_only: the opportunity is a self-evaluation's, so ``kinds`` holds
            only the respondent's own findings (the message says so).

    Returns:
        The problem in words (it starts with "names …"), or None.
    """
    kind = kinds.get(fid)
    if kind is None:
        if own_only:
            return (
                f"names {fid!r}, which is not a bottleneck, blind spot or need of this "
                f"self-evaluation"
            )
        return f"names {fid!r}, which is not a finding of any response"
    if kind not in ANSWERABLE:
        return (
            f"names {fid}, a finding of kind {kind!r}; an opportunity answers bottlenecks, "
            f"blind spots or needs"
        )
    return None


@dataclass(frozen=True)
class LinkProblem:
    """One wrong id in an opportunity's ``answers``.

    Attributes:
        path: where the id is in the response's answers
            (``("opportunities", 0, "answers", 1)``), for file:line.
        message: ``answers of <opportunity id> names …``.
        hint: what to do.
    """

    path: tuple[str | int, ...]
    message: str
    hint: str

    def error(self, location: Location) -> InputError:
        """The problem as the one error a command reports, at ``location``."""
        return InputError(self.message, location=location, hint=self.hint)


def response_link_problems(
    questionnaire: Questionnaire,
    participant: str,
    answers: Mapping[str, Any],
    *,
    draft: Mapping[str, str] | None = None,
    codes: Collection[str] = (),
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

    Returns:
        One :class:`LinkProblem` per wrong id, in entry order.
    """
    own_only = questionnaire.kind == "self-evaluation"
    found = entry_findings(questionnaire, participant, answers, _ENTRY_KINDS)
    kinds = {fid: kind for fid, kind, _ in found}
    if not own_only and draft is not None:
        kinds = {**draft, **kinds}
    own_prefix = participant + "."
    hint = SELF_EVALUATION_HINT if own_only else HINT
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
                problem = link_problem(fid, kinds, own_only=own_only)
                if problem is not None:
                    problems.append(
                        LinkProblem(
                            (item.id, index, "answers", position),
                            f"answers of {opportunity} {problem}",
                            hint,
                        )
                    )
    return problems
