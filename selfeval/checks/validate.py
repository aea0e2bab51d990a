"""``selfeval validate``: check questionnaires, the exercise file and responses.

Every problem is collected (not just the first), each naming file, line and
what to do. A response is checked against exactly the questionnaire version it
pins: id, version and content hash (``DESIGN.md`` §3).

A whole workspace (issue 6) is also checked for what a crash, a hand edit or
a git merge can leave behind: a response in the wrong folder (its path must be
``Workspace.response_path(participant, questionnaire)``, under the exercise's
incident category), answers to unknown items, wrong types or values outside
the choices, participants not in the exercise, an opportunity's ``answers``
naming a finding it may not (all three by the one rule,
:func:`selfeval.files.workspace.response_problems`; ``docs/findings.md`` §7),
and orphaned files under
``responses/`` — stray YAML files that are not responses, and leftover
``.*.tmp`` files from an interrupted save (warnings: they can be deleted).
See ``docs/files.md``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from selfeval.errors import (
    InputError,
    Location,
    NotFoundError,
    SelfevalError,
    ValidationProblems,
)
from selfeval.files import yamlio
from selfeval.files.load import (
    LoadedQuestionnaire,
    load_exercise,
    load_questionnaire,
    read_response,
)
from selfeval.files.migrate import version_drift
from selfeval.files.root import list_tree
from selfeval.files.workspace import (
    RESPONSES_DIR,
    Workspace,
    find_workspace,
    is_kept_version,
    placement_error,
    response_problems,
)
from selfeval.model.answers import inactive_answers
from selfeval.model.exercise import EXERCISE_FILE, Exercise
from selfeval.model.names import MERGES_FILE
from selfeval.model.response import Response, command_that_changes

__all__ = ["Report", "validate_paths", "validate_workspace"]


@dataclass
class Report:
    """What validation found.

    Attributes:
        checked: files checked.
        problems: every problem, in file order (any problem means exit 1).
        warnings: things worth tidying that lose nothing (stray or leftover
            temporary files, a response nobody asked for); they do not fail.
    """

    checked: list[Path] = field(default_factory=list)
    problems: list[SelfevalError] = field(default_factory=list)
    warnings: list[SelfevalError] = field(default_factory=list)
    # Questionnaire files loaded while checking responses (or the error each
    # raised), so N responses to one version parse it once, not N times.
    _questionnaires: dict[Path, LoadedQuestionnaire | SelfevalError] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The merges check, handed each response as it is loaded (validate_workspace).
    _merges: MergesCheck | None = field(default=None, repr=False, compare=False)

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

    def warn(self, warning: SelfevalError) -> None:
        """Record one warning."""
        self.warnings.append(warning)


def _kind_of(path: Path) -> str:
    if path.name == EXERCISE_FILE:
        return "exercise"
    if path.parent.name == "questionnaires":
        return "questionnaire"
    if len(path.parents) >= 3 and path.parents[2].name == RESPONSES_DIR:
        # responses/<category>/<participant>/<file>: a response whatever it holds,
        # so an empty or broken one gets load_response's message.
        return "response"
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


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _placement_problems(
    path: Path, text: str, response: Response, workspace: Workspace, exercise: Exercise
) -> list[SelfevalError]:
    """Problems with where a response file is (the one rule: :func:`placement_error`)."""
    error = placement_error(workspace, path, response, text)
    return [] if error is None else [error]


def _pinned(
    workspace: Workspace, qid: str, version: str, response: Path, report: Report, category: str
) -> LoadedQuestionnaire:
    """The questionnaire version a response pins, loaded from its own file only.

    Unlike :meth:`Workspace.questionnaires`, one broken questionnaire file
    does not stop responses to the other questionnaires from being checked.
    Its ``choices_from:`` items are bound to the response's incident category
    by the same loader :meth:`Workspace.questionnaire` uses.

    Raises:
        InputError: the pinned version's file is invalid (located in that file).
        NotFoundError: no file for that version (located in the response), or
            the response's incident category is not in the exercise.
    """
    folder = workspace.questionnaires_dir
    path = folder / f"{qid}-{version}.yaml"
    if path.is_file():
        if path not in report._questionnaires:
            try:
                report._questionnaires[path] = load_questionnaire(path)
            except SelfevalError as exc:
                report._questionnaires[path] = exc
        found = report._questionnaires[path]
        if isinstance(found, SelfevalError):
            raise found
        if found.choice_lists:
            return workspace.questionnaire(qid, version, category=category)
        return found
    versions = sorted(
        (p.name[len(qid) + 1 : -len(".yaml")] for p in folder.glob(f"{qid}-*.yaml")),
        key=lambda v: [int(x) if x.isdigit() else 0 for x in v.split(".")],
    )
    if not versions:
        raise NotFoundError(
            f"the response answers questionnaire {qid!r}, which is not in {folder}",
            location=Location(response),
            hint="copy the questionnaire version file it was answered against into questionnaires/",
        )
    raise NotFoundError(
        f"questionnaire {qid!r} has no version {version!r}",
        location=Location(response),
        hint=f"available versions: {', '.join(versions)}; restore {path.name} into questionnaires/",
    )


def _at_response(
    exc: SelfevalError, path: Path, response: Response, workspace: Workspace
) -> SelfevalError:
    """An error met while checking a response, located in that response's file.

    The questionnaire of a response for an incident category the exercise
    lacks cannot be bound to it: the message is then the place rule's
    (:func:`placement_error`, at the ``incident_category:`` line); any other
    unlocated error gets the response's file.
    """
    try:
        if response.incident_category not in workspace.category_ids:
            placed = placement_error(workspace, path, response)
            if placed is not None:
                return placed
    except SelfevalError:
        pass  # the exercise file's own problem is reported where it is checked
    return InputError(exc.message, location=Location(path), hint=exc.hint)


def _check_response(path: Path, workspace: Workspace | None, report: Report) -> None:
    response, text = read_response(path)  # one read: every line below is found in this text
    if report._merges is not None:
        report._merges.take(path, response, text)  # parsed once, for the merges check too
    if workspace is None:
        return
    ref = response.questionnaire
    try:
        loaded = _pinned(workspace, ref.id, ref.version, path, report, response.incident_category)
    except SelfevalError as exc:
        where = exc.location.path if exc.location else None
        if where is None:
            report.add(_at_response(exc, path, response, workspace))
        elif Path(where) == path or Path(where) not in report.checked:
            report.add(exc)  # else: the questionnaire's own problem is already reported
        return
    try:
        exercise: Exercise | None = workspace.exercise
    except SelfevalError:
        exercise = None  # reported when the exercise file itself is checked
    if exercise is not None and _inside(path, workspace.responses_dir):
        for problem in _placement_problems(path, text, response, workspace, exercise):
            report.add(problem)
        reason = (
            exercise.not_asked(response.participant, ref.id, response.incident_category)
            if response.incident_category in workspace.category_ids
            else None
        )
        if reason is not None:  # the rule status lists by and aggregate leaves out by
            report.warn(
                InputError(
                    f"not asked for: {reason}",
                    location=Location(path),
                    hint=f"add it to the participant in {EXERCISE_FILE}, or delete this "
                    "response; the report leaves it out (aggregate warns)",
                )
            )
    for problem in response_problems(workspace, path, response, loaded, text):
        report.add(problem)  # its answers, reactions and links: the one rule
    if exercise is not None and not is_kept_version(path):
        drift = version_drift(workspace, path, response)
        if drift is not None:
            report.warn(drift)
    not_counted = inactive_answers(loaded.questionnaire, response.answers)
    if not_counted:
        report.warn(
            InputError(
                f"kept but not counted (the condition of the question is false, so the report "
                f"leaves it out): {', '.join(not_counted)}",
                location=Location(path),
                hint="change the answer the condition depends on if it should count, or delete "
                f"these answers with `{command_that_changes(response, loaded.questionnaire.kind)}`",
            )
        )


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and path.suffix not in (".yaml", ".yml"):
            files += sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
        else:
            files.append(path)  # a folder named *.yaml too: reading it says it is a folder
    return files


def validate_paths(
    paths: Iterable[Path],
    *,
    workspace: Workspace | None = None,
    merges_check: MergesCheck | None = None,
    template_check: TemplateCheck | None = None,
    merges_check_of: Callable[[Workspace], MergesCheck] | None = None,
) -> Report:
    """Check the given files and folders (folders: every ``*.yaml`` below them).

    Args:
        paths: files or folders.
        workspace: used to check responses against their questionnaire; if
            None, it is looked up from the first path (and may not exist).
        merges_check: handed each response file as it is loaded
            (:func:`validate_workspace` passes it).
        template_check: given to :func:`validate_workspace` (its
            ``template_check``) for a folder that is a workspace root.
        merges_check_of: given to :func:`validate_workspace` (its
            ``merges_check``) for a folder that is a workspace root.

    A folder that is a workspace root (it holds ``selfeval.yaml``) is checked
    as :func:`validate_workspace` checks it, so ``selfeval validate DIR`` and
    ``cd DIR && selfeval validate`` judge the same workspace the same way
    (its ``answers/`` and ``texts/`` are not questionnaires or responses).

    Returns:
        A :class:`Report`; never raises for a problem in a file.
    """
    report = Report(_merges=merges_check)
    paths = list(paths)
    roots = [p for p in paths if p.is_dir() and (p / EXERCISE_FILE).is_file()]
    if roots:
        for root in roots:
            whole = validate_workspace(
                Workspace(root.resolve()),
                template_check=template_check,
                merges_check=merges_check_of,
            )
            report.checked += whole.checked
            report.problems += whole.problems
            report.warnings += whole.warnings
        rest = [p for p in paths if p not in roots]
        if rest:
            more = validate_paths(rest, workspace=workspace)
            report.checked += more.checked
            report.problems += more.problems
            report.warnings += more.warnings
        return report
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


def _stray(path: Path, workspace: Workspace, report: Report) -> None:
    """Check a file under ``responses/`` that is not where a response belongs."""
    relative = path.relative_to(workspace.root).as_posix()
    if path.name.startswith(".") and path.name.endswith(".tmp"):
        target = path.with_name(path.name[1:].rsplit(".", 2)[0])
        hint = "it can be deleted"
        if not target.exists():
            hint = (
                f"{target.name} does not exist: this may hold the only copy of its answers; "
                f"check it, rename it to {target.name} if it is complete, otherwise delete it"
            )
        report.warn(
            InputError(
                "a temporary file left by an interrupted save; the response itself was not "
                "touched by it",
                location=Location(path),
                hint=hint,
            )
        )
        return
    if path.suffix not in (".yaml", ".yml"):
        return  # lock files, .gitkeep, notes: not selfeval's business
    report.checked.append(path)
    try:
        data = yamlio.load(path)
    except SelfevalError as exc:
        report.warn(
            InputError(
                f"a file under responses/ that is not a response ({exc.message})",
                location=exc.location or Location(path),
                hint=f"selfeval ignores {relative}; move it out of responses/ or delete it",
            )
        )
        return
    if isinstance(data, dict) and "questionnaire" in data:
        try:
            _check_response(path, workspace, report)
        except SelfevalError as exc:
            report.add(exc)
        return
    report.warn(
        InputError(
            "a file under responses/ that is not a response",
            location=Location(path),
            hint=f"selfeval ignores {relative}; move it out of responses/ or delete it",
        )
    )


def _check_choice_lists(workspace: Workspace, report: Report) -> None:
    """Every pinned questionnaire's ``choices_from:`` list is declared by every category."""
    try:
        problems = workspace.choice_list_problems()
    except SelfevalError:
        return  # an invalid questionnaire or exercise file: reported when it was checked
    for problem in problems:
        report.add(problem)


