"""The chapters of the integrated report, each built by one function from plain data.

Each function takes what its chapter needs (the shared :class:`Views`, the
included responses, the merged findings) and returns the rows the templates
show; none reads a file. :func:`selfeval.report.model.build_report` calls them
in the report's order — which is also the order in which cited sources get
their note numbers. Answers are read by report role
(:meth:`selfeval.report.findings.SourceResponse.answer`), never by item id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from selfeval.i18n import ngettext
from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import KINDS, Questionnaire, SingleChoiceItem, text_in
from selfeval.report.findings import Finding, SourceResponse
from selfeval.report.views import FindingView, Views

__all__ = [
    "FIGURE_MAX_NODES",
    "PHASES",
    "Annex1Row",
    "DepartmentView",
    "GlanceRow",
    "OtherInput",
    "RoleRow",
    "abbreviations",
    "activities_by_phase",
    "annex1",
    "annex1_table",
    "annex2",
    "departments",
    "figure_keys",
    "foreign_fragments",
    "glance_label",
    "opportunity_matrix",
    "other_input",
    "phase_labels",
    "preface_caveat",
    "reactions_at_a_glance",
    "reading_guide",
    "roles",
]

#: Figure 1 draws at most this many departments (more would not be legible; the table has all).
FIGURE_MAX_NODES = 24

#: The four phases of the policy process, in the report's order (``DESIGN.md`` §4.2).
PHASES = ("research", "development", "implementation", "evaluation")


@dataclass(slots=True)
class DepartmentView:
    """What one self-evaluating department says about the incident category (chapter 2)."""

    name: str
    definition: str
    causes: str
    phases: str
    phases_note: str
    documents: list[FindingView]


@dataclass(slots=True)
class RoleRow:
    """One row of the roles table (``role.<P>``).

    The joined strings are for the table; ``level``, ``gives``, ``receives``
    and ``own`` carry the same facts as data for Figure 1
    (:mod:`selfeval.report.figures`).

    Attributes:
        level: ``strong`` / ``medium`` / ``weak``, or None when not given.
        gives: names of the departments this one gives input to.
        receives: names of the departments this one receives input from.
        own: the row comes from the department's own self-evaluation.
    """

    id: str
    name: str
    involvement: str
    gives_input_to: str
    receives_input_from: str
    described_by: str
    view: FindingView | None
    own_role: str | None = None
    level: str | None = None
    gives: list[str] = field(default_factory=list)
    receives: list[str] = field(default_factory=list)
    own: bool = False


@dataclass(slots=True)
class OtherInput:
    """General answers from one peer review (recognition, remarks, experiences)."""

    name: str
    round: str
    lines: list[tuple[str, str]]


@dataclass(slots=True)
class Annex1Row:
    """One row of Annex 1: a participant and its forms of involvement."""

    name: str
    full_name: str
    forms: str
    remark: str
    is_ministry: bool


def phase_labels(
    sources: Sequence[SourceResponse], lang: str, questionnaires: Sequence[Questionnaire] = ()
) -> dict[str, str]:
    """Phase value → its label, from the ``finding: activity`` groups' ``phase`` choices.

    The workspace's ``questionnaires`` count too, so phases are named even
    before any response came in.
    """
    found: dict[str, str] = {}
    every = [*(s.questionnaire for s in sources), *questionnaires]
    for questionnaire in every:
        for item in questionnaire.items():
            if getattr(item, "finding", None) == "activity":
                for sub in item.items:  # type: ignore[union-attr]
                    if sub.id == "phase" and isinstance(sub, SingleChoiceItem):
                        for choice in sub.choices:
                            found.setdefault(choice.value, text_in(choice.label, lang))
    return found


def departments(
    views: Views, sources: Sequence[SourceResponse], findings: Sequence[Finding], lang: str
) -> list[DepartmentView]:
    """Chapter 2: each self-evaluating department's definition, causes, phases, documents.

    Args:
        views: the shared views.
        sources: included responses in report order; self-evaluations are used.
        findings: merged findings (the ``document`` ones are shown).
        lang: the report language (choice labels of the ``phases`` role).
    """
    # Group once: the report may cover thousands of responses (no per-source scans).
    documents: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == "document":
            documents.setdefault(f.source, []).append(f)
    found: list[DepartmentView] = []
    for source in sources:
        if source.questionnaire.kind != "self-evaluation":
            continue
        phases = source.questionnaire.role_items.get("phases")
        found.append(
            DepartmentView(
                name=views.name(source.response.participant),
                definition=str(source.answer("definition") or ""),
                causes=str(source.answer("causes") or ""),
                phases=_shown(phases, source.answer("phases") or [], lang),
                phases_note=str(source.answer("phases_note") or ""),
                documents=[views.view(d) for d in documents.get(source.path, [])],
            )
        )
    return found


def _shown(item: Any, value: Any, lang: str) -> str:
    """A value as the report shows it: a choice item's labels, else the value as text."""
    if item is not None:
        return str(item.display(value, lang))
    return str(value)


