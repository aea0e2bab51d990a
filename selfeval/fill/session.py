"""A filling session: one respondent, one response, from the resume menu to submit.

:class:`FillSession` puts two parts together:

* a :class:`~selfeval.fill.walker.Walker`, which asks the items through the
  injected :class:`~selfeval.fill.prompter.Prompter` and saves every answer
  (``DESIGN.md`` §6: Ctrl-C never loses an answer already given);
* :class:`~selfeval.fill.menus.Menus`, which decide what comes next with that
  walker: resume, revisit, review, answer what is missing, submit.

It knows nothing of terminals (the questionary/rich prompter is
:mod:`selfeval.cli.terminal`; tests pass a scripted fake).
``KeyboardInterrupt``/``EOFError`` raised by the prompter end the session
with an ``"interrupted"`` :class:`Outcome`; everything answered is already on
disk. Peer review drives the same session: it asks its reactions through
:attr:`FillSession.walker` before :meth:`FillSession.run`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from selfeval.files.store import ResponseStore
from selfeval.fill.menus import Menus, ReviewPart
from selfeval.fill.prompter import (
    Notice,
    Path_,
    Prompter,
    ReviewRow,
    collection_paused_between_prompts,
    progress_words,
)
from selfeval.fill.review import label_path
from selfeval.fill.walker import Walker
from selfeval.i18n import gettext, ngettext
from selfeval.model.answers import Progress, inactive_answers, progress
from selfeval.model.questionnaire import InfoItem, Item, Questionnaire, RepeatItem, text_in

__all__ = ["FillSession", "Outcome", "SessionResult", "estimate_minutes", "outcome_of"]


def estimate_minutes(questions: int, findings: int = 0) -> int:
    """How long a session takes, as the opening panel says (``docs/fill-reference.md``).

    About 0.6 minute per question and 1.5 minutes per finding to react to
    (peer review: read the card, choose, now and then a comment), rounded
    up to 5 minutes, at least 5.
    """
    import math

    return max(5, math.ceil((questions * 0.6 + findings * 1.5) / 5) * 5)


@dataclass(kw_only=True)
class SessionResult:
    """How a ``fill`` or ``peer-review`` session ended: the part both commands report alike.

    The closing lines are texts in the session language (``message`` keys in
    :mod:`selfeval.fill.prompter`); the CLI prints them in one order for both
    commands (``selfeval.cli._common.report_session``). Subclasses say what
    is counted and how a submission is named.

    Attributes:
        state: ``submitted``, ``draft`` (stopped on purpose or saved from a
            file), ``interrupted`` (Ctrl-C; everything given is saved), or
            (peer review only) ``listed``.
        path: the response file.
        reopened: the kept submitted version, when the run reopened one.
        resubmitted: the response records an earlier submitted version
            (``reopened_from``: reopened in this run or an earlier one), so a
            submission now is a submission again.
        kept_typed: the label of the question whose typed text was kept,
            unconfirmed, when the session was interrupted.
        still_submitted: the response was submitted and nothing changed it
            (``--reopen`` given, but no answer differed); it stays submitted.
        lang: the session language (``nl``/``en``), for the closing lines.
    """

    state: Literal["submitted", "draft", "interrupted", "listed"]
    path: Path
    reopened: Path | None = None
    resubmitted: bool = False
    still_submitted: bool = False
    lang: str = "en"
    kept_typed: str | None = None

    def counts(self) -> str:
        """How far the response is, e.g. "12 beantwoord, verplicht 5/14"."""
        raise NotImplementedError

    def closing_notes(self) -> list[str]:
        """Lines to show before the closing lines: typed text kept, if any."""
        if self.kept_typed is None:
            return []
        return [gettext(self.lang, "fill.end_kept_typed", label=self.kept_typed)]

    def submitted_text(self, path: str | None) -> str:
        """The line that says the response is submitted.

        Args:
            path: the response file as shown, for a coordinator's run with an
                answers file; None at a respondent's terminal, which is told
                in words where the answers go instead (no file names).
        """
        if path is None:
            return gettext(self.lang, "fill.end_submitted_saved", counts=self.counts())
        return gettext(self.lang, "fill.end_submitted", path=path, counts=self.counts())

    def interrupted_text(self, path: str | None) -> str:
        """The line that says the session was interrupted and everything is saved.

        ``path`` as in :meth:`submitted_text`.
        """
        if path is None:
            return gettext(self.lang, "fill.end_interrupted_saved", counts=self.counts())
        return gettext(self.lang, "fill.end_interrupted", path=path, counts=self.counts())

    def missing_text(self) -> str | None:
        """The line naming what is still needed before submitting, if anything."""
        return None


@dataclass(kw_only=True)
class Outcome(SessionResult):
    """How a ``fill`` session (or an answers file) ended.

    Attributes (besides those of :class:`SessionResult`):
        progress: progress at the end.
        inactive: ids of answers kept but not counted (condition false).
        inactive_labels: the same by their labels in ``lang``.
        missing_labels: the items in ``progress.missing`` by their labels in ``lang``.
    """

    state: Literal["submitted", "draft", "interrupted"]
    progress: Progress
    inactive: tuple[str, ...] = ()
    inactive_labels: tuple[str, ...] = ()
    missing_labels: tuple[str, ...] = ()

    def counts(self) -> str:
        """Questions answered and required ones answered (:func:`progress_words`)."""
        return progress_words(self.progress, self.lang)

    def closing_notes(self) -> list[str]:
        """Typed text kept unconfirmed, and the answers kept but not counted, if any."""
        notes = super().closing_notes()
        if self.inactive:
            labels = self.inactive_labels or self.inactive
            notes.append(gettext(self.lang, "fill.end_inactive", items=", ".join(labels)))
        return notes

    def missing_text(self) -> str | None:
        """The required items still missing, by label."""
        if not self.progress.missing:
            return None
        return gettext(self.lang, "fill.end_missing", items=", ".join(self.missing_labels))


class FillSession:
    """One respondent filling one response, interactively, through a prompter.

    Args:
        store: the opened (locked) response store.
        prompter: asks and shows (see :class:`~selfeval.fill.prompter.Prompter`).
        lang: ``nl`` or ``en``; labels fall back to the other language.
        extra: more to review and change before submitting (peer review:
            the reactions; :class:`~selfeval.fill.menus.ReviewPart`).
        findings: (id, what it says) of the findings a ``findings`` item may
            name besides the respondent's own (a peer review: the draft's).

    Attributes:
        walker: asks and saves (:class:`~selfeval.fill.walker.Walker`).
        menus: resume, review and submit (:class:`~selfeval.fill.menus.Menus`).
    """

    def __init__(
        self,
        store: ResponseStore,
        prompter: Prompter,
        *,
        lang: str = "nl",
        extra: ReviewPart | None = None,
        findings: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.store = store
        self.prompter = prompter
        self.lang = lang
        self.walker = Walker(store, prompter, lang=lang, findings=findings)
        self.menus = Menus(self.walker, extra)

    def opening(
        self, *, title: str | None = None, first: Sequence[str] = (), findings: int = 0
    ) -> None:
        """Show the opening panel: what, for whom, how long; saving, going back and stopping.

        Args:
            title: the panel's title (default: the questionnaire's title and the participant).
            first: lines to show first (peer review: the findings to react to).
            findings: how many findings come before the questions (peer review),
                counted in the time it takes (:func:`estimate_minutes`).
        """
        lang = self.lang
        questionnaire = self.walker.questionnaire
        code = self.store.participant
        name = self.walker.names.get(code, code)
        who = code if name == code else f"{name} ({code})"  # the panel's title
        # Questions as every count after this one counts them (progress_words); the
        # time it takes also counts the questions inside repeat groups (_count_questions).
        questions = progress(questionnaire, self.store.answers).shown
        sections = len(questionnaire.sections)
        lines = list(first)
        description = text_in(questionnaire.description, lang) if questionnaire.description else ""
        if description:
            lines.append(description.strip().split("\n\n")[0].replace("\n", " "))
        size = {
            "sections": ngettext(lang, "fill.sections", "fill.sections_plural", sections),
            "questions": ngettext(lang, "fill.questions", "fill.questions_plural", questions),
            "minutes": estimate_minutes(_count_questions(list(questionnaire.items())), findings),
        }
        lines += [
            # The department as every list names it: "BZ — Ministerie van Buitenlandse
            # Zaken" (participant_label; issue 16: "namens BZ").
            gettext(lang, "fill.opening_who", who=self.walker.labels.get(code, code)),
            gettext(lang, "fill.opening_size_findings", **size)
            if findings
            else gettext(lang, "fill.opening_size", **size),
            gettext(lang, "fill.opening_saved"),
            gettext(lang, "fill.opening_keys"),
            gettext(lang, "fill.opening_stop"),
        ]  # fmt: skip
        heading = title or f"{text_in(questionnaire.title, lang)} — {who}"
        self.prompter.show_notice(Notice("panel", heading, tuple(lines)))

    def run(self, *, opening: bool = True) -> Outcome:
        """Fill the response: resume menu (if a draft exists), walk, review, submit.

        Args:
            opening: show the opening panel first (:meth:`opening`).

        Returns:
            The :class:`Outcome`; ``interrupted`` when the prompter raised
            ``KeyboardInterrupt`` or ``EOFError`` (all answers given are saved).

        A submitted response (store opened with ``allow_reopen``) stays
        submitted until an answer actually changes; then it is reopened and
        the respondent is told once (``docs/fill-reference.md``).

        Raises:
            RefusedError: the response is submitted and reopening is not allowed.
            InputError: the response file cannot be written.
        """
        if self.store.submitted:
            self.store.save()  # refuses, unless reopening is allowed (then a no-op)
        with collection_paused_between_prompts():
            try:
                if opening:
                    self.opening()
                # Something saved: answers, or only text typed before Ctrl-C
                # (issue 16: that alone started from the first question).
                if self.store.answers or self.store.response.unconfirmed:
                    if not self.menus.resume():
                        return self._outcome("draft")
                else:
                    self.walker.walk_all(only_unasked=False)
                return self._outcome(self.menus.finish())
            except (KeyboardInterrupt, EOFError):
                self.store.save_if_changed()
                return self._outcome("interrupted")

    def walk(self, *, sections: Sequence[int] | None = None, only_unasked: bool = False) -> None:
        """Ask the visible items of the given sections (see :meth:`Walker.walk`)."""
        self.walker.walk(sections=sections, only_unasked=only_unasked)

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
        """Ask one item until the answer fits (see :meth:`Walker.ask_item`)."""
        return self.walker.ask_item(
            item, current, path=path, scope=scope, entry=entry, warn_blank=warn_blank
        )

    def save(self) -> None:
        """Save the response now (see :meth:`Walker.save`)."""
        self.walker.save()

    def review_rows(self) -> list[ReviewRow]:
        """Every section and item with its answer and state (see :meth:`Walker.review_rows`)."""
        return self.walker.review_rows()

    def _outcome(self, state: Literal["submitted", "draft", "interrupted"]) -> Outcome:
        return outcome_of(
            self.store, state, lang=self.lang,
            inactive=tuple(inactive_answers(self.walker.questionnaire, self.store.answers)),
            kept_typed=self.walker.kept_typed if state == "interrupted" else None,
        )  # fmt: skip


def _count_questions(items: Sequence[Item]) -> int:
    """Questions asked once each (a repeat group counts its questions once, not itself)."""
    return sum(
        _count_questions(item.items) if isinstance(item, RepeatItem) else 1
        for item in items
        if not isinstance(item, InfoItem)
    )


def inactive_note(
    questionnaire: Questionnaire, answers: Mapping[str, Any], lang: str
) -> str | None:
    """The closing line naming the answers kept but not counted, or None when there are none.

    Which answers: :func:`~selfeval.model.answers.inactive_answers` (the one
    rule for ``when``), by their labels in ``lang``; what an interactive ``fill``
    ends with, and what a run with ``--answers`` (``fill``, ``peer-review``) says.
    """
    inactive = inactive_answers(questionnaire, answers)
    if not inactive:
        return None
    labels = ", ".join(label_path(questionnaire, (i,), lang) for i in inactive)
    return gettext(lang, "fill.end_inactive", items=labels)


def outcome_of(
    store: ResponseStore,
    state: Literal["submitted", "draft", "interrupted"],
    *,
    lang: str,
    inactive: tuple[str, ...] = (),
    kept_typed: str | None = None,
) -> Outcome:
    """The :class:`Outcome` of a response as it is now, complete when it is made.

    Args:
        store: the opened response.
        state: how the session ended.
        lang: the session language, for the closing lines and the labels of
            what is missing.
        inactive: ids of answers kept but not counted, to name at the end.
        kept_typed: the label of the question whose typed text was kept
            unconfirmed at Ctrl-C, to name at the end.
    """
    questionnaire = store.loaded.questionnaire
    now = progress(questionnaire, store.answers)
    return Outcome(
        state=state,
        path=store.path,
        progress=now,
        inactive=inactive,
        reopened=store.reopened,
        resubmitted=store.response.reopened_from is not None,
        still_submitted=store.unchanged_submitted,
        lang=lang,
        kept_typed=kept_typed,
        missing_labels=tuple(label_path(questionnaire, (i,), lang) for i in now.missing),
        inactive_labels=tuple(label_path(questionnaire, (i,), lang) for i in inactive),
    )
