"""``same_as`` in a response: validate refuses what aggregate refuses, in its words, at its line.

An entry's ``same_as`` naming no finding, a finding of another incident
category, or a finding of another kind made ``aggregate`` stop (exit 1, the
file without a line) while ``validate`` said "OK" (trial 8): validate checked
merges only when ``texts/merges.yaml`` existed, and kept only the problems
located in it. Both now run the one rule (``merge_findings``, through
aggregate's ``_merge``) and name the response's file, line and column of the
``same_as`` entry, with and without ``texts/merges.yaml``
(``docs/findings.md`` §4). All through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_categories import EXERCISE, answers, fill, run
from typer.testing import CliRunner

from selfeval.cli import app

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"
FIRST_BOTTLENECK = "  - key: capaciteit-politie-justitie\n"


def errors(text: str) -> list[str]:
    """The ``Error:`` lines of a command's output."""
    return [line for line in text.splitlines() if line.startswith("Error: ")]


def add_same_as(path: Path, after: str, ids: str) -> str:
    """Add ``same_as: [ids]`` under the entry line ``after``; its ``line:column`` as a message says it."""
    text = path.read_text("utf-8")
    start = text.index(after) + len(after)
    added = f"    same_as: [{ids}]\n"
    path.write_text(text[:start] + added + text[start:], "utf-8")
    line = text[:start].count("\n") + 1
    return f"{line}:{added.index('[') + 2}"


def keep_merges(ws: Path, keep: bool) -> None:
    if not keep:
        (ws / "texts" / "merges.yaml").unlink()
    assert (ws / "texts" / "merges.yaml").is_file() == keep


@pytest.mark.parametrize("merges_file", [True, False], ids=["merges.yaml", "no-merges.yaml"])
@pytest.mark.parametrize(
    ("ids", "said"),
    [
        (
            "XYZ.bottlenecks.nope",
            "same_as of BZ.bottlenecks.capaciteit-politie-justitie names "
            "'XYZ.bottlenecks.nope', which is not a finding of any response",
        ),
        (
            "BZ.needs.geen-interdepartementaal-beleid",
            "BZ.bottlenecks.capaciteit-politie-justitie (bottleneck) and "
            "BZ.needs.geen-interdepartementaal-beleid (need) cannot be merged: "
            "only findings of the same kind can be the same",
        ),
    ],
    ids=["unknown-id", "other-kind"],
)
def test_a_bad_same_as_is_refused_by_validate_as_by_aggregate(
    runner: CliRunner, example_ws: Path, merges_file: bool, ids: str, said: str
) -> None:
    """Trial 8: validate said "OK: 23 files valid." where aggregate refused the same_as."""
    keep_merges(example_ws, merges_file)
    place = add_same_as(example_ws / BZ, FIRST_BOTTLENECK, ids)
    code, out, err = run(runner, example_ws, "validate")
    assert code == 1, out + err
    assert "OK" not in out
    wanted = f"Error: {example_ws / BZ}:{place}: {said}"
    assert errors(err) == [wanted], err
    assert "1 problem in 23 files." in err
    code, out, err = run(runner, example_ws, "aggregate")
    assert code == 1, out + err
    assert errors(err) == [wanted], err  # the same words, the same place
    assert "Traceback" not in out + err


def test_every_bad_same_as_is_listed_once_and_a_responses_own_problem_once(
    runner: CliRunner, example_ws: Path
) -> None:
    """Two bad same_as: both at their lines; an answer error of a response: once, by validate's check."""
    first = add_same_as(example_ws / BZ, FIRST_BOTTLENECK, "XYZ.bottlenecks.nope")
    defence = example_ws / "responses/falende-staten/DEF/self-evaluation.yaml"
    entry = "  - key: eenzijdige-risicoanalyses\n"
    assert entry in defence.read_text("utf-8")
    second = add_same_as(defence, entry, "XYZ.bottlenecks.other")
    code, _, err = run(runner, example_ws, "validate")
    assert code == 1
    found = errors(err)
    assert [line.split(": ", 2)[1] for line in found] == [
        f"{example_ws / BZ}:{first}",
        f"{defence}:{second}",
    ], err
    # An invalid answer stops the check of the merges (as it stops aggregate),
    # and is said once, by validate's own check of the response.
    text = (example_ws / BZ).read_text("utf-8")
    (example_ws / BZ).write_text(text.replace("involvement: strong\n", "involvement: wild\n", 1))
    code, _, err = run(runner, example_ws, "validate")
    assert code == 1
    assert len([line for line in errors(err) if "'wild' is not one of the choices" in line]) == 1
    assert not any("same_as of" in line for line in errors(err)), err


def test_a_good_same_as_passes_without_a_merges_file(runner: CliRunner, example_ws: Path) -> None:
    """The worked example's own same_as (DEF's, AZ's) pass validate without merges.yaml.

    (That aggregate merges them is the worked example's report, tested in
    test_example.py; a good same_as through aggregate: the two-category test below.)
    """
    keep_merges(example_ws, False)
    code, out, err = run(runner, example_ws, "validate")
    assert code == 0, out + err
    assert "OK: 23 files valid." in out


