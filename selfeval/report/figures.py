"""Figures 1 and 2 of the report, drawn from the report model.

Figure 1 (the seed report's "interdepartementale samenwerking"): every
participant in the roles table as a box, its involvement (strong / medium /
weak) shown by the box's fill and border, and an arrow for each "gives input
to" relation. Figure 2 ("van blinde vlekken, knelpunten en behoeften naar
kansen en mogelijkheden"): the findings on the left, the opportunities on the
right in the three axes (content/process × intensify/develop ×
departmental/interdepartmental), each with the department(s) that raised it.

Drawn with matplotlib's Agg and SVG backends (no pyplot, no GUI, no global
state), imported here only, so commands that draw nothing never load it.
The output is deterministic: matplotlib's own DejaVu fonts, no dates or
software versions in the metadata, a fixed ``svg.hashsalt``. Text from
answers is drawn as plain text (``parse_math=False``: a ``$`` stays a ``$``).
Drawing is memoised on the figure's data, so a process that writes several
reports from the same data draws each figure once; inside :func:`cached_in`
(``selfeval aggregate`` with its cache) the pictures are also kept on disk,
in ``.selfeval/cache/figures/``, keyed by the figure's data, matplotlib's
version and selfeval's source, each entry sealed (:mod:`selfeval.report.sealed`):
a picture from that folder is used only when this user's selfeval wrote
exactly those bytes for exactly that key — a forged or damaged entry is drawn
again, never inlined.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import json
import re
import textwrap
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from selfeval.report.chapters import FIGURE_MAX_NODES, figure_keys

if TYPE_CHECKING:
    from selfeval.report.model import Report
    from selfeval.report.views import FindingView

__all__ = ["FIGURE_CACHE_FORMAT", "Figure", "cached_in", "figure_key", "figures"]

Kind = Literal["png", "svg"]
#: Fill, edge colour, edge width and line style per involvement level.
_LEVEL_STYLE = {
    "strong": ("#1f4e79", "#1f4e79", 2.4, "solid", "white"),
    "medium": ("#bdd7ee", "#1f4e79", 1.4, "solid", "#111111"),
    "weak": ("white", "#1f4e79", 1.0, "dashed", "#111111"),
    None: ("#f2f2f2", "#7f7f7f", 0.8, "dotted", "#111111"),
}
_WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins
_PNG_DPI = 200
#: Figure 1 draws at most this many departments (more would not be legible; the table has all).
MAX_NODES = FIGURE_MAX_NODES
#: Figure 2 names at most this many findings per box; the rest are counted ("en 3 meer").
MAX_ITEMS = 15
#: Figure 2: the colour of the finding numbers and of the lines to the opportunities.
_LINK = "#2f5597"
#: Figure 2: hanging indents (in) after a finding's number and an opportunity's bullet.
_HANG_NUMBER, _HANG_BULLET = 0.15, 0.08


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: a caption, its text alternative, its data as a table, and its picture.

    Attributes:
        key: ``roles`` (Figure 1) or ``opportunities`` (Figure 2).
        number: 1 or 2.
        caption: "Figuur 1: …" in the report's language.
        data: the hashable facts it is drawn from (memoisation key).
        alt: what the figure shows, in words, for a reader who cannot see it
            (the HTML's ``aria-label``, the Markdown's alt text, Word's
            ``descr``); issue 19.
        header: the column headers of the table with the same data.
        rows: that table's rows, each cell a tuple of lines; the first cell
            names the row. Uncapped: the table has what the picture leaves out.
            Empty when the report's own table right after the figure has the
            same facts (Figure 1: the roles table).
    """

    key: str
    number: int
    caption: str
    data: tuple[Any, ...]
    alt: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def picture(self, kind: Kind) -> bytes:
        """The figure as PNG bytes or SVG text (UTF-8 bytes), the same bytes for the same data."""
        return _picture(_CACHE.get(), self.key, self.data, kind)


