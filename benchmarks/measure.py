"""Running a command and measuring it: wall time and peak memory (RSS).

Peak memory is measured two ways, both for the process *tree* a command
starts (``aggregate --jobs N`` runs worker processes):

* ``tree_peak``: the largest sum of the resident set sizes of the process and
  all its descendants, sampled from ``/proc`` every few milliseconds (Linux);
  this is what the machine had to hold at once. Sampling can miss a peak
  shorter than the interval, so it is a lower bound on brief spikes.
* ``max_rss``: the kernel's own high-water mark, from ``os.wait4``: the
  largest RSS reached by the process or any single descendant it waited
  for (not a sum). Exact, but per process.

Times are wall-clock, from ``time.perf_counter`` around the whole run
(start-up included), so they are what a user waits for; the CPU time (user +
system, from ``os.wait4``: the process and the workers it waited for) is
kept beside it, because on a machine shared with other work the wall time
grows with the load and the CPU time hardly does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Run:
    """One finished run of a command."""

    wall: float  #: seconds
    tree_peak: int  #: bytes, sampled sum over the process tree (0 if /proc is missing)
    max_rss: int  #: bytes, kernel high-water mark of the largest single process
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  #: seconds of user + system CPU time, the process and its waited-for workers

    @property
    def peak(self) -> int:
        """The best estimate of peak memory held at once (bytes)."""
        return max(self.tree_peak, self.max_rss)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Sum of the RSS of ``pid`` and all its descendants, in bytes (0 without /proc)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _rss(current)
        stack += _children(current)
    return total


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_every: float = 0.005,
    timeout: float | None = None,
) -> Run:
    """Run ``cmd`` to completion and measure it.

    Args:
        cmd: the command and its arguments.
        cwd: working folder.
        env: extra environment variables (added to the current environment).
        sample_every: seconds between RSS samples of the process tree.
        timeout: kill the command and its workers after this many seconds (returncode -9).

    Returns:
        A :class:`Run`; the command's output is captured, not shown.
    """
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # A session of its own, so a timeout can stop the workers too, not just the parent.
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=full_env, stdout=out, stderr=err, start_new_session=True
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(proc.pid))
                done.wait(sample_every)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.002)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall=wall,
            tree_peak=peak,
            max_rss=usage.ru_maxrss * 1024,  # Linux reports kilobytes
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            cpu=usage.ru_utime + usage.ru_stime,
        )


@dataclass(frozen=True)
class Timing:
    """Repeated runs of one command (seconds)."""

    wall: list[float]  #: wall time of each run
    cpu: list[float]  #: user + system CPU time of each run

    @property
    def median(self) -> float:
        """Median wall time."""
        return statistics.median(self.wall)

    @property
    def best(self) -> float:
        """Shortest wall time: the run least disturbed by other work on the machine."""
        return min(self.wall)

    @property
    def cpu_median(self) -> float:
        """Median CPU time; less sensitive than wall time to other processes."""
        return statistics.median(self.cpu)


def timings(commands: dict[str, Sequence[str]], repeat: int) -> dict[str, Timing]:
    """Run each command ``repeat`` times, interleaved so drift hits all alike.

    Each command is run once first as a warm-up (file cache), not counted.
    Output is discarded; a failing command raises ``CalledProcessError``.
    """
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for rounds in range(repeat + 1):
        for name, cmd in commands.items():
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                raise subprocess.CalledProcessError(proc.returncode, cmd)
            if rounds:
                wall[name].append(elapsed)
                cpu[name].append(usage.ru_utime + usage.ru_stime)
    return {name: Timing(wall[name], cpu[name]) for name in commands}


def selfeval_cmd() -> list[str]:
    """How to start ``selfeval`` the way a user does: the installed console script.

    Falls back to ``python -c`` when the script is not next to this interpreter
    (a shim such as pyenv's would add its own start-up time to every run).
    """
    script = Path(sys.executable).with_name("selfeval")
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "from selfeval.cli import main; main()"]


def mb(size: int) -> str:
    """Bytes as megabytes with one decimal."""
    return f"{size / 1e6:.1f} MB"
