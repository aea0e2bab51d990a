"""Each chapter of the report model, built alone from plain data (R4: no files, no patching).

The chapters were one 164-line ``build_report`` tested only end to end; each
is now a function of :mod:`selfeval.report.chapters`, tested here with two or
three small responses. The whole report is covered by ``test_example.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from selfeval.files.load import load_questionnaire
from selfeval.i18n import ngettext
from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import Questionnaire
from selfeval.model.response import Response
from selfeval.report import chapters
from selfeval.report.findings import Finding, Source, SourceResponse, finding_hash
from selfeval.report.labels import load_labels
from selfeval.report.model import ReportInput, build_report
from selfeval.report.views import Views

REPO = Path(__file__).resolve().parents[1]
L = load_labels("en")


def _questionnaire(qid: str) -> Questionnaire:
    return load_questionnaire(REPO / "questionnaires" / f"{qid}-1.0.0.yaml").questionnaire


EXERCISE = Exercise.model_validate(
    {
        "project": "P",
        "title": "T",
        "incident_category": {"id": "cat", "name": "Failing states"},
        "date": "2006-05-16",
        "language": "en",
        "participants": [
            {"code": "BZ", "name": "BZ", "full_name": "Foreign Affairs",
             "involvement": ["self-evaluation"]},
            {"code": "FIN", "name": "Finance", "full_name": "Ministry of Finance",
             "involvement": ["peer-review-2"]},
            {"code": "NCTb", "name": "NCTb", "full_name": "Coordinator", "kind": "other",
             "involvement": ["peer-review-1"]},
        ],
    }
)  # fmt: skip


def _source(qid: str, participant: str, answers: dict[str, Any], **extra: Any) -> SourceResponse:
    response = Response.model_validate(
        {
            "questionnaire": {"id": qid, "version": "1.0.0", "hash": "sha256:x"},
            "participant": participant,
            "incident_category": "cat",
            "status": "submitted",
            "answers": answers,
            **extra,
        }
    )
    return SourceResponse(response, _questionnaire(qid), f"responses/cat/{participant}/{qid}.yaml")


def _finding(fid: str, kind: str, **extra: Any) -> Finding:
    title, text = extra.pop("title", fid), extra.pop("text", f"text of {fid}")
    return Finding(
        id=fid,
        kind=kind,
        title=title,
        text=text,
        scope=extra.pop("scope", None),
        raised_by=extra.pop("raised_by", ["BZ"]),
        concerns=extra.pop("concerns", []),
        hash=finding_hash(kind, title, text),
        questionnaire=extra.pop("questionnaire", "self-evaluation"),
        source=extra.pop("source", "responses/cat/BZ/self-evaluation.yaml"),
        **extra,
    )


BZ = _source(
    "self-evaluation",
    "BZ",
    {
        "definition": "States that fail.",
        "causes": "History.",
        "phases": ["decay", "recovery"],
        "phases_note": "Recovery is prevention.",
        "gives_input_to": ["FIN"],
        "receives_input_from": ["NCTb"],
    },
)


@pytest.fixture
def views() -> Views:
    return Views(EXERCISE, L)


def test_departments_shows_each_self_evaluation_by_role_with_choice_labels(views: Views) -> None:
    document = _finding("BZ.documents.1", "document", sources=[Source("Nota", 2004, "3")])
    [dept] = chapters.departments(views, [BZ], [document], "en")
    assert (dept.name, dept.definition, dept.causes) == ("BZ", "States that fail.", "History.")
    assert dept.phases == "Decay, Recovery"
    assert dept.phases_note == "Recovery is prevention."
    assert [d.id for d in dept.documents] == ["BZ.documents.1"]
    assert views.notes == ["Nota, 2004, p. 3."]


def test_roles_table_has_own_rows_derived_input_and_peer_review_2_own_role(views: Views) -> None:
    role = _finding("role.BZ", "role", concerns=["BZ"], details={"involvement": "strong"})
    fin = _source("peer-review-2", "FIN", {"role": "Pays.", "involvement": "weak"})
    rows = chapters.roles(views, [BZ, fin], [role])
    # NCTb described no role and nobody described it, but BZ receives input from it:
    # Figure 1 draws it, so the table (the figure's data) has its row (trial 8).
    assert [r.id for r in rows] == ["role.BZ", "role.FIN", "role.NCTb"]
    bz, fin_row, nctb = rows
    assert (nctb.involvement, nctb.gives_input_to, nctb.receives_input_from, nctb.view) == (
        "",
        "BZ",
        "",
        None,
    )
    assert nctb.described_by == L["according_to"].format(names="BZ")
    assert (bz.involvement, bz.gives_input_to, bz.receives_input_from) == (
        L["strong"],
        "Finance",
        "NCTb",
    )
    assert fin_row.own_role == "Pays."
    assert fin_row.involvement == f"{L['weak']} ({L['own_involvement']})"
    assert fin_row.receives_input_from == "BZ"  # BZ gives input to FIN


def test_activities_by_phase_lists_every_phase_in_order(views: Views) -> None:
    a = _finding("BZ.activities.1", "activity", details={"phase": "evaluation"})
    b = _finding("BZ.activities.2", "activity", details={"phase": "research"})
    labels = chapters.phase_labels([BZ], "en")
    found = chapters.activities_by_phase(views, [a, b], labels)
    assert [(label, [v.id for v in shown]) for label, shown in found] == [
        ("Research and risk analyses", ["BZ.activities.2"]),
        ("Policy development", []),
        ("Policy implementation", []),
        ("Policy evaluation", ["BZ.activities.1"]),
    ]


def test_opportunity_matrix_puts_each_opportunity_in_its_cell(views: Views) -> None:
    o = _finding("BZ.opportunities.1", "opportunity", scope="interdepartmental",
                 details={"nature": "process", "direction": "develop"})  # fmt: skip
    matrix = chapters.opportunity_matrix(L, [views.view(o)])
    assert [(n, d) for n, d, _ in matrix] == [
        (L["content"], L["intensify"]), (L["content"], L["develop"]),
        (L["process"], L["intensify"]), (L["process"], L["develop"]),
    ]  # fmt: skip
    assert [[[v.id for v in cell] for cell in cells] for _, _, cells in matrix][3] == [
        [],
        ["BZ.opportunities.1"],
    ]


def test_other_input_reads_the_peer_reviews_general_answers_by_role(views: Views) -> None:
    nctb = _source("peer-review-1", "NCTb", {"recognition": "partly", "missing": " More. "})
    [found] = chapters.other_input(views, [BZ, nctb])
    assert (found.name, found.round) == ("NCTb", L["peer-review-1"])
    assert found.lines == [(L["recognition"], L["recognition_partly"]), (L["missing"], "More.")]


def test_annex1_lists_forms_and_the_contributions_not_received(views: Views) -> None:
    rows, missing = chapters.annex1(views, [BZ])
    assert [(r.name, r.is_ministry) for r in rows] == [
        ("BZ", True), ("Finance", True), ("NCTb", False)
    ]  # fmt: skip
    assert rows[2].remark == L["not_a_ministry"]
    assert missing == [f"Finance ({L['peer-review-2']})", f"NCTb ({L['peer-review-1']})"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_annex1_gives_a_full_name_in_the_report_language(language: str) -> None:
    data = EXERCISE.model_dump()
    data["language"] = language
    data["participants"][1]["full_name"] = {"nl": "Ministerie van Financiën",
                                            "en": "Ministry of Finance"}  # fmt: skip
    data["participants"][2]["full_name"] = {"nl": "Coördinator"}  # one language: used in both
    exercise = Exercise.model_validate(data)
    rows, _ = chapters.annex1(Views(exercise, L), [BZ])
    assert [r.full_name for r in rows] == [
        "Foreign Affairs",
        {"nl": "Ministerie van Financiën", "en": "Ministry of Finance"}[language],
        "Coördinator",
    ]


def test_annex2_has_a_table_per_department_with_activities(views: Views) -> None:
    a = _finding("BZ.activities.1", "activity", details={"phase": "research"})
    [(title, phases)] = chapters.annex2(views, EXERCISE, [a], {})
    assert title == L["annex2_table"].format(name="BZ")
    assert [label for label, _ in phases] == list(chapters.PHASES)


def test_preface_caveat_and_reading_guide(views: Views) -> None:
    one = views.view(_finding("BZ.bottlenecks.1", "bottleneck"))
    two = views.view(_finding("X.bottlenecks.1", "bottleneck", raised_by=["BZ", "FIN"]))
    assert chapters.preface_caveat("en", [two]) is None
    assert chapters.preface_caveat("en", [one, two]) == ngettext(
        "en", "report.caveat_some", "report.caveat_some_plural", 1, total=2
    )
    assert "1 of the 2 bottlenecks" in ngettext(
        "en", "report.caveat_some", "report.caveat_some_plural", 1, total=2
    )
    guide, ids_note = chapters.reading_guide(L, "Failing states", [one])
    assert guide[0] == L["guide_ch2"].format(category="Failing states")
    assert "BZ.bottlenecks.1" in ids_note
    assert chapters.reading_guide(L, "x", [])[1] == ""


def test_build_report_takes_texts_words_and_draft_hash_from_its_input() -> None:
    """The caller reads the files; the model is complete when built (no patching after)."""
    words = {**L, "preface": "Foreword"}
    report = build_report(
        ReportInput(EXERCISE, [BZ], [], {}, texts={"preface": "Hello."}, labels=words,
                    draft=True, draft_hash="sha256:abc")
    )  # fmt: skip
    assert (report.texts, report.L["preface"]) == ({"preface": "Hello."}, "Foreword")
    assert (report.is_draft, report.draft_hash) == (True, "sha256:abc")
    assert report.departments[0].causes == "History."
