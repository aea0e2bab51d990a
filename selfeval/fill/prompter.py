"""What the filling engine and a prompter exchange: the :class:`Prompter` protocol.

:class:`~selfeval.fill.session.FillSession` (the engine, no terminal knowledge) asks
and shows everything through a :class:`Prompter`. :mod:`selfeval.cli.terminal` is
the questionary/rich implementation; tests and benchmarks use scripted fakes;
``peer-review`` reuses both. This module also holds the session's own texts
in Dutch and English (:func:`message`) and :func:`format_value`, which renders
an answer for reading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from selfeval.fill.local import shown_date
from selfeval.model.answers import Progress, is_answered
from selfeval.model.questionnaire import (
    DateItem,
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
    "TypedInterrupt",
    "format_value",
    "message",
    "offered",
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
    """

    kind: Literal["info", "warning", "error", "success", "panel"]
    text: str
    details: tuple[str, ...] = ()
    body: str = ""


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
        participants: (code, name) pairs offered for participant items.
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
    """

    depth: int
    label: str
    value: str
    state: Literal["heading", "answered", "blank", "missing", "inactive"]


class Prompter(Protocol):
    """How the engine talks to the respondent.

    Every method may raise ``KeyboardInterrupt`` or ``EOFError``; the engine
    then stops, with every answer given already saved.
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


