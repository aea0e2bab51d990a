"""``selfeval aggregate`` and ``selfeval validate`` on a generated workspace, against the floor.

The floor (``benchmarks/floor.py``) reads and C-parses the same response files
in one process and does nothing else. Each command runs as a user runs it
(a fresh process, start-up included) and is measured for wall time and
peak memory of its whole process tree (workers included).

Usage:
    python benchmarks/workload.py WORKSPACE [--jobs 1 2] [--timeout TIMES_FLOOR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor import response_files
from measure import Run, mb, run, selfeval_cmd

FLOOR = str(Path(__file__).with_name("floor.py"))


@dataclass(frozen=True)
class Measured:
    """One command measured on one workspace."""

    name: str
    run: Run
    timed_out: bool

    @property
    def ok(self) -> bool:
        """True when the command finished with exit 0."""
        return not self.timed_out and self.run.returncode == 0


def supports_jobs() -> bool:
    """Whether this build's ``selfeval aggregate`` has ``--jobs``."""
    out = subprocess.run(
        [*selfeval_cmd(), "aggregate", "--help"], capture_output=True, text=True
    ).stdout
    return "--jobs" in out


def measure(
    workspace: Path,
    *,
    jobs: list[int],
    timeout: float = 4.0,
    timeout_floor: float = 20.0,
    validate: bool = True,
) -> dict[str, Any]:
    """Measure the floor, validate and aggregate (once per ``jobs`` value) on ``workspace``.

    A command is given up (and shown as timed out) after ``timeout`` times
    the floor's time, but never before ``timeout_floor`` seconds; this keeps
    a whole run within minutes even when a command scales badly. The floor
    itself gets ``timeout * 100`` seconds.

    Returns:
        ``{"files": n, "size": bytes, "runs": [Measured, ...]}``; the floor is first.
    """
    files = response_files(workspace)
    size = sum(p.stat().st_size for p in files)
    selfeval = selfeval_cmd()
    commands: list[tuple[str, list[str]]] = [
        ("floor (read + C-parse)", [sys.executable, FLOOR, str(workspace)])
    ]
    if validate:
        commands.append(("validate", [*selfeval, "validate", "-w", str(workspace)]))
    has_jobs = supports_jobs()
    for n in jobs:
        if n == 1:
            commands.append(("aggregate", [*selfeval, "aggregate", "-w", str(workspace)]))
        elif has_jobs:
            commands.append(
                (
                    f"aggregate --jobs {n}",
                    [*selfeval, "aggregate", "-w", str(workspace), "-j", str(n)],
                )
            )
    runs: list[Measured] = []
    for name, cmd in commands:
        limit = timeout * 100 if not runs else max(timeout_floor, timeout * runs[0].run.wall)
        result = run(cmd, timeout=limit)
        runs.append(Measured(name, result, timed_out=result.wall >= limit))
    return {"files": len(files), "size": size, "runs": runs, "jobs_supported": has_jobs}


def report(result: dict[str, Any], label: str = "") -> list[str]:
    """Lines to print: time, ratio to the floor, peak memory and its ratio to the size on disk."""
    size = result["size"]
    runs: list[Measured] = result["runs"]
    floor = runs[0].run.wall
    lines = [
        f"{label}{result['files']} responses, {mb(size)} on disk "
        f"(times: wall, start-up included; memory: peak RSS of the process tree)"
    ]
    for m in runs:
        r = m.run
        ratio = r.wall / floor
        status = ""
        if m.timed_out:
            status = "  TIMED OUT (ratio is a lower bound)"
        elif r.returncode != 0:
            last = (r.stderr.strip().splitlines() or ["?"])[-1]
            status = f"  exit {r.returncode}: {last[:120]}"
        lines.append(
            f"  {m.name:<26} {r.wall:8.2f} s  {ratio:5.2f}x floor   "
            f"peak {mb(r.peak):>9}  {r.peak / size:5.2f}x size on disk{status}"
        )
    if not result["jobs_supported"]:
        lines.append("  (aggregate has no --jobs option in this build; parallel run skipped)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=4.0, help="give up at this x floor")
    args = parser.parse_args()
    print("\n".join(report(measure(args.workspace, jobs=args.jobs, timeout=args.timeout))))


if __name__ == "__main__":
    main()
