"""The report as a deliverable (issue 13): ids, the summary, reactions at a glance, reading guide.

Each part is checked in every format as a reader sees it: the Markdown
text, the HTML parsed, the Word document opened with python-docx.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace

docx = pytest.importorskip("docx")

#: A finding id as the draft shows it (``BZ.bottlenecks.capaciteit-politie-justitie``, ``role.BZ``).
FINDING_ID = re.compile(
    r"\b(?:role\.[A-Z][A-Za-z]*|[A-Z][A-Za-z]*\.(?:peer-review-\d\.)?[a-z_]+\.[a-z0-9-]+)\b"
)
SOME_ID = "BZ.bottlenecks.capaciteit-politie-justitie"
SUMMARY = "De departementen zien **drie** kansen; de belangrijkste is samenwerking."


#: Reports already written, by workspace, format and options: the module's
#: workspaces are never changed, so the same command gives the same report.
_WRITTEN: dict[tuple[Path, str, tuple[str, ...]], Path] = {}


def _write(ws: Path, fmt: str, name: str, *args: str) -> Path:
    """The report of ``ws`` in ``fmt`` with ``args``, written once per module run."""
    if (known := _WRITTEN.get((ws, fmt, args))) is not None:
        return known
    _WRITTEN[(ws, fmt, args)] = out = _aggregate(ws, fmt, name, *args)
    return out


def _aggregate(ws: Path, fmt: str, name: str, *args: str) -> Path:
    out = ws / "out" / f"{name}.{fmt}"
    result = CliRunner().invoke(
        app, ["aggregate", "--workspace", str(ws), "-f", fmt, "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    assert "summary.md" not in result.stderr  # empty by default: no warning
    return out


def _text(path: Path) -> str:
    """What a reader reads: Markdown as is, HTML without tags, Word paragraphs and tables."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts += [cell.text for cell in row.cells]
        return "\n".join(parts)
    text = path.read_text("utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", text, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
    return text


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("parts") / "example"
    init_workspace(ws, example=True)
    return ws


@pytest.fixture(scope="module")
def with_summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("summary") / "example"
    init_workspace(ws, example=True)
    (ws / "texts" / "summary.md").write_text(f"<!-- for the secretariat -->\n{SUMMARY}\n", "utf-8")
    return ws


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new workspace: no responses, so no figures, reactions, activities or notes."""
    ws = tmp_path_factory.mktemp("parts") / "empty"
    init_workspace(ws)
    return ws


# -- finding ids: final without, draft with, --ids shows them -----------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_final_report_leaves_finding_ids_out_of_the_text(example: Path, fmt: str) -> None:
    text = _text(_write(example, fmt, "final"))
    assert FINDING_ID.findall(text) == []
    assert "Capaciteit politie en justitie" in text or "capaciteit" in text.lower()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_ids_flag_shows_finding_ids_in_the_final_report(example: Path, fmt: str) -> None:
    text = _text(_write(example, fmt, "with-ids", "--ids"))
    assert SOME_ID in text
    assert "role.BZ" in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_draft_keeps_finding_ids_and_no_ids_leaves_them_out(example: Path, fmt: str) -> None:
    assert SOME_ID in _text(_write(example, fmt, "draft", "--draft"))
    assert (
        FINDING_ID.findall(_text(_write(example, fmt, "draft-no-ids", "--draft", "--no-ids"))) == []
    )


# -- the executive summary -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_summary_is_left_out_when_texts_summary_md_is_empty(example: Path, fmt: str) -> None:
    text = _text(_write(example, fmt, "no-summary"))
    assert "Samenvatting" not in text
    assert "samenvatting vooraan" not in text


def test_summary_comes_first_in_markdown(with_summary: Path) -> None:
    text = _text(_write(with_summary, "md", "summary"))
    assert text.index("## Samenvatting\n\nDe departementen zien **drie** kansen") < text.index(
        "## Voorwoord"
    )
    assert "for the secretariat" not in text
    assert "- de samenvatting vooraan geeft de belangrijkste uitkomsten" in text


def test_summary_in_html(with_summary: Path) -> None:
    page = _write(with_summary, "html", "summary").read_text("utf-8")
    assert re.search(
        r"<h2 id=\"[^\"]+\">Samenvatting</h2>\s*<p>De departementen zien <strong>drie</strong>",
        page,
    )
    assert page.index("Samenvatting</h2>") < page.index("Voorwoord</h2>")


def test_summary_in_word_as_a_heading_1_before_the_preface(with_summary: Path) -> None:
    document = docx.Document(str(_write(with_summary, "docx", "summary")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Samenvatting", "Voorwoord"]
    body = [p.text for p in document.paragraphs]
    assert "De departementen zien drie kansen; de belangrijkste is samenwerking." in body


# -- reactions at a glance -----------------------------------------------------------------

GLANCE_HEADER = ["Bevinding", "Eens", "Gedeeltelijk eens", "Oneens"]
#: From the worked example's peer reviews (FIN and EZ partly agree, Justitie agrees, ...).
GLANCE_ROW = [
    "BZ en Defensie: Ruimte voor verder versterken van de relaties met EZ en Financiën voor "
    "economische wederopbouw",
    "—",
    "EZ en Financiën",
    "—",
]


def test_reactions_at_a_glance_in_markdown(example: Path) -> None:
    text = _text(_write(example, "md", "glance"))
    section = text[text.index("### 4.4 Reacties in één oogopslag") :]
    section = section[: section.index("\n### ")]
    assert "| " + " | ".join(GLANCE_HEADER) + " |" in section
    assert "| " + " | ".join(GLANCE_ROW) + " |" in section


def test_reactions_at_a_glance_in_html_is_a_table(example: Path) -> None:
    page = _write(example, "html", "glance").read_text("utf-8")
    section = page[page.index("Reacties in één oogopslag</h3>") :]
    table = section[section.index("<table") : section.index("</table>")]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table[: table.index("</thead>")])
    assert headers == GLANCE_HEADER
    assert "EZ en Financiën" in table


def test_reactions_at_a_glance_in_word_is_a_real_table(example: Path) -> None:
    document = docx.Document(str(_write(example, "docx", "glance")))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == GLANCE_HEADER)
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert GLANCE_ROW in rows
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "4.4 Reacties in één oogopslag" in headings


def test_no_reactions_no_table(empty: Path) -> None:
    for fmt in ("md", "html", "docx"):
        assert "oogopslag" not in _text(_write(empty, fmt, "glance"))


# -- the reading guide promises only what the report holds ---------------------------------


def _guide(text: str) -> str:
    return text[text.index("### Leeswijzer") : text.index("## 2 ")]


#: (guide line, what shows the part is in the Markdown report).
PARTS = {
    "figures": ("figuur 1 (in hoofdstuk 3) en figuur 2", re.compile(r"^\*Figuur \d: ", re.M)),
    "glance": (
        "een tabel aan het eind van hoofdstuk 4",
        re.compile(r"^### 4\.\d Reacties in één oogopslag", re.M),
    ),
    "annex 2": ("in bijlage 2 staat", re.compile(r"^## Bijlage 2", re.M)),
    "notes": ("bronverwijzingen staan als genummerde noten", re.compile(r"^## Noten", re.M)),
    "abbreviations": ("lijst van afkortingen", re.compile(r"^## Lijst van afkortingen", re.M)),
    "summary": ("de samenvatting vooraan", re.compile(r"^## Samenvatting", re.M)),
}


@pytest.mark.parametrize("part", [p for p in PARTS if p != "summary"])
def test_reading_guide_promises_a_part_when_the_example_has_it(example: Path, part: str) -> None:
    line, shown = PARTS[part]
    text = _text(_write(example, "md", "guide"))
    assert line in _guide(text)
    assert shown.search(text)


@pytest.mark.parametrize("part", [p for p in PARTS if p not in ("summary", "abbreviations")])
def test_reading_guide_leaves_out_a_part_the_report_lacks(empty: Path, part: str) -> None:
    line, shown = PARTS[part]
    text = _text(_write(empty, "md", "guide"))
    assert not shown.search(text)
    assert line not in _guide(text)


def test_reading_guide_leaves_out_abbreviations_when_names_are_the_full_names(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    init_workspace(ws)
    data: Any = yamlio.load(ws / "selfeval.yaml")
    for participant in data["participants"]:
        participant["full_name"] = participant["name"]
    (ws / "selfeval.yaml").write_text(yamlio.dump(data), "utf-8")
    line, shown = PARTS["abbreviations"]
    text = _text(_write(ws, "md", "guide"))
    assert not shown.search(text)
    assert line not in _guide(text)


def test_reading_guide_promises_the_summary_only_with_one(
    example: Path, with_summary: Path
) -> None:
    line, shown = PARTS["summary"]
    without = _text(_write(example, "md", "guide"))
    assert line not in _guide(without) and not shown.search(without)
    text = _text(_write(with_summary, "md", "guide"))
    assert line in _guide(text) and shown.search(text)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_reading_guide_is_the_same_in_html_and_word(example: Path, empty: Path, fmt: str) -> None:
    for ws in (example, empty):
        md = _guide(_text(_write(ws, "md", "guide")))
        other = _text(_write(ws, fmt, "guide"))
        lines = [line.removeprefix("- ") for line in md.splitlines() if line.startswith("- ")]
        assert lines and all(line in other for line in lines)
