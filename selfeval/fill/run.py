"""``selfeval fill``: one department answers a questionnaire, interactively or from a file.

:func:`run_fill` is the one call the CLI makes. It picks the questionnaire
(the one the participant's involvement calls for, ``DESIGN.md`` §1), opens
and locks the response (:class:`~selfeval.files.store.ResponseStore`), reopens a
submitted one only when asked, and then either

* runs the interactive :class:`~selfeval.fill.session.FillSession` through the
  prompter the CLI supplies, or
* fills from an answers file (``--answers FILE``, YAML or JSON keyed by item
  id, repeat groups as lists of mappings): every invalid answer is reported at
  once, with the file's line numbers, and nothing is saved then; with
  ``submit`` missing required answers are reported the same way.

Whether there is a terminal is the CLI's to check (``selfeval.cli._common``):
without one and without an answers file the command fails fast instead of
waiting for input that never comes (``STYLE.md`` §5).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from selfeval.errors import (
    InputError,
    Location,
    NotFoundError,
    RefusedError,
    ValidationProblems,
)
from selfeval.files import yamlio
from selfeval.files.store import Clock, ResponseStore, open_for_session, utc_now
from selfeval.files.workspace import Workspace, split_ref
from selfeval.fill.prompter import Prompter
from selfeval.fill.session import FillSession, Outcome, outcome_of
from selfeval.i18n import Message
from selfeval.model.answers import Problem, check_answers, inactive_answers
from selfeval.model.exercise import EXERCISE_FILE
from selfeval.model.links import response_link_problems
from selfeval.model.questionnaire import DateItem, Item, LongTextItem, RepeatItem, TextItem
from selfeval.model.text import normalised

__all__ = ["choose_questionnaire", "fill_from_answers", "load_answers_file", "run_fill"]

#: The form of involvement ``fill`` serves; peer reviews have their own command.
FILL_KIND = "self-evaluation"


def choose_questionnaire(
    workspace: Workspace, participant: str, ref: str | None
) -> tuple[str, str | None]:
    """Decide which questionnaire a participant fills.

    Args:
        workspace: the opened workspace.
        participant: the participant code.
        ref: ``ID[@VERSION]`` given on the command line, or None for the one
            the participant's involvement calls for.

    Returns:
        (questionnaire id, explicit version or None).

    Raises:
        NotFoundError: unknown participant or questionnaire.
        RefusedError: the questionnaire is a peer review (``selfeval
            peer-review`` fills those), or the participant has no
            self-evaluation in ``selfeval.yaml``.
    """
    exercise = workspace.exercise
    try:
        member = exercise.participant(participant)
    except KeyError:
        raise NotFoundError(
            f"participant {participant!r} is not in {EXERCISE_FILE}",
            location=Location(workspace.exercise_path),
            hint=f"use one of: {', '.join(exercise.codes)}",
        ) from None
    qid, version = split_ref(ref) if ref else (FILL_KIND, None)
    kind = workspace.questionnaire(qid, version).questionnaire.kind
    review = f"selfeval peer-review --participant {participant}"
    if kind != FILL_KIND:
        peer_review = kind.startswith("peer-review")
        what = "a peer review" if peer_review else f"a {kind} questionnaire"
        raise RefusedError(
            f"{qid} is {what}; `selfeval fill` fills self-evaluations",
            hint=f"use `{review}` for peer reviews",
            said=Message("error.fill_a_peer_review", command=review) if peer_review else None,
        )
    if FILL_KIND not in member.involvement:
        # Not down for a self-evaluation, so for a peer review (one form at least).
        forms = ", ".join(member.involvement)
        raise RefusedError(
            f"{participant} takes part in {forms}, not in a self-evaluation",
            location=Location(workspace.exercise_path),
            hint=f"use `{review}`, or add self-evaluation to its involvement in {EXERCISE_FILE}",
            said=Message("error.fill_peer_review_only", participant=participant, command=review),
        )
    return qid, version


def load_answers_file(path: Path) -> tuple[dict[str, Any], str]:
    """Read an answers file: YAML, or JSON when the name ends in ``.json``.

    Both are read as every workspace file is (:func:`selfeval.files.yamlio.read_file`:
    at most :data:`~selfeval.files.yamlio.MAX_FILE_BYTES`), and JSON is held to
    YAML's rules: nested at most :data:`~selfeval.files.yamlio.MAX_DEPTH`
    levels, no key twice in one object.

    Returns:
        (item id → answer, the file's text for locating problems).

    Raises:
        InputError: missing, unreadable, too large, not UTF-8, not YAML/JSON,
            nested too deeply, a duplicate key, or not a mapping.
    """
    data: Any
    # A file the user names: it may be outside the workspace, but never a pipe
    # or device, and never over the size limit (yamlio.read_file).
    text = yamlio.decode(yamlio.read_file(path, named=True), path)
    if path.suffix.lower() == ".json":
        yamlio.check_json_depth(text, path)
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg}", location=Location(path, exc.lineno, exc.colno)
            ) from None
        except _DuplicateKey as exc:
            raise InputError(
                f"duplicate key {exc.key!r}",
                location=_json_key_location(path, text, exc.key),
                hint="remove or rename one of the two entries",
            ) from None
    else:
        data = yamlio.load_text(text, path)
    if not isinstance(data, dict):
        raise InputError(
            "the answers file must be a mapping of item ids to answers",
            location=Location(path, 1, 1),
            hint="write one 'item_id: answer' line per item; see docs/fill-reference.md",
        )
    return data, text


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (as the YAML loader does)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data


def _json_key_location(path: Path, text: str, key: str) -> Location:
    """Where ``key`` appears a second time in ``text`` (the file alone when not found)."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(found) < 2:
        return Location(path)
    start = found[1]
    return Location.at_offset(path, text, start)


def _normalise(items: list[Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Unquoted YAML dates become ISO strings, a text's CR a line feed; in repeat entries too.

    A text's CR LF and lone CR: :func:`selfeval.model.text.normalised`.
    """
    out = dict(answers)
    for item in items:
        value = out.get(item.id)
        if isinstance(item, DateItem) and isinstance(value, dt.date):
            out[item.id] = value.isoformat()[:10]
        elif isinstance(item, TextItem | LongTextItem) and isinstance(value, str):
            out[item.id] = normalised(value)
        elif isinstance(item, RepeatItem) and isinstance(value, list):
            out[item.id] = [
                _normalise(item.items, entry) if isinstance(entry, dict) else entry
                for entry in value
            ]
    return out


def _located(
    problems: list[Problem], path: Path, text: str, file_keys: set[str]
) -> list[InputError]:
    errors: list[InputError] = []
    for problem in problems:
        keys = problem.path if problem.path[0] in file_keys else None
        errors.append(
            InputError(
                str(problem),
                location=yamlio.location_of(path, text, keys),
                hint="add it to the answers file" if problem.missing else None,
            )
        )
    return errors


def _link_problems(
    store: ResponseStore, answers: Mapping[str, Any], path: Path, text: str, file_keys: set[str]
) -> list[InputError]:
    """The finding ids the opportunities answer, by the rule validate and aggregate apply.

    :func:`selfeval.model.links.response_link_problems`: in a self-evaluation,
    the respondent's own bottlenecks, blind spots and needs (``docs/findings.md`` §7).
    """
    errors: list[InputError] = []
    for problem in response_link_problems(
        store.loaded.questionnaire,
        store.participant,
        answers,
        codes=store.workspace.exercise.codes,
    ):
        keys = problem.path if problem.path[0] in file_keys else None
        errors.append(problem.error(yamlio.location_of(path, text, keys)))
    return errors


def fill_from_answers(
    store: ResponseStore, path: Path, *, submit: bool = False, lang: str = "en"
) -> Outcome:
    """Fill an opened response from an answers file, without prompts.

    The file's answers are laid over the draft's (a key in the file replaces
    that item's answer). Everything is checked first; nothing is saved unless
    all is valid.

    A submitted response (opened with ``--reopen``, see
    :meth:`~selfeval.files.store.ResponseStore.allow_reopen`) is reopened only when
    everything is valid and the answers actually change it.

    Args:
        store: the opened, locked response.
        path: the answers file (see :func:`load_answers_file`).
        submit: also submit, which needs every required answer.
        lang: the language of the closing lines and of the missing items' labels.

    Returns:
        The outcome (``submitted`` or ``draft``; ``still_submitted`` when a
        submitted response was left as it was).

    Raises:
        ValidationProblems: every invalid answer (and with ``submit`` every
            missing one), each with the file and line; then every id an
            opportunity's ``answers`` may not name.
        InputError: the file cannot be read.
    """
    data, text = load_answers_file(path)
    questionnaire = store.loaded.questionnaire
    answers = _normalise(list(questionnaire.items()), {**store.answers, **data})
    problems = check_answers(
        questionnaire,
        answers,
        exercise=store.workspace.exercise,
        participant=store.participant,
        complete=submit,
    )
    if problems:
        raise ValidationProblems(list(_located(problems, path, text, set(data))))
    links = _link_problems(store, answers, path, text, set(data))
    if links:
        raise ValidationProblems(links)
    store.save(answers)
    if submit and not store.submitted:
        store.submit()
    # Answers whose condition is false are kept but not counted: said, as a session says it.
    inactive = tuple(inactive_answers(store.loaded.questionnaire, store.answers))
    state = "submitted" if store.submitted else "draft"
    return outcome_of(store, state, lang=lang, inactive=inactive)


def run_fill(
    *,
    workspace: Workspace,
    participant: str,
    questionnaire: str | None = None,
    lang: str | None = None,
    answers_file: Path | None = None,
    submit: bool = False,
    reopen: bool = False,
    prompter: Callable[[str], Prompter] | None = None,
    clock: Clock = utc_now,
    category: str | None = None,
) -> Outcome:
    """Fill one response: interactively through ``prompter``, or from ``answers_file``.

    Args:
        workspace: the opened workspace.
        participant: participant code (``--participant``).
        questionnaire: ``ID[@VERSION]`` or None for the participant's self-evaluation.
        lang: ``nl``/``en``; default the exercise's report language.
        answers_file: fill from this file instead of asking.
        submit: with ``answers_file``: submit in the same run.
        reopen: allow changing a submitted response (its submitted version is kept).
        prompter: builds the prompter for a language (interactive only; the
            CLI checks first that there is a terminal, or an answers file).
        clock: current aware UTC time.
        category: the incident category to answer for (``--category``); None:
            the exercise's only one (:meth:`~selfeval.files.workspace.Workspace.one_category`).

    Returns:
        The :class:`~selfeval.fill.session.Outcome`; ``reopened`` is set when a
        submitted response was reopened, ``still_submitted`` when ``reopen``
        was given but nothing changed (the response stays submitted).
        ``--reopen`` takes effect only on the first real change: with an
        answers file after everything is checked, interactively at the first
        answer that differs (``docs/fill-reference.md``).

    Raises:
        SubmittedError: the response is submitted and ``reopen`` is not given
            (:func:`~selfeval.files.store.open_for_session`).
        RefusedError: (``LockedError``) another process is filling it.
        ValueError: a caller error: neither ``answers_file`` nor ``prompter``,
            or ``submit`` without ``answers_file`` (the CLI refuses those flag
            combinations first, ``selfeval.cli._common``).
        ValidationProblems: invalid or missing answers in the answers file.
        NotFoundError: unknown participant, questionnaire or version.
    """
    qid, version = choose_questionnaire(workspace, participant, questionnaire)
    if answers_file is None and (submit or prompter is None):
        raise ValueError("run_fill: submit needs an answers_file; asking needs a prompter")
    language = lang or workspace.exercise.language
    chosen = workspace.one_category(category)
    member = workspace.exercise.participant(participant)
    if not workspace.exercise.takes_part_in(member, chosen):
        raise RefusedError(
            f"{participant} does not answer for incident category {chosen!r}: its categories "
            f"in {EXERCISE_FILE} are {', '.join(member.categories or ())}",
            location=Location(workspace.exercise_path),
            hint=f"pass --category with one of those, or add {chosen} to its categories",
        )
    with open_for_session(
        workspace, participant, qid, version=version, reopen=reopen, clock=clock, category=chosen
    ) as store:
        if answers_file is not None:
            return fill_from_answers(store, answers_file, submit=submit, lang=language)
        assert prompter is not None
        return FillSession(store, prompter(language), lang=language).run()
