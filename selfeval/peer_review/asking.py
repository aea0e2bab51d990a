"""Asking a peer reviewer's reactions in a session: finding cards, verdicts, the review.

The interactive side of :mod:`selfeval.peer_review.reactions`: per finding a
card (what, who raised it, whom it concerns, why this reviewer sees it, its
text), then the verdict, the comment and the correction, asked through the
``fill`` engine's :meth:`~selfeval.fill.walker.Walker.ask_item` and saved at
once. :class:`ReactionReview` puts the reactions, by finding title, into the
review before submitting and lets the reviewer change one (issue 16). The
session's own texts in Dutch and English are here too (:func:`say`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from selfeval.model.response import VERDICTS, Reaction
from selfeval.peer_review.reactions import NEEDS_COMMENT, is_current, merge_reactions

if TYPE_CHECKING:
    from selfeval.fill.prompter import Option, ReviewRow
    from selfeval.fill.walker import Walker
    from selfeval.model.questionnaire import LongTextItem, SingleChoiceItem
    from selfeval.report.findings import DraftFinding

__all__ = [
    "KIND_LABELS",
    "ReactionItems",
    "ReactionReview",
    "reaction_items",
    "reaction_rows",
    "say",
    "walk_reactions",
]

_VERDICT_LABELS = {
    "agree": {"nl": "Eens", "en": "Agree"},
    "partly-agree": {"nl": "Deels eens", "en": "Partly agree"},
    "disagree": {"nl": "Oneens", "en": "Disagree"},
    "no-opinion": {"nl": "Geen mening", "en": "No opinion"},
}
KIND_LABELS = {
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
    "carried": {
        "nl": "{done} bevindingen hebben al een reactie (overgenomen); die slaan we over.",
        "en": "{done} findings already have a reaction (carried over); they are skipped.",
    },
    "carried_one": {
        "nl": "1 bevinding heeft al een reactie (overgenomen); die slaan we over.",
        "en": "1 finding already has a reaction (carried over); it is skipped.",
    },
    "read_draft": {
        "nl": "Het concept-rapport om erbij te lezen: {path}",
        "en": "The draft report to read alongside: {path}",
    },
    "concerns": {"nl": "Betreft: {names}", "en": "Concerns: {names}"},
    "why_round_1": {
        "nl": "U ziet dit omdat een ander departement het aangaf; u reageert als collega.",
        "en": "You see this because another department raised it; you react as a colleague.",
    },
    "why_own_role": {
        "nl": "U ziet dit omdat het concept hier de rol van uw departement beschrijft.",
        "en": "You see this because the draft describes your department's role here.",
    },
    "why_concerned": {
        "nl": "U ziet dit omdat deze bevinding uw departement noemt.",
        "en": "You see this because this finding names your department.",
    },
    "reference": {"nl": "Kenmerk: {id}", "en": "Reference: {id}"},
    "no_reaction": {"nl": "geen reactie", "en": "no reaction"},
    "change_reaction": {"nl": "Een reactie wijzigen", "en": "Change a reaction"},
    "which_finding": {"nl": "Welke bevinding?", "en": "Which finding?"},
    "back": {"nl": "← Terug naar het menu", "en": "← Back to the menu"},
    # Starting a peer review (selfeval.peer_review.run).
    "opening_title": {"nl": "Collegiale toets {round}", "en": "Peer review {round}"},
    "opening_findings": {
        "nl": "Eerst reageert u op {count} bevindingen uit het concept-rapport; daarna volgen "
        "de vragen hieronder.",
        "en": "First you react to {count} findings of the draft report; the questions below "
        "follow.",
    },
    "opening_findings_one": {
        "nl": "Eerst reageert u op 1 bevinding uit het concept-rapport; daarna volgen de "
        "vragen hieronder.",
        "en": "First you react to 1 finding of the draft report; the questions below follow.",
    },
    "submitted_before": {
        "nl": "Uw collegiale toets {round} is al ingediend op {when}.",
        "en": "Your peer review {round} was submitted on {when}.",
    },
    "confirm_reopen": {
        "nl": "Heropenen om iets te wijzigen? Hij telt dan als niet ingediend tot u opnieuw "
        "indient; de ingediende versie blijft bewaard.",
        "en": "Reopen it to change something? It then counts as not submitted until you submit "
        "again; the submitted version is kept.",
    },
    "stale": {
        "nl": "Het concept-rapport is gewijzigd sinds u met deze collegiale toets begon.",
        "en": "The draft report changed since you started this peer review.",
    },
    "stale_changed": {
        "nl": "Gewijzigd sinds uw reactie (u krijgt ze opnieuw): {titles}",
        "en": "Changed since your reaction (asked again): {titles}",
    },
    "stale_gone": {
        "nl": "Niet meer in het concept (uw reactie blijft bewaard): {titles}",
        "en": "No longer in the draft (your reaction is kept): {titles}",
    },
    "stale_new": {
        "nl": "Nieuw of nog zonder reactie: {titles}",
        "en": "New or not yet reacted to: {titles}",
    },
    "stale_unchanged": {
        "nl": "Ongewijzigd; uw reactie blijft staan: {count} bevindingen",
        "en": "Unchanged; your reaction stays: {count} findings",
    },
    "stale_unchanged_one": {
        "nl": "Ongewijzigd; uw reactie blijft staan: 1 bevinding",
        "en": "Unchanged; your reaction stays: 1 finding",
    },
    "confirm_stale": {
        "nl": "Verdergaan met het nieuwe concept? Er wordt niets gewist.",
        "en": "Continue with the new draft? Nothing is deleted.",
    },
    "declined": {
        "nl": "Gestopt op uw verzoek; er is niets gewijzigd.",
        "en": "Stopped as you asked; nothing was changed.",
    },
    "moved": {
        "nl": "Uw collegiale toets volgt nu het nieuwe concept-rapport.",
        "en": "Your peer review now follows the new draft report.",
    },
    "invited": {
        "nl": "{participant} staat in {file} niet ingeschreven voor collegiale toets {round}; "
        "het doet mee als genodigde.",
        "en": "{participant} is not down for peer review {round} in {file}; it takes part as "
        "invited.",
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


def say(key: str, lang: str, **values: Any) -> str:
    """The peer-review text ``key`` in ``lang`` (English when missing), filled with ``values``.

    With a ``count`` (or ``done``) of 1 the text ``<key>_one`` is used when there is one.
    """
    if values.get("count", values.get("done")) == 1 and f"{key}_one" in _TEXTS:
        key = f"{key}_one"
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
    session: Walker,
    selection: Sequence[DraftFinding],
    *,
    names: dict[str, str],
    round_: int = 1,
    draft_report: str | None = None,
) -> bool:
    """Ask a reaction to each finding not yet reacted to (as it reads now), saving each answer.

    Per finding a card is shown: kind and title, who raised it, whom it
    concerns, why this reviewer sees it (round 1: another department raised
    it; round 2: it describes or names the reviewer's department), its text
    as paragraphs, and its reference; then the verdict; for partly agree and
    disagree a comment and an optional correction. One rule in both modes
    (``docs/peer-review.md``): reacting to a finding is not required, but a
    reaction given is complete. So "no answer" at the verdict skips the
    finding (an earlier reaction stays as it was), and a blank comment after
    partly agree or disagree offers to write it, to choose another verdict,
    or to skip the finding. The verdict is saved at once, so Ctrl-C never
    loses it; a reaction still missing its comment is asked again on resume.
    Findings with a current reaction (carried over) are skipped, and the
    reviewer is told how many. When every finding already has a current
    reaction, the reviewer may go through them again.

    Args:
        session: the walker of the fill session (its store and prompter are used).
        selection: the reviewer's findings, in report order.
        names: participant code → display name.
        round_: the peer-review round (1 or 2), to say why a finding is shown.
        draft_report: the draft report to read alongside, as the reviewer finds it.

    Returns:
        True when done, False when interrupted (``KeyboardInterrupt``/``EOFError``).
    """
    from selfeval.fill.prompter import Notice

    store, prompter, lang = session.store, session.prompter, session.lang
    response = store.response
    count = len(selection)
    try:
        if not selection:
            prompter.show_notice(Notice("info", say("none", lang)))
            return True
        existing = {r.finding: r for r in response.reactions}
        pending = [f for f in selection if not is_current(existing.get(f.id), f)]
        if not pending and prompter.confirm(say("all_done", lang, count=count), default=False):
            pending = list(selection)
        if pending:
            details = [say("read_draft", lang, path=draft_report)] if draft_report else []
            if len(pending) < count:
                details.append(say("carried", lang, done=count - len(pending)))
            prompter.show_notice(
                Notice("info", say("heading", lang, count=count, todo=len(pending)), tuple(details))
            )
        order = [f.id for f in selection]
        position = {f.id: n for n, f in enumerate(selection, start=1)}
        for finding in pending:
            old = {r.finding: r for r in response.reactions}.get(finding.id)
            _show_card(session, finding, position[finding.id], count, names, round_)
            if old and old.finding_hash not in (None, finding.hash):
                prompter.show_notice(Notice("warning", say("changed", lang)))
            if _react(session, finding, old, order) is None:
                prompter.show_notice(Notice("info", say("skipped", lang)))
        prompter.show_review(say("review", lang), reaction_rows(session, selection))
    except (KeyboardInterrupt, EOFError):
        return False
    return True


def _show_card(
    session: Walker,
    finding: DraftFinding,
    n: int,
    count: int,
    names: dict[str, str],
    round_: int,
) -> None:
    """Show one finding: what, who raised it, whom it concerns, why shown, its text."""
    from selfeval.fill.prompter import Notice

    lang = session.lang
    participant = session.store.participant
    kind = KIND_LABELS.get(finding.kind, {}).get(lang, finding.kind)
    details = [say("raised_by", lang, names=", ".join(names.get(c, c) for c in finding.raised_by))]
    if finding.concerns:
        details.append(
            say("concerns", lang, names=", ".join(names.get(c, c) for c in finding.concerns))
        )
    if round_ == 1:
        details.append(say("why_round_1", lang))
    elif finding.id == f"role.{participant}":
        details.append(say("why_own_role", lang))
    else:
        details.append(say("why_concerned", lang))
    details.append(say("reference", lang, id=finding.id))
    title = say("finding", lang, n=n, count=count, kind=kind, title=finding.title)
    session.prompter.show_notice(
        Notice("info", title, tuple(details), body=_paragraphs(finding.text))
    )


def _paragraphs(text: str) -> str:
    """A finding's text with its hard line breaks joined: paragraphs, blank-line separated."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def reaction_rows(session: Walker, selection: Sequence[DraftFinding]) -> list[ReviewRow]:
    """The reviewer's reactions for the review, by finding title: verdict and comment.

    Returns:
        A heading row, then one row per finding (``blank`` without a reaction).
    """
    from selfeval.fill.prompter import ReviewRow

    lang = session.lang
    by_id = {r.finding: r for r in session.store.response.reactions}
    rows = [ReviewRow(0, say("review", lang), "", "heading")]
    for finding in selection:
        kind = KIND_LABELS.get(finding.kind, {}).get(lang, finding.kind)
        label = f"{kind}: {finding.title}"
        reaction = by_id.get(finding.id)
        if reaction is None:
            rows.append(ReviewRow(1, label, "", "blank"))
            continue
        value = _VERDICT_LABELS[reaction.verdict].get(lang, reaction.verdict)
        if reaction.comment:
            value += f" — {reaction.comment.strip()}"
        rows.append(ReviewRow(1, label, value, "answered"))
    return rows


class ReactionReview:
    """The reactions as part of the review before submitting: listed, and each changeable.

    A :class:`~selfeval.fill.menus.ReviewPart` for :class:`~selfeval.fill.session.FillSession`.

    Args:
        session: the walker of the fill session.
        selection: the reviewer's findings, in report order.
        names: participant code → display name.
        round_: the peer-review round.
    """

    def __init__(
        self,
        session: Walker,
        selection: Sequence[DraftFinding],
        *,
        names: dict[str, str],
        round_: int,
    ) -> None:
        self.session = session
        self.selection = list(selection)
        self.names = names
        self.round = round_

    def rows(self) -> list[ReviewRow]:
        """The reactions by finding title (see :func:`reaction_rows`)."""
        return reaction_rows(self.session, self.selection) if self.selection else []

    def options(self) -> list[Option]:
        """The option to change a reaction, when there are findings to react to."""
        from selfeval.fill.prompter import Option

        if not self.selection:
            return []
        return [Option("reaction", say("change_reaction", self.session.lang))]

    def run(self, choice: str) -> None:
        """Let the reviewer pick a finding by title and give its reaction again."""
        from selfeval.fill.prompter import BACK, Option

        lang = self.session.lang
        rows = reaction_rows(self.session, self.selection)[1:]
        options = [
            Option(f.id, f"{row.label}: {row.value or say('no_reaction', lang)}"[:100])
            for f, row in zip(self.selection, rows, strict=True)
        ]
        options.append(Option(BACK, say("back", lang)))
        picked = self.session.prompter.choose(say("which_finding", lang), options)
        if picked == BACK:
            return
        finding = next(f for f in self.selection if f.id == picked)
        position = self.selection.index(finding) + 1
        _show_card(self.session, finding, position, len(self.selection), self.names, self.round)
        old = {r.finding: r for r in self.session.store.response.reactions}.get(finding.id)
        _react(self.session, finding, old, [f.id for f in self.selection])


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
            options = [Option(key, say(key, lang)) for key in ("write", "change", "skip")]
            choice = prompter.choose(
                say("comment_needed", lang, verdict=label), options, default="write"
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
