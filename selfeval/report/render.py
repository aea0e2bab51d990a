"""Rendering the report model to Markdown or one self-contained HTML page.

Templates are Jinja2 files shipped in ``selfeval/report/templates/``
(``integrated-report.md.j2``, ``_finding.md.j2``, ``integrated-report.html.j2``,
``labels.yaml``); a workspace overrides any of them by putting a file with the
same name in its ``templates/`` folder (``DESIGN.md`` §7). HTML is the
Markdown rendered by markdown-it-py (raw HTML in answers is escaped, not
passed through) inside a page with inline CSS: no network, printable.
Output is deterministic: no timestamps, and every order comes from the model.

Figures 1 and 2 (:mod:`selfeval.report.figures`): the HTML page carries them
inline as SVG; the Markdown links PNG files written beside it
(``figure-1-<hash>.png``). Templates see them as ``figures``
(key → ``caption``, ``src``); a template that does not use it shows none.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from selfeval.errors import InputError, Location
from selfeval.report.model import Report

if TYPE_CHECKING:
    from selfeval.report.figures import Figure

__all__ = ["TEMPLATE_DIR", "markdown_to_html", "render", "write_report"]

#: The package's own templates.
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MD_TEMPLATE = "integrated-report.md.j2"
HTML_TEMPLATE = "integrated-report.html.j2"
#: Where the HTML's figures go: the Markdown says ``![caption](selfeval-figure:roles)``.
_FIGURE_SRC = "selfeval-figure:"
_FIGURE_IMG = re.compile(r'<p><img src="selfeval-figure:(\w+)"[^>]*>.*?</p>', re.S)


def _inline(text: object) -> str:
    return " ".join(str(text or "").split())


def _block(text: object) -> str:
    lines = [line.rstrip() for line in str(text or "").strip().splitlines()]
    return "\n".join(lines)


def _cell(text: object) -> str:
    return _inline(text).replace("|", "\\|")


def _points(text: object) -> str:
    """One point per line (the questionnaire asks roles that way) as a Markdown list."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    if len(lines) <= 1:
        return "".join(lines)
    return "\n".join(f"- {line}" for line in lines)


def _noterefs(numbers: Sequence[int]) -> str:
    return "".join(f" [{n}]" for n in numbers)