def roles(
    views: Views, sources: Sequence[SourceResponse], findings: Sequence[Finding]
) -> list[RoleRow]:
    """Chapter 3.1, the roles table (the seed's Figure 1): one row per described participant.

    Args:
        views: the shared views.
        sources: included responses.
        findings: merged findings (``role.<P>`` ones are used).

    Returns:
        Rows in ``selfeval.yaml`` order: own self-evaluation rows, rows from
        others' ``other_roles`` (attributed), and peer-review-2 own
        ``role``/``involvement`` answers (``DESIGN.md`` §5). Every department
        a self-evaluation names as giving or receiving input has a row too
        ("volgens VWS", no involvement when none was given): Figure 1 draws
        these rows and nothing else, and the table is the figure's data, so
        every box and arrow of the figure is a row of the table (trial 8:
        SZW was a box and an arrow but no row).
    """
    L = views.L
    by_code = {f.concerns[0]: f for f in findings if f.kind == "role" and f.concerns}
    own_pr2 = {
        s.response.participant: {r: s.answer(r) for r in ("role", "involvement")}
        for s in sources
        if s.questionnaire.kind == "peer-review-2"
    }
    self_evals = {
        s.response.participant: {
            r: s.answer(r) for r in ("involvement", "gives_input_to", "receives_input_from")
        }
        for s in sources
        if s.questionnaire.kind == "self-evaluation"
    }
    # Who names whom, computed once (no per-row scan of every self-evaluation).
    from_them: dict[str, list[str]] = {}  # code -> self-evaluators it gives input to
    to_them: dict[str, list[str]] = {}  # code -> self-evaluators it receives input from
    for by, answers in self_evals.items():
        for other in answers.get("receives_input_from") or []:
            from_them.setdefault(other, []).append(by)
        for other in answers.get("gives_input_to") or []:
            to_them.setdefault(other, []).append(by)
    position = {c: n for n, c in enumerate(views.exercise.codes)}
    rows: list[RoleRow] = []
    for participant in views.exercise.participants:
        code = participant.code
        finding = by_code.get(code)
        pr2: dict[str, Any] = own_pr2.get(code, {})
        own = self_evals.get(code, {})
        related = (
            code in from_them
            or code in to_them
            or bool(own.get("gives_input_to") or own.get("receives_input_from"))
        )
        if finding is None and not pr2.get("role") and not pr2.get("involvement") and not related:
            continue
        level = pr2.get("involvement") or (
            finding.details.get("involvement") if finding else own.get("involvement")
        )
        involvement = L.get(level, "") if level else ""
        if pr2.get("involvement"):
            involvement += f" ({L['own_involvement']})"
        if code in self_evals:
            gives = self_evals[code].get("gives_input_to") or []
            receives = self_evals[code].get("receives_input_from") or []
            described = L["own_self_evaluation"]
        else:
            # Derived from the self-evaluating departments' own answers.
            gives = from_them.get(code, [])
            receives = to_them.get(code, [])
            if finding:
                described = L["according_to"].format(names=views.names_of(finding.raised_by))
            elif pr2.get("role") or pr2.get("involvement"):
                described = L["own_description"]
            else:  # only named by others, as giving or receiving input
                named = {*from_them.get(code, ()), *to_them.get(code, ())}
                named_by = sorted(named, key=lambda c: position.get(c, len(position)))
                described = L["according_to"].format(names=views.names_of(named_by))
        rows.append(
            RoleRow(
                id=f"role.{code}",
                name=participant.name,
                involvement=involvement,
                gives_input_to=views.names_of(gives),
                receives_input_from=views.names_of(receives),
                described_by=described,
                view=views.view(finding) if finding else None,
                own_role=pr2.get("role") or None,
                level=level if level in ("strong", "medium", "weak") else None,
                gives=[views.name(c) for c in gives],
                receives=[views.name(c) for c in receives],
                own=code in self_evals,
            )
        )
    return rows


