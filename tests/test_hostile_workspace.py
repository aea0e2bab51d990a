"""A shared workspace is untrusted input: what the seventh trial found.

Aliases of plain values, control characters and lone surrogates in answers,
a zip bomb as the house-style document, images outside the workspace in the
secretariat's texts, names that spoof lines of output. Each is refused with
one message (file, place, what to do) and exit 1, or shown harmlessly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

BZ = "responses/falende-staten/BZ/self-evaluation.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


# -- aliases: none at all ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x plain\nb: *x\n", 1),
        ("a: &x plain\nb: other\n", 1),
        ("a: 1\nb: *x\n", 2),
        ("a:\n  - &k key\n  - 2\n", 2),
    ],
)
def test_every_anchor_and_alias_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(yamlio.InputError) as info:
        yamlio.load_text(text, "f.yaml")
    assert "anchors and aliases" in info.value.message
    assert info.value.location is not None and info.value.location.line == line


def test_an_ampersand_in_a_value_is_no_anchor() -> None:
    assert yamlio.load_text("a: R&D\nb: 'x & y'\nc: |\n  &a *a\n") == {
        "a": "R&D",
        "b": "x & y",
        "c": "&a *a\n",
    }


def test_what_selfeval_writes_has_no_anchor_even_for_repeated_values() -> None:
    shared = ["x"]
    data = {"a": shared, "b": shared, "c": "&a", "d": "*a"}
    assert yamlio.load_text(yamlio.dump(data)) == data
    for value in ("&a", "*a", "a & b"):
        assert yamlio.load_text(f"k: {yamlio.scalar(value)}\n") == {"k": value}


def test_validate_and_aggregate_refuse_an_alias_of_a_plain_answer(
    runner: CliRunner, example_ws: Path
) -> None:
    # A plain answer given once and repeated by alias: no expansion, yet refused.
    path = example_ws / BZ
    edit(path, "  definition: |", "  definition: &a |")
    edit(path, "  remarks: |", "  remarks: *a\n  old_remarks: |")
    for command in ("validate", "aggregate"):
        result = runner.invoke(app, [command, "-w", str(example_ws)])
        assert result.exit_code == 1, result.output
        assert "anchors and aliases (&name / *name) are not allowed" in result.output
        assert "BZ/self-evaluation.yaml:12:" in result.output
        assert "Traceback" not in result.output


# -- control characters, lone surrogates, noncharacters: one rule of texts ---------

#: (JSON text of an answer, what the message names)
BAD_TEXTS = [
    ('"A\\u001b[2JB"', "the control character U+001B"),
    ('"A\\u0007B"', "the control character U+0007"),
    ('"A\\u0001B"', "the control character U+0001"),
    ('"A\\u0000B"', "the control character U+0000"),
    ('"A\\u0085B"', "the control character U+0085"),
    ('"A\\ud800B"', "U+D800, half of a character (a lone surrogate)"),
    ('"A\\ufffeB"', "U+FFFE, which Unicode says is not a character"),
]


@pytest.mark.parametrize(("answer", "said"), BAD_TEXTS)
def test_fill_answers_refuses_a_character_no_text_may_hold(
    runner: CliRunner, example_ws: Path, answer: str, said: str
) -> None:
    path = example_ws / BZ
    before = path.read_bytes()
    answers = example_ws / "a.json"
    answers.write_text('{"remarks": ' + answer + "}", "utf-8")
    result = runner.invoke(
        app, ["fill", "-w", str(example_ws), "-p", "BZ", "--reopen", "--answers", str(answers)]
    )
    assert result.exit_code == 1, result.output
    assert f"a.json:1:13: remarks: holds {said}" in result.stderr
    assert "line 1, column 2 of the answer" in result.stderr
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before


def test_fill_answers_makes_a_carriage_return_a_line_break(
    runner: CliRunner, example_ws: Path
) -> None:
    answers = example_ws / "a.json"
    answers.write_text('{"remarks": "een\\r\\ntwee\\rdrie\\tvier"}', "utf-8")
    result = runner.invoke(
        app, ["fill", "-w", str(example_ws), "-p", "BZ", "--reopen", "--answers", str(answers)]
    )
    assert result.exit_code == 0, result.output
    saved = yamlio.load(example_ws / BZ)
    assert saved["answers"]["remarks"] == "een\ntwee\ndrie\tvier"


@pytest.mark.parametrize("command", ["validate", "aggregate --format docx", "aggregate"])
def test_a_response_with_escape_codes_in_a_title_is_refused_with_its_line(
    runner: CliRunner, example_ws: Path, command: str
) -> None:
    path = example_ws / BZ
    text = path.read_text("utf-8")
    old = "title: Beperkte capaciteit beschikbaar bij BZK en Justitie"
    line = text[: text.index(old)].count("\n") + 1
    edit(path, old, 'title: "Late \\e[2J\\e[41mGEKAAPT\\e[0m \\e]0;PWNED\\a"')
    args = [*command.split(), "-w", str(example_ws)]
    if command.startswith("aggregate"):
        args.append("--no-cache")
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"BZ/self-evaluation.yaml:{line}:" in result.output
    assert "title: holds the control character U+001B (line 1, column 6 of the answer)" in (
        result.output
    )
    assert "\x1b" not in result.output
    assert "internal error" not in result.output


def test_import_refuses_a_response_with_a_control_character(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    received = tmp_path / "self-evaluation.yaml"
    received.write_text(
        (example_ws / BZ)
        .read_text("utf-8")
        .replace("title: Beperkte capaciteit beschikbaar bij BZK en Justitie", 'title: "A\\x01B"'),
        "utf-8",
    )
    result = runner.invoke(app, ["import", "-w", str(example_ws), "--replace", str(received)])
    assert result.exit_code == 1, result.output
    assert "title: holds the control character U+0001" in result.output


def test_a_markdown_text_with_a_control_character_is_refused_by_validate_and_aggregate(
    runner: CliRunner, example_ws: Path
) -> None:
    preface = example_ws / "texts" / "preface.md"
    preface.write_text("Voorwoord.\n\nIn \x1b[31mrood\x07.\n", "utf-8")
    for args in (["validate"], ["aggregate", "--format", "docx"]):
        result = runner.invoke(app, [*args, "-w", str(example_ws)])
        assert result.exit_code == 1, result.output
        assert "preface.md:3:4: the text holds the control character U+001B" in result.output
        assert "internal error" not in result.output


def test_peer_review_answers_refuse_a_lone_surrogate_and_escape_codes_in_a_comment(
    runner: CliRunner, example_ws: Path
) -> None:
    draft = runner.invoke(app, ["aggregate", "-w", str(example_ws), "--draft"])
    assert draft.exit_code == 0, draft.output
    answers = example_ws / "def.json"
    saved = example_ws / "responses" / "falende-staten" / "DEF" / "peer-review-1.yaml"
    before = saved.read_bytes()
    args = [
        "peer-review",
        "-w",
        str(example_ws),
        "-p",
        "DEF",
        "--reopen",
        "--answers",
        str(answers),
    ]
    answers.write_text('{"recognition": "fully", "general_remarks": "A\\ud800B"}', "utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "general_remarks: holds U+D800, half of a character" in result.stderr
    answers.write_text(
        '{"reactions": [{"finding": "role.BZ", "verdict": "disagree", "comment": "\\u001b[2J"}]}',
        "utf-8",
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "reaction to role.BZ: comment holds the control character U+001B" in result.stderr
    assert "internal error" not in result.output
    assert saved.read_bytes() == before


# -- a zip bomb as the house-style document ----------------------------------------


def bomb(path: Path, size: int, *, declared: int | None = None) -> None:
    """A .docx-like zip whose styles.xml inflates to ``size`` bytes (its header may lie)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", b"<" + b" " * (size - 1))
    if declared is not None:  # both headers say ``declared`` bytes
        data = bytearray(path.read_bytes())
        for field in (size.to_bytes(4, "little"),):
            data = bytearray(bytes(data).replace(field, declared.to_bytes(4, "little")))
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("declared", [None, 100])
def test_a_zip_bomb_as_reference_docx_is_refused_by_validate_and_aggregate(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch, declared: int | None
) -> None:
    from selfeval.report import docx

    monkeypatch.setattr(docx, "MAX_REFERENCE_BYTES", 1024 * 1024)
    (example_ws / "templates").mkdir(exist_ok=True)
    reference = example_ws / "templates" / "reference.docx"
    bomb(reference, 3 * 1024 * 1024 + 7, declared=declared)
    for args in (["validate"], ["aggregate", "--format", "docx", "--no-cache"]):
        result = runner.invoke(app, [*args, "-w", str(example_ws)])
        assert result.exit_code == 1, result.output
        assert "templates/reference.docx" in result.output
        if declared is None:
            assert "declare 3,145,743 bytes once uncompressed, over the limit of 1,048,576" in (
                result.output
            )
        else:  # the header lies: what decompressing gives is not read past it
            assert "reference.docx:word/styles.xml: cannot read this member" in result.output
        assert "internal error" not in result.output
    assert not (example_ws / "reports" / "integrated-report.docx").exists()


