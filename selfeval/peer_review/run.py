"""Peer review (collegiale toets): react to the draft integrated report, round 1 or 2.

The rules come from ``DESIGN.md`` §1 and the seed report's Annex 1:

* **Round 1** (``peer-review-1``, departments that did a self-evaluation and
  others invited) reacts to what *other* departments said: their findings and
  role descriptions.
* **Round 2** (``peer-review-2``, departments that did no self-evaluation)
  reacts to what the draft says about the department's *own* role
  (``role.<CODE>`` and findings that name it as concerned), then adds its own
  experiences and ambitions.

Per finding the reviewer gives a verdict (agree / partly agree / disagree /
no opinion), a comment (required for partly agree and disagree) and an
optional correction; then the round's questionnaire is asked. The draft's
format and finding ids are the contract in ``docs/findings.md``; the answers
file format is ``docs/peer-review-reference.md``.

Durability is the ``fill`` machinery, reused: a
:class:`~selfeval.files.store.ResponseStore` (lock, atomic save, submit, reopen) and
a :class:`~selfeval.fill.session.FillSession` (asking through an injected
:class:`~selfeval.fill.prompter.Prompter`). This module adds the reaction step in
front of it and knows nothing of terminals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from selfeval.errors import (
    InputError,
    Location,
    NotFoundError,
    RefusedError,
    SelfevalError,
    UsageError,
    ValidationProblems,
)
from selfeval.files import yamlio
from selfeval.files.store import ResponseStore, open_for_session, utc_now
from selfeval.fill.prompter import collection_paused_between_prompts
from selfeval.fill.session import SessionResult
from selfeval.i18n import Message, gettext, ngettext
from selfeval.model.answers import ANSWERABLE, check_answers
from selfeval.model.exercise import EXERCISE_FILE, Exercise
from selfeval.model.response import DraftRef, Reaction
from selfeval.peer_review.drafts import (
    DraftChanges,
    ReopenDeclined,
    StaleDraftError,
    compare_draft,
    consent_to_new_draft,
    draft_report,
    submitted_and_reopened,
)
from selfeval.peer_review.reactions import (
    merge_reactions,
    reaction_problems,
    reactions_from_data,
    without_reaction,
)

if TYPE_CHECKING:
    from selfeval.files.store import Clock
    from selfeval.files.workspace import Workspace
    from selfeval.fill.prompter import Prompter
    from selfeval.report.findings import Draft, DraftFinding

__all__ = [
    "DEFAULT_DRAFT",
    "ROUNDS",
    "DraftChanges",
    "PeerReviewResult",
    "RoundChoice",
    "StaleDraftError",
    "choose_round",
    "compare_draft",
    "findings_for_reviewer",
    "run_peer_review",
]

#: Round number → questionnaire id (the forms of involvement, ``DESIGN.md`` §1).
ROUNDS: dict[int, str] = {1: "peer-review-1", 2: "peer-review-2"}

#: Where ``selfeval aggregate --draft`` writes the draft (``docs/findings.md`` §5).
DEFAULT_DRAFT = Path("reports") / "draft.yaml"


# -- choosing the round ------------------------------------------------------------


@dataclass(frozen=True)
class RoundChoice:
    """Which peer-review round a participant does.

    Attributes:
        round: 1 or 2.
        questionnaire_id: ``peer-review-1`` or ``peer-review-2``.
        invited: True when ``--round`` chose a round the participant's
            involvement in ``selfeval.yaml`` does not list (an invitation).
    """

    round: int
    questionnaire_id: str
    invited: bool = False


def choose_round(exercise: Exercise, participant: str, requested: int | None = None) -> RoundChoice:
    """Pick the round from the participant's forms of involvement, unless one is given.

    Args:
        exercise: the exercise (``selfeval.yaml``).
        participant: the reviewer's participant code.
        requested: 1 or 2 from ``--round``, or None.

    Returns:
        The :class:`RoundChoice`. An explicit round always wins (round 1 is
        open to "others invited", ``DESIGN.md`` §1); ``invited`` says it is
        not in the participant's involvement.

    Raises:
        NotFoundError: the participant is not in the exercise.
        UsageError: ``requested`` is not 1 or 2, or the participant is down
            for both rounds and none was given.
        RefusedError: no round given and the participant is down for neither.
    """
    try:
        forms = exercise.participant(participant).involvement
    except KeyError:
        raise NotFoundError(
            f"participant {participant!r} is not in {EXERCISE_FILE}",
            hint=f"use one of: {', '.join(exercise.codes)}",
        ) from None
    if requested is not None:
        if requested not in ROUNDS:
            raise UsageError(f"there is no peer-review round {requested}", hint="use 1 or 2")
        qid = ROUNDS[requested]
        return RoundChoice(requested, qid, invited=qid not in forms)
    rounds = [n for n, qid in ROUNDS.items() if qid in forms]
    if len(rounds) == 1:
        return RoundChoice(rounds[0], ROUNDS[rounds[0]])
    command = f"selfeval peer-review --participant {participant} --round"
    if rounds:
        raise UsageError(
            f"{participant} takes part in both peer-review rounds ({EXERCISE_FILE})",
            hint="say which with --round 1 or --round 2",
            said=Message("error.review_both_rounds", participant=participant, command=command),
        )
    # Down for no round, so for a self-evaluation (every participant has a form of
    # involvement): round 1 is the self-evaluating departments' (DESIGN.md §1).
    raise RefusedError(
        f"{participant} has no peer review among its forms of involvement "
        f"({', '.join(forms)}) in {EXERCISE_FILE}",
        hint="add peer-review-1 or peer-review-2 to its involvement, or invite it with "
        "--round 1 or --round 2",
        said=Message("error.review_add_round_1", participant=participant, command=command),
    )


def findings_for_reviewer(draft: Draft, participant: str, round_: int) -> list[DraftFinding]:
    """The findings a reviewer reacts to, in report order.

    Round 1: findings and role descriptions raised by others
    (:meth:`selfeval.report.findings.Draft.findings_for_peer_review_1`); round 2:
    ``role.<participant>`` and findings naming it as concerned
    (:meth:`~selfeval.report.findings.Draft.findings_for_peer_review_2`).
    """
    if round_ == 1:
        return draft.findings_for_peer_review_1(participant)
    return draft.findings_for_peer_review_2(participant)


# -- the command's one call ------------------------------------------------------------


@dataclass(kw_only=True)
class PeerReviewResult(SessionResult):
    """What a ``peer-review`` run did.

    Attributes (besides those of :class:`~selfeval.fill.session.SessionResult`,
    whose ``state`` may also be ``listed`` here, for ``--list``):
        round: 1 or 2.
        invited: the round is not in the participant's involvement.
        findings: the reviewer's findings in the draft.
        reactions: reactions now in the response.
        changes: the comparison with the draft the response pinned before.
        notes: further information for the user (one sentence each).
    """

    round: int
    invited: bool
    findings: list[DraftFinding]
    reactions: list[Reaction] = field(default_factory=list)
    changes: DraftChanges | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def reacted(self) -> int:
        """How many of the reviewer's findings have a complete reaction to their current text."""
        return len(self.findings) - len(without_reaction(self.findings, self.reactions))

    def counts(self) -> str:
        """Findings reacted to, in the session language."""
        return ngettext(
            self.lang,
            "peer_review.end_reacted",
            "peer_review.end_reacted_plural",
            len(self.findings),
            done=self.reacted,
        )

    def closing_notes(self) -> list[str]:
        """The notes (invited, moved to a new draft, typed text kept), one line each."""
        return [*self.notes, *super().closing_notes()]

    def submitted_text(self, path: str | None) -> str:
        """The line that says the peer review of this round is submitted, with the counts.

        ``path`` as in :meth:`SessionResult.submitted_text` (None: no file name).
        """
        if path is None:
            return gettext(
                self.lang, "peer_review.end_submitted_saved", round=self.round,
                counts=self.counts(),
            )  # fmt: skip
        return gettext(
            self.lang,
            "peer_review.end_submitted",
            round=self.round,
            path=path,
            counts=self.counts(),
        )

    def interrupted_text(self, path: str | None) -> str:
        """The interrupted line of a peer review (reactions and answers are saved)."""
        if path is None:
            return gettext(self.lang, "peer_review.end_interrupted_saved", counts=self.counts())
        return gettext(self.lang, "peer_review.end_interrupted", path=path, counts=self.counts())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _apply_answers_file(
    store: ResponseStore,
    path: Path,
    *,
    draft: Draft,
    selection: Sequence[DraftFinding],
    submit: bool,
) -> None:
    """Check everything in the answers file first; save (and submit) only when all is valid.

    Every problem is reported at once (one :class:`ValidationProblems` when
    there are several): bad reactions, invalid answers and, with ``submit``,
    missing answers and earlier reactions still without their comment.
    """
    from selfeval.fill.run import load_answers_file

    data, text = load_answers_file(path)
    raw = data.pop("reactions", None)
    errors: list[SelfevalError] = []
    try:
        incoming = reactions_from_data(
            raw, draft=draft, selection=selection, path=path, text=text,
            listing=store.workspace.command(
                "peer-review", store.participant, store.category, "--list"
            ),
        )  # fmt: skip
    except ValidationProblems as exc:
        errors += exc.problems
        incoming = []
    except InputError as exc:
        errors.append(exc)
        incoming = []
    answers = {**store.answers, **data}
    problems = check_answers(
        store.loaded.questionnaire,
        answers,
        exercise=store.workspace.exercise,
        participant=store.participant,
        complete=submit,
    )
    for problem in problems:
        keys = problem.path if problem.path[0] in data else None
        errors.append(
            InputError(
                str(problem),
                location=yamlio.location_of(path, text, keys),
                hint="add it to the answers file" if problem.missing else None,
            )
        )
    if not problems:
        errors += _link_problems(store, answers, draft, path, text)
    order = [f.id for f in selection]
    reactions = merge_reactions(store.response.reactions, incoming, order)
    if submit and not errors:
        for problem in reaction_problems(reactions):
            errors.append(
                RefusedError(
                    "cannot submit: " + problem,
                    location=Location(path),
                    hint="add the comment to the answers file",
                )
            )
    if errors:
        raise ValidationProblems(errors) if len(errors) > 1 else errors[0]
    store.response.reactions = reactions
    store.save(answers)
    if submit and not store.submitted:
        store.submit()


