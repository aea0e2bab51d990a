"""All selfeval benchmarks in one run: ratios measured in the same run, and peak memory.

1. start-up: ``selfeval --help`` and ``selfeval status --help`` against a
   minimal typer app with the same command names (``startup.py``);
2. ``selfeval aggregate`` (and ``--jobs N``) on 1,000 and 10,000 generated
   responses against the floor: reading and C-parsing the same files in one
   process (``workload.py``, ``floor.py``, ``generate.py``);
3. ``selfeval validate`` on the same workspaces against the same floor;
4. one answer in ``fill``: from the answer to the next prompt being ready,
   atomic save included (``fill_latency.py``, by the fill engineer).

Ends with each figure against its target (issue 7). Nothing here is a test:
timings depend on the machine; see ``docs/performance.md`` for a run.

Usage:
    python benchmarks/run.py            # full run, a few minutes on 2 cores
    python benchmarks/run.py --quick    # tiny sizes, seconds (the smoke test runs this)
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
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import startup
import workload
from generate import make_workspace
from measure import mb

TARGETS = {
    "help": 1.10,  # selfeval --help within 1.1x the minimal typer app
    "aggregate": 1.25,  # aggregate of the largest size within 1.25x the floor
    "jobs": 1.0,  # aggregate --jobs N faster than the floor
    "memory": 2.0,  # peak RSS under 2x the responses' size on disk
    "fill_ms": 20.0,  # Enter -> next prompt, median
}


def machine() -> str:
    """One line about where this ran."""
    try:
        import yaml

        yaml_impl = "libyaml (C)" if hasattr(yaml, "CSafeLoader") else "pure Python"
    except ImportError:  # pragma: no cover
        yaml_impl = "none"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, YAML {yaml_impl}, load average {load:.2f}"
    )


def fill_latency(quick: bool) -> dict[str, Any] | None:
    """One answer in ``fill``: Enter -> next prompt ready, atomic save included.

    Runs the fill engineer's ``benchmarks/fill_latency.py`` (the real filling
    engine over the shipped self-evaluation, ~50 KB response) as its own
    process and reads its medians: "A" is engine + atomic save with a
    scripted prompter, "B" adds drawing the real questionary prompt (pipe
    input). Returns None when that script is not there.

    Returns:
        ``{"median_ms": B or A, "engine_ms": A, "prompt_ms": B, "lines": [...]}``;
        a median the script did not print is None.
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
    lines = ["Fill: one answer, Enter -> next prompt ready (benchmarks/fill_latency.py):"]
    lines += [f"  {line}" for line in done.stdout.splitlines()]
    if done.returncode != 0:
        lines += [f"  exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"]
    medians = {}
    for line in done.stdout.splitlines():
        found = re.match(r"\s*([AB])\s.*?median ([0-9.]+) ms", line)
        if found:
            medians[found.group(1)] = float(found.group(2))
    engine, prompt = medians.get("A"), medians.get("B")
    return {
        "median_ms": prompt if prompt is not None else engine,
        "engine_ms": engine,
        "prompt_ms": prompt,
        "lines": lines,
    }


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("MET " if ok else "MISS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repeats")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of responses")
    parser.add_argument("--jobs", type=int, default=2, help="workers for aggregate --jobs")
    parser.add_argument("--repeat", type=int, help="start-up runs per command (median)")
    parser.add_argument(
        "--timeout", type=float, default=4.0, help="give a command up at this many times the floor"
    )
    parser.add_argument("--no-validate", action="store_true", help="skip validate")
    parser.add_argument("--keep", type=Path, help="generate workspaces here and keep them")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([5] if args.quick else [1000, 10000])
    repeat = args.repeat or (3 if args.quick else 20)
    began = time.perf_counter()
    figures: list[tuple[str, str, str, bool | None]] = []

    print(machine())
    print()
    result = startup.measure(repeat)
    print("\n".join(startup.report(result)))
    # Judged on the best of the interleaved runs: other processes on a shared
    # machine only ever add time (as the timeit docs argue for its minimum).
    for key, name, target in (
        ("selfeval --help / minimal --help", "selfeval --help / minimal typer app", True),
        ("selfeval status --help / minimal status --help", "selfeval status --help / minimal",
         False),
    ):  # fmt: skip
        r = result["ratios"][key]
        figures.append(
            (name, f"{r['best']:.2f}x best ({r['median']:.2f}x median, {r['cpu']:.2f}x CPU)",
             "<= 1.10x" if target else "(measured)",
             r["best"] <= TARGETS["help"] if target else None)
        )  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        base = args.keep or Path(tmp)
        for size in sizes:
            print()
            ws = base / f"ws-{size}"
            if not (ws / "selfeval.yaml").exists():
                start = time.perf_counter()
                make_workspace(ws, size)
                print(f"Generated {size} responses in {time.perf_counter() - start:.1f} s")
            measured = workload.measure(
                ws, jobs=[1, args.jobs], timeout=args.timeout, validate=not args.no_validate
            )
            print("\n".join(workload.report(measured)))
            floor = measured["runs"][0].run.wall
            disk = measured["size"]
            for m in measured["runs"][1:]:
                ratio = m.run.wall / floor
                shown = f"{ratio:.2f}x" + (" (timed out)" if m.timed_out else "")
                if not m.ok and not m.timed_out:
                    shown = f"failed (exit {m.run.returncode})"
                target, ok = "(measured)", None
                if m.name == "aggregate":
                    target, ok = "<= 1.25x", m.ok and ratio <= TARGETS["aggregate"]
                elif m.name.startswith("aggregate --jobs"):
                    target, ok = "< 1.00x", m.ok and ratio < TARGETS["jobs"]
                figures.append((f"{m.name} / floor, {size} responses", shown, target, ok))
                if m.name.startswith("aggregate"):
                    peak = m.run.peak / disk
                    figures.append(
                        (f"{m.name} peak RSS / size on disk, {size}",
                         f"{peak:.2f}x ({mb(m.run.peak)})" + (" (timed out)" * m.timed_out),
                         "< 2.00x",
                         m.ok and peak < TARGETS["memory"])
                    )  # fmt: skip

    print()
    fill = fill_latency(args.quick)
    if fill is None:
        print("Fill latency: benchmarks/fill_latency.py not found")
        figures.append(("fill: Enter -> next prompt, median", "not measured", "< 20 ms", None))
    else:
        for line in fill.get("lines", []):
            print(line)
        for key, label in (("engine_ms", "engine + atomic save"), ("prompt_ms", "+ prompt drawn")):
            value = fill.get(key)
            figures.append(
                (f"fill: Enter -> next prompt ({label}), median",
                 f"{value:.1f} ms" if value is not None else "not measured", "< 20 ms",
                 None if value is None else value < TARGETS["fill_ms"])
            )  # fmt: skip

    print()
    print("Figures against the targets of issue 7:")
    for name, value, target, ok in figures:
        print(f"  {_verdict(ok)}  {name:<50} {value:>36}   target {target}")
    print(f"\nTotal benchmark time: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
