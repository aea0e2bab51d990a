"""The terminal side of filling: a :class:`~selfeval.fill.prompter.Prompter` on questionary.

One prompt per item type (``STYLE.md`` §5):

* text, integer, number, date: a one-line prompt that checks as you type;
* long text: a multi-line prompt that says how to finish (Enter on an empty
  line; Esc then Enter too) and opens an editor on Ctrl-E;
* in every text prompt the answer wraps at spaces (:class:`_WordWrap`), and
  Esc is a key of its own (:func:`_escape_alone`);
* yes/no, single choice, scale, participant: a list to pick from (arrow keys,
  Enter), with "no answer" as the last entry;
* multiple choice, participants: a checklist (Space toggles, Enter confirms);
  participants as ``participant_label`` labels them. An empty selection goes through
  the session's check, so a required checklist refuses it in place.
* a list or checklist longer than the screen scrolls under its question,
  saying how many choices are out of view (:func:`_fit_to_screen`).

Questions and choice labels are broken at spaces to the terminal's width
before questionary gets them (:func:`_wrap`): prompt_toolkit itself splits a
question mid-word and cuts a choice at the screen edge. An answered list is
erased and printed again by rich, which wraps at spaces too.

Section headings, help texts, progress and the review are printed with rich.
Every prompt uses questionary's ``unsafe_ask()``, so Ctrl-C arrives as
``KeyboardInterrupt`` (and Ctrl-D as ``EOFError``) at the session boundary,
where the engine stops with everything saved; plain ``ask()`` would turn it
into an empty answer.

Only ``fill`` and ``peer-review`` import this module, so importing questionary
and rich at the top costs nothing elsewhere.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import dataclasses
import functools
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from typing import Any

import prompt_toolkit.application.application as _pt_application
import prompt_toolkit.styles.style as _pt_style
import questionary
import questionary.prompts.common as _q_common
from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition, Filter, IsDone
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, HSplit, Layout, Window
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from questionary import Choice
from questionary.prompts.common import InquirerControl
from rich.console import Console, RenderableType
from rich.markup import escape as _markup_escape

from selfeval.files import yamlio
from selfeval.fill.local import shown_date
from selfeval.fill.prompter import (
    BACK,
    AskContext,
    GoBack,
    Notice,
    Option,
    ReviewRow,
    SectionInfo,
    TypedEOF,
    TypedInterrupt,
    chosen_words,
    label_colon,
    pause_collection,
    progress_words,
    resume_collection,
)
from selfeval.i18n import gettext, ngettext
from selfeval.model.answers import AnswerError, parse_typed
from selfeval.model.questionnaire import (
    DateItem,
    FindingsItem,
    Item,
    LongTextItem,
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    ScaleItem,
    SingleChoiceItem,
    YesNoItem,
    text_in,
)
from selfeval.model.text import shown

__all__ = ["TerminalPrompter"]

_BLANK = "\x00blank"  # questionary cannot use None as a choice value

#: Columns before a choice's text: the pointer (" » ") and, in a checklist, the box ("○ ").
_SELECT_INDENT = 3
_CHECKBOX_INDENT = 5

#: A line of a list in an answer ("- …", "• …", "1. …"): wrapped, it goes on under its text.
_LISTED = re.compile(r"\s*(?:[-*•]|\d+[.)])\s+\S")

#: Screen lines a long answer keeps in a paged review; the rest is shown when it is changed.
_SHORT_LINES = 3


#: A typed line at least this long, followed by one that is no list item, was
#: hard-wrapped (a line break every 70-100 characters): the two are joined for display.
_WRAPPED_AT = 60


def _reflowed(text: str) -> str:
    """``text`` with its hard line breaks inside a paragraph joined, for display only.

    An answer typed or pasted with a line break every 70-100 characters
    wraps at the terminal's width as a long line and a short one (issue 16:
    the worked example's review ran to 37 pages at 80x24). A line is joined
    to the one before only when that one, as typed, is at least
    :data:`_WRAPPED_AT` characters long: short lines ("one point per line",
    as the role question asks) stay lines (sixth trial: two roles read as one
    sentence). Blank lines (paragraphs) and the lines of a list ("- …",
    "1. …") stay too; the stored answer is never changed.
    """
    out: list[str] = []
    before = ""  # the line before, as typed
    for line in text.strip("\n").split("\n"):
        joins = len(before.rstrip()) >= _WRAPPED_AT and line.strip() and not _LISTED.match(line)
        if joins:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
        before = line
    return "\n".join(out)


_STYLE = {"info": "cyan", "warning": "yellow", "error": "bold red", "success": "bold green"}
_MARK = {"info": "i", "warning": "!", "error": "x", "success": "✓"}
# (a "panel" notice is framed instead; see TerminalPrompter.show_notice)


def _share_default_key_bindings() -> None:
    """Build prompt_toolkit's default key bindings once per process, not once per prompt.

    Every prompt is a new prompt_toolkit ``Application``, and each one loads
    the full emacs and vi binding tables again (thousands of objects). That
    was most of the ~25 ms between pressing Enter and the next list prompt
    being drawn (``benchmarks/fill_latency.py``). The tables hold no state
    of their own: their filters look at the running application when a key
    is pressed, so sharing them between prompts is safe.
    """
    module: Any = _pt_application
    for name in ("load_key_bindings", "load_page_navigation_bindings"):
        loader = getattr(module, name)
        if not hasattr(loader, "cache_info"):
            setattr(module, name, functools.cache(loader))


_share_default_key_bindings()


def _share_merged_styles() -> None:
    """Build the merged style of a prompt once per process, not once per prompt.

    Each prompt_toolkit ``Application`` merges its styles (prompt_toolkit's
    UI and Pygments defaults, questionary's) into a new ``Style``, parsing
    some 300 rules, and its renderer then works out the attributes of every
    style string again: about 7 ms of CPU between pressing Enter and the
    next prompt being drawn (``benchmarks/fill_latency.py``). Styles are
    immutable, so a merged style is shared between prompts, keyed by its
    rules (their content, so a changed style is never mistaken for another),
    and it remembers the attributes of each style string.
    """
    merged: Any = _pt_style._MergedStyle
    if getattr(merged, "_selfeval_shared", False):
        return
    shared: dict[tuple[tuple[str, str], ...], _pt_style.Style] = {}

    def merged_style(self: Any) -> _pt_style.Style:
        def get() -> _pt_style.Style:
            rules = tuple(self.style_rules)
            found = shared.get(rules)
            if found is None:
                if len(shared) >= 32:
                    shared.clear()
                found = _pt_style.Style(list(rules))
                attrs = functools.lru_cache(maxsize=4096)(found.get_attrs_for_style_str)
                found.get_attrs_for_style_str = attrs  # type: ignore[method-assign]
                shared[rules] = found
            return found

        return self._style.get(self.invalidation_hash(), get)

    merged._merged_style = property(merged_style)
    merged._selfeval_shared = True


_share_merged_styles()


def _question_line(**kwargs: Any) -> PromptSession[Any]:
    """The prompt_toolkit ``PromptSession`` whose layout draws a list's question line.

    As questionary's ``create_inquirer_layout`` makes it; ``kwargs`` as its
    (the prompt's input and output).
    """
    question: PromptSession[Any] = PromptSession("", reserve_space_for_menu=0, **kwargs)
    _q_common._fix_unecessary_blank_lines(question)
    return question


def _create_inquirer_layout(
    ic: Any,
    get_prompt_tokens: Any,
    *,
    question_line: PromptSession[Any] | None = None,
    **kwargs: Any,
) -> Layout:
    """Questionary's list layout, with the line for a refusal built as what it shows.

    questionary's own ``create_inquirer_layout`` builds two prompt_toolkit
    ``PromptSession`` objects per list: one for the question, and one whose
    only use is the line that shows why a checklist was refused (its bottom
    toolbar). Each costs about 3 ms of CPU between pressing Enter and the next
    list being drawn (``benchmarks/fill_latency.py``). Here the second is
    replaced by what it draws: a blank line, then the message in the
    toolbar's style, while there is a message. Everything else is questionary's.

    ``question_line`` (:func:`_question_line`, passed through questionary's
    ``select``/``checkbox``) is the first one, kept for every list a prompter
    asks: it is given this list's question and an empty answer line. Its
    windows remember what they drew by the application's render counter, which
    starts at 0 in every application, so :meth:`TerminalPrompter._ask` starts
    each application's count past the last one's (:func:`_count_renders_on`).
    """
    if question_line is None:
        question = _question_line(**kwargs)
    else:
        question = question_line
        # Its line for an answer is never typed in (questionary binds every
        # other key to nothing) but keys such as a paste could: empty, as new.
        question.default_buffer.reset()
    question.message = get_prompt_tokens

    @Condition
    def has_search_string() -> bool:
        return ic.get_search_string_tokens() is not None

    refusal = Window(
        FormattedTextControl(lambda: ic.error_message, style="class:bottom-toolbar.text"),
        style="class:bottom-toolbar",
        dont_extend_height=True,
        height=Dimension(min=1),
    )
    return Layout(
        HSplit(
            [
                question.layout.container,
                ConditionalContainer(Window(ic), filter=~IsDone()),
                ConditionalContainer(
                    Window(
                        height=Dimension.exact(2),
                        content=FormattedTextControl(ic.get_search_string_tokens),
                    ),
                    filter=has_search_string & ~IsDone(),
                ),
                ConditionalContainer(
                    HSplit([Window(height=1), refusal]),
                    filter=Condition(lambda: ic.error_message is not None) & ~IsDone(),
                ),
            ]
        )
    )


_q_common.create_inquirer_layout = _create_inquirer_layout


def _pause_collection(_: Any) -> None:
    pause_collection()


def _resume_collection(app: Any) -> None:
    if not app.is_done:  # a prompt drawn, not the last drawing of one answered
        resume_collection()


class _PromptLoop(asyncio.SelectorEventLoop):
    """The event loop prompts run in, checking a signal number against a set made once.

    Each prompt adds and removes signal handlers (SIGINT, SIGWINCH), and
    asyncio checks each signal against ``signal.valid_signals()``, which
    makes a set of some 60 ``Signals`` members every time: ~0.5 ms of CPU
    per prompt (``benchmarks/fill_latency.py``). The valid signals do not
    change while the process runs; the check is otherwise the same.
    """

    _valid_signals = frozenset(signal.valid_signals())

    def _check_signal(self, sig: int) -> None:
        if not isinstance(sig, int):
            raise TypeError(f"sig must be an int, not {sig!r}")
        if sig not in self._valid_signals:
            raise ValueError(f"invalid signal number {sig}")


_runner: list[asyncio.Runner] = []  # the main thread's one event loop for prompts (_run)

#: The render counter the next application starts from (:func:`_count_renders_on`).
_next_render = [0]
_render_lock = threading.Lock()


def _count_renders_on(app: Any) -> None:
    """Let ``app`` number its drawings past every drawing of the applications run before it.

    prompt_toolkit's windows keep what they drew keyed by the running
    application's ``render_counter``, which starts at 0 in every application.
    A window kept from one application to the next (a list's question line,
    :func:`_create_inquirer_layout`) would then show what it drew for an
    earlier prompt at the same count. (The text prompts' session,
    :class:`_TextPrompts`, runs its own application again: its count goes on.)
    Counted on from the last one, no count is
    used twice in the process, so nothing drawn before is taken for now.
    Call :func:`_counted` once the application has ended.
    """
    with _render_lock:
        app.render_counter = max(app.render_counter, _next_render[0])


def _counted(app: Any) -> None:
    """The next application counts on from ``app``'s last drawing (:func:`_count_renders_on`)."""
    with _render_lock:
        _next_render[0] = max(_next_render[0], app.render_counter + 1)


def _run(question: questionary.Question) -> Any:
    """Run ``question`` to its answer; in the main thread, in one event loop for every prompt.

    What questionary's ``unsafe_ask()`` does (``Application.run()``), except
    that ``run()`` makes a new asyncio event loop for every prompt and closes
    it after (``asyncio.run``: about 2.5 ms of CPU between Enter and the next
    prompt drawn, ``docs/performance.md``). prompt_toolkit's way to run
    applications one after the other in one loop is ``run_async()``: each run
    cancels and awaits its own background tasks and removes its signal
    handlers and input reader. An ``asyncio.Runner`` keeps the loop and runs
    each prompt as ``asyncio.run`` would (a fresh copy of the context; a
    SIGINT cancels it and raises ``KeyboardInterrupt``); it is closed at exit.
    In another thread, ``unsafe_ask()`` as it is.

    Raises:
        What the prompt raises (``KeyboardInterrupt``, ``EOFError``,
        :class:`GoBack`, ...).
    """
    if threading.current_thread() is not threading.main_thread():
        return question.unsafe_ask()
    if not _runner:
        _runner.append(asyncio.Runner(loop_factory=_PromptLoop if os.name == "posix" else None))
        atexit.register(_runner[0].close)
    return _runner[0].run(question.application.run_async(), context=contextvars.copy_context())


def _wrap(text: str, width: int, *, first: int, indent: int) -> str:
    """``text`` broken at spaces so that no line is wider than ``width`` columns.

    prompt_toolkit does not wrap a prompt's question, and cuts a choice at
    the screen edge (``wrap_lines`` is off in questionary's list), so the
    words that do not fit are never seen. Line breaks already in ``text``
    stay; ``first`` columns are taken before its first line (``"? "``, the
    pointer), and every later line starts with ``indent`` spaces (to stand
    under the choice's text). A word longer than a line is split.
    """
    room = max(width - 1, indent + 10, first + 10)
    out: list[str] = []
    for number, paragraph in enumerate(text.split("\n")):
        wrapper = textwrap.TextWrapper(
            width=room,
            initial_indent=" " * (first if number == 0 else indent),
            subsequent_indent=" " * indent,
            break_on_hyphens=False,
        )
        lines = wrapper.wrap(paragraph) or [" " * indent]
        out.extend(lines)
    out[0] = out[0][first:]
    return "\n".join(out)


def escape(text: str) -> str:
    """Text from a file as rich markup: shown literally, its control characters as escapes.

    A title in a draft, an answer, a name: whatever no check has held to the
    one rule of texts (:mod:`selfeval.model.text`) cannot clear, repaint or
    retitle the terminal (ESC, BEL …): :func:`~selfeval.model.text.shown`.
    """
    return _markup_escape(shown(text))


def _bullet(text: str, indent: int) -> Any:
    """``- text`` at ``indent`` columns, its later lines under the text, not under the dash.

    Issue 16 (trial 4): a wrapped list line went on under the dash.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row("- ", Text(shown(text)))
    return Padding(grid, (0, 0, 0, indent), expand=False)


def _marked(console: Console, kind: str, text: str) -> Any:
    """A notice's text after its mark (``i``, ``!``), in its colour, its later lines under the text.

    A line break in the text, and a line wrapped at the screen's edge, go on
    past the mark (issue 16: the resume summary's counts; the changed-draft
    warning went on under its "!" below 57 columns).
    """
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    style = _STYLE[kind]
    lines = Text(shown(text), style=style).wrap(console, max(console.width - 2, 10))
    first = Text(f"{_MARK[kind]} ", style=style)
    return Group(
        first + lines[0] if lines else first,
        *(Padding(line, (0, 0, 0, 2), expand=False) for line in lines[1:]),
    )


def _add_keys(question: questionary.Question, bindings: KeyBindings) -> None:
    """Add ``bindings`` to a question's; they win over questionary's own for the same keys."""
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


def _eof_on_ctrl_d(question: questionary.Question) -> questionary.Question:
    """Make Ctrl-D end the session at any prompt, as Ctrl-C does."""
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    _add_keys(question, bindings)
    return question


def _no_wrap_around(question: questionary.Question) -> None:
    """↓ on the last entry of a list stays there (questionary jumps to the first)."""
    for control in question.application.layout.find_all_controls():
        if not isinstance(control, InquirerControl):
            continue
        ic = control

        def step(by: int, ic: InquirerControl = ic) -> None:
            index = ic.pointed_at + by
            while 0 <= index < ic.choice_count:
                choice = ic.choices[index]
                if not choice.disabled:
                    ic.pointed_at = index
                    return
                index += by

        ic.select_next = lambda: step(1)  # type: ignore[method-assign]
        ic.select_previous = lambda: step(-1)  # type: ignore[method-assign]
        # The loops around these calls stop once the entry pointed at is valid.


#: Screen lines a list leaves above its question for what it is about (a
#: finding's card, the answers before it): a list longer than the screen scrolls
#: in what is left (:func:`_fit_to_screen`).
_CONTEXT_ROWS = 6


def _fit_to_screen(question: questionary.Question, lang: str, asked: str) -> None:
    """A list longer than the screen scrolls in it, under its question, saying what is out of view.

    prompt_toolkit draws the whole list, however long: a list of 25 findings
    at 80x24 filled the screen, pushed off the card above and the question
    (issue 16, fifth trial), and left the screen blank once answered. Here
    the list's window is at most what the terminal's height leaves after
    :data:`_CONTEXT_ROWS`, the question (``asked``, as questionary shows it)
    and a line under the list: "↑ nog 3 keuzes · ↓ nog 8 keuzes". It scrolls
    with the pointer, a whole entry (wrapped over lines) at a time. A list
    that fits is drawn as before.
    """
    holder = next(
        (
            c
            for c in question.application.layout.walk()
            if isinstance(c, ConditionalContainer)
            and isinstance(c.content, Window)
            and isinstance(c.content.content, InquirerControl)
        ),
        None,
    )
    if holder is None:
        return
    window: Window = holder.content  # type: ignore[assignment]
    ic: InquirerControl = window.content  # type: ignore[assignment]
    # The first line of each entry, in the list's lines (a label may wrap).
    starts = []
    at = 0
    for choice in ic.choices:
        starts.append(at)
        at += str(choice.title).count("\n") + 1
    total = at
    ends = [*starts[1:], total]
    question_lines = asked.count("\n") + 1

    def room() -> int:
        """Lines the list may take now (the refusal under it takes two when shown)."""
        rows = get_app().output.get_size().rows
        refusal = 2 if ic.error_message is not None else 0
        return rows - _CONTEXT_ROWS - question_lines - refusal

    def overflows() -> bool:
        return total > room()

    def height() -> Dimension:
        return Dimension(max=max(room() - 1, 3)) if overflows() else Dimension()

    def scroll(window: Window) -> int:
        """The first line shown: an entry's first, so that the entry pointed at is whole.

        Moved down past the foot: scrolled so far that the entry and a line of
        the next one show (there is more). Moved up past the top: the entry
        before it shows too.
        """
        shown = max(room() - 1, 3)
        top = window.vertical_scroll
        pointed = min(max(ic.pointed_at or 0, 0), len(starts) - 1)
        start = starts[pointed]
        if start < top:
            return starts[pointed - 1] if pointed else 0
        need = min(ends[pointed] + 1, total)
        if need > top + shown:
            return next((line for line in starts if need - shown <= line <= start), start)
        return top

    def more() -> str:
        info = window.render_info
        if info is None:
            return ""
        first = info.vertical_scroll
        last = first + info.window_height - 1
        above = sum(1 for end in ends if end - 1 < first)
        below = sum(1 for start in starts if start > last)
        said = []
        if above:
            said.append(ngettext(lang, "fill.ui.more_above", "fill.ui.more_above_plural", above))
        if below:
            said.append(ngettext(lang, "fill.ui.more_below", "fill.ui.more_below_plural", below))
        return "  " + " · ".join(said)

    window.height = height
    window.get_vertical_scroll = scroll
    line = Window(FormattedTextControl(more, style="class:instruction"), height=1)
    holder.content = HSplit([window, ConditionalContainer(line, filter=Condition(overflows))])


def _point_keys(question: questionary.Question, keys: dict[str, int]) -> None:
    """Keys that move a list's pointer to an entry (by index) without choosing it."""
    controls = [
        c for c in question.application.layout.find_all_controls() if isinstance(c, InquirerControl)
    ]
    bindings = KeyBindings()
    for key, index in keys.items():

        def point(event: Any, index: int = index) -> None:
            for control in controls:
                control.pointed_at = index

        bindings.add(key, eager=True)(point)
    _add_keys(question, bindings)


def _keep_unchanged(parse: Any, shown: str, kept: str) -> Any:
    """``parse``, but the text ``shown`` as the default, confirmed unchanged, is ``kept``."""

    def parse_kept(text: str) -> Any:
        return parse(kept if text == shown else text)

    return parse_kept


def _editor() -> list[str] | None:
    """The editor "write in an editor" opens: ``$VISUAL``/``$EDITOR`` when set, else a plain one.

    Never vi unasked: without ``$VISUAL``/``$EDITOR`` it is Notepad on Windows
    and nano elsewhere; None when there is none (the key is then not offered).
    """
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value, posix=sys.platform != "win32")
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return ["notepad"]
    nano = shutil.which("nano")
    return [nano] if nano else None


def _editor_name(command: list[str]) -> str:
    return os.path.basename(command[0]) or command[0]


class _WordWrap(Processor):
    """Show an answer broken at spaces, not in the middle of words.

    prompt_toolkit wraps a long line at the screen edge, wherever that falls.
    This processor pads the line before a word that would be split, so the
    word starts on the next screen line; the text itself is not changed
    (the cursor maps through the padding). Used for a long text and for a
    one-line answer (a pre-filled one is often longer than the line).

    Args:
        prefix: columns taken by the prompt before every screen line.
        first: columns taken before the first screen line of the answer (a
            one-line prompt: the question's last line); ``prefix`` when None.
    """

    def __init__(self, prefix: int, first: int | None = None) -> None:
        self.prefix = prefix
        self.first = prefix if first is None else first

    def apply_transformation(self, transformation_input: TransformationInput) -> Transformation:
        ti = transformation_input
        room = ti.width - self.prefix
        # Only the first line of the answer follows the question.
        limit = ti.width - self.first if ti.lineno == 0 else room
        fragments = ti.fragments
        text = "".join(f[1] for f in fragments)
        if room < 10 or limit < 1 or len(text) <= limit:
            return Transformation(fragments)
        pads: list[tuple[int, int]] = []  # (position in text, spaces inserted before it)
        column = 0
        index = 0
        while index < len(text):
            if text[index] == " ":
                column += 1
                index += 1
            else:
                end = index
                while end < len(text) and text[end] != " ":
                    end += 1
                length = end - index
                # A word that ends at the edge with a space after it moves on
                # too: that space would start the next screen line, one in.
                at_edge = column + length == limit and end < len(text)
                if column and (column + length > limit or at_edge) and length < room:
                    pads.append((index, limit - column))
                    column, limit = 0, room
                column += length
                index = end
            while column >= limit:  # the screen line is full: the next one starts
                column, limit = column - limit, room
        if not pads:
            return Transformation(fragments)
        out: list[Any] = []
        position = 0  # where the current fragment starts in the line
        next_pad = 0
        for fragment in fragments:
            style, piece = fragment[0], fragment[1]
            start = 0
            while next_pad < len(pads) and pads[next_pad][0] < position + len(piece):
                at, width = pads[next_pad]
                cut = at - position
                out.append((style, piece[start:cut]))
                out.append((style, " " * width))
                start = cut
                next_pad += 1
            out.append((style, piece[start:]))
            position += len(piece)

        def to_display(source: int) -> int:
            return source + sum(width for at, width in pads if at <= source)

        def to_source(display: int) -> int:
            added = 0
            for at, width in pads:
                if display < at + added:
                    break
                if display < at + added + width:
                    return at
                added += width
            return display - added

        return Transformation(out, source_to_display=to_display, display_to_source=to_source)


def _escape_alone(bindings: KeyBindings) -> None:
    """Esc in a text prompt is a key of its own: it never joins the key typed after it.

    prompt_toolkit reads Esc as the start of an Alt combination: Esc then
    ``b`` moved the cursor a word back and the ``b`` was lost, Esc then
    ``d`` deleted a word (issue 16: "Esc swallows the next key"); and an Esc
    pressed more than a second before Enter was dropped. Handled at once,
    Esc does nothing by itself; in a long text the Enter after it finishes
    (:func:`_long_text_keys`).
    """

    @bindings.add("escape", eager=True)
    def _(event: Any) -> None:
        pass


def _long_text_keys(
    bindings: KeyBindings,
    editor: Callable[[], list[str] | None],
    *,
    when: Filter,
) -> None:
    """Enter on an empty last line finishes a long text, as does Esc then Enter; Ctrl-E edits.

    Enter elsewhere starts a new line. The empty line itself is not part of
    the answer. Esc then Enter (an old habit, issue 16) finishes however long
    the pause between them (:func:`_escape_alone`). Ctrl-E (and Ctrl-X
    Ctrl-E) write the text in the editor ``editor()`` gives, when it gives
    one. Every key only ``when`` it holds (a long text is asked).
    """

    @bindings.add("enter", eager=True, filter=when)
    def _(event: Any) -> None:
        buffer = event.current_buffer
        document = buffer.document
        before = event.previous_key_sequence
        escaped = bool(before) and before[-1].key == Keys.Escape
        if escaped or (document.is_cursor_at_the_end and not document.current_line):
            text = buffer.text[:-1] if buffer.text.endswith("\n") else buffer.text
            buffer.document = Document(text, len(text))
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    def run_editor(filename: str) -> bool:
        command = editor()
        if command is None:
            return False
        try:
            return subprocess.call([*command, filename]) == 0
        except OSError:
            return False

    has_editor = when & Condition(lambda: editor() is not None)

    @bindings.add("c-e", eager=True, filter=has_editor)
    @bindings.add("c-x", "c-e", eager=True, filter=has_editor)
    def _(event: Any) -> None:
        buffer = event.current_buffer
        buffer._open_file_in_editor = run_editor  # never prompt_toolkit's fallback to vi
        buffer.open_in_editor(validate_and_handle=False)


class _TextPrompts:
    """One prompt_toolkit ``PromptSession`` for every text prompt of a prompter.

    questionary's ``text()`` makes a new ``PromptSession`` per question:
    some 60 windows, their filters and caches, an ``Application`` and its key
    bindings, merged again and looked up cold for the Enter that ends it.
    Here one session is kept and :meth:`question` gives it what ``text()``
    would (the question as ``text()`` draws it, the default answer, the
    check, one line or many, the input processors) and a Question around
    its application. What a prompt would otherwise inherit from the one
    before is made new each time: the answer line and the search line
    (emptied, undo included), the clipboard, the focus; no history is kept
    (a new session's is empty). The prompter's keys (:meth:`TerminalPrompter._text`)
    are bound once, each to the state of the prompt being asked
    (:attr:`back`, :attr:`long`, :attr:`editor`), so the application's merged
    key bindings, and what they found for a key, stay valid from one prompt
    to the next.
    """

    def __init__(self, io: dict[str, Any]) -> None:
        from prompt_toolkit.history import DummyHistory
        from prompt_toolkit.lexers import SimpleLexer
        from questionary.styles import merge_styles_default

        #: The prompt being asked offers "previous question" (Ctrl-B).
        self.back = False
        #: The prompt being asked is a long text (its Enter, Ctrl-E).
        self.long = False
        #: The editor Ctrl-E opens in a long text, if any (:func:`_editor`).
        self.editor: list[str] | None = None
        bindings = KeyBindings()
        _escape_alone(bindings)

        @bindings.add("c-b", eager=True, filter=Condition(lambda: self.back))
        def _(event: Any) -> None:
            event.app.exit(exception=GoBack, style="class:aborting")

        @bindings.add("c-u", eager=True)
        def _(event: Any) -> None:
            # Empties the whole answer (every line), not only the line
            # before the cursor: how to clear an answer given before.
            event.app.current_buffer.text = ""

        @bindings.add("c-c", eager=True)
        def _(event: Any) -> None:
            text = event.app.current_buffer.text
            event.app.exit(exception=TypedInterrupt(text), style="class:aborting")

        _long_text_keys(bindings, lambda: self.editor, when=Condition(lambda: self.long))

        @bindings.add("c-d", eager=True)  # as _eof_on_ctrl_d, keeping the text as Ctrl-C
        def _(event: Any) -> None:
            text = event.app.current_buffer.text
            event.app.exit(exception=TypedEOF(text), style="class:aborting")

        # As questionary's text() makes it.
        self.session: PromptSession[str] = PromptSession(
            "",
            style=merge_styles_default([None]),
            lexer=SimpleLexer("class:answer"),
            history=DummyHistory(),
            key_bindings=bindings,
            **io,
        )
        self.session.app._selfeval_ctrl_d = True  # type: ignore[attr-defined]

    def question(
        self,
        message: str,
        *,
        default: str,
        validate: Callable[[str], bool | str],
        qmark: str,
        multiline: bool = False,
        enable_open_in_editor: bool = False,
        input_processors: list[Processor],
    ) -> questionary.Question:
        """The kept session set up as ``questionary.text(message, ...)`` would make one.

        The keys' state (:attr:`back`, :attr:`long`, :attr:`editor`) is set by the caller.
        """
        from prompt_toolkit.clipboard import InMemoryClipboard
        from questionary.prompts.common import build_validator

        session = self.session
        session.message = [("class:qmark", qmark), ("class:question", f" {message} ")]
        session.validator = build_validator(validate)
        session.multiline = multiline
        session.enable_open_in_editor = enable_open_in_editor
        session.input_processors = input_processors
        session.clipboard = InMemoryClipboard()
        session.search_buffer.reset()
        session.default_buffer.reset(Document(default))
        session.app.layout.focus(session.default_buffer)
        return questionary.Question(session.app)


_questionary_text = questionary.prompts.text.text  # questionary's own (questionary.text is ours)


def _text_question(
    message: str, *args: Any, kept: _TextPrompts | None = None, **kwargs: Any
) -> questionary.Question:
    """questionary.text(); with ``kept``, the kept session set up as ``text()`` would make one.

    (:meth:`_TextPrompts.question`; ``instruction`` is then ``""``, as the
    prompter always gives it.) Put in ``questionary.text``'s place, so that
    what wraps ``questionary.text`` wraps every text prompt.
    """
    if kept is None:
        return _questionary_text(message, *args, **kwargs)
    if args or kwargs.pop("instruction", "") != "":
        raise TypeError("a kept text prompt takes its settings by name, with no instruction")
    return kept.question(message, **kwargs)


questionary.text = _text_question


def _pages(
    sections: list[list[list[Any]]],
    size: int,
    continued: Sequence[Sequence[Any]] = (),
) -> list[list[Any]]:
    """Lines grouped into pages of at most ``size``: between sections, else between entries.

    ``continued`` gives per section the lines a page starts with when the
    section goes on from the page before ("Uw reacties (vervolg)"), so every
    page says what it lists (issue 16: pages 3-4 of the reactions had no
    heading); none when shorter than ``sections``.

    Each section is a list of units (its heading first, then an item, or a
    repeat entry with all its fields). A section that does not fit on what is
    left of a page starts a new one, unless it is longer than a page: then it
    starts where its heading and first unit fit. A section longer than a page
    breaks between its units; only a unit longer than a page is broken inside, and
    so is the unit right after a section's heading when it does not fit
    under it (a heading alone on a page was the second trial's first page).
    One line per renderable (the page size leaves room for long answers).
    """
    pages: list[list[Any]] = [[]]

    def lines_of(units: list[list[Any]]) -> int:
        return sum(len(unit) for unit in units)

    for index, units in enumerate(sections):
        # A page this section goes on to starts with its heading again (never
        # one that would leave no room for what it heads).
        heading = list(continued[index]) if index < len(continued) else []
        if 2 * len(heading) > size:
            heading = []
        # A section that fits on a page of its own starts one rather than break; one
        # that breaks anyway starts where its heading and first unit still fit
        # (issue 16: pages a third full, 37 pages for the worked example's BZ).
        whole, first = lines_of(units), lines_of(units[:2])
        if pages[-1] and len(pages[-1]) + whole > size:
            if whole <= size or len(pages[-1]) + first > size:
                pages.append([])
        for number, unit in enumerate(units):
            # A section's heading never stands alone at the foot of a page: the
            # unit after it then starts there and breaks inside instead.
            alone = number == 1 and len(pages[-1]) == len(units[0])
            if pages[-1] and len(pages[-1]) + len(unit) > size and not alone:
                pages.append(list(heading))
            for line in unit:
                if len(pages[-1]) >= size:
                    pages.append(list(heading))
                pages[-1].append(line)
    return pages


class TerminalPrompter:
    """Ask and show through questionary and rich.

    Args:
        console: where headings, help and notices go (default: stdout).
        input: a prompt_toolkit input (tests pass a pipe input).
        output: a prompt_toolkit output (tests pass ``DummyOutput``).
        page: show a review longer than the screen a page at a time
            (default: when the console is a terminal).
        wait: wait for Enter after the opening panel (default: when the
            console is a terminal).
        lang: ``nl`` or ``en``, for the prompter's own texts (item texts come
            in the session's language through :class:`AskContext`).
    """

    #: Every prompt is drawn only after :func:`selfeval.files.yamlio.wait_for_writes`
    #: (see :class:`~selfeval.fill.prompter.Prompter`).
    waits_for_writes = True

    def __init__(
        self,
        *,
        console: Console | None = None,
        input: Any = None,
        output: Any = None,
        lang: str = "nl",
        page: bool | None = None,
        wait: bool | None = None,
    ) -> None:
        self.console = console or Console(highlight=False)
        self._lang = lang
        #: Page a long review: by default when the console is a terminal.
        self._page = self.console.is_terminal if page is None else page
        #: Wait for Enter after the opening panel: by default at a terminal.
        self._wait = self.console.is_terminal if wait is None else wait
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output
        #: Short warnings and information not yet printed: they are printed
        #: just before the next prompt, or at the top of the next review page,
        #: so that nothing printed after them pushes them off the screen.
        self._held: list[Notice] = []
        #: Screen lines printed over the prompt being asked (:meth:`_print_above`).
        self._above = 0
        #: The questions answered one under the other with nothing else printed
        #: since, each by its path and the screen lines it left (help, error,
        #: the answered line): Ctrl-B back to the last one erases them (:meth:`ask`).
        self._answered: list[tuple[Any, int]] = []
        #: Ctrl-B left the question asked last: the next one asked is the one before.
        self._back = False
        #: The question line of every list (:func:`_create_inquirer_layout`), made once.
        self._question_line: PromptSession[Any] | None = None
        #: The session of every text prompt (:class:`_TextPrompts`), made once.
        self._texts: _TextPrompts | None = None

    def _kept_question_line(self) -> PromptSession[Any]:
        if self._question_line is None:
            self._question_line = _question_line(**self._io)
        return self._question_line

    def _kept_texts(self) -> _TextPrompts:
        if self._texts is None:
            self._texts = _TextPrompts(self._io)
        return self._texts

    # -- showing -----------------------------------------------------------------

    def show_section(self, info: SectionInfo) -> None:
        """Print the section heading, the progress line and the introduction."""
        self._printed_between()
        lang = self._lang
        p = info.progress
        self.console.print()
        self.console.rule(f"[bold]{escape(info.title)}")
        self.console.print(
            f"[dim]{gettext(lang, 'fill.ui.section', index=info.index, count=info.count)} · "
            f"{escape(progress_words(p, lang))}[/]"
        )
        if info.intro:
            self.console.print(escape(info.intro))

    def show_notice(self, notice: Notice) -> None:
        """Print a notice, coloured by kind, with its details as a list and its body as text.

        A ``panel`` notice (the opening of a session) is framed, its details
        one per line; at a terminal it then waits for Enter ("Druk op Enter
        om te beginnen"), so that what follows does not push it off a small
        screen before it is read (issue 16, 80x24). The prompt is erased
        once Enter is pressed; Ctrl-C there stops as anywhere.

        A short warning or information (no details, no body: "Het antwoord
        van BZ is heropend", "Dit is de eerste vraag") is printed just before
        the next prompt, or at the top of the next review page, so that what
        is shown in between (a review page, a summary, a finding's card) does
        not push it off the screen before it is read (issue 16, 80x24); one
        marked ``now`` is printed at once, after any held before it.
        """
        short = not notice.details and not notice.body
        if notice.kind in {"warning", "info"} and short and not notice.now:
            self._held.append(notice)
            return
        if notice.kind in {"success", "error", "panel"} or notice.now:
            self._print_held()
        self._print_notice(notice)

    def _printed_between(self) -> None:
        """Something other than a question is printed: the answered lines above stay.

        Ctrl-B back to a question erases its answered line only when nothing
        was printed under it since (:meth:`ask`).
        """
        self._answered.clear()
        self._back = False

    def _held_lines(self) -> int:
        """How many screen lines the notices held back take."""
        return sum(
            len(self.console.render_lines(_marked(self.console, n.kind, n.text), pad=False))
            for n in self._held
        )

    def _print_held(self) -> None:
        """Print the notices held back (:meth:`show_notice`), once."""
        held, self._held = self._held, []
        for notice in held:
            self._print_notice(notice)

    def _print_notice(self, notice: Notice) -> None:
        from rich.padding import Padding

        self._printed_between()
        if notice.kind == "panel":
            from rich.panel import Panel

            lines = "\n".join(escape(d) for d in notice.details)
            self.console.print()
            self.console.print(
                Panel(lines, title=f"[bold]{escape(notice.text)}[/]", title_align="left")
            )
            if self._wait:
                lang = self._lang
                start = [(gettext(lang, "fill.ui.start"), "start")]
                self._pick(gettext(lang, "fill.ui.press_enter"), start, "start", " ", echo=False)
            return
        self.console.print(_marked(self.console, notice.kind, notice.text))
        for detail in notice.details:
            self.console.print(_bullet(detail, 2))
        for paragraph in notice.body.split("\n\n"):
            if paragraph.strip():
                self.console.print(Padding(escape(paragraph.strip()), (0, 0, 0, 4), expand=False))

    def show_review(self, title: str, rows: Sequence[ReviewRow]) -> None:
        """Show every answer, indented by depth, with what is missing or not counted marked.

        A review longer than the screen is shown a page at a time (pages
        break at section headings where they can), with a menu to go to the
        next or previous page or to stop reading; a short one is printed at
        once. Long answers wrap at spaces under their own indent.
        """
        self._printed_between()
        lang = self._lang
        title = shown(title)
        rows = [
            dataclasses.replace(r, label=shown(r.label), value=shown(r.value), note=shown(r.note))
            for r in rows
        ]
        if rows and rows[0].depth == 0 and rows[0].state == "heading" and rows[0].label == title:
            # A review that is one section of its name ("Uw reacties"): the title says
            # it, every page, and no page repeats it as "(vervolg)" (issue 16).
            rows = rows[1:]
        missing = sum(1 for r in rows if r.state == "missing")
        inactive = sum(1 for r in rows if r.state == "inactive")
        counts = []
        if missing:
            counts.append(
                ngettext(lang, "fill.ui.count_missing", "fill.ui.count_missing_plural", missing)
            )
        if inactive:
            counts.append(
                ngettext(lang, "fill.ui.count_inactive", "fill.ui.count_inactive_plural", inactive)
            )
        head = title + (f" ({', '.join(counts)})" if counts else "")
        blocks = self._review_blocks(rows)
        height = self.console.height
        # The notices held back go at the top of the first page: room for them.
        size = max(height - 7 - self._held_lines(), 5)
        lines = [line for block in blocks for unit in block for line in unit]
        noted = next((r for r in rows if r.note), None)
        fits = len(lines) + 2 <= height - 4
        if self._page and not fits:
            # Paged: a long answer is shortened to its first lines (issue 16), in full
            # where it is changed ("Eén antwoord wijzigen", "Een reactie wijzigen").
            blocks = self._review_blocks(rows, short=True)
        if not self._page or fits:
            self.console.print()
            self.console.rule(f"[bold]{escape(head)}")
            self._print_held()
            if noted:
                self.console.print(f"[{_STYLE['success']}]✓ {escape(noted.note)}[/]")
            for line in lines:
                self.console.print(line, highlight=False)
            return
        pages = _pages(blocks, size, self._continued(rows))
        # Open at the page of the answer just changed (its first line is marked).
        index = next(
            (n for n, page in enumerate(pages) if any(getattr(x, "noted", False) for x in page)),
            0,
        )
        while True:
            self.console.clear()
            self.console.rule(f"[bold]{escape(head)}")
            where = gettext(lang, "fill.ui.page", page=index + 1, count=len(pages))
            if any(getattr(x, "shortened", False) for x in pages[index]):
                where += " · " + gettext(lang, "fill.ui.shortened")
            self.console.print(f"[dim]{escape(where)}[/]", highlight=False)
            self._print_held()  # on the first page drawn
            if noted and any(getattr(x, "noted", False) for x in pages[index]):
                self.console.print(f"[{_STYLE['success']}]✓ {escape(noted.note)}[/]")
            for line in pages[index]:
                self.console.print(line, highlight=False)
            options = []
            if index + 1 < len(pages):
                options.append(("next", gettext(lang, "fill.ui.next_page")))
            if index:
                options.append(("previous", gettext(lang, "fill.ui.previous_page")))
            # Says when it leaves pages unread (issue 16: on page 1 of 4 it skipped 2-4).
            left = len(pages) - index - 1
            done = (
                gettext(lang, "fill.ui.done_reading")
                if not left
                else gettext(lang, "fill.ui.done_reading_skip_one", page=len(pages))
                if left == 1
                else gettext(lang, "fill.ui.done_reading_skip", first=index + 2, last=len(pages))
            )
            options.append(("done", done))
            pairs = [(label, value) for value, label in options]
            # Enter goes on: to the next page, and on the last page out of the
            # review (never back to the page before, issue 16).
            choice = self._pick(
                gettext(lang, "fill.ui.page_prompt", page=index + 1, count=len(pages)),
                pairs,
                "next" if index + 1 < len(pages) else "done",
                gettext(lang, "fill.ui.select"),
                echo=False,
            )
            if choice == "done":
                return
            index += 1 if choice == "next" else -1

    def _continued(self, rows: Sequence[ReviewRow]) -> list[list[Any]]:
        """Per section of :meth:`_review_blocks`: its heading marked "(vervolg)", or nothing.

        A page that goes on with a section starts with it (:func:`_pages`).
        """
        from rich.text import Text

        out: list[list[Any]] = []
        for number, row in enumerate(rows):
            if row.depth == 0 or not number:  # a section starts (as in _review_blocks)
                label = Text(
                    gettext(self._lang, "fill.ui.continued", heading=row.label), style="bold"
                )
                # One renderable per screen line, as in _review_blocks.
                wrapped = label.wrap(self.console, max(self.console.width, 20))
                out.append(list(wrapped) if row.state == "heading" else [])
        return out

    def _review_blocks(
        self, rows: Sequence[ReviewRow], *, short: bool = False
    ) -> list[list[list[Any]]]:
        """The review as renderables: per section (a heading of depth 0 starts one) its units.

        A unit is what a page may not break: the section heading, one item,
        or one repeat entry (its heading and every row under it). A long
        answer is shown with the hard line breaks inside its paragraphs
        joined (:func:`_reflowed`); with ``short``, only its first
        :data:`_SHORT_LINES` screen lines, the last ending in "…" (such a
        line has the attribute ``shortened``).
        """
        from rich.padding import Padding
        from rich.text import Text

        lang = self._lang
        width = self.console.width
        blocks: list[list[list[Any]]] = []
        entry: int | None = None  # the depth of the repeat entry being listed

        mark = [False]  # the next line is the first of the row with a note

        def add(text: Text, indent: int, hang: int = 0, limit: int | None = None) -> None:
            # One renderable per screen line, so that pages can be counted. A
            # row's later lines go ``hang`` columns further in, and so do those
            # of a listed line ("- …") of an answer: under its text (issue 16).
            # With ``limit``, the lines after that many are left out and the
            # last one kept ends in "…".
            shown: list[tuple[Any, int, int]] = []
            for part in text.split("\n", allow_blank=True):
                listed = _LISTED.match(part.plain)
                extra = hang or (listed.end() - 1 if listed else 0)
                room = max(width - indent - extra, 20)
                pieces = part.wrap(self.console, room)
                shown += [(p, indent + (extra if n else 0), room) for n, p in enumerate(pieces)]
            cut = limit is not None and len(shown) > limit
            if cut:
                shown = shown[:limit]
                piece, at, room = shown[-1]
                kept = piece.plain.rstrip()
                while kept and len(kept) + 2 > room:
                    kept = kept.rsplit(" ", 1)[0] if " " in kept else kept[: room - 2]
                shown[-1] = (Text(kept + " …"), at, room)
            for number, (piece, at, _) in enumerate(shown):
                line = Padding(piece, (0, 0, 0, at), expand=False)
                if mark[0]:
                    line.noted = True  # type: ignore[attr-defined]  # opens on its page
                    mark[0] = False
                if cut and number == len(shown) - 1:
                    line.shortened = True  # type: ignore[attr-defined]  # said on its page
                blocks[-1][-1].append(line)

        for row in rows:
            mark[0] = bool(row.note)
            if row.depth == 0 or not blocks:
                blocks.append([])
                entry = None
            if entry is not None and row.depth > entry:
                pass  # a field of the entry: same unit
            elif row.state == "heading" and row.depth > 0:
                entry = row.depth
                blocks[-1].append([])
            else:
                entry = None
                blocks[-1].append([])
            indent = 2 * row.depth
            label = Text(row.label, style="bold" if row.state == "heading" else "")
            if row.state == "heading":
                add(label, indent, 2)
                continue
            line = label + Text(label_colon(row.label))
            if row.state == "missing":
                line.append(gettext(lang, "fill.ui.missing"), style="bold red")
            elif row.state == "blank":
                line.append("—", style="dim")
            elif row.state == "inactive":
                line.append(row.value.split("\n")[0] + " — " + gettext(lang, "fill.ui.inactive"))
                line.stylize("dim")
            elif "\n" in row.value or len(row.value) > 60:
                line.rstrip()  # the answer goes under it
                add(line, indent, 2)
                add(Text(_reflowed(row.value)), indent + 4, limit=_SHORT_LINES if short else None)
                continue
            else:
                line.append(row.value)
            add(line, indent, 2)
        return blocks

    # -- asking ------------------------------------------------------------------

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        """Pick one of ``options`` from a list; returns the option's value.

        When one option is "previous question" (:data:`BACK`), ← and Ctrl-B choose it too.
        """
        self._printed_between()
        self._print_held()
        pairs = [(o.label, o.value) for o in options]
        back = any(o.value == BACK for o in options)
        instruction = (
            gettext(self._lang, "fill.ui.select_back")
            if back
            else gettext(self._lang, "fill.ui.select")
        )
        return str(self._pick(message, pairs, default, instruction, back=back))

    def confirm(self, message: str, *, default: bool = False) -> bool:
        """A yes/no question about the session: a list "Ja"/"Nee", Enter chooses.

        As every other prompt, nothing happens until Enter: ``j``/``y`` and
        ``n`` only move to "Ja" or "Nee" (a ``j`` that answered at once left
        the Enter that followed to the shell). The answer is printed in the
        session language.
        """
        self._printed_between()
        self._print_held()
        lang = self._lang
        options = [(gettext(lang, "fill.ui.yes"), "yes"), (gettext(lang, "fill.ui.no"), "no")]
        keys = {"j": 0, "J": 0, "y": 0, "Y": 0, "n": 1, "N": 1}
        answer = self._pick(
            message,
            options,
            "yes" if default else "no",
            gettext(lang, "fill.ui.select"),
            keys=keys,
        )
        return answer == "yes"

    def ask(self, item: Item, current: Any, context: AskContext) -> Any:
        """Ask ``item`` with the prompt that fits its type; None means no answer.

        Raises:
            KeyboardInterrupt: Ctrl-C.
            EOFError: Ctrl-D.
            GoBack: Ctrl-B (or "previous question"); the question left, its
                help and its error are erased first, so that the question
                asked again does not stand under it (issue 16, trial 5), and
                so is an earlier attempt at it that was refused.

        The question asked right after Ctrl-B erases its own answered line
        and help first, when it is the question answered last and nothing
        was printed under them since (sixth trial: "? Op welke fasen …
        Voorkomen, Reageren" stood above the same question asked again).
        """
        back, self._back = self._back, False
        path = context.path
        if back and self._answered and self._answered[-1][0] == path:
            self._erase(self._take(path))
        elif back:
            self._answered.clear()  # another question: what is above is not known
        self._print_held()
        self._above = 0
        try:
            answer = self._ask_item(item, current, context)
        except GoBack:
            # Its earlier attempts (an answer refused, then asked again with the
            # reason) stand just above it: they go too.
            self._erase(self._above + self._take(path))
            self._above = 0
            self._back = True
            raise
        except BaseException:
            self._answered.clear()
            raise
        self._answered.append((path, self._above))
        return answer

    def _take(self, path: Any) -> int:
        """Take the lines of the last questions answered at ``path`` off the stack; how many.

        Only as many as are still on the screen at best (the terminal's height less one).
        """
        lines = 0
        while self._answered and self._answered[-1][0] == path:
            lines += self._answered.pop()[1]
        if lines >= self.console.height - 1:
            self._answered.clear()
            return 0
        return lines

    def _print_above(self, markup: str | RenderableType) -> None:
        """Print a line of the question over its prompt, or its answer; count its screen lines."""
        from rich.text import Text

        text = Text.from_markup(markup) if isinstance(markup, str) else markup
        self._above += len(self.console.render_lines(text, pad=False))
        self.console.print(text)

    def _erase(self, lines: int) -> None:
        """Erase ``lines`` screen lines above the cursor (on a terminal only).

        After Ctrl-B prompt_toolkit has erased the prompt itself and left the
        cursor where it started, just under what :meth:`_print_above` printed.
        """
        from rich.control import Control
        from rich.segment import ControlType

        up = Control((ControlType.CURSOR_UP, 1), (ControlType.ERASE_IN_LINE, 2))
        if lines:
            self.console.control(Control.move_to_column(0), *[up] * lines)

    def _ask_item(self, item: Item, current: Any, context: AskContext) -> Any:
        if context.help:
            self._print_above(f"[dim]{escape(context.help)}[/]")
        if context.error:
            self._print_above(f"[bold red]x {escape(context.error)}[/]")
        message = context.label
        if context.entry:
            message = f"[{context.entry}] {message}"
        if context.required:
            message += " *"
        if context.hint:
            message += f" ({context.hint})"
        if isinstance(item, YesNoItem):
            options = [
                (gettext(context.lang, "fill.ui.yes"), True),
                (gettext(context.lang, "fill.ui.no"), False),
            ]
            return self._select(message, options, current, context)
        if isinstance(item, SingleChoiceItem):
            options = [(text_in(c.label, context.lang), c.value) for c in item.choices]
            return self._select(message, options, current, context)
        if isinstance(item, ScaleItem):
            options = []
            for point in range(item.min, item.max + 1):
                label = text_in(item.labels[point], context.lang) if point in item.labels else ""
                options.append((f"{point} {label}".strip(), point))
            return self._select(message, options, current, context)
        if isinstance(item, ParticipantItem):
            options = [(label, code) for code, label in context.participants]
            return self._select(message, options, current, context)
        if isinstance(item, MultipleChoiceItem):
            options = [(text_in(c.label, context.lang), c.value) for c in item.choices]
            return self._checkbox(message, options, current, context)
        if isinstance(item, ParticipantsItem):
            options = [(label, code) for code, label in context.participants]
            return self._checkbox(message, options, current, context)
        if isinstance(item, FindingsItem) and context.findings:
            # What the respondent knows of a finding (its kind, number and
            # title); the id is what is stored, never shown.
            options = [(label, fid) for fid, label in context.findings]
            known = {fid for fid, _ in context.findings}
            options += [(fid, fid) for fid in current or [] if fid not in known]
            return self._checkbox(message, options, current, context)
        return self._text(item, message, current, context)

    def _ask(self, question: questionary.Question) -> Any:
        app = question.application
        # Drawn only once the answers given are on disk: the last one may
        # still be being written (Walker.save_answer), while this was built.
        app.pre_run_callables.append(yamlio.wait_for_writes)
        # No garbage collection between a key (Enter above all) and the
        # drawing that answers it: it runs after, while the respondent reads.
        # (Taken off after: the text prompts' application is run again.)
        app.key_processor.before_key_press += _pause_collection
        app.after_render += _resume_collection
        if not getattr(app, "_selfeval_ctrl_d", False):  # the text prompts' has its own
            question = _eof_on_ctrl_d(question)
        _count_renders_on(app)
        try:
            answer = _run(question)
        except BaseException:
            resume_collection()
            raise
        finally:
            _counted(app)
            app.key_processor.before_key_press -= _pause_collection
            app.after_render -= _resume_collection
        pause_collection()  # until the next prompt is drawn
        return answer

    def _asked(self, question: questionary.Question) -> Any:
        """Ask, then erase the prompt: the caller prints the answer in the session language."""
        question.application.erase_when_done = True
        return self._ask(question)

    def _text(self, item: Item, message: str, current: Any, context: AskContext) -> Any:
        parse = context.parse or functools.partial(parse_typed, item)

        def validate(text: str) -> bool | str:
            try:
                value = parse(text)
            except AnswerError as exc:
                return exc.text(context.lang)
            if value is None:
                return True
            problem = context.validate(value)
            return True if problem is None else problem

        lang = context.lang
        asked = message  # the question as given, before it is broken for prompt_toolkit
        keys = gettext(lang, "fill.ui.back_key") if context.can_go_back else ""
        extra: dict[str, Any] = {}
        editor = None
        if isinstance(item, LongTextItem):
            # prompt_toolkit draws a multi-line prompt whose message is wider
            # than the terminal as an empty screen (the message becomes the
            # prefix of every line). So the question and how to finish go
            # above it, where rich wraps them, and the prompt itself is short.
            editor = _editor()
            hint = gettext(lang, "fill.ui.multiline")[:-1]
            hint += " · " + gettext(lang, "fill.ui.clear_key")
            if keys:
                hint += " · " + keys
            if editor:
                hint += " · " + gettext(lang, "fill.ui.editor", editor=_editor_name(editor))
            self._print_above(f"[bold]? {escape(message)}[/] [dim]{escape(hint + ')')}[/]")
            message = "›"
            extra = {
                "multiline": True,
                "enable_open_in_editor": editor is not None,
                "input_processors": [_WordWrap(prefix=4)],
            }
        else:
            # The instruction is part of the question: questionary would put
            # two spaces before it ("Titel *  (Ctrl-B: vorige vraag)").
            instruction = f"({keys})" if keys else ""
            message = self._message(message, instruction)
            if instruction:
                message += ("" if message.endswith("\n") else " ") + instruction
        qmark = "?"
        if context.unconfirmed:
            # Part of the prompt, so it goes when the answer is confirmed
            # (issue 16: it stayed on screen above the confirmed answer).
            note = gettext(lang, "fill.ui.unconfirmed")
            message = _wrap(note, self.console.width, first=2, indent=0) + "\n? " + message
            qmark = "!"
        if not isinstance(item, LongTextItem):
            # The answer (a pre-filled one above all) wraps at spaces after
            # the question's last line ("? " + message + " ").
            after = len(f"{qmark} {message} ".rsplit("\n", 1)[-1])
            extra["input_processors"] = [_WordWrap(prefix=0, first=after)]
        # The keys of every text prompt (_TextPrompts): Esc alone, Ctrl-U
        # empties the answer, Ctrl-C keeps what was typed as a draft, Ctrl-D;
        # Ctrl-B when it can go back; in a long text Enter and the editor's.
        texts = self._kept_texts()
        texts.back = context.can_go_back
        texts.long = isinstance(item, LongTextItem)
        texts.editor = editor

        if isinstance(current, str) and isinstance(item, DateItem):
            current = shown_date(current, lang)
        if current is None:
            default = ""
        elif isinstance(current, list):  # finding ids: typed and shown comma-separated
            default = ", ".join(map(str, current))
        else:
            default = str(current)
        if isinstance(item, LongTextItem):
            # An answer given before may end in a line break (a YAML block): the
            # cursor would then stand on an empty last line, where one Enter
            # finishes. Without it, Enter adds a line as in a new long text and
            # Enter on the empty line finishes; unchanged, the answer is kept as it was.
            shown = default.rstrip("\n")
            if shown != default:
                keep, default = default, shown
                parse = _keep_unchanged(parse, shown, keep)
        question = questionary.text(
            message, default=default, validate=validate, qmark=qmark, instruction="",
            kept=texts, **extra,
        )  # fmt: skip
        # prompt_toolkit would leave the answer on screen cut at the edge,
        # mid-word; rich prints it again broken at spaces.
        text = self._asked(question)
        if isinstance(item, LongTextItem):
            from rich.padding import Padding

            if text.strip():
                self._print_above(Padding(escape(text), (0, 0, 0, 2), expand=False))
        else:
            self._print_above(f"[bold]?[/] [bold]{escape(asked)}[/] {escape(text)}")
        return parse(text)

    def _message(self, message: str, instruction: str) -> str:
        """The question, broken at spaces to fit the terminal, leaving room for ``instruction``.

        questionary shows ``"? " + message + " " + instruction``; the
        instruction goes to a line of its own when it does not fit after the
        question's last line.
        """
        width = self.console.width
        text = _wrap(message, width, first=2, indent=0)
        last = len(text.rsplit("\n", 1)[-1]) + (2 if "\n" not in text else 0)
        if instruction and last + 2 + len(instruction.rstrip()) > width - 1:
            text += "\n"
        return text

    def _list_message(self, message: str, instruction: str) -> tuple[str, str]:
        """A list's question and instruction as questionary draws them: ``(message, instruction)``.

        questionary puts a space after the question; an instruction that goes
        to a line of its own then started one column in (issue 16). The line
        break goes before the instruction instead, so that it starts at the
        edge, as a wrapped question's lines and a text prompt's instruction do.
        """
        text = self._message(message, instruction)
        if text.endswith("\n"):
            return text[:-1], "\n" + instruction
        return text, instruction

    def _choice(self, label: str, indent: int) -> str:
        """A choice's label broken at spaces, its later lines under its first."""
        return _wrap(label, self.console.width, first=indent, indent=indent)

    def _pick(
        self,
        message: str,
        options: list[tuple[str, Any]],
        default: Any,
        instruction: str,
        *,
        back: bool = False,
        echo: bool = True,
        keys: dict[str, int] | None = None,
    ) -> Any:
        """A list to pick one from; the question and every label shown in full.

        The prompt is erased once answered and the answer printed by rich,
        which wraps at spaces (prompt_toolkit would split words). ↓ on the
        last entry stays there. With ``back``, ← and Ctrl-B choose :data:`BACK`;
        ``keys`` maps a key to the entry it moves to (Enter still chooses).
        """
        choices = [Choice(self._choice(label, _SELECT_INDENT), value) for label, value in options]
        values = [value for _, value in options]
        asked, instruction = self._list_message(message, instruction)
        question = questionary.select(
            asked,
            choices=choices,
            default=default if default in values and default is not None else None,
            instruction=instruction,
            question_line=self._kept_question_line(),
            # Letters do not move the pointer (questionary's j/k): text typed ahead
            # into a list must not pick an entry (trial 9: a comment typed while the
            # "no comment" menu came up chose "Een ander oordeel kiezen").
            use_jk_keys=False,
            **self._io,
        )
        _no_wrap_around(question)
        _fit_to_screen(question, self._lang, f"{asked} {instruction}")
        if back:
            bindings = KeyBindings()

            @bindings.add("left", eager=True)
            @bindings.add("c-b", eager=True)
            def _(event: Any) -> None:
                event.app.exit(result=BACK)

            _add_keys(question, bindings)
        if keys:
            _point_keys(question, keys)
        answer = self._asked(question)
        if echo:
            self._echo(message, options, answer)
        return answer

    def _echo(self, message: str, options: list[tuple[str, Any]], answer: Any) -> None:
        """Print the question and the label of the option chosen, where the list was."""
        shown = next((label for label, value in options if value == answer), str(answer))
        self._print_above(f"[bold]?[/] [bold]{escape(message)}[/] {escape(shown)}")

    def _select(
        self, message: str, options: list[tuple[str, Any]], current: Any, context: AskContext
    ) -> Any:
        offered = [*options, (gettext(context.lang, "fill.ui.blank"), _BLANK)]
        back = context.can_go_back
        if back:
            offered.append((gettext(context.lang, "fill.ui.back"), BACK))
        instruction = (
            gettext(context.lang, "fill.ui.select_back")
            if back
            else gettext(context.lang, "fill.ui.select")
        )
        answer = self._pick(message, offered, current, instruction, back=back, echo=False)
        if answer == BACK:
            raise GoBack  # nothing echoed: the question left is erased (ask)
        self._echo(message, offered, answer)
        return None if answer == _BLANK else answer

    def _checkbox(
        self, message: str, options: list[tuple[str, Any]], current: Any, context: AskContext
    ) -> Any:
        chosen = set(current) if isinstance(current, list) else set()
        choices = [
            Choice(self._choice(label, _CHECKBOX_INDENT), value, checked=value in chosen)
            for label, value in options
        ]
        instruction = (
            gettext(context.lang, "fill.ui.checkbox_back")
            if context.can_go_back
            else gettext(context.lang, "fill.ui.checkbox")
        )

        def validate(selected: list[Any]) -> bool | str:
            # An empty selection too: a required checklist refuses it here, in place.
            problem = context.validate(list(selected))
            return True if problem is None else problem

        asked, instruction = self._list_message(message, instruction)
        question = questionary.checkbox(
            asked,
            choices=choices,
            validate=validate,
            instruction=instruction,
            question_line=self._kept_question_line(),
            **self._io,
        )
        _no_wrap_around(question)
        _fit_to_screen(question, context.lang, f"{asked} {instruction}")
        if context.can_go_back:
            bindings = KeyBindings()

            @bindings.add("left", eager=True)
            @bindings.add("c-b", eager=True)
            def _(event: Any) -> None:
                event.app.exit(exception=GoBack, style="class:aborting")

            _add_keys(question, bindings)
        answer = list(self._asked(question))
        labels = dict((value, label) for label, value in options)
        shown = chosen_words([labels.get(v, str(v)) for v in answer], context.lang)
        self._print_above(f"[bold]?[/] [bold]{escape(message)}[/] {escape(shown)}")
        return answer
