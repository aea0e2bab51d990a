"""The last run of ``selfeval aggregate``, so that a re-run with nothing changed writes nothing.

A report is a pure function of the files ``aggregate`` reads (the exercise,
the questionnaires, the responses, the secretariat's texts, merges, labels
and templates, a draft's ``reports/draft.yaml``), of selfeval itself and the
libraries that draw and render, of the language the messages are in, and of
the options given. After a run that succeeded, a **record** is kept in
``.selfeval/cache/runs/``: a hash of all of those inputs, and each file
written with the SHA-256 of its bytes, the warnings, and the counts. A run
whose inputs hash the same, and whose files are all still on disk with
exactly those bytes, has nothing to do: it gives the recorded result and
writes nothing.

What the hash covers (:func:`inputs_key`): the path and bytes of every file
in the workspace except ``.git/``, ``.selfeval/`` and what lies under
``reports/`` — there only the ``draft.yaml`` files, which a run reads, are
included; every file of the selfeval package (templates and catalogues as
well as code); the versions of Python and of the libraries the report goes
through; the locale variables; the options. A workspace holding a link to a
folder, a pipe, a device or a broken link gets no record (what lies behind
it could change unseen). The files
are hashed by content, not trusted by their size and times (as git's index
does): reading and hashing is ~2% of the parse-only floor (measured in
``docs/performance.md``), and a content hash cannot be fooled by a clock or
a copy that keeps the times.

A record is workspace input, so it is untrusted: it is sealed
(:mod:`selfeval.report.sealed`) and used only when the seal is this user's;
a record that is damaged, forged or for other inputs is ignored, and the run
is made in full and recorded again. Nothing here prints.

**Cut-off** (3 December, evening): a changed response file need not change
the report. What the report is made of is what the read step makes of each
response (:mod:`selfeval.report.readcache`: a pure function of the file's
bytes, its path, the exercise, the questionnaires and selfeval), not the
bytes themselves; a comment line added, or the same answers saved again,
reads the same. So a record also keeps a second hash, the **cut-off key**
(:func:`cutoff_key`): the inputs hash with each response's bytes replaced
by the digest of what it read as (:func:`selfeval.report.readcache.result_digest`),
and, per response, the SHA-256 of its bytes with that digest. When the
inputs key misses, ``aggregate`` reads only the responses whose bytes are
not those of the record (through the read cache), and when every one of
them reads as before, and nothing else changed, the cut-off keys are equal:
the report would be the same bytes, so the recorded result is given (the
files checked intact) and the record is kept under the new inputs key.
This is the early cut-off of build systems (a rebuilt intermediate equal to
the old one stops the rebuild). It is as sound as the read cache itself:
a cached read result already stands for its file in every run.

A command that only prints (``selfeval status``) keeps its **output
record** the same way (:func:`recall_output`, :func:`keep_output`): under
the same inputs key, in ``.selfeval/cache/said/``, the plain data it printed
from; a run with the same inputs prints from that data without loading a
model or parsing a file. It has a cut-off too (:func:`recall_output`): by
what each response's document is (:func:`selfeval.checks.status.read_as`,
PyYAML only), since every check a status makes is a function of that.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from selfeval.errors import InputError
from selfeval.files.reading import read_file
from selfeval.report import cachebase, sealed

__all__ = [
    "RECORD_FORMAT",
    "Cutoff",
    "Inputs",
    "ReadAs",
    "Record",
    "Said",
    "cutoff_key",
    "hash_inputs",
    "inputs_key",
    "intact",
    "keep_output",
    "last_run",
    "lookup",
    "options_of",
    "package_fingerprint",
    "recall_output",
    "recorded",
    "store",
]

#: The layout of a record; part of every key.
RECORD_FORMAT = 1
_RUNS = "runs"
_SKIP_DIRS = frozenset({".git", ".selfeval", "__pycache__"})
_REPORTS = "reports"
#: Libraries whose version changes what a report looks like.
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "matplotlib", "python-docx", "babel")
_LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_MAX_RECORD = 16 * 1024 * 1024
#: The largest file hashed for a key: the largest selfeval reads, ``reports/draft.yaml``
#: (``findings.MAX_DRAFT_BYTES``, not imported: this module stays free of YAML and models).
_MAX_INPUT_BYTES = 64 * 1024 * 1024


def _files(root: Path) -> Iterator[tuple[str, str]] | None:
    """Every input file under ``root`` (relative POSIX path, path), sorted.

    None for a link to a folder, and for anything that is not a regular file
    (a pipe, a device, a broken link): its content cannot be hashed soundly.
    One ``scandir`` per folder: what each entry is comes with the listing
    (``is_file`` is a regular file; a link is followed by one ``stat``, as
    before), instead of a ``stat`` of every file and an ``lstat`` of every
    folder (3 December, evening). A folder that cannot be
    listed is left out, as ``os.walk`` left it out.
    """
    found: list[tuple[str, str]] = []
    folders = [(os.fspath(root), "")]
    while folders:
        folder, rel_dir = folders.pop()
        in_reports = rel_dir == _REPORTS or rel_dir.startswith(_REPORTS + "/")
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()  # a link to a folder too
                regular = entry.is_file()  # links followed
            except OSError:  # gone meanwhile
                return None
            if is_dir:
                if is_link:
                    return None
                if entry.name not in _SKIP_DIRS:
                    folders.append((entry.path, rel))
                continue
            if in_reports and entry.name != "draft.yaml":
                continue
            if not regular:
                return None  # a pipe or device: no content to hash (reading could block)
            found.append((rel, entry.path))
    found.sort()
    return iter(found)


def package_fingerprint() -> str:
    """The package as a report sees it: selfeval's source and every other file of it.

    The tool version of every cache (:func:`selfeval.report.cachebase.tool_fingerprint`,
    the source), plus the templates, catalogues and other data files a report
    is made with.
    """
    digest = hashlib.sha256(b"selfeval-package\0" + cachebase.tool_fingerprint().encode() + b"\0")
    digest.update(_package_data_digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _package_data_digest() -> bytes:
    """The SHA-256 of the package's files other than its source, once per process.

    Like :func:`~selfeval.report.cachebase.tool_fingerprint` (the source), the
    files a process runs with are hashed once: a run is one process, and a
    long-lived one (a test session) would otherwise hash ~40 files at every run.
    """
    digest = hashlib.sha256()
    cachebase.hash_package_files(digest, source=False)
    return digest.digest()


def _versions() -> list[str]:
    """The Python version, then ``name=version`` of each library a report goes through."""
    return [sys.version, *_library_versions()]


@functools.lru_cache(maxsize=1)
def _library_versions() -> tuple[str, ...]:
    """``name=version`` (``name=-`` when not installed) of each of ``_LIBRARIES``, once per process.

    :func:`importlib.metadata.version` searches ``sys.path`` at each call (~2 ms
    a library); the libraries a process has imported do not change under it.
    """
    from importlib.metadata import PackageNotFoundError, version

    found: list[str] = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return tuple(found)


class Inputs:
    """The inputs of a run as hashed: the key, and what it was made of.

    Attributes:
        key: the hex SHA-256 of everything (:func:`inputs_key`).
        head: the SHA-256 of what is not a workspace file (options, package,
            versions, locale).
        files: each workspace file hashed (relative POSIX path) with the hex
            SHA-256 of its bytes.
    """

    __slots__ = ("files", "head", "key")

    def __init__(self, key: str, head: bytes, files: dict[str, str]) -> None:
        self.key = key
        self.head = head
        self.files = files


def inputs_key(root: Path, options: dict[str, Any], *, report: bool = True) -> str | None:
    """The hash of everything a run with ``options`` in the workspace at ``root`` depends on.

    Args:
        root: the workspace folder.
        options: the run's options.
        report: True: the run makes a report, so every file of the package
            (:func:`package_fingerprint`) and the versions of the libraries a
            report goes through count. False: it only reads and checks the
            workspace, which depends on selfeval's source as the read cache's
            entries do (:func:`~selfeval.report.cachebase.tool_fingerprint`)
            and on the Python version.

    Returns:
        A hex SHA-256, or None when the workspace cannot be hashed (a link to
        a folder, an unreadable file, a file over 64 MiB, the largest selfeval
        reads: each file is read by the one read function,
        :func:`selfeval.files.reading.read_file`): such a run is never skipped.
    """
    inputs = hash_inputs(root, options, report=report)
    return inputs.key if inputs is not None else None


def hash_inputs(root: Path, options: dict[str, Any], *, report: bool = True) -> Inputs | None:
    """:func:`inputs_key`, with the hash of each file it was made of (for the cut-off).

    Returns:
        The :class:`Inputs`, or None when :func:`inputs_key` is None.
    """
    files = _files(root)
    if files is None:
        return None
    digest = hashlib.sha256(f"selfeval-run {RECORD_FORMAT}\0".encode())
    head = {
        "options": options,
        "package": package_fingerprint() if report else cachebase.tool_fingerprint(),
        "versions": _versions() if report else [sys.version],
        "locale": [os.environ.get(name, "") for name in _LOCALE],
    }
    head_bytes = json.dumps(head, sort_keys=True, default=str).encode()
    digest.update(head_bytes + b"\0")
    hashed: dict[str, str] = {}
    for rel, path in files:
        try:
            # The one read rule (a pipe swapped in cannot block, a link cannot lead out),
            # bounded by the largest file selfeval reads: a larger one is no input.
            data = read_file(path, max_bytes=_MAX_INPUT_BYTES)
        except InputError:
            return None  # never recorded: the run itself says what is wrong, if anything
        sha = hashlib.sha256(data).digest()
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(sha)
        hashed[rel] = sha.hex()
    return Inputs(digest.hexdigest(), hashlib.sha256(head_bytes).digest(), hashed)


def cutoff_key(inputs: Inputs, read_as: dict[str, str]) -> str:
    """The inputs hashed with each response's bytes replaced by what it read as.

    Args:
        inputs: the run's :class:`Inputs`.
        read_as: each response counted by the run (relative POSIX path, as in
            ``inputs.files``) with the digest of its read result
            (:func:`selfeval.report.readcache.result_digest`).

    Returns:
        A hex SHA-256: equal for two runs whose options, package, libraries,
        locale and non-response files are the same, whose responses lie at
        the same places, and read the same.
    """
    digest = hashlib.sha256(f"selfeval-run-cutoff {RECORD_FORMAT}\0".encode() + inputs.head)
    for rel, sha in sorted(inputs.files.items()):
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        result = read_as.get(rel)
        digest.update(b"read " + result.encode() if result is not None else b"file " + sha.encode())
        digest.update(b"\0")
    for rel in sorted(set(read_as) - set(inputs.files)):  # never so: kept apart, not lost
        digest.update(b"not hashed " + rel.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


class Cutoff:
    """The cut-off part of a record: its key, and each response's bytes and read result.

    Attributes:
        key: :func:`cutoff_key` of the recorded run.
        responses: relative path → ``(hex SHA-256 of its bytes, result digest)``.
    """

    __slots__ = ("key", "responses")

    def __init__(self, key: str, responses: dict[str, tuple[str, str]]) -> None:
        self.key = key
        self.responses = responses


class Record:
    """What a run wrote and said: its files with their SHA-256, its warnings and counts.

    ``key`` is the inputs key it was recorded under; ``cutoff`` its
    :class:`Cutoff` (None: not known, no cut-off).
    """

    __slots__ = ("cutoff", "findings", "key", "responses", "warnings", "written")

    def __init__(
        self,
        written: Sequence[tuple[Path, str]],
        warnings: Sequence[str],
        findings: int,
        responses: int,
        *,
        key: str = "",
        cutoff: Cutoff | None = None,
    ) -> None:
        self.written = tuple(written)
        self.warnings = tuple(warnings)
        self.findings = findings
        self.responses = responses
        self.key = key
        self.cutoff = cutoff


def _record_path(cache_root: Path, options: dict[str, Any]) -> tuple[Path, str]:
    name = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()
    return cache_root / _RUNS / f"{name}.json", name


def _sha256_of(path: Path) -> str | None:
    """The file's SHA-256, read a block at a time (a report of 10,000 responses is ~200 MB)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def lookup(cache_root: Path, options: dict[str, Any], key: str) -> Record | None:
    """The record of the last run with these options when it is sound and still true.

    Sound: sealed by us, for these options, naming ``key``. Still true: every
    file it wrote is on disk with the bytes it wrote. Anything else is None.
    """
    record = recorded(cache_root, options)
    if record is None or record.key != key or not intact(record):
        return None
    return record


