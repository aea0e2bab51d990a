"""Reactions to findings of the draft: checking, merging, and asking them.

A peer reviewer reacts per finding of the draft integrated report
(``docs/findings.md``) with a verdict (agree / partly agree / disagree / no
opinion), a comment (required for partly agree and disagree, issue 5) and an
optional correction. A reaction records the finding's hash as the reviewer
saw it, so the final report can tell a reaction to a since-edited finding
(``docs/findings.md`` §6).

This module holds the reaction-level rules: checking an answers file's
``reactions:`` list (:func:`reactions_from_data`), merging
(:func:`merge_reactions`), completeness (:func:`reaction_problems`), and the
interactive step that asks them through the ``fill`` engine's
:meth:`~selfeval.fill.walker.Walker.ask_item` (:func:`walk_reactions`). The
peer-review flow around it is :mod:`selfeval.peer_review.run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.files import yamlio
from selfeval.model.response import VERDICTS, Reaction

if TYPE_CHECKING:
    from selfeval.fill.walker import Walker
    from selfeval.model.questionnaire import LongTextItem, SingleChoiceItem
    from selfeval.report.findings import Draft, DraftFinding

__all__ = [
    "NEEDS_COMMENT",
    "ReactionItems",
    "canonical_id",
    "is_current",
    "merge_reactions",
    "reaction_items",
    "reaction_problems",
    "reactions_from_data",
    "walk_reactions",
]

#: Verdicts that need a comment saying why (issue 5).
NEEDS_COMMENT = ("partly-agree", "disagree")

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
    participant: str | None = None,
) -> list[Reaction]:
    """Check an answers file's ``reactions:`` list and turn it into reactions.

    Each entry is ``{finding, verdict, comment?, correction?}``
    (``docs/peer-review.md``); ``finding_hash`` is filled in from the draft.
    A merged alias id is accepted and recorded under the merged finding's id
    (``docs/findings.md`` §4).

    Args:
        raw: the value of ``reactions`` as loaded (None means no reactions).
        draft: the draft reacted to.
        selection: the findings this reviewer reacts to.
        path: the answers file, for messages.
        text: its text, to find line numbers.
        participant: the reviewer's code, for the ``--list`` hint.

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
        found = yamlio.line_of(text, ["reactions", *loc]) if text else None
        return Location(path, *found) if found else Location(path)

    hint = "each reaction is {finding: ID, verdict: agree|partly-agree|disagree|no-opinion, " \
        "comment: ..., correction: ...}; see docs/peer-review.md"  # fmt: skip
    if not isinstance(raw, list):
        raise InputError("'reactions' must be a list", location=where(), hint=hint)
    mine = {f.id for f in selection}
    listing = f"selfeval peer-review -p {participant or 'CODE'} --list"
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
        if verdict in NEEDS_COMMENT and not (comment or "").strip():
            errors.append(
                InputError(
                    f"reaction to {fid}: a comment is required with verdict {verdict}",
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

    Returns:
        One message per problem (empty when all is well).
    """
    return [
        f"reaction to {r.finding}: a comment is required with verdict {r.verdict}"
        for r in reactions
        if r.verdict in NEEDS_COMMENT and not (r.comment or "").strip()
    ]


def is_current(reaction: Reaction | None, finding: DraftFinding) -> bool:
    """True when ``reaction`` was given on ``finding`` as it reads now, and is complete."""
    if reaction is None or reaction.finding != finding.id:
        return False
    if reaction.finding_hash is not None and reaction.finding_hash != finding.hash:
        return False
    return not reaction_problems([reaction])


# -- asking reactions interactively ----------------------------------------------------

_VERDICT_LABELS = {
    "agree": {"nl": "Eens", "en": "Agree"},
    "partly-agree": {"nl": "Deels eens", "en": "Partly agree"},
    "disagree": {"nl": "Oneens", "en": "Disagree"},
    "no-opinion": {"nl": "Geen mening", "en": "No opinion"},
}
_KIND_LABELS = {
    "role": {"nl": "Rol", "en": "Role"},
    "bottleneck": {"nl": "Knelpunt", "en": "Bottleneck"},
    "blind-spot": {"nl": "Blinde vlek", "en": "Blind spot"},
    "need": {"nl": "Behoefte/ambitie", "en": "Need/ambition"},
    "opportunity": {"nl": "Kans", "en": "Opportunity"},
    "activity": {"nl": "Beleidsactiviteit", "en": "Policy activity"},
    "document": {"nl": "Beleidsdocument", "en": "Policy document"},
}
_TEXTS = {
    "heading": {
        "nl": "Reacties op de conceptrapportage: {count} bevindingen, nog {todo} te gaan.",
        "en": "Reactions to the draft report: {count} findings, {todo} to go.",
    },
    "finding": {"nl": "[{n}/{count}] {kind}: {title}", "en": "[{n}/{count}] {kind}: {title}"},
    "raised_by": {"nl": "Aangegeven door: {names}", "en": "Raised by: {names}"},
    "changed": {
        "nl": "De tekst is gewijzigd sinds uw reactie; uw eerdere reactie staat als standaard.",
        "en": "The text changed since your reaction; your earlier reaction is the default.",
    },
    "all_done": {
        "nl": "Alle {count} bevindingen hebben een reactie. Wilt u ze opnieuw langslopen?",
        "en": "All {count} findings have a reaction. Go through them again?",
    },
    "none": {
        "nl": "De conceptrapportage bevat geen bevindingen waarop u in deze ronde reageert.",
        "en": "The draft has no findings for you to react to in this round.",
    },
    "review": {"nl": "Uw reacties", "en": "Your reactions"},
    "verdict": {
        "nl": "Uw reactie op deze bevinding",
        "en": "Your reaction to this finding",
    },
    "comment": {
        "nl": "Toelichting: wat klopt er niet of niet helemaal?",
        "en": "Comment: what is not (quite) right?",
    },
    "correction": {
        "nl": "Voorgestelde correctie (optioneel)",
        "en": "Proposed correction (optional)",
    },
    "verdict_help": {
        "nl": "Reageren is niet verplicht: '(geen antwoord)' slaat deze bevinding over.",
        "en": "Reacting is not required: '(no answer)' skips this finding.",
    },
    "skipped": {
        "nl": "Overgeslagen: geen reactie op deze bevinding (u kunt later nog reageren).",
        "en": "Skipped: no reaction to this finding (you can still react later).",
    },
    "comment_needed": {
        "nl": "Bij '{verdict}' hoort een toelichting: wat klopt er niet? Wat wilt u doen?",
        "en": "'{verdict}' needs a comment saying what is not right. What would you like to do?",
    },
    "write": {"nl": "Toelichting schrijven", "en": "Write the comment"},
    "change": {"nl": "Een ander oordeel kiezen", "en": "Choose another verdict"},
    "skip": {
        "nl": "Deze bevinding overslaan (geen reactie)",
        "en": "Skip this finding (no reaction)",
    },
}


def _say(key: str, lang: str, **values: Any) -> str:
    texts = _TEXTS[key]
    return (texts.get(lang) or texts["en"]).format(**values)


class ReactionItems(NamedTuple):
    """The items asked per finding, built in code (not in any questionnaire file)."""

    verdict: SingleChoiceItem
    comment: LongTextItem
    optional_comment: LongTextItem
    correction: LongTextItem


def reaction_items() -> ReactionItems:
    """Build the items asked per finding, labelled in Dutch and English.

    Returns:
        The verdict (single choice of :data:`~selfeval.model.response.VERDICTS`;
        not required: leaving it blank skips the finding), the comment
        (required, for partly agree and disagree), the same comment as
        optional (to revisit one given earlier with another verdict), and
        the optional correction.
    """
    from selfeval.model.questionnaire import LongTextItem, SingleChoiceItem

    verdict = SingleChoiceItem.model_validate(
        {
            "id": "verdict",
            "type": "single-choice",
            "required": False,
            "label": _TEXTS["verdict"],
            "help": _TEXTS["verdict_help"],
            "choices": [{"value": v, "label": _VERDICT_LABELS[v]} for v in VERDICTS],
        }
    )

    def text(key: str, *, required: bool) -> LongTextItem:
        return LongTextItem.model_validate(
            {"id": key, "type": "long-text", "required": required, "label": _TEXTS[key]}
        )

    return ReactionItems(
        verdict,
        text("comment", required=True),
        text("comment", required=False),
        text("correction", required=False),
    )


def walk_reactions(
    session: Walker, selection: Sequence[DraftFinding], *, names: dict[str, str]
) -> bool:
    """Ask a reaction to each finding not yet reacted to (as it reads now), saving each answer.

    Per finding: the finding is shown (kind, title, who raised it, text),
    then the verdict; for partly agree and disagree a comment and an
    optional correction. One rule in both modes (``docs/peer-review.md``):
    reacting to a finding is not required, but a reaction given is complete.
    So "no answer" at the verdict skips the finding (an earlier reaction
    stays as it was), and a blank comment after partly agree or disagree
    offers to write it, to choose another verdict, or to skip the finding.
    The verdict is saved at once, so Ctrl-C never loses it; a reaction
    still missing its comment is asked again on resume. When every finding
    already has a current reaction, the reviewer may go through them again.

    Args:
        session: the walker of the fill session (its store and prompter are used).
        selection: the reviewer's findings, in report order.
        names: participant code → display name.

    Returns:
        True when done, False when interrupted (``KeyboardInterrupt``/``EOFError``).
    """
    from selfeval.fill.prompter import Notice, ReviewRow

    store, prompter, lang = session.store, session.prompter, session.lang
    response = store.response
    count = len(selection)
    try:
        if not selection:
            prompter.show_notice(Notice("info", _say("none", lang)))
            return True
        existing = {r.finding: r for r in response.reactions}
        pending = [f for f in selection if not is_current(existing.get(f.id), f)]
        if not pending and prompter.confirm(_say("all_done", lang, count=count), default=False):
            pending = list(selection)
        if pending:
            prompter.show_notice(
                Notice("info", _say("heading", lang, count=count, todo=len(pending)))
            )
        order = [f.id for f in selection]
        position = {f.id: n for n, f in enumerate(selection, start=1)}
        for finding in pending:
            old = {r.finding: r for r in response.reactions}.get(finding.id)
            kind = _KIND_LABELS.get(finding.kind, {}).get(lang, finding.kind)
            raised = ", ".join(names.get(c, c) for c in finding.raised_by)
            details = (
                _say("raised_by", lang, names=raised),
                *(line for line in finding.text.strip().splitlines() if line.strip()),
                f"({finding.id})",
            )
            title = _say(
                "finding", lang, n=position[finding.id], count=count, kind=kind,
                title=finding.title,
            )  # fmt: skip
            prompter.show_notice(Notice("info", title, details))
            if old and old.finding_hash not in (None, finding.hash):
                prompter.show_notice(Notice("warning", _say("changed", lang)))
            if _react(session, finding, old, order) is None:
                prompter.show_notice(Notice("info", _say("skipped", lang)))
        rows = [
            ReviewRow(
                1,
                f"{r.finding}",
                _VERDICT_LABELS[r.verdict].get(lang, r.verdict)
                + (f" — {r.comment.strip()}" if r.comment else ""),
                "answered",
            )
            for r in response.reactions
            if r.finding in position
        ]
        prompter.show_review(_say("review", lang), rows)
    except (KeyboardInterrupt, EOFError):
        return False
    return True


def _react(
    session: Walker, finding: DraftFinding, old: Reaction | None, order: Sequence[str]
) -> Reaction | None:
    """Ask and save one reaction; None when the reviewer skips the finding."""
    from selfeval.fill.prompter import Option

    store, prompter, lang = session.store, session.prompter, session.lang
    response = store.response
    items = reaction_items()
    base = ("reactions", finding.id)
    # Until this finding's questions are done, keep the hash the earlier
    # reaction was given on, so an interruption re-asks it on resume.
    keep_hash = old.finding_hash if old and not is_current(old, finding) else finding.hash
    default = old.verdict if old else None
    while True:
        verdict = session.ask_item(items.verdict, default, path=(*base, "verdict"))
        if verdict is None:
            return None  # skipped: an earlier reaction stays as it was
        reaction = Reaction(
            finding=finding.id,
            finding_hash=keep_hash,
            verdict=verdict,
            comment=old.comment if old else None,
            correction=old.correction if old else None,
        )
        response.reactions = merge_reactions(response.reactions, [reaction], order)
        session.save()
        # A comment is required with partly agree and disagree; one given
        # earlier is shown again (never dropped unasked) with any verdict.
        needs_comment = verdict in NEEDS_COMMENT
        if not (needs_comment or reaction.comment or reaction.correction):
            break
        item = items.comment if needs_comment else items.optional_comment
        path = (*base, "comment")
        comment = session.ask_item(item, reaction.comment, path=path, warn_blank=False)
        choice = "write"
        while needs_comment and comment is None:
            label = _VERDICT_LABELS[verdict].get(lang, verdict)
            options = [Option(key, _say(key, lang)) for key in ("write", "change", "skip")]
            choice = prompter.choose(
                _say("comment_needed", lang, verdict=label), options, default="write"
            )
            if choice != "write":
                break
            comment = session.ask_item(item, None, path=path, warn_blank=False)
        if choice == "change":
            default = None
            continue
        if choice == "skip":
            # Back to how it was: the earlier reaction, or none.
            others = [r for r in response.reactions if r.finding != finding.id]
            response.reactions = merge_reactions(others, [old] if old else [], order)
            session.save()
            return None
        reaction.comment = comment
        session.save()
        reaction.correction = session.ask_item(
            items.correction, reaction.correction, path=(*base, "correction")
        )
        break
    reaction.finding_hash = finding.hash
    session.save()
    return reaction
