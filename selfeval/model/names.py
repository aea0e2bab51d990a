"""File names every room needs without loading the models (``import`` costs nothing)."""

from __future__ import annotations

__all__ = ["EXERCISE_FILE", "MERGES_FILE", "STATE_DIR"]

#: The exercise file; the folder holding it is the workspace (``DESIGN.md``).
EXERCISE_FILE = "selfeval.yaml"
#: The workspace's local state (lock files, caches): never shared, invisible to git.
STATE_DIR = ".selfeval"
#: The secretariat's merges of findings, in ``texts/`` (``docs/findings.md`` §4):
#: read by ``aggregate``, checked by ``validate`` with aggregate's code.
MERGES_FILE = "merges.yaml"
