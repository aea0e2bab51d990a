"""The questionnaire <-> report contract: the report reads answers by their ``report:`` role.

Issue 10, "a renamed item drops out silently": a new questionnaire version
that renames an item the report reads (``causes`` -> ``root_causes``) used to
make those answers vanish from the report with exit 0. Now the report binds
to roles declared in the questionnaire; a renamed item that keeps its role
changes nothing in the report, and one that loses it is a clear error in
``validate`` and ``aggregate``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.load import load_questionnaire

CATEGORY = "falende-staten"
#: The version of each questionnaire the worked example pins, and a later one made up here.
PINNED = yamlio.load(Path(__file__).resolve().parents[1] / "selfeval.yaml")["questionnaires"]
NEW = "1.90.0"

#: (questionnaire, participant whose response moves to NEW, item renamed; its role is its old id)
RENAMES = [
    ("self-evaluation", "BZ", "causes"),  # chapter 2 (report/model.py)
    ("self-evaluation", "BZ", "gives_input_to"),  # roles table (report/parts.py)
    ("self-evaluation", "DEF", "role"),  # role findings (report/findings.py)
    ("self-evaluation", "BZ", "other_roles"),  # others' roles (report/findings.py)
    ("peer-review-1", "DEF", "general_remarks"),  # the peer reviews' general input
    ("peer-review-2", "JUS", "experiences"),
]


def _new_version(ws: Path, qid: str, old_id: str, *, keep_role: bool) -> Path:
    """Publish ``<qid>-NEW.yaml``: the pinned version with the top-level item ``old_id`` renamed."""
    text = (ws / "questionnaires" / f"{qid}-{PINNED[qid]}.yaml").read_text("utf-8")
    text = text.replace(f"version: '{PINNED[qid]}'", f"version: '{NEW}'")
    # Take out the renamed item's role declaration (if this version of selfeval has one) ...
    text = re.sub(rf"\n +report: {old_id}\n", "\n", text)
    top = f"\n      - id: {old_id}\n"  # a top-level item (sub-items are indented deeper)
    assert top in text
    new = f"\n      - id: new_{old_id}\n"
    if keep_role:  # ... and declare it on the renamed item.
        new += f"        report: {old_id}\n"
    path = ws / "questionnaires" / f"{qid}-{NEW}.yaml"
    path.write_text(text.replace(top, new), "utf-8")
    return path


def _move_response(ws: Path, qid: str, participant: str, old_id: str, new_hash: str) -> None:
    """Move one response to NEW, its answer under the new item id (as a migration would)."""
    path = ws / "responses" / CATEGORY / participant / f"{qid}.yaml"
    data = yamlio.load(path)
    data["questionnaire"]["version"] = NEW
    data["questionnaire"]["hash"] = new_hash
    answers = data["answers"]
    assert old_id in answers, f"{participant} does not answer {old_id}"
    data["answers"] = {(f"new_{k}" if k == old_id else k): v for k, v in answers.items()}
    yamlio.write(path, data)


def _renamed_workspace(
    ws: Path, qid: str, participant: str, old_id: str, *, keep_role: bool
) -> Path:
    path = _new_version(ws, qid, old_id, keep_role=keep_role)
    _move_response(ws, qid, participant, old_id, load_questionnaire(path).hash)
    exercise = ws / "selfeval.yaml"
    text = exercise.read_text("utf-8")
    exercise.write_text(text.replace(f"{qid}: '{PINNED[qid]}'", f"{qid}: '{NEW}'"), "utf-8")
    return path


def _report(runner: CliRunner, ws: Path) -> str:
    result = runner.invoke(app, ["aggregate", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    return (ws / "reports" / "integrated-report.md").read_text("utf-8")


@pytest.mark.parametrize(("qid", "participant", "old_id"), RENAMES)
def test_a_renamed_item_without_its_report_role_is_an_error_not_a_silent_gap(
    runner: CliRunner, example_ws: Path, qid: str, participant: str, old_id: str
) -> None:
    path = _renamed_workspace(example_ws, qid, participant, old_id, keep_role=False)
    for command in ("aggregate", "validate"):
        result = runner.invoke(app, [command, "--workspace", str(example_ws)])
        assert result.exit_code == 1, (command, result.output)
        assert f"{path}" in result.output, result.output
        assert f"no item has 'report: {old_id}'" in result.output, result.output
        assert f"add 'report: {old_id}'" in result.output, result.output
        assert "Traceback" not in result.output
    assert not (example_ws / "reports" / "integrated-report.md").exists()


@pytest.mark.parametrize(("qid", "participant", "old_id"), RENAMES)
def test_a_renamed_item_that_keeps_its_report_role_changes_nothing_in_the_report(
    runner: CliRunner, example_ws: Path, tmp_path: Path, qid: str, participant: str, old_id: str
) -> None:
    import shutil

    before_ws = tmp_path / "before"
    shutil.copytree(example_ws, before_ws)
    before = _report(runner, before_ws)
    _renamed_workspace(example_ws, qid, participant, old_id, keep_role=True)
    assert runner.invoke(app, ["validate", "--workspace", str(example_ws)]).exit_code == 0
    assert _report(runner, example_ws) == before


def test_a_workspace_made_before_report_roles_keeps_working(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    """Its 1.0.0 copies have no `report:` keys; they hash like the shipped files, which have."""
    import shutil

    before = _report(runner, example_ws)
    old_ws = tmp_path / "old"
    shutil.copytree(example_ws, old_ws)
    shutil.rmtree(old_ws / "reports")
    for path in (old_ws / "questionnaires").glob("*.yaml"):
        text = path.read_text("utf-8")
        stripped = re.sub(r"\n +report: [a-z_]+\n", "\n", text)
        assert stripped != text
        path.write_text(stripped, "utf-8")
    assert runner.invoke(app, ["validate", "--workspace", str(old_ws)]).exit_code == 0
    assert _report(runner, old_ws) == before


GOOD = """\
id: self-evaluation
version: '2.0.0'
kind: self-evaluation
title: Demo
sections:
  - id: main
    title: Main
    items:
      - id: view
        type: long-text
        label: View
      - id: rounds
        type: repeat
        label: Rounds
        items:
          - id: note
            type: text
            label: Note
