"""A response: one participant's answers to one questionnaire version.

Every response records the questionnaire id, version and content hash it was
answered against (``DESIGN.md`` §3), its status (draft or submitted) and
timestamps. Peer-review responses also record the draft report they react to
(its content hash) and their reactions per finding id.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from selfeval.model.exercise import CODE_PATTERN, SLUG_PATTERN
from selfeval.model.text import bad_character, character_message, normalised

__all__ = [
    "NEEDS_COMMENT",
    "VERDICTS",
    "DraftRef",
    "Migration",
    "QuestionnaireRef",
    "Reaction",
    "ReactionProblem",
    "Response",
    "Timestamp",
    "command_that_changes",
    "finding_department",
    "missing_comment",
    "reaction_problems",
    "timestamp",
]

#: Reactions a peer reviewer can give to a finding (issue 5).
VERDICTS = ("agree", "partly-agree", "disagree", "no-opinion")
#: The verdicts that need a comment saying what is not right (:func:`missing_comment`).
NEEDS_COMMENT = ("partly-agree", "disagree")
Verdict = Literal["agree", "partly-agree", "disagree", "no-opinion"]


#: The form selfeval writes a time in (``store.iso_stamp``), fractions of a second allowed.
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z\Z")


def timestamp(value: Any) -> str:
    """A response's time as stored: an ISO 8601 UTC time such as ``'2026-12-03T06:27:21Z'``.

    An unquoted time in YAML is read as a date-time; one in UTC is taken, as
    the text selfeval writes for it.

    Returns:
        The time as text.

    Raises:
        ValueError: anything else (``'yesterday'``, a date alone, another time
            zone), with the form to write.
    """
    if isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str) and _STAMP.match(value):
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    shown = value.isoformat() if isinstance(value, dt.date) else value
    raise ValueError(
        f"{shown!r} is not an ISO 8601 time in UTC; write it as "
        f"'2026-12-03T06:27:21Z' (date, 'T', time, 'Z'), quoted"
    )


#: A time in a response: :func:`timestamp` checks it.
Timestamp = Annotated[str, BeforeValidator(timestamp)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuestionnaireRef(_Model):
    """Exactly which questionnaire a response answers: id, version, content hash."""

    id: str
    version: str
    hash: str


class DraftRef(_Model):
    """The draft integrated report a peer review reacts to.

    Attributes:
        hash: the draft's content hash.
        path: the draft file, relative to the workspace.
        skipped: ids of this draft's findings the reviewer passed over
            without a reaction in a session ("(geen antwoord)", "De overige
            bevindingen overslaan"), in report order: not asked again when the
            session resumes; they can be reacted to from the review (issue 16).
    """

    hash: str
    path: str | None = None
    skipped: list[str] = Field(default_factory=list)


def _answer_text(value: str) -> str:
    """A reaction's text under the one rule of answer texts (:mod:`selfeval.model.text`)."""
    value = normalised(value)
    bad = bad_character(value)
    if bad is not None:
        raise ValueError(str(character_message(value, *bad)))
    return value


#: Text a respondent wrote: no control characters but tab and line feed, CR made LF.
AnswerText = Annotated[str, AfterValidator(_answer_text)]


class Reaction(_Model):
    """One peer-review reaction to one finding (or role description) of the draft.

    Attributes:
        finding: the finding's stable id in the draft.
        finding_hash: hash of the finding's text as shown, to notice later edits.
        verdict: agree / partly-agree / disagree / no-opinion.
        comment: required for partly-agree and disagree.
        correction: optional proposed text.
    """

    finding: str
    finding_hash: str | None = None
    verdict: Verdict
    comment: AnswerText | None = None
    correction: AnswerText | None = None


class Migration(_Model):
    """One ``selfeval migrate`` of a response, recorded in it (``docs/migrate.md``).

    Attributes:
        from_version: the questionnaire version it answered before.
        from_hash: that version's content hash.
        to_version: the version it was moved to.
        at: when (ISO 8601 UTC).
        kept: file name of the response as it was, kept beside it.
        not_carried: answers that could not be carried over (paths such as
            ``cooperation_rating`` or ``bottlenecks[0].departments``); they
            are in the kept file.
    """

    from_version: str
    from_hash: str
    to_version: str
    at: Timestamp
    kept: str
    not_carried: list[str] = Field(default_factory=list)


class Response(_Model):
    """The content of one response file.

    Attributes:
        questionnaire: what was answered.
        participant: the respondent's participant code.
        incident_category: the incident category id.
        status: ``draft`` while being filled, ``submitted`` once submitted.
        started_at, updated_at, submitted_at: ISO 8601 timestamps (UTC) as strings.
        reopened_from: file name of the earlier submitted version, after ``--reopen``.
        draft: for peer reviews, the draft report reacted to.
        answers: item id → answer (repeat groups are lists of mappings).
        reactions: for peer reviews, one per finding reacted to.
        migrations: each ``selfeval migrate`` of this response, oldest first.
        unconfirmed: text typed into a prompt but not confirmed when the session
            was interrupted (Ctrl-C), by the answer's dotted path. It is not an
            answer: nothing counts, checks or reports it; ``fill`` offers it
            again, marked as such, and it becomes the answer once confirmed.
    """

    questionnaire: QuestionnaireRef
    participant: Annotated[str, Field(pattern=CODE_PATTERN)]
    incident_category: Annotated[str, Field(pattern=SLUG_PATTERN)]
    status: Literal["draft", "submitted"] = "draft"
    started_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    submitted_at: Timestamp | None = None
    reopened_from: str | None = None
    draft: DraftRef | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    reactions: list[Reaction] = Field(default_factory=list)
    migrations: list[Migration] = Field(default_factory=list)
    unconfirmed: dict[str, str] = Field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML, in a stable key order, leaving out empty optional fields."""
        data = self.model_dump(mode="python", exclude_none=True)
        for key in ("reactions", "migrations", "unconfirmed"):
            if not data.get(key):
                data.pop(key, None)
        if "draft" in data and not data["draft"].get("skipped"):
            data["draft"].pop("skipped", None)
        return data


@dataclass(frozen=True)
class ReactionProblem:
    """A reaction in a response file that cannot count (:func:`reaction_problems`).

    Attributes:
        path: where in the file: ``("reactions", index, key)``.
        message: what is wrong.
        hint: how to put it right.
    """

    path: tuple[str | int, ...]
    message: str
    hint: str


def command_that_changes(response: Response, kind: str | None = None) -> str:
    """The command with which a response's participant changes it: the one a hint names.

    A self-evaluation is changed with ``selfeval fill -p CODE``, a peer review
    with ``selfeval peer-review -p CODE --round N`` (the round, for a
    participant down for both). A submitted response is refused by both
    without ``--reopen`` (trial 10: a hint named the bare command, which then
    said nothing was changed), so for one the command ends in ``--reopen``.

    Args:
        response: the response a hint is about.
        kind: its questionnaire's kind, when known; else its questionnaire id says it.

    Returns:
        The command line, e.g. ``selfeval fill -p EZK --reopen``.
    """
    qid = response.questionnaire.id
    kind = kind or qid
    if kind in ("peer-review-1", "peer-review-2"):
        command = f"selfeval peer-review -p {response.participant} --round {kind[-1]}"
    else:
        command = f"selfeval fill -p {response.participant}"
        if qid != "self-evaluation":
            command += f" --questionnaire {qid}"
    return f"{command} --reopen" if response.status == "submitted" else command


def finding_department(fid: str) -> str:
    """The participant code a finding id starts with (``role.BZ``, ``BZ.needs.1``: ``BZ``)."""
    return fid[5:] if fid.startswith("role.") else fid.split(".", 1)[0]


def missing_comment(finding: str, verdict: str, comment: str | None) -> str | None:
    """Why a reaction cannot be submitted as it is, or None: the rule of a verdict's comment.

    ``partly-agree`` and ``disagree`` (:data:`NEEDS_COMMENT`) need a comment
    that says what is not right (``docs/peer-review-reference.md``): the
    report shows the dissent in the reviewer's words. ``peer-review`` asks for
    it and will not submit without it; ``validate``, ``status`` and
    ``aggregate`` refuse a submitted response without it (:func:`reaction_problems`).

    Args:
        finding: the finding id reacted to, for the message.
        verdict: the reaction's verdict.
        comment: its comment (None: none).

    Returns:
        ``'reaction to ID: a comment is required with verdict V'``, or None.
    """
    if verdict in NEEDS_COMMENT and not (comment or "").strip():
        return f"reaction to {finding}: a comment is required with verdict {verdict}"
    return None


def reaction_problems(response: Response) -> list[ReactionProblem]:
    """The one rule on a response's reactions, whoever wrote the file.

    ``peer-review`` asks and writes by it; ``validate``, ``status``,
    ``aggregate`` and ``import`` check a response file by it
    (:func:`selfeval.files.workspace.response_problems`): one reaction per
    finding; round 1 reacts to what *other* departments said, never to one's
    own finding; every reaction records the hash of the finding's text it was
    given on (``finding_hash``, filled in from the draft), without which a
    later change of the text could not be noticed; in a submitted response, a
    ``partly-agree`` or ``disagree`` has its comment (:func:`missing_comment`;
    a draft may still lack it: ``peer-review`` asks for it before submitting).

    Args:
        response: a loaded response (a self-evaluation has no reactions).

    Returns:
        One problem per wrong reaction, in file order.
    """
    problems: list[ReactionProblem] = []
    seen: dict[str, int] = {}
    own_round = response.questionnaire.id == "peer-review-1"
    submitted = response.status == "submitted"
    for index, reaction in enumerate(response.reactions):
        fid = reaction.finding
        if fid in seen:
            problems.append(
                ReactionProblem(
                    ("reactions", index, "finding"),
                    f"{fid} is reacted to twice (reactions {seen[fid] + 1} and {index + 1})",
                    "give one reaction per finding: delete one, or react again with "
                    f"`{command_that_changes(response)}`, which replaces the earlier reaction",
                )
            )
            continue
        seen[fid] = index
        if own_round and finding_department(fid) == response.participant:
            problems.append(
                ReactionProblem(
                    ("reactions", index, "finding"),
                    f"{fid} is {response.participant}'s own finding: peer review 1 reacts "
                    "to what other departments said",
                    "delete this reaction; a correction of one's own finding belongs in the "
                    "self-evaluation (`selfeval fill --reopen`)",
                )
            )
            continue
        if not (reaction.finding_hash or "").strip():
            problems.append(
                ReactionProblem(
                    ("reactions", index),
                    f"the reaction to {fid} has no finding_hash: it cannot be told whether "
                    "the finding's text changed since",
                    f"react with `{command_that_changes(response)}`, which fills it in from "
                    "the draft",
                )
            )
            continue
        if submitted and (missing := missing_comment(fid, reaction.verdict, reaction.comment)):
            problems.append(
                ReactionProblem(
                    ("reactions", index),
                    missing,
                    "say what is not right in its 'comment' "
                    f"(`{command_that_changes(response)}`), or change the verdict",
                )
            )
    return problems
