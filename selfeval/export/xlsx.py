"""A small streaming XLSX (SpreadsheetML) writer: exactly what ``selfeval export`` needs.

An ``.xlsx`` file is a zip of XML parts (ECMA-376, Office Open XML). This
module writes the parts a workbook of plain tables needs — the workbook, one
worksheet per table, a style sheet with three cell styles (normal, the bold
header, *quote prefix*), content types and relationships — and nothing more:
no formulas, no shared strings, no pictures.

Why not a general library: XlsxWriter, which export used first, spends about
9 µs of CPU per cell in its constant-memory mode (``docs/performance.md``), so
the 14 million cells of 10,000 responses took minutes, more than reading the
responses. Writing each row as one piece of XML costs about 1.5 µs per cell.
The files are checked by reading them back with openpyxl and by opening them
in LibreOffice where it is installed (``tests/test_export.py``).

Cells:

* text is an inline string cell (``t="inlineStr"``), never a formula: Excel
  does not turn ``NO``, ``1.10``, ``0755`` or ``2006-05-16`` into anything
  else. ``&``, ``<``, ``>`` are escaped; characters XML cannot hold (control
  characters, a carriage return) are written as Excel writes them
  (``_x000D_``), and a text that itself reads like such an escape gets
  ``_x005F`` in front, so it reads back unchanged;
* a text starting with one of ``quote_prefix`` gets the *quote prefix*
  style (what typing ``'`` before it in Excel does);
* numbers are number cells, booleans boolean cells, None an empty cell, a
  list one text cell made by ``flatten``.

Rows are written as they come (each sheet is streamed into the zip), so the
memory used does not grow with the number of rows; only the first
``width_sample`` rows of a sheet are held, to fit the column widths that come
before them in the file. Deterministic: the same rows give the same bytes.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import IO, Any

__all__ = ["MAX_CELL", "MAX_COLUMN_WIDTH", "MAX_ROWS", "Workbook", "column_name", "escape"]

#: Rows in one worksheet, the header included (Excel's limit).
MAX_ROWS = 1_048_576
#: Characters Excel keeps in one cell; longer texts are cut (and counted).
MAX_CELL = 32_767
#: Widest column fitted to its content, in characters.
MAX_COLUMN_WIDTH = 60
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Characters XML escapes, characters XML 1.0 cannot hold or would change (control
#: characters but tab and line feed; a carriage return reads back as a line feed),
#: and text that would read as Excel's own ``_xHHHH_`` escape.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Cell styles: indexes into the style sheet's ``cellXfs``.
_HEADER, _QUOTED = 1, 2
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEEEEEE"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/>'
    "</border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _entity(match: re.Match[str]) -> str:
    found = match.group()
    if found in _ENTITIES:
        return _ENTITIES[found]
    if len(found) == 1:
        return f"_x{ord(found):04X}_"
    return "_x005F" + found  # text that looks like an escape reads back as itself


def escape(text: str) -> str:
    """``text`` as the content of a cell's XML element (see the module docstring)."""
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(_entity, text)


