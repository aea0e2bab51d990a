"""``aggregate --jobs N``: the per-file step in worker processes, same result, same order."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.errors import SelfevalError, UsageError
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.report.aggregate import ReadContext, aggregate, read_one, read_responses
from selfeval.report.parallel import check_jobs, chunk_size, map_in_processes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import make_workspace


def _pid(_: object) -> int:
    return os.getpid()


def test_results_come_back_in_input_order() -> None:
    items = list(range(-100, 100))
    assert map_in_processes(abs, items, jobs=2) == [abs(i) for i in items]


def test_workers_do_the_work_when_jobs_is_above_one() -> None:
    pids = set(map_in_processes(_pid, range(64), jobs=2))
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def test_jobs_1_runs_in_this_process() -> None:
    assert set(map_in_processes(_pid, range(64), jobs=1)) == {os.getpid()}


def test_few_items_run_in_this_process() -> None:
    assert set(map_in_processes(_pid, range(3), jobs=2)) == {os.getpid()}


def test_jobs_0_means_one_per_core() -> None:
    assert check_jobs(0) == (os.cpu_count() or 1)


@pytest.mark.parametrize("jobs", [-1, 10_000])
def test_out_of_range_jobs_are_a_usage_error(jobs: int) -> None:
    with pytest.raises(UsageError, match="--jobs must be between 0 and"):
        check_jobs(jobs)


def test_chunks_spread_over_the_workers() -> None:
    assert chunk_size(100, 2) == 13  # about four chunks per worker
    assert chunk_size(3, 4) == 1
    assert chunk_size(10_000, 2) == 64  # capped


def _scaled(context: dict[str, object], item: int) -> int:
    return item * int(str(context["factor"]))


def test_a_partial_with_a_context_is_handed_to_each_worker_once() -> None:
    # A lock cannot be pickled: the context reaches forked workers without pickling,
    # once per worker, not with every chunk.
    context = {"factor": 3, "lock": threading.Lock()}
    items = list(range(64))
    assert map_in_processes(partial(_scaled, context), items, jobs=2, chunksize=4) == [
        3 * i for i in items
    ]


def _die(_: object) -> None:
    os._exit(3)  # what a crash in a C library or the OOM killer looks like to the pool


def test_a_dead_worker_is_a_clear_error_not_a_traceback() -> None:
    with pytest.raises(SelfevalError, match="worker process stopped unexpectedly") as caught:
        map_in_processes(_die, range(64), jobs=2)
    assert "--jobs 1" in (caught.value.hint or "")


@pytest.fixture(scope="module")
def big_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("jobs") / "ws"
    make_workspace(target, 24)
    return target


# Slow tier: --jobs 2 runs by default in tests/test_read_cache.py
# (test_a_rerun_with_jobs_reads_the_cache_too) and in
# test_aggregate_with_jobs_reports_invalid_answers_like_jobs_1; this compares a whole
# report of 24 responses read in worker processes with one read here (~3.5 s).
@pytest.mark.slow
def test_aggregate_with_jobs_writes_the_same_report(big_ws: Path, runner: CliRunner) -> None:
    one = runner.invoke(app, ["aggregate", "-w", str(big_ws), "-o", str(big_ws / "one.md")])
    assert one.exit_code == 0, one.output
    # The read step's cache goes (the figures' stays, drawing them is not what is
    # compared): the second run parses every response again, in worker processes.
    shutil.rmtree(big_ws / ".selfeval" / "cache" / "read")
    two = runner.invoke(
        app, ["aggregate", "-w", str(big_ws), "-o", str(big_ws / "two.md"), "--jobs", "2"]
    )
    assert two.exit_code == 0, two.output
    assert "from 24 responses" in two.stdout
    assert (big_ws / "one.md").read_text("utf-8") == (big_ws / "two.md").read_text("utf-8")


def test_the_core_aggregate_refuses_jobs_out_of_range_before_reading(
    big_ws: Path, tmp_path: Path
) -> None:
    ws = Workspace.open(big_ws)
    with pytest.raises(UsageError, match="--jobs must be between 0 and"):
        aggregate(ws, jobs=-1, output=tmp_path / "three.md")
    assert not (tmp_path / "three.md").exists()


def test_reading_a_response_depends_only_on_its_context_and_path(
    big_ws: Path, example_ws: Path
) -> None:
    # No state is left behind in the module: two workspaces read in turn, in one process.
    big = ReadContext.of(Workspace.open(big_ws))
    example = ReadContext.of(Workspace.open(example_ws))
    first = Workspace.open(big_ws).response_files()[0]
    other = Workspace.open(example_ws).response_files()[0]
    assert read_one(big, first).response is not None
    assert read_one(example, other).response is not None
    assert read_one(big, first) == read_responses([first], Workspace.open(big_ws))[0]


# Slow tier: --jobs 2 against --jobs 1 is proved by default in test_aggregate_with_jobs_writes_the_same_report.
@pytest.mark.slow
def test_aggregate_with_jobs_reports_a_broken_file_like_jobs_1(
    big_ws: Path, runner: CliRunner, tmp_path: Path
) -> None:
    broken = big_ws / "responses" / "falende-staten" / "P00007" / "self-evaluation.yaml"
    original = broken.read_text("utf-8")
    broken.write_text(original.replace("participant: P00007", "participant: P00007\nstatus: x"))
    try:
        one = runner.invoke(app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "a.md")])
        two = runner.invoke(
            app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "b.md"), "-j", "2"]
        )
    finally:
        broken.write_text(original, "utf-8")
    assert one.exit_code == two.exit_code == 1
    assert "P00007/self-evaluation.yaml" in two.stderr
    assert "duplicate key 'status'" in two.stderr
    assert one.stderr == two.stderr


def test_aggregate_refuses_negative_jobs(big_ws: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["aggregate", "-w", str(big_ws), "--jobs", "-1"])
    assert result.exit_code == 2
    assert "--jobs must be between 0 and 256 (got -1)" in result.stderr


# Slow tier: a dead worker is proved by default in test_a_dead_worker_is_a_clear_error_not_a_traceback;
# Ctrl-C reaching a process group of workers takes a fresh interpreter and 40 responses.
@pytest.mark.slow
def test_ctrl_c_during_aggregate_jobs_says_interrupted_without_tracebacks(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    files = make_workspace(ws, 40)
    # The first response is a named pipe: the worker that reads it waits for the
    # test, so Ctrl-C lands while one worker is busy and the other idle or busy.
    held = files[0]
    held.unlink()
    os.mkfifo(held)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from selfeval.cli import main; main()", "aggregate", "-w",
         str(ws), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # A shell's background job starts with Ctrl-C ignored, and Python keeps that;
        # a user's terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        writer = _open_when_read(held, timeout=60)
        assert writer is not None, "no worker started reading the responses"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
        os.close(writer)  # the busy worker may now read on: the pipe is empty
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Interrupted." in err
    assert "Traceback" not in err


def _open_when_read(fifo: Path, *, timeout: float) -> int | None:
    """Open ``fifo`` for writing: this returns once a process opens it for reading.

    Returns the file descriptor, or None (and unblocks the waiting open) after ``timeout``.
    """
    opened: list[int] = []
    waiter = threading.Thread(target=lambda: opened.append(os.open(fifo, os.O_WRONLY)))
    waiter.start()
    waiter.join(timeout)
    if opened:
        return opened[0]
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the blocked open return
    waiter.join()
    os.close(opened[0])
    os.close(reader)
    return None


def test_aggregate_with_jobs_reports_invalid_answers_like_jobs_1(
    big_ws: Path, runner: CliRunner, tmp_path: Path
) -> None:
    # Answers are checked in the workers: the error still names file and line.
    path = big_ws / "responses" / "falende-staten" / "P00011" / "self-evaluation.yaml"
    original = path.read_text("utf-8")
    data = yamlio.load(path)
    data["answers"]["bottlenecks"][0]["departments"] = ["QQQ"]
    yamlio.write(path, data)
    try:
        one = runner.invoke(app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "a.md")])
        two = runner.invoke(
            app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "b.md"), "-j", "2"]
        )
    finally:
        path.write_text(original, "utf-8")
    assert one.exit_code == two.exit_code == 1
    assert re.search(
        r"P00011/self-evaluation\.yaml:\d+:\d+: answers\.bottlenecks\[0\]\.departments: 'QQQ'",
        two.stderr,
    )
    assert one.stderr == two.stderr


# Slow tier: --jobs 2 against --jobs 1 is proved by default in test_aggregate_with_jobs_writes_the_same_report.
@pytest.mark.slow
def test_aggregate_with_jobs_warns_about_drafts_like_jobs_1(
    big_ws: Path, runner: CliRunner, tmp_path: Path
) -> None:
    path = big_ws / "responses" / "falende-staten" / "P00003" / "self-evaluation.yaml"
    original = path.read_text("utf-8")
    data = yamlio.load(path)
    data["status"] = "draft"
    yamlio.write(path, data)
    try:
        one = runner.invoke(app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "a.md")])
        two = runner.invoke(
            app, ["aggregate", "-w", str(big_ws), "-o", str(tmp_path / "b.md"), "-j", "2"]
        )
    finally:
        path.write_text(original, "utf-8")
    assert one.exit_code == two.exit_code == 0, two.output
    assert (
        "Warning: 1 response is still a draft and left out of the report: "
        "responses/falende-staten/P00003/self-evaluation.yaml" in two.stderr
    )
    assert one.stderr == two.stderr
    assert "from 23 responses" in two.stdout
    assert (tmp_path / "a.md").read_text("utf-8") == (tmp_path / "b.md").read_text("utf-8")


# --- Figures drawn aside: a helper process draws them while the report renders ---------


def _raise(_: object) -> None:
    raise ValueError("drawn wrong")


def test_a_helper_process_gives_back_what_its_function_returns() -> None:
    from selfeval.report.parallel import Aside

    aside = Aside.start(sorted, [3, 1, 2])
    assert aside is not None
    assert aside.result() == [1, 2, 3]


@pytest.mark.parametrize("func", [os._exit, _raise], ids=["dies", "raises"])
def test_a_helper_process_that_fails_gives_nothing(func: object) -> None:
    from selfeval.report.parallel import Aside

    aside = Aside.start(func, 3)  # type: ignore[arg-type]
    assert aside is not None
    assert aside.result() is None


_RUN_AND_SAY_IF_MATPLOTLIB_WAS_IMPORTED = """
import sys
from selfeval.cli import main
try:
    main()
