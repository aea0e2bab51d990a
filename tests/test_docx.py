"""`selfeval aggregate --format docx`: the report as a Word document a secretariat can send.

Each test opens the written file with python-docx, as Word would show it:
styles, tables, pictures, header and footer, fields.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace

docx = pytest.importorskip("docx")

CAT = Path("responses") / "falende-staten"
#: A finding id as the draft shows it (``BZ.bottlenecks.capaciteit-politie-justitie``).
FINDING_ID = re.compile(r"\b(?:role\.[A-Z]+|[A-Za-z]+\.(?:peer-review-\d\.)?[a-z_]+\.[a-z0-9-]+)\b")


def _aggregate(ws: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(ws), "-f", "docx", *args])
    assert result.exit_code == 0, result.output
    written = [line.removeprefix("Wrote ") for line in result.stdout.splitlines()]
    return Path(next(w for w in written if w.endswith(".docx")))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("docx") / "example"
    init_workspace(ws, example=True)
    return ws


@pytest.fixture(scope="module")
def final(example: Path) -> Path:
    return _aggregate(example)


@pytest.fixture(scope="module")
def document(final: Path) -> Any:
    return docx.Document(str(final))


def _text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


_STYLED: dict[int, list[tuple[str, str]]] = {}


def _styled(document: Any, style: str) -> list[str]:
    """Texts of the paragraphs in ``style`` (python-docx resolves a style slowly: once per document)."""
    if id(document) not in _STYLED:
        _STYLED[id(document)] = [
            (p.style.name if p.style is not None else "", p.text) for p in document.paragraphs
        ]
    return [text for name, text in _STYLED[id(document)] if name == style]


def test_written_to_reports_as_docx(final: Path) -> None:
    assert final.name == "integrated-report.docx"
    assert final.parent.name == "reports"
    assert zipfile.is_zipfile(final)


def test_title_and_headings_use_word_styles(document: Any) -> None:
    assert _styled(document, "Title") == [
        "Geïntegreerde rapportage interdepartementale zelfevaluatie"
    ]
    h1 = _styled(document, "Heading 1")
    assert "1 Inleiding" in h1
    assert "5 Conclusies" in h1
    assert "Bijlage 1: betrokken departementen" in h1
    assert "3.1 Rollen en verantwoordelijkheden" in _styled(document, "Heading 2")
    assert "4.3.1 Departementale behoeften/ambities" in _styled(document, "Heading 3")
    assert any(
        t.startswith("BZ: Investeren in conflictpreventie") for t in _styled(document, "Heading 4")
    )
    # The secretariat's Markdown headings (texts/incident-category.md: ### Gevolgen) too.
    assert "Gevolgen" in _styled(document, "Heading 2")


def test_lists_use_list_styles(document: Any) -> None:
    bullets = _styled(document, "List Bullet")
    assert any(b.startswith("in hoofdstuk 2") for b in bullets)  # the reading guide
    numbered = _styled(document, "List Number")
    assert numbered, "the notes are a numbered list"


def test_tables_for_roles_matrix_and_annexes(document: Any) -> None:
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert [
        "Departement",
        "Betrokkenheid",
        "Levert inbreng aan",
        "Krijgt inbreng van",
        "Bron",
    ] in headers
    assert ["Soort", "Departementaal", "Interdepartementaal"] in headers  # Figure 2's table
    assert ["Departement", "Vorm van betrokkenheid", "Opmerking"] in headers
    assert headers.count(["Fase", "Beschrijving"]) == 4  # Annex 2: BZ, Defensie, BZK, Justitie
    for table in document.tables:
        assert table.style is not None and table.style.name == "Table Grid"
    roles = next(t for t in document.tables if t.rows[0].cells[0].text == "Departement")
    assert [r.cells[0].text for r in roles.rows[1:3]] == ["BZ", "Defensie"]
    assert roles.rows[1].cells[1].text == "sterk"


def test_annex_1_names_departments_as_the_seed_table_does(document: Any) -> None:
    """Short names, as the seed's Tabel 1 and the Markdown report (test_example.py); the full
    names are in the list of abbreviations. test_report_trial8.py compares all three formats."""
    annex = next(t for t in document.tables if t.rows[0].cells[1].text == "Vorm van betrokkenheid")
    names = [r.cells[0].text for r in annex.rows[1:]]
    assert names == ["BZ", "Defensie", "NCTb", "BZK", "EZ", "AZ", "Financiën", "Justitie"]


def test_two_figures_as_pictures_with_captions(document: Any, final: Path) -> None:
    assert len(document.inline_shapes) == 2
    captions = [c for c in _styled(document, "Caption") if c.startswith("Figuur")]
    assert captions == [
        "Figuur 1: interdepartementale samenwerking rond de incidentcategorie",
        "Figuur 2: van blinde vlekken, knelpunten en behoeften naar kansen en mogelijkheden",
    ]
    with zipfile.ZipFile(final) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(pictures) == 2
        assert all(package.read(n).startswith(b"\x89PNG") for n in pictures)


def test_a4_status_in_header_page_number_in_footer(document: Any) -> None:
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "intern werkdocument" in "\n".join(p.text for p in section.header.paragraphs)
    footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footer)


def test_table_of_contents_field(document: Any) -> None:
    body = document.element.body.xml
    assert re.search(r'<w:instrText[^>]*>\s*TOC \\o "1-\d"', body)
    assert "Inhoud" in _styled(document, "TOC Heading")
    settings = document.settings.element.xml
    assert "w:updateFields" in settings  # Word fills in the page numbers on opening


def test_contents_entries_are_compact_and_indented_by_level(document: Any) -> None:
    """The entries use Word's ``toc n`` styles with little spacing: with Normal's 10 pt after,
    the worked example's 30 entries spilled "Noten" onto a page of its own (LibreOffice)."""
    from docx.shared import Pt

    entries = {p.text: p for p in document.paragraphs if p.style.name.lower().startswith("toc ")}
    assert {"Voorwoord", "1 Inleiding", "Leeswijzer", "Noten"} <= set(entries)
    one, two = entries["1 Inleiding"].style, entries["Leeswijzer"].style
    assert (one.name, two.name) == ("toc 1", "toc 2")
    assert one.paragraph_format.space_after <= Pt(3) and two.paragraph_format.space_after <= Pt(3)
    assert (two.paragraph_format.left_indent or 0) > (one.paragraph_format.left_indent or 0)