"""


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("label: View", "label: View\n        report: cause"), 12,
         "unknown report role 'cause'; use one of: definition, causes,"),
        (("type: long-text", "type: integer"), 12,
         "'report: causes' needs an item of type text or long-text, but 'view' is integer"),
        (("kind: self-evaluation", "kind: peer-review-1"), 12,
         "the report reads 'report: causes' only from self-evaluation questionnaires, not from "
         "peer-review-1"),
        (("label: Note", "label: Note\n            report: definition"), 20,
         "item 'note' inside repeat group 'rounds' declares 'report: definition'"),
        (("label: Rounds", "label: Rounds\n        report: causes"), 16,
         "'report: causes' is declared twice, by 'view' and 'rounds'"),
    ],
)  # fmt: skip
def test_a_wrong_report_role_is_one_message_with_file_and_line(
    runner: CliRunner, tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    text = GOOD.replace("label: View", "label: View\n        report: causes")
    old, new = change
    if old == "label: View" and "report: cause" in new:
        text = GOOD.replace(old, new)
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "questionnaires" / "self-evaluation-2.0.0.yaml"
    path.parent.mkdir()
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    errors = [row for row in result.output.splitlines() if row.startswith("Error: ")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"Error: {path}:{line}"), errors[0]
    assert message in result.output


def test_the_report_roles_are_documented_as_declared() -> None:
    """docs/questionnaire-format.md has one table row per role, with its item types."""
    from selfeval.model.roles import REPORT_ROLES

    docs = (Path(__file__).resolve().parents[1] / "docs" / "questionnaire-format.md").read_text()
    docs = docs.split("## Report roles", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_]+)` \|.*$", docs, re.M)}
    assert set(rows) == set(REPORT_ROLES)
    for name, role in REPORT_ROLES.items():
        for kind in role.needed_in:
            assert kind in rows[name], name
        for item_type in role.types:
            assert f"`{item_type}`" in rows[name], name
