"""Writing export tables as CSV, XLSX or JSON, safe to open in a spreadsheet.

Each writer takes the tables to write and a function giving each table's
rows (:data:`Produce`); it asks for the rows table by table, in order, and
writes them as they come, so the biggest table (the answers, a row per
answer) is never held whole. Every file is written atomically: on an error
or Ctrl-C no file is half-written and an earlier export is left as it was.

Spreadsheet formulas (CSV injection, https://owasp.org/www-community/attacks/CSV_Injection):
a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula by Excel or LibreOffice. Following OWASP,

* **CSV**: such a cell gets a single quote in front (``'=HYPERLINK(…)``),
  which spreadsheets show as text, and every field is quoted (RFC 4180);
* **XLSX**: every text cell is a string cell, never a formula, and such a
  cell is also marked *quote prefix* (what typing ``'`` in Excel does), so
  the text stays exactly as answered and stays text when edited;
* **JSON** is data for scripts, not a spreadsheet: values are written as they are.

See ``docs/export.md``.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, Location
from selfeval.export.tables import Row, Table
from selfeval.files.yamlio import atomic_path, atomic_writer

__all__ = [
    "EXCEL_MAX_CELL",
    "EXCEL_MAX_ROWS",
    "FORMULA_START",
    "Produce",
    "csv_folder",
    "flat",
    "neutralise",
    "write_csv",
    "write_json",
    "write_xlsx",
]

#: A table → its rows; called once per table, in the order the tables are given.
Produce = Callable[[Table], Iterable[Row]]

#: What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows in one Excel worksheet, the header included; more go on a next sheet.
EXCEL_MAX_ROWS = 1_048_576
#: Characters Excel keeps in one cell.
EXCEL_MAX_CELL = 32_767
#: Column widths in characters: at least the header, at most this.
_MAX_WIDTH = 60
#: Rows sampled per sheet to size the columns.
_WIDTH_SAMPLE = 200


def neutralise(text: str) -> str:
    """``text`` with a ``'`` in front if a spreadsheet would read it as a formula.

    Args:
        text: a cell's text.

    Returns:
        ``"'" + text`` when it starts with one of :data:`FORMULA_START`, else
        ``text`` unchanged (OWASP's advice on CSV injection).
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def _reaction_text(reaction: dict[str, Any]) -> str:
    text = f"{reaction.get('name') or reaction.get('participant')}: {reaction.get('verdict')}"
    if reaction.get("comment"):
        text += f" — {reaction['comment']}"
    if reaction.get("correction"):
        text += f" (correction: {reaction['correction']})"
    if reaction.get("stale"):
        text += f" [{reaction['stale']}]"
    return text


def flat(value: Any) -> Any:
    """One spreadsheet cell for ``value``: lists joined readably, everything else as it is.

    A list of texts is joined with ``"; "``; a list of reactions (mappings)
    becomes one line per reaction: ``Name: verdict — comment``.
    """
    if type(value) is list:
        if value and isinstance(value[0], dict):
            return "\n".join(_reaction_text(v) for v in value)
        return "; ".join(str(v) for v in value)
    return value


def _csv_cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        return neutralise(flat(value))
    return str(value)


def csv_folder(target: Path, tables: Sequence[Table]) -> Path | None:
    """The folder of a CSV export to ``target``, or None when it is one table's file.

    ``target`` is a file only for one table and a name ending in ``.csv``;
    else it is the folder the tables' ``<table>.csv`` files go into.
    """
    return None if len(tables) == 1 and target.suffix.lower() == ".csv" else target


def write_csv(
    target: Path, tables: Sequence[Table], produce: Produce, *, within: Path | None = None
) -> list[Path]:
    """Write each table as a CSV file: UTF-8 with a BOM, every field quoted (RFC 4180).

    Args:
        target: a folder (``<table>.csv`` per table), or with one table its
            file (:func:`csv_folder`).
        tables: which tables, in order.
        produce: rows per table.
        within: the workspace, for a default path: refuse to write where a
            link leads out of it (:func:`selfeval.files.yamlio.check_inside`).

    Returns:
        The files written.

    Raises:
        InputError: a file cannot be written; no file is replaced then.
        RefusedError: ``within`` is given and a path leads outside it.
    """
    folder = csv_folder(target, tables)
    if folder is None:
        paths = [target]
    else:
        _folder(folder)
        paths = [folder / f"{table.name}.csv" for table in tables]
    # All files are replaced together at the end, or none (ExitStack unwinds each writer).
    with contextlib.ExitStack() as stack:
        for table, path in zip(tables, paths, strict=True):
            handle = stack.enter_context(atomic_writer(path, within=within))
            handle.write("\ufeff")  # so Excel reads UTF-8 (Financiën), not the ANSI code page
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows([_csv_cell(v) for v in row] for row in produce(table))
    return paths


def _folder(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InputError(
            "a CSV export of several tables is a folder, but this is a file",
            location=Location(target),
            hint="give a folder with -o, or one table with --table",
        )


def write_json(
    target: Path,
    tables: Sequence[Table],
    produce: Produce,
    meta: dict[str, Any],
    *,
    within: Path | None = None,
) -> Path:
    """Write the tables as one JSON document: ``meta``'s keys, then one list of objects per table.

    Each row is an object keyed by column; lists stay lists, numbers and
    booleans stay typed, nothing is neutralised (it is data for scripts).
    One row per line, in a stable order, so two exports diff well.

    ``within``: as :func:`write_csv`.

    Raises:
        InputError: the file cannot be written; an earlier file is left as it was.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    with atomic_writer(target, within=within) as handle:
        handle.write("{\n")
        for key, value in meta.items():
            handle.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        for n, table in enumerate(tables):
            handle.write(f"  {json.dumps(table.name)}: [")
            columns = table.columns
            first = True
            for row in produce(table):
                handle.write("\n    " if first else ",\n    ")
                handle.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
                first = False
            handle.write("]" if first else "\n  ]")
            handle.write(",\n" if n < len(tables) - 1 else "\n")
        handle.write("}\n")
    return target


def write_xlsx(
    target: Path, tables: Sequence[Table], produce: Produce, *, within: Path | None = None
) -> tuple[Path, list[str]]:
    """Write one worksheet per table into an Excel workbook (XlsxWriter).

    Every sheet has its header row frozen, an autofilter and column widths
    fitted to the first rows. Text is always written as a string cell (so
    ``NO``, ``1.10``, ``0755`` and ``2006-05-16`` stay text), numbers and
    booleans as such; formula-like text is marked quote-prefix (see the module
    docstring). A table longer than Excel's 1,048,576 rows continues on a
    sheet ``<name> (2)``; a text longer than 32,767 characters is cut (said
    in a warning: the CSV and JSON keep it whole).

    ``within``: as :func:`write_csv`.

    Returns:
        (the file, warnings).

    Raises:
        InputError: the file cannot be written; an earlier file is left as it was.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    import datetime

    import xlsxwriter

    warnings: list[str] = []
    with atomic_path(target, within=within) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,  # rows go to disk as written
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        # Same responses, same bytes (a workbook diffed or checked in): the package's
        # creation date is fixed, as the docx report's is; XlsxWriter's zip entries are dated
        # 1980-01-01 already.
        book.set_properties({"created": datetime.datetime(1980, 1, 1)})
        sheets = _Sheets(book)
        for table in tables:
            sheets.write(table, produce(table))
        try:
            book.close()
        except (OSError, xlsxwriter.exceptions.XlsxWriterException) as exc:
            raise InputError(
                f"cannot write the workbook: {exc}",
                location=Location(target),
                hint="free disk space or fix the folder's permissions; nothing was overwritten",
            ) from None
        if sheets.cut:
            warnings.append(
                f"{sheets.cut} cell{'s' if sheets.cut != 1 else ''} longer than Excel's "
                f"{EXCEL_MAX_CELL:,} characters were cut in {target.name}; the CSV and JSON "
                "exports keep them whole"
            )
    return target, warnings


class _Sheets:
    """Writes tables into a workbook, sheet by sheet (XlsxWriter, constant-memory mode)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#EEEEEE", "bottom": 1})
        self.quoted = book.add_format({"quote_prefix": True})
        self.cut = 0

    def write(self, table: Table, rows: Iterable[Row]) -> None:
        part = 1
        sheet, widths = self._sheet(table, part)
        r = 0
        for row in rows:
            if r == EXCEL_MAX_ROWS - 1:
                self._finish(sheet, table, r, widths)
                part += 1
                sheet, widths = self._sheet(table, part)
                r = 0
            r += 1
            sample = r <= _WIDTH_SAMPLE
            for c, value in enumerate(row):
                if value is None:
                    continue
                kind = type(value)
                if kind is list:
                    value, kind = flat(value), str
                if kind is str:
                    if len(value) > EXCEL_MAX_CELL:
                        value = value[:EXCEL_MAX_CELL]
                        self.cut += 1
                    quoted = self.quoted if value.startswith(FORMULA_START) else None
                    sheet.write_string(r, c, value, quoted)
                elif kind is bool:
                    sheet.write_boolean(r, c, value)
                elif kind is int or kind is float:
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
                if sample:
                    width = len(str(value).partition("\n")[0]) + 2
                    if width > widths[c]:
                        widths[c] = min(width, _MAX_WIDTH)
        self._finish(sheet, table, r, widths)

    def _sheet(self, table: Table, part: int) -> tuple[Any, list[int]]:
        name = table.name if part == 1 else f"{table.name} ({part})"
        sheet = self.book.add_worksheet(name)
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column, self.header)
        sheet.freeze_panes(1, 0)
        return sheet, [len(column) + 3 for column in table.columns]

    def _finish(self, sheet: Any, table: Table, last: int, widths: list[int]) -> None:
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.autofilter(0, 0, max(last, 1), len(table.columns) - 1)
        # Text that looks like a number is text on purpose: no green warning triangles.
        sheet.ignore_errors({"number_stored_as_text": f"A1:XFD{EXCEL_MAX_ROWS}"})
