"""``selfeval export``: every answer, finding and participant out as CSV, XLSX or JSON.

The one call of the command is :func:`export`. It reads each response
through ``selfeval aggregate``'s read step
(:func:`selfeval.report.aggregate.each_response`: the same per-response cache,
then loaded, checked against its questionnaire, findings extracted, which
answers count decided), writes its answers as rows at once, keeps only what
the report needs, and then runs the
report pipeline's :func:`~selfeval.report.aggregate.build` for the findings,
merges and peer-review reactions. So the export holds what the report holds,
and refuses what ``aggregate`` refuses (an invalid response, with file:line).
Nothing here prints: progress goes to a callback, warnings are returned.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from selfeval.errors import UsageError
from selfeval.export.tables import (
    ANSWERS,
    FINDINGS,
    PARTICIPANTS,
    TABLES,
    AnswerRows,
    Row,
    Table,
    finding_rows,
    participant_rows,
)
from selfeval.files.workspace import Progress, Workspace, no_progress, nothing_counts_error
from selfeval.files.yamlio import check_inside, check_output_folder
from selfeval.model.questionnaire import KINDS

__all__ = ["FORMATS", "ExportResult", "default_output", "export", "response_order"]

Format = Literal["csv", "xlsx", "json"]
#: The formats ``selfeval export`` writes.
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
EXPORT_DIR = "export"


@dataclass
class ExportResult:
    """What :func:`export` wrote.

    Attributes:
        written: the files written.
        warnings: messages for stderr (left-out drafts, cut cells, …).
        counts: table name → rows written.
        responses: responses whose answers were exported.
        gone: of the findings table's rows, those of findings no longer in the
            report (only reactions to them, given on an earlier draft), and
            ``gone_reactions`` those reactions: ``aggregate`` counts no such
            finding, so the summary names them apart (trial 10).
        participants: the participants the participants table holds: it has a
            row per participant and incident category, so a department in two
            categories has two rows but is one participant.
    """

    written: list[Path]
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    responses: int = 0
    gone: int = 0
    gone_reactions: int = 0
    participants: int = 0


def default_output(ws: Workspace, fmt: Format, table: Table | None = None) -> Path:
    """Where an export goes by default, in the workspace's ``reports/export/``.

    ``answers.csv``, ``findings.csv``, ``participants.csv`` (CSV: the folder,
    or the one table's file), ``export.xlsx``, ``export.json``.
    """
    from selfeval.report.aggregate import REPORTS_DIR

    folder = ws.root / REPORTS_DIR / EXPORT_DIR
    if fmt == "csv":
        return folder / f"{table.name}.csv" if table is not None else folder
    return folder / f"export.{fmt}"


def response_order(ws: Workspace, paths: Sequence[Path]) -> list[Path]:
    """Response files in report order: participant (``selfeval.yaml``), questionnaire, path.

    The participant and questionnaire are read from where the file lives
    (``responses/<category>/<participant>/<questionnaire>.yaml``).
    """
    order = {code: n for n, code in enumerate(ws.exercise.codes)}

    def key(path: Path) -> tuple[int, int, str]:
        stem = path.stem
        return (
            order.get(path.parent.name, len(order)),
            KINDS.index(stem) if stem in KINDS else len(KINDS),
            path.as_posix(),
        )

    return sorted(paths, key=key)


def _count(rows: Iterator[Row] | list[Row], counts: dict[str, int], name: str) -> Iterator[Row]:
    n = 0
    for row in rows:
        n += 1
        yield row
    counts[name] = n


def export(
    *,
    workspace: Path | None = None,
    fmt: Format = "csv",
    output: Path | None = None,
    category: str | None = None,
    include_drafts: bool = False,
    table: str | None = None,
    cache: bool = True,
    progress: Progress = no_progress,
) -> ExportResult:
    """Export the answers, findings and participants (the one call of ``selfeval export``).

    Args:
        workspace: the workspace folder (default: found from the current folder).
        fmt: ``csv`` (a folder of files), ``xlsx`` (one workbook) or ``json``.
        output: where to write (default :func:`default_output`).
        category: the incident category to export (None: every one of the
            exercise; the answers table says each row's category).
        include_drafts: also export responses still in ``status: draft``
            (as ``aggregate --include-drafts``).
        table: only this table (``answers``, ``findings``, ``participants``).
        cache: read through the per-response cache, as ``aggregate`` does
            (:func:`selfeval.report.aggregate.each_response`); ``--no-cache``
            turns it off.
        progress: told as the work goes (:data:`selfeval.files.workspace.Progress`):
            per file read, and once per table written.

    Returns:
        An :class:`ExportResult`.

    Raises:
        UsageError: an unknown table or format.
        NotFoundError: an unknown incident category
            (:meth:`~selfeval.files.workspace.Workspace.incident_category`).
        SelfevalError: no workspace; an invalid questionnaire, exercise or
            response (every problem with file:line, as ``aggregate``); response
            files under ``responses/`` of which none counts
            (:func:`~selfeval.files.workspace.nothing_counts_error`, as
            ``aggregate``: nothing is written then); a file that cannot be
            written (no file is half-written then).
    """
    from selfeval.export import writers
    from selfeval.report.aggregate import (
        ReadContext,
        build,
        each_response,
        misplaced_warnings,
    )

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    tables = _tables(table)
    ws = Workspace.open(workspace)
    ctx = ReadContext.of(ws)  # exercise and every questionnaire loaded and checked, up front
    exercise = ws.exercise
    # An unknown category: the one message and exit code every command gives.
    every = [c.id for c in exercise.categories]
    chosen = [ws.incident_category(category).id] if category is not None else every
    within: Path | None = None
    if output is None:
        # The default path is in the workspace and must stay there: a link in a
        # shared workspace must not redirect it (docs/files.md, "Security model").
        # Checked here, before any file is read, and again as each file is written.
        target, within = default_output(ws, fmt, _only(tables)), ws.root
        check_inside(target, within)
    else:
        target = output  # the user's choice, but no tree of new folders
        folder = writers.csv_folder(output, tables) if fmt == "csv" else None
        check_output_folder(folder if folder is not None else output.parent, output)
    found = ws.discover_responses()
    none_counts = nothing_counts_error(ws, found)
    if none_counts is not None:
        raise none_counts  # aggregate's rule, before anything is written
    paths = response_order(ws, found.current)
    result = ExportResult([], misplaced_warnings(ws, found.misplaced))
    counts = result.counts
    answer_rows = AnswerRows(exercise, exercise.language)
    parsed_all = []
    handed_in: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}

    def read() -> Iterator[Row]:
        """Read every response, yielding its answers' rows; keep what build() needs."""
        for parsed in each_response(ctx, paths, cache=cache, keep_answers=True, progress=progress):
            response = parsed.response
            wanted = response is not None and response.incident_category in chosen
            if response is not None and wanted and parsed.questionnaire is not None:
                questionnaire = ws.questionnaire(
                    *parsed.questionnaire, category=response.incident_category
                ).questionnaire
                handed_in.setdefault((response.incident_category, response.participant), []).append(
                    (*parsed.questionnaire, response.status, questionnaire.kind)
                )
                if parsed.stored is not None and (response.status == "submitted" or include_drafts):
                    result.responses += 1
                    yield from answer_rows.rows(
                        response, questionnaire, parsed.stored, parsed.not_counted
                    )
            parsed_all.append(replace(parsed, stored=None))

    built = None

    def produce(which: Table) -> Iterator[Row]:
        nonlocal built
        if built is None:
            # The answers come first, read as the files are; an export without
            # them still reads every file, for the findings and participants.
            if which is ANSWERS:
                yield from _count(read(), counts, ANSWERS.name)
            else:
                for _ in read():
                    pass
            built = [
                build(ws, parsed_all, include_drafts=include_drafts, category=one) for one in chosen
            ]
            for each in built:
                result.warnings += each.warnings
            if which is ANSWERS:
                return
        if which is FINDINGS:
            rows = [
                row
                for one, each in zip(chosen, built, strict=True)
                for row in finding_rows(each, exercise, one)
            ]
            gone = [row for row in rows if row[2] is None]  # no kind: no longer in the report
            result.gone = len(gone)
            result.gone_reactions = sum(len(row[14]) for row in gone)
            yield from _count(rows, counts, FINDINGS.name)
        elif which is PARTICIPANTS:
            rows = participant_rows(exercise, handed_in, chosen)
            result.participants = len({row[1] for row in rows})  # the code: one per participant
            yield from _count(rows, counts, PARTICIPANTS.name)
        progress(f"Writing {which.name}", 1, 1)

    # A refused export creates nothing (trial 10: a bad texts/merges.yaml, found while
    # the tables are made, left an empty reports/export/): the folders it made go again.
    leaf = (writers.csv_folder(target, tables) if fmt == "csv" else None) or target.parent
    made = _missing_folders(leaf)
    try:
        _write(fmt, target, tables, produce, result, exercise, chosen, within)
    except BaseException:
        for folder in made:  # deepest first; one holding anything is kept
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return result


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, deepest first."""
    missing: list[Path] = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _write(
    fmt: str,
    target: Path,
    tables: tuple[Table, ...],
    produce: Any,
    result: ExportResult,
    exercise: Any,
    chosen: list[str],
    within: Path | None,
) -> None:
    """Write the tables in ``fmt`` to ``target``, the files into ``result``."""
    from selfeval.export import writers
    from selfeval.report.aggregate import paused_gc

    with paused_gc():
        if fmt == "csv":
            result.written = writers.write_csv(target, tables, produce, within=within)
        elif fmt == "xlsx":
            path, warnings = writers.write_xlsx(target, tables, produce, within=within)
            result.written, result.warnings = [path], [*result.warnings, *warnings]
        else:
            meta = {
                "format": "selfeval-export",
                "version": 1,
                "project": exercise.text(exercise.project),
                "incident_category": chosen[0] if len(chosen) == 1 else chosen,
                "language": exercise.language,
            }
            result.written = [writers.write_json(target, tables, produce, meta, within=within)]


def _tables(name: str | None) -> tuple[Table, ...]:
    if name is None:
        return TABLES
    for table in TABLES:
        if table.name == name:
            return (table,)
    raise UsageError(
        f"unknown table {name!r}", hint=f"use one of: {', '.join(t.name for t in TABLES)}"
    )


def _only(tables: tuple[Table, ...]) -> Table | None:
    return tables[0] if len(tables) == 1 else None
