"""Findings and reactions as the report shows them, and the numbered source notes.

Every chapter (:mod:`selfeval.report.chapters`) shows findings through one
:class:`Views`: it names departments, numbers cited sources in order of first
citation (the seed report's footnotes), attaches peer-review reactions, and
makes each finding's :class:`FindingView` once, so a finding shown in two
chapters is the same view with the same note numbers. Plain data; no files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from selfeval.model.exercise import Exercise
from selfeval.model.response import Reaction, finding_department
from selfeval.report.findings import Finding, Source, SourceResponse

__all__ = [
    "AuthoredText",
    "FindingView",
    "ReactionView",
    "Views",
    "join_names",
    "page_number",
    "texts_by_author",
]


@dataclass(slots=True)
class AuthoredText:
    """A text a department wrote, with who wrote it: no department text goes without its author.

    Attributes:
        authors: names of the departments that wrote it (several when their
            texts were the same, word for word).
        by: ``authors`` joined (``BZ en Defensie``).
        text: as written.
        named: the report must name the authors with the text (``Volgens BZ:``):
            the heading above it names someone else, or more than these
            authors, and the text does not begin with an author's name.
        names_itself: the text begins with an author's name (``Defensie
            geeft aan …``), so a name put before it would say it twice.
    """

    authors: tuple[str, ...]
    by: str
    text: str
    named: bool
    names_itself: bool = False


def _begins_with_a_name(text: str, names: Sequence[str]) -> bool:
    """``Defensie geeft aan …`` begins with ``Defensie``: the text names its author itself.

    The name must end where a word ends: the character after it, if any, is
    neither a word character (``str.isalnum`` or ``_``, what ``\\w`` matches)
    nor ``-`` (``Defensie-breed`` does not name Defensie). String tests, not a
    regular expression per name: with a thousand departments the ``re``
    module's cache of 512 patterns was recompiled for every text (~1 s of
    the build step at 1,000 responses, ``docs/performance.md``).
    """
    start = text.lstrip(" *_‘'\"(")
    for name in names:
        if start.startswith(name):
            after = start[len(name) : len(name) + 1]
            if not after or not (after.isalnum() or after in "_-"):
                return True
    return False


def texts_by_author(
    texts: Sequence[tuple[str, str]], heading: Sequence[str], and_word: str
) -> tuple[AuthoredText, ...]:
    """Department texts with their authors, the same text of several authors once.

    Args:
        texts: (author name, text) in the report's order; empty texts are left out.
        heading: the names the heading above the texts gives as its authors
            (``[]`` when the heading names the department described, as in
            the roles overview).
        and_word: the report's word for "and".

    Returns:
        One :class:`AuthoredText` per distinct text, in first-seen order (a
        tuple: the report model holds one per finding for the whole run). A
        text is ``named`` when there is more than one, or when its authors
        are not exactly the heading's — unless it begins with an author's name.
    """
    if len(texts) == 1:  # most findings: one department's text (the loop below, made short)
        name, text = texts[0]
        key = text.strip()
        if not key:
            return ()
        names_itself = _begins_with_a_name(key, (name,))
        named = [name] != sorted(heading) and not names_itself
        return (AuthoredText((name,), name, text, named, names_itself),)
    grouped: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for name, text in texts:
        key = text.strip()
        if not key:
            continue
        shown.setdefault(key, text)
        if name not in grouped.setdefault(key, []):
            grouped[key].append(name)
    several = len(grouped) > 1
    found = []
    for key, names in grouped.items():
        names_itself = _begins_with_a_name(key, names)
        named = (several or sorted(names) != sorted(heading)) and not names_itself
        found.append(
            AuthoredText(tuple(names), join_names(names, and_word), shown[key], named, names_itself)
        )
    return tuple(found)


@dataclass(slots=True)
class ReactionView:
    """One peer-review reaction as shown.

    Attributes:
        participant: code of the reacting department.
        sentence: the attributed lead-in ("In collegiale toets 2 gaf Financiën aan …").
        verdict: agree / partly-agree / disagree / no-opinion.
        comment, correction: as given.
        dissent: True for disagree and partly-agree.
        finding: the finding id reacted to (as written in the response).
        reason: why it is listed apart (stale reactions only).
        about: the finding as the final report names it, where ids are left out
            (stale reactions only): ``Financiën: Title``, as its heading, for a changed one,
            ``een bevinding van Financiën`` for one gone (its title is gone with it).
    """

    participant: str
    sentence: str
    verdict: str
    comment: str | None
    correction: str | None
    dissent: bool
    finding: str
    reason: str | None = None
    about: str | None = None


@dataclass(slots=True)
class FindingView:
    """A finding as the report shows it.

    Attributes:
        finding: the merged finding (its ``text`` is one department's: show
            ``texts``).
        attribution: who raised it ("BZ en Defensie").
        concerns: names of the departments concerned, joined.
        single_source: raised by one department only (shown as a caveat).
        texts: the finding's texts with their authors: one per department
            that wrote a different text (a merged finding), the same text of
            several departments once; a role described by others has one per
            describing department.
        notes: numbers of its source notes.
        reactions: peer-review reactions to it.
        origin: "ingebracht in collegiale toets 2" for findings from peer reviews.
        answers: for an opportunity, the bottlenecks, blind spots and needs it
            answers (``Finding.answers``), in report order.

    The report model holds a view per finding until the report is written,
    so its sequences are tuples (``()`` when empty, one object for all):
    each view held four lists, most of them empty (``docs/performance.md``).
    """

    finding: Finding
    attribution: str
    concerns: str
    single_source: bool
    texts: tuple[AuthoredText, ...] = ()
    notes: tuple[int, ...] = ()
    reactions: tuple[ReactionView, ...] = ()
    origin: str | None = None
    answers: tuple[FindingView, ...] = ()

    @property
    def id(self) -> str:
        """The finding's stable id."""
        return self.finding.id

    @property
    def cited_title(self) -> str:
        """A policy document's title as the notes cite it: ``Beleidsvisie 2006, 2005``.

        The finding's title carries the year as ``(2005)`` (it is hashed that
        way, ``docs/findings.md``); the report cites title and year in one
        style, the source notes' (``_source_text``).
        """
        title = self.finding.title
        year = self.finding.details.get("year")
        if year is not None and title.endswith(f" ({year})"):
            return f"{title.removesuffix(f' ({year})')}, {year}"
        return title

    @property
    def names_its_authors(self) -> bool:
        """Each of its texts begins with its author's name: a list item needs no name before it."""
        return bool(self.texts) and all(t.names_itself for t in self.texts)


