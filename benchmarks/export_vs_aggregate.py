"""``selfeval export`` against ``selfeval aggregate`` on the same generated responses.

Issue 14's target: exporting 10,000 responses takes at most 1.5x the time
of aggregating them. Both run as a user runs them (a fresh process, start-up
included), interleaved, each ``--repeat`` times; the best run of each is
compared (other work on a shared machine only ever adds time), the median
shown beside it. Export is measured in each format asked for; its output goes
to a temporary folder. The target is judged on CPU time (user + system): on
a machine shared with other work the wall time grows with the load, which is
printed as each run begins; the CPU time hardly does.

Usage:
    python benchmarks/export_vs_aggregate.py                     # 1,000 responses
    python benchmarks/export_vs_aggregate.py --sizes 1000 10000 --keep /tmp/bench
    python benchmarks/export_vs_aggregate.py --cache warm        # both from the per-response cache
    python benchmarks/export_vs_aggregate.py --quick             # 5 responses (the smoke test)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_workspace
from measure import Run, mb, run, selfeval_cmd

TARGET = 1.5  # export within 1.5x aggregate


def measure(
    ws: Path, formats: list[str], repeat: int, out: Path, cache: str
) -> tuple[dict[str, list[Run]], dict[str, list[float]]]:
    """Run aggregate and export (each format) ``repeat`` times, interleaved.

    ``cache``: ``off`` runs both with ``--no-cache`` (every response read and
    checked: the read step costs the same for both); ``warm`` runs each
    command once first, uncounted, so both read every response from the
    per-response cache (``.selfeval/cache/``), as a second run does; aggregate's
    run record (``.selfeval/cache/runs/``, which makes a re-run with nothing
    changed do nothing) is removed before each of its runs.

    Returns:
        The runs per command, and the 1-minute load average as each run began
        (the wall times move with it on a shared machine; the CPU times hardly do).
    """
    selfeval = selfeval_cmd()
    flag = ["--no-cache"] if cache == "off" else []
    commands = {"aggregate": [*selfeval, "aggregate", "-w", str(ws), *flag]}
    for fmt in formats:
        target = out / (f"export-{fmt}" if fmt == "csv" else f"export.{fmt}")
        commands[f"export --format {fmt}"] = [
            *selfeval, "export", "-w", str(ws), "--format", fmt, "-o", str(target), *flag,
        ]  # fmt: skip
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    loads: dict[str, list[float]] = {name: [] for name in commands}
    if cache == "warm":
        for name, cmd in commands.items():
            if run(cmd).returncode != 0:
                raise SystemExit(f"{name} failed in the warm-up run")
    for _ in range(repeat):
        for name, cmd in commands.items():
            if cache == "warm" and name == "aggregate":
                # Aggregate's run record would make a re-run with nothing changed do
                # nothing at all; the comparison is of reading from the per-response cache.
                shutil.rmtree(ws / ".selfeval" / "cache" / "runs", ignore_errors=True)
            loads[name].append(os.getloadavg()[0])
            result = run(cmd)
            if result.returncode != 0:
                raise SystemExit(f"{name} failed (exit {result.returncode}): {result.stderr}")
            runs[name].append(result)
    return runs, loads


def report(
    size: int, runs: dict[str, list[Run]], loads: dict[str, list[float]]
) -> list[tuple[str, float, float, bool]]:
    """Print the times and return (figure, wall ratio, CPU ratio, met on CPU) per export format."""
    base = runs["aggregate"]
    best = min(r.wall for r in base)
    best_cpu = min(r.cpu for r in base)
    print(f"{size} responses (start-up included; wall best / median of {len(base)}, CPU best):")
    figures = []
    for name, results in runs.items():
        walls = [r.wall for r in results]
        cpu = min(r.cpu for r in results)
        peak = max(r.tree_peak for r in results)
        ratio, cpu_ratio = min(walls) / best, cpu / best_cpu
        print(
            f"  {name:<22} {min(walls):8.2f} s best  {statistics.median(walls):8.2f} s median"
            f"  {cpu:8.2f} s CPU  peak {mb(peak):>9}"
            + ("" if name == "aggregate" else f"  {ratio:5.2f}x wall  {cpu_ratio:5.2f}x CPU")
            + f"  load at start {', '.join(f'{x:.1f}' for x in loads[name])}"
        )
        if name != "aggregate":
            figures.append(
                (f"{name} / aggregate, {size} responses", ratio, cpu_ratio, cpu_ratio <= TARGET)
            )
    return figures


def load() -> str:
    """The machine's load average (1, 5, 15 minutes) and its CPU count, for the record."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--formats", nargs="+", default=["csv", "json", "xlsx"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="5 responses, one run each")
    parser.add_argument("--keep", type=Path, help="generate workspaces here and keep them")
    parser.add_argument(
        "--cache",
        choices=["off", "warm"],
        default="off",
        help="off: both with --no-cache (default); warm: both reading the per-response cache",
    )
    args = parser.parse_args(argv)
    sizes = [5] if args.quick else args.sizes
    repeat = 1 if args.quick else args.repeat
    began = time.perf_counter()
    print(f"Start: {load()}")
    figures = []
    with tempfile.TemporaryDirectory(prefix="selfeval-export-bench-") as tmp:
        base = args.keep or Path(tmp)
        for size in sizes:
            ws = base / f"ws-{size}"
            if not (ws / "selfeval.yaml").exists():
                start = time.perf_counter()
                make_workspace(ws, size)
                print(f"Generated {size} responses in {time.perf_counter() - start:.1f} s")
            out = Path(tmp) / f"out-{size}"
            out.mkdir(parents=True, exist_ok=True)
            print(f"Cache: {args.cache}")
            figures += report(size, *measure(ws, args.formats, repeat, out, args.cache))
    print("\nAgainst the target of issue 14 (export <= 1.5x aggregate, judged on CPU time):")
    for name, ratio, cpu_ratio, met in figures:
        verdict = "MET " if met else "MISS"
        print(f"  {verdict}  {name:<48} {ratio:5.2f}x wall  {cpu_ratio:5.2f}x CPU")
    print(f"\nEnd: {load()}")
    print(f"Total benchmark time: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
