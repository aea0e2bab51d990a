"""Merging findings declared the same: ``same_as`` in entries and ``texts/merges.yaml``.

Two departments often raise the same point (in the seed report "BZ en Defensie:
beperkte capaciteit …"). A respondent can say so with ``same_as: [<finding id>]``
on an entry; the secretariat can say so in ``texts/merges.yaml``. Each group
of findings then appears once, under the id of its first member in report
order, attributed to all who raised it (``docs/findings.md`` §4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.files import yamlio
from selfeval.model.exercise import Exercise
from selfeval.model.text import character_problem
from selfeval.report.findings import EntryPlaces, Finding

__all__ = ["MergeSpec", "load_merges", "merge_findings", "merges_of_category"]


@dataclass(frozen=True)
class MergeSpec:
    """One editorial merge from ``texts/merges.yaml``.

    Attributes:
        ids: the finding ids judged the same (at least two).
        note: optional note shown with the merged finding.
        location: where it is written, for error messages.
        category: the incident category whose report it is for, when the
            entry says (``category: ID``); None: the category whose findings
            its ids are (:func:`merges_of_category`).
    """

    ids: tuple[str, ...]
    note: str | None
    location: Location
    category: str | None = None


def load_merges(path: Path) -> list[MergeSpec]:
    """Read ``texts/merges.yaml`` (``docs/findings.md`` §4); a missing file means none.

    Args:
        path: the file.

    Returns:
        The merges in file order.

    Raises:
        InputError: the file is not ``merges: [{ids: [...], note: ...}, ...]``.
    """
    if not path.is_file():
        return []
    data, text = yamlio.load(path, with_text=True)  # read once: lines come from this text
    if data is None:
        return []
    hint = (
        "write `merges:` then a list of `- ids: [ID, ID]` entries, each maybe with "
        "`note:` and `category:` (see docs/findings.md)"
    )
    if not isinstance(data, dict) or set(data) - {"merges"}:
        raise InputError("expected one key, 'merges'", location=Location(path, 1, 1), hint=hint)
    merges = data.get("merges") or []
    if not isinstance(merges, list):
        raise InputError("'merges' must be a list", location=Location(path, 1, 1), hint=hint)
    specs: list[MergeSpec] = []
    for index, entry in enumerate(merges):
        location = yamlio.location_of(path, text, ["merges", index])
        ids = entry.get("ids") if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or set(entry) - {"ids", "note", "category"}
            or not isinstance(ids, list)
            or len(ids) < 2
            or not all(isinstance(i, str) for i in ids)
        ):
            raise InputError(
                "each merge needs 'ids' (a list of at least two finding ids) "
                "and may have 'note' and 'category'",
                location=location,
                hint=hint,
            )
        note = entry.get("note")
        problem = None if note is None else character_problem(str(note))
        if problem is not None:  # the note is shown in the report: the one rule of texts
            raise InputError(
                f"the note {problem}",
                location=yamlio.location_of(path, text, ["merges", index, "note"]),
                hint="remove it",
            )
        category = entry.get("category")
        if category is not None and not isinstance(category, str):
            raise InputError(
                "'category' must be the id of one incident category",
                location=yamlio.location_of(path, text, ["merges", index, "category"]),
                hint="write the id as in selfeval.yaml (e.g. `category: floods`), or leave it out",
            )
        specs.append(
            MergeSpec(tuple(ids), str(note) if note is not None else None, location, category)
        )
    return specs


def merges_of_category(
    merges: Sequence[MergeSpec], category: str, ids: Mapping[str, Set[str]]
) -> list[MergeSpec]:
    """The merges of ``texts/merges.yaml`` that are the business of ``category``'s report.

    Finding ids carry no incident category (``docs/findings.md`` §2), and one
    file serves every category, so each merge is judged against the ids of
    every category at once: every category's report (and ``validate``) then
    says the same of it (``docs/findings.md`` §4).

    * With ``category: ID`` it is that category's merge (its ids are then
      checked there by :func:`merge_findings`); an unknown category is an error.
    * Otherwise it is the merge of each category that has *all* its ids (a
      merge of the ids of two departments that answered in both categories
      is then both categories' merge: give ``category`` to keep it to one).
      A category that lacks some of them leaves it alone, and loses no
      finding by that: nothing of it is merged.
    * An id that is in no category, or ids no one category has all of (a
      merge across categories), is an error at the merge's line.

    Args:
        merges: from :func:`load_merges`.
        category: the incident category whose report is made.
        ids: incident category id → every id a merge may name there (its
            findings, and those of draft responses left out and answers not
            counted), for every category of the exercise, in ``selfeval.yaml``
            order (the order messages list them in: every category's run must
            say one mistake in the same words).

    Returns:
        The merges of ``category``, in file order.

    Raises:
        InputError: an unknown ``category``, an id of no category, or a merge
            across categories.
    """
    mine: list[MergeSpec] = []
    for spec in merges:
        if spec.category is not None:
            if spec.category not in ids:
                raise InputError(
                    f"the merge is for incident category {spec.category!r}, "
                    f"which the exercise does not have",
                    location=spec.location,
                    hint=f"its incident categories: {', '.join(ids)} (selfeval.yaml)",
                )
            if spec.category == category:
                mine.append(spec)
            continue
        homes = [c for c, known in ids.items() if all(i in known for i in spec.ids)]
        if category in homes:
            mine.append(spec)
            continue
        if homes:
            continue  # another category's merge: not this report's business
        for fid in spec.ids:
            if not any(fid in known for known in ids.values()):
                raise InputError(
                    f"a merge names {fid!r}, which is not a finding of any response "
                    f"in any incident category",
                    location=spec.location,
                    hint="check the id against reports/<category>/draft.yaml "
                    "(`selfeval aggregate --draft`)",
                )
        where = ", ".join(
            f"{fid} ({' and '.join(c for c, known in ids.items() if fid in known)})"
            for fid in spec.ids
        )
        raise InputError(
            f"a merge names findings of different incident categories: {where}; "
            f"a merge joins findings of one category's report",
            location=spec.location,
            hint="split it into one merge per incident category",
        )
    return mine


def merge_findings(
    findings: list[Finding],
    merges: Sequence[MergeSpec] = (),
    *,
    exercise: Exercise,
    left_out: Iterable[str] = (),
    not_counted: Iterable[str] = (),
    elsewhere: Mapping[str, Set[str]] | None = None,
    root: Path | None = None,
    draft_hint: str = "check the id against reports/draft.yaml (`selfeval aggregate --draft`)",
) -> tuple[list[Finding], dict[str, str], list[str]]:
    """Merge findings declared the same (``same_as`` entries and ``merges.yaml``).

    Each group appears once, under the id of its first member in report
    order, raised by all members (``docs/findings.md`` §4). A merge's
    ``note`` goes with the merged finding only when the merge is made: with
    one of its ids left (the others of drafts left out or answers not
    counted) there is nothing merged, and no note (trial 10).

    Args:
        findings: from :func:`selfeval.report.findings.report_order`, in report order.
        merges: editorial merges from :func:`load_merges`.
        exercise: for participant order.
        left_out: ids of findings in responses left out of the report
            (drafts); naming one is a warning, not an error.
        not_counted: ids the findings of inactive answers would have had
            (:func:`selfeval.model.answers.active_answers`); naming one is a
            warning, not an error.
        elsewhere: the other incident categories' ids (category id → ids,
            as :func:`merges_of_category` takes them), so that an id of
            another category is called that, not "no finding".
        root: the workspace folder (``Finding.source`` is relative to it):
            a wrong ``same_as`` id is then located at its line and column in
            the response (:class:`~selfeval.report.findings.EntryPlaces`);
            None: at the response file alone.
        draft_hint: the hint of an id that names no finding: the draft of
            this report's category (:func:`selfeval.report.aggregate.draft_hint`;
            ``reports/<category>/draft.yaml`` with several categories).

    Returns:
        (merged findings in report order, alias id → surviving id, warnings).

    Raises:
        InputError: an id that matches no finding, or members of different
            kinds; ``ValidationProblems`` for several, each ``same_as`` at its
            entry and each merge at its line (the same in ``validate``,
            :class:`selfeval.report.aggregate.MergesCheck`).
    """
    by_id = {f.id: f for f in findings}
    order = {f.id: n for n, f in enumerate(findings)}
    skipped = set(left_out)
    inactive = set(not_counted)
    parent = {f.id: f.id for f in findings}
    notes: dict[str, str] = {}
    warnings: list[str] = []
    problems: list[SelfevalError] = []
    places = EntryPlaces(root) if root is not None else None

    def find(fid: str) -> str:
        while parent[fid] != fid:
            parent[fid] = parent[parent[fid]]
            fid = parent[fid]
        return fid

    def union(a: str, b: str, where: Callable[[], Location]) -> None:
        if by_id[a].kind != by_id[b].kind:
            problems.append(
                InputError(
                    f"{a} ({by_id[a].kind}) and {b} ({by_id[b].kind}) cannot be merged: "
                    f"only findings of the same kind can be the same",
                    location=where(),
                    hint="remove one of the ids from the merge",
                )
            )
            return
        ra, rb = find(a), find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=order.__getitem__)
            parent[second] = first

    def known(fid: str, file: Location | str, where: Callable[[], Location], what: str) -> bool:
        """Whether ``fid`` is a finding here; else a warning naming ``file``, or a problem."""
        if fid in by_id:
            return True
        if fid in skipped:
            warnings.append(f"{file}: {what} names {fid}, a finding of a draft response left out")
            return False
        if fid in inactive:
            warnings.append(
                f"{file}: {what} names {fid}, an answer kept but not counted "
                f"(the condition of its question is false)"
            )
            return False
        homes = [c for c, known in (elsewhere or {}).items() if fid in known]
        if homes:
            problems.append(
                InputError(
                    f"{what} names {fid!r}, a finding of incident category "
                    f"{' and '.join(homes)}, not of this report's",
                    location=where(),
                    hint="findings of different incident categories cannot be merged: "
                    "remove the id",
                )
            )
            return False
        problems.append(
            InputError(
                f"{what} names {fid!r}, which is not a finding of any response",
                location=where(),
                hint=draft_hint,
            )
        )
        return False

    for finding in findings:
        for index, other in enumerate(finding.same_as):
            # Located only for a problem: the response is read again for its line.
            at = partial(_same_as_at, places, finding, index)
            if known(other, finding.source, at, f"same_as of {finding.id}"):
                union(finding.id, other, at)
    for spec in merges:
        at = partial(_given, spec.location)
        present = [i for i in spec.ids if known(i, spec.location, at, "a merge")]
        for other in present[1:]:
            union(present[0], other, at)
        if spec.note and len(present) > 1:  # a merge left with one finding is not made
            notes[present[0]] = spec.note
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationProblems(problems)

    aliases: dict[str, str] = {}
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(find(finding.id), []).append(finding)
    codes = exercise.codes
    result: list[Finding] = []
    for finding in findings:
        survivor = find(finding.id)
        if survivor != finding.id:
            aliases[finding.id] = survivor
            continue
        members = groups[survivor]
        if len(members) > 1:
            raised = {c for m in members for c in m.raised_by}
            concerns = {c for m in members for c in m.concerns}
            finding.written_by = tuple(finding.raised_by)
            finding.raised_by = tuple(c for c in codes if c in raised)
            finding.concerns = tuple(c for c in codes if c in concerns)
            finding.merged = tuple(m.id for m in members[1:])
            finding.others = tuple(members[1:])
            finding.sources = tuple(s for m in members for s in m.sources)
        note = next((notes[m.id] for m in members if m.id in notes), None)
        finding.note = note
        result.append(finding)
    return result, aliases, warnings


def _given(location: Location) -> Location:
    return location


def _same_as_at(places: EntryPlaces | None, finding: Finding, index: int) -> Location:
    """Where ``finding``'s ``same_as`` entry ``index`` is written (without ``places``: the file)."""
    return places(finding, "same_as", index) if places is not None else Location(finding.source)
