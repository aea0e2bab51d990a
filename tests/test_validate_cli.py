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
    assert "OK: 13 files valid." in output


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


#: A hand edit → the whole message validate gives: file:line:column, the dotted path,
#: what is wrong, and a hint saying what to do (pydantic's own words never reach the user).
HAND_EDITS = {
    "list-for-mapping": (
        "responses/falende-staten/BZ/self-evaluation.yaml",
        ("answers:\n", "answers: [definition, causes]\nanswerz:\n"),
        "11:10: answers: a mapping of keys to values belongs here, but it is a list\n"
        "  hint: write it as 'key: value' lines, indented below this key",
    ),
    "text-for-number": (
        "questionnaires/demo-1.0.0.yaml",
        ("type: long-text\n", "type: long-text\n        max_length: many\n"),
        "14:21: sections[0].items[1].max_length: a whole number belongs here, but it is the "
        "text 'many'\n  hint: write a whole number without quotes, e.g. 3",
    ),
    "word-for-true-or-false": (
        "questionnaires/demo-1.0.0.yaml",
        ("type: long-text\n", "type: long-text\n        required: maybe\n"),
        "14:19: sections[0].items[1].required: true or false belongs here, but it is the text "
        "'maybe'\n  hint: write true or false, without quotes",
    ),
    "missing-key": (
        "responses/falende-staten/BZ/self-evaluation.yaml",
        ("participant: BZ\n", ""),
        "1:1: required key 'participant' is missing\n"
        "  hint: add 'participant: …' at the top of the file; see docs/fill-reference.md, "
        "'Where answers go', or `selfeval schema response`",
    ),
    "unknown-key": (
        "selfeval.yaml",
        ("\ntitle:", "\ncolour: blue\ntitle:"),
        "7:9: colour: unknown key 'colour'\n"
        "  hint: check its spelling, or remove it; see docs/files.md, or `selfeval schema "
        "exercise` for the keys allowed here",
    ),
    "unknown-choice": (
        "responses/falende-staten/BZ/self-evaluation.yaml",
        ("status: submitted", "status: finished"),
        "7:9: status: it is the text 'finished', which is not allowed here\n"
        "  hint: write 'draft' or 'submitted'",
    ),
}


@pytest.mark.parametrize("case", list(HAND_EDITS))
def test_a_hand_edit_gives_file_line_and_what_to_do(
    runner: CliRunner, example_ws: Path, case: str
) -> None:
    relative, (old, new), said = HAND_EDITS[case]
    path = example_ws / relative
    if relative.startswith("questionnaires/demo"):
        write(path.parent, GOOD)
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    args = [str(path)] if relative.startswith("questionnaires/demo") else []
    result = runner.invoke(app, ["validate", *args, "--workspace", str(example_ws)])
    assert result.exit_code == 1
    assert f"Error: {path}:{said}\n" in result.stderr, result.stderr
    assert "Input should" not in result.stderr and "Traceback" not in result.output
