"""Shared fixtures: a CLI runner and fresh workspaces in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.files.scaffold import init_workspace

REPO = Path(__file__).resolve().parents[1]


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
