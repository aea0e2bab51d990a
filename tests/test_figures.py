"""Figures 1 and 2 from the data, in every format: inline SVG in HTML, PNG beside Markdown.

The seed report's Figure 1 (who plays which role, who gives input to whom)
and Figure 2 (from blind spots, bottlenecks and needs to opportunities),
looked at as a reader gets them: the HTML page, the Markdown and its files.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace
from selfeval.report import figures as figures_module

CAT = Path("responses") / "falende-staten"


def _aggregate(ws: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("figures") / "example"
    init_workspace(ws, example=True)
    return ws


@pytest.fixture(scope="module")
def html(example: Path) -> str:
    _aggregate(example, "-f", "html")
    return (example / "reports" / "integrated-report.html").read_text("utf-8")


def _svg_texts(svg: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", svg).split())


def _figures(page: str) -> list[str]:
    return re.findall(r'<figure class="figure".*?</figure>', page, re.S)


def test_html_shows_both_figures_inline_as_svg_with_captions(html: str) -> None:
    shown = _figures(html)
    assert len(shown) == 2
    assert all("<svg" in f for f in shown)
    assert "<figcaption>Figuur 1: interdepartementale samenwerking" in shown[0]
    assert "<figcaption>Figuur 2: van blinde vlekken, knelpunten en behoeften" in shown[1]
    assert "selfeval-figure:" not in html  # no placeholder left
    assert "<img" not in html  # nothing to fetch: the page stays self-contained


def test_figure_1_shows_each_department_its_involvement_and_the_input_arrows(html: str) -> None:
    text = _svg_texts(_figures(html)[0])
    for name in ("BZ", "Defensie", "BZK", "EZ", "AZ", "Financiën", "Justitie"):
        assert re.search(rf"(^| ){name}( |$)", text), name
    for legend in ("sterk", "gemiddeld", "zwak", "levert inbreng aan"):
        assert legend in text


def test_figure_1_draws_an_arrow_for_each_gives_input_relation(example: Path) -> None:
    from selfeval.files.workspace import Workspace
    from selfeval.report.aggregate import build, read_responses

    ws = Workspace.open(example)
    report = build(ws, read_responses(ws.response_files(), workspace=ws)).report
    roles = next(f for f in figures_module.figures(report) if f.key == "roles")
    nodes, edges, _ = roles.data
    assert [n[0] for n in nodes][:2] == ["BZ", "Defensie"]
    assert dict((n, lv) for n, lv, _ in nodes)["BZK"] == "medium"
    assert ("BZ", "Defensie") in edges and ("Defensie", "BZ") in edges
    assert ("BZ", "Financiën") in edges
    assert len(edges) == len(set(edges))


def test_figure_2_places_opportunities_on_the_three_axes_with_attribution(html: str) -> None:
    text = _svg_texts(_figures(html)[1])
    for words in (
        "Kansen en mogelijkheden",
        "Departementaal",
        "Interdepartementaal",
        "Kansen (inhoud)",
        "Mogelijkheden (proces)",
        "intensiveren",
        "Bevindingen",
        "Defensie: Integrale operationele",
        "BZ: Investeren in",
    ):
        assert words in text, words


def test_markdown_links_png_files_written_beside_it(example: Path) -> None:
    result = _aggregate(example)
    reports = example / "reports"
    md = (reports / "integrated-report.md").read_text("utf-8")
    links = re.findall(r"!\[(Figuur \d toont [^\]]+)\]\((figure-\d-[0-9a-f]{10}\.png)\)", md)
    assert len(links) == 2  # the alt text says what each shows (tests/test_accessibility.py)
    captions = re.findall(r"^\*(Figuur \d: [^*]+)\*$", md, re.M)
    assert captions == [
        "Figuur 1: interdepartementale samenwerking rond de incidentcategorie",
        "Figuur 2: van blinde vlekken, knelpunten en behoeften naar kansen en mogelijkheden",
    ]
    for _, name in links:
        picture = reports / name
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert f"Wrote {picture}" in result.stdout


def _linked(md: str) -> list[str]:
    return re.findall(r"\((figure-\d-[0-9a-f]{10}\.png)\)", md)


def _named_by_their_bytes(folder: Path, names: list[str]) -> bool:
    import hashlib

    return all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest()[:10] == name[9:19]
        for name in names
    )


# Slow tier: --no-cache draws as a first run does, and the pictures kept are read back by
# default in tests/test_figure_cache.py; by default a first run whose every stand-in
# straddles two blocks of the scan (a first run with the usual blocks in the slow tier).
@pytest.mark.parametrize(
    "run",
    [
        pytest.param("first", marks=pytest.mark.slow),
        pytest.param("from the caches", marks=pytest.mark.slow),
        pytest.param("--no-cache", marks=pytest.mark.slow),
        "small blocks",
    ],
)
def test_markdown_is_what_a_render_gives_each_picture_named_by_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: str
) -> None:
    """The figures are drawn after the Markdown is written (memory); the file is as before.

    The names are stand-ins while the report model is held and put in once the
    pictures are drawn: the report is byte for byte ``render(…, figure_files=True)``.
    """
    from selfeval.files.workspace import Workspace
    from selfeval.report import aggregate as pipeline
    from selfeval.report import render

    ws = tmp_path / "example"
    init_workspace(ws, example=True)
    figures_module._picture.cache_clear()
    figures_module._draw.cache_clear()
    if run == "small blocks":  # every stand-in is split between two blocks read
        monkeypatch.setattr(render, "_SCAN_BLOCK", 16)
    elif run != "first":
        _aggregate(ws)
        (ws / "reports" / "integrated-report.md").unlink()  # written again, not kept
        figures_module._picture.cache_clear()
    _aggregate(ws, *(["--no-cache"] if run == "--no-cache" else []))
    md = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    workspace = Workspace.open(ws)
    parsed = pipeline.read_responses(workspace.discover_responses().current, workspace)
    report = pipeline.build(workspace, parsed).report
    assert md == render.render(report, figure_files=True)
    assert len(_linked(md)) == 2
    assert _named_by_their_bytes(ws / "reports", _linked(md))


def test_a_workspace_report_template_gets_the_real_names_while_it_renders(
    tmp_path: Path,
) -> None:
    """A workspace's own template may do anything with a name: the figures are drawn first."""
    from selfeval.report.render import MD_TEMPLATE, TEMPLATE_DIR

    ws = tmp_path / "example"
    init_workspace(ws, example=True)
    shipped = (TEMPLATE_DIR / MD_TEMPLATE).read_text("utf-8")
    own = shipped.replace("({{ f.src }})", "({{ f.src }}) <{{ f.src | upper }}>", 1)
    assert own != shipped
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / MD_TEMPLATE).write_text(own, "utf-8")
    _aggregate(ws)
    md = (ws / "reports" / "integrated-report.md").read_text("utf-8")
    names = _linked(md)
    assert len(names) == 2
    assert _named_by_their_bytes(ws / "reports", names)
    assert [f"<{name.upper()}>" in md for name in names] == [True, True]


