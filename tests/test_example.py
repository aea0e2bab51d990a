"""`selfeval aggregate` on the worked example (falende staten): the report says what the seed says.

The expectations here are computed from the response files themselves (which
entries exist, who gave them) or copied from the seed report (Annex 1, Table 1),
never from the report's own output.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

#: The seed's Annex 1, Table 1 ("Aard van betrokkenheid ministeries").
SEED_TABLE_1 = [
    ("BZ", "Zelfevaluatie"),
    ("Defensie", "Zelfevaluatie, collegiale toets 1"),
    ("NCTb", "Collegiale toets 1"),
    ("BZK", "Collegiale toets 2"),
    ("EZ", "Collegiale toets 2"),
    ("AZ", "Collegiale toets 2"),
    ("Financiën", "Collegiale toets 2"),
    ("Justitie", "Collegiale toets 2"),
]
PHASES_NL = [
    "Onderzoek en risicoanalyses",
    "Beleidsontwikkeling",
    "Beleidsuitvoering",
    "Beleidsevaluatie",
]
FINDING_ITEMS = ("bottlenecks", "blind_spots", "needs", "opportunities")
#: The seed's Figure 2, right-hand side ("geordende bevindingen"): every opportunity with
#: its row (nature, direction), column (scope), attribution and a word of its title.
SEED_FIGURE_2 = [
    ("Kansen (inhoud)", "intensiveren bestaand beleid", 0, "BZ", "conflictpreventie"),
    ("Kansen (inhoud)", "intensiveren bestaand beleid", 0, "BZ en Defensie", "capaciteit van politie"),
    ("Kansen (inhoud)", "intensiveren bestaand beleid", 0, "Defensie", "Security sector reform"),
    ("Kansen (inhoud)", "intensiveren bestaand beleid", 0, "Defensie en AZ", "inlichtingenfunctie"),
    ("Kansen (inhoud)", "intensiveren bestaand beleid", 0, "Justitie", "operationele ondersteuning"),
    ("Kansen (inhoud)", "ontwikkelen nieuw beleid", 0, "BZ", "geïntegreerde benadering"),
    ("Kansen (inhoud)", "ontwikkelen nieuw beleid", 0, "Justitie", "prioriteitslanden"),
    ("Kansen (inhoud)", "ontwikkelen nieuw beleid", 0, "BZK", "eigen relatie met de EU"),
    ("Kansen (inhoud)", "ontwikkelen nieuw beleid", 1, "NCTb", "nationale veiligheid"),
    ("Mogelijkheden (proces)", "intensiveren bestaand beleid", 1, "BZ en Defensie", "EZ/bedrijfsleven"),
    ("Mogelijkheden (proces)", "intensiveren bestaand beleid", 1, "Defensie", "Stuurgroep"),
    ("Mogelijkheden (proces)", "intensiveren bestaand beleid", 1, "BZK", "proactieve houding"),
    ("Mogelijkheden (proces)", "ontwikkelen nieuw beleid", 1, "Defensie", "Integrale operationele"),
]  # fmt: skip

#: The lines of the seed's Figure 2 ("van blinde vlekken, knelpunten en behoeften naar kansen en
#: mogelijkheden"): per opportunity (attribution, a word of its title), the findings it answers
#: as (attribution, a word of the title), in report order. The seed's text keeps the figure's
#: boxes but not its lines; each opportunity answers the blind spots, bottlenecks and needs of
#: the same departments on the same subject. BZ's and Defensie's links are their own findings
#: (self-evaluation 1.2.0), the peer reviews' their own needs and findings of the draft.
SEED_FIGURE_2_LINKS = {
    ("BZ", "conflictpreventie"): [("BZ", "Gebrek aan focus"), ("BZ", "conflictpreventie")],
    ("BZ en Defensie", "capaciteit van politie"): [("BZ en Defensie", "Beperkte capaciteit")],
    ("Defensie", "Security sector reform"): [("Defensie", "security sector reform"),
                                             ("Defensie", "(DDR)")],
    ("Defensie en AZ", "inlichtingenfunctie"): [("Defensie", "Eenzijdige invalshoek"),
                                                ("Defensie", "capaciteit voor de inlichtingen"),
                                                ("AZ", "Verbeteren van de inlichtingenfunctie")],
    ("Justitie", "rechtshandhaving"): [("Justitie", "operationele ondersteuning")],
    ("BZ", "geïntegreerde benadering"): [("BZ", "Gebrek aan focus"),
                                         ("BZ", "geïntegreerde benadering")],
    ("Justitie", "prioriteitslanden"): [("BZ en Defensie", "Beperkte capaciteit"),
                                        ("Justitie", "prioriteitslanden")],
    ("BZK", "eigen relatie met de EU"): [("BZ en Defensie", "Beperkte capaciteit"),
                                         ("BZK", "eigen relatie met de EU")],
    ("NCTb", "nationale veiligheid"): [("NCTb", "buitenlandse beleid")],
    ("BZ en Defensie", "EZ/bedrijfsleven"): [("BZ en Defensie", "relaties met EZ en Financiën")],
    ("Defensie", "Stuurgroep"): [("Defensie", "Stuurgroep")],
    ("BZK", "proactieve houding"): [("BZK", "proactieve houding")],
    ("Defensie", "Integrale operationele"): [("Defensie", "Integrale operationele aansturing")],
}  # fmt: skip


def aggregate(runner: CliRunner, ws: Path, *args: str) -> str:
    result = runner.invoke(app, ["aggregate", "--workspace", str(ws), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def section(text: str, start: str, end: str | None = None) -> str:
    body = text[text.index(start) :]
    if end is not None:
        body = body[: body.index(end)]
    return body


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header


@pytest.fixture
def report(runner: CliRunner, example_ws: Path) -> str:
    aggregate(runner, example_ws, "--ids")  # the final report shows ids only when asked
    return (example_ws / "reports" / "integrated-report.md").read_text("utf-8")


def names(ws: Path) -> dict[str, str]:
    data = yamlio.load(ws / "selfeval.yaml")
    return {p["code"]: p["name"] for p in data["participants"]}


def expected_entries(ws: Path) -> list[tuple[str, str, str]]:
    """(finding id, participant code, title) of every finding entry in the responses."""
    found = []
    for path in sorted((ws / "responses").glob("*/*/*.yaml")):
        data = yamlio.load(path)
        code, qid = data["participant"], data["questionnaire"]["id"]
        prefix = code if qid == "self-evaluation" else f"{code}.{qid}"
        for item in FINDING_ITEMS:
            for n, entry in enumerate(data["answers"].get(item) or [], start=1):
                found.append((f"{prefix}.{item}.{entry.get('key', n)}", code, entry["title"]))
    return found


def finding_blocks(report: str) -> list[tuple[str, str, list[str]]]:
    """(heading, main id, merged ids) of each finding block in the report."""
    blocks = []
    for block in re.split(r"\n(?=#{4,5} )", report):
        match = re.search(r"^Code: `([^`]+)`(?: — Samengevoegd met: (.+))?$", block, re.M)
        if match and block.startswith("#"):
            merged = [m.strip() for m in match.group(2).split(",")] if match.group(2) else []
            blocks.append((block.splitlines()[0], match.group(1), merged))
    return blocks


def test_the_readme_command_writes_the_report(runner: CliRunner, example_ws: Path) -> None:
    out = aggregate(runner, example_ws)
    path = example_ws / "reports" / "integrated-report.md"
    assert f"Wrote {path}" in out
    assert path.read_text("utf-8").startswith(
        "# Geïntegreerde rapportage interdepartementale zelfevaluatie"
    )


def test_annex_1_is_the_seed_table(report: str) -> None:
    annex = section(report, "## Bijlage 1", "## Bijlage 2")
    rows = table_rows(annex)
    assert [(row[0], row[1]) for row in rows] == SEED_TABLE_1
    remarks = {row[0]: row[2] for row in rows}
    assert "geen ministerie" in remarks["NCTb"]
    assert all(remark == "" for name, remark in remarks.items() if name != "NCTb")
    assert "Alle verwachte bijdragen zijn ontvangen." in annex


def test_every_finding_appears_once_attributed_with_its_id(report: str, example_ws: Path) -> None:
    entries = expected_entries(example_ws)
    assert len(entries) > 25  # the example has many findings; guard against an empty example
    blocks = finding_blocks(report)
    display = names(example_ws)
    for fid, code, title in entries:
        holding = [b for b in blocks if b[1] == fid or fid in b[2]]
        assert len(holding) == 1, f"{fid} appears {len(holding)} times"
        heading, main_id, _ = holding[0]
        attribution = heading.split(": ", 1)[0]
        assert display[code] in attribution, (fid, heading)
        if main_id == fid:
            assert heading.endswith(f": {title}"), (fid, heading)


def test_merged_findings_are_attributed_to_both(report: str) -> None:
    heading = "#### BZ en Defensie: Beperkte capaciteit beschikbaar bij BZK en Justitie"
    assert report.count(heading) == 1
    block = section(report, heading, "\n#### ")
    assert "Samengevoegd met: DEF.bottlenecks.capaciteit-politie-justitie" in block
    # and through texts/merges.yaml:
    assert (
        "Code: `BZ.bottlenecks.relaties-ez-financien` — Samengevoegd met: "
        "DEF.bottlenecks.relatie-financien-wereldbank" in report
    )


def test_peer_review_reactions_are_woven_in_at_their_finding(report: str) -> None:
    block = section(report, "#### BZ en Defensie: Ruimte voor verder versterken", "\n#### ")
    assert "In collegiale toets 2 gaf Financiën aan het hier gedeeltelijk mee eens te zijn" in block
    assert "Wereldbank wordt nu al benut" in block
    assert "In collegiale toets 2 gaf EZ aan" in block
    capacity = section(report, "#### BZ en Defensie: Beperkte capaciteit", "\n#### ")
    assert "gaf Justitie aan" in capacity and "Raad voor de Rechtspraak" in capacity
    assert "gaf BZK aan" in capacity


def test_round_2_needs_join_the_needs_chapter(report: str) -> None:
    needs = section(report, "### 4.3 ", "### 4.4 ")
    for heading in (
        "##### AZ: Verbeteren van de inlichtingenfunctie",
        "##### BZK: Investeren in een meer proactieve houding van Nederland in internationaal verband",
        "##### Justitie: Intensivering van de operationele ondersteuning van de rechtshandhaving",
    ):
        assert heading in needs
    assert "ingebracht in collegiale toets 2" in needs


def test_roles_table_has_a_row_per_department_described(report: str) -> None:
    roles = table_rows(section(report, "### 3.1 ", "#### "))
    assert [r[0] for r in roles] == ["BZ", "Defensie", "BZK", "EZ", "AZ", "Financiën", "Justitie"]
    by_name = {r[0]: r for r in roles}
    assert by_name["BZ"][1] == "sterk"
    assert by_name["BZK"][4] == "volgens BZ en Defensie"
    assert by_name["Financiën"][5] == "`role.FIN`"


def test_every_policy_phase_appears_in_annex_2(report: str) -> None:
    annex = section(report, "## Bijlage 2", "## Lijst van afkortingen")
    tables = annex.split("### ")[1:]
    assert [t.splitlines()[0] for t in tables] == [
        "Beleidsactiviteiten van BZ",
        "Beleidsactiviteiten van Defensie",
        "Beleidsactiviteiten van BZK",
        "Beleidsactiviteiten van Justitie",
    ]
    for table in tables:
        phases = {row[0] for row in table_rows(table)}
        assert phases == set(PHASES_NL), table.splitlines()[0]


def test_sources_become_numbered_notes(report: str) -> None:
    notes = section(report, "## Noten")
    assert "1. AIV, Nederland en crisisbeheersing; drie actuele aspecten, 2004." in notes
    assert "OS-nota 'Aan elkaar verplicht', 2003, p. 19." in notes
    assert "[1]" in section(report, "### 3.2 ", "## 4 ")


def test_two_runs_give_identical_bytes(runner: CliRunner, example_ws: Path) -> None:
    reports = example_ws / "reports"
    outputs = []
    for _ in range(2):
        aggregate(runner, example_ws)
        aggregate(runner, example_ws, "--format", "html")
        aggregate(runner, example_ws, "--draft")
        outputs.append(
            [
                (reports / name).read_bytes()
                for name in (
                    "integrated-report.md",
                    "integrated-report.html",
                    "integrated-report-draft.md",
                    "draft.yaml",
                )
            ]
        )
    assert outputs[0] == outputs[1]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.codes: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "code":
            self.codes.append(data)


def test_html_parses_and_has_the_same_findings(
    runner: CliRunner, example_ws: Path, report: str
) -> None:
    aggregate(runner, example_ws, "--format", "html", "--ids")
    page = (example_ws / "reports" / "integrated-report.html").read_text("utf-8")
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert {"html", "head", "style", "body", "table", "h1"} <= parser.tags
    assert "http://" not in page and "https://" not in page  # self-contained
    assert "<script" not in page
    md_ids = set(re.findall(r"`([A-Za-z]+\.[^`\s]+)`", report)) - {
        i for i in re.findall(r"`(sha256:[^`]+)`", report)
    }
    html_ids = {c for c in parser.codes if "." in c and not c.startswith("sha256:")}
    assert md_ids == html_ids
    for fid, _, _ in expected_entries(example_ws):
        assert fid in page


def test_draft_lists_every_finding_for_peer_review(runner: CliRunner, example_ws: Path) -> None:
    from selfeval.report.findings import load_draft

    aggregate(runner, example_ws, "--draft")
    draft = load_draft(example_ws / "reports" / "draft.yaml")
    ids = {f.id for f in draft.findings}
    merged = {m for f in draft.findings for m in f.merged}
    for fid, _, _ in expected_entries(example_ws):
        assert fid in ids or fid in merged
    assert {"role.BZ", "role.FIN", "role.AZ"} <= ids
    assert draft.draft.exercise == "Project Nationale Veiligheid"
    text = (example_ws / "reports" / "integrated-report-draft.md").read_text("utf-8")
    assert "conceptrapportage ter reactie in de collegiale toets" in text
    assert draft.draft.hash in text


def matrix_entries(report: str) -> list[tuple[str, str, int, str, str]]:
    """(nature, direction, column, attribution, title) of every opportunity in the matrix."""
    table = section(report, "| Soort | Departementaal | Interdepartementaal |", "\n\n")
    entries = []
    for kind, *cells in table_rows(table):
        nature, direction = kind.split(", ")
        for column, cell in enumerate(cells):
            for entry in cell.split(" · ") if cell != "—" else []:
                who, title = entry.split(": ", 1)
                entries.append((nature, direction, column, who, title))
    return entries


def test_figure_2_holds_the_seed_entries_with_the_seed_attributions(report: str) -> None:
    entries = matrix_entries(report)
    assert len(entries) == len(SEED_FIGURE_2) == 13
    shown = sorted(entry[:4] for entry in entries)
    assert shown == sorted(seed[:4] for seed in SEED_FIGURE_2)
    for nature, direction, column, who, word in SEED_FIGURE_2:
        titles = [e[4] for e in entries if e[:4] == (nature, direction, column, who)]
        assert any(word in title for title in titles), (who, word, titles)


def answered(title: str) -> list[tuple[str, str]]:
    """(attribution, title) of each finding an opportunity's "(antwoord op …)" names."""
    if " (antwoord op " not in title:
        return []
    listed = title.split(" (antwoord op ", 1)[1].removesuffix(")")
    found = []
    for part in listed.split("; "):
        name, who = part.rsplit(" (", 1)
        found.append((who.removesuffix(")"), name))
    return found


