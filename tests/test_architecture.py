"""The package's import rules (``docs/architecture.md``), checked on the source.

* Only ``selfeval/cli/`` imports the terminal libraries (typer, rich,
  questionary, prompt_toolkit): the core can be used, and tested, without a
  terminal. ruff's TID251 (``pyproject.toml``) says the same in an editor.
* Each room (``model/``, ``files/``, …) imports only the rooms
  ``docs/architecture.md`` allows it, and no two modules of ``selfeval``
  import each other, directly or around a circle; every import counts:
  module level, inside a function, and under ``TYPE_CHECKING``.

The imports are read with :mod:`ast`, not by importing, so a lazy import
inside a function is seen as well.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

PACKAGE = Path(__file__).resolve().parents[1] / "selfeval"
TERMINAL_LIBRARIES = frozenset({"typer", "rich", "questionary", "prompt_toolkit", "click"})

#: Known circles, each being removed by another branch of issue 18. Remove an
#: entry when its branch lands (this test then fails until you do).
ALLOWED_CYCLES: set[frozenset[str]] = set()


class Import(NamedTuple):
    """One import statement: ``import module`` or ``from module import names``."""

    module: str
    names: tuple[str, ...]
    line: int


#: What each room may import (docs/architecture.md, "The rooms"); cli/ may import all.
MAY_IMPORT = {
    "selfeval.errors": set(),
    "selfeval.i18n": set(),
    "selfeval.model": {"selfeval.errors"},
    "selfeval.files": {"selfeval.model", "selfeval.errors"},
    "selfeval.fill": {"selfeval.files", "selfeval.model", "selfeval.errors"},
    "selfeval.report": {"selfeval.files", "selfeval.model", "selfeval.errors"},
    "selfeval.peer_review": {
        "selfeval.fill",
        "selfeval.report",
        "selfeval.files",
        "selfeval.model",
        "selfeval.errors",
    },
    "selfeval.checks": {"selfeval.files", "selfeval.model", "selfeval.errors"},
    "selfeval.export": {"selfeval.report", "selfeval.files", "selfeval.model", "selfeval.errors"},
}
# selfeval's own words (the gettext catalogues) are every room's but errors'.
for _room, _allowed in MAY_IMPORT.items():
    if _room not in ("selfeval.errors", "selfeval.i18n"):
        _allowed.add("selfeval.i18n")


def room(module: str) -> str:
    """The room (``selfeval.model``, ``selfeval.errors``, …) a module belongs to."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(source: str, module: str, *, package: bool = False) -> Iterator[Import]:
    """Every import statement in ``source`` (the text of ``module``), wherever it stands.

    Relative imports are resolved against ``module``'s package.
    """
    here = module if package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            yield Import(base, tuple(alias.name for alias in node.names), node.lineno)


@functools.cache
def imports_of(path: Path) -> tuple[Import, ...]:
    """Every import statement of the module at ``path``, parsed once per test process."""
    return tuple(
        imports(path.read_text("utf-8"), module_name(path), package=path.stem == "__init__")
    )


def dependencies(found: Iterable[Import], known: set[str]) -> set[str]:
    """The modules of ``known`` that these imports use.

    ``from a.b import c`` uses ``a.b.c`` when that is a module, else ``a.b``
    (a package's ``__init__`` passed through on the way to its module is not a use).
    """
    used: set[str] = set()
    for stmt in found:
        if not stmt.names:
            used.add(stmt.module)
        for name in stmt.names:
            used.add(f"{stmt.module}.{name}" if f"{stmt.module}.{name}" in known else stmt.module)
    return used & known


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: dependencies(imports_of(path), set(known)) - {name} for name, path in known.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_only_the_cli_imports_the_terminal_libraries() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{stmt.line}: imports {stmt.module}"
        for module, path in modules().items()
        if not module.startswith("selfeval.cli")
        for stmt in imports_of(path)
        if stmt.module.split(".")[0] in TERMINAL_LIBRARIES
    ]
    assert offenders == [], "move terminal code to selfeval/cli/:\n" + "\n".join(offenders)


def test_the_package_has_no_import_cycles_but_the_two_being_removed() -> None:
    found = set(cycles(import_graph()))
    new = [sorted(cycle) for cycle in found - ALLOWED_CYCLES]
    assert new == [], f"modules that import each other (around a circle): {new}"
    gone = [sorted(cycle) for cycle in ALLOWED_CYCLES - found]
    assert gone == [], f"these circles are gone: remove them from ALLOWED_CYCLES: {gone}"


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if room(module) in MAY_IMPORT
        for target in targets
        if room(target) != room(module) and room(target) not in MAY_IMPORT[room(module)]
    )
    assert wrong == [], "see docs/architecture.md (the rooms):\n" + "\n".join(wrong)


def test_every_room_is_in_the_table() -> None:
    # A new folder under selfeval/ says what it may import (here and in docs/architecture.md).
    rooms = {room(module) for module in modules()} - {"selfeval", "selfeval.cli"}
    assert sorted(rooms - set(MAY_IMPORT) - {"selfeval.__main__"}) == []


def test_dunder_main_only_starts_the_cli() -> None:
    # ``python -m selfeval`` is the console script by another door: it imports the CLI, nothing else.
    targets = {room(i.module) for i in imports_of(PACKAGE / "__main__.py")}
    assert targets == {"selfeval.cli"}


def test_every_kind_of_import_is_seen() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import rich.console\n"
        "from selfeval.files import yamlio\n"
        "from selfeval.errors import InputError\n"
        "if TYPE_CHECKING:\n"
        "    from selfeval.report.model import Report\n"
        "def f():\n"
        "    from . import merges\n"
        "    from .render import write_report\n"
        "    import questionary\n"
    )
    found = list(imports(source, "selfeval.report.findings"))
    assert {stmt.module for stmt in found} >= {"rich.console", "questionary"}
    assert dependencies(found, set(modules())) == {
        "selfeval.files.yamlio",
        "selfeval.errors",
        "selfeval.report.model",
        "selfeval.report.merges",
        "selfeval.report.render",
    }


def test_a_circle_of_three_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_the_public_api_is_one_table_with_the_commands_cores() -> None:
    import selfeval

    assert selfeval.__all__ == ["__version__", *selfeval._API]
    assert {"run_fill", "aggregate", "run_peer_review", "validate_workspace"} <= set(
        selfeval.__all__
    )
    for name, module in selfeval._API.items():
        value = getattr(selfeval, name)
        assert value.__module__ == module, name  # defined there, not re-exported from elsewhere
    assert sorted(dir(selfeval)) == sorted(selfeval.__all__)
