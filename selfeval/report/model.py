"""The integrated report as plain data: what each chapter says, before any rendering.

:func:`build_report` turns the exercise, the included responses and the
merged findings into a :class:`Report` whose parts follow ``DESIGN.md`` §5
(and the seed report's chapters): title page, preface with a caveat when
findings rest on one department, introduction with reading guide, the
incident category, the policy process (roles table, activities per phase),
bottlenecks / blind spots / needs each attributed and with their peer-review
reactions, conclusions with the opportunities matrix (the seed's Figure 2),
Annex 1 (forms of involvement) and Annex 2 (activities per department per
phase), and numbered source notes. Rendering is :mod:`selfeval.report.render`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import (
    KINDS,
    MultipleChoiceItem,
    Questionnaire,
    SingleChoiceItem,
    text_in,
)
from selfeval.model.response import Reaction
from selfeval.report.findings import Finding, Source, SourceResponse
from selfeval.report.labels import load_labels
from selfeval.report.parts import Annex1Row, OtherInput, RoleRow, annex1, other_input, roles

__all__ = ["FindingView", "ReactionView", "Report", "build_report"]

PHASES = ("research", "development", "implementation", "evaluation")
TEXTS = ("preface", "introduction", "incident-category", "conclusions")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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
    """

    participant: str
    sentence: str
    verdict: str
    comment: str | None
    correction: str | None
    dissent: bool
    finding: str
    reason: str | None = None


@dataclass(slots=True)
class FindingView:
    """A finding as the report shows it.

    Attributes:
        finding: the merged finding.
        attribution: who raised it ("BZ en Defensie").
        concerns: names of the departments concerned, joined.
        single_source: raised by one department only (shown as a caveat).
        others: (name, text) of merged-in findings whose text differs.
        notes: numbers of its source notes.
        reactions: peer-review reactions to it.
        origin: "ingebracht in collegiale toets 2" for findings from peer reviews.
    """

    finding: Finding
    attribution: str
    concerns: str
    single_source: bool
    others: list[tuple[str, str]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    reactions: list[ReactionView] = field(default_factory=list)
    origin: str | None = None

    @property
    def id(self) -> str:
        """The finding's stable id."""
        return self.finding.id


@dataclass
class DepartmentView:
    """What one self-evaluating department says about the incident category (chapter 2)."""

    name: str
    definition: str
    causes: str
    phases: str
    phases_note: str
    documents: list[FindingView]


@dataclass
class Report:
    """Everything the templates need; see the module docstring for the parts."""

    lang: str
    L: dict[str, str]
    title: str
    project: str
    category: str
    date: str
    status: str
    secretariat: str | None
    is_draft: bool
    texts: dict[str, str]
    caveat: str | None
    reading_guide: list[str]
    ids_note: str
    departments: list[DepartmentView]
    roles: list[RoleRow]
    activities: list[tuple[str, list[FindingView]]]
    bottlenecks: list[FindingView]
    blind_spots: list[FindingView]
    needs_departmental: list[FindingView]
    needs_interdepartmental: list[FindingView]
    opportunities: list[FindingView]
    matrix: list[tuple[str, str, list[list[FindingView]]]]
    other_input: list[OtherInput]
    stale: list[ReactionView]
    annex1: list[Annex1Row]
    not_received: list[str]
    annex2: list[tuple[str, list[tuple[str, list[FindingView]]]]]
    notes: list[str]
    draft_hash: str | None = None
    #: Peer-review reactions by finding id (merged aliases routed to the survivor).
    reactions: dict[str, list[ReactionView]] = field(default_factory=dict)


def _join(names: Sequence[str], word: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def _format_date(value: str, lang: str) -> str:
    parts = value.split("-")
    if lang == "nl" and len(parts) == 3:
        return f"{parts[2]}-{parts[1]}-{parts[0]}"
    return value


def _source_text(source: Source, page_word: str) -> str:
    text = source.document.rstrip(". ")
    if source.year is not None:
        text += f", {source.year}"
    if source.page:
        text += f", {page_word} {source.page}"
    return text + "."


class _Builder:
    def __init__(self, exercise: Exercise, words: dict[str, str]) -> None:
        self.exercise = exercise
        self.L = words
        self.names = {p.code: p.name for p in exercise.participants}
        self.notes: list[str] = []
        self.note_numbers: dict[Source, int] = {}
        self.reactions: dict[str, list[ReactionView]] = {}
        self.views: dict[str, FindingView] = {}

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def names_of(self, codes: Sequence[str]) -> str:
        return _join([self.name(c) for c in codes], self.L["and"])

    def round_label(self, qid: str) -> str:
        return self.L.get(qid, qid)

    def note(self, source: Source) -> int:
        if source not in self.note_numbers:
            self.notes.append(_source_text(source, self.L["page"]))
            self.note_numbers[source] = len(self.notes)
        return self.note_numbers[source]

    def view(self, finding: Finding) -> FindingView:
        if finding.id in self.views:
            return self.views[finding.id]
        others = [
            (self.name(o.participant), o.text)
            for o in finding.others
            if o.text.strip() and o.text.strip() != finding.text.strip()
        ]
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
            others=others,
            notes=[self.note(s) for s in finding.sources],
            reactions=self.reactions.get(finding.id, []),
            origin=origin,
        )
        self.views[finding.id] = view
        return view

    def reaction(self, code: str, qid: str, reaction: Reaction, reason: str | None) -> ReactionView:
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
        )


