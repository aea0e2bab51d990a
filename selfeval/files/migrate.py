"""Moving responses from one questionnaire version to the next (``selfeval migrate``).

A published questionnaire version never changes (``DESIGN.md`` §3); a change is
a new version file, which says in ``migrates_from:`` what it did to the version
before it (renamed items, removed items, renamed choice values;
:class:`selfeval.model.questionnaire.MigratesFrom`). This module carries a
response's answers over along those declarations, one version step at a time:

* a renamed item's answer moves to its new id; a renamed choice value becomes
  the new value;
* an answer that cannot be carried over (its item was removed, the new version
  has no such item, or the value does not fit the new item) is *listed*, never
  dropped without a word, and stays in the old file, which is kept beside the
  response as ``<questionnaire id>.migrated-<old version>-<UTC stamp>.yaml``
  (as ``fill --reopen`` keeps ``.submitted-`` files);
* the migration is recorded in the response (``migrations:``);
* a submitted response stays submitted when it is complete under the new
  version and every answer was carried over or declared removed; when an
  answer has no place in the new version or does not fit it, or a required
  answer is missing, it becomes a draft (``reopened_from`` names the kept
  file) for the department to check and submit again.

:func:`version_drift` is the one check ``status`` and ``validate`` use to name a
response on an older version than the exercise pins. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, Location, NotFoundError, SelfevalError
from selfeval.files import yamlio
from selfeval.files.load import LoadedQuestionnaire, load_response
from selfeval.files.store import ResponseStore, file_stamp, iso_stamp, utc_now
from selfeval.files.workspace import Progress, Workspace, no_progress
from selfeval.model.answers import (
    ENTRY_KEYS,
    AnswerError,
    check_answer,
    check_answers,
    is_answered,
)
from selfeval.model.exercise import EXERCISE_FILE
from selfeval.model.questionnaire import (
    Item,
    MultipleChoiceItem,
    Questionnaire,
    RepeatItem,
    SingleChoiceItem,
    semver_key,
)
from selfeval.model.response import Migration, QuestionnaireRef, Response

__all__ = [
    "Change",
    "Plan",
    "migrate_command",
    "migrate_workspace",
    "plan_migration",
    "version_drift",
]


#: The progress stage of :func:`migrate_workspace`.
MIGRATING = "Migrating responses"


def migrate_command(questionnaire_id: str, participant: str) -> str:
    """The command that migrates one response (what ``status`` and ``validate`` suggest)."""
    return f"selfeval migrate {questionnaire_id} --participant {participant}"


def version_drift(workspace: Workspace, path: Path, response: Response) -> SelfevalError | None:
    """A warning when ``response`` answers an older version than the exercise pins.

    Args:
        workspace: the workspace (its exercise's ``questionnaires:`` pins).
        path: the response file, for the message.
        response: its content.

    Returns:
        None when it is on the pinned version (or newer, or nothing is
        pinned); else a warning naming both versions and the command that
        migrates it.

    Raises:
        InputError: the exercise file is invalid.
    """
    ref = response.questionnaire
    pinned = workspace.exercise.questionnaires.get(ref.id)
    try:
        older = pinned is not None and semver_key(ref.version) < semver_key(pinned)
    except ValueError:
        return None  # a malformed version is the response check's business
    if not older:
        return None
    command = migrate_command(ref.id, response.participant)
    return InputError(
        f"answers {ref.id} {ref.version}, but {EXERCISE_FILE} pins {pinned}",
        location=Location(path),
        hint=f"see what would change with `{command} --dry-run`, then run `{command}`",
    )


@dataclass(frozen=True)
class Change:
    """One thing a migration does to a response.

    Attributes:
        kind: ``renamed`` (an answer moves to a new item id), ``value`` (a
            choice value is renamed), ``removed`` (the new version declares
            the item removed) or ``not-carried`` (the new version has no
            place for it, or it does not fit there). The answer of a
            ``removed`` or ``not-carried`` change stays in the old file only.
        path: where the answer was, in the old version (``causes``,
            ``bottlenecks[0].departments``).
        detail: what happens, in words (new path, old → new value, or why
            it is not carried over).
    """

    kind: str
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"


@dataclass
class Plan:
    """What migrating one response does (computed without writing anything).

    Attributes:
        path: the response file.
        participant: its participant code.
        questionnaire: the questionnaire id.
        from_version: the version it answers now.
        to_version: the version it moves to.
        changes: every change, in answer order.
        answers: the answers as they will be.
        submitted: whether it stays submitted (``False`` for a draft, and for
            a submitted one that becomes a draft).
        was_submitted: whether it is submitted now.
        missing: required answers the new version asks that it lacks.
        error: why it cannot be migrated (then nothing else is set).
        category: the incident category the response is for.
    """

    path: Path
    participant: str
    questionnaire: str
    from_version: str
    to_version: str
    changes: list[Change] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    submitted: bool = False
    was_submitted: bool = False
    missing: list[str] = field(default_factory=list)
    error: SelfevalError | None = None
    category: str | None = None

    @property
    def not_carried(self) -> list[str]:
        """Paths of the answers that are not carried over (removed or not fitting)."""
        return [c.path for c in self.changes if c.kind in ("removed", "not-carried")]

    @property
    def lost(self) -> list[str]:
        """Paths of answers not carried over that the new version did not declare removed."""
        return [c.path for c in self.changes if c.kind == "not-carried"]


def _steps(
    workspace: Workspace, qid: str, start: str, target: str, category: str
) -> list[tuple[LoadedQuestionnaire, LoadedQuestionnaire]]:
    """The (old, new) version pairs from ``start`` to ``target``, following ``migrates_from``.

    Raises:
        NotFoundError: a version in between is missing, or no chain of
            ``migrates_from:`` leads from ``start`` to ``target``.
    """
    chain: list[tuple[LoadedQuestionnaire, LoadedQuestionnaire]] = []
    newer = workspace.questionnaire(qid, target, category=category)
    while newer.questionnaire.version != start:
        declared = newer.questionnaire.migrates_from
        if declared is None or semver_key(declared.version) < semver_key(start):
            raise NotFoundError(
                f"no migration from {qid} {start} to {target}: "
                f"{newer.path.name} declares "
                + (f"migrates_from version {declared.version}" if declared else "no migrates_from"),
                location=Location(newer.path),
                hint="the new version's file must say what changed since the old one, in "
                "'migrates_from:' (see docs/migrate.md)",
            )
        older = workspace.questionnaire(qid, declared.version, category=category)
        chain.append((older, newer))
        newer = older
    chain.reverse()
    return chain


def _dotted(parts: list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Step:
    """Carry answers over one ``migrates_from`` step."""

    def __init__(
        self,
        old: Questionnaire,
        new: Questionnaire,
        changes: list[Change],
        *,
        workspace: Workspace,
        participant: str,
    ) -> None:
        declared = new.migrates_from
        assert declared is not None
        self.declared = declared
        self.old = old
        self.new = new
        self.changes = changes
        self.exercise = workspace.exercise
        self.participant = participant

    def run(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        new_items = {item.id: item for item in self.new.items()}
        return self._container(answers, "", "", new_items, [])

    def _not_carried(self, where: list[str | int], why: str) -> None:
        self.changes.append(Change("not-carried", _dotted(where), why))

    def _container(
        self,
        data: Mapping[str, Any],
        old_prefix: str,
        new_prefix: str,
        new_items: dict[str, Item],
        where: list[str | int],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        declared = self.declared
        for key, value in data.items():
            here = [*where, key]
            if old_prefix and key in ENTRY_KEYS:
                out[key] = value
                continue
            old_path = f"{old_prefix}{key}"
            if old_path in declared.removed:
                if is_answered(value):
                    why = f"removed in {self.new.version}"
                    self.changes.append(Change("removed", _dotted(here), why))
                continue
            new_path = declared.renamed.get(old_path, f"{new_prefix}{key}")
            group, _, new_key = new_path.rpartition(".")
            item = new_items.get(new_key)
            if item is None or (group + "." if group else "") != new_prefix:
                if is_answered(value):
                    self._not_carried(here, f"{self.new.version} has no item {new_path!r}")
                continue
            if new_path != f"{new_prefix}{key}":
                self.changes.append(Change("renamed", _dotted(here), f"now {new_path}"))
            if isinstance(item, RepeatItem):
                if not isinstance(value, list):
                    if is_answered(value):
                        self._not_carried(here, "expected a list of entries")
                    continue
                subs = {sub.id: sub for sub in item.items}
                entries: list[Any] = []
                for index, entry in enumerate(value):
                    if not isinstance(entry, Mapping):
                        self._not_carried([*here, index], "not an entry (a mapping)")
                        continue
                    entries.append(
                        self._container(entry, f"{old_path}.", f"{new_path}.", subs, [*here, index])
                    )
                out[new_key] = entries
                continue
            out[new_key] = self._value(item, new_path, value, here)
            if out[new_key] is _DROP:
                del out[new_key]
        return out

    def _value(self, item: Item, new_path: str, value: Any, here: list[str | int]) -> Any:
        renames = self.declared.choices.get(new_path, {})
        carried = value
        if renames and isinstance(item, SingleChoiceItem) and isinstance(value, str):
            carried = renames.get(value, value)
        elif renames and isinstance(item, MultipleChoiceItem) and isinstance(value, list):
            carried = [renames.get(v, v) if isinstance(v, str) else v for v in value]
        if carried != value:
            self.changes.append(Change("value", _dotted(here), f"{value!r} → {carried!r}"))
        if not is_answered(carried):
            return carried
        try:
            return check_answer(item, carried, exercise=self.exercise, participant=self.participant)
        except AnswerError as exc:
            self._not_carried(here, f"does not fit {self.new.version}: {exc}")
            return _DROP


_DROP = object()


def plan_migration(workspace: Workspace, path: Path, response: Response, target: str) -> Plan:
    """Work out what migrating one response to ``target`` does, writing nothing.

    Args:
        workspace: the workspace.
        path: the response file.
        response: its content.
        target: the version to move it to.

    Returns:
        A :class:`Plan`; its ``error`` is set (and nothing else) when there is
        no ``migrates_from`` chain to ``target`` or a version file is missing.
    """
    ref = response.questionnaire
    plan = Plan(path, response.participant, ref.id, ref.version, target)
    plan.category = response.incident_category
    plan.was_submitted = response.status == "submitted"
    try:
        steps = _steps(workspace, ref.id, ref.version, target, response.incident_category)
        old = workspace.questionnaire(ref.id, ref.version, category=response.incident_category)
        if old.hash != ref.hash:
            raise InputError(
                f"the response pins {ref.id}@{ref.version} with hash {ref.hash[:19]}…, but "
                f"{old.path.name} hashes to {old.hash[:19]}…",
                location=Location(path),
                hint="restore the published questionnaire file before migrating",
            )
    except SelfevalError as exc:
        plan.error = exc
        return plan
    answers: dict[str, Any] = dict(response.answers)
    for older, newer in steps:
        step = _Step(
            older.questionnaire,
            newer.questionnaire,
            plan.changes,
            workspace=workspace,
            participant=response.participant,
        )
        answers = step.run(answers)
    plan.answers = answers
    new = workspace.questionnaire(ref.id, target, category=response.incident_category).questionnaire
    plan.missing = [
        str(p)
        for p in check_answers(
            new, answers, exercise=workspace.exercise, participant=response.participant,
            complete=True,
        )
    ]  # fmt: skip
    # A declared removal is the questionnaire's decision: listed and recorded, but the
    # department has nothing to redo. An answer with no place, or a missing required
    # one, needs the department: the response becomes a draft.
    plan.submitted = plan.was_submitted and not plan.missing and not plan.lost
    return plan


@dataclass
class MigrateResult:
    """What :func:`migrate_workspace` found and did.

    Attributes:
        plans: one per response on an older version (in file order).
        kept: response path → the kept old file, for those written.
        target: questionnaire id → the version migrated to.
    """

    plans: list[Plan] = field(default_factory=list)
    kept: dict[Path, Path] = field(default_factory=dict)
    target: dict[str, str] = field(default_factory=dict)


def migrate_workspace(
    workspace: Workspace,
    *,
    questionnaires: list[str] | None = None,
    participant: str | None = None,
    to: str | None = None,
    dry_run: bool = False,
    clock: Any = utc_now,
    progress: Progress = no_progress,
) -> MigrateResult:
    """Migrate every response on an older questionnaire version (the one call of ``migrate``).

    Only current responses are migrated (found by
    :meth:`Workspace.discover_responses`), never kept earlier versions.

    Args:
        workspace: the workspace.
        questionnaires: questionnaire ids (default: every one the exercise pins).
        participant: only this participant's responses.
        to: the version to move to (default: the exercise's pin, else the newest).
        dry_run: plan only; write nothing.
        clock: the current aware UTC time (tests inject it).
        progress: told ``("Migrating responses", done, total)`` per response file looked at.

    Returns:
        A :class:`MigrateResult`. Plans with an ``error`` were not written.

    Raises:
        SelfevalError: unknown questionnaire or version, a response file
            that cannot be read, or a file that cannot be written.
    """
    exercise = workspace.exercise
    qids = (
        questionnaires
        or list(exercise.questionnaires)
        or sorted({q for q, _ in workspace.questionnaires()})
    )
    result = MigrateResult()
    for qid in qids:
        result.target[qid] = workspace.questionnaire(qid, to).questionnaire.version
    paths = workspace.discover_responses().current
    progress(MIGRATING, 0, len(paths))
    for done, path in enumerate(paths, start=1):
        progress(MIGRATING, done - 1, len(paths))
        response = load_response(path)
        ref = response.questionnaire
        if ref.id not in result.target:
            continue
        if participant is not None and response.participant != participant:
            continue
        target = result.target[ref.id]
        if semver_key(ref.version) >= semver_key(target):
            continue
        plan = plan_migration(workspace, path, response, target)
        result.plans.append(plan)
        if dry_run or plan.error is not None:
            continue
        try:
            result.kept[path] = _write(workspace, plan, clock)
        except SelfevalError as exc:  # e.g. locked by a running fill: the others go on
            plan.error = exc
    progress(MIGRATING, len(paths), len(paths))
    return result


def _write(workspace: Workspace, plan: Plan, clock: Any) -> Path:
    """Keep the old file beside the response and write the migrated one (under its lock)."""
    store = ResponseStore(
        workspace, plan.participant, plan.questionnaire, clock=clock, category=plan.category
    )
    with store:
        response = store.response
        moment = clock()
        kept = plan.path.with_name(
            f"{plan.questionnaire}.migrated-{plan.from_version}-{file_stamp(moment)}.yaml"
        )
        counter = 2
        while kept.exists():
            kept = plan.path.with_name(
                f"{plan.questionnaire}.migrated-{plan.from_version}-{file_stamp(moment)}"
                f"-{counter}.yaml"
            )
            counter += 1
        store.keep_copy(kept)  # the file as the store read it (the one read function)
        new = workspace.questionnaire(
            plan.questionnaire, plan.to_version, category=response.incident_category
        )
        record = Migration(
            from_version=plan.from_version,
            from_hash=response.questionnaire.hash,
            to_version=plan.to_version,
            at=iso_stamp(moment),
            kept=kept.name,
            not_carried=plan.not_carried,
        )
        update: dict[str, Any] = {
            "questionnaire": QuestionnaireRef(
                id=plan.questionnaire, version=plan.to_version, hash=new.hash
            ),
            "answers": plan.answers,
            "migrations": [*response.migrations, record],
            "updated_at": iso_stamp(moment),
        }
        if plan.was_submitted and not plan.submitted:
            update.update(status="draft", submitted_at=None, reopened_from=kept.name)
        migrated = response.model_copy(update=update)
        try:
            yamlio.write(plan.path, migrated.to_data(), within=workspace.root)
        except BaseException:
            kept.unlink(missing_ok=True)
            raise
    return kept
