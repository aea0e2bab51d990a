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
from reliakit import Command, Files, require, run_selfeval, targets

from selfeval import yamlio

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
    "python-name-tag": ("participant: !!python/name:os.system\n", "is not allowed"),
    "local-tag": ("participant: !department BZ\n", "is not allowed"),
    "billion-laughs": (BILLION_LAUGHS, "anchors and aliases"),
    "deep-flow-nesting": ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "nested deeper than"),
    "deep-block-nesting": (
        "".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "end\n",
        "nested deeper than",
    ),
    "deep-compact-sequences": ("- " * 50_000 + "x\n", "nested deeper than"),
    "50-MB": (_big, ""),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize(("command", "target"), targets("exercise", "response"))
def test_hostile_file_is_refused(files: Files, command: Command, target: str, case: str) -> None:
    require(command)
    path = files.path(target)
    content, fragment = HOSTILE[case]
    if callable(content):
        fragment = content(path)
    else:
        path.write_text(content, encoding="utf-8")
    result = run_selfeval(command.argv(files.root, files.answers))
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{path}" in result.stderr
    assert fragment in result.stderr
    assert not Path("/tmp/selfeval-pwned").exists()