def figures(report: Report) -> list[Figure]:
    """The report's figures, in order; a figure with nothing to show is left out.

    Args:
        report: the report model (:class:`selfeval.report.model.Report`);
            reads ``roles``, ``matrix``, the findings lists and ``L``.

    Returns:
        Figure 1 when the roles table has rows (at most :data:`MAX_NODES`),
        Figure 2 when there is at least one opportunity (each box names at
        most :data:`MAX_ITEMS` findings and counts the rest).
    """
    L = report.L
    found: list[Figure] = []
    more = L.get("figure_more", "and {n} more")

    def capped(items: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
        if len(items) <= MAX_ITEMS:
            return tuple(items)
        rest = len(items) - (MAX_ITEMS - 1)
        return (*items[: MAX_ITEMS - 1], ("…", more.format(n=rest), ""))

    keys = figure_keys(report.roles, report.opportunities)
    if "roles" in keys:
        nodes = tuple((row.name, row.level, row.own) for row in report.roles)
        edges: list[tuple[str, str]] = []
        for row in report.roles:
            edges += [(row.name, other) for other in row.gives]
            edges += [(other, row.name) for other in row.receives]
        legend = (
            L.get("strong", "strong"),
            L.get("medium", "medium"),
            L.get("weak", "weak"),
            L.get("figure_level_unknown", "?"),
            L.get("figure_gives_input", "gives input to"),
        )
        data = (nodes, tuple(dict.fromkeys(edges)), legend)
        found.append(_roles_figure(L, _caption(L, "figure_roles", 1), data))
    if "opportunities" in keys:
        # The findings on the left are numbered; each opportunity names the numbers of
        # those it answers, and a line joins them (the seed's "from … to …").
        panels_raw = [
            (label, views)
            for label, views in (
                (L.get("blind_spots", "Blind spots"), report.blind_spots),
                (L.get("bottlenecks", "Bottlenecks"), report.bottlenecks),
                (
                    L.get("needs", "Needs"),
                    [*report.needs_departmental, *report.needs_interdepartmental],
                ),
            )
            if views
        ]
        refs: dict[str, str] = {}  # finding id → its number on the left
        panels_list: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        for label, views in panels_raw:
            items: list[tuple[str, ...]] = []
            for v in views:
                refs[v.id] = str(len(refs) + 1)
                items.append((v.attribution, v.finding.title, refs[v.id]))
            panels_list.append((label, capped(items)))
        panels = tuple(panels_list)
        visible = {ref for _, items in panels for *_, ref in items if ref}

        def answered(v: FindingView) -> str:
            numbers = [refs[a.id] for a in v.answers if refs.get(a.id) in visible]
            return ",".join(numbers)

        matrix = tuple(
            (nature, direction, tuple(capped([(v.attribution, v.finding.title, answered(v))
                                              for v in cell])
                                      for cell in cells))
            for nature, direction, cells in report.matrix
        )  # fmt: skip
        heads = (
            L.get("figure_findings", "Findings"),
            L.get("opportunities", "Opportunities"),
            L.get("departmental", "Departmental"),
            L.get("interdepartmental", "Interdepartmental"),
        )
        data = (panels, matrix, heads)
        number = len(found) + 1
        found.append(
            _opportunities_figure(L, number, _caption(L, "figure_opportunities", 2), data, report)
        )
    return found


def _roles_figure(L: dict[str, str], caption: str, data: tuple[Any, ...]) -> Figure:
    """Figure 1 with its text alternative and table: each department, its level, whom it feeds."""
    nodes, edges, _ = data
    level_word = {lv: L.get(lv, lv) for lv in ("strong", "medium", "weak")}
    unknown = L.get("figure_level_unknown", "?")
    gives: dict[str, list[str]] = {}
    for a, b in edges:
        gives.setdefault(a, []).append(b)
    names = [n for n, _, _ in nodes]
    names += [n for pair in edges for n in pair if n not in names]
    level = {n: lv for n, lv, _ in nodes}
    by_level = [
        f"{level_word[lv]}: {', '.join(n for n in names if level.get(n) == lv)}"
        for lv in ("strong", "medium", "weak")
        if any(level.get(n) == lv for n in names)
    ]
    if any(level.get(n) is None for n in names):
        by_level.append(f"{unknown}: {', '.join(n for n in names if level.get(n) is None)}")
    arrows = "; ".join(f"{a} → {', '.join(gives[a])}" for a in names if gives.get(a))
    alt = L.get("figure_alt_roles", "Figure {number}: {levels}; {edges}.").format(
        number=1,
        count=len(names),
        levels="; ".join(by_level),
        edges=arrows or L.get("figure_alt_no_edges", "—"),
    )
    # Its table is the roles table right after it (the same facts and more), not a copy.
    return Figure("roles", 1, caption, data, alt)


def _opportunities_figure(
    L: dict[str, str], number: int, caption: str, data: tuple[Any, ...], report: Report
) -> Figure:
    """Figure 2 with its text alternative and table (every opportunity, none capped)."""
    findings = ", ".join(
        f"{label}: {n}"
        for label, n in (
            (L.get("blind_spots", "Blind spots"), len(report.blind_spots)),
            (L.get("bottlenecks", "Bottlenecks"), len(report.bottlenecks)),
            (
                L.get("needs", "Needs"),
                len(report.needs_departmental) + len(report.needs_interdepartmental),
            ),
        )
        if n
    )
    dep, inter = L.get("departmental", "Departmental"), L.get("interdepartmental", "Inter")
    cells = "; ".join(
        f"{nature}, {direction}: {dep} {len(c[0])}, {inter} {len(c[1])}"
        for nature, direction, c in report.matrix
    )
    alt = L.get("figure_alt_opportunities", "Figure {number}: {findings}; {cells}.").format(
        number=number, findings=findings, cells=cells
    )
    header = (L.get("opportunity_kind", "Kind"), dep, inter)
    answers = L.get("answers", "answers")

    def entry(v: FindingView) -> str:
        # The opportunity, and the findings it answers by title and author (the figure's lines).
        text = f"{v.attribution}: {' '.join(str(v.finding.title).split())}"
        if v.answers:
            named = "; ".join(
                f"{textwrap.shorten(str(a.finding.title), 70, placeholder=' …')} ({a.attribution})"
                for a in v.answers
            )
            text += f" ({answers} {named})"
        return text

    rows = tuple(
        ((f"{nature}, {direction}",), *(tuple(entry(v) for v in cell) for cell in cells))
        for nature, direction, cells in report.matrix
    )
    return Figure("opportunities", number, caption, data, alt, header, rows)


def _caption(L: dict[str, str], key: str, number: int) -> str:
    word = L.get("figure", "Figure")
    return f"{word} {number}: {L.get(key, '')}".rstrip(": ")


#: The layout of a figure cache entry; part of its key.
FIGURE_CACHE_FORMAT = 1
#: A cached picture larger than this is not read (Figure 2's SVG is ~1 MB at most).
_MAX_PICTURE = 32 * 1024 * 1024
#: Where pictures are kept on disk in this context (None: drawn, memoised in-process only).
_CACHE: ContextVar[Path | None] = ContextVar("selfeval_figure_cache", default=None)


@contextlib.contextmanager
def cached_in(folder: Path | None) -> Iterator[None]:
    """Within this block, keep and reuse the pictures in ``folder`` (None: no disk cache).

    ``selfeval aggregate`` passes ``.selfeval/cache/figures/``; the folder
    may not exist yet. Entries are sealed (:mod:`selfeval.report.sealed`):
    one is used only when its keyed hash, under this user's secret, matches
    its key and bytes; otherwise the figure is drawn and the entry rewritten.
    """
    token = _CACHE.set(folder)
    try:
        yield
    finally:
        _CACHE.reset(token)


@functools.lru_cache(maxsize=1)
def _library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return "?"


def figure_key(key: str, data: tuple[Any, ...], kind: Kind) -> str | None:
    """The disk cache key of one picture, or None when its data has no JSON form.

    SHA-256 of the entry format, the figure (``roles``/``opportunities``),
    the picture kind, the figure's data, matplotlib's version and selfeval's
    source (:func:`selfeval.report.cachebase.tool_fingerprint`, which covers
    this module's drawing code).
    """
    from selfeval.report import cachebase

    try:
        facts = json.dumps(
            [
                FIGURE_CACHE_FORMAT,
                key,
                kind,
                data,
                _library_version(),
                cachebase.tool_fingerprint(),
            ],
            ensure_ascii=False,
            allow_nan=False,
        )
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(facts.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=16)
def _picture(folder: Path | None, key: str, data: tuple[Any, ...], kind: Kind) -> bytes:
    """The picture: from the sealed disk cache when it has it, else drawn (and kept there)."""
    if folder is None:
        return _draw(key, data, kind)
    from selfeval.report.sealed import read_sealed, write_sealed

    name = figure_key(key, data, kind)
    if name is None:
        return _draw(key, data, kind)
    path = folder / name[:2] / f"{name}.{kind}"
    kept = read_sealed(path, "figure", name, limit=_MAX_PICTURE)
    if kept is not None:
        return kept
    drawn = _draw(key, data, kind)
    write_sealed(path, "figure", name, drawn)
    return drawn


@functools.lru_cache(maxsize=16)
def _draw(key: str, data: tuple[Any, ...], kind: Kind) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(_WIDTH_IN, 4.0))
    FigureCanvasAgg(fig)
    if key == "roles":
        _draw_roles(fig, *data)
    else:
        _draw_opportunities(fig, *data)
    drawn = _save(fig, kind)
    # A figure's artists refer to each other (figure, canvas, axes, texts): only the
    # cyclic collector frees them, and aggregate pauses it while it writes the report
    # (aggregate.paused_gc). Drawn once per picture and run, then kept on disk.
    fig.clear()
    del fig
    gc.collect()
    return drawn


