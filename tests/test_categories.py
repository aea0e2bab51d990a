"""Several incident categories in one exercise (issue 12; the seed's Defensie covered two).

A participant answers per category (``fill --category``); ``status`` shows
each category; ``aggregate`` writes one report per category (``--category``
for one); validate, export and fill agree on which response belongs to which
category: the one it names, in that category's folder
(:meth:`selfeval.files.workspace.Workspace.place_of`). All through the CLI.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from exercisekit import broken_after_first_read
from typer.testing import CliRunner

from selfeval.cli import app

EXERCISE = """\
project: Two-category review
title: Integrated report
incident_categories:
  - id: floods
    name: River floods
    choices:
      phases:
        - {value: warn, label: Warning}
        - {value: evacuate, label: Evacuation}
  - id: droughts
    name: Droughts
    choices:
      phases:
        - {value: ration, label: Rationing}
date: '2027-05-01'
language: en
participants:
  - code: WAT
    name: Water
    full_name: Ministry of Water
    involvement: [self-evaluation]
  - code: AGR
    name: Agriculture
    full_name: Ministry of Agriculture
    involvement: [self-evaluation]
    categories: [droughts]
"""


def answers(phase: str, title: str) -> str:
    return f"""\
definition: What the category means to us.
phases: [{phase}]
role: Our role.
involvement: strong
activities:
  - {{key: plan, phase: development, description: A plan.}}
has_bottlenecks: true
bottlenecks:
  - {{key: one, title: {title}, description: What goes wrong.}}
