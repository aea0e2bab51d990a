"""``selfeval aggregate``: responses in, the integrated report out (``DESIGN.md`` §5).

The pipeline has three separate steps, so each can be measured and the first
one run in worker processes:

1. :func:`read_responses` — load and structurally validate each response
   file on its own (no shared state; results are picklable);
2. :func:`build` — check the responses against their questionnaire (each
   questionnaire loaded once), extract and merge the findings, attach the
   peer-review reactions, and build the report model
   (:func:`selfeval.report.build_report`);
3. :func:`selfeval.render.render` — Jinja2 templates to Markdown or HTML.

:func:`aggregate` runs all three and writes the files; it is the one call the
CLI makes. Nothing here prints: warnings are returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from selfeval import yamlio
from selfeval.answers import check_answers
from selfeval.documents import load_response
from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.exercise import EXERCISE_FILE
from selfeval.findings import (
    Finding,
    SourceResponse,
    draft_data,
    extract_findings,
)
from selfeval.merges import load_merges, merge_findings
from selfeval.report import Report, build_report
from selfeval.response import Response
from selfeval.workspace import Workspace

__all__ = [
    "AggregateResult",
    "Built",
    "ParsedResponse",
    "aggregate",
    "build",
    "read_responses",
]

Format = Literal["md", "html"]
REPORTS_DIR = "reports"
MERGES_FILE = "merges.yaml"


@dataclass(frozen=True)
class ParsedResponse:
    """One response file after step 1: the model, or why it could not be read.

    Attributes:
        path: the file as given.
        response: the loaded response, or None when it could not be read.
        errors: what was wrong with the file (empty when ``response`` is set).
    """

    path: Path
    response: Response | None
    errors: tuple[SelfevalError, ...] = ()


def read_one(path: Path) -> ParsedResponse:
    """Load and structurally validate one response file (step 1 for one file).

    Args:
        path: a response file.

    Returns:
        A :class:`ParsedResponse`; never raises for a problem in the file.
    """
    try:
        return ParsedResponse(path, load_response(path))
    except ValidationProblems as exc:
        return ParsedResponse(path, None, tuple(exc.problems))
    except SelfevalError as exc:
        return ParsedResponse(path, None, (exc,))


def read_responses(paths: Sequence[Path]) -> list[ParsedResponse]:
    """Step 1: load and structurally validate every response file, independently.

    Args:
        paths: response files (see :meth:`selfeval.workspace.Workspace.response_files`).

    Returns:
        One :class:`ParsedResponse` per path, in the same order. Each depends
        only on its own file, so this may be mapped over worker processes.
    """
    return [read_one(path) for path in paths]


@dataclass
class Built:
    """Step 2's result: the report model plus what the draft file needs.

    Attributes:
        report: the report model.
        findings: merged findings in report order.
        created_from: workspace-relative response paths included.
        warnings: things the user should know (left-out drafts, …).
    """

    report: Report
    findings: list[Finding]
    created_from: list[str]
    warnings: list[str] = field(default_factory=list)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _check(
    ws: Workspace, parsed: ParsedResponse, problems: list[SelfevalError], codes: set[str]
) -> SourceResponse | None:
    """Check one parsed response against the exercise and its questionnaire."""
    if parsed.response is None:
        problems.extend(parsed.errors)
        return None
    response = parsed.response
    exercise = ws.exercise
    path = parsed.path
    rel = _relative(path, ws.root)
    ref = response.questionnaire
    text: str | None = None

    def where(*keys: str | int) -> Location:
        nonlocal text
        if text is None:
            text = path.read_text("utf-8-sig")
        found = yamlio.line_of(text, list(keys))
        return Location(path, *found) if found else Location(path)

    if response.participant not in codes:
        problems.append(
            InputError(
                f"participant {response.participant!r} is not in {EXERCISE_FILE}",
                location=where("participant"),
                hint=f"use one of: {', '.join(exercise.codes)}; or add the participant",
            )
        )
        return None
    try:
        loaded = ws.questionnaire(ref.id, ref.version)
    except SelfevalError as exc:
        problems.append(
            InputError(
                f"the response answers questionnaire {ref.id}@{ref.version}, "
                f"which this workspace does not have: {exc.message}",
                location=where("questionnaire"),
                hint=exc.hint,
            )
        )
        return None
    if ref.hash != loaded.hash:
        problems.append(
            InputError(
                f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, but "
                f"{loaded.path.name} hashes to {loaded.hash[:19]}…",
                location=where("questionnaire", "hash"),
                hint="restore the published questionnaire file; a change must be a new version",
            )
        )
        return None
    found = check_answers(
        loaded.questionnaire,
        response.answers,
        exercise=exercise,
        participant=response.participant,
        complete=response.status == "submitted",
    )
    for problem in found:
        problems.append(InputError(f"answers.{problem}", location=where("answers", *problem.path)))
    if found:
        return None
    return SourceResponse(response, loaded.questionnaire, rel)


def build(
    ws: Workspace,
    parsed: Sequence[ParsedResponse],
    *,
    draft: bool = False,
    include_drafts: bool = False,
) -> Built:
    """Step 2: check the responses and build the report model.

    Args:
        ws: the workspace.
        parsed: step 1's results.
        draft: build the draft report (ids prominent, no reactions expected).
        include_drafts: also include responses still in ``status: draft``.

    Returns:
        A :class:`Built`.

    Raises:
        ValidationProblems/InputError: a response is unreadable, names an
            unknown participant or questionnaire version, or has invalid
            answers; every problem is listed with file:line.
    """
    exercise = ws.exercise
    problems: list[SelfevalError] = []
    warnings: list[str] = []
    included: list[SourceResponse] = []
    left_out: list[SourceResponse] = []
    category = exercise.incident_category.id
    codes = set(exercise.codes)
    for item in parsed:
        if item.response is not None and item.response.incident_category != category:
            warnings.append(
                f"{_relative(item.path, ws.root)}: left out, it is about incident category "
                f"{item.response.incident_category!r}, not {category!r}"
            )
            continue
        checked = _check(ws, item, problems, codes)
        if checked is None:
            continue
        if checked.response.status == "draft" and not include_drafts:
            left_out.append(checked)
        else:
            included.append(checked)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise ValidationProblems(problems)
    if left_out:
        names = ", ".join(s.path for s in left_out)
        warnings.append(
            f"{len(left_out)} response{'s are' if len(left_out) != 1 else ' is'} still a draft "
            f"and left out of the report: {names} (submit them, or pass --include-drafts)"
        )
    findings = extract_findings(exercise, included)
    skipped_ids = [f.id for f in extract_findings(exercise, left_out)] if left_out else []
    merges = load_merges(ws.texts_dir / MERGES_FILE)
    merged, aliases, merge_warnings = merge_findings(
        findings, merges, exercise=exercise, left_out=skipped_ids
    )
    warnings += merge_warnings
    report = build_report(
        exercise,
        included,
        merged,
        aliases,
        texts_dir=ws.texts_dir,
        draft=draft,
    )
    return Built(report, merged, [s.path for s in included], warnings)


@dataclass(frozen=True)
class AggregateResult:
    """What :func:`aggregate` did.

    Attributes:
        written: files written (report, and ``reports/draft.yaml`` with ``--draft``).
        warnings: messages for stderr.
        findings: number of findings in the report.
        responses: number of responses included.
    """

    written: tuple[Path, ...]
    warnings: tuple[str, ...]
    findings: int
    responses: int


def default_output(ws: Workspace, *, draft: bool, fmt: Format) -> Path:
    """``reports/integrated-report[-draft].md|html`` inside the workspace."""
    name = "integrated-report-draft" if draft else "integrated-report"
    return ws.root / REPORTS_DIR / f"{name}.{fmt}"


def aggregate(
    *,
    workspace: Path | None = None,
    draft: bool = False,
    fmt: Format = "md",
    output: Path | None = None,
    include_drafts: bool = False,
    reader: Callable[[Sequence[Path]], list[ParsedResponse]] = read_responses,
) -> AggregateResult:
    """Run the whole pipeline and write the report (the one call of ``selfeval aggregate``).

    Args:
        workspace: the workspace folder (default: found from the current folder).
        draft: write the draft report and ``reports/draft.yaml``.
        fmt: ``md`` or ``html``.
        output: report path (default :func:`default_output`).
        include_drafts: include responses still in ``status: draft``.
        reader: step 1 implementation (e.g. a parallel one); same contract as
            :func:`read_responses`.

    Returns:
        An :class:`AggregateResult`.

    Raises:
        SelfevalError: no workspace, invalid files, or the report cannot be written.
    """
    from selfeval.findings import draft_hash
    from selfeval.render import render

    ws = Workspace.open(workspace)
    ws.questionnaires()  # load and check every questionnaire once, up front
    parsed = reader(ws.response_files())
    built = build(ws, parsed, draft=draft, include_drafts=include_drafts)
    if draft:
        built.report.draft_hash = draft_hash(built.findings)
    text = render(built.report, fmt=fmt, template_dirs=[ws.templates_dir])
    target = output if output is not None else default_output(ws, draft=draft, fmt=fmt)
    yamlio.atomic_write_text(target, text)
    written = [target]
    if draft:
        draft_path = ws.root / REPORTS_DIR / "draft.yaml"
        data = draft_data(built.findings, exercise=ws.exercise, created_from=built.created_from)
        yamlio.write(draft_path, data)
        written.append(draft_path)
    return AggregateResult(
        tuple(written), tuple(built.warnings), len(built.findings), len(built.created_from)
    )