def _save(fig: Any, kind: Kind) -> bytes:
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context(
        {"svg.hashsalt": "selfeval", "svg.fonttype": "none", "svg.id": "selfeval-figure"}
    ):
        if kind == "png":
            fig.savefig(out, format="png", dpi=_PNG_DPI, metadata={"Software": None})
        else:
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None})
    data = out.getvalue()
    if kind == "svg":
        # Inline in HTML: the <svg> element alone, without the XML prolog, DOCTYPE,
        # RDF metadata and namespace declarations (HTML needs none; no URL is left).
        text = data.decode("utf-8")
        text = text[text.index("<svg") :]
        text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
        text = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", text)
        data = text.encode("utf-8")
    return data


def _canvas(fig: Any, height: float) -> Any:
    fig.set_size_inches(_WIDTH_IN, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, _WIDTH_IN)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return ax


def _draw_roles(
    fig: Any,
    nodes: tuple[tuple[str, str | None, bool], ...],
    edges: tuple[tuple[str, str], ...],
    legend: tuple[str, str, str, str, str],
) -> None:
    import math

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    names = [n for n, _, _ in nodes]
    for a, b in edges:  # a department named in an answer but without a row of its own
        for name in (a, b):
            if name not in names:
                names.append(name)
    level = {n: lv for n, lv, _ in nodes}
    central = [n for n, _, own in nodes if own] or names[:1]
    outer = [n for n in names if n not in central]
    height = 4.2
    ax = _canvas(fig, height)
    cx, cy = _WIDTH_IN / 2, 2.25
    pos: dict[str, tuple[float, float]] = {}
    for i, name in enumerate(central):
        offset = (i - (len(central) - 1) / 2) * 1.5
        pos[name] = (cx + offset, cy)
    rx, ry = 2.45, 1.55
    for i, name in enumerate(outer):
        angle = math.pi / 2 - 2 * math.pi * (i + 0.5) / max(len(outer), 1)
        pos[name] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    boxes = {}
    for name in names:
        fill, edge, width, style, ink = _LEVEL_STYLE[level.get(name)]
        x, y = pos[name]
        w, h = max(0.75, 0.085 * len(name) + 0.3), 0.36
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=fill,
            edgecolor=edge,
            linewidth=width,
            linestyle=style,
            zorder=3,
        )
        ax.add_patch(box)
        boxes[name] = box
        ax.text(
            x, y, name, ha="center", va="center", fontsize=9, color=ink, zorder=4,
            fontweight="bold" if level.get(name) == "strong" else "normal", parse_math=False,
        )  # fmt: skip
    pairs = set(edges)
    for a, b in edges:
        bend = 0.15 if (b, a) in pairs else 0.0
        ax.add_patch(
            FancyArrowPatch(
                patchA=boxes[a],
                patchB=boxes[b],
                posA=pos[a],
                posB=pos[b],
                arrowstyle="-|>",
                mutation_scale=11,
                connectionstyle=f"arc3,rad={bend}",
                color="#404040",
                linewidth=0.9,
                shrinkA=2,
                shrinkB=2,
                zorder=2,
            )
        )
    # Legend along the bottom.
    strong, medium, weak, unknown, gives = legend
    x = 0.15
    for lv, label in (("strong", strong), ("medium", medium), ("weak", weak), (None, unknown)):
        if lv is None and all(level.get(n) is not None for n in names):
            continue
        fill, edge, width, style, _ = _LEVEL_STYLE[lv]
        ax.add_patch(
            FancyBboxPatch(
                (x, 0.12), 0.32, 0.16, boxstyle="round,pad=0.01,rounding_size=0.04",
                facecolor=fill, edgecolor=edge, linewidth=width, linestyle=style,
            )
        )  # fmt: skip
        ax.text(x + 0.4, 0.2, label, va="center", fontsize=7.5, parse_math=False)
        x += 0.5 + 0.06 * len(label) + 0.2
    ax.add_patch(
        FancyArrowPatch(
            (x, 0.2), (x + 0.45, 0.2), arrowstyle="-|>", mutation_scale=11,
            color="#404040", linewidth=0.9,
        )
    )  # fmt: skip
    ax.text(x + 0.55, 0.2, gives, va="center", fontsize=7.5, parse_math=False)


