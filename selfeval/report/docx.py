"""The integrated report as a Word document (``selfeval aggregate --format docx``).

Built with python-docx from the same report model the Markdown and HTML
templates use (:class:`selfeval.report.model.Report`), chapter by chapter in
the order of ``integrated-report.md.j2``. What makes it a document an office
can send as it is:

* real Word styles: Title, Heading 1–4, List Bullet, List Number (each list
  numbered from 1), Caption, a table style (Table Grid) for the roles table,
  the opportunities matrix, Annex 1 and Annex 2;
* A4 with 2.5 cm margins, the status line ("intern werkdocument") in the
  header of every page and the page number (a ``PAGE`` field) in the footer;
* a table-of-contents field (Word fills in the page numbers when the file
  is opened: ``updateFields`` is set), pre-filled with the chapters so a
  reader that does not update fields still shows them;
* Figures 1 and 2 as PNG pictures with captions
  (:mod:`selfeval.report.figures`); cited sources as superscript note
  numbers (``1,2`` for two), in the running text and in table cells alike,
  and a numbered list of notes at the end;
* no heading and no lead-in line ("Reacties uit de collegiale toets:") left
  at the foot of a page: both are kept with the next paragraph
  (``keep_with_next``), whatever the house style's headings say.

House style: a workspace's ``templates/reference.docx`` (pandoc's
``--reference-doc`` convention) is the starting document: its styles, page
setup, header and footer are kept and its body is replaced by the report;
the status line and page number are added to its header and footer unless
they already carry them. Any ``.docx`` works, so a report written by this
command, restyled in Word, is a reference document.

Answers are untrusted text: they are written as plain runs, never read as
Markdown or markup. Only the secretariat's ``texts/*.md`` are read as
Markdown (headings, paragraphs, lists, emphasis).

Deterministic: the same inputs give the same bytes (document dates are the
exercise date, zip entries carry a fixed date, parts are written in a fixed
order).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval.errors import InputError

if TYPE_CHECKING:
    from selfeval.report.model import FindingView, ReactionView, Report
    from selfeval.report.views import AuthoredText

__all__ = [
    "MAX_REFERENCE_BYTES",
    "MAX_REFERENCE_PARTS",
    "REFERENCE_DOC",
    "normalise_zip",
    "read_reference",
    "render_docx",
    "write_docx",
]

#: The house-style document looked for in a workspace's ``templates/`` folder.
REFERENCE_DOC = "reference.docx"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TOC_LEVELS = 2  # levels pre-filled into the table of contents
#: Table text size (pt), and the width of one character of it and a cell's padding (cm),
#: generous for a bold sans or serif face, to size columns so words do not break.
_TABLE_PT = 9.5
_CHAR_CM = 0.22
#: The smallest table text (pt) a table's longest words may be set in to fit unbroken.
_TABLE_MIN_PT = 7.0
_CELL_PAD_CM = 0.45
_EMU_PER_CM = 360000
#: The report language as Word names it (core properties, proofing language).
_LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}


#: A house-style document may be this large, as a file and its parts decompressed together
#: (a zip bomb's styles.xml inflating to 1.5 GB took 3.1 GB of memory for 42 s).
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
#: A house-style document may have this many parts (zip members).
MAX_REFERENCE_PARTS = 1000


def read_reference(path: Path) -> bytes:
    """The bytes of a house-style document, checked before python-docx opens them.

    Read by the one read rule (:func:`selfeval.files.yamlio.read_file`: no pipe,
    no link out of the workspace) and held to the one zip rule
    (:mod:`selfeval.files.zips`, as ``selfeval import`` reads zips): at most
    :data:`MAX_REFERENCE_PARTS` parts holding at most :data:`MAX_REFERENCE_BYTES`
    together once decompressed, as declared and as actually decompressed.
    ``validate`` checks it the same way.

    Raises:
        InputError: unreadable, too large, not a zip, or a zip bomb.
    """
    from selfeval.files import yamlio, zips

    data = yamlio.read_file(path, max_bytes=MAX_REFERENCE_BYTES)
    with zips.open_zip(data, path) as archive:
        zips.check_members(
            archive,
            path,
            max_members=MAX_REFERENCE_PARTS,
            max_bytes=MAX_REFERENCE_BYTES,
            why="; a house-style document is a few hundred kilobytes",
            hint="save the house-style document again from Word, or remove it",
        )
    return data


def find_reference(template_dirs: Sequence[Path]) -> Path | None:
    """The first ``reference.docx`` in ``template_dirs``, or None."""
    for folder in template_dirs:
        candidate = folder / REFERENCE_DOC
        if candidate.is_file():
            return candidate
    return None


def write_docx(
    report: Report,
    path: Path,
    *,
    template_dirs: Sequence[Path] = (),
    ids: bool | None = None,
    fsync: bool = True,
) -> None:
    """Write the report as a ``.docx`` to ``path``, atomically.

    Args:
        report: from :func:`selfeval.report.model.build_report`.
        path: the ``.docx`` file.
        template_dirs: folders searched for ``reference.docx`` (a workspace's
            ``templates/``).
        ids: show finding ids (default: in a draft only).
        fsync: flush to disk before the rename.

    Raises:
        InputError: the reference document cannot be read, or the file
            cannot be written; the target is then left as it was.
    """
    from selfeval.files.yamlio import atomic_writer

    data = render_docx(report, reference=find_reference(template_dirs), ids=ids)
    with atomic_writer(path, fsync=fsync, binary=True) as handle:
        handle.write(data)


def render_docx(report: Report, *, reference: Path | None = None, ids: bool | None = None) -> bytes:
    """The report as ``.docx`` bytes (the same bytes for the same report and reference).

    Args:
        report: the report model.
        reference: a house-style document whose styles, page setup, header
            and footer are used (None: python-docx's default, set to A4).
        ids: show finding ids (default: in a draft only).

    Returns:
        The document, a zip package.

    Raises:
        InputError: ``reference`` is not a readable Word document.
    """
    writer = _Writer(report, reference, report.is_draft if ids is None else ids)
    writer.build()
    out = io.BytesIO()
    writer.doc.save(out)
    return normalise_zip(out.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates and attributes (zip dates are the clock's).

    Also for the questionnaire document (:mod:`selfeval.export.questionnaire_docx`).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _open(reference: Path | None) -> Any:
    import docx

    if reference is None:
        return docx.Document()
    data = read_reference(reference)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise InputError(
            f"{reference}: not a Word document that can be used as reference ({exc})",
            hint="save the house-style document as .docx (Word 2007 or later), or remove it",
        ) from None


class _Writer:
    """Builds one document; each method writes one part of the report."""

    def __init__(self, report: Report, reference: Path | None, ids: bool) -> None:
        self.r = report
        self.L = report.L
        self.ids = ids
        self.doc = _open(reference)
        self.reference = reference
        self._table_pt: float | None = None  # the text size of the table being written
        self.styles = {s.name for s in self.doc.styles}
        self._style_ids: dict[str, str | None] = {}
        self.headings: list[tuple[int, str]] = []
        self.toc_paragraph: Any = None
        self.table_number = 0
        body = self.doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)

    # -- low-level helpers -------------------------------------------------------------

    def style(self, *names: str) -> str | None:
        """The first of ``names`` the document has (a reference document may lack some)."""
        return next((n for n in names if n in self.styles), None)

    def style_id(self, name: str) -> str | None:
        """The id of the paragraph style ``name`` (None for the default style), looked up once.

        python-docx looks the name up, then the default paragraph style, in every
        style of the document each time a paragraph's style is set by name (a
        third of the time of a Word report of the worked example).
        """
        if name not in self._style_ids:
            from docx.enum.style import WD_STYLE_TYPE

            self._style_ids[name] = self.doc.styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._style_ids[name]

    def paragraph(self, style: str | None) -> Any:
        """A new paragraph at the end of the body, in the paragraph style named ``style``.

        What ``Document.add_paragraph(style=name)`` does, with the style's id from
        :meth:`style_id`; the default style is left unnamed, as Word and python-docx leave it.
        """
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        body = self.doc.element.body
        try:
            last = body[-1]  # from the end; lxml's len() would walk every child
        except IndexError:
            last = None
        if last is None or last.tag != qn("w:sectPr"):
            paragraph = self.doc.add_paragraph()
        else:
            # python-docx finds the section properties by scanning every paragraph of
            # the body at each new paragraph (quadratic: half the time of a Word report
            # of 100 responses); they are the body's last element, so the new
            # paragraph goes just before it, where python-docx puts it.
            p = OxmlElement("w:p")
            last.addprevious(p)
            paragraph = Paragraph(p, self.doc._body)
        if style is not None:
            paragraph._p.style = self.style_id(style)
        return paragraph

    def _new_table(self, cols: int) -> Any:
        """A table of one row at the end of the body, in the house style's table style.

        What ``Document.add_table(rows=1, cols=cols)`` and setting its style by name
        do, with the width between the margins and the style's id found once per
        document: python-docx searched the whole document for its sections, and every
        style, at each table (a Word report of 100 responses has ~100 tables).
        """
        table = self.doc._body.add_table(1, cols, self._block_width)
        table._tbl.tblStyle_val = self._table_style_id
        return table

    @functools.cached_property
    def _block_width(self) -> Any:
        """python-docx's width for a new table (the last section's, between its margins)."""
        return self.doc._block_width

    @functools.cached_property
    def _table_style_id(self) -> str | None:
        """The id of the house style's table style (Table Grid, else Table), or None."""
        from docx.enum.style import WD_STYLE_TYPE

        name = self.style("Table Grid", "Table")
        if name is None:
            return None
        return self.doc.styles.get_style_id(self.doc.styles[name], WD_STYLE_TYPE.TABLE)

    @functools.cached_property
    def _text_width(self) -> Any:
        """The width between the margins of the (only) section."""
        section = self.doc.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def para(self, text: str = "", style: str | None = None, **run: Any) -> Any:
        paragraph = self.paragraph(self.style(style) if style else None)
        if text:
            self.run(paragraph, text, **run)
        return paragraph

    @staticmethod
    def run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False) -> Any:
        r = paragraph.add_run()
        if text.isprintable():  # no tab or line break: one w:t, as add_run(text) makes it
            if text:
                r._r.add_t(text)
        else:
            r.text = text
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        return r

    def heading(self, text: str, level: int) -> Any:
        """A heading, kept with the paragraph after it (a house style's heading may not be)."""
        level = max(1, min(level, 4))
        name = self.style(f"Heading {level}")
        paragraph = self.paragraph(name)
        self.run(paragraph, _one_line(text), bold=name is None)
        paragraph.paragraph_format.keep_with_next = True
        self.headings.append((level, _one_line(text)))
        return paragraph

    def lead_in(self, text: str, **run: Any) -> Any:
        """A line that introduces the list after it ("Reacties uit de collegiale toets:").

        Kept with the list's first point, so it is never alone at the foot of a page.
        """
        paragraph = self.para(text, **run)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def notes(self, paragraph: Any, numbers: Sequence[int]) -> None:
        """Note numbers as one superscript run, ``1,2`` for two (not ``12``).

        The one way a note is marked, in running text and in table cells.
        """
        if numbers:
            self.run(paragraph, ",".join(str(n) for n in numbers)).font.superscript = True

    def block(self, text: str, *, style: str | None = None, notes: Sequence[int] = ()) -> None:
        """An answer's text: a paragraph per blank-line-separated part; plain runs only.

        Lines within a part are joined, as the Markdown report joins them. A
        part that ends with a colon and is followed by another ("… op drie
        punten:") introduces it, and is kept with it as a lead-in is.
        """
        chunks = _paragraphs(text) or [[""]]
        for i, chunk in enumerate(chunks):
            paragraph = self.para(" ".join(chunk), style=style)
            if i == len(chunks) - 1:
                self.notes(paragraph, notes)
            elif chunk[-1].endswith(":"):
                paragraph.paragraph_format.keep_with_next = True

    def bullet(self, style: str = "List Bullet") -> Any:
        name = self.style(style)
        paragraph = self.paragraph(name)
        if name is None:
            self.run(paragraph, "• ")
        return paragraph

    def numbered(self, items: Sequence[str]) -> None:
        """A numbered list that starts at 1 (List Number continues across a document)."""
        num_id = self._restart_numbering()
        for n, item in enumerate(items, 1):
            if num_id is None:
                paragraph = self.para(f"{n}. ")
            else:
                paragraph = self.para(style="List Number")
                _set_num(paragraph, num_id)
            self.run(paragraph, _one_line(item))

    def _restart_numbering(self) -> int | None:
        from docx.oxml.ns import qn

        if "List Number" not in self.styles:
            return None
        style = self.doc.styles["List Number"].element
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is None:
            return None
        numbering = self.doc.part.numbering_part.element
        base = numbering.num_having_numId(int(num.get(qn("w:val"))))
        fresh = numbering.add_num(base.abstractNumId.val)
        fresh.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(fresh.numId)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        weights: Sequence[float] = (),
        caption: str = "",
    ) -> Any:
        """A numbered, captioned table over the text width; ``weights`` share the width out.

        A cell given as :class:`_Noted` ends with its note numbers in superscript,
        as running text does. The caption ("Tabel 2: …") goes above the table in the Caption style,
        kept with it; the header row is marked as one (``tblHeader``: screen
        readers announce it, Word repeats it on each page).
        """
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if caption:
            self.table_number += 1
            label = f"{self.L.get('table', 'Table')} {self.table_number}: {caption}"
            paragraph = self.para(label, style="Caption", italic="Caption" not in self.styles)
            paragraph.paragraph_format.keep_with_next = True
        table = self._new_table(cols=len(header))
        table.autofit = False
        width = self._text_width
        shares = list(weights) if len(weights) == len(header) else [1.0] * len(header)
        widths, size = _column_widths(width, header, rows, shares)
        self._table_pt = size
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            self.table_text(self.run(cell.paragraphs[0], text, bold=True))
        marker = OxmlElement("w:tblHeader")  # repeat the header row on each page
        table.rows[0]._tr.get_or_add_trPr().append(marker)
        marker.set(qn("w:val"), "true")
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                lines = str(value or "").splitlines() or [""]
                paragraph = cell.paragraphs[0]
                for j, line in enumerate(lines):
                    if j:
                        paragraph = cell.add_paragraph()
                    self.table_text(self.run(paragraph, line))
                if isinstance(value, _Noted) and value.notes:
                    self.notes(paragraph, value.notes)
                    self.table_text(paragraph.runs[-1])
        for column, w in zip(table.columns, widths, strict=True):
            column.width = w
            for cell in column.cells:
                cell.width = w
        self._table_pt = None
        self.para()
        return table

    def table_text(self, run: Any) -> None:
        """Table text a size smaller than body text (a house style keeps its own).

        Smaller still where the table's longest words would not fit unbroken
        at that size (:func:`_column_widths`), a house style's table too.
        """
        from docx.shared import Pt

        size = self._table_pt
        if size is not None and size < _TABLE_PT:
            run.font.size = Pt(size)
        elif self.reference is None:
            run.font.size = Pt(_TABLE_PT)

    def markdown(self, text: str, *, shift: int = 1) -> None:
        """The secretariat's Markdown (``texts/*.md``): headings, paragraphs, lists, emphasis."""
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark", {"html": False}).parse(text or "")
        lists: list[tuple[str, int | None]] = []  # (kind, numId) per open list
        quote = 0
        heading_level: int | None = None
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading_level = int(token.tag[1:]) - shift
            elif kind == "bullet_list_open":
                lists.append(("bullet", None))
            elif kind == "ordered_list_open":
                lists.append(("ordered", self._restart_numbering()))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "inline":
                if heading_level is not None:
                    self.heading(token.content, heading_level)
                    heading_level = None
                    continue
                if lists and lists[-1][0] == "bullet":
                    paragraph = self.bullet()
                elif lists:
                    num_id = lists[-1][1]
                    paragraph = self.para(style="List Number" if num_id else None)
                    if num_id:
                        _set_num(paragraph, num_id)
                elif quote:
                    paragraph = self.para(style="Quote")
                else:
                    paragraph = self.para()
                self._inline(paragraph, token.children or [])
            elif kind in ("fence", "code_block"):
                self.block(token.content)

    def _inline(self, paragraph: Any, children: Sequence[Any]) -> None:
        bold = italic = 0
        for child in children:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind in ("text", "code_inline"):
                self.run(paragraph, child.content, bold=bold > 0, italic=italic > 0)
            elif kind == "softbreak":
                self.run(paragraph, " ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()

    def picture(self, figure: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        paragraph = self.para()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(io.BytesIO(figure.picture("png")), width=Cm(16))
        # Word's alt text: what the figure shows, not its name (issue 19).
        shape._inline.docPr.set("descr", figure.alt)
        shape._inline.docPr.set("title", figure.caption)
        self.para(figure.caption, style="Caption", italic="Caption" not in self.styles)
        if figure.rows:
            self.table(
                figure.header,
                [["\n".join(cell) or "—" for cell in row] for row in figure.rows],
                [4] + [6] * (len(figure.header) - 1),
                caption=self.L["table_figure"].format(number=figure.number),
            )

    # -- page setup, header, footer, TOC ----------------------------------------------

    def page_setup(self) -> None:
        from docx.shared import Mm

        section = self.doc.sections[0]
        if self.reference is None:  # a house style keeps its own page setup
            section.page_width, section.page_height = Mm(210), Mm(297)
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Mm(25))
        status = self.r.status + (f" — {self.L['draft_status']}" if self.r.is_draft else "")
        header = section.header
        header.is_linked_to_previous = False
        if status not in "".join(p.text for p in header.paragraphs):
            paragraph = next((p for p in header.paragraphs if not p.text.strip()), None)
            if paragraph is None:
                paragraph = header.add_paragraph()
            if "Header" in self.styles:
                paragraph.style = self.doc.styles["Header"]
            self.run(paragraph, status)
        footer = section.footer
        footer.is_linked_to_previous = False
        if "PAGE" not in footer._element.xml:
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            paragraph = next((p for p in footer.paragraphs if not p.text.strip()), None)
            if paragraph is None:
                paragraph = footer.add_paragraph()
            if "Footer" in self.styles:
                paragraph.style = self.doc.styles["Footer"]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _field(paragraph, "PAGE", "1")

    def properties(self) -> None:
        props = self.doc.core_properties
        try:
            when = dt.datetime.fromisoformat(self.r.iso_date).replace(tzinfo=dt.UTC)
        except ValueError:
            when = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        props.title = self.r.title
        props.subject = self.r.category
        props.author = props.last_modified_by = self.r.secretariat or self.r.project
        props.keywords = props.comments = props.category = ""
        props.content_status = self.r.status
        props.language = _LANGUAGE_TAGS.get(self.r.lang, self.r.lang)
        self._default_language(props.language)
        # Word fills in the table of contents and page numbers on opening.
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    def _default_language(self, tag: str) -> None:
        """The document's proofing language (``w:lang`` in the default run properties)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), tag)

    def toc(self) -> None:
        self.para(self.L.get("contents", "Contents"), style="TOC Heading", bold=True)
        self.toc_paragraph = self.para()

    def toc_style(self, level: int) -> str:
        """The name of the paragraph style for a contents entry of ``level``.

        The reference document's own ``TOC n`` (or Word's built-in ``toc n``) when it
        has one; otherwise ``toc n`` is added: Normal with 2 pt after and 0.25 inch of
        indent per level below the first. Normal's spacing (10 pt after, 1.15 lines in
        python-docx's default) made a contents of 30 entries spill one line onto a page
        of its own; Word uses the same styles when it updates the field.
        """
        name = self.style(f"TOC {level}", f"toc {level}")
        if name:
            return name
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Emu, Pt

        name = f"toc {level}"
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.left_indent = Emu(228600 * (level - 1))
        self.styles.add(name)
        return name

    def fill_toc(self) -> None:
        """The TOC field, pre-filled with the chapters (Word replaces them with page numbers)."""
        from docx.oxml.ns import qn

        anchor = self.toc_paragraph
        entries = [(lv, text) for lv, text in self.headings if lv <= _TOC_LEVELS]
        instruction = f'TOC \\o "1-{_TOC_LEVELS + 2}" \\h \\z \\u'
        if not entries:
            _field(anchor, instruction, self.L.get("contents", "Contents"))
            return
        _field_begin(anchor, instruction)
        previous = anchor._p
        last = anchor
        for level, text in entries:
            paragraph = copy.deepcopy(anchor._p)
            for child in list(paragraph):
                if child.tag != qn("w:pPr"):
                    paragraph.remove(child)
            previous.addnext(paragraph)
            previous = paragraph
            from docx.text.paragraph import Paragraph

            last = Paragraph(paragraph, anchor._parent)
            last._p.style = self.style_id(self.toc_style(level))
            self.run(last, text)
        _field_end(last)

    # -- the report --------------------------------------------------------------------

    def build(self) -> None:
        from docx.enum.text import WD_BREAK

        from selfeval.report.figures import figures

        r, L = self.r, self.L
        self.figures = {f.key: f for f in figures(r)}
        self.page_setup()
        self.properties()
        self.para(r.title, style="Title", bold="Title" not in self.styles)
        self.para(r.project, bold=True)
        self.labelled(L["incident_category"], r.category)
        self.labelled(L["date"], r.date)
        status = r.status + (f" — {L['draft_status']}" if r.is_draft else "")
        self.labelled(L["status"], status)
        if r.draft_hash:
            self.labelled(L["draft_hash"], r.draft_hash)
        self.para().add_run().add_break(WD_BREAK.PAGE)
        self.toc()
        self.para().add_run().add_break(WD_BREAK.PAGE)
        self.summary()
        self.preface()
        self.introduction()
        self.category()
        self.process()
        self.findings()
        self.conclusions()
        self.annexes()
        self.fill_toc()

    def labelled(self, label: str, value: str) -> None:
        paragraph = self.para(f"{label}: ")
        self.run(paragraph, value, bold=True)

    def summary(self) -> None:
        """The executive summary (``texts/summary.md``), left out when empty."""
        text = self.r.texts.get("summary", "")
        if text:
            self.heading(self.L["summary"], 1)
            self.markdown(text)

    def preface(self) -> None:
        r = self.r
        self.heading(self.L["preface"], 1)
        self.markdown(r.texts.get("preface", ""))
        if r.caveat:
            self.para(r.caveat, style="Quote", italic="Quote" not in self.styles)
        if r.secretariat:
            self.para(r.secretariat, italic=True)

    def introduction(self) -> None:
        r, L = self.r, self.L
        self.heading(f"1 {L['introduction']}", 1)
        self.markdown(r.texts.get("introduction", ""))
        self.heading(L["reading_guide"], 2)
        self.lead_in(L["reading_guide_text"])
        for line in r.reading_guide:
            self.run(self.bullet(), line)
        if self.ids and r.ids_note:
            self.para(r.ids_note.replace("`", ""))

    def category(self) -> None:
        r, L = self.r, self.L
        self.heading(f"2 {L['chapter_category'].format(category=r.category)}", 1)
        self.markdown(r.texts.get("incident-category", ""))
        if not r.departments:
            return
        self.heading(f"2.1 {L['department_views']}", 2)
        for d in r.departments:
            self.heading(d.name, 3)
            self.labelled_block(L["definition"], d.definition)
            if d.causes:
                self.labelled_block(L["causes"], d.causes)
            self.labelled_block(L["phases"], d.phases)
            if d.phases_note:
                self.labelled_block(L["phases_note"], d.phases_note)
            if d.documents:
                self.lead_in(f"{L['documents']}:", bold=True)
                for doc in d.documents:
                    paragraph = self.bullet()
                    self.run(paragraph, _one_line(doc.cited_title))
                    if doc.texts:
                        self.run(paragraph, f" — {self.inline_texts(doc)}")
                    self.id_suffix(paragraph, doc.id)

    def inline_texts(self, v: FindingView) -> str:
        """A finding's texts on one line, each with its authors where the report must say them."""
        return " — ".join(
            (f"{self.L['text_by'].format(names=t.by)} " if t.named else "") + _one_line(t.text)
            for t in v.texts
        )

    def authored(self, t: AuthoredText, *, notes: Sequence[int] = (), points: bool = False) -> None:
        """A department's text as paragraphs, led by its authors when the report must say them."""
        if not t.named:
            if points and len(_lines(t.text)) > 1:
                for line in _lines(t.text):
                    self.run(self.bullet(), line)
            else:
                self.block(t.text, notes=notes)
            return
        chunks = _paragraphs(t.text) or [[""]]
        paragraph = self.para(f"{self.L['text_by'].format(names=t.by)} ", bold=True)
        self.run(paragraph, " ".join(chunks[0]))
        if len(chunks) == 1:
            self.notes(paragraph, notes)
        else:
            if chunks[0][-1].endswith(":"):
                paragraph.paragraph_format.keep_with_next = True
            self.block("\n\n".join("\n".join(chunk) for chunk in chunks[1:]), notes=notes)

    def labelled_block(self, label: str, text: str) -> None:
        chunks = _paragraphs(text)
        paragraph = self.para(f"{label}. ", bold=True)
        if not chunks:
            return
        self.run(paragraph, " ".join(chunks[0]))
        if len(chunks) > 1:
            if chunks[0][-1].endswith(":"):
                paragraph.paragraph_format.keep_with_next = True
            self.block("\n\n".join("\n".join(chunk) for chunk in chunks[1:]))

    def id_suffix(self, paragraph: Any, finding_id: str) -> None:
        if self.ids:
            self.run(paragraph, f" ({finding_id})")

    def process(self) -> None:
        r, L = self.r, self.L
        self.heading(f"3 {L['chapter_process']}", 1)
        self.heading(f"3.1 {L['roles']}", 2)
        self.para(L["roles_intro"])
        if "roles" in self.figures:
            self.picture(self.figures["roles"])
        header = [
            L["department"],
            L["involvement"],
            L["gives_input_to"],
            L["receives_input_from"],
            L["described_by"],
        ]
        rows = [
            [row.name, row.involvement, row.gives_input_to, row.receives_input_from,
             row.described_by] + ([row.id] if self.ids else [])
            for row in r.roles
        ]  # fmt: skip
        rows = [[value or "—" for value in row] for row in rows]
        weights = [3.2, 3.4, 3.3, 3.3, 3.1] + ([3.4] if self.ids else [])
        caption = L["table_roles"]
        if "roles" in self.figures:
            number = self.figures["roles"].number
            caption += f" ({L['table_figure'].format(number=number)})"
        self.table(header + ([L["finding_id"]] if self.ids else []), rows, weights, caption)
        for row in r.roles:
            if not (row.view or row.own_role):  # only named as giving or receiving input
                continue
            self.heading(row.name, 3)
            if row.view:
                for t in row.view.texts:
                    self.authored(t, points=row.own)
                self.reactions(row.view.reactions)
            if row.own_role:
                self.labelled_block(L["own_description"], row.own_role)
            if self.ids:
                self.para(f"{L['finding_id']}: {row.id}", italic=True)
        self.heading(f"3.2 {L['activities']}", 2)
        self.para(L["activities_intro"])
        for label, items in r.activities:
            self.heading(label, 3)
            if not items:
                self.run(self.bullet(), L["none"])
            for v in items:
                paragraph = self.bullet()
                if not v.names_its_authors:
                    self.run(paragraph, f"{v.attribution}: ", bold=True)
                self.run(paragraph, self.inline_texts(v))
                self.notes(paragraph, v.notes)
                if v.origin:
                    self.run(paragraph, f" ({v.origin})", italic=True)
                self.id_suffix(paragraph, v.id)

    def findings(self) -> None:
        r, L = self.r, self.L
        self.heading(f"4 {L['chapter_findings']}", 1)
        for number, label, views in (
            ("4.1", L["bottlenecks"], r.bottlenecks),
            ("4.2", L["blind_spots"], r.blind_spots),
        ):
            self.heading(f"{number} {label}", 2)
            self.finding_list(views, 3)
        self.heading(f"4.3 {L['needs']}", 2)
        self.heading(f"4.3.1 {L['needs_departmental']}", 3)
        self.finding_list(r.needs_departmental, 4)
        self.heading(f"4.3.2 {L['needs_interdepartmental']}", 3)
        self.finding_list(r.needs_interdepartmental, 4)
        section = 3
        if r.glance:
            section += 1
            self.heading(f"4.{section} {L['reactions_glance']}", 2)
            self.para(L["glance_intro"])
            rows = [
                [row.label + (f" ({row.view.id})" if self.ids else ""),
                 row.agree or "—", row.partly or "—", row.disagree or "—"]
                for row in r.glance
            ]  # fmt: skip
            header = [L["glance_finding"], L["glance_agree"], L["glance_partly"]]
            self.table([*header, L["glance_disagree"]], rows, [7, 3, 3, 3], L["table_glance"])
        if r.other_input:
            section += 1
            self.heading(f"4.{section} {L['other_input']}", 2)
            for o in r.other_input:
                self.heading(f"{o.name} ({o.round})", 3)
                for label, text in o.lines:
                    paragraph = self.bullet()
                    self.run(paragraph, f"{label}: ", bold=True)
                    self.run(paragraph, _one_line(text))
        if r.stale:
            section += 1
            self.heading(f"4.{section} {L['stale_reactions']}", 2)
            self.lead_in(r.stale_intro)
            for x in r.stale:
                paragraph = self.bullet()
                named = x.finding if self.ids else _one_line(x.about or x.finding)
                self.run(paragraph, f"{named} ({x.reason}): ")
                self.reaction_text(paragraph, x)

    def finding_list(self, views: Sequence[FindingView], level: int) -> None:
        if not views:
            self.para(self.L["none"])
        for v in views:
            self.finding(v, level)

    def finding(self, v: FindingView, level: int) -> None:
        L = self.L
        self.heading(f"{v.attribution}: {_one_line(v.finding.title)}", level)
        for i, t in enumerate(v.texts):
            self.authored(t, notes=v.notes if i == len(v.texts) - 1 else ())
        if v.finding.note:
            self.para(_one_line(v.finding.note), italic=True)
        meta = []
        if v.concerns:
            meta.append(f"{L['concerns']}: {v.concerns}")
        if v.origin:
            meta.append(v.origin)
        if v.answers:
            meta.append(f"{L['answers']} {self.answered(v)}")
        if meta:
            line = "; ".join(meta)
            self.para(line[:1].upper() + line[1:] + ".", italic=True)
        if v.single_source:
            self.para(L["single_source"], italic=True)
        self.reactions(v.reactions)
        if self.ids:
            text = f"{L['finding_id']}: {v.id}"
            if v.finding.merged:
                text += " — " + L["merged_ids"].format(ids=", ".join(v.finding.merged))
            self.para(text, italic=True)

    def reactions(self, reactions: Sequence[ReactionView]) -> None:
        if not reactions:
            return
        self.lead_in(f"{self.L['reactions']}:", bold=True)
        for x in reactions:
            self.reaction_text(self.bullet(), x)

    def reaction_text(self, paragraph: Any, x: ReactionView) -> None:
        L = self.L
        if x.verdict == "disagree":
            self.run(paragraph, f"{L['dissent']}. ", bold=True)
        self.run(paragraph, x.sentence)
        if x.comment:
            self.run(paragraph, f" {_one_line(x.comment)}")
        if x.correction:
            self.run(paragraph, f" {L['correction']} “{_one_line(x.correction)}”")

    def answered(self, v: FindingView) -> str:
        """What an opportunity answers: ids with ``--ids``, else who raised what (shortened)."""
        if self.ids:
            return ", ".join(a.id for a in v.answers)
        return "; ".join(
            f"{a.attribution}: {textwrap.shorten(_one_line(a.finding.title), 70, placeholder=' …')}"
            for a in v.answers
        )

    def conclusions(self) -> None:
        r, L = self.r, self.L
        self.heading(f"5 {L['chapter_conclusions']}", 1)
        self.markdown(r.texts.get("conclusions", ""))
        self.heading(f"5.1 {L['opportunities']}", 2)
        self.para(L["matrix_intro"])
        if "opportunities" in self.figures:
            self.picture(self.figures["opportunities"])  # with its table, the matrix
        else:
            rows = []
            for nature, direction, cells in r.matrix:
                texts = []
                for cell in cells:
                    lines = [
                        f"{v.attribution}: {_one_line(v.finding.title)}"
                        + (f" ({v.id})" if self.ids else "")
                        + (f" ({L['answers']} {self.answered(v)})" if v.answers else "")
                        for v in cell
                    ]
                    texts.append("\n".join(lines) or "—")
                rows.append([f"{nature}, {direction}", *texts])
            header = [L["opportunity_kind"], L["departmental"], L["interdepartmental"]]
            self.table(header, rows, [4, 6, 6], L["table_matrix"])
        for v in r.opportunities:
            self.finding(v, 3)

    def annexes(self) -> None:
        from docx.enum.text import WD_BREAK

        r, L = self.r, self.L
        self.para().add_run().add_break(WD_BREAK.PAGE)
        self.heading(L["annex1"], 1)
        self.para(L["annex1_intro"])
        self.table(
            [L["ministry"], L["forms"], L["remark"]],
            [list(cells) for cells in r.annex1_table],
            [4, 5, 7],
            L["table_annex1"],
        )
        if r.not_received:
            self.lead_in(L["not_received"])
            for item in r.not_received:
                self.run(self.bullet(), item)
        else:
            self.para(L["all_received"])
        if r.annex2:
            self.heading(L["annex2"], 1)
        for title, phases in r.annex2:
            self.heading(title, 2)
            rows = []
            for label, items in phases:
                for v in items:
                    row: list[str] = [label, _Noted(self.inline_texts(v), v.notes)]
                    rows.append(row + ([v.id] if self.ids else []))
                if not items:
                    rows.append([label, "—"] + ([""] if self.ids else []))
            header = [L["phase"], L["description"]] + ([L["finding_id"]] if self.ids else [])
            self.table(header, rows, [5.2, 10.8] + ([4.5] if self.ids else []), title)
        if r.abbreviations:
            self.heading(L["abbreviations"], 1)
            rows = [[short, full] for short, full in r.abbreviations]
            header = [L["abbreviation"], L["meaning"]]
            self.table(header, rows, [3.5, 12.5], L["table_abbreviations"])
        if r.notes:
            self.heading(L["notes"], 1)
            self.numbered(r.notes)


