"""A questionnaire as a document to read before filling it, or to circulate for sign-off.

:func:`questionnaire_markdown` lays one questionnaire version out as
Markdown: its title, version and content hash, then per section its
questions, numbered (``2.3``; inside a repeat group ``2.3.1``), each with its
help text, what kind of answer it takes (the choices listed), whether it is
required, and when it is asked, in words (:mod:`selfeval.model.condition_words`).
:func:`questionnaire_html` is the same as one printable HTML page. Word
(``.docx``) is the Word issue's; see ``docs/export.md``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from selfeval.model.condition_words import Named, describe
from selfeval.model.questionnaire import (
    InfoItem,
    IntegerItem,
    LongTextItem,
    MultipleChoiceItem,
    NumberItem,
    ParticipantItem,
    ParticipantsItem,
    Questionnaire,
    RepeatItem,
    ScaleItem,
    SingleChoiceItem,
    TextItem,
    text_in,
)

__all__ = ["questionnaire_html", "questionnaire_markdown", "show_questionnaire"]

_WORDS = {
    "en": {
        "version": "Version {version}",
        "hash": "content hash",
        "legend": "Questions marked *(required)* must be answered before the "
        "questionnaire can be submitted.",
        "required": "required",
        "when": "Asked only when {text}.",
        "section_when": "This part is asked only when {text}.",
        "text": "Answer: a short text",
        "long-text": "Answer: a text of one or more paragraphs",
        "integer": "Answer: a whole number",
        "number": "Answer: a number",
        "date": "Answer: a date (YYYY-MM-DD)",
        "yes-no": "Answer: yes or no",
        "single-choice": "Answer: one of",
        "multiple-choice": "Answer: any of",
        "scale": "Answer: a point on the scale {low} to {high}",
        "participant": "Answer: one of the departments taking part",
        "participants": "Answer: any of the departments taking part",
        "not_self": "not your own department",
        "between": "between {low} and {high}",
        "at_least": "at least {low}",
        "at_most": "at most {high}",
        "chars": "at most {n} characters",
        "choose_at_least": "choose at least {n}",
        "choose_at_most": "choose at most {n}",
        "repeat": "Answer: a list of entries ({entry}), each answering:",
        "entries_at_least": "at least {n}",
        "entries_at_most": "at most {n}",
        "finding": "Each entry appears in the integrated report as a finding ({kind}), "
        "attributed to your department.",
        "entry": "entry",
    },
    "nl": {
        "version": "Versie {version}",
        "hash": "inhoudshash",
        "legend": "Vragen met *(verplicht)* moeten beantwoord zijn voordat de vragenlijst "
        "kan worden ingediend.",
        "required": "verplicht",
        "when": "Alleen gevraagd als {text}.",
        "section_when": "Dit onderdeel wordt alleen gevraagd als {text}.",
        "text": "Antwoord: een korte tekst",
        "long-text": "Antwoord: een tekst van een of meer alinea's",
        "integer": "Antwoord: een geheel getal",
        "number": "Antwoord: een getal",
        "date": "Antwoord: een datum (JJJJ-MM-DD)",
        "yes-no": "Antwoord: ja of nee",
        "single-choice": "Antwoord: één van",
        "multiple-choice": "Antwoord: een of meer van",
        "scale": "Antwoord: een punt op de schaal {low} tot en met {high}",
        "participant": "Antwoord: een van de deelnemende departementen",
        "participants": "Antwoord: een of meer van de deelnemende departementen",
        "not_self": "niet het eigen departement",
        "between": "tussen {low} en {high}",
        "at_least": "minstens {low}",
        "at_most": "hoogstens {high}",
        "chars": "hoogstens {n} tekens",
        "choose_at_least": "kies er minstens {n}",
        "choose_at_most": "kies er hoogstens {n}",
        "repeat": "Antwoord: een lijst ({entry}), per item:",
        "entries_at_least": "minstens {n}",
        "entries_at_most": "hoogstens {n}",
        "finding": "Elk item komt in de geïntegreerde rapportage als bevinding ({kind}), "
        "toegeschreven aan uw departement.",
        "entry": "item",
    },
}
_KIND_WORDS = {
    "nl": {
        "bottleneck": "knelpunt",
        "blind-spot": "blinde vlek",
        "need": "behoefte",
        "opportunity": "kans",
        "activity": "beleidsactiviteit",
        "document": "beleidsdocument",
    },
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Writer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.w = _WORDS.get(lang, _WORDS["en"])
        self.lines: list[str] = []

    def t(self, text: Any) -> str:
        return text_in(text, self.lang)

    def para(self, text: str) -> None:
        self.lines += [text, ""]

    def items(self, items: list[Any], prefix: str, scope: dict[str, Named], level: int) -> None:
        # Ids of this level first, then of the levels around it (as `when` resolves them).
        named = dict(scope)
        numbered = [(f"{prefix}.{n}", item) for n, item in enumerate(
            [i for i in items if not isinstance(i, InfoItem)], start=1)]  # fmt: skip
        for number, item in numbered:
            named[item.id] = Named(item, number)
        numbers = {id(item): number for number, item in numbered}
        for item in items:
            if isinstance(item, InfoItem):
                self.para("> " + _one_line(self.t(item.label)))
                if item.help:
                    self.para("> " + _one_line(self.t(item.help)))
                continue
            self.item(item, numbers[id(item)], named, level)

    def item(self, item: Any, number: str, named: dict[str, Named], level: int) -> None:
        w = self.w
        title = f"{'#' * level} {number} {_one_line(self.t(item.label))}"
        if item.required:
            title += f" *({w['required']})*"
        self.para(title)
        if item.help:
            self.para(f"*{_one_line(self.t(item.help))}*")
        if item.condition is not None:
            self.para(w["when"].format(text=describe(item.condition, named, self.lang)))
        self.answer(item)
        if isinstance(item, RepeatItem):
            if item.finding:
                kind = _KIND_WORDS.get(self.lang, {}).get(item.finding, item.finding)
                self.para(w["finding"].format(kind=kind))
            self.items(item.items, number, named, min(level + 1, 6))

    def answer(self, item: Any) -> None:
        w = self.w
        limits: list[str] = []
        if isinstance(item, TextItem | LongTextItem) and item.max_length:
            limits.append(w["chars"].format(n=item.max_length))
        if isinstance(item, IntegerItem | NumberItem):
            if item.min is not None and item.max is not None:
                limits.append(w["between"].format(low=item.min, high=item.max))
            elif item.min is not None:
                limits.append(w["at_least"].format(low=item.min))
            elif item.max is not None:
                limits.append(w["at_most"].format(high=item.max))
        if isinstance(item, MultipleChoiceItem | ParticipantsItem):
            if item.min_selected:
                limits.append(w["choose_at_least"].format(n=item.min_selected))
            if item.max_selected:
                limits.append(w["choose_at_most"].format(n=item.max_selected))
        if isinstance(item, ParticipantItem | ParticipantsItem) and item.exclude_self:
            limits.append(w["not_self"])
        if isinstance(item, RepeatItem):
            entry = self.t(item.entry_label) if item.entry_label else w["entry"]
            counts = []
            if item.min_items:
                counts.append(w["entries_at_least"].format(n=item.min_items))
            if item.max_items:
                counts.append(w["entries_at_most"].format(n=item.max_items))
            if counts:
                entry += "; " + ", ".join(counts)
            self.para(w["repeat"].format(entry=entry))
            return
        if isinstance(item, ScaleItem):
            line = w["scale"].format(low=item.min, high=item.max)
        else:
            line = w[item.type]
        if limits:
            line += " (" + ", ".join(limits) + ")"
        if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
            self.para(line + ":")
            self.para("\n".join(f"- {_one_line(self.t(c.label))}" for c in item.choices))
        elif isinstance(item, ScaleItem) and item.labels:
            self.para(line + ":")
            self.para(
                "\n".join(
                    f"- {point}: {_one_line(self.t(item.labels[point]))}"
                    for point in sorted(item.labels)
                )
            )
        else:
            self.para(line + ".")


def questionnaire_markdown(
    questionnaire: Questionnaire, *, lang: str, content_hash: str | None = None
) -> str:
    """The questionnaire as a Markdown document.

    Args:
        questionnaire: the version to show.
        lang: ``nl`` or ``en`` (a text missing in it falls back to the other).
        content_hash: the definition's hash, shown so a reader can tell
            exactly which text was circulated.

    Returns:
        The document, ending with one newline. Deterministic.
    """
    out = _Writer(lang)
    w = out.w
    out.para(f"# {_one_line(out.t(questionnaire.title))}")
    meta = f"{questionnaire.id} · {w['version'].format(version=questionnaire.version)}"
    if content_hash:
        meta += f" · {w['hash']} `{content_hash}`"
    out.para(meta)
    if questionnaire.description:
        out.para(out.t(questionnaire.description).strip())
    out.para(w["legend"])
    named: dict[str, Named] = {}
    for n, section in enumerate(questionnaire.sections, start=1):
        out.para(f"## {n}. {_one_line(out.t(section.title))}")
        if section.intro:
            out.para(out.t(section.intro).strip())
        if section.condition is not None:
            text = describe(section.condition, named, lang)
            out.para(f"*{w['section_when'].format(text=text)}*")
        out.items(section.items, str(n), named, 3)
        # Later sections' conditions may name this section's items.
        numbered = [i for i in section.items if not isinstance(i, InfoItem)]
        for m, item in enumerate(numbered, start=1):
            named[item.id] = Named(item, f"{n}.{m}")
    return "\n".join(out.lines).rstrip("\n") + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
         padding: 0 1em; line-height: 1.45; color: #111; }}
  h1, h2, h3, h4, h5 {{ font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }}
  h2 {{ border-bottom: 1px solid #999; padding-bottom: .2em; margin-top: 2em; }}
  h3, h4, h5 {{ margin-bottom: .3em; }}
  code {{ font-size: .8em; color: #444; }}
  blockquote {{ border-left: 4px solid #c60; margin: 1em 0; padding: .2em 1em;
               background: #fff6ee; }}
  @media print {{ body {{ max-width: none; margin: 0; font-size: 10.5pt; }}
                 h3, h4, li {{ page-break-inside: avoid; page-break-after: avoid; }} }}
</style>
</head>
<body>
{body}</body>
</html>
"""


