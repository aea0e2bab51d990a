"""CPU time of the run record's inputs key (``runrecord.inputs_key``) on one workspace.

The key is what a ``status`` or ``aggregate`` answered from its last run's
record computes before anything else: the SHA-256 of every workspace file,
each read through the one read function. Run it with ``PYTHONPATH`` set to
the tree to measure, to compare two commits in one sitting.

Usage:
    PYTHONPATH=TREE python benchmarks/keybench.py WORKSPACE [KEYS]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from selfeval.report import runrecord


def main() -> None:
    """Print the mean CPU milliseconds per key over ``KEYS`` keys, after one warm-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("keys", type=int, nargs="?", default=10)
    args = parser.parse_args()
    root = args.workspace.resolve()
    options = {"benchmark": "keybench"}
    runrecord.inputs_key(root, options, report=False)  # warm: imports, the OS's file cache
    start = time.process_time()
    for _ in range(args.keys):
        runrecord.inputs_key(root, options, report=False)
    per_key = (time.process_time() - start) / args.keys * 1000
    print(f"{runrecord.__file__}: {per_key:.1f} ms CPU per key ({args.keys} keys)")


if __name__ == "__main__":
    main()
