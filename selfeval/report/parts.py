"""Parts of the report model built from several responses at once.

The roles table (the seed's Figure 1), the peer reviews' general input, and
Annex 1 (forms of involvement, and contributions expected but not received).
Used by :func:`selfeval.report.model.build_report`; plain data, no rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from selfeval.model.questionnaire import KINDS, text_in
from selfeval.report.findings import Finding, SourceResponse

if TYPE_CHECKING:
    from selfeval.report.model import FindingView, _Builder

__all__ = ["Annex1Row", "OtherInput", "RoleRow", "annex1", "other_input", "roles"]


@dataclass
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


@dataclass
class OtherInput:
    """General answers from one peer review (recognition, remarks, experiences)."""

    name: str
    round: str
    lines: list[tuple[str, str]]


@dataclass
class Annex1Row:
    """One row of Annex 1: a participant and its forms of involvement."""

    name: str
    full_name: str
    forms: str
    remark: str
    is_ministry: bool


def roles(
    builder: _Builder,
    sources: Sequence[SourceResponse],
    findings: Sequence[Finding],
) -> list[RoleRow]:
    """Rows of the roles table, one per participant with a role description.

    Args:
        builder: the report builder (names, labels, finding views).
        sources: included responses.
        findings: merged findings (``role.<P>`` ones are used).

    Returns:
        Rows in ``selfeval.yaml`` order: own self-evaluation rows, rows from
        others' ``other_roles`` (attributed), and peer-review-2 own
        ``role``/``involvement`` answers (``DESIGN.md`` §5, the seed's Figure 1).
    """
    L = builder.L
    by_code = {f.concerns[0]: f for f in findings if f.kind == "role" and f.concerns}
    # Answers by report role (selfeval.model.roles), never by item id.
    own_pr2 = {
        s.response.participant: {r: s.answer(r) for r in ("role", "involvement")}
        for s in sources
        if s.questionnaire.kind == "peer-review-2"
    }
    self_evals = {
        s.response.participant: {r: s.answer(r) for r in ("gives_input_to", "receives_input_from")}
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
    rows: list[RoleRow] = []
    for participant in builder.exercise.participants:
        code = participant.code
        finding = by_code.get(code)
        pr2: dict[str, Any] = own_pr2.get(code, {})
        if finding is None and not pr2.get("role") and not pr2.get("involvement"):
            continue
        level = pr2.get("involvement") or (finding.details.get("involvement") if finding else None)
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
            described = (
                L["according_to"].format(names=builder.names_of(finding.raised_by))
                if finding
                else L["own_description"]
            )
        rows.append(
            RoleRow(
                id=f"role.{code}",
                name=participant.name,
                involvement=involvement,
                gives_input_to=builder.names_of(gives),
                receives_input_from=builder.names_of(receives),
                described_by=described,
                view=builder.view(finding) if finding else None,
                own_role=pr2.get("role") or None,
                level=level if level in ("strong", "medium", "weak") else None,
                gives=[builder.name(c) for c in gives],
                receives=[builder.name(c) for c in receives],
                own=code in self_evals,
            )
        )
    return rows


def other_input(
    builder: _Builder, sources: Sequence[SourceResponse], lang: str
) -> list[OtherInput]:
    """The peer reviews' general answers (recognition, remarks, what is missing, experiences)."""
    L = builder.L
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
                OtherInput(builder.name(source.response.participant), L.get(kind, kind), lines)
            )
    return found


def annex1(
    builder: _Builder, sources: Sequence[SourceResponse]
) -> tuple[list[Annex1Row], list[str]]:
    """Annex 1 rows (the seed's Table 1) and the expected contributions not received.

    Returns:
        (one row per participant in ``selfeval.yaml`` order, "Name (form)"
        for each form of involvement without a submitted response).
    """
    L = builder.L
    lang = builder.exercise.language
    submitted = {
        (s.response.participant, s.questionnaire.kind)
        for s in sources
        if s.response.status == "submitted"
    }
    rows: list[Annex1Row] = []
    missing: list[str] = []
    for participant in builder.exercise.participants:
        forms = [L.get(k, k) for k in KINDS if k in participant.involvement]
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
                participant.full_name,
                forms_text,
                remark,
                participant.kind == "ministry",
            )
        )
        for kind in participant.involvement:
            if (participant.code, kind) not in submitted:
                missing.append(f"{participant.name} ({L.get(kind, kind)})")
    return rows, missing
