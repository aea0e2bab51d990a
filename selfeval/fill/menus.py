"""The menus of a filling session: resume, review and submit, and asking what is missing.

:class:`Menus` decide what comes next in a
:class:`~selfeval.fill.session.FillSession`; the
:class:`~selfeval.fill.walker.Walker` they are given does the asking and
saving. Rules:

* a response resumed shows the progress per section and offers to continue,
  revisit a section, or review (``DESIGN.md`` §6);
* the review never offers submit as the default while anything is missing or
  invalid; what is missing is named by labels (``Punten › Punt 1 › Titel``) in
  the session language, and "answer the missing items" goes straight to each
  one, also to a field inside a repeat entry;
* a submitted response opened with ``--reopen`` that nothing changed is left
  submitted (``docs/fill-reference.md``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal, Protocol

from selfeval.files.store import IncompleteError
from selfeval.fill.local import local_time
from selfeval.fill.prompter import (
    BACK,
    GoBack,
    Notice,
    Option,
    Path_,
    ReviewRow,
    offered,
    progress_words,
)
from selfeval.fill.review import label_path, problem_lines, section_summary
from selfeval.fill.walker import Walker
from selfeval.i18n import gettext, ngettext
from selfeval.model.answers import Problem, active_answers, inactive_answers, progress, visible
from selfeval.model.questionnaire import InfoItem, Item, RepeatItem, text_in

__all__ = ["Menus", "ReviewPart"]


class ReviewPart(Protocol):
    """More to review before submitting, beside the questionnaire (peer review: the reactions).

    Its rows follow the questionnaire's in the review; its options join the
    review menu, and choosing one calls :meth:`run`.
    """

    def rows(self) -> list[ReviewRow]:
        """The part's rows for the review."""
        ...

    def options(self) -> list[Option]:
        """What the review menu offers for this part (e.g. "change a reaction")."""
        ...

    def run(self, choice: str) -> str | None:
        """Do what option ``choice`` says.

        Returns:
            The label of the row (as :meth:`rows` gives it) of what was changed,
            for the review to open at its page saying it was saved; None when
            nothing was changed.
        """
        ...

    def submitted(self) -> str:
        """What is said once submitted (in place of the self-evaluation's sentence)."""
        ...

    def confirm_submit(self) -> str:
        """The question before submitting: what changing it afterwards takes."""
        ...

    def typed_label(self, key: str) -> str | None:
        """Where text kept unconfirmed at ``key`` is, as the respondent reads it.

        Returns:
            A label (peer review: the finding's kind and title, then the
            field's label), or None when ``key`` is no place of this part.
        """
        ...

    def finish_typed(self, key: str) -> None:
        """Ask the question at ``key`` (one :meth:`typed_label` names), offering the text kept."""
        ...