class _Noted(str):
    """A table cell's text that ends with note numbers (shown in superscript after it)."""

    notes: tuple[int, ...]

    def __new__(cls, text: str, notes: Sequence[int] = ()) -> _Noted:
        cell = super().__new__(cls, text)
        cell.notes = tuple(notes)
        return cell


def _column_widths(
    total: int, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float]
) -> tuple[list[int], float]:
    """Column widths (EMU) over ``total`` and the text size (pt): no word is broken.

    Each column first gets room for its longest word (header in bold
    included), so "Departement" or "Waterbeheerzaken" never breaks
    mid-word; what is left is shared out in proportion to ``shares``. If
    the longest words do not fit side by side at the table's text size
    (:data:`_TABLE_PT`), the text is set half a point smaller until they do,
    down to :data:`_TABLE_MIN_PT`; below that the columns get ``shares`` alone.
    """
    longest = [max((len(w) for w in str(h).split()), default=0) for h in header]
    for row in rows:
        for i, value in enumerate(row):
            words = str(value or "").split()
            longest[i] = max(longest[i], max((len(w) for w in words), default=0))
    size = _TABLE_PT
    while True:
        char = _CHAR_CM * size / _TABLE_PT
        least = [int((n * char + _CELL_PAD_CM) * _EMU_PER_CM) for n in longest]
        spare = total - sum(least)
        if spare >= 0:
            widths = [m + int(spare * w / sum(shares)) for m, w in zip(least, shares, strict=True)]
            return widths, size
        if size - 0.5 < _TABLE_MIN_PT:
            return [int(total * w / sum(shares)) for w in shares], size
        size -= 0.5


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split())


def _lines(text: object) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _paragraphs(text: object) -> list[list[str]]:
    """Text split at blank lines into paragraphs, each a list of its (stripped) lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in str(text or "").strip().splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def _set_num(paragraph: Any, num_id: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def _fld_char(kind: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")
    return element


def _field_begin(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run()._r.append(_fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(_fld_char("separate"))


def _field_end(paragraph: Any) -> None:
    paragraph.add_run()._r.append(_fld_char("end"))


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A complex field (``PAGE``, ``TOC …``) with ``shown`` as its current result."""
    _field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)
