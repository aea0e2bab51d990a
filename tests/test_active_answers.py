"""One rule decides which answers count (issue 10): an answer whose `when` is false is
kept in the file but reaches neither the report, nor progress, nor the checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.fill.review import review_rows
from selfeval.model.answers import check_answers, inactive_answers, progress, split_answers
from selfeval.model.questionnaire import Questionnaire

CAT = Path("responses") / "falende-staten"


def _no_bottlenecks(ws: Path) -> None:
    """BZ sets 'has bottlenecks' back to no; its bottleneck entries stay in the file."""
    path = ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(path)
    assert data["answers"]["bottlenecks"]
    data["answers"]["has_bottlenecks"] = False
    yamlio.write(path, data)


def test_aggregate_leaves_out_answers_whose_condition_is_false(
    runner: CliRunner, example_ws: Path
) -> None:
    _no_bottlenecks(example_ws)
    result = runner.invoke(app, ["aggregate", "--draft", "--workspace", str(example_ws)])
    assert result.exit_code == 0, result.output
    draft = yamlio.load(example_ws / "reports" / "draft.yaml")
    ids = [f["id"] for f in draft["findings"]]
    assert not [i for i in ids if i.startswith("BZ.bottlenecks.")]
    merged = [m for f in draft["findings"] for m in f["merged"]]
    assert not [i for i in merged if i.startswith("BZ.bottlenecks.")]
    assert "BZ/self-evaluation.yaml: kept but not counted" in result.stderr
    assert "bottlenecks" in result.stderr
    report = (example_ws / "reports" / "integrated-report-draft.md").read_text("utf-8")
    # BZ's bottleneck texts are no longer in the report.
    assert "ook ervaren politiemensen, rechters en deskundigen" not in report


def test_validate_and_status_say_the_answers_are_kept_but_not_counted(
    runner: CliRunner, example_ws: Path
) -> None:
    _no_bottlenecks(example_ws)
    result = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert "BZ/self-evaluation.yaml: kept but not counted" in result.stderr
    result = runner.invoke(app, ["status", "--json", "--workspace", str(example_ws)])
    rows = {(r["participant"], r["questionnaire"]): r for r in json.loads(result.stdout)["rows"]}
    assert rows["BZ", "self-evaluation"]["not_counted"] == ["bottlenecks"]
    assert rows["DEF", "self-evaluation"]["not_counted"] == []
    table = runner.invoke(
        app, ["status", "--workspace", str(example_ws)], env={"COLUMNS": "200"}
    ).stdout
    assert "kept but not counted: bottlenecks" in table


def _nested() -> Questionnaire:
    item = {"label": "x", "type": "text"}
    return Questionnaire.model_validate(
        {
            "id": "nested",
            "version": "1.0.0",
            "kind": "self-evaluation",
            "title": "N",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "items": [
                        {"id": "a", "label": "A", "type": "yes-no"},
                        {**item, "id": "b", "label": "B", "when": "a", "required": True},
                        {**item, "id": "c", "label": "C", "when": "b"},
                        {
                            "id": "group",
                            "label": "G",
                            "type": "repeat",
                            "items": [
                                {"id": "has", "label": "H", "type": "yes-no"},
                                {
                                    **item,
                                    "id": "why",
                                    "label": "Why",
                                    "when": "has",
                                    "required": True,
                                },
                                {**item, "id": "outer", "when": "c"},
                            ],
                        },
                    ],
                },
                {"id": "t", "title": "T", "when": "c", "items": [{**item, "id": "d"}]},
            ],
        }
    )


def test_one_rule_for_nested_and_chained_conditions() -> None:
    from selfeval.model.answers import active_answers

    q = _nested()
    answers: dict[str, Any] = {
        "a": False,
        "b": "kept",
        "c": "kept too",
        "group": [
            {"key": "k", "has": False, "why": "old", "outer": "o"},
            {"has": True, "why": "w"},
        ],
        "d": "in a hidden section",
    }
    # b is off (a is no); c names b, which no longer counts, so c is off too.
    assert inactive_answers(q, answers) == ["b", "c", "group[0].why", "group[0].outer", "d"]
    assert active_answers(q, answers) == {
        "a": False,
        "group": [{"key": "k", "has": False}, {"has": True, "why": "w"}],
    }
    # Aggregate's one walk (split_answers) is the same rule, and its active
    # answers given to the check change nothing.
    split = split_answers(q, answers)
    assert split.active == active_answers(q, answers)
    assert list(split.inactive) == inactive_answers(q, answers)
    # The checks and the progress agree: nothing inactive is missing or checked.
    assert check_answers(q, answers, complete=True) == []
    assert check_answers(q, answers, complete=True, active=split.active) == []
    assert progress(q, answers).missing == ()
    states = {row.label: row.state for row in review_rows(q, answers, "en")}
    assert states["B"] == "inactive"
    assert states["C"] == "inactive"
    rows = review_rows(q, answers, "en")
    # group[0].why is kept but not counted; group[1].why counts.
    assert [r.state for r in rows if r.label == "Why"] == ["inactive", "answered"]
