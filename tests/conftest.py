"""Shared fixtures: a CLI runner and fresh workspaces in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.files.scaffold import init_workspace

REPO = Path(__file__).resolve().parents[1]


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
