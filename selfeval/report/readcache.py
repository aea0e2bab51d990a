"""The per-response cache of the read step (issue 20): a re-run parses no unchanged response.

A secretariat aggregates many times (the draft, after each peer review,
after each edit of a text or template, the final report). What step 1
(:func:`selfeval.report.aggregate.read_one`) makes of a response file — its
checked, trimmed answers, its extracted findings, what is kept but not
counted — depends only on:

* the bytes of the file and where it lies in the workspace;
* the exercise file (participants, incident category, language);
* the questionnaires (their content hashes);
* selfeval itself (its version and the source of its package).

So the result is stored under a key made of all four, in
``.selfeval/cache/read/<key>.json`` (``.selfeval/`` is git-ignored: it holds
a ``.gitignore`` of ``*``, :meth:`~selfeval.files.workspace.Workspace.prepare_state_dir`).
A change to any of them makes a new key; the old entry is never looked up
again (``selfeval cache clear`` removes them all).

The cache is workspace input, so it is **untrusted**: anyone can commit or
mail a ``.selfeval/`` folder. An entry is plain JSON (no pickle: reading it
cannot run code); it is read back through the same models the read step
uses, with strict types, and used only when it names the key it is stored
under and carries this user's seal (:mod:`selfeval.report.sealed`: the key
is computable by anyone who has the response, so without the seal a forged
entry could put findings in the report that no response has). Anything
else — a truncated, corrupt, foreign, stale or unsealed file — is ignored
and the response is read from its YAML again (and the entry
rewritten). An entry is written only when it reads back equal to what it
caches, atomically (a temporary file renamed into place), so two runs at
once never see half an entry. Only responses that passed their checks are
cached: a file with problems is always read again, so its errors keep
their file:line.

Nothing here prints; a cache that cannot be written (a read-only
workspace) is silently not written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from selfeval.errors import InputError, Location
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.model.response import Response
from selfeval.report import cachebase, sealed
from selfeval.report.cachebase import CACHE_DIR
from selfeval.report.findings import NO_DETAILS, Finding, Source, shared

__all__ = [
    "CACHE_DIR",
    "FORMAT",
    "cache_root",
    "clear_cache",
    "context_key",
    "decode_entry",
    "decode_sealed",
    "encode_entry",
    "entry_key",
    "lookup",
    "lookup_read_as",
    "open_cache",
    "result_digest",
    "store",
    "store_read_as",
]

#: The layout of an entry; a different number is a stale entry.
FORMAT = 3  # 2: findings carry `answers` and `place` (issue 12); 3: sealed
_READ = "read"
#: What a read cache entry is sealed as (:mod:`selfeval.report.sealed`).
_KIND = "read"


def cache_root(ws: Workspace) -> Path:
    """``.selfeval/cache/`` of the workspace (it may not exist)."""
    return cachebase.cache_dir(ws.root)


def open_cache(ws: Workspace) -> Path | None:
    """Make ``.selfeval/cache/`` ready for writing; None when it cannot be (read-only workspace).

    ``.selfeval/`` is made by :meth:`~selfeval.files.workspace.Workspace.prepare_state_dir`,
    with a ``.gitignore`` of ``*``, so nothing in it is ever committed.
    """
    root = cache_root(ws)
    try:
        ws.prepare_state_dir()
        (root / _READ).mkdir(parents=True, exist_ok=True)
    except (InputError, OSError):
        return None
    return root


def _hash_file(path: Path) -> str | None:
    try:  # the one read rule: no pipe, device or link out of the workspace (yamlio.read_file)
        return hashlib.sha256(yamlio.read_file(path)).hexdigest()
    except (InputError, OSError):
        return None


def context_key(ws: Workspace, *, version: str | None = None) -> str:
    """What every entry of this workspace depends on besides its own file, as one hash.

    The exercise file's bytes, each questionnaire's id, version and content
    hash, and the tool fingerprint (:func:`selfeval.report.cachebase.tool_fingerprint`,
    or ``version``).
    Call after the workspace's exercise and questionnaires loaded.
    """
    digest = hashlib.sha256(f"selfeval-read-cache {FORMAT}\0".encode())
    digest.update(
        (version if version is not None else cachebase.tool_fingerprint()).encode() + b"\0"
    )
    digest.update((_hash_file(ws.exercise_path) or "-").encode() + b"\0")
    for (qid, qversion), loaded in sorted(ws.questionnaires().items()):
        digest.update(f"{qid}\0{qversion}\0{loaded.hash}\0".encode())
    return digest.hexdigest()


def entry_key(context: str, rel: str, content: bytes) -> str:
    """The key of one response: the context, its workspace-relative path, its bytes."""
    digest = hashlib.sha256(context.encode() + b"\0" + rel.encode() + b"\0")
    digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


# --- encoding: plain JSON, dates tagged ----------------------------------------------


def _tag(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _untag(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1:
        if isinstance(mapping.get("$date"), str):
            return dt.date.fromisoformat(mapping["$date"])
        if isinstance(mapping.get("$datetime"), str):
            return dt.datetime.fromisoformat(mapping["$datetime"])
    return mapping


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class _SourceData(_Strict):
    document: str
    year: int | None
    page: str | None


class _FindingData(_Strict):
    id: str
    kind: str
    title: str
    text: str
    scope: str | None
    raised_by: list[str]
    concerns: list[str]
    hash: str
    questionnaire: str
    source: str
    details: dict[str, Any]
    sources: list[_SourceData]
    same_as: list[str]
    answers: list[str]
    place: list[str | int]


class _EntryData(_Strict):
    format: int
    key: str
    rel: str
    questionnaire: list[str]
    response: dict[str, Any]
    findings: list[_FindingData]
    not_counted: list[str]
    not_counted_ids: list[str]
    stored: dict[str, Any] | None


class Cached:
    """What an entry holds: the parts of a ``ParsedResponse`` that are not the path."""

    __slots__ = (
        "findings",
        "not_counted",
        "not_counted_ids",
        "questionnaire",
        "rel",
        "response",
        "stored",
    )

    def __init__(
        self,
        rel: str,
        response: Response,
        questionnaire: tuple[str, str],
        findings: tuple[Finding, ...],
        not_counted: tuple[str, ...],
        not_counted_ids: tuple[str, ...],
        stored: dict[str, Any] | None,
    ) -> None:
        self.rel = rel
        self.response = response
        self.questionnaire = questionnaire
        self.findings = findings
        self.not_counted = not_counted
        self.not_counted_ids = not_counted_ids
        self.stored = stored


def _finding_data(finding: Finding) -> dict[str, Any] | None:
    if finding.merged or finding.others or finding.written_by or finding.note is not None:
        return None  # never so after step 1; not cached if it ever were
    return {
        "id": finding.id,
        "kind": finding.kind,
        "title": finding.title,
        "text": finding.text,
        "scope": finding.scope,
        "raised_by": finding.raised_by,
        "concerns": finding.concerns,
        "hash": finding.hash,
        "questionnaire": finding.questionnaire,
        "source": finding.source,
        "details": finding.details,
        "sources": [
            {"document": s.document, "year": s.year, "page": s.page} for s in finding.sources
        ],
        "same_as": finding.same_as,
        "answers": finding.answers,
        "place": list(finding.place),
    }


def encode_entry(key: str, cached: Cached) -> bytes | None:
    """The JSON bytes of an entry, or None when it cannot be cached faithfully.

    None when a value has no JSON form (only dates and datetimes are
    tagged), or when the entry would not read back equal to ``cached``
    (:func:`decode_entry`): such a response is simply read again next time.
    """
    findings = [_finding_data(f) for f in cached.findings]
    if any(f is None for f in findings):
        return None
    data = {
        "format": FORMAT,
        "key": key,
        "rel": cached.rel,
        "questionnaire": list(cached.questionnaire),
        "response": cached.response.model_dump(mode="python"),
        "findings": findings,
        "not_counted": list(cached.not_counted),
        "not_counted_ids": list(cached.not_counted_ids),
        "stored": cached.stored,
    }
    try:
        encoded = json.dumps(
            data, default=_tag, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")
    except (TypeError, ValueError):
        return None
    back = decode_entry(encoded, key)
    if back is None or not _same(back, cached):
        return None
    return encoded


def _same(a: Cached, b: Cached) -> bool:
    return (
        a.rel == b.rel
        and a.response == b.response
        and a.questionnaire == b.questionnaire
        and a.findings == b.findings
        and a.not_counted == b.not_counted
        and a.not_counted_ids == b.not_counted_ids
        and a.stored == b.stored
    )


def _one_of(seen: dict[tuple[str, ...], tuple[str, ...]], codes: list[str]) -> tuple[str, ...]:
    """``codes`` as a tuple, one object for equal ones of an entry (its findings' ``raised_by``).

    The findings of one response share one ``raised_by``, as
    :func:`selfeval.report.findings.response_findings` makes them.
    """
    made = tuple(codes)
    return seen.setdefault(made, made)


def decode_entry(raw: bytes, key: str) -> Cached | None:
    """Read an entry back, or None for anything not exactly a valid entry under ``key``.

    Never raises for bad content: invalid UTF-8 or JSON, a truncated file,
    a wrong format number or key, a wrong type anywhere (strict), an
    invalid response — each gives None.
    """
    try:
        loaded = json.loads(raw.decode("utf-8"), object_hook=_untag)
        data = _EntryData.model_validate(loaded)
        if data.format != FORMAT or data.key != key or len(data.questionnaire) != 2:
            return None
        response = Response.model_validate(data.response)
        raised: dict[tuple[str, ...], tuple[str, ...]] = {}
        findings = tuple(
            Finding(
                id=f.id,
                kind=f.kind,
                title=f.title,
                text=f.text,
                scope=f.scope,
                raised_by=_one_of(raised, f.raised_by),
                concerns=shared(f.concerns),
                hash=f.hash,
                questionnaire=f.questionnaire,
                source=f.source,
                details=f.details or NO_DETAILS,
                sources=tuple(Source(s.document, s.year, s.page) for s in f.sources),
                same_as=shared(f.same_as),
                answers=shared(f.answers),
                place=shared(f.place),
            )
            for f in data.findings
        )
    except (ValueError, TypeError, ValidationError, RecursionError):
        return None
    qid, version = data.questionnaire
    return Cached(
        data.rel,
        response,
        (qid, version),
        findings,
        tuple(data.not_counted),
        tuple(data.not_counted_ids),
        data.stored,
    )


def decode_sealed(raw: bytes, key: str) -> Cached | None:
    """Read back an entry whose seal checked out: what :func:`decode_entry` gives, built directly.

    Why no field-by-field validation here: the seal is a keyed hash, under
    this user's secret, of the entry's kind, key and bytes
    (:mod:`selfeval.report.sealed`), so only this user's selfeval can have
    written these bytes for this key; :func:`store` writes an entry only
    after :func:`decode_entry` read it back, strictly, equal to what it
    caches; and the key holds the tool fingerprint (the source of this very
    package, :func:`context_key`), so the code that checked the entry is
    this code. Validating it again would check what was checked when it was
    written. The response is still made by ``Response.model_validate`` (the
    model builds its nested parts), and anything that is not the shape
    :func:`encode_entry` writes (which only a bug could give) is a miss.
    ``tests/test_read_cache.py`` holds both decoders to the same result.

    Returns:
        The entry, or None (a miss).
    """
    try:
        data = json.loads(raw.decode("utf-8"), object_hook=_untag)
        if data["format"] != FORMAT or data["key"] != key:
            return None
        qid, version = data["questionnaire"]
        response = Response.model_validate(data["response"])
        raised: dict[tuple[str, ...], tuple[str, ...]] = {}
        findings = tuple(
            Finding(
                id=f["id"],
                kind=f["kind"],
                title=f["title"],
                text=f["text"],
                scope=f["scope"],
                raised_by=_one_of(raised, f["raised_by"]),
                concerns=shared(f["concerns"]),
                hash=f["hash"],
                questionnaire=f["questionnaire"],
                source=f["source"],
                details=f["details"] or NO_DETAILS,
                sources=tuple(Source(s["document"], s["year"], s["page"]) for s in f["sources"]),
                same_as=shared(f["same_as"]),
                answers=shared(f["answers"]),
                place=shared(f["place"]),
            )
            for f in data["findings"]
        )
        return Cached(
            data["rel"],
            response,
            (qid, version),
            findings,
            tuple(data["not_counted"]),
            tuple(data["not_counted_ids"]),
            data["stored"],
        )
    except (ValueError, TypeError, KeyError, ValidationError, RecursionError):
        return None


# --- storage ---------------------------------------------------------------------------


def _entry_path(root: Path, key: str) -> Path:
    return root / _READ / key[:2] / f"{key}.json"


#: Larger entries are not trusted (a response file is at most 10 MB of YAML).
_MAX_ENTRY = 32 * 1024 * 1024


def result_digest(raw: bytes, key: str) -> str | None:
    """What an entry holds apart from its key, as one hash: equal for equal read results.

    The SHA-256 of the entry's JSON (:func:`encode_entry`) without its
    ``"format"`` and ``"key"`` fields, so two versions of a response file that
    read the same (a comment line added, the same answers saved again) give
    the same digest. The run record compares it to decide that a changed
    file changes nothing the report is made of
    (:mod:`selfeval.report.runrecord`, "cut-off"). Only as sound as the
    entry: call it on bytes :func:`encode_entry` made or a seal vouched for.
    JSON is not canonical, so equal results could in principle encode
    differently; that gives another digest, which is a miss, never a wrong hit.

    Returns:
        A hex SHA-256, or None when ``raw`` does not begin as :func:`encode_entry`
        writes an entry under ``key``.
    """
    head = f'{{"format":{FORMAT},"key":{json.dumps(key)},'.encode()
    if not raw.startswith(head):
        return None
    digest = hashlib.sha256(f"selfeval-read-result {FORMAT}\0".encode())
    digest.update(memoryview(raw)[len(head) :])
    return digest.hexdigest()


def lookup(root: Path, key: str, *, need_stored: bool = False) -> Cached | None:
    """The cached read of the response with this key, or None (a miss).

    A missing, unreadable, oversized, corrupt or foreign entry is a miss, and
    so is one not sealed by this user's selfeval (:mod:`selfeval.report.sealed`:
    a valid-looking entry with other findings, made by anyone else, is never used).
    With ``need_stored`` an entry without the stored answers is a miss too.
    """
    found = lookup_read_as(root, key, need_stored=need_stored)
    return found[0] if found is not None else None


def lookup_read_as(
    root: Path, key: str, *, need_stored: bool = False
) -> tuple[Cached, str | None] | None:
    """:func:`lookup`, with the entry's :func:`result_digest` (None: not known)."""
    raw = sealed.read_sealed(_entry_path(root, key), _KIND, key, limit=_MAX_ENTRY)
    if raw is None:
        return None
    cached = decode_sealed(raw, key)
    if cached is None or (need_stored and cached.stored is None):
        return None
    return cached, result_digest(raw, key)