def join_names(names: Sequence[str], word: str) -> str:
    """``a, b and c`` with the report's word for "and"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


#: A page word typed before the page (``p. 12-14``, ``pp.12``, ``blz. 3``, ``pag 7``):
#: the note puts the report's own word there (``report.page``), so it is not said twice.
_PAGE_WORD = re.compile(r"^(?:pp?|blz|bl|pag|pagina|page|pages)(?:\.\s*|\s+)", re.IGNORECASE)


def page_number(page: str) -> str:
    """A cited page as typed, without a page word typed before it: ``p. 12-14`` → ``12-14``.

    The report writes its own word (``p.``, the seed report's footnotes:
    "2004, p. 29-30"); a respondent who typed "p. 12-14" or "blz. 12" would
    otherwise get "p. p. 12-14" (trial 8). Only a leading ``p``, ``pp``,
    ``blz``, ``bl``, ``pag``, ``pagina``, ``page`` or ``pages`` followed by a
    full stop or a space is taken off; anything else stays as typed.
    """
    return _PAGE_WORD.sub("", page.strip(), count=1).strip()


def _source_text(source: Source, page_word: str) -> str:
    """A source note as the report prints it (``Document, 2004, p. 29-30.``).

    The one place a note is worded, for every format (the Word document and
    the HTML take the Markdown's notes).
    """
    text = source.document.rstrip(". ")
    if source.year is not None:
        text += f", {source.year}"
    page = page_number(source.page) if source.page else ""
    if page:
        text += f", {page_word} {page}"
    return text + "."


class Views:
    """Names, finding views, reactions and source notes, shared by every chapter.

    Args:
        exercise: the participants (names).
        words: the report's labels (:func:`selfeval.report.labels.load_labels`).

    Attributes:
        notes: the source notes so far, numbered from 1 in order of first citation.
        reactions: finding id → its reactions (after :meth:`attach_reactions`;
            merged aliases routed to the surviving finding).
        stale: reactions that could not be attached (after :meth:`attach_reactions`).
    """

    def __init__(self, exercise: Exercise, words: dict[str, str]) -> None:
        self.exercise = exercise
        self.L = words
        self.names = {p.code: p.name for p in exercise.participants}
        self.notes: list[str] = []
        self.stale: list[ReactionView] = []
        self._note_numbers: dict[Source, int] = {}
        self._by_text: dict[str, int] = {}
        self.reactions: dict[str, list[ReactionView]] = {}
        self._views: dict[str, FindingView] = {}
        #: :meth:`names_of`'s results by codes: findings share their ``raised_by`` and
        #: ``concerns`` tuples, and each was joined again for every view.
        self._joined: dict[tuple[str, ...], str] = {}

    def name(self, code: str) -> str:
        """A participant's display name (the code when unknown)."""
        return self.names.get(code, code)

    def names_of(self, codes: Sequence[str]) -> str:
        """Display names joined: ``BZ en Defensie``."""
        key = codes if type(codes) is tuple else tuple(codes)
        joined = self._joined.get(key)
        if joined is None:
            joined = join_names([self.name(c) for c in key], self.L["and"])
            self._joined[key] = joined
        return joined

    def round_label(self, qid: str) -> str:
        """The questionnaire's name in the report (``collegiale toets 2``)."""
        return self.L.get(qid, qid)

    def note(self, source: Source) -> int:
        """The number of ``source``'s note, adding the note on first citation.

        Two sources the report words the same (page ``p. 19`` and ``19``) are one note.
        """
        number = self._note_numbers.get(source)
        if number is None:
            text = _source_text(source, self.L["page"])
            number = self._by_text.get(text)
            if number is None:
                self.notes.append(text)
                number = self._by_text[text] = len(self.notes)
            self._note_numbers[source] = number
        return number

    def view(self, finding: Finding) -> FindingView:
        """The finding as shown, made once (its notes are numbered on first view)."""
        if finding.id in self._views:
            return self._views[finding.id]
        if finding.kind == "role" and "views" in finding.details:
            # Described by others: each describing department's own words (findings.role_findings).
            written = [(self.name(by), text) for by, text, _, _ in finding.details["views"]]
            heading: list[str] = []
        else:
            written = [
                (self.name(code), finding.text) for code in finding.written_by or finding.raised_by
            ]
            written += [
                (self.name(code), other.text)
                for other in finding.others
                for code in other.raised_by
            ]
            heading = [self.name(code) for code in finding.raised_by]
        origin = None
        if finding.questionnaire != "self-evaluation" and finding.kind != "role":
            origin = self.L["from_peer_review"].format(
                round=self.round_label(finding.questionnaire)
            )
        view = FindingView(
            finding=finding,
            attribution=self.names_of(finding.raised_by),
            concerns=self.names_of(finding.concerns),
            single_source=len(finding.raised_by) == 1
            and finding.kind in ("bottleneck", "blind-spot", "opportunity"),
            texts=texts_by_author(written, heading, self.L["and"]),
            notes=tuple([self.note(s) for s in finding.sources]) if finding.sources else (),
            reactions=tuple(self.reactions.get(finding.id, ())),
            origin=origin,
        )
        self._views[finding.id] = view
        return view

    def reaction(
        self,
        code: str,
        qid: str,
        reaction: Reaction,
        reason: str | None,
        about: str | None = None,
    ) -> ReactionView:
        """One reaction as shown, with its attributed lead-in sentence (``about``: ReactionView)."""
        key = f"verdict_{reaction.verdict}"
        sentence = self.L[key].format(round=self.round_label(qid), name=self.name(code))
        return ReactionView(
            participant=code,
            sentence=sentence,
            verdict=reaction.verdict,
            comment=reaction.comment,
            correction=reaction.correction,
            dissent=reaction.verdict in ("disagree", "partly-agree"),
            finding=reaction.finding,
            reason=reason,
            about=about,
        )

    def attach_reactions(
        self,
        sources: Sequence[SourceResponse],
        findings: Sequence[Finding],
        aliases: dict[str, str],
    ) -> None:
        """Route every peer-review reaction to its finding, before any view is made.

        A reaction to a finding that is gone, or whose hash changed since the
        draft, goes to :attr:`stale` with the reason (``docs/findings.md`` §6).
        A reaction to a merged-away id counts at the merged finding only when
        its hash is the merged finding's (its first member's): one given on
        another member's text is a reaction to a changed text, so a department
        that reacted to two findings merged since is not counted twice on one
        (trial 10).
        """
        by_id = {f.id: f for f in findings}
        for source in sources:
            for reaction in source.response.reactions:
                target = aliases.get(reaction.finding, reaction.finding)
                finding = by_id.get(target)
                code, qid = source.response.participant, source.questionnaire.id
                if finding is None:
                    # The final report leaves ids out (docs/report.md): named by its department.
                    whose = self.name(finding_department(reaction.finding))
                    about = self.L["stale_finding_of"].format(name=whose)
                    self.stale.append(
                        self.reaction(code, qid, reaction, self.L["stale_gone"], about)
                    )
                    continue
                # The merged finding's text is its first member's (its hash): a reaction
                # given on another member's text is one to a changed text (docs §4, §6).
                if reaction.finding_hash is not None and reaction.finding_hash != finding.hash:
                    about = f"{self.names_of(finding.raised_by)}: {finding.title}"
                    self.stale.append(
                        self.reaction(code, qid, reaction, self.L["stale_changed"], about)
                    )
                    continue
                self.reactions.setdefault(target, []).append(
                    self.reaction(code, qid, reaction, None)
                )
