"""Asking a peer reviewer's reactions in a session: finding cards, verdicts, the review.

The interactive side of :mod:`selfeval.peer_review.reactions`: per finding a
card (what, who raised it, whom it concerns, why this reviewer sees it, its
text), then the verdict, the comment and the correction, asked through the
``fill`` engine's :meth:`~selfeval.fill.walker.Walker.ask_item` and saved at
once. :class:`ReactionReview` puts the reactions, by finding title, into the
review before submitting and lets the reviewer change one (issue 16). The
session's own words are messages ``peer_review.*`` of the catalogue
(:mod:`selfeval.i18n`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from selfeval.i18n import LANGUAGES, N_, gettext, ngettext
from selfeval.model.response import VERDICTS, Reaction
from selfeval.peer_review.reactions import (
    NEEDS_COMMENT,
    is_current,
    merge_reactions,
    without_reaction,
)

if TYPE_CHECKING:
    from selfeval.fill.prompter import Option, ReviewRow
    from selfeval.fill.walker import Walker
    from selfeval.model.questionnaire import LongTextItem, SingleChoiceItem
    from selfeval.report.findings import DraftFinding

__all__ = [
    "KIND_LABELS",
    "ReactionItems",
    "ReactionReview",
    "draft_report_line",
    "kind_label",
    "reaction_items",
    "reaction_rows",
    "report_section",
    "typed_field",
    "verdict_label",
    "walk_reactions",
]

#: The verdicts' labels (messages ``peer_review.verdict_*``).
_VERDICT_LABELS = {
    "agree": N_("peer_review.verdict_agree"),
    "partly-agree": N_("peer_review.verdict_partly_agree"),
    "disagree": N_("peer_review.verdict_disagree"),
    "no-opinion": N_("peer_review.verdict_no_opinion"),
}
#: A finding's kind as a card names it (messages ``peer_review.kind_*``).
KIND_LABELS = {
    "role": N_("peer_review.kind_role"),
    "bottleneck": N_("peer_review.kind_bottleneck"),
    "blind-spot": N_("peer_review.kind_blind_spot"),
    "need": N_("peer_review.kind_need"),
    "opportunity": N_("peer_review.kind_opportunity"),
    "activity": N_("peer_review.kind_activity"),
    "document": N_("peer_review.kind_document"),
}
#: Characters a line of the "Welke bevinding?" menu keeps for the verdict (": Deels eens").
_VERDICT_ROOM = 14
#: The options when a verdict needs a comment and none was given.
_NO_COMMENT_OPTIONS = {
    "write": N_("peer_review.write"),
    "change": N_("peer_review.change"),
    "skip": N_("peer_review.skip"),
}


def kind_label(kind: str, lang: str) -> str:
    """A finding's kind in ``lang`` (``Knelpunt``), the kind itself when unknown."""
    return gettext(lang, KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def verdict_label(verdict: str, lang: str) -> str:
    """A verdict in ``lang`` (``Deels eens``), the verdict itself when unknown."""
    return gettext(lang, _VERDICT_LABELS[verdict]) if verdict in _VERDICT_LABELS else verdict


def _both(msgid: str) -> dict[str, str]:
    """A message in both languages, as a questionnaire's texts are given (``LocalText``)."""
    return {lang: gettext(lang, msgid) for lang in LANGUAGES}


#: The verdict list's last entry: skip this finding and every one after it.
SKIP_REST = "skip-rest"


class ReactionItems(NamedTuple):
    """The items asked per finding, built in code (not in any questionnaire file)."""

    verdict: SingleChoiceItem
    verdict_or_rest: SingleChoiceItem
    comment: LongTextItem
    optional_comment: LongTextItem
    correction: LongTextItem


def reaction_items() -> ReactionItems:
    """Build the items asked per finding, labelled in Dutch and English.

    Returns:
        The verdict (single choice of :data:`~selfeval.model.response.VERDICTS`;
        not required: leaving it blank skips the finding), the same with a
        last entry :data:`SKIP_REST` (skip the findings still to come), the comment
        (required, for partly agree and disagree), the same comment as
        optional (to revisit one given earlier with another verdict), and
        the optional correction.
    """
    from selfeval.model.questionnaire import LongTextItem, SingleChoiceItem

    verdict_data = {
        "id": "verdict",
        "type": "single-choice",
        "required": False,
        "label": _both(N_("peer_review.verdict")),
        "help": _both(N_("peer_review.verdict_help")),
        "choices": [{"value": v, "label": _both(_VERDICT_LABELS[v])} for v in VERDICTS],
    }
    verdict = SingleChoiceItem.model_validate(verdict_data)
    rest = {"value": SKIP_REST, "label": _both(N_("peer_review.skip_rest"))}
    verdict_or_rest = SingleChoiceItem.model_validate(
        {**verdict_data, "choices": [*verdict_data["choices"], rest]}
    )

    def text(key: str, label: dict[str, str], *, required: bool) -> LongTextItem:
        return LongTextItem.model_validate(
            {"id": key, "type": "long-text", "required": required, "label": label}
        )

    comment = _both(N_("peer_review.comment"))
    return ReactionItems(
        verdict,
        verdict_or_rest,
        text("comment", comment, required=True),
        text("comment", comment, required=False),
        text("correction", _both(N_("peer_review.correction")), required=False),
    )


def walk_reactions(
    session: Walker,
    selection: Sequence[DraftFinding],
    *,
    names: dict[str, str],
    round_: int = 1,
    draft_report: Path | None = None,
    carried_over: bool = False,
) -> bool:
    """Ask a reaction to each finding not yet reacted to (as it reads now), saving each answer.

    Per finding a card is shown: kind and title, who raised it, whom it
    concerns, why this reviewer sees it (round 1: another department raised
    it; round 2: it describes or names the reviewer's department), its text
    as paragraphs, and its reference; then the verdict; for partly agree and
    disagree a comment and an optional correction. One rule in both modes
    (``docs/peer-review-reference.md``): reacting to a finding is not required, but a
    reaction given is complete. So "no answer" at the verdict skips the
    finding (an earlier reaction stays as it was), and a blank comment after
    partly agree or disagree offers to write it, to choose another verdict,
    or to skip the finding. The verdict is saved at once, so Ctrl-C never
    loses it; a reaction still missing its comment is asked again on resume.
    Findings with a current reaction are skipped, and the reviewer is told
    how many ("carried over" only when ``carried_over``). When every finding
    already has a current reaction, the reviewer may go through them again.

    Resuming goes on where the reviewer stopped (issue 16): a finding
    skipped ("no answer", or "skip the remaining findings") is recorded in
    the response's draft reference (``DraftRef.skipped``) and not asked
    again, nor, once an answer is saved, any finding without a reaction (a
    response from before the skipped were recorded). The findings without a
    reaction are counted in a notice and can be reacted to from the review
    ("Een reactie wijzigen"). With
    ``carried_over`` (the reviewer agreed to a new draft) every finding
    without a current reaction is asked, as the notice about the new draft said.

    Args:
        session: the walker of the fill session (its store and prompter are used).
        selection: the reviewer's findings, in report order.
        names: participant code → display name.
        round_: the peer-review round (1 or 2), to say why a finding is shown.
        draft_report: the draft report to read alongside (its full path,
            :func:`~selfeval.peer_review.drafts.draft_report`), named under the
            heading as :func:`draft_report_line` says.
        carried_over: the reactions were carried over from an earlier draft
            (the reviewer agreed to the new one).

    Returns:
        True when done, False when interrupted (``KeyboardInterrupt``/``EOFError``).
    """
    from selfeval.fill.prompter import GoBack, Notice

    store, prompter, lang = session.store, session.prompter, session.lang
    response = store.response
    count = len(selection)
    try:
        if not selection:
            prompter.show_notice(Notice("info", gettext(lang, "peer_review.none")))
            return True
        existing = {r.finding: r for r in response.reactions}
        # A finding with text typed but not confirmed (Ctrl-C at its comment or
        # correction) is asked again, at that text (trial 9: it went on past it).
        typed = {f.id for f in selection if typed_field(response.unconfirmed, f.id)}
        pending = [f for f in selection if f.id in typed or not is_current(existing.get(f.id), f)]
        without = 0  # findings passed over before, without a reaction: not asked again
        if pending and not carried_over:
            # On from where the reviewer stopped (issue 16): past a finding skipped
            # before, or past them all once an answer is saved (a response from before
            # skipped findings were recorded).
            skipped = set(response.draft.skipped) if response.draft else set()
            passed = [
                f
                for f in pending
                if f.id not in existing and f.id not in typed and (store.answers or f.id in skipped)
            ]
            without = len(passed)
            pending = [f for f in pending if f not in passed]
            if without and not pending:
                _show_resumed(session, count, without, draft_report)
                return True
        if not pending and prompter.confirm(
            ngettext(lang, "peer_review.all_done", "peer_review.all_done_plural", count),
            default=False,
        ):
            pending = list(selection)
        if pending:
            details = [draft_report_line(draft_report, lang)]
            done = count - len(pending) - without
            if done:
                # "Overgenomen" only for reactions carried over from an earlier draft.
                details.append(
                    ngettext(lang, "peer_review.carried", "peer_review.carried_plural", done)
                    if carried_over
                    else ngettext(lang, "peer_review.already", "peer_review.already_plural", done)
                )
            if without:
                details.append(
                    ngettext(
                        lang,
                        "peer_review.resumed_without",
                        "peer_review.resumed_without_plural",
                        without,
                    )
                )
            prompter.show_notice(
                Notice(
                    "info",
                    ngettext(
                        lang,
                        "peer_review.heading",
                        "peer_review.heading_plural",
                        count,
                        todo=len(pending),
                    ),
                    tuple(details),
                )
            )
        order = [f.id for f in selection]
        position = {f.id: n for n, f in enumerate(selection, start=1)}
        index = 0
        while index < len(pending):
            finding = pending[index]
            old = {r.finding: r for r in response.reactions}.get(finding.id)
            _show_card(session, finding, position[finding.id], count, names, round_)
            if old and old.finding_hash not in (None, finding.hash):
                prompter.show_notice(Notice("warning", gettext(lang, "peer_review.changed")))
            try:
                reaction = _react(session, finding, old, order, rest=True, resume=True)
            except GoBack:
                if index == 0:
                    prompter.show_notice(Notice("info", gettext(lang, "fill.first_question")))
                else:
                    index -= 1
                continue
            except _SkipRest:
                _mark_skipped(session, [f.id for f in pending[index:]], order)
                # Every finding still without a reaction, as the closing line counts
                # them (issue 16, fifth trial: only those after this one were counted).
                left = len(without_reaction(selection, response.reactions))
                prompter.show_notice(
                    Notice(
                        "info",
                        ngettext(
                            lang,
                            "peer_review.skipped_rest",
                            "peer_review.skipped_rest_plural",
                            left,
                        ),
                    )
                )
                break
            if reaction is None:
                _mark_skipped(session, [finding.id], order)
            else:
                _mark_skipped(session, [], order, finding.id)
            if reaction is None:
                # At once, above the next finding's card (sixth trial: held for the next
                # prompt, it stood under that card); named by number (trial 4).
                prompter.show_notice(
                    Notice(
                        "info",
                        gettext(lang, "peer_review.skipped", n=position[finding.id], count=count),
                        now=True,
                    )
                )
            index += 1
        # What comes after this review, said on it: it is not the last one (issue 16).
        after = (
            gettext(lang, "peer_review.next_questions")
            if session.has_unasked_anywhere()
            else gettext(lang, "peer_review.next_menu")
        )
        prompter.show_notice(Notice("info", after))
        prompter.show_review(gettext(lang, "peer_review.review"), reaction_rows(session, selection))
    except (KeyboardInterrupt, EOFError):
        return False
    return True


def _mark_skipped(
    session: Walker, ids: Sequence[str], order: Sequence[str], reacted: str | None = None
) -> None:
    """Record ``ids`` as skipped on the draft reacted to, ``reacted`` as no longer; save.

    Only findings without a reaction are recorded (one whose earlier reaction
    stays is not skipped). A submitted review left unchanged is not written
    (the draft reference is not part of what was submitted).
    """
    response = session.store.response
    if response.draft is None:
        return
    have = {r.finding for r in response.reactions}
    now = (set(response.draft.skipped) | {i for i in ids if i not in have}) - {reacted}
    skipped = [i for i in order if i in now]
    if skipped != response.draft.skipped:
        response.draft.skipped = skipped
        session.save()


#: How to open a draft report, by its suffix (messages ``peer_review.read_draft*``).
_READ_DRAFT = {
    ".html": N_("peer_review.read_draft_html"),
    ".docx": N_("peer_review.read_draft_docx"),
}


def draft_report_line(path: Path | None, lang: str) -> str:
    """Where the draft report is and how to open it: a sentence, then the full path on its own line.

    An HTML file opens in a web browser, a Word file in Word; a Markdown file
    is a text file a policy officer cannot read well, so the sentence says to
    ask the coordinator for the Word version (issue 16, fifth trial). The path
    stands alone so that it can be copied whole into an address bar. With no
    draft report beside the draft, it says to ask the coordinator for one.

    Args:
        path: the draft report's absolute path, or None when there is none.
        lang: ``nl`` or ``en``.

    Returns:
        The text: two lines joined by a line break, or one without a path.
    """
    if path is None:
        return gettext(lang, "peer_review.read_draft_none")
    said = gettext(lang, _READ_DRAFT.get(path.suffix.lower(), N_("peer_review.read_draft")))
    return f"{said}\n{path}"


def _show_resumed(session: Walker, count: int, without: int, draft_report: Path | None) -> None:
    """Say that the session goes on after the findings: how many have a reaction, and how.

    Where the draft report is comes last, as under the findings' heading: a
    reviewer who comes back another day needs it for "Een reactie wijzigen".
    """
    from selfeval.fill.prompter import Notice

    lang = session.lang
    details: tuple[str, ...] = ()
    if without:
        details = (
            ngettext(
                lang, "peer_review.resumed_without", "peer_review.resumed_without_plural", without
            ),
        )
    details += (draft_report_line(draft_report, lang),)
    text = ngettext(
        lang, "peer_review.resumed", "peer_review.resumed_plural", count, done=count - without
    )
    session.prompter.show_notice(Notice("info", text, details))


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
    kind = kind_label(finding.kind, lang)
    details = [
        gettext(
            lang,
            "peer_review.raised_by",
            names=", ".join(names.get(c, c) for c in finding.raised_by),
        )
    ]
    if finding.concerns:
        details.append(
            gettext(
                lang,
                "peer_review.concerns",
                names=", ".join(names.get(c, c) for c in finding.concerns),
            )
        )
    if round_ == 1:
        details.append(gettext(lang, "peer_review.why_round_1"))
    elif finding.id == f"role.{participant}":
        details.append(gettext(lang, "peer_review.why_own_role"))
    else:
        details.append(gettext(lang, "peer_review.why_concerned"))
    where = report_section(finding)
    if where is not None:
        number, heading = where
        details.append(
            gettext(lang, "peer_review.where", number=number, section=gettext(lang, heading))
        )
    title = gettext(lang, "peer_review.finding", n=n, count=count, kind=kind, title=finding.title)
    session.prompter.show_notice(
        Notice("info", title, tuple(details), body=_paragraphs(finding.text))
    )


#: Where the draft report discusses each kind of finding: section number and heading.
#: The numbers are those of the report's templates (``integrated-report.md.j2``).
_SECTIONS = {
    "role": ("3.1", N_("report.roles")),
    "activity": ("3.2", N_("report.activities")),
    "bottleneck": ("4.1", N_("report.bottlenecks")),
    "blind-spot": ("4.2", N_("report.blind_spots")),
    "opportunity": ("5.1", N_("report.opportunities")),
}


def report_section(finding: DraftFinding) -> tuple[str, str] | None:
    """The section of the draft report where ``finding`` is, as its reader finds it.

    Returns:
        (number, heading message id), e.g. ``("4.1", "report.bottlenecks")``;
        a need by its scope (4.3.1 departmental, 4.3.2 interdepartmental);
        None for a kind the report has no numbered section for.
    """
    if finding.kind == "need":
        if finding.scope == "interdepartmental":
            return ("4.3.2", N_("report.needs_interdepartmental"))
        return ("4.3.1", N_("report.needs_departmental"))
    return _SECTIONS.get(finding.kind)


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
    rows = [ReviewRow(0, gettext(lang, "peer_review.review"), "", "heading")]
    for finding in selection:
        label = _row_label(finding, lang)
        reaction = by_id.get(finding.id)
        if reaction is None:
            rows.append(ReviewRow(1, label, "", "blank"))
            continue
        value = verdict_label(reaction.verdict, lang)
        if reaction.comment:
            value += f" — {reaction.comment.strip()}"
        rows.append(ReviewRow(1, label, value, "answered"))
        if reaction.correction:
            correction = gettext(lang, "peer_review.review_correction")
            rows.append(ReviewRow(2, correction, reaction.correction.strip(), "answered"))
    return rows


def _row_label(finding: DraftFinding, lang: str) -> str:
    """A finding as the review lists it: ``Knelpunt: <title>``."""
    return f"{kind_label(finding.kind, lang)}: {finding.title}"


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
        return [Option("reaction", gettext(self.session.lang, "peer_review.change_reaction"))]

    def submitted(self) -> str:
        """What is said once the peer review is submitted: the reactions go into the report."""
        return gettext(self.session.lang, "peer_review.submitted")

    def confirm_submit(self) -> str:
        """The question before submitting: running the command again offers to reopen it.

        (A self-evaluation is reopened by the coordinator; a peer review by
        the reviewer, with consent: :func:`~selfeval.peer_review.drafts.submitted_and_reopened`.)
        """
        return gettext(self.session.lang, "peer_review.confirm_submit")

    def typed_label(self, key: str) -> str | None:
        """A reaction's text kept unconfirmed, by the place the reviewer reads.

        ``reactions.role.VWS.correction`` → ``Rol: VWS › Voorgestelde
        correctie`` (the finding as the review lists it, then the field's
        label); None for a key that is no reaction to this review's findings.
        """
        from selfeval.model.questionnaire import text_in

        for finding in self.selection:
            field = typed_field({key: ""}, finding.id)
            if field is not None:
                items = reaction_items()
                item = items.correction if field == "correction" else items.comment
                label = text_in(item.label, self.session.lang)
                return f"{_row_label(finding, self.session.lang)} › {label}"
        return None

    def finish_typed(self, key: str) -> None:
        """Show the card of a reaction's unconfirmed text and ask that text again, to finish.

        Going back from it asks the verdict (as always); going back from that ends it.
        """
        from selfeval.fill.prompter import GoBack

        finding = next(f for f in self.selection if typed_field({key: ""}, f.id))
        position = self.selection.index(finding) + 1
        _show_card(self.session, finding, position, len(self.selection), self.names, self.round)
        old = {r.finding: r for r in self.session.store.response.reactions}.get(finding.id)
        order = [f.id for f in self.selection]
        try:
            reaction = _react(self.session, finding, old, order, resume=True)
        except GoBack:
            return
        if reaction is not None:
            _mark_skipped(self.session, [], order, finding.id)

    def run(self, choice: str) -> str | None:
        """Let the reviewer pick a finding by title and give its reaction again.

        Returns:
            The finding's label in the review (its row then says it was saved
            and the review opens at its page), or None when the reviewer went back.
        """
        from selfeval.fill.prompter import BACK, GoBack, Option, label_room, shorten, shorten_apart

        lang = self.session.lang
        by_id = {r.finding: r for r in self.session.store.response.reactions}
        options = []
        # The title cut at a word where the line leaves room for the verdict,
        # the verdict always shown; titles that would look alike are kept whole.
        titles = shorten_apart(
            [f"{kind_label(f.kind, lang)}: {f.title}" for f in self.selection],
            label_room(_VERDICT_ROOM),
        )
        for f, title in zip(self.selection, titles, strict=True):
            reaction = by_id.get(f.id)
            if reaction is None:
                options.append(Option(f.id, f"{title}: {gettext(lang, 'peer_review.no_reaction')}"))
                continue
            said = verdict_label(reaction.verdict, lang)
            if reaction.comment:
                said += f" — {shorten(reaction.comment, 40)}"
            options.append(Option(f.id, f"{title}: {said}"))
        options.append(Option(BACK, gettext(lang, "peer_review.back")))
        picked = self.session.prompter.choose(gettext(lang, "peer_review.which_finding"), options)
        if picked == BACK:
            return None
        finding = next(f for f in self.selection if f.id == picked)
        position = self.selection.index(finding) + 1
        _show_card(self.session, finding, position, len(self.selection), self.names, self.round)
        old = {r.finding: r for r in self.session.store.response.reactions}.get(finding.id)
        order = [f.id for f in self.selection]
        try:
            reaction = _react(self.session, finding, old, order)
        except GoBack:
            return None
        if reaction is not None:
            _mark_skipped(self.session, [], order, finding.id)
        return _row_label(finding, lang)


def typed_field(unconfirmed: dict[str, str], finding: str) -> str | None:
    """Which of a finding's reaction texts was typed but not confirmed, if any.

    Args:
        unconfirmed: the response's unconfirmed texts by dotted path
            (:attr:`~selfeval.model.response.Response.unconfirmed`), e.g.
            ``reactions.role.VWS.correction``.
        finding: the finding's id (it may hold dots: ``role.VWS``).

    Returns:
        ``comment`` or ``correction`` (the first kept), or None.
    """
    for field in ("comment", "correction"):
        if f"reactions.{finding}.{field}" in unconfirmed:
            return field
    return None


class _SkipRest(Exception):
    """The reviewer chose to skip this finding and the ones after it."""


def _react(
    session: Walker,
    finding: DraftFinding,
    old: Reaction | None,
    order: Sequence[str],
    *,
    rest: bool = False,
    resume: bool = False,
) -> Reaction | None:
    """Ask and save one reaction; None when the reviewer skips the finding.

    Ctrl-B (or "← Vorige vraag") at the verdict raises ``GoBack`` (the
    caller goes to the finding before); at the comment (also when asked again
    after "Toelichting schrijven") or the correction it asks the verdict
    again. With ``rest`` the verdict list ends with "skip the remaining
    findings", which raises :class:`_SkipRest` (nothing saved).

    With ``resume``, a comment or correction typed but not confirmed in an
    earlier session (:func:`typed_field`) is asked first, offering that text,
    with the saved verdict (and comment) kept as they are (trial 9: the text
    was promised back, never offered, and dropped at submitting).
    """
    from selfeval.fill.prompter import GoBack, Option

    store, prompter, lang = session.store, session.prompter, session.lang
    response = store.response
    items = reaction_items()
    base = ("reactions", finding.id)
    # Until this finding's questions are done, keep the hash the earlier
    # reaction was given on, so an interruption re-asks it on resume.
    keep_hash = old.finding_hash if old and not is_current(old, finding) else finding.hash
    default = old.verdict if old else None
    start = typed_field(response.unconfirmed, finding.id) if resume and old else None
    while True:
        jump, start = start, None  # only the first time round; Ctrl-B asks the verdict
        asked = items.verdict_or_rest if rest else items.verdict
        if jump is not None and old is not None:
            verdict = old.verdict
        else:
            verdict = session.ask_item(asked, default, path=(*base, "verdict"), back=True)
        if verdict == SKIP_REST:
            raise _SkipRest
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
        if not (needs_comment or reaction.comment or reaction.correction or jump):
            break
        item = items.comment if needs_comment else items.optional_comment
        path = (*base, "comment")
        if jump == "correction":
            comment = reaction.comment
        else:
            try:
                comment = session.ask_item(
                    item, reaction.comment, path=path, warn_blank=False, back=True
                )
            except GoBack:
                default = verdict
                continue
        choice = "write"
        while needs_comment and comment is None:
            label = verdict_label(verdict, lang)
            options = [
                Option(key, gettext(lang, msgid)) for key, msgid in _NO_COMMENT_OPTIONS.items()
            ]
            choice = prompter.choose(
                gettext(lang, "peer_review.comment_needed", verdict=label), options, default="write"
            )
            if choice != "write":
                break
            try:  # Ctrl-B here too, as at every prompt (issue 16: no hint at this one)
                comment = session.ask_item(item, None, path=path, warn_blank=False, back=True)
            except GoBack:
                choice = "back"
                break
        if choice in {"change", "back"}:
            # On the verdict given, also to choose another: an Enter typed ahead
            # keeps it (trial 9: it chose the first, "Eens").
            default = verdict
            continue
        if choice == "skip":
            # Back to how it was: the earlier reaction, or none.
            others = [r for r in response.reactions if r.finding != finding.id]
            response.reactions = merge_reactions(others, [old] if old else [], order)
            session.save()
            return None
        reaction.comment = comment
        session.save()
        try:
            reaction.correction = session.ask_item(
                items.correction, reaction.correction, path=(*base, "correction"), back=True
            )
        except GoBack:
            default = verdict
            continue
        break
    reaction.finding_hash = finding.hash
    session.save()
    return reaction
