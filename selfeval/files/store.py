"""Where a response lives on disk: open, lock, save atomically, submit, reopen.

A :class:`ResponseStore` owns one response file,
``responses/<category>/<participant>/<questionnaire id>.yaml``
(:meth:`selfeval.files.workspace.Workspace.response_path`, ``DESIGN.md`` §7). It

* holds a lock file (:meth:`selfeval.files.workspace.Workspace.lock_path`,
  under the workspace's git-ignored ``.selfeval/locks/``) for as long as it is
  open, so a second process filling the same response is refused instead of
  both overwriting each other's answers;
* writes every change atomically (:func:`selfeval.files.yamlio.write`), so a crash or
  ``kill -9`` leaves the last saved draft (``DESIGN.md`` §6);
* never overwrites a submitted response silently: changing one needs
  :meth:`ResponseStore.reopen`, which keeps the submitted version beside it as
  ``<questionnaire id>.submitted-<UTC stamp>.yaml``. ``--reopen`` uses
  :meth:`ResponseStore.allow_reopen` instead: the response stays submitted
  until a save actually changes its content, and only then is it reopened
  (so a session that changes nothing, or an answers file that is refused,
  leaves it submitted).

The store knows nothing of terminals; ``fill`` and ``peer-review`` both use it.
The clock is injected (a callable returning an aware UTC ``datetime``) so tests
control timestamps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from selfeval.errors import InputError, Location, LockedError, NotFoundError, RefusedError
from selfeval.files import yamlio
from selfeval.files.load import LoadedQuestionnaire, read_response
from selfeval.files.workspace import Workspace, placement_error
from selfeval.i18n import Message
from selfeval.model.answers import Problem, check_answers
from selfeval.model.exercise import EXERCISE_FILE
from selfeval.model.response import QuestionnaireRef, Response

__all__ = [
    "Clock",
    "IncompleteError",
    "ResponseStore",
    "SubmittedError",
    "file_stamp",
    "iso_stamp",
    "open_for_session",
    "utc_now",
]

#: A callable returning the current time as an aware UTC datetime.
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC (the default :data:`Clock`)."""
    return dt.datetime.now(dt.UTC)


