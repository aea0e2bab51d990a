"""Malformed files: every command that reads them exits 1 with one message naming file and line.

Each case damages one file a command reads (the exercise file, a
questionnaire, a response, or the ``--answers`` file) and runs the command
in-process. A UTF-8 byte-order mark is harmless and must be accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliakit import Command, assert_refused_cleanly, invoke, require, targets
from typer.testing import CliRunner


def _first_key(text: str) -> str:
    match = re.search(r"^([A-Za-z_][\w-]*):", text, re.MULTILINE)
    assert match, text
    return match[1]


#: A file that is empty or not a mapping: each command says so in its own words.
NOT_A_MAPPING = ("empty", "a mapping", "must be a mapping", "not a draft file")

#: name → (bytes of the valid file → damaged bytes, fragments of which the message has one,
#: has a line).
DAMAGE: dict[str, tuple[Callable[[bytes], bytes], str | tuple[str, ...], bool]] = {
    "bad-indentation": (
        lambda b: b"first: 1\n   second: 2\n" + b,
        "mapping values are not allowed",
        True,
    ),
    "tab-indentation": (lambda b: b"first:\n\tsecond: 2\n" + b, "tab", True),
    # Where libyaml notices depends on the next '"' in the file; the line is what counts.
    "unclosed-quote": (lambda b: b'first: "not closed\n' + b, "", True),
    "duplicate-key": (
        lambda b: b + f"\n{_first_key(b.decode('utf-8'))}: again\n".encode(),
        "duplicate key",
        True,
    ),
    "not-utf8": (lambda b: b"# Financi\xebn in Latin-1\n" + b, "not valid UTF-8", True),
    "empty": (lambda b: b"", NOT_A_MAPPING, False),
    "only-a-comment": (lambda b: b"# nothing here yet\n", NOT_A_MAPPING, False),
    "a-list": (lambda b: b"- one\n- two\n", NOT_A_MAPPING, True),
    "a-scalar": (lambda b: b"just some text\n", NOT_A_MAPPING, True),
    "nul-bytes": (lambda b: b"first: a\x00b\n" + b, "control character (code 0x00)", True),
    # Trial 9: PyYAML reads it as a timestamp and raised a bare ValueError (exit 70, no file).
    "no-such-date": (lambda b: b"first: 2027-02-30\n" + b, "no date or time in the calendar", True),
}

#: What a wrong type looks like in each kind of file: (old text, new text, message fragment);
#: the first whose old text is in the file is used.
WRONG_TYPE: dict[str, list[tuple[str, str, str]]] = {
    "exercise": [("language: nl", "language: [nl]", "language")],
    "questionnaire": [("required: true", "required: sometimes", "required")],
    "response": [("status: draft", "status: 3", "status")],
    "answers": [
        ("involvement: strong", "involvement: [strong]", "involvement"),
        ("recognition: largely", "recognition: [largely]", "recognition"),
    ],
    "draft": [("kind: role", "kind: [role]", "kind")],
}


def _damage_cases() -> list[Any]:
    """Every damage for every file every command reads; the default tier a covering sample.

    The default tier takes each (command, file) once, with the damages in turn, so every
    command, every file it reads and every damage is tried; the whole cross product
    (460 runs) is the ``slow`` tier (``pytest -m slow``).
    """
    cases = []
    for n, param in enumerate(targets()):
        command, target = param.values
        for m, damage in enumerate(sorted(DAMAGE)):
            marks = () if m == n % len(DAMAGE) else (pytest.mark.slow,)
            cases.append(
                pytest.param(command, target, damage, marks=marks, id=f"{param.id}-{damage}")
            )
    return cases


@pytest.mark.parametrize(("command", "target", "damage"), _damage_cases())
def test_damaged_file_is_one_clear_error(
    runner: CliRunner, ws: Path, command: Command, target: str, damage: str
) -> None:
    require(command)
    path = ws / command.reads[target]
    change, fragment, has_line = DAMAGE[damage]
    path.write_bytes(change(path.read_bytes()))
    result = invoke(runner, command.argv(ws))
    assert_refused_cleanly(result, path, line=has_line)
    fragments = (fragment,) if isinstance(fragment, str) else fragment
    assert any(f in result.stderr for f in fragments), result.stderr


@pytest.mark.parametrize(("command", "target"), targets())
def test_wrong_type_is_one_clear_error(
    runner: CliRunner, ws: Path, command: Command, target: str
) -> None:
    require(command)
    path = ws / command.reads[target]
    text = path.read_text("utf-8")
    found = [case for case in WRONG_TYPE[target] if case[0] in text]
    assert found, f"none of {WRONG_TYPE[target]} in {path}"
    old, new, fragment = found[0]
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke(runner, command.argv(ws))
    line = text[: text.index(old)].count("\n") + 1
    assert_refused_cleanly(result, path)
    assert f"{path}:{line}:" in result.stderr
    assert fragment in result.stderr


#: Where trial 9 wrote an unquoted date that is not in the calendar: (kind of file, key).
NO_SUCH_DATE = {"exercise": "date", "response": "submitted_at", "answers": "completed_on"}


@pytest.mark.parametrize(("command", "target"), targets(*NO_SUCH_DATE))
def test_an_unquoted_date_not_in_the_calendar_is_one_clear_error_at_its_place(
    runner: CliRunner, ws: Path, command: Command, target: str
) -> None:
    require(command)
    path = ws / command.reads[target]
    key = NO_SUCH_DATE[target]
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith(key)]
    lines.insert(
        0, f"{key}: 2026-12-33T17:30:54Z" if key == "submitted_at" else f"{key}: 2027-02-30"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(runner, command.argv(ws))
    assert_refused_cleanly(result, path)
    assert f"{path}:1:{len(key) + 3}: " in result.stderr
    assert "no date or time in the calendar" in result.stderr
    assert "internal error" not in result.stderr


def _one_command_per_kind() -> list[Any]:
    """Every (command, file) pair; the default tier the first command reading each kind of file."""
    seen: set[str] = set()
    cases = []
    for param in targets():
        command, target = param.values
        marks = (pytest.mark.slow,) if target in seen else ()
        seen.add(target)
        cases.append(pytest.param(command, target, marks=marks, id=param.id))
    return cases


@pytest.mark.parametrize(("command", "target"), _one_command_per_kind())
def test_byte_order_mark_is_accepted(
    runner: CliRunner, ws: Path, command: Command, target: str
) -> None:
    require(command)
    argv = command.argv(ws)
    before = invoke(runner, argv)
    assert before.exit_code == 0, before.output
    path = ws / command.reads[target]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    after = invoke(runner, argv)
    assert after.exit_code == 0, after.output
    assert "Error" not in after.stderr
