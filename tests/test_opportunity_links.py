"""Opportunities name the findings they answer (issue 12): new peer-review versions, the check.

Peer review 1 now asks needs and opportunities, peer review 2 opportunities;
an opportunity's ``answers`` names bottlenecks, blind spots and needs by id.
A wrong id is an error at its file and line; one the respondent could not
have known to be wrong (the draft was made again since) is a warning.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.load import load_questionnaire
from selfeval.model.answers import check_answer
from selfeval.model.items import AnswerError, FindingsItem
from selfeval.model.questionnaire import RepeatItem

REPO = Path(__file__).resolve().parents[1]
CAT = Path("responses") / "falende-staten"


def _groups(name: str) -> dict[str, RepeatItem]:
    q = load_questionnaire(REPO / "questionnaires" / name).questionnaire
    return {i.id: i for i in q.items() if isinstance(i, RepeatItem) and i.finding}


def test_peer_review_1_asks_needs_and_opportunities_like_the_self_evaluation() -> None:
    new = _groups("peer-review-1-1.1.0.yaml")
    assert {k: g.finding for k, g in new.items()} == {
        "needs": "need",
        "opportunities": "opportunity",
    }
    self_eval = _groups("self-evaluation-1.0.0.yaml")
    assert [i.id for i in new["needs"].items] == [i.id for i in self_eval["needs"].items]
    opp = [i.id for i in new["opportunities"].items]
    assert opp == [*(i.id for i in self_eval["opportunities"].items if i.id != "sources"),
                   "answers", "sources"]  # fmt: skip
    assert _groups("peer-review-1-1.0.0.yaml") == {}  # the published version is unchanged


def test_peer_review_2_can_add_opportunities_that_name_what_they_answer() -> None:
    new = _groups("peer-review-2-1.1.0.yaml")
    assert {k: g.finding for k, g in new.items()} == {
        "activities": "activity", "needs": "need", "opportunities": "opportunity",
    }  # fmt: skip
    answers = {i.id: i for i in new["opportunities"].items}["answers"]
    assert isinstance(answers, FindingsItem)
    q = load_questionnaire(REPO / "questionnaires" / "peer-review-2-1.1.0.yaml").questionnaire
    assert q.migrates_from is not None and q.migrates_from.version == "1.0.0"


def test_self_evaluation_1_2_0_is_1_1_0_with_what_each_opportunity_answers() -> None:
    new = _groups("self-evaluation-1.2.0.yaml")
    old = _groups("self-evaluation-1.1.0.yaml")
    assert new.keys() == old.keys()
    for group, item in new.items():
        ids = [i.id for i in item.items]
        if group == "opportunities":
            assert ids == [*(i.id for i in old[group].items if i.id != "sources"),
                           "answers", "sources"]  # fmt: skip
            assert isinstance({i.id: i for i in item.items}["answers"], FindingsItem)
        else:
            assert ids == [i.id for i in old[group].items]
    q = load_questionnaire(REPO / "questionnaires" / "self-evaluation-1.2.0.yaml").questionnaire
    assert q.migrates_from is not None and q.migrates_from.version == "1.1.0"
    assert not q.migrates_from.renamed and not q.migrates_from.removed


def test_a_findings_answer_is_a_list_of_finding_ids() -> None:
    item = FindingsItem(id="answers", type="findings", label="A")
    assert item.parse("BZ.needs.2, FIN.peer-review-2.needs.eigen-relatie-eu") == [
        "BZ.needs.2", "FIN.peer-review-2.needs.eigen-relatie-eu",
    ]  # fmt: skip
    assert check_answer(item, ["role.BZK", "DEF.bottlenecks.1"]) == [
        "role.BZK",
        "DEF.bottlenecks.1",
    ]
    with pytest.raises(AnswerError, match="is not a finding id"):
        check_answer(item, ["the capacity bottleneck"])
    with pytest.raises(AnswerError, match="listed twice"):
        check_answer(item, ["BZ.needs.2", "BZ.needs.2"])


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    from selfeval.files.scaffold import init_workspace

    target = tmp_path / "example"
    init_workspace(target, example=True)
    return target


def _set_answers(path: Path, item: str, index: int, ids: list[str]) -> int:
    """Point entry ``index`` of ``item`` at ``ids``; return the line of the first id."""
    data = yamlio.load(path)
    data["answers"][item][index]["answers"] = ids
    yamlio.write(path, data)
    found = yamlio.line_of(path.read_text("utf-8"), ["answers", item, index, "answers", 0])
    assert found is not None
    return found[0]


def _aggregate(ws: Path) -> object:
    return CliRunner().invoke(app, ["aggregate", "--workspace", str(ws)])


def test_an_unknown_id_of_ones_own_findings_is_an_error_at_file_and_line(ws: Path) -> None:
    nctb = ws / CAT / "NCTb" / "peer-review-1.yaml"
    line = _set_answers(nctb, "opportunities", 0, ["NCTb.peer-review-1.needs.veiligheid"])
    result = _aggregate(ws)
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"NCTb/peer-review-1.yaml:{line}:" in err
    assert "'NCTb.peer-review-1.needs.veiligheid', which is not a finding of any response" in err
    assert "Traceback" not in result.output + result.stderr
    assert not (ws / "reports" / "integrated-report.md").exists()


def test_an_opportunity_answers_bottlenecks_blind_spots_or_needs_only(ws: Path) -> None:
    nctb = ws / CAT / "NCTb" / "peer-review-1.yaml"
    line = _set_answers(nctb, "opportunities", 0, ["DEF.opportunities.ssr-ddr"])
    result = _aggregate(ws)
    assert result.exit_code == 1
    err = " ".join(result.stderr.split())
    assert f"NCTb/peer-review-1.yaml:{line}:" in err
    assert "a finding of kind 'opportunity'; an opportunity answers bottlenecks" in err


def _draft_of_the_peer_reviews(ws: Path) -> None:
    """Make reports/draft.yaml again from the self-evaluations, as the example's peer reviews saw it."""
    keep = ws.parent / "keep"
    for path in (ws / CAT).glob("*/peer-review-*.yaml"):
        target = keep / path.relative_to(ws)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(ws), "--draft"])
    assert result.exit_code == 0, result.output
    shutil.copytree(keep, ws, dirs_exist_ok=True)


