"""All selfeval benchmarks in one run, each target of issue 20 printed with its ratio and ✔/✘.

1. start-up: ``selfeval --help`` against a minimal typer app with the same
   commands and settings, and ``selfeval status`` on the worked example
   against ``selfeval --help`` (``startup.py``; interleaved runs, best kept);
2. ``selfeval aggregate`` on 1,000 and 10,000 generated responses against
   the floor (reading and C-parsing the same files, keeping nothing): the
   first run (empty cache), a re-run with nothing changed, a re-run after one
   response changed, ``--jobs 2`` with an empty cache, and ``--draft``
   against a plain aggregate in the same cache state (``workload.py``,
   ``floor.py``, ``generate.py``); peak memory against the size of the
   responses, the interpreter's baseline subtracted and stated;
3. ``fill``: Enter → the next prompt drawn, median and p95
   (``fill_latency.py``, by the fill engineer; reported, not owned here).

Nothing here is a test: timings depend on the machine and its load (printed
first); see ``docs/performance.md`` for a run.

Usage:
    python benchmarks/run.py                    # full run (tens of minutes, busy 2 cores)
    python benchmarks/run.py --quick            # tiny sizes, seconds (the smoke test runs this)
    python benchmarks/run.py --keep /tmp/bench  # keep the generated workspaces for the next run
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import startup
import workload
from generate import make_workspace
from measure import mb

OK, MISSED, NOT_MEASURED = "✔", "✘", "?"


@dataclass(frozen=True)
class Figure:
    """One target and what was measured for it."""

    name: str
    shown: str  #: the measurement, e.g. "5.08 / 2.39 s"
    ratio: float | None  #: None when not measured
    limit: float  #: the target: ratio at most this
    unit: str = "x"
    strict: bool = False  #: "<" rather than "<="

    @property
    def met(self) -> bool | None:
        if self.ratio is None:
            return None
        return self.ratio < self.limit if self.strict else self.ratio <= self.limit

    def line(self) -> str:
        mark = {True: OK, False: MISSED, None: NOT_MEASURED}[self.met]
        value = "not measured" if self.ratio is None else f"{self.ratio:.2f}{self.unit}"
        target = f"{'<' if self.strict else '<='} {self.limit:g}{self.unit}"
        return f"  {mark}  {self.name:<58} {value:>13}  target {target:<10} {self.shown}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as printed at the start and end."""
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    """One line about where this ran."""
    try:
        import yaml

        yaml_impl = f"PyYAML {yaml.__version__}" + (
            " with libyaml (C)" if hasattr(yaml, "CSafeLoader") else " pure Python"
        )
    except ImportError:  # pragma: no cover
        yaml_impl = "no PyYAML"
    return (
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {yaml_impl}; load average {load_average()} "
        f"at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}"
    )


