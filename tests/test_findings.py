"""Finding ids, hashes, merges and the draft file (docs/findings.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.errors import InputError, NotFoundError
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.model.response import QuestionnaireRef, Response
from selfeval.report.findings import (
    Finding,
    SourceResponse,
    draft_data,
    draft_hash,
    finding_hash,
    load_draft,
    report_order,
    response_findings,
    write_draft,
)
from selfeval.report.merges import merge_findings

REPO = Path(__file__).resolve().parents[1]


def source(ws: Workspace, code: str, qid: str, answers: dict[str, Any]) -> SourceResponse:
    loaded = ws.questionnaire(qid)
    response = Response(
        questionnaire=QuestionnaireRef(id=qid, version=loaded.questionnaire.version, hash="x"),
        participant=code,
        incident_category="falende-staten",
        status="submitted",
        answers=answers,
    )
    return SourceResponse(response, loaded.questionnaire, f"responses/falende-staten/{code}/{qid}")


def findings_of(ws: Workspace, sources: list[SourceResponse]) -> list[Finding]:
    """What aggregate does: each response's findings (step 1), then the report order."""
    lang = ws.exercise.language
    return report_order(ws.exercise, [(s, response_findings(s, lang)) for s in sources])


@pytest.fixture
def ws() -> Workspace:
    return Workspace(REPO)


def entry(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "description": f"over {title}", **extra}


def test_finding_hash_covers_kind_title_and_text() -> None:
    base = finding_hash("bottleneck", "T", "tekst")
    assert base.startswith("sha256:") and len(base) == 7 + 64
    assert base == finding_hash("bottleneck", "T", "tekst")
    assert base != finding_hash("blind-spot", "T", "tekst")
    assert base != finding_hash("bottleneck", "T2", "tekst")
    assert base != finding_hash("bottleneck", "T", "tekst ")


def test_ids_use_keys_or_one_based_positions(ws: Workspace) -> None:
    answers = {"bottlenecks": [entry("a", key="eerste"), entry("b")], "needs": []}
    peer = {"needs": [entry("c", scope="departmental")], "completed_by": "x"}
    findings = findings_of(
        ws,
        [source(ws, "FIN", "peer-review-2", peer), source(ws, "BZ", "self-evaluation", answers)],
    )
    assert [f.id for f in findings] == [
        "BZ.bottlenecks.eerste",
        "BZ.bottlenecks.2",
        "FIN.peer-review-2.needs.1",
    ]
    assert findings[2].scope == "departmental"
    assert findings[0].raised_by == ("BZ",)


def test_other_roles_make_attributed_role_findings(ws: Workspace) -> None:
    bz = {"role": "Leidend.", "other_roles": [{"participant": "FIN", "role": "Wereldbank."}]}
    dfs = {"role": "Adviserend.", "other_roles": [{"participant": "FIN", "role": "Schulden."}]}
    findings = findings_of(
        ws,
        [source(ws, "DEF", "self-evaluation", dfs), source(ws, "BZ", "self-evaluation", bz)],
    )
    roles = {f.id: f for f in findings}
    assert list(roles) == ["role.BZ", "role.DEF", "role.FIN"]
    assert roles["role.FIN"].text == "BZ: Wereldbank.\n\nDefensie: Schulden."
    assert roles["role.FIN"].raised_by == ("BZ", "DEF")
    assert roles["role.FIN"].concerns == ("FIN",)


def test_same_as_merges_under_the_first_id(ws: Workspace) -> None:
    bz = {"bottlenecks": [entry("cap", key="cap", departments=["JUS"])]}
    dfs = {
        "bottlenecks": [
            entry("cap", key="cap", departments=["BZK"], same_as=["BZ.bottlenecks.cap"])
        ]
    }
    findings = findings_of(
        ws,
        [source(ws, "DEF", "self-evaluation", dfs), source(ws, "BZ", "self-evaluation", bz)],
    )
    merged, aliases, warnings = merge_findings(findings, exercise=ws.exercise)
    assert [f.id for f in merged] == ["BZ.bottlenecks.cap"]
    assert merged[0].raised_by == ("BZ", "DEF")
    assert merged[0].concerns == ("BZK", "JUS")  # selfeval.yaml order
    assert merged[0].merged == ("DEF.bottlenecks.cap",)
    assert aliases == {"DEF.bottlenecks.cap": "BZ.bottlenecks.cap"}
    assert warnings == []


def test_same_as_to_unknown_id_is_an_error_unless_left_out(ws: Workspace) -> None:
    dfs = {"bottlenecks": [entry("x", same_as=["BZ.bottlenecks.weg"])]}
    findings = findings_of(ws, [source(ws, "DEF", "self-evaluation", dfs)])
    with pytest.raises(InputError, match=r"names 'BZ\.bottlenecks\.weg'"):
        merge_findings(findings, exercise=ws.exercise)
    _, _, warnings = merge_findings(findings, exercise=ws.exercise, left_out=["BZ.bottlenecks.weg"])
    assert len(warnings) == 1 and "draft response left out" in warnings[0]


