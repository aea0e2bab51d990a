"""Progress bars of the long runs (aggregate, export, migrate): on a terminal only (issue 14).

Shown: run in a real pseudo-terminal (pexpect); rich draws the bar's final
state before removing it, so the test waits for ``9/9`` rather than for time.
Not shown: the same commands with stderr a pipe, as in a script or a CI log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import spawnkit
from test_migrate_cli import new_version

from selfeval.cli.progress import progress_bar

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENV = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "COLUMNS": "100"}


def _exe() -> str:
    exe = shutil.which("selfeval")
    assert exe, "selfeval is not on PATH"
    return exe


def _on_a_terminal(ws: Path, *args: str) -> pexpect.spawn:
    return spawnkit.spawn(_exe(), list(args), cwd=str(ws), env=ENV, encoding="utf-8",
                         dimensions=(24, 100), timeout=60)  # fmt: skip


def _piped(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [_exe(), *args], cwd=ws, env=ENV, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


# Slow tier: the bars on a terminal are proved by default for export
# (test_export.py::test_a_progress_bar_on_a_terminal; one helper draws every bar);
# aggregate's in a terminal takes a fresh interpreter drawing the figures (~4 s).
@pytest.mark.slow
def test_aggregate_shows_a_progress_bar_on_a_terminal(example_ws: Path) -> None:
    child = _on_a_terminal(example_ws, "aggregate")
    child.expect(r"Reading responses.*9/9")
    child.expect("Writing the report")
    child.expect("76 findings from 9 responses")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


# Slow tier: 'nothing when piped' is proved by default for migrate and export (one helper draws all three bars).
@pytest.mark.slow
def test_aggregate_shows_no_progress_bar_when_piped(example_ws: Path) -> None:
    result = _piped(example_ws, "aggregate")
    assert "76 findings from 9 responses." in result.stdout
    assert "Reading responses" not in result.stderr and "Writing the report" not in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr


def test_migrate_shows_a_progress_bar_on_a_terminal(example_ws: Path) -> None:
    new_version(example_ws)
    child = _on_a_terminal(example_ws, "migrate", "--dry-run")
    child.expect(r"Migrating responses.*9/9")
    child.expect("Dry run: 2 response")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_migrate_shows_no_progress_bar_when_piped(example_ws: Path) -> None:
    new_version(example_ws)
    result = _piped(example_ws, "migrate", "--dry-run")
    assert "Dry run: 2 response" in result.stdout
    assert "Migrating responses" not in result.stderr and "\x1b[" not in result.stderr


def test_an_unknown_total_shows_a_moving_bar_not_0_of_0() -> None:
    """`total` 0 (the report being written, size not known) is a moving bar, not `0/0`."""

    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            pass

    terminal = Terminal()
    with progress_bar(terminal) as progress:  # type: ignore[arg-type]
        progress("Writing the report", 0, 0)
    assert "Writing the report" in terminal.text and "0/?" in terminal.text
    assert "0/0" not in terminal.text
