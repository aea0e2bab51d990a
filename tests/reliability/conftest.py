"""Fixtures of the reliability suite; the helpers live in ``reliakit``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliakit import HANG_GUARD, copy_workspace, make_template
from typer.testing import CliRunner


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example with its draft report; DEF's self-evaluation and NCTb's review in draft."""
    return make_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template workspace for one test."""
    return copy_workspace(template, tmp_path / "ws")


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture
def child_processes() -> Iterator[list[subprocess.Popen[Any]]]:
    """Children a test starts; any still running at the end are killed (by their pid)."""
    children: list[subprocess.Popen[Any]] = []
    yield children
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=HANG_GUARD)
