"""Fixtures of the reliability suite; the helpers live in ``reliakit``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliakit import HANG_GUARD, Files, make_files
from typer.testing import CliRunner


@pytest.fixture
def files(tmp_path: Path) -> Files:
    """A workspace with one draft response (DEF, peer-review-1) and an answers file."""
    return make_files(tmp_path)


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
