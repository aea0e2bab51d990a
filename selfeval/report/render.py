"""Rendering the report model to Markdown or one self-contained HTML page.

Templates are Jinja2 files shipped in ``selfeval/report/templates/``
(``integrated-report.md.j2``, ``_finding.md.j2``, ``integrated-report.html.j2``);
a workspace overrides any of them by putting a file with the same name in its
``templates/`` folder (``DESIGN.md`` §7), and the words by a ``labels.yaml``
there (:mod:`selfeval.report.labels`). HTML is the
Markdown rendered by markdown-it-py (raw HTML in answers is escaped, not
passed through) inside a page with inline CSS: no network, printable.
Output is deterministic: no timestamps, and every order comes from the model.

Figures 1 and 2 (:mod:`selfeval.report.figures`): the HTML page carries them
inline as SVG; the Markdown links PNG files written beside it
(``figure-1-<hash>.png``). Templates see them as ``figures``
(key → ``caption``, ``src``); a template that does not use it shows none.
``aggregate`` renders a final Markdown report with stand-ins for those names
and draws the figures once it has let go of the report model
(:class:`FiguresToDraw`: memory).

Every template, built-in or override, runs in Jinja2's
``ImmutableSandboxedEnvironment``: it can read the report model, but cannot
reach Python internals (``cycler.__init__.__globals__``), call anything
unsafe or change the model. A workspace template is untrusted input (anyone
who can commit to a shared workspace can add one), so the work of one
render is bounded too: loop iterations (:data:`MAX_ITERATIONS`), numbers
given to calls and repeated strings (:data:`MAX_NUMBER`), the output
(:data:`MAX_OUTPUT_CHARS`) and the time (:data:`MAX_RENDER_SECONDS`). A breach,
or any error a template raises, becomes one :class:`~selfeval.errors.InputError`
naming the template file and line and never quoting the data
(``docs/files.md``, "Security model").
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from selfeval.errors import InputError, Location
from selfeval.model.text import bad_character, character_kind
from selfeval.report.docx import REFERENCE_DOC, read_reference
from selfeval.report.model import Report

if TYPE_CHECKING:
    from selfeval.report.figures import DrawnAside, Figure
    from selfeval.report.fragments import Fragments

__all__ = [
    "FIGURE_FILE",
    "MAX_ITERATIONS",
    "MAX_NUMBER",
    "MAX_OUTPUT_CHARS",
    "MAX_RENDER_SECONDS",
    "TEMPLATE_DIR",
    "FiguresToDraw",
    "check_template_dirs",
    "check_templates",
    "markdown_to_html",
    "remove_old_figures",
    "render",
    "render_into",
    "trial_render",
    "write_figures_beside",
    "write_report",
]

#: The package's own templates.
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MD_TEMPLATE = "integrated-report.md.j2"
HTML_TEMPLATE = "integrated-report.html.j2"
#: Where the HTML's figures go: the Markdown says ``![caption](selfeval-figure:roles)``.
_FIGURE_SRC = "selfeval-figure:"
_FIGURE_IMG = re.compile(r'<p><img src="selfeval-figure:(\w+)"[^>]*>.*?</p>', re.S)

#: Most steps (loop iterations, calls, attribute look-ups, filters) one render may
#: take. The worked example's report takes about 1,800 for 48,000 characters; one
#: of 10,000 responses (204 million characters) about 8 million by that ratio.
MAX_ITERATIONS = 50_000_000
#: Largest number a template may pass to a call or filter, and longest string or
#: list it may make with ``*`` (``"x" * n``); ``range()`` is limited to 100,000 by Jinja2.
MAX_NUMBER = 1_000_000
#: Longest report, in characters (a report of 10,000 responses has about 204 million).
MAX_OUTPUT_CHARS = 1_000_000_000
#: Longest a render may take, in seconds (10,000 responses render in about 12 s).
MAX_RENDER_SECONDS = 300.0


class _RenderLimit(Exception):
    """A template went over one of the render limits (message says which)."""


class _Budget:
    """The work left to one render: iterations, output and a deadline."""

    def __init__(self) -> None:
        self.iterations = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS

    def tick(self, steps: int = 1) -> None:
        self.iterations += steps
        if self.iterations > MAX_ITERATIONS:
            raise _RenderLimit(f"it runs over {MAX_ITERATIONS:,} loop iterations")
        if time.monotonic() > self.deadline:
            raise _RenderLimit(f"it takes longer than {MAX_RENDER_SECONDS:g} seconds")

    def wrote(self, chars: int) -> None:
        self.output += chars
        if self.output > MAX_OUTPUT_CHARS:
            raise _RenderLimit(f"its output is over {MAX_OUTPUT_CHARS:,} characters")
        self.tick(0)


#: What ``str.format`` and ``str.format_map`` are when read off a string (Jinja2 wraps those).
_METHOD_TYPES = (types.MethodType, types.BuiltinMethodType)
#: The budget of the render running now (renders do not nest; one per process at a time).
_budget: _Budget | None = None
#: The kept parts of the report the render running now may reuse (:func:`_kept`).
_memo: Fragments | None = None


@contextlib.contextmanager
def _bounded() -> Iterator[_Budget]:
    global _budget
    previous, _budget = _budget, _Budget()
    try:
        yield _budget
    finally:
        _budget = previous


@contextlib.contextmanager
def _kept(report: Report, flavour: str, ids: bool) -> Iterator[None]:
    """Within this block the render reuses the parts kept from the last run of this report.

    Only inside :func:`selfeval.report.fragments.kept_in` (``aggregate``
    without ``--no-cache``); the pack is saved when the block ends without
    an error. See :mod:`selfeval.report.fragments` for what is kept and why
    the report stays byte for byte the same.
    """
    global _memo
    from selfeval.report.fragments import open_pack

    pack = open_pack([flavour, report.is_draft, ids, report.category, report.lang])
    previous, _memo = _memo, pack
    try:
        yield
    except BaseException:
        if pack is not None:
            pack.discard()  # a pack half written is removed; the one in place stays
        raise
    finally:
        _memo = previous
    if pack is not None:
        pack.save()


def _tick(steps: int = 1) -> None:
    if _budget is not None:
        _budget.tick(steps)


def _check_numbers(args: Iterable[Any]) -> None:
    for arg in args:
        if type(arg) is int and abs(arg) > MAX_NUMBER:
            raise _RenderLimit(f"it uses the number {arg:,}, over the limit of {MAX_NUMBER:,}")


def _counted(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this: one tick per item."""
    for item in iterable:
        _tick()
        yield item


