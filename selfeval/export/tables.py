"""The three export tables: answers, findings, participants (``docs/export.md``).

A table is a name and its columns; a row is a tuple of plain values in
column order: text, numbers, booleans, None (an empty cell), a list of
texts, or (the findings' ``reactions``) a list of mappings. The writers
(:mod:`selfeval.export.writers`) keep those types in JSON and flatten lists
into one readable cell in CSV and XLSX.

Nothing here decides which answers count or what a finding is: answers are
checked and findings extracted, merged and reacted to by the report pipeline
(:mod:`selfeval.report.aggregate`); these functions only lay its results out
as rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from selfeval.model.answers import is_answered
from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import (
    InfoItem,
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    Questionnaire,
    RepeatItem,
    ScaleItem,
    SingleChoiceItem,
    YesNoItem,
    text_in,
)
from selfeval.model.response import Response

__all__ = [
    "ANSWERS",
    "FINDINGS",
    "PARTICIPANTS",
    "TABLES",
    "AnswerRows",
    "Table",
    "finding_rows",
    "participant_rows",
]

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """One export table: its name (file, sheet or JSON key) and its columns, in order."""

    name: str
    columns: tuple[str, ...]


#: One row per answer; repeat-group entries give one row per answered sub-item.
ANSWERS = Table(
    "answers",
    (
        "category",
        "participant",
        "participant_name",
        "questionnaire",
        "version",
        "status",
        "item",
        "item_label",
        "path",
        "value",
        "value_label",
        "active",
    ),
)
#: One row per finding of the report (merged findings once), with its reactions.
FINDINGS = Table(
    "findings",
    (
        "category",
        "id",
        "kind",
        "title",
        "text",
        "scope",
        "raised_by",
        "raised_by_names",
        "concerns",
        "answers",
        "merged",
        "questionnaire",
        "source",
        "note",
        "reactions",
        "agree",
        "partly_agree",
        "disagree",
        "no_opinion",
    ),
)
#: One row per participant of the exercise, in ``selfeval.yaml`` order.
PARTICIPANTS = Table(
    "participants",
    (
        "category",
        "code",
        "name",
        "full_name",
        "kind",
        "involvement",
        "submitted",
        "drafts",
        "missing",
    ),
)
#: Every table, in the order they are written.
TABLES = (ANSWERS, FINDINGS, PARTICIPANTS)

_YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


class AnswerRows:
    """Turns responses into rows of :data:`ANSWERS`, in questionnaire order.

    One row per answered item; a repeat group gives a row per answered
    sub-item of each entry, with its path (``bottlenecks[2].title``,
    entries counted from 1 as in finding ids) and its item as a dotted id
    (``bottlenecks.title``). Entry keys (``key``, ``same_as``) are not
    answers and give no row. ``active`` says whether the item is asked under
    its ``when`` (and its section's, and its group's), as the one rule of
    :func:`selfeval.model.answers.inactive_answers` decides it; an inactive
    answer is kept in the file but not counted in the report.

    Args:
        exercise: participants (full names for ``participant_name``, names
            for participant answers) and the incident category.
        lang: the language of item and choice labels (the report language).
    """

    def __init__(self, exercise: Exercise, lang: str) -> None:
        self._lang = lang
        self._full = {p.code: p.full_name_in(lang) for p in exercise.participants}
        self._names = {p.code: p.name for p in exercise.participants}
        self._labels: dict[int, str] = {}
        self._choices: dict[int, dict[Any, str]] = {}

    def rows(
        self,
        response: Response,
        questionnaire: Questionnaire,
        answers: Mapping[str, Any],
        not_counted: Collection[str] = (),
    ) -> Iterator[Row]:
        """The rows of one response.

        Args:
            response: the response (participant, status).
            questionnaire: the version it answers (checked by the caller).
            answers: every answer as stored, counted or not.
            not_counted: where answers do not count (their ``when`` is false),
                as :func:`selfeval.model.answers.inactive_answers` says it
                (``bottlenecks``, ``bottlenecks[0].sources``): those rows, and
                every row inside them, have ``active`` false.
        """
        code = response.participant
        head = (
            response.incident_category,
            code,
            self._full.get(code, ""),
            questionnaire.id,
            questionnaire.version,
            response.status,
        )
        skipped = frozenset(not_counted)
        for item in questionnaire.items():
            value = answers.get(item.id)
            if is_answered(value):
                active = item.id not in skipped
                yield from self._item(head, item, value, item.id, item.id, item.id, active, skipped)

    def _item(
        self,
        head: Row,
        item: Any,
        value: Any,
        item_path: str,
        path: str,
        rule_path: str,
        active: bool,
        skipped: frozenset[str],
    ) -> Iterator[Row]:
        if isinstance(item, RepeatItem) and isinstance(value, list):
            for index, entry in enumerate(value):
                # Shown from 1, as finding ids and fill count entries; the rule counts from 0.
                where = f"{path}[{index + 1}]"
                if not isinstance(entry, dict):
                    # Only an answer that does not count can be malformed (the rest was checked).
                    yield (*head, item_path, self._label(item), where, entry, None, active)
                    continue
                for sub in item.items:
                    sub_value = entry.get(sub.id)
                    if is_answered(sub_value):
                        inner = f"{rule_path}[{index}].{sub.id}"
                        yield from self._item(
                            head,
                            sub,
                            sub_value,
                            f"{item_path}.{sub.id}",
                            f"{where}.{sub.id}",
                            inner,
                            active and inner not in skipped,
                            skipped,
                        )
            return
        if isinstance(item, InfoItem):
            return
        yield (
            *head,
            item_path,
            self._label(item),
            path,
            value,
            self._value_label(item, value),
            active,
        )

    def _label(self, item: Any) -> str:
        key = id(item)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = text_in(item.label, self._lang)
        return label

    def _value_label(self, item: Any, value: Any) -> str | None:
        """What a coded answer says in words: choice labels, participant names, yes/no."""
        if isinstance(item, SingleChoiceItem | MultipleChoiceItem | ScaleItem):
            key = id(item)
            labels = self._choices.get(key)
            if labels is None:
                if isinstance(item, ScaleItem):
                    pairs = {k: text_in(v, self._lang) for k, v in item.labels.items()}
                else:
                    pairs = {c.value: text_in(c.label, self._lang) for c in item.choices}
                labels = self._choices[key] = pairs
            if isinstance(value, list):
                return "; ".join(labels.get(v, str(v)) for v in value)
            return labels.get(value)
        if isinstance(item, ParticipantItem):
            return self._names.get(value) if isinstance(value, str) else None
        if isinstance(item, ParticipantsItem) and isinstance(value, list):
            return "; ".join(self._names.get(v, str(v)) for v in value)
        if isinstance(item, YesNoItem) and isinstance(value, bool):
            yes, no = _YES_NO.get(self._lang, _YES_NO["en"])
            return yes if value else no
        return None


def _reaction(view: Any, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "participant": view.participant,
        "name": names.get(view.participant, view.participant),
        "verdict": view.verdict,
        "comment": view.comment,
        "correction": view.correction,
        "stale": view.reason,
    }


def finding_rows(built: Any, exercise: Exercise, category: str) -> list[Row]:
    """Rows of :data:`FINDINGS` from the report pipeline's result.

    Args:
        built: :class:`selfeval.report.aggregate.Built`: its merged findings
            (report order) and its report, whose ``reactions`` are the
            peer-review reactions routed to each finding (merged ids included)
            and whose ``stale`` ones were given on a finding since changed or
            gone (``docs/findings.md`` §6).
        exercise: participant names.
        category: the incident category ``built`` is the report of (its
            ``category`` column: with several, the same finding id is in
            each category's report).

    Returns:
        One row per finding; an opportunity's ``answers`` are the findings it
        answers, by the ids the report gives them (after
        :func:`selfeval.report.links.link_answers`: checked, merged ids routed
        to the finding that survives; ``reports/draft.yaml`` lists the same).
        A stale reaction is listed with the finding it
        names (its ``stale`` says why) but not counted in its verdict counts,
        which are those of the report's Table 2 (a department that reacted to
        two findings merged since counts once, trial 10); a reaction to a
        finding no longer in the report gets a row of its own with only the
        id, a note and the counts of its reactions.
    """
    report = built.report
    names = {p.code: p.name for p in exercise.participants}
    alias = {m: f.id for f in built.findings for m in f.merged}
    stale: dict[str, list[Any]] = {}
    orphans: dict[str, list[Any]] = {}
    known = {f.id for f in built.findings}
    for view in report.stale:
        target = alias.get(view.finding, view.finding)
        (stale if target in known else orphans).setdefault(target, []).append(view)
    rows: list[Row] = []
    for finding in built.findings:
        current = report.reactions.get(finding.id, [])
        reactions = [_reaction(v, names) for v in (*current, *stale.get(finding.id, []))]
        counts = _counts(current)  # as Table 2: not a reaction given on another text
        rows.append(
            (
                category,
                finding.id,
                finding.kind,
                finding.title,
                finding.text,
                finding.scope,
                list(finding.raised_by),
                [names.get(c, c) for c in finding.raised_by],
                list(finding.concerns),
                list(finding.answers),
                list(finding.merged),
                finding.questionnaire,
                finding.source,
                finding.note,
                reactions,
                *counts,
            )
        )
    for fid, views in orphans.items():
        rows.append(
            (
                category, fid, None, None, None, None, [], [], [], [], [], None, None,
                "no longer in the report; the reactions were given on an earlier draft",
                [_reaction(v, names) for v in views], *_counts(views),
            )
        )  # fmt: skip
    return rows


def _counts(views: Iterable[Any]) -> tuple[int, int, int, int]:
    verdicts = [v.verdict for v in views]
    return (
        verdicts.count("agree"),
        verdicts.count("partly-agree"),
        verdicts.count("disagree"),
        verdicts.count("no-opinion"),
    )


def participant_rows(
    exercise: Exercise,
    responses: Mapping[tuple[str, str], list[tuple[str, str, str, str]]],
    categories: Sequence[str],
) -> list[Row]:
    """Rows of :data:`PARTICIPANTS`: who takes part, how, and what each has handed in.

    Args:
        exercise: the participants, in ``selfeval.yaml`` order.
        responses: (category id, participant code) → ``(questionnaire id,
            version, status, kind)`` of each of its response files read
            (drafts included).
        categories: the incident categories exported, in exercise order.

    Returns:
        One row per category and participant taking part in it
        (:meth:`~selfeval.model.exercise.Exercise.takes_part_in`): forms of
        involvement, the questionnaires submitted and still in draft
        (``id@version``), and the forms of involvement without a submitted
        response (``missing``).
    """
    rows: list[Row] = []
    for category in categories:
        rows += _participant_rows(exercise, responses, category)
    return rows


def _participant_rows(
    exercise: Exercise,
    responses: Mapping[tuple[str, str], list[tuple[str, str, str, str]]],
    category: str,
) -> list[Row]:
    rows: list[Row] = []
    for participant in exercise.participants:
        if not exercise.takes_part_in(participant, category):
            continue
        mine = responses.get((category, participant.code), [])
        submitted = [f"{q}@{v}" for q, v, s, _ in mine if s == "submitted"]
        drafts = [f"{q}@{v}" for q, v, s, _ in mine if s != "submitted"]
        done = {kind for _, _, s, kind in mine if s == "submitted"}
        rows.append(
            (
                category,
                participant.code,
                participant.name,
                participant.full_name_in(exercise.language),
                participant.kind,
                list(participant.involvement),
                submitted,
                drafts,
                [form for form in participant.involvement if form not in done],
            )
        )
    return rows
