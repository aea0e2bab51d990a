"""``pexpect.spawn`` for the terminal tests, without pexpect's fixed sleeps.

pexpect sleeps 50 ms before every ``send`` (``delaybeforesend``: for programs
that turn echo off only after they print their prompt) and ptyprocess 100 ms
at every ``close`` (``delayafterclose``): over the suite's terminal tests, ~8 s
of a worker doing nothing. Our tests never type ahead of what they wait for:
each waits for the prompt on screen, which prompt_toolkit draws only once the
terminal is in raw mode, so neither sleep is needed. A child still running at
``close`` is ended by ptyprocess's ``terminate`` as before.
"""

from __future__ import annotations

from typing import Any

import pexpect


def spawn(command: str, args: list[str], **options: Any) -> pexpect.spawn:
    """``pexpect.spawn(command, args, **options)`` that sends and closes without sleeping."""
    child = pexpect.spawn(command, args, **options)
    child.delaybeforesend = None
    child.ptyproc.delayafterclose = 0.0
    return child
