"""Reactions to findings of the draft: checking, merging, and asking them.

A peer reviewer reacts per finding of the draft integrated report
(``docs/findings.md``) with a verdict (agree / partly agree / disagree / no
opinion), a comment (required for partly agree and disagree, issue 5) and an
optional correction. A reaction records the finding's hash as the reviewer
saw it, so the final report can tell a reaction to a since-edited finding
(``docs/findings.md`` §6).

This module holds the reaction-level rules: checking an answers file's
``reactions:`` list (:func:`reactions_from_data`), merging
(:func:`merge_reactions`), completeness (:func:`reaction_problems`,
:func:`is_current`) and which findings still lack a reaction
(:func:`without_reaction`, the one count the screens say).
Asking them interactively is :mod:`selfeval.peer_review.asking`; the
peer-review flow around both is :mod:`selfeval.peer_review.run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.files import yamlio
from selfeval.model.response import NEEDS_COMMENT, VERDICTS, Reaction, missing_comment
from selfeval.model.text import bad_character, character_message, normalised

if TYPE_CHECKING:
    from selfeval.report.findings import Draft, DraftFinding

__all__ = [
    "NEEDS_COMMENT",
    "canonical_id",
    "is_current",
    "merge_reactions",
    "reaction_problems",
    "reactions_from_data",
    "without_reaction",
]

#: Keys of one entry of the answers file's ``reactions:`` list.
REACTION_KEYS = ("finding", "verdict", "comment", "correction")


def canonical_id(draft: Draft, fid: str) -> str | None:
    """The id of the draft finding ``fid`` names (itself or a merged alias), or None."""
    try:
        return draft.finding(fid).id
    except KeyError:
        return None


def reactions_from_data(
    raw: Any,
    *,
    draft: Draft,
    selection: Sequence[DraftFinding],
    path: Path,
    text: str = "",
    listing: str | None = None,
) -> list[Reaction]:
    """Check an answers file's ``reactions:`` list and turn it into reactions.

    Each entry is ``{finding, verdict, comment?, correction?}``
    (``docs/peer-review-reference.md``); ``finding_hash`` is filled in from the draft.
    A merged alias id is accepted and recorded under the merged finding's id
    (``docs/findings.md`` §4).

    Args:
        raw: the value of ``reactions`` as loaded (None means no reactions).
        draft: the draft reacted to.
        selection: the findings this reviewer reacts to.
        path: the answers file, for messages.
        text: its text, to find line numbers.
        listing: the command that lists the reviewer's findings, for the hint
            (:meth:`~selfeval.files.workspace.Workspace.command`: it names
            ``--category`` when one is needed).

    Returns:
        The reactions, in the file's order.

    Raises:
        InputError: ``reactions`` is not a list; or one problem: an entry
            that is not a mapping, an unknown key, a missing finding id, a
            bad verdict, a missing comment, a finding reacted to twice, or
            (one error listing them all) finding ids not in the draft or not
            among the reviewer's findings.
        ValidationProblems: several of those, every one of them (issue P5:
            one run shows all mistakes).
    """
    if raw is None:
        return []

    def where(*loc: str | int) -> Location:
        return yamlio.location_of(path, text, ["reactions", *loc])

    hint = "each reaction is {finding: ID, verdict: agree|partly-agree|disagree|no-opinion, " \
        "comment: ..., correction: ...}; see docs/peer-review-reference.md"  # fmt: skip
    if not isinstance(raw, list):
        raise InputError("'reactions' must be a list", location=where(), hint=hint)
    mine = {f.id for f in selection}
    listing = listing or "selfeval peer-review -p CODE --list"
    errors: list[SelfevalError] = []
    reactions: list[Reaction] = []
    unknown: list[tuple[int, str]] = []
    not_mine: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            errors.append(
                InputError("each reaction must be a mapping", location=where(index), hint=hint)
            )
            continue
        extra = sorted(str(k) for k in entry if k not in REACTION_KEYS)
        if extra:
            why = " (it is filled in from the draft)" if extra == ["finding_hash"] else ""
            errors.append(
                InputError(
                    f"reaction {index + 1}: unknown key {extra[0]!r}{why}",
                    location=where(index, extra[0]),
                    hint=hint,
                )
            )
            continue
        fid, verdict = entry.get("finding"), entry.get("verdict")
        if not isinstance(fid, str) or not fid:
            errors.append(
                InputError(
                    f"reaction {index + 1}: 'finding' (a finding id) is missing",
                    location=where(index),
                    hint=hint,
                )
            )
            continue
        if verdict not in VERDICTS:
            errors.append(
                InputError(
                    f"reaction to {fid}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}",
                    location=where(index, "verdict"),
                    hint=hint,
                )
            )
            continue
        comment, correction = entry.get("comment"), entry.get("correction")
        not_text = [
            key
            for key, value in (("comment", comment), ("correction", correction))
            if value is not None and not isinstance(value, str)
        ]
        for key in not_text:
            errors.append(
                InputError(
                    f"reaction to {fid}: {key} must be text", location=where(index, key), hint=hint
                )
            )
        if not_text:
            continue
        comment, correction = (
            None if value is None else normalised(value) for value in (comment, correction)
        )
        bad = [
            (key, value, found)
            for key, value in (("comment", comment), ("correction", correction))
            if value is not None and (found := bad_character(value)) is not None
        ]
        for key, value, (at, char) in bad:
            errors.append(
                InputError(
                    f"reaction to {fid}: {key} {character_message(value, at, char)}",
                    location=where(index, key),
                )
            )
        if bad:
            continue
        if (missing := missing_comment(fid, verdict, comment)) is not None:
            errors.append(
                InputError(
                    missing,
                    location=where(index),
                    hint="say what is not right, in 'comment'",
                )
            )
            continue
        canonical = canonical_id(draft, fid)
        if canonical is None:
            unknown.append((index, fid))
            continue
        if canonical not in mine:
            not_mine.append((index, fid))
            continue
        if canonical in seen:
            errors.append(
                InputError(
                    f"{fid} is reacted to twice (reactions {seen[canonical] + 1} and {index + 1})",
                    location=where(index, "finding"),
                    hint="give one reaction per finding",
                )
            )
            continue
        seen[canonical] = index
        reactions.append(
            Reaction(
                finding=canonical,
                finding_hash=draft.finding(canonical).hash,
                verdict=verdict,
                comment=comment or None,
                correction=correction or None,
            )
        )
    if unknown:
        errors.append(
            InputError(
                f"{len(unknown)} reaction{'s name' if len(unknown) != 1 else ' names'} a finding "
                f"that is not in the draft: {', '.join(fid for _, fid in unknown)}",
                location=where(unknown[0][0], "finding"),
                hint=f"use the ids in the draft (list them with `{listing}`); "
                "a draft made again may have changed them",
            )
        )
    if not_mine:
        errors.append(
            InputError(
                f"{len(not_mine)} reaction{'s name' if len(not_mine) != 1 else ' names'} a finding "
                f"this reviewer does not react to in this round: "
                f"{', '.join(fid for _, fid in not_mine)}",
                location=where(not_mine[0][0], "finding"),
                hint="round 1 reacts to what others said, round 2 to one's own role; "
                f"list yours with `{listing}`",
            )
        )
    if len(errors) > 1:
        raise ValidationProblems(errors)
    if errors:
        raise errors[0]
    return reactions


def merge_reactions(
    existing: Iterable[Reaction], incoming: Iterable[Reaction], order: Sequence[str]
) -> list[Reaction]:
    """Combine reactions: an incoming reaction replaces the one to the same finding.

    Args:
        existing: reactions already in the response.
        incoming: new reactions (answers file or prompts).
        order: finding ids in report order.

    Returns:
        One reaction per finding: those in ``order`` first, in that order,
        then any others (e.g. to findings gone from the draft) as they were.
    """
    by_id = {r.finding: r for r in existing}
    by_id.update({r.finding: r for r in incoming})
    rank = {fid: n for n, fid in enumerate(order)}
    known = sorted((r for r in by_id.values() if r.finding in rank), key=lambda r: rank[r.finding])
    return known + [r for r in by_id.values() if r.finding not in rank]


def reaction_problems(reactions: Iterable[Reaction]) -> list[str]:
    """Reactions that cannot be submitted: partly-agree/disagree without a comment.

    The rule is :func:`selfeval.model.response.missing_comment`, the one
    ``validate``, ``status`` and ``aggregate`` check a submitted response by.

    Returns:
        One message per problem (empty when all is well).
    """
    return [
        missing
        for r in reactions
        if (missing := missing_comment(r.finding, r.verdict, r.comment)) is not None
    ]


def is_current(reaction: Reaction | None, finding: DraftFinding) -> bool:
    """True when ``reaction`` was given on ``finding`` as it reads now, and is complete."""
    if reaction is None or reaction.finding != finding.id:
        return False
    if reaction.finding_hash is not None and reaction.finding_hash != finding.hash:
        return False
    return not reaction_problems([reaction])


def without_reaction(
    findings: Iterable[DraftFinding], reactions: Iterable[Reaction]
) -> list[DraftFinding]:
    """The findings without a reaction: none, or none :func:`is_current` (complete, on this text).

    The one rule for every count a reviewer reads (issue 16, fifth trial: "Overgeslagen:
    17 bevindingen zonder reactie" counted only those skipped at once, the closing
    line "5/23 … van een reactie voorzien" every finding): "Geen mening" is a
    reaction; a finding skipped, or a "Deels eens" still lacking its comment, is not.

    Args:
        findings: the reviewer's findings, in report order.
        reactions: the reactions in the response.

    Returns:
        Those of ``findings`` without a current reaction, in their order.
    """
    by_id = {r.finding: r for r in reactions}
    return [f for f in findings if not is_current(by_id.get(f.id), f)]
