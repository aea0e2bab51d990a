"""The eighth new-user trial: what the report says must match what the responses say.

The trial's workspace (exercise "Pandemieën": VWS, OCW and SZW self-evaluate,
the RIVM is in peer review 2; SZW sent nothing) is copied in ``tests/trial8/``
as the trial left it. Each test runs ``selfeval aggregate`` through the CLI on
a copy and opens the report as a reader would: the Markdown text, the HTML
parsed, the Word document through python-docx.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app

docx = pytest.importorskip("docx")

TRIAL8 = Path(__file__).parent / "trial8"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("trial8") / "pandemie"
    shutil.copytree(TRIAL8, target)
    return target


def _aggregate(ws: Path, fmt: str) -> Path:
    out = ws / "reports" / f"integrated-report.{fmt}"
    result = CliRunner().invoke(app, ["aggregate", "-w", str(ws), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def markdown(workspace: Path) -> str:
    return _aggregate(workspace, "md").read_text("utf-8")


@pytest.fixture(scope="module")
def html(workspace: Path) -> _Page:
    page = _Page()
    page.feed(_aggregate(workspace, "html").read_text("utf-8"))
    return page


@pytest.fixture(scope="module")
def word(workspace: Path) -> Any:
    return docx.Document(str(_aggregate(workspace, "docx")))


# --- reading the report ------------------------------------------------------------------


class _Page(HTMLParser):
    """The HTML report as a reader meets it: its tables, Figure 1's boxes, its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}  # caption -> rows (header first)
        self.alts: list[str] = []  # the figures' text alternatives
        self.boxes: list[list[str]] = []  # per figure, the centred texts it draws
        self.text: list[str] = []
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._svg_text: str | None = None  # the style of the <text> being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "svg":
            self.alts.append(a.get("aria-label") or "")
            self.boxes.append([])
        elif tag == "text" and self.boxes:
            self._svg_text = a.get("style") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._rows is not None and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption or ""] = self._rows
            self._rows = None
        elif tag == "text":
            self._svg_text = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_caption:
            self._caption = (self._caption or "") + data
        elif self._cell is not None:
            self._cell.append(data)
        elif self._svg_text is not None and "text-anchor: middle" in self._svg_text:
            self.boxes[-1].append(data.strip())

    def table(self, starts: str) -> list[list[str]]:
        return next(rows for caption, rows in self.tables.items() if caption.startswith(starts))


def _md_table(markdown: str, caption_starts: str) -> list[list[str]]:
    """A Markdown table's rows (header first) under its caption ``*Tabel n: …*``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"*{caption_starts}"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not all(set(c) <= {"-"} for c in cells):
            rows.append(cells)
    return rows


def _word_table(document: Any, header_first: str, index: int = 0) -> list[list[str]]:
    tables = [t for t in document.tables if t.rows[0].cells[0].text == header_first]
    return [[cell.text for cell in row.cells] for row in tables[index].rows]


def _arrows(alt: str) -> set[tuple[str, str]]:
    """Figure 1's arrows from its text alternative: ``… aan wie: VWS → OCW, SZW; OCW → VWS.``"""
    edges = alt.split("aan wie: ", 1)[1].rstrip(".")
    found = set()
    for part in edges.split("; "):
        giver, receivers = part.split(" → ")
        found |= {(giver, r) for r in receivers.split(", ")}
    return found


def _boxes_in_alt(alt: str) -> set[str]:
    """Figure 1's departments from its text alternative (by level, then the arrows)."""
    levels = alt.split(" met hun betrokkenheid (", 1)[1].split(") en wie", 1)[0]
    names = {n for part in levels.split("; ") for n in part.split(": ", 1)[1].split(", ")}
    return names | {n for edge in _arrows(alt) for n in edge}


def _table_arrows(rows: list[list[str]]) -> set[tuple[str, str]]:
    """The "gives input to" relations the roles table holds (both columns)."""
    found = set()
    for name, _, gives, receives, *_ in rows[1:]:
        for other in re.split(r", | en ", gives):
            if other != "—":
                found.add((name, other))
        for other in re.split(r", | en ", receives):
            if other != "—":
                found.add((other, name))
    return found


# --- 1. Figure 1 and Tabel 1, "gegevens van figuur 1", hold the same ---------------------


def test_every_box_and_arrow_of_figure_1_is_in_its_table_markdown(markdown: str) -> None:
    alt = re.search(r"!\[(Figuur 1 [^\]]*)\]\(figure-1-", markdown)
    assert alt, markdown[:2000]
    rows = _md_table(markdown, "Tabel 1: rollen en betrokkenheid van de departementen (gegevens")
    assert {row[0] for row in rows[1:]} == _boxes_in_alt(alt[1])
    assert _table_arrows(rows) == _arrows(alt[1])
    # SZW sent nothing: VWS named it, so the row says so, with no involvement given.
    assert ["SZW", "—", "—", "VWS", "volgens VWS"] in rows
    assert "toont 4 departementen" in alt[1] and len(rows) == 1 + 4


