"""A workspace: the folder holding one exercise (``DESIGN.md`` §7).

Layout::

    selfeval.yaml                       the exercise file
    questionnaires/<id>-<version>.yaml  the questionnaire versions it uses
    responses/<category>/<participant>/<questionnaire>.yaml
    responses/<category>/<participant>/<questionnaire>.submitted-<stamp>.yaml  (kept on --reopen)
    texts/*.md                          the secretariat's editable narrative texts
    templates/                          optional report template overrides
    .selfeval/locks/<category>/<participant>/<questionnaire>.lock
                                        held while a command changes that response;
                                        ``.selfeval/`` ignores itself for git

Commands take ``--workspace DIR``; otherwise the current folder and its
parents are searched for ``selfeval.yaml``.

Which files under ``responses/`` count is decided here, once, for ``validate``,
``status`` and ``aggregate`` (issue 10; :meth:`Workspace.discover_responses` and
:func:`placement_error`): a response counts only at its place,
``responses/<exercise's category>/<participant>/<questionnaire id>.yaml``, and
only when what it says it is (participant, questionnaire, incident category)
is that place. Anything else is never counted.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval.errors import (
    InputError,
    Location,
    NotFoundError,
    SelfevalError,
    UsageError,
    ValidationProblems,
)
from selfeval.files import yamlio
from selfeval.files.load import (
    LoadedQuestionnaire,
    contract_problems,
    load_exercise,
    load_questionnaire,
)
from selfeval.files.root import find_workspace, list_folder, list_tree
from selfeval.model.exercise import (
    CODE_PATTERN,
    EXERCISE_FILE,
    SLUG_PATTERN,
    Exercise,
    IncidentCategory,
)
from selfeval.model.names import STATE_DIR
from selfeval.model.questionnaire import KINDS, semver_key
from selfeval.model.response import Response, reaction_problems

if TYPE_CHECKING:
    from selfeval.model.answers import Problem

__all__ = [
    "KEPT_MARKERS",
    "Progress",
    "ResponseFiles",
    "Workspace",
    "find_workspace",
    "is_kept_version",
    "list_folder",
    "list_tree",
    "no_progress",
    "placement_error",
    "split_ref",
    "unknown_participant_error",
]

#: ``progress(stage, done, total)``: told as a long run over a workspace's
#: responses goes (``aggregate``, ``export``, ``migrate``): ``stage`` names the
#: step ("Reading responses"), ``total`` is 0 while not known. The terminal turns
#: it into a progress bar (``selfeval.cli.progress``); the core never prints.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The :data:`Progress` callback that shows nothing (the default everywhere)."""


#: Earlier versions of a response kept beside it (``fill --reopen``,
#: ``selfeval migrate``): ``<questionnaire id><marker><stamp>.yaml``; never counted.
KEPT_MARKERS = (".submitted-", ".migrated-")


def is_kept_version(path: Path) -> bool:
    """True for an earlier version kept beside a response (see :data:`KEPT_MARKERS`)."""
    return path.suffix == ".yaml" and any(marker in path.name for marker in KEPT_MARKERS)


@dataclass(frozen=True)
class ResponseFiles:
    """The files under ``responses/``, sorted by the one discovery rule.

    Attributes:
        current: files at a response place,
            ``responses/<exercise's category>/<code>/<questionnaire id>.yaml``:
            the only files that can count (if what they say matches the
            place: :func:`placement_error`).
        kept: earlier versions kept beside a response (:func:`is_kept_version`).
        misplaced: every other ``*.yaml``/``*.yml`` under ``responses/``
            (copies in another folder, another category's folder, loose
            files): never counted.
        other: everything else (``.*.tmp`` leftovers, notes, lock files).
    """

    current: list[Path]
    kept: list[Path]
    misplaced: list[Path]
    other: list[Path]


QUESTIONNAIRES_DIR = "questionnaires"
RESPONSES_DIR = "responses"
TEXTS_DIR = "texts"
TEMPLATES_DIR = "templates"

_CODE = re.compile(CODE_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)


