"""Leftovers of the trust boundary and of "one rule, one place" (left4, 3 December 2026).

Each test goes through the CLI (typer's CliRunner) on a copy of the worked
example and checks what the user sees; each failed before its fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from exercisekit import broken_after_first_read
from typer.testing import CliRunner

from selfeval.cli import app

CAT = "responses/falende-staten"


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [args[0], "-w", str(ws), *args[1:]], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- status reads every file where a response may stand, as validate and aggregate do ----


def test_status_reads_a_stray_file_validate_and_aggregate_refuse(
    runner: CliRunner, example_ws: Path
) -> None:
    (example_ws / CAT / "BZ" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(r"BZ/notes\.yaml:1:1: required key 'questionnaire' is missing", output), (
            command,
            output,
        )
    code, output = run(runner, example_ws, "status", "--no-cache")
    assert re.search(r"BZ\s+notes\s+invalid", output), output


# --- one rule for a reaction's comment: peer-review, validate, status, aggregate ---------


def test_a_submitted_reaction_without_its_comment_counts_nowhere(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / CAT / "EZ/peer-review-2.yaml"
    text = path.read_text(encoding="utf-8")
    comment = "  comment: De beïnvloedingsmogelijkheden van EZ richting het bedrijfsleven"
    assert comment in text
    path.write_text(re.sub(re.escape(comment) + r".*\n", "", text), encoding="utf-8")
    expected = (
        r"EZ/peer-review-2\.yaml:\d+:\d+: reaction to BZ\.opportunities\.relaties-ez-financien: "
        r"a comment is required with verdict partly-agree"
    )
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(expected, flat(output)), (command, output)


# --- the one character rule: control characters and bidi controls --------------------

BZ = CAT + "/BZ/self-evaluation.yaml"


def _with_definition(ws: Path, value: str) -> None:
    """BZ's definition answer replaced by ``value`` (a YAML double-quoted scalar)."""
    path = ws / BZ
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  definition: |"), text.index("  causes:")
    path.write_text(text[:start] + f"  definition: {value}\n" + text[end:], encoding="utf-8")


def test_status_refuses_a_control_character_as_validate_and_aggregate_do(
    runner: CliRunner, example_ws: Path
) -> None:
    # Found open by an earlier review; already true at a9eaa9e (response_problems): kept.
    _with_definition(example_ws, '"BZ volgt \\x1b[2J de omschrijving \\a."')
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert "answers.definition: holds the control character U+001B (line 1, column 10" in (
            flat(output)
        ), (command, output)


def test_a_bidi_override_in_an_answer_is_refused_with_its_place(
    runner: CliRunner, example_ws: Path
) -> None:
    # Trojan Source: U+202E shows "evol" where the file says "love", in a report too.
    _with_definition(example_ws, "'BZ volgt \u202eevol\u202c de omschrijving.'")
    for command in (["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(
            r"BZ/self-evaluation\.yaml:\d+:\d+: answers\.definition: holds the bidirectional "
            r"control character U\+202E \(line 1, column 10 of the answer\)",
            flat(output),
        ), (command, output)
        assert "\u202e" not in output


# --- texts/merges.yaml: read once in one run ------------------------------------------


def test_validate_reads_the_merges_file_once(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate checked the merges file by aggregate's rule, reading it a second time.

    The file is replaced by a broken one right after its first read.
    """
    merges = example_ws / "texts" / "merges.yaml"
    reads = broken_after_first_read(monkeypatch, merges)
    code, output = run(runner, example_ws, "validate")
    assert code == 0, output
    assert len(reads) == 1


# --- the secretariat's other files under the one character rule --------------------------


def _template(ws: Path, text: str) -> Path:
    path = ws / "templates" / "integrated-report.md.j2"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_template_holding_a_bidi_override_is_refused_at_its_place(
    runner: CliRunner, example_ws: Path
) -> None:
    _template(example_ws, "# {{ r.title | inline }}\n\nDit rapport is \u202elanif\u202c.\n")
    for command in (["validate"], ["aggregate", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(
            r"templates/integrated-report\.md\.j2:3:16: the template holds the bidirectional "
            r"control character U\+202E",
            flat(output),
        ), (command, output)
    assert not (example_ws / "reports" / "integrated-report.md").exists()


def test_a_template_that_writes_a_control_character_is_refused(
    runner: CliRunner, example_ws: Path
) -> None:
    # An escape in a string of the template: the file itself holds no such character.
    _template(example_ws, '# {{ r.title | inline }}\n\n{{ "\\x1b[2J" }}Gewist.\n')
    code, output = run(runner, example_ws, "aggregate", "--no-cache")
    assert code == 1, output
    assert re.search(
        r"templates/integrated-report\.md\.j2: the report template wrote the control "
        r"character U\+001B",
        flat(output),
    ), output
    assert not (example_ws / "reports" / "integrated-report.md").exists()


def test_a_label_holding_a_control_character_is_refused_at_its_line(
    runner: CliRunner, example_ws: Path
) -> None:
    labels = example_ws / "templates" / "labels.yaml"
    labels.parent.mkdir(exist_ok=True)
    labels.write_text('nl:\n  preface: "Voorwoord\\x1b[2J"\n', encoding="utf-8")
    for command in (["validate"], ["aggregate", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(
            r"templates/labels\.yaml:2:\d+: label 'preface' holds the control character U\+001B",
            flat(output),
        ), (command, output)


def test_a_merge_note_holding_a_bidi_override_is_refused_at_its_line(
    runner: CliRunner, example_ws: Path
) -> None:
    merges = example_ws / "texts" / "merges.yaml"
    text = merges.read_text(encoding="utf-8")
    assert "    note: >-\n" in text
    merges.write_text(text.replace("    note: >-\n", "    note: >-\n      \u202e\n"), "utf-8")
    for command in (["validate"], ["aggregate", "--no-cache"]):
        code, output = run(runner, example_ws, *command)
        assert code == 1, (command, output)
        assert re.search(
            r"texts/merges\.yaml:\d+:\d+: the note holds the bidirectional control character "
            r"U\+202E",
            flat(output),
        ), (command, output)


# --- docs/translation.md: the language of an --answers run -----------------------------


def test_an_answers_run_names_problems_in_english_and_says_what_it_did_in_dutch(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    wrong = tmp_path / "answers.yaml"
    wrong.write_text("has_bottlenecks: maybe\n", encoding="utf-8")
    fill = ["fill", "-w", str(example_ws), "-p", "DEF", "--reopen", "--answers"]
    result = runner.invoke(app, [*fill, str(wrong)])
    assert result.exit_code == 1, result.output
    assert (
        f"Error: {wrong}:1:18: has_bottlenecks: expected yes or no (true/false), but got the "
        "text 'maybe'"
    ) in result.output
    answers = example_ws / "answers" / "DEF-self-evaluation.yaml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("Eenzijdige invalshoek", "Eenzijdig perspectief"), "utf-8")
    result = runner.invoke(app, [*fill, str(answers), "--submit"])
    assert result.exit_code == 0, result.output
    # 9 required: the bottlenecks group (min_items: 1, shown after "Ja") counts as required.
    assert "\nIngediend: " in result.output and "vragen beantwoord, verplicht 9/9)" in result.output


def test_the_run_records_read_limit_is_the_largest_file_selfeval_reads() -> None:
    from selfeval.report import findings, runrecord

    assert runrecord._MAX_INPUT_BYTES == findings.MAX_DRAFT_BYTES