completed_by: Someone
completed_on: '2027-04-01'
"""


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--workspace", str(ws)], env={"COLUMNS": "150"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws(runner: CliRunner, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    (target / "selfeval.yaml").write_text(EXERCISE, "utf-8")
    for name, phase, title in (
        ("wat-floods", "evacuate", "Flood bottleneck"),
        ("wat-droughts", "ration", "Drought bottleneck of Water"),
        ("agr-droughts", "ration", "Drought bottleneck of Agriculture"),
    ):
        (target / f"{name}.yaml").write_text(answers(phase, title), "utf-8")
    return target


def fill(runner: CliRunner, ws: Path, code: str, category: str | None, name: str) -> tuple:
    extra = ["--category", category] if category else []
    return run(
        runner, ws, "fill", "-p", code, *extra, "--answers", str(ws / f"{name}.yaml"), "--submit"
    )


def filled(runner: CliRunner, ws: Path) -> Path:
    assert fill(runner, ws, "WAT", "floods", "wat-floods")[0] == 0
    assert fill(runner, ws, "WAT", "droughts", "wat-droughts")[0] == 0
    assert fill(runner, ws, "AGR", "droughts", "agr-droughts")[0] == 0
    return ws


def test_a_participant_answers_per_category(runner: CliRunner, ws: Path) -> None:
    code, _, err = fill(runner, ws, "WAT", None, "wat-floods")
    assert code == 2
    assert "several incident categories (floods, droughts)" in err and "--category" in err
    # Each category's own phases are the choices: a drought phase is no flood phase.
    code, _, err = fill(runner, ws, "WAT", "floods", "wat-droughts")
    assert code == 1 and "'ration' not among the choices: warn, evacuate" in err
    filled(runner, ws)
    assert (ws / "responses/floods/WAT/self-evaluation.yaml").is_file()
    assert (ws / "responses/droughts/WAT/self-evaluation.yaml").is_file()
    code, _, err = fill(runner, ws, "AGR", "floods", "agr-droughts")
    assert code == 1 and "AGR does not answer for incident category 'floods'" in err
    code, out, err = run(runner, ws, "validate")
    assert code == 0, out + err


def test_status_per_category(runner: CliRunner, ws: Path) -> None:
    fill(runner, ws, "WAT", "floods", "wat-floods")
    code, out, _ = run(runner, ws, "status")
    assert code == 0
    assert "Responses — floods" in out and "Responses — droughts" in out
    floods = out[out.index("Responses — floods") : out.index("Responses — droughts")]
    assert "AGR" not in floods and "submitted" in floods
    droughts = out[out.index("Responses — droughts") :]
    assert "submitted" not in droughts.split("\n\n")[0]
    data = json.loads(run(runner, ws, "status", "--json")[1])
    assert [c["incident_category"] for c in data["categories"]] == ["floods", "droughts"]
    assert [len(c["rows"]) for c in data["categories"]] == [1, 2]
    only = json.loads(run(runner, ws, "status", "--json", "--category", "droughts")[1])
    assert only["incident_category"] == "droughts"
    assert {r["participant"] for r in only["rows"]} == {"WAT", "AGR"}


def test_aggregate_writes_one_report_per_category(runner: CliRunner, ws: Path) -> None:
    filled(runner, ws)
    code, out, err = run(runner, ws, "aggregate")
    assert code == 0, out + err
    floods = (ws / "reports/floods/integrated-report.md").read_text("utf-8")
    droughts = (ws / "reports/droughts/integrated-report.md").read_text("utf-8")
    assert "River floods" in floods and "Flood bottleneck" in floods
    assert "Drought" not in floods and "Ministry of Agriculture" not in floods
    assert "Droughts" in droughts and "Flood bottleneck" not in droughts
    assert "Drought bottleneck of Water" in droughts
    assert "Drought bottleneck of Agriculture" in droughts
    assert "Evacuation" in floods and "Rationing" in droughts


def test_aggregate_category_writes_that_report_only(runner: CliRunner, ws: Path) -> None:
    filled(runner, ws)
    code, out, err = run(runner, ws, "aggregate", "--category", "droughts", "--draft")
    assert code == 0, out + err
    assert (ws / "reports/droughts/draft.yaml").is_file()
    assert not (ws / "reports/floods").exists()
    # Peer review reads the draft of the category it is asked for.
    listed = ("peer-review", "-p", "AGR", "--round", "1", "--list")
    code, out, err = run(runner, ws, *listed, "--category", "droughts")
    assert code == 0, out + err
    assert "WAT.bottlenecks.one" in out
    assert "Round 1: 2 findings to react to (id, kind, title):" in out, out
    # WAT answers for both categories: it must say which.
    code, _, err = run(runner, ws, "peer-review", "-p", "WAT", "--round", "1", "--list")
    assert code == 2 and "several incident categories" in err
    code, _, err = run(runner, ws, "aggregate", "--category", "storms")
    assert code != 0 and "no incident category 'storms'" in err
    code, _, err = run(runner, ws, "aggregate", "-o", str(ws / "one.md"))
    assert code == 2 and "--category" in err


def test_one_finding_to_react_to_is_said_in_the_singular(runner: CliRunner, ws: Path) -> None:
    # Trial 10: "Round 1: 1 findings to react to".
    text = answers("ration", "x").split("has_bottlenecks")[0] + "has_bottlenecks: false\n"
    (ws / "role-only.yaml").write_text(
        text + "completed_by: Someone\ncompleted_on: '2027-04-01'\n", "utf-8"
    )
    assert fill(runner, ws, "WAT", "droughts", "role-only")[0] == 0
    assert run(runner, ws, "aggregate", "--category", "droughts", "--draft")[0] == 0
    listed = ("peer-review", "-p", "AGR", "--round", "1", "--list", "--category", "droughts")
    code, out, err = run(runner, ws, *listed)
    assert code == 0, out + err
    assert "Round 1: 1 finding to react to (id, kind, title):\n  role.WAT  [role]  Water" in out


def test_an_unknown_category_is_one_message_and_exit_1_everywhere(
    runner: CliRunner, ws: Path
) -> None:
    # One rule, one place (Workspace.incident_category): export used to say it
    # its own way and exit 2.
    said = (
        "Error: the exercise has no incident category 'storms'\n"
        "  hint: its incident categories: floods, droughts (selfeval.yaml)\n"
    )
    for command in (
        ("aggregate",),
        ("aggregate", "--draft"),
        ("status",),
        ("export",),
        ("fill", "-p", "WAT", "--answers", str(ws / "wat-floods.yaml")),
        ("peer-review", "-p", "AGR", "--round", "1", "--list"),
    ):
        code, _, err = run(runner, ws, *command, "--category", "storms")
        assert (code, err.split("Error: ", 1)[-1]) == (1, said.removeprefix("Error: ")), command
        assert "Traceback" not in err


def test_export_says_each_rows_category(runner: CliRunner, ws: Path) -> None:
    filled(runner, ws)
    folder = ws / "out"
    code, out, err = run(runner, ws, "export", "--format", "csv", "-o", str(folder))
    assert code == 0, out + err
    with (folder / "answers.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pairs = {(r["category"], r["participant"]) for r in rows}
    assert pairs == {("floods", "WAT"), ("droughts", "WAT"), ("droughts", "AGR")}
    code, out, err = run(
        runner, ws, "export", "--format", "csv", "--category", "floods", "-o", str(ws / "f")
    )
    assert code == 0, out + err
    with (ws / "f" / "answers.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert {r["category"] for r in csv.DictReader(handle)} == {"floods"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_says_each_findings_and_participants_category(runner: CliRunner, ws: Path) -> None:
    """Trial 10: WAT's findings are in both reports; only the category tells them apart."""
    import openpyxl

    filled(runner, ws)
    folder = ws / "out"
    code, out, err = run(runner, ws, "export", "--format", "csv", "-o", str(folder))
    assert code == 0, out + err
    findings = read_csv(folder / "findings.csv")
    wat = [(r["category"], r["source"]) for r in findings if r["id"] == "WAT.bottlenecks.one"]
    assert sorted(wat) == [
        ("droughts", "responses/droughts/WAT/self-evaluation.yaml"),
        ("floods", "responses/floods/WAT/self-evaluation.yaml"),
    ]
    assert "2 participants." in out  # WAT has a row per category, but is one participant
    participants = read_csv(folder / "participants.csv")
    rows = [(r["category"], r["code"], r["submitted"]) for r in participants]
    assert rows == [
        ("floods", "WAT", "self-evaluation@1.6.0"),
        ("droughts", "WAT", "self-evaluation@1.6.0"),
        ("droughts", "AGR", "self-evaluation@1.6.0"),
    ]
    book_path = ws / "out.xlsx"
    code, out, err = run(runner, ws, "export", "--format", "xlsx", "-o", str(book_path))
    assert code == 0, out + err
    book = openpyxl.load_workbook(book_path, read_only=True)
    sheet = [list(r) for r in book["participants"].iter_rows(values_only=True)]
    assert sheet[0][:2] == ["category", "code"]
    assert [tuple(r[:2]) for r in sheet[1:]] == [
        ("floods", "WAT"),
        ("droughts", "WAT"),
        ("droughts", "AGR"),
    ]
    sheet = [list(r) for r in book["findings"].iter_rows(values_only=True)]
    assert sheet[0][:2] == ["category", "id"]
    assert {r[0] for r in sheet[1:] if r[1] == "WAT.bottlenecks.one"} == {"floods", "droughts"}


