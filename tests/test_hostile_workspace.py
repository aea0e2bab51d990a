"""A shared workspace is untrusted input: what the seventh trial found.

Aliases of plain values, control characters and lone surrogates in answers,
a zip bomb as the house-style document, images outside the workspace in the
secretariat's texts, names that spoof lines of output. Each is refused with
one message (file, place, what to do) and exit 1, or shown harmlessly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


# -- aliases: none at all ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x plain\nb: *x\n", 1),
        ("a: &x plain\nb: other\n", 1),
        ("a: 1\nb: *x\n", 2),
        ("a:\n  - &k key\n  - 2\n", 2),
    ],
)
def test_every_anchor_and_alias_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(yamlio.InputError) as info:
        yamlio.load_text(text, "f.yaml")
    assert "anchors and aliases" in info.value.message
    assert info.value.location is not None and info.value.location.line == line


def test_an_ampersand_in_a_value_is_no_anchor() -> None:
    assert yamlio.load_text("a: R&D\nb: 'x & y'\nc: |\n  &a *a\n") == {
        "a": "R&D",
        "b": "x & y",
        "c": "&a *a\n",
    }


def test_what_selfeval_writes_has_no_anchor_even_for_repeated_values() -> None:
    shared = ["x"]
    data = {"a": shared, "b": shared, "c": "&a", "d": "*a"}
    assert yamlio.load_text(yamlio.dump(data)) == data
    for value in ("&a", "*a", "a & b"):
        assert yamlio.load_text(f"k: {yamlio.scalar(value)}\n") == {"k": value}


def test_validate_and_aggregate_refuse_an_alias_of_a_plain_answer(
    runner: CliRunner, example_ws: Path
) -> None:
    # A plain answer given once and repeated by alias: no expansion, yet refused.
    path = example_ws / BZ
    edit(path, "  definition: |", "  definition: &a |")
    edit(path, "  remarks: |", "  remarks: *a\n  old_remarks: |")
    for command in ("validate", "aggregate"):
        result = runner.invoke(app, [command, "-w", str(example_ws)])
        assert result.exit_code == 1, result.output
        assert "anchors and aliases (&name / *name) are not allowed" in result.output
        assert "BZ/self-evaluation.yaml:12:" in result.output
        assert "Traceback" not in result.output