#: Characters that make Markdown (or raw HTML) anywhere in a line, and an entity (``&amp;``).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])|&(?=#?\w+;)")
#: Every character a match of :data:`_MD_SPECIAL` starts with.
_MD_MAYBE_SPECIAL = re.compile(r"[\\`*_\[\]<>|&]")
#: What makes a block when a line starts with it: heading, quote, list, setext
#: underline, fence (``~~~``), ordered list (``1.`` / ``1)``).
_MD_LINE_START = re.compile(r"^(?:([#>+=~-])|(\d+)([.)]))")


def answer_text(line: str) -> str:
    """One line of an answer as Markdown that shows it literally.

    Answers are text, not Markdown (``docs/report.md``): a line ``# Heading``
    must not become a heading of the report, nor ``<script>`` raw HTML, in the
    ``.md`` as in the HTML made from it. Every character that Markdown reads
    as markup is backslash-escaped, so the text reads the same in both.
    A line without any character :data:`_MD_SPECIAL` starts with is not
    searched by it (its look-ahead makes it scan ~5 times slower than a
    plain class; ~240,000 lines at 1,000 responses).
    """
    if _MD_MAYBE_SPECIAL.search(line) is not None:
        line = _MD_SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), line)
    return _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), line
    )


def _inline(text: object) -> str:
    """An answer on one line (its line breaks become spaces), shown literally."""
    return answer_text(" ".join(str(text or "").split()))


#: A line of an answer that starts a point of a typed list (``- …``, ``• …``, ``1. …``).
_POINT = re.compile(r"^(?:[-*+\u2022]|\d+[.)])\s")


def _block(text: object) -> str:
    """An answer as paragraphs: its blank lines kept, every line shown literally.

    A line typed as a point of a list (``- …``, ``1. …``) starts on a line of
    its own (a hard line break, ``\\`` at the end of the line before), so a
    list typed in an answer still reads as one, without becoming Markdown.
    """
    raw = [line.strip() for line in str(text or "").strip().splitlines()]
    lines = [answer_text(line) for line in raw]
    for i in range(1, len(lines)):
        if lines[i - 1] and raw[i] and _POINT.match(raw[i]):
            lines[i - 1] += "\\"
    return "\n".join(lines)


def _cell(text: object) -> str:
    """An answer in a table cell (``|`` is escaped with the rest)."""
    return _inline(text)


def _points(text: object) -> str:
    """One point per line (the questionnaire asks roles that way) as a Markdown list."""
    lines = [answer_text(line.strip()) for line in str(text or "").splitlines() if line.strip()]
    if len(lines) <= 1:
        return "".join(lines)
    return "\n".join(f"- {line}" for line in lines)


def _noterefs(numbers: Sequence[int]) -> str:
    return "".join(f" [{n}]" for n in numbers)


def _noterefs_linked(numbers: Sequence[int]) -> str:
    """Note numbers as links to the notes (``[1]`` → ``#note-1``): the HTML's Markdown."""
    return "".join(f" [\\[{n}\\]](#note-{n})" for n in numbers)


def check_template_dirs(template_dirs: Sequence[Path]) -> list[Path]:
    """The override folders that exist, each checked to be a readable folder.

    A missing folder is no override; anything else that is not a readable
    folder (a file, a dangling link, no permission) is an error, never a silent
    fallback to the built-in templates (issue 10).

    Raises:
        InputError: naming the folder and what to do.
    """
    found: list[Path] = []
    for folder in template_dirs:
        if not os.path.lexists(folder):
            continue
        if not folder.is_dir():
            raise InputError(
                "the report template folder is not a folder (a file or a broken link)",
                location=Location(folder),
                hint="make templates/ a folder of template overrides, or remove it",
            )
        # A link (the folder or a template in it) or an unreadable folder: an
        # error, by the rule every workspace folder is listed by.
        from selfeval.files.root import list_folder

        list_folder(folder, "report template folder")
        found.append(folder)
    return found


