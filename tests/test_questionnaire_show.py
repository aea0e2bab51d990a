"""`selfeval questionnaire show`: a questionnaire as a document a department reads first."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.model.condition_words import Named, describe
from selfeval.model.conditions import parse
from selfeval.model.questionnaire import Questionnaire

CUSTOM = """\
id: custom
version: '2.1.0'
kind: self-evaluation
title: {nl: Proef <script>alert(1)</script>, en: Trial}
sections:
  - id: one
    title: Eerste
    items:
      - id: involvement
        type: single-choice
        required: true
        label: {nl: Betrokkenheid, en: Involvement}
        choices:
          - {value: strong, label: {nl: Sterk, en: Strong}}
          - {value: medium, label: {nl: Gemiddeld, en: Medium}}
          - {value: weak, label: {nl: Zwak, en: Weak}}
      - id: count
        type: integer
        min: 0
        label: {nl: Aantal, en: Count}
      - id: agrees
        type: yes-no
        label: {nl: 'Eens?', en: 'Agree?'}
      - id: why
        type: long-text
        when: involvement in ['strong', 'medium'] and not agrees
        label: {nl: 'Waarom?', en: 'Why?'}
  - id: two
    title: Tweede
    when: count > 3
    items:
      - id: note
        type: text
        max_length: 80
        label: {nl: Notitie, en: Note}