def test_a_response_in_another_categorys_folder_is_not_counted(runner: CliRunner, ws: Path) -> None:
    filled(runner, ws)
    source = ws / "responses/droughts/AGR/self-evaluation.yaml"
    target = ws / "responses/floods/AGR/self-evaluation.yaml"
    target.parent.mkdir(parents=True)
    source.rename(target)
    code, _, err = run(runner, ws, "validate")
    assert code == 1
    assert "selfeval only counts it at responses/droughts/AGR/self-evaluation.yaml" in err


def test_the_merges_file_is_read_once_for_every_category(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """texts/merges.yaml is read and parsed once, not once per category's report.

    The file is replaced by a broken one right after its first read: a second
    read (the second category's) refused it, though the run had read it whole.
    """

    filled(runner, ws)
    merges = ws / "texts" / "merges.yaml"
    merges.write_text("merges: []\n", "utf-8")
    reads = broken_after_first_read(monkeypatch, merges)
    code, _, err = run(runner, ws, "aggregate", "--no-cache")
    assert code == 0, err
    assert len(reads) == 1


SECOND = "  - {key: two, title: Second bottleneck, description: Also wrong.}\ncompleted_by"


def with_merges(ws: Path, text: str) -> Path:
    (ws / "texts" / "merges.yaml").write_text(text, "utf-8")
    return ws


def draft_merges(ws: Path, category: str) -> dict[str, list[str]]:
    """Finding id → merged ids, as reports/<category>/draft.yaml says it."""
    import yaml

    data = yaml.safe_load((ws / "reports" / category / "draft.yaml").read_text("utf-8"))
    return {f["id"]: f["merged"] for f in data["findings"]}


def test_a_merge_of_one_category_leaves_the_others_report_alone(
    runner: CliRunner, ws: Path
) -> None:
    """A merge of droughts' findings made the floods report fail ("not a finding of any response").

    WAT.bottlenecks.one is a finding of both categories (ids carry no
    category), AGR.bottlenecks.one of droughts only: the merge is droughts'.
    """
    with_merges(
        filled(runner, ws), "merges:\n  - ids: [WAT.bottlenecks.one, AGR.bottlenecks.one]\n"
    )
    for command in (
        ("validate",),
        ("aggregate", "--category", "floods", "--draft"),
        ("export", "--format", "csv", "--category", "floods", "-o", str(ws / "out")),
    ):
        code, out, err = run(runner, ws, *command)
        assert code == 0, (command, out + err)
    code, out, err = run(runner, ws, "aggregate", "--draft")
    assert code == 0, out + err
    assert draft_merges(ws, "droughts")["WAT.bottlenecks.one"] == ["AGR.bottlenecks.one"]
    # Floods loses nothing by leaving the merge alone: its finding is there, unmerged.
    assert draft_merges(ws, "floods")["WAT.bottlenecks.one"] == []
    code, out, err = run(runner, ws, "aggregate")
    assert code == 0, out + err
    floods = (ws / "reports/floods/integrated-report.md").read_text("utf-8")
    assert "Flood bottleneck" in floods and "Agriculture" not in floods


def test_a_merge_across_categories_is_one_error_everywhere(runner: CliRunner, ws: Path) -> None:
    (ws / "wat-floods.yaml").write_text(
        answers("evacuate", "Flood bottleneck").replace("key: one", "key: high-water"), "utf-8"
    )
    with_merges(
        filled(runner, ws),
        "# the secretariat's merges\nmerges:\n"
        "  - ids: [WAT.bottlenecks.high-water, AGR.bottlenecks.one]\n",
    )
    said = (
        "a merge names findings of different incident categories: "
        "WAT.bottlenecks.high-water (floods), AGR.bottlenecks.one (droughts)"
    )
    for command in (
        ("validate",),
        ("aggregate",),
        ("aggregate", "--category", "floods"),
        ("aggregate", "--category", "droughts", "--draft"),
    ):
        code, out, err = run(runner, ws, *command)
        assert code == 1, (command, out + err)
        assert "merges.yaml:3" in out + err and said in out + err, (command, out + err)
        assert "split it into one merge per incident category" in out + err
        assert "Traceback" not in out + err


def test_a_merge_naming_an_id_of_no_category_is_an_error_everywhere(
    runner: CliRunner, ws: Path
) -> None:
    with_merges(filled(runner, ws), "merges:\n  - ids: [AGR.bottlenecks.one, AGR.bottlenecks.9]\n")
    for command in (("validate",), ("aggregate", "--category", "floods"), ("aggregate",)):
        code, out, err = run(runner, ws, *command)
        assert code == 1, (command, out + err)
        assert "merges.yaml:2" in out + err, (command, out + err)
        assert (
            "a merge names 'AGR.bottlenecks.9', which is not a finding of any response "
            "in any incident category" in out + err
        )


def test_a_merge_says_its_category_when_both_have_its_ids(runner: CliRunner, ws: Path) -> None:
    """Ids of a department that answered in both categories: the merge is both's unless it says."""
    for name, phase, title in (
        ("wat-floods", "evacuate", "Flood"),
        ("wat-droughts", "ration", "Dry"),
    ):
        text = answers(phase, title).replace("completed_by", SECOND)
        (ws / f"{name}.yaml").write_text(text, "utf-8")
    filled(runner, ws)
    both = "merges:\n  - ids: [WAT.bottlenecks.one, WAT.bottlenecks.two]\n"
    with_merges(ws, both)
    assert run(runner, ws, "aggregate", "--draft")[0] == 0
    for category in ("floods", "droughts"):
        assert draft_merges(ws, category)["WAT.bottlenecks.one"] == ["WAT.bottlenecks.two"]
    with_merges(ws, both + "    category: droughts\n")
    code, out, err = run(runner, ws, "aggregate", "--draft")
    assert code == 0, out + err
    assert draft_merges(ws, "droughts")["WAT.bottlenecks.one"] == ["WAT.bottlenecks.two"]
    floods = draft_merges(ws, "floods")
    assert floods["WAT.bottlenecks.one"] == [] and floods["WAT.bottlenecks.two"] == []
    with_merges(ws, both + "    category: storms\n")
    for command in (("validate",), ("aggregate", "--category", "floods")):
        code, out, err = run(runner, ws, *command)
        assert code == 1 and "merges.yaml:2" in out + err, (command, out + err)
        assert "the merge is for incident category 'storms'" in out + err
        assert "its incident categories: floods, droughts" in out + err


def test_same_as_naming_another_categorys_finding_says_so(runner: CliRunner, ws: Path) -> None:
    (ws / "wat-floods.yaml").write_text(
        answers("evacuate", "Flood bottleneck").replace("key: one", "key: high-water"), "utf-8"
    )
    (ws / "agr-droughts.yaml").write_text(
        answers("ration", "Drought bottleneck of Agriculture").replace(
            "key: one,", "key: one, same_as: [WAT.bottlenecks.high-water],"
        ),
        "utf-8",
    )
    filled(runner, ws)
    for command in (("aggregate", "--category", "droughts"), ("aggregate",)):
        code, out, err = run(runner, ws, *command)
        assert code == 1, (command, out + err)
        assert "responses/droughts/AGR/self-evaluation.yaml" in out + err
        assert (
            "same_as of AGR.bottlenecks.one names 'WAT.bottlenecks.high-water', "
            "a finding of incident category floods, not of this report's" in out + err
        ), out + err
    # The floods report has nothing to do with it.
    assert run(runner, ws, "aggregate", "--category", "floods")[0] == 0


def test_a_reaction_is_to_its_own_categorys_findings(runner: CliRunner, ws: Path) -> None:
    """A peer review answers its category's draft; a reaction to another category's id is stale."""
    exercise = ws / "selfeval.yaml"
    exercise.write_text(
        EXERCISE.replace(
            "involvement: [self-evaluation]\n    categories",
            "involvement: [self-evaluation, peer-review-1]\n    categories",
        ),
        "utf-8",
    )
    (ws / "wat-floods.yaml").write_text(
        answers("evacuate", "Flood bottleneck").replace("key: one", "key: high-water"), "utf-8"
    )
    filled(runner, ws)
    assert run(runner, ws, "aggregate", "--draft")[0] == 0
    reaction = ws / "agr-review.yaml"
    review = ("peer-review", "-p", "AGR", "--round", "1", "--category", "droughts")
    reaction.write_text(
        "completed_by: A. Boer\nrecognition: fully\nreactions:\n"
        "  - {finding: WAT.bottlenecks.high-water, verdict: disagree, comment: Not so.}\n",
        "utf-8",
    )
    code, out, err = run(runner, ws, *review, "--answers", str(reaction), "--submit")
    assert code == 1, out + err
    assert "1 reaction names a finding that is not in the draft: WAT.bottlenecks.high-water" in err
    reaction.write_text(reaction.read_text("utf-8").replace("high-water", "one"), "utf-8")
    code, out, err = run(runner, ws, *review, "--answers", str(reaction), "--submit")
    assert code == 0, out + err
    # By hand, the reaction is moved to the floods finding: the droughts report lists
    # it as a reaction to a removed finding, and the floods report does not show it.
    submitted = ws / "responses/droughts/AGR/peer-review-1.yaml"
    text = submitted.read_text("utf-8")
    assert "finding: WAT.bottlenecks.one" in text
    submitted.write_text(text.replace("WAT.bottlenecks.one", "WAT.bottlenecks.high-water"), "utf-8")
    code, out, err = run(runner, ws, "aggregate")
    assert code == 0, out + err
    droughts = (ws / "reports/droughts/integrated-report.md").read_text("utf-8")
    floods = (ws / "reports/floods/integrated-report.md").read_text("utf-8")
    stale = droughts[droughts.index("Reactions to changed or removed findings") :]
    assert "Not so." in stale
    assert "Not so." not in floods


OPPORTUNITY = """\
completed_by: A. Boer
recognition: fully
opportunities:
  - key: joint
    title: Joint rationing plan
    description: Plan it together.
    scope: interdepartmental
    nature: content
    direction: develop
    departments: [WAT]
    answers: [WAT.bottlenecks.one]
"""


def test_a_peer_reviews_links_are_checked_against_its_categorys_draft(
    runner: CliRunner, ws: Path
) -> None:
    """aggregate looked the draft a peer review answered up in reports/draft.yaml, which an
    exercise with several categories does not have (its drafts: reports/<category>/draft.yaml),
    so a link to a finding gone since was "no longer reports/draft.yaml, cannot be checked"."""
    (ws / "selfeval.yaml").write_text(
        EXERCISE.replace(
            "involvement: [self-evaluation]\n    categories",
            "involvement: [self-evaluation, peer-review-1]\n    categories",
        ),
        "utf-8",
    )
    filled(runner, ws)
    assert run(runner, ws, "aggregate", "--draft", "--category", "droughts")[0] == 0
    (ws / "agr-review.yaml").write_text(OPPORTUNITY, "utf-8")
    review = ("peer-review", "-p", "AGR", "--round", "1", "--category", "droughts")
    code, out, err = run(runner, ws, *review, "--answers", str(ws / "agr-review.yaml"), "--submit")
    assert code == 0, out + err
    # Water's drought bottleneck is renamed since the draft (its response edited by hand).
    water = ws / "responses/droughts/WAT/self-evaluation.yaml"
    water.write_text(water.read_text("utf-8").replace("key: one", "key: two"), "utf-8")
    code, out, err = run(runner, ws, "aggregate", "--category", "droughts")
    assert code == 0, out + err
    said = " ".join(err.split())
    assert (
        "answers of AGR.peer-review-1.opportunities.joint: WAT.bottlenecks.one was in the "
        "draft this peer review answered but is no finding now; the link is not shown" in said
    ), err
    assert "reports/draft.yaml" not in said
    # An id no finding has (by hand): an error, whose hint names the category's draft.
    review = ws / "responses/droughts/AGR/peer-review-1.yaml"
    text = review.read_text("utf-8")
    assert text.count("WAT.bottlenecks.one") == 1
    review.write_text(text.replace("WAT.bottlenecks.one", "WAT.bottlenecks.nope"), "utf-8")
    code, out, err = run(runner, ws, "aggregate", "--category", "droughts")
    said = " ".join(err.split())
    assert code == 1, out + err
    assert "names 'WAT.bottlenecks.nope', which is not a finding of any response" in said
    assert "by their ids in reports/droughts/draft.yaml," in said, said


def test_a_same_as_naming_no_finding_hints_at_its_categorys_draft(
    runner: CliRunner, ws: Path
) -> None:
    (ws / "agr-droughts.yaml").write_text(
        answers("ration", "Drought bottleneck of Agriculture").replace(
            "key: one,", "key: one, same_as: [WAT.bottlenecks.nope],"
        ),
        "utf-8",
    )
    filled(runner, ws)
    for command in (("aggregate", "--category", "droughts"), ("validate",)):
        code, out, err = run(runner, ws, *command)
        assert code == 1, (command, out + err)
        said = " ".join(err.split())
        assert "same_as of AGR.bottlenecks.one names 'WAT.bottlenecks.nope'" in said, said
        assert (
            "hint: check the id against reports/droughts/draft.yaml "
            "(`selfeval aggregate --draft --category droughts`)" in said
        ), (command, said)


def test_a_department_in_one_category_needs_no_category_option(runner: CliRunner, ws: Path) -> None:
    """Trial 10: AGR answers for droughts only, so fill and peer-review take that one."""
    code, out, err = fill(runner, ws, "AGR", None, "agr-droughts")
    assert code == 0, out + err
    assert err.splitlines() == [
        "AGR answers only for incident category droughts: that one is taken."
    ]
    assert (ws / "responses/droughts/AGR/self-evaluation.yaml").is_file()
    assert not (ws / "responses/floods").exists()
    assert fill(runner, ws, "WAT", "droughts", "wat-droughts")[0] == 0
    assert run(runner, ws, "aggregate", "--category", "droughts", "--draft")[0] == 0
    code, out, err = run(runner, ws, "peer-review", "-p", "AGR", "--round", "1", "--list")
    assert code == 0, out + err
    assert "WAT.bottlenecks.one" in out
    assert "that one is taken" in err
    # A department in both still has to say which.
    code, _, err = fill(runner, ws, "WAT", None, "wat-floods")
    assert code == 2 and "say which one" in err


def test_a_hint_names_the_command_so_that_it_runs(runner: CliRunner, ws: Path) -> None:
    """Trial 10: the --list hint of a peer review in one of several categories."""
    filled(runner, ws)
    assert run(runner, ws, "aggregate", "--category", "floods", "--draft")[0] == 0
    reaction = ws / "wat-review.yaml"
    reaction.write_text(
        "completed_by: W. Ater\nrecognition: fully\nreactions:\n"
        "  - {finding: AGR.bottlenecks.nothing, verdict: agree}\n",
        "utf-8",
    )
    review = ("peer-review", "-p", "WAT", "--round", "1", "--category", "floods")
    code, out, err = run(runner, ws, *review, "--answers", str(reaction), "--submit")
    assert code == 1, out + err
    hinted = err.split("list them with `", 1)[1].split("`", 1)[0]
    assert hinted == "selfeval peer-review -p WAT --category floods --list"
    # What the hint says runs as it stands (here with --round: WAT is invited).
    code, out, err = run(runner, ws, *hinted.split()[1:], "--round", "1")
    assert code == 0, out + err
    # AGR answers for droughts only: its hint needs no --category, and runs.
    assert run(runner, ws, "aggregate", "--category", "droughts", "--draft")[0] == 0
    review = ("peer-review", "-p", "AGR", "--round", "1")
    code, out, err = run(runner, ws, *review, "--answers", str(reaction), "--submit")
    assert code == 1, out + err
    hinted = err.split("list them with `", 1)[1].split("`", 1)[0]
    assert hinted == "selfeval peer-review -p AGR --list"
    code, out, err = run(runner, ws, *hinted.split()[1:], "--round", "1")
    assert code == 0, out + err
