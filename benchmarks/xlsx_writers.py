"""XLSX writers on the same export rows: what writing the workbook costs per cell.

``selfeval export --format xlsx`` spends most of its time in the XLSX writer
(issue 14: export of 10,000 responses within 1.5x ``aggregate``; CSV and JSON
meet it, XLSX does not). This measures the writer alone: the rows of an
export of N generated responses (read once, from a JSON export) are written
by each variant in a fresh process, and the CPU time of a process that only
loads the rows is subtracted.

Variants:

* ``selfeval``: what ``selfeval export`` does (:func:`selfeval.export.writers.write_xlsx`:
  XlsxWriter in constant-memory mode, ``write_string`` per text cell, formats
  made once, quote prefix on formula-like text, widths, autofilter);
* ``xlsxwriter-write-row``: XlsxWriter's ``write_row`` per row (its own type
  dispatch) instead of a call per cell;
* ``xlsxwriter-in-memory``: XlsxWriter without constant-memory mode (a
  shared-string table; every cell is held until the end);
* ``openpyxl-write-only``: openpyxl's write-only workbook (lxml when installed);
* ``rustpy-xlsxwriter``: the ``rustpy-xlsxwriter`` package (Rust), if installed.

Only ``selfeval`` keeps every guarantee of ``docs/export.md``; the others
show what a different writer or mode would cost or save.

Usage:
    python benchmarks/xlsx_writers.py                    # 1,000 responses
    python benchmarks/xlsx_writers.py --size 300 --keep /tmp/bench --variants selfeval
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_workspace
from measure import mb, run

VARIANTS = (
    "selfeval",
    "xlsxwriter-write-row",
    "xlsxwriter-in-memory",
    "openpyxl-write-only",
    "rustpy-xlsxwriter",
)


def _rows(source: Path) -> dict[str, list[tuple[Any, ...]]]:
    from selfeval.export.tables import TABLES

    data = json.loads(source.read_text("utf-8"))
    return {t.name: [tuple(d[c] for c in t.columns) for d in data[t.name]] for t in TABLES}


def _flat_rows(rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    from selfeval.export.writers import flat

    return [[flat(v) if type(v) is list else v for v in row] for row in rows]


def write(variant: str, source: Path, target: Path) -> None:
    """Write the rows of the JSON export ``source`` to ``target`` with ``variant``."""
    from selfeval.export.tables import TABLES
    from selfeval.export.writers import write_xlsx

    rows = _rows(source)
    if variant == "none":
        return
    if variant == "selfeval":
        write_xlsx(target, TABLES, lambda table: iter(rows[table.name]))
    elif variant.startswith("xlsxwriter"):
        import xlsxwriter

        book = xlsxwriter.Workbook(
            str(target),
            {
                "constant_memory": variant != "xlsxwriter-in-memory",
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        for table in TABLES:
            sheet = book.add_worksheet(table.name)
            sheet.write_row(0, 0, table.columns)
            for r, row in enumerate(_flat_rows(rows[table.name]), start=1):
                sheet.write_row(r, 0, row)
        book.close()
    elif variant == "openpyxl-write-only":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        for table in TABLES:
            sheet = book.create_sheet(table.name)
            sheet.append(list(table.columns))
            for row in _flat_rows(rows[table.name]):
                sheet.append(row)
        book.save(str(target))
    elif variant == "rustpy-xlsxwriter":
        import rustpy_xlsxwriter

        def records(columns: tuple[str, ...], flat: list[list[Any]]) -> Any:
            return (dict(zip(columns, row, strict=True)) for row in flat)

        excel = rustpy_xlsxwriter.FastExcel(str(target))
        for table in TABLES:
            excel = excel.sheet(table.name, records(table.columns, _flat_rows(rows[table.name])))
        excel.freeze(row=1).save()
    else:
        raise SystemExit(f"unknown variant {variant!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="generated responses")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--keep", type=Path, help="generate the workspace here and keep it")
    parser.add_argument(
        "--write", nargs=3, metavar=("VARIANT", "SOURCE", "TARGET"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.write:
        write(args.write[0], Path(args.write[1]), Path(args.write[2]))
        return 0
    from selfeval.export.run import export

    one, five, fifteen = os.getloadavg()
    print(f"Start: load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="selfeval-xlsx-bench-") as tmp:
        ws = (args.keep or Path(tmp)) / f"ws-{args.size}"
        if not (ws / "selfeval.yaml").exists():
            make_workspace(ws, args.size)
        source = Path(tmp) / "rows.json"
        result = export(workspace=ws, fmt="json", output=source)
        rows = _rows(source)
        cells = sum(len(r) * len(r[0]) for r in rows.values() if r)
        filled = sum(1 for r in rows.values() for row in r for v in row if v not in (None, "", []))
        counts = ", ".join(f"{name} {n:,}" for name, n in result.counts.items())
        print(f"{args.size} responses: rows {counts}; {cells:,} cells ({filled:,} not empty)")
        me = [sys.executable, str(Path(__file__).resolve())]
        base = run([*me, "--write", "none", str(source), str(Path(tmp) / "none.xlsx")])
        print(f"  {'loading the rows only':<22} {base.cpu:7.2f} s CPU (subtracted below)")
        for variant in args.variants:
            target = Path(tmp) / f"{variant}.xlsx"
            load = os.getloadavg()[0]
            done = run([*me, "--write", variant, str(source), str(target)])
            if done.returncode != 0:
                why = (done.stderr.strip().splitlines() or ["failed"])[-1]
                print(f"  {variant:<22} not measured: {why}")
                continue
            cpu = done.cpu - base.cpu
            print(
                f"  {variant:<22} {cpu:7.2f} s CPU  {cpu / cells * 1e6:5.2f} µs per cell"
                f"  {done.wall:7.2f} s wall  peak {mb(done.peak):>9}"
                f"  file {mb(target.stat().st_size):>8}  load at start {load:.1f}"
            )
    one, five, fifteen = os.getloadavg()
    print(f"End: load average {one:.1f} / {five:.1f} / {fifteen:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
