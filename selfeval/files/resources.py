"""Files shipped with the package: questionnaires, the worked example, the empty template.

In an installed wheel they live under ``selfeval/_bundled/`` (see
``pyproject.toml``, ``force-include``); in a source checkout (editable
install) they are read from the repository root, which is itself the worked
example workspace (``DESIGN.md`` §3).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "example_files",
    "example_root",
    "newest_questionnaires",
    "shipped_questionnaires",
    "template_dir",
]

#: ``<id>-<MAJOR.MINOR.PATCH>.yaml``, the name of a questionnaire version file.
_VERSION_FILE = re.compile(r"^(?P<id>.+)-(?P<version>\d+\.\d+\.\d+)\.yaml$")

_HERE = Path(__file__).resolve().parent
_PACKAGE = _HERE.parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent


def _root() -> Path:
    if (_BUNDLED / "example" / "selfeval.yaml").is_file():
        return _BUNDLED / "example"
    return _CHECKOUT


def example_root() -> Path:
    """The folder of the worked example workspace shipped with selfeval (to read, never write)."""
    return _root()


def shipped_questionnaires() -> list[Path]:
    """The questionnaire version files shipped with this release, sorted by name."""
    return sorted((_root() / "questionnaires").glob("*.yaml"))


def newest_questionnaires() -> list[Path]:
    """The newest shipped version of each questionnaire, sorted by name.

    What ``selfeval init`` copies into a new, empty workspace: the generic
    questionnaires, without the older versions the worked example's history
    needs (self-evaluation 1.0.0 listed its incident category's phases; issue 12).
    """
    newest: dict[str, tuple[tuple[int, ...], Path]] = {}
    for path in shipped_questionnaires():
        match = _VERSION_FILE.match(path.name)
        if match is None:
            continue
        key = tuple(int(part) for part in match["version"].split("."))
        if match["id"] not in newest or key > newest[match["id"]][0]:
            newest[match["id"]] = (key, path)
    return sorted(path for _, path in newest.values())


def example_files() -> list[tuple[Path, Path]]:
    """(source, relative target) pairs that make up the worked example workspace."""
    root = _root()
    pairs: list[tuple[Path, Path]] = [(root / "selfeval.yaml", Path("selfeval.yaml"))]
    for folder in ("questionnaires", "responses", "texts", "answers"):
        base = root / folder
        if base.is_dir():
            pairs += [
                (p, p.relative_to(root))
                for p in sorted(base.rglob("*"))
                if p.is_file() and not p.name.startswith(".")
            ]
    return pairs


def template_dir() -> Path:
    """The empty workspace template (exercise file and narrative texts)."""
    return _HERE / "workspace_template"