def _attach_reactions(
    builder: _Builder,
    sources: Sequence[SourceResponse],
    findings: Sequence[Finding],
    aliases: dict[str, str],
) -> list[ReactionView]:
    by_id = {f.id: f for f in findings}
    stale: list[ReactionView] = []
    for source in sources:
        for reaction in source.response.reactions:
            target = aliases.get(reaction.finding, reaction.finding)
            finding = by_id.get(target)
            code, qid = source.response.participant, source.questionnaire.id
            if finding is None:
                stale.append(builder.reaction(code, qid, reaction, builder.L["stale_gone"]))
                continue
            current = {finding.hash, *(o.hash for o in finding.others)}
            if reaction.finding_hash is not None and reaction.finding_hash not in current:
                stale.append(builder.reaction(code, qid, reaction, builder.L["stale_changed"]))
                continue
            builder.reactions.setdefault(target, []).append(
                builder.reaction(code, qid, reaction, None)
            )
    return stale


def _choice(item: Any, value: Any, lang: str) -> str:
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        values = value if isinstance(value, list) else [value]
        labels_ = {c.value: text_in(c.label, lang) for c in item.choices}
        return ", ".join(labels_.get(v, str(v)) for v in values)
    return str(value)


def _phase_labels(
    sources: Sequence[SourceResponse], lang: str, questionnaires: Sequence[Questionnaire] = ()
) -> dict[str, str]:
    found: dict[str, str] = {}
    # The workspace's questionnaires too, so phases are named even before any response.
    every = [*(s.questionnaire for s in sources), *questionnaires]
    for questionnaire in every:
        for item in questionnaire.items():
            if getattr(item, "finding", None) == "activity":
                for sub in item.items:  # type: ignore[union-attr]
                    if sub.id == "phase" and isinstance(sub, SingleChoiceItem):
                        for choice in sub.choices:
                            found.setdefault(choice.value, text_in(choice.label, lang))
    return found


