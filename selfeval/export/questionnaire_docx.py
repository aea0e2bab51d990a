"""A questionnaire as a Word document (``selfeval questionnaire show --format docx``).

The document is the Markdown of :func:`selfeval.export.questionnaire.questionnaire_markdown`
(one layout for every format: what Markdown and HTML show, Word shows), laid
out with python-docx in the report's Word conventions (``selfeval.report.docx``):

* real Word styles: Title for the questionnaire's title, Heading 1 for a
  section, Heading 2–4 for the questions and the questions of a repeated
  group, List Bullet for the choices, Quote for an information text;
* A4 with 2.5 cm margins, the page number (a ``PAGE`` field) in the footer,
  the id, version and content hash in the header of every page, so a printed
  page shows which text was signed off;
* the title, the id and version and the language in the document properties;
* deterministic: the same questionnaire gives the same bytes (fixed document
  dates and zip entry dates).

Texts of the questionnaire are written as plain runs: a label cannot add
fields or markup to the document.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from selfeval.model.questionnaire import Questionnaire, text_in

__all__ = ["questionnaire_docx"]

#: Document dates (a questionnaire has none; a fixed one keeps the bytes the same).
_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Markdown heading level → Word style.
_HEADINGS = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3", 5: "Heading 4"}


def questionnaire_docx(
    questionnaire: Questionnaire, markdown: str, *, lang: str, content_hash: str | None = None
) -> bytes:
    """The questionnaire as ``.docx`` bytes: its Markdown document, in Word styles.

    Args:
        questionnaire: the version shown (title, id and version for the
            header and the document properties).
        markdown: its document, from
            :func:`selfeval.export.questionnaire.questionnaire_markdown`.
        lang: ``nl`` or ``en``.
        content_hash: the definition's hash (shown in the header).

    Returns:
        The document (a zip package); the same bytes for the same arguments.
    """
    import docx
    from docx.shared import Mm

    from selfeval.report.docx import normalise_zip

    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    title = " ".join(text_in(questionnaire.title, lang).split())
    where = f"{questionnaire.id} {questionnaire.version}"
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run(f"{title} · {where}" + (f" · {content_hash[:19]}…" if content_hash else ""))
    _page_number(section.footer.paragraphs[0], document)
    _Markdown(document).write(markdown)
    props = document.core_properties
    props.created = props.modified = props.last_printed = _DATE
    props.revision = 1
    props.title = title
    props.subject = where
    props.author = props.last_modified_by = "selfeval"
    props.keywords = content_hash or ""
    props.comments = props.category = ""
    props.language = lang
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


def _page_number(paragraph: Any, document: Any) -> None:
    """A centred ``PAGE`` field (Word and LibreOffice fill in the number)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.style = document.styles["Footer"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


class _Markdown:
    """The questionnaire document's Markdown (CommonMark, raw HTML off) as Word paragraphs."""

    def __init__(self, document: Any) -> None:
        self.doc = document

    def write(self, text: str) -> None:
        from markdown_it import MarkdownIt

        heading: str | None = None
        lists = quote = 0
        for token in MarkdownIt("commonmark", {"html": False}).parse(text):
            kind = token.type
            if kind == "heading_open":
                heading = _HEADINGS.get(int(token.tag[1:]), "Heading 4")
            elif kind == "bullet_list_open":
                lists += 1
            elif kind == "bullet_list_close":
                lists -= 1
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "inline":
                style = heading or ("List Bullet" if lists else "Quote" if quote else None)
                heading = None
                paragraph = self.doc.add_paragraph(style=style)
                self.inline(paragraph, token.children or [])
            elif kind in ("fence", "code_block"):
                self.doc.add_paragraph(token.content.rstrip("\n"))

    @staticmethod
    def inline(paragraph: Any, children: list[Any]) -> None:
        bold = italic = 0
        for child in children:
            kind = child.type
            if kind in ("strong_open", "strong_close"):
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind == "em_open" else -1
            elif kind in ("text", "code_inline"):
                run = paragraph.add_run(child.content)
                run.bold = bold > 0 or None
                run.italic = italic > 0 or None
                if kind == "code_inline":
                    run.font.name = "Consolas"
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