def _environment(  # type: ignore[no-untyped-def]
    template_dirs: Sequence[Path], *, html: bool = False, note_links: bool = False
):
    import jinja2
    from jinja2 import nodes
    from jinja2.loaders import split_template_path
    from jinja2.runtime import Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from selfeval.files.yamlio import check_characters as _check_characters
    from selfeval.files.yamlio import decode as _decode
    from selfeval.files.yamlio import read_file as _read_file
    from selfeval.report.fragments import KEPT_MACROS, PURE_TEMPLATES

    #: (type, attribute name) → whether the sandbox lets a template read it (_Sandbox.getattr).
    verdicts: dict[tuple[type, str], bool] = {}

    class _Sandbox(ImmutableSandboxedEnvironment):
        """The sandbox, with every loop, call, attribute and ``*`` counted against the budget."""

        intercepted_binops = frozenset({"*", "**"})

        def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
            tree = super()._parse(source, name, filename)
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Filter(loop.iter, "_counted", [], [], None, None)
            return tree

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _tick()
            if operator == "**":
                _check_numbers([right])
                if type(left) is int and abs(left) > 1 and type(right) is int and right > 64:
                    raise _RenderLimit("it raises a number to too high a power")
            elif isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
                count, seq = (
                    (right, left) if isinstance(left, str | list | tuple) else (left, right)
                )
                if type(count) is int and count * len(seq) > MAX_NUMBER:
                    raise _RenderLimit(f"it repeats a text or list past {MAX_NUMBER:,} items")
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _tick()
            _check_numbers(args)
            _check_numbers(kwargs.values())
            memo = _memo
            if memo is not None and type(__obj) is Macro and __obj.name in KEPT_MACROS:
                code = getattr(getattr(__obj, "_func", None), "__code__", None)
                filename = getattr(code, "co_filename", None)
                if filename in pure_files:
                    # A part of the report kept from the last run (selfeval.report.fragments).
                    return memo.call(
                        lambda: ImmutableSandboxedEnvironment.call(
                            __self, __context, __obj, *args, **kwargs
                        ),
                        __obj.name,
                        filename,
                        args,
                        kwargs,
                    )
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj: Any, attribute: str) -> Any:
            """``SandboxedEnvironment.getattr``, its safety verdict looked up per type.

            Jinja2's ``is_safe_attribute`` (a leading ``_``, Python internals of
            functions, methods, types, code, frames and generators, and the
            methods that change a list, dict, set or deque) depends on the
            object's type and the name only, never on the value; it asked
            ~15 ``isinstance`` questions (abstract base classes among them) at
            each of ~360,000 look-ups of a render of 1,000 responses. The
            verdict is now asked once per type and name (only for an object
            whose ``__class__`` is its type) and kept for this environment;
            everything else is Jinja2's own code path, in its order
            (``tests/test_render.py`` holds the two to the same result).
            """
            _tick()
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
            if isinstance(value, _METHOD_TYPES):
                fmt = self.wrap_str_format(value)
                if fmt is not None:
                    return fmt
            kind = type(obj)
            safe = verdicts.get((kind, attribute))
            if safe is None:
                safe = self.is_safe_attribute(obj, attribute, value)
                if obj.__class__ is kind:
                    verdicts[kind, attribute] = safe
            if safe:
                return value
            return self.unsafe_undefined(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            _tick()
            return super().getitem(obj, argument)

    class _Loader(jinja2.FileSystemLoader):
        """Templates from the search path, read as UTF-8 with a clear error.

        Never through a link that leaves their folder.
        """

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = split_template_path(template)
            for folder in self.searchpath:
                filename = os.path.join(folder, *pieces)
                if os.path.lexists(filename):
                    break
            else:
                raise jinja2.TemplateNotFound(template)
            real = os.path.realpath(filename)
            if not real.startswith(os.path.realpath(folder) + os.sep):
                raise InputError(
                    "the report template is a link to a file outside the templates folder",
                    location=Location(filename),
                    hint="copy the template into templates/ instead of linking to it",
                )
            # The one read rule: no pipe, device or folder, no link out of the
            # workspace (a templates/ folder linked elsewhere included), bounded size.
            data = _read_file(filename)
            text = _decode(data, filename)
            # The one rule of texts: no control or bidirectional character reaches the report.
            _check_characters(text, filename, "template")
            mtime = os.path.getmtime(filename)

            def uptodate() -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return text, os.path.normpath(filename), uptodate

    search = [str(d) for d in check_template_dirs(template_dirs)] + [str(TEMPLATE_DIR)]
    # The shipped macros that depend on their arguments only (selfeval.report.fragments):
    # none when the workspace overrides any of their files (an override may keep state).
    overridden = any(
        os.path.lexists(os.path.join(d, n)) for d in search[:-1] for n in PURE_TEMPLATES
    )
    pure_files = (
        frozenset()
        if html or overridden
        else frozenset(os.path.normpath(os.path.join(search[-1], n)) for n in PURE_TEMPLATES)
    )
    env = _Sandbox(
        loader=_Loader(search),
        autoescape=html,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_compiled_templates(html),
    )
    env.globals.pop("lipsum", None)
    noterefs = _noterefs_linked if note_links else _noterefs
    env.filters.update(inline=_inline, block=_block, cell=_cell, noterefs=noterefs, points=_points)
    for name, func in list(env.filters.items()):
        env.filters[name] = _guarded(func)
    env.filters["_counted"] = _counted
    return env


#: Compiled templates kept in this process (never on disk: a file of code in the
#: workspace would be code a shared workspace could hand us), by the template's
#: name, file, source text and escaping. Compiling the report template costs more
#: than rendering the worked example; a process that renders twice compiles once.
_COMPILED: dict[str, bytes] = {}
_COMPILED_MAX = 32


@functools.cache
def _compiled_templates(html: bool) -> Any:
    """The in-memory bytecode cache of the environments with this escaping."""
    import jinja2

    class _InMemory(jinja2.BytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return f"{'html' if html else 'text'}\0{name}\0{filename or ''}"

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = _COMPILED.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)  # a checksum of other source: not used

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.pop(next(iter(_COMPILED)))
            _COMPILED[bucket.key] = bucket.bytecode_to_string()

    return _InMemory()


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that ticks the budget and refuses huge numbers (``"x" | center(10**9)``)."""

    @functools.wraps(func)  # keeps jinja's pass_context/pass_environment markers
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_numbers(args)
        _check_numbers(kwargs.values())
        return func(*args, **kwargs)

    return guarded


def markdown_to_html(text: str) -> str:
    """Render Markdown (CommonMark plus tables) to an HTML fragment, raw HTML escaped."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md.render(text)


def _figures(
    report: Report,
    fmt: str,
    files: bool,
    found: Sequence[Figure] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """What the templates get as ``figures``: key → caption and picture address.

    ``found``: the report's figures when already made; ``names``: the file
    name of each figure's PNG by key, when not to be drawn now (stand-ins).
    """
    from selfeval.report.figures import figures

    if fmt == "md" and not files:
        return {}

    def src(f: Figure) -> str:
        if fmt == "html":
            return f"{_FIGURE_SRC}{f.key}"
        return names[f.key] if names is not None else _figure_name(f)

    return {
        f.key: {
            "number": f.number,
            "caption": f.caption,
            "alt": f.alt,
            "header": f.header,
            "rows": f.rows,
            "src": src(f),
        }
        for f in (figures(report) if found is None else found)
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


def _files_beside(figures: Sequence[Figure], path: Path) -> list[tuple[Path, bytes]]:
    """The PNG files that go beside a Markdown report at ``path``, with their bytes.

    Named ``figure-<n>-<content hash>.png``, as the Markdown links them.
    """
    return [(path.with_name(_figure_name(f)), f.picture("png")) for f in figures]


#: Bytes of the Markdown read at a time while the figures' stand-in names are looked for.
_SCAN_BLOCK = 1 << 20


#: A figure file as :func:`_figure_name` names it, and nothing else.
FIGURE_FILE = re.compile(r"figure-[0-9]+-[0-9a-f]{10}\.png")


def _links_in(path: str) -> set[str] | None:
    """The figure file names a Markdown report links (every name of :data:`FIGURE_FILE` in it).

    None when the file cannot be read as a regular file in place: a link (not
    followed: it may lead out of the workspace), a pipe or device (opened
    without blocking and refused), an unreadable file. Read in blocks, so a
    large report is never held at once.
    """
    import stat

    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    found: set[str] = set()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        longest = 40  # a name is at most this long (figure-<n>-<10>.png, n far below 10**20)
        tail = b""
        while block := os.read(fd, _SCAN_BLOCK):
            window = tail + block
            found.update(m.decode("ascii") for m in _FIGURE_BYTES.findall(window))
            tail = window[-longest:]
    except OSError:
        return None
    finally:
        os.close(fd)
    return found


_FIGURE_BYTES = re.compile(rb"figure-[0-9]+-[0-9a-f]{10}\.png")


def remove_old_figures(folder: Path) -> list[Path]:
    """Remove the figure pictures in ``folder`` that no Markdown report there links any more.

    Called by ``aggregate`` after it wrote a report into the workspace's
    reports folder (``docs/report.md``, "Figures"): a picture is named by its
    bytes (:func:`_figure_name`), so each change of the data leaves one more
    behind. Removed are only regular files whose name is exactly
    :data:`FIGURE_FILE` (a link, a folder or any other name is never
    touched) and that no ``*.md`` file in ``folder`` names. The pictures are
    listed before the reports are read: a report written meanwhile (its
    Markdown is renamed into place before its pictures are written) is read
    with its links. When any ``*.md`` there cannot be read in place (a link,
    which is not followed, a pipe, a file that cannot be opened), nothing is
    removed. A Word or HTML report holds its pictures, so links only from
    Markdown count.

    Args:
        folder: the reports folder (already checked to be inside the workspace).

    Returns:
        The files removed.
    """
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return []
    pictures = [
        e for e in entries if FIGURE_FILE.fullmatch(e.name) and e.is_file(follow_symlinks=False)
    ]
    if not pictures:
        return []
    try:  # listed again: a report renamed into place since the first listing is read too
        with os.scandir(folder) as listing:
            reports = [e for e in listing if e.name.endswith(".md")]
    except OSError:
        return []
    linked: set[str] = set()
    for entry in reports:
        links = _links_in(entry.path)
        if links is None:
            return []  # a report that cannot be read may link any of them
        linked |= links
    removed = []
    for entry in pictures:
        if entry.name not in linked:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


class FiguresToDraw:
    """The figures of a Markdown report rendered before they were drawn.

    Made by :func:`render_into` with ``defer_figures=True``. The Markdown
    names each figure's PNG by a hash of its bytes (``figure-<n>-<hash>.png``),
    so a render that links them had to draw them first, while the whole
    report model was held, and matplotlib's modules and the picture's pixels
    came on top of it (the peak memory of a first ``aggregate``,
    ``docs/performance.md``). Here the render writes a stand-in of the same
    length instead (``figure-<n>-<random>.png``: 10 random hex digits where
    the hash goes, so no text of a response can be one); :meth:`put_names`,
    called once the caller has let go of the report model, draws the
    pictures from the figures' own data and writes each real name over its
    stand-in in the file. The file ends byte for byte as a render that drew
    first writes it.
    """

    def __init__(
        self, figures: Sequence[Figure], stand_ins: dict[str, str], *, aside: bool = False
    ) -> None:
        self.figures = tuple(figures)
        #: Figure key → the stand-in name the Markdown has for it (empty: real names).
        self.stand_ins = stand_ins
        #: The pictures being drawn in a helper process while the report renders
        #: (``aside``: ``aggregate --jobs 2`` or more; figures.DrawnAside).
        self._aside: DrawnAside | None = None
        if aside and stand_ins:
            from selfeval.report.figures import DrawnAside

            self._aside = DrawnAside.start(self.figures, "png")

    def stop(self) -> None:
        """Stop drawing aside (the render failed); nothing to do when nothing is drawn aside."""
        if self._aside is not None:
            self._aside.stop()
            self._aside = None

    def put_names(self, handle: IO[str]) -> None:
        """Draw the pictures and write each one's real file name over its stand-in.

        Args:
            handle: the text handle the Markdown was rendered into (a regular
                file, still open for writing, nothing written after the render).

        Raises:
            OSError: the file cannot be read or written.
        """
        if not self.stand_ins:
            return
        aside, self._aside = self._aside, None
        try:
            if aside is not None and aside.take():
                pass  # every picture not kept on disk was drawn by the helper: none is drawn here
            elif not all(f.kept("png") for f in self.figures):
                # To be drawn. The report model the caller let go of is still held by a
                # reference cycle (Jinja2's render context), which aggregate's paused
                # collector would keep until the end: freed first, so that matplotlib
                # and the picture's pixels take its place rather than come on top.
                gc.collect()
            swaps = {
                self.stand_ins[f.key].encode("ascii"): _figure_name(f).encode("ascii")
                for f in self.figures
            }
        finally:
            if aside is not None:
                aside.stop()  # forgets a picture drawn aside that was not needed after all
        handle.flush()
        fd = handle.fileno()
        longest = max(len(old) for old in swaps)
        at = 0
        tail = b""  # the end of the last block: a stand-in may straddle two blocks
        while block := os.pread(fd, _SCAN_BLOCK, at):
            window = tail + block
            start = at - len(tail)
            for old, new in swaps.items():
                found = window.find(old)
                while found != -1:
                    os.pwrite(fd, new, start + found)
                    found = window.find(old, found + len(old))
            tail = window[-(longest - 1) :]
            at += len(block)

    def write_beside(
        self, path: Path, *, fsync: bool = True, within: Path | None = None
    ) -> list[Path]:
        """Write the PNG files the report at ``path`` links; as :func:`write_figures_beside`."""
        return _write_files(_files_beside(self.figures, path), fsync=fsync, within=within)


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
        # The picture is one image to assistive technology, named by what it shows.
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(f.alt)}" ', 1)
        return (
            f'<figure class="figure" id="figure-{f.number}">\n{svg}\n'
            f"<figcaption>{escape(f.caption)}</figcaption>\n</figure>"
        )

    return _FIGURE_IMG.sub(figure, body)


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _with_contents(body: str, title: str) -> str:
    """Give chapters and sections an id and put a table of contents before the first chapter."""
    entries: list[tuple[int, str, str]] = []

    count = 0

    def anchor(match: re.Match[str]) -> str:
        nonlocal count
        level, inner = int(match.group(1)), match.group(2)
        count += 1
        ident = f"s{count}"
        if level in (2, 3):
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
    nav = (
        f'<nav class="toc" aria-labelledby="contents">\n<h2 id="contents">{title}</h2>\n'
        f"<ul>{''.join(items)}</ul>\n</nav>\n"
    )
    first = body.find(f'<h2 id="{entries[0][1]}">')
    return body[:first] + nav + body[first:]


_TABLE = re.compile(r"(?:<p><em>([^<]*)</em></p>\n)?<table>\n(.*?)</table>", re.S)
_ROW_START = re.compile(r"<tr>\n<td>(.*?)</td>", re.S)


def _table(match: re.Match[str]) -> str:
    """A table with its caption, ``scope``d column headers and the first column as row headers.

    The Markdown gives each table a caption as an emphasised paragraph right
    before it ("*Tabel 2: …*"); here it becomes the ``<caption>``.
    """
    caption, inner = match.group(1), match.group(2)
    head, _, body = inner.partition("</thead>")
    head = head.replace("<th>", '<th scope="col">')
    body = _ROW_START.sub(r'<tr>\n<th scope="row">\1</th>', body)
    return (
        "<table>\n"
        + (f"<caption>{caption}</caption>\n" if caption else "")
        + head
        + "</thead>"
        + body
        + "</table>"
    )


def _accessible(body: str, report: Report) -> str:
    """What the HTML needs beyond the Markdown for a screen-reader user (issue 19).

    Tables get captions and header scopes (:func:`_table`); the caveat
    becomes a labelled note instead of a quotation; the notes get anchors
    for the linked note numbers.
    """
    from markupsafe import escape

    body = _TABLE.sub(_table, body)
    if report.caveat:
        quoted = markdown_to_html(f"> {report.caveat}").strip()
        label = escape(report.L["caveat_label"])
        inner = quoted.removeprefix("<blockquote>").removesuffix("</blockquote>")
        note = f'<aside class="caveat" role="note" aria-label="{label}">{inner}</aside>'
        body = body.replace(quoted, note, 1)
    body = _mark_languages(body, report.foreign)
    if report.notes:
        heading = f"<h2>{escape(report.L.get('notes', 'Notes'))}</h2>\n<ol>\n"
        start = body.rfind(heading)
        if start >= 0:
            start += len(heading)
            end = body.index("</ol>", start)
            numbered = iter(range(1, len(report.notes) + 1))
            items = re.sub(r"<li>", lambda _: f'<li id="note-{next(numbered)}">', body[start:end])
            body = body[:start] + items + body[end:]
    return body


_TEXT_NODE = re.compile(r"(<svg\b.*?</svg>)|>([^<]+)<", re.S)


def _mark_languages(body: str, foreign: dict[str, str]) -> str:
    """Wrap each text the report shows in another language in ``<span lang="…">``.

    Only in text between tags, never in an attribute or inside a figure's SVG.
    """
    if not foreign:
        return body
    from markupsafe import escape

    shown = {str(escape(text)): lang for text, lang in foreign.items()}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(shown, key=len, reverse=True)))

    def text_node(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        text = pattern.sub(
            lambda m: f'<span lang="{shown[m.group(0)]}">{m.group(0)}</span>', match.group(2)
        )
        return f">{text}<"

    return _TEXT_NODE.sub(text_node, body)


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
    ids: bool | None = None,
    draw_figures: bool = True,
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
        ids: show finding ids in the running text (None: in a draft only;
            ``--ids`` / ``--no-ids``).
        draw_figures: False: no picture is drawn (a trial render,
            :func:`trial_render`): the Markdown links stand-in names of the
            real names' length and the HTML keeps each figure's image
            paragraph instead of its inline SVG.

    Returns:
        The document text, ending with one newline.

    Raises:
        InputError: a template cannot be read, does not parse, fails while
            rendering, does something the sandbox forbids or goes over a
            render limit (with the template file and line when known); or the
            override folder is not a readable folder.
    """
    import jinja2

    if draw_figures:
        figures = _figures(report, fmt, figure_files)
    else:
        from selfeval.report.figures import figures as figures_of

        found = figures_of(report)
        stand_ins = {f.key: f"figure-{f.number}-{'0' * 10}.png" for f in found}
        figures = _figures(report, fmt, figure_files, found, stand_ins)
    with _template_errors():
        env = _environment(template_dirs, note_links=fmt == "html")
        template = env.get_template(MD_TEMPLATE)
    shown = _show_ids(report, ids)
    with _template_errors(template.filename), _bounded() as budget, _kept(report, fmt, shown):
        chunks = template.generate(r=report, figures=figures, ids=shown)
        checked = _overridden(template_dirs, template.filename or MD_TEMPLATE)
        text = _tidy("".join(_metered(chunks, budget, checked)))
    if fmt == "html":
        body = markdown_to_html(text)
        if figures and draw_figures:
            body = _inline_figures(body, report)
        body = _accessible(body, report)
        body = _with_contents(body, report.L.get("contents", "Contents"))
        with _template_errors():
            page = _environment(template_dirs, html=True).get_template(HTML_TEMPLATE)
        with _template_errors(page.filename), _bounded() as budget:
            chunks = page.generate(
                r=report,
                body=jinja2.utils.markupsafe.Markup(body),
                css_status=jinja2.utils.markupsafe.Markup(_css_string(_status_line(report))),
            )
            checked = _overridden(template_dirs, page.filename or HTML_TEMPLATE)
            text = "".join(_metered(chunks, budget, checked))
    return text.rstrip("\n") + "\n"


def _show_ids(report: Report, ids: bool | None) -> bool:
    """Finding ids in the running text: as asked, else in a draft only (issue 13)."""
    return report.is_draft if ids is None else ids


def _metered(chunks: Iterable[str], budget: _Budget, checked: str | None = None) -> Iterator[str]:
    """The rendered pieces, counted against the budget.

    Args:
        chunks: what the template generates.
        budget: the render's limits.
        checked: the template's file when the workspace overrides a template
            (:func:`_overridden`): then every piece is held to the one rule of
            texts (:func:`selfeval.model.text.bad_character`), since a template
            can write a character its file does not hold (``{{ "\\x1b[2J" }}``,
            ``"%c" | format(27)``). The answers and texts a report shows are
            checked when read, so the shipped templates are not checked again.
    """
    for chunk in chunks:
        budget.wrote(len(chunk))
        if checked is not None and (bad := bad_character(chunk)) is not None:
            raise InputError(
                f"the report template wrote {character_kind(bad[1])}, which a report may not hold",
                location=Location(checked),
                hint="remove it from the templates in the workspace's templates/ folder (a "
                'string such as "\\x1b" or "\\u202e", or a format with %c)',
            )
        yield chunk


def _overridden(template_dirs: Sequence[Path], top: str) -> str | None:
    """``top``'s file (for messages) when a workspace folder holds any ``*.j2``; else None."""
    if any(os.path.isdir(d) and any(Path(d).glob("*.j2")) for d in template_dirs):
        return top
    return None


def check_templates(template_dirs: Sequence[Path]) -> list[InputError]:
    """Parse every ``*.j2`` override in the sandbox, check ``labels.yaml`` and ``reference.docx``.

    For ``selfeval validate``.

    Args:
        template_dirs: the override folders (a workspace's ``templates/``).

    Returns:
        One error per template that cannot be read or does not parse (file
        and line), for a ``labels.yaml`` ``aggregate`` would refuse
        (:func:`selfeval.report.labels.load_labels`), and for a house-style
        document ``aggregate --format docx`` would refuse
        (:func:`selfeval.report.docx.read_reference`: a zip bomb, not a zip);
        an override folder that is not a readable folder is one error.
    """
    try:
        folders = check_template_dirs(template_dirs)
    except InputError as exc:
        return [exc]
    from selfeval.report.labels import LABELS_FILE, load_labels

    problems: list[InputError] = []
    for folder in folders:  # the house-style document, as aggregate --format docx reads it
        if os.path.lexists(folder / REFERENCE_DOC):
            try:
                read_reference(folder / REFERENCE_DOC)
            except InputError as exc:
                problems.append(exc)
        if os.path.lexists(folder / LABELS_FILE):  # the report's words, as aggregate reads them
            try:
                load_labels("en", folder / LABELS_FILE)  # every language of the file is checked
            except InputError as exc:
                problems.append(exc)
    if not any(folder.glob("*.j2") for folder in folders):
        return problems  # no overrides: jinja2 is not even imported (validate stays quick)
    env = _environment(folders)
    for folder in folders:
        for path in sorted(folder.glob("*.j2")):
            try:
                with _template_errors():
                    env.get_template(path.name)
            except InputError as exc:
                problems.append(exc)
    return problems


def trial_render(report: Report, template_dirs: Sequence[Path]) -> list[InputError]:
    """Render ``report`` with the template overrides as ``aggregate`` would, keeping nothing.

    For ``selfeval validate`` (:mod:`selfeval.report.trial` gives it the
    worked example's report model): the Markdown report, and the HTML page
    when ``integrated-report.html.j2`` is overridden, each through
    :func:`render` (the same sandbox, limits and messages as ``aggregate``),
    with no figure drawn (``draw_figures=False``).

    Args:
        report: the report model to render.
        template_dirs: the override folders (a workspace's ``templates/``).

    Returns:
        The error each render raised (file and line when known), at most one
        per format; empty when both rendered.
    """
    formats: list[Literal["md", "html"]] = ["md"]
    if any((Path(d) / HTML_TEMPLATE).is_file() for d in template_dirs):
        formats.append("html")
    problems: list[InputError] = []
    for fmt in formats:
        try:
            render(
                report, fmt=fmt, template_dirs=template_dirs, figure_files=True, draw_figures=False
            )
        except InputError as exc:
            if all(str(exc) != str(p) for p in problems):  # html renders the md first
                problems.append(exc)
    return problems


def _template_place(exc: BaseException) -> Location | None:
    """The template file and line where ``exc`` was raised (Jinja2 rewrites the traceback)."""
    place = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return place


_TEMPLATE_HINT = "fix the template in the workspace's templates/ folder, or remove it"


@contextlib.contextmanager
def _template_errors(template: str | None = None) -> Iterator[None]:
    """Turn everything a template can raise into one InputError that quotes no data.

    A runtime error's own message may quote an answer (``int('…')``), so only
    its type and the template line are shown.
    """
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        yield
    except InputError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            f"report template error: {exc.message}",
            location=Location(exc.filename or exc.name or "?", exc.lineno),
            hint=_TEMPLATE_HINT,
        ) from None
    except jinja2.TemplateNotFound as exc:
        place = _template_place(exc)
        raise InputError(
            f"report template {exc.name!r} does not exist"
            + (f" (included at {place})" if place else ""),
            location=place,
            hint="add it to the workspace's templates/ folder, or remove the include",
        ) from None
    except jinja2.UndefinedError as exc:
        message = (exc.message or "")[:200]
        raise InputError(
            f"report template error: {message}",
            location=_template_place(exc),
            hint="a template in the workspace's templates/ folder uses a name the report "
            "does not have; see docs/report.md",
        ) from None
    except SecurityError as exc:
        raise InputError(
            f"report template does something not allowed: {str(exc)[:200]}",
            location=_template_place(exc),
            hint="templates may only read the report; " + _TEMPLATE_HINT,
        ) from None
    except _RenderLimit as exc:
        raise InputError(
            f"report template stopped: {exc}",
            location=_template_place(exc) or (Location(template) if template else None),
            hint="templates must stay within the limits in docs/files.md; " + _TEMPLATE_HINT,
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"a report template is not UTF-8 text (byte {exc.start})",
            location=_template_place(exc),
            hint="save the template as UTF-8",
        ) from None
    except RecursionError as exc:
        raise InputError(
            "report template stopped: it calls itself too deeply",
            location=_template_place(exc),
            hint=_TEMPLATE_HINT,
        ) from None
    except OSError as exc:
        if exc.filename is None:
            raise  # writing the report failed, not reading a template: the writer says so
        raise InputError(
            f"a report template cannot be read: {exc.strerror or type(exc).__name__}",
            location=Location(exc.filename) if exc.filename else _template_place(exc),
            hint="check the files in the workspace's templates/ folder",
        ) from None
    except Exception as exc:
        place = _template_place(exc)
        if place is None:
            raise  # not raised by a template: an internal error, for the CLI's boundary
        if isinstance(exc, OverflowError) and str(exc).startswith("Range too big"):
            from jinja2.sandbox import MAX_RANGE

            # The sandbox's own limit on range() (Jinja2's MAX_RANGE; trial 8 saw only
            # "OverflowError"); its message quotes no data.
            raise InputError(
                f"report template stopped: a range() of more than {MAX_RANGE:,} numbers",
                location=place,
                hint="templates must stay within the limits in docs/files.md; " + _TEMPLATE_HINT,
            ) from None
        raise InputError(
            f"report template failed: {type(exc).__name__}", location=place, hint=_TEMPLATE_HINT
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
    within: Path | None = None,
    ids: bool | None = None,
) -> list[Path]:
    """Render the report straight into ``path``, atomically; Markdown's figures beside it.

    A file whose bytes would not change is left as it is (not written over:
    its time stamp stays; :func:`selfeval.files.yamlio.atomic_writer`'s ``keep_same``).

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
        within: the workspace, when ``path`` is its default report path:
            refuse a link that leads outside it
            (:func:`selfeval.files.yamlio.check_inside`).
        ids: show finding ids in the running text (None: in a draft only).

    Returns:
        The figure files written beside a Markdown report (none for HTML).

    Raises:
        InputError: a template error (see :func:`render`), or the file
            cannot be written; the target is then left as it was.
        RefusedError: ``within`` is given and ``path`` leads outside it.
    """
    from selfeval.files.yamlio import atomic_writer

    with atomic_writer(path, fsync=fsync, within=within, keep_same=True) as handle:
        render_into(
            report, handle, fmt=fmt, template_dirs=template_dirs, figure_files=True, ids=ids
        )
    if fmt != "md":
        return []
    return write_figures_beside(report, path, fsync=fsync, within=within)


