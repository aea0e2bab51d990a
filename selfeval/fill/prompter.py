"""What the filling engine and a prompter exchange: the :class:`Prompter` protocol.

:class:`~selfeval.fill.session.FillSession` (the engine, no terminal knowledge) asks
and shows everything through a :class:`Prompter`. :mod:`selfeval.cli.terminal` is
the questionary/rich implementation; tests and benchmarks use scripted fakes;
``peer-review`` reuses both. This module also holds :func:`format_value`, which
renders an answer for reading. The session's own words are messages ``fill.*``
of the catalogue (:mod:`selfeval.i18n`).
"""

from __future__ import annotations

import contextlib
import gc
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from selfeval.fill.local import shown_date
from selfeval.i18n import gettext, ngettext
from selfeval.model.answers import Progress, is_answered
from selfeval.model.questionnaire import (
    DateItem,
    FindingsItem,
    Item,
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    ScaleItem,
    SingleChoiceItem,
    YesNoItem,
    text_in,
)

__all__ = [
    "BACK",
    "AskContext",
    "GoBack",
    "Notice",
    "Option",
    "Prompter",
    "ReviewRow",
    "SectionInfo",
    "TypedEOF",
    "TypedInterrupt",
    "chosen_words",
    "format_value",
    "label_room",
    "offered",
    "participant_label",
    "progress_words",
    "shorten",
    "shorten_apart",
]

#: An answer's place: item ids and entry indexes, e.g. ``("bottlenecks", 0, "title")``.
Path_ = tuple[str | int, ...]

#: The value of the "previous question" entry of a menu. A prompter that
#: offers a key for going back (as well as the entry) returns this value for it.
BACK = "\x00back"


class GoBack(Exception):
    """Raised by :meth:`Prompter.ask` when the respondent asks for the previous question.

    Only when :attr:`AskContext.can_go_back` is true. The engine then asks the
    question before (or, at the first question of a repeat entry, shows the
    group's menu again); nothing is saved for the question left.
    """


