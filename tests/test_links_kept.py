"""An opportunity's links to findings: never silently wrong, one check everywhere (trial 8).

Seen in trial 8: ``fill`` writes no ``key:`` for an entry, so an entry's finding
id is its position (``BZ.needs.2``). Removing a need in ``fill`` moved the
link of an opportunity to the next need, and the draft report said that the
opportunity answered a need it never named. And a link to a need that is
gone passed ``fill``, ``status`` and ``import``, then stopped ``aggregate``.

Now :func:`selfeval.model.links.remove_entry` keeps every link on the entry it
named (a link to the removed entry is taken out, and fill says so), and the
link check is part of the one check of a response
(:func:`selfeval.files.workspace.response_problems`): fill, status, import,
validate and aggregate say the same (``docs/findings.md`` §2, §7).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_session import CONFIRM, Scripted, ask, choose
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.fill.run import run_fill

CAT = Path("responses") / "falende-staten"
NEEDS = ["Behoefte A", "Behoefte B", "Behoefte C"]
#: What validate, status, import and aggregate all say of BZ's first opportunity's link.
DANGLING = (
    "answers of BZ.opportunities.conflictpreventie-eerder-stadium names 'BZ.needs.7', "
    "which is not a bottleneck, blind spot or need of this self-evaluation"
)


def _need(title: str) -> dict[str, Any]:
    return {"title": title, "description": f"{title}, beschreven.", "scope": "departmental"}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example; BZ's self-evaluation a draft whose three needs have no key."""
    from selfeval.files.scaffold import init_workspace

    root = tmp_path / "example"
    init_workspace(root, example=True)
    (root / CAT / "BZ" / "self-evaluation.yaml").unlink()
    # Defensie's need was merged with a keyed need of BZ that this BZ does not have.
    defensie = root / CAT / "DEF" / "self-evaluation.yaml"
    data = yamlio.load(defensie)
    for entry in data["answers"]["needs"]:
        entry.pop("same_as", None)
    yamlio.write(defensie, data)
    answers = root / "answers" / "BZ-self-evaluation.yaml"
    data = yamlio.load(answers)
    data["needs"] = [_need(title) for title in NEEDS]  # no key: ids are positions
    for opportunity in data["opportunities"]:
        opportunity["answers"] = []
    data["opportunities"][0]["answers"] = ["BZ.needs.2"]  # B
    data["opportunities"][1]["answers"] = ["BZ.needs.1", "BZ.needs.3"]  # A and C
    yamlio.write(answers, data)
    result = CliRunner().invoke(
        app, ["fill", "-w", str(root), "--participant", "BZ", "--answers", str(answers)]
    )
    assert result.exit_code == 0, result.output
    return root


def _bz(ws: Path) -> dict[str, Any]:
    return yamlio.load(ws / CAT / "BZ" / "self-evaluation.yaml")["answers"]


def _section(ws: Path, item: str) -> str:
    questionnaire = Workspace(ws).questionnaire("self-evaluation").questionnaire
    return str(
        next(n for n, s in enumerate(questionnaire.sections) if any(i.id == item for i in s.items))
    )


def _fill(ws: Path, steps: list[tuple[str, str, Any]], *, reopen: bool = False) -> Scripted:
    prompter = Scripted(steps)
    run_fill(
        workspace=Workspace(ws),
        participant="BZ",
        lang="nl",
        reopen=reopen,
        prompter=lambda lang: prompter,
    )
    assert not prompter.steps, f"script not used up: {prompter.steps}"
    return prompter


def _remove_first_need(ws: Path) -> list[tuple[str, str, Any]]:
    """From the review: change one answer, the needs, remove need 1, done."""
    return [
        choose("change"),
        choose(_section(ws, "needs")),
        choose("needs"),
        choose("remove"),
        choose("0"),
        CONFIRM,
        choose("done"),
    ]


def test_removing_a_need_in_fill_keeps_each_link_on_the_need_it_named(ws: Path) -> None:
    prompter = _fill(ws, [choose("review"), *_remove_first_need(ws), choose("quit")])
    answers = _bz(ws)
    assert [n["title"] for n in answers["needs"]] == ["Behoefte B", "Behoefte C"]
    # B and C moved up one place: the links follow them; the link to A is gone.
    assert answers["opportunities"][0]["answers"] == ["BZ.needs.1"]
    assert answers["opportunities"][1]["answers"] == ["BZ.needs.2"]
    said = [n.text for n in prompter.notices]
    assert "Kans 2 verwees naar Behoefte 1 (Behoefte A); die verwijzing is weggehaald." in said
    assert not any("Kans 1 verwees" in text for text in said)
    # The draft report says what the respondent said.
    runner = CliRunner()
    assert runner.invoke(app, ["validate", "-w", str(ws)]).exit_code == 0
    result = runner.invoke(app, ["aggregate", "-w", str(ws), "--draft", "--include-drafts"])
    assert result.exit_code == 0, result.output
    draft = {f["id"]: f for f in yamlio.load(ws / "reports" / "draft.yaml")["findings"]}
    first, second = (f"BZ.opportunities.{o['key']}" for o in answers["opportunities"][:2])
    assert [draft[i]["title"] for i in draft[first]["answers"]] == ["Behoefte B"]
    titles = [draft[i]["title"] for i in draft[second]["answers"]]  # with Defensie's, merged
    assert "Behoefte C" in titles
    assert not {"Behoefte A", "Behoefte B"} & set(titles)


