"""The floor for aggregate and validate: read and C-parse the same response files, keep nothing.

One process, PyYAML's libyaml ``CSafeLoader`` (the fastest safe loader
PyYAML has), each file read, decoded and parsed, and the result dropped
before the next file is read (issue 20: an *honest* floor, parse-only).
Python's cyclic garbage collector is paused for the loop, as
``selfeval aggregate`` pauses it for its read step
(``selfeval.report.aggregate.paused_gc``); with nothing kept it makes
little difference either way. Whatever ``selfeval aggregate``/``validate``
take beyond this is our own work: checking, extracting findings, building
and rendering the report.

``--keep`` keeps every parsed document in a list instead (the floor of
issue 7, for comparison: ~1.35-1.5x slower, because the heap grows).

Usage:
    python benchmarks/floor.py WORKSPACE [--keep]
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import yaml


def response_files(workspace: Path) -> list[Path]:
    """The files ``Workspace.response_files`` lists: responses/*/*/*.yaml, kept versions out."""
    return sorted(
        p for p in (workspace / "responses").glob("*/*/*.yaml") if ".submitted-" not in p.name
    )


def parse_all(paths: list[Path], *, keep: bool = False) -> int | list[object]:
    """Read and safely parse every file with the C loader.

    Returns:
        The number of files parsed (nothing kept), or with ``keep`` the parsed documents.
    """
    loader = yaml.CSafeLoader
    if keep:
        return [yaml.load(p.read_bytes().decode("utf-8-sig"), Loader=loader) for p in paths]
    count = 0
    for p in paths:
        yaml.load(p.read_bytes().decode("utf-8-sig"), Loader=loader)
        count += 1
    return count


def main() -> None:
    args = sys.argv[1:]
    keep = "--keep" in args
    paths = response_files(Path(next(a for a in args if a != "--keep")))
    gc.disable()
    done = parse_all(paths, keep=keep)
    print(f"parsed {done if isinstance(done, int) else len(done)} files")


if __name__ == "__main__":
    main()
