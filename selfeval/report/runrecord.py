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

A command that only prints (``selfeval status``) keeps its **output
record** the same way (:func:`recall_output`, :func:`keep_output`): under
the same inputs key, in ``.selfeval/cache/said/``, the plain data it printed
from; a run with the same inputs prints from that data without loading a
model or parsing a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from selfeval.errors import InputError
from selfeval.files.reading import read_file
from selfeval.report import cachebase, sealed

__all__ = [
    "RECORD_FORMAT",
    "Record",
    "inputs_key",
    "keep_output",
    "last_run",
    "lookup",
    "options_of",
    "package_fingerprint",
    "recall_output",
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


def _files(root: Path) -> Iterator[tuple[str, Path]] | None:
    """Every input file under ``root`` (relative POSIX path, path), sorted.

    None for a link to a folder, and for anything that is not a regular file
    (a pipe, a device, a broken link): its content cannot be hashed soundly.
    """
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        rel_dir = here.relative_to(root)
        for name in list(dirs):
            if (here / name).is_symlink():
                return None
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        in_reports = rel_dir.parts[:1] == (_REPORTS,)
        for name in names:
            if in_reports and name != "draft.yaml":
                continue
            try:
                regular = stat.S_ISREG((here / name).stat().st_mode)
            except OSError:  # a broken link, a file gone meanwhile
                regular = False
            if not regular:
                return None  # a pipe or device: no content to hash (reading could block)
            found.append(((rel_dir / name).as_posix(), here / name))
    found.sort()
    return iter(found)


def package_fingerprint() -> str:
    """The package as a report sees it: selfeval's source and every other file of it.

    The tool version of every cache (:func:`selfeval.report.cachebase.tool_fingerprint`,
    the source), plus the templates, catalogues and other data files a report
    is made with.
    """
    digest = hashlib.sha256(b"selfeval-package\0" + cachebase.tool_fingerprint().encode() + b"\0")
    cachebase.hash_package_files(digest, source=False)
    return digest.hexdigest()


def _versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    found = [sys.version]
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return found


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
    digest.update(json.dumps(head, sort_keys=True, default=str).encode() + b"\0")
    for rel, path in files:
        try:
            # The one read rule (a pipe swapped in cannot block, a link cannot lead out),
            # bounded by the largest file selfeval reads: a larger one is no input.
            data = read_file(path, max_bytes=_MAX_INPUT_BYTES)
        except InputError:
            return None  # never recorded: the run itself says what is wrong, if anything
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class Record:
    """What a run wrote and said: its files with their SHA-256, its warnings and counts."""

    __slots__ = ("findings", "responses", "warnings", "written")

    def __init__(
        self,
        written: Sequence[tuple[Path, str]],
        warnings: Sequence[str],
        findings: int,
        responses: int,
    ) -> None:
        self.written = tuple(written)
        self.warnings = tuple(warnings)
        self.findings = findings
        self.responses = responses


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
    path, name = _record_path(cache_root, options)
    raw = sealed.read_sealed(path, "run", name, limit=_MAX_RECORD)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if data["format"] != RECORD_FORMAT or data["key"] != key:
            return None
        written = [(Path(p), str(h)) for p, h in data["written"]]
        record = Record(
            written, [str(w) for w in data["warnings"]], int(data["findings"]),
            int(data["responses"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None
    if not record.written or any(_sha256_of(p) != h for p, h in record.written):
        return None
    return record


def store(
    cache_root: Path,
    options: dict[str, Any],
    key: str,
    written: Sequence[Path],
    warnings: Sequence[str],
    findings: int,
    responses: int,
) -> bool:
    """Record a run that succeeded (``key`` computed *before* it read anything).

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


def last_run(root: Path, options: dict[str, Any]) -> tuple[str | None, Record | None]:
    """The inputs key of a run now, and the last run's record when it can stand for it.

    Args:
        root: the workspace folder (absolute, as ``find_workspace`` gives it).
        options: :func:`options_of`.

    Returns:
        ``(key, record)``: ``key`` None when the workspace cannot be hashed
        (never recorded); ``record`` None unless a sound record of a run with
        the same inputs and options exists and its files are intact.
    """
    key = inputs_key(root, options)
    if key is None:
        return None, None
    return key, lookup(cachebase.cache_dir(root), options, key)


# --- output records: what a command that only prints printed from ---------------------

_SAID = "said"
#: What an output record is sealed as (:mod:`selfeval.report.sealed`).
_SAID_KIND = "said"


def _output_path(cache_root: Path, options: dict[str, Any]) -> tuple[Path, str]:
    name = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()
    return cache_root / _SAID / f"{name}.json", name


def recall_output(root: Path, options: dict[str, Any]) -> tuple[str | None, Any]:
    """The inputs key now, and the data the last run with these options printed from.

    The key is :func:`inputs_key` with ``report=False`` (every workspace file
    but reports, selfeval's source, the Python version, the locale,
    ``options``), computed before anything is read; the data is what
    :func:`keep_output` kept under it.

    Args:
        root: the workspace folder (absolute).
        options: what else the output depends on; name the command in it
            (``{"command": "status", ...}``).

    Returns:
        ``(key, data)``: ``key`` None when the workspace cannot be hashed
        (nothing is recorded then); ``data`` None unless a record sealed by
        this user, for these options and this very key, is on disk and is
        JSON. A missing, truncated, forged or stale record is None.
    """
    key = inputs_key(root, options, report=False)
    if key is None:
        return None, None
    path, name = _output_path(cachebase.cache_dir(root), options)
    raw = sealed.read_sealed(path, _SAID_KIND, name, limit=_MAX_RECORD)
    if raw is None:
        return key, None
    try:
        record = json.loads(raw.decode("utf-8"))
        if record["format"] != RECORD_FORMAT or record["key"] != key:
            return key, None
        return key, record["data"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return key, None


def keep_output(root: Path, options: dict[str, Any], key: str, data: Any) -> bool:
    """Record ``data`` (plain JSON) as what a run with ``options`` and inputs ``key`` printed from.

    ``key`` is the one :func:`recall_output` gave *before* the run read
    anything. The workspace's ``.selfeval/`` folder must exist already (made
    with its ``.gitignore`` by
    :meth:`~selfeval.files.workspace.Workspace.prepare_state_dir`).

    Returns:
        False when not recorded (no JSON form, no secret, not writable).
    """
    try:
        encoded = json.dumps(
            {"format": RECORD_FORMAT, "key": key, "data": data},
            ensure_ascii=False,
            allow_nan=False,
        ).encode("utf-8")
    except (TypeError, ValueError):
        return False
    path, name = _output_path(cachebase.cache_dir(root), options)
    return sealed.write_sealed(path, _SAID_KIND, name, encoded)
