"""The integrated report as plain data: what each chapter says, before any rendering.

:func:`build_report` turns a :class:`ReportInput` — the exercise, the
included responses, the merged findings, and the texts and words the caller
read from the workspace — into a :class:`Report` whose parts follow
``DESIGN.md`` §5 (and the seed report's chapters): title page, preface with a
caveat when findings rest on one department, introduction with reading guide,
the incident category, the policy process (roles table, activities per
phase), bottlenecks / blind spots / needs each attributed and with their
peer-review reactions, conclusions with the opportunities matrix (the seed's
Figure 2), Annex 1 (forms of involvement) and Annex 2 (activities per
department per phase), and numbered source notes. Each chapter is one
function in :mod:`selfeval.report.chapters`; nothing here reads a file, and
the model is complete when it is returned. Rendering is
:mod:`selfeval.report.render`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from selfeval.i18n import format_date, ngettext
from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import KINDS, Questionnaire, text_in
from selfeval.report import chapters
from selfeval.report.chapters import Annex1Row, DepartmentView, GlanceRow, OtherInput, RoleRow
from selfeval.report.findings import Finding, SourceResponse
from selfeval.report.views import FindingView, ReactionView, Views

__all__ = [
    "OPTIONAL_TEXTS",
    "TEXTS",
    "FindingView",
    "ReactionView",
    "Report",
    "ReportInput",
    "build_report",
]

#: The secretariat's narrative texts, ``texts/<name>.md`` (``DESIGN.md`` §5).
TEXTS = ("summary", "preface", "introduction", "incident-category", "conclusions")
#: Texts that are empty by default and left out of the report when empty (no warning).
OPTIONAL_TEXTS = ("summary",)


@dataclass(frozen=True)
class ReportInput:
    """Everything the report is built from, read from the workspace by the caller.

    Attributes:
        exercise: title page data, language, participants (Annex 1).
        sources: the included responses with their questionnaires.
        findings: merged findings in report order
            (:func:`selfeval.report.merges.merge_findings`).
        aliases: merged-away id → surviving id, to route reactions.
        texts: :data:`TEXTS` name → Markdown (placeholder comments removed;
            empty when missing).
        labels: the report's words (:func:`selfeval.report.labels.load_labels`).
        draft: a draft report (the status line says so).
        draft_hash: the draft's hash, shown on a draft's title page.
        questionnaires: every questionnaire of the workspace, so that phase
            names are known even before any response came in.
    """

    exercise: Exercise
    sources: Sequence[SourceResponse]
    findings: Sequence[Finding]
    aliases: dict[str, str]
    texts: dict[str, str]
    labels: dict[str, str]
    draft: bool = False
    draft_hash: str | None = None
    questionnaires: Sequence[Questionnaire] = field(default_factory=tuple)


@dataclass
class Report:
    """Everything the templates need; see the module docstring for the parts."""

    lang: str
    L: dict[str, str]
    title: str
    project: str
    category: str
    #: The exercise's date as running text says it (``16 mei 2006``), and as given (ISO).
    date: str
    iso_date: str
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
    #: The sentence above the stale reactions, agreeing with their number.
    stale_intro: str
    annex1: list[Annex1Row]
    #: Annex 1's table, the same in every format (:func:`selfeval.report.chapters.annex1_table`).
    annex1_table: list[tuple[str, str, str]]
    not_received: list[str]
    annex2: list[tuple[str, list[tuple[str, list[FindingView]]]]]
    notes: list[str]
    draft_hash: str | None = None
    #: Peer-review reactions by finding id (merged aliases routed to the survivor).
    reactions: dict[str, list[ReactionView]] = field(default_factory=dict)
    #: The reactions-at-a-glance table (chapter 4), one row per finding reacted to.
    glance: list[GlanceRow] = field(default_factory=list)
    #: (short name, full name) of every participant whose short name abbreviates
    #: its full name, by short name (:func:`selfeval.report.chapters.abbreviations`).
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    #: Texts shown in another language than the report's, with that language
    #: (:func:`selfeval.report.chapters.foreign_fragments`).
    foreign: dict[str, str] = field(default_factory=dict)


def build_report(data: ReportInput) -> Report:
    """Build the report model, chapter by chapter.

    Args:
        data: the :class:`ReportInput`.

    Returns:
        The :class:`Report`. Orders are stable (``selfeval.yaml`` order,
        then questionnaire, item and entry order), so the same input gives
        the same report. Source notes are numbered in order of first
        citation in the report, so the chapters are built in reading order.
    """
    exercise = data.exercise
    lang = exercise.language
    L = data.labels
    order = {c: n for n, c in enumerate(exercise.codes)}
    sources = sorted(
        data.sources,
        key=lambda s: (
            order.get(s.response.participant, len(order)),
            KINDS.index(s.questionnaire.kind),
            s.path,
        ),
    )
    findings = data.findings
    views = Views(exercise, L)
    views.attach_reactions(sources, findings, data.aliases)  # before any view is made
    phases = chapters.phase_labels(sources, lang, data.questionnaires)
    activities = [f for f in findings if f.kind == "activity"]

    departments = chapters.departments(views, sources, findings, lang)
    role_rows = chapters.roles(views, sources, findings)
    by_phase = chapters.activities_by_phase(views, activities, phases)
    bottlenecks = [views.view(f) for f in findings if f.kind == "bottleneck"]
    blind_spots = [views.view(f) for f in findings if f.kind == "blind-spot"]
    needs = [f for f in findings if f.kind == "need"]
    needs_dep = [views.view(f) for f in needs if f.scope != "interdepartmental"]
    needs_inter = [views.view(f) for f in needs if f.scope == "interdepartmental"]
    opportunities = [views.view(f) for f in findings if f.kind == "opportunity"]
    by_id = {f.id: f for f in findings}
    for v in opportunities:  # after the findings they answer, so note numbers keep their order
        v.answers = tuple(views.view(by_id[a]) for a in v.finding.answers if a in by_id)
    matrix = chapters.opportunity_matrix(L, opportunities)
    other = chapters.other_input(views, sources)
    annex_rows, not_received = chapters.annex1(views, sources)
    annex2 = chapters.annex2(views, exercise, activities, phases)

    shown = [*bottlenecks, *blind_spots, *opportunities]
    category = exercise.category_name()
    reacted = [
        *(row.view for row in role_rows if row.view),
        *bottlenecks,
        *blind_spots,
        *needs_dep,
        *needs_inter,
        *opportunities,
    ]
    report = Report(
        lang=lang,
        L=L,
        title=text_in(exercise.title, lang),
        project=text_in(exercise.project, lang),
        category=category,
        date=format_date(exercise.date, lang),
        iso_date=exercise.date,
        status=text_in(exercise.status, lang),
        secretariat=text_in(exercise.secretariat, lang) or None,
        is_draft=data.draft,
        texts=dict(data.texts),
        caveat=chapters.preface_caveat(lang, shown),
        reading_guide=[],
        ids_note="",
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
        stale=views.stale,
        stale_intro=ngettext(
            lang, "report.stale_intro", "report.stale_intro_plural", len(views.stale)
        ),
        annex1=annex_rows,
        annex1_table=chapters.annex1_table(annex_rows),
        not_received=not_received,
        annex2=annex2,
        notes=views.notes,
        draft_hash=data.draft_hash,
        reactions=views.reactions,
        glance=chapters.reactions_at_a_glance(views, reacted),
        foreign=chapters.foreign_fragments(exercise),
        abbreviations=chapters.abbreviations(annex_rows),
    )
    # The reading guide promises only what the report holds, figures included.
    report.reading_guide, report.ids_note = chapters.reading_guide(
        L,
        category,
        shown,
        summary=bool(report.texts.get("summary")),
        figures=len(chapters.figure_keys(role_rows, opportunities)),
        glance=bool(report.glance),
        annex2=bool(annex2),
        abbreviations=bool(report.abbreviations),
        notes=bool(report.notes),
    )
    return report
