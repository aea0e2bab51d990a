"""``reports/draft.yaml`` kept between runs, sealed: streamed again only when what it says changed.

``aggregate --draft`` writes ``draft.yaml`` (17 MB at 1,000 responses) one
finding at a time through :func:`selfeval.report.findings.write_draft`; every
value goes through :func:`selfeval.files.yamlio.scalar`: 0.5-0.6 s of CPU at
that size (``docs/performance.md``, "``--draft`` (issue 20, 3 December, evening)").
The file is a function of its inputs only: the findings' listed fields, the
project, the incident category, the responses it was made from, the draft
hash, and the code that writes it. So its bytes are kept in
``.selfeval/cache/drafts/`` under a key over exactly those inputs, and the
next draft with the same key copies them instead of writing them again.

The key (:func:`draft_key`) is SHA-256 over selfeval's source
(:func:`selfeval.report.cachebase.tool_fingerprint`: ``write_draft`` and
``yamlio.scalar``), PyYAML's version (``scalar`` asks its resolver which
words are plain) and ``marshal`` (format 2: no references, so equal values
always give equal bytes) of every value the file lists. It is not the draft
hash, which covers only each finding's id, kind, title and text.

A workspace's cache is untrusted input (``docs/files.md``, "Security
model"): an entry is sealed (:mod:`selfeval.report.sealed`, HMAC under the
user's secret, bound to the key), so a forged, truncated, edited or stale
entry, or one sealed for other inputs, is a miss and the file is written
afresh. Nothing here prints.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from selfeval.report.cachebase import tool_fingerprint
from selfeval.report.findings import MAX_DRAFT_BYTES, Finding, draft_hash, write_draft
from selfeval.report.sealed import SealedWriter, read_sealed_text

if TYPE_CHECKING:
    from selfeval.model.exercise import Exercise

__all__ = ["DRAFTS_DIR", "draft_key", "write_draft_kept"]

#: The folder under ``.selfeval/cache/`` where each incident category's draft file is kept.
DRAFTS_DIR = "drafts"
#: What an entry is sealed as (:func:`selfeval.report.sealed.seal`).
_KIND = "draft.yaml"
#: Bumped when what an entry holds changes meaning.
_FORMAT = b"selfeval draft.yaml 1\0"


def draft_key(
    findings: Sequence[Finding], *, exercise: Exercise, created_from: Sequence[str], hash: str
) -> str | None:
    """The key of the ``draft.yaml`` these inputs make: equal keys, equal bytes.

    Args:
        findings: merged findings in report order (as :func:`write_draft` gets them).
        exercise: for the project and incident category.
        created_from: workspace-relative response paths used.
        hash: the draft hash.

    Returns:
        A hex SHA-256, or None when a value is not one ``marshal`` writes
        (a subclass of ``str``): such a draft is written, not kept.
    """
    import yaml

    rows = [
        (
            f.id,
            f.kind,
            f.title,
            f.text,
            f.scope,
            tuple(f.raised_by),
            tuple(f.concerns),
            tuple(f.merged),
            f.hash,
            tuple(f.answers) if f.kind == "opportunity" else None,
        )
        for f in findings
    ]
    head = (
        hash,
        exercise.text(exercise.project),
        exercise.categories[0].id,
        tuple(sorted(created_from)),
    )
    try:
        data = marshal.dumps((head, rows), 2)
    except ValueError:
        return None
    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{tool_fingerprint()}\0{yaml.__version__}\0".encode())
    digest.update(data)
    return digest.hexdigest()


class _Both:
    """A text handle that also feeds what is written to a sealed entry (until one write fails)."""

    def __init__(self, handle: TextIO, entry: SealedWriter) -> None:
        self._handle = handle
        self.entry: SealedWriter | None = entry

    def write(self, text: str) -> int:
        written = self._handle.write(text)
        if self.entry is not None:
            try:
                self.entry.write(text.encode("utf-8"))
            except OSError:  # a full cache disk: the draft itself is still written
                self.entry.discard()
                self.entry = None
        return written


def write_draft_kept(
    handle: TextIO,
    findings: Sequence[Finding],
    *,
    exercise: Exercise,
    created_from: Sequence[str],
    hash: str | None = None,
    folder: Path | None = None,
) -> None:
    """:func:`write_draft`, copied from its kept bytes when its inputs are unchanged.

    Writes into ``handle`` exactly what ``write_draft`` with the same
    arguments writes. With ``folder`` (``aggregate`` without ``--no-cache``:
    ``.selfeval/cache/drafts/``), the bytes are looked up under
    :func:`draft_key`; an entry whose seal checks out for that key is copied,
    anything else (none, forged, truncated, for other inputs, unreadable) is a
    miss: the draft is streamed and kept for the next run. One entry per
    incident category; the last one written wins.

    Args:
        handle: a text handle (``yamlio.atomic_files`` gives one).
        findings: merged findings in report order.
        exercise: for the project and incident category.
        created_from: workspace-relative response paths used.
        hash: the draft hash when already computed (default: :func:`draft_hash`).
        folder: where entries are kept, or None: nothing kept or reused.
    """
    digest = hash if hash is not None else draft_hash(findings)
    key = (
        draft_key(findings, exercise=exercise, created_from=created_from, hash=digest)
        if folder is not None
        else None
    )
    if folder is None or key is None:
        write_draft(handle, findings, exercise=exercise, created_from=created_from, hash=digest)
        return
    name = hashlib.sha256(exercise.categories[0].id.encode("utf-8")).hexdigest()[:32]
    path = folder / f"{name}.yaml"
    kept = read_sealed_text(path, _KIND, key, limit=MAX_DRAFT_BYTES)
    if kept is not None:
        handle.write(kept)
        return
    entry = SealedWriter.open(path, _KIND, key)
    if entry is None:  # no secret, or the cache folder is not writable
        write_draft(handle, findings, exercise=exercise, created_from=created_from, hash=digest)
        return
    both = _Both(handle, entry)
    try:
        write_draft(both, findings, exercise=exercise, created_from=created_from, hash=digest)  # type: ignore[arg-type]
    except BaseException:
        if both.entry is not None:
            both.entry.discard()
        raise
    if both.entry is not None:
        if both.entry.size > MAX_DRAFT_BYTES:  # refused by check_draft_size: never read back
            both.entry.discard()
        else:
            both.entry.commit()
