"""Merging findings declared the same: ``same_as`` in entries and ``texts/merges.yaml``.

Two departments often raise the same point (in the seed report "BZ en Defensie:
beperkte capaciteit …"). A respondent can say so with ``same_as: [<finding id>]``
on an entry; the secretariat can say so in ``texts/merges.yaml``. Each group
of findings then appears once, under the id of its first member in report
order, attributed to all who raised it (``docs/findings.md`` §4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from selfeval.errors import InputError, Location
from selfeval.files import yamlio
from selfeval.model.exercise import Exercise
from selfeval.model.text import character_problem
from selfeval.report.findings import Finding

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
            counted), for every category of the exercise.

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
) -> tuple[list[Finding], dict[str, str], list[str]]:
    """Merge findings declared the same (``same_as`` entries and ``merges.yaml``).

    Each group appears once, under the id of its first member in report
    order, raised by all members (``docs/findings.md`` §4).

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

    Returns:
        (merged findings in report order, alias id → surviving id, warnings).

    Raises:
        InputError: an id that matches no finding, or members of different kinds.
    """
    by_id = {f.id: f for f in findings}
    order = {f.id: n for n, f in enumerate(findings)}
    skipped = set(left_out)
    inactive = set(not_counted)
    parent = {f.id: f.id for f in findings}
    notes: dict[str, str] = {}
    warnings: list[str] = []

    def find(fid: str) -> str:
        while parent[fid] != fid:
            parent[fid] = parent[parent[fid]]
            fid = parent[fid]
        return fid

    def union(a: str, b: str, where: Location | str) -> None:
        if by_id[a].kind != by_id[b].kind:
            raise InputError(
                f"{a} ({by_id[a].kind}) and {b} ({by_id[b].kind}) cannot be merged: "
                f"only findings of the same kind can be the same",
                location=where if isinstance(where, Location) else Location(where),
                hint="remove one of the ids from the merge",
            )
        ra, rb = find(a), find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=order.__getitem__)
            parent[second] = first

    def known(fid: str, where: Location | str, what: str) -> bool:
        if fid in by_id:
            return True
        if fid in skipped:
            warnings.append(f"{where}: {what} names {fid}, a finding of a draft response left out")
            return False
        if fid in inactive:
            warnings.append(
                f"{where}: {what} names {fid}, an answer kept but not counted "
                f"(the condition of its question is false)"
            )
            return False
        homes = [c for c, known in (elsewhere or {}).items() if fid in known]
        if homes:
            raise InputError(
                f"{what} names {fid!r}, a finding of incident category {' and '.join(homes)}, "
                f"not of this report's",
                location=where if isinstance(where, Location) else Location(where),
                hint="findings of different incident categories cannot be merged: remove the id",
            )
        raise InputError(
            f"{what} names {fid!r}, which is not a finding of any response",
            location=where if isinstance(where, Location) else Location(where),
            hint="check the id against reports/draft.yaml (`selfeval aggregate --draft`)",
        )

    for finding in findings:
        for other in finding.same_as:
            if known(other, finding.source, f"same_as of {finding.id}"):
                union(finding.id, other, finding.source)
    for spec in merges:
        present = [i for i in spec.ids if known(i, spec.location, "a merge")]
        for other in present[1:]:
            union(present[0], other, spec.location)
        if spec.note and present:
            notes[present[0]] = spec.note

    aliases: dict[str, str] = {}
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(find(finding.id), []).append(finding)
    codes = exercise.codes
    result: list[Finding] = []
    for finding in findings:
        root = find(finding.id)
        if root != finding.id:
            aliases[finding.id] = root
            continue
        members = groups[root]
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
