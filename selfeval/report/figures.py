"""Figures 1 and 2 of the report, drawn from the report model.

Figure 1 (the seed report's "interdepartementale samenwerking"): every
participant in the roles table as a box, its involvement (strong / medium /
weak) shown by the box's fill and border, and an arrow for each "gives input
to" relation; the boxes stand around an open rectangle the arrows cross
(:func:`roles_layout`), so none hides another or an arrow. Figure 2 ("van
blinde vlekken, knelpunten en behoeften naar kansen en mogelijkheden"): the
findings on the left, the opportunities on the right in the three axes
(content/process × intensify/develop × departmental/interdepartmental), each
with the department(s) that raised it.

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
import math
import re
import textwrap
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from selfeval.report.chapters import FIGURE_MAX_NODES, figure_keys

if TYPE_CHECKING:
    from selfeval.report.model import Report
    from selfeval.report.views import FindingView

__all__ = [
    "FIGURE_CACHE_FORMAT",
    "DrawnAside",
    "Figure",
    "RolesArrow",
    "RolesLayout",
    "cached_in",
    "figure_key",
    "figures",
    "roles_layout",
]

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

    def kept(self, kind: Kind) -> bool:
        """Whether :meth:`picture` would come from the figures' disk cache, not be drawn.

        False outside :func:`cached_in`, and for an entry that is missing,
        damaged or forged (it would be drawn again).
        """
        folder = _CACHE.get()
        if folder is None:
            return False
        from selfeval.report.sealed import read_sealed

        name = figure_key(self.key, self.data, kind)
        if name is None:
            return False
        path = folder / name[:2] / f"{name}.{kind}"
        return read_sealed(path, "figure", name, limit=_MAX_PICTURE) is not None


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


#: Pictures a helper process drew for this one (:class:`DrawnAside`), by key, data and kind;
#: each is taken out by :func:`_draw` the first time it is asked for.
_DRAWN_ASIDE: dict[tuple[str, tuple[Any, ...], Kind], bytes] = {}


def _draw_each(wanted: list[tuple[str, tuple[Any, ...], Kind]]) -> list[bytes]:
    """Draw every picture of ``wanted`` (in a helper process: :class:`DrawnAside`)."""
    return [_draw(key, data, kind) for key, data, kind in wanted]


class DrawnAside:
    """The figures drawn in a helper process while this one renders (``aggregate --jobs 2``).

    Drawing (importing matplotlib and drawing Figure 2: ~3 s of CPU at 1,000
    responses) needs only each figure's own data, and the render does not
    need the pictures (the Markdown has stand-ins for their names,
    :class:`selfeval.report.render.FiguresToDraw`), so with a second core
    the two can overlap. :meth:`start` hands the figures not kept on disk to
    a spawned helper (:class:`selfeval.report.parallel.Aside`: the same
    :func:`_draw`, so the same bytes); :meth:`take` waits for it, after the
    render, and :meth:`Figure.picture` then uses what it drew instead of
    drawing. A helper that fails gives nothing, and the figure is drawn here
    as without one. The pictures come from our own child process through a
    pipe of our own: they are trusted as if drawn here, and are kept on
    disk (sealed) like any picture drawn here.
    """

    def __init__(self, aside: Any, wanted: list[tuple[str, tuple[Any, ...], Kind]]) -> None:
        self._aside = aside
        self._wanted = wanted

    @classmethod
    def start(cls, found: tuple[Figure, ...], kind: Kind) -> DrawnAside | None:
        """Start drawing the figures of ``found`` that would be drawn; None when none would be.

        None too when no helper process can be started (they are drawn here then).
        """
        from selfeval.report.parallel import Aside

        wanted = [(f.key, f.data, kind) for f in found if not f.kept(kind)]
        if not wanted:
            return None
        aside = Aside.start(_draw_each, wanted)
        return cls(aside, wanted) if aside is not None else None

    def take(self) -> bool:
        """Wait for the helper; True when it drew every picture (none is drawn here then)."""
        drawn = self._aside.result()
        if not (
            isinstance(drawn, list)
            and len(drawn) == len(self._wanted)
            and all(type(picture) is bytes for picture in drawn)
        ):
            return False
        for item, picture in zip(self._wanted, drawn, strict=True):
            _DRAWN_ASIDE[item] = picture
        return True

    def stop(self) -> None:
        """Stop the helper (a render that failed) and forget what it drew and was not used."""
        self._aside.stop()
        for item in self._wanted:
            _DRAWN_ASIDE.pop(item, None)


@functools.lru_cache(maxsize=16)
def _draw(key: str, data: tuple[Any, ...], kind: Kind) -> bytes:
    aside = _DRAWN_ASIDE.pop((key, data, kind), None)
    if aside is not None:
        return aside  # drawn by the helper process of DrawnAside, with this function
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


#: Figure 1: font size (pt) and line height (in) of the department names.
_ROLE_FONT = 8.0
_ROLE_LINE = _ROLE_FONT * 1.2 / 72
#: Figure 1: a name's box padding (in), widest text per box (in) on a row and in a
#: column, and the most lines a name is wrapped over (the roles table has it whole).
_ROLE_PAD_X, _ROLE_PAD_Y = 0.08, 0.06
_ROW_TEXT, _COLUMN_TEXT, _ROLE_LINES = 1.3, 1.1, 3
#: Figure 1: the gap (in) between a box and the arena its arrows run in (wider than
#: half an arrowhead, so no head touches a box), between boxes, the margin, the
#: legend's strip, the smallest arena height and the spacing of the arrows' ends.
_ROLE_GAP, _ROW_GAP, _COLUMN_GAP, _ROLE_MARGIN, _LEGEND_H = 0.05, 0.15, 0.12, 0.08, 0.4
_ARENA_H, _PORT = 1.7, 0.07
_LEGEND_FONT = 7.5

Rect = tuple[float, float, float, float]
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class RolesArrow:
    """One "gives input to" arrow of Figure 1, in inches from the figure's bottom left.

    ``control`` is None for a straight arrow, else the control point of a
    quadratic Bézier curve from ``start`` to ``end`` (matplotlib's ``CURVE3``).
    """

    source: str
    target: str
    start: Point
    end: Point
    control: Point | None = None


@dataclass(frozen=True, slots=True)
class RolesLayout:
    """Where Figure 1 draws each box and arrow (:func:`roles_layout`), in inches.

    Attributes:
        width, height: the figure's size.
        arena: ``(x0, y0, x1, y1)``, the rectangle every arrow runs in; the boxes
            stand outside it, along its four sides, each at ``_ROLE_GAP`` from it.
        boxes: per department its box ``(x0, y0, x1, y1)``.
        lines: per department its name, wrapped to fit its box.
        arrows: one per relation, in the order of the edges given.
    """

    width: float
    height: float
    arena: Rect
    boxes: dict[str, Rect]
    lines: dict[str, tuple[str, ...]]
    arrows: tuple[RolesArrow, ...]


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, bold: bool, size: float = _ROLE_FONT) -> float:
    """The width (in) of one line of text as the PNG renderer draws it."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, _, _ = _renderer().get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / _PNG_DPI * 1.04  # a little room for the SVG's browser fonts


@functools.lru_cache(maxsize=1)
def _renderer() -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, _PNG_DPI)


