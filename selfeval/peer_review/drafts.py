"""A peer review and the draft it reacts to: what changed since it started, and consent.

A response pins the draft it reacts to (its hash) and each reaction the hash
of its finding as read (``docs/findings.md`` §6). When the draft given now is
another one, :func:`compare_draft` says what changed, finding by finding. From
an answers file that is refused (:class:`StaleDraftError`) unless ``--rebase``
is given; in a session the reviewer is told what changed, by finding title, in
the session language and asked to continue (:func:`consent_to_new_draft`), and
a submitted review is reopened the same way (:func:`submitted_and_reopened`):
one command, with consent (issue 16). :func:`draft_report` finds the draft
report to read beside the review.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval.errors import Location, RefusedError, SelfevalError
from selfeval.files.store import SubmittedError
from selfeval.i18n import N_, gettext, ngettext
from selfeval.model.response import Reaction
from selfeval.peer_review.reactions import canonical_id

if TYPE_CHECKING:
    from selfeval.fill.prompter import Prompter
    from selfeval.report.findings import Draft, DraftFinding

__all__ = [
    "DraftChanges",
    "StaleDraftError",
    "compare_draft",
    "consent_to_new_draft",
    "draft_report",
    "submitted_and_reopened",
]

#: The draft reports ``aggregate --draft`` writes beside ``draft.yaml``, in the
#: order a reviewer is pointed to them: a browser or Word opens the first two, a
#: policy officer cannot open Markdown (issue 16, fifth trial).
DRAFT_REPORTS = ("integrated-report-draft.html", "integrated-report-draft.docx",
                 "integrated-report-draft.md")  # fmt: skip


def draft_report(draft_path: Path, draft_hash: str) -> Path | None:
    """The draft report a reviewer reads beside the review: its full path, HTML or Word first.

    Looked for beside the draft (``reports/`` or ``reports/<category>/``, where
    ``aggregate --draft [--format html|docx]`` writes both), in the order of
    :data:`DRAFT_REPORTS`. A report carries its draft's hash ("Kenmerk
    concept"): one that does not (an HTML draft of an earlier draft, say) is
    named only when none does. Nothing is opened but to read that hash.

    Args:
        draft_path: the draft (``draft.yaml``) the review reacts to.
        draft_hash: its hash (``sha256:…``).

    Returns:
        The report's absolute path (to paste in a file explorer or a browser),
        or None when there is none.
    """
    found = [draft_path.parent / name for name in DRAFT_REPORTS]
    found = [path for path in found if path.is_file()]
    current = [path for path in found if _carries(path, draft_hash)]
    chosen = current or found
    return chosen[0].resolve() if chosen else None


def _carries(report: Path, text: str) -> bool:
    """Whether ``report`` (Markdown, HTML, a Word file's body) holds ``text``; unreadable: False."""
    import zipfile

    try:
        if report.suffix == ".docx":
            with zipfile.ZipFile(report) as docx:
                data = docx.read("word/document.xml")
        else:
            data = report.read_bytes()
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return text.encode("utf-8") in data


@dataclass(frozen=True)
class DraftChanges:
    """How the draft given now differs from the one a response pinned.

    Reactions record each finding's hash, so changes are known for every
    finding reacted to; a finding without a reaction may be new or simply
    not reached yet.

    Attributes:
        old_hash: the draft hash the response pins (None: none pinned yet).
        new_hash: the hash of the draft given now.
        unchanged: reacted-to findings whose text is the same (carried over).
        changed: reacted-to findings whose text changed (asked again).
        gone: reacted-to findings no longer in the draft (or no longer this
            reviewer's); their reactions are kept, and the final report
            lists them as reactions to changed or gone findings.
        unreacted: the reviewer's findings without a reaction (new or not
            reached yet).
    """

    old_hash: str | None
    new_hash: str
    unchanged: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    unreacted: tuple[str, ...] = ()

    @property
    def stale(self) -> bool:
        """True when the response pins a different draft than the one given."""
        return self.old_hash is not None and self.old_hash != self.new_hash

    def lines(self) -> list[str]:
        """The changes, one line per group (for messages)."""
        lines = []
        for label, ids in (
            ("changed since your reaction (asked again)", self.changed),
            ("gone from the draft (your reaction is kept and listed as such)", self.gone),
            ("new or not yet reacted to", self.unreacted),
            ("unchanged (your reaction is carried over)", self.unchanged),
        ):
            if ids:
                lines.append(f"{label}: {', '.join(ids)}")
        return lines


def compare_draft(
    pinned: str | None,
    reactions: Sequence[Reaction],
    draft: Draft,
    selection: Sequence[DraftFinding],
) -> DraftChanges:
    """Compare a response's reactions with the draft given now.

    Args:
        pinned: the draft hash the response pins (``Response.draft.hash``).
        reactions: the response's reactions.
        draft: the draft given now.
        selection: this reviewer's findings in it.

    Returns:
        The :class:`DraftChanges`.
    """
    current = {f.id: f for f in selection}
    unchanged: list[str] = []
    changed: list[str] = []
    gone: list[str] = []
    for reaction in reactions:
        canonical = canonical_id(draft, reaction.finding)
        finding = current.get(canonical) if canonical else None
        if finding is None:
            gone.append(reaction.finding)
        elif reaction.finding_hash is None or reaction.finding_hash == finding.hash:
            unchanged.append(reaction.finding)
        else:
            changed.append(reaction.finding)
    reacted = {canonical_id(draft, r.finding) for r in reactions}
    unreacted = [f.id for f in selection if f.id not in reacted]
    return DraftChanges(
        pinned, draft.draft.hash, tuple(unchanged), tuple(changed), tuple(gone), tuple(unreacted)
    )


class StaleDraftError(RefusedError):
    """The response reacts to another version of the draft; refused without ``--rebase``.

    Attributes:
        changes: what differs, finding by finding.
    """

    def __init__(self, changes: DraftChanges, *, location: Location | None = None) -> None:
        self.changes = changes
        super().__init__(
            f"this peer review was started on another version of the draft "
            f"({(changes.old_hash or '')[:19]}…, now {changes.new_hash[:19]}…)",
            location=location,
            hint="run again with --rebase to carry your reactions over to the new draft "
            "(unchanged ones are kept, changed ones asked again, none is deleted), "
            "or give the draft you started on with --draft",
        )

    def __str__(self) -> str:
        head = super().__str__().split("\n  hint:")[0]
        lines = [head, *(f"  - {line}" for line in self.changes.lines())]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class ReopenDeclined(SubmittedError):
    """A submitted review the reviewer chose not to reopen: the session ends, nothing changed."""


def submitted_and_reopened(path: Path, round_: int, asker: Prompter, lang: str) -> bool:
    """Whether the response at ``path`` is submitted and the reviewer agrees to reopen it.

    Asked through ``asker`` in ``lang`` (the submission time in local time);
    this is what ``--reopen`` does, with consent, in one command.

    Raises:
        ReopenDeclined: it is submitted and the reviewer does not want to reopen it.
    """
    from selfeval.files.load import load_response
    from selfeval.fill.local import local_time
    from selfeval.fill.prompter import Notice

    if not path.is_file():
        return False
    try:
        response = load_response(path)
    except SelfevalError:
        return False  # open_for_session says what is wrong with it
    if response.status != "submitted":
        return False
    when = local_time(response.submitted_at, lang)
    asker.show_notice(
        Notice("info", gettext(lang, "peer_review.submitted_before", round=round_, when=when))
    )
    if asker.confirm(gettext(lang, "peer_review.confirm_reopen"), default=True):
        return True
    raise ReopenDeclined(path, response.participant, response.submitted_at)


#: How many findings of one kind of change the notice names before "and N more".
_LISTED = 6
#: Columns before each line of a notice's list ("  - ", ``TerminalPrompter.show_notice``).
_BULLET = 4


def consent_to_new_draft(changes: DraftChanges, draft: Draft, asker: Prompter, lang: str) -> bool:
    """Say what changed in the draft, one finding a line by kind and title, and ask to go on.

    A title is cut at a word (:func:`~selfeval.fill.prompter.shorten`) where the
    line of the terminal ends (``shutil.get_terminal_size``), at least 20 characters.

    What ``--rebase`` does, with consent, in one command: reactions to
    unchanged findings stay, changed ones are asked again, nothing is deleted.

    Returns:
        True when the reviewer agrees.
    """
    from selfeval.fill.prompter import Notice, shorten
    from selfeval.peer_review.asking import kind_label

    columns = shutil.get_terminal_size().columns

    def lines(msgid: str, ids: Sequence[str]) -> list[str]:
        # One line per finding, by kind and title, cut at a word where the terminal's
        # line ends (issue 16: cut at 66 characters, whatever the width); a long list
        # ends with how many more.
        room = max(columns - _BULLET - len(gettext(lang, msgid, title="")), 20)
        out = []
        for fid in ids[:_LISTED]:
            try:
                finding = draft.finding(fid)
            except KeyError:  # gone from the draft: its title is not known any more
                out.append(gettext(lang, msgid, title=fid.rsplit(".", 1)[-1]))
                continue
            named = shorten(f"{kind_label(finding.kind, lang)}: {finding.title}", room)
            out.append(gettext(lang, msgid, title=named))
        if len(ids) > _LISTED:
            more = len(ids) - _LISTED
            out.append(
                ngettext(lang, "peer_review.stale_more", "peer_review.stale_more_plural", more)
            )
        return out

    details = [
        *lines(N_("peer_review.stale_changed"), changes.changed),
        *lines(N_("peer_review.stale_new"), changes.unreacted),
        *lines(N_("peer_review.stale_gone"), changes.gone),
    ]
    if changes.unchanged:
        details.append(
            ngettext(
                lang,
                "peer_review.stale_unchanged",
                "peer_review.stale_unchanged_plural",
                len(changes.unchanged),
            )
        )
    asker.show_notice(Notice("warning", gettext(lang, "peer_review.stale"), tuple(details)))
    return asker.confirm(gettext(lang, "peer_review.confirm_stale"), default=True)
