"""``pexpect.spawn`` for the terminal tests, without ptyprocess's sleep at ``close``.

ptyprocess sleeps 100 ms at every ``close`` (``delayafterclose``, to let the
kernel update a child's status) before it looks whether the child is still
alive; a child still running is then ended by ``terminate`` as before, so the
sleep only makes a finished child's close slower (22 closes a run).

pexpect's 50 ms before every ``send`` (``delaybeforesend``) stays: without it,
two tests of a fresh clone's run, each sending Ctrl-C the moment a line was
read, waited in vain for ``fill``'s "Interrupted" (``test_pending_save``'s
Ctrl-C while a write is held, ``test_fill_pty``'s long questions): a Ctrl-C
that early is not what a person types, and was not looked into further.
"""

from __future__ import annotations

from typing import Any

import pexpect


def spawn(command: str, args: list[str], **options: Any) -> pexpect.spawn:
    """``pexpect.spawn(command, args, **options)`` that closes a finished child without sleeping."""
    child = pexpect.spawn(command, args, **options)
    child.ptyproc.delayafterclose = 0.0
    return child