_TEXTS: dict[str, dict[str, str]] = {
    "continue": {"nl": "Verder waar u gebleven was", "en": "Continue where you left off"},
    "revisit": {"nl": "Een onderdeel opnieuw bekijken", "en": "Revisit a section"},
    "review": {"nl": "Alles nakijken en indienen", "en": "Review everything and submit"},
    "quit": {"nl": "Opslaan als concept en stoppen", "en": "Save as draft and stop"},
    "submit": {"nl": "Indienen", "en": "Submit"},
    "missing": {"nl": "Ontbrekende antwoorden invullen", "en": "Answer the missing items"},
    "resume": {
        "nl": "Concept van {updated}: {answered} beantwoord, verplicht {done}/{required}.",
        "en": "Draft of {updated}: {answered} answered, required {done}/{required}.",
    },
    "unconfirmed_line": {
        "nl": "Nog niet bevestigd (getypt vóór de onderbreking): {label}",
        "en": "Not yet confirmed (typed before the interruption): {label}",
    },
    "opening_who": {
        "nl": "U beantwoordt deze vragenlijst namens {who}.",
        "en": "You answer this questionnaire for {who}.",
    },
    "opening_size": {
        "nl": "{sections} onderdelen, {questions} vragen: reken op ongeveer {minutes} minuten.",
        "en": "{sections} sections, {questions} questions: allow about {minutes} minutes.",
    },
    "opening_saved": {
        "nl": "Elk antwoord wordt meteen bewaard. Eerder gegeven antwoorden staan al klaar.",
        "en": "Every answer is saved at once. Answers given before are filled in already.",
    },
    "opening_keys": {
        "nl": "Vorige vraag: Ctrl-B (in een lijst ook ←). Lange tekst afronden: Enter op een "
        "lege regel.",
        "en": "Previous question: Ctrl-B (in a list also ←). Finish a long text: Enter on an "
        "empty line.",
    },
    "opening_stop": {
        "nl": "Stoppen: Ctrl-C. Hetzelfde commando gaat later verder waar u was.",
        "en": "Stop: Ctrl-C. The same command later continues where you were.",
    },
    "what_now": {"nl": "Wat wilt u doen?", "en": "What would you like to do?"},
    "which_section": {"nl": "Welk onderdeel?", "en": "Which section?"},
    "which_answer": {"nl": "Welk antwoord?", "en": "Which answer?"},
    "change_one": {"nl": "Eén antwoord wijzigen", "en": "Change one answer"},
    "back_menu": {"nl": "← Terug naar het menu", "en": "← Back to the menu"},
    "review_title": {"nl": "Uw antwoorden", "en": "Your answers"},
    "confirm_submit": {
        "nl": "Nu indienen? Wilt u daarna nog iets wijzigen, dan moet u het eerst heropenen "
        "(zie de instructie).",
        "en": "Submit now? To change anything afterwards you first reopen it (see the "
        "instructions).",
    },
    "submitted": {
        "nl": "Ingediend. Dank u wel! Het secretariaat neemt uw antwoorden op in het concept.",
        "en": "Submitted. Thank you! The secretariat takes your answers into the draft report.",
    },
    "inactive": {
        "nl": "Uw antwoord op '{label}' telt niet meer mee: door uw nieuwe antwoord hoort die "
        "vraag er niet meer bij. Het blijft bewaard en telt weer als u terugkiest.",
        "en": "Your answer to '{label}' no longer counts: after your new answer that question "
        "no longer applies. It is kept, and counts again if you change back.",
    },
    "blank_required": {
        "nl": "Leeg gelaten; dit is verplicht vóór indienen.",
        "en": "Left blank; this is required before submitting.",
    },
    "choose_one": {
        "nl": "Kies er minstens één (spatie kiest, Enter bevestigt).",
        "en": "Choose at least one (Space selects, Enter confirms).",
    },
    "add": {"nl": "{entry} toevoegen", "en": "Add {entry}"},
    "edit": {"nl": "Een {entry} wijzigen", "en": "Edit a {entry}"},
    "remove": {"nl": "Een {entry} verwijderen", "en": "Remove a {entry}"},
    "done": {"nl": "Klaar met {label}", "en": "Done with {label}"},
    "entries": {"nl": "{label}: {count} ingevuld", "en": "{label}: {count} filled in"},
    "which_entry": {"nl": "Welke?", "en": "Which one?"},
    "back": {"nl": "← Vorige vraag", "en": "← Previous question"},
    "first_question": {
        "nl": "Dit is de eerste vraag; er is geen vorige.",
        "en": "This is the first question; there is none before it.",
    },
    "at_least": {"nl": "(minstens {count})", "en": "(at least {count})"},
    "too_few": {
        "nl": "Voor indienen is minstens {count} nodig bij {label}; u kunt dit later aanvullen.",
        "en": "Submitting needs at least {count} in {label}; you can add them later.",
    },
    "new_entry": {
        "nl": "Nieuw: {entry}. Ctrl-B bij de eerste vraag annuleert het.",
        "en": "New: {entry}. Ctrl-B at its first question cancels it.",
    },
    "cancelled": {"nl": "{entry} is geannuleerd.", "en": "{entry} is cancelled."},
    "all_questions": {"nl": "Alle vragen opnieuw", "en": "All its questions again"},
    "which_question": {
        "nl": "Wat wilt u wijzigen aan {entry}?",
        "en": "What would you like to change in {entry}?",
    },
    "confirm_remove": {"nl": "{entry} verwijderen?", "en": "Remove {entry}?"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "missing_list": {
        "nl": "Nog niet compleet: {count} antwoorden ontbreken of kloppen niet.",
        "en": "Not complete yet: {count} answers are missing or invalid.",
    },
    "missing_list_one": {
        "nl": "Nog niet compleet: 1 antwoord ontbreekt of klopt niet.",
        "en": "Not complete yet: 1 answer is missing or invalid.",
    },
    "cannot_submit": {
        "nl": "Indienen kan nog niet: {count} antwoorden ontbreken of kloppen niet.",
        "en": "Cannot submit yet: {count} answers are missing or invalid.",
    },
    "cannot_submit_one": {
        "nl": "Indienen kan nog niet: 1 antwoord ontbreekt of klopt niet.",
        "en": "Cannot submit yet: 1 answer is missing or invalid.",
    },
    "complete": {
        "nl": "Alles is ingevuld. U kunt indienen.",
        "en": "Everything is answered. You can submit.",
    },
    "problem_missing": {"nl": "ontbreekt", "en": "missing"},
    "problem_few": {
        "nl": "minstens {least} nodig (nu {has})",
        "en": "needs at least {least} (has {has})",
    },
    "resume_submitted": {
        "nl": "Ingediend op {updated}: {answered} beantwoord, verplicht {done}/{required}. "
        "Het blijft ingediend tot u een antwoord wijzigt.",
        "en": "Submitted on {updated}: {answered} answered, required {done}/{required}. "
        "It stays submitted until you change an answer.",
    },
    "quit_unchanged": {
        "nl": "Stoppen (er is niets gewijzigd; het blijft ingediend)",
        "en": "Stop (nothing changed; it stays submitted)",
    },
    "keep_submitted": {
        "nl": "Niets gewijzigd: ingediend laten en stoppen",
        "en": "Nothing changed: leave it submitted and stop",
    },
    "reopened": {
        "nl": "Het antwoord van {participant} is heropend: het telt als niet ingediend tot u "
        "opnieuw indient; de ingediende versie is bewaard als {file}.",
        "en": "{participant}'s response is reopened: it counts as not submitted until you "
        "submit again; the submitted version is kept as {file}.",
    },
    # The command's closing lines (printed by the CLI after the session).
    "end_counts": {
        "nl": "{answered} beantwoord, verplicht {done}/{required}",
        "en": "{answered} answered, required {done}/{required}",
    },
    "end_submitted": {"nl": "Ingediend: {path} ({counts}).", "en": "Submitted: {path} ({counts})."},
    "end_draft": {
        "nl": "Opgeslagen als concept: {path} ({counts}).",
        "en": "Saved as draft: {path} ({counts}).",
    },
    "end_unchanged": {
        "nl": "Niets gewijzigd: {path} is nog steeds ingediend.",
        "en": "Nothing changed: {path} is still submitted.",
    },
    "end_reopened": {
        "nl": "Heropend; de ingediende versie is bewaard als {path}.",
        "en": "Reopened; the submitted version is kept as {path}.",
    },
    "end_interrupted": {
        "nl": "Onderbroken. Elk gegeven antwoord is bewaard in {path} ({counts}).",
        "en": "Interrupted. Every answer given is saved in {path} ({counts}).",
    },
    "end_kept_typed": {
        "nl": "Wat u typte bij '{label}' is bewaard als concept-antwoord (nog niet bevestigd); "
        "u krijgt het de volgende keer terug om af te maken.",
        "en": "What you typed at '{label}' is kept as a draft answer (not yet confirmed); "
        "you get it back next time to finish.",
    },
    "end_resume": {"nl": "Verder met: {command}", "en": "Resume with: {command}"},
    "end_continue": {"nl": "Verder met: {command}", "en": "Continue with: {command}"},
    "end_missing": {
        "nl": "Nog nodig vóór indienen: {items}",
        "en": "Still missing before you can submit: {items}",
    },
    "end_reacted": {
        "nl": "{done}/{count} bevindingen van een reactie voorzien",
        "en": "{done}/{count} findings reacted to",
    },
    "end_review_submitted": {
        "nl": "Collegiale toets {round} ingediend: {path} ({counts}).",
        "en": "Submitted peer review {round}: {path} ({counts}).",
    },
    "end_interrupted_review": {
        "nl": "Onderbroken. Alles wat u gaf is bewaard in {path} ({counts}).",
        "en": "Interrupted. Everything given is saved in {path} ({counts}).",
    },
    "end_inactive": {
        "nl": "Bewaard maar niet meegeteld, omdat de vraag niet meer bij uw antwoorden hoort: "
        "{items}",
        "en": "Kept but not counted, as the question no longer applies after your answers: {items}",
    },
}


def message(key: str, lang: str, **values: Any) -> str:
    """The session text ``key`` in ``lang`` (English when missing), filled with ``values``.

    A text with a ``count`` of 1 is taken from ``<key>_one`` when there is one
    (singular: "1 antwoord ontbreekt", not "1 antwoorden ontbreken").
    """
    if values.get("count") == 1 and f"{key}_one" in _TEXTS:
        key = f"{key}_one"
    texts = _TEXTS[key]
    return (texts.get(lang) or texts["en"]).format(**values)


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


def format_value(
    item: Item, value: Any, lang: str, *, names: Mapping[str, str] | None = None
) -> str:
    """An answer as the respondent would read it: choice labels, yes/no, lists joined.

    Args:
        item: the item answered.
        value: the stored answer.
        lang: ``nl`` or ``en``.
        names: participant code → name, to show participants as ``FIN (Financiën)``.

    Returns:
        The text (empty for no answer).
    """
    if not is_answered(value):
        return ""
    if isinstance(item, YesNoItem) and isinstance(value, bool):
        return message("yes" if value else "no", lang)
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        labels = {c.value: text_in(c.label, lang) for c in item.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if isinstance(item, ParticipantItem | ParticipantsItem) and names:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(
            f"{c} ({names[c]})" if c in names and names[c] != c else str(c) for c in codes
        )
    if isinstance(item, DateItem) and isinstance(value, str):
        return shown_date(value, lang)
    if isinstance(item, ScaleItem) and value in item.labels:
        return f"{value} ({text_in(item.labels[value], lang)})"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
