"""Every library the package imports is one it declares.

A fresh venv gets only what ``pyproject.toml`` asks for: an import of a library
that happens to be on the developer's machine (``click`` beside typer, which
vendors its own since 0.2x) works there and breaks every command of a new
install. Seen in a fresh venv: ``ModuleNotFoundError: No module named 'click'``.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imported_top_names() -> dict[str, str]:
    """Top-level module name -> first file that imports it, for all of selfeval/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "selfeval").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _declared() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    names = set()
    for spec in data["project"]["dependencies"]:
        match = re.match(r"[A-Za-z0-9_.-]+", spec)
        assert match, spec
        names.add(re.sub(r"[-_.]+", "-", match.group(0)).lower())
    return names


def test_every_third_party_import_is_a_declared_dependency() -> None:
    declared = _declared()
    dists = packages_distributions()
    undeclared = []
    for name, where in _imported_top_names().items():
        if name == "selfeval" or name in sys.stdlib_module_names or name == "__future__":
            continue
        providers = {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(name, [name])}
        if not providers & declared:
            undeclared.append(f"{name} (imported in {where}; provided by {sorted(providers)})")
    assert undeclared == [], "imports not declared in pyproject.toml: " + "; ".join(undeclared)
