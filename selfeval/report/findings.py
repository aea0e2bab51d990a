"""Findings: extracting them from responses, their stable ids, merging, the draft.

A *finding* is one entry of a repeat group marked ``finding: <kind>`` in a
questionnaire (bottleneck, blind spot, need, opportunity, activity, document)
or one row of the roles table (the seed's Figure 1). Every finding gets a
stable id derived from where it comes from, and a hash of what it says, so a
peer-review reaction can be matched to the finding it was given on and an
edit since the draft can be noticed. The full contract (ids, ``same_as``,
``texts/merges.yaml``, ``reports/draft.yaml``) is ``docs/findings.md``;
merging findings declared the same is :mod:`selfeval.report.merges`.

This module knows nothing of the terminal; it returns data and raises
:class:`selfeval.errors.SelfevalError` subclasses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn, TextIO

from pydantic import BaseModel, ConfigDict, Field

from selfeval.errors import InputError, Location, SelfevalError
from selfeval.files import yamlio
from selfeval.model.answers import CONCERNS, finding_id
from selfeval.model.exercise import Exercise
from selfeval.model.questionnaire import Questionnaire, RepeatItem
from selfeval.model.response import Response

__all__ = [
    "FINDING_KINDS",
    "MAX_DRAFT_BYTES",
    "NO_DETAILS",
    "Draft",
    "DraftFinding",
    "DraftInfo",
    "EntryPlaces",
    "Finding",
    "Source",
    "SourceResponse",
    "check_draft_size",
    "draft_data",
    "draft_hash",
    "finding_hash",
    "load_draft",
    "order_key",
    "report_order",
    "response_findings",
    "role_findings",
    "shared",
    "write_draft",
]

#: ``reports/draft.yaml`` larger than this is refused, on reading (``peer-review``,
#: ``aggregate``'s opportunity links) and on writing (``aggregate --draft``,
#: :func:`check_draft_size`). A draft lists every finding of every response, so
#: it has a limit of its own above :data:`~selfeval.files.yamlio.MAX_FILE_BYTES`:
#: 2,000 responses of the benchmark (``benchmarks/generate.py``) make 34 MB, which
#: loads in about 18 s with 0.56 GB peak RSS; 64 MiB is room for about 3,900.
MAX_DRAFT_BYTES = 64 * 1024 * 1024

#: Every kind of finding, in the order the report discusses them.
FINDING_KINDS = ("role", "document", "activity", "bottleneck", "blind-spot", "need", "opportunity")
FindingKindName = Literal[
    "bottleneck", "blind-spot", "need", "opportunity", "activity", "document", "role"
]
#: Questionnaire order within one participant (``docs/findings.md`` §4).
_QUESTIONNAIRE_ORDER = ("self-evaluation", "peer-review-1", "peer-review-2")


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def finding_hash(kind: str, title: str, text: str) -> str:
    """Hash what a finding says, to notice edits between the draft and the final report.

    Args:
        kind: the finding kind (``bottleneck``, ``role``, …).
        title: the finding's title as shown.
        text: the finding's text as shown (whitespace kept).

    Returns:
        ``"sha256:<hex>"`` of the canonical JSON of ``{"kind", "text", "title"}``
        (``docs/findings.md`` §5).
    """
    digest = hashlib.sha256(_canonical({"kind": kind, "title": title, "text": text}))
    return "sha256:" + digest.hexdigest()


class _NoDetails(dict[str, Any]):
    """The details of every finding that has none: one empty mapping, shared, never changed.

    A finding without kind-specific extras (most bottlenecks, blind spots and
    needs) held an empty dict of its own (1,000 responses: 8,456 of them).
    It equals ``{}``, is JSON's ``{}``, and pickles as a reference to
    :data:`NO_DETAILS` (so a worker process's findings share it too); any
    attempt to change it raises ``TypeError``.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("NO_DETAILS is shared by every finding without details: never changed")

    __setitem__ = __delitem__ = __ior__ = _refuse
    setdefault = update = pop = popitem = clear = _refuse

    def __reduce__(self) -> str:
        return "NO_DETAILS"


#: :attr:`Finding.details` of a finding without details (shared; it cannot be changed).
NO_DETAILS: dict[str, Any] = _NoDetails()

#: Equal tuples of strings and numbers made before, to share (see :func:`shared`).
_SHARED: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
#: How many :func:`shared` keeps at most (a dict of ~4,000 small entries, ~200 KB).
_SHARED_MAX = 4096


def shared(values: Iterable[Any]) -> tuple[Any, ...]:
    """``values`` as a tuple, the same object as an equal one made before when there is one.

    The findings of 1,000 responses repeat their places (``("bottlenecks",
    0)``) and the departments they concern: ~20 findings per response, each
    of which held a list of its own for each (``docs/performance.md``). An
    empty sequence gives ``()``. Only for tuples of strings and integers
    (``(1,)`` and ``(True,)`` are equal keys); at most :data:`_SHARED_MAX`
    are kept, later ones are returned unshared.
    Sharing changes neither equality nor the bytes pickle gives (the kept
    parts' keys pickle without a memo, :mod:`selfeval.report.fragments`).
    """
    made = tuple(values)
    if not made:
        return ()
    found = _SHARED.get(made)
    if found is not None:
        return found
    if len(_SHARED) < _SHARED_MAX:
        _SHARED[made] = made
    return made


@dataclass(frozen=True, slots=True)
class Source:
    """A document a finding cites (the seed's footnotes: document, year, page)."""

    document: str
    year: int | None = None
    page: str | None = None


@dataclass(slots=True)
class Finding:
    """One finding, with where it came from.

    Attributes:
        id: stable id (``BZ.bottlenecks.capaciteit-politie-justitie``, ``role.BZK``).
        kind: one of :data:`FINDING_KINDS`.
        title: short title as shown.
        text: the description as shown.
        scope: ``departmental``/``interdepartmental`` for needs and
            opportunities, else None.
        raised_by: participant codes that raised it (several after a merge).
        concerns: participant codes it concerns.
        hash: :func:`finding_hash` of kind, title and text.
        questionnaire: id of the questionnaire it was answered in (``role``
            findings: ``self-evaluation``).
        source: the response file it came from, workspace-relative (POSIX).
        details: kind-specific extras: ``phase`` (activities), ``nature``
            and ``direction`` (opportunities), ``involvement`` (roles).
        sources: cited documents, in entry order.
        same_as: ids this entry declares itself the same as.
        merged: ids merged into this one (aliases), after :func:`merge_findings`.
        others: the merged-in findings themselves, to show their texts.
        note: an editorial note from ``texts/merges.yaml``.
        written_by: codes of the departments that wrote ``text`` — the
            finding's own ``raised_by`` from before a merge widened it (set
            by :func:`selfeval.report.merges.merge_findings`); empty when it
            is ``raised_by``.
        answers: for opportunities, the ids of the findings it answers (the
            entry's ``answers``; after :func:`selfeval.report.links.link_answers`,
            the surviving ids of bottlenecks, blind spots and needs, in report order).
        place: where the entry is in its response's answers (``("opportunities", 2)``),
            to point at file:line.

    Every finding of every response is held for the whole run, so its
    sequences are tuples (an empty one is ``()``, one object for all; equal
    places and ``concerns`` are shared, :func:`shared`) and ``details`` is
    :data:`NO_DETAILS` when it has none: each held eight lists, most of
    them empty, and a dict (``docs/performance.md``). Code that changes a
    finding (merges, links) gives it new tuples.
    """

    id: str
    kind: str
    title: str
    text: str
    scope: str | None
    raised_by: tuple[str, ...]
    concerns: tuple[str, ...]
    hash: str
    questionnaire: str
    source: str
    details: dict[str, Any] = field(default_factory=lambda: NO_DETAILS)
    sources: tuple[Source, ...] = ()
    same_as: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    others: tuple[Finding, ...] = ()
    note: str | None = None
    written_by: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    place: tuple[str | int, ...] = ()

    @property
    def participant(self) -> str:
        """The participant that raised it first."""
        return self.raised_by[0]


class EntryPlaces:
    """Where something in a finding's entry is written: its response's file, line and column.

    The read step keeps no response's text (nor reads a cached one), so a
    response is read here when a problem is to be located in it, once per
    response, by the one read rule (:func:`selfeval.files.yamlio.read_text`:
    no link out, no pipe, the size limit). Used for an opportunity's
    ``answers`` (:func:`selfeval.report.links.link_answers`) and an entry's
    ``same_as`` (:func:`selfeval.report.merges.merge_findings`).

    Args:
        root: the workspace folder (``Finding.source`` is relative to it).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, str] = {}

    def __call__(self, finding: Finding, *keys: str | int) -> Location:
        """``keys`` inside ``finding``'s entry (``"same_as", 0``), as a :class:`Location`.

        Returns:
            The file with line and column; the file alone when the finding
            has no entry (a role), or the file cannot be read or no longer
            holds the place.
        """
        path = self.root / finding.source
        if finding.source not in self._texts:
            try:
                self._texts[finding.source] = yamlio.read_text(path)
            except SelfevalError:
                self._texts[finding.source] = ""
        where = ["answers", *finding.place, *keys] if finding.place else None
        return yamlio.location_of(path, self._texts[finding.source], where)


@dataclass(frozen=True)
class SourceResponse:
    """A response to extract findings from, with its questionnaire and file.

    Attributes:
        response: the loaded response.
        questionnaire: the exact version it answers.
        path: the file, workspace-relative (POSIX), for ``source`` and errors.
    """

    response: Response
    questionnaire: Questionnaire
    path: str

    def answer(self, role: str) -> Any:
        """The answer that plays report ``role`` (``report:`` in the questionnaire), or None."""
        return self.questionnaire.report_answer(self.response.answers, role)


def _choice_label(item: Any, value: Any, lang: str) -> str:
    return str(value) if item is None else item.display(value, lang)


def _sources(entry: dict[str, Any]) -> tuple[Source, ...]:
    found: list[Source] = []
    for raw in entry.get("sources") or []:
        if isinstance(raw, dict) and raw.get("document"):
            year = raw.get("year")
            page = raw.get("page")
            found.append(
                Source(
                    str(raw["document"]),
                    year if isinstance(year, int) else None,
                    str(page) if page not in (None, "") else None,
                )
            )
    return tuple(found)


def _entry_finding(
    kind: str,
    fid: str,
    entry: dict[str, Any],
    item: RepeatItem,
    source: SourceResponse,
    lang: str,
    place: tuple[str | int, ...] = (),
    raised_by: tuple[str, ...] | None = None,
) -> Finding:
    sub = {i.id: i for i in item.items}
    details: dict[str, Any] = {}
    if kind == "activity":
        phase = entry.get("phase")
        details["phase"] = phase
        title = _choice_label(sub.get("phase"), phase, lang)
        text = str(entry.get("description") or "")
    elif kind == "document":
        title = str(entry.get("title") or "")
        if isinstance(entry.get("year"), int):
            title += f" ({entry['year']})"
            details["year"] = entry["year"]
        text = str(entry.get("note") or "")
    else:
        title = str(entry.get("title") or "")
        text = str(entry.get("description") or "")
        for key in ("nature", "direction"):
            if entry.get(key) is not None:
                details[key] = entry[key]
    scope = entry.get("scope") if kind in ("need", "opportunity") else None
    concerns = entry.get(CONCERNS)
    same_as = entry.get("same_as")
    answers = entry.get("answers") if kind == "opportunity" else None
    return Finding(
        id=fid,
        kind=kind,
        title=title,
        text=text,
        scope=scope,
        raised_by=raised_by or (source.response.participant,),
        concerns=shared(c for c in concerns if isinstance(c, str)) if concerns else (),
        hash=finding_hash(kind, title, text),
        questionnaire=source.questionnaire.id,
        source=source.path,
        details=details or NO_DETAILS,
        sources=_sources(entry),
        same_as=shared(s for s in same_as if isinstance(s, str)) if same_as else (),
        answers=shared(a for a in answers if isinstance(a, str)) if answers else (),
        place=shared(place),
    )


def order_key(order: dict[str, int], source: SourceResponse) -> tuple[int, int, str]:
    """Sort key of a response in report order (``docs/findings.md`` §4).

    Args:
        order: participant code → position in ``selfeval.yaml``.
        source: the response.

    Returns:
        (participant position, questionnaire position, path).
    """
    p_index = order.get(source.response.participant, len(order))
    qid = source.questionnaire.id
    q_index = _QUESTIONNAIRE_ORDER.index(qid) if qid in _QUESTIONNAIRE_ORDER else 99
    return (p_index, q_index, source.path)


def role_findings(exercise: Exercise, sources: Sequence[SourceResponse]) -> list[Finding]:
    """The ``role.<P>`` findings: own role descriptions, else what others said.

    Args:
        exercise: participants (order, names).
        sources: responses in report order (:func:`order_key`); only
            self-evaluations and the answers with the report roles ``role``,
            ``involvement``, ``gives_input_to``, ``receives_input_from`` and
            ``other_roles`` are read (:mod:`selfeval.model.roles`).

    Returns:
        One finding per participant with a role description, in
        ``selfeval.yaml`` order (``docs/findings.md`` §2).
    """
    names = {p.code: p.name for p in exercise.participants}
    own: dict[str, Finding] = {}
    described: dict[str, list[tuple[str, str, str | None, str]]] = {}
    for source in sources:
        if source.questionnaire.kind != "self-evaluation":
            continue
        code = source.response.participant
        role_text = source.answer("role")
        if isinstance(role_text, str) and role_text.strip():
            title = names.get(code, code)
            text = role_text
            own[code] = Finding(
                id=f"role.{code}",
                kind="role",
                title=title,
                text=text,
                scope=None,
                raised_by=(code,),
                concerns=(code,),
                hash=finding_hash("role", title, text),
                questionnaire=source.questionnaire.id,
                source=source.path,
                details={
                    "involvement": source.answer("involvement"),
                    "gives_input_to": list(source.answer("gives_input_to") or []),
                    "receives_input_from": list(source.answer("receives_input_from") or []),
                },
            )
        for entry in source.answer("other_roles") or []:
            if not isinstance(entry, dict):
                continue
            other = entry.get("participant")
            role = entry.get("role")
            if isinstance(other, str) and isinstance(role, str) and role.strip():
                described.setdefault(other, []).append(
                    (code, role.strip(), entry.get("involvement"), source.path)
                )
    roles: list[Finding] = []
    for participant in exercise.participants:
        code = participant.code
        if code in own:
            roles.append(own[code])
            continue
        views = described.get(code)
        if not views:
            continue
        title = participant.name
        text = "\n\n".join(f"{names.get(by, by)}: {role}" for by, role, _, _ in views)
        levels = [lvl for _, _, lvl, _ in views if lvl]
        roles.append(
            Finding(
                id=f"role.{code}",
                kind="role",
                title=title,
                text=text,
                scope=None,
                raised_by=tuple(by for by, _, _, _ in views),
                concerns=(code,),
                hash=finding_hash("role", title, text),
                questionnaire="self-evaluation",
                source=views[0][3],
                details={"involvement": levels[0] if levels else None, "views": views},
            )
        )
    return roles


def response_findings(source: SourceResponse, lang: str) -> list[Finding]:
    """The findings of one response's ``finding:`` repeat groups (roles excluded).

    Args:
        source: the response with its questionnaire and workspace-relative path.
        lang: the report language (for choice labels used as titles).

    Returns:
        One finding per entry, in item and entry order, with its stable id
        (``<P>[.<questionnaire>].<item>.<key or position>``, ``docs/findings.md``
        §2) and hash (§5, computed once here).
    """
    response = source.response
    raised_by = (response.participant,)  # one tuple for all its findings
    findings: list[Finding] = []
    for item in source.questionnaire.items():
        if not isinstance(item, RepeatItem) or item.finding is None:
            continue
        entries = response.answers.get(item.id)
        if not isinstance(entries, list):
            continue
        for position, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue
            fid = finding_id(response.participant, source.questionnaire, item.id, entry, position)
            place = (item.id, position - 1)
            findings.append(
                _entry_finding(item.finding, fid, entry, item, source, lang, place, raised_by)
            )
    return findings


def report_order(
    exercise: Exercise, extracted: Iterable[tuple[SourceResponse, Sequence[Finding]]]
) -> list[Finding]:
    """All findings of the included responses, in report order, with the role findings first.

    This is what ``selfeval aggregate`` does after step 1 (``read_one`` calls
    :func:`response_findings` per file, maybe in a worker process).

    Args:
        exercise: the exercise (participant order, names).
        extracted: each response with the findings :func:`response_findings`
            extracted from it.

    Returns:
        Role findings first (``role.<P>``, built across the responses, in
        ``selfeval.yaml`` order), then every entry of every ``finding:``
        repeat group, ordered by participant (``selfeval.yaml`` order),
        questionnaire (self-evaluation, peer-review-1, peer-review-2), item and
        entry. Ids follow ``docs/findings.md`` §2; nothing is merged yet.
    """
    order = {code: n for n, code in enumerate(exercise.codes)}
    ordered = sorted(extracted, key=lambda pair: order_key(order, pair[0]))
    findings = role_findings(exercise, [source for source, _ in ordered])
    for _, own in ordered:
        findings.extend(own)
    return findings


class _Model(BaseModel):
    # Readers ignore fields added by later versions (docs/findings.md §5).
    model_config = ConfigDict(extra="ignore", frozen=True)


class DraftInfo(_Model):
    """The ``draft:`` header of ``reports/draft.yaml``."""

    hash: str
    exercise: str
    incident_category: str
    created_from: list[str] = Field(default_factory=list)


class DraftFinding(_Model):
    """One finding as listed in ``reports/draft.yaml``."""

    id: str
    kind: FindingKindName
    title: str
    text: str
    scope: Literal["departmental", "interdepartmental"] | None = None
    raised_by: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    merged: list[str] = Field(default_factory=list)
    hash: str
    answers: list[str] = Field(default_factory=list)


class Draft(_Model):
    """The machine-readable draft a peer review reacts to (``docs/findings.md`` §5)."""

    draft: DraftInfo
    findings: list[DraftFinding] = Field(default_factory=list)

    def finding(self, fid: str) -> DraftFinding:
        """The finding with id ``fid`` (or merged alias ``fid``).

        Raises:
            KeyError: no such finding.
        """
        for finding in self.findings:
            if finding.id == fid or fid in finding.merged:
                return finding
        raise KeyError(fid)

    def findings_for_peer_review_1(self, participant: str) -> list[DraftFinding]:
        """What round 1 reacts to: what *other* departments said.

        Returns:
            Bottlenecks, blind spots, needs, opportunities and roles not
            raised by ``participant`` (the seed's Annex 1: collegiale toets 1).
        """
        kinds = ("role", "bottleneck", "blind-spot", "need", "opportunity")
        return [f for f in self.findings if f.kind in kinds and participant not in f.raised_by]

    def findings_for_peer_review_2(self, participant: str) -> list[DraftFinding]:
        """What round 2 reacts to: the parts of the draft about the department's own role.

        Returns:
            ``role.<participant>`` and every other finding whose ``concerns``
            include ``participant`` (roles of others excluded).
        """
        return [
            f
            for f in self.findings
            if f.id == f"role.{participant}" or (f.kind != "role" and participant in f.concerns)
        ]


def draft_hash(findings: Iterable[Finding | DraftFinding]) -> str:
    """The draft's hash: SHA-256 over the ``[id, hash]`` pairs, in order (findings.md §5)."""
    pairs = [[f.id, f.hash] for f in findings]
    return "sha256:" + hashlib.sha256(_canonical(pairs)).hexdigest()


def draft_data(
    findings: Sequence[Finding],
    *,
    exercise: Exercise,
    created_from: Sequence[str],
    hash: str | None = None,
) -> dict[str, Any]:
    """The content of ``reports/draft.yaml`` as plain data (deterministic).

    Args:
        findings: merged findings in report order.
        exercise: for the project and incident category.
        created_from: workspace-relative response paths used.
        hash: the draft hash when already computed (default: :func:`draft_hash`).

    Returns:
        ``{"draft": {...}, "findings": [...]}`` ready for :func:`selfeval.files.yamlio.write`;
        :func:`write_draft` streams the same content.
    """

    def entry(f: Finding) -> dict[str, Any]:
        data = {
            "id": f.id,
            "kind": f.kind,
            "title": f.title,
            "text": f.text,
            "scope": f.scope,
            "raised_by": list(f.raised_by),
            "concerns": list(f.concerns),
            "merged": list(f.merged),
            "hash": f.hash,
        }
        if f.kind == "opportunity":
            data["answers"] = list(f.answers)
        return data

    return {
        "draft": {
            "hash": hash if hash is not None else draft_hash(findings),
            "exercise": exercise.text(exercise.project),
            "incident_category": exercise.categories[0].id,
            "created_from": sorted(created_from),
        },
        "findings": [entry(f) for f in findings],
    }


def _draft_list(key: str, values: Sequence[str], indent: str) -> str:
    if not values:
        return f"{indent}{key}: []\n"
    return f"{indent}{key}:\n" + "".join(
        f"{indent}- {yamlio.scalar(v, len(indent))}\n" for v in values
    )


def write_draft(
    handle: TextIO,
    findings: Sequence[Finding],
    *,
    exercise: Exercise,
    created_from: Sequence[str],
    hash: str | None = None,
) -> None:
    """Stream ``reports/draft.yaml`` into ``handle``, one finding at a time.

    The document is the one :func:`draft_data` describes (it loads back equal
    to it, ``tests/test_findings.py``), written without building it whole or
    going through PyYAML's representer: every value goes through
    :func:`selfeval.files.yamlio.scalar`, which keeps yamlio's rule that a
    string reads back as exactly itself.

    Args:
        handle: a text handle (``yamlio.atomic_files`` gives one).
        findings: merged findings in report order.
        exercise: for the project and incident category.
        created_from: workspace-relative response paths used.
        hash: the draft hash when already computed (default: :func:`draft_hash`).
    """
    scalar = yamlio.scalar
    digest = hash if hash is not None else draft_hash(findings)
    handle.write(
        f"draft:\n  hash: {scalar(digest)}\n"
        f"  exercise: {scalar(exercise.text(exercise.project), 2)}\n"
        f"  incident_category: {scalar(exercise.categories[0].id, 2)}\n"
        + _draft_list("created_from", sorted(created_from), "  ")
    )
    if not findings:
        handle.write("findings: []\n")
        return
    handle.write("findings:\n")
    for f in findings:
        handle.write(
            f"- id: {scalar(f.id, 2)}\n  kind: {scalar(f.kind, 2)}\n"
            f"  title: {scalar(f.title, 2)}\n  text: {scalar(f.text, 2)}\n"
            f"  scope: {scalar(f.scope, 2)}\n"
            + _draft_list("raised_by", f.raised_by, "  ")
            + _draft_list("concerns", f.concerns, "  ")
            + _draft_list("merged", f.merged, "  ")
            + f"  hash: {scalar(f.hash, 2)}\n"
            + (_draft_list("answers", f.answers, "  ") if f.kind == "opportunity" else "")
        )


def check_draft_size(size: int, path: Path) -> None:
    """Refuse to write a draft of ``size`` bytes that :func:`load_draft` would refuse.

    Raises:
        InputError: over :data:`MAX_DRAFT_BYTES`; ``aggregate`` writes nothing then.
    """
    yamlio.check_size(
        size,
        path,
        MAX_DRAFT_BYTES,
        writing="peer-review could not read a draft this large, so no draft was made; the "
        "final report (`selfeval aggregate` without --draft) has no such limit, and with "
        "several incident categories each has a draft of its own",
    )


def load_draft(path: Path, *, given: bool = True) -> Draft:
    """Load ``reports/draft.yaml``.

    Args:
        path: the draft file written by ``selfeval aggregate --draft``.
        given: the reader named ``path`` (``--draft``); False for the
            workspace's own draft, which a reviewer's words for a missing
            draft do not name (it is not made yet: the coordinator makes it).

    Returns:
        The :class:`Draft`.

    Raises:
        NotFoundError/InputError: missing, unreadable, over
            :data:`MAX_DRAFT_BYTES` or malformed file, with file:line of the problem.
    """
    from selfeval.files.load import parse_model

    if not path.is_file():
        from selfeval.errors import NotFoundError
        from selfeval.i18n import Message

        raise NotFoundError(
            f"no draft report at {path}",
            hint="make one with `selfeval aggregate --draft` (it writes reports/draft.yaml)",
            said=Message("error.no_draft_file", path=str(path))
            if given
            else Message("error.no_draft_yet"),
        )
    # The text is kept for the lines of messages: the file is read once.
    data, text = yamlio.load(path, max_bytes=MAX_DRAFT_BYTES, with_text=True)
    if not isinstance(data, dict):
        raise InputError(
            "not a draft file: expected 'draft:' and 'findings:'",
            location=Location(path, 1, 1),
            hint="regenerate it with `selfeval aggregate --draft`",
        )
    return parse_model(Draft, data, path, text=text)
