"""``selfeval validate`` renders the workspace's template overrides, as ``aggregate`` would.

A template that parses can still fail when it renders (a filter that does
not exist inside an ``{% if %}``, an attribute the sandbox forbids, a name
the draft report lacks); validate tries each override on the worked
example's data (selfeval/report/trial.py) and reports the failure with
aggregate's own message, file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report.render import MD_TEMPLATE, TEMPLATE_DIR


def _override(ws: Path, text: str, name: str = MD_TEMPLATE) -> Path:
    folder = ws / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _validate(runner: CliRunner, ws: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["validate", "--workspace", str(ws)], env={"COLUMNS": "200"})


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error: ")]


def test_a_syntax_error_is_found_with_its_line(runner: CliRunner, empty_ws: Path) -> None:
    path = _override(empty_ws, "# {{ r.title }}\n\n{% for role in r.roles %}\n{{ role }}\n")
    result = _validate(runner, empty_ws)
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:4: report template error"), result.stderr
    assert "Traceback" not in result.output


#: A filter that does not exist, inside an ``{% if %}``: Jinja2 parses it and fails at render.
UNKNOWN_FILTER = "# {{ r.title }}\n\n{% if r.title %}\n{{ r.title | shout }}\n{% endif %}\n"


def test_an_unknown_filter_met_only_when_rendering_is_found(
    runner: CliRunner, empty_ws: Path
) -> None:
    path = _override(empty_ws, UNKNOWN_FILTER)
    result = _validate(runner, empty_ws)
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:4: report template failed"), result.stderr
    assert "worked example's data" in result.stderr


@pytest.mark.slow  # aggregate draws the figures first (matplotlib, ~3 s); the test above
# proves validate finds it, with the message render.trial_render takes from aggregate's render
def test_validate_says_what_aggregate_says(
    runner: CliRunner, empty_ws: Path, example_ws: Path
) -> None:
    path = _override(empty_ws, UNKNOWN_FILTER)
    (error,) = _error_lines(_validate(runner, empty_ws).stderr)
    _override(example_ws, UNKNOWN_FILTER)
    aggregate = runner.invoke(app, ["aggregate", "--workspace", str(example_ws), "--no-cache"])
    assert aggregate.exit_code == 1, aggregate.output
    said = error.removeprefix(f"Error: {path}:4: ")
    assert f"{example_ws / 'templates' / MD_TEMPLATE}:4: {said}" in aggregate.stderr


def test_a_sandbox_violation_is_found_with_its_line(runner: CliRunner, empty_ws: Path) -> None:
    path = _override(empty_ws, "# {{ r.title }}\n\n{{ r.title.__class__.__mro__ }}\n")
    result = _validate(runner, empty_ws)
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:3: report template does something not allowed")


def test_a_name_only_the_draft_lacks_is_found(runner: CliRunner, empty_ws: Path) -> None:
    text = "# {{ r.title }}\n{% if r.is_draft %}\n{{ r.no_such_part }}\n{% endif %}\n"
    path = _override(empty_ws, text)
    result = _validate(runner, empty_ws)
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:3: report template error"), result.stderr
    assert "no_such_part" in error


def test_an_html_page_override_is_tried_too(runner: CliRunner, empty_ws: Path) -> None:
    page = (TEMPLATE_DIR / "integrated-report.html.j2").read_text(encoding="utf-8")
    path = _override(empty_ws, page + "{{ r.nothing_like_this }}\n", "integrated-report.html.j2")
    result = _validate(runner, empty_ws)
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:{page.count(chr(10)) + 1}: report template error")


def test_good_overrides_pass(runner: CliRunner, empty_ws: Path) -> None:
    for name in (MD_TEMPLATE, "_finding.md.j2", "integrated-report.html.j2"):
        shipped = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        _override(empty_ws, shipped.replace("{{ r.title }}", "{{ r.title | upper }}"), name)
    result = _validate(runner, empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: "), result.output


def test_validate_dir_of_a_workspace_tries_its_templates_too(
    runner: CliRunner, empty_ws: Path
) -> None:
    """``selfeval validate DIR`` judges a workspace as ``validate -w DIR`` does."""
    path = _override(empty_ws, "# {{ r.title }}\n\n{{ r.title.__class__.__mro__ }}\n")
    result = runner.invoke(app, ["validate", str(empty_ws)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    (error,) = _error_lines(result.stderr)
    assert error.startswith(f"Error: {path}:3: report template does something not allowed")
