"""Start-up: ``selfeval --help`` and ``selfeval status --help`` against a minimal typer app.

The minimal app (``benchmarks/minimal_app.py``) has the same command names
and typer settings and nothing else, so the ratio is the cost of our own
code and imports. Also lists which heavy libraries ``import selfeval.cli``
loads (none should be) and what a subcommand's ``--help`` loads.

Usage:
    python benchmarks/startup.py [--repeat N] [--breakdown] [--example DIR [--layers]]

``--example DIR`` also times ``selfeval status`` on the worked example (laid
out in DIR by ``selfeval init --example`` the first time), as
``benchmarks/run.py`` does.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Timing, selfeval_cmd, timings

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

#: ``selfeval status`` after one response changed: a comment with a new number
#: appended to one response first (its answers stay the same, and so its
#: document: since 3 December, night, the last status's record answers through
#: its cut-off), then status in the same process, as the console script starts it.
_CHANGED = """
import sys, time
from pathlib import Path
path = Path({workspace!r}) / "responses"
path = sorted(path.rglob("*.yaml"))[0]
text = path.read_bytes().split(b"\\n# changed ")[0]
path.write_bytes(text + b"\\n# changed %d\\n" % time.time_ns())
sys.argv = ["selfeval", "status", "-w", {workspace!r}]
from selfeval.cli import main
sys.exit(main())
"""

#: ``selfeval status`` after one answer was edited: a number put at the end of
#: the first line of answer text in the first self-evaluation (its document
#: changes, so the last status's record cannot stand: one response parsed, as
#: after a ``fill``), then status in the same process.
_EDITED = """
import re, sys, time
from pathlib import Path
path = sorted((Path({workspace!r}) / "responses").rglob("self-evaluation.yaml"))[0]
text = re.sub(r"(?m)^(    \\S.*?)(?: \\(edit \\d+\\))?$",
              lambda m: m[1] + " (edit %d)" % time.time_ns(), path.read_text("utf-8"), count=1)
path.write_text(text, "utf-8")
sys.argv = ["selfeval", "status", "-w", {workspace!r}]
from selfeval.cli import main
sys.exit(main())
"""

_BREAKDOWN = """
import contextlib, io, sys, time
t0 = time.perf_counter()
import typer, typer.main
t1 = time.perf_counter()
if {ours!r}:
    from selfeval.cli import app
else:
    sys.path.insert(0, {bench!r})
    from minimal_app import app
t2 = time.perf_counter()
command = typer.main.get_command(app)
t3 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    try:
        command.main(["--help"], prog_name="selfeval")
    except SystemExit:
        pass
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""
STEPS = ("import typer", "import the app", "build the command tree", "format --help")


def breakdown(repeat: int = 15) -> dict[str, dict[str, float]]:
    """Median seconds of each step of ``--help`` inside the process, ours and the minimal app's.

    Returns:
        ``{"selfeval": {step: seconds}, "minimal": {step: seconds}}`` for :data:`STEPS`.
    """
    byte_compile()
    bench = str(Path(__file__).resolve().parent)
    samples: dict[str, list[list[float]]] = {"selfeval": [], "minimal": []}
    for _ in range(repeat):
        for name in samples:
            code = _BREAKDOWN.format(ours=name == "selfeval", bench=bench)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
            samples[name].append([float(x) for x in out.split()])
    medians: dict[str, dict[str, float]] = {}
    for name, rows in samples.items():
        columns = zip(*rows, strict=True)
        medians[name] = {
            step: statistics.median(column) for step, column in zip(STEPS, columns, strict=True)
        }
    return medians


def layers(example: Path, repeat: int = 9) -> dict[str, Timing]:
    """What ``selfeval status`` costs layer by layer: fresh processes importing more and more.

    Each entry imports what the one before it did and more (typer, pydantic,
    our model classes, status's modules, rich), then ``status --json`` and
    ``status`` on the worked example in ``example``; ``--help`` for scale.
    """
    byte_compile()
    selfeval = selfeval_cmd()

    def imports(*modules: str) -> list[str]:
        return [sys.executable, "-c", "import " + ", ".join(modules)]

    models = ("selfeval.model.questionnaire", "selfeval.model.response", "selfeval.model.exercise")
    ours = ("selfeval.cli.status", "selfeval.checks.status")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "selfeval --help": [*selfeval, "--help"],
        "import typer.main": imports("typer.main"),
        "+ pydantic": imports("typer.main", "pydantic"),
        "+ our model classes": imports("typer.main", "pydantic", *models),
        "+ status's modules": imports("typer.main", *ours),
        "+ rich": imports("typer.main", *ours, "rich.console", "rich.table"),
        "selfeval status --json": [*selfeval, "status", "--json", "-w", str(example)],
        "selfeval status": [*selfeval, "status", "-w", str(example)],
    }
    return timings(commands, repeat)