def test_a_plain_reference_docx_still_works(runner: CliRunner, example_ws: Path) -> None:
    first = runner.invoke(app, ["aggregate", "--format", "docx", "-w", str(example_ws)])
    assert first.exit_code == 0, first.output
    (example_ws / "templates").mkdir(exist_ok=True)
    (example_ws / "reports" / "integrated-report.docx").rename(
        example_ws / "templates" / "reference.docx"
    )
    for args in (["validate"], ["aggregate", "--format", "docx"]):
        result = runner.invoke(app, [*args, "-w", str(example_ws)])
        assert result.exit_code == 0, result.output


# -- images in the secretariat's texts ---------------------------------------------


IMAGES = [
    "![geheim](/etc/secret.png)",
    "![geheim](../../secret.png)",
    "![pixel](https://tracker.example/p.png?who=secretariaat)",
    "![logo](logo.png)",
    "Zie ![pixel][p].\n\n[p]: https://tracker.example/p.png",
]
FORMATS = [["validate"], ["aggregate", "--format", "html"], ["aggregate", "--format", "docx"],
           ["aggregate"]]  # fmt: skip


@pytest.mark.parametrize(
    ("image", "args"),
    [(image, ["validate"]) for image in IMAGES] + [(IMAGES[2], args) for args in FORMATS[1:]],
)
def test_an_image_in_a_text_is_refused_with_its_line_by_every_format(
    runner: CliRunner, example_ws: Path, image: str, args: list[str]
) -> None:
    (example_ws / "texts" / "preface.md").write_text(f"Voorwoord.\n\n{image}\n", "utf-8")
    result = runner.invoke(app, [*args, "-w", str(example_ws)])
    assert result.exit_code == 1, result.output
    assert "texts/preface.md:3: the text holds an image" in result.output
    assert "internal error" not in result.output
    assert not list((example_ws / "reports").glob("integrated-report.*"))