def store(root: Path, key: str, cached: Cached) -> bool:
    """Write an entry, sealed, atomically (temporary file, rename); False when not written.

    Not written when the entry cannot be cached faithfully
    (:func:`encode_entry`) or the folder is not writable. ``root`` is
    :func:`cache_root`; its ``.selfeval/`` folder must exist already
    (:func:`open_cache` makes it, with its ``.gitignore``). Not fsynced: a
    crash can leave an empty or partial entry, which :func:`lookup` treats
    as a miss.
    """
    return store_read_as(root, key, cached) is not None


def store_read_as(root: Path, key: str, cached: Cached) -> str | None:
    """:func:`store`, giving the entry's :func:`result_digest`; None when not written."""
    encoded = encode_entry(key, cached)
    if encoded is None or not sealed.write_sealed(_entry_path(root, key), _KIND, key, encoded):
        return None
    return result_digest(encoded, key)


def clear_cache(ws: Workspace) -> int:
    """Remove ``.selfeval/cache/`` of the workspace (``selfeval cache clear``).

    Returns:
        The number of cache entries removed (0 when there was no cache).

    Raises:
        InputError: the folder could not be removed (permissions).
    """
    root = cache_root(ws)
    if not root.exists():
        return 0
    count = sum(1 for _ in _entries(root))
    try:
        shutil.rmtree(root)
    except OSError as exc:
        raise InputError(
            f"cannot remove the cache: {exc.strerror or exc}",
            location=Location(root),
            hint="check the folder's permissions, or delete it by hand",
        ) from None
    return count


def _entries(root: Path) -> Iterable[Path]:
    return (root / _READ).glob("*/*.json")