def test_cited_sources_are_numbered_notes(document: Any) -> None:
    notes = _styled(document, "List Number")
    assert any("AIV/CAVV" in n for n in notes) or notes
    superscripts = [r.text for p in document.paragraphs for r in p.runs if r.font.superscript]
    assert "1" in ",".join(superscripts).split(",")  # "1", or "1,2" for two notes


def test_two_notes_are_marked_apart_not_as_one_number(document: Any) -> None:
    # The worked example's first activity cites notes 1 and 2: "¹,²", never "¹²" (twelve).
    (cited,) = [p for p in document.paragraphs if p.text.startswith("BZ laat (mede met Defensie)")]
    assert [r.text for r in cited.runs if r.font.superscript] == ["1,2"]
    assert "[1]" not in _text(document) and "[2]" not in _text(document)


def test_final_report_has_no_finding_ids_draft_and_ids_flag_do(
    example: Path, document: Any
) -> None:
    assert not FINDING_ID.findall(_text(document))
    shown = docx.Document(str(_aggregate(example, "--ids", "-o", str(example / "ids.docx"))))
    assert "BZ.bottlenecks.capaciteit-politie-justitie" in _text(shown)
    draft = docx.Document(str(_aggregate(example, "--draft")))
    text = _text(draft)
    assert "BZ.bottlenecks.capaciteit-politie-justitie" in text
    assert "conceptrapportage" in "\n".join(p.text for p in draft.sections[0].header.paragraphs)


def test_same_inputs_same_bytes(example: Path, final: Path) -> None:
    again = _aggregate(example, "-o", str(example / "again.docx"))
    assert final.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(final) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(str(final)).core_properties
    assert props.created.date().isoformat() == "2006-05-16"
    assert props.modified == props.created


