"""``selfeval aggregate`` (first run, re-runs, ``--jobs``, ``--draft``) against the floor.

The floor (``benchmarks/floor.py``) reads and C-parses the same response files
in one process, keeping nothing. Each command runs as a user runs it (a
fresh process, start-up included) and is measured for wall time and peak
memory of its whole process tree (workers included).

One *round* runs, in this order (the cache state each needs is made first):

1. the floor;
2. ``aggregate`` with an empty cache (``selfeval cache clear`` first): the first run;
3. ``aggregate`` again, nothing changed: the re-run (the last run's record
   stands for it: nothing is read, rendered or written);
4. ``aggregate --draft``: the read cache warm, the draft rendered in full
   (its parts are not kept yet: ``.selfeval/cache/fragments/`` keeps each
   kind of report's parts apart, and the draft shows ids);
5. ``aggregate --draft`` again, its last run's record removed first: the
   read cache and the draft's parts warm — a secretariat's second draft;
6. ``aggregate`` again, its last run's record removed first: the read cache
   and the report's parts (kept by 2) warm and the report rendered — the
   plain run 5 is compared with (the same cache state, both render; 3
   renders nothing);
7. ``aggregate`` after one response changed (a comment line added to it:
   that response is parsed again; it reads as before, so since 3 December,
   evening, the last run's record stands for the run: its cut-off,
   ``selfeval/report/runrecord.py``; before, every part of the report was
   reused and the page rendered and written);
8. ``aggregate`` after one answer the report shows was edited (the title of
   the first bottleneck of the same response): that response reads
   otherwise, so the report is built and rendered again (the parts that do
   not show the title reused);
9. ``aggregate --jobs N`` with an empty cache;
10. ``validate`` (optional).

Rounds are repeated and each figure's *best* (shortest) run is kept: on a
shared machine other processes only ever add time. Ratios are taken between
figures of the same rounds.

Usage:
    python benchmarks/workload.py WORKSPACE [--rounds 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor import response_files
from measure import Run, mb, run, selfeval_cmd

FLOOR = str(Path(__file__).with_name("floor.py"))

#: The figures of one round, in the order they run.
FLOOR_NAME = "floor (read + C-parse, nothing kept)"
FIRST = "aggregate, first run (empty cache)"
RERUN = "aggregate, re-run, nothing changed"
DRAFT_FIRST = "aggregate --draft, its parts not kept yet"
DRAFT = "aggregate --draft, re-run"
RENDERED = "aggregate, re-run after --draft (renders)"
CHANGED = "aggregate, re-run, one response changed"
EDITED = "aggregate, re-run, one answer edited"
VALIDATE = "validate"


def jobs_name(jobs: int) -> str:
    """The figure name of ``aggregate --jobs N`` with an empty cache."""
    return f"aggregate --jobs {jobs}, first run"


@dataclass
class Measured:
    """All runs of one command on one workspace."""

    name: str
    runs: list[Run] = field(default_factory=list)
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """True when at least one run finished with exit 0 in time (a run given up is killed)."""
        return any(r.returncode == 0 for r in self.runs)

    @property
    def best(self) -> Run:
        """The shortest finished run (other work on the machine only ever adds time)."""
        finished = [r for r in self.runs if r.returncode == 0] or self.runs
        return min(finished, key=lambda r: r.wall)

    @property
    def wall(self) -> float:
        """Seconds of the best run."""
        return self.best.wall

    @property
    def cpu(self) -> float:
        """Least CPU seconds of the finished runs (user + system, workers included)."""
        return min(r.cpu for r in self.runs if r.returncode == 0 or not self.ok)

    @property
    def peak(self) -> int:
        """The largest peak memory of all runs (bytes)."""
        return max(r.peak for r in self.runs)


def forget_runs(workspace: Path) -> None:
    """Remove the records of the last runs (``.selfeval/cache/runs/``): the next run renders."""
    for record in (workspace / ".selfeval" / "cache" / "runs").glob("*.json"):
        record.unlink()


def clear_cache(workspace: Path) -> None:
    """``selfeval cache clear`` on the workspace (a no-op on a build without the cache)."""
    subprocess.run(
        [*selfeval_cmd(), "cache", "clear", "-w", str(workspace)],
        capture_output=True,
        check=False,
    )


def touch_one(workspace: Path, round_no: int) -> Path:
    """Change one response: a comment line at its end, different each time (never a no-op).

    The line names the round and the time: with only the round, a second run
    of the benchmark on a kept workspace wrote the same line again, nothing
    changed, and the last run's record answered the "changed" run.
    """
    path = response_files(workspace)[len(response_files(workspace)) // 2]
    before = path.read_text("utf-8")
    text = before.split("\n# benchmark edit", 1)[0].rstrip("\n") + "\n"
    path.write_text(text + f"# benchmark edit {round_no} {time.time_ns()}\n", "utf-8")
    if path.read_text("utf-8") == before:  # pragma: no cover - the clock stood still
        raise RuntimeError(f"{path} did not change")
    return path


def edit_answer(workspace: Path, round_no: int) -> Path:
    """Edit one answer the report shows: the first bottleneck's title of :func:`touch_one`'s file.

    The title becomes ``Bewerkt knelpunt <round> <time>``, different each
    time (never a no-op), so the response reads otherwise than before.
    """
    path = response_files(workspace)[len(response_files(workspace)) // 2]
    text = path.read_text("utf-8")
    head, sep, rest = text.partition("\n  bottlenecks:\n  - title: ")
    if not sep or rest[:1] in ("'", '"'):  # pragma: no cover - another generator
        raise RuntimeError(f"{path}: no plain bottleneck title to edit")
    _, newline, tail = rest.partition("\n")
    title = f"Bewerkt knelpunt {round_no} {time.time_ns()}"
    path.write_text(head + sep + title + newline + tail, "utf-8")
    return path


def measure(
    workspace: Path,
    *,
    rounds: int = 1,
    jobs: int = 2,
    timeout: float = 6.0,
    timeout_floor: float = 30.0,
    validate: bool = False,
) -> dict[str, Any]:
    """Measure a round of commands ``rounds`` times on ``workspace`` (see the module doc).

    A command is given up (and shown as timed out) after ``timeout`` times
    the floor's time, but never before ``timeout_floor`` seconds.

    Returns:
        ``{"files": n, "size": bytes, "figures": {name: Measured}}``.
    """
    files = response_files(workspace)
    size = sum(p.stat().st_size for p in files)
    selfeval = selfeval_cmd()
    ws = ["-w", str(workspace)]
    aggregate = [*selfeval, "aggregate", *ws]
    figures: dict[str, Measured] = {}

    def timed(name: str, cmd: list[str]) -> None:
        measured = figures.setdefault(name, Measured(name))
        floor = figures.get(FLOOR_NAME)
        limit = None
        if floor is not None and floor.runs and name != FLOOR_NAME:
            limit = max(timeout_floor, timeout * floor.wall)
        result = run(cmd, timeout=limit)
        measured.runs.append(result)
        if limit is not None and result.wall >= limit:
            measured.timed_out = True

    for round_no in range(rounds):
        timed(FLOOR_NAME, [sys.executable, FLOOR, str(workspace)])
        clear_cache(workspace)
        timed(FIRST, aggregate)
        timed(RERUN, aggregate)
        timed(DRAFT_FIRST, [*aggregate, "--draft"])
        forget_runs(workspace)
        timed(DRAFT, [*aggregate, "--draft"])
        forget_runs(workspace)
        timed(RENDERED, aggregate)
        touch_one(workspace, round_no)
        timed(CHANGED, aggregate)
        edit_answer(workspace, round_no)
        timed(EDITED, aggregate)
        if jobs > 1:
            clear_cache(workspace)
            timed(jobs_name(jobs), [*aggregate, "--jobs", str(jobs)])
        if validate:
            timed(VALIDATE, [*selfeval, "validate", *ws])
    return {"files": len(files), "size": size, "figures": figures}


def baseline_rss() -> int:
    """Peak RSS of an interpreter that has imported what aggregate imports, and done nothing.

    Subtracted from a command's peak memory before comparing it with the
    size of the responses (the target is "2x the data, plus the interpreter").
    """
    code = (
        "import selfeval.cli, selfeval.report.aggregate, selfeval.report.render, "
        "selfeval.report.readcache, jinja2, yaml"
    )
    return run([sys.executable, "-c", code]).peak


def report(result: dict[str, Any], label: str = "") -> list[str]:
    """Lines to print: time, ratio to the floor, peak memory and its ratio to the size on disk."""
    size = result["size"]
    figures: dict[str, Measured] = result["figures"]
    floor = figures[FLOOR_NAME].wall
    floor_cpu = figures[FLOOR_NAME].cpu or 1e-9
    runs = len(figures[FLOOR_NAME].runs)
    lines = [
        f"{label}{result['files']} responses, {mb(size)} on disk (best of {runs} "
        f"interleaved rounds; wall time, start-up included; memory: peak RSS of the process tree)"
    ]
    for m in figures.values():
        r = m.best
        status = ""
        if m.timed_out and not m.ok:
            status = "  TIMED OUT (ratio is a lower bound)"
        elif m.timed_out:
            status = f"  ({sum(x.returncode != 0 for x in m.runs)} of {len(m.runs)} runs timed out)"
        elif not m.ok:
            bad = next(r for r in m.runs if r.returncode != 0)
            last = (bad.stderr.strip().splitlines() or ["?"])[-1]
            status = f"  exit {bad.returncode}: {last[:120]}"
        lines.append(
            f"  {m.name:<40} {r.wall:8.2f} s  {r.wall / floor:5.2f}x floor   "
            f"CPU {m.cpu:7.2f} s {m.cpu / floor_cpu:5.2f}x   "
            f"peak {mb(m.peak):>9}  {m.peak / size:5.2f}x size on disk{status}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    result = measure(args.workspace, rounds=args.rounds, jobs=args.jobs, validate=args.validate)
    print("\n".join(report(result)))


if __name__ == "__main__":
    main()
