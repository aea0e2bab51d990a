"""Faster YAML parsers for the bulk read, against today's loader (issue 20's evaluation).

Times ``yaml_rs`` and ``ryaml`` (Rust) against ``selfeval.files.yamlio.load_text``
and PyYAML's bare ``CSafeLoader`` on the same response files (best of a few
interleaved runs), counts the files on which each gives exactly today's
result, and prints what each makes of the inputs where YAML 1.1 (PyYAML,
today) and YAML 1.2 differ or where our loader refuses something. rapidyaml
(``ryml``) has no load-to-Python-objects call (it gives a tree to walk in
Python), so it is not timed.

None of these libraries is a dependency of selfeval; install them aside:

    pip install --target /tmp/yamllibs yaml_rs==0.1.6 ryaml==0.5.1
    python benchmarks/yaml_parsers.py WORKSPACE --libs /tmp/yamllibs [--files 300]

The decision and the figures are in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from floor import response_files

from selfeval.files import yamlio

#: Inputs where the libraries differ from today's loader (or where it refuses).
PROBES = [
    "a: NO", "a: on", "a: 08", "a: 1e3", "a: 1:20", "a: 2006-05-16", "a: !foo x",
    "a: !!python/object/apply:os.system [echo]", "a: &x [1]\nb: *x", "a: 1\na: 2",
    "a:\n\t- x", "a: " + "[" * 100 + "]" * 100,
]  # fmt: skip


def _parsers(libs: Path | None) -> dict[str, Callable[[str], Any]]:
    if libs is not None:
        sys.path.append(str(libs))
    found: dict[str, Callable[[str], Any]] = {
        "yamlio.load_text (today)": yamlio.load_text,
        "CSafeLoader, bare": lambda text: yaml.load(text, Loader=yaml.CSafeLoader),
    }
    try:
        import yaml_rs

        found[f"yaml_rs {yaml_rs.__version__}"] = lambda text: yaml_rs.loads(
            text, parse_datetime=False
        )
    except ImportError:
        print("yaml_rs: not installed")
    try:
        import ryaml

        found["ryaml"] = ryaml.loads
    except ImportError:
        print("ryaml: not installed")
    return found


def _outcome(parse: Callable[[str], Any], text: str) -> str:
    try:
        return repr(parse(text))[:40]
    except Exception as exc:
        return f"refused ({type(exc).__name__})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--libs", type=Path, help="folder the libraries were installed in")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    parsers = _parsers(args.libs)
    paths = response_files(args.workspace)[: args.files]
    texts = [p.read_bytes().decode("utf-8-sig") for p in paths]
    print(f"{len(texts)} files, {sum(map(len, texts)) / 1e6:.1f} M characters")
    gc.disable()
    best = {name: float("inf") for name in parsers}
    results: dict[str, list[Any]] = {}
    for _ in range(args.rounds):
        for name, parse in parsers.items():
            start = time.perf_counter()
            results[name] = [parse(text) for text in texts]
            best[name] = min(best[name], time.perf_counter() - start)
    today = results["yamlio.load_text (today)"]
    base = best["CSafeLoader, bare"]
    for name in parsers:
        same = sum(a == b for a, b in zip(today, results[name], strict=True))
        print(
            f"  {name:<28} {best[name]:7.3f} s  {best[name] / base:5.2f}x CSafeLoader  "
            f"identical to today on {same}/{len(texts)} files"
        )
    print("Where they differ from today's loader:")
    for text in PROBES:
        shown = " | ".join(_outcome(parse, text) for parse in parsers.values())
        print(f"  {text[:30]!r:<34} {shown}")


if __name__ == "__main__":
    main()
