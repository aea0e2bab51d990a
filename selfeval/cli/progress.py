"""A progress bar for long runs, on a terminal only.

The core reports progress through a callback ``progress(stage, done, total)``
(:data:`selfeval.files.workspace.Progress`: ``aggregate``, ``export``,
``migrate``); :func:`progress_bar` turns it into a rich bar on stderr when
stderr is a terminal, and into nothing otherwise (a pipe, a file, a CI log, a
test), so scripts and logs never see it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import IO

__all__ = ["progress_bar"]

Callback = Callable[[str, int, int], None]


def _ignore(stage: str, done: int, total: int) -> None:
    """The callback when there is no terminal: nothing to show."""


@contextlib.contextmanager
def progress_bar(stream: IO[str] | None = None) -> Iterator[Callback]:
    """Yield a progress callback that draws a rich bar on ``stream`` (default stderr).

    The bar is drawn only when ``stream`` is a terminal, shows the stage, a
    bar, done/total and the time left (a moving bar while ``total`` is 0,
    not known yet), and is removed when the block ends.

    Yields:
        ``progress(stage, done, total)``: one bar per stage name.
    """
    stream = stream if stream is not None else sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        size = total if total > 0 else None  # None: rich's moving bar
        task = tasks.get(stage)
        if task is None:
            task = tasks[stage] = bars.add_task(stage, total=size)
        bars.update(task, completed=done, total=size)

    with bars:
        yield update