def build_report(
    exercise: Exercise,
    sources: Sequence[SourceResponse],
    findings: Sequence[Finding],
    aliases: dict[str, str],
    *,
    texts_dir: Path,
    draft: bool = False,
    labels_override: Path | None = None,
    questionnaires: Sequence[Questionnaire] = (),
) -> Report:
    """Build the report model from the included responses and merged findings.

    Args:
        exercise: title page data, language, participants (Annex 1).
        sources: the included responses with their questionnaires.
        findings: merged findings in report order
            (:func:`selfeval.report.findings.merge_findings`).
        aliases: merged-away id → surviving id, to route reactions.
        texts_dir: the workspace's ``texts/`` (preface, introduction,
            incident-category, conclusions ``.md``; a missing file is empty).
        draft: a draft report (status line says so).
        labels_override: a workspace ``templates/labels.yaml``.
        questionnaires: every questionnaire of the workspace, so that phase
            names are known even before any response came in.

    Returns:
        The :class:`Report`. Orders are stable (``selfeval.yaml`` order,
        then questionnaire, item and entry order), so the same input gives
        the same report.
    """
    lang = exercise.language
    L = load_labels(lang, labels_override)
    order = {c: n for n, c in enumerate(exercise.codes)}
    sources = sorted(
        sources,
        key=lambda s: (
            order.get(s.response.participant, len(order)),
            KINDS.index(s.questionnaire.kind),
            s.path,
        ),
    )
    builder = _Builder(exercise, L)
    category = exercise.category_name()
    from selfeval.files import yamlio  # refuses a text with git conflict markers

    texts = {}
    for name in TEXTS:
        path = texts_dir / f"{name}.md"
        text = yamlio.read_text(path) if path.is_file() else ""
        # Comments are notes to the secretariat (the template's placeholders), not report text.
        texts[name] = _COMMENT.sub("", text).strip()
    stale = _attach_reactions(builder, sources, findings, aliases)
    phase_labels = _phase_labels(sources, lang, questionnaires)

    # Chapter 2: each self-evaluating department's view.
    departments: list[DepartmentView] = []
    # Group once: the report may cover thousands of responses (no per-source scans).
    documents: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == "document":
            documents.setdefault(f.source, []).append(f)
    for source in sources:
        if source.questionnaire.kind != "self-evaluation":
            continue
        code = source.response.participant
        phases = source.questionnaire.role_items.get("phases")
        departments.append(
            DepartmentView(
                name=builder.name(code),
                definition=str(source.answer("definition") or ""),
                causes=str(source.answer("causes") or ""),
                phases=_choice(phases, source.answer("phases") or [], lang),
                phases_note=str(source.answer("phases_note") or ""),
                documents=[builder.view(d) for d in documents.get(source.path, [])],
            )
        )

    role_rows = roles(builder, sources, findings)
    activities = [f for f in findings if f.kind == "activity"]
    by_phase = [
        (
            phase_labels.get(p, p),
            [builder.view(a) for a in activities if a.details.get("phase") == p],
        )
        for p in PHASES
    ]
    bottlenecks = [builder.view(f) for f in findings if f.kind == "bottleneck"]
    blind_spots = [builder.view(f) for f in findings if f.kind == "blind-spot"]
    needs = [f for f in findings if f.kind == "need"]
    needs_dep = [builder.view(f) for f in needs if f.scope != "interdepartmental"]
    needs_inter = [builder.view(f) for f in needs if f.scope == "interdepartmental"]
    opportunities = [builder.view(f) for f in findings if f.kind == "opportunity"]
    matrix: list[tuple[str, str, list[list[FindingView]]]] = []
    for nature in ("content", "process"):
        for direction in ("intensify", "develop"):
            cells = [
                [
                    v
                    for v in opportunities
                    if v.finding.details.get("nature") == nature
                    and v.finding.details.get("direction") == direction
                    and (v.finding.scope or "departmental") == scope
                ]
                for scope in ("departmental", "interdepartmental")
            ]
            matrix.append((L[nature], L[direction], cells))

    other = other_input(builder, sources, lang)
    annex_rows, not_received = annex1(builder, sources)
    by_participant: dict[str, list[Finding]] = {}
    for a in activities:
        by_participant.setdefault(a.participant, []).append(a)
    annex2 = []
    for participant in exercise.participants:
        own = by_participant.get(participant.code)
        if own:
            annex2.append(
                (
                    L["annex2_table"].format(name=participant.name),
                    [
                        (phase_labels.get(p, p), [builder.view(a) for a in own
                                                  if a.details.get("phase") == p])
                        for p in PHASES
                    ],
                )
            )  # fmt: skip

    shown = [*bottlenecks, *blind_spots, *opportunities]
    single = sum(1 for v in shown if v.single_source)
    caveat = L["caveat"].format(single=single, total=len(shown)) if single else None
    # An example id from this report itself; an empty report has none to show.
    example = next((v.id for v in shown), None)
    guide = [L["guide_ch2"].format(category=category)] + [
        L[k] for k in ("guide_ch3", "guide_ch4", "guide_ch5", "guide_annex1", "guide_annex2")
    ]
    return Report(
        lang=lang,
        L=L,
        title=text_in(exercise.title, lang),
        project=exercise.project,
        category=category,
        date=_format_date(exercise.date, lang),
        status=exercise.status,
        secretariat=exercise.secretariat,
        is_draft=draft,
        texts=texts,
        caveat=caveat,
        reading_guide=guide,
        ids_note=L["guide_ids"].format(example=example) if example else "",
        departments=departments,
        roles=role_rows,
        activities=by_phase,
        bottlenecks=bottlenecks,
        blind_spots=blind_spots,
        needs_departmental=needs_dep,
        needs_interdepartmental=needs_inter,
        opportunities=opportunities,
        matrix=matrix,
        other_input=other,
        stale=stale,
        annex1=annex_rows,
        not_received=not_received,
        annex2=annex2,
        notes=builder.notes,
        reactions=builder.reactions,
    )
