"""``selfeval`` in a real pseudo-terminal, read by pyte as a person sees the screen.

Shared by the pty tests that look at what is on an 80x24 (or other) screen
(``test_fill_pty_layout.py``, ``test_policy_officer_pty.py``). Every wait
reads output until the text is on the screen or the time is up: never a sleep.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
import spawnkit

pyte = pytest.importorskip("pyte")


class PtyScreen:
    """A ``selfeval`` command in a pseudo-terminal of ``rows`` x ``columns``, and its screen.

    Like a real terminal, the screen answers prompt_toolkit's cursor-position
    requests: without that it never knows its height and leaves out the line
    that says why an answer is refused.
    """

    def __init__(self, ws: Path, args: list[str], *, rows: int, columns: int) -> None:
        exe = shutil.which("selfeval")
        assert exe, "selfeval is not on PATH"
        env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.child = spawnkit.spawn(
            exe, args, cwd=str(ws), env=env, encoding="utf-8",
            dimensions=(rows, columns), timeout=20,
        )  # fmt: skip
        self.screen = pyte.Screen(columns, rows)
        self.screen.write_process_input = self.child.send  # type: ignore[method-assign]
        self.stream = pyte.Stream(self.screen)

    def lines(self) -> list[str]:
        """The screen's lines, without trailing blanks."""
        return [line.rstrip() for line in self.screen.display]

    def read_until(
        self, done: Callable[[], str | None], what: Callable[[], str], timeout: float = 20
    ) -> str:
        """Feed output to the screen until ``done()`` gives a text; return it.

        Fails the test with ``what()`` and the screen when the time is up or the
        command ends first.
        """
        deadline = time.monotonic() + timeout
        while (found := done()) is None:
            left = deadline - time.monotonic()
            shown = "\n".join(self.lines())
            if left <= 0:
                pytest.fail(f"{what()}\n{shown}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=left))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                pytest.fail(f"selfeval ended; {what()}\n{shown}")
        return found

    def close(self) -> None:
        self.child.close(force=True)