def test_removing_a_need_of_a_submitted_response_then_submitting_it_again(ws: Path) -> None:
    # Trial 8 (a): --reopen, remove need 1 (which an opportunity answered), submit.
    _fill(ws, [choose("review"), choose("submit"), CONFIRM])
    steps = [choose("review"), *_remove_first_need(ws), choose("submit"), CONFIRM]
    _fill(ws, steps, reopen=True)
    response = yamlio.load(ws / CAT / "BZ" / "self-evaluation.yaml")
    assert response["status"] == "submitted"
    assert response["answers"]["opportunities"][1]["answers"] == ["BZ.needs.2"]
    runner = CliRunner()
    status = runner.invoke(app, ["status", "-w", str(ws), "--no-cache"])
    assert status.exit_code == 0, status.output
    result = runner.invoke(app, ["aggregate", "-w", str(ws)])
    assert result.exit_code == 0, result.output


def _dangle(ws: Path) -> None:
    """Hand edit: BZ's first opportunity names a need BZ does not have."""
    path = ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(path)
    data["answers"]["opportunities"][0]["answers"] = ["BZ.needs.7"]
    yamlio.write(path, data)


def test_fill_will_not_submit_a_link_to_a_need_that_is_not_there_and_asks_it_again(
    ws: Path,
) -> None:
    _dangle(ws)
    steps = [
        choose("review"),
        choose("submit"),  # refused: said why
        choose("missing"),
        ask("opportunities.0.answers", ["BZ.needs.2"]),
        choose("submit"),
        CONFIRM,
    ]
    prompter = _fill(ws, steps)
    said = [(n.text, n.details) for n in prompter.notices]
    assert not any(text == "Alles is ingevuld. U kunt indienen." for text, _ in said[:2])
    lines = [line for text, lines in said if "Indienen kan nog niet" in text for line in lines]
    assert lines == [
        "Kansen en mogelijkheden › Kans 1 › Op welke van uw knelpunten, blinde vlekken of "
        "behoeften is deze kans een antwoord? noemt 'BZ.needs.7', dat geen knelpunt, blinde vlek "
        "of behoefte van deze zelfevaluatie is"
    ]
    response = yamlio.load(ws / CAT / "BZ" / "self-evaluation.yaml")
    assert response["status"] == "submitted"
    assert response["answers"]["opportunities"][0]["answers"] == ["BZ.needs.2"]


def test_status_validate_and_aggregate_say_the_same_of_a_link_to_a_need_not_there(
    ws: Path,
) -> None:
    _fill(ws, [choose("review"), choose("submit"), CONFIRM])
    _dangle(ws)  # trial 8 (b): a hand edit of a submitted response
    runner = CliRunner()
    status = runner.invoke(app, ["status", "-w", str(ws), "--no-cache", "--json"])
    assert status.exit_code == 1, status.output
    rows = {r["participant"]: r for r in json.loads(status.stdout)["rows"]}
    assert rows["BZ"]["state"] == "invalid"
    assert DANGLING in rows["BZ"]["problem"]
    for command in (["status", "--no-cache"], ["validate"], ["aggregate"]):
        result = runner.invoke(app, [*command, "-w", str(ws)])
        assert result.exit_code == 1, (command, result.output)
        assert DANGLING in " ".join(result.stderr.split()), command
        assert "Traceback" not in result.output


def test_import_refuses_a_self_evaluation_naming_another_departments_finding(
    ws: Path, tmp_path: Path
) -> None:
    # Trial 8 (c): a mailed file whose opportunity names Defensie's need.
    _fill(ws, [choose("review"), choose("submit"), CONFIRM])
    placed = ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(placed)
    data["answers"]["opportunities"][0]["answers"] = ["DEF.needs.ddr"]
    mailed = tmp_path / "BZ-self-evaluation.yaml"
    yamlio.write(mailed, data)
    placed.unlink()
    result = CliRunner().invoke(app, ["import", "-w", str(ws), str(mailed)])
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert (
        "answers of BZ.opportunities.conflictpreventie-eerder-stadium names 'DEF.needs.ddr', "
        "which is not a bottleneck, blind spot or need of this self-evaluation" in err
    )
    assert not placed.exists()


def test_remove_entry_re_points_by_position_and_leaves_keys_alone() -> None:
    from selfeval.files.load import load_questionnaire
    from selfeval.files.resources import shipped_questionnaires
    from selfeval.model.links import DroppedLink, remove_entry

    path = next(p for p in shipped_questionnaires() if p.name == "self-evaluation-1.2.0.yaml")
    questionnaire = load_questionnaire(path).questionnaire
    answers: dict[str, Any] = {
        "needs": [_need("A"), {**_need("K"), "key": "k"}, _need("C"), _need("D")],
        "opportunities": [
            {"title": "x", "answers": ["X.needs.1", "X.needs.k", "X.needs.3", "X.needs.4"]},
            {"title": "y", "answers": ["X.needs.4", "X.bottlenecks.1"]},
        ],
    }
    dropped = remove_entry(questionnaire, "X", answers, "needs", 0)
    assert [n["title"] for n in answers["needs"]] == ["K", "C", "D"]
    assert dropped == [DroppedLink("opportunities", 0, "X.needs.1")]
    # C and D were 3 and 4, now 2 and 3; the keyed entry keeps its id.
    assert answers["opportunities"][0]["answers"] == ["X.needs.k", "X.needs.2", "X.needs.3"]
    assert answers["opportunities"][1]["answers"] == ["X.needs.3", "X.bottlenecks.1"]
