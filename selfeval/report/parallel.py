"""Running the per-file step of a command in worker processes (``--jobs N``).

Reading and parsing response files is the bulk of ``selfeval aggregate`` on a
large round (thousands of files), and each file is parsed on its own: the
step is a pure function of one path and a read-only context. This module
knows nothing of responses: :func:`map_in_processes` maps any such function
over its items in a :class:`concurrent.futures.ProcessPoolExecutor`, in chunks
(one message per chunk, not per item), and returns the results in input
order. With ``jobs=1`` (the default everywhere) it runs in-process and starts
no pool, so small workspaces pay nothing.

The function (typically ``functools.partial(step, context)``) is handed to
each worker once, when it starts, not with every chunk: a large context (a
workspace with its questionnaires loaded) costs nothing per chunk. Workers
are started by ``fork`` on Linux (they inherit the function and the already
imported modules, and start in milliseconds) and by the platform default
elsewhere (the function is then pickled once per worker). The results travel
back pickled, so they must be picklable (plain data, pydantic models and our
error classes are).

Measured in ``docs/performance.md``; the benchmark is ``benchmarks/run.py``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from selfeval.errors import SelfevalError, UsageError

__all__ = ["MAX_JOBS", "Aside", "check_jobs", "chunk_size", "map_in_processes"]

T = TypeVar("T")
R = TypeVar("R")

#: More workers than this is refused as a likely typo (``-j 1000``).
MAX_JOBS = 256
#: Below this many items per worker a pool costs more than it saves.
MIN_ITEMS_PER_JOB = 8
#: Items per message to a worker, at most.
MAX_CHUNK = 64
#: How long a helper process (:class:`Aside`) may take to end once it has sent its result.
_ASIDE_EXIT_SECONDS = 5.0


def check_jobs(jobs: int) -> int:
    """Check a ``--jobs`` value; 0 means one per CPU core.

    Args:
        jobs: the number asked for.

    Returns:
        The number of worker processes to use (at least 1).

    Raises:
        UsageError: ``jobs`` is negative or over :data:`MAX_JOBS`.
    """
    if jobs < 0 or jobs > MAX_JOBS:
        raise UsageError(
            f"--jobs must be between 0 and {MAX_JOBS} (got {jobs})",
            hint="use the number of CPU cores, or 0 to let selfeval count them",
        )
    if jobs == 0:
        return max(1, os.cpu_count() or 1)
    return jobs


def chunk_size(count: int, jobs: int) -> int:
    """How many items to send a worker at once: about four chunks per worker, at most 64.

    A few chunks per worker keep the workers evenly busy when files differ in
    size, while keeping the number of messages (and pickling overhead) small;
    the cap bounds how much work one message (and one worker's memory) holds.
    """
    return max(1, min(MAX_CHUNK, -(-count // (jobs * 4))))


def _mp_context() -> multiprocessing.context.BaseContext:
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


#: In a worker process only: the function it applies (set once, when it starts).
_worker_func: Callable[[Any], Any] | None = None


def _start_worker(func: Callable[[Any], Any]) -> None:
    """Worker start-up: keep the function, and leave Ctrl-C to the parent.

    Ctrl-C in a terminal signals the whole process group. A worker that got
    it while waiting for work would die printing a traceback; the parent
    cancels the work and stops the workers instead (exit 130, "Interrupted.").
    """
    global _worker_func
    _worker_func = func
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked by _starting(): ignored now, so unblock
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _starting() -> Iterator[None]:
    """Hold Ctrl-C back while the pool starts its workers and helper threads.

    The workers are forked, and the pool's helper threads started, inside
    this block, so they begin with SIGINT blocked: a worker cannot get it
    before :func:`_start_worker` ignores it, and the helper threads never get
    it at all. The kernel then delivers Ctrl-C to the main thread, which
    raises KeyboardInterrupt at once; delivered to a helper thread, CPython
    may not run the handler until the work is done (a Ctrl-C that seemed to
    be ignored). A Ctrl-C pressed inside the block is delivered when it ends.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _apply(item: Any) -> Any:
    assert _worker_func is not None, "called outside a worker of map_in_processes"
    return _worker_func(item)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the work not yet started and stop the workers now (not after their chunk)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _ignore(done: int) -> None:
    """No one to tell."""


def map_in_processes(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    chunksize: int | None = None,
    done: Callable[[int], None] | None = None,
) -> list[R]:
    """Apply ``func`` to every item, in ``jobs`` worker processes, keeping the order.

    Args:
        func: a function of one item: module-level, or a ``functools.partial``
            of one with picklable arguments (pickled only where workers are
            not forked). It should not raise for a bad input but return its
            error as data, as :func:`selfeval.report.aggregate.read_one` does;
            an exception it does raise is re-raised here after the pool is
            shut down.
        items: the inputs.
        jobs: worker processes; 1 runs in this process without a pool. Fewer
            workers are started when there are few items.
        chunksize: items per message to a worker (default :func:`chunk_size`).
        done: called with the number of items done so far, as results come in
            (for a progress bar), in order.

    Returns:
        ``[func(item) for item in items]``, in the same order.

    Raises:
        UsageError: ``jobs`` out of range (see :func:`check_jobs`).
        SelfevalError: a worker process died (killed, out of memory, a crash
            in a C library); the hint says how to find the file.
        KeyboardInterrupt: Ctrl-C (the workers ignore it: the whole terminal
            process group gets it); work not yet started is cancelled and the
            workers are stopped.
    """
    jobs = check_jobs(jobs)
    jobs = min(jobs, max(1, len(items) // MIN_ITEMS_PER_JOB))
    tell = done or _ignore
    if jobs <= 1:
        results = []
        for item in items:
            results.append(func(item))
            tell(len(results))
        return results
    size = chunksize or chunk_size(len(items), jobs)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_mp_context(), initializer=_start_worker, initargs=(func,)
    )
    try:
        with _starting():
            pending = pool.map(_apply, items, chunksize=size)  # submits all; starts the pool
        results = []
        for result in pending:
            results.append(result)
            tell(len(results))
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise SelfevalError(
            "a worker process stopped unexpectedly (killed, out of memory, or crashed)",
            hint="run again with --jobs 1: the file that causes it is then named",
        ) from None
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return results


def _aside_main(conn: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """A helper process's whole life: run ``func(*args)``, send back what it gave, end.

    Ctrl-C is the parent's (see :func:`_start_worker`). An exception is sent
    back as None: the parent then does the work itself and meets the error
    there, with its own message.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked by _starting(): ignored now, so unblock
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        result = func(*args)
    except Exception:
        result = None
    try:
        conn.send(result)
    finally:
        conn.close()


class Aside:
    """One function run in a helper process while this one goes on with other work.

    For ``--jobs`` 2 or more, where a step that needs nothing of what the
    process holds can overlap with one that does (``aggregate`` draws the
    figures aside while it renders the report). The helper is *spawned*, not
    forked: a fork would start with every page of the report model mapped
    (the peak memory of the process tree), a spawned interpreter only with
    what it imports. The function, its arguments and its result travel
    pickled through a pipe of this process's own (nothing else can write to
    it). Anything that goes wrong — the helper cannot start, dies, raises —
    gives None from :meth:`result`, and the caller does the work itself, so
    the outcome is the same either way; only the time differs.
    """

    def __init__(self, process: Any, conn: Any) -> None:
        self._process = process
        self._conn = conn

    @classmethod
    def start(cls, func: Callable[..., Any], *args: Any) -> Aside | None:
        """Start ``func(*args)`` in a helper process; None when one cannot be started.

        ``func`` must be a module-level function (it is imported by name in
        the helper).
        """
        context = multiprocessing.get_context("spawn")
        try:
            receive, send = context.Pipe(duplex=False)
        except OSError:
            return None
        process = context.Process(
            target=_aside_main, args=(send, func, args), daemon=True, name="selfeval-aside"
        )
        try:
            with _starting():
                process.start()
        except (OSError, RuntimeError, ValueError):
            receive.close()
            send.close()
            return None
        send.close()  # the helper's end: a helper that dies gives EOF here
        return cls(process, receive)

    def result(self) -> Any:
        """Wait for the helper and return what ``func`` gave; None when anything went wrong."""
        try:
            result = self._conn.recv()
        except Exception:  # EOF (the helper died), a broken pipe, a result that did not unpickle
            result = None
        else:
            self._process.join(timeout=_ASIDE_EXIT_SECONDS)  # it ends once it has sent
        self.stop()
        return result

    def stop(self) -> None:
        """End the helper now if it still runs (the caller no longer needs its result)."""
        with contextlib.suppress(OSError):
            self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
