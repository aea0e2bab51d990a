"""Which findings an opportunity answers: the lines of the seed report's Figure 2.

An opportunity entry names, in its ``answers`` item (type ``findings``), the
bottlenecks, blind spots and needs it answers: ids of the draft report
(``reports/draft.yaml``) in a peer review, or the respondent's own
findings in a self-evaluation. :func:`link_answers` checks every
such id against the findings of the report, once, for ``aggregate`` (and so
for the draft, the report and ``export``), and routes merged ids to the
finding that survives (``docs/findings.md`` §7).

The rule for an id that names no finding:

* it names a finding of a draft response left out, or of an answer kept but
  not counted: a warning, the link is left out (as for ``same_as``);
* it names another department's finding, from a peer review made against a
  draft that is no longer ``reports/draft.yaml`` (the draft was made again
  since), or it was in the draft the peer review answered but the finding
  is gone now (its response changed): a warning, the link is left out — the
  respondent could not have known, and the report must still be made;
* otherwise (a self-evaluation; the respondent's own findings, which it has
  in front of it; a department not in the exercise; a peer review against
  the current draft naming an id not in it): an error at the file and line.

A self-evaluation's opportunity names only the bottlenecks, blind spots and
needs of its own response; that, and every id a peer review's respondent had
in front of it, is checked with each response, by the one rule of a
response's answers (:func:`selfeval.files.workspace.response_problems`, which
``validate``, ``status`` and ``import`` apply too), before the findings get
here. What is left for here is what needs every response: an id of another
department's finding, merged ids, and what is excused. An id that names a
finding which is not a bottleneck, blind spot or need is an error at the file
and line. The rule for one id is :func:`selfeval.model.links.link_problem`.
Nothing here prints; warnings are returned.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

from selfeval.errors import InputError, Location, SelfevalError, ValidationProblems
from selfeval.model.links import (
    ANSWERABLE,
    HINT,
    SELF_EVALUATION_HINT,
    link_problem,
    peer_review_hint,
)
from selfeval.report.findings import EntryPlaces, Finding

__all__ = ["ANSWERABLE", "HINT", "link_answers", "link_problem"]


def link_answers(
    findings: Sequence[Finding],
    aliases: Mapping[str, str],
    *,
    root: Path,
    codes: Collection[str] = (),
    left_out: Iterable[str] = (),
    not_counted: Iterable[str] = (),
    draft_hashes: Mapping[str, str] | None = None,
    draft_ids: Callable[[str], frozenset[str] | None] | None = None,
    draft_name: str = "reports/draft.yaml",
) -> list[str]:
    """Resolve every opportunity's ``answers`` to surviving finding ids, in place.

    Args:
        findings: merged findings in report order
            (:func:`selfeval.report.merges.merge_findings`); an opportunity's
            merged-in members bring their links along.
        aliases: merged-away id → surviving id.
        root: the workspace folder (``Finding.source`` is relative to it), to
            name the file and line of a wrong id.
        codes: the exercise's participant codes (an id of another department
            is never excused).
        left_out: ids of findings of draft responses left out.
        not_counted: ids findings of answers kept but not counted would have had.
        draft_hashes: response path (workspace-relative) → hash of the draft
            its peer review answered.
        draft_ids: draft hash → the ids (and merged ids) of that draft when it
            is the current draft of the report's category (``draft_name``), else None.
        draft_name: that draft, as the warnings name it: ``reports/draft.yaml``,
            or ``reports/<category>/draft.yaml`` with several categories
            (:func:`selfeval.report.aggregate.draft_path`).

    Returns:
        Warnings, one line each, with the file.

    Raises:
        InputError: one wrong id (``ValidationProblems`` for several), each
            with file:line and what to do.
    """
    by_id = {f.id: f for f in findings}
    kinds = {f.id: f.kind for f in findings}
    order = {f.id: n for n, f in enumerate(findings)}
    skipped, inactive = set(left_out), set(not_counted)
    hashes = draft_hashes or {}
    places = EntryPlaces(root)
    warnings: list[str] = []
    problems: list[SelfevalError] = []

    def where(member: Finding, index: int) -> Location:
        return places(member, "answers", index)

    def gone_since_draft(member: Finding, fid: str) -> str | None:
        """Why a peer review's unknown id is only a warning, or None."""
        answered = hashes.get(member.source)
        own = member.id.rsplit(".", 2)[0] + "."  # BZ. or FIN.peer-review-2.
        department = fid.split(".", 1)[0] if not fid.startswith("role.") else fid[5:]
        if answered is None or fid.startswith(own) or department not in codes:
            return None
        ids = draft_ids(answered) if draft_ids is not None else None
        if ids is None:
            return (
                f"the draft this peer review answered ({answered[:19]}…) is no longer "
                f"{draft_name}, so {fid} cannot be checked"
            )
        if fid in ids:
            return f"{fid} was in the draft this peer review answered but is no finding now"
        return None

    for finding in findings:
        if finding.kind != "opportunity":
            continue
        linked: list[str] = []
        for member in (finding, *finding.others):
            for index, fid in enumerate(member.answers):
                target = aliases.get(fid, fid)
                what = f"answers of {member.id}"
                # A self-evaluation names its own findings only: checked with its
                # response (response_problems), so here an id is only looked up.
                own_only = member.questionnaire == "self-evaluation"
                problem = link_problem(target, kinds)
                if target not in by_id:
                    if fid in skipped:
                        warnings.append(
                            f"{member.source}: {what} names {fid}, a finding of a draft "
                            f"response left out; the link is not shown"
                        )
                        continue
                    if fid in inactive:
                        warnings.append(
                            f"{member.source}: {what} names {fid}, an answer kept but not "
                            f"counted (the condition of its question is false); the link is "
                            f"not shown"
                        )
                        continue
                    if (why := gone_since_draft(member, fid)) is not None:
                        warnings.append(f"{member.source}: {what}: {why}; the link is not shown")
                        continue
                if problem is not None:
                    problems.append(
                        InputError(
                            f"{what} {problem.replace(repr(target), repr(fid), 1)}",
                            location=where(member, index),
                            hint=SELF_EVALUATION_HINT if own_only else peer_review_hint(draft_name),
                        )
                    )
                    continue
                if target not in linked:
                    linked.append(target)
        finding.answers = tuple(sorted(linked, key=order.__getitem__))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationProblems(problems)
    return warnings