def activities_by_phase(
    views: Views, activities: Sequence[Finding], labels: dict[str, str]
) -> list[tuple[str, list[FindingView]]]:
    """Chapter 3.2 (and each table of Annex 2): (phase label, its activities) for every phase."""
    return [
        (labels.get(p, p), [views.view(a) for a in activities if a.details.get("phase") == p])
        for p in PHASES
    ]


def opportunity_matrix(
    L: dict[str, str], opportunities: Sequence[FindingView]
) -> list[tuple[str, str, list[list[FindingView]]]]:
    """Chapter 5's matrix (the seed's Figure 2).

    Returns:
        One row per (nature, direction): content/process × intensify/develop,
        each with two cells, departmental and interdepartmental.
    """
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
    return matrix


def other_input(views: Views, sources: Sequence[SourceResponse]) -> list[OtherInput]:
    """Chapter 4.4: the peer reviews' general answers (recognition, remarks, experiences, …)."""
    L = views.L
    found: list[OtherInput] = []
    for source in sources:
        kind = source.questionnaire.kind
        if kind == "self-evaluation":
            continue
        lines: list[tuple[str, str]] = []
        value = source.answer("recognition")
        if value:
            lines.append((L["recognition"], L.get(f"recognition_{value}", str(value))))
        for role in ("recognition_why", "experiences", "general_remarks", "missing"):
            text = source.answer(role)
            if isinstance(text, str) and text.strip():
                lines.append((L[role], text.strip()))
        if lines:
            found.append(
                OtherInput(views.name(source.response.participant), L.get(kind, kind), lines)
            )
    return found


def annex1(views: Views, sources: Sequence[SourceResponse]) -> tuple[list[Annex1Row], list[str]]:
    """Annex 1 (the seed's Table 1) and the expected contributions not received.

    Returns:
        (one row per participant in ``selfeval.yaml`` order, "Name (form)"
        for each form of involvement without a submitted response).
    """
    L = views.L
    lang = views.exercise.language
    submitted = {
        (s.response.participant, s.questionnaire.kind)
        for s in sources
        if s.response.status == "submitted"
    }
    rows: list[Annex1Row] = []
    missing: list[str] = []
    for participant in views.exercise.participants:
        # A peer review it was invited to (Exercise.invited) and took part in counts
        # in the report, so Annex 1 lists it too.
        forms = [
            L.get(k, k)
            for k in KINDS
            if k in participant.involvement or (participant.code, k) in submitted
        ]
        forms_text = ", ".join(forms)
        if lang == "nl" and forms_text:
            forms_text = forms_text[0].upper() + forms_text[1:]
        remark = ""
        if participant.kind != "ministry":
            # The note usually says why (the seed's footnote 43); else say it plainly.
            remark = text_in(participant.note, lang) if participant.note else L["not_a_ministry"]
        elif participant.note:
            remark = text_in(participant.note, lang)
        rows.append(
            Annex1Row(
                participant.name,
                participant.full_name_in(lang),
                forms_text,
                remark,
                participant.kind == "ministry",
            )
        )
        for kind in participant.involvement:
            if (participant.code, kind) not in submitted:
                missing.append(f"{participant.name} ({L.get(kind, kind)})")
    return rows, missing


def annex1_table(rows: Sequence[Annex1Row]) -> list[tuple[str, str, str]]:
    """Annex 1's table as every format shows it (Markdown, HTML and Word alike).

    Args:
        rows: Annex 1's rows (:func:`annex1`).

    Returns:
        (name, forms of involvement, remark) per row. The name is the short
        name: the seed's Tabel 1 ("Aard van betrokkenheid ministeries") lists
        BZ, Defensie, NCTb, …; the full names are in the list of abbreviations
        (:func:`abbreviations`).
    """
    return [(row.name, row.forms, row.remark) for row in rows]