def _mode_of(path: Path) -> int | None:
    """The ``st_mode`` of ``path`` itself (not followed), or None when it is gone."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def split_ref(ref: str) -> tuple[str, str | None]:
    """Split ``id[@version]`` into (id, version or None)."""
    qid, _, version = ref.partition("@")
    return qid, (version or None)


def check_code(code: str, what: str = "participant code") -> str:
    """Refuse a participant code that could escape the workspace or is malformed.

    Raises:
        UsageError: the code has separators, dots, or other characters.
    """
    if not _CODE.match(code):
        raise UsageError(
            f"{code!r} is not a valid {what}",
            hint="codes are letters, digits, '-' and '_' (e.g. BZ, FIN); see selfeval.yaml",
        )
    return code


@dataclass
class Workspace:
    """An opened workspace; loads its files lazily and once.

    Attributes:
        root: the folder containing ``selfeval.yaml``.
    """

    root: Path
    _questionnaires: dict[tuple[str, str], LoadedQuestionnaire] | None = field(
        default=None, repr=False
    )
    _bound: dict[tuple[str, str, str], LoadedQuestionnaire] = field(
        default_factory=dict, repr=False
    )
    # Draft files read for peer reviews' links: path → (hash, finding id → kind), or None.
    _drafts: dict[Path, tuple[str, dict[str, str]] | None] = field(default_factory=dict, repr=False)
    _known: dict[tuple[str, str], Path] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, explicit: Path | None = None) -> Workspace:
        """Find and open the workspace (see :func:`find_workspace`)."""
        return cls(find_workspace(explicit=explicit))

    @property
    def exercise_path(self) -> Path:
        """Path of ``selfeval.yaml``."""
        return self.root / EXERCISE_FILE

    @cached_property
    def exercise(self) -> Exercise:
        """The exercise file, loaded and checked.

        Raises:
            InputError: the file is invalid.
        """
        return load_exercise(self.exercise_path)

    @property
    def questionnaires_dir(self) -> Path:
        """``questionnaires/``."""
        return self.root / QUESTIONNAIRES_DIR

    @property
    def responses_dir(self) -> Path:
        """``responses/``."""
        return self.root / RESPONSES_DIR

    @property
    def texts_dir(self) -> Path:
        """``texts/``: preface, incident category and conclusions in Markdown."""
        return self.root / TEXTS_DIR

    @property
    def templates_dir(self) -> Path:
        """``templates/``: optional report template overrides."""
        return self.root / TEMPLATES_DIR

    def questionnaire_files(self) -> list[Path]:
        """All questionnaire files, sorted by name.

        Raises:
            InputError: ``questionnaires/`` or something in it is a link, or it
                cannot be read (:func:`list_folder`); a folder named
                ``*.yaml`` is listed, and refused when it is read.
        """
        if not os.path.lexists(self.questionnaires_dir):
            return []
        return sorted(p for p in list_folder(self.questionnaires_dir) if p.suffix == ".yaml")

    def questionnaires(self) -> dict[tuple[str, str], LoadedQuestionnaire]:
        """All questionnaire versions, keyed by (id, version).

        Raises:
            InputError: a file is invalid, or two files define the same version.
        """
        if self._questionnaires is None:
            found: dict[tuple[str, str], LoadedQuestionnaire] = {}
            for path in self.questionnaire_files():
                loaded = load_questionnaire(path)
                key = (loaded.questionnaire.id, loaded.questionnaire.version)
                if key in found:
                    raise InputError(
                        f"{loaded.questionnaire.ref} is also defined in {found[key].path.name}",
                        location=Location(path),
                        hint="each version lives in exactly one file",
                    )
                found[key] = loaded
            self._questionnaires = found
        return self._questionnaires

    def assume_questionnaires(self, known: Mapping[tuple[str, str], Path]) -> None:
        """Take the questionnaire versions as known to load, and load each only when asked for.

        For a command that has a sealed record (``selfeval status``,
        :mod:`selfeval.report.statusrows`) saying that these very files (by
        their bytes) all loaded without error with this very selfeval, and
        which (id, version) each holds: :meth:`versions` and
        :meth:`questionnaire` then answer from ``known`` and parse only the
        version asked for, instead of every file. :meth:`questionnaires`
        still loads them all. A file that does not hold what ``known`` says
        is refused as :meth:`questionnaires` refuses it.

        Args:
            known: (id, version) → the file that holds that version.
        """
        if self._questionnaires is None:
            self._known = dict(known)

    def _index(self) -> Mapping[tuple[str, str], object]:
        """The (id, version) of every questionnaire version: known, or all loaded."""
        if self._questionnaires is None and self._known is not None:
            return self._known
        return self.questionnaires()

    def versions(self, qid: str) -> list[str]:
        """The versions of questionnaire ``qid`` in the workspace, oldest first."""
        return sorted((v for (i, v) in self._index() if i == qid), key=semver_key)

    def draft_file(self, response: Response) -> Path | None:
        """The draft file a peer review names (``draft: path:``), resolved; None when none.

        What :meth:`draft_kinds` reads, so also what a response's check
        depends on besides the response (``status`` keeps its row with it).
        """
        ref = response.draft
        if ref is None or not ref.path:
            return None
        return (self.root / ref.path).resolve()

    def draft_kinds(self, response: Response) -> dict[str, str] | None:
        """Finding id (and merged id) → kind of the draft a peer review answered, if at hand.

        Read once per workspace and draft file. For the one check of an
        opportunity's links (:func:`response_problems`).

        Returns:
            None when the response names no draft, or its file is gone,
            unreadable or has been made again since (another hash): then the
            ids of other departments cannot be checked against it
            (``aggregate`` warns about them, ``docs/findings.md`` §7).
        """
        path = self.draft_file(response)
        ref = response.draft
        if path is None or ref is None:
            return None
        if path not in self._drafts:
            self._drafts[path] = None
            try:
                data = yamlio.load(path) if path.is_file() else None
            except SelfevalError:
                data = None
            head = data.get("draft") if isinstance(data, dict) else None
            listed = data.get("findings") if isinstance(data, dict) else None
            if (
                isinstance(head, dict)
                and isinstance(head.get("hash"), str)
                and isinstance(listed, list)
            ):
                kinds: dict[str, str] = {}
                for finding in listed:
                    if isinstance(finding, dict) and isinstance(finding.get("kind"), str):
                        merged = finding.get("merged")
                        others = merged if isinstance(merged, list) else []
                        for fid in [finding.get("id"), *others]:
                            if isinstance(fid, str):
                                kinds[fid] = finding["kind"]
                self._drafts[path] = (head["hash"], kinds)
        found = self._drafts[path]
        return found[1] if found is not None and found[0] == ref.hash else None

    def questionnaire(
        self, qid: str, version: str | None = None, *, category: str | None = None
    ) -> LoadedQuestionnaire:
        """One questionnaire version as asked in one incident category.

        The one place every command (fill, status, validate, aggregate, export,
        import, migrate, ``questionnaire show``) gets the questionnaire a
        response answers, so they all read the same choices: the version is
        the given one, the exercise's pin, or the newest; its ``choices_from:``
        items get the category's choice lists from ``selfeval.yaml`` (issue 12).

        Args:
            qid: the questionnaire id.
            version: the version; None: the exercise's pin, else the newest.
            category: the incident category id; None: the exercise's first.

        Raises:
            NotFoundError: no such questionnaire, version or incident category.
            InputError: the file is invalid, or it uses a choice list the
                category does not declare.
        """
        loaded = self._version(qid, version)
        if not loaded.choice_lists:
            return loaded  # nothing to bind: the file as it is
        chosen = self.incident_category(category)
        key = (qid, loaded.questionnaire.version, chosen.id)
        if key not in self._bound:
            self._bound[key] = load_questionnaire(loaded.path, category=chosen)
        return self._bound[key]

    def incident_category(self, category: str | None = None) -> IncidentCategory:
        """The exercise's incident category ``category`` (None: the first).

        Raises:
            NotFoundError: the exercise has no such category.
        """
        try:
            return self.exercise.category(category)
        except KeyError:
            known = ", ".join(c.id for c in self.exercise.categories)
            raise NotFoundError(
                f"the exercise has no incident category {category!r}",
                hint=f"its incident categories: {known} ({EXERCISE_FILE})",
            ) from None

    def command(self, command: str, participant: str, category: str, *options: str) -> str:
        """A command line for a hint, written so that it runs as it stands.

        ``selfeval <command> -p <participant> [--category <category>] <options>``:
        ``--category`` is named when the exercise has several incident
        categories and ``participant`` answers for more than that one (else
        it is not needed: :meth:`one_category`). Trial 10: a hint without it
        failed with "say which one".

        Args:
            command: ``fill`` or ``peer-review``.
            participant: the participant code.
            category: the incident category the hint is about.
            options: further options, as written (``--list``).
        """
        parts = ["selfeval", command, "-p", participant]
        if len(self.exercise.categories) > 1 and self.only_category_of(participant) is None:
            parts += ["--category", category]
        return " ".join([*parts, *options])

    def only_category_of(self, participant: str) -> str | None:
        """The one incident category ``participant`` answers for, in an exercise with several.

        A participant whose ``categories:`` in ``selfeval.yaml`` names one
        category needs no ``--category`` (trial 10): ``fill`` and
        ``peer-review`` take that one and say so.

        Returns:
            That category's id; None when the exercise has one category, the
            participant takes part in several, or is not in the exercise.
        """
        categories = self.exercise.categories
        if len(categories) < 2 or participant not in self.exercise.code_set:
            return None
        member = self.exercise.participant(participant)
        theirs = [c.id for c in categories if self.exercise.takes_part_in(member, c.id)]
        return theirs[0] if len(theirs) == 1 else None

    def one_category(self, category: str | None, participant: str | None = None) -> str:
        """The incident category a command that writes one response works in.

        The one rule ``fill``, ``peer-review`` and ``import`` share: the
        category given (``--category``), else the exercise's only one, else
        the only one ``participant`` answers for (:meth:`only_category_of`).

        Raises:
            UsageError: none given while the exercise has several (and the
                participant, when given, answers for several).
            NotFoundError: the exercise has no such category.
        """
        if category is None and participant is not None:
            category = self.only_category_of(participant)
        if category is None and len(self.exercise.categories) > 1:
            known = ", ".join(c.id for c in self.exercise.categories)
            raise UsageError(
                f"this exercise has several incident categories ({known}): say which one",
                hint="pass --category ID",
            )
        return self.incident_category(category).id

    def _version(self, qid: str, version: str | None) -> LoadedQuestionnaire:
        """The file of one questionnaire version, unbound (see :meth:`questionnaire`).

        Raises:
            NotFoundError: no such questionnaire or version.
        """
        versions = self.versions(qid)
        if not versions:
            known = sorted({i for (i, _) in self._index()})
            raise NotFoundError(
                f"no questionnaire {qid!r} in {self.questionnaires_dir}",
                hint=f"known questionnaires: {', '.join(known) or 'none'}",
            )
        if version is None:
            version = self.exercise.questionnaires.get(qid) or versions[-1]
        if version not in versions:
            raise NotFoundError(
                f"questionnaire {qid!r} has no version {version!r}",
                hint=f"available versions: {', '.join(versions)}",
            )
        if self._questionnaires is None and self._known is not None:
            loaded = load_questionnaire(self._known[(qid, version)])
            if (loaded.questionnaire.id, loaded.questionnaire.version) == (qid, version):
                return loaded
            self._known = None  # not what the record said: load them all, and say what is wrong
            return self._version(qid, version)
        return self.questionnaires()[(qid, version)]

    def pinned_questionnaires(self) -> list[LoadedQuestionnaire]:
        """The version of each kind of questionnaire the exercise uses (pinned, else newest).

        Raises:
            InputError: a questionnaire file is invalid.
        """
        return [self.questionnaire(kind) for kind in KINDS if self.versions(kind)]

    def choice_list_problems(self) -> list[SelfevalError]:
        """The pinned questionnaires' ``choices_from:`` lists an incident category lacks.

        Every pinned questionnaire is bound to every incident category of the
        exercise (:meth:`questionnaire`), so a list a category does not
        declare is found before anyone fills in (``validate``), not when the
        first response arrives.

        Returns:
            One error per missing list and category, located in the questionnaire.

        Raises:
            InputError: a questionnaire or the exercise file is invalid.
        """
        problems: list[SelfevalError] = []
        for category in self.exercise.categories:
            for kind in KINDS:
                if not self.versions(kind):
                    continue
                try:
                    self.questionnaire(kind, category=category.id)
                except ValidationProblems as exc:
                    problems += exc.problems
                except SelfevalError as exc:
                    problems.append(exc)
        return problems

    def report_contract_problems(
        self, answered: Iterable[LoadedQuestionnaire] = ()
    ) -> list[InputError]:
        """Report roles missing from the questionnaires the report will read (issue 10).

        The one rule ``validate`` and ``aggregate`` share: every pinned
        questionnaire, and every version a response answers, must declare the
        report roles its kind needs (:func:`selfeval.files.load.contract_problems`).

        Args:
            answered: the questionnaire versions the responses answer.

        Returns:
            The problems, each file once, in file-name order.

        Raises:
            InputError: a questionnaire file is invalid.
        """
        every = {q.path: q for q in (*self.pinned_questionnaires(), *answered)}
        return [p for path in sorted(every) for p in contract_problems(every[path])]

    def category_dir(self, category: str | None = None) -> Path:
        """``responses/<incident category id>/`` of ``category`` (None: the exercise's first).

        Raises:
            NotFoundError: the exercise has no such incident category.
        """
        category = self.incident_category(category).id
        if not _SLUG.match(category):  # already enforced by the model; defence in depth
            raise UsageError(f"invalid incident category id {category!r}")
        return self.responses_dir / category

    def response_path(
        self, participant: str, questionnaire_id: str, category: str | None = None
    ) -> Path:
        """Where a participant's response to a questionnaire lives.

        ``responses/<category>/<participant>/<questionnaire id>.yaml``; a
        participant answers once per incident category (issue 12).

        Args:
            participant: the participant code.
            questionnaire_id: the questionnaire id.
            category: the incident category id (None: the exercise's first).

        Raises:
            UsageError: the participant code or questionnaire id is malformed
                (which is what keeps ``../x`` and absolute paths out).
            NotFoundError: the exercise has no such incident category.
        """
        check_code(participant)
        if questionnaire_id not in KINDS and not _SLUG.match(questionnaire_id):
            raise UsageError(f"{questionnaire_id!r} is not a valid questionnaire id")
        return self.category_dir(category) / participant / f"{questionnaire_id}.yaml"

    def place_of(self, response: Response) -> Path:
        """Where a response belongs, from what it says it is.

        :meth:`response_path` of its participant, questionnaire id and incident
        category, when that category is one of the exercise's. The rule a
        response is found by (:func:`placement_error`: ``validate``,
        ``status``, ``aggregate``, ``export``, ``fill``) and placed by
        (``import``): which category a response belongs to is the one it
        names, and it counts only in that category's folder.

        Raises:
            InputError: the response is for an incident category the exercise lacks.
            UsageError: its participant code or questionnaire id is malformed.
        """
        known = [category.id for category in self.exercise.categories]
        if response.incident_category not in known:
            raise InputError(
                f"the response is for incident category {response.incident_category!r}, but "
                f"this exercise evaluates {', '.join(map(repr, known))}",
                hint=f"keep this response in the workspace for {response.incident_category!r}, "
                f"or add that category to {EXERCISE_FILE} (incident_categories)",
            )
        return self.response_path(
            response.participant, response.questionnaire.id, response.incident_category
        )

    @property
    def state_dir(self) -> Path:
        """``.selfeval/``: local state of running commands (lock files), never shared."""
        return self.root / STATE_DIR

    def lock_path(
        self, participant: str, questionnaire_id: str, category: str | None = None
    ) -> Path:
        """The lock file held while a command changes one response.

        ``.selfeval/locks/<category>/<participant>/<questionnaire id>.lock``:
        outside ``responses/`` so that ``git add`` of a department's folder
        never picks it up, and kept after use because removing a file that
        others may be about to ``flock`` lets two processes hold "the" lock
        at once (the filelock package does not remove it either).

        Raises:
            UsageError: as :meth:`response_path`.
        """
        response = self.response_path(participant, questionnaire_id, category)
        relative = response.relative_to(self.responses_dir).with_suffix(".lock")
        return self.state_dir / "locks" / relative

    def prepare_state_dir(self) -> Path:
        """Create ``.selfeval/`` with a ``.gitignore`` of ``*`` in it, so git never sees it.

        The ``.gitignore`` inside makes this hold in workspaces whose own
        ``.gitignore`` predates the folder, or that have none.

        Returns:
            The folder.

        Raises:
            InputError: the folder cannot be created (read-only workspace,
                a file in the way).
        """
        folder = self.state_dir
        ignore = folder / ".gitignore"
        try:
            folder.mkdir(exist_ok=True)
            if not ignore.exists():
                ignore.write_text(
                    "# selfeval's local state (lock files): never committed.\n*\n", "utf-8"
                )
        except OSError as exc:
            raise InputError(
                f"cannot create {STATE_DIR}/ for lock files: {exc.strerror or exc}",
                location=Location(folder),
                hint="check that the workspace folder is writable",
            ) from None
        return folder

    def is_response_place(self, path: Path) -> bool:
        """True when ``path`` is where a current response lives.

        That is ``responses/<one of the exercise's incident categories>/<folder>/<name>.yaml``
        with a folder shaped like a participant code and a name shaped like a
        questionnaire id (so ``DEF (copy)/`` and ``x (copy).yaml`` are not).
        """
        folder = self.responses_dir
        try:
            relative = path.relative_to(folder)  # no file system call for the usual case
        except ValueError:
            try:
                relative = path.resolve().relative_to(folder.resolve())
            except ValueError:
                return False
        parts = relative.parts
        return (
            len(parts) == 3
            and parts[0] in self.category_ids
            and bool(_CODE.match(parts[1]))
            and path.suffix == ".yaml"
            and bool(_SLUG.match(path.name.removesuffix(".yaml")))
        )

    @cached_property
    def category_ids(self) -> frozenset[str]:
        """The ids of the exercise's incident categories (computed once)."""
        return frozenset(category.id for category in self.exercise.categories)

    def discover_responses(self) -> ResponseFiles:
        """Sort the files under ``responses/`` by the one discovery rule (:class:`ResponseFiles`).

        ``validate``, ``status``, ``aggregate`` and ``export`` all call this,
        so they agree on which files can count, and on what stops them all.

        Raises:
            InputError: the exercise file is invalid (the category comes from
                it); a link or an unreadable folder under ``responses/``
                (:func:`list_tree`); a named pipe, device or socket under it
                where no response belongs (:func:`~selfeval.files.yamlio.not_regular_error`,
                in the words a read of it gives where one belongs).
        """
        found = ResponseFiles([], [], [], [])
        if not os.path.lexists(self.responses_dir):
            return found
        for path in sorted(list_tree(self.responses_dir)):
            if not path.is_file():  # list_tree has refused every link: this is the thing itself
                mode = _mode_of(path)
                place = self.is_response_place(path)
                if mode is not None and not stat.S_ISDIR(mode) and not place:
                    # A pipe, device or socket where no response belongs: no command reads
                    # it, so none may skip it without a word.
                    raise yamlio.not_regular_error(path, mode)
                if place:
                    # Where a response belongs, every reading command reads it, and
                    # reading says what is wrong (yamlio.read_file), in the same words.
                    found.current.append(path)
            elif self.is_response_place(path):
                found.current.append(path)
            elif is_kept_version(path):
                found.kept.append(path)
            elif path.suffix in (".yaml", ".yml") and not path.name.startswith("."):
                found.misplaced.append(path)
            else:
                found.other.append(path)
        return found

    def response_files(self) -> list[Path]:
        """The files that can count as responses (:attr:`ResponseFiles.current`), sorted."""
        return self.discover_responses().current

    def text_path(self, name: str) -> Path:
        """A narrative text file, e.g. ``texts/preface.md``."""
        return self.texts_dir / f"{name}.md"


def nothing_counts_error(workspace: Workspace, found: ResponseFiles) -> InputError | None:
    """Whether response files exist under ``responses/`` but none can count (the one rule).

    ``aggregate`` and ``export`` refuse to run on it (an empty report or
    export would replace a good one) and ``status`` reports it: the usual
    cause is ``incident_category.id`` changed in ``selfeval.yaml`` after the
    responses were in, so that they are all in a folder the exercise no
    longer names (``docs/files.md``, which files count).

    Args:
        workspace: the workspace.
        found: its :meth:`Workspace.discover_responses`.

    Returns:
        None when some file is at a response place, or no response file is
        under ``responses/`` at all (a new exercise); else the error, naming
        the folders the files are in and the category ids the exercise has.

    Raises:
        InputError: the exercise file is invalid.
    """
    if found.current or not found.misplaced:
        return None
    ids = [c.id for c in workspace.exercise.categories]
    folders = sorted(
        {
            p.relative_to(workspace.responses_dir).parts[0]
            for p in found.misplaced
            if len(p.relative_to(workspace.responses_dir).parts) == 3
        }
    )
    count = len(found.misplaced)
    files = f"{count} response file{'s' if count != 1 else ''}"
    expected = ", ".join(f"{RESPONSES_DIR}/{i}/" for i in ids)
    if folders:
        named = ", ".join(f"{RESPONSES_DIR}/{f}/" for f in folders)
        message = (
            f"no response counts: the {files} under {RESPONSES_DIR}/ "
            f"{'is' if count == 1 else 'are'} in {named}, "
            f"but the incident category of {EXERCISE_FILE} is {', '.join(map(repr, ids))} "
            f"(so they belong in {expected})"
        )
        hint = (
            f"if incident_category.id in {EXERCISE_FILE} was changed after the responses "
            f"were in, change it back to {folders[0]!r}; or rename the folder to match it "
            f"(`selfeval validate` says where each file belongs)"
        )
    else:
        message = (
            f"no response counts: none of the {files} under {RESPONSES_DIR}/ is at "
            f"{RESPONSES_DIR}/<category>/<participant>/<questionnaire id>.yaml "
            f"(the category: {', '.join(map(repr, ids))})"
        )
        hint = "run `selfeval validate` to see where each file belongs"
    return InputError(message, hint=hint)


def unknown_participant_error(
    workspace: Workspace, path: Path, response: Response, text: str | None = None
) -> InputError | None:
    """Whether a response is by a participant the exercise does not have (the one rule).

    ``validate`` reports it, ``status`` shows the file as invalid,
    ``aggregate`` refuses to run: a folder ``responses/<category>/EVIL/`` is
    not a department's answers because a file in it says so.

    Args:
        workspace: the workspace.
        path: the response file.
        response: its loaded content.
        text: the file's text as it was read (:func:`~selfeval.files.load.read_response`),
            for the line; None: read for it.

    Returns:
        None when the participant is in ``selfeval.yaml``; else the error,
        at the ``participant:`` line.

    Raises:
        InputError: the exercise file is invalid.
    """
    codes = workspace.exercise.codes
    if response.participant in codes:
        return None
    if text is None:
        try:
            text = yamlio.read_text(path)  # the one read rule: a swapped-in pipe cannot hang
        except InputError:
            text = ""
    return InputError(
        f"participant {response.participant!r} is not in {EXERCISE_FILE}",
        location=yamlio.location_of(path, text, ["participant"]),
        hint=f"use one of: {', '.join(codes)}; or add the participant to {EXERCISE_FILE}",
    )


def response_problems(
    workspace: Workspace,
    path: Path,
    response: Response,
    loaded: LoadedQuestionnaire,
    text: str | None = None,
    active: Mapping[str, Any] | None = None,
    *,
    check_hash: bool = True,
) -> list[InputError]:
    """Why a response's answers cannot count (the one rule; empty when they can).

    ``validate`` reports these, ``status`` shows the file as invalid with the
    first of them, ``aggregate`` and ``export`` refuse to run, ``import``
    refuses the file: the questionnaire it pins changed since (another hash),
    its participant is not in ``selfeval.yaml`` (:func:`unknown_participant_error`),
    or an answer breaks the questionnaire's rules
    (:func:`selfeval.model.answers.check_answers`: a submitted response must
    have every required answer, entries' keys give unique finding ids, …), or a
    reaction breaks the peer-review rules (:func:`selfeval.model.response.reaction_problems`:
    one per finding, none to one's own in round 1, each with its ``finding_hash``),
    or an opportunity's ``answers`` names what it may not
    (:func:`selfeval.model.links.response_link_problems`, ``docs/findings.md`` §7:
    in a self-evaluation its own bottlenecks, blind spots and needs; in a peer
    review the draft it answered, when that is still ``reports/draft.yaml``
    (:meth:`Workspace.draft_kinds`), and its own needs). The links are
    checked when the answers are otherwise right.

    Args:
        workspace: the workspace.
        path: the response file (for ``file:line``).
        response: its loaded content.
        loaded: the questionnaire version it pins, bound to its incident category.
        text: the file's text if at hand (read otherwise).
        active: the answers whose ``when`` holds, if already worked out.
        check_hash: False leaves a changed questionnaire out (``status``
            notes it in the row: "changed since; run selfeval validate").

    Returns:
        The problems, each located at its line.

    An invalid exercise file is not reported here (the participant is then
    not checked, nor answers against its lists).
    """
    from selfeval.model.answers import check_answers
    from selfeval.model.links import response_link_problems

    read: list[str] = [text] if text is not None else []

    def where(keys: list[str | int]) -> Location:
        if not read:  # read only for a problem: most responses have none
            try:
                read.append(yamlio.read_text(path))
            except InputError:
                read.append("")
        return yamlio.location_of(path, read[0], keys)

    problems: list[InputError] = []
    ref = response.questionnaire
    if check_hash and ref.hash != loaded.hash:
        problems.append(
            InputError(
                f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, but "
                f"{loaded.path.name} now hashes to {loaded.hash[:19]}…: the questionnaire "
                f"changed after this response was started",
                location=where(["questionnaire", "hash"]),
                hint="restore the published questionnaire file; a change must be a new version",
            )
        )
    try:
        exercise: Exercise | None = workspace.exercise
    except SelfevalError:
        exercise = None  # validate reports the exercise file where it checks it
    unknown = unknown_participant_error(workspace, path, response, text) if exercise else None
    if unknown is not None:
        problems.append(unknown)
    answers_wrong = False
    for problem in check_answers(
        loaded.questionnaire,
        response.answers,
        exercise=exercise if unknown is None else None,
        participant=response.participant,
        complete=response.status == "submitted",
        active=active,
    ):
        problems.append(
            InputError(
                f"answers.{problem}",
                location=where(["answers", *problem.path]),
                hint=_unknown_item_hint(problem, loaded) if problem.unknown_item else None,
            )
        )
        answers_wrong = True
    if exercise is not None and unknown is None and not answers_wrong:
        for link in response_link_problems(
            loaded.questionnaire,
            response.participant,
            response.answers,
            draft=workspace.draft_kinds(response),
            codes=exercise.codes,
            draft_name=response.draft.path if response.draft and response.draft.path else None,
        ):
            problems.append(link.error(where(["answers", *link.path])))
    for wrong in reaction_problems(response):
        problems.append(
            InputError(wrong.message, location=where(list(wrong.path)), hint=wrong.hint)
        )
    return problems


def _unknown_item_hint(problem: Problem, loaded: LoadedQuestionnaire) -> str:
    """What to do about an answer to an item the questionnaire does not have.

    The closest id the questionnaire does have is named when there is one
    (a typo: ``bottleneks``); otherwise the answer is to be removed (trial 8:
    the message said what was wrong, not what to do).
    """
    import difflib

    from selfeval.model.questionnaire import iter_items

    typed = str(problem.path[-1])
    known = sorted({item.id for item in iter_items(list(loaded.questionnaire.items()))})
    near = difflib.get_close_matches(typed, known, n=1, cutoff=0.75)
    ref = loaded.questionnaire.ref
    if near:
        return f"did you mean {near[0]!r}? Rename the key, or remove the answer"
    return f"remove the answer: {ref} asks no such question (`selfeval questionnaire show {ref}`)"


def placement_error(
    workspace: Workspace, path: Path, response: Response, text: str | None = None
) -> SelfevalError | None:
    """Whether a response file is where what it says it is belongs (the one rule).

    A current response must be at
    :meth:`Workspace.response_path` ``(participant, questionnaire id)``, under
    the exercise's incident category; a kept earlier version
    (:func:`is_kept_version`) beside it. ``validate`` reports the error,
    ``status`` shows the file as invalid, ``aggregate`` refuses to run.

    Args:
        workspace: the workspace.
        path: the response file.
        response: its loaded content.
        text: the file's text as it was read (:func:`~selfeval.files.load.read_response`),
            for the line of an unknown incident category; None: read for it.

    Returns:
        None when it is in place; else an error naming the file, what it
        claims, and where it belongs.

    Raises:
        InputError: the exercise file is invalid.
    """
    ref = response.questionnaire
    try:
        expected = workspace.place_of(response)  # the place rule, shared with `import`
    except SelfevalError as exc:
        where: tuple[int, ...] = ()
        if response.incident_category not in workspace.category_ids:
            if text is None:
                text = yamlio.read_text(path)
            where = yamlio.line_of(text, ["incident_category"]) or ()
        return InputError(exc.message, location=Location(path, *where), hint=exc.hint)
    if is_kept_version(path):
        # An earlier version kept by --reopen or migrate lives beside the current one.
        right = path.parent.resolve() == expected.parent.resolve() and any(
            path.name.startswith(f"{ref.id}{marker}") for marker in KEPT_MARKERS
        )
    else:
        right = path == expected or path.resolve() == expected.resolve()
    if right:
        return None
    relative = expected.relative_to(workspace.root).as_posix()
    hint = f"move it to {relative}"
    if workspace.is_response_place(path):
        folder, qid = path.parent.name, path.name.removesuffix(".yaml")
        fields = [
            name
            for name, differs in (
                ("participant", response.participant != folder),
                ("questionnaire", ref.id != qid),
            )
            if differs
        ]
        hint = (
            f"if it is {response.participant}'s {ref.id} response, move it to {relative}; if "
            f"it is {folder}'s {qid}, correct {' and '.join(fields) or 'it'} in the file"
        )
    elif expected.exists() and not is_kept_version(path):
        hint = (
            f"{relative} already exists: compare the two, keep the right one there and "
            f"delete the other"
        )
    return InputError(
        f"this response (participant {response.participant}, questionnaire {ref.id}) is in "
        f"the wrong place: selfeval only counts it at {relative}",
        location=Location(path),
        hint=hint,
    )
