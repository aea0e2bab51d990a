"""``selfeval validate``: check questionnaires, the exercise file and responses.

Every problem is collected (not just the first), each naming file, line and
what to do. A response is checked against exactly the questionnaire version it
pins: id, version and content hash (``DESIGN.md`` §3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from selfeval import yamlio
from selfeval.answers import check_answers
from selfeval.documents import LoadedQuestionnaire, load_exercise, load_questionnaire, load_response
from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.exercise import EXERCISE_FILE, Exercise
from selfeval.response import Response
from selfeval.workspace import Workspace, find_workspace

__all__ = ["Report", "validate_paths", "validate_workspace"]


@dataclass
class Report:
    """What validation found.

    Attributes:
        checked: files checked.
        problems: every problem, in file order.
    """

    checked: list[Path] = field(default_factory=list)
    problems: list[SelfevalError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def add(self, error: SelfevalError) -> None:
        """Record one error (a :class:`ValidationProblems` is split into its parts)."""
        if isinstance(error, ValidationProblems):
            self.problems.extend(error.problems)
        else:
            self.problems.append(error)


def _kind_of(path: Path) -> str:
    if path.name == EXERCISE_FILE:
        return "exercise"
    if path.parent.name == "questionnaires":
        return "questionnaire"
    try:
        data = yamlio.load(path)
    except InputError:
        return "unknown"
    if isinstance(data, dict):
        if "sections" in data:
            return "questionnaire"
        if "participants" in data:
            return "exercise"
        if "questionnaire" in data:
            return "response"
    return "unknown"


def _answers_problems(
    path: Path, response: Response, loaded: LoadedQuestionnaire, exercise: Exercise | None
) -> list[SelfevalError]:
    problems: list[SelfevalError] = []
    text = path.read_text("utf-8-sig")
    ref = response.questionnaire
    if ref.hash != loaded.hash:
        problems.append(
            InputError(
                f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, but "
                f"{loaded.path.name} now hashes to {loaded.hash[:19]}…: the questionnaire "
                f"changed after this response was started",
                location=Location(path, *(yamlio.line_of(text, ["questionnaire", "hash"]) or ())),
                hint="restore the published questionnaire file; a change must be a new version",
            )
        )
    if exercise is not None and response.participant not in exercise.codes:
        problems.append(
            InputError(
                f"participant {response.participant!r} is not in {EXERCISE_FILE}",
                location=Location(path),
                hint=f"use one of: {', '.join(exercise.codes)}",
            )
        )
        exercise = None
    for problem in check_answers(
        loaded.questionnaire,
        response.answers,
        exercise=exercise,
        participant=response.participant,
        complete=response.status == "submitted",
    ):
        where = yamlio.line_of(text, ["answers", *problem.path])
        problems.append(
            InputError(
                f"answers.{problem}",
                location=Location(path, *where) if where else Location(path),
            )
        )
    return problems


def _check_response(path: Path, workspace: Workspace | None, report: Report) -> None:
    response = load_response(path)
    if workspace is None:
        return
    ref = response.questionnaire
    try:
        loaded = workspace.questionnaire(ref.id, ref.version)
    except SelfevalError as exc:
        report.add(InputError(exc.message, location=Location(path), hint=exc.hint))
        return
    try:
        exercise: Exercise | None = workspace.exercise
    except SelfevalError:
        exercise = None  # reported when the exercise file itself is checked
    for problem in _answers_problems(path, response, loaded, exercise):
        report.add(problem)


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
        else:
            files.append(path)
    return files


def validate_paths(paths: Iterable[Path], *, workspace: Workspace | None = None) -> Report:
    """Check the given files and folders (folders: every ``*.yaml`` below them).

    Args:
        paths: files or folders.
        workspace: used to check responses against their questionnaire; if
            None, it is looked up from the first path (and may not exist).

    Returns:
        A :class:`Report`; never raises for a problem in a file.
    """
    report = Report()
    paths = list(paths)
    if workspace is None and paths:
        try:
            anchor = paths[0] if paths[0].is_dir() else paths[0].parent
            workspace = Workspace(find_workspace(anchor))
        except SelfevalError:
            workspace = None
    for path in _expand(paths):
        report.checked.append(path)
        if not path.exists():
            report.add(InputError("no such file or folder", location=Location(path)))
            continue
        try:
            kind = _kind_of(path)
            if kind == "questionnaire":
                load_questionnaire(path)
            elif kind == "exercise":
                load_exercise(path)
            elif kind == "response":
                _check_response(path, workspace, report)
            else:
                # Parse it at least, so syntax errors are reported with their line.
                data = yamlio.load(path)
                if not isinstance(data, dict):
                    raise InputError(
                        "not a selfeval file: expected a mapping",
                        location=Location(path, 1, 1),
                    )
                raise InputError(
                    "not a questionnaire, exercise or response file",
                    location=Location(path),
                    hint="a response has a 'questionnaire' key, a questionnaire 'sections'",
                )
        except SelfevalError as exc:
            report.add(exc)
    return report


def validate_workspace(workspace: Workspace) -> Report:
    """Check a whole workspace: exercise file, questionnaires and every response."""
    files = [workspace.exercise_path, *workspace.questionnaire_files(), *workspace.response_files()]
    return validate_paths(files, workspace=workspace)