def test_a_peer_review_naming_an_id_not_in_its_draft_is_an_error(ws: Path) -> None:
    _draft_of_the_peer_reviews(ws)
    jus = ws / CAT / "JUS" / "peer-review-2.yaml"
    line = _set_answers(jus, "opportunities", 1, ["BZ.bottlenecks.capacitiet"])
    result = _aggregate(ws)
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"JUS/peer-review-2.yaml:{line}:" in err
    assert "'BZ.bottlenecks.capacitiet', which is not a finding of any response" in err


def test_after_the_draft_was_made_again_an_unknown_id_is_a_warning(ws: Path) -> None:
    # No reports/draft.yaml with the hash JUS answered: the id cannot be checked against
    # it, and JUS could not have known; the report is written without that link.
    jus = ws / CAT / "JUS" / "peer-review-2.yaml"
    _set_answers(jus, "opportunities", 1, ["BZ.bottlenecks.capacitiet"])
    result = _aggregate(ws)
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert "JUS/peer-review-2.yaml: answers of JUS.peer-review-2.opportunities.beleid" in err
    assert "is no longer reports/draft.yaml, so BZ.bottlenecks.capacitiet cannot be checked" in err
    report = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert "capacitiet" not in report


def test_the_draft_file_lists_what_each_opportunity_answers(ws: Path) -> None:
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(ws), "--draft"])
    assert result.exit_code == 0, result.output
    draft = yamlio.load(ws / "reports" / "draft.yaml")
    by_id = {f["id"]: f for f in draft["findings"]}
    assert by_id["JUS.peer-review-2.opportunities.beleid-prioriteitslanden"]["answers"] == [
        "BZ.bottlenecks.capaciteit-politie-justitie",
        "JUS.peer-review-2.needs.beleid-prioriteitslanden",
    ]
    # A merged opportunity carries the links of every member ("Defensie en AZ"): Defensie's
    # own (self-evaluation 1.2.0) and AZ's need, in report order.
    assert by_id["DEF.opportunities.inlichtingenfunctie"]["answers"] == [
        "DEF.bottlenecks.eenzijdige-risicoanalyses",
        "DEF.needs.capaciteit-inlichtingenfunctie",
        "AZ.peer-review-2.needs.inlichtingenfunctie",
    ]
    # A merged-away id of one's own is routed to the survivor (DEF's bottleneck is BZ's).
    assert by_id["BZ.opportunities.capaciteit-politie-justitie"]["answers"] == [
        "BZ.bottlenecks.capaciteit-politie-justitie"
    ]
    assert "answers" not in by_id["BZ.bottlenecks.capaciteit-politie-justitie"]


def test_peer_review_refuses_an_answers_file_naming_an_id_not_in_the_draft(ws: Path) -> None:
    _draft_of_the_peer_reviews(ws)
    (ws / CAT / "BZK" / "peer-review-2.yaml").unlink()
    answers = ws / "answers" / "BZK-peer-review-2.yaml"
    data = yamlio.load(answers)
    data["opportunities"][0]["answers"] = ["BZK.peer-review-2.needs.eigen-relatie-eu",
                                           "BZ.bottlenecks.capacitiet"]  # fmt: skip
    yamlio.write(answers, data)
    line = yamlio.line_of(answers.read_text("utf-8"), ["opportunities", 0, "answers", 1])
    assert line is not None
    result = CliRunner().invoke(app, [
        "peer-review", "--workspace", str(ws), "--participant", "BZK", "--round", "2",
        "--answers", str(answers), "--submit",
    ])  # fmt: skip
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"BZK-peer-review-2.yaml:{line[0]}:" in err
    assert "'BZ.bottlenecks.capacitiet', which is not a finding of any response" in err
    assert not (ws / CAT / "BZK" / "peer-review-2.yaml").exists()