finally:
    print("matplotlib imported:", "matplotlib" in sys.modules, file=sys.stderr)
"""


def _aggregate_in_a_fresh_process(ws: Path, jobs: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_SAY_IF_MATPLOTLIB_WAS_IMPORTED, "aggregate", "-w",
         str(ws), "--jobs", jobs],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stderr


# Slow tier: --jobs 2 against --jobs 1 is proved by default in test_aggregate_with_jobs_writes_the_same_report,
# the helper process in test_a_helper_process_gives_back_what_its_function_returns and
# test_figures_are_drawn_here_when_no_helper_can_start (two fresh interpreters drawing: ~7 s).
@pytest.mark.slow
def test_jobs_2_draws_the_figures_aside_and_writes_the_same_files(example_ws: Path) -> None:
    other = example_ws.parent / "other"
    shutil.copytree(example_ws, other)
    assert "matplotlib imported: True" in _aggregate_in_a_fresh_process(example_ws, "1")
    # With --jobs 2 a helper process draws the figures while the report renders:
    # this process never imports matplotlib, and every file is the same, byte for byte.
    assert "matplotlib imported: False" in _aggregate_in_a_fresh_process(other, "2")
    ones = sorted(p.name for p in (example_ws / "reports").iterdir())
    assert ones == sorted(p.name for p in (other / "reports").iterdir())
    assert any(name.endswith(".png") for name in ones)
    for name in ones:
        assert (example_ws / "reports" / name).read_bytes() == (
            other / "reports" / name
        ).read_bytes(), name
    # The pictures drawn aside are kept in the figures' cache like those drawn here.
    kept = sorted(p.name for p in (other / ".selfeval" / "cache" / "figures").rglob("*.png"))
    assert kept == sorted(
        p.name for p in (example_ws / ".selfeval" / "cache" / "figures").rglob("*.png")
    )


def test_figures_are_drawn_here_when_no_helper_can_start(
    example_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.report import parallel

    other = example_ws.parent / "other"
    shutil.copytree(example_ws, other)
    one = runner.invoke(app, ["aggregate", "-w", str(example_ws), "--no-cache"])
    assert one.exit_code == 0, one.output
    monkeypatch.setattr(parallel.Aside, "start", classmethod(lambda cls, *a: None))
    two = runner.invoke(app, ["aggregate", "-w", str(other), "--no-cache", "--jobs", "2"])
    assert two.exit_code == 0, two.output
    names = sorted(p.name for p in (example_ws / "reports").iterdir())
    assert names == sorted(p.name for p in (other / "reports").iterdir())
    for name in names:
        assert (example_ws / "reports" / name).read_bytes() == (
            other / "reports" / name
        ).read_bytes(), name