def test_every_box_figure_1_draws_is_a_row_of_its_table_html(html: _Page) -> None:
    rows = html.table("Tabel 1: rollen en betrokkenheid van de departementen (gegevens")
    drawn = html.boxes[0]
    assert sorted(drawn) == sorted(row[0] for row in rows[1:]), (drawn, rows)
    assert _table_arrows(rows) == _arrows(html.alts[0])


def test_every_box_and_arrow_of_figure_1_is_in_its_table_word(word: Any) -> None:
    alt = word.inline_shapes[0]._inline.docPr.get("descr")
    rows = _word_table(word, "Departement")
    assert {row[0] for row in rows[1:]} == _boxes_in_alt(alt)
    assert _table_arrows(rows) == _arrows(alt)


def test_a_department_only_named_as_receiving_input_gets_no_empty_section(markdown: str) -> None:
    section = markdown.split("### 3.1 ", 1)[1].split("### 3.2 ", 1)[0]
    assert "| SZW | — | — | VWS | volgens VWS |" in section  # its row, and nothing more
    assert "#### SZW" not in section
    assert "#### VWS" in section and "#### RIVM" in section


# --- 2. a page the respondent typed with its "p." -----------------------------------------


def test_a_typed_page_word_is_not_repeated_in_any_format(
    markdown: str, html: _Page, word: Any
) -> None:
    note = "RIVM-rapport varianten (VWS-bron-8102), 2026, p. 12-14."
    assert f"1. {note}" in markdown and "p. p." not in markdown
    text = " ".join("".join(html.text).split())
    assert note in text and "p. p." not in text
    numbered = [p.text for p in word.paragraphs if p.style.name == "List Number"]
    assert numbered == [note]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("p. 12-14", "p. 12-14"), ("pp. 82-86", "p. 82-86"), ("blz. 3", "p. 3"),
     ("P.7", "p. 7"), ("19", "p. 19"), ("passim", "p. passim")],
)  # fmt: skip
def test_a_page_is_shown_once_with_the_reports_own_word(
    runner: CliRunner, tmp_path: Path, typed: str, shown: str
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(TRIAL8, ws)
    response = ws / "responses/pandemieen/VWS/self-evaluation.yaml"
    text = response.read_text("utf-8")
    response.write_text(text.replace("page: p. 12-14", f"page: '{typed}'"), "utf-8")
    result = runner.invoke(app, ["aggregate", "-w", str(ws), "--no-cache"])
    assert result.exit_code == 0, result.output
    report = (ws / "reports/integrated-report.md").read_text("utf-8")
    assert f"1. RIVM-rapport varianten (VWS-bron-8102), 2026, {shown}.\n" in report


# --- 3. the reactions-at-a-glance table names what was reacted to --------------------------


def _glance_labels(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows[1:]]


def test_a_role_finding_is_named_as_a_role_in_the_glance_table(
    markdown: str, html: _Page, word: Any
) -> None:
    tables = {
        "md": _md_table(markdown, "Tabel 2: reacties per bevinding"),
        "html": html.table("Tabel 2: reacties per bevinding"),
        "docx": _word_table(word, "Bevinding"),
    }
    for fmt, rows in tables.items():
        labels = _glance_labels(rows)
        assert labels[0] == "Rol en betrokkenheid van VWS", (fmt, labels)
        assert rows[1][1] == "OCW", (fmt, rows[1])
        # No row is named "X: X": each says what was reacted to.
        assert not [x for x in labels if re.fullmatch(r"(.+): \1", x)], (fmt, labels)
        assert "VWS: Scholen laat geïnformeerd (VWS-kn-9001)" in labels, (fmt, labels)


# --- 4. the Word document: lead-ins kept with their lists; notes marked one way -------------


def test_headings_and_lead_ins_are_kept_with_what_follows(word: Any) -> None:
    paragraphs = word.paragraphs
    checked = 0
    for i, p in enumerate(paragraphs[:-1]):
        heading = p.style.name.startswith("Heading")
        lead_in = p.text.endswith(":") and paragraphs[i + 1].text.strip() != ""
        if heading or lead_in:
            checked += 1
            assert p.paragraph_format.keep_with_next, p.text
    reactions = [p for p in paragraphs if p.text == "Reacties uit de collegiale toets:"]
    assert len(reactions) == 5 and all(p.paragraph_format.keep_with_next for p in reactions)
    assert checked > 30


def test_a_note_in_annex_2_is_marked_as_in_the_running_text(word: Any) -> None:
    def marks(runs: Any) -> list[str]:
        return [r.text for r in runs if r.font.superscript]

    body = next(p for p in word.paragraphs if "Risicoanalyse nieuwe varianten" in p.text)
    assert marks(body.runs) == ["1"] and "[1]" not in body.text
    (cell,) = [
        c
        for row in _word_table_rows(word, "Fase")
        for c in row
        if "Risicoanalyse nieuwe varianten" in c.text
    ]
    assert "[1]" not in cell.text
    assert marks(cell.paragraphs[-1].runs) == ["1"]
    assert cell.text == body.text.split(": ", 1)[1]  # the same words, the same mark


def _word_table_rows(document: Any, header_first: str) -> list[list[Any]]:
    return [
        row.cells
        for t in document.tables
        if t.rows[0].cells[0].text == header_first
        for row in t.rows
    ]


# --- 5. every answer is shown, or listed as not shown --------------------------------------


# --- Bijlage 1 and the list of abbreviations read the same in every format ----------------


def _md_table_captioned(markdown: str, caption_ends: str) -> list[list[str]]:
    """A Markdown table's rows (header first) under the caption ``*Tabel n: <caption_ends>*``."""
    number = re.search(rf"^\*(Tabel \d+): {re.escape(caption_ends)}\*$", markdown, re.M)
    assert number, caption_ends
    return _md_table(markdown, number[1] + ":")


def _html_table_captioned(html: _Page, caption_ends: str) -> list[list[str]]:
    return next(rows for c, rows in html.tables.items() if c.endswith(f": {caption_ends}"))


def test_annex_1_and_the_abbreviations_are_the_same_table_in_every_format(
    markdown: str, html: _Page, word: Any
) -> None:
    """The seed's Tabel 1 names each department by its short name, in every format (Word gave
    "Ministerie van Volksgezondheid, Welzijn en Sport (VWS)"); the full names are in the list
    of abbreviations, the same list in every format."""
    annex = _md_table_captioned(markdown, "aard van betrokkenheid")
    assert [row[0] for row in annex] == ["Departement", "VWS", "OCW", "SZW", "RIVM"]
    assert _html_table_captioned(html, "aard van betrokkenheid") == annex
    assert _word_table(word, "Departement", 1) == annex
    abbreviations = _md_table_captioned(markdown, "afkortingen")
    assert ["RIVM", "Rijksinstituut voor Volksgezondheid en Milieu"] in abbreviations
    assert _html_table_captioned(html, "afkortingen") == abbreviations
    assert _word_table(word, "Afkorting") == abbreviations


def _not_shown_in_the_docs() -> set[tuple[str, str]]:
    """(questionnaire, item) of docs/report.md's table "Answers the report does not show"."""
    text = (Path(__file__).parents[1] / "docs" / "report.md").read_text("utf-8")
    section = text.split("**Answers the report does not show.**", 1)[1].split("\n\n**", 1)[0]
    found = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`"):
            continue  # the header, the rule, or a row about entries (an other_roles entry)
        items = re.findall(r"`([a-z_]+)`", cells[1].split("(", 1)[0])
        found |= {(q, item) for q in cells[0].split(", ") for item in items}
    return found


def test_every_answer_of_every_shipped_questionnaire_is_shown_or_listed_as_not_shown() -> None:
    from selfeval.files.load import load_questionnaire
    from selfeval.files.resources import shipped_questionnaires

    listed = _not_shown_in_the_docs()
    assert {("peer-review-1", "completed_by"), ("self-evaluation", "has_bottlenecks")} <= listed
    unlisted, reported_yet_listed, seen = [], [], set()
    for path in shipped_questionnaires():
        questionnaire = load_questionnaire(path).questionnaire
        for item in questionnaire.items():
            if item.type == "info":  # text to read, no answer
                continue
            key = (questionnaire.id, item.id)
            seen.add(key)
            reported = item.report is not None or getattr(item, "finding", None) is not None
            if not reported and key not in listed:
                unlisted.append(f"{questionnaire.ref}: {item.id}")
            if reported and key in listed:
                reported_yet_listed.append(f"{questionnaire.ref}: {item.id}")
    assert not unlisted, (
        f"answers the report does not show, missing from docs/report.md: {unlisted}"
    )
    assert not reported_yet_listed, f"listed as not shown, yet reported: {reported_yet_listed}"
    assert listed <= seen, f"listed but in no shipped questionnaire: {listed - seen}"