def test_figure_2_links_every_opportunity_to_the_findings_it_answers(report: str) -> None:
    entries = matrix_entries(report)
    assert len(SEED_FIGURE_2_LINKS) == len(entries) == 13
    for (who, word), links in SEED_FIGURE_2_LINKS.items():
        (title,) = [e[4] for e in entries if e[3] == who and word in e[4].split(" (antwoord")[0]]
        shown = answered(title)
        assert [w for w, _ in shown] == [w for w, _ in links], (who, word, shown)
        for (_, name), (_, part) in zip(shown, links, strict=True):
            assert part in name, (who, word, shown)
    # Every self-evaluation opportunity (BZ's and Defensie's eight) has its lines.
    own = [e for e in entries if {"BZ", "Defensie"} & set(e[3].split(" en "))]
    assert len(own) == 8 and all(answered(e[4]) for e in own)


def test_a_need_raised_in_peer_review_1_joins_the_needs_chapter(report: str) -> None:
    needs = section(report, "### 4.3 ", "### 4.4 ")
    heading = "##### NCTb: Het Nederlandse buitenlandse beleid (meer) baseren op het belang"
    assert heading in needs
    assert "ingebracht in collegiale toets 1" in section(needs, heading, "\n#####")
    assert "Grote Meren" not in section(report, "### 4.4 ", "## 5 ")