def fill_latency(quick: bool) -> dict[str, Any] | None:
    """Enter → next prompt in ``fill``, from the fill engineer's ``benchmarks/fill_latency.py``.

    "A" is engine + atomic save with a scripted prompter; "B" adds drawing
    the real questionary prompt (pipe input): B is what the target is about,
    over the last 20 answers of each run (issue 20), wall time.

    Returns:
        ``{"A": (median, p95), "B": (median, p95), "lines": [...]}`` in ms, a
        figure the script did not print left out; None without the script.
    """
    script = Path(__file__).with_name("fill_latency.py")
    if not script.is_file():
        return None
    done = subprocess.run(
        [sys.executable, str(script), "--runs", "1" if quick else "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = ["Fill: one answer, Enter -> next prompt (benchmarks/fill_latency.py):"]
    lines += [f"  {line}" for line in done.stdout.splitlines()]
    if done.returncode != 0:
        lines += [f"  exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"]
    result: dict[str, Any] = {"lines": lines}
    measurement = None
    for line in done.stdout.splitlines():
        found = re.match(r"\s*([AB])\s", line)
        if found:
            measurement = found.group(1)
        # The target's figure: the last 20 answers of each run (not every interval).
        found = re.match(r"\s*last 20 answers.*?median ([0-9.]+) ms, p95 ([0-9.]+) ms", line)
        if found and measurement:
            result[measurement] = (float(found.group(1)), float(found.group(2)))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repeats")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of responses")
    parser.add_argument("--jobs", type=int, default=2, help="workers for aggregate --jobs")
    parser.add_argument("--repeat", type=int, help="start-up runs per command")
    parser.add_argument(
        "--rounds",
        type=int,
        nargs="+",
        help="rounds per size (default: 3 below 5,000 responses, 1 from 5,000 on)",
    )
    parser.add_argument(
        "--timeout", type=float, default=6.0, help="give a command up at this many times the floor"
    )
    parser.add_argument("--no-fill", action="store_true", help="skip the fill latency")
    parser.add_argument("--keep", type=Path, help="generate workspaces here and keep them")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([5] if args.quick else [1000, 10000])
    repeat = args.repeat or (3 if args.quick else 20)
    began = time.perf_counter()
    figures: list[Figure] = []

    print(machine())
    print()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        base = args.keep or Path(tmp)
        example = startup.example_workspace(base / "worked-example")
        result = startup.measure(repeat, example=example)
        print("\n".join(startup.report(result)))
        times, ratios = result["times"], result["ratios"]
        for label, over, under, target in (
            (
                "selfeval --help / minimal typer app (best of runs)",
                "selfeval --help",
                "minimal --help",
                1.1,
            ),
            (
                "selfeval status (worked example, nothing changed since) / selfeval --help",
                "selfeval status (worked example)",
                "selfeval --help",
                2.0,
            ),
            (
                "selfeval status (worked example, a comment added to a response) / selfeval --help",
                "selfeval status (one response changed)",
                "selfeval --help",
                2.0,
            ),
            (
                "selfeval status (worked example, one answer edited) / selfeval --help",
                "selfeval status (one answer edited)",
                "selfeval --help",
                2.0,
            ),
        ):
            r = ratios[f"{over} / {under}"]
            figures.append(
                Figure(label,
                       f"{times[over].best * 1000:.0f} / {times[under].best * 1000:.0f} ms "
                       f"(median {r['median']:.2f}x, CPU {r['cpu']:.2f}x)", r["best"], target)
            )  # fmt: skip

        baseline = workload.baseline_rss()
        print(f"\nInterpreter baseline (imports of aggregate, nothing done): {mb(baseline)} RSS")
        for index, size in enumerate(sizes):
            print()
            ws = base / f"ws-{size}"
            if not (ws / "selfeval.yaml").exists():
                start = time.perf_counter()
                make_workspace(ws, size)
                print(f"Generated {size} responses in {time.perf_counter() - start:.1f} s")
            rounds = (args.rounds or [])[index : index + 1] or [
                1 if args.quick or size >= 5000 else 3
            ]
            print(f"load average before: {load_average()}")
            measured = workload.measure(
                ws, rounds=rounds[0], jobs=args.jobs, timeout=args.timeout, validate=False
            )
            print(f"load average after: {load_average()}")
            print("\n".join(workload.report(measured)))
            figures += _workload_figures(measured, size, args.jobs, baseline)

    print()
    if args.no_fill:
        fill = None
    else:
        fill = fill_latency(args.quick)
        missing = ["Fill latency: benchmarks/fill_latency.py not found"]
        for line in (fill or {}).get("lines", missing):
            print(line)
    prompt = (fill or {}).get("B")
    figures.append(
        Figure("fill: Enter -> next prompt drawn, median", "", prompt and prompt[0], 20,
               unit=" ms", strict=True)
    )  # fmt: skip
    figures.append(
        Figure("fill: Enter -> next prompt drawn, p95", "", prompt and prompt[1], 50,
               unit=" ms", strict=True)
    )  # fmt: skip

    print()
    print(f"Targets of issue 20 (load average now {load_average()}):")
    for figure in figures:
        print(figure.line())
    met = sum(1 for f in figures if f.met)
    print(f"\n{met} of {len(figures)} targets met. Total time: {time.perf_counter() - began:.0f} s")
    return 0


def _workload_figures(
    measured: dict[str, Any], size: int, jobs: int, baseline: int
) -> list[Figure]:
    figs: dict[str, workload.Measured] = measured["figures"]
    floor = figs[workload.FLOOR_NAME]
    disk = measured["size"]

    def vs_floor(name: str, label: str, limit: float) -> Figure:
        m = figs.get(name)
        if m is None or not m.ok:
            why = "timed out" if m is not None and m.timed_out else "failed"
            return Figure(f"{label}, {size:,} / floor", why, None, limit)
        return Figure(f"{label}, {size:,} / floor",
                      f"{m.wall:.2f} / {floor.wall:.2f} s (CPU {m.cpu / floor.cpu:.2f}x: "
                      f"{m.cpu:.2f} / {floor.cpu:.2f} s)", m.wall / floor.wall, limit)  # fmt: skip

    out = [
        vs_floor(workload.FIRST, "aggregate first run", 1.0),
        vs_floor(workload.RERUN, "aggregate re-run, nothing changed", 0.3),
        vs_floor(workload.CHANGED, "aggregate re-run, one response changed", 0.35),
        # The same target for a change the report shows (the line above: a comment
        # line, which reads as before since the run record's cut-off).
        vs_floor(workload.EDITED, "aggregate re-run, one answer edited", 0.35),
        vs_floor(workload.jobs_name(jobs), f"aggregate --jobs {jobs} first run", 0.7),
    ]
    # Both with the read cache and their report's parts warm and both rendering (a
    # plain re-run with nothing changed renders nothing now: workload.py's steps 5
    # and 6 are the ones that render).
    draft, plain = figs.get(workload.DRAFT), figs.get(workload.RENDERED)
    if draft is not None and plain is not None and draft.ok and plain.ok:
        out.append(
            Figure(f"aggregate --draft / aggregate (re-runs), {size:,}",
                   f"{draft.wall:.2f} / {plain.wall:.2f} s (CPU {draft.cpu / plain.cpu:.2f}x)",
                   draft.wall / plain.wall, 1.2)
        )  # fmt: skip
    # The first draft of a workspace: the draft's parts not kept yet, all rendered.
    cold = figs.get(workload.DRAFT_FIRST)
    if cold is not None and plain is not None and cold.ok and plain.ok:
        out.append(
            Figure(f"aggregate --draft (its parts not kept yet) / aggregate, {size:,}",
                   f"{cold.wall:.2f} / {plain.wall:.2f} s (CPU {cold.cpu / plain.cpu:.2f}x)",
                   cold.wall / plain.wall, 1.2)
        )  # fmt: skip
    first = figs.get(workload.FIRST)
    if first is not None:
        peak = first.peak
        out.append(
            Figure(f"aggregate first run: (peak RSS - baseline) / data, {size:,}",
                   f"({mb(peak)} - {mb(baseline)}) / {mb(disk)}",
                   (peak - baseline) / disk if first.ok else None, 2.0)
        )  # fmt: skip
    return out


if __name__ == "__main__":
    sys.exit(main())
