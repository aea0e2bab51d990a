"""``selfeval import``: response files received by mail, checked and put where they belong.

A department without git (``docs/collaboration.md``) sends its response file,
``responses/<category>/<CODE>/<questionnaire>.yaml`` from its own copy of the
workspace, by mail; the secretariat imports it. Each file given (or each
``.yaml`` in a ``.zip`` given) is checked as ``validate`` checks a response:

* it is a response (safe YAML, the response structure, no conflict markers);
* its participant is in ``selfeval.yaml`` and its incident category is the
  exercise's;
* the questionnaire version it pins is in the workspace, with the same content
  hash, and its answers fit that version (complete, if it was submitted).

It is then written to where a response belongs,
:meth:`selfeval.files.workspace.Workspace.place_of` (the place ``validate``,
``status`` and ``aggregate`` look for it). An existing response there is
replaced only with ``replace=True``; a submitted one is then kept beside it as
``<questionnaire id>.submitted-<UTC stamp>.yaml``, as ``fill --reopen`` keeps
it. Nothing is half-imported: every file is checked before the first is
written, and a write that fails undoes the ones before it.

A zip file is untrusted input: its member names are never used as paths (a
response is placed by what it says, so ``../`` names cannot escape), and the
number of members, each member's size and the total are bounded while reading,
whatever the archive's headers claim (zip bombs: :mod:`selfeval.files.zips`, the
rule the house-style ``reference.docx`` is read by too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from selfeval.errors import (
    InputError,
    Location,
    LockedError,
    NotFoundError,
    RefusedError,
    SelfevalError,
    ValidationProblems,
)
from selfeval.files import yamlio, zips
from selfeval.files.load import parse_model
from selfeval.files.store import Clock, file_stamp, utc_now
from selfeval.files.workspace import Workspace, response_problems
from selfeval.model.exercise import EXERCISE_FILE
from selfeval.model.response import Response

__all__ = ["MAX_MEMBERS", "MAX_ZIP_BYTES", "Imported", "import_responses"]

#: A zip with more members than this is refused.
MAX_MEMBERS = 1000
#: The members of one zip may hold at most this many bytes together, uncompressed.
MAX_ZIP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Imported:
    """One response imported.

    Attributes:
        source: the file it came from (``archive.zip:member`` for a zip member).
        target: where it was written.
        response: what it holds.
        kept: the earlier submitted version kept beside it (``--replace``), or None.
        replaced: True when a different response was already there.
        unchanged: True when the same response was already there (nothing written).
    """

    source: str
    target: Path
    response: Response
    kept: Path | None = None
    replaced: bool = False
    unchanged: bool = False


@dataclass(frozen=True)
class _Candidate:
    source: str
    text: str


def _zip_members(path: Path) -> Iterator[_Candidate]:
    """The ``.yaml`` members of a zip, read with bounds; see the module docstring."""
    archive = zips.open_zip(path, path)
    total = 0
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(
                f"the zip file has {len(members):,} members, over the limit of {MAX_MEMBERS:,}",
                location=Location(path),
                hint="send the response files themselves, or a smaller zip",
            )
        for member in members:
            name = member.filename
            base = name.rsplit("/", 1)[-1]
            if member.is_dir() or base.startswith(".") or name.startswith("__MACOSX/"):
                continue  # folders and what archivers add (.DS_Store, resource forks)
            source = f"{path}:{name}"
            if not base.endswith((".yaml", ".yml")):
                raise InputError(
                    "not a response file (responses end in .yaml)",
                    location=Location(source),
                    hint="send a zip of response files only",
                )
            data = zips.read_member(
                archive,
                member,
                source,
                min(yamlio.MAX_FILE_BYTES, MAX_ZIP_BYTES - total),
                why="; a response is a small text file",
            )
            total += len(data)
            yield _Candidate(source, _decode(data, source))


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "the file is not valid UTF-8", location=Location(source), hint="save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n")


def _candidates(paths: Iterable[Path]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for path in paths:
        if path.suffix.lower() == ".zip":
            if not path.is_file():
                raise InputError("the file does not exist", location=Location(path))
            found += _zip_members(path)
            continue
        # yamlio.read_text refuses a pipe or device, bounds the size and refuses
        # conflict markers; the file is named by the user, so it may be anywhere.
        text = yamlio.read_text(path, named=True)
        found.append(_Candidate(str(path), text.replace("\r\n", "\n")))
    if not found:
        raise InputError("no response file to import", hint="give response files or a zip of them")
    return found


def _check(workspace: Workspace, candidate: _Candidate) -> tuple[Response, Path]:
    """Check one received file; return what it holds and where it belongs."""
    source = Path(candidate.source)
    data = yamlio.load_text(candidate.text, candidate.source)
    if not isinstance(data, dict) or "questionnaire" not in data:
        raise InputError(
            "not a response file (it has no 'questionnaire')",
            location=Location(candidate.source),
            hint="send the file from responses/<category>/<CODE>/ of the department's workspace",
        )
    response = parse_model(Response, data, source, text=candidate.text)
    exercise = workspace.exercise
    if response.participant not in exercise.codes:
        raise NotFoundError(
            f"participant {response.participant!r} is not in {EXERCISE_FILE}",
            location=Location(candidate.source),
            hint=f"participants: {', '.join(exercise.codes)}; add it to {EXERCISE_FILE} first "
            "if it takes part",
        )
    try:
        target = workspace.place_of(response)
    except SelfevalError as exc:  # another incident category, a malformed id
        raise InputError(exc.message, location=Location(candidate.source), hint=exc.hint) from None
    ref = response.questionnaire
    try:
        loaded = workspace.questionnaire(ref.id, ref.version, category=response.incident_category)
    except NotFoundError as exc:
        raise NotFoundError(
            f"the response answers questionnaire {ref.id}@{ref.version}, which this workspace "
            f"does not have ({exc.message})",
            location=Location(candidate.source),
            hint="copy that questionnaire version into questionnaires/ first, or ask the "
            "department to answer the version this exercise uses",
        ) from None
    if loaded.hash != ref.hash:
        raise InputError(
            f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, but "
            f"{loaded.path.name} hashes to {loaded.hash[:19]}…: it was answered against "
            f"another text of that version",
            location=Location(candidate.source),
            hint="ask the department which questionnaire file it used; a published version "
            "never changes",
        )
    # Whether its answers and reactions can count: the rule validate, status and
    # aggregate apply (the hash is checked above, with a hint for a mailed file).
    problems = response_problems(
        workspace, source, response, loaded, candidate.text, check_hash=False
    )
    if len(problems) > 1:
        raise ValidationProblems(list(problems))
    if problems:
        raise problems[0]
    return response, target


def _kept_name(target: Path, stamp: str) -> Path:
    base = target.name.removesuffix(".yaml")
    kept = target.with_name(f"{base}.submitted-{stamp}.yaml")
    counter = 2
    while kept.exists():
        kept = target.with_name(f"{base}.submitted-{stamp}-{counter}.yaml")
        counter += 1
    return kept


def import_responses(
    workspace: Workspace,
    paths: Iterable[Path],
    *,
    replace: bool = False,
    clock: Clock = utc_now,
) -> list[Imported]:
    """Import response files (or zips of them) into the workspace, all or nothing.

    Args:
        workspace: the opened workspace.
        paths: response files and ``.zip`` files holding them.
        replace: replace a response already there; a submitted one is kept
            beside it as ``<id>.submitted-<stamp>.yaml`` (as ``--reopen`` does).
        clock: the current aware UTC time (for the kept file's name).

    Returns:
        What was imported, in the order given. A file identical to the
        response already in place is not written (and not refused).

    Raises:
        InputError, ValidationProblems: a file is not a valid response, is
            for another incident category, pins a questionnaire text that
            differs, or its answers do not fit (nothing is written then).
        NotFoundError: unknown participant or questionnaire version.
        RefusedError: two files for the same response, or a response already
            there and ``replace`` not given.
        LockedError: a response is being changed by a running ``fill``.
    """
    checked: list[tuple[_Candidate, Response, Path]] = []
    problems: list[SelfevalError] = []
    for candidate in _candidates(paths):
        try:
            response, target = _check(workspace, candidate)
        except ValidationProblems as exc:
            problems.extend(exc.problems)
            continue
        except SelfevalError as exc:
            problems.append(exc)
            continue
        checked.append((candidate, response, target))
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationProblems(problems)
    seen: dict[Path, str] = {}
    for candidate, response, target in checked:
        if target in seen:
            raise RefusedError(
                f"{seen[target]} and {candidate.source} are both {response.participant}'s "
                f"{response.questionnaire.id} response",
                hint="import the one that counts",
            )
        seen[target] = candidate.source
    with contextlib.ExitStack() as locks:
        workspace.prepare_state_dir()
        for _, response, target in checked:
            lock_path = workspace.lock_path(
                response.participant, response.questionnaire.id, response.incident_category
            )
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(lock_path, timeout=0, is_singleton=False)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise LockedError(
                    f"{target} is being changed by another selfeval process "
                    f"(lock file {lock_path})",
                    hint="let that fill or peer-review finish, then import again; nothing "
                    "was imported",
                ) from None
            locks.callback(lock.release)
        return _write_all(workspace, checked, replace=replace, clock=clock)


def _write_all(
    workspace: Workspace,
    checked: list[tuple[_Candidate, Response, Path]],
    *,
    replace: bool,
    clock: Clock,
) -> list[Imported]:
    plan: list[tuple[_Candidate, Response, Path, str | None]] = []
    for candidate, response, target in checked:
        before: str | None = None
        if target.is_file():
            before = target.read_text("utf-8")
            if before == candidate.text:
                plan.append((candidate, response, target, before))
                continue
            if not replace:
                shown = target.relative_to(workspace.root).as_posix()
                status = _status(before, target)
                raise RefusedError(
                    f"{shown} already exists ({status}); {candidate.source} is not imported "
                    f"over it, and nothing was imported",
                    location=Location(target),
                    hint="compare the two; import again with --replace to take the new one "
                    "(a submitted response is kept beside it, as --reopen keeps it)",
                )
        plan.append((candidate, response, target, before))
    stamp = file_stamp(clock())
    done: list[Imported] = []
    undo: list[tuple[Path, str | None]] = []
    try:
        for candidate, response, target, before in plan:
            if before == candidate.text:
                done.append(Imported(candidate.source, target, response, unchanged=True))
                continue
            kept: Path | None = None
            if before is not None and _status(before, target) == "submitted":
                kept = _kept_name(target, stamp)
                undo.append((kept, None))
                yamlio.atomic_write_text(kept, before, within=workspace.root)
            undo.append((target, before))
            # A link in the workspace must not carry an imported response elsewhere.
            yamlio.atomic_write_text(target, candidate.text, within=workspace.root)
            done.append(
                Imported(candidate.source, target, response, kept, replaced=before is not None)
            )
    except BaseException:
        for path, text in reversed(undo):
            with contextlib.suppress(OSError, SelfevalError):
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    yamlio.atomic_write_text(path, text)
        raise
    return done


def _status(text: str, path: Path) -> str:
    try:
        data = yamlio.load_text(text, str(path))
    except SelfevalError:
        return "unreadable"
    return str(data.get("status", "draft")) if isinstance(data, dict) else "unreadable"
