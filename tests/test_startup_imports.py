"""Start-up hygiene: the CLI loads heavy libraries only in the commands that need them.

Every ``selfeval`` run imports :mod:`selfeval.cli`, and a command's module is
imported when that command runs (``selfeval --help`` imports none of them:
``tests/test_lazy_commands.py``), so anything a command module imports at top
level is paid by that command and its ``--help``. These checks run a fresh
interpreter and look at ``sys.modules``; they measure no time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = [
    "questionary", "jinja2", "markdown_it", "pydantic", "yaml", "rich", "prompt_toolkit",
    "xlsxwriter", "openpyxl", "docx", "matplotlib", "babel",
]  # fmt: skip

#: Word output and the figures: loaded only by the commands that write them.
DRAW = ["docx", "matplotlib"]

_PROBE = """
import json, sys
{setup}
print("LOADED:" + json.dumps([m for m in {heavy!r} if m in sys.modules]))
"""

_RUN_MAIN = """
sys.argv = ["selfeval", *{args!r}]
from selfeval.cli import main
try:
    main()
except SystemExit:
    pass
"""


def _loaded(setup: str) -> list[str]:
    code = _PROBE.format(setup=setup, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    marker = [line for line in result.stdout.splitlines() if line.startswith("LOADED:")]
    assert marker, result.stdout + result.stderr
    loaded: list[str] = json.loads(marker[-1].removeprefix("LOADED:"))
    return loaded


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded("import selfeval.cli") == []


def test_importing_the_package_loads_no_heavy_library() -> None:
    assert _loaded("import selfeval") == []


def test_help_loads_no_heavy_library() -> None:
    assert _loaded(_RUN_MAIN.format(args=["--help"])) == []


def test_the_probe_sees_a_heavy_import() -> None:
    """Guard against a probe that can never fail."""
    assert _loaded("import selfeval.cli, yaml") == ["yaml"]


def test_importing_every_command_module_loads_no_heavy_library() -> None:
    assert _loaded("import selfeval.cli\nselfeval.cli.load_all_commands()") == []


def _registered() -> list[str]:
    from selfeval.cli import app, load_all_commands

    load_all_commands()
    return sorted(c.name for c in app.registered_commands if c.name)


#: Importing every command module loads no heavy library (checked above), so what a
#: command's own ``--help`` adds is only what its option callbacks import: a sample in
#: the default tier, every command in the slow tier.
_HELP_SAMPLE = {"aggregate", "fill", "validate"}


@pytest.mark.parametrize(
    "command",
    [c if c in _HELP_SAMPLE else pytest.param(c, marks=pytest.mark.slow) for c in _registered()],
)
def test_command_help_loads_no_library_of_ours(command: str) -> None:
    """``selfeval CMD --help`` shows help without loading YAML, prompts or templates.

    Nor pydantic: typer would build a pydantic adapter for ``--help`` itself,
    but ``cli._common._shortcut`` parses our options without one.
    """
    loaded = _loaded(_RUN_MAIN.format(args=[command, "--help"]))
    assert loaded == []


@pytest.mark.parametrize(
    ("args", "not_needed"),
    [
        (
            ["validate"],
            ["questionary", "prompt_toolkit", "jinja2", "markdown_it", "rich", "babel", *DRAW],
        ),
        (["status"], ["questionary", "prompt_toolkit", "jinja2", "markdown_it", "babel", *DRAW]),
        (
            ["aggregate", "-o", "r.md"],
            ["questionary", "prompt_toolkit", "markdown_it", "rich", "docx"],
        ),
        (
            ["schema"],
            [
                *("questionary", "prompt_toolkit", "jinja2", "markdown_it", "yaml", "rich"),
                *("babel", *DRAW),
            ],
        ),
    ],
)
def test_a_command_loads_only_the_libraries_it_needs(
    args: list[str], not_needed: list[str], example_ws: Path
) -> None:
    if args[0] == "aggregate":
        # The figures drawn here first, into the workspace's figure cache: the child reads
        # them (sealed, tests/test_figure_cache.py) instead of importing matplotlib and
        # drawing for ~2 s; its own report, options and run are its own.
        from typer.testing import CliRunner

        from selfeval.cli import app

        warm = CliRunner().invoke(
            app, ["aggregate", "-o", str(example_ws / "warm.md"), "-w", str(example_ws)]
        )
        assert warm.exit_code == 0, warm.output
    setup = f"import os\nos.chdir({str(example_ws)!r})\n" + _RUN_MAIN.format(args=args)
    loaded = _loaded(setup)
    assert "pydantic" in loaded  # the command did run (every command validates with it)
    assert [m for m in loaded if m in not_needed] == []


def _status_in_a_child(ws: Path) -> list[str]:
    """``selfeval status`` on the worked example in a fresh interpreter: what it loaded.

    Of the heavy libraries and two modules of ours that hold the models
    (``selfeval.model.response``, ``selfeval.files.workspace``).
    """
    probe = _PROBE.format(
        setup=_RUN_MAIN.format(args=["status", "-w", str(ws)]),
        heavy=[*HEAVY, "selfeval.model.response", "selfeval.files.workspace"],
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "9 expected responses: 9 submitted." in result.stdout, result.stderr
    marker = [line for line in result.stdout.splitlines() if line.startswith("LOADED:")]
    loaded: list[str] = json.loads(marker[-1].removeprefix("LOADED:"))
    return loaded


def test_a_status_with_nothing_changed_loads_no_model(example_ws: Path) -> None:
    """A status answered from the last status's record loads no pydantic, YAML or model of ours.

    The first status (in this process) gathers and records; the second, in a
    fresh interpreter, prints the table (rich) from the record alone.
    """
    from typer.testing import CliRunner

    from selfeval.cli import app

    assert CliRunner().invoke(app, ["status", "-w", str(example_ws)]).exit_code == 0
    assert _status_in_a_child(example_ws) == ["rich"]


def test_a_status_after_a_comment_was_added_loads_no_model(example_ws: Path) -> None:
    """A response that reads as before (a comment added) is parsed, and nothing else is loaded.

    The cut-off of the last status's record (``selfeval.report.runrecord.recall_output``):
    PyYAML parses the one changed response; no pydantic, no model of ours.
    """
    from typer.testing import CliRunner

    from selfeval.cli import app

    assert CliRunner().invoke(app, ["status", "-w", str(example_ws)]).exit_code == 0
    response = example_ws / "responses" / "falende-staten" / "BZ" / "self-evaluation.yaml"
    response.write_bytes(response.read_bytes() + b"# checked\n")
    assert sorted(_status_in_a_child(example_ws)) == ["rich", "yaml"]


def test_version_prints_the_installed_version() -> None:
    """``--version`` reads ``selfeval.__version__`` (cheap); it must match the package metadata."""
    from importlib.metadata import version

    from typer.testing import CliRunner

    from selfeval import __version__
    from selfeval.cli import app

    assert __version__ == version("selfeval")
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith(f"selfeval {__version__}\nYAML: ")


def test_python_dash_m_selfeval_runs_the_cli() -> None:
    """``python -m selfeval --help`` works like the console script (no __main__ before)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "selfeval", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: selfeval" in done.stdout