@pytest.fixture
def two(runner: CliRunner, tmp_path: Path) -> Path:
    """A workspace with two incident categories (floods: WAT; droughts: WAT and AGR)."""
    target = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    (target / "selfeval.yaml").write_text(EXERCISE, "utf-8")
    for name, phase, title in (
        ("wat-floods", "evacuate", "Flood bottleneck"),
        ("wat-droughts", "ration", "Drought bottleneck of Water"),
        ("agr-droughts", "ration", "Drought bottleneck of Agriculture"),
    ):
        text = answers(phase, title)
        if name == "wat-floods":
            text = text.replace("key: one", "key: high-water")
        (target / f"{name}.yaml").write_text(text, "utf-8")
    for code, category, name in (
        ("WAT", "floods", "wat-floods"),
        ("WAT", "droughts", "wat-droughts"),
        ("AGR", "droughts", "agr-droughts"),
    ):
        assert fill(runner, target, code, category, name)[0] == 0
    return target


AGR = "responses/droughts/AGR/self-evaluation.yaml"
AGR_ENTRY = "bottlenecks:\n  - key: one\n"


def agr_same_as(ws: Path, ids: str) -> str:
    """Write AGR's bottleneck with ``same_as: [ids]`` (block style); its line:column."""
    path = ws / AGR
    text = path.read_text("utf-8")
    if AGR_ENTRY not in text:  # fill may write the entry's keys in another order
        pytest.fail(f"no {AGR_ENTRY!r} in {text}")
    return add_same_as(path, AGR_ENTRY, ids)


@pytest.mark.parametrize("merges_file", [True, False], ids=["merges.yaml", "no-merges.yaml"])
def test_a_same_as_of_another_categorys_finding_is_refused_by_validate(
    runner: CliRunner, two: Path, merges_file: bool
) -> None:
    if merges_file:
        (two / "texts" / "merges.yaml").write_text("merges: []\n", "utf-8")
    place = agr_same_as(two, "WAT.bottlenecks.high-water")
    wanted = (
        f"Error: {two / AGR}:{place}: same_as of AGR.bottlenecks.one names "
        f"'WAT.bottlenecks.high-water', a finding of incident category floods, not of this report's"
    )
    code, out, err = run(runner, two, "validate")
    assert code == 1, out + err
    assert errors(err) == [wanted], err
    for command in (("aggregate",), ("aggregate", "--category", "droughts")):
        code, out, err = run(runner, two, *command)
        assert code == 1, (command, out + err)
        assert errors(err) == [wanted], (command, err)
    if merges_file:  # the floods report has nothing to do with it (once is enough)
        assert run(runner, two, "aggregate", "--category", "floods", "--draft")[0] == 0


def test_a_same_as_within_its_category_passes(runner: CliRunner, two: Path) -> None:
    agr_same_as(two, "WAT.bottlenecks.one")  # Water's drought bottleneck: the same category
    code, out, err = run(runner, two, "validate")
    assert code == 0, out + err
    code, out, err = run(runner, two, "aggregate", "--category", "droughts", "--draft")
    assert code == 0, out + err
    draft = (two / "reports" / "droughts" / "draft.yaml").read_text("utf-8")
    assert "merged:\n  - AGR.bottlenecks.one" in draft, draft


def test_status_says_a_bad_same_as_stops_aggregate(runner: CliRunner, example_ws: Path) -> None:
    """status said nothing (exit 0) of a same_as aggregate refuses; now it gives validate's
    error, at the same place, and exit 1 - run after run (the status is not recorded)."""
    assert run(runner, example_ws, "status")[0] == 0  # recorded: nothing wrong yet
    place = add_same_as(example_ws / BZ, FIRST_BOTTLENECK, "XYZ.bottlenecks.nope")
    wanted = (
        f"Error: {example_ws / BZ}:{place}: same_as of "
        "BZ.bottlenecks.capaciteit-politie-justitie names 'XYZ.bottlenecks.nope', "
        "which is not a finding of any response"
    )
    for _ in range(2):
        code, out, err = run(runner, example_ws, "status")
        assert code == 1, out + err
        assert errors(err) == [wanted], err
        assert "Responses — falende-staten" in out  # the table is still shown
        assert "selfeval aggregate refuses the report of falende-staten" in err
    code, out, _ = run(runner, example_ws, "status", "--json")
    assert code == 1
    assert any("XYZ.bottlenecks.nope" in p for p in json.loads(out)["problems"])


def test_status_names_a_bad_same_as_in_its_own_category_only(runner: CliRunner, two: Path) -> None:
    place = agr_same_as(two, "WAT.bottlenecks.high-water")
    code, out, err = run(runner, two, "status", "--category", "floods")
    assert code == 0, out + err  # aggregate --category floods still writes its report
    code, out, err = run(runner, two, "status")
    assert code == 1, out + err
    assert [line.split(": ", 2)[1] for line in errors(err)] == [f"{two / AGR}:{place}"], err


def test_a_merge_of_an_unknown_category_is_said_once(runner: CliRunner, two: Path) -> None:
    """Trial 10: validate and status gave this error twice (once per incident category,
    the categories listed in a different order) and validate counted "2 problems"."""
    (two / "texts" / "merges.yaml").write_text(
        "merges:\n  - ids: [WAT.bottlenecks.one, AGR.bottlenecks.one]\n    category: droughtss\n",
        "utf-8",
    )
    wanted = (
        f"Error: {two / 'texts' / 'merges.yaml'}:2:5: the merge is for incident category "
        "'droughtss', which the exercise does not have"
    )
    for command in ("validate", "status", "aggregate"):
        code, out, err = run(runner, two, command)
        assert code == 1, (command, out + err)
        assert errors(err) == [wanted], (command, err)
        assert err.count("its incident categories: floods, droughts (selfeval.yaml)") == 1, err
    assert "1 problem in" in run(runner, two, "validate")[2]