def _check_contract(workspace: Workspace, report: Report) -> None:
    """The report roles the pinned and the answered questionnaires must declare (issue 10)."""
    answered = [q for q in report._questionnaires.values() if isinstance(q, LoadedQuestionnaire)]
    try:
        problems = workspace.report_contract_problems(answered)
    except SelfevalError:
        return  # an invalid questionnaire or exercise file: reported when it was checked
    for problem in problems:
        report.add(problem)


#: Files under texts/ and templates/ read as text (others, e.g. images, are left alone).
_TEXT_SUFFIXES = (".md", ".yaml", ".yml", ".j2", ".jinja", ".html", ".css", ".txt")


def _check_texts(workspace: Workspace, report: Report, skip: Sequence[Path] = ()) -> None:
    """Check the secretariat's texts and template overrides for git conflict markers.

    The YAML files get this check where they are parsed
    (:func:`selfeval.files.yamlio.load_text`); Markdown and templates are not
    parsed by validate, so a merge left unfinished would otherwise reach the
    report. ``skip`` is left out (``texts/merges.yaml`` when the merges check
    reads it, :data:`MergesCheck`).
    """
    for folder in (workspace.texts_dir, workspace.templates_dir):
        if not os.path.lexists(folder):
            continue
        try:  # a link or an unreadable folder is an error (list_tree), as in aggregate
            paths = list_tree(folder)
        except SelfevalError as exc:
            report.add(exc)
            continue
        for path in sorted(paths):
            if path.suffix not in _TEXT_SUFFIXES or path.name.startswith(".") or path in skip:
                continue
            try:  # not counted in report.checked: "N files valid" counts the YAML files checked
                # A folder or pipe named like a text is refused here; a Markdown
                # text also holds to the characters of the one rule of texts.
                markdown = folder == workspace.texts_dir and path.suffix == ".md"
                (yamlio.read_markdown if markdown else yamlio.read_text)(path)
            except SelfevalError as exc:
                report.add(exc)


