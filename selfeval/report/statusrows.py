"""What ``selfeval status`` keeps of each response's row: a status after one change parses one file.

``status`` answers from the record of the last status when no file of the
workspace changed (:func:`selfeval.report.runrecord.recall_output`). When one
did — a department saved an answer — it gathers again; this keeps what it
gathered per response so that it then parses only what changed. A row of
``status`` (:class:`selfeval.checks.status.StatusRow`) depends only on:

* the response file's bytes, its place in the workspace, and whether its
  participant's involvement asks for it;
* for a peer review, the draft file it names (its links are checked against
  it): kept with the row as its hash, taken before the check;
* the exercise file (participants, names, pins, the category's choice lists);
* the questionnaire files (which version each holds, its items and rules);
* the incident category, and selfeval itself (its source:
  :func:`selfeval.report.cachebase.tool_fingerprint`).

So one record per incident category, ``.selfeval/cache/status/<name>.json``,
holds the *context* (one hash of the last four), the questionnaire versions
those very files hold (they all loaded without error), and each row under
the hash of its response's place and bytes. A different context throws the
whole record away. ``status`` then parses only the responses whose row it
does not have, and of the questionnaires only those versions these
responses answer (:meth:`selfeval.files.workspace.Workspace.assume_questionnaires`).

The record is workspace input, so it is **untrusted**: it is sealed
(:mod:`selfeval.report.sealed`: an HMAC under this user's secret), so a
forged, copied, truncated or stale record is a miss and the files are read.
Only rows of responses without problems are kept (an error keeps its file
and line). Written atomically; two statuses at once each write a sound
record, the last one wins. Nothing here prints.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from selfeval.errors import SelfevalError
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.report import cachebase, sealed

__all__ = ["FORMAT", "StatusRows"]

#: The layout of a record; a different number is a stale record.
FORMAT = 2  # 2: each row with the other files it depends on (a peer review's draft)
#: What a record is sealed as (:mod:`selfeval.report.sealed`).
_KIND = "status-rows"
_FOLDER = "status"
#: A record larger than this is not read (a row is ~600 bytes).
_MAX_RECORD = 64 * 1024 * 1024


def _context(ws: Workspace, category: str) -> str | None:
    """One hash of what every row of ``category`` depends on besides its own file.

    None when a file cannot be read by the one read rule (nothing is kept then;
    reading it again says what is wrong).
    """
    digest = hashlib.sha256(f"selfeval-status-rows {FORMAT}\0".encode())
    digest.update(cachebase.tool_fingerprint().encode() + b"\0")
    digest.update(category.encode("utf-8", "surrogateescape") + b"\0")
    try:
        digest.update(hashlib.sha256(yamlio.read_file(ws.exercise_path)).digest())
        for path in ws.questionnaire_files():
            digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(yamlio.read_file(path)).digest())
    except (SelfevalError, OSError):
        return None
    return digest.hexdigest()


def _row_key(path: str, content: bytes, expected: bool) -> str:
    digest = hashlib.sha256(f"{path}\0{int(expected)}\0".encode("utf-8", "surrogateescape"))
    digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


class StatusRows:
    """The rows ``status`` kept for one category (:class:`~selfeval.checks.status.KeptRows`).

    Open with :meth:`open`, pass to :func:`selfeval.checks.status.workspace_status`,
    then :meth:`save`.
    """

    def __init__(
        self, ws: Workspace, path: Path, name: str, context: str, record: Mapping[str, Any]
    ) -> None:
        self._folder = ws.questionnaires_dir
        self._path = path
        self._name = name
        self._context = context
        known = record.get("questionnaires")
        self._known: dict[tuple[str, str], str] | None = None
        if isinstance(known, list):
            try:
                self._known = {(qid, version): file for qid, version, file in known}
            except (TypeError, ValueError):
                self._known = None
            if self._known is not None and not all(
                isinstance(file, str) and file == Path(file).name and file not in ("", ".", "..")
                for file in self._known.values()
            ):
                self._known = None  # only a file name in questionnaires/ is ever recorded
        rows = record.get("rows")
        self._old: dict[str, Any] = rows if isinstance(rows, dict) else {}
        self._new: dict[str, Any] = {}
        self._changed = False

    @classmethod
    def open(cls, ws: Workspace, category: str) -> StatusRows | None:
        """The record of ``category``'s rows in ``ws`` (empty when none fits these files).

        Returns:
            None when the exercise or a questionnaire file cannot be read (no
            record is used or kept then).
        """
        context = _context(ws, category)
        if context is None:
            return None
        name = hashlib.sha256(f"status-rows\0{category}".encode("utf-8", "surrogateescape"))
        path = cachebase.cache_dir(ws.root) / _FOLDER / f"{name.hexdigest()}.json"
        record: Any = {}
        raw = sealed.read_sealed(path, _KIND, name.hexdigest(), limit=_MAX_RECORD)
        if raw is not None:
            try:
                record = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError):
                record = {}
        if (
            not isinstance(record, dict)
            or record.get("format") != FORMAT
            or record.get("context") != context
        ):
            record = {}
        return cls(ws, path, name.hexdigest(), context, record)

    def questionnaires(self) -> dict[tuple[str, str], Path] | None:
        """(id, version) → file, when these very questionnaire files all loaded; else None."""
        if self._known is None:
            return None
        return {key: self._folder / file for key, file in self._known.items()}

    def checked(self, known: Mapping[tuple[str, str], Path]) -> None:
        """Record that every questionnaire file loaded, and which version each holds."""
        self._known = {key: path.name for key, path in known.items()}
        self._changed = True

    def recall(self, path: str, content: bytes, expected: bool) -> dict[str, Any] | None:
        """The row kept for the response at ``path`` with these bytes, or None.

        None too when another file it was kept with (a peer review's draft)
        is not as it was then.
        """
        key = _row_key(path, content, expected)
        entry = self._old.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("row"), dict):
            return None
        files = entry.get("files")
        if not isinstance(files, dict) or any(
            not isinstance(name, str) or self.fingerprints([Path(name)])[name] != digest
            for name, digest in files.items()
        ):
            return None
        self._new[key] = entry
        return entry["row"]

    def fingerprints(self, files: list[Path]) -> dict[str, str | None]:
        """Each file's SHA-256 (None: missing or refused by the one read rule), by its path."""
        found: dict[str, str | None] = {}
        for path in files:
            try:
                digest = hashlib.sha256(yamlio.read_file(path)).hexdigest()
            except (SelfevalError, OSError):
                digest = None
            found[str(path)] = digest
        return found

    def keep(
        self,
        path: str,
        content: bytes,
        expected: bool,
        data: dict[str, Any],
        files: dict[str, str | None],
    ) -> None:
        """Keep the row of the response at ``path`` with these bytes and other files."""
        self._new[_row_key(path, content, expected)] = {"row": data, "files": files}
        self._changed = True

    def save(self) -> bool:
        """Write the record: the rows recalled or kept in this run, the questionnaires known.

        Rows of responses not seen this run (an older version of a file) are
        dropped. Nothing is written when nothing changed. The workspace's
        ``.selfeval/`` must exist (:meth:`~selfeval.files.workspace.Workspace.prepare_state_dir`).

        Returns:
            False when not written (nothing changed, no secret, not writable).
        """
        if not self._changed and self._new.keys() == self._old.keys():
            return False
        if self._known is None:
            return False  # the questionnaires were not all loaded: nothing vouches for them
        try:
            encoded = json.dumps(
                {
                    "format": FORMAT,
                    "context": self._context,
                    "questionnaires": [[*key, file] for key, file in sorted(self._known.items())],
                    "rows": self._new,
                },
                ensure_ascii=False,
                allow_nan=False,
            ).encode("utf-8")
        except (TypeError, ValueError):
            return False
        return sealed.write_sealed(self._path, _KIND, self._name, encoded)