def _link_problems(
    store: ResponseStore, answers: dict[str, Any], draft: Draft, path: Path, text: str
) -> list[SelfevalError]:
    """Each opportunity's ``answers`` against the draft and the response's own needs.

    The rule ``validate`` and ``aggregate`` apply too
    (:func:`selfeval.model.links.response_link_problems`), checked here already,
    at the line of the answers file, while the respondent can still fix it.
    """
    from selfeval.model.links import response_link_problems

    kinds = {i: f.kind for f in draft.findings for i in (f.id, *f.merged)}
    errors: list[SelfevalError] = []
    for problem in response_link_problems(
        store.loaded.questionnaire,
        store.participant,
        answers,
        draft=kinds,
        codes=store.workspace.exercise.codes,
    ):
        errors.append(problem.error(yamlio.location_of(path, text, problem.path)))
    return errors


@collection_paused_between_prompts()
def run_peer_review(
    workspace: Workspace,
    *,
    participant: str,
    draft_path: Path | None = None,
    round_: int | None = None,
    answers_file: Path | None = None,
    submit: bool = False,
    reopen: bool = False,
    rebase: bool = False,
    list_only: bool = False,
    lang: str | None = None,
    prompter: Callable[[str], Prompter] | None = None,
    clock: Clock = utc_now,
    category: str | None = None,
) -> PeerReviewResult:
    """Run one peer review: pick the round, check the draft, collect reactions, save.

    With ``answers_file`` the reactions and answers come from the file (no
    prompt; ``docs/peer-review-reference.md``): everything is checked first and nothing
    is saved unless all is valid; then a reaction replaces an earlier one to
    the same finding, an answer replaces the earlier answer, and ``submit``
    submits. Otherwise the prompter asks: first a reaction to each finding
    not yet reacted to (:func:`selfeval.peer_review.reactions.walk_reactions`), then the
    round's questionnaire through :class:`~selfeval.fill.session.FillSession`
    (resume menu, review, submit). Every reaction and answer is saved as it
    is given (``DESIGN.md`` §6).

    Args:
        workspace: the opened workspace.
        participant: the reviewer's code.
        draft_path: the draft file; default ``reports/draft.yaml`` in the workspace
            (``reports/<category>/draft.yaml`` with several incident categories).
        round_: 1 or 2, or None to follow the involvement (:func:`choose_round`).
        answers_file: answers and reactions to apply without prompting.
        submit: with ``answers_file``: submit in the same run.
        reopen: allow changing a submitted response. It is turned back into
            a draft (the submitted version kept beside it) only when
            something actually changes: with ``answers_file`` after
            everything is checked, interactively at the first changed answer.
        rebase: accept a draft other than the one the response pinned:
            reactions to unchanged findings are carried over, changed ones
            are asked again, reactions to gone findings are kept (the final
            report lists them); nothing is deleted.
        list_only: only return the reviewer's findings (nothing is opened or written).
        lang: ``nl``/``en`` for labels; default the exercise's language.
        prompter: builds the prompter for a language (interactive only; the
            CLI checks first that there is a terminal, or an answers file).
        clock: returns the current aware UTC time (timestamps).
        category: picks the default draft in an exercise with several incident
            categories (``reports/<category>/draft.yaml``); the response is for
            the category the draft names.

    Returns:
        The :class:`PeerReviewResult`.

    Raises:
        NotFoundError: unknown participant, missing draft or answers file.
        UsageError: bad round.
        ValueError: a caller error: neither ``answers_file`` nor ``prompter``,
            or ``submit`` without ``answers_file`` (the CLI refuses those
            flag combinations first, ``selfeval.cli._common``).
        StaleDraftError: the response pins another draft and ``rebase`` is false.
        SubmittedError: the response is submitted and ``reopen`` is false
            (:func:`~selfeval.files.store.open_for_session`).
        RefusedError: (``LockedError``) another process holds the response.
        InputError: invalid draft or answers file; reactions to findings not
            in the draft or not this reviewer's (listed together).
        ValidationProblems: several invalid reactions or answers, or (with
            ``submit``) missing answers and comments, all reported at once.
    """
    from selfeval.report.findings import load_draft

    exercise = workspace.exercise
    choice = choose_round(exercise, participant, round_)
    given = draft_path is not None
    if draft_path is None:
        from selfeval.report.aggregate import draft_path as category_draft

        draft_path = category_draft(workspace, workspace.one_category(category))
    draft = load_draft(draft_path, given=given)
    # The draft says which incident category it is about: the reactions are for that one.
    category = draft.draft.incident_category
    if category not in workspace.category_ids:
        known = ", ".join(sorted(workspace.category_ids))
        raise InputError(
            f"this draft is about incident category {category!r}, "
            f"but the workspace evaluates {known}",
            location=Location(draft_path),
            hint="give this workspace's draft (`selfeval aggregate --draft` writes it)",
        )
    member = exercise.participant(participant)
    if not exercise.takes_part_in(member, category):
        raise RefusedError(
            f"{participant} does not take part in incident category {category!r}",
            location=Location(workspace.exercise_path),
            hint=f"give the draft of one of its categories: {', '.join(member.categories or ())}",
        )
    selection = findings_for_reviewer(draft, participant, choice.round)
    path = workspace.response_path(participant, choice.questionnaire_id, category)
    language = lang or exercise.language
    notes: list[str] = []
    if choice.invited and (list_only or answers_file is not None):
        # In a session it is said in the opening panel instead (issue 16: at the end
        # of a run it came too late).
        notes.append(
            gettext(
                language if not list_only else "en",
                "peer_review.invited",
                participant=participant,
                round=choice.round,
                file=EXERCISE_FILE,
            )
        )
    if list_only:
        return PeerReviewResult(
            state="listed", path=path, round=choice.round, invited=choice.invited,
            findings=selection, notes=notes,
        )  # fmt: skip
    if answers_file is None and (submit or prompter is None):
        raise ValueError("run_peer_review: submit needs an answers_file; asking needs a prompter")
    asker = prompter(language) if answers_file is None and prompter is not None else None
    try:
        if (
            asker is not None
            and not reopen
            and submitted_and_reopened(path, choice.round, asker, language)
        ):
            reopen = True
    except ReopenDeclined:
        # "Nee" to reopening: a calm end, nothing changed (not an error).
        return PeerReviewResult(
            state="draft", path=path, round=choice.round, invited=choice.invited,
            findings=selection, notes=notes, still_submitted=True, lang=language,
        )  # fmt: skip
    except (KeyboardInterrupt, EOFError):
        # Ctrl-C at "Heropenen …?": nothing changed, said in the session language
        # (not the CLI's English "Interrupted.").
        return PeerReviewResult(
            state="interrupted", path=path, round=choice.round, invited=choice.invited,
            findings=selection, notes=notes, still_submitted=True, lang=language,
        )  # fmt: skip

    with open_for_session(
        workspace,
        participant,
        choice.questionnaire_id,
        reopen=reopen,
        clock=clock,
        category=category,
    ) as store:
        response = store.response
        pinned = response.draft.hash if response.draft else None
        moved = False  # the reviewer agreed to go on with the new draft
        changes = compare_draft(pinned, response.reactions, draft, selection)
        if changes.stale and response.reactions:
            try:
                consent = rebase or (
                    asker is not None and consent_to_new_draft(changes, draft, asker, language)
                )
            except (KeyboardInterrupt, EOFError):  # Ctrl-C there: said in the session language
                return PeerReviewResult(
                    state="interrupted", path=path, round=choice.round, invited=choice.invited,
                    findings=selection, reactions=list(response.reactions), changes=changes,
                    notes=notes, still_submitted=store.unchanged_submitted, lang=language,
                )  # fmt: skip
            if not consent:
                if asker is None:
                    raise StaleDraftError(changes, location=Location(path))
                return PeerReviewResult(
                    state="draft", path=path, round=choice.round, invited=choice.invited,
                    findings=selection, reactions=list(response.reactions), changes=changes,
                    # Still submitted: the closing line says nothing changed (once).
                    notes=(
                        notes
                        if store.unchanged_submitted
                        else [*notes, gettext(language, "peer_review.declined")]
                    ),
                    still_submitted=store.unchanged_submitted, lang=language,
                )  # fmt: skip
            moved = True
        # The findings skipped stay skipped on this draft (not on a new one: asked then).
        skipped = response.draft.skipped if response.draft and not changes.stale else []
        response.draft = DraftRef(
            hash=draft.draft.hash, path=_relative(draft_path, workspace.root), skipped=skipped
        )
        state: Literal["submitted", "draft", "interrupted"]
        kept_typed = None
        if answers_file is not None:
            _apply_answers_file(
                store, answers_file, draft=draft, selection=selection, submit=submit
            )
            state = "submitted" if submit else "draft"
            from selfeval.fill.session import inactive_note

            kept_out = inactive_note(store.loaded.questionnaire, store.answers, language)
            if kept_out is not None:
                notes.append(kept_out)
        else:
            from selfeval.fill.session import FillSession
            from selfeval.peer_review.asking import ReactionReview, walk_reactions

            assert asker is not None
            names = {p.code: p.name for p in exercise.participants}
            from selfeval.peer_review.asking import kind_label

            # What the reviewer reads for each finding: its kind, who raised
            # it and its title (the id is stored, never shown).
            answerable = [
                (
                    f.id,
                    f"{kind_label(f.kind, language)} "
                    f"({', '.join(names.get(c, c) for c in f.raised_by)}): {f.title}",
                )
                for f in draft.findings
                if f.kind in ANSWERABLE
            ]
            session = FillSession(store, asker, lang=language, findings=answerable)
            session.menus.extra = ReactionReview(
                session.walker, selection, names=names, round_=choice.round
            )
            session.save()
            # Reactions kept from the draft the response pinned before (with consent).
            carried_over = bool(changes.stale and changes.unchanged)
            started = True
            try:
                session.opening(
                    title=gettext(language, "peer_review.opening_title", round=choice.round),
                    first=[
                        *(
                            [gettext(language, "peer_review.opening_invited", round=choice.round)]
                            if choice.invited
                            else []
                        ),
                        ngettext(
                            language,
                            "peer_review.opening_findings",
                            "peer_review.opening_findings_plural",
                            len(selection),
                        ),
                    ],
                    findings=len(selection),
                )
            except (KeyboardInterrupt, EOFError):  # Ctrl-C at the opening panel
                started = False
            state = (
                session.run(opening=False).state
                if started
                and walk_reactions(
                    session.walker, selection, names=names, round_=choice.round,
                    draft_report=draft_report(draft_path, draft.draft.hash),
                    carried_over=carried_over,
                )
                else "interrupted"
            )  # fmt: skip
            kept_typed = session.walker.kept_typed if state == "interrupted" else None
        if moved and not store.unchanged_submitted:
            # Only when it is so: a submitted review left unchanged still follows the
            # draft it was submitted on (issue 16: "volgt nu het nieuwe concept-rapport"
            # and "Niets gewijzigd" after Ctrl-C, one under the other).
            notes.append(gettext(language, "peer_review.moved"))
        return PeerReviewResult(
            state=state, path=path, round=choice.round, invited=choice.invited,
            findings=selection, reactions=list(store.response.reactions), changes=changes,
            reopened=store.reopened, resubmitted=store.response.reopened_from is not None,
            notes=notes, still_submitted=store.unchanged_submitted,
            lang=language, kept_typed=kept_typed,
        )  # fmt: skip
