"""Where a first-run ``aggregate`` holds its memory: resident memory at each step, and the peak.

Runs :func:`selfeval.report.aggregate.aggregate` in this process (the read
cache, the figures' cache and the kept report parts as a plain
``selfeval aggregate`` uses them), with a thread sampling this process's
resident set size every 5 ms. Each step below prints the RSS when it starts
and ends (and its CPU seconds); the peak is printed with the step it fell in:

* ``read_responses``: load, check and extract every response (step 1);
* ``build``: the report model (step 2);
* ``_figures``: import matplotlib and draw the figures (an empty cache draws them);
* ``_tidy_stream``: render the Markdown, streamed to the file;
* ``Fragments.save``: keep the rendered parts for the next run;
* ``put_names``: the figures drawn once the report model is let go of, their
  names put in the Markdown (``render.FiguresToDraw``; an empty cache draws them);
* ``write_figures_beside``: the PNG files;
* ``store``: the record of the run (the files written, hashed).

A step whose function is not found (renamed) is left out, not an error. For
a first run, remove ``.selfeval/`` and ``reports/`` of the workspace first.
Nothing is kept; the report is written as ``selfeval aggregate`` writes it.

Usage:
    python benchmarks/memory.py WORKSPACE [--keep-cache]
"""

from __future__ import annotations

import argparse
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


class Recorder:
    """The steps' RSS at start and end, and the peak RSS with the step it fell in."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.step = "imports"
        self.peak = 0.0
        self.peak_step = ""

    def sample(self) -> None:
        """Sample the RSS every 5 ms, for ever (a daemon thread)."""
        while True:
            now = rss_mb()
            if now > self.peak:
                self.peak, self.peak_step = now, self.step
            time.sleep(0.005)

    def wrap(self, owner: Any, name: str) -> None:
        """Record ``owner.name`` as a step each time it is called (if it exists)."""
        original: Callable[..., Any] | None = getattr(owner, name, None)
        if original is None:
            self.lines.append(f"  (no {name} to measure)")
            return

        def step(*args: Any, **kwargs: Any) -> Any:
            outer, self.step = self.step, name
            started = time.process_time()
            self.lines.append(f"  {rss_mb():7.1f} MB  > {name}")
            try:
                return original(*args, **kwargs)
            finally:
                cpu = time.process_time() - started
                self.lines.append(f"  {rss_mb():7.1f} MB  < {name} (CPU {cpu:.2f} s)")
                self.step = outer

        setattr(owner, name, step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument(
        "--keep-cache",
        action="store_true",
        help="keep .selfeval/ and reports/ (default: remove them first: a first run)",
    )
    args = parser.parse_args()
    if not args.keep_cache:
        for folder in (".selfeval", "reports"):
            shutil.rmtree(args.workspace / folder, ignore_errors=True)

    recorder = Recorder()
    threading.Thread(target=recorder.sample, daemon=True).start()

    from selfeval.files.workspace import Workspace
    from selfeval.report import aggregate as pipeline
    from selfeval.report import fragments, render, runrecord

    for name in ("read_responses", "build"):
        recorder.wrap(pipeline, name)
    for name in ("_figures", "_tidy_stream", "write_figures_beside"):
        recorder.wrap(render, name)
    recorder.wrap(getattr(fragments, "Fragments", None), "save")
    recorder.wrap(getattr(render, "FiguresToDraw", None), "put_names")
    recorder.wrap(runrecord, "store")

    ws = Workspace.open(args.workspace)
    start = rss_mb()
    recorder.step = "start"
    began = time.process_time()
    pipeline.aggregate(ws, cache=True)
    cpu = time.process_time() - began
    responses = sum(p.stat().st_size for p in ws.discover_responses().current)
    print(f"RSS after the imports: {start:.1f} MB; responses: {responses / 1e6:.1f} MB")
    print("\n".join(recorder.lines))
    print(f"peak RSS {recorder.peak:.1f} MB, in {recorder.peak_step}; CPU {cpu:.2f} s")
    extra = recorder.peak - start
    print(f"(peak - RSS after the imports) / responses = {extra * 1e6 / responses:.2f}x")


if __name__ == "__main__":
    main()