def questionnaire_html(
    questionnaire: Questionnaire, *, lang: str, content_hash: str | None = None
) -> str:
    """The same document as :func:`questionnaire_markdown`, as one printable HTML page.

    Texts from the questionnaire are escaped (markdown-it with raw HTML off):
    a label cannot inject markup.
    """
    from selfeval.report.render import markdown_to_html

    body = markdown_to_html(
        questionnaire_markdown(questionnaire, lang=lang, content_hash=content_hash)
    )
    title = html.escape(_one_line(text_in(questionnaire.title, lang)))
    return _PAGE.format(lang=lang, title=title, body=body)


def show_questionnaire(
    ref: str,
    *,
    workspace: Path | None = None,
    fmt: str = "md",
    lang: str | None = None,
    output: Path | None = None,
) -> str:
    """The document for ``selfeval questionnaire show`` (its one call).

    Args:
        ref: ``id``, ``id@version`` (a workspace's questionnaire; without a
            version the exercise's, else the newest), or the path of a
            questionnaire file (``.yaml``; no workspace needed).
        workspace: the workspace folder (default: found from the current folder).
        fmt: ``md`` or ``html``.
        lang: ``nl`` or ``en``; default the exercise's language (for a file
            outside a workspace: the questionnaire's first language).
        output: also write the document there, atomically.

    Returns:
        The document text.

    Raises:
        NotFoundError: no such questionnaire or version (the hint lists those there are).
        InputError: the questionnaire file is invalid, or ``output`` cannot be written.
        UsageError: an unknown format.
    """
    from selfeval.errors import UsageError
    from selfeval.files.load import load_questionnaire
    from selfeval.files.workspace import Workspace, split_ref
    from selfeval.files.yamlio import atomic_write_text

    if fmt not in ("md", "html"):
        raise UsageError(f"unknown format {fmt!r}", hint="use md or html")
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        loaded = load_questionnaire(path)
        lang = lang or loaded.questionnaire.languages[0]
    else:
        ws = Workspace.open(workspace)
        qid, version = split_ref(ref)
        loaded = ws.questionnaire(qid, version)
        lang = lang or ws.exercise.language
    render = questionnaire_html if fmt == "html" else questionnaire_markdown
    text = render(loaded.questionnaire, lang=lang, content_hash=loaded.hash)
    if output is not None:
        atomic_write_text(output, text)
    return text
