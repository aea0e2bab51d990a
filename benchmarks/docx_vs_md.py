"""Word output against Markdown: ``aggregate --format docx`` vs ``aggregate`` on the worked example.

Each command is a fresh ``selfeval`` process, as a user runs it, on a copy of
the worked example (``selfeval init --example``); runs are interleaved so
drift on the machine hits both alike. Target (issue 13): the Word run within
2x the Markdown run. Both draw Figures 1 and 2 (Markdown writes them beside
the report as PNG), so the ratio is the cost of building the Word document.

Usage:
    python benchmarks/docx_vs_md.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import selfeval_cmd, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    args = parser.parse_args(argv)
    cmd = selfeval_cmd()
    with tempfile.TemporaryDirectory(prefix="selfeval-docx-bench-") as tmp:
        ws = Path(tmp) / "example"
        subprocess.run([*cmd, "init", "--example", str(ws)], check=True, capture_output=True)
        base = [*cmd, "aggregate", "--workspace", str(ws)]
        commands = {
            "md": [*base, "-o", str(Path(tmp) / "r.md")],
            "html": [*base, "-f", "html", "-o", str(Path(tmp) / "r.html")],
            "docx": [*base, "-f", "docx", "-o", str(Path(tmp) / "r.docx")],
        }
        found = timings(commands, args.repeat)
    md = found["md"]
    print(f"worked example, {args.repeat} runs each (median wall / median CPU):")
    for name, t in found.items():
        print(
            f"  {name:5} {t.median:6.3f} s  {t.cpu_median:6.3f} s CPU"
            f"   x{t.median / md.median:4.2f} wall, x{t.cpu_median / md.cpu_median:4.2f} CPU vs md"
        )
    ratio = found["docx"].cpu_median / md.cpu_median
    print(f"docx / md (CPU): {ratio:.2f} (target: within 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
