"""A questionnaire as a document to read before filling it, or to circulate for sign-off.

:func:`questionnaire_markdown` lays one questionnaire version out as
Markdown: its title, version and content hash, then per section its
questions, numbered (``2.3``; inside a repeat group ``2.3.1``), each with its
help text, what kind of answer it takes (the choices listed), whether it is
required, and when it is asked, in words (:mod:`selfeval.model.condition_words`).
:func:`questionnaire_html` is the same as one printable HTML page, and
:mod:`selfeval.export.questionnaire_docx` the same as a Word document.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from selfeval.i18n import N_, gettext, ngettext
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

__all__ = ["FORMATS", "questionnaire_html", "questionnaire_markdown", "show_questionnaire"]

#: What an item of each type takes, in words (its message in ``selfeval/locale``).
_ANSWER = {
    "text": N_("export.answer_text"),
    "long-text": N_("export.answer_long-text"),
    "integer": N_("export.answer_integer"),
    "number": N_("export.answer_number"),
    "date": N_("export.answer_date"),
    "yes-no": N_("export.answer_yes-no"),
    "single-choice": N_("export.answer_single-choice"),
    "multiple-choice": N_("export.answer_multiple-choice"),
    "participant": N_("export.answer_participant"),
    "participants": N_("export.answer_participants"),
    "findings": N_("export.answer_findings"),
}
#: The kind of finding a repeat group's entries become.
_KIND = {
    "bottleneck": N_("export.kind_bottleneck"),
    "blind-spot": N_("export.kind_blind-spot"),
    "need": N_("export.kind_need"),
    "opportunity": N_("export.kind_opportunity"),
    "activity": N_("export.kind_activity"),
    "document": N_("export.kind_document"),
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Writer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
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
        title = f"{'#' * level} {number} {_one_line(self.t(item.label))}"
        if item.required:
            title += f" *({gettext(self.lang, 'export.required')})*"
        self.para(title)
        if item.help:
            self.para(f"*{_one_line(self.t(item.help))}*")
        if item.condition is not None:
            self.para(
                gettext(self.lang, "export.when", text=describe(item.condition, named, self.lang))
            )
        self.answer(item)
        if isinstance(item, RepeatItem):
            if item.finding:
                msgid = _KIND.get(item.finding)
                kind = gettext(self.lang, msgid) if msgid else item.finding
                self.para(gettext(self.lang, "export.finding", kind=kind))
            self.items(item.items, number, named, min(level + 1, 6))

    def answer(self, item: Any) -> None:
        limits: list[str] = []
        if isinstance(item, TextItem | LongTextItem) and item.max_length:
            limits.append(
                ngettext(self.lang, "export.chars", "export.chars_plural", item.max_length)
            )
        if isinstance(item, IntegerItem | NumberItem):
            if item.min is not None and item.max is not None:
                limits.append(gettext(self.lang, "export.between", low=item.min, high=item.max))
            elif item.min is not None:
                limits.append(gettext(self.lang, "export.at_least", low=item.min))
            elif item.max is not None:
                limits.append(gettext(self.lang, "export.at_most", high=item.max))
        if isinstance(item, MultipleChoiceItem | ParticipantsItem):
            if item.min_selected:
                limits.append(gettext(self.lang, "export.choose_at_least", n=item.min_selected))
            if item.max_selected:
                limits.append(gettext(self.lang, "export.choose_at_most", n=item.max_selected))
        if isinstance(item, ParticipantItem | ParticipantsItem) and item.exclude_self:
            limits.append(gettext(self.lang, "export.not_self"))
        if isinstance(item, RepeatItem):
            entry = (
                self.t(item.entry_label) if item.entry_label else gettext(self.lang, "export.entry")
            )
            counts = []
            if item.min_items:
                counts.append(gettext(self.lang, "export.entries_at_least", n=item.min_items))
            if item.max_items:
                counts.append(gettext(self.lang, "export.entries_at_most", n=item.max_items))
            if counts:
                entry += "; " + ", ".join(counts)
            self.para(gettext(self.lang, "export.repeat", entry=entry))
            return
        if isinstance(item, ScaleItem):
            line = gettext(self.lang, "export.answer_scale", low=item.min, high=item.max)
        else:
            line = gettext(self.lang, _ANSWER[item.type])
        if limits:
            line += " (" + ", ".join(limits) + ")"
        if isinstance(item, SingleChoiceItem | MultipleChoiceItem) and not item.choices:
            # A file shown on its own: the exercise's incident category supplies the choices.
            listed = gettext(self.lang, "export.choices_from", name=item.choices_from)
            self.para(f"{line} {listed}.")
        elif isinstance(item, SingleChoiceItem | MultipleChoiceItem):
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
    out.para(f"# {_one_line(out.t(questionnaire.title))}")
    version = gettext(lang, "export.version", version=questionnaire.version)
    meta = f"{questionnaire.id} · {version}"
    if content_hash:
        meta += f" · {gettext(lang, 'export.hash')} `{content_hash}`"
    out.para(meta)
    if questionnaire.description:
        out.para(out.t(questionnaire.description).strip())
    out.para(gettext(lang, "export.legend"))
    named: dict[str, Named] = {}
    for n, section in enumerate(questionnaire.sections, start=1):
        out.para(f"## {n}. {_one_line(out.t(section.title))}")
        if section.intro:
            out.para(out.t(section.intro).strip())
        if section.condition is not None:
            text = describe(section.condition, named, lang)
            out.para(f"*{gettext(lang, 'export.section_when', text=text)}*")
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


#: The formats of ``selfeval questionnaire show``.
FORMATS = ("md", "html", "docx")


def show_questionnaire(
    ref: str,
    *,
    workspace: Path | None = None,
    fmt: str = "md",
    lang: str | None = None,
    output: Path | None = None,
) -> str | bytes:
    """The document for ``selfeval questionnaire show`` (its one call).

    Args:
        ref: ``id``, ``id@version`` (a workspace's questionnaire; without a
            version the exercise's, else the newest), or the path of a
            questionnaire file (``.yaml``; no workspace needed).
        workspace: the workspace folder (default: found from the current folder).
        fmt: ``md``, ``html`` or ``docx``
            (:func:`selfeval.export.questionnaire_docx.questionnaire_docx`).
        lang: ``nl`` or ``en``; default the exercise's language (for a file
            outside a workspace: the questionnaire's first language).
        output: also write the document there, atomically (required for docx).

    Returns:
        The document: text (md, html) or bytes (docx).

    Raises:
        NotFoundError: no such questionnaire or version (the hint lists those there are).
        InputError: the questionnaire file is invalid, or ``output`` cannot be written.
        UsageError: an unknown format; docx without ``output``.
    """
    from selfeval.errors import UsageError
    from selfeval.files.load import load_questionnaire
    from selfeval.files.workspace import Workspace, split_ref
    from selfeval.files.yamlio import atomic_writer, check_output_folder

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if fmt == "docx" and output is None:
        qid = Path(ref).stem if Path(ref).suffix in (".yaml", ".yml") else ref.split("@")[0]
        raise UsageError(
            "a Word document is a file, not text for the terminal: give -o",
            hint=f"e.g. -o {qid}.docx",
        )
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        loaded = load_questionnaire(path)
        lang = lang or loaded.questionnaire.languages[0]
    else:
        ws = Workspace.open(workspace)
        qid, version = split_ref(ref)
        loaded = ws.questionnaire(qid, version)
        lang = lang or ws.exercise.language
    document: str | bytes
    if fmt == "docx":
        from selfeval.export.questionnaire_docx import questionnaire_docx

        markdown = questionnaire_markdown(loaded.questionnaire, lang=lang, content_hash=loaded.hash)
        document = questionnaire_docx(
            loaded.questionnaire, markdown, lang=lang, content_hash=loaded.hash
        )
    else:
        render = questionnaire_html if fmt == "html" else questionnaire_markdown
        document = render(loaded.questionnaire, lang=lang, content_hash=loaded.hash)
    if output is not None:
        check_output_folder(output.parent, output)  # no tree of new folders
        with atomic_writer(output, binary=isinstance(document, bytes)) as handle:
            handle.write(document)
    return document
