"""The review of a response: every answer as the respondent reads it, and section summaries.

Used by the filling engine (:class:`~selfeval.fill.session.FillSession`) before
submitting and when a draft is resumed; peer review can show the same rows.
Only data is built here; a :class:`~selfeval.fill.prompter.Prompter` shows it.
:func:`label_path` and :func:`problem_lines` name answers by their labels (not
internal ids) for the messages that list what stops a submission.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from selfeval.fill.prompter import ReviewRow, format_value, label_colon
from selfeval.i18n import gettext
from selfeval.model.answers import (
    Problem,
    active_answers,
    active_entry,
    inactive_answers,
    is_answered,
    item_answered,
    progress,
    visible,
)
from selfeval.model.questionnaire import InfoItem, Item, Questionnaire, RepeatItem, text_in

__all__ = ["label_path", "problem_lines", "review_rows", "section_summary"]


def review_rows(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    lang: str,
    *,
    labels: Mapping[str, str] | None = None,
    findings: Mapping[str, str] | None = None,
) -> list[ReviewRow]:
    """Every shown section and item with its answer and state.

    Args:
        questionnaire: the version answered.
        answers: item id → answer.
        lang: ``nl`` or ``en``.
        labels: participant code → label (:func:`~selfeval.fill.prompter.participant_label`),
            for participant answers.
        findings: finding id → what the respondent reads for it, for the
            answers of a ``findings`` item (titles, not ids).

    Returns:
        Rows in questionnaire order: section headings (depth 0), items
        (depth 1), repeat entries and their items (depth 2 and deeper).
        Items hidden by ``when`` are left out, unless they hold an answer
        that now does not count (state ``inactive``).
    """
    missing = set(progress(questionnaire, answers).missing)
    inactive = set(inactive_answers(questionnaire, answers))
    active = active_answers(questionnaire, answers)
    rows: list[ReviewRow] = []
    for section in questionnaire.sections:
        shown = visible(section, active)
        if not shown and not any(i.id in inactive for i in section.items):
            continue
        rows.append(ReviewRow(0, text_in(section.title, lang), "", "heading"))
        for item in section.items:
            if isinstance(item, InfoItem):
                continue
            value = answers.get(item.id)
            if item.id in inactive:
                state: Any = "inactive"
            elif not (shown and visible(item, active)):
                continue
            elif item.id in missing and not _entries_enough(item, value):
                state = "missing"
            else:
                state = "answered" if item_answered(item, value) else "blank"
            _item_rows(rows, item, value, 1, state, active, lang, labels, findings)
    return rows


def _entries_enough(item: Item, value: Any) -> bool:
    """A repeat group with enough entries: what is missing is marked inside its entries."""
    return (
        isinstance(item, RepeatItem)
        and isinstance(value, list)
        and (len(value) >= max(item.min_items, 1))
    )


def _item_rows(
    rows: list[ReviewRow],
    item: Item,
    value: Any,
    depth: int,
    state: Any,
    scope: Mapping[str, Any],
    lang: str,
    labels: Mapping[str, str] | None,
    findings: Mapping[str, str] | None,
) -> None:
    label = text_in(item.label, lang)
    if not isinstance(item, RepeatItem):
        shown = format_value(item, value, lang, labels=labels, findings=findings)
        rows.append(ReviewRow(depth, label, shown, state))
        return
    entries = value if isinstance(value, list) else []
    rows.append(ReviewRow(depth, label, str(len(entries)), state))
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        name = f"{text_in(item.entry_label or item.label, lang)} {index + 1}"
        rows.append(ReviewRow(depth + 1, name, "", "heading"))
        inner = {**scope, **active_entry(item, entry, scope)}
        for sub in item.items:
            if isinstance(sub, InfoItem):
                continue
            sub_value = entry.get(sub.id)
            if not visible(sub, inner):
                if is_answered(sub_value):  # kept but not counted, as at the top level
                    _item_rows(
                        rows, sub, sub_value, depth + 2, "inactive", inner, lang, labels, findings
                    )
                continue
            if item_answered(sub, sub_value):
                sub_state = "answered"
            else:
                sub_state = "missing" if sub.required else "blank"
            _item_rows(rows, sub, sub_value, depth + 2, sub_state, inner, lang, labels, findings)


def section_summary(
    questionnaire: Questionnaire, answers: Mapping[str, Any], lang: str
) -> tuple[str, ...]:
    """One line per shown section, e.g. ``"2. Rol en verantwoordelijkheden: 3/6"``.

    Returns:
        For each section whose ``when`` holds: its number, title, and how many
        of its shown questions have an answer.
    """
    lines = []
    active = active_answers(questionnaire, answers)
    for index, section in enumerate(questionnaire.sections):
        if not visible(section, active):
            continue
        shown = [
            item
            for item in section.items
            if not isinstance(item, InfoItem) and visible(item, active)
        ]
        done = sum(1 for item in shown if item_answered(item, answers.get(item.id)))
        lines.append(f"{index + 1}. {text_in(section.title, lang)}: {done}/{len(shown)}")
    return tuple(lines)


def label_path(questionnaire: Questionnaire, path: Sequence[str | int], lang: str) -> str:
    """An answer's place by its labels, e.g. ``"Beleidsdocumenten › Document 1 › Titel"``.

    Args:
        questionnaire: the version answered.
        path: item ids and 0-based entry indexes, as in :class:`~selfeval.model.answers.Problem`.
        lang: ``nl`` or ``en``.

    Returns:
        The labels joined by `` › ``; an entry is its entry label and number;
        an id not in the questionnaire is shown as it is.
    """
    parts: list[str] = []
    items: Sequence[Item] = list(questionnaire.items())
    repeat: RepeatItem | None = None
    for part in path:
        if isinstance(part, int):
            name = text_in(repeat.entry_label or repeat.label, lang) if repeat else ""
            parts.append(f"{name} {part + 1}".strip())
            continue
        found = next((i for i in items if i.id == part), None)
        if found is None:
            parts.append(str(part))
            continue
        parts.append(text_in(found.label, lang))
        if isinstance(found, RepeatItem):
            repeat, items = found, found.items
    return " › ".join(parts)


def _problem_text(problem: Problem, lang: str) -> str:
    """What is wrong, in ``lang``: a missing answer is just "ontbreekt" beside its label."""
    return gettext(lang, "fill.problem_missing") if problem.missing else problem.said.text(lang)


def problem_lines(
    questionnaire: Questionnaire, problems: Sequence[Problem], lang: str
) -> tuple[str, ...]:
    """One line per problem: the answer by its labels, then what is wrong.

    Returns:
        e.g. ``"Belangrijkste beleidsdocumenten › Document 1 › Titel: ontbreekt"``;
        each problem in ``lang`` (the catalogue's ``answer.*`` messages).
    """
    lines = []
    for problem in problems:
        label = label_path(questionnaire, problem.path, lang)
        lines.append(f"{label}{label_colon(label)}{_problem_text(problem, lang)}")
    return tuple(lines)