def test_figures_are_the_same_bytes_for_the_same_data(example: Path) -> None:
    def pictures() -> list[bytes]:
        _aggregate(example)
        return [p.read_bytes() for p in sorted((example / "reports").glob("figure-*.png"))]

    first = pictures()
    figures_module._draw.cache_clear()  # draw again, not from the memo
    again = pictures()
    assert len(first) == 2
    assert first == again
    assert b"matplotlib" not in first[0]  # no software version in the metadata


def test_svg_has_no_date(html: str) -> None:
    assert "<dc:date>" not in html


def test_answer_text_is_drawn_as_text_not_as_math(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    init_workspace(ws, example=True)
    bz = ws / CAT / "BZ" / "self-evaluation.yaml"
    data = yamlio.load(bz)
    data["answers"]["opportunities"][0]["title"] = "Budget $a^2$ & <b>50%</b>"
    yamlio.write(bz, data)
    _aggregate(ws, "-f", "html")
    page = (ws / "reports" / "integrated-report.html").read_text("utf-8")
    assert "BZ: Budget $a^2$ &amp; &lt;b&gt;50%&lt;/b&gt;" in _svg_texts(_figures(page)[1])


def _report(roles: int, opportunities: int) -> Any:
    row = SimpleNamespace
    views = [
        SimpleNamespace(
            attribution="P", finding=SimpleNamespace(title=f"kans {i}"), id=f"P.o.{i}", answers=[]
        )
        for i in range(opportunities)
    ]
    return SimpleNamespace(
        L={},
        roles=[
            row(name=f"P{i}", level="weak", own=i == 0, gives=[], receives=[]) for i in range(roles)
        ],
        opportunities=views,
        matrix=[("inhoud", "intensiveren", [views, []])],
        blind_spots=[],
        bottlenecks=[],
        needs_departmental=[],
        needs_interdepartmental=[],
    )


def test_too_many_departments_for_figure_1_leave_it_out() -> None:
    keys = [f.key for f in figures_module.figures(_report(figures_module.MAX_NODES + 1, 1))]
    assert keys == ["opportunities"]
    keys = [f.key for f in figures_module.figures(_report(3, 0))]
    assert keys == ["roles"]


def test_figure_2_counts_what_does_not_fit() -> None:
    (figure,) = figures_module.figures(_report(0, 500))
    _, matrix, _ = figure.data
    cell = matrix[0][2][0]
    assert len(cell) == figures_module.MAX_ITEMS
    assert cell[-1] == ("…", f"and {500 - figures_module.MAX_ITEMS + 1} more", "")


def test_html_has_contents_and_prints_on_a4_with_page_numbers(html: str) -> None:
    nav = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None
    link = re.search(r'<a href="#(s\d+)">Voorwoord</a>', nav.group(1))
    assert link is not None
    assert ">3.1 Rollen en verantwoordelijkheden</a>" in nav.group(1)
    assert f'<h2 id="{link.group(1)}">Voorwoord</h2>' in html
    assert "size: A4" in html
    assert "counter(page)" in html
    assert '@top-center { content: "intern werkdocument"' in html


def test_figure_2_draws_a_line_from_each_finding_to_each_opportunity_that_answers_it() -> None:
    def view(fid: str, who: str, title: str, answers: list[Any] = ()) -> Any:  # type: ignore[assignment]
        return SimpleNamespace(
            id=fid, attribution=who, finding=SimpleNamespace(title=title), answers=list(answers)
        )

    spot = view("A.blind_spots.1", "A", "blinde vlek")
    need = view("B.needs.1", "B", "behoefte")
    other = view("B.needs.2", "B", "behoefte zonder kans")
    both = view("A.opportunities.1", "A", "kans op beide", [spot, need])
    one = view("B.opportunities.1", "B", "kans op één", [need])
    none = view("C.opportunities.1", "C", "kans zonder bevinding")
    report = SimpleNamespace(
        L={}, roles=[], opportunities=[both, one, none],
        matrix=[("inhoud", "intensiveren", [[both, none], [one]])],
        blind_spots=[spot], bottlenecks=[], needs_departmental=[need, other],
        needs_interdepartmental=[],
    )  # fmt: skip
    (figure,) = figures_module.figures(report)
    svg = figure.picture("svg").decode("utf-8")
    text = _svg_texts(svg)
    # The findings are numbered on the left; each opportunity names the numbers it answers.
    assert "A: kans op beide (← 1, 2)" in text
    assert "B: kans op één (← 2)" in text
    assert "C: kans zonder bevinding" in text and "C: kans zonder bevinding (←" not in text
    # One line per link (3), drawn in the link colour; no line for the need without one.
    patches = re.findall(r'<g id="patch_\d+">(.*?)</g>', svg, re.S)
    assert sum("stroke: #2f5597" in p for p in patches) == 3
