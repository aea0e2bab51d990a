"""Where ``selfeval aggregate``'s time and memory go: its three steps timed one by one.

Runs the same pipeline as :func:`selfeval.report.aggregate.aggregate` in this
process (after its imports), step by step, printing each step's wall time
and the process's resident memory after it:

1. read: load and structurally validate every response file (``--jobs``);
2. build: check answers, extract and merge findings, build the report model;
3. render: Jinja2 to Markdown (with ``--cache``, reusing the parts kept in
   ``.selfeval/cache/fragments/``, :mod:`selfeval.report.fragments`); then
   write: the atomic write of the report.

With ``--cache`` the render also prints the CPU spent computing the kept
parts' keys (``Fragments.key``: hashing each macro call's arguments); run it
twice for a warm figure, ``--renders N`` renders N times in this process.

Usage:
    python benchmarks/phases.py WORKSPACE [--jobs N] [--cache [--renders N]] [--profile-build]

``--profile-build`` runs the build step under cProfile (about twice as slow)
and prints the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def _cpu(since: float) -> str:
    """CPU seconds of this process since ``since`` (the machine's load hardly moves it)."""
    return f"CPU {time.process_time() - since:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--cache",
        action="store_true",
        help="read through .selfeval/cache/ and keep the report's rendered parts there "
        "(run twice: warm)",
    )
    parser.add_argument(
        "--renders", type=int, default=1, help="with --cache: render this many times (keys warm)"
    )
    parser.add_argument("--profile-build", action="store_true")
    args = parser.parse_args()

    from selfeval.files import yamlio
    from selfeval.files.workspace import Workspace
    from selfeval.report import aggregate as pipeline
    from selfeval.report.render import render

    ws = Workspace.open(args.workspace)
    ws.questionnaires()
    files = ws.response_files()
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} responses, {size / 1e6:.1f} MB; after imports: {rss_mb():.0f} MB")
    start, cpu = time.perf_counter(), time.process_time()
    parsed = pipeline.read_responses(files, ws, jobs=args.jobs, cache=args.cache)
    print(f"  read    {time.perf_counter() - start:6.2f} s   rss {rss_mb():6.0f} MB   {_cpu(cpu)}")
    profile = cProfile.Profile() if args.profile_build else None
    start, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    built = pipeline.build(ws, parsed)
    if profile is not None:
        profile.disable()
    print(f"  build   {time.perf_counter() - start:6.2f} s   rss {rss_mb():6.0f} MB   {_cpu(cpu)}")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    from selfeval.report import fragments
    from selfeval.report.cachebase import cache_dir
    from selfeval.report.fragments import FRAGMENTS_DIR, kept_in

    key, keys_cpu = fragments.Fragments.key, [0.0]

    def timed_key(self: fragments.Fragments, *args: Any) -> bytes:
        began = time.process_time()
        try:
            return key(self, *args)
        finally:
            keys_cpu[0] += time.process_time() - began

    fragments.Fragments.key = timed_key  # type: ignore[method-assign]
    for _ in range(max(1, args.renders if args.cache else 1)):
        keys_cpu[0] = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        with kept_in(cache_dir(ws.root) / FRAGMENTS_DIR if args.cache else None):
            text = render(built.report, fmt="md", template_dirs=[ws.templates_dir])
        keys = f"   of which the parts' keys CPU {keys_cpu[0]:.2f} s" if args.cache else ""
        print(
            f"  render  {time.perf_counter() - start:6.2f} s   rss {rss_mb():6.0f} MB   "
            f"report {len(text) / 1e6:.1f} M characters   {_cpu(cpu)}{keys}"
        )
    from selfeval.report.figures import figures

    start, cpu = time.perf_counter(), time.process_time()
    drawn = [f.picture("png") for f in figures(built.report)]
    print(
        f"  figures {time.perf_counter() - start:6.2f} s   ({len(drawn)} PNG, matplotlib "
        f"imported and drawn; CPU {time.process_time() - cpu:.2f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        yamlio.atomic_write_text(Path(tmp) / "report.md", text)
        print(f"  write   {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
