"""What one process keeps between two commands never hides a changed file.

The questionnaires already loaded (``selfeval.files.load``) and the report
templates already compiled (``selfeval.report.render``) are kept in memory,
keyed by the file's bytes: a file rewritten at once, with the same length (so
the same size and, within a clock tick, the same modification time), is read
again, and the second command shows the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.errors import InputError
from selfeval.files import yamlio
from selfeval.files.load import load_questionnaire
from selfeval.files.resources import shipped_questionnaires
from selfeval.report.render import TEMPLATE_DIR

QUESTION = "Hoe omschrijft uw departement de incidentcategorie?"
SAME_LENGTH = "Hoe OMSCHRIJFT uw departement de incidentcategorie?"
SHIPPED = shipped_questionnaires()[0].parent


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text and len(old) == len(new)
    path.write_text(text.replace(old, new), "utf-8")


def test_a_questionnaire_rewritten_with_the_same_length_is_read_again(example_ws: Path) -> None:
    path = example_ws / "questionnaires" / "self-evaluation-1.1.0.yaml"
    first = load_questionnaire(path)
    assert load_questionnaire(path) is first  # unchanged bytes: the same loaded questionnaire
    _rewrite(path, QUESTION, SAME_LENGTH)
    again = load_questionnaire(path)
    labels = [
        item.label["nl"] for section in again.questionnaire.sections for item in section.items
    ]
    assert SAME_LENGTH in labels and QUESTION not in labels
    assert again.hash != first.hash


def test_the_same_questionnaire_in_another_folder_is_not_parsed_again_but_keeps_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "self-evaluation-1.1.0.yaml"
    first, second = tmp_path / "a" / name, tmp_path / "b" / name
    for path in (first, second):
        path.parent.mkdir()
        path.write_bytes((SHIPPED / name).read_bytes())
    one = load_questionnaire(first)
    parsed: list[object] = []
    real = yamlio.load_text
    monkeypatch.setattr(yamlio, "load_text", lambda *a, **k: parsed.append(a) or real(*a, **k))
    two = load_questionnaire(second)
    assert parsed == []  # the same bytes under the same name: not parsed again
    assert two.path == second and one.path == first
    assert two.questionnaire is one.questionnaire and two.hash == one.hash
    assert load_questionnaire(second) is two  # asked again there: the same loaded questionnaire
    # Another name is checked as its own file: the name must match id and version.
    renamed = tmp_path / "b" / "self-evaluation-9.9.9.yaml"
    renamed.write_bytes(second.read_bytes())
    with pytest.raises(InputError, match="does not match the questionnaire's id and version"):
        load_questionnaire(renamed)


def test_a_questionnaire_that_became_invalid_is_refused_not_served_from_memory(
    example_ws: Path, runner: CliRunner
) -> None:
    assert runner.invoke(app, ["validate", "-w", str(example_ws)]).exit_code == 0
    path = example_ws / "questionnaires" / "self-evaluation-1.1.0.yaml"
    _rewrite(path, "required: true", "required: ja!!")
    result = runner.invoke(app, ["validate", "-w", str(example_ws)])
    assert result.exit_code == 1
    assert "self-evaluation-1.1.0.yaml" in result.stderr


def test_a_template_rewritten_with_the_same_length_shows_in_the_next_report(
    example_ws: Path, runner: CliRunner
) -> None:
    shipped = TEMPLATE_DIR
    override = example_ws / "templates" / "integrated-report.md.j2"
    override.parent.mkdir(exist_ok=True)
    override.write_text("Versie AAAA\n" + (shipped / "integrated-report.md.j2").read_text("utf-8"))
    out = example_ws / "r.md"
    args = ["aggregate", "-w", str(example_ws), "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_text("utf-8").startswith("Versie AAAA")
    _rewrite(override, "Versie AAAA", "Versie BBBB")
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_text("utf-8").startswith("Versie BBBB")
