"""``selfeval status`` on the worked example with two or more source trees, side by side.

For an A/B of a change to status (or to what it imports): each tree is run
as ``PYTHONPATH=TREE python -P -c …`` (``-P``: the current folder's
``selfeval``, if any, is not imported instead), each on its own copy of the
worked example (a tree's records and kept rows are its own: the tool
fingerprint differs), interleaved, one warm-up round not counted. Prints the
CPU median (user + system, from ``wait4``) of each step per tree, and its
ratio to that tree's ``--help``.

Steps (``--steps``, in this order each round):
    help     ``selfeval --help``
    cold     ``.selfeval/cache`` removed first: a first status
    edited   a number put at the end of the first answer line of the first
             self-evaluation: the response reads otherwise
    warm     nothing changed since the last status
    comment  a comment with a new number at the end of the first response:
             it reads as before

Usage:
    python benchmarks/status_trees.py EXAMPLE_DIR TREE [TREE ...] [--rounds N] [--steps a,b]

``EXAMPLE_DIR`` is a worked example (``selfeval init --example DIR``); the
copies are made beside it as ``DIR-0``, ``DIR-1``, … (made again each run).
Each ``TREE`` is a folder holding a ``selfeval`` package (a worktree, or a
``git archive`` of a commit), byte-compiled first.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

_TAIL = """
sys.argv = ["selfeval", "status", "-w", WS]
from selfeval.cli import main
sys.exit(main())
"""

STEPS = {
    "help": "import sys\nsys.argv = ['selfeval', '--help']\n"
    "from selfeval.cli import main\nsys.exit(main())\n",
    "cold": "import shutil, sys\nshutil.rmtree(WS + '/.selfeval/cache', ignore_errors=True)\n"
    + _TAIL,
    "edited": """import re, sys, time
from pathlib import Path
path = sorted((Path(WS) / "responses").rglob("self-evaluation.yaml"))[0]
text = re.sub(r"(?m)^(    \\S.*?)(?: \\(edit \\d+\\))?$",
              lambda m: m[1] + " (edit %d)" % time.time_ns(), path.read_text("utf-8"), count=1)
path.write_text(text, "utf-8")
"""
    + _TAIL,
    "warm": "import sys\n" + _TAIL,
    "comment": """import sys, time
from pathlib import Path
path = sorted((Path(WS) / "responses").rglob("*.yaml"))[0]
text = path.read_bytes().split(b"\\n# changed ")[0]
path.write_bytes(text + b"\\n# changed %d\\n" % time.time_ns())
"""
    + _TAIL,
}


def _cpu_ms(tree: Path, workspace: Path, step: str) -> float:
    """Run one step in a fresh interpreter; its user + system CPU in ms."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    code = f"WS = {str(workspace)!r}\n" + STEPS[step]
    proc = subprocess.Popen(
        [sys.executable, "-P", "-c", code],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: {step} failed:\n{err.decode('utf-8', 'replace')[-2000:]}")
    return 1000 * (usage.ru_utime + usage.ru_stime)


def main() -> None:
    """Parse the arguments, run the rounds, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", type=Path)
    parser.add_argument("trees", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--steps", default="help,cold,edited,warm,comment")
    args = parser.parse_args()
    steps = args.steps.split(",")
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)} (known: {', '.join(STEPS)})")
    copies: dict[Path, Path] = {}
    for index, tree in enumerate(args.trees):
        compileall.compile_dir(tree / "selfeval", quiet=1)
        copy = args.example.with_name(f"{args.example.name}-{index}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(args.example, copy, ignore=shutil.ignore_patterns(".selfeval"))
        copies[tree] = copy
    cpu: dict[tuple[Path, str], list[float]] = {(t, s): [] for t in args.trees for s in steps}
    print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for round_ in range(args.rounds + 1):
        for step in steps:
            for tree in args.trees:
                spent = _cpu_ms(tree, copies[tree], step)
                if round_:  # the first round warms the file cache and makes the records
                    cpu[(tree, step)].append(spent)
    print("load average after: ", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"CPU medians of {args.rounds} runs (user + system), and / that tree's --help:")
    for tree in args.trees:
        help_ms = statistics.median(cpu[(tree, "help")]) if "help" in steps else None
        for step in steps:
            median = statistics.median(cpu[(tree, step)])
            ratio = f"  {median / help_ms:5.2f}x" if help_ms else ""
            print(f"  {tree!s:40} {step:8} {median:8.1f} ms{ratio}")


if __name__ == "__main__":
    main()
