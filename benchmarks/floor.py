"""The floor for aggregate and validate: read and C-parse the same response files, nothing else.

One process, PyYAML's libyaml ``CSafeLoader`` (the fastest safe loader
there is), the parsed data kept in a list as a report builder would keep
it. Whatever ``selfeval aggregate``/``validate`` take beyond this is our
own work: checking, extracting findings, building and rendering the report.

Usage:
    python benchmarks/floor.py WORKSPACE
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def response_files(workspace: Path) -> list[Path]:
    """The files ``Workspace.response_files`` lists: responses/*/*/*.yaml, kept versions out."""
    return sorted(
        p for p in (workspace / "responses").glob("*/*/*.yaml") if ".submitted-" not in p.name
    )


def parse_all(paths: list[Path]) -> list[object]:
    """Read and safely parse every file with the C loader."""
    loader = yaml.CSafeLoader
    return [yaml.load(p.read_bytes().decode("utf-8-sig"), Loader=loader) for p in paths]


def main() -> None:
    paths = response_files(Path(sys.argv[1]))
    data = parse_all(paths)
    print(f"parsed {len(data)} files")


if __name__ == "__main__":
    main()