def test_what_only_looks_like_an_image_is_no_image(runner: CliRunner, example_ws: Path) -> None:
    (example_ws / "texts" / "preface.md").write_text(
        "Voorwoord \\![geen](x.png).\n\n    ![code](x.png)\n\n`![code](y.png)`\n", "utf-8"
    )
    result = runner.invoke(app, ["aggregate", "--format", "html", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert "<img" not in (example_ws / "reports" / "integrated-report.html").read_text("utf-8")


# -- names and paths shown in messages ---------------------------------------------


@pytest.mark.parametrize(
    "args", [["validate"], ["aggregate", "--no-cache"], ["status", "--no-cache"]]
)
def test_a_file_name_with_a_line_break_cannot_forge_a_line_of_output(
    runner: CliRunner, example_ws: Path, args: list[str]
) -> None:
    spoof = "x\nOK: 10 files valid.\n\x1b[2J.yaml"
    (example_ws / BZ).with_name(spoof).write_text((example_ws / BZ).read_text("utf-8"), "utf-8")
    result = runner.invoke(app, [*args, "-w", str(example_ws)])
    lines = result.output.splitlines()
    assert "OK: 10 files valid." not in lines
    assert "\x1b" not in result.output
    assert "BZ/x\\nOK: 10 files valid.\\n\\x1b[2J.yaml'" in result.output


# -- what the terminal shows: control characters as escapes ------------------------


def test_a_title_with_escape_codes_is_shown_as_escapes_at_the_terminal() -> None:
    """A hand-made draft's title is shown, not obeyed: no screen cleared, no colour, no title."""
    import io

    from rich.console import Console

    from selfeval.cli.terminal import TerminalPrompter
    from selfeval.fill.prompter import Notice, ReviewRow

    hostile = "Late \x1b[2J\x1b[H\x1b[41mGEKAAPT\x1b[0m \x1b]0;PWNED\x07"
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    prompter = TerminalPrompter(console=console, lang="nl", page=False, wait=False)
    prompter.show_notice(Notice("info", f"Knelpunt: {hostile}", (hostile,), body=hostile))
    prompter.show_review("Uw reacties", [ReviewRow(1, hostile, hostile, "answered")])
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Late \\x1b[2J\\x1b[H\\x1b[41mGEKAAPT" in shown


# -- Word tables: no word split ----------------------------------------------------

#: Measured in LibreOffice's rendering of a report (DejaVu Serif for the default
#: font, cell margins 0.19 cm a side): the width of one character at 9.5 pt, in cm.
MEASURED_CHAR_CM = 0.212


def test_word_tables_have_room_for_their_longest_words(runner: CliRunner, example_ws: Path) -> None:
    """Long department names ("Waterbeheerzaken" in five columns) broke mid-word in Table 1."""
    import docx

    exercise = example_ws / "selfeval.yaml"
    names = {"BZ": "Waterbeheerzaken", "Defensie": "Gezondheidszorgen", "EZ": "Crisisbeheersing"}
    for old, new in names.items():
        edit(exercise, f"    name: {old}\n", f"    name: {new}\n")
    result = runner.invoke(app, ["aggregate", "--format", "docx", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(example_ws / "reports" / "integrated-report.docx"))
    roles = document.tables[0]
    assert [c.text for c in roles.rows[0].cells][:2] == ["Departement", "Betrokkenheid"]
    for table in document.tables:
        for row in table.rows:
            for cell, column in zip(row.cells, table.columns, strict=True):
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        size = run.font.size.pt if run.font.size else 11.0
                        longest = max((len(w) for w in run.text.split()), default=0)
                        need = longest * MEASURED_CHAR_CM * size / 9.5 + 0.38
                        assert column.width / 360000 >= need, (run.text, size, column.width)


# -- the exercise's names in the Markdown report -----------------------------------

HOSTILE_NAME = "<script>X1</script> *em* [a](http://t/x) ![p](http://t/p.png) |p|"


def test_names_from_selfeval_yaml_are_text_in_every_heading_and_sentence(
    runner: CliRunner, example_ws: Path
) -> None:
    """A department's name was escaped in tables but Markdown in headings and sentences."""
    exercise = example_ws / "selfeval.yaml"
    quoted = yamlio.quoted
    edit(exercise, "    name: Defensie\n", f"    name: {quoted('Def ' + HOSTILE_NAME)}\n")
    edit(exercise, "  nl: Project Nationale Veiligheid\n", f"  nl: {quoted('P ' + HOSTILE_NAME)}\n")
    edit(exercise, "    nl: Falende staten\n", f"    nl: {quoted('C ' + HOSTILE_NAME)}\n")
    for fmt in ("md", "html"):
        result = runner.invoke(app, ["aggregate", "--format", fmt, "-w", str(example_ws)])
        assert result.exit_code == 0, result.output
    md = (example_ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert "#### Def \\<script\\>X1\\</script\\> \\*em\\*" in md
    for raw in ("<script>", " *em*", " [a](", "![p]", " |p|"):
        assert raw not in md, raw
    html = (example_ws / "reports" / "integrated-report.html").read_text("utf-8")
    assert "<script>X1" not in html and 'href="http://t/x"' not in html
    assert '<img src="http://t/p.png"' not in html


@pytest.mark.parametrize("args", [["validate"], ["aggregate", "--format", "docx"]])
def test_a_control_character_in_a_name_of_selfeval_yaml_is_refused_with_its_line(
    runner: CliRunner, example_ws: Path, args: list[str]
) -> None:
    """A department's name with ESC made aggregate --format docx exit 70; validate said OK."""
    edit(example_ws / "selfeval.yaml", "    name: Defensie\n", '    name: "Def\\e[31m"\n')
    result = runner.invoke(app, [*args, "-w", str(example_ws)])
    assert result.exit_code == 1, result.output
    assert (
        "selfeval.yaml:48:11: participants[1].name: holds the control character U+001B"
        in result.output
    )
    assert "internal error" not in result.output