def test_reference_document_gives_styles_header_and_footer(example: Path, tmp_path: Path) -> None:
    from docx.shared import Pt, RGBColor

    house = docx.Document()
    heading = house.styles["Heading 1"]
    heading.font.name = "Comic Sans MS"
    heading.font.size = Pt(23)
    heading.font.color.rgb = RGBColor(0x99, 0x00, 0x33)
    house.sections[0].header.paragraphs[0].text = "Ministerie van Voorbeeldzaken"
    house.sections[0].footer.paragraphs[0].text = "Huisstijl 2006"
    house.add_paragraph("body text of the reference, not of the report")
    contents = house.styles.add_style("TOC 1", 1)  # 1: a paragraph style
    contents.font.name = "Georgia"
    (example / "templates").mkdir(exist_ok=True)
    house.save(str(example / "templates" / "reference.docx"))
    try:
        out = docx.Document(str(_aggregate(example, "-o", str(tmp_path / "house.docx"))))
    finally:
        (example / "templates" / "reference.docx").unlink()
    style = out.styles["Heading 1"]
    assert style.font.name == "Comic Sans MS"
    assert style.font.size == Pt(23)
    assert "1 Inleiding" in _styled(out, "Heading 1")
    header = "\n".join(p.text for p in out.sections[0].header.paragraphs)
    assert "Ministerie van Voorbeeldzaken" in header and "intern werkdocument" in header
    footer = out.sections[0].footer
    assert "Huisstijl 2006" in "\n".join(p.text for p in footer.paragraphs)
    assert "PAGE" in footer._element.xml
    assert "body text of the reference" not in _text(out)
    assert "1 Inleiding" in _styled(out, "TOC 1")  # the house's contents style, not ours
    assert out.styles["TOC 1"].font.name == "Georgia"


def test_broken_reference_document_is_one_clear_error(example: Path, tmp_path: Path) -> None:
    (example / "templates").mkdir(exist_ok=True)
    bad = example / "templates" / "reference.docx"
    bad.write_text("not a zip", "utf-8")
    try:
        result = CliRunner().invoke(
            app,
            [
                "aggregate",
                "--workspace",
                str(example),
                "-f",
                "docx",
                "-o",
                str(tmp_path / "x.docx"),
            ],
        )
    finally:
        bad.unlink()
    assert result.exit_code == 1
    assert "reference.docx" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_answer_text_is_written_as_plain_text(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    init_workspace(ws, example=True)
    bz = ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(bz)
    data["answers"]["bottlenecks"][0]["description"] = "**niet vet** <w:t>x</w:t> $a^2$ `code`"
    yamlio.write(bz, data)
    text = _text(docx.Document(str(_aggregate(ws))))
    assert "**niet vet** <w:t>x</w:t> $a^2$ `code`" in text


# Slow tier: python-docx opens every Word report by default; LibreOffice laying it out takes ~3 s.
@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_renders_a_sensible_number_of_pages(final: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(final)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "integrated-report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 15 <= pages <= 60, pages


def test_list_of_abbreviations_gives_full_names(document: Any, example: Path) -> None:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Afkorting")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert ["BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"] in rows
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    # Only abbreviations: a short name spelled out in its full name ("Ministerie van
    # Defensie") needs no key, as in the seed.
    assert [r[0] for r in rows] == ["AZ", "BZ", "BZK", "EZ", "NCTb"]
    assert "Lijst van afkortingen" in _styled(document, "Heading 1")
    assert any("lijst van afkortingen" in b for b in _styled(document, "List Bullet"))
    # The Markdown report has the same list, and its reading guide promises it.
    CliRunner().invoke(app, ["aggregate", "--workspace", str(example), "-o", str(example / "r.md")])
    md = (example / "r.md").read_text("utf-8")
    assert "## Lijst van afkortingen" in md
    assert "| NCTb | Nationaal Coördinator Terrorismebestrijding |" in md
    assert "| Defensie | Ministerie van Defensie |" not in md
    assert "- achterin staat een lijst van afkortingen" in md