def abbreviations(rows: Sequence[Annex1Row]) -> list[tuple[str, str]]:
    """The list of abbreviations: the full name behind each short name that abbreviates it.

    A short name spelled out in its full name (Defensie in "Ministerie van
    Defensie", Justitie en Veiligheid in "Ministerie van Justitie en
    Veiligheid") is no abbreviation and has no row: the seed writes those
    names as they are, with no key, and spells out only what is shortened
    (the Nationaal Coördinator Terrorismebestrijding, NCTb).

    Args:
        rows: Annex 1's rows (:func:`annex1`), one per participant.

    Returns:
        (short name, full name) pairs, sorted by short name; empty when no
        short name abbreviates (the report then has no list, and its reading
        guide does not promise one).
    """
    return sorted(
        (row.name, row.full_name)
        for row in rows
        if row.full_name
        and row.name.strip()
        and not re.search(rf"(?<!\w){re.escape(row.name.strip())}(?!\w)", row.full_name)
    )


def annex2(
    views: Views, exercise: Exercise, activities: Sequence[Finding], labels: dict[str, str]
) -> list[tuple[str, list[tuple[str, list[FindingView]]]]]:
    """Annex 2: per department with activities, a table of its activities per phase."""
    by_participant: dict[str, list[Finding]] = {}
    for a in activities:
        by_participant.setdefault(a.participant, []).append(a)
    return [
        (
            views.L["annex2_table"].format(name=participant.name),
            activities_by_phase(views, by_participant[participant.code], labels),
        )
        for participant in exercise.participants
        if by_participant.get(participant.code)
    ]


def preface_caveat(lang: str, shown: Sequence[FindingView]) -> str | None:
    """The preface's caveat, when a bottleneck, blind spot or opportunity has one source.

    Its words agree with the counts (``ngettext``): "1 van de 12 … is
    gebaseerd", "8 van de 12 … zijn gebaseerd", and "alle 5 …" when every one
    has a single source (not "5 van de 5").
    """
    single = sum(1 for v in shown if v.single_source)
    if not single:
        return None
    total = len(shown)
    if single == total:
        return ngettext(lang, "report.caveat_all", "report.caveat_all_plural", total)
    return ngettext(lang, "report.caveat_some", "report.caveat_some_plural", single, total=total)


@dataclass(slots=True)
class GlanceRow:
    """One row of the reactions-at-a-glance table.

    Attributes:
        view: the finding reacted to.
        label: how the table names it ("BZ: Capaciteit politie en justitie").
        agree, partly, disagree: the names of the departments that agreed,
            partly agreed or disagreed, joined ("BZK en EZ"); empty when none.
    """

    view: FindingView
    label: str
    agree: str
    partly: str
    disagree: str


def glance_label(views: Views, v: FindingView) -> str:
    """How the reactions-at-a-glance table names a finding, the same in every format.

    A finding is named by who raised it and its title ("BZ: Capaciteit
    politie en justitie"). A role finding's title is only the department's
    name, so it is named as what it is: "Rol en betrokkenheid van VWS", with
    "(volgens BZ en Defensie)" when others described it (trial 8: the row
    read "VWS: VWS").
    """
    title = " ".join(str(v.finding.title or "").split())
    if v.finding.kind == "role":
        described = views.names_of(v.finding.concerns) or title
        label = views.L["glance_role"].format(name=described)
        if set(v.finding.raised_by) != set(v.finding.concerns):
            label += f" ({views.L['according_to'].format(names=v.attribution)})"
        return label
    return f"{v.attribution}: {title}" if v.attribution else title