def heavy_modules_loaded(args: list[str] | None) -> list[str]:
    """Heavy libraries in ``sys.modules`` after ``selfeval ARGS`` (None: after the import only)."""
    code = _PROBE.format(args=args, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    marker = [line for line in out.splitlines() if line.startswith("LOADED:")][-1]
    return [m for m in marker.removeprefix("LOADED:").split(",") if m]


def example_workspace(target: Path) -> Path:
    """The worked example, laid out by ``selfeval init --example`` in ``target`` (made once)."""
    if not (target / "selfeval.yaml").exists():
        subprocess.run([*selfeval_cmd(), "init", "--example", str(target)], check=True,
                       capture_output=True)  # fmt: skip
    return target


def byte_compile() -> None:
    """Byte-compile the ``selfeval`` package the measured commands will import.

    An installed package has its ``.pyc`` files; a checkout run with
    ``PYTHONPATH`` under ``PYTHONDONTWRITEBYTECODE=1`` (as in the shells
    these benchmarks were run from) would compile every module of ours on
    every run (~150 ms of a ``status``) and measure that instead.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("selfeval")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def measure(repeat: int = 20, example: Path | None = None) -> dict[str, Any]:
    """Start-up times and their ratios to the minimal app (and ``status`` to ``--help``).

    With ``example`` (a worked-example workspace), ``selfeval status`` on it
    is timed too and compared with ``selfeval --help`` (issue 20).

    Returns:
        ``{"times": {name: Timing}, "ratios": {name: {"median", "best", "cpu"}},
        "loaded": {...}, "repeat": n}``. The best (shortest) run and the CPU time
        are the figures least disturbed by other work on a shared machine.
    """
    byte_compile()
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
    if example is not None:
        # Nothing changed since the last status (the warm-up run recorded it).
        commands["selfeval status (worked example)"] = [*selfeval, "status", "-w", str(example)]
        # One response changed before each run: its record is no longer the
        # inputs', so status reads the workspace as it would with no record.
        changed = example_workspace(example.with_name(example.name + "-one-changed"))
        commands["selfeval status (one response changed)"] = [
            sys.executable, "-P", "-c", _CHANGED.format(workspace=str(changed)),
        ]  # fmt: skip
        # One answer edited before each run: the response reads otherwise.
        edited = example_workspace(example.with_name(example.name + "-one-edited"))
        commands["selfeval status (one answer edited)"] = [
            sys.executable, "-P", "-c", _EDITED.format(workspace=str(edited)),
        ]  # fmt: skip
    runs = timings(commands, repeat)

    def ratio(ours: Timing, floor: Timing) -> dict[str, float]:
        return {
            "median": ours.median / floor.median,
            "best": ours.best / floor.best,
            "cpu": ours.cpu_median / floor.cpu_median,
        }

    ratios = {
        "selfeval --help / minimal --help": ratio(runs["selfeval --help"], runs["minimal --help"]),
        "selfeval status --help / minimal status --help": ratio(
            runs["selfeval status --help"], runs["minimal status --help"]
        ),
    }
    if example is not None:
        ratios["selfeval status (worked example) / selfeval --help"] = ratio(
            runs["selfeval status (worked example)"], runs["selfeval --help"]
        )
        ratios["selfeval status (one response changed) / selfeval --help"] = ratio(
            runs["selfeval status (one response changed)"], runs["selfeval --help"]
        )
        ratios["selfeval status (one answer edited) / selfeval --help"] = ratio(
            runs["selfeval status (one answer edited)"], runs["selfeval --help"]
        )
    loaded = {
        "import selfeval.cli": heavy_modules_loaded(None),
        "selfeval --help": heavy_modules_loaded(["--help"]),
        "selfeval status --help": heavy_modules_loaded(["status", "--help"]),
    }
    return {"times": runs, "ratios": ratios, "loaded": loaded, "repeat": repeat}


def report(result: dict[str, Any]) -> list[str]:
    """Lines to print for :func:`measure`'s result."""
    lines = [
        f"Start-up ({result['repeat']} runs each, interleaved; interpreter start included):",
        f"  {'':<40} {'median':>9} {'best':>9} {'CPU median':>11}",
    ]
    for name, t in result["times"].items():
        lines.append(
            f"  {name:<40} {t.median * 1000:6.1f} ms {t.best * 1000:6.1f} ms "
            f"{t.cpu_median * 1000:8.1f} ms"
        )
    for name, r in result["ratios"].items():
        lines.append(
            f"  ratio {name}: {r['median']:.2f}x median, {r['best']:.2f}x best, {r['cpu']:.2f}x CPU"
        )
    for name, modules in result["loaded"].items():
        lines.append(f"  heavy modules after `{name}`: {', '.join(modules) or 'none'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--breakdown", action="store_true", help="time the steps of --help inside the process"
    )
    parser.add_argument(
        "--example",
        type=Path,
        help="also time `selfeval status` on the worked example, laid out in this folder",
    )
    parser.add_argument(
        "--layers",
        action="store_true",
        help="with --example: what status costs layer by layer (CPU medians)",
    )
    args = parser.parse_args()
    if args.layers and args.example:
        result = layers(example_workspace(args.example), args.repeat)
        for name, t in result.items():
            print(f"  {name:<28} CPU median {t.cpu_median * 1000:6.0f} ms")
        return
    if args.breakdown:
        steps = breakdown(args.repeat)
        print(f"--help inside the process, median of {args.repeat} (ms):")
        print(f"  {'':<24} {'selfeval':>9} {'minimal':>9}")
        for step in STEPS:
            ours, floor = steps["selfeval"][step], steps["minimal"][step]
            print(f"  {step:<24} {ours * 1000:9.1f} {floor * 1000:9.1f}")
        return
    example = example_workspace(args.example) if args.example else None
    print("\n".join(report(measure(args.repeat, example=example))))


if __name__ == "__main__":
    main()
