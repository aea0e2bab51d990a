"""Repeat groups in a filling session: their menu, their entries, and one answer picked.

:class:`Groups` is the part of a :class:`~selfeval.fill.walker.Walker` that
runs a repeat group's menu (add, done, edit, remove, previous question) and
asks an entry's questions through the walker; it also finds one answer by its
place (:meth:`Groups.ask_at`), so that the review can change a single answer,
also one inside an entry, instead of a whole section (issue 16).

Rules (``docs/fill-reference.md``): the menu keeps one order and starts on its first
entry; a group that needs entries is marked ``*`` with "at least N", and
leaving it short is allowed but said; the group's help is shown above its
menu; a new entry is cancelled by going back from its first question while
nothing in it is answered; editing an entry asks one chosen question, or all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from selfeval.files.store import ResponseStore
from selfeval.fill.prompter import (
    BACK,
    GoBack,
    Notice,
    Option,
    Path_,
    Prompter,
    format_value,
    label_colon,
    label_room,
    offered,
    shorten,
    shorten_apart,
)
from selfeval.i18n import gettext
from selfeval.model.answers import active_answers, active_entry, is_answered, visible
from selfeval.model.links import remove_entry
from selfeval.model.questionnaire import InfoItem, Item, Questionnaire, RepeatItem, text_in

__all__ = ["Asker", "Groups", "last_asked"]


class Asker(Protocol):
    """What :class:`Groups` needs of its walker (:class:`~selfeval.fill.walker.Walker`)."""

    prompter: Prompter
    lang: str
    questionnaire: Questionnaire
    store: ResponseStore
    names: dict[str, str]
    labels: dict[str, str]

    def ask_item(
        self,
        item: Item,
        current: Any,
        *,
        path: Path_,
        scope: Mapping[str, Any] | None = None,
        entry: str | None = None,
        warn_blank: bool = True,
        back: bool = False,
    ) -> Any:
        """Ask one item until the answer fits."""

    def save_answer(self, item: Item | None = None, value: Any = None) -> None:
        """Save now and tell what changed."""

    def finding_labels(self) -> dict[str, str]:
        """Finding id → what the respondent reads for it (never the id)."""

    def left_group(self, path: Path_) -> None:
        """The respondent chose "done" in the repeat group at ``path``."""

    def ask_list(
        self,
        items: Sequence[Item],
        container: dict[str, Any],
        base: Path_,
        outer: Mapping[str, Any],
        *,
        only_unasked: bool,
        resume_in: str | None,
        group: RepeatItem | None = None,
        entry: str | None = None,
        from_end: bool = False,
    ) -> None:
        """Ask ``items`` in order into ``container``."""

    def has_unasked(
        self,
        items: Sequence[Item],
        scope: Mapping[str, Any],
        resume_in: str | None,
        *,
        container: Mapping[str, Any] | None = None,
    ) -> bool:
        """Whether some visible item of ``items`` is still to be asked."""


class Groups:
    """Repeat-group menus and picking one answer, for a walker.

    Args:
        walker: asks and saves (:class:`~selfeval.fill.walker.Walker`).
    """

    def __init__(self, walker: Asker) -> None:
        self.walker = walker
        self.prompter = walker.prompter
        self.lang = walker.lang
        self.questionnaire = walker.questionnaire
        self.store = walker.store
        self._labels = walker.labels

    def repeat(
        self,
        item: RepeatItem,
        container: dict[str, Any],
        path: Path_,
        outer: Mapping[str, Any],
        *,
        resume: bool,
        entry: str | None = None,
    ) -> None:
        """Run the menu of a repeat group (add, done, edit, remove, back) until done.

        The menu always lists its options in one order, starting on the first:
        add (while there is room), done, edit, remove, previous question. The
        group's help is shown above it; a group that needs entries is marked
        ``*`` with "at least N". A new entry can be cancelled by going back
        from its first question (an entry with nothing answered is removed);
        editing an entry asks one chosen question, or all of them.

        Args:
            item: the repeat group.
            container: the answers (or entry) holding the group's list.
            path: the group's place, e.g. ``("bottlenecks",)``.
            outer: the active answers visible to conditions inside the entries.
            resume: first finish the last entry, if it has items not yet asked.
            entry: the repeat entry this group is inside (for its name), if any.

        Raises:
            GoBack: the respondent chose "previous question".
        """
        lang = self.lang
        label = text_in(item.label, lang)
        shown = f"{entry} › {label}" if entry else label
        entry_name = text_in(item.entry_label or item.label, lang)
        entries = container.get(item.id)
        if not isinstance(entries, list):
            entries = []
        container[item.id] = entries
        scope = outer  # the active answers around the entries (active_answers, active_entry)
        helptext = text_in(item.help, lang)
        if helptext:
            self.prompter.show_notice(Notice("info", helptext))
        if resume and entries and isinstance(entries[-1], dict):
            # The last entry is finished first only while a question of it (or of
            # the last entry of a list inside it) was never asked: a list inside it
            # asked last is not reopened for that alone (trial 9: "Klaar met bronnen",
            # Ctrl-C at the bottlenecks' menu, and continue opened "Knelpunt 1 ›
            # Bronnen"). Ctrl-C at that inner list's own menu reads the same in the
            # file, so it resumes at this menu too ("Wijzigen" reaches the list).
            if _unfinished(item, entries[-1], scope):
                with contextlib.suppress(GoBack):
                    self.entry(item, entries, len(entries) - 1, path, scope, only_unasked=True)
        least = max(item.min_items, 0)
        while True:
            count = len(entries)
            options = []
            if item.max_items is None or count < item.max_items:
                options.append(Option("add", gettext(lang, "fill.add", entry=entry_name)))
            options.append(Option("done", gettext(lang, "fill.done", label=label.lower())))
            if count:
                options.append(Option("edit", gettext(lang, "fill.edit", entry=entry_name.lower())))
                options.append(
                    Option("remove", gettext(lang, "fill.remove", entry=entry_name.lower()))
                )
            options.append(Option(BACK, gettext(lang, "fill.back")))
            head = shown + (" *" if least else "")
            if least and count < least:
                head += " " + gettext(lang, "fill.at_least", count=least)
            message = gettext(lang, "fill.entries", label=head, count=count)
            choice = self.prompter.choose(message, options, default=options[0].value)
            if choice == BACK:
                raise GoBack
            if choice == "done":
                if count < least:
                    self.prompter.show_notice(
                        Notice("warning", gettext(lang, "fill.too_few", count=least, label=label))
                    )
                self.walker.save_answer()
                self.walker.left_group(path)
                return
            if choice == "add":
                entries.append({})
                self.walker.save_answer()
                self.prompter.show_notice(
                    Notice(
                        "info", gettext(lang, "fill.new_entry", entry=f"{entry_name} {count + 1}")
                    )
                )
                try:
                    self.entry(item, entries, count, path, scope, only_unasked=False)
                except GoBack:
                    if not any(is_answered(v) for v in entries[count].values()):
                        self._remove(item, entries, count, path)
                        self.prompter.show_notice(
                            Notice(
                                "info",
                                gettext(lang, "fill.cancelled", entry=f"{entry_name} {count + 1}"),
                            )
                        )
                continue
            index = self._pick_entry(item, entries)
            if index is None:
                continue
            if choice == "edit":
                with contextlib.suppress(GoBack):
                    self._edit_entry(item, entries, index, path, scope)
            elif self.prompter.confirm(
                gettext(lang, "fill.confirm_remove", entry=self._entry_title(item, entries, index)),
                default=False,
            ):
                self._remove(item, entries, index, path)

    def _remove(self, item: RepeatItem, entries: list[Any], index: int, path: Path_) -> None:
        """Remove an entry and save; the links to it and after it follow, and are told.

        An entry of a group of findings is removed by
        :func:`selfeval.model.links.remove_entry`: an opportunity that named
        an entry that moved names it by its new id, and a link to the removed
        entry is taken out, which the respondent is told ("Kans 1 verwees
        naar Behoefte 1 (…); die verwijzing is weggehaald.").
        """
        answers = self.store.answers
        if path != (item.id,) or answers.get(item.id) is not entries:
            del entries[index]  # inside an entry: no finding of its own
            self.walker.save_answer()
            return
        name = self._entry_name(item, index)
        title = self._entry_title(item, entries, index, first=True)
        removed = f"{name} ({title[len(name) + 2 :]})" if title != name else name
        dropped = remove_entry(self.questionnaire, self.store.participant, answers, item.id, index)
        self.walker.save_answer()
        for link in dropped:
            group = next(i for i in self.questionnaire.items() if i.id == link.item)
            assert isinstance(group, RepeatItem)
            self.prompter.show_notice(
                Notice(
                    "warning",
                    gettext(
                        self.lang,
                        "fill.link_removed",
                        opportunity=self._entry_name(group, link.index),
                        entry=removed,
                    ),
                )
            )

    def _edit_entry(
        self,
        item: RepeatItem,
        entries: list[Any],
        index: int,
        path: Path_,
        scope: Mapping[str, Any],
    ) -> None:
        """Ask one chosen question of an entry, or all of them."""
        entry = entries[index]
        inner = {**scope, **active_entry(item, entry, scope)}
        fields = [
            sub for sub in item.items if not isinstance(sub, InfoItem) and visible(sub, inner)
        ]
        options = [Option("*", gettext(self.lang, "fill.all_questions"))]
        for sub in fields:
            options.append(Option(sub.id, self._summary(sub, entry.get(sub.id))))
        options.append(Option(BACK, gettext(self.lang, "fill.back")))
        title = self._entry_title(item, entries, index, first=True)  # the rest is listed under it
        choice = self.prompter.choose(
            gettext(self.lang, "fill.which_question", entry=title), options
        )
        if choice == BACK:
            return
        if choice == "*":
            self.entry(item, entries, index, path, scope, only_unasked=False)
            return
        self.ask_at((*path, index, choice), container=entry, outer=scope, group=item)

    def ask_at(
        self,
        path: Path_,
        *,
        container: dict[str, Any] | None = None,
        outer: Mapping[str, Any] | None = None,
        group: RepeatItem | None = None,
    ) -> None:
        """Ask the one item at ``path`` (a question, or a repeat group's menu) and save it.

        Args:
            path: e.g. ``("role",)`` or ``("bottlenecks", 0, "concerned")``.
            container: the mapping holding the item (found from ``path`` when None).
            outer: the active answers around it (for entries).
            group: the repeat group ``container`` is an entry of.

        Raises:
            GoBack: the respondent went back instead of answering.
        """
        if container is None:
            found = self._locate(path)
            if found is None:
                return
            container, outer, group = found
        outer = outer or {}
        item_id = path[-1]
        items = group.items if group else list(self.questionnaire.items())
        item = next((i for i in items if i.id == item_id), None)
        if item is None or isinstance(item, InfoItem):
            return
        entry = None
        if group is not None and isinstance(path[-2], int):
            entry = f"{text_in(group.entry_label or group.label, self.lang)} {path[-2] + 1}"
        if isinstance(item, RepeatItem):
            scope = (
                {**outer, **active_answers(self.questionnaire, container)}
                if group is None
                else {**outer, **active_entry(group, container, outer)}
            )
            self.repeat(item, container, path, scope, resume=False, entry=entry)
            return
        value = self.walker.ask_item(
            item, offered(item, container), path=path, scope=outer, entry=entry, back=True
        )
        container[item.id] = value
        self.walker.save_answer(item, value)

    def _locate(
        self, path: Path_
    ) -> tuple[dict[str, Any], Mapping[str, Any], RepeatItem | None] | None:
        """The container, outer scope and repeat group of the item at ``path``, if it exists."""
        container: dict[str, Any] = self.store.answers
        outer: Mapping[str, Any] = {}
        group: RepeatItem | None = None
        items: Sequence[Item] = list(self.questionnaire.items())
        rest = list(path[:-1])
        while rest:
            item_id, index = rest[0], rest[1] if len(rest) > 1 else None
            found = next((i for i in items if i.id == item_id), None)
            entries = container.get(str(item_id))
            if (
                not isinstance(found, RepeatItem)
                or not isinstance(index, int)
                or not isinstance(entries, list)
                or not 0 <= index < len(entries)
                or not isinstance(entries[index], dict)
            ):
                return None
            scope = (
                {**outer, **active_answers(self.questionnaire, container)}
                if group is None
                else {**outer, **active_entry(group, container, outer)}
            )
            outer, group, container = scope, found, entries[index]
            items = found.items
            rest = rest[2:]
        return container, outer, group

    def questions_of(self, section: int) -> list[tuple[Path_, str]]:
        """The questions of a section to pick one from: ``(path, "Label: answer")``.

        Visible questions in order; a repeat group is listed itself (its menu)
        and then each visible question of each entry, as ``Entry 1 › Label: answer``.
        """
        answers = self.store.answers
        active = active_answers(self.questionnaire, answers)
        out: list[tuple[Path_, str]] = []
        for item in self.questionnaire.sections[section].items:
            if isinstance(item, InfoItem) or not visible(item, active):
                continue
            value = answers.get(item.id)
            out.append(((item.id,), self._summary(item, value)))
            if not isinstance(item, RepeatItem) or not isinstance(value, list):
                continue
            name = text_in(item.entry_label or item.label, self.lang)
            for index, entry in enumerate(value):
                if not isinstance(entry, dict):
                    continue
                inner = {**active, **active_entry(item, entry, active)}
                for sub in item.items:
                    if isinstance(sub, InfoItem) or not visible(sub, inner):
                        continue
                    prefix = f"{name} {index + 1} › "
                    summary = self._summary(sub, entry.get(sub.id), before=len(prefix))
                    out.append(((item.id, index, sub.id), prefix + summary))
        return out

    def _summary(self, item: Item, value: Any, *, before: int = 0) -> str:
        """``Label: answer`` shortened to one line, for menus that pick a question.

        ``before``: characters the menu shows before it (``Punt 1 › ``); the
        answer is cut only where the line of the terminal ends (:func:`label_room`).
        """
        label = text_in(item.label, self.lang)
        if isinstance(item, RepeatItem):
            count = len(value) if isinstance(value, list) else 0
            return f"{label} ({count})"
        shown = format_value(
            item, value, self.lang, labels=self._labels, findings=self.walker.finding_labels()
        )
        colon = label_colon(label)
        if not shown:
            return f"{label}{colon}—"
        return f"{label}{colon}{shorten(shown, label_room(before + len(label) + len(colon)))}"

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

        Raises:
            GoBack: the respondent went back from the entry's first question.
        """
        entry = entries[index]
        name = f"{text_in(item.entry_label or item.label, self.lang)} {index + 1}"
        resume_in = last_asked(item.items, entry) if only_unasked else None
        self.walker.ask_list(
            item.items, entry, (*path, index), scope, only_unasked=only_unasked,
            resume_in=resume_in, group=item, entry=name,
        )  # fmt: skip

    def _pick_entry(self, item: RepeatItem, entries: list[Any]) -> int | None:
        if len(entries) == 1:
            return 0
        titles = [self._entry_title(item, entries, i, cut=False) for i in range(len(entries))]
        names = [self._entry_name(item, i) for i in range(len(entries))]
        # Cut at the line's end, but never so that two entries look alike.
        shown = shorten_apart(titles, label_room())
        options = [Option(str(i), shown[i] or names[i]) for i in range(len(entries))]
        options.append(Option(BACK, gettext(self.lang, "fill.back")))
        choice = self.prompter.choose(gettext(self.lang, "fill.which_entry"), options)
        return None if choice == BACK else int(choice)

    def _entry_name(self, item: RepeatItem, index: int) -> str:
        return f"{text_in(item.entry_label or item.label, self.lang)} {index + 1}"

    def _entry_title(
        self,
        item: RepeatItem,
        entries: list[Any],
        index: int,
        *,
        cut: bool = True,
        first: bool = False,
    ) -> str:
        """An entry as a menu names it: its name and its answers so far, one line.

        ``Activiteit 1: Onderzoek en risicoanalyses · Inventarisatie van…``:
        the answers of its questions in order (a list of entries inside it
        left out), joined by " · " and cut at the end of the terminal's line
        (with ``cut``), so that two entries that share their first answer can
        be told apart (issue 16, trial 5: two activities of one phase read
        alike in "Welke?"). ``first``: its first answer only.
        """
        name = self._entry_name(item, index)
        entry = entries[index] if isinstance(entries[index], dict) else {}
        parts = []
        for sub in item.items:
            value = entry.get(sub.id)
            if isinstance(sub, RepeatItem | InfoItem) or not is_answered(value):
                continue
            shown = " ".join(format_value(sub, value, self.lang, labels=self._labels).split())
            if shown:
                parts.append(shown)
            if parts and first:
                break
        if not parts:
            return name
        title = f"{name}: {' · '.join(parts)}"
        return shorten(title, label_room()) if cut else title


def _unfinished(item: RepeatItem, entry: Mapping[str, Any], outer: Mapping[str, Any]) -> bool:
    """Whether ``entry`` has a visible question never asked ("continue" then goes back in).

    A list inside the entry asked last counts only by its own last entry, the
    same way (trial 9): not as unfinished for being the last thing asked.
    """
    scope = {**outer, **active_entry(item, entry, outer)}
    last: Item | None = None
    for sub in item.items:
        if isinstance(sub, InfoItem) or not visible(sub, scope):
            continue
        if sub.id not in entry:
            return True
        last = sub
    inner = entry.get(last.id) if isinstance(last, RepeatItem) else None
    if isinstance(last, RepeatItem) and isinstance(inner, list) and inner:
        return isinstance(inner[-1], dict) and _unfinished(last, inner[-1], scope)
    return False


def last_asked(items: Sequence[Item], container: Mapping[str, Any]) -> str | None:
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