class Menus:
    """The resume menu and the review/submit menu of a filling session.

    Args:
        walker: asks and saves (:class:`~selfeval.fill.walker.Walker`); the
            menus send it to sections, repeat groups and single items.
        extra: more to review and change before submitting (:class:`ReviewPart`).
    """

    def __init__(self, walker: Walker, extra: ReviewPart | None = None) -> None:
        self.walker = walker
        self.extra = extra
        self.store = walker.store
        self.prompter = walker.prompter
        self.lang = walker.lang
        self.questionnaire = walker.questionnaire

    def resume(self) -> bool:
        """Offer continue / revisit / review / stop to a respondent with a draft.

        Returns:
            True to go on to the review (:meth:`finish`), False to stop.
        """
        lang = self.lang
        while True:
            now = progress(self.questionnaire, self.store.answers)
            submitted = self.store.unchanged_submitted
            stamp = (
                self.store.response.submitted_at if submitted else self.store.response.updated_at
            )
            counts = {"updated": local_time(stamp, lang), "counts": progress_words(now, lang)}
            self.prompter.show_notice(
                Notice(
                    "info",
                    gettext(lang, "fill.resume_submitted", **counts)
                    if submitted
                    else gettext(lang, "fill.resume", **counts),
                    section_summary(self.questionnaire, self.store.answers, self.lang)
                    + self._unconfirmed_lines(),
                )
            )
            options = []
            if self.walker.has_unasked_anywhere() or self.store.response.unconfirmed:
                options.append(Option("continue", gettext(lang, "fill.continue")))
            options += [
                Option("revisit", gettext(lang, "fill.revisit")),
                Option("review", gettext(lang, "fill.review")),
                Option(
                    "quit",
                    (
                        gettext(lang, "fill.quit_unchanged")
                        if submitted
                        else gettext(lang, "fill.quit")
                    ),
                ),
            ]
            default = "continue" if options[0].value == "continue" else "review"
            choice = self.prompter.choose(gettext(lang, "fill.what_now"), options, default=default)
            if choice == "continue":
                self._continue_section(self._finish_unconfirmed())
                self.walker.walk_all(only_unasked=True)
                return True
            if choice == "review":
                return True
            if choice == "quit":
                return False
            self._revisit()

    def _unconfirmed_lines(self) -> tuple[str, ...]:
        """One line per text typed but not confirmed in an earlier session."""
        return tuple(
            gettext(self.lang, "fill.unconfirmed_line", label=self._typed_label(k))
            for k in self.store.response.unconfirmed
        )

    def _typed_label(self, key: str) -> str:
        """Where text kept unconfirmed is, by labels (never its dotted path: trial 9)."""
        said = self.extra.typed_label(key) if self.extra is not None else None
        return said or label_path(self.questionnaire, _path(key, "."), self.lang)

    def _finish_unconfirmed(self) -> str | None:
        """Ask first each question whose typed text was never confirmed (Ctrl-C).

        Returns:
            The id of the last of them that is a question of a section (not
            inside a repeat entry), where the respondent was stopped; None
            when there is none.
        """
        last = None
        for key in list(self.store.response.unconfirmed):
            if self.extra is not None and self.extra.typed_label(key):
                # A peer review's reaction: asked there, never dropped unasked (trial 9).
                self.extra.finish_typed(key)
                continue
            self.walker.show_section_of(key.split(".")[0])
            with contextlib.suppress(GoBack):
                self.walker.groups.ask_at(_path(key, "."))
            self.store.response.unconfirmed.pop(key, None)  # gone from the questionnaire, say
            if "." not in key:
                last = key
        return last

    def _continue_section(self, item_id: str | None) -> None:
        """Walk the rest of the section of ``item_id``, after it (issue 16).

        Ctrl-C stopped the respondent at that question, perhaps while walking
        the section again ("Een deel opnieuw doorlopen"): going on where they
        left off is the rest of that section, answered or not, before what
        was never asked. Going back from its first question ends it.
        """
        if item_id is None:
            return
        for index, section in enumerate(self.questionnaire.sections):
            if any(i.id == item_id for i in section.items):
                with contextlib.suppress(GoBack):
                    self.walker.walk(sections=[index], start_after=item_id)
                return

    def _pick_section(self) -> int | None:
        active = active_answers(self.questionnaire, self.store.answers)
        options = [
            Option(str(i), f"{i + 1}. {text_in(s.title, self.lang)}")
            for i, s in enumerate(self.questionnaire.sections)
            if visible(s, active)
        ]
        options.append(Option(BACK, gettext(self.lang, "fill.back_menu")))
        choice = self.prompter.choose(gettext(self.lang, "fill.which_section"), options)
        return None if choice == BACK else int(choice)

    def _revisit(self) -> None:
        """Walk one chosen section again; going back from its first question ends it."""
        index = self._pick_section()
        if index is None:
            return
        with contextlib.suppress(GoBack):
            self.walker.walk(sections=[index])

    def _change_one(self) -> Path_ | None:
        """Let the respondent pick one answer (section, then question) and ask only that.

        Returns:
            The path of the answer asked, or None when the respondent went back.
        """
        while True:
            index = self._pick_section()
            if index is None:
                return None
            options = [
                Option(_key(path), label) for path, label in self.walker.groups.questions_of(index)
            ]
            options.append(Option(BACK, gettext(self.lang, "fill.back")))
            choice = self.prompter.choose(gettext(self.lang, "fill.which_answer"), options)
            if choice == BACK:
                continue
            try:
                self.walker.groups.ask_at(_path(choice))
            except GoBack:
                return None
            return _path(choice)

    def finish(self) -> Literal["submitted", "draft"]:
        """Review all answers, then submit, answer what is missing, revisit, or stop.

        Returns:
            ``submitted`` (also: left submitted, nothing changed) or ``draft``.

        Raises:
            InputError: the response file cannot be written.
        """
        lang = self.lang
        changed: Path_ | None = None
        changed_extra: str | None = None  # the label of a row of the extra part changed
        while True:
            rows = self.walker.review_rows()
            if changed is not None:
                rows = self._noted(rows, changed)
                changed = None
            extra = self.extra.options() if self.extra else []
            if self.extra:
                rows += _noted_label(self.extra.rows(), changed_extra, lang)
                changed_extra = None
            self.prompter.show_review(gettext(lang, "fill.review_title"), rows)
            problems = self.store.problems(complete=True)
            if self.store.unchanged_submitted:
                options = [
                    Option("keep", gettext(lang, "fill.keep_submitted")),
                    Option("change", gettext(lang, "fill.change_one")),
                    *extra,  # peer review: a reaction can be changed here too
                    Option("revisit", gettext(lang, "fill.revisit")),
                ]
                choice = self.prompter.choose(
                    gettext(lang, "fill.what_now"), options, default="keep"
                )
                if choice == "keep":
                    return "submitted"
                if choice == "change":
                    changed = self._change_one()
                elif self.extra and choice in {o.value for o in extra}:
                    changed_extra = self.extra.run(choice)
                else:
                    self._revisit()
                continue
            if problems:
                count = len(problems)
                text = ngettext(lang, "fill.missing_list", "fill.missing_list_plural", count)
                self.prompter.show_notice(Notice("warning", text, self._problem_lines(problems)))
                options = [Option("missing", gettext(lang, "fill.missing"))]
            else:
                self.prompter.show_notice(Notice("success", gettext(lang, "fill.complete")))
                options = [Option("submit", gettext(lang, "fill.submit"))]
            not_counted = self._not_counted()
            if not_counted:
                self.prompter.show_notice(Notice("warning", not_counted))
            options += [
                Option("change", gettext(lang, "fill.change_one")),
                *extra,
                Option("revisit", gettext(lang, "fill.revisit")),
                Option("quit", gettext(lang, "fill.quit")),
            ]
            if problems:
                # Still offered (last but one), never the default: choosing it
                # says why it cannot be done yet.
                options.insert(-1, Option("submit", gettext(lang, "fill.submit")))
            choice = self.prompter.choose(
                gettext(lang, "fill.what_now"), options, default="missing" if problems else "submit"
            )
            if choice == "quit":
                return "draft"
            if choice == "missing":
                with contextlib.suppress(GoBack):
                    self._ask_missing(problems)
                continue
            if choice == "change":
                changed = self._change_one()
                continue
            if self.extra and choice in {o.value for o in extra}:
                changed_extra = self.extra.run(choice)
                continue
            if choice == "revisit":
                self._revisit()
                continue
            question = (
                self.extra.confirm_submit() if self.extra else gettext(lang, "fill.confirm_submit")
            )
            if not_counted:
                question = f"{not_counted} {question}"
            if not problems and not self.prompter.confirm(question, default=True):
                continue
            try:
                self.store.submit()
            except IncompleteError as exc:
                count = len(exc.problems)
                text = ngettext(lang, "fill.cannot_submit", "fill.cannot_submit_plural", count)
                self.prompter.show_notice(Notice("error", text, self._problem_lines(exc.problems)))
                continue
            done = self.extra.submitted() if self.extra else gettext(lang, "fill.submitted")
            self.prompter.show_notice(Notice("success", done))
            return "submitted"

    def _noted(self, rows: list[ReviewRow], path: Path_) -> list[ReviewRow]:
        """``rows`` with the row of the answer at ``path`` saying it was saved.

        The row is found as the review lists it: the item's section, then
        the item's label (inside a repeat group: the entry, then the field).
        """
        lang = self.lang
        section = next(
            (s for s in self.questionnaire.sections if any(i.id == path[0] for i in s.items)),
            None,
        )
        item = self._top_item(path[0])
        if section is None or item is None:
            return rows
        wanted = [(0, text_in(section.title, lang)), (1, text_in(item.label, lang))]
        if isinstance(item, RepeatItem) and len(path) == 3 and isinstance(path[1], int):
            sub = next((i for i in item.items if i.id == path[2]), None)
            name = f"{text_in(item.entry_label or item.label, lang)} {path[1] + 1}"
            wanted.append((2, name))
            if sub is not None:
                wanted.append((3, text_in(sub.label, lang)))
        at = None
        step = 0
        for number, row in enumerate(rows):
            if step < len(wanted) and (row.depth, row.label) == wanted[step]:
                at = number
                step += 1
            elif row.depth == 0 and step:
                break
        if at is None:
            return rows
        note = gettext(lang, "fill.changed_saved", label=label_path(self.questionnaire, path, lang))
        return [*rows[:at], replace(rows[at], note=note), *rows[at + 1 :]]

    def _not_counted(self) -> str | None:
        """The sentence naming the answers kept but not counted, or None when there are none.

        Which answers: :func:`~selfeval.model.answers.inactive_answers` (the
        one rule for ``when``), named by their labels, e.g. "1 antwoord wordt
        bewaard maar telt niet mee: 'Knelpunten'." (issue 16: said before
        submitting, not only in the review's heading).
        """
        places = inactive_answers(self.questionnaire, self.store.answers)
        if not places:
            return None
        labels = ", ".join(
            f"'{label_path(self.questionnaire, _dotted_path(place), self.lang)}'"
            for place in places
        )
        return ngettext(
            self.lang, "fill.not_counted", "fill.not_counted_plural", len(places), labels=labels
        )

    def _problem_lines(self, problems: Sequence[Problem]) -> tuple[str, ...]:
        return problem_lines(self.questionnaire, problems, self.lang)

    def _ask_missing(self, problems: Sequence[Problem]) -> None:
        """Ask what each problem points at: the item, or straight the field of an entry."""
        answers = self.store.answers
        done: set[Path_] = set()
        for problem in problems:
            path = problem.path
            if path in done or not path:
                continue
            done.add(path)
            item = self._top_item(path[0])
            if item is None:
                continue
            if len(path) == 1:
                if isinstance(item, RepeatItem):
                    self.walker.repeat(item, answers, (item.id,), {}, resume=False)
                else:
                    answers[item.id] = self.walker.ask_item(
                        item, offered(item, answers), path=(item.id,), back=True
                    )
                    self.walker.save_answer(item, answers[item.id])
                continue
            entries = answers.get(item.id)
            index = path[1]
            if (
                not isinstance(item, RepeatItem)
                or not isinstance(entries, list)
                or not isinstance(index, int)
                or not 0 <= index < len(entries)
                or not isinstance(entries[index], dict)
            ):
                continue
            entry = entries[index]
            sub = next((i for i in item.items if len(path) == 3 and i.id == path[2]), None)
            if sub is None or isinstance(sub, RepeatItem | InfoItem):
                if path[:2] not in done:
                    done.add(path[:2])
                    self.walker.entry(item, entries, index, (item.id,), answers, only_unasked=False)
                continue
            name = f"{text_in(item.entry_label or item.label, self.lang)} {index + 1}"
            entry[sub.id] = self.walker.ask_item(
                sub, offered(sub, entry), path=path, scope=answers, entry=name, back=True
            )
            self.walker.save_answer(sub, entry[sub.id])

    def _top_item(self, item_id: str | int) -> Item | None:
        try:
            return self.questionnaire.item(str(item_id))
        except KeyError:
            return None


def _noted_label(rows: list[ReviewRow], label: str | None, lang: str) -> list[ReviewRow]:
    """``rows`` with the first row labelled ``label`` saying it was saved (as :meth:`Menus._noted`).

    The same note as a changed answer gets ("Opgeslagen: …"), so the review
    opens at that row's page and says so.
    """
    if label is None:
        return rows
    at = next((n for n, row in enumerate(rows) if row.depth > 0 and row.label == label), None)
    if at is None:
        return rows
    note = gettext(lang, "fill.changed_saved", label=label)
    return [*rows[:at], replace(rows[at], note=note), *rows[at + 1 :]]


def _key(path: Path_) -> str:
    """A path as a menu value, e.g. ``bottlenecks/0/title`` (ids hold no ``/``)."""
    return "/".join(str(p) for p in path)


def _dotted_path(place: str) -> Path_:
    """A dotted place (``bottlenecks[0].sources``, as inactive_answers gives it) as a path."""
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", place))


def _path(key: str, separator: str = "/") -> Path_:
    return tuple(int(p) if p.isdigit() else p for p in key.split(separator))