def _item_lines(who: str, title: str, width: int, refs: str = "") -> list[str]:
    """One finding as wrapped lines (its bullet or number is drawn apart, as a hanging indent)."""
    if who == "…":  # the count of the findings left out (MAX_ITEMS)
        return [f"… {title}"]
    text = textwrap.shorten(f"{who}: {' '.join(str(title).split())}", 160, placeholder=" …")
    if refs:  # a no-break space keeps the arrow with its first number
        text += f" (←\u00a0{refs.replace(',', ', ')})"
    return textwrap.wrap(text, width) or [""]


def _draw_opportunities(
    fig: Any,
    panels: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...],
    matrix: tuple[tuple[str, str, tuple[tuple[tuple[str, str, str], ...], ...]], ...],
    heads: tuple[str, str, str, str],
) -> None:
    """Figure 2: numbered findings left, the matrix right, and their links.

    A line runs from each finding to each opportunity that answers it, ending at the
    matrix's edge level with the opportunity, which names the finding's number ("(← 3, 12)").
    """
    from matplotlib.patches import FancyArrowPatch, Rectangle

    findings_head, opportunities_head, dep_head, inter_head = heads
    size, line = 6.3, 0.105  # font size (pt) and line height (in)
    linked = any(refs for _, _, cells in matrix for cell in cells for *_, refs in cell)
    left_w, label_w = 1.75, 0.95
    gap = 0.55 if linked else 0.3
    cell_w = (_WIDTH_IN - left_w - gap - label_w - 0.1) / 2
    chars_left = int(left_w / 0.053)
    chars_cell = int(cell_w / 0.053)
    chars_label = int(label_w / 0.056)
    # Left: per box its heading lines and, per finding, (number, lines).
    left = [
        (
            textwrap.wrap(label, int(left_w / 0.06)) or [""],
            [(ref, _item_lines(who, title, chars_left - 3)) for who, title, ref in items],
        )
        for label, items in panels
    ]
    rows = [
        (
            textwrap.wrap(nature, chars_label) or [""],
            textwrap.wrap(direction, chars_label) or [""],
            [
                [(refs, _item_lines(who, title, chars_cell - 2, refs)) for who, title, refs in cell]
                for cell in cells
            ],
        )
        for nature, direction, cells in matrix
    ]  # fmt: skip

    def count(entries: list[tuple[str, list[str]]]) -> int:
        return sum(len(lines) for _, lines in entries) or 1  # "—" for an empty cell

    row_h = [
        max(*(count(c) for c in cells), len(n) + len(d) + 0.5) * line + 0.16 for n, d, cells in rows
    ]
    left_h = sum((len(head) + count(entries)) * line + 0.2 for head, entries in left)
    body = max(sum(row_h), left_h)
    head_h = 0.45
    height = body + head_h + 0.1
    ax = _canvas(fig, height)
    top = height - 0.05
    ink = "#111111"
    text = {"fontsize": size, "color": ink, "linespacing": 1.15, "parse_math": False}
    # Headings.
    ax.text(left_w / 2, top - 0.12, findings_head, ha="center", va="center", fontsize=8,
            fontweight="bold", parse_math=False)  # fmt: skip
    gx = left_w + gap
    ax.text(gx + (label_w + 2 * cell_w) / 2, top - 0.12, opportunities_head, ha="center",
            va="center", fontsize=8, fontweight="bold", parse_math=False)  # fmt: skip
    for i, head in enumerate((dep_head, inter_head)):
        ax.text(gx + label_w + (i + 0.5) * cell_w, top - 0.33, head, ha="center",
                va="center", fontsize=7, fontweight="bold", parse_math=False)  # fmt: skip
    # Left: the findings, one box per kind, each finding drawn at its own line.
    starts: dict[str, float] = {}  # finding number → y of the middle of its first line
    y = top - head_h
    for head, entries in left:
        h = (len(head) + count(entries)) * line + 0.1
        ax.add_patch(Rectangle((0.02, y - h), left_w - 0.04, h, facecolor="#f2f2f2",
                               edgecolor="#7f7f7f", linewidth=0.8))  # fmt: skip
        ax.text(0.08, y - 0.04, "\n".join(head), va="top", fontweight="bold", **text)
        at = y - 0.04 - len(head) * line
        for ref, lines in entries:
            if ref:
                ax.text(0.08, at, ref, va="top", fontweight="bold", **{**text, "color": _LINK})
                starts[ref] = at - line / 2
            ax.text(0.08 + _HANG_NUMBER, at, "\n".join(lines), va="top", **text)
            at -= len(lines) * line
        y -= h + 0.1
    # Right: the matrix, each opportunity drawn at its own line.
    ends: list[tuple[str, float]] = []  # (numbers it answers, y of its first line)
    y = top - head_h
    fills = ("#deebf7", "#fbe5d6")  # content, process
    natures = list(dict.fromkeys(tuple(n) for n, _, _ in rows))
    for (nature, direction, cells), h in zip(rows, row_h, strict=True):
        fill = fills[natures.index(tuple(nature)) % 2]
        ax.add_patch(Rectangle((gx, y - h), label_w, h, facecolor=fill, edgecolor="#7f7f7f",
                               linewidth=0.8))  # fmt: skip
        ax.text(gx + 0.05, y - 0.06, "\n".join(nature), va="top", fontweight="bold", **text)
        ax.text(gx + 0.05, y - 0.06 - (len(nature) + 0.4) * line, "\n".join(direction),
                va="top", style="italic", **text)  # fmt: skip
        for i, entries in enumerate(cells):
            x = gx + label_w + i * cell_w
            ax.add_patch(Rectangle((x, y - h), cell_w, h, facecolor="white",
                                   edgecolor="#7f7f7f", linewidth=0.8))  # fmt: skip
            at = y - 0.06
            if not entries:
                ax.text(x + 0.05, at, "—", va="top", **text)
            for refs, lines in entries:
                ax.text(x + 0.05, at, "•", va="top", **text)
                ax.text(x + 0.05 + _HANG_BULLET, at, "\n".join(lines), va="top", **text)
                if refs:
                    ends.append((refs, at - line / 2))
                at -= len(lines) * line
        y -= h
    # From the findings to the opportunities: one line per link, or one arrow when none.
    if not linked:
        mid = top - head_h - body / 2
        ax.add_patch(
            FancyArrowPatch((left_w + 0.02, mid), (gx - 0.02, mid), arrowstyle="simple",
                            mutation_scale=16, color="#7f7f7f")
        )  # fmt: skip
    for refs, y_end in ends:
        for ref in refs.split(","):
            if ref in starts:
                ax.add_patch(
                    FancyArrowPatch((left_w - 0.02, starts[ref]), (gx, y_end),
                                    arrowstyle="-|>", mutation_scale=6, shrinkA=0, shrinkB=0,
                                    color=_LINK, alpha=0.6, linewidth=0.6, zorder=3)
                )  # fmt: skip