def column_name(index: int) -> str:
    """A column's letters from its index counted from 0: 0 → ``A``, 26 → ``AA``."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class Workbook:
    """A workbook written into ``handle`` (a binary file), one sheet after another.

    Call :meth:`add_sheet` per sheet, then :meth:`close`.

    Args:
        handle: where the zip package goes (a file opened ``wb``).
        quote_prefix: a text starting with one of these gets the quote-prefix style.
        flatten: turns a list value into one cell's text.
        compresslevel: zlib's level for the parts (1: fast; 9: small).
    """

    def __init__(
        self,
        handle: IO[bytes],
        *,
        quote_prefix: tuple[str, ...] = (),
        flatten: Callable[[list[Any]], str] = lambda items: "; ".join(map(str, items)),
        compresslevel: int = 1,
    ) -> None:
        self._zip = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._quote = quote_prefix
        self._flatten = flatten
        self._sheets: list[tuple[str, str]] = []  # name, autofilter range
        #: Texts cut to :data:`MAX_CELL` characters so far.
        self.cut = 0

    def _part(self, name: str) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return self._zip.open(info, "w", force_zip64=True)

    def add_sheet(
        self,
        name: str,
        header: Sequence[str],
        rows: Iterator[Sequence[Any]],
        *,
        width_sample: int = 200,
        max_rows: int = MAX_ROWS,
    ) -> int:
        """Write one worksheet: a bold header row, frozen, an autofilter, then the rows.

        Takes at most ``max_rows - 1`` rows from ``rows``; the rest stay in the
        iterator (for a next sheet).

        Args:
            name: the sheet's name (at most 31 characters, unique; not checked).
            header: the column names.
            rows: the rows, each a sequence of text, int, float, bool, None or a list.
            width_sample: rows looked at to fit the column widths.
            max_rows: rows a sheet holds, the header included.

        Returns:
            The number of rows written (the header not counted).
        """
        number = len(self._sheets) + 1
        columns = [column_name(c) for c in range(len(header))]
        body = islice(rows, max_rows - 1)
        sample = list(islice(body, width_sample))
        widths = _widths(header, sample, self._flatten)
        written = 0
        with self._part(f"xl/worksheets/sheet{number}.xml") as out:
            out.write(self._sheet_head(header, columns, widths).encode())
            chunk: list[str] = []
            for batch in (sample, body):
                for row in batch:
                    written += 1
                    chunk.append(self._row(written + 1, row, columns))
                    if len(chunk) == 256:
                        out.write("".join(chunk).encode())
                        chunk.clear()
            filtered = f"A1:{columns[-1]}{written + 1}"
            chunk.append(
                f'</sheetData><autoFilter ref="{filtered}"/>'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                'footer="0.3"/><ignoredErrors><ignoredError sqref="A1:XFD1048576" '
                'numberStoredAsText="1"/></ignoredErrors></worksheet>'
            )
            out.write("".join(chunk).encode())
        self._sheets.append((name, filtered))
        return written

    def _sheet_head(self, header: Sequence[str], columns: list[str], widths: list[int]) -> str:
        selected = ' tabSelected="1"' if not self._sheets else ""
        cols = "".join(
            f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
            for c, w in enumerate(widths, start=1)
        )
        names = "".join(
            f'<c r="{columns[c]}1" s="{_HEADER}" t="inlineStr"><is><t>{escape(h)}</t></is></c>'
            for c, h in enumerate(header)
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheetViews><sheetView{selected} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            f'<sheetData><row r="1">{names}</row>'
        )

    def _row(self, r: int, row: Sequence[Any], columns: list[str]) -> str:
        cells = []
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is list:
                value, kind = self._flatten(value), str
            if kind is str:
                if len(value) > MAX_CELL:
                    value = value[:MAX_CELL]
                    self.cut += 1
                text = escape(value)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                style = f' s="{_QUOTED}"' if value.startswith(self._quote) else ""
                cells.append(
                    f'<c r="{columns[c]}{r}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
                )
            elif kind is bool:
                cells.append(f'<c r="{columns[c]}{r}" t="b"><v>{1 if value else 0}</v></c>')
            elif (kind is int or kind is float) and math.isfinite(value):
                cells.append(f'<c r="{columns[c]}{r}"><v>{value!r}</v></c>')
            else:  # anything else (a date, an infinite number) as its text
                text = escape(str(value))
                cells.append(f'<c r="{columns[c]}{r}" t="inlineStr"><is><t>{text}</t></is></c>')
        return f'<row r="{r}">{"".join(cells)}</row>'

    def close(self) -> None:
        """Write the workbook, its styles, content types and relationships; close the zip."""
        count = len(self._sheets)
        sheets = "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, _) in enumerate(self._sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"'{escape(name).replace(chr(39), chr(39) * 2)}'!{_absolute(filtered)}</definedName>"
            for n, (name, filtered) in enumerate(self._sheets)
        )
        parts = {
            "[Content_Types].xml": (
                f'{_HEAD}<Types xmlns="{_TYPES}">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                    f'ContentType="{_OFFICE}.worksheet+xml"/>'
                    for n in range(1, count + 1)
                )
                + f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                f"<definedNames>{filters}</definedNames></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                + "".join(
                    f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, count + 1)
                )
                + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                "</Relationships>"
            ),
            "xl/styles.xml": _STYLES,
        }
        for name, text in parts.items():
            with self._part(name) as out:
                out.write(text.encode())
        self._zip.close()


def _widths(
    header: Sequence[str], sample: list[Sequence[Any]], flatten: Callable[[list[Any]], str]
) -> list[int]:
    """Column widths in characters: the header's and the sample's first lines, at most 60."""
    widths = [len(h) + 3 for h in header]
    for row in sample:
        for c, value in enumerate(row):
            if value is not None:
                text = flatten(value) if type(value) is list else str(value)
                width = len(text.partition("\n")[0]) + 2
                if width > widths[c]:
                    widths[c] = min(width, MAX_COLUMN_WIDTH)
    return widths


def _absolute(cells: str) -> str:
    """``A1:L9`` → ``$A$1:$L$9``."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cells.split(":"))
