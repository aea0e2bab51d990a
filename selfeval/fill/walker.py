"""Walking a questionnaire: ask each visible item through a prompter, save every answer.

:class:`Walker` is the part of a filling session that asks: it walks sections
and items in order, honours ``when`` conditions (a hidden item is not asked;
an answer whose condition turned false is kept in the file but not counted,
and the respondent is told), lets the respondent add, edit and remove
repeat-group entries, and saves through a
:class:`~selfeval.files.store.ResponseStore` after **every** answer
(``DESIGN.md`` §6: Ctrl-C never loses an answer already given).

It knows nothing of terminals: all asking and showing goes through an injected
:class:`~selfeval.fill.prompter.Prompter`. What comes next (resume, review,
submit) is decided by :class:`~selfeval.fill.menus.Menus`, which drives a
walker; :class:`~selfeval.fill.session.FillSession` puts the two together.

Resuming: an item that was asked is recorded in the answers even when left
blank (as ``null``), so "continue" resumes at the first item not yet asked,
re-entering the repeat group the respondent was last in.

Peer review asks with the same walker: :meth:`Walker.ask_item` asks and
checks any :data:`~selfeval.model.questionnaire.Item`, also one built in code
that is not in the questionnaire file (a reaction to a finding, say).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from selfeval.errors import InputError
from selfeval.files.store import ResponseStore
from selfeval.fill.prompter import (
    AskContext,
    Notice,
    Option,
    Path_,
    Prompter,
    ReviewRow,
    SectionInfo,
    format_value,
    offered,
)
from selfeval.fill.prompter import message as _t
from selfeval.fill.review import review_rows
from selfeval.model.answers import (
    AnswerError,
    active_answers,
    active_entry,
    check_answer,
    inactive_answers,
    is_answered,
    progress,
    visible,
)
from selfeval.model.questionnaire import (
    InfoItem,
    Item,
    MultipleChoiceItem,
    ParticipantItem,
    ParticipantsItem,
    RepeatItem,
    Section,
    text_in,
)

__all__ = ["Walker"]


class Walker:
    """Asks one respondent's items through a prompter and saves each answer.

    Args:
        store: the opened (locked) response store.
        prompter: asks and shows (see :class:`~selfeval.fill.prompter.Prompter`).
        lang: ``nl`` or ``en``; labels fall back to the other language.
    """

    def __init__(self, store: ResponseStore, prompter: Prompter, *, lang: str = "nl") -> None:
        self.store = store
        self.prompter = prompter
        self.lang = lang
        self.questionnaire = store.loaded.questionnaire
        exercise = store.workspace.exercise
        self._exercise = exercise
        self._names = {p.code: p.name for p in exercise.participants}
        self._inactive: set[str] = set(inactive_answers(self.questionnaire, store.answers))
        self._told_reopened = store.reopened is not None

    # -- public ------------------------------------------------------------------

    def walk(self, *, sections: Sequence[int] | None = None, only_unasked: bool = False) -> None:
        """Ask the visible items of the given sections (all by default), saving each.

        Args:
            sections: 0-based section indexes, or None for all.
            only_unasked: ask only items not asked before (resume), re-entering
                the repeat group last worked in.
        """
        answers = self.store.answers
        resume_in = _last_asked(list(self.questionnaire.items()), answers) if only_unasked else None
        for index, section in enumerate(self.questionnaire.sections):
            if sections is not None and index not in sections:
                continue
            active = active_answers(self.questionnaire, answers)
            if not visible(section, active):
                continue
            if only_unasked and not self._has_unasked(
                section.items, active, resume_in, container=answers
            ):
                continue
            self._show_section(index, section)
            self._ask_items(section.items, answers, (), {}, only_unasked, resume_in)

    def ask_item(
        self,
        item: Item,
        current: Any,
        *,
        path: Path_,
        scope: Mapping[str, Any] | None = None,
        entry: str | None = None,
        warn_blank: bool = True,
    ) -> Any:
        """Ask one item until the answer fits, and return it in stored form.

        Nothing is saved here; callers store the value and call
        ``store.save()``. Works for items built in code (peer-review reactions).

        A checklist (multiple choice, participants) left empty is an answer
        (``[]``) when the item is optional; a required one is asked again
        until something is ticked (``docs/fill.md``).

        Args:
            item: any item except info and repeat.
            current: what the prompt offers pre-filled: the current answer, or
                the item's ``default:`` when it was never asked (see
                :func:`offered`), or None.
            path: where the answer goes, for messages.
            scope: answers visible to conditions inside repeat entries.
            entry: the repeat entry's display name, if any.
            warn_blank: warn when a required item is left blank (callers that
                handle a blank answer themselves pass False).

        Returns:
            The checked answer, ``[]`` for an optional checklist left empty,
            or None when left blank.
        """
        context = self._context(item, path, scope or {}, entry)
        while True:
            value = self.prompter.ask(item, current, context)
            if value == [] and _is_checklist(item):
                if not item.required:
                    return []  # "none of these" is an answer to an optional checklist
                context = replace(context, error=_t("choose_one", self.lang))
                current = None
                continue
            if not is_answered(value):
                if item.required and warn_blank:
                    self.prompter.show_notice(Notice("warning", _t("blank_required", self.lang)))
                return None
            try:
                return self._check(item, value, scope or {})
            except AnswerError as exc:
                context = replace(context, error=str(exc))
                current = value

    def review_rows(self) -> list[ReviewRow]:
        """Every section and item with its answer and state (see :func:`review_rows`)."""
        return review_rows(self.questionnaire, self.store.answers, self.lang, names=self._names)

    # -- the walk ----------------------------------------------------------------

    def _ask_items(
        self,
        items: Sequence[Item],
        container: dict[str, Any],
        base: Path_,
        outer: Mapping[str, Any],
        only_unasked: bool,
        resume_in: str | None,
    ) -> None:
        for item in items:
            # Recomputed per item: an answer just given can switch a later item on or off.
            scope = {**outer, **active_answers(self.questionnaire, container)}
            if not visible(item, scope):
                continue
            if isinstance(item, InfoItem):
                if not only_unasked:
                    self.prompter.show_notice(Notice("info", text_in(item.label, self.lang)))
                continue
            asked = item.id in container
            if only_unasked and asked and item.id != resume_in:
                continue
            if isinstance(item, RepeatItem):
                self.repeat(item, container, (*base, item.id), scope, resume=only_unasked)
                continue
            value = self.ask_item(
                item, offered(item, container), path=(*base, item.id), scope=outer,
                entry=None,
            )  # fmt: skip
            container[item.id] = value
            self.save_answer(item, value)

    def repeat(
        self,
        item: RepeatItem,
        container: dict[str, Any],
        path: Path_,
        outer: Mapping[str, Any],
        *,
        resume: bool,
    ) -> None:
        """Run the menu of a repeat group (add, edit, remove, done) until done.

        Args:
            item: the repeat group.
            container: the answers (or entry) holding the group's list.
            path: the group's place, e.g. ``("bottlenecks",)``.
            outer: the active answers visible to conditions inside the entries.
            resume: first finish the last entry, if it has items not yet asked.
        """
        lang = self.lang
        label = text_in(item.label, lang)
        entry_name = text_in(item.entry_label or item.label, lang)
        entries = container.get(item.id)
        if not isinstance(entries, list):
            entries = []
        container[item.id] = entries
        scope = outer  # the active answers around the entries (active_answers, active_entry)
        if resume and entries and isinstance(entries[-1], dict):
            last = entries[-1]
            inner_resume = _last_asked(item.items, last)
            inner = {**scope, **active_entry(item, last, scope)}
            if self._has_unasked(item.items, inner, inner_resume, container=last):
                self.entry(item, entries, len(entries) - 1, path, scope, only_unasked=True)
        while True:
            count = len(entries)
            options = [Option("add", _t("add", lang, entry=entry_name))]
            if count:
                options.append(Option("edit", _t("edit", lang, entry=entry_name.lower())))
                options.append(Option("remove", _t("remove", lang, entry=entry_name.lower())))
            options.append(Option("done", _t("done", lang, label=label.lower())))
            short = item.max_items is not None and count >= item.max_items
            if short:
                options = options[1:]
            default = "add" if count < max(item.min_items, 1) and not short else "done"
            message = _t("entries", lang, label=label, count=count)
            choice = self.prompter.choose(message, options, default=default)
            if choice == "done":
                self.save_answer()
                return
            if choice == "add":
                entries.append({})
                self.save_answer()
                self.entry(item, entries, count, path, scope, only_unasked=False)
                continue
            index = self._pick_entry(item, entries, entry_name)
            if choice == "edit":
                self.entry(item, entries, index, path, scope, only_unasked=False)
            elif self.prompter.confirm(
                _t("confirm_remove", lang, entry=self._entry_title(item, entries, index)),
                default=False,
            ):
                del entries[index]
                self.save_answer()

    def entry(
        self,
        item: RepeatItem,
        entries: list[Any],
        index: int,
        path: Path_,
        scope: Mapping[str, Any],
        *,
        only_unasked: bool,
    ) -> None:
        """Ask the fields of entry ``index`` of a repeat group, saving each.

        Args:
            item: the repeat group.
            entries: its list of entries.
            index: which entry (0-based).
            path: the group's place.
            scope: the active answers visible to conditions inside the entry.
            only_unasked: ask only fields not asked before (resume).
        """
        entry = entries[index]
        name = f"{text_in(item.entry_label or item.label, self.lang)} {index + 1}"
        resume_in = _last_asked(item.items, entry) if only_unasked else None
        for sub in item.items:
            inner = {**scope, **active_entry(item, entry, scope)}
            if not visible(sub, inner):
                continue
            if isinstance(sub, InfoItem):
                self.prompter.show_notice(Notice("info", text_in(sub.label, self.lang)))
                continue
            if only_unasked and sub.id in entry and sub.id != resume_in:
                continue
            sub_path = (*path, index, sub.id)
            if isinstance(sub, RepeatItem):
                self.repeat(sub, entry, sub_path, inner, resume=only_unasked)
                continue
            entry[sub.id] = self.ask_item(
                sub, offered(sub, entry), path=sub_path, scope=scope, entry=name
            )
            self.save_answer(sub, entry[sub.id])

    def _pick_entry(self, item: RepeatItem, entries: list[Any], name: str) -> int:
        if len(entries) == 1:
            return 0
        options = [Option(str(i), self._entry_title(item, entries, i)) for i in range(len(entries))]
        return int(self.prompter.choose(_t("which_entry", self.lang), options))

    def _entry_title(self, item: RepeatItem, entries: list[Any], index: int) -> str:
        name = f"{text_in(item.entry_label or item.label, self.lang)} {index + 1}"
        entry = entries[index] if isinstance(entries[index], dict) else {}
        for sub in item.items:
            value = entry.get(sub.id)
            if isinstance(value, str) and value.strip():
                first = value.strip().splitlines()[0]
                return f"{name}: {first[:60]}"
        return name

    # -- helpers -----------------------------------------------------------------

    def _show_section(self, index: int, section: Section) -> None:
        self.prompter.show_section(
            SectionInfo(
                index=index + 1,
                count=len(self.questionnaire.sections),
                title=text_in(section.title, self.lang),
                intro=text_in(section.intro, self.lang) or None,
                progress=progress(self.questionnaire, self.store.answers),
            )
        )

    def _has_unasked(
        self,
        items: Sequence[Item],
        scope: Mapping[str, Any],
        resume_in: str | None,
        *,
        container: Mapping[str, Any] | None = None,
    ) -> bool:
        container = scope if container is None else container
        for item in items:
            if isinstance(item, InfoItem) or not visible(item, scope):
                continue
            if item.id not in container or item.id == resume_in:
                return True
        return False

    def has_unasked_anywhere(self) -> bool:
        """Whether some visible item was never asked (so "continue" has somewhere to go)."""
        answers = self.store.answers
        resume_in = _last_asked(list(self.questionnaire.items()), answers)
        active = active_answers(self.questionnaire, answers)
        for section in self.questionnaire.sections:
            if visible(section, active) and self._has_unasked(
                section.items, active, resume_in, container=answers
            ):
                return True
        return False

    def _context(
        self, item: Item, path: Path_, scope: Mapping[str, Any], entry: str | None
    ) -> AskContext:
        participants: tuple[tuple[str, str], ...] = ()
        if isinstance(item, ParticipantItem | ParticipantsItem):
            participants = tuple(
                (p.code, p.name)
                for p in self._exercise.participants
                if not (item.exclude_self and p.code == self.store.participant)
            )

        def validate(value: Any) -> str | None:
            if value == [] and _is_checklist(item):
                return _t("choose_one", self.lang) if item.required else None
            try:
                self._check(item, value, scope)
            except AnswerError as exc:
                return str(exc)
            return None

        return AskContext(
            path=path,
            lang=self.lang,
            label=text_in(item.label, self.lang),
            help=text_in(item.help, self.lang) or None,
            required=item.required,
            entry=entry,
            participants=participants,
            validate=validate,
        )

    def _check(self, item: Item, value: Any, scope: Mapping[str, Any]) -> Any:
        return check_answer(
            item, value, exercise=self._exercise, participant=self.store.participant,
            context=scope,
        )  # fmt: skip

    def save_answer(self, item: Item | None = None, value: Any = None) -> None:
        """Save now and tell what changed; on failure the error carries the unsaved answer.

        After the save the respondent is told, once, that a submitted response
        was reopened, and about each answer that has just stopped counting
        (its condition turned false).

        Raises:
            InputError: the file cannot be written; with ``item`` and an
                answered ``value``, the message shows that answer.

        The prompt line with the answer scrolls away under the error message,
        so a respondent on a full disk would otherwise lose what they typed.
        """
        try:
            self.store.save()
        except InputError as exc:
            if item is None or not is_answered(value):
                raise
            shown = format_value(item, value, self.lang, names=self._names)
            raise InputError(
                f"{exc.message}; your answer to {text_in(item.label, self.lang)!r} was not "
                f"saved, here it is:\n{shown}",
                location=exc.location,
                hint=f"{exc.hint or 'fix the cause'}; then run fill again (every earlier "
                f"answer is saved) and give this answer again",
            ) from None
        self._tell_reopened()
        now = set(inactive_answers(self.questionnaire, self.store.answers))
        for item_id in sorted(now - self._inactive):
            self.prompter.show_notice(
                Notice("warning", _t("inactive", self.lang, label=self._label_of(item_id)))
            )
        self._inactive = now

    def save(self) -> None:
        """Save the response now (reactions, say), telling the respondent if that reopened it.

        Raises:
            InputError: the file cannot be written.
        """
        self.store.save()
        self._tell_reopened()

    def _tell_reopened(self) -> None:
        kept = self.store.reopened
        if kept is None or self._told_reopened:
            return
        self._told_reopened = True
        self.prompter.show_notice(
            Notice(
                "warning",
                _t("reopened", self.lang, participant=self.store.participant, file=kept.name),
            )
        )

    def _label_of(self, item_id: str) -> str:
        try:
            return text_in(self.questionnaire.item(item_id).label, self.lang)
        except KeyError:
            return item_id


def _is_checklist(item: Item) -> bool:
    """Whether ``item`` is answered with a list ticked from a checklist."""
    return isinstance(item, MultipleChoiceItem | ParticipantsItem)


def _last_asked(items: Sequence[Item], container: Mapping[str, Any]) -> str | None:
    """The id of the last repeat group asked, if it is the last item asked at all.

    That is where the respondent was when the session stopped, so resuming
    re-enters that group (to finish its entry or add another).
    """
    last: Item | None = None
    for item in items:
        if item.id in container and not isinstance(item, InfoItem):
            last = item
    if isinstance(last, RepeatItem):
        return last.id
    return None
