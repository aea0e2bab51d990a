"""Report roles: which answers the integrated report reads, declared in the questionnaire.

The report never names an item id. A questionnaire says, per top-level item,
what the report does with its answer (``report: causes``), the way a repeat
group says ``finding: bottleneck``. A new questionnaire version may rename or
move an item and keep its role; a version that drops a role the report needs
from its kind of questionnaire is a clear error in ``selfeval validate`` and
``selfeval aggregate`` (:func:`missing_roles`), not an empty chapter
(issue 10). The table below is the one place the roles are defined;
``docs/questionnaire-format.md`` documents it (a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["REPORT_ROLES", "ReportRole", "ReportRoleName", "missing_roles"]

ReportRoleName = Literal[
    "definition",
    "causes",
    "phases",
    "phases_note",
    "role",
    "involvement",
    "gives_input_to",
    "receives_input_from",
    "other_roles",
    "recognition",
    "recognition_why",
    "experiences",
    "general_remarks",
    "missing",
]

_TEXT = ("text", "long-text")
_SE = "self-evaluation"
_PR1 = "peer-review-1"
_PR2 = "peer-review-2"


@dataclass(frozen=True)
class ReportRole:
    """One role an answer can play in the report.

    Attributes:
        name: the value of ``report:``.
        use: what the report does with the answer (for the docs).
        types: the item types that can carry it.
        needed_in: the kinds of questionnaire the report reads it from; a
            questionnaire of such a kind must provide it.
        allowed_in: further kinds where it may be declared (read, not needed).
        fields: for a repeat group, the sub-item ids each entry must have.
    """

    name: str
    use: str
    types: tuple[str, ...]
    needed_in: tuple[str, ...]
    allowed_in: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind of questionnaire the role may be declared in."""
        return (*self.needed_in, *self.allowed_in)


#: Every report role, in the order the docs list them.
REPORT_ROLES: dict[str, ReportRole] = {
    role.name: role
    for role in (
        ReportRole("definition", "chapter 2: how the department defines the incident category",
                   _TEXT, (_SE,)),
        ReportRole("causes", "chapter 2: the causes the department distinguishes", _TEXT, (_SE,)),
        ReportRole("phases", "chapter 2: the phases its policy addresses, as choice labels",
                   ("multiple-choice", "single-choice"), (_SE,)),
        ReportRole("phases_note", "chapter 2: the note on the phases", _TEXT, (_SE,)),
        ReportRole("role", "roles table: the department's own role; in a self-evaluation also "
                   "the finding role.<P>", _TEXT, (_SE, _PR2)),
        ReportRole("involvement", "roles table: strong / medium / weak (choice values "
                   "strong, medium, weak)", ("single-choice",), (_SE, _PR2)),
        ReportRole("gives_input_to", "roles table: the departments it gives input to",
                   ("participants",), (_SE,)),
        ReportRole("receives_input_from", "roles table: the departments it receives input "
                   "from", ("participants",), (_SE,)),
        ReportRole("other_roles", "role findings role.<P> of departments without a "
                   "self-evaluation, attributed (entries: participant, role, optional "
                   "involvement)", ("repeat",), (_SE,), fields=("participant", "role")),
        ReportRole("recognition", "the peer reviews' general input: how far the draft is "
                   "recognised (choice values fully, largely, partly, not)",
                   ("single-choice",), (_PR1,), (_PR2,)),
        ReportRole("recognition_why", "the peer reviews' general input: what is not "
                   "recognised", _TEXT, (_PR1,), (_PR2,)),
        ReportRole("experiences", "the peer reviews' general input: own experiences",
                   _TEXT, (_PR2,), (_PR1,)),
        ReportRole("general_remarks", "the peer reviews' general input: general remarks",
                   _TEXT, (_PR1, _PR2)),
        ReportRole("missing", "the peer reviews' general input: what the draft lacks",
                   _TEXT, (_PR1,), (_PR2,)),
    )
}  # fmt: skip


def missing_roles(kind: str, declared: set[str] | frozenset[str]) -> list[str]:
    """The roles the report needs from a questionnaire of ``kind`` that it does not declare.

    Args:
        kind: the questionnaire's kind (``self-evaluation``, …).
        declared: the roles its items declare.

    Returns:
        Role names in :data:`REPORT_ROLES` order; empty when the contract holds.
    """
    return [name for name, role in REPORT_ROLES.items() if kind in role.needed_in
            and name not in declared]  # fmt: skip