"""


def test_show_prints_sections_numbered_questions_choices_and_required(
    runner: CliRunner, example_ws: Path
) -> None:
    result = runner.invoke(
        app, ["questionnaire", "show", "peer-review-1@1.0.0", "-w", str(example_ws), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Peer review 1\n")
    assert "peer-review-1 · Version 1.0.0 · content hash `sha256:" in out
    assert "## 1. " in out
    assert (
        "### 1.1 To what extent does your department recognise the picture the draft report "
        "gives? *(required)*"
    ) in out
    assert "Answer: one of:\n\n- Fully\n- Largely\n- Partly\n- Not\n" in out
    assert (
        "Asked only when the answer to question 1.1 (“To what extent does your department "
        "recognise the picture the draft report gives?”) is “Partly” or the answer to "
        "question 1.1 is “Not”."
    ) in out


def test_show_says_each_when_in_words_in_dutch(runner: CliRunner, example_ws: Path) -> None:
    result = runner.invoke(
        app, ["questionnaire", "show", "self-evaluation@1.0.0", "-w", str(example_ws)]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Zelfevaluatie\n")
    assert "Vragen met *(verplicht)* moeten beantwoord zijn" in out
    assert (
        "Alleen gevraagd als bij vraag 1.3 (“Op welke fasen richt het beleid van uw departement "
        "zich?”) is “Herstel” gekozen."
    ) in out
    assert "Alleen gevraagd als op vraag 4.1 (“Ziet uw departement knelpunten" in out
    assert "is ja geantwoord." in out
    # A repeat group: its sub-questions numbered under it, and what its entries become.
    assert "#### 1.5.1 Titel *(verplicht)*" in out
    assert "Elk item komt in de geïntegreerde rapportage als bevinding (beleidsdocument)" in out
    assert "Antwoord: een geheel getal (tussen 1900 en 2100)." in out
    assert "when:" not in out and "'recovery'" not in out  # words, not the condition's code


def test_show_a_file_as_html_escapes_and_describes_every_kind_of_condition(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "custom-2.1.0.yaml"
    source.write_text(CUSTOM, "utf-8")
    target = tmp_path / "custom.html"
    result = runner.invoke(
        app, ["questionnaire", "show", str(source), "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote ")
    page = target.read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<h3>1.1 Betrokkenheid <em>(verplicht)</em></h3>" in page
    assert (
        "Alleen gevraagd als het antwoord op vraag 1.1 (“Betrokkenheid”) is een van “Sterk”, "
        "“Gemiddeld” en niet (op vraag 1.3 (“Eens?”) is ja geantwoord)."
    ) in page
    assert (
        "Dit onderdeel wordt alleen gevraagd als het antwoord op vraag 1.2 (“Aantal”) is groter dan 3."
        in page
    )
    assert "Antwoord: een korte tekst (hoogstens 80 tekens)." in page


def test_unknown_questionnaire_or_version(runner: CliRunner, example_ws: Path) -> None:
    result = runner.invoke(app, ["questionnaire", "show", "zelfevaluatie", "-w", str(example_ws)])
    assert result.exit_code == 1
    assert "no questionnaire 'zelfevaluatie'" in result.stderr
    assert "peer-review-1, peer-review-2, self-evaluation" in result.stderr
    result = runner.invoke(
        app, ["questionnaire", "show", "self-evaluation@9.9.9", "-w", str(example_ws)]
    )
    assert result.exit_code == 1
    assert "no version '9.9.9'" in result.stderr and "1.0.0" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("when", "english"),
    [
        ("agrees", "question 1.3 (“Agree?”) is answered yes"),
        ("agrees == false", "the answer to question 1.3 (“Agree?”) is no"),
        ("count", "question 1.2 (“Count”) is answered"),
        ("3 < count", "the answer to question 1.2 (“Count”) is more than 3"),
        ("involvement != 'weak'", "the answer to question 1.1 (“Involvement”) is not “Weak”"),
        ("not involvement == 'weak'", "the answer to question 1.1 (“Involvement”) is not “Weak”"),
        (
            "involvement not in ['weak']",
            "the answer to question 1.1 (“Involvement”) is none of “Weak”",
        ),
        (
            "count >= 1 or involvement",
            "the answer to question 1.2 (“Count”) is at least 1 or question 1.1 "
            "(“Involvement”) is answered",
        ),
    ],
)
def test_a_condition_in_words(when: str, english: str) -> None:
    import yaml

    questionnaire = Questionnaire.model_validate(yaml.safe_load(CUSTOM))
    items = {
        item.id: Named(item, f"1.{n}")
        for n, item in enumerate(questionnaire.sections[0].items, start=1)
    }
    assert describe(parse(when), items, "en") == english


def test_an_output_deep_in_missing_folders_is_refused(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    """The same rule as export and aggregate: selfeval makes only the last folder of `-o`."""
    target = tmp_path / "nonexist" / "dir" / "q.md"
    args = ["questionnaire", "show", "self-evaluation", "-w", str(example_ws), "-o", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"the folder {tmp_path / 'nonexist'} does not exist" in result.stderr
    assert not (tmp_path / "nonexist").exists()


# -- Word ----------------------------------------------------------------------------------------


def _show_docx(runner: CliRunner, ws: Path, target: Path, *args: str) -> Path:
    result = runner.invoke(
        app, ["questionnaire", "show", "self-evaluation", "-w", str(ws), "-o", str(target), *args]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {target}\n"
    return target


def test_word_document_in_word_styles_on_a4(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    docx = pytest.importorskip("docx")
    path = _show_docx(runner, example_ws, tmp_path / "zelfevaluatie.docx")  # format from the name
    document = docx.Document(str(path))
    styled: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        styled.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert styled["Title"] == ["Zelfevaluatie"]
    assert styled["Heading 1"][0].startswith("1. ")
    assert any(h.startswith("1.1 ") and h.endswith("(verplicht)") for h in styled["Heading 2"])
    assert "1.5.1 Titel (verplicht)" in styled["Heading 3"]  # a repeated group's questions
    assert "Groeiende tegenstellingen" in styled["List Bullet"]  # the choices, listed
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Alleen gevraagd als" in text  # a `when` in words
    markdown = runner.invoke(
        app, ["questionnaire", "show", "self-evaluation", "-w", str(example_ws)]
    ).stdout
    for line in markdown.splitlines():  # every heading of the Markdown is in the document
        if line.startswith("#"):
            words = line.lstrip("#").strip().replace("*", "")
            assert words in text, words
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert "self-evaluation 1.6.0" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer._element.xml
    props = document.core_properties
    assert (props.title, props.subject, props.language) == (
        "Zelfevaluatie",
        "self-evaluation 1.6.0",
        "nl",
    )


def test_word_document_is_the_same_bytes_each_time(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    first = _show_docx(runner, example_ws, tmp_path / "a.docx").read_bytes()
    second = _show_docx(runner, example_ws, tmp_path / "b.docx", "--format", "docx").read_bytes()
    assert first == second


def test_word_document_keeps_labels_as_text(runner: CliRunner, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    source = tmp_path / "custom-2.1.0.yaml"
    source.write_text(CUSTOM, "utf-8")
    target = tmp_path / "custom.docx"
    result = runner.invoke(app, ["questionnaire", "show", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Proef <script>alert(1)</script>"


def test_word_needs_an_output_file_and_a_matching_name(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    base = ["questionnaire", "show", "self-evaluation", "-w", str(example_ws)]
    result = runner.invoke(app, [*base, "--format", "docx"])
    assert result.exit_code == 2, result.output
    assert "give -o" in result.stderr and "self-evaluation.docx" in result.stderr
    result = runner.invoke(app, [*base, "--format", "md", "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "does not match" in result.stderr
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(
    ("lang", "shown", "typed"),
    [
        ("nl", "Antwoord: een datum (DD-MM-JJJJ)", "15-05-2006"),
        ("en", "(YYYY-MM-DD)", "2006-05-15"),
    ],
)
def test_a_date_is_shown_as_fill_asks_for_it(
    runner: CliRunner, example_ws: Path, lang: str, shown: str, typed: str
) -> None:
    """Trial 8: `questionnaire show` said "een datum (JJJJ-MM-DD)", fill asks DD-MM-JJJJ."""
    from selfeval.fill.local import date_hint, parse_answer
    from selfeval.model.questionnaire import DateItem

    result = runner.invoke(
        app, ["questionnaire", "show", "self-evaluation", "-w", str(example_ws), "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    assert shown in result.stdout
    # What the document says is what fill's prompt says and takes.
    assert f"({date_hint(lang)})" in shown
    item = DateItem(id="completed_on", type="date", label="Datum")
    assert parse_answer(item, typed, lang) == "2006-05-15"
