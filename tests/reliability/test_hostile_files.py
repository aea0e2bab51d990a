"""Hostile files are refused within bounded time and memory, in a real child process.

Each case runs ``selfeval`` as a child with its address space limited to
:data:`reliakit.MEMORY_LIMIT` (an expanded alias bomb would die with
MemoryError and a traceback) and a timeout that only guards against a hang;
nothing here asserts a duration. A child that crashes (a segfault in the YAML
parser) shows up as a negative return code. Limits: ``yamlio.MAX_FILE_BYTES``
and ``yamlio.MAX_DEPTH``, documented in ``docs/files.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliakit import Command, require, run_selfeval, targets

from selfeval.files import yamlio

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, key in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
)


def _big(path: Path) -> str:
    """A valid file padded with a comment to 50 MB (the file is written directly)."""
    with path.open("ab") as handle:
        chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
        for _ in range(50):
            handle.write(chunk)
    return f"over the limit of {yamlio.MAX_FILE_BYTES:,}"


#: name → (text to write, or a function that damages the file in place; message fragment).
HOSTILE = {
    "python-object-tag": (
        "questionnaire: !!python/object/apply:os.system ['touch /tmp/selfeval-pwned']\n",
        "is not allowed: selfeval files hold plain data only",
    ),
    "local-tag": ("participant: !department BZ\n", "is not allowed"),
    "billion-laughs": (BILLION_LAUGHS, "anchors and aliases"),
    "deep-flow-nesting": ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "nested deeper than"),
    "deep-block-nesting": (
        "".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "end\n",
        "nested deeper than",
    ),
    "50-MB": (_big, ""),
}


def _cases() -> list[object]:
    """Every command with every hostile file; by default each case once and each command once.

    Every command reads the response through the same safe loader as every other file
    (the loader's refusals of each construct are unit-tested in tests/test_yamlio.py), so
    the default run pairs them along a diagonal; the whole matrix is in the ``slow`` tier.
    """
    commands = targets("response")
    params = []
    for n, case in enumerate(HOSTILE):
        for m, param in enumerate(commands):
            diagonal = m == n % len(commands) or n == m % len(HOSTILE)
            params.append(
                pytest.param(
                    *param.values,
                    case,
                    id=f"{param.id}-{case}",
                    marks=() if diagonal else pytest.mark.slow,
                )
            )
    return params


@pytest.mark.parametrize(("command", "target", "case"), _cases())
def test_hostile_file_is_refused(ws: Path, command: Command, target: str, case: str) -> None:
    require(command)
    path = ws / command.reads[target]
    content, fragment = HOSTILE[case]
    if callable(content):
        fragment = content(path)
    else:
        path.write_text(content, encoding="utf-8")
    result = run_selfeval(command.argv(ws))
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{path}" in result.stderr
    assert fragment in result.stderr
    assert not Path("/tmp/selfeval-pwned").exists()


def _nested(levels: int, style: str) -> str:
    """A document of ``levels`` nested collections around one scalar."""
    if style == "flow":
        return "a: " + "[" * (levels - 1) + "x" + "]" * (levels - 1) + "\n"
    if style == "block":
        return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x\n"
    return "- " * levels + "x\n"  # compact block sequences


@pytest.mark.parametrize("style", ["flow", "block", "compact"])
@pytest.mark.parametrize("scanned", [False, True], ids=["composed-directly", "scanned-first"])
def test_depth_limit_is_the_same_whether_or_not_the_document_is_scanned_first(
    style: str, scanned: bool
) -> None:
    # A long comment line lifts the cheap nesting bound over the threshold, so the
    # event scan runs; without it the loader's own depth check decides.
    padding = "#" + "x" * yamlio._SCAN_ABOVE + "\n" if scanned else ""
    assert (yamlio._nesting_bound(padding) > yamlio._SCAN_ABOVE) is scanned
    # MAX_DEPTH counts nodes: the innermost scalar is a level too.
    assert yamlio.load_text(padding + _nested(yamlio.MAX_DEPTH - 1, style)) is not None
    with pytest.raises(yamlio.InputError, match=f"nested deeper than {yamlio.MAX_DEPTH} levels"):
        yamlio.load_text(padding + _nested(yamlio.MAX_DEPTH, style))