def _wrap_name(
    name: str, width: float, measure: Callable[[str], float], most: int = _ROLE_LINES
) -> tuple[str, ...]:
    """``name`` over at most ``most`` lines, each at most ``width`` wide.

    A word too long for a line is broken; what does not fit ends in "…".
    """
    lines: list[str] = []
    for word in name.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and measure(joined) <= width:
            lines[-1] = joined
            continue
        while measure(word) > width and len(word) > 1:  # broken with a hyphen
            cut = len(word) - 1
            while cut > 1 and measure(f"{word[:cut]}-") > width:
                cut -= 1
            lines.append(f"{word[:cut]}-")
            word = word[cut:]
        lines.append(word)
    if len(lines) > most:
        last = lines[most - 1]
        while last and measure(f"{last}…") > width:
            last = last[:-1]
        lines = [*lines[: most - 1], f"{last.rstrip()}…"]
    return tuple(lines) or ("",)


def _side_counts(n: int) -> tuple[int, int, int, int]:
    """How many boxes go along the arena's top, right, bottom and left side."""
    if n <= 3:
        top = (n + 1) // 2
        return top, 0, n - top, 0
    top = min(3, -(-n // 4))
    bottom = min(3, -(-(n - top) // 3))
    right = -(-(n - top - bottom) // 2)
    return top, right, bottom, n - top - bottom - right


def roles_layout(
    names: list[str],
    strong: set[str],
    edges: list[tuple[str, str]],
    measure: Callable[[str, bool], float] | None = None,
    legend_h: float = _LEGEND_H,
) -> RolesLayout:
    """Figure 1's geometry: boxes around an arena, arrows through it.

    The boxes go clockwise around a rectangle (the arena) in the order given:
    along its top from the left, down its right side, along its bottom from
    the right, up its left side; each box stands outside the arena, its
    inner side parallel to the arena's. Every arrow runs from a point on the
    arena's edge in front of its source box to one in front of its target box,
    each end its own point (two arrows between the same pair are two lines).
    A straight line between two sides of a rectangle runs inside it; between
    two points on one side the arrow is a curve whose control point is inside
    it — so no arrow passes behind a box, and boxes never overlap (rows are
    spread over slots wider than their boxes, columns stacked inside the
    arena's height).

    Args:
        names: the departments, each once, in the order to place them.
        strong: those drawn in bold (measured so).
        edges: ``(source, target)`` pairs of names in ``names``; a pair once.
        measure: the width (in) of a line of text, bold or not; by default as
            matplotlib's Agg renderer draws it at :data:`_ROLE_FONT` points.
        legend_h: the height (in) kept free below for the legend.

    Returns:
        The :class:`RolesLayout`.

    Raises:
        KeyError: an edge names a department not in ``names``.
    """
    width_of = measure or _text_width
    n = len(names)
    top, right, bottom, _ = _side_counts(n)
    sides = {
        "top": names[:top],
        "right": names[top : top + right],
        "bottom": names[top + right : top + right + bottom],
        "left": names[top + right + bottom :],
    }
    side_of = {name: side for side, group in sides.items() for name in group}
    index = {name: i for i, name in enumerate(names)}
    ends: dict[str, list[tuple[int, int, int]]] = {name: [] for name in names}
    for e, (a, b) in enumerate(edges):
        # At each box its arrows' ends in clockwise order: the farthest (clockwise)
        # other box first, and of a pair both ways the outgoing end first — so two
        # arrows from one box never cross there, and a pair both ways stays apart.
        ends[a].append(((index[a] - index[b]) % n, 0, e))
        ends[b].append(((index[b] - index[a]) % n, 1, e))
    for found in ends.values():
        found.sort()

    def wrapped(name: str, width: float) -> tuple[tuple[str, ...], float, float]:
        bold = name in strong
        lines = _wrap_name(name, width, lambda text: width_of(text, bold))
        text_w = max(width_of(line, bold) for line in lines)
        return lines, text_w + 2 * _ROLE_PAD_X, len(lines) * _ROLE_LINE + 2 * _ROLE_PAD_Y

    lines: dict[str, tuple[str, ...]] = {}
    size: dict[str, tuple[float, float]] = {}
    for name in sides["left"] + sides["right"]:
        lines[name], w, h = wrapped(name, _COLUMN_TEXT)
        size[name] = (max(w, 0.5), max(h, (len(ends[name]) + 1) * _PORT))
    column_w = {
        side: max((size[name][0] for name in sides[side]), default=0.0)
        for side in ("left", "right")
    }
    x0 = _ROLE_MARGIN + (column_w["left"] + _ROLE_GAP if sides["left"] else 0.0)
    x1 = _WIDTH_IN - _ROLE_MARGIN - (column_w["right"] + _ROLE_GAP if sides["right"] else 0.0)
    # A row may reach over the columns' corners (they stand lower, beside the arena)
    # as long as each box keeps a stretch in front of the arena for its arrows.
    reach: dict[str, float] = {}
    slot: dict[str, float] = {}
    for side in ("top", "bottom"):
        count = max(len(sides[side]), 1)
        reach[side] = max(
            0.0,
            min(
                column_w["left"],
                column_w["right"],
                ((x1 - x0) / 2 - 0.15 * count) / (count - 1) if count > 1 else x1 - x0,
            ),
        )
        slot[side] = (x1 - x0 + 2 * reach[side]) / count
    for side in ("top", "bottom"):
        room = slot[side] - _ROW_GAP
        for name in sides[side]:
            lines[name], w, h = wrapped(name, min(_ROW_TEXT, room - 2 * _ROLE_PAD_X))
            size[name] = (min(max(w, 0.5, (len(ends[name]) + 1) * _PORT), room), h)
    stack = {
        side: sum(size[name][1] for name in sides[side]) + (len(sides[side]) + 1) * _COLUMN_GAP
        for side in ("left", "right")
    }
    arena_h = max(_ARENA_H if edges else 0.3, stack["left"], stack["right"])
    row_h = {side: max((size[name][1] for name in sides[side]), default=0.0) for side in sides}
    y0 = legend_h + (row_h["bottom"] + _ROLE_GAP if sides["bottom"] else 0.0)
    y1 = y0 + arena_h
    height = y1 + (_ROLE_GAP + row_h["top"] if sides["top"] else 0.0) + _ROLE_MARGIN

    boxes: dict[str, Rect] = {}
    for i, name in enumerate(sides["top"]):
        w, h = size[name]
        cx = x0 - reach["top"] + (i + 0.5) * slot["top"]
        boxes[name] = (cx - w / 2, y1 + _ROLE_GAP, cx + w / 2, y1 + _ROLE_GAP + h)
    for i, name in enumerate(sides["bottom"]):  # from the right
        w, h = size[name]
        cx = x1 + reach["bottom"] - (i + 0.5) * slot["bottom"]
        boxes[name] = (cx - w / 2, y0 - _ROLE_GAP - h, cx + w / 2, y0 - _ROLE_GAP)
    for side, edge_x in (("right", x1 + _ROLE_GAP), ("left", x0 - _ROLE_GAP)):
        group = sides[side] if side == "left" else sides[side][::-1]  # both from below
        space = (arena_h - sum(size[name][1] for name in group)) / (len(group) + 1)
        y = y0
        for name in group:
            w, h = size[name]
            y += space
            bx = (edge_x, edge_x + w) if side == "right" else (edge_x - w, edge_x)
            boxes[name] = (bx[0], y, bx[1], y + h)
            y += h

    def ports(name: str) -> dict[tuple[int, int], Point]:
        """The box's arrow ends on the arena's edge in front of it, clockwise."""
        bx0, by0, bx1, by1 = boxes[name]
        side = side_of[name]
        if side in ("top", "bottom"):
            lo, hi = max(bx0, x0), min(bx1, x1)
        else:
            lo, hi = max(by0, y0), min(by1, y1)
        inset = min(0.06, (hi - lo) / 4)
        lo, hi = lo + inset, hi - inset
        if side in ("right", "bottom"):  # clockwise runs down the right, leftwards below
            lo, hi = hi, lo
        found = ends[name]
        at = [lo + (hi - lo) * (i + 0.5) / len(found) for i in range(len(found))]
        fixed = {"top": y1, "bottom": y0, "right": x1, "left": x0}[side]
        return {
            (e, out): ((p, fixed) if side in ("top", "bottom") else (fixed, p))
            for (_, out, e), p in zip(found, at, strict=True)
        }

    points: dict[tuple[int, int], Point] = {}
    for name in names:
        points.update(ports(name))
    inward = {"top": (0.0, -1.0), "bottom": (0.0, 1.0), "right": (-1.0, 0.0), "left": (1.0, 0.0)}
    pair = {edge: (points[(e, 0)], points[(e, 1)]) for e, edge in enumerate(edges)}
    arrows: list[RolesArrow] = []
    for e, (a, b) in enumerate(edges):
        start, end = points[(e, 0)], points[(e, 1)]
        control = None
        if side_of[a] == side_of[b]:  # along one side: bend into the arena
            nx, ny = inward[side_of[a]]
            across = (y1 - y0) if nx == 0 else (x1 - x0)
            length = math.dist(start, end)
            depth = min(max(0.35 * length, 0.15), 0.45 * across)
            back = pair.get((b, a))
            if back is not None and math.dist(*back) > length:  # the inner of a pair both ways
                depth *= 0.6
            control = ((start[0] + end[0]) / 2 + nx * depth, (start[1] + end[1]) / 2 + ny * depth)
        arrows.append(RolesArrow(a, b, start, end, control))
    return RolesLayout(_WIDTH_IN, height, (x0, y0, x1, y1), boxes, lines, tuple(arrows))


def _roles_order(
    nodes: tuple[tuple[str, str | None, bool], ...], edges: tuple[tuple[str, str], ...]
) -> list[str]:
    """Figure 1's departments in the order placed: the self-evaluating ones first."""
    names = list(dict.fromkeys(n for n, _, _ in nodes))
    for a, b in edges:  # a department named in an answer but without a row of its own
        for name in (a, b):
            if name not in names:
                names.append(name)
    own = {n for n, _, is_own in nodes if is_own}
    return [n for n in names if n in own] + [n for n in names if n not in own]


def _draw_roles(
    fig: Any,
    nodes: tuple[tuple[str, str | None, bool], ...],
    edges: tuple[tuple[str, str], ...],
    legend: tuple[str, str, str, str, str],
) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path as MplPath

    names = _roles_order(nodes, edges)
    level = {n: lv for n, lv, _ in nodes}
    strong = {n for n in names if level.get(n) == "strong"}
    legend_at, legend_h = _legend(legend, any(level.get(n) is None for n in names))
    layout = roles_layout(names, strong, list(dict.fromkeys(edges)), legend_h=legend_h)
    ax = _canvas(fig, layout.height)
    corner = 0.04
    for name in names:
        fill, edge, width, style, ink = _LEVEL_STYLE[level.get(name)]
        x0, y0, x1, y1 = layout.boxes[name]
        ax.add_patch(
            FancyBboxPatch(
                (x0 + corner, y0 + corner),
                x1 - x0 - 2 * corner,
                y1 - y0 - 2 * corner,
                boxstyle=f"round,pad={corner},rounding_size=0.08",
                facecolor=fill,
                edgecolor=edge,
                linewidth=width,
                linestyle=style,
                zorder=3,
            )
        )
        ax.text(
            (x0 + x1) / 2, (y0 + y1) / 2, "\n".join(layout.lines[name]), ha="center",
            va="center", multialignment="center", fontsize=_ROLE_FONT, linespacing=1.2,
            color=ink, zorder=4, fontweight="bold" if name in strong else "normal",
            parse_math=False,
        )  # fmt: skip
    for arrow in layout.arrows:
        if arrow.control is None:
            path = MplPath([arrow.start, arrow.end], [MplPath.MOVETO, MplPath.LINETO])
        else:
            path = MplPath(
                [arrow.start, arrow.control, arrow.end],
                [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3],
            )
        ax.add_patch(
            FancyArrowPatch(
                path=path, arrowstyle="-|>", mutation_scale=10, color="#404040",
                linewidth=0.9, zorder=2,
            )
        )  # fmt: skip
    # Legend along the bottom.
    for kind, label, x, y in legend_at:
        if kind == "gives":
            ax.add_patch(
                FancyArrowPatch(
                    (x, y), (x + 0.45, y), arrowstyle="-|>", mutation_scale=11,
                    color="#404040", linewidth=0.9,
                )
            )  # fmt: skip
            ax.text(x + 0.55, y, label, va="center", fontsize=_LEGEND_FONT, parse_math=False)
            continue
        fill, edge, width, style, _ = _LEVEL_STYLE[kind or None]
        ax.add_patch(
            FancyBboxPatch(
                (x, y - 0.08), 0.32, 0.16, boxstyle="round,pad=0.01,rounding_size=0.04",
                facecolor=fill, edgecolor=edge, linewidth=width, linestyle=style,
            )
        )  # fmt: skip
        ax.text(x + 0.4, y, label, va="center", fontsize=_LEGEND_FONT, parse_math=False)


def _legend(
    legend: tuple[str, str, str, str, str], unknown_shown: bool
) -> tuple[list[tuple[str, str, float, float]], float]:
    """Figure 1's legend entries ``(level or "gives", label, x, y)`` and the strip's height.

    The entries follow each other along the bottom, on a next line when the
    next would not fit the figure's width.
    """
    strong, medium, weak, unknown, gives = legend
    entries = [("strong", strong), ("medium", medium), ("weak", weak)]
    if unknown_shown:
        entries.append(("", unknown))
    entries.append(("gives", gives))
    placed: list[tuple[str, str, float, int]] = []
    x, row = 0.15, 0
    for kind, label in entries:
        width = (0.55 if kind == "gives" else 0.4) + _text_width(label, False, _LEGEND_FONT)
        if x > 0.15 and x + width > _WIDTH_IN - 0.1:
            x, row = 0.15, row + 1
        placed.append((kind, label, x, row))
        x += width + 0.25
    height = 0.15 + (row + 1) * 0.25
    return [(k, label, x, height - 0.2 - r * 0.25) for k, label, x, r in placed], height


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
