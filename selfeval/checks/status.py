"""Who has answered what: one row per participant and expected questionnaire.

``selfeval status`` (issue 6) shows the secretariat at a glance which
departments are done. The expected questionnaires come from each
participant's forms of involvement in ``selfeval.yaml`` (``DESIGN.md`` §1,
the seed's Annex 1): a ``self-evaluation`` participant owes a
``self-evaluation`` response, and so on. Progress counts come from
:func:`selfeval.model.answers.progress`, so ``when`` conditions are honoured the
same way ``fill`` honours them.

This module only gathers plain data; the CLI renders it as a table or JSON.
Importing it loads no model, no YAML parser and no pydantic (those are
imported when :func:`workspace_status` runs): a ``status`` answered from its
record (:func:`selfeval.report.runrecord.recall_output`) rebuilds its
:class:`Status` with :meth:`Status.from_data` and never needs them; after a
response changed that reads as before (:func:`read_as`: a comment added),
only PyYAML is loaded, to parse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems

if TYPE_CHECKING:
    from selfeval.files.workspace import Workspace

__all__ = [
    "STATES",
    "KeptRows",
    "State",
    "Status",
    "StatusRow",
    "Summary",
    "read_as",
    "responses_read",
    "same_as_recorded",
    "workspace_status",
]

#: The states a response can be in, in the order the summary lists them.
STATES = ("not-started", "draft", "reopened", "submitted", "invalid")
State = Literal["not-started", "draft", "reopened", "submitted", "invalid"]

#: Questionnaires that are peer reviews (collegiale toets 1 and 2).
PEER_REVIEWS = ("peer-review-1", "peer-review-2")


@dataclass(frozen=True)
class StatusRow:
    """The state of one participant's response to one questionnaire.

    Attributes:
        participant: participant code (``BZ``).
        name: display name (``Financiën``).
        questionnaire: questionnaire id, which is also the form of involvement.
        state: ``not-started`` (no file), ``draft``, ``reopened`` (a draft
            with ``reopened_from`` set), ``submitted``, or ``invalid`` (the
            file cannot be read; ``problem`` says why).
        expected: True when the participant's involvement asks for this
            questionnaire; False for a response nobody asked for.
        path: the response file, relative to the workspace root (POSIX).
        version: the questionnaire version the response pins, if any.
        answered: active items with an answer (None when not started/invalid).
        required: active required items.
        required_answered: of those, how many are answered.
        missing: ids of required items still unanswered.
        started_at, updated_at, submitted_at: timestamps from the file.
        reopened_from: file name of the earlier submitted version.
        reactions: number of peer-review reactions to findings.
        questionnaire_changed: the questionnaire file no longer has the content
            hash the response pins (``DESIGN.md`` §3); ``validate`` explains.
        not_counted: answers kept in the file but not counted, because the
            condition of their question is false
            (:func:`selfeval.model.answers.inactive_answers`).
        pinned: the version the exercise pins, when the response is on an
            older one (:func:`selfeval.files.migrate.version_drift`); else None.
        migrate: then, the command that migrates it.
        problem: why the file could not be read (state ``invalid``).
        not_asked: for a row not expected, why its participant is not asked for
            it, in the words ``validate`` warns and ``aggregate`` leaves it out with
            (:meth:`~selfeval.model.exercise.Exercise.not_asked`); else None.
        invited: a peer review its participant was invited to (``--round N``,
            not in its involvement: :meth:`~selfeval.model.exercise.Exercise.invited`):
            not expected, but asked for, and counted by ``aggregate``.
    """

    participant: str
    name: str
    questionnaire: str
    state: State
    expected: bool
    path: str
    version: str | None = None
    answered: int | None = None
    required: int | None = None
    required_answered: int | None = None
    missing: tuple[str, ...] = ()
    started_at: str | None = None
    updated_at: str | None = None
    submitted_at: str | None = None
    reopened_from: str | None = None
    reactions: int = 0
    questionnaire_changed: bool = False
    not_counted: tuple[str, ...] = ()
    pinned: str | None = None
    migrate: str | None = None
    problem: str | None = None
    not_asked: str | None = None
    invited: bool = False


def row_data(row: StatusRow) -> dict[str, Any]:
    """One row as plain JSON data: the :class:`StatusRow` fields, tuples as lists."""
    data = asdict(row)
    data["missing"] = list(row.missing)
    data["not_counted"] = list(row.not_counted)
    return data


def row_of(data: Mapping[str, Any]) -> StatusRow:
    """The :class:`StatusRow` whose :func:`row_data` is ``data``.

    Raises:
        KeyError, TypeError: ``data`` is not the shape :func:`row_data` gives.
    """
    fields = dict(data)
    fields["missing"] = tuple(fields["missing"])
    fields["not_counted"] = tuple(fields["not_counted"])
    return StatusRow(**fields)


class KeptRows(Protocol):
    """What an earlier ``status`` kept of its rows, for one incident category.

    :class:`selfeval.report.statusrows.StatusRows` keeps them (sealed, in
    ``.selfeval/cache/``): a row under its response file's place and bytes,
    within everything else a row depends on (the exercise file, the
    questionnaire files, selfeval itself, the category). A row is kept only
    when the response had no problems, so an error always keeps its file and line.
    """

    def questionnaires(self) -> Mapping[tuple[str, str], Path] | None:
        """(id, version) → file of every questionnaire version, when these very files loaded."""

    def checked(self, known: Mapping[tuple[str, str], Path]) -> None:
        """Every questionnaire file loaded without error; ``known`` says what each holds."""

    def recall(self, path: str, content: bytes, expected: bool) -> dict[str, Any] | None:
        """The row kept for the response at ``path`` (relative) with these bytes, if any.

        Only when each other file it was kept with (:meth:`fingerprints`) is as it was.
        """

    def fingerprints(self, files: list[Path]) -> dict[str, str | None]:
        """What other files a row depends on are now (a peer review's draft), to keep it with."""

    def keep(
        self,
        path: str,
        content: bytes,
        expected: bool,
        data: dict[str, Any],
        files: dict[str, str | None],
    ) -> None:
        """Keep the row (:func:`row_data`) of the response at ``path`` with these bytes.

        ``files``: :meth:`fingerprints` of the other files it depends on, taken
        before the response was checked.
        """


@dataclass(frozen=True)
class Summary:
    """Counts over the expected rows, and the peer reviews still owed.

    Attributes:
        participants: participants in the exercise.
        expected: expected responses (participant x form of involvement).
        counts: state → number of expected rows in that state.
        unexpected: responses found that no involvement asks for.
        missing_peer_reviews: ``(participant, questionnaire)`` pairs of
            expected peer reviews not yet submitted.
    """

    participants: int
    expected: int
    counts: dict[str, int]
    unexpected: int
    missing_peer_reviews: list[tuple[str, str]]

    def line(self) -> str:
        """One line for humans, e.g. ``9 expected responses: 2 submitted, 7 not started.``."""
        parts = [
            f"{self.counts[state]} {state.replace('-', ' ')}"
            for state in ("submitted", "reopened", "draft", "not-started", "invalid")
            if self.counts.get(state)
        ]
        text = (
            f"{self.participants} participant{'s' if self.participants != 1 else ''}, "
            f"{self.expected} expected response{'s' if self.expected != 1 else ''}: "
            + (", ".join(parts) or "none")
            + "."
        )
        if self.unexpected:
            plural = "s" if self.unexpected != 1 else ""
            text += f" {self.unexpected} response{plural} not asked for."
        return text


@dataclass
class Status:
    """Everything ``selfeval status`` shows.

    Attributes:
        root: the workspace folder.
        incident_category: the incident category id.
        rows: expected rows in exercise (Annex 1) order, each participant's
            questionnaires in form-of-involvement order; unexpected
            responses follow.
        summary: the counts.
        problems: one error per response file that could not be read, with
            file and line; the CLI prints them and exits 1.
        not_counted: files under ``responses/`` that are not where a
            response belongs (:meth:`Workspace.discover_responses`), relative
            to the root: never counted; ``selfeval validate`` says where they go.
    """

    root: Path
    incident_category: str
    rows: list[StatusRow]
    summary: Summary
    problems: list[SelfevalError] = field(default_factory=list)
    not_counted: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data: workspace, incident_category, rows, summary, problems, not_counted.

        ``rows`` are mappings with the :class:`StatusRow` fields; ``summary``
        has the :class:`Summary` fields plus ``line``; ``problems`` are the
        error messages as strings (``file:line:column: message``).
        """
        summary = asdict(self.summary)
        summary["missing_peer_reviews"] = [
            {"participant": p, "questionnaire": q} for p, q in self.summary.missing_peer_reviews
        ]
        summary["line"] = self.summary.line()
        rows = [row_data(row) for row in self.rows]
        return {
            "workspace": str(self.root),
            "incident_category": self.incident_category,
            "rows": rows,
            "summary": summary,
            "problems": [str(p) for p in self.problems],
            "not_counted": list(self.not_counted),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Status:
        """The :class:`Status` whose :meth:`to_data` is ``data``; only one without problems.

        For a status recorded by ``selfeval status`` (its ``to_data``, sealed,
        :mod:`selfeval.report.runrecord`): the record is stored only when
        this reads it back equal (:func:`same_as_recorded`).

        Raises:
            ValueError: ``data`` has problems (their file:line errors are not
                kept), or is not the shape :meth:`to_data` gives.
        """
        try:
            if data["problems"]:
                raise ValueError("a status with problems is not recorded")
            summary = dict(data["summary"])
            summary.pop("line")
            summary["missing_peer_reviews"] = [
                (pair["participant"], pair["questionnaire"])
                for pair in summary["missing_peer_reviews"]
            ]
            rows = [row_of(row) for row in data["rows"]]
            return cls(
                root=Path(data["workspace"]),
                incident_category=data["incident_category"],
                rows=rows,
                summary=Summary(**summary),
                not_counted=list(data["not_counted"]),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a recorded status: {exc}") from None


def same_as_recorded(status: Status) -> bool:
    """True when ``status`` has no problems and :meth:`Status.from_data` gives it back equal.

    The condition for recording it: a record that read back otherwise would
    show something other than what was gathered.
    """
    if status.problems:
        return False
    try:
        return Status.from_data(status.to_data()) == status
    except ValueError:
        return False


def read_as(path: Path) -> tuple[bytes, str] | None:
    """What a response file reads as, for the cut-off of the last status's record.

    The file is read and parsed as :func:`workspace_status` reads and parses
    it before any check (the one read rule, :func:`selfeval.files.yamlio.read_file`,
    then :func:`~selfeval.files.yamlio.load_bytes`), and what it holds is
    digested (:func:`~selfeval.files.yamlio.plain_digest`). Every check of a
    response, and so its row, is a function of that document alone (given
    its place, the exercise, the questionnaires and a peer review's draft,
    which the record's key covers by their bytes); only a problem's line
    depends on the text, and a status with problems is never recorded. So
    two files that read as the same document give the same row: a comment
    added, or the same answers saved again. Loads PyYAML, no model.

    Args:
        path: the response file.

    Returns:
        ``(bytes read, hex digest)``; None when the file cannot be read or
        parsed, or holds no mapping (its status says why: no cut-off).
    """
    from selfeval.files import yamlio

    try:
        raw = yamlio.read_file(path)
        data, _ = yamlio.load_bytes(raw, path)
    except SelfevalError:
        return None
    if not isinstance(data, dict):
        return None
    digest = yamlio.plain_digest(data)
    return (raw, digest) if digest is not None else None


def responses_read(status: Status) -> list[str]:
    """The response files ``status`` was gathered from (relative POSIX paths): its rows' files.

    A row that is not ``not-started`` was made from its file (:func:`read_as`
    says what each reads as).
    """
    return [row.path for row in status.rows if row.state != "not-started"]


def _problem_text(error: SelfevalError) -> str:
    if isinstance(error, ValidationProblems):
        first = error.problems[0]
        more = len(error.problems) - 1
        return str(first).splitlines()[0] + (f" (and {more} more)" if more else "")
    return str(error).splitlines()[0]


def _kept_row(kept: KeptRows, relative: str, content: bytes, expected: bool) -> StatusRow | None:
    """The row ``kept`` has for this response, when it is one a check could have given."""
    data = kept.recall(relative, content, expected)
    if data is None:
        return None
    try:
        row = row_of(data)
    except (KeyError, TypeError, AttributeError):
        return None
    if row.path != relative or row.expected != expected or row.state in ("invalid", "not-started"):
        return None
    return row


def _row(
    workspace: Workspace,
    code: str,
    name: str,
    qid: str,
    path: Path,
    *,
    expected: bool,
    kept: KeptRows | None = None,
    not_asked: str | None = None,
    invited: bool = False,
) -> tuple[StatusRow, SelfevalError | None]:
    from selfeval.files import yamlio
    from selfeval.files.load import read_response
    from selfeval.files.migrate import migrate_command, version_drift
    from selfeval.files.workspace import (
        placement_error,
        response_problems,
        unknown_participant_error,
    )
    from selfeval.model.answers import inactive_answers, progress

    relative = path.relative_to(workspace.root).as_posix()
    base = {
        "participant": code,
        "name": name,
        "questionnaire": qid,
        "path": relative,
        "not_asked": not_asked,
        "invited": invited,
    }
    if not path.exists():
        return StatusRow(state="not-started", expected=expected, **base), None
    content: bytes | None = None
    if kept is not None:
        try:
            content = yamlio.read_file(path)  # the one read rule; parsed below, not read again
        except SelfevalError:
            content = None  # read_response says what is wrong, with the file
        row = _kept_row(kept, relative, content, expected) if content is not None else None
        if row is not None and (row.not_asked, row.invited) == (not_asked, invited):
            return row, None
    try:
        # One read: the lines below come from this text (with ``kept``: the bytes hashed).
        response, text = read_response(path, raw=content)
        misplaced = placement_error(workspace, path, response, text)
        if misplaced is not None:
            # Its content claims another place: aggregate refuses it, so it is not "submitted".
            raise misplaced
        unknown = unknown_participant_error(workspace, path, response, text)
        if unknown is not None:  # validate and aggregate refuse it too
            raise unknown
        ref = response.questionnaire
        loaded = workspace.questionnaire(ref.id, ref.version, category=response.incident_category)
        # Whether its answers count: the rule validate reports and aggregate refuses by.
        # A changed questionnaire is noted in the row instead (questionnaire_changed).
        # The draft a peer review names is read by the check (its links): fingerprinted first.
        draft = workspace.draft_file(response)
        depends = kept.fingerprints([draft] if draft else []) if kept is not None else {}
        problems = response_problems(workspace, path, response, loaded, text, check_hash=False)
        if len(problems) > 1:
            raise ValidationProblems(list(problems))
        if problems:
            raise problems[0]
    except SelfevalError as exc:
        error = exc
        if exc.location is None and not isinstance(exc, ValidationProblems):
            # e.g. "no questionnaire version 9.9.9": say which response asked for it.
            error = InputError(exc.message, location=Location(path), hint=exc.hint)
        row = StatusRow(state="invalid", expected=expected, problem=_problem_text(error), **base)
        return row, error
    counts = progress(loaded.questionnaire, response.answers)
    drift = version_drift(workspace, path, response) is not None
    state: State
    if response.status == "submitted":
        state = "submitted"
    elif response.reopened_from:
        state = "reopened"
    else:
        state = "draft"
    row = StatusRow(
        state=state,
        expected=expected,
        version=ref.version,
        answered=counts.answered,
        required=counts.required,
        required_answered=counts.required_answered,
        missing=counts.missing,
        started_at=response.started_at,
        updated_at=response.updated_at,
        submitted_at=response.submitted_at,
        reopened_from=response.reopened_from,
        reactions=len(response.reactions),
        questionnaire_changed=loaded.hash != ref.hash,
        not_counted=tuple(inactive_answers(loaded.questionnaire, response.answers)),
        pinned=workspace.exercise.questionnaires.get(ref.id) if drift else None,
        migrate=migrate_command(ref.id, response.participant) if drift else None,
        **base,
    )
    if kept is not None and content is not None:
        kept.keep(relative, content, expected, row_data(row), depends)
    return row, None


def workspace_status(
    workspace: Workspace, category: str | None = None, kept: KeptRows | None = None
) -> Status:
    """Gather the state of every expected response in one incident category.

    Expected is one response per participant taking part in the category
    and form of involvement: what :meth:`~selfeval.model.exercise.Exercise.not_asked`
    says is asked, the rule ``validate`` warns and ``aggregate`` leaves a
    response out by; a participant answers per category (issue 12). A response
    found that is not asked for is a row of its own, with the reason.

    Args:
        workspace: the opened workspace.
        category: the incident category id (None: the exercise's first);
            ``selfeval status`` gathers every category in turn.
        kept: the rows an earlier status kept (:class:`KeptRows`), or None.
            A response whose row is kept for its very bytes is not parsed; the
            questionnaire files are then parsed only for the responses that
            are (when ``kept`` knows these very files loaded). Each row
            gathered without problems is kept in it. The result is the same
            as without it.

    Returns:
        A :class:`Status`. A response file that cannot be read becomes a row
        in state ``invalid`` and an entry in ``problems``; it does not stop
        the other rows from being gathered.

    Raises:
        InputError: the exercise file or a questionnaire file is invalid
            (nothing can be counted without them).
    """
    exercise = workspace.exercise
    chosen = workspace.incident_category(category).id
    known = kept.questionnaires() if kept is not None else None
    if known is not None:
        workspace.assume_questionnaires(known)  # these very files loaded before
    else:
        loaded = workspace.questionnaires()  # fail early, once, on a broken questionnaire file
        if kept is not None:
            kept.checked({key: one.path for key, one in loaded.items()})
    rows: list[StatusRow] = []
    problems: list[SelfevalError] = []
    seen: set[Path] = set()
    taking_part = [p for p in exercise.participants if exercise.takes_part_in(p, chosen)]
    for participant in taking_part:
        for qid in participant.involvement:
            if exercise.not_asked(participant.code, qid, chosen) is not None:
                continue  # the one rule of what was asked, as validate and aggregate decide
            path = workspace.response_path(participant.code, qid, chosen)
            seen.add(path)
            row, error = _row(
                workspace, participant.code, participant.name, qid, path, expected=True, kept=kept
            )
            rows.append(row)
            if error is not None:
                problems.append(error)
    names = {p.code: p.name for p in exercise.participants}
    found = workspace.discover_responses()
    from selfeval.files.workspace import nothing_counts_error

    none_counts = nothing_counts_error(workspace, found)
    if none_counts is not None:
        problems.insert(0, none_counts)
    folder = workspace.category_dir(chosen)
    for path in found.current:
        code, qid = path.parent.name, path.stem
        if path in seen or path.parent.parent != folder:
            continue  # another incident category's: its own status
        # Every response place is read, whatever its name (notes.yaml): validate and
        # aggregate read it too, and refuse what is not a response (one discovery rule).
        why = exercise.not_asked(code, qid, chosen)
        invited = exercise.invited(code, qid, chosen)
        row, error = _row(
            workspace,
            code,
            names.get(code, code),
            qid,
            path,
            expected=False,
            kept=kept,
            not_asked=why,
            invited=invited,
        )
        rows.append(row)
        if error is not None:
            problems.append(error)
    expected_rows = [r for r in rows if r.expected]
    counts = {state: sum(r.state == state for r in expected_rows) for state in STATES}
    summary = Summary(
        participants=len(taking_part),
        expected=len(expected_rows),
        counts=counts,
        unexpected=sum(not r.expected and not r.invited for r in rows),
        missing_peer_reviews=[
            (r.participant, r.questionnaire)
            for r in expected_rows
            if r.questionnaire in PEER_REVIEWS and r.state != "submitted"
        ],
    )
    return Status(
        root=workspace.root,
        incident_category=chosen,
        rows=rows,
        summary=summary,
        problems=problems,
        not_counted=[p.relative_to(workspace.root).as_posix() for p in found.misplaced],
    )