def _validate(ws: Path) -> object:
    return CliRunner().invoke(app, ["validate", "--workspace", str(ws)])


def test_validate_refuses_a_self_evaluation_naming_an_id_not_among_its_own(ws: Path) -> None:
    # A self-evaluation's opportunity answers the bottlenecks, blind spots and needs of
    # its own response (docs/findings.md §7): a typo, and another department's need.
    bz = ws / CAT / "BZ" / "self-evaluation.yaml"
    line = _set_answers(bz, "opportunities", 0, ["BZ.needs.conflictpreventi"])
    data = yamlio.load(bz)
    data["answers"]["opportunities"][1]["answers"] = ["DEF.needs.ddr"]
    yamlio.write(bz, data)
    other = yamlio.line_of(bz.read_text("utf-8"), ["answers", "opportunities", 1, "answers", 0])
    assert other is not None
    for result in (_validate(ws), _aggregate(ws)):  # one rule: validate and aggregate agree
        assert result.exit_code == 1, result.output
        err = " ".join(result.stderr.split())
        assert f"BZ/self-evaluation.yaml:{line}:" in err
        assert (
            "answers of BZ.opportunities.conflictpreventie-eerder-stadium names "
            "'BZ.needs.conflictpreventi', which is not a bottleneck, blind spot or need of this "
            "self-evaluation" in err
        )
        assert f"BZ/self-evaluation.yaml:{other[0]}:" in err
        assert "names 'DEF.needs.ddr', which is not a bottleneck, blind spot or need" in err
        assert "Traceback" not in result.output + result.stderr


def test_validate_refuses_a_peer_review_naming_an_id_not_in_the_draft_it_answered(
    ws: Path,
) -> None:
    _draft_of_the_peer_reviews(ws)  # reports/draft.yaml is the draft the peer reviews answered
    jus = ws / CAT / "JUS" / "peer-review-2.yaml"
    assert _validate(ws).exit_code == 0
    line = _set_answers(jus, "opportunities", 1, ["BZ.bottlenecks.capacitiet"])
    result = _validate(ws)
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"JUS/peer-review-2.yaml:{line}:" in err
    assert "'BZ.bottlenecks.capacitiet', which is not a finding of any response" in err
    # A merged-away id of the draft and the response's own need are links.
    _set_answers(jus, "opportunities", 1, ["DEF.bottlenecks.capaciteit-politie-justitie",
                                           "JUS.peer-review-2.needs.beleid-prioriteitslanden"])  # fmt: skip
    assert _validate(ws).exit_code == 0


def test_validate_without_the_draft_checks_the_ids_the_respondent_had(ws: Path) -> None:
    # No reports/draft.yaml: another department's id cannot be checked (aggregate warns),
    # but the respondent's own needs and a department not in the exercise can.
    jus = ws / CAT / "JUS" / "peer-review-2.yaml"
    _set_answers(jus, "opportunities", 1, ["BZ.bottlenecks.capacitiet"])
    assert _validate(ws).exit_code == 0
    line = _set_answers(jus, "opportunities", 1, ["JUS.peer-review-2.needs.beleid",
                                                  "XYZ.needs.1"])  # fmt: skip
    result = _validate(ws)
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"JUS/peer-review-2.yaml:{line}:" in err
    assert "'JUS.peer-review-2.needs.beleid', which is not a finding of any response" in err
    assert "'XYZ.needs.1', which is not a finding of any response" in err


def test_fill_refuses_an_answers_file_naming_another_departments_finding(ws: Path) -> None:
    (ws / CAT / "BZ" / "self-evaluation.yaml").unlink()
    answers = ws / "answers" / "BZ-self-evaluation.yaml"
    data = yamlio.load(answers)
    data["opportunities"][0]["answers"] = ["BZ.needs.conflictpreventie", "DEF.needs.ddr"]
    yamlio.write(answers, data)
    line = yamlio.line_of(answers.read_text("utf-8"), ["opportunities", 0, "answers", 1])
    assert line is not None
    result = CliRunner().invoke(app, [
        "fill", "--workspace", str(ws), "--participant", "BZ", "--answers", str(answers),
        "--submit",
    ])  # fmt: skip
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"BZ-self-evaluation.yaml:{line[0]}:" in err
    assert "'DEF.needs.ddr', which is not a bottleneck, blind spot or need of this" in err
    assert not (ws / CAT / "BZ" / "self-evaluation.yaml").exists()