def reactions_at_a_glance(views: Views, shown: Sequence[FindingView]) -> list[GlanceRow]:
    """The reactions-at-a-glance table: per finding reacted to, who agreed, partly, disagreed.

    Args:
        views: the shared views (names).
        shown: the findings in the order the report shows them (roles,
            bottlenecks, blind spots, needs, opportunities).

    Returns:
        One row per finding with at least one agree / partly-agree /
        disagree reaction ("no opinion" is left out), in report order; a
        department is named once per column.
    """
    rows: list[GlanceRow] = []
    seen: set[str] = set()
    for v in shown:
        if v.id in seen:
            continue
        seen.add(v.id)
        by_verdict: dict[str, list[str]] = {"agree": [], "partly-agree": [], "disagree": []}
        for x in v.reactions:
            names = by_verdict.get(x.verdict)
            if names is not None and x.participant not in names:
                names.append(x.participant)
        if not any(by_verdict.values()):
            continue
        rows.append(
            GlanceRow(
                view=v,
                label=glance_label(views, v),
                agree=views.names_of(by_verdict["agree"]),
                partly=views.names_of(by_verdict["partly-agree"]),
                disagree=views.names_of(by_verdict["disagree"]),
            )
        )
    return rows


def foreign_fragments(exercise: Exercise) -> dict[str, str]:
    """Texts the report shows in another language than its own, with that language.

    A text of ``selfeval.yaml`` given in several languages (title, incident
    category, a participant's note) but not in the report language is shown
    in the one it has (:func:`text_in` falls back); the HTML marks it with
    ``lang`` so a screen reader pronounces it right (WCAG 3.1.2, issue 19).
    Answers are not here: the tool cannot know their language.

    Returns:
        Shown text → its language (``en``), empty when all are in the report language.
    """
    lang = exercise.language
    found: dict[str, str] = {}
    texts = [exercise.title, exercise.incident_category.name]
    texts += [p.note for p in exercise.participants]
    for text in texts:
        if not text or text.get(lang):  # type: ignore[call-overload]
            continue
        shown = text_in(text, lang)
        other = next(k for k, v in text.items() if v == shown)
        if shown.strip() and other != lang:
            found[shown] = other
    return found


def figure_keys(roles: Sequence[RoleRow], opportunities: Sequence[FindingView]) -> list[str]:
    """Which figures the report has: ``roles`` (Figure 1), ``opportunities`` (Figure 2).

    Figure 1 when the roles table has rows, at most :data:`FIGURE_MAX_NODES`;
    Figure 2 when there is an opportunity. :mod:`selfeval.report.figures`
    draws them; the reading guide promises them (one rule for both).
    """
    keys = []
    if roles and len(roles) <= FIGURE_MAX_NODES:
        keys.append("roles")
    if opportunities:
        keys.append("opportunities")
    return keys


def reading_guide(
    L: dict[str, str],
    category: str,
    shown: Sequence[FindingView],
    *,
    summary: bool = False,
    figures: int = 0,
    glance: bool = False,
    annex2: bool = False,
    abbreviations: bool = False,
    notes: bool = False,
) -> tuple[list[str], str]:
    """Chapter 1's reading guide, and the note on finding ids (with an id from this report).

    The guide promises only what the report holds (issue 13): the
    chapters always; the summary, the figures, the reactions-at-a-glance
    table, Annex 2, the list of abbreviations and the notes only when the
    report has them.

    Args:
        L: the report's words.
        category: the incident category's name.
        shown: the findings the caveat counts (the ids note takes its example from them).
        summary: the report has an executive summary (``texts/summary.md``).
        figures: how many figures the report has.
        glance: the report has the reactions-at-a-glance table.
        annex2: the report has Annex 2 (activities per department).
        abbreviations: the report has a list of abbreviations.
        notes: the report has numbered source notes.

    Returns:
        (the guide's points, the ids note; empty when the report has no finding to cite).
    """
    guide = [L["guide_summary"]] if summary else []
    guide += [L["guide_ch2"].format(category=category), L["guide_ch3"]]
    if figures:
        guide.append(L["guide_figures"])
    guide += [L["guide_ch4"]]
    if glance:
        guide.append(L["guide_glance"])
    guide += [L["guide_ch5"], L["guide_annex1"]]
    if annex2:
        guide.append(L["guide_annex2"])
    if abbreviations:
        guide.append(L["guide_abbreviations"])
    if notes:
        guide.append(L["guide_notes"])
    example = next((v.id for v in shown), None)
    return guide, (L["guide_ids"].format(example=example) if example else "")