#: Checks the template overrides in the given folders (the report's sandbox,
#: :func:`selfeval.report.trial.check_and_try_templates`; passed in by the CLI, as checks/
#: does not import report/), returning one error per broken template.
TemplateCheck = Callable[[Sequence[Path]], Sequence[SelfevalError]]


class MergesCheck(Protocol):
    """Checks the merges (``texts/merges.yaml``, each entry's ``same_as``) as ``aggregate`` does.

    :class:`selfeval.report.aggregate.MergesCheck`, made by the CLI for the
    workspace (checks/ does not import report/). ``validate`` hands it each
    response as it loads it, so no response is parsed twice.
    """

    def take(self, path: Path, response: Response, text: str) -> None:
        """One response file as ``validate`` loaded it, with its text."""
        ...

    def problems(self) -> Sequence[SelfevalError]:
        """The merges' problems, once every response was taken.

        Each is located in ``texts/merges.yaml`` (at the merge) or in a
        response (at its ``same_as`` entry); a response's own problems are
        not among them (validate finds those itself).
        """
        ...


def validate_workspace(
    workspace: Workspace,
    *,
    template_check: TemplateCheck | None = None,
    merges_check: Callable[[Workspace], MergesCheck] | None = None,
) -> Report:
    """Check a whole workspace.

    Checks the exercise file, every questionnaire, every response (against the
    exact questionnaire version it pins, that it is where
    :meth:`Workspace.response_path` says, and the finding ids its opportunities
    answer: a self-evaluation's among its own entries, a peer review's in the
    draft it answered when that is still at hand), the report roles of the
    pinned and answered questionnaires
    (:meth:`Workspace.report_contract_problems`), the earlier submitted
    versions kept by ``--reopen``, the texts (``texts/*.md`` readable UTF-8;
    ``texts/merges.yaml`` and the entries' ``same_as`` by aggregate's own
    check, ``merges_check``)
    and template overrides (``templates/*.j2`` parse and render in the sandbox), and
    anything else under ``responses/`` (see the module docstring).

    Args:
        workspace: the opened workspace.
        template_check: parses the template overrides in ``templates/`` and
            tries them (the CLI's :func:`selfeval.report.trial.check_and_try_templates`;
            file:line per broken one); None skips them.
        merges_check: makes the check of the merges as ``aggregate`` does
            it (``texts/merges.yaml``'s form; that its ids and each entry's
            ``same_as`` ids are findings of one kind and one incident
            category), fed the responses as they are checked
            (:class:`MergesCheck`), with or without ``texts/merges.yaml``;
            None: ``texts/merges.yaml`` for git conflict markers only.

    Returns:
        A :class:`Report` with problems (exit 1) and warnings; never raises
        for a problem in a file.
    """
    found = workspace.discover_responses()
    files = [workspace.exercise_path, *workspace.questionnaire_files(), *found.current]
    merges = workspace.texts_dir / MERGES_FILE
    # Made with or without texts/merges.yaml: an entry's same_as is a merge too.
    check = merges_check(workspace) if merges_check is not None else None
    report = validate_paths(files, workspace=workspace, merges_check=check)
    _check_texts(workspace, report, skip=[merges] if merges_check is not None else [])
    if check is not None:
        # Not counted in report.checked, as the other texts are not.
        for problem in check.problems():
            report.add(problem)
    _check_choice_lists(workspace, report)
    _check_contract(workspace, report)
    if template_check is not None:
        # A template _check_texts already refused (not UTF-8, conflict markers) once only.
        refused = {str(p.location.path) for p in report.problems if p.location is not None}
        for problem in template_check([workspace.templates_dir]):
            if problem.location is None or str(problem.location.path) not in refused:
                report.add(problem)
    for path in found.kept:
        report.checked.append(path)
        try:
            _check_response(path, workspace, report)
        except SelfevalError as exc:
            report.add(exc)
    for path in sorted([*found.misplaced, *found.other]):
        _stray(path, workspace, report)
    return report