def iso_stamp(moment: dt.datetime) -> str:
    """ISO 8601 UTC timestamp to whole seconds, e.g. ``"2026-11-30T10:15:02Z"``.

    Stored as a string, so YAML quotes it and it reads back as the same string.
    """
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_stamp(moment: dt.datetime) -> str:
    """Compact UTC stamp for file names (no ``:``), e.g. ``"20261130T101502Z"``."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_size(text: str, path: Path, response: Response) -> None:
    """Refuse to write a response that reading it back would refuse (:func:`yamlio.check_size`).

    The message names the longest answers: those to shorten.

    Raises:
        InputError: the text is over :data:`~selfeval.files.yamlio.MAX_FILE_BYTES`.
    """
    if len(text) * 4 <= yamlio.MAX_FILE_BYTES:  # UTF-8 is at most 4 bytes a character
        return
    size = len(text.encode("utf-8"))
    if size <= yamlio.MAX_FILE_BYTES:
        return
    sizes = sorted(
        (
            (len(yamlio.dump({key: value}).encode("utf-8")), key)
            for key, value in response.answers.items()
        ),
        reverse=True,
    )
    longest = ", ".join(f"{key} ({length:,} bytes)" for length, key in sizes[:3])
    yamlio.check_size(
        size,
        path,
        writing=f"the longest answers are {longest}: shorten them (a long text belongs in an "
        f"annex, with a reference in the answer)",
    )


def _snapshot(answers: Mapping[str, Any]) -> str:
    return json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)


def _meaningful(value: Any) -> Any:
    """``value`` without blank answers (None, empty text/list/mapping), recursively.

    An item asked and left blank is recorded as ``null`` (so resuming skips
    it); that is not a change of content worth reopening a submitted response for.
    """
    if isinstance(value, dict):
        kept = {k: _meaningful(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_meaningful(v) for v in value]
    return value


def _content(response: Response) -> str:
    """What a submitted response says: its answers and reactions.

    The draft a peer review points at is left out: running ``peer-review``
    on a newer draft is not by itself a change the reviewer made (the draft
    reference is written along with the first real change).
    """
    return json.dumps(
        {
            "answers": _meaningful(response.answers),
            "reactions": [r.model_dump() for r in response.reactions],
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )


class IncompleteError(RefusedError):
    """Submission refused: required answers are missing or answers are invalid.

    Attributes:
        problems: each missing or invalid answer (item path and message).
    """

    def __init__(self, problems: list[Problem], *, location: Location | None = None) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"cannot submit: {count} answer{'s are' if count != 1 else ' is'} missing or invalid",
            location=location,
            hint="answer them (run `selfeval fill` again) and submit then; the draft is kept",
        )

    def __str__(self) -> str:
        lines = [super().__str__().split("\n  hint:")[0]]
        lines += [f"  - {problem}" for problem in self.problems]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class SubmittedError(RefusedError):
    """A submitted response is not overwritten (``DESIGN.md`` §6); the one refusal text.

    Raised by :func:`open_for_session` (``fill`` and ``peer-review`` without
    ``--reopen``) and by :class:`ResponseStore` when a submitted response
    would be saved or submitted again.
    """

    def __init__(self, path: Path, participant: str, submitted_at: str | None) -> None:
        self.path = path
        self.participant = participant
        self.submitted_at = submitted_at
        super().__init__(
            f"{path.name} of {participant} was submitted on {submitted_at or '?'}; "
            f"it is not overwritten",
            location=Location(path),
            hint="run the command again with --reopen to change it; the submitted version "
            "is kept beside it",
        )


class ResponseStore:
    """One participant's response to one questionnaire, opened for changes.

    Use as a context manager: entering acquires the lock (without waiting)
    and loads the response; leaving releases the lock. Nothing is written
    until the first :meth:`save`.

    Args:
        workspace: the opened workspace.
        participant: the respondent's participant code (must be in the exercise).
        questionnaire_id: which questionnaire (``self-evaluation``, …).
        version: a version asked for explicitly, or None. None means: the
            version an existing draft pins, else the exercise's pin, else the
            newest (:meth:`selfeval.files.workspace.Workspace.questionnaire`).
        clock: returns the current aware UTC time.
        category: the incident category the response is for (None: the
            exercise's first; :meth:`Workspace.one_category` picks it for a command).

    Raises (on entering):
        LockedError: another process holds the lock.
        NotFoundError: unknown participant, questionnaire or version.
        RefusedError: an explicit version differs from the one the existing
            response pins.
        InputError: the existing response file is invalid, belongs to someone
            else, or its questionnaire changed after it was started.
        UsageError: malformed participant code or questionnaire id.
    """

    def __init__(
        self,
        workspace: Workspace,
        participant: str,
        questionnaire_id: str,
        *,
        version: str | None = None,
        clock: Clock = utc_now,
        category: str | None = None,
    ) -> None:
        self.workspace = workspace
        self.participant = participant
        self.questionnaire_id = questionnaire_id
        self.requested_version = version
        self.clock = clock
        #: The incident category this response is for (issue 12).
        self.category: str = workspace.incident_category(category).id
        self.path: Path = workspace.response_path(participant, questionnaire_id, self.category)
        self.lock_path: Path = workspace.lock_path(participant, questionnaire_id, self.category)
        from filelock import FileLock  # here: status imports this module and takes no lock

        self._lock = FileLock(self.lock_path, timeout=0, is_singleton=False)
        self._loaded: LoadedQuestionnaire | None = None
        self._response: Response | None = None
        self._written: str | None = None
        # The file's text as this store last read or wrote it (None: not known).
        self._on_disk: str | None = None
        self._reopen_on_change = False
        self._submitted_content: str | None = None
        self.reopened: Path | None = None
        self.existed = False

    # -- opening -----------------------------------------------------------------

    def __enter__(self) -> ResponseStore:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Check the participant, take the lock and load (or start) the response.

        Raises:
            See the class docstring.
        """
        exercise = self.workspace.exercise
        if self.participant not in exercise.codes:
            raise NotFoundError(
                f"participant {self.participant!r} is not in {EXERCISE_FILE}",
                location=Location(self.workspace.exercise_path),
                hint=f"use one of: {', '.join(exercise.codes)}",
            )
        # Nothing is created through a link that leaves the workspace: not the
        # lock (or its folder), nor (see _write) the response itself.
        root = self.workspace.root
        yamlio.check_inside(self.path, root)
        yamlio.check_inside(self.lock_path, root)
        self.workspace.prepare_state_dir()
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create the lock folder: {exc.strerror or exc}",
                location=Location(self.lock_path.parent),
                hint="check that the workspace folder is writable",
            ) from None
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise LockedError(
                f"{self.path} is being changed by another selfeval process "
                f"(lock file {self.lock_path})",
                hint="finish or close the other session first; the lock is released "
                "when that process ends",
                said=Message("error.response_in_use"),
            ) from None
        except OSError as exc:
            # A shared folder: the lock file was left by another user and is not ours to open.
            raise LockedError(
                f"cannot take the lock file {self.lock_path}: {exc.strerror or type(exc).__name__}",
                location=Location(self.path),
                hint="it was probably left by another user; if nobody is working on this "
                "response, ask them (or the folder's owner) to delete the lock file, or make "
                "it and its folder writable for your group",
            ) from None
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Finish a save still being written, then release the lock (safe to call twice).

        Raises:
            InputError: that save failed (the lock is released all the same).
        """
        try:
            self.wait_saved()
        finally:
            if self._lock.is_locked:
                self._lock.release()

    def wait_saved(self) -> None:
        """Wait until a save started with ``background=True`` is on disk.

        Every other way of changing or closing the store waits first, so saves
        happen one at a time, in order (``docs/fill-reference.md``).

        Raises:
            InputError: that save failed; what it wrote is not on disk, and the
                next :meth:`save_if_changed` writes it again.
        """
        # Every background write of the process (they are all the stores'):
        # one interrupted between starting and being recorded is waited for too.
        yamlio.wait_for_writes()

    def _load(self) -> None:
        if self.path.is_file():
            self.existed = True
            response, self._on_disk = read_response(self.path)
            self._check_owner(response)
            ref = response.questionnaire
            if self.requested_version and self.requested_version != ref.version:
                raise RefusedError(
                    f"{self.path.name} answers {ref.id}@{ref.version}, not "
                    f"@{self.requested_version}",
                    location=Location(self.path),
                    hint=f"leave out @{self.requested_version} to continue with "
                    f"{ref.version}; moving answers to another version is a migration",
                )
            loaded = self.workspace.questionnaire(
                ref.id, ref.version, category=response.incident_category
            )
            if loaded.hash != ref.hash:
                raise InputError(
                    f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, "
                    f"but {loaded.path.name} now hashes to {loaded.hash[:19]}…: the "
                    f"questionnaire changed after this response was started",
                    location=Location(self.path),
                    hint="restore the published questionnaire file; a change must be a new version",
                )
            self._loaded, self._response = loaded, response
            self._written = _snapshot(response.answers)
            if response.status == "submitted":
                self._submitted_content = _content(response)
            return
        loaded = self.workspace.questionnaire(
            self.questionnaire_id, self.requested_version, category=self.category
        )
        q = loaded.questionnaire
        self._loaded = loaded
        self._response = Response(
            questionnaire=QuestionnaireRef(id=q.id, version=q.version, hash=loaded.hash),
            participant=self.participant,
            incident_category=self.category,
        )

    def _check_owner(self, response: Response) -> None:
        # The one placement rule validate, status and aggregate use (issue 10).
        error = placement_error(self.workspace, self.path, response)
        if error is not None:
            raise error

    # -- state -------------------------------------------------------------------

    @property
    def response(self) -> Response:
        """The response as loaded or last changed (raises if not opened)."""
        if self._response is None:
            raise RuntimeError("ResponseStore used before open()")
        return self._response

    @property
    def loaded(self) -> LoadedQuestionnaire:
        """The questionnaire version answered, with its file and hash."""
        if self._loaded is None:
            raise RuntimeError("ResponseStore used before open()")
        return self._loaded

    @property
    def answers(self) -> dict[str, Any]:
        """The answers (mutable; call :meth:`save` after changing them)."""
        return self.response.answers

    @property
    def submitted(self) -> bool:
        """True when the response has been submitted."""
        return self.response.status == "submitted"

    # -- changing ----------------------------------------------------------------

    def save(
        self,
        answers: Mapping[str, Any] | None = None,
        *,
        background: bool = False,
        on_error: Callable[[InputError], Exception] | None = None,
    ) -> None:
        """Write the response atomically, stamping ``started_at``/``updated_at``.

        On a submitted response after :meth:`allow_reopen`: nothing is
        written while the content equals the submitted one; the first save
        that changes it reopens the response (:meth:`reopen`) and writes it.

        A save still being written (``background``) is waited for first.

        Args:
            answers: replace the answers with these first (else save as is).
            background: return once the response is put into YAML; the file
                is written and synced in a thread
                (:func:`selfeval.files.yamlio.write_in_background`), and
                whoever needs it on disk calls :meth:`wait_saved` (the
                terminal prompter before it draws the next prompt, :meth:`close`
                and every other save). A reopening save is always written at once.
            on_error: turns a failure of a ``background`` write into the error
                raised by whoever waits for it (the session adds the answer
                that was not saved).

        Raises:
            SubmittedError: the response is submitted and reopening was not allowed.
            InputError: the file cannot be written (nothing is overwritten then),
                or an earlier background save failed.
        """
        self.wait_saved()
        if answers is not None:
            if self.submitted and not self._reopen_on_change:
                self._refuse_submitted()
            self.response.answers = dict(answers)
        if self.submitted:
            if not self._reopen_on_change:
                self._refuse_submitted()
            if _content(self.response) == self._submitted_content:
                return
            self.reopen()
            return
        self._write(background=background, on_error=on_error)

    def _refuse_submitted(self) -> None:
        raise SubmittedError(self.path, self.participant, self.response.submitted_at)

    def allow_reopen(self) -> None:
        """Let the first save that changes a submitted response reopen it (``--reopen``).

        Until then the response stays submitted on disk; :attr:`reopened`
        tells whether (and as which file) the submitted version was kept.
        """
        self._reopen_on_change = True

    @property
    def unchanged_submitted(self) -> bool:
        """True when the response is submitted and its content is as submitted."""
        return self.submitted and _content(self.response) == self._submitted_content

    def _write(
        self,
        moment: dt.datetime | None = None,
        *,
        background: bool = False,
        on_error: Callable[[InputError], Exception] | None = None,
    ) -> None:
        self.wait_saved()
        now = iso_stamp(moment or self.clock())
        response = self.response
        if response.started_at is None:
            response.started_at = now
        response.updated_at = now
        # The text is made here, from the response as it is now: a later
        # change cannot slip into a write still running.
        text = yamlio.dump(response.to_data())
        _check_size(text, self.path, response)
        if not background:
            self._on_disk = None  # until the write is done
            yamlio.atomic_write_text(self.path, text, within=self.workspace.root)
            self._written = _snapshot(response.answers)
            self._on_disk = text
            return
        written = _snapshot(response.answers)
        self._on_disk = text

        def failed(exc: Exception) -> Exception:
            self._written = None  # not on disk: save_if_changed writes it again
            self._on_disk = None
            if on_error is not None and isinstance(exc, InputError):
                return on_error(exc)
            return exc

        yamlio.write_in_background(self.path, text, within=self.workspace.root, on_error=failed)
        self._written = written

    def save_if_changed(self) -> bool:
        """Save when the answers differ from the last ones written.

        The filling engine calls this when it is interrupted: a Ctrl-C that
        lands *during* a save leaves the previous file in place (the write is
        atomic), and this writes the answer that was being saved.

        Returns:
            True when it wrote the file.

        Raises:
            InputError: the file cannot be written, or a background save
                failed (:meth:`wait_saved`).
        """
        self.wait_saved()
        if self.submitted:
            if not self._reopen_on_change or self.unchanged_submitted:
                return False
            self.reopen()
            return True
        if _snapshot(self.response.answers) == self._written:
            return False
        self._write()
        return True

    def problems(self, *, complete: bool = True) -> list[Problem]:
        """Check the answers (``complete``: also missing required ones).

        Returns:
            Every problem, in questionnaire order (see
            :func:`selfeval.model.answers.check_answers`); when there is none,
            every id an opportunity's ``answers`` may not name
            (:func:`selfeval.model.links.response_link_problems`, the rule
            ``validate``, ``status``, ``import`` and ``aggregate`` apply), at
            that opportunity's ``answers``.
        """
        from selfeval.model.links import response_link_problems

        exercise = self.workspace.exercise
        found = check_answers(
            self.loaded.questionnaire,
            self.answers,
            exercise=exercise,
            participant=self.participant,
            complete=complete,
        )
        if found:
            return found
        links = response_link_problems(
            self.loaded.questionnaire,
            self.participant,
            self.answers,
            draft=self.workspace.draft_kinds(self.response),
            codes=exercise.codes,
        )
        return [link.problem for link in links]

    def submit(self) -> None:
        """Mark the response submitted, recording ``submitted_at``, and save.

        Raises:
            SubmittedError: already submitted.
            IncompleteError: required answers missing or answers invalid,
                listing each (``DESIGN.md`` §6: a submitted response is complete).
        """
        self.wait_saved()
        if self.submitted:
            self._refuse_submitted()
        problems = self.problems(complete=True)
        if problems:
            raise IncompleteError(problems, location=Location(self.path))
        response = self.response
        moment = self.clock()
        response.status = "submitted"
        response.submitted_at = iso_stamp(moment)
        self._write(moment)

    def keep_copy(self, kept: Path) -> None:
        """Write the response file as it stands to ``kept`` (an earlier version kept beside it).

        It is the text this store read the response from (or last wrote), so the
        copy is what was loaded, whatever replaced the file since; when that is
        not known, the file is read by the one read function
        (:func:`selfeval.files.yamlio.read_text`: no pipe, no link out, bounded).
        ``reopen`` and ``selfeval migrate`` keep the earlier version by it.

        Raises:
            InputError: the file cannot be read, or ``kept`` cannot be written.
        """
        self.wait_saved()
        text = self._on_disk if self._on_disk is not None else yamlio.read_text(self.path)
        yamlio.atomic_write_text(kept, text, within=self.workspace.root)

    def reopen(self) -> Path | None:
        """Turn a submitted response back into a draft, keeping the submitted one.

        The submitted file is copied to
        ``<questionnaire id>.submitted-<UTC stamp>.yaml`` beside it (which
        :meth:`~selfeval.files.workspace.Workspace.response_files` skips), and its
        name is recorded in ``reopened_from``.

        The response as it is in memory is what gets written (the kept copy
        is the file on disk), so changes made before reopening are saved.

        Returns:
            The path of the kept submitted version (also in :attr:`reopened`),
            or None when the response was not submitted (nothing to do).

        Raises:
            InputError: a file cannot be written.
        """
        self.wait_saved()
        if not self.submitted:
            return None
        moment = self.clock()
        stamp = file_stamp(moment)
        base = self.path.name.removesuffix(".yaml")
        kept = self.path.with_name(f"{base}.submitted-{stamp}.yaml")
        counter = 2
        while kept.exists():
            kept = self.path.with_name(f"{base}.submitted-{stamp}-{counter}.yaml")
            counter += 1
        self.keep_copy(kept)
        response = self.response
        before = (response.status, response.submitted_at, response.reopened_from)
        response.status = "draft"
        response.submitted_at = None
        response.reopened_from = kept.name
        try:
            self._write(moment)
        except BaseException:
            # The file on disk is still the submitted one; so is the response.
            response.status, response.submitted_at, response.reopened_from = before
            kept.unlink(missing_ok=True)
            raise
        self.reopened = kept
        return kept


@contextlib.contextmanager
def open_for_session(
    workspace: Workspace,
    participant: str,
    questionnaire_id: str,
    *,
    version: str | None = None,
    reopen: bool = False,
    clock: Clock = utc_now,
    category: str | None = None,
) -> Iterator[ResponseStore]:
    """Open (lock, load or start) a response for a fill or peer-review session.

    The one step ``fill`` and ``peer-review`` share before they ask or apply
    anything: a submitted response is refused unless ``reopen`` is given, and
    with ``reopen`` it stays submitted until the first save that changes it
    (:meth:`ResponseStore.allow_reopen`, ``docs/fill-reference.md``).

    Args:
        workspace: the opened workspace.
        participant: the respondent's participant code.
        questionnaire_id: which questionnaire.
        version: an explicit version, or None (see :class:`ResponseStore`).
        reopen: allow changing a submitted response (``--reopen``).
        clock: returns the current aware UTC time.
        category: the incident category the response is for (None: the
            exercise's first; :meth:`Workspace.one_category` picks it for a command).

    Yields:
        The opened store; the lock is released when the block ends.

    Raises:
        SubmittedError: the response is submitted and ``reopen`` is false.
        LockedError, NotFoundError, RefusedError, InputError, UsageError: as
            :class:`ResponseStore` raises them on entering.
    """
    with ResponseStore(
        workspace, participant, questionnaire_id, version=version, clock=clock, category=category
    ) as store:
        if store.submitted:
            if not reopen:
                raise SubmittedError(store.path, participant, store.response.submitted_at)
            store.allow_reopen()
        yield store
