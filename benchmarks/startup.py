"""Start-up: ``selfeval --help`` and ``selfeval status --help`` against a minimal typer app.

The minimal app (``benchmarks/minimal_app.py``) has the same command names
and typer settings and nothing else, so the ratio is the cost of our own
code and imports. Also lists which heavy libraries ``import selfeval.cli``
loads (none should be) and what a subcommand's ``--help`` loads.

Usage:
    python benchmarks/startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import median_wall, selfeval_cmd

HEAVY = ["questionary", "jinja2", "markdown_it", "pydantic", "yaml", "rich"]
MINIMAL = str(Path(__file__).with_name("minimal_app.py"))

_PROBE = """
import sys
args = {args!r}
from selfeval.cli import main
if args is not None:
    sys.argv = ["selfeval", *args]
    try:
        main()
    except SystemExit:
        pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def heavy_modules_loaded(args: list[str] | None) -> list[str]:
    """Heavy libraries in ``sys.modules`` after ``selfeval ARGS`` (None: after the import only)."""
    code = _PROBE.format(args=args, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    marker = [line for line in out.splitlines() if line.startswith("LOADED:")][-1]
    return [m for m in marker.removeprefix("LOADED:").split(",") if m]


def measure(repeat: int = 20) -> dict[str, Any]:
    """Median start-up times (seconds) and their ratios to the minimal app.

    Returns:
        ``{"times": {name: seconds}, "ratios": {name: ratio}, "loaded": {...}}``.
    """
    selfeval = selfeval_cmd()
    minimal = [sys.executable, MINIMAL]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "minimal --help": [*minimal, "--help"],
        "selfeval --help": [*selfeval, "--help"],
        "minimal status --help": [*minimal, "status", "--help"],
        "selfeval status --help": [*selfeval, "status", "--help"],
        "selfeval --version": [*selfeval, "--version"],
    }
    times = median_wall(commands, repeat)
    ratios = {
        "selfeval --help / minimal --help": times["selfeval --help"] / times["minimal --help"],
        "selfeval status --help / minimal status --help": (
            times["selfeval status --help"] / times["minimal status --help"]
        ),
    }
    loaded = {
        "import selfeval.cli": heavy_modules_loaded(None),
        "selfeval --help": heavy_modules_loaded(["--help"]),
        "selfeval status --help": heavy_modules_loaded(["status", "--help"]),
    }
    return {"times": times, "ratios": ratios, "loaded": loaded}


def report(result: dict[str, Any]) -> list[str]:
    """Lines to print for :func:`measure`'s result."""
    lines = ["Start-up (median wall time, interpreter start included):"]
    for name, seconds in result["times"].items():
        lines.append(f"  {name:<28} {seconds * 1000:7.1f} ms")
    for name, ratio in result["ratios"].items():
        lines.append(f"  ratio {name}: {ratio:.2f}x")
    for name, modules in result["loaded"].items():
        lines.append(f"  heavy modules after `{name}`: {', '.join(modules) or 'none'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print("\n".join(report(measure(args.repeat))))


if __name__ == "__main__":
    main()