def intact(record: Record) -> bool:
    """Every file ``record`` names is on disk with the bytes it wrote."""
    return bool(record.written) and all(_sha256_of(p) == h for p, h in record.written)


def recorded(cache_root: Path, options: dict[str, Any]) -> Record | None:
    """The record of the last run with these options, whatever its inputs, when sound.

    Sound: sealed by us, for these options, of this format; anything else is
    None. Whether it stands for a run now is the caller's to decide: by its
    ``key`` (:func:`lookup`) or its cut-off (:func:`cutoff_key`), and then
    whether its files are :func:`intact`.
    """
    path, name = _record_path(cache_root, options)
    raw = sealed.read_sealed(path, "run", name, limit=_MAX_RECORD)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if data["format"] != RECORD_FORMAT:
            return None
        written = [(Path(p), str(h)) for p, h in data["written"]]
        cut = data.get("cutoff")
        cutoff = (
            Cutoff(
                str(cut["key"]),
                {str(rel): (str(sha), str(res)) for rel, (sha, res) in cut["responses"].items()},
            )
            if cut is not None
            else None
        )
        return Record(
            written, [str(w) for w in data["warnings"]], int(data["findings"]),
            int(data["responses"]), key=str(data["key"]), cutoff=cutoff,
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def store(
    cache_root: Path,
    options: dict[str, Any],
    key: str,
    written: Sequence[Path],
    warnings: Sequence[str],
    findings: int,
    responses: int,
    *,
    cutoff: Cutoff | None = None,
) -> bool:
    """Record a run that succeeded (``key`` computed *before* it read anything).

    ``cutoff``: its :class:`Cutoff`, when every response it counted was read
    through the cache with the bytes the key was made of (None: none kept).

    Returns:
        False when not recorded (a written file could not be read back, or
        the record could not be sealed or written).
    """
    hashed = [(path, _sha256_of(path)) for path in written]
    if not hashed or any(h is None for _, h in hashed):
        return False
    data = {
        "format": RECORD_FORMAT,
        "key": key,
        "written": [[str(path), h] for path, h in hashed],
        "warnings": list(warnings),
        "findings": findings,
        "responses": responses,
        "cutoff": (
            {"key": cutoff.key, "responses": {r: list(v) for r, v in cutoff.responses.items()}}
            if cutoff is not None
            else None
        ),
    }
    path, name = _record_path(cache_root, options)
    encoded = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return sealed.write_sealed(path, "run", name, encoded)


def options_of(
    *,
    draft: bool,
    fmt: str,
    output: Path | None,
    include_drafts: bool,
    ids: bool | None,
    category: str | None,
) -> dict[str, Any]:
    """The options a run's report depends on (``--jobs`` does not change it).

    A relative ``-o`` is relative to the current folder, which then counts too.
    """
    return {
        "draft": draft,
        "fmt": fmt,
        "output": str(output) if output is not None else None,
        "cwd": str(Path.cwd()) if output is not None and not output.is_absolute() else None,
        "include_drafts": include_drafts,
        "ids": ids,
        "category": category,
    }


def last_run(root: Path, options: dict[str, Any]) -> tuple[Inputs | None, Record | None]:
    """The inputs of a run now, and the last run's record when it can stand for it.

    Args:
        root: the workspace folder (absolute, as ``find_workspace`` gives it).
        options: :func:`options_of`.

    Returns:
        ``(inputs, record)``: ``inputs`` None when the workspace cannot be
        hashed (never recorded); ``record`` None unless a sound record of a
        run with the same inputs and options exists and its files are intact.
    """
    inputs = hash_inputs(root, options)
    if inputs is None:
        return None, None
    return inputs, lookup(cachebase.cache_dir(root), options, inputs.key)


# --- output records: what a command that only prints printed from ---------------------

_SAID = "said"
#: What an output record is sealed as (:mod:`selfeval.report.sealed`).
_SAID_KIND = "said"


def _output_path(cache_root: Path, options: dict[str, Any]) -> tuple[Path, str]:
    name = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()
    return cache_root / _SAID / f"{name}.json", name


#: What a command's cut-off reads a response file as (``status``:
#: :func:`selfeval.checks.status.read_as`): the file's bytes, read by the one
#: read rule, and the digest of what they read as; None when it cannot say
#: (unreadable, refused, not a mapping): then there is no cut-off.
ReadAs = Callable[[Path], "tuple[bytes, str] | None"]


class Said:
    """What :func:`recall_output` found: the inputs now, and the data to print from, if any.

    Attributes:
        inputs: the :class:`Inputs` now (``report=False``); None when the
            workspace cannot be hashed (nothing is recorded then).
        data: what the last run with these options printed from, when it
            stands for a run now; else None.
        cut_off: True when ``data`` was recorded under other inputs and
            stands for these through the cut-off (responses that read the
            same): it is to be kept again under these inputs.
        read: response file (relative POSIX path) → ``(hex SHA-256 of its
            bytes, digest of what it reads as)``, as far as known (the
            record's, and those read for the cut-off), for :func:`keep_output`.
    """

    __slots__ = ("cut_off", "data", "inputs", "read")

    def __init__(
        self,
        inputs: Inputs | None,
        data: Any = None,
        *,
        cut_off: bool = False,
        read: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.inputs = inputs
        self.data = data
        self.cut_off = cut_off
        self.read = read if read is not None else {}

    @property
    def key(self) -> str | None:
        """The inputs key now (None: not hashable)."""
        return self.inputs.key if self.inputs is not None else None


def _read_now(
    root: Path, rel: str, sha: str, read_as: ReadAs, known: dict[str, tuple[str, str]]
) -> str | None:
    """What the response at ``rel`` reads as now, when its bytes are those hashed (``sha``)."""
    before = known.get(rel)
    if before is not None and before[0] == sha:
        return before[1]
    got = read_as(root / rel)
    if got is None:
        return None
    raw, result = got
    if hashlib.sha256(raw).hexdigest() != sha:
        return None  # changed since it was hashed: what it reads as is not the key's
    known[rel] = (sha, result)
    return result


def recall_output(root: Path, options: dict[str, Any], read_as: ReadAs | None = None) -> Said:
    """The inputs now, and the data the last run with these options printed from.

    The key is :func:`inputs_key` with ``report=False`` (every workspace file
    but reports, selfeval's source, the Python version, the locale,
    ``options``), computed before anything is read; the data is what
    :func:`keep_output` kept under it.

    **Cut-off** (3 December, night): when the key differs but the record
    has a cut-off part and ``read_as`` is given, the responses whose bytes
    are not the record's are read (``read_as``; nothing else is), and when
    each reads as it did and nothing else changed (:func:`cutoff_key`), the
    recorded data stands: what the command printed is a function of what
    each response reads as, not of its bytes (a comment line added, the same
    answers saved again). The first response that reads otherwise ends the
    check.

    Args:
        root: the workspace folder (absolute).
        options: what else the output depends on; name the command in it
            (``{"command": "status", ...}``).
        read_as: what a response file reads as (:data:`ReadAs`); None: no cut-off.

    Returns:
        A :class:`Said`: ``data`` None unless a record sealed by this user,
        for these options, and for this very key or (cut-off) inputs that
        read the same, is on disk and is JSON. A missing, truncated, forged
        or stale record gives None.
    """
    inputs = hash_inputs(root, options, report=False)
    if inputs is None:
        return Said(None)
    path, name = _output_path(cachebase.cache_dir(root), options)
    raw = sealed.read_sealed(path, _SAID_KIND, name, limit=_MAX_RECORD)
    if raw is None:
        return Said(inputs)
    try:
        record = json.loads(raw.decode("utf-8"))
        if record["format"] != RECORD_FORMAT:
            return Said(inputs)
        cut = record.get("cutoff")
        known: dict[str, tuple[str, str]] = {}
        if isinstance(cut, dict):
            known = {
                str(rel): (str(pair[0]), str(pair[1])) for rel, pair in cut["responses"].items()
            }
        if record["key"] == inputs.key:
            return Said(inputs, record["data"], read=known)
        if read_as is None or not known or not isinstance(cut, dict):
            return Said(inputs, read=known)
        read: dict[str, str] = {}
        for rel in sorted(known):
            sha = inputs.files.get(rel)
            result = _read_now(root, rel, sha, read_as, known) if sha is not None else None
            if result is None or result != cut["responses"][rel][1]:
                return Said(inputs, read=known)  # reads otherwise (or is gone): no cut-off
            read[rel] = result
        if cutoff_key(inputs, read) != cut["key"]:
            return Said(inputs, read=known)  # another file changed
        return Said(inputs, record["data"], cut_off=True, read=known)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return Said(inputs)


def keep_output(
    root: Path,
    said: Said,
    options: dict[str, Any],
    data: Any,
    *,
    read: Sequence[str] = (),
    read_as: ReadAs | None = None,
) -> bool:
    """Record ``data`` (plain JSON) as what a run with ``options`` and these inputs printed from.

    ``said`` is the one :func:`recall_output` gave *before* the run read
    anything. The workspace's ``.selfeval/`` folder must exist already (made
    with its ``.gitignore`` by
    :meth:`~selfeval.files.workspace.Workspace.prepare_state_dir`).

    Args:
        root: the workspace folder.
        said: :func:`recall_output`'s answer for this run.
        options: as given to it.
        data: what was printed from.
        read: the response files (relative POSIX paths) the output depends
            on only through what each reads as; with ``read_as``, the record
            gets a cut-off part (:func:`recall_output`). A response whose
            bytes changed since they were hashed, or that ``read_as`` cannot
            read, means no cut-off part (the record still holds for its key).
        read_as: see :func:`recall_output`.

    Returns:
        False when not recorded (no inputs key, no JSON form, no secret, not writable).
    """
    inputs = said.inputs
    if inputs is None:
        return False
    record: dict[str, Any] = {"format": RECORD_FORMAT, "key": inputs.key, "data": data}
    if read_as is not None and read:
        known = dict(said.read)
        kept: dict[str, tuple[str, str]] = {}
        for rel in read:
            sha = inputs.files.get(rel)
            result = _read_now(root, rel, sha, read_as, known) if sha is not None else None
            if sha is None or result is None:
                kept = {}
                break
            kept[rel] = (sha, result)
        if kept:
            record["cutoff"] = {
                "key": cutoff_key(inputs, {rel: result for rel, (_, result) in kept.items()}),
                "responses": {rel: list(pair) for rel, pair in kept.items()},
            }
    try:
        encoded = json.dumps(record, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):
        return False
    path, name = _output_path(cachebase.cache_dir(root), options)
    return sealed.write_sealed(path, _SAID_KIND, name, encoded)
