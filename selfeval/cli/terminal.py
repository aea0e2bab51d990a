"""The terminal side of filling: a :class:`~selfeval.fill.prompter.Prompter` on questionary.

One prompt per item type (``STYLE.md`` §5):

* text, integer, number, date: a one-line prompt that checks as you type;
* long text: a multi-line prompt that says how to finish (Esc then Enter) and
  opens ``$EDITOR`` on Ctrl-X Ctrl-E;
* yes/no, single choice, scale, participant: a list to pick from (arrow keys,
  Enter), with "no answer" as the last entry;
* multiple choice, participants: a checklist (Space toggles, Enter confirms);
  participants are listed by code and name. An empty selection goes through
  the session's check, so a required checklist refuses it in place.

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

import functools
import textwrap
from collections.abc import Sequence
from typing import Any

import prompt_toolkit.application.application as _pt_application
import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice
from rich.console import Console
from rich.markup import escape

from selfeval.fill.prompter import AskContext, Notice, Option, ReviewRow, SectionInfo
from selfeval.model.answers import AnswerError, parse_typed
from selfeval.model.questionnaire import (
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

__all__ = ["TerminalPrompter"]

_BLANK = "\x00blank"  # questionary cannot use None as a choice value

_UI: dict[str, dict[str, str]] = {
    "multiline": {
        "nl": "(meerdere regels; Esc en dan Enter om af te ronden; Ctrl-X Ctrl-E opent $EDITOR)",
        "en": "(several lines; press Esc then Enter to finish; Ctrl-X Ctrl-E opens $EDITOR)",
    },
    "checkbox": {
        "nl": "(spatie kiest, Enter bevestigt)",
        "en": "(Space to select, Enter to confirm)",
    },
    "select": {"nl": "(pijltjestoetsen, Enter kiest)", "en": "(arrow keys, Enter to choose)"},
    "blank": {"nl": "(geen antwoord)", "en": "(no answer)"},
    "yes": {"nl": "Ja", "en": "Yes"},
    "no": {"nl": "Nee", "en": "No"},
    "yes_no": {"nl": "(J/n) ", "en": "(Y/n) "},
    "no_yes": {"nl": "(j/N) ", "en": "(y/N) "},
    "none_chosen": {"nl": "niets gekozen", "en": "none chosen"},
    "section": {"nl": "Onderdeel {index} van {count}", "en": "Section {index} of {count}"},
    "progress": {
        "nl": "{answered} beantwoord · verplicht {done}/{required}",
        "en": "{answered} answered · required {done}/{required}",
    },
    "required": {"nl": "verplicht", "en": "required"},
    "missing": {"nl": "ontbreekt", "en": "missing"},
    "inactive": {
        "nl": "telt niet mee (voorwaarde geldt niet)",
        "en": "not counted (condition false)",
    },
}
#: Columns before a choice's text: the pointer (" » ") and, in a checklist, the box ("○ ").
_SELECT_INDENT = 3
_CHECKBOX_INDENT = 5

_STYLE = {"info": "cyan", "warning": "yellow", "error": "bold red", "success": "bold green"}
_MARK = {"info": "i", "warning": "!", "error": "x", "success": "✓"}


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


def _ui(key: str, lang: str, **values: Any) -> str:
    texts = _UI[key]
    return (texts.get(lang) or texts["en"]).format(**values)


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


def _eof_on_ctrl_d(question: questionary.Question) -> questionary.Question:
    """Make Ctrl-D end the session at any prompt, as Ctrl-C does."""
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    return question


class TerminalPrompter:
    """Ask and show through questionary and rich.

    Args:
        console: where headings, help and notices go (default: stdout).
        input: a prompt_toolkit input (tests pass a pipe input).
        output: a prompt_toolkit output (tests pass ``DummyOutput``).
        lang: ``nl`` or ``en``, for the prompter's own texts (item texts come
            in the session's language through :class:`AskContext`).
    """

    def __init__(
        self,
        *,
        console: Console | None = None,
        input: Any = None,
        output: Any = None,
        lang: str = "nl",
    ) -> None:
        self.console = console or Console(highlight=False)
        self._lang = lang
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    # -- showing -----------------------------------------------------------------

    def show_section(self, info: SectionInfo) -> None:
        """Print the section heading, the progress line and the introduction."""
        lang = self._lang
        p = info.progress
        self.console.print()
        self.console.rule(f"[bold]{escape(info.title)}")
        self.console.print(
            f"[dim]{_ui('section', lang, index=info.index, count=info.count)} · "
            f"{_ui('progress', lang, answered=p.answered, done=p.required_answered, required=p.required)}[/]"  # noqa: E501
        )
        if info.intro:
            self.console.print(escape(info.intro))

    def show_notice(self, notice: Notice) -> None:
        """Print a notice, coloured by kind, with its details as a list."""
        style = _STYLE[notice.kind]
        self.console.print(f"[{style}]{_MARK[notice.kind]} {escape(notice.text)}[/]")
        for detail in notice.details:
            self.console.print(f"  - {escape(detail)}")

    def show_review(self, title: str, rows: Sequence[ReviewRow]) -> None:
        """Print every answer, indented by depth; missing and not-counted ones marked."""
        lang = self._lang
        self.console.print()
        self.console.rule(f"[bold]{escape(title)}")
        for row in rows:
            pad = "  " * row.depth
            label = escape(row.label)
            if row.state == "heading":
                self.console.print(f"{pad}[bold]{label}[/]")
                continue
            value = escape(row.value).replace("\n", "\n" + pad + "    ")
            if row.state == "missing":
                self.console.print(f"{pad}{label}: [bold red]{_ui('missing', lang)}[/]")
            elif row.state == "inactive":
                self.console.print(f"{pad}[dim]{label}: {value} ({_ui('inactive', lang)})[/]")
            elif row.state == "blank":
                self.console.print(f"{pad}{label}: [dim]—[/]")
            else:
                self.console.print(f"{pad}{label}: {value}")

    # -- asking ------------------------------------------------------------------

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        """Pick one of ``options`` from a list; returns the option's value."""
        pairs = [(o.label, o.value) for o in options]
        return str(self._pick(message, pairs, default, _ui("select", self._lang)))

    def confirm(self, message: str, *, default: bool = False) -> bool:
        """A yes/no question about the session (j/y/n, Enter takes the default).

        questionary words the answer and the keys in English ("Yes", "(Y/n)");
        the keys are shown in the session language, ``j`` means yes as well
        as ``y``, and the prompt is replaced by the answer in the session
        language once given.
        """
        lang = self._lang
        question = questionary.confirm(
            self._message(message, _ui("yes_no" if default else "no_yes", lang)),
            default=default,
            instruction=_ui("yes_no" if default else "no_yes", lang),
            **self._io,
        )
        bindings = KeyBindings()

        @bindings.add("j")
        @bindings.add("J")
        def _(event: Any) -> None:
            event.app.exit(result=True)

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        answer = bool(self._asked(question))
        self.console.print(
            f"[bold]?[/] [bold]{escape(message)}[/] {_ui('yes' if answer else 'no', lang)}"
        )
        return answer

    def ask(self, item: Item, current: Any, context: AskContext) -> Any:
        """Ask ``item`` with the prompt that fits its type; None means no answer.

        Raises:
            KeyboardInterrupt: Ctrl-C.
            EOFError: Ctrl-D.
        """
        if context.help:
            self.console.print(f"[dim]{escape(context.help)}[/]")
        if context.error:
            self.console.print(f"[bold red]x {escape(context.error)}[/]")
        message = context.label
        if context.entry:
            message = f"[{context.entry}] {message}"
        if context.required:
            message += " *"
        if isinstance(item, YesNoItem):
            options = [(_ui("yes", context.lang), True), (_ui("no", context.lang), False)]
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
            options = [(f"{code} — {name}", code) for code, name in context.participants]
            return self._select(message, options, current, context)
        if isinstance(item, MultipleChoiceItem):
            options = [(text_in(c.label, context.lang), c.value) for c in item.choices]
            return self._checkbox(message, options, current, context)
        if isinstance(item, ParticipantsItem):
            options = [(f"{code} — {name}", code) for code, name in context.participants]
            return self._checkbox(message, options, current, context)
        return self._text(item, message, current, context)

    def _ask(self, question: questionary.Question) -> Any:
        return _eof_on_ctrl_d(question).unsafe_ask()

    def _asked(self, question: questionary.Question) -> Any:
        """Ask, then erase the prompt: the caller prints the answer in the session language."""
        question.application.erase_when_done = True
        return self._ask(question)

    def _text(self, item: Item, message: str, current: Any, context: AskContext) -> Any:
        def validate(text: str) -> bool | str:
            try:
                value = parse_typed(item, text)
            except AnswerError as exc:
                return str(exc)
            if value is None:
                return True
            problem = context.validate(value)
            return True if problem is None else problem

        extra: dict[str, Any] = {}
        if isinstance(item, LongTextItem):
            # prompt_toolkit draws a multi-line prompt whose message is wider
            # than the terminal as an empty screen (the message becomes the
            # prefix of every line). So the question and how to finish go
            # above it, where rich wraps them, and the prompt itself is short.
            self.console.print(
                f"[bold]? {escape(message)}[/] [dim]{escape(_ui('multiline', context.lang))}[/]"
            )
            message = "›"
            extra = {"multiline": True, "instruction": "", "enable_open_in_editor": True}
        else:
            message = self._message(message, "")
        default = "" if current is None else str(current)
        question = questionary.text(
            message, default=default, validate=validate, **extra, **self._io
        )
        text = self._ask(question)
        return parse_typed(item, text)

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

    def _choice(self, label: str, indent: int) -> str:
        """A choice's label broken at spaces, its later lines under its first."""
        return _wrap(label, self.console.width, first=indent, indent=indent)

    def _pick(
        self, message: str, options: list[tuple[str, Any]], default: Any, instruction: str
    ) -> Any:
        """A list to pick one from; the question and every label shown in full.

        The prompt is erased once answered and the answer printed by rich,
        which wraps at spaces (prompt_toolkit would split words).
        """
        choices = [Choice(self._choice(label, _SELECT_INDENT), value) for label, value in options]
        values = [value for _, value in options]
        question = questionary.select(
            self._message(message, instruction),
            choices=choices,
            default=default if default in values and default is not None else None,
            instruction=instruction,
            **self._io,
        )
        answer = self._asked(question)
        shown = next((label for label, value in options if value == answer), str(answer))
        self.console.print(f"[bold]?[/] [bold]{escape(message)}[/] {escape(shown)}")
        return answer

    def _select(
        self, message: str, options: list[tuple[str, Any]], current: Any, context: AskContext
    ) -> Any:
        offered = [*options, (_ui("blank", context.lang), _BLANK)]
        answer = self._pick(message, offered, current, _ui("select", context.lang))
        return None if answer == _BLANK else answer

    def _checkbox(
        self, message: str, options: list[tuple[str, Any]], current: Any, context: AskContext
    ) -> Any:
        chosen = set(current) if isinstance(current, list) else set()
        choices = [
            Choice(self._choice(label, _CHECKBOX_INDENT), value, checked=value in chosen)
            for label, value in options
        ]
        instruction = _ui("checkbox", context.lang)

        def validate(selected: list[Any]) -> bool | str:
            # An empty selection too: a required checklist refuses it here, in place.
            problem = context.validate(list(selected))
            return True if problem is None else problem

        question = questionary.checkbox(
            self._message(message, instruction),
            choices=choices,
            validate=validate,
            instruction=instruction,
            **self._io,
        )
        answer = list(self._asked(question))
        labels = dict((value, label) for label, value in options)
        shown = ", ".join(labels.get(v, str(v)) for v in answer) or _ui("none_chosen", context.lang)
        self.console.print(f"[bold]?[/] [bold]{escape(message)}[/] {escape(shown)}")
        return answer