class TypedInterrupt(KeyboardInterrupt):
    """Ctrl-C in a text prompt, carrying what was typed but not confirmed.

    The engine keeps ``text`` in the response as an *unconfirmed* answer
    (:attr:`~selfeval.model.response.Response.unconfirmed`) and offers it
    again, marked as such, when the session resumes.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class TypedEOF(EOFError):
    """Ctrl-D in a text prompt, carrying what was typed but not confirmed.

    Ctrl-D stops a session as Ctrl-C does (``fill --help``), so the engine
    keeps ``text`` as :class:`TypedInterrupt`'s (trial 9: Ctrl-D threw it away).
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Option:
    """One entry of a menu: the ``value`` returned and the ``label`` shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Notice:
    """A message for the respondent.

    Attributes:
        kind: ``info``, ``warning``, ``error`` or ``success``; ``panel`` for
            the opening and closing texts of a session (framed).
        text: one sentence (a panel: its title).
        details: further lines (e.g. one per missing item).
        body: paragraphs shown after the details as running text (a
            finding's text, say), separated by blank lines.
        now: shown at once, not held until the next prompt as a short
            warning or information is at a terminal: it is about what was
            just done and belongs above what is shown next ("Overgeslagen:
            geen reactie op bevinding 5/23 …" above the next finding's card).
    """

    kind: Literal["info", "warning", "error", "success", "panel"]
    text: str
    details: tuple[str, ...] = ()
    body: str = ""
    now: bool = False


def progress_words(progress: Progress, lang: str) -> str:
    """The counts a respondent sees, e.g. ``"19 van 28 vragen beantwoord, verplicht 8/8"``.

    One wording for the opening panel's size, the section headings, the
    resume summary and the closing line (issue 16: they counted different
    things). Questions are the items shown now (:class:`Progress`); a repeat
    group is one question however many entries it has (its menu counts those).

    Args:
        progress: from :func:`selfeval.model.answers.progress`.
        lang: ``nl`` or ``en``.

    Returns:
        The counts in ``lang``.
    """
    return ngettext(
        lang, "fill.progress", "fill.progress_plural", progress.shown,
        answered=progress.answered, done=progress.required_answered, required=progress.required,
    )  # fmt: skip


@dataclass(frozen=True)
class SectionInfo:
    """What to show when a section starts.

    Attributes:
        index: 1-based position of the section.
        count: number of sections in the questionnaire.
        title: the section title in the session language.
        intro: the section introduction, if any.
        progress: progress over the whole questionnaire so far.
    """

    index: int
    count: int
    title: str
    intro: str | None
    progress: Progress


@dataclass(frozen=True)
class AskContext:
    """Everything a prompter needs to ask one item, beyond the item itself.

    Attributes:
        path: where the answer goes, e.g. ``("bottlenecks", 0, "title")``.
        lang: ``nl`` or ``en``.
        label: the item's label in ``lang``.
        help: the item's help text in ``lang``, if any.
        required: whether submission needs an answer.
        entry: the repeat entry being filled (e.g. ``"Knelpunt 2"``), if any.
        participants: (code, label) pairs offered for participant items, the
            label made by :func:`participant_label`.
        validate: returns None when a value (in stored form) fits, else the
            message saying why not; prompters call it while the user types.
        error: why the previous attempt was refused, when asking again.
        can_go_back: the prompt may raise :class:`GoBack` (a key and, in a
            list, an entry "previous question").
        unconfirmed: the text offered was typed in an earlier session and
            never confirmed (Ctrl-C); the prompter says so.
        parse: turns what was typed into the stored form, raising
            ``AnswerError`` with a message in the session language; None:
            :func:`selfeval.model.answers.parse_typed`.
        hint: how to answer, e.g. the date format, shown with the question.
        findings: (finding id, what it says) pairs offered for a ``findings``
            item: the respondent's own bottlenecks, blind spots and needs so
            far, and in a peer review those of the draft.
    """

    path: Path_
    lang: str
    label: str
    help: str | None
    required: bool
    entry: str | None
    participants: tuple[tuple[str, str], ...]
    validate: Callable[[Any], str | None]
    error: str | None = None
    can_go_back: bool = False
    unconfirmed: bool = False
    parse: Callable[[str], Any] | None = None
    hint: str | None = None
    findings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review of all answers.

    Attributes:
        depth: 0 for section headings, 1 for items, 2+ inside repeat entries.
        label: section title, item label or entry label.
        value: the answer formatted for reading ("" for headings).
        state: ``heading``, ``answered``, ``blank``, ``missing`` (required,
            no answer) or ``inactive`` (answered, but its condition is false).
        note: said with the review when not empty (e.g. "Opgeslagen: …" for
            the answer just changed); the review opens at this row's page.
    """

    depth: int
    label: str
    value: str
    state: Literal["heading", "answered", "blank", "missing", "inactive"]
    note: str = ""


class Prompter(Protocol):
    """How the engine talks to the respondent.

    Every method may raise ``KeyboardInterrupt`` or ``EOFError``; the engine
    then stops, with every answer given already saved.

    A prompter may set ``waits_for_writes = True``: it promises to call
    :func:`selfeval.files.yamlio.wait_for_writes` before it shows a prompt
    (raising what that raises). The engine then saves each answer in the
    background while the next prompt is built (``docs/performance.md``);
    without it every save is written before the engine goes on.

    Within :func:`collection_paused_between_prompts` (a session), a prompter
    may pause Python's cyclic garbage collector from an answer to the next
    prompt drawn (:func:`pause_collection`).
    """

    def show_section(self, info: SectionInfo) -> None:
        """Show a section heading, its introduction and the progress."""

    def show_notice(self, notice: Notice) -> None:
        """Show a message (information, warning, error, success)."""

    def show_review(self, title: str, rows: Sequence[ReviewRow]) -> None:
        """Show all answers for review."""

    def ask(self, item: Item, current: Any, context: AskContext) -> Any:
        """Ask one item; return the answer in stored form, or None for no answer."""

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        """Let the respondent pick one option; return its ``value``."""

    def confirm(self, message: str, *, default: bool = False) -> bool:
        """Ask a yes/no question about the session itself."""


_sessions: list[bool] = []  # one entry per session running (collection_paused_between_prompts)
_paused: list[bool] = []  # [True] while pause_collection holds the collector off


@contextlib.contextmanager
def collection_paused_between_prompts() -> Iterator[None]:
    """Run a session in which a prompter may pause the garbage collector between prompts.

    Only inside it does :func:`pause_collection` do anything, and leaving it
    turns the collector back on (:func:`resume_collection`), however the
    session ends. :meth:`selfeval.fill.session.FillSession.run` and
    :func:`selfeval.peer_review.run.run_peer_review` run in one (it also
    decorates a function).
    """
    _sessions.append(True)
    try:
        yield
    finally:
        _sessions.pop()
        if not _sessions:
            resume_collection()


def pause_collection() -> None:
    """Hold Python's cyclic garbage collector off until :func:`resume_collection`.

    The terminal prompter calls this when a key is taken and when an answer
    is given: the garbage of a prompt (prompt_toolkit's objects refer to
    each other, so only the collector frees them) is then collected after
    the next prompt is drawn, while the respondent reads it, instead of in
    the time they wait for it (``docs/performance.md``). Outside
    :func:`collection_paused_between_prompts` (a prompter used on its own),
    or with the collector off already, it does nothing.
    """
    if _sessions and not _paused and gc.isenabled():
        gc.disable()
        _paused.append(True)


def resume_collection() -> None:
    """Turn the garbage collector back on after :func:`pause_collection` (else do nothing).

    Called when a prompt has been drawn, when a prompt ends with an error,
    and when a session ends (:func:`collection_paused_between_prompts`).
    """
    if _paused:
        _paused.clear()
        gc.enable()


def offered(item: Item, container: Mapping[str, Any]) -> Any:
    """What the prompt for ``item`` starts with: its answer, else its ``default:``.

    The questionnaire's ``default:`` is offered only while the item was never
    asked (its id is not in ``container``); it becomes the answer only when the
    respondent accepts it. An item asked and left blank (``null``) is offered
    blank again. Nothing fills a default in by itself (``docs/questionnaire-format.md``).
    """
    if item.id in container:
        return container[item.id]
    return getattr(item, "default", None)


#: Columns a menu takes before a label: its pointer and the checkbox ("» ○ ").
MENU_MARGIN = 6


def label_colon(label: str) -> str:
    """What goes between ``label`` and its answer on one line: ``": "``, or ``" "``.

    A label that ends in "?" or ":" gets no colon after it ("Ziet uw
    departement knelpunten? Ja", not "…knelpunten?: Ja"; sixth trial).
    """
    return " " if label.rstrip().endswith(("?", ":")) else ": "


def label_room(before: int = 0) -> int:
    """How many characters a menu label has on one line of this terminal.

    The terminal's width (``shutil.get_terminal_size``: 80 when it cannot
    tell) less the menu's pointer (:data:`MENU_MARGIN`) and ``before``
    characters of the label that come first (``Punt 1 › Titel: ``); at
    least 20. At 80 columns a label of 74 characters shows whole.
    """
    return max(shutil.get_terminal_size().columns - MENU_MARGIN - before, 20)


def shorten(text: str, width: int | None = None) -> str:
    """``text`` on one line, cut at a word with "…" when longer than ``width`` characters.

    The one rule for a label in a menu that picks an answer, an entry or a
    reaction ("Welk antwoord?", "Welke bevinding?"): never cut inside a word
    (a word longer than ``width`` alone is cut). Line breaks become spaces.
    ``width`` None: what one line of the terminal holds (:func:`label_room`).
    In a menu, :func:`shorten_apart` keeps labels that would look alike whole.
    """
    if width is None:
        width = label_room()
    words = " ".join(text.split())
    if len(words) <= width:
        return words
    room = words[: width - 1]
    cut = room.rsplit(" ", 1)[0] if " " in room and words[width - 1] != " " else room
    return cut.rstrip(" ,;:—-") + "…"


def shorten_apart(texts: Sequence[str], width: int | None = None) -> list[str]:
    """The labels of one menu, each :func:`shorten`-ed, but never cut so that two look alike.

    A label cut to words another label starts with (the same words, or the
    start of them) is kept whole (the terminal breaks it at spaces under its
    first line), so every choice can be told from the others (issue 16:
    "Behoefte/ambitie: Investeren in een meer…" twice). ``width`` as for
    :func:`shorten`.

    Returns:
        One label per text, in order.
    """
    cut = [shorten(text, width) for text in texts]
    bare = [label.removesuffix("…") for label in cut]
    out = []
    for index, label in enumerate(cut):
        alike = label.endswith("…") and any(
            other != index and bare[other].startswith(bare[index]) for other in range(len(cut))
        )
        out.append(" ".join(texts[index].split()) if alike else label)
    return out


def participant_label(code: str, name: str, full_name: str = "") -> str:
    """A participant as the respondent reads it wherever one is offered or shown.

    ``CODE — name``: the short name (``FIN — Financiën``), or, when the short
    name is only the code again, the full name in the session language (``BZ —
    Ministerie van Buitenlandse Zaken``), so that every participant in a list
    has a name beside its code; the code alone when neither says more.

    Args:
        code: the participant code (``selfeval.yaml``).
        name: its short name.
        full_name: its full name in the session language (``Participant.full_name_in``).

    Returns:
        The label; choice lists, answers shown back and the review all use it.
    """
    said = next((n.strip() for n in (name, full_name) if n and n.strip() != code), "")
    return f"{code} — {said}" if said else code


def chosen_words(labels: Sequence[str], lang: str, separator: str = ", ") -> str:
    """A checklist's answer as read: the labels ticked, or "niets gekozen" when none.

    The one wording for a checklist left empty ("none of these", an answer to
    an optional checklist), used by :func:`format_value` (the review, menus)
    and by the prompter when it shows the answer just given (issue 16: it read
    "niets gekozen" while filling, blank in the review).

    Args:
        labels: what the respondent read for each item ticked, in order.
        lang: ``nl`` or ``en``.
        separator: between two labels.

    Returns:
        The text.
    """
    return separator.join(labels) or gettext(lang, "fill.ui.none_chosen")


def format_value(
    item: Item,
    value: Any,
    lang: str,
    *,
    labels: Mapping[str, str] | None = None,
    findings: Mapping[str, str] | None = None,
) -> str:
    """An answer as the respondent would read it: choice labels, yes/no, lists joined.

    Args:
        item: the item answered.
        value: the stored answer.
        lang: ``nl`` or ``en``.
        labels: participant code → :func:`participant_label`, to show
            participants as they are offered (``FIN — Financiën``).
        findings: finding id → what the respondent reads for it (a
            ``findings`` item's answers; ``Knelpunt 3: Trage besluitvorming``),
            joined with "; "; an id not in it is shown as it is.

    Returns:
        The text (empty for no answer); a checklist answered with nothing
        reads as :func:`chosen_words` says.
    """
    if value == [] and isinstance(item, MultipleChoiceItem | ParticipantsItem | FindingsItem):
        return chosen_words([], lang)
    if not is_answered(value):
        return ""
    if isinstance(item, YesNoItem) and isinstance(value, bool):
        return gettext(lang, "fill.ui.yes") if value else gettext(lang, "fill.ui.no")  # as offered
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        labels = {c.value: text_in(c.label, lang) for c in item.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if isinstance(item, ParticipantItem | ParticipantsItem) and labels:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(c), str(c)) for c in codes)
    if isinstance(item, FindingsItem) and isinstance(value, list) and findings:
        return "; ".join(findings.get(str(v), str(v)) for v in value)
    if isinstance(item, DateItem) and isinstance(value, str):
        return shown_date(value, lang)
    if isinstance(item, ScaleItem) and value in item.labels:
        return f"{value} ({text_in(item.labels[value], lang)})"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
