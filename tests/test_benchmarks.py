"""The benchmark scripts keep working (tiny sizes; no timing is asserted).

``benchmarks/`` holds scripts, not tests: they print ratios measured on the
machine they run on. These checks only make sure they still run end to end
and that the generated data is what the benchmarks claim it is (valid
responses touching every item type). The end-to-end run of ``run.py --quick``
takes long (it starts every command many times) and is in the ``slow`` tier.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files.load import load_response
from selfeval.files.workspace import Workspace
from selfeval.model.questionnaire import ITEM_TYPES, iter_items

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import floor  # noqa: E402
import generate  # noqa: E402
import measure  # noqa: E402


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bench") / "ws"
    generate.make_workspace(target, 5)
    return target


def test_generated_workspace_is_valid(small_ws: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "-w", str(small_ws)])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.stdout


def test_generated_responses_are_submitted_and_pin_the_shipped_questionnaire(
    small_ws: Path,
) -> None:
    loaded = Workspace(small_ws).questionnaire("self-evaluation", generate.VERSION)
    files = floor.response_files(small_ws)
    assert [f.parent.name for f in files] == ["P00001", "P00002", "P00003", "P00004", "P00005"]
    for path in files:
        response = load_response(path)
        assert response.status == "submitted"
        assert response.questionnaire.hash == loaded.hash


def test_generated_answers_cover_every_item_type_that_takes_an_answer(small_ws: Path) -> None:
    loaded = Workspace(small_ws).questionnaire("self-evaluation", generate.VERSION)
    types = {item.id: item.type for item in iter_items(list(loaded.questionnaire.items()))}
    seen: set[str] = set()

    def walk(answers: dict[str, object]) -> None:
        for key, value in answers.items():
            seen.add(types[key])
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for entry in value:
                    walk(entry)

    for path in floor.response_files(small_ws):
        walk(load_response(path).answers)
    in_questionnaire = set(types.values()) - {"info"}
    assert seen == in_questionnaire
    assert in_questionnaire <= set(ITEM_TYPES)


def test_generation_is_deterministic(tmp_path: Path) -> None:
    one = generate.make_workspace(tmp_path / "a", 2, seed=7)
    two = generate.make_workspace(tmp_path / "b", 2, seed=7)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert "Financiën" in generate.long_text(random.Random(1), 18, 18)


def test_measure_run_reports_exit_code_output_and_memory() -> None:
    result = measure.run([sys.executable, "-c", "import sys; print('hi'); sys.exit(3)"])
    assert result.returncode == 3
    assert result.stdout.strip() == "hi"
    assert result.max_rss > 1_000_000  # a Python process holds more than a megabyte


def test_measure_tree_peak_includes_child_processes() -> None:
    code = (
        "import subprocess, sys; "
        "subprocess.run([sys.executable, '-c', 'b = bytearray(200_000_000); import time; "
        "time.sleep(0.5)'])"
    )
    result = measure.run([sys.executable, "-c", code], sample_every=0.01)
    assert result.returncode == 0
    assert result.peak > 200_000_000


def test_measure_timeout_stops_the_workers_too(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    code = (
        "import subprocess, sys; "
        "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(marker)!r}, 'w').write(str(c.pid)); c.wait()"
    )
    result = measure.run([sys.executable, "-c", code], timeout=1.0)
    assert result.returncode == -9
    child = int(marker.read_text())
    time.sleep(0.2)
    try:  # gone, or a zombie waiting for init to reap it: not running either way
        state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X")


@pytest.mark.slow
def test_run_quick_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Machine: " in out and "load average" in out
    assert "floor (read + C-parse, nothing kept)" in out
    # Every target of issue 20, each with a ratio and a mark, in the closing list of targets
    # (the start-up table above it has a "ratio …" line with the same words).
    assert "\nTargets of issue 20" in out
    targets = out.split("\nTargets of issue 20", 1)[1]
    for figure in (
        "selfeval --help / minimal typer app",
        "selfeval status (worked example, nothing changed since) / selfeval --help",
        "selfeval status (worked example, a comment added to a response) / selfeval --help",
        "selfeval status (worked example, one answer edited) / selfeval --help",
        "aggregate first run, 5 / floor",
        "aggregate re-run, nothing changed, 5 / floor",
        "aggregate re-run, one response changed, 5 / floor",
        "aggregate re-run, one answer edited, 5 / floor",
        "aggregate --jobs 2 first run, 5 / floor",
        "aggregate --draft / aggregate (re-runs), 5",
        "aggregate --draft (its parts not kept yet) / aggregate, 5",
        "aggregate first run: (peak RSS - baseline) / data, 5",
        "fill: Enter -> next prompt drawn, median",
        "fill: Enter -> next prompt drawn, p95",
    ):
        line = next((x for x in targets.splitlines() if figure in x), "")
        assert line.lstrip()[:1] in ("✔", "✘"), (figure, out)
    assert "failed" not in out and "not measured" not in out
    assert "heavy modules after `import selfeval.cli`: none" in out


@pytest.mark.slow  # a benchmark's smoke test: the slow tier
def test_phases_times_each_step_of_aggregate(small_ws: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "phases.py"), str(small_ws), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5 responses")
    for step in ("read", "build", "render", "write"):
        assert f"  {step} " in result.stdout


@pytest.mark.slow  # a benchmark's smoke test: the slow tier
def test_memory_prints_each_step_and_the_peak(small_ws: Path, tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(small_ws, ws)
    result = subprocess.run(
        [sys.executable, str(BENCH / "memory.py"), str(ws)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for step in ("read_responses", "build", "_figures", "_tidy_stream", "save"):
        assert f"> {step}" in result.stdout and f"< {step} (CPU" in result.stdout, step
    assert "peak RSS " in result.stdout
    assert (ws / "reports").is_dir()


@pytest.mark.slow
def test_export_vs_aggregate_quick_prints_each_format_against_the_target() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "export_vs_aggregate.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for fmt in ("csv", "json", "xlsx"):
        assert f"export --format {fmt} / aggregate, 5 responses" in result.stdout


@pytest.mark.slow
def test_xlsx_writers_prints_each_variant_per_cell() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "xlsx_writers.py"),
            "--size",
            "5",
            "--variants",
            "selfeval",
            "xlsxwriter-write-row",
            "openpyxl-write-only",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for variant in ("selfeval", "xlsxwriter-write-row", "openpyxl-write-only"):
        line = next(x for x in result.stdout.splitlines() if x.strip().startswith(variant))
        assert "µs per cell" in line, result.stdout
