"""`selfeval validate` on questionnaires: each mistake gives one clear message with file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
id: demo
version: '1.0.0'
kind: self-evaluation
title: {nl: Demo, en: Demo}
sections:
  - id: main
    title: Main
    items:
      - id: involved
        type: yes-no
        label: {nl: Betrokken?, en: Involved?}
      - id: how
        type: long-text
        when: involved
        label: {nl: Hoe?, en: How?}
"""


def write(folder: Path, text: str, name: str = "demo-1.0.0.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *args])
    return result.exit_code, result.output


def test_shipped_questionnaires_are_valid(runner: CliRunner) -> None:
    code, output = run(runner, str(REPO / "questionnaires"))
    assert code == 0, output
    assert "OK: 12 files valid." in output


def test_worked_example_workspace_is_valid(runner: CliRunner, example_ws: Path) -> None:
    code, output = run(runner, "--workspace", str(example_ws))
    assert code == 0, output


def test_good_file_is_valid(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "questionnaires", GOOD)
    assert run(runner, str(path)) == (0, "OK: 1 file valid.\n")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("version: '1.0.0'", "version: 1.10"), 2, "write it in quotes"),
        (("type: yes-no", "type: yesno"), 9, "unknown item type 'yesno'"),
        (("id: how", "id: involved"), 12, "duplicate item id 'involved'"),
        (("when: involved", "when: involvd"), 14, "refers to 'involvd'"),
        (("kind: self-evaluation", "kind: self-evaluation\nkind: peer-review-1"), 4,
         "duplicate key 'kind'"),
        (("    items:\n", "    items:\n\t"), 9, "tab character"),
        (("title: {nl: Demo, en: Demo}", "title: !!python/object:os.system {}"), 4, "not allowed"),
        (("        when: involved", "        when: involved and"), 14, "invalid 'when'"),
        (("        label: {nl: Hoe?, en: How?}", "        label: {nl: Hoe?, en: How?}\n        colour: red"),
         16, "unknown key 'colour'"),
    ],
)  # fmt: skip
def test_each_mistake_gives_one_message_with_file_and_line(
    runner: CliRunner, tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path / "questionnaires", GOOD.replace(old, new, 1))
    code, output = run(runner, str(path))
    assert code == 1
    errors = [row for row in output.splitlines() if row.startswith("Error: ")]
    assert len(errors) == 1, output
    assert re.match(rf"Error: {re.escape(str(path))}:{line}(:\d+)?: ", errors[0]), errors[0]
    assert message in output
    assert "Traceback" not in output


def test_file_name_must_match_id_and_version(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "questionnaires", GOOD, name="demo-2.0.0.yaml")
    code, output = run(runner, str(path))
    assert code == 1
    assert "rename the file to demo-1.0.0.yaml" in output


def test_all_problems_in_several_files_are_listed(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "questionnaires"
    write(folder, GOOD.replace("version: '1.0.0'", "version: 1.10"))
    write(folder, "- a list\n", name="other-1.0.0.yaml")
    code, output = run(runner, str(folder))
    assert code == 1
    assert "2 problems in 2 files." in output
    assert "a mapping of keys to values is expected" in output


def test_missing_path_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    code, output = run(runner, str(tmp_path / "nope.yaml"))
    assert code == 1
    assert "no such file or folder" in output


def test_no_workspace_is_a_clear_error(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, output = run(runner)
    assert code == 1
    assert "no selfeval workspace here" in output
    assert "selfeval init" in output


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--frobnicate"])
    assert result.exit_code == 2
