"""A workspace's ``templates/labels.yaml`` overrides the report's words (issue 10).

Documented in docs/report.md ("for labels.yaml only the keys you give are
replaced") but never loaded before: the override was silently ignored.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from selfeval.cli import app


def _aggregate(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["aggregate", "--workspace", str(ws), *args])


def _override(ws: Path, text: str) -> Path:
    path = ws / "templates" / "labels.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_a_workspace_labels_file_replaces_only_the_words_it_gives(
    runner: CliRunner, example_ws: Path
) -> None:
    assert _aggregate(runner, example_ws).exit_code == 0
    before = (example_ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert "\n## Voorwoord\n" in before
    _override(example_ws, "nl:\n  preface: Woord vooraf\nen:\n  preface: Foreword\n")
    result = _aggregate(runner, example_ws)
    assert result.exit_code == 0, result.output
    after = (example_ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert after == before.replace("\n## Voorwoord\n", "\n## Woord vooraf\n")
    html = _aggregate(runner, example_ws, "--format", "html")
    assert html.exit_code == 0, html.output
    page = (example_ws / "reports" / "integrated-report.html").read_text("utf-8")
    assert ">Woord vooraf</h2>" in page


def test_an_unknown_label_is_an_error_with_file_and_line(
    runner: CliRunner, example_ws: Path
) -> None:
    path = _override(example_ws, "nl:\n  preface: Woord vooraf\n  prefce: Woord vooraf\n")
    result = _aggregate(runner, example_ws)
    assert result.exit_code == 1, result.output
    assert f"{path}:3:" in result.output
    assert "unknown label 'prefce'" in result.output
    assert "Traceback" not in result.output
    assert not (example_ws / "reports" / "integrated-report.md").exists()


def test_a_labels_file_of_the_wrong_shape_is_an_error(runner: CliRunner, example_ws: Path) -> None:
    for text, line, message in [
        ("- preface\n", 1, "a mapping of languages"),
        ("de:\n  preface: Vorwort\n", 1, "unknown language 'de'"),
        ("nl:\n  preface: [a, b]\n", 2, "'preface' must be text"),
    ]:
        path = _override(example_ws, text)
        result = _aggregate(runner, example_ws)
        assert result.exit_code == 1, (text, result.output)
        assert f"{path}:{line}" in result.output, result.output
        assert message in result.output, result.output
