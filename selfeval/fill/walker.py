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
re-entering the repeat group the respondent was last in when the response was
opened (:attr:`Walker.stopped_in`), until they leave it with "done". A question
typed in but not confirmed (Ctrl-C) counts as asked for this: one typed after
the group means the group was left.

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
from selfeval.fill.groups import Groups, last_asked
from selfeval.fill.local import date_hint, parse_answer
from selfeval.fill.prompter import (
    AskContext,
    GoBack,
    Notice,
    Path_,
    Prompter,
    ReviewRow,
    SectionInfo,
    TypedEOF,
    TypedInterrupt,
    format_value,
    offered,
    participant_label,
)
from selfeval.fill.review import review_rows
from selfeval.i18n import N_, Message, gettext
from selfeval.model.answers import (
    ANSWERABLE,
    AnswerError,
    active_answers,
    active_entry,
    check_answer,
    entry_findings,
    excludes_respondent,
    inactive_answers,
    is_answered,
    progress,
    visible,
)
from selfeval.model.questionnaire import (
    DateItem,
    FindingsItem,
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

#: A finding's kind as the respondent reads it (the peer review's card names it so too).
_KIND_NAMES = {
    "bottleneck": N_("peer_review.kind_bottleneck"),
    "blind-spot": N_("peer_review.kind_blind_spot"),
    "need": N_("peer_review.kind_need"),
}


class Walker:
    """Asks one respondent's items through a prompter and saves each answer.

    Args:
        store: the opened (locked) response store.
        prompter: asks and shows (see :class:`~selfeval.fill.prompter.Prompter`).
        lang: ``nl`` or ``en``; labels fall back to the other language.
        findings: (id, what it says) of findings a ``findings`` item may name
            besides the respondent's own (a peer review: the draft's).
    """

    def __init__(
        self,
        store: ResponseStore,
        prompter: Prompter,
        *,
        lang: str = "nl",
        findings: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.store = store
        self._findings = tuple(findings)
        self.prompter = prompter
        self.lang = lang
        self.questionnaire = store.loaded.questionnaire
        exercise = store.workspace.exercise
        self._exercise = exercise
        self.names = {p.code: p.name for p in exercise.participants}
        #: How each participant is offered and shown (:func:`participant_label`).
        self.labels = {
            p.code: participant_label(p.code, p.name, p.full_name_in(lang))
            for p in exercise.participants
        }
        self._inactive: set[str] = set(inactive_answers(self.questionnaire, store.answers))
        self._told_reopened = store.reopened is not None
        #: The label of the item whose typed text was kept as unconfirmed at Ctrl-C (or Ctrl-D).
        self.kept_typed: str | None = None
        #: Where "continue" re-enters: the top-level repeat group last asked in the
        #: response as it was opened (:func:`last_asked`), until the respondent leaves
        #: it with "done" (:meth:`left_group`). Read once: a group answered in this
        #: session is not where the respondent was stopped (issue 16, trial 5: after
        #: resuming at an unconfirmed text, "Klaar" with the group that follows it
        #: brought the same group back).
        #: A question typed in but not confirmed (Ctrl-C) counts as asked here: typing
        #: one after the group means the group was left (trial 8: resuming at part 2's
        #: first question went back to part 1's list once part 2 was done).
        typed = {key.split(".")[0]: None for key in store.response.unconfirmed}
        self.stopped_in: str | None = last_asked(
            list(self.questionnaire.items()), {**typed, **store.answers}
        )
        self.groups = Groups(self)
        #: Answers are written in the background: the prompter waits for the
        #: write before it draws the next prompt (``Prompter.waits_for_writes``).
        self._background = bool(getattr(prompter, "waits_for_writes", False))
        #: The section whose heading was just shown before a question asked
        #: on its own (:meth:`show_section_of`); :meth:`walk` does not repeat it.
        self._heading_shown: int | None = None

    # -- public ------------------------------------------------------------------

    def walk(
        self,
        *,
        sections: Sequence[int] | None = None,
        only_unasked: bool = False,
        start_after: str | None = None,
    ) -> None:
        """Ask the visible items of the given sections (all by default), saving each.

        "Previous question" works throughout: from the first question of a
        section it goes to the last question of the section before.

        Args:
            sections: 0-based section indexes, or None for all.
            only_unasked: ask only items not asked before (resume), re-entering
                the repeat group last worked in. Items the respondent goes
                back to are asked again, and so is each one after them up to
                where they were.
            start_after: the id of an item of the first section walked: that
                section is walked from the item after it (the rest of a
                section the respondent was walking when Ctrl-C stopped them).

        Raises:
            GoBack: the respondent went back from the first question walked.
        """
        answers = self.store.answers
        every = self.questionnaire.sections
        resume_in = self.stopped_in if only_unasked else None
        order = [i for i in range(len(every)) if sections is None or i in sections]
        # The heading shown just before (show_section_of) stands for the first section
        # walked only; later walks show it again (issue 16: a section revisited after
        # its unconfirmed question was asked had no heading).
        just_shown, self._heading_shown = self._heading_shown, None
        position, from_end = 0, False
        while position < len(order):
            index = order[position]
            section = every[index]
            active = active_answers(self.questionnaire, answers)
            skip = not visible(section, active) or (
                not from_end
                and only_unasked
                and not self.has_unasked(section.items, active, resume_in, container=answers)
            )
            if skip:
                position += -1 if from_end else 1
                if position < 0:
                    raise GoBack
                continue
            if just_shown != index:
                self._show_section(index, section)
            just_shown = None
            start = 0
            if start_after is not None and position == 0 and not from_end:
                ids = [i.id for i in section.items]
                start = ids.index(start_after) + 1 if start_after in ids else 0
            try:
                self.ask_list(
                    section.items, answers, (), {}, only_unasked=only_unasked,
                    resume_in=resume_in, from_end=from_end, start=start,
                )  # fmt: skip
            except GoBack:
                if position == 0:
                    raise
                position, from_end = position - 1, True
                continue
            position, from_end = position + 1, False

    def walk_all(self, *, only_unasked: bool) -> None:
        """:meth:`walk` every section; going back from the very first question says so."""
        while True:
            try:
                self.walk(only_unasked=only_unasked)
                return
            except GoBack:
                self.prompter.show_notice(Notice("info", gettext(self.lang, "fill.first_question")))

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
        """Ask one item until the answer fits, and return it in stored form.

        Nothing is saved here; callers store the value and call
        ``store.save()``. Works for items built in code (peer-review reactions).

        A checklist (multiple choice, participants) left empty is an answer
        (``[]``) when the item is optional; a required one is asked again
        until something is ticked (``docs/fill-reference.md``).

        Text typed but not confirmed when the respondent pressed Ctrl-C is
        kept in the response as *unconfirmed*
        (:attr:`~selfeval.model.response.Response.unconfirmed`) and offered,
        marked as such, the next time this item is asked; it counts only
        once confirmed.

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
            back: the respondent may ask for the previous question.

        Returns:
            The checked answer, ``[]`` for an optional checklist left empty,
            or None when left blank.

        Raises:
            GoBack: (only with ``back``) the respondent asked for the previous question.
            KeyboardInterrupt: Ctrl-C (any text typed is kept as unconfirmed first).
            EOFError: Ctrl-D (the same).
        """
        context = self._context(item, path, scope or {}, entry, back=back)
        key = ".".join(str(p) for p in path)
        drafts = self.store.response.unconfirmed
        if key in drafts:
            current = drafts[key]
            context = replace(context, unconfirmed=True)
        while True:
            try:
                value = self.prompter.ask(item, current, context)
            except (TypedInterrupt, TypedEOF) as exc:
                self._keep_typed(key, item, exc.text, current)
                raise
            self._confirmed(key)
            if value == [] and _is_checklist(item):
                if not item.required:
                    return []  # "none of these" is an answer to an optional checklist
                context = replace(
                    context, error=gettext(self.lang, "fill.choose_one"), unconfirmed=False
                )
                current = None
                continue
            if not is_answered(value):
                if item.required and warn_blank:
                    self.prompter.show_notice(
                        Notice("warning", gettext(self.lang, "fill.blank_required"))
                    )
                return None
            try:
                return self._check(item, value, scope or {})
            except AnswerError as exc:
                context = replace(context, error=exc.text(self.lang), unconfirmed=False)
                current = value

    def _keep_typed(self, key: str, item: Item, text: str, current: Any) -> None:
        """Keep text typed before Ctrl-C as the item's unconfirmed answer, if it is new."""
        if not text.strip() or self.store.submitted:
            return
        if isinstance(current, str) and text == current:
            return
        self.store.response.unconfirmed[key] = text
        self.kept_typed = text_in(item.label, self.lang)
        self.store.save()

    def _confirmed(self, key: str) -> None:
        if self.store.response.unconfirmed.pop(key, None) is not None:
            self.store.save()

    def review_rows(self) -> list[ReviewRow]:
        """Every section and item with its answer and state (see :func:`review_rows`)."""
        return review_rows(
            self.questionnaire,
            self.store.answers,
            self.lang,
            labels=self.labels,
            findings=self.finding_labels(),
        )

    def finding_labels(self) -> dict[str, str]:
        """Finding id → what the respondent reads for it, for a ``findings`` item.

        The findings offered besides the respondent's own (a peer review: the
        draft's, as given), then the respondent's own bottlenecks, blind spots
        and needs so far, each as its kind, its number among them and its
        title (``Knelpunt 3: Trage besluitvorming``), never its id.
        """
        labels = dict(self._findings)
        own = entry_findings(
            self.questionnaire, self.store.participant, self.store.answers, ANSWERABLE
        )
        counted: dict[str, int] = {}
        for fid, kind, title in own:
            counted[kind] = counted.get(kind, 0) + 1
            kind_name = gettext(self.lang, _KIND_NAMES[kind]) if kind in _KIND_NAMES else kind
            labels[fid] = f"{kind_name} {counted[kind]}" + (f": {title}" if title else "")
        return labels

    # -- the walk ----------------------------------------------------------------

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
        start: int = 0,
    ) -> None:
        """Ask ``items`` in order into ``container`` (the answers, or one repeat entry).

        Going back from an item asks the visible item before it; from the first
        one it raises :class:`GoBack` to the caller. ``from_end`` starts at the
        last visible item (the respondent came back from what follows);
        ``start`` at the item with that index.
        """

        def scope_now() -> dict[str, Any]:
            if group is None:
                return {**outer, **active_answers(self.questionnaire, container)}
            return {**outer, **active_entry(group, container, outer)}

        # Items before `again` are asked even when asked before: the respondent
        # went back to one of them and walks forward from there.
        again = len(items) if from_end else 0
        index = _previous(items, len(items), scope_now()) if from_end else start
        if index is None:
            raise GoBack
        while index < len(items):
            item = items[index]
            scope = scope_now()
            if not visible(item, scope):
                index += 1
                continue
            if isinstance(item, InfoItem):
                if not only_unasked or self._next_is_asked(
                    items, index, container, scope, again, resume_in
                ):
                    self.prompter.show_notice(Notice("info", text_in(item.label, self.lang)))
                index += 1
                continue
            if only_unasked and index >= again and item.id in container and item.id != resume_in:
                index += 1
                continue
            path = (*base, item.id)
            try:
                if isinstance(item, RepeatItem):
                    self.repeat(
                        item, container, path, scope, entry=entry,
                        resume=only_unasked and index >= again,
                    )  # fmt: skip
                else:
                    value = self.ask_item(
                        item, offered(item, container), path=path, scope=outer, entry=entry,
                        back=True,
                    )  # fmt: skip
                    container[item.id] = value
                    self.save_answer(item, value)
            except GoBack:
                before = _previous(items, index, scope_now())
                if before is None:
                    raise
                again = max(again, index + 1)
                index = before
                continue
            index += 1

    def _next_is_asked(
        self,
        items: Sequence[Item],
        index: int,
        container: Mapping[str, Any],
        scope: Mapping[str, Any],
        again: int,
        resume_in: str | None,
    ) -> bool:
        """Whether the first visible question after the note at ``index`` will be asked."""
        after = next(
            (
                i
                for i in range(index + 1, len(items))
                if not isinstance(items[i], InfoItem) and visible(items[i], scope)
            ),
            None,
        )
        if after is None:
            return False
        item = items[after]
        return after < again or item.id not in container or item.id == resume_in

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
        """Run the menu of a repeat group (see :meth:`Groups.repeat`)."""
        self.groups.repeat(item, container, path, outer, resume=resume, entry=entry)

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
        """Ask the fields of one repeat entry (see :meth:`Groups.entry`)."""
        self.groups.entry(item, entries, index, path, scope, only_unasked=only_unasked)

    def left_group(self, path: Path_) -> None:
        """The respondent chose "done" in the repeat group at ``path``: continue goes on past it."""
        if path == (self.stopped_in,):
            self.stopped_in = None

    def show_section_of(self, item_id: str) -> None:
        """Show the heading of the section holding item ``item_id``, unless it was just shown.

        For a question asked before the walk (resume: text typed but not
        confirmed), so that its section's heading comes first, not after it.
        """
        for index, section in enumerate(self.questionnaire.sections):
            if any(i.id == item_id for i in section.items):
                if self._heading_shown != index:
                    self._show_section(index, section)
                    self._heading_shown = index
                return

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

    def has_unasked(
        self,
        items: Sequence[Item],
        scope: Mapping[str, Any],
        resume_in: str | None,
        *,
        container: Mapping[str, Any] | None = None,
    ) -> bool:
        """Whether some visible item of ``items`` is still to be asked (or is ``resume_in``)."""
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
        active = active_answers(self.questionnaire, answers)
        for section in self.questionnaire.sections:
            if visible(section, active) and self.has_unasked(
                section.items, active, self.stopped_in, container=answers
            ):
                return True
        return False

    def _context(
        self,
        item: Item,
        path: Path_,
        scope: Mapping[str, Any],
        entry: str | None,
        *,
        back: bool = False,
    ) -> AskContext:
        participants: tuple[tuple[str, str], ...] = ()
        if isinstance(item, ParticipantItem | ParticipantsItem):
            group = self._group_of(path)
            mine = self.store.participant if excludes_respondent(item, group) else None
            participants = tuple(
                (p.code, self.labels[p.code]) for p in self._exercise.participants if p.code != mine
            )

        findings: tuple[tuple[str, str], ...] = ()
        if isinstance(item, FindingsItem):
            findings = tuple(self.finding_labels().items())

        def validate(value: Any) -> str | None:
            if value == [] and _is_checklist(item):
                return gettext(self.lang, "fill.choose_one") if item.required else None
            try:
                self._check(item, value, scope)
            except AnswerError as exc:
                return exc.text(self.lang)
            return None

        def parse(text: str) -> Any:
            return parse_answer(item, text, self.lang)

        return AskContext(
            path=path,
            lang=self.lang,
            label=text_in(item.label, self.lang),
            help=text_in(item.help, self.lang) or None,
            required=item.required,
            entry=entry,
            participants=participants,
            validate=validate,
            can_go_back=back,
            parse=parse,
            hint=date_hint(self.lang) if isinstance(item, DateItem) else None,
            findings=findings,
        )

    def _group_of(self, path: Path_) -> RepeatItem | None:
        """The repeat group whose entry holds the item at ``path`` (``(group, n, item)``)."""
        if len(path) < 3:
            return None
        try:
            group = self.questionnaire.item(str(path[-3]))
        except KeyError:
            return None
        return group if isinstance(group, RepeatItem) else None

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

        With a prompter that ``waits_for_writes`` (the terminal's), the file is
        written in the background while the next prompt is built; that prompt
        is drawn only once the answer is on disk, and a failure is raised
        there, with the answer, by the prompter.
        """

        def unsaved(exc: InputError) -> InputError:
            if item is None or not is_answered(value):
                return exc
            shown = format_value(item, value, self.lang, labels=self.labels)
            label = text_in(item.label, self.lang)
            # A respondent reads it as one message in the session language (issue 16).
            said = (
                Message("error.answer_not_saved", label=label, answer=shown, problem=exc.said)
                if exc.said is not None
                else None
            )
            return InputError(
                f"{exc.message}; your answer to {label!r} was not saved, here it is:\n{shown}",
                location=exc.location,
                hint=f"{exc.hint or 'fix the cause'}; then run fill again (every earlier "
                f"answer is saved) and give this answer again",
                said=said,
            )

        self.store.wait_saved()  # an earlier answer's failure is told as it is
        try:
            # A prompter that draws the next prompt only once the file is
            # written lets the write run while that prompt is being built.
            self.store.save(background=self._background, on_error=unsaved)
        except InputError as exc:
            raise unsaved(exc) from None
        self._tell_reopened()
        now = set(inactive_answers(self.questionnaire, self.store.answers))
        for item_id in sorted(now - self._inactive):
            self.prompter.show_notice(
                Notice(
                    "warning", gettext(self.lang, "fill.inactive", label=self._label_of(item_id))
                )
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
                gettext(self.lang, "fill.reopened", participant=self.store.participant),
            )
        )

    def _label_of(self, item_id: str) -> str:
        try:
            return text_in(self.questionnaire.item(item_id).label, self.lang)
        except KeyError:
            return item_id


def _is_checklist(item: Item) -> bool:
    """Whether ``item`` is answered with a list ticked from a checklist."""
    return isinstance(item, MultipleChoiceItem | ParticipantsItem | FindingsItem)


def _previous(items: Sequence[Item], index: int, scope: Mapping[str, Any]) -> int | None:
    """The index of the last visible question before ``index``, or None."""
    for before in range(index - 1, -1, -1):
        item = items[before]
        if not isinstance(item, InfoItem) and visible(item, scope):
            return before
    return None
