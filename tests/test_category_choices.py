"""Issue 12: an incident category's vocabulary lives with the exercise, not the questionnaire.

The generic self-evaluation (1.1.0) asks which phases a department's policy
addresses with ``choices_from: phases``; the exercise file declares the
phases per incident category. Every command reads the choices through
``Workspace.questionnaire`` (fill, validate, status, aggregate, export,
``questionnaire show``), so relabelling a phase in ``selfeval.yaml`` shows
everywhere, and a value the exercise does not list is refused everywhere.
A new workspace (``selfeval init``) carries nothing of the worked example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from exercisekit import worked_example_words
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.resources import newest_questionnaires, template_dir


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_init_workspace_has_no_word_of_the_worked_example(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "ws"
    code, out = invoke(runner, "init", str(target))
    assert code == 0, out
    found = []
    for path in sorted(target.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text("utf-8")
        found += [f"{path.relative_to(target)}:{hit}" for hit in worked_example_words(text)]
    assert found == []


def test_the_template_pins_the_newest_shipped_questionnaires() -> None:
    pins = yamlio.load(template_dir() / "selfeval.yaml")["questionnaires"]
    newest = {
        p.name.rsplit("-", 1)[0]: p.name.rsplit("-", 1)[1].removesuffix(".yaml")
        for p in newest_questionnaires()
    }
    assert pins == newest


@pytest.fixture
def relabelled(example_ws: Path) -> Path:
    """The worked example with the phase 'decay' relabelled in selfeval.yaml only."""
    path = example_ws / "selfeval.yaml"
    text = path.read_text("utf-8")
    assert "label: {nl: Verval, en: Decay}" in text
    path.write_text(text.replace("{nl: Verval, en: Decay}", "{nl: Aftakeling, en: Decline}"))
    return example_ws


def test_questionnaire_show_lists_the_exercise_phases(runner: CliRunner, relabelled: Path) -> None:
    code, out = invoke(
        runner, "questionnaire", "show", "self-evaluation", "--workspace", str(relabelled)
    )
    assert code == 0, out
    assert "Aftakeling" in out and "Groeiende tegenstellingen" in out
    assert "Verval" not in out


def test_aggregate_shows_the_exercise_label(runner: CliRunner, relabelled: Path) -> None:
    code, out = invoke(runner, "aggregate", "--workspace", str(relabelled))
    assert code == 0, out
    report = (relabelled / "reports" / "integrated-report.md").read_text("utf-8")
    assert "Groeiende tegenstellingen, Aftakeling, Falen, Herstel" in report


def test_export_shows_the_exercise_label(runner: CliRunner, relabelled: Path) -> None:
    out_dir = relabelled / "out"
    code, out = invoke(
        runner, "export", "--workspace", str(relabelled), "--format", "csv", "-o", str(out_dir)
    )
    assert code == 0, out
    text = "".join(p.read_text("utf-8-sig") for p in sorted(out_dir.glob("*.csv")))
    assert "Aftakeling" in text


def test_a_phase_the_exercise_does_not_list_is_refused(runner: CliRunner, example_ws: Path) -> None:
    path = example_ws / "selfeval.yaml"
    text = path.read_text("utf-8")
    # The exercise drops the phase 'recovery': BZ's answer naming it no longer fits.
    start = text.index("      - value: recovery")
    end = text.index("\n", text.index("label:", start)) + 1
    path.write_text(text[:start] + text[end:], "utf-8")
    code, out = invoke(runner, "validate", "--workspace", str(example_ws))
    assert code == 1
    assert re.search(r"self-evaluation\.yaml:\d+.*'recovery' not among the choices", out), out
    code, out = invoke(runner, "aggregate", "--workspace", str(example_ws))
    assert code == 1 and "'recovery' not among the choices" in out, out
    code, out = invoke(runner, "status", "--workspace", str(example_ws))
    assert "BZ" in out


def test_fill_offers_and_checks_the_exercise_phases(runner: CliRunner, example_ws: Path) -> None:
    answers = yamlio.load(example_ws / "answers" / "BZ-self-evaluation.yaml")
    answers["phases"] = ["decay", "flooding"]
    path = example_ws / "bz.yaml"
    path.write_text(yamlio.dump(answers), "utf-8")
    (example_ws / "responses" / "falende-staten" / "BZ" / "self-evaluation.yaml").unlink()
    code, out = invoke(
        runner, "fill", "--workspace", str(example_ws), "--participant", "BZ",
        "--answers", str(path), "--submit",
    )  # fmt: skip
    assert code == 1
    assert "'flooding' not among the choices" in out
    assert "growing-tensions" in out  # the exercise's values are what fits


def test_a_category_without_the_list_is_told_where_to_declare_it(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / "selfeval.yaml"
    text = path.read_text("utf-8")
    start = text.index("  choices:\n    phases:")
    end = text.index("date:")
    path.write_text(text[:start] + text[end:], "utf-8")
    code, out = invoke(runner, "validate", "--workspace", str(example_ws))
    assert code == 1
    assert re.search(
        r"self-evaluation-1\.6\.0\.yaml:\d+.*choices from the list 'phases', which incident "
        r"category 'falende-staten' does not declare in selfeval\.yaml",
        out,
    ), out
    assert "Traceback" not in out


def test_an_english_report_of_the_worked_example_has_no_dutch_title_page(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / "selfeval.yaml"
    path.write_text(path.read_text("utf-8").replace("language: nl", "language: en"), "utf-8")
    code, out = invoke(runner, "aggregate", "--workspace", str(example_ws))
    assert code == 0, out
    report = (example_ws / "reports" / "integrated-report.md").read_text("utf-8")
    title_page = report[: report.index("## ")]
    assert "**National Security Project**" in title_page
    assert "Status: internal working document" in title_page
    for dutch in ("Nationale Veiligheid", "werkdocument", "Secretariaat"):
        assert dutch not in title_page
    assert "*Secretariat of the National Security Project*" in report


def _texts(node: object, lang: str) -> list[str]:
    """Every text in ``lang`` a respondent reads in a questionnaire file (labels, help, intros)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"label", "help", "intro", "title", "entry_label", "description"}:
                found += [value] if isinstance(value, str) else [value.get(lang, "")]
            else:
                found += _texts(value, lang)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value, lang)
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_newest_self_evaluation_names_no_phase_of_any_category(lang: str) -> None:
    """The phases are the exercise's own (`choices_from: phases`): no text may name one.

    Trial 8: 1.5.0's note on the phases asked "hoe voorkomen en nazorg zich
    verhouden" in a category whose phases have other names. The template's and
    the worked example's phases are checked ("reageren", to react, is left out:
    the help of other departments' roles uses the verb).
    """
    phases = [
        choice["label"][lang]
        for file in (template_dir() / "selfeval.yaml", Path(__file__).parents[1] / "selfeval.yaml")
        for choice in yamlio.load(file)["incident_category"]["choices"]["phases"]
        if choice["label"][lang] != "Reageren"
    ]
    assert len(phases) == (7 if lang == "nl" else 8), phases
    (newest,) = [p for p in newest_questionnaires() if p.name.startswith("self-evaluation-")]
    texts = _texts(yamlio.load(newest), lang)
    named = [
        (phase, text)
        for phase in phases
        for text in texts
        if re.search(rf"\b{re.escape(phase)}\b", text, re.IGNORECASE)
    ]
    assert named == []
