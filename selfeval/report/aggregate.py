"""``selfeval aggregate``: responses in, the integrated report out (``DESIGN.md`` §5).

The pipeline has three separate steps, so each can be measured and the first
one run in worker processes:

1. :func:`read_responses` — load each response file, check it against the
   exercise and its questionnaire, extract its findings and trim its
   answers, each file on its own: :func:`read_one` is a pure function of a
   :class:`ReadContext` and a path, mapped over the files in ``jobs`` worker
   processes by :func:`selfeval.report.parallel.map_in_processes` (results
   are picklable);
2. :func:`build` — merge the findings, attach the peer-review reactions,
   and build the report model (:func:`selfeval.report.model.build_report`);
3. :func:`selfeval.report.render.render` — Jinja2 templates to Markdown or HTML.

:func:`aggregate` runs all three and writes the files; it is the one call the
CLI makes. Nothing here prints: warnings are returned.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from selfeval.errors import (
    InputError,
    Location,
    SelfevalError,
    UsageError,
    ValidationProblems,
    shown_path,
)
from selfeval.files import yamlio
from selfeval.files.load import LoadedQuestionnaire, read_response
from selfeval.files.root import list_folder
from selfeval.files.workspace import (
    Progress,
    Workspace,
    find_workspace,
    no_progress,
    nothing_counts_error,
    placement_error,
    response_problems,
    unknown_participant_error,
)
from selfeval.model.answers import Split, split_answers
from selfeval.model.exercise import Exercise
from selfeval.model.names import MERGES_FILE
from selfeval.model.questionnaire import Questionnaire
from selfeval.model.response import Response
from selfeval.report import readcache, runrecord
from selfeval.report.draftkeep import DRAFTS_DIR, write_draft_kept
from selfeval.report.findings import (
    Finding,
    SourceResponse,
    check_draft_size,
    draft_hash,
    load_draft,
    report_order,
    response_findings,
)
from selfeval.report.labels import LABELS_FILE, load_labels
from selfeval.report.links import link_answers
from selfeval.report.merges import MergeSpec, load_merges, merge_findings, merges_of_category
from selfeval.report.model import OPTIONAL_TEXTS, TEXTS, Report, ReportInput, build_report
from selfeval.report.parallel import check_jobs, map_in_processes

#: What gives ``texts/merges.yaml``'s merges (:func:`merges_once`).
MergesOnce = Callable[[], Sequence[MergeSpec]]

__all__ = [
    "AggregateResult",
    "Built",
    "MergesCheck",
    "MergesOnce",
    "ParsedResponse",
    "ReadCache",
    "ReadContext",
    "aggregate",
    "build",
    "each_response",
    "merges_once",
    "misplaced_warnings",
    "paused_gc",
    "read_cached",
    "read_loaded",
    "read_one",
    "read_responses",
]

Format = Literal["md", "html", "docx"]
REPORTS_DIR = "reports"
#: The progress stages of :func:`aggregate` (and ``export``'s reading).
READING, WRITING = "Reading responses", "Writing the report"
#: The figures' folder in ``.selfeval/cache/`` (:func:`selfeval.report.figures.cached_in`).
FIGURES_CACHE = "figures"
#: An HTML comment in a text file: a note to the secretariat, not report text.
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class ParsedResponse:
    """One response file after step 1: checked, its findings extracted, answers trimmed.

    Small and picklable (it travels back from a worker process): the response
    keeps only the answers to items with a ``report:`` role (the roles table,
    chapter 2, the peer reviews' general input; :mod:`selfeval.model.roles`),
    and the questionnaire is named by ``(id, version)``, not included.

    Attributes:
        path: the file as given.
        response: the response with trimmed answers, or None when it could
            not be read or did not pass its checks.
        errors: what was wrong with the file, each with file:line (empty
            when ``response`` is set).
        rel: the file, workspace-relative (POSIX).
        questionnaire: ``(id, version)`` of the questionnaire it answers;
            None when not checked (another incident category).
        findings: the response's repeat-group findings (``docs/findings.md``
            §2), in item and entry order; role findings are built across
            responses in step 2.
        not_counted: answers kept in the file but not counted, because the
            ``when`` of their question is false (dotted paths,
            :func:`selfeval.model.answers.inactive_answers`).
        not_counted_ids: the finding ids those answers would have had, so a
            merge naming one is a warning rather than an unknown id.
        stored: every answer as stored in the file, counted or not; only
            from ``read_one(ctx, path, keep_answers=True)`` (``selfeval export``).
        read_as: ``(SHA-256 of the bytes read, digest of what they read as)``
            when read through the cache (:func:`read_cached`;
            :func:`selfeval.report.readcache.result_digest`), for the run
            record's cut-off; None otherwise. Not compared: it says how the
            result was come by, not what it is.
    """

    path: Path
    response: Response | None
    errors: tuple[SelfevalError, ...] = ()
    rel: str = ""
    questionnaire: tuple[str, str] | None = None
    findings: tuple[Finding, ...] = ()
    not_counted: tuple[str, ...] = ()
    not_counted_ids: tuple[str, ...] = ()
    stored: dict[str, Any] | None = None
    read_as: tuple[str, str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ReadContext:
    """What reading a response needs from its workspace: step 1's only input besides the path.

    Made once per run, before any worker starts (:meth:`of`); forked workers
    inherit it, others get it pickled once each (it is plain data: the
    workspace with its questionnaires already loaded).

    Attributes:
        ws: the workspace (questionnaires loaded).
        codes: the exercise's participant codes.
        categories: the exercise's incident category ids.
        lang: the report language.
    """

    ws: Workspace
    codes: frozenset[str]
    categories: frozenset[str]
    lang: str

    @classmethod
    def of(cls, ws: Workspace) -> ReadContext:
        """The context of ``ws``: its exercise read and its questionnaires loaded, once.

        Raises:
            SelfevalError: the exercise file or a questionnaire is invalid.
        """
        exercise = ws.exercise
        ws.questionnaires()
        return cls(ws, exercise.code_set, ws.category_ids, exercise.language)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk step, then restore it.

    Reading thousands of responses allocates millions of small containers
    and keeps most of what it extracts; every few hundred allocations the
    collector would scan all live objects again, which made reading and
    unpickling the workers' results up to 5x slower (``docs/performance.md``).
    The steps make no reference cycles (nothing is left for the collector:
    checked on the benchmark data), and reference counting still frees
    everything else at once. Forked workers inherit the paused state.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.lru_cache(maxsize=8)
def _resolved(root: Path) -> Path:
    """The workspace root with links resolved: once per run, not once per response file."""
    return root.resolve()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(_resolved(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _check(
    ctx: ReadContext, path: Path, response: Response, text: str, problems: list[SelfevalError]
) -> tuple[LoadedQuestionnaire, Split] | None:
    """Check one response against the exercise and its questionnaire.

    ``text`` is the file as it was read: every line of a problem is found in it.

    Returns its questionnaire and which of its answers count (one walk, used
    for the check and by the caller), or None after adding to ``problems``.
    """
    ws = ctx.ws
    ref = response.questionnaire

    def where(*keys: str | int) -> Location:
        return yamlio.location_of(path, text, keys)

    if response.participant not in ctx.codes:
        # The rule validate and status apply (the set above is only the quick test).
        unknown = unknown_participant_error(ws, path, response, text)
        if unknown is not None:
            problems.append(unknown)
            return None
    try:
        loaded = ws.questionnaire(ref.id, ref.version, category=response.incident_category)
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
    split = split_answers(loaded.questionnaire, response.answers)
    found = response_problems(ws, path, response, loaded, text, active=split.active)
    problems.extend(found)
    if found:
        return None
    return loaded, split


def _trimmed(response: Response, questionnaire: Questionnaire | None) -> Response:
    """The response with only the answers the report reads by role (none when unchecked)."""
    answers = response.answers
    roles = questionnaire.role_items.values() if questionnaire is not None else ()
    kept = {item.id: answers[item.id] for item in roles if item.id in answers}
    return response.model_copy(update={"answers": kept})


def read_one(
    ctx: ReadContext, path: Path, *, keep_answers: bool = False, raw: bytes | None = None
) -> ParsedResponse:
    """Step 1 for one file: load, check, extract its findings, trim its answers.

    A pure function of its arguments, so it can run in a worker process
    (``partial(read_one, ctx)`` is what :func:`read_responses` maps).

    Args:
        ctx: the workspace's :class:`ReadContext`.
        path: a response file.
        keep_answers: also return every answer as stored, in ``stored``
            (for ``selfeval export``); the caller drops it when done.
        raw: the file's bytes, already read by the caller (:func:`read_cached`,
            for the cache key): parsed instead of reading the file again.

    Returns:
        A :class:`ParsedResponse`; never raises for a problem in the file.
    """
    try:
        # One read: problems are located in this text.
        response, text = read_response(path, raw=raw)
    except ValidationProblems as exc:
        return ParsedResponse(path, None, tuple(exc.problems))
    except SelfevalError as exc:
        return ParsedResponse(path, None, (exc,))
    return read_loaded(ctx, path, response, text, keep_answers=keep_answers)


def read_loaded(
    ctx: ReadContext, path: Path, response: Response, text: str, *, keep_answers: bool = False
) -> ParsedResponse:
    """Step 1 for a response already loaded: :func:`read_one` after :func:`read_response`.

    For a caller that has loaded the file itself (``validate``'s check of the
    merges, :class:`MergesCheck`), so that it is parsed once.

    Args:
        ctx: the workspace's :class:`ReadContext`.
        path: the response file.
        response: its content, as loaded.
        text: the text it was loaded from (problems are located in it).
        keep_answers: as :func:`read_one`.

    Returns:
        A :class:`ParsedResponse`; never raises for a problem in the file.
    """
    rel = _relative(path, ctx.ws.root)
    misplaced = placement_error(ctx.ws, path, response, text)
    if misplaced is not None:
        # What the file says it is does not match where it lies: counting it would
        # credit its answers to the wrong department (issue 10), so the run stops.
        return ParsedResponse(path, None, (misplaced,), rel=rel)
    if response.incident_category not in ctx.categories:
        # Left out with a warning in step 2, unchecked (as before the checks moved here).
        return ParsedResponse(path, _trimmed(response, None), rel=rel)
    problems: list[SelfevalError] = []
    checked = _check(ctx, path, response, text, problems)
    if checked is None:
        return ParsedResponse(path, None, tuple(problems), rel=rel)
    loaded, split = checked
    stored = response.answers
    # Only what counts reaches the report: answers whose `when` is false are kept in
    # the file ("kept but not counted", as fill says) but never extracted.
    not_counted = split.inactive
    not_counted_ids: tuple[str, ...] = ()
    if not_counted:
        every = response_findings(SourceResponse(response, loaded.questionnaire, rel), ctx.lang)
    response = response.model_copy(update={"answers": split.active})
    source = SourceResponse(response, loaded.questionnaire, rel)
    findings = response_findings(source, ctx.lang)
    if not_counted:
        counted = {f.id for f in findings}
        not_counted_ids = tuple(f.id for f in every if f.id not in counted)
    key = (loaded.questionnaire.id, loaded.questionnaire.version)
    return ParsedResponse(
        path,
        _trimmed(response, loaded.questionnaire),
        (),
        rel,
        key,
        tuple(findings),
        not_counted,
        not_counted_ids,
        stored if keep_answers else None,
    )


@dataclass(frozen=True)
class ReadCache:
    """Where step 1's per-response cache is, and the key of what all its entries depend on.

    Made once per run by :meth:`of` (before any worker starts); see
    :mod:`selfeval.report.readcache` for what is cached and why an entry is
    never trusted.
    """

    root: Path
    context: str

    @classmethod
    def of(cls, ws: Workspace) -> ReadCache | None:
        """The cache of ``ws`` (exercise and questionnaires loaded), or None when not writable."""
        root = readcache.open_cache(ws)
        if root is None:
            return None
        return cls(root, readcache.context_key(ws))


def read_cached(
    ctx: ReadContext, cache: ReadCache | None, path: Path, *, keep_answers: bool = False
) -> ParsedResponse:
    """:func:`read_one` through the per-response cache: the same result, parsed only on a miss.

    The entry's key is the file's bytes, its workspace-relative path and
    ``cache.context`` (:mod:`selfeval.report.readcache`). On a miss the
    bytes read for the key are parsed and checked by :func:`read_one` (the
    file is read once), and its result is stored when it passed its checks.
    With ``cache`` None this is :func:`read_one`.

    Returns:
        A :class:`ParsedResponse` equal to ``read_one(ctx, path, keep_answers=...)``.
    """
    if cache is None:
        return read_one(ctx, path, keep_answers=keep_answers)
    try:
        content: bytes | None = yamlio.read_file(path)
    except InputError:
        content = None
    if content is None:
        # Not a plain readable file (a pipe, too large, gone, a link out of
        # the workspace): read_one says what is wrong with it, with the file.
        return read_one(ctx, path, keep_answers=keep_answers)
    rel = _relative(path, ctx.ws.root)
    key = readcache.entry_key(cache.context, rel, content)
    sha = hashlib.sha256(content).hexdigest()
    hit = readcache.lookup_read_as(cache.root, key, need_stored=keep_answers)
    if hit is not None and hit[0].rel == rel:
        cached, digest = hit
        return ParsedResponse(
            path,
            cached.response,
            (),
            cached.rel,
            cached.questionnaire,
            cached.findings,
            cached.not_counted,
            cached.not_counted_ids,
            cached.stored if keep_answers else None,
            (sha, digest) if digest is not None else None,
        )
    # The bytes the key was made of are the bytes parsed: the entry is what they
    # give, whatever happens to the file meanwhile (no second read of it).
    parsed = read_one(ctx, path, keep_answers=keep_answers, raw=content)
    if parsed.response is not None and parsed.questionnaire is not None and not parsed.errors:
        digest = None
        with contextlib.suppress(OSError):
            digest = readcache.store_read_as(
                cache.root,
                key,
                readcache.Cached(
                    parsed.rel,
                    parsed.response,
                    parsed.questionnaire,
                    parsed.findings,
                    parsed.not_counted,
                    parsed.not_counted_ids,
                    parsed.stored,
                ),
            )
        if digest is not None:
            parsed = dataclasses.replace(parsed, read_as=(sha, digest))
    return parsed


def read_responses(
    paths: Sequence[Path],
    workspace: Workspace | None = None,
    *,
    jobs: int = 1,
    cache: bool = False,
    progress: Progress = no_progress,
) -> list[ParsedResponse]:
    """Step 1: load, check and extract every response file, each on its own.

    Each file is loaded (YAML and the ``Response`` model), checked against
    the exercise and its questionnaire (as ``selfeval validate`` does), its
    findings extracted with their ids and hashes (``docs/findings.md``), and
    its answers trimmed to what the report shows, before the next file is
    read: the parsed answers of all files are never held at once.

    Args:
        paths: response files (see :meth:`selfeval.files.workspace.Workspace.response_files`).
        workspace: their workspace (default: the one containing the first path).
        jobs: worker processes (1: in this process; 0: one per CPU core), see
            :func:`selfeval.report.parallel.map_in_processes`.
        cache: read through the per-response cache (:func:`read_cached`,
            ``.selfeval/cache/``); a file unchanged since an earlier run is
            then not parsed again.
        progress: told ``("Reading responses", done, total)`` as files are read.

    Returns:
        One :class:`ParsedResponse` per path, in the same order; the same
        whatever ``jobs`` and ``cache`` are.

    Raises:
        UsageError: ``jobs`` out of range.
        SelfevalError: the workspace cannot be opened, or a worker process
            died (problems in a response file are returned, not raised).
    """
    check_jobs(jobs)
    if not paths:
        return []
    ctx = ReadContext.of(workspace or Workspace(find_workspace(start=paths[0].parent)))
    store = ReadCache.of(ctx.ws) if cache else None
    total = len(paths)
    progress(READING, 0, total)
    with paused_gc():
        return map_in_processes(
            partial(read_cached, ctx, store),
            paths,
            jobs=jobs,
            done=lambda n: progress(READING, n, total),
        )


def each_response(
    ctx: ReadContext,
    paths: Sequence[Path],
    *,
    cache: bool = False,
    keep_answers: bool = False,
    progress: Progress = no_progress,
) -> Iterator[ParsedResponse]:
    """Step 1 one file at a time, in order: :func:`read_responses` for a caller that streams.

    ``selfeval export`` writes each response's answers as it is read
    (``keep_answers``), so the stored answers of only one response are held
    at a time; it reads through the same cache and tells the same progress
    as ``aggregate``.

    Yields:
        One :class:`ParsedResponse` per path, as :func:`read_cached` gives it.
    """
    store = ReadCache.of(ctx.ws) if cache else None
    total = len(paths)
    progress(READING, 0, total)
    for done, path in enumerate(paths, start=1):
        yield read_cached(ctx, store, path, keep_answers=keep_answers)
        progress(READING, done, total)


def misplaced_warnings(ws: Workspace, misplaced: Sequence[Path]) -> list[str]:
    """The warning for each file under ``responses/`` that is not at a response place.

    Such a file is not counted (``Workspace.discover_responses``); aggregate
    and export say so in the same words.
    """
    return [
        f"{shown_path(_relative(path, ws.root))}: not counted: a response counts only at "
        f"responses/<category>/<participant>/<questionnaire id>.yaml "
        f"(run `selfeval validate` to see where it belongs)"
        for path in misplaced
    ]


def read_texts(ws: Workspace) -> dict[str, str]:
    """The secretariat's narrative texts (``texts/<name>.md``), as the report shows them.

    Args:
        ws: the workspace.

    Returns:
        :data:`selfeval.report.model.TEXTS` name → Markdown, with HTML comments
        (the template's placeholders, notes to the secretariat) removed and
        stripped; a missing file is empty.
    """
    texts: dict[str, str] = {}
    if os.path.lexists(ws.texts_dir):
        list_folder(ws.texts_dir)  # texts/ a link, or unreadable: an error, never blank
    for name in TEXTS:
        path = ws.text_path(name)
        # yamlio.read_markdown refuses a text with git conflict markers (issue 15),
        # control characters, and a folder, pipe or link out of the workspace in
        # its place (read_file).
        text = yamlio.read_markdown(path) if os.path.lexists(path) else ""
        texts[name] = _COMMENT.sub("", text).strip()
    return texts


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


def build(
    ws: Workspace,
    parsed: Sequence[ParsedResponse],
    *,
    draft: bool = False,
    include_drafts: bool = False,
    category: str | None = None,
    merges: MergesOnce | None = None,
) -> Built:
    """Step 2: merge step 1's results and build the report model of one incident category.

    Args:
        ws: the workspace.
        parsed: step 1's results.
        draft: build the draft report (ids prominent, no reactions expected).
        include_drafts: also include responses still in ``status: draft``.
        category: the incident category to report on (None: the exercise's
            first); only its responses count, and the report sees the exercise
            as that category does (:meth:`~selfeval.model.exercise.Exercise.for_category`).
        merges: gives ``texts/merges.yaml`` as read once for every category of
            one run (:func:`merges_once`); None: read here.

    Returns:
        A :class:`Built`.

    Raises:
        ValidationProblems/InputError: a response is unreadable, names an
            unknown participant or questionnaire version, or has invalid
            answers; every problem is listed with file:line.
    """
    with paused_gc():
        return _build(
            ws,
            parsed,
            draft=draft,
            include_drafts=include_drafts,
            category=category,
            merges=merges,
        )


def merges_once(ws: Workspace) -> MergesOnce:
    """``texts/merges.yaml`` read and parsed at the first call, then kept for the run.

    One run reads the file once, whatever its number of incident categories
    (each category's report is merged by it, :func:`build`): a file replaced
    meanwhile cannot give one category's report other merges than another's.
    It is read when first asked for, so a response's problem is still reported
    before the merges file's.
    """
    return functools.cache(functools.partial(load_merges, ws.texts_dir / MERGES_FILE))


class MergesCheck:
    """The check ``aggregate`` makes of merges, for ``selfeval validate`` and ``status``.

    Merges are ``texts/merges.yaml``'s and each entry's ``same_as``
    (``docs/findings.md`` §4). The file is read by :func:`load_merges` and,
    when it names any findings or a response has a ``same_as``, every
    incident category's findings are gathered and merged as ``aggregate``
    does it (``build``'s first part, up to the merges, :func:`_merge`; the
    report model itself is not built), so an id that is no finding, an id of
    another category, or findings of different kinds, are refused by the same
    code (:func:`merge_findings`), in the same words: in ``merges.yaml`` at
    the merge's line, in a response at the ``same_as`` entry's line and column.

    The responses are not read again: ``validate`` hands each current
    response to :meth:`take` as it loads it (:func:`read_loaded`), so each is
    parsed once. Without a merge in ``texts/merges.yaml``, a response is
    parsed for this check only from the first one with a ``same_as`` on, and
    those before it are read again at the end (none when no response has one:
    a workspace without merges costs nothing). Problems in the responses
    themselves (or the report roles) are left to validate's own checks: they
    stop a category's check before its merges are looked at, as they stop
    ``aggregate``. ``status``, which loads no response this way, asks
    :meth:`problems_reading`, which reads them itself.

    Args:
        ws: the workspace.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.path = ws.texts_dir / MERGES_FILE
        self._wanted: list[Path] | None = None  # the current responses, in discovery order
        self._parsed: dict[Path, ParsedResponse] = {}
        self._ctx: ReadContext | None = None
        self._problems: list[SelfevalError] = []
        self._stopped = False  # something else is wrong (validate reports it): no merge check
        self._needed = False  # a merge or a same_as names ids: every response is needed
        self._merges = merges_once(ws)
        try:
            self._needed = bool(self._merges())
        except SelfevalError as exc:
            self._problems = _in_file(exc, self.path)

    def _current(self) -> list[Path]:
        """The current responses (found once, when first needed)."""
        if self._wanted is None:
            self._wanted = self.ws.discover_responses().current
        return self._wanted

    def take(self, path: Path, response: Response, text: str) -> None:
        """One response as ``validate`` loaded it (a file not a current response is ignored)."""
        if self._stopped or self._problems:
            return
        if not self._needed:
            if not _has_same_as(response):
                return  # no merge named yet: read again at the end if one comes
            self._needed = True
        try:
            if path not in self._current():
                return
            if self._ctx is None:
                self._ctx = ReadContext.of(self.ws)
        except SelfevalError:
            self._stopped = True  # a broken questionnaire or exercise file: reported by validate
            return
        self._parsed[path] = read_loaded(self._ctx, path, response, text)

    def problems_reading(
        self, categories: Sequence[str] | None = None, *, cache: bool = True
    ) -> list[SelfevalError]:
        """:meth:`problems`, for a caller that handed no response to :meth:`take`.

        The current responses are read here (through the read cache with
        ``cache``; each once, however often this is asked) when something
        names ids: ``texts/merges.yaml`` names a finding, or a current
        response's bytes have ``same_as``.
        """
        if self._problems:
            return self._problems
        try:
            current = self._current()
        except SelfevalError:
            return []  # the exercise file: reported by the caller's own checks
        if not self._needed:
            self._needed = any(_mentions_same_as(path) for path in current)
        if not self._needed:
            return []
        unread = [path for path in current if path not in self._parsed]
        try:
            self._ctx = self._ctx or ReadContext.of(self.ws)
            parsed = read_responses(unread, self.ws, cache=cache)
        except SelfevalError:
            return []
        self._parsed.update(zip(unread, parsed, strict=True))
        return self.problems(categories)

    def problems(self, categories: Sequence[str] | None = None) -> list[SelfevalError]:
        """The problems of the merges: in ``texts/merges.yaml``, or at a response's ``same_as``.

        None when nothing names ids, or when something else stops the check
        (validate reports that).

        Args:
            categories: the incident categories whose reports are checked
                (``aggregate --category``); None: every one.
        """
        if self._problems or not self._needed or self._stopped:
            return self._problems
        try:
            current = self._current()
            if self._ctx is None:
                self._ctx = ReadContext.of(self.ws)
        except SelfevalError:
            return []  # reported by validate's own checks
        for path in current:
            if path not in self._parsed:  # taken before the first same_as
                self._parsed[path] = read_one(self._ctx, path)
        parsed = [self._parsed[path] for path in current]
        found: list[SelfevalError] = []
        chosen = [
            category
            for category in self.ws.exercise.categories
            if categories is None or category.id in categories
        ]
        with paused_gc():
            for category in chosen:
                try:
                    gathered = _gathered(
                        self.ws, parsed, include_drafts=False, category=category.id
                    )
                except SelfevalError:
                    continue  # the responses' own problems: validate reports them
                try:
                    _merged(self.ws, parsed, gathered, include_drafts=False, merges=self._merges)
                except ValidationProblems as exc:
                    found += exc.problems
                except SelfevalError as exc:
                    found.append(exc)
        # A problem of merges.yaml is every category's: said once.
        unique: dict[str, SelfevalError] = {}
        for problem in found:
            unique.setdefault(str(problem), problem)
        return list(unique.values())


def _mentions_same_as(path: Path) -> bool:
    """Whether a response file's bytes have ``same_as`` (or cannot be read: then look)."""
    try:
        return b"same_as" in yamlio.read_file(path)
    except InputError:
        return True  # read_one says what is wrong with it


def _has_same_as(response: Response) -> bool:
    """Whether an entry of ``response`` has a ``same_as`` (entries are lists of mappings)."""
    return any(
        isinstance(answer, list)
        and any(isinstance(entry, dict) and "same_as" in entry for entry in answer)
        for answer in response.answers.values()
    )


def _in_file(error: SelfevalError, path: Path) -> list[SelfevalError]:
    """The parts of ``error`` located in ``path``."""
    if isinstance(error, ValidationProblems):
        return [p for p in error.problems if _located_in(p, path)]
    return [error] if _located_in(error, path) else []


def _located_in(error: SelfevalError, path: Path) -> bool:
    return error.location is not None and Path(error.location.path) == path


def _draft_ids(path: Path, wanted: str) -> frozenset[str] | None:
    """The finding ids (and merged ids) of ``path`` when it is the draft with hash ``wanted``."""
    try:
        draft = load_draft(path)
    except SelfevalError:
        return None
    if draft.draft.hash != wanted:
        return None
    return frozenset(i for f in draft.findings for i in (f.id, *f.merged))


@dataclass(frozen=True)
class _Merged:
    """Step 2 up to the merges: what the report model of one category is built from."""

    exercise: Exercise
    questionnaires: Any
    sources: list[SourceResponse]
    merged: Any
    aliases: Any
    skipped_ids: list[str]
    not_counted_ids: list[str]
    warnings: list[str]


def _gather(
    ws: Workspace, parsed: Sequence[ParsedResponse], *, include_drafts: bool, category: str
) -> tuple[
    Exercise,
    list[tuple[SourceResponse, Sequence[Finding]]],
    list[tuple[SourceResponse, Sequence[Finding]]],
    list[str],
    list[str],
    list[SelfevalError],
]:
    """The responses of ``category``, sorted for its report.

    Returns:
        (the exercise as the category sees it, responses included, drafts left
        out, ids of answers not counted, warnings, problems).
    """
    exercise = ws.exercise.for_category(category)
    problems: list[SelfevalError] = []
    warnings: list[str] = []
    included: list[tuple[SourceResponse, Sequence[Finding]]] = []
    left_out: list[tuple[SourceResponse, Sequence[Finding]]] = []
    not_counted_ids: list[str] = []
    for item in parsed:
        response = item.response
        if response is not None and response.incident_category != category:
            continue  # another category's response: its own report has it
        reason = (
            ws.exercise.not_asked(
                response.participant, response.questionnaire.id, response.incident_category
            )
            if response is not None
            else None
        )
        if reason is not None:  # the rule status and validate apply: Annex 1 agrees
            warnings.append(f"{item.rel or _relative(item.path, ws.root)}: left out: {reason}")
            continue
        if response is None or item.questionnaire is None:
            problems.extend(item.errors)
            continue
        loaded = ws.questionnaire(*item.questionnaire, category=response.incident_category)
        source = SourceResponse(response, loaded.questionnaire, item.rel)
        if response.status == "draft" and not include_drafts:
            left_out.append((source, item.findings))
        else:
            included.append((source, item.findings))
            if item.not_counted:
                not_counted_ids += item.not_counted_ids
                warnings.append(
                    f"{item.rel}: kept but not counted (the condition of the question is "
                    f"false): {', '.join(item.not_counted)}"
                )
    return exercise, included, left_out, not_counted_ids, warnings, problems


def _category_ids(
    ws: Workspace, parsed: Sequence[ParsedResponse], *, include_drafts: bool, category: str
) -> frozenset[str]:
    """Every id a merge may name in ``category``: its findings, left-out and not-counted ones."""
    exercise, included, left_out, not_counted_ids, _, _ = _gather(
        ws, parsed, include_drafts=include_drafts, category=category
    )
    ids = {f.id for f in report_order(exercise, included)}
    if left_out:
        ids.update(f.id for f in report_order(exercise, left_out))
    return frozenset(ids | set(not_counted_ids))


@dataclass(frozen=True)
class _Gathered:
    """Step 2 before the merges: the responses of one category, checked, in report order."""

    category: str
    questionnaires: Any
    exercise: Exercise
    included: list[tuple[SourceResponse, Sequence[Finding]]]
    findings: list[Finding]
    skipped_ids: list[str]
    not_counted_ids: list[str]
    warnings: list[str]


def _merge(
    ws: Workspace,
    parsed: Sequence[ParsedResponse],
    *,
    include_drafts: bool,
    category: str | None = None,
    merges: MergesOnce | None = None,
) -> _Merged:
    """The responses of ``category`` checked, their findings in report order, merged.

    ``texts/merges.yaml``'s merges are those of this category
    (:func:`selfeval.report.merges.merges_of_category`, judged against the
    ids of every category, so each category's run says the same).

    Raises:
        ValidationProblems/InputError: as :func:`build`; also for ``texts/merges.yaml``
            and the entries' ``same_as``.
    """
    gathered = _gathered(ws, parsed, include_drafts=include_drafts, category=category)
    return _merged(ws, parsed, gathered, include_drafts=include_drafts, merges=merges)


def _gathered(
    ws: Workspace, parsed: Sequence[ParsedResponse], *, include_drafts: bool, category: str | None
) -> _Gathered:
    """:func:`_merge`'s first half: the responses' own problems and the report contract.

    Raises:
        ValidationProblems/InputError: a response is unreadable or invalid
            (its problems, as step 1 found them), or a questionnaire answered
            lacks a report role.
    """
    category = ws.incident_category(category).id
    questionnaires = ws.questionnaires()
    exercise, included, left_out, not_counted_ids, warnings, problems = _gather(
        ws, parsed, include_drafts=include_drafts, category=category
    )
    answered = {item.questionnaire for item in parsed if item.questionnaire is not None}
    problems[:0] = ws.report_contract_problems(questionnaires[key] for key in sorted(answered))
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise ValidationProblems(problems)
    if left_out:
        names = ", ".join(s.path for s, _ in left_out)
        warnings.append(
            f"{len(left_out)} response{'s are' if len(left_out) != 1 else ' is'} still a draft "
            f"and left out of the report: {names} (submit them, or pass --include-drafts)"
        )
    findings = report_order(exercise, included)
    skipped_ids = [f.id for f in report_order(exercise, left_out)] if left_out else []
    return _Gathered(
        category,
        questionnaires,
        exercise,
        included,
        findings,
        skipped_ids,
        not_counted_ids,
        warnings,
    )


def _merged(
    ws: Workspace,
    parsed: Sequence[ParsedResponse],
    gathered: _Gathered,
    *,
    include_drafts: bool,
    merges: MergesOnce | None = None,
) -> _Merged:
    """:func:`_merge`'s second half: ``texts/merges.yaml`` and ``same_as``, by their one rule.

    Everything it raises is a problem of a merge: in ``texts/merges.yaml``
    (its form, whose merge it is, its ids) or at an entry's ``same_as``
    (file:line:column), so :class:`MergesCheck` reports all of it.

    Raises:
        ValidationProblems/InputError: from :func:`load_merges`,
            :func:`merges_of_category` and :func:`merge_findings`.
    """
    category, findings = gathered.category, gathered.findings
    skipped_ids, not_counted_ids = gathered.skipped_ids, gathered.not_counted_ids
    warnings = list(gathered.warnings)
    specs = (merges or merges_once(ws))()
    others: dict[str, frozenset[str]] = {}
    if len(ws.exercise.categories) > 1 and (specs or any(f.same_as for f in findings)):
        # Ids carry no category: which categories hold each id decides whose
        # business a merge is, and what a same_as of another category's is
        # called (docs/findings.md §4). Gathered only when something names ids.
        for other in ws.exercise.categories:
            if other.id != category:
                others[other.id] = _category_ids(
                    ws, parsed, include_drafts=include_drafts, category=other.id
                )
    if others:
        own = frozenset({f.id for f in findings} | set(skipped_ids) | set(not_counted_ids))
        every = {**others, category: own}
        # In selfeval.yaml order, whichever report is made: each category's run
        # then says one mistake in the same words, and validate and status say
        # it once (MergesCheck keeps one of each; trial 10).
        ordered = {c.id: every[c.id] for c in ws.exercise.categories}
        specs = merges_of_category(specs, category, ordered)
    merged, aliases, merge_warnings = merge_findings(
        findings,
        specs,
        exercise=gathered.exercise,
        left_out=skipped_ids,
        not_counted=not_counted_ids,
        elsewhere=others,
        root=ws.root,
        draft_hint=draft_hint(ws, category),
    )
    warnings += merge_warnings
    sources = [source for source, _ in gathered.included]
    return _Merged(
        gathered.exercise,
        gathered.questionnaires,
        sources,
        merged,
        aliases,
        skipped_ids,
        not_counted_ids,
        warnings,
    )


def _build(
    ws: Workspace,
    parsed: Sequence[ParsedResponse],
    *,
    draft: bool,
    include_drafts: bool,
    category: str | None = None,
    merges: MergesOnce | None = None,
) -> Built:
    m = _merge(ws, parsed, include_drafts=include_drafts, category=category, merges=merges)
    exercise, questionnaires, sources = m.exercise, m.questionnaires, m.sources
    merged, aliases, warnings = m.merged, m.aliases, m.warnings
    skipped_ids, not_counted_ids = m.skipped_ids, m.not_counted_ids
    warnings += link_answers(
        merged,
        aliases,
        root=ws.root,
        codes=exercise.codes,
        left_out=skipped_ids,
        not_counted=not_counted_ids,
        draft_hashes={s.path: s.response.draft.hash for s in sources if s.response.draft},
        draft_ids=partial(_draft_ids, draft_path(ws, category)),
        draft_name=draft_path(ws, category).relative_to(ws.root).as_posix(),
    )
    report = build_report(
        ReportInput(
            exercise,
            sources,
            merged,
            aliases,
            texts=read_texts(ws),
            labels=load_labels(exercise.language, ws.templates_dir / LABELS_FILE),
            draft=draft,
            draft_hash=draft_hash(merged) if draft else None,
            questionnaires=[loaded.questionnaire for loaded in questionnaires.values()],
        )
    )
    for name, text in report.texts.items():
        if not text and name not in OPTIONAL_TEXTS:
            warnings.append(
                f"texts/{name}.md is empty or still the template's placeholder, so that part "
                f"of the report is blank; the secretariat writes it there, in Markdown"
            )
    return Built(report, merged, [s.path for s in sources], warnings)


@dataclass(frozen=True)
class AggregateResult:
    """What :func:`aggregate` did.

    Attributes:
        written: files written (report, the figures beside a Markdown report,
            and ``reports/draft.yaml`` with ``--draft``).
        warnings: messages for stderr.
        findings: number of findings in the report.
        responses: number of responses included.
    """

    written: tuple[Path, ...]
    warnings: tuple[str, ...]
    findings: int
    responses: int


def reports_dir(ws: Workspace, category: str | None = None) -> Path:
    """Where the reports of one incident category go (issue 12).

    ``reports/``, or ``reports/<category>/`` in an exercise with several.
    The one rule ``aggregate`` (reports, ``draft.yaml``) and ``peer-review``
    (its default ``--draft``) share.

    Raises:
        NotFoundError: the exercise has no such category.
    """
    chosen = ws.incident_category(category).id
    folder = ws.root / REPORTS_DIR
    return folder / chosen if len(ws.exercise.categories) > 1 else folder


def draft_path(ws: Workspace, category: str | None = None) -> Path:
    """The ``draft.yaml`` of one incident category: in :func:`reports_dir` (issue 12).

    The one place ``aggregate --draft`` writes it, ``peer-review`` reads it
    by default and ``aggregate`` looks up the draft a peer review answered
    (its opportunities' links); ``reports/draft.yaml``, or
    ``reports/<category>/draft.yaml`` in an exercise with several categories.

    Raises:
        NotFoundError: the exercise has no such category.
    """
    return reports_dir(ws, category) / "draft.yaml"


def draft_hint(ws: Workspace, category: str | None = None) -> str:
    """What to do about an id that names no finding: look in that category's draft.

    ``check the id against reports/droughts/draft.yaml (`selfeval aggregate
    --draft --category droughts`)`` with several categories; without
    ``--category`` and the folder with one.
    """
    chosen = ws.incident_category(category).id
    option = f" --category {chosen}" if len(ws.exercise.categories) > 1 else ""
    shown = draft_path(ws, chosen).relative_to(ws.root).as_posix()
    return f"check the id against {shown} (`selfeval aggregate --draft{option}`)"


def default_output(ws: Workspace, *, draft: bool, fmt: Format, category: str | None = None) -> Path:
    """``reports/[<category>/]integrated-report[-draft].md|html|docx`` in the workspace."""
    name = "integrated-report-draft" if draft else "integrated-report"
    return reports_dir(ws, category) / f"{name}.{fmt}"


def _recorded(last: runrecord.Record) -> AggregateResult:
    """What a recorded run (:mod:`selfeval.report.runrecord`) wrote and said, as a result."""
    return AggregateResult(
        tuple(path for path, _ in last.written), last.warnings, last.findings, last.responses
    )


def aggregate(
    workspace: Workspace | Path | None = None,
    *,
    jobs: int = 1,
    draft: bool = False,
    fmt: Format = "md",
    output: Path | None = None,
    include_drafts: bool = False,
    ids: bool | None = None,
    cache: bool = True,
    category: str | None = None,
    progress: Progress = no_progress,
    inputs: runrecord.Inputs | None = None,
) -> AggregateResult:
    """Run the whole pipeline and write the report (the one call of ``selfeval aggregate``).

    Args:
        workspace: the workspace, or its folder (default: found from the current folder).
        jobs: worker processes for step 1 (``--jobs``; 1: none, 0: one per
            CPU core); the report is the same whatever the number.
        draft: write the draft report and ``reports/draft.yaml``.
        fmt: ``md``, ``html`` or ``docx`` (:mod:`selfeval.report.docx`).
        output: report path (default :func:`default_output`).
        include_drafts: include responses still in ``status: draft``.
        ids: show finding ids in the running text (default: in a draft only),
            in every format.
        cache: read the responses through the per-response cache
            (``.selfeval/cache/``, :func:`read_cached`), keep the figures'
            pictures there (sealed, :mod:`selfeval.report.figures`) and the
            rendered parts of the report (sealed, :mod:`selfeval.report.fragments`), and give
            the last run's result without reading or writing anything when
            none of its inputs changed and its files are intact
            (:mod:`selfeval.report.runrecord`), or when the only responses
            changed since read as they did then (the record's cut-off:
            only those are read); ``--no-cache`` turns all off.
        category: report on this incident category only; None: every
            category of the exercise, one report each
            (:func:`reports_dir`; ``-o`` needs a category then).
        progress: told as the work goes: :data:`READING` per file read,
            :data:`WRITING` (total 0 until done) while the report is rendered.
        inputs: the caller already asked :func:`selfeval.report.runrecord.last_run`
            (the CLI does, before loading the models) and got these inputs and
            no record: the run is made and recorded under their key. None: asked here.

    Returns:
        An :class:`AggregateResult`.

    Raises:
        UsageError: ``jobs`` out of range (before anything is read).
        SelfevalError: no workspace, invalid files, a worker process died, or
            the report cannot be written.
        KeyboardInterrupt: Ctrl-C; nothing is written.
    """
    workers = check_jobs(jobs)
    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    # Nothing changed since the last run with these options, and its files are intact:
    # nothing to read, render or write (selfeval.report.runrecord).
    options = runrecord.options_of(
        draft=draft, fmt=fmt, output=output, include_drafts=include_drafts, ids=ids,
        category=category,
    )  # fmt: skip
    cache_root = readcache.open_cache(ws) if cache else None
    if cache_root is not None and inputs is None:
        inputs, last = runrecord.last_run(ws.root, options)
        if last is not None:
            progress(WRITING, 1, 1)
            return _recorded(last)
    if cache_root is not None and inputs is not None:
        # Only responses changed, and each reads as it did: the last run's result stands.
        last = _cut_off(ws, cache_root, options, inputs)
        if last is not None:
            progress(WRITING, 1, 1)
            return _recorded(last)
    ws.questionnaires()  # load and check every questionnaire once, up front
    exercise = ws.exercise  # an invalid exercise file is reported before any response
    every = [c.id for c in exercise.categories]  # in file order
    chosen = [ws.incident_category(category).id] if category else every
    if output is not None and len(chosen) > 1:
        raise UsageError(
            f"-o names one file, but this exercise has {len(chosen)} incident categories",
            hint="add --category ID, or leave out -o (each report goes to reports/<category>/)",
        )
    found = ws.discover_responses()
    none_counts = nothing_counts_error(ws, found)
    if none_counts is not None:
        raise none_counts  # before anything is written: the last report stays as it was
    parsed = read_responses(found.current, ws, jobs=jobs, cache=cache, progress=progress)
    cutoff = _cutoff_of(ws, inputs, parsed) if cache_root is not None else None
    progress(WRITING, 0, 0)
    written: list[Path] = []
    warnings: list[str] = misplaced_warnings(ws, found.misplaced)
    findings = responses = 0
    from selfeval.report.figures import cached_in
    from selfeval.report.fragments import FRAGMENTS_DIR, kept_in

    # The figures and the rendered parts of the report are kept, sealed, beside the
    # read cache (figures.cached_in, fragments.kept_in).
    with (
        cached_in(cache_root / FIGURES_CACHE if cache_root is not None else None),
        kept_in(cache_root / FRAGMENTS_DIR if cache_root is not None else None),
    ):
        merges = merges_once(ws)
        for one in chosen:
            built = build(
                ws,
                parsed,
                draft=draft,
                include_drafts=include_drafts,
                category=one,
                merges=merges,
            )
            if one == chosen[-1]:
                # Step 1's results are not needed once the last report model is built:
                # what the report shows of them is in it (memory, docs/performance.md).
                parsed = []
            warnings += built.warnings
            findings += len(built.findings)
            responses += len(built.created_from)
            # _write lets go of the report model once the report is rendered, before
            # the figures are drawn (memory): no reference to it may stay here.
            held = [built]
            del built
            written += _write(
                ws, held, draft=draft, fmt=fmt, output=output, ids=ids, category=one, jobs=workers,
                drafts=cache_root / DRAFTS_DIR if cache_root is not None else None,
            )  # fmt: skip
    if cache_root is not None and inputs is not None:
        runrecord.store(
            cache_root, options, inputs.key, written, warnings, findings, responses, cutoff=cutoff
        )
    progress(WRITING, 1, 1)
    return AggregateResult(tuple(written), tuple(warnings), findings, responses)


def _cutoff_of(
    ws: Workspace, inputs: runrecord.Inputs | None, parsed: Sequence[ParsedResponse]
) -> runrecord.Cutoff | None:
    """The run record's cut-off for a run that read ``parsed`` (None: not known).

    Known only when every response was read through the cache from the very
    bytes ``inputs`` hashed (a file changed since it was hashed: none).
    """
    if inputs is None:
        return None
    responses: dict[str, tuple[str, str]] = {}
    for one in parsed:
        if one.read_as is None or one.errors:
            return None
        rel = _relative(one.path, ws.root)
        if inputs.files.get(rel) != one.read_as[0]:
            return None
        responses[rel] = one.read_as
    key = runrecord.cutoff_key(inputs, {rel: res for rel, (_, res) in responses.items()})
    return runrecord.Cutoff(key, responses)


def _cut_off(
    ws: Workspace,
    cache_root: Path,
    options: dict[str, Any],
    inputs: runrecord.Inputs,
) -> runrecord.Record | None:
    """The last run's record when the responses changed since it all read as they did then.

    The record's cut-off (:mod:`selfeval.report.runrecord`) holds each
    response's bytes (SHA-256) and what it read as. First the cut-off key of
    the inputs now is computed as if every response read as recorded: when
    it differs from the record's, something besides the responses' bytes
    changed (a text, the exercise, a file added, moved or removed) and
    nothing is read. Which files are responses is the record's to say: with
    the same files at the same places and the same exercise, the discovery
    rule (:meth:`~selfeval.files.workspace.Workspace.discover_responses`, a
    function of the places and the exercise) finds the same ones. Then each
    response whose bytes are not the record's is read through the cache
    (:func:`read_cached`, which keeps its entry for the full run a miss
    makes); the first that reads otherwise ends the check. When all read as
    before and the record's files are intact, the record stands: it is kept
    again under the new inputs key, and returned.

    Returns:
        The record, or None (the run is made in full).
    """
    last = runrecord.recorded(cache_root, options)
    if last is None or last.cutoff is None or last.key == inputs.key:
        return None
    kept = last.cutoff.responses
    if not kept.keys() <= inputs.files.keys():
        return None  # a response gone
    key = runrecord.cutoff_key(inputs, {rel: res for rel, (_, res) in kept.items()})
    if key != last.cutoff.key:
        return None
    changed = sorted(rel for rel, (sha, _) in kept.items() if inputs.files[rel] != sha)
    if changed:
        try:
            ctx = ReadContext.of(ws)  # the exercise and questionnaires are the record's
            store = ReadCache(cache_root, readcache.context_key(ws))
        except SelfevalError:  # pragma: no cover - the key says they were valid
            return None
        for rel in changed:
            read = read_cached(ctx, store, ws.root / rel)
            if read.errors or read.read_as != (inputs.files[rel], kept[rel][1]):
                return None
    if not runrecord.intact(last):
        return None
    now = {rel: (inputs.files[rel], res) for rel, (_, res) in kept.items()}
    runrecord.store(
        cache_root,
        options,
        inputs.key,
        [path for path, _ in last.written],
        last.warnings,
        last.findings,
        last.responses,
        cutoff=runrecord.Cutoff(key, now),
    )
    return last


def _write(
    ws: Workspace,
    held: list[Built],
    *,
    draft: bool,
    fmt: Format,
    output: Path | None,
    ids: bool | None,
    category: str,
    jobs: int = 1,
    drafts: Path | None = None,
) -> list[Path]:
    """Write one category's report (and, for a draft, its ``draft.yaml``); return the files.

    ``held`` has the one :class:`Built` to write, taken out of it here: the
    final Markdown report is rendered, then the report model is let go of
    before its figures are drawn (:class:`selfeval.report.render.FiguresToDraw`),
    so matplotlib and the pictures' pixels do not come on top of the model.
    With ``jobs`` over 1 (``--jobs``) the figures are drawn in a helper
    process while the report renders (:class:`selfeval.report.figures.DrawnAside`).
    ``drafts``: where ``draft.yaml``'s bytes are kept between runs
    (:func:`selfeval.report.draftkeep.write_draft_kept`), or None (``--no-cache``).
    A draft pair whose two files come out byte for byte as they are on disk
    is left as it is (not renamed over, not fsynced), as a plain report is.
    """
    from selfeval.report.render import render_into

    built = held.pop()
    exercise = ws.exercise.for_category(category)
    target = (
        output
        if output is not None
        else default_output(ws, draft=draft, fmt=fmt, category=category)
    )
    # The default report path is in the workspace and must stay there (a link in a
    # shared workspace must not redirect it); an explicit -o is the user's choice.
    within = ws.root if output is None else None
    if output is not None:
        yamlio.check_output_folder(output.parent, output)  # no tree of new folders
    if not draft:
        beside: list[Path] = []
        with paused_gc():
            if fmt == "docx":
                from selfeval.report.docx import write_docx

                if within is not None:
                    yamlio.check_inside(target, within)
                write_docx(built.report, target, template_dirs=[ws.templates_dir], ids=ids)
            else:
                # render.write_report, with the figures drawn once the model is let go of
                # (with --jobs 2 or more: in a helper process while the report renders).
                later = None
                try:
                    with yamlio.atomic_writer(target, within=within, keep_same=True) as handle:
                        later = render_into(
                            built.report,
                            handle,
                            fmt=fmt,
                            template_dirs=[ws.templates_dir],
                            figure_files=True,
                            ids=ids,
                            defer_figures=True,
                            draw_aside=jobs > 1,
                        )
                        del built  # the last reference to the report model (see above)
                        if later is not None:
                            later.put_names(handle)
                finally:
                    if later is not None:
                        later.stop()  # a helper still drawing when the write failed
                if later is not None:
                    beside = later.write_beside(target, within=within)
        written = [target, *beside]
    else:
        # The draft report and draft.yaml are one pair (the peer reviews read the
        # second, people the first): both are written to temporary files first and
        # renamed together, and both carry the same draft hash.
        draft_file = draft_path(ws, category)
        docx = fmt == "docx"
        later = None
        with (
            paused_gc(),
            yamlio.atomic_files(
                [draft_file, target],
                within=[ws.root, within],
                binary=[False, docx],
                keep_same=True,
            ) as (draft_handle, report_handle),
        ):
            write_draft_kept(
                draft_handle,
                built.findings,
                exercise=exercise,
                created_from=built.created_from,
                hash=built.report.draft_hash,  # computed once, in build()
                folder=drafts,
            )
            # Refused before the report is rendered; nothing is written then.
            draft_handle.flush()
            check_draft_size(os.fstat(draft_handle.fileno()).st_size, draft_file)
            if docx:
                from selfeval.report.docx import find_reference, render_docx

                reference = find_reference([ws.templates_dir])
                report_handle.write(render_docx(built.report, reference=reference, ids=ids))
            else:
                # The figures are made once, for the links and the files beside (as the
                # plain report's): they were made a second time for the files.
                later = render_into(
                    built.report,
                    report_handle,
                    fmt=fmt,
                    template_dirs=[ws.templates_dir],
                    figure_files=True,
                    ids=ids,
                    defer_figures=True,
                )
                if later is not None:
                    later.put_names(report_handle)
        figures = later.write_beside(target, within=within) if later is not None else []
        written = [target, draft_file, *figures]
    _remove_old_figures(ws, target, category)
    return written


def _remove_old_figures(ws: Workspace, target: Path, category: str) -> None:
    """After a report is written into the workspace's reports folder, its unlinked pictures go.

    Only when ``target`` is in :func:`reports_dir` and that folder really is
    inside the workspace (links resolved): ``-o`` elsewhere removes nothing
    (:func:`selfeval.report.render.remove_old_figures` says what is removed).
    """
    from selfeval.report.render import remove_old_figures

    folder = reports_dir(ws, category)
    real = os.path.realpath(folder)
    root = os.path.realpath(ws.root)
    if os.path.realpath(target.parent) == real and real.startswith(root.rstrip(os.sep) + os.sep):
        remove_old_figures(folder)
