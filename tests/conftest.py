"""Shared fixtures: a CLI runner and fresh workspaces in temporary folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from selfeval.files.scaffold import init_workspace

REPO = Path(__file__).resolve().parents[1]

# The suite starts a few hundred Python processes (the CLI in a child process, in a
# pseudo-terminal, two xdist workers). Where the environment sets
# PYTHONDONTWRITEBYTECODE (this machine's image does), every one of them compiled
# selfeval from source again, and each worker rewrote every test module's asserts
# again: about a tenth of the suite's CPU. The workers and the children inherit the
# environment, so dropping it here (before xdist starts its workers) lets the first
# process write the bytecode (__pycache__/, git-ignored) and the others read it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def _memory_backed_temp_root() -> str | None:
    """``/dev/shm`` where it is a writable, memory-backed folder with room; else None.

    The suite makes thousands of small workspaces and every save is flushed to disk
    (``os.fsync``, the store's rule that an answer on screen is an answer on disk).
    On a disk those flushes and folder creations were about a third of the wall time
    of the report and fill tests (four files: 39-42 -> 24-32 s at load ~4); in memory
    they cost next to nothing, and what the tests check is the same. Chosen only when
    the user has not chosen (``--basetemp``, ``PYTEST_DEBUG_TEMPROOT``).
    """
    shm = Path("/dev/shm")
    try:
        if not shm.is_dir() or not os.access(shm, os.W_OK | os.X_OK):
            return None
        free = os.statvfs(shm)
    except OSError:
        return None
    return str(shm) if free.f_bavail * free.f_frsize >= 4 * 1024**3 else None


# pytest's own setting for where tmp_path folders go; the xdist workers take theirs
# from this process's. Kept after a run: only the folders of failed tests
# (pyproject.toml, tmp_path_retention_policy).
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and (_root := _memory_backed_temp_root()):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = _root

# Property tests judge what the code does, never how fast the machine is: on a loaded
# 2-core machine Hypothesis's own timing checks ("input generation is slow", the
# per-example deadline) failed runs that were otherwise green. Examples stay random
# (a test's own @settings may set more); a failure prints the example to reproduce.
settings.register_profile(
    "selfeval", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("selfeval")


@pytest.hookimpl(trylast=True)  # after -k and -m have chosen
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the ``slow`` tier unless it is asked for.

    It is asked for with ``-m`` (``-m slow``; ``-m "slow or not slow"`` for
    everything), or by a selection that holds nothing else (a slow test named
    by its id, or ``-k`` matching only slow tests): a run never ends with
    "no tests ran" (pytest's exit 5) because of this rule.
    """
    if config.getoption("markexpr"):
        return
    fast = [item for item in items if item.get_closest_marker("slow") is None]
    if not fast or len(fast) == len(items):
        return
    config.hook.pytest_deselected(items=[item for item in items if item not in fast])
    items[:] = fast


@pytest.fixture(scope="session", autouse=True)
def _own_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user cache folder (the cache secret, selfeval.report.sealed) is a temporary one.

    Set in the environment, so commands the tests start as processes use it too;
    the tests never touch the real ``~/.cache``.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture
def empty_ws(tmp_path: Path) -> Path:
    """A new workspace made as `selfeval init` makes it."""
    target = tmp_path / "ws"
    init_workspace(target)
    return target


@pytest.fixture
def example_ws(tmp_path: Path) -> Path:
    """A copy of the worked example, made as `selfeval init --example` makes it."""
    target = tmp_path / "example"
    init_workspace(target, example=True)
    return target


#: Tests between two freezes of what is alive (:func:`_long_lived_objects_left_out_of_collections`).
_FREEZE_EVERY = 25
_tests_run = 0


@pytest.fixture(autouse=True)
def _long_lived_objects_left_out_of_collections() -> None:
    """Every 25 tests, collect the garbage, then freeze what is alive.

    A report run asks for a full garbage collection before it draws the figures
    (``selfeval.report.render``, so that matplotlib takes the place of the report
    model): in a test worker that collection walked every object pytest, the
    libraries and the earlier tests' caches hold (~0.1 s each, hundreds of times).
    ``gc.freeze`` moves the objects alive now out of every later collection (what
    it is for: long-lived objects); the collection just before it leaves no garbage
    behind to freeze, and what each test makes is collected as before.
    """
    global _tests_run
    if _tests_run % _FREEZE_EVERY == 0:
        import gc

        gc.collect()
        gc.freeze()
    _tests_run += 1


def _build_each_cli_once() -> None:
    """typer's test runner builds the click command from the app once per state of the app.

    ``CliRunner.invoke`` builds every registered command again from its function's
    signature at each call (typer reads each parameter's annotations and help): about
    a tenth of the suite's CPU over its ~1,200 calls. A user's ``selfeval`` builds
    it once per process, which is what this gives each test process: one build per
    app, rebuilt when a command or group is registered (a command module imported
    later, as the lazy group does) or the callback changes.
    """
    import weakref

    import typer.testing

    original = typer.testing._get_command
    built: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()

    def get_command(app: Any) -> Any:
        state = (
            tuple(map(id, app.registered_commands)),
            tuple(map(id, app.registered_groups)),
            id(app.registered_callback),
        )
        kept = built.get(app)
        if kept is None or kept[0] != state:
            kept = built[app] = (state, original(app))
        return kept[1]

    typer.testing._get_command = get_command


_build_each_cli_once()


#: The checkout's top level as the session found it (:func:`pytest_sessionstart`).
_TOP_LEVEL: set[str] = set()


def _top_level(config: pytest.Config) -> set[str]:
    """The names at the checkout's top level, hidden ones (caches, ``.hypothesis``) left out."""
    return {name for name in os.listdir(config.rootpath) if not name.startswith(".")}


def pytest_sessionstart(session: pytest.Session) -> None:
    _TOP_LEVEL.update(_top_level(session.config))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a run whose tests left a file or folder at the checkout's top level.

    Every test works in its own temporary folder; a relative ``-o`` or a
    command run in the current folder once wrote a report and its figures into
    the checkout (``227ca77``), and a later ``git add -A`` committed them.
    Under xdist the workers and the controller each look; the controller's
    look covers the whole run.
    """
    left = sorted(_top_level(session.config) - _TOP_LEVEL)
    if left and not hasattr(session.config, "workerinput"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"tests left {', '.join(left)} in {session.config.rootpath}: a test writes "
                "outside its temporary folder",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