def render_into(
    report: Report,
    handle: IO[str],
    *,
    fmt: Literal["md", "html"] = "md",
    template_dirs: Sequence[Path] = (),
    figure_files: bool = False,
    ids: bool | None = None,
    defer_figures: bool = False,
    draw_aside: bool = False,
) -> FiguresToDraw | None:
    """Render the report into an open text handle (e.g. one of ``yamlio.atomic_files``).

    Writes exactly ``render(report, fmt=fmt, template_dirs=template_dirs,
    figure_files=figure_files, ids=ids)``; Markdown is streamed (see :func:`write_report`);
    the figure files themselves are :func:`write_figures_beside`'s.

    Args:
        report: from :func:`selfeval.report.model.build_report`.
        handle: where the text goes.
        fmt: ``md`` or ``html`` (as :func:`render`).
        template_dirs: folders searched before the package's templates.
        figure_files: Markdown only: link the figures as PNG files beside it.
        ids: show finding ids in the running text (None: in a draft only).
        defer_figures: Markdown with ``figure_files`` only: do not draw the
            figures now; the file has stand-ins for their names until the
            returned :meth:`FiguresToDraw.put_names` is called (before the
            handle is closed). When the Markdown template is the workspace's
            own (which may do anything with a name) they are drawn now, and
            ``put_names`` has nothing to do.
        draw_aside: with ``defer_figures``: draw the figures in a helper
            process while the report renders (``aggregate --jobs`` 2 or
            more; :class:`selfeval.report.figures.DrawnAside`); the same
            bytes, drawn here when the helper fails.

    Returns:
        With ``defer_figures`` (and Markdown with ``figure_files``): the
        report's figures, to draw and name once the report model is let go
        of; None otherwise.

    Raises:
        InputError: a template error (see :func:`render`).
    """
    if fmt == "html":
        handle.write(render(report, fmt=fmt, template_dirs=template_dirs, ids=ids))
        return None
    with _template_errors():
        template = _environment(template_dirs).get_template(MD_TEMPLATE)
    later: FiguresToDraw | None = None
    if defer_figures and figure_files:
        import secrets

        from selfeval.report.figures import figures as figures_of

        found = figures_of(report)
        shipped = os.path.normpath(TEMPLATE_DIR / MD_TEMPLATE)
        names = (
            {f.key: f"figure-{f.number}-{secrets.token_hex(5)}.png" for f in found}
            if template.filename == shipped
            else {}
        )
        later = FiguresToDraw(found, names, aside=draw_aside)
        figures = _figures(report, fmt, True, found, names or None)
    else:
        figures = _figures(report, fmt, figure_files)
    # Template errors become InputError here, inside the writer's block, so the
    # writer removes its temporary file and does not mistake a missing include
    # (an OSError) for a failed write.
    shown = _show_ids(report, ids)
    try:
        with _template_errors(template.filename), _bounded() as budget, _kept(report, fmt, shown):
            chunks = template.generate(r=report, figures=figures, ids=shown)
            checked = _overridden(template_dirs, template.filename or MD_TEMPLATE)
            _tidy_stream(_metered(chunks, budget, checked), handle)
    except BaseException:
        if later is not None:
            later.stop()
        raise
    return later


def write_figures_beside(
    report: Report, path: Path, *, fsync: bool = True, within: Path | None = None
) -> list[Path]:
    """Write the figure files a Markdown report at ``path`` links (``figure-<n>-<hash>.png``).

    Returns:
        The files written.

    Raises:
        InputError, RefusedError: as :func:`selfeval.files.yamlio.atomic_writer`.
    """
    from selfeval.report.figures import figures

    return _write_files(_files_beside(figures(report), path), fsync=fsync, within=within)


def _write_files(
    files: list[tuple[Path, bytes]], *, fsync: bool, within: Path | None
) -> list[Path]:
    from selfeval.files.yamlio import atomic_writer

    written = []
    for target, data in files:
        with atomic_writer(
            target, fsync=fsync, binary=True, within=within, keep_same=True
        ) as handle:
            handle.write(data)  # type: ignore[arg-type]
        written.append(target)
    return written