def test_draft_hash_changes_with_any_finding() -> None:
    class F:
        def __init__(self, fid: str, h: str) -> None:
            self.id, self.hash = fid, h

    a, b = F("a", "sha256:1"), F("b", "sha256:2")
    assert draft_hash([a, b]) == draft_hash([F("a", "sha256:1"), F("b", "sha256:2")])
    assert draft_hash([a, b]) != draft_hash([b, a])
    assert draft_hash([a, b]) != draft_hash([a])
    assert draft_hash([a, b]) != draft_hash([a, F("b", "sha256:3")])


def test_load_draft_and_peer_review_selections(example_ws: Path) -> None:
    result = CliRunner().invoke(app, ["aggregate", "--draft", "--workspace", str(example_ws)])
    assert result.exit_code == 0, result.stderr
    path = example_ws / "reports" / "draft.yaml"
    draft = load_draft(path)
    assert draft.draft.hash == draft_hash(draft.findings)
    for finding in draft.findings:
        assert finding.hash == finding_hash(finding.kind, finding.title, finding.text)
    capacity = draft.finding("DEF.bottlenecks.capaciteit-politie-justitie")  # an alias
    assert capacity.id == "BZ.bottlenecks.capaciteit-politie-justitie"
    round1 = {f.id for f in draft.findings_for_peer_review_1("DEF")}
    assert "BZ.blind_spots.focus-falende-staten" in round1
    assert capacity.id not in round1  # Defensie raised it too
    assert not any(
        f.kind in ("activity", "document") for f in draft.findings_for_peer_review_1("DEF")
    )
    round2 = {f.id for f in draft.findings_for_peer_review_2("FIN")}
    assert "role.FIN" in round2 and "BZ.bottlenecks.relaties-ez-financien" in round2
    assert "role.BZ" not in round2
    with pytest.raises(KeyError):
        draft.finding("nope")


def test_load_draft_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="aggregate --draft"):
        load_draft(tmp_path / "draft.yaml")
    bad = tmp_path / "bad.yaml"
    yamlio.write(bad, {"draft": {"hash": "x"}, "findings": []})
    with pytest.raises(InputError, match="exercise"):
        load_draft(bad)


# --- reports/draft.yaml is streamed (issue 20) ----------------------------------------

_words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_codes = st.lists(st.sampled_from(["BZ", "DEF", "NO", "on", "FIN"]), max_size=3)
_findings = st.lists(
    st.builds(
        lambda i, kind, title, text, scope, raised, concerns, merged: Finding(
            f"X.f{i}", kind, title, text, scope, raised, concerns, finding_hash(kind, title, text),
            "self-evaluation", "responses/x", merged=merged,
        ),
        st.integers(0, 10**6), st.sampled_from(["need", "role", "opportunity"]), _words,
        _words, st.none() | st.sampled_from(["departmental", "interdepartmental"]), _codes,
        _codes, st.lists(_words, max_size=2),
    ),
    max_size=4,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_findings, st.lists(_words, max_size=3))
def test_the_streamed_draft_reads_back_as_the_draft_data(
    findings: list[Finding], created_from: list[str]
) -> None:
    exercise = Workspace(REPO).exercise
    handle = io.StringIO()
    write_draft(handle, findings, exercise=exercise, created_from=created_from)
    expected = draft_data(findings, exercise=exercise, created_from=created_from)
    assert yamlio.load_text(handle.getvalue()) == expected


def test_aggregate_draft_writes_the_draft_data_with_one_hash(
    example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.report import findings as findings_module

    calls: list[int] = []
    real = findings_module.draft_hash

    def counting(found: Any) -> str:
        calls.append(1)
        return real(found)

    monkeypatch.setattr(findings_module, "draft_hash", counting)
    monkeypatch.setattr("selfeval.report.aggregate.draft_hash", counting)
    result = CliRunner().invoke(app, ["aggregate", "--draft", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1  # computed once, for the report and draft.yaml alike
    ws = Workspace(example_ws)
    text = (example_ws / "reports" / "draft.yaml").read_text("utf-8")
    draft = load_draft(example_ws / "reports" / "draft.yaml")
    report = (example_ws / "reports" / "integrated-report-draft.md").read_text("utf-8")
    assert draft.draft.hash == real(draft.findings) and draft.draft.hash in report
    data = yamlio.load_text(text)
    assert data["draft"]["exercise"] == ws.exercise.text(ws.exercise.project)
    assert [f["id"] for f in data["findings"]] == [f.id for f in draft.findings]
    assert "text: |" in text  # multi-line texts stay readable as literal blocks


def test_the_shared_empty_details_cannot_be_changed_and_stay_shared_through_pickle() -> None:
    """Findings without details share ``NO_DETAILS`` (issue 20: memory).

    A change to it would change every such finding, so it refuses one; a
    worker process's findings come back through pickle sharing it too.
    """
    import pickle

    from selfeval.report.findings import NO_DETAILS

    assert NO_DETAILS == {}
    for change in (
        lambda d: d.__setitem__("phase", "x"),
        lambda d: d.update(phase="x"),
        lambda d: d.setdefault("phase", "x"),
    ):
        with pytest.raises(TypeError):
            change(NO_DETAILS)
    assert NO_DETAILS == {}
    assert pickle.loads(pickle.dumps(NO_DETAILS)) is NO_DETAILS