def _environment(template_dirs: Sequence[Path], *, html: bool = False):  # type: ignore[no-untyped-def]
    import jinja2

    search = [str(d) for d in template_dirs if d.is_dir()] + [str(TEMPLATE_DIR)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=html,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(inline=_inline, block=_block, cell=_cell, noterefs=_noterefs, points=_points)
    return env


def markdown_to_html(text: str) -> str:
    """Render Markdown (CommonMark plus tables) to an HTML fragment, raw HTML escaped."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md.render(text)


def _figures(report: Report, fmt: str, files: bool) -> dict[str, dict[str, str]]:
    """What the templates get as ``figures``: key → caption and picture address."""
    from selfeval.report.figures import figures

    if fmt == "md" and not files:
        return {}
    return {
        f.key: {
            "caption": f.caption,
            "src": f"{_FIGURE_SRC}{f.key}" if fmt == "html" else _figure_name(f),
        }
        for f in figures(report)
    }


def _figure_name(figure: Figure) -> str:
    """``figure-1-<hash>.png``: a figure's file name, from its content.

    A draft and a final report in one folder each keep the picture they were
    written with, and the same data gives the same name whatever the report
    is called.
    """
    import hashlib

    digest = hashlib.sha256(figure.picture("png")).hexdigest()[:10]
    return f"figure-{figure.number}-{digest}.png"


def _files_beside(report: Report, path: Path) -> list[tuple[Path, bytes]]:
    """The PNG files that go beside a Markdown report at ``path``, with their bytes.

    Named ``figure-<n>-<content hash>.png``, as the Markdown links them.
    """
    from selfeval.report.figures import figures

    return [(path.with_name(_figure_name(f)), f.picture("png")) for f in figures(report)]


def _inline_figures(body: str, report: Report) -> str:
    """Replace each figure's image paragraph by the figure itself: inline SVG and caption."""
    from markupsafe import escape

    from selfeval.report.figures import figures

    found = {f.key: f for f in figures(report)}

    def figure(match: re.Match[str]) -> str:
        f = found.get(match.group(1))
        if f is None:
            return match.group(0)
        svg = f.picture("svg").decode("utf-8")
        return (
            f'<figure class="figure" id="figure-{f.number}">\n{svg}\n'
            f"<figcaption>{escape(f.caption)}</figcaption>\n</figure>"
        )

    return _FIGURE_IMG.sub(figure, body)


_HEADING = re.compile(r"<h([23])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _with_contents(body: str, title: str) -> str:
    """Give chapters and sections an id and put a table of contents before the first chapter."""
    entries: list[tuple[int, str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        ident = f"s{len(entries) + 1}"
        entries.append((level, ident, _TAG.sub("", inner)))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    body = _HEADING.sub(anchor, body)
    if not entries:
        return body
    items: list[str] = []
    open_sub = False
    for level, ident, text in entries:
        link = f'<a href="#{ident}">{text}</a>'
        if level == 2:
            if open_sub:
                items.append("</ul></li>")
                open_sub = False
            elif items:
                items.append("</li>")
            items.append(f"<li>{link}")
        else:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f"<li>{link}</li>")
    items.append("</ul></li>" if open_sub else "</li>")
    nav = f'<nav class="toc">\n<h2>{title}</h2>\n<ul>{"".join(items)}</ul>\n</nav>\n'
    first = body.find('<h2 id="s1">')
    return body[:first] + nav + body[first:]


def _status_line(report: Report) -> str:
    status = report.status
    if report.is_draft:
        status += f" — {report.L.get('draft_status', 'draft')}"
    return status


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " -—.,:;()'" else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def render(
    report: Report,
    *,
    fmt: Literal["md", "html"] = "md",
    template_dirs: Sequence[Path] = (),
    figure_files: bool = False,
) -> str:
    """Render the report.

    Args:
        report: from :func:`selfeval.report.model.build_report`.
        fmt: ``md`` for Markdown, ``html`` for one self-contained HTML page.
        template_dirs: folders searched before the package's templates
            (a workspace's ``templates/``).
        figure_files: Markdown only: link the figures as PNG files beside
            it (``figure-<n>-<hash>.png``, written by :func:`write_report`);
            False: no figures. HTML always has them, inline.

    Returns:
        The document text, ending with one newline.

    Raises:
        InputError: an override template has a syntax error or uses an
            unknown name (with the template file and line).
    """
    import jinja2

    figures = _figures(report, fmt, figure_files)
    with _template_errors():
        template = _environment(template_dirs).get_template(MD_TEMPLATE)
        text = _tidy(template.render(r=report, figures=figures))
        if fmt == "html":
            body = markdown_to_html(text)
            if figures:
                body = _inline_figures(body, report)
            body = _with_contents(body, report.L.get("contents", "Contents"))
            page = _environment(template_dirs, html=True).get_template(HTML_TEMPLATE)
            text = page.render(
                r=report,
                body=jinja2.utils.markupsafe.Markup(body),
                css_status=jinja2.utils.markupsafe.Markup(_css_string(_status_line(report))),
            )
    return text.rstrip("\n") + "\n"


@contextlib.contextmanager
def _template_errors() -> Iterator[None]:
    import jinja2

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            f"report template error: {exc.message}",
            location=Location(exc.filename or exc.name or "?", exc.lineno),
            hint="fix the template in the workspace's templates/ folder, or remove it",
        ) from None
    except jinja2.UndefinedError as exc:
        raise InputError(
            f"report template error: {exc.message}",
            hint="a template in the workspace's templates/ folder uses a name the report "
            "does not have; see docs/report.md",
        ) from None


def _tidy(text: str) -> str:
    """Collapse runs of blank lines that template control blocks leave behind."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines)


#: What ``str.splitlines`` ends a line at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _tidy_stream(chunks: Iterable[str], out: IO[str], *, flush_at: int = 65536) -> None:
    """Write ``_tidy("".join(chunks)).rstrip("\\n") + "\\n"`` to ``out`` without joining.

    The same lines as :func:`_tidy` (``str.splitlines``, each right-stripped,
    runs of blank lines collapsed to one, blank lines at the end dropped),
    from a stream of text pieces, holding about ``flush_at`` characters at a time.
    """
    pending: list[str] = []
    size = 0
    last_blank: bool | None = None  # the last line kept was blank (None: no line yet)
    blank_held = False  # a kept blank line not yet written (dropped if nothing follows)
    wrote = False

    def emit(lines: list[str]) -> None:
        nonlocal last_blank, blank_held, wrote
        kept: list[str] = []
        for raw in lines:
            line = raw.rstrip()
            if not line:
                if last_blank:
                    continue
                last_blank = True
                blank_held = True
                continue
            if blank_held:
                kept.append("")
                blank_held = False
            kept.append(line)
            last_blank = False
        if kept:
            out.write("\n".join(kept))
            out.write("\n")
            wrote = True

    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        # Split only when a line ends in this piece: a very long line (a list of
        # thousands of names) is then split once, not again for each of its pieces.
        if size < flush_at or not _LINE_BREAK.search(chunk):
            continue
        parts = "".join(pending).splitlines(keepends=True)
        # The last piece may be an unfinished line (or a "\r" before its "\n"): keep it.
        pending = parts[-1:]
        size = 0
        emit(parts[:-1])
    emit("".join(pending).splitlines())
    if not wrote:
        out.write("\n")


def write_report(
    report: Report,
    path: Path,
    *,
    fmt: Literal["md", "html"] = "md",
    template_dirs: Sequence[Path] = (),
    fsync: bool = True,
) -> list[Path]:
    """Render the report straight into ``path``, atomically; Markdown's figures beside it.

    Markdown is streamed from Jinja2 (``Template.generate``) through the
    blank-line tidying into the file, so the whole text is never held at
    once; HTML needs the whole Markdown for markdown-it, so it is rendered
    with :func:`render` first. The bytes written are exactly
    ``render(report, fmt=fmt, template_dirs=template_dirs, figure_files=True)``.
    A Markdown report links its figures; they are written beside it
    (``figure-<n>-<hash>.png``).

    Args:
        report: from :func:`selfeval.report.model.build_report`.
        path: the report file.
        fmt: ``md`` or ``html``.
        template_dirs: folders searched before the package's templates.
        fsync: flush to disk before the rename (on by default).

    Returns:
        The figure files written beside a Markdown report (none for HTML).

    Raises:
        InputError: a template error (see :func:`render`), or the file
            cannot be written; the target is then left as it was.
    """
    from selfeval.files.yamlio import atomic_writer

    if fmt == "html":
        text = render(report, fmt=fmt, template_dirs=template_dirs)
        with atomic_writer(path, fsync=fsync) as handle:
            handle.write(text)
        return []
    figures = _figures(report, fmt, True)
    with _template_errors():
        template = _environment(template_dirs).get_template(MD_TEMPLATE)
        with atomic_writer(path, fsync=fsync) as handle:
            _tidy_stream(template.generate(r=report, figures=figures), handle)
    written = []
    for target, data in _files_beside(report, path):
        with atomic_writer(target, fsync=fsync, binary=True) as handle:
            handle.write(data)  # type: ignore[arg-type]
        written.append(target)
    return written
