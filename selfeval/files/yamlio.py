"""YAML in and out: safe loading, faithful dumping, atomic writes.

Rules (``DESIGN.md`` §6):

* Loading is always safe loading (libyaml's ``CSafeLoader`` when present, the
  pure-Python ``SafeLoader`` otherwise): no tag can construct a Python object.
* Duplicate mapping keys, anchors and aliases (of plain values too), non-UTF-8 bytes, tabs used for
  indentation, and files over :data:`MAX_FILE_BYTES` are refused with the file,
  line and column.
* A file that still holds git conflict markers (an unfinished merge or
  rebase, ``docs/collaboration.md``) is refused as such before YAML parsing,
  whose own error would only confuse (:func:`check_no_conflict`); the
  secretariat's Markdown texts are read through :func:`read_text`, which
  applies the same check.
* Every string dumps so that it loads back as the same string: ``NO``, ``on``,
  ``1.10``, ``007``, ``2006-05-16``, ``22:22``, ``~``, ``null`` and strings
  starting with ``*``, ``&`` or ``!`` come out quoted.
* Writes are atomic: a temporary file in the same folder, flushed and fsynced,
  then renamed over the target, so a crash leaves the old or the new file,
  never half of one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, overload

import yaml

from selfeval.errors import InputError, Location, RefusedError
from selfeval.files import reading as _reading
from selfeval.files.reading import not_regular_error
from selfeval.model.text import bad_character, character_kind

__all__ = [
    "LIBYAML",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "BackgroundWrite",
    "atomic_files",
    "atomic_path",
    "atomic_write_text",
    "atomic_writer",
    "check_characters",
    "check_inside",
    "check_json_depth",
    "check_no_conflict",
    "check_output_folder",
    "check_size",
    "decode",
    "dump",
    "line_of",
    "load",
    "load_bytes",
    "load_text",
    "location_of",
    "markdown_images",
    "not_regular_error",
    "plain_digest",
    "quoted",
    "read_bytes",
    "read_file",
    "read_markdown",
    "read_text",
    "scalar",
    "wait_for_writes",
    "write",
    "write_in_background",
]

#: True when the libyaml C loader and dumper are in use.
LIBYAML: bool = hasattr(yaml, "CSafeLoader")

#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Documents nested deeper than this are refused (mappings and sequences).
MAX_DEPTH = 64

_BaseLoader: type = yaml.CSafeLoader if LIBYAML else yaml.SafeLoader  # type: ignore[attr-defined]
_BaseDumper: type = yaml.CSafeDumper if LIBYAML else yaml.SafeDumper  # type: ignore[attr-defined]


class _Refusal(Exception):
    def __init__(self, message: str, mark: Any, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


_ALIASES = "YAML anchors and aliases (&name / *name) are not allowed"
_ALIASES_HINT = "write the value out in full where it is used again"


def _refuse_anchors(text: str) -> None:
    """Refuse the first anchor (``&name``) or alias (``*name``) of ``text``.

    Every anchor and alias is refused, of a plain value too (``remarks: *a``):
    selfeval never writes one (:func:`dump` and :func:`scalar` quote a string
    starting with ``&`` or ``*``), and a value that reads differently from what
    is written there is how a shared file misleads its reader. Only called on
    text holding ``&`` (no anchor without one, no alias without an anchor); the
    tokens are scanned, which costs a fraction of a load.

    Raises:
        _Refusal: at the anchor's or alias's place.
    """
    for token in yaml.scan(text, Loader=_BaseLoader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            raise _Refusal(_ALIASES, token.start_mark, _ALIASES_HINT)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that refuses duplicate keys, aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # An alias of a collection is what makes "billion laughs" documents
        # explode once expanded; scalar aliases (and keys, which the base
        # constructor visits twice) are harmless.
        if node in self.constructed_objects and not isinstance(node, yaml.ScalarNode):
            raise _Refusal(_ALIASES, node.start_mark, _ALIASES_HINT)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refusal(
                    f"the document is nested deeper than {MAX_DEPTH} levels",
                    node.start_mark,
                    "flatten the structure",
                )
            return super().construct_object(node, deep=True)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise _Refusal("a mapping key must be a plain value", key_node.start_mark) from None
            if key in seen:
                first = seen[key]
                raise _Refusal(
                    f"duplicate key {key!r} (first defined on line {first.line + 1})",
                    key_node.start_mark,
                    "remove or rename one of the two entries",
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=True)  # type: ignore[no-any-return]


_Loader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node, deep=True),
)


class _FastLoader(_BaseLoader):  # type: ignore[misc]
    """The same refusals as :class:`_Loader`, for text without anchors or merge keys.

    Without ``&`` in the text there can be no anchor, so no alias and no
    "billion laughs"; without ``<<`` no merge key. What is left to check is
    paid per *collection*, not per node (scalars are most nodes): nesting
    depth, and duplicate keys, found by comparing the mapping's size with its
    number of key nodes. This is what keeps loading close to the bare C
    loader on large workspaces (``docs/performance.md``).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def _enter(self, node: yaml.CollectionNode) -> None:
        # Count as _Loader does: every node is a level, the innermost scalar too.
        self._depth += 1
        if node.value and self._depth >= MAX_DEPTH:
            first = node.value[0]
            child = first[0] if isinstance(first, tuple) else first
            raise _Refusal(
                f"the document is nested deeper than {MAX_DEPTH} levels",
                child.start_mark,
                "flatten the structure",
            )

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self._enter(node)
        try:
            mapping: dict[Any, Any] = yaml.constructor.BaseConstructor.construct_mapping(
                self, node, deep=True
            )
        finally:
            self._depth -= 1
        if len(mapping) != len(node.value):
            _raise_duplicate(self, node)
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> list[Any]:
        self._enter(node)
        try:
            return [self.construct_object(child, deep=True) for child in node.value]
        finally:
            self._depth -= 1


def _raise_duplicate(loader: Any, node: yaml.MappingNode) -> None:
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise _Refusal(
                f"duplicate key {key!r} (first defined on line {seen[key].line + 1})",
                key_node.start_mark,
                "remove or rename one of the two entries",
            )
        seen[key] = key_node.start_mark


_FastLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node, deep=True),
)
_FastLoader.add_constructor(
    "tag:yaml.org,2002:seq",
    lambda loader, node: loader.construct_sequence(node, deep=True),
)


def _unknown_tag(loader: _Loader, node: yaml.Node) -> Any:
    raise _Refusal(
        f"the tag {node.tag!r} is not allowed: selfeval files hold plain data only",
        node.start_mark,
        "remove the tag",
    )


#: Strings up to this length are shared (``sys.intern``) as they are loaded.
SHARED_STRING_CHARS = 64


def _shared_str(loader: Any, node: yaml.ScalarNode) -> str:
    """A string scalar; a short one is shared with every equal one loaded before.

    Keys, choice values, codes, dates and cited document names repeat in
    every response: ``aggregate`` keeps them for all responses at once, so
    one object each instead of one per occurrence (1,000 generated
    responses: ~4.5 MB less, ``docs/performance.md``). Long texts are left
    alone: they rarely repeat.
    """
    text: str = loader.construct_scalar(node)
    return sys.intern(text) if len(text) <= SHARED_STRING_CHARS else text


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """An unquoted date or time; one that is not in the calendar is refused at its place.

    PyYAML reads ``2027-02-30`` as a timestamp and then fails with a bare
    ``ValueError`` (day out of range), which named no file: every command
    that read the file stopped with an internal error (trial 9).
    """
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise _Refusal(
            f"{node.value!r} is no date or time in the calendar",
            node.start_mark,
            "write one that exists, as YYYY-MM-DD for a date, or put the text in quotes",
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:str", _shared_str)
_FastLoader.add_constructor("tag:yaml.org,2002:str", _shared_str)
_Loader.add_constructor(None, _unknown_tag)
_FastLoader.add_constructor(None, _unknown_tag)


def _location(path: Path | str, mark: Any) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def decode(data: bytes, path: Path | str) -> str:
    """Decode a file's bytes as UTF-8 (a byte-order mark dropped).

    Raises:
        InputError: not UTF-8, with the line and column of the first bad byte.
    """
    return _decode(data, path)


def _decode(data: bytes, path: Path | str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            location=Location(path, line, column),
            hint="save the file as UTF-8",
        ) from None
    return text


def _is_tab_at(text: str, mark: Any) -> bool:
    if mark is None:
        return False
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: mark.column + 1]


#: Documents whose cheap nesting bound (see :func:`_nesting_bound`) exceeds this
#: are scanned event by event before composing. libyaml's composer recurses in
#: C and crashes the process (segfault, no message) somewhere past ~20,000
#: levels, before the constructor's :data:`MAX_DEPTH` check ever runs.
_SCAN_ABOVE = 2000


def _nesting_bound(text: str) -> int:
    """An upper bound on how deeply ``text`` can nest, computed without parsing.

    Every flow collection opens with its own ``[`` or ``{``; every two levels
    of block collections move at least one column to the right. So the
    nesting is at most the number of brackets plus twice the longest line.
    """
    longest = max(map(len, text.split("\n")), default=0)
    return text.count("[") + text.count("{") + 2 * longest + 2


def _check_depth(text: str) -> None:
    """Refuse a document nested deeper than :data:`MAX_DEPTH`, from its events alone.

    The parser is iterative, so this cannot crash however deep the document.
    """
    parser = _BaseLoader(text)
    depth = 0  # open collections around the current event
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            # Count as the constructor does: every node is a level, scalars included.
            level = depth + 1
            if level > MAX_DEPTH:
                raise _Refusal(
                    f"the document is nested deeper than {MAX_DEPTH} levels",
                    event.start_mark,
                    "flatten the structure",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth = level
    finally:
        parser.dispose()


#: A JSON string or bracket: what :func:`check_json_depth` steps through.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_JSON_EMPTY = re.compile(r"\s*[\]}]")


def check_json_depth(text: str, path: Path | str = "<string>") -> None:
    """Refuse JSON nested deeper than :data:`MAX_DEPTH`, the limit YAML files have.

    Counted as the YAML loader counts: every value is a level, so a
    collection at level :data:`MAX_DEPTH` must be empty. The text is scanned
    before parsing: Python's JSON parser recurses, and a deep enough document
    would end in a ``RecursionError`` rather than a message.

    Raises:
        InputError: too deep, with the line and column of the bracket that
            opens the first level too many.
    """
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group(0)
        if token in "]}":
            depth -= 1
            continue
        if token[0] == '"':
            continue
        depth += 1
        start = match.start()
        if depth < MAX_DEPTH or (
            depth == MAX_DEPTH and _JSON_EMPTY.match(text, match.end()) is not None
        ):
            continue
        raise InputError(
            f"the document is nested deeper than {MAX_DEPTH} levels",
            location=Location.at_offset(path, text, start),
            hint="flatten the structure",
        )


#: A line git writes into a file it could not merge: ``<<<<<<< ours``,
#: ``||||||| base`` (diff3 style), ``=======``, ``>>>>>>> theirs``; always at
#: the start of a line, seven characters, then a space or the line end.
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|={7}|>{7})(?: |\r?$)", re.MULTILINE)
#: The markers that only a merge writes (``=======`` alone is also a Markdown
#: heading underline, so it counts only beside one of these).
_CONFLICT_EDGE = re.compile(r"^(?:<{7}|>{7})(?: |\r?$)", re.MULTILINE)


def check_no_conflict(text: str, path: Path | str = "<string>") -> None:
    """Refuse text that still holds git conflict markers.

    A ``git pull`` or ``git rebase`` that could not merge two changes to a file
    leaves both versions in it between ``<<<<<<<``, ``=======`` and
    ``>>>>>>>`` lines. YAML parsing would then fail with a message about
    syntax; this says what happened instead, at the first marker line.

    Args:
        text: the file's content.
        path: the file, for the message.

    Raises:
        InputError: a line starts with ``<<<<<<<`` or ``>>>>>>>`` (then the
            first marker line of any kind is named), with the hint to resolve
            the merge conflict.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text:  # the common case, cheaply
        return
    edge = _CONFLICT_EDGE.search(text)
    if edge is None:
        return
    first = _CONFLICT_MARKER.search(text) or edge
    line = text.count("\n", 0, first.start()) + 1
    marker = first.group(0).strip()
    raise InputError(
        f"the file holds an unresolved git merge conflict (line {line} starts with {marker!r})",
        location=Location(path, line, 1),
        hint="resolve the merge conflict: keep the right lines between the <<<<<<<, ======= "
        "and >>>>>>> markers, delete the marker lines, then `git add` the file and "
        "finish what git stopped in: `git rebase --continue` after a pull with rebase, "
        "`git commit` after a merge; see docs/collaboration.md",
    )


def read_text(path: Path, *, max_bytes: int | None = None, named: bool = False) -> str:
    """Read a UTF-8 text file of the workspace (the secretariat's Markdown texts).

    Args:
        path: the file.
        max_bytes: refuse files larger than this many bytes (None: :data:`MAX_FILE_BYTES`).
        named: the user named the file on the command line (:func:`read_file`).

    Returns:
        The text (a byte-order mark dropped).

    Raises:
        InputError: the file is missing, unreadable, too large, not UTF-8,
            or holds git conflict markers (:func:`check_no_conflict`).
    """
    text = _decode(read_file(path, max_bytes=max_bytes, named=named), path)
    check_no_conflict(text, path)
    return text


def check_characters(text: str, path: Path | str, what: str = "text") -> None:
    """Refuse a file's text holding a character the one rule of texts refuses.

    The rule is :func:`selfeval.model.text.bad_character` (control characters
    but tab and line feed, bidirectional controls, lone surrogates,
    noncharacters), the one every answer is held to: ``texts/*.md``
    (:func:`read_markdown`) and the report templates (``templates/*.j2``) pass here.

    Args:
        text: the file's text as read.
        path: the file, for the message.
        what: what the file is, in the message (``text``, ``template``).

    Raises:
        InputError: the first such character, with its line, column and code.
    """
    bad = bad_character(text)
    if bad is not None:
        at, char = bad
        raise InputError(
            f"the {what} holds {character_kind(char)}, which a {what} may not hold",
            location=Location.at_offset(path, text, at),
            hint="remove it (a text may hold tabs and line breaks, no other control characters)",
        )


def read_markdown(path: Path) -> str:
    """Read one of the secretariat's Markdown texts (``texts/*.md``).

    :func:`read_text`, and the characters of the one rule of texts
    (:mod:`selfeval.model.text`): no control character but tab, line feed
    and CR, no lone surrogate, no noncharacter. They would reach the report
    (Word's XML cannot hold them) and a terminal. And no image
    (:func:`markdown_images`): the HTML report would load it from anywhere
    (``/tmp/secret.png``, ``../../x.png``, a tracker on the web), the Word
    report dropped it; both refuse it now, with the line.

    Raises:
        InputError: as :func:`read_text`, such a character (its line and
            column), or an image (its line).
    """
    text = read_text(path)
    check_characters(text, path)
    images = markdown_images(text) if "![" in text else []
    if images:
        line, src = images[0]
        raise InputError(
            f"the text holds an image ({src!r}); the report's texts hold no images",
            location=Location(path, line),
            hint="remove it: the HTML report would load it from wherever it points (another "
            "folder, a web server), the Word report could not show it",
        )
    return text


def markdown_images(text: str) -> list[tuple[int, str]]:
    """Every image of a Markdown text (``![alt](src)``, ``![alt][ref]``): its line and source.

    Read as the report reads the text (CommonMark, raw HTML off: an ``<img>`` is
    shown as text), so an image in a code block or behind ``\\!`` is none.
    """
    from markdown_it import MarkdownIt

    found: list[tuple[int, str]] = []
    for token in MarkdownIt("commonmark", {"html": False}).enable("table").parse(text):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0] + 1
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                found.append((line, str(child.attrGet("src") or "")))
    return found


def load_text(text: str, path: Path | str = "<string>") -> Any:
    """Parse YAML text safely.

    Args:
        text: the YAML document.
        path: the file name to name in error messages.

    Returns:
        Plain data: dicts, lists, str, int, float, bool, None, and
        ``datetime.date``/``datetime.datetime`` for unquoted dates.

    Raises:
        InputError: on git conflict markers (:func:`check_no_conflict`), a
            syntax error, duplicate key, alias, unknown tag, tab indentation or
            too-deep nesting, with file, line and column.
    """
    check_no_conflict(text, path)
    try:
        if _nesting_bound(text) > _SCAN_ABOVE:
            _check_depth(text)
        plain = "&" not in text and "<<" not in text
        if "&" in text:
            _refuse_anchors(text)
        loader = _FastLoader(text) if plain else _Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _Refusal as exc:
        raise InputError(exc.message, location=_location(path, exc.mark), hint=exc.hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "fix the YAML syntax at this place"
        if _is_tab_at(text, mark) or "'\\t'" in problem:
            problem = "a tab character is used for indentation"
            hint = "indent with spaces, not tabs"
        elif "undefined alias" in problem:
            problem, hint = _ALIASES, _ALIASES_HINT
        elif "maximum nesting depth" in problem:
            # libyaml >= 0.2.6 (wheels of PyYAML 6.0.4) has its own nesting limit.
            problem = f"the document is nested deeper than {MAX_DEPTH} levels"
            hint = "flatten the structure"
        elif exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise InputError(problem, location=_location(path, mark), hint=hint) from None
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, ESC, …): the reader reports an offset, not a mark.
        offset = exc.position
        if LIBYAML:  # libyaml counts UTF-8 bytes, the pure-Python reader characters
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        raise InputError(
            f"the file holds a control character (code {exc.character:#04x}), which YAML "
            f"does not allow",
            location=Location.at_offset(path, text, offset),
            hint="remove it; the file may be damaged or not a text file",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", location=Location(path)) from None
    except RecursionError:
        raise InputError(
            "the document is nested too deeply", location=Location(path), hint="flatten it"
        ) from None


@overload
def load(
    path: Path,
    *,
    max_bytes: int | None = None,
    named: bool = False,
    with_text: Literal[False] = ...,
) -> Any: ...
@overload
def load(
    path: Path, *, max_bytes: int | None = None, named: bool = False, with_text: Literal[True]
) -> tuple[Any, str]: ...
def load(
    path: Path, *, max_bytes: int | None = None, named: bool = False, with_text: bool = False
) -> Any:
    """Read and safely parse one YAML file.

    Args:
        path: the file.
        max_bytes: refuse files larger than this many bytes (None: :data:`MAX_FILE_BYTES`).
        named: the user named the file on the command line (:func:`read_file`).
        with_text: also return the text parsed, for the lines of later
            messages (:func:`location_of`): a file is read once, so a message
            never points into another file swapped in meanwhile.

    Returns:
        Plain data as :func:`load_text` returns it; with ``with_text``,
        ``(data, text)``.

    Raises:
        InputError: the file is refused by :func:`read_file`, not UTF-8 or
            not valid YAML (see :func:`load_text`).
    """
    data, text = load_bytes(read_file(path, max_bytes=max_bytes, named=named), path)
    return (data, text) if with_text else data


def load_bytes(raw: bytes, path: Path | str = "<string>") -> tuple[Any, str]:
    """Parse a file's bytes read by :func:`read_file`: what :func:`load` does after reading.

    Args:
        raw: the bytes.
        path: the file they were read from, for messages.

    Returns:
        ``(data, text)``: plain data as :func:`load_text` returns it, and the
        text it was parsed from.

    Raises:
        InputError: not UTF-8 (:func:`decode`), or as :func:`load_text`.
    """
    text = _decode(raw, path)
    return load_text(text, path), text


def plain_digest(data: Any) -> str | None:
    """A SHA-256 of plain data as :func:`load_text` returns it, equal only for equal documents.

    Equal means the same types, values and order: each value is written
    with its type (``1``, ``1.0``, ``True`` and ``"1"`` differ, so do
    ``0.0`` and ``-0.0``), mappings in their key order, texts by their exact
    characters. For ``status``'s cut-off (:mod:`selfeval.report.runrecord`):
    two response files whose documents digest the same are one response to
    every check.

    Args:
        data: dicts, lists, str, int, float, bool, None, ``datetime.date``
            and ``datetime.datetime``.

    Returns:
        The hex digest, or None when ``data`` holds anything else (or is
        nested past the interpreter's recursion limit): no digest, no cut-off.
    """
    parts: list[bytes] = []
    add = parts.append

    def walk(value: Any) -> bool:
        kind = type(value)
        if kind is str:
            encoded = value.encode("utf-8", "surrogatepass")
            add(b"s%d:" % len(encoded))
            add(encoded)
        elif kind is dict:
            add(b"{%d:" % len(value))
            for key, item in value.items():
                if not (walk(key) and walk(item)):
                    return False
        elif kind is list:
            add(b"[%d:" % len(value))
            for item in value:
                if not walk(item):
                    return False
        elif kind is bool:
            add(b"T" if value else b"F")
        elif kind is int:
            add(b"i%d;" % value)
        elif kind is float:
            add(b"f" + repr(value).encode() + b";")
        elif value is None:
            add(b"N")
        elif kind is dt.datetime or kind is dt.date:
            tag = b"t" if kind is dt.datetime else b"d"
            add(tag + value.isoformat().encode() + b";")
        else:
            return False
        return True

    try:
        if not walk(data):
            return None
    except RecursionError:
        return None
    return hashlib.sha256(b"".join(parts)).hexdigest()


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``, as :func:`load` reads them before parsing.

    Raises:
        InputError: as :func:`read_file`.
    """
    return read_file(path, max_bytes=max_bytes)


def check_size(
    size: int, path: Path | str, max_bytes: int | None = None, *, writing: str | None = None
) -> None:
    """Refuse a file of ``size`` bytes over ``max_bytes``: the one size rule of reading and writing.

    :func:`selfeval.files.reading.check_size`, with ``max_bytes`` None meaning
    :data:`MAX_FILE_BYTES` (looked up at the call).

    Raises:
        InputError: ``size`` is over the limit.
    """
    _reading.check_size(
        size, path, MAX_FILE_BYTES if max_bytes is None else max_bytes, writing=writing
    )


def read_file(path: Path | str, *, max_bytes: int | None = None, named: bool = False) -> bytes:
    """The bytes of one file: the one rule every read of a file goes through.

    :func:`selfeval.files.reading.read_file` (no file leading out of its
    workspace, nothing but a regular file, opened without blocking, at most
    the limit read), with ``max_bytes`` None meaning :data:`MAX_FILE_BYTES`
    (looked up at the call).

    Args:
        path: the file.
        max_bytes: the size limit (None: :data:`MAX_FILE_BYTES`).
        named: the user named the file (it may be outside a workspace).

    Returns:
        The file's bytes.

    Raises:
        InputError: the file is missing, unreadable, not a regular file, or too
            large, or it is in a workspace but leads outside it.
    """
    return _reading.read_file(
        path, max_bytes=MAX_FILE_BYTES if max_bytes is None else max_bytes, named=named
    )


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Safe dumper that never emits aliases and keeps insertion order."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Serialise plain data to YAML text that :func:`load_text` reads back equal.

    Args:
        data: dicts, lists, str, int, float, bool, None, dates.

    Returns:
        The YAML text, UTF-8 characters kept as they are, keys in insertion
        order, multi-line strings as literal blocks.
    """
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text


#: Characters a double-quoted scalar must escape beyond what ``json.dumps`` escapes:
#: DEL and the C1 controls (not printable in YAML), the line and paragraph
#: separators and NEL (YAML 1.1 line breaks), the byte-order mark, surrogates,
#: and the two non-characters.
_YAML_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
#: Strings that may go out plain when the resolver also reads them as strings.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*(?::[A-Za-z0-9_./-]+)?\Z")
#: What a literal block (``|``) cannot hold as it is: controls, tabs, CR, and the above.
_NOT_LITERAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)
_resolver = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line (JSON escapes, and YAML's own).

    Reads back as exactly ``text`` (``tests/test_yamlio.py`` has the property test).
    """
    return _YAML_ESCAPE.sub(_escaped, json.dumps(text, ensure_ascii=False))


def _literal_ok(text: str) -> bool:
    if not text or text[0] in " \n" or text.endswith("\n\n") or _NOT_LITERAL.search(text):
        return False
    return all(line.strip(" ") or not line for line in text.split("\n"))


def scalar(value: str | int | bool | None, indent: int = 0) -> str:
    """One value as YAML text, for after ``key: `` or ``- `` in a streamed document.

    The same rule as :func:`dump`: the value reads back (through :func:`load_text`)
    as exactly itself. Short identifiers go out plain when YAML would read them
    as strings (not ``NO``, ``on``, ``1.10``, ``2006-05-16``, ``null`` …); text
    with line breaks as a literal block (``|`` / ``|-``) when that keeps it
    exactly, its lines indented by ``indent + 2`` spaces; anything else
    double-quoted (:func:`quoted`).

    Args:
        value: a string, an integer, a boolean or None.
        indent: the indentation of the key this value belongs to.

    Returns:
        The text, without a final line break.

    Raises:
        TypeError: another type of value.
    """
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write a {type(value).__name__} as a YAML scalar")
    if _PLAIN.match(value) and _resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR:
        return value
    if "\n" in value and _literal_ok(value):
        pad = " " * (indent + 2)
        body = value[:-1] if value.endswith("\n") else value
        lines = "\n".join(pad + line if line else "" for line in body.split("\n"))
        return ("|\n" if value.endswith("\n") else "|-\n") + lines
    return quoted(value)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _default_mode() -> int:
    """The mode a new file gets from the process umask (0o644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_inside(path: Path, root: Path) -> Path:
    """Where writing ``path`` really lands, refused unless it is inside ``root``.

    A workspace may come from anyone (git, mail): a link in it — the file
    itself, dangling or not, or a folder on the way — must not make selfeval
    write elsewhere (``docs/files.md``, "Security model"). A path the user
    names explicitly (``aggregate -o``) is not checked.

    Returns:
        The real path (links resolved).

    Raises:
        RefusedError: the real path is outside ``root``; nothing is written.
    """
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    if real != base and base not in real.parents:
        raise RefusedError(
            f"this is a link to {real}, outside the workspace; selfeval does not write "
            f"outside the workspace",
            location=Location(path),
            hint="remove the link (a plain file is then written in its place)",
        )
    return real


def check_output_folder(folder: Path, path: Path | None = None) -> None:
    """Refuse an output whose folder would need more than one new folder level.

    The rule for every path a user names with ``-o`` (``aggregate``,
    ``export``, ``questionnaire show``): selfeval makes at most the last
    folder of it (``-o out/report.md`` makes ``out/``), as ``mkdir`` without
    ``-p`` does; a typo such as ``-o /nonexist/dir/x.xlsx`` is refused rather
    than growing a tree of folders from the root. Default paths inside the
    workspace (``reports/``, ``reports/export/``) are made as needed.

    Args:
        folder: the folder the output goes into (for a CSV export, the folder
            of files itself).
        path: the output as the user named it, for the message (default ``folder``).

    Raises:
        InputError: ``folder``'s parent does not exist (the nearest missing
            folder is named), or ``folder`` exists and is not a folder.
    """
    where = Location(path if path is not None else folder)
    folder = Path(os.path.abspath(folder))
    if folder.is_dir():
        return
    if folder.exists():
        raise InputError(
            f"{folder} is a file, not a folder", location=where, hint="choose another output path"
        )
    if folder.parent.is_dir():
        return
    missing = folder.parent
    while not missing.parent.is_dir() and missing.parent != missing:
        missing = missing.parent
    raise InputError(
        f"the folder {missing} does not exist; selfeval makes only the last folder of an "
        f"output path",
        location=where,
        hint=f"create the folders first (mkdir -p {folder.parent}), or choose another output path",
    )


def _target(path: Path, within: Path | None = None) -> tuple[Path, int]:
    """Where to write for ``path``, and with which permission bits.

    A symbolic link is written through (its target is replaced, the link
    kept) — but with ``within`` only when the target is inside that folder;
    an existing file keeps its mode; a new file gets the umask's mode.
    ``mkstemp`` alone would leave every file ``0600``, unreadable for the
    colleagues a workspace is shared with.

    Raises:
        InputError: the path exists but is not a regular file (a device,
            folder or pipe), which a rename would silently replace.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    if within is not None:
        check_inside(path, within)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        return target, _default_mode()
    except OSError as exc:
        raise InputError(f"cannot use this path: {exc.strerror}", location=Location(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            "this is not a regular file (a folder, device or pipe), so it cannot be replaced",
            location=Location(path),
            hint="choose a file path to write to",
        )
    return target, stat.S_IMODE(info.st_mode)


def _temp_beside(target: Path, path: Path) -> tuple[int, Path]:
    """Create the temporary file beside ``target`` (its folder made if missing).

    Returns the open descriptor and the temporary path.

    Raises:
        InputError: the folder cannot be made or written (named as ``path``).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _not_written(
            exc, path, "cannot write here", "check that the folder exists and is writable"
        ) from None
    return fd, Path(tmp_name)


@contextlib.contextmanager
def _replace_on_success(
    tmp: Path,
    target: Path,
    mode: int,
    path: Path,
    *,
    fsync: bool,
    unchanged: Callable[[], bool] = lambda: False,
) -> Iterator[None]:
    """Run the block that fills ``tmp``; then give it ``mode`` and rename it over ``target``.

    The one commit step of :func:`atomic_writer` and :func:`atomic_path`: on an
    error or interrupt ``tmp`` is removed and ``target`` is left as it was.
    When ``unchanged()`` says so after the block, ``tmp`` is removed and
    ``target`` left as it is (its bytes are already those).

    Raises:
        InputError: the disk is full or the folder not writable (from ``OSError``).
    """
    try:
        yield
        if unchanged():
            tmp.unlink()
            return
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _not_written(
            exc, path, "cannot write the file",
            "free disk space or fix the folder's permissions; nothing was overwritten",
        ) from None  # fmt: skip
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if fsync:
        _fsync_dir(target.parent)


def _not_written(exc: OSError, path: Path, message: str, hint: str) -> InputError:
    """The error for a file that could not be written: for the coordinator and a respondent.

    ``str()`` is the English message with ``exc.strerror``, file and hint; its
    ``said`` says the same in plain words (a full disk, a folder that may not
    be written to, or else that the file could not be written; nothing was
    overwritten), so that ``fill`` and ``peer-review`` tell a respondent in
    one message in the session language (issue 16).
    """
    from selfeval.i18n import N_, Message  # only when failing: the start stays fast

    full, refused = N_("error.cause_disk_full"), N_("error.cause_not_allowed")
    causes = {errno.ENOSPC: full, errno.EDQUOT: full}
    causes |= {errno.EACCES: refused, errno.EPERM: refused, errno.EROFS: refused}
    cause = Message(causes.get(exc.errno or 0, N_("error.cause_not_written")))
    return InputError(
        f"{message}: {exc.strerror}",
        location=Location(path),
        hint=hint,
        said=Message("error.not_saved", cause=cause),
    )


@contextlib.contextmanager
def atomic_writer(
    path: Path,
    *,
    fsync: bool = True,
    binary: bool = False,
    within: Path | None = None,
    keep_same: bool = False,
) -> Iterator[TextIO]:
    r"""Open a text handle whose content replaces ``path`` atomically when the block ends.

    Write to the handle; on a normal exit the temporary file (same folder) is
    flushed, fsynced, given the target's mode and renamed over the target; on
    an error or interrupt it is removed and the target is left as it was.

    Args:
        path: the target file; its folder is created if missing. A symbolic
            link is written through.
        fsync: flush to disk before the rename (on by default).
        binary: yield a binary handle instead (a ``.docx``, a picture).
        within: the workspace: refuse a path whose real location (links
            resolved) is outside it (:func:`check_inside`).
        keep_same: when what was written is byte for byte the target's
            content, leave the target as it is (not renamed over, not
            fsynced: its time stamp stays, a re-run that made the same report
            changes no file).

    Yields:
        A text handle (UTF-8, ``\n`` line ends), or a binary one.

    Raises:
        InputError: the folder is not writable, the disk is full, or the
            target is not a regular file; nothing is overwritten then.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    target, mode = _target(path, within)
    fd, tmp = _temp_beside(target, path)
    same = False
    with _replace_on_success(tmp, target, mode, path, fsync=fsync, unchanged=lambda: same):
        opened = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        )
        with opened as handle:
            yield handle
            handle.flush()
            same = keep_same and _same_bytes(tmp, target)
            if fsync and not same:
                os.fsync(handle.fileno())


def _same_bytes(written: Path, target: Path) -> bool:
    """``target`` is a regular file with exactly the bytes of ``written``."""
    import filecmp

    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode) or info.st_size != os.stat(written).st_size:
            return False
        return filecmp.cmp(written, target, shallow=False)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(path: Path, *, fsync: bool = True, within: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` that replaces it when the block ends.

    For writers that want a file name rather than a handle (a spreadsheet
    library writing a zip file). Same guarantees as :func:`atomic_writer`:
    on an error or interrupt the temporary file is removed and ``path`` is
    left as it was; a new file gets the umask's mode, an existing one keeps its.

    Args:
        path: the target file; its folder is created if missing.
        fsync: flush to disk before the rename (on by default).
        within: the workspace: refuse a path whose real location (links
            resolved) is outside it (:func:`check_inside`).

    Raises:
        InputError: the folder is not writable, the disk is full, or the
            target is not a regular file; nothing is overwritten then.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    target, mode = _target(path, within)
    fd, tmp = _temp_beside(target, path)
    os.close(fd)
    with _replace_on_success(tmp, target, mode, path, fsync=fsync):
        yield tmp
        if fsync:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_files(
    paths: Sequence[Path],
    *,
    fsync: bool = True,
    within: Sequence[Path | None] = (),
    binary: Sequence[bool] = (),
    keep_same: bool = False,
) -> Iterator[list[Any]]:
    """Open one handle per path; the files are replaced only when all were written.

    Like :func:`atomic_writer` for a pair that must match (``aggregate
    --draft``: the draft report and ``reports/draft.yaml``): every temporary
    file is written and flushed first, then they are renamed one after the
    other, in the order given. An error or interrupt before the renames
    leaves every target as it was; only a crash between two renames (a few
    microseconds) can leave a mismatched pair, which their common draft hash
    then shows.

    Args:
        paths: the targets, in the order they are renamed.
        fsync: flush to disk before the renames.
        within: per path, the workspace it must stay in (see :func:`check_inside`),
            or None; missing entries mean None.
        binary: per path, True for a binary handle (a ``.docx``); missing entries
            mean text (UTF-8, ``\n`` line ends).
        keep_same: when every file written is byte for byte its target's
            content, leave the targets as they are (none renamed over, nothing
            fsynced), as :func:`atomic_writer`'s ``keep_same``; when one
            differs, all are replaced (the pair stays one pair).

    Yields:
        One handle per path, in order.

    Raises:
        InputError, RefusedError: as :func:`atomic_writer`; nothing is replaced then.
    """
    targets = [
        _target(path, within[i] if i < len(within) else None) for i, path in enumerate(paths)
    ]
    temps: list[Path] = []
    handles: list[Any] = []
    current = paths[0] if paths else Path()
    try:
        try:
            for path, (target, _) in zip(paths, targets, strict=True):
                current = path
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
                )
                temps.append(Path(name))
                if len(handles) < len(binary) and binary[len(handles)]:
                    handles.append(os.fdopen(fd, "wb"))
                else:
                    handles.append(os.fdopen(fd, "w", encoding="utf-8", newline="\n"))
        except OSError as exc:
            raise _not_written(
                exc, current, "cannot write here", "check that the folder exists and is writable"
            ) from None
        yield handles
        try:
            for path, handle in zip(paths, handles, strict=True):
                current = path
                handle.flush()
            if keep_same and all(
                _same_bytes(tmp, target) for tmp, (target, _) in zip(temps, targets, strict=True)
            ):
                return  # the finally below removes the temporary files
            for path, handle in zip(paths, handles, strict=True):
                current = path
                if fsync:
                    os.fsync(handle.fileno())
                handle.close()
            for tmp, (_, mode) in zip(temps, targets, strict=True):
                os.chmod(tmp, mode)
            for path, tmp, (target, _) in zip(paths, temps, targets, strict=True):
                current = path
                os.replace(tmp, target)
        except OSError as exc:
            raise _not_written(
                exc, current, "cannot write the file",
                "free disk space or fix the folder's permissions; nothing was overwritten",
            ) from None  # fmt: skip
    finally:
        for handle in handles:
            with contextlib.suppress(OSError):
                handle.close()
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    if fsync:
        for folder in {target.parent for target, _ in targets}:
            _fsync_dir(folder)


def atomic_write_text(
    path: Path, text: str, *, fsync: bool = True, within: Path | None = None
) -> None:
    r"""Write ``text`` to ``path`` atomically (temp file, fsync, rename).

    Args:
        path: the target file; its folder is created if missing; a symbolic
            link is written through; an existing file keeps its mode.
        text: the content, written as UTF-8 with ``\n`` line ends.
        fsync: flush to disk before the rename (on by default).
        within: the workspace (see :func:`atomic_writer`).

    Raises:
        InputError: the folder is not writable, the disk is full, or the
            target is not a regular file; the target is then left as it was.
        RefusedError: ``within`` is given and the path leads outside it.
    """
    with atomic_writer(path, fsync=fsync, within=within) as handle:
        handle.write(text)


def write(path: Path, data: Any, *, fsync: bool = True, within: Path | None = None) -> None:
    """Dump ``data`` as YAML and write it atomically to ``path``.

    Raises:
        InputError, RefusedError: as :func:`atomic_write_text`.
    """
    atomic_write_text(path, dump(data), fsync=fsync, within=within)


class BackgroundWrite:
    """One :func:`atomic_write_text` running in a thread of its own: :func:`write_in_background`.

    The thread is not a daemon: a process that ends normally (or on Ctrl-C)
    finishes the write before it exits. Only :meth:`wait` says whether it
    succeeded.
    """

    def __init__(
        self,
        path: Path,
        text: str,
        within: Path | None,
        on_error: Callable[[Exception], Exception] | None,
    ) -> None:
        self.path = path
        self._on_error = on_error
        self._error: Exception | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, text, within), name="selfeval-save", daemon=False
        )

    def _run(self, path: Path, text: str, within: Path | None) -> None:
        try:
            atomic_write_text(path, text, within=within)
        except Exception as exc:  # handed to the thread that waits
            self._error = exc
        finally:
            _quick_switches(False)

    def wait(self) -> None:
        """Wait until the file is written (renamed into place and its folder synced).

        Raises:
            InputError, RefusedError: as :func:`atomic_write_text` (passed
                through ``on_error`` first); raised once, by the first wait.
        """
        self._thread.join()
        with _pending_lock:
            if self in _pending:
                _pending.remove(self)
        error, self._error = self._error, None
        if error is not None:
            raise error if self._on_error is None else self._on_error(error)


_pending: list[BackgroundWrite] = []
_pending_lock = threading.Lock()
_switch_interval: list[float] = []  # the interpreter's own, while a write runs

#: How often the interpreter lets another thread run while a write is in the
#: background (s). Each system call of the write (write, fsync, rename, fsync
#: of the folder…) gives up the GIL, and getting it back waits for the main
#: thread, busy building the next prompt, to be switched out: at the default
#: 5 ms that stretched a 2 ms write past the prompt it was meant to hide behind.
_WRITE_SWITCH_INTERVAL = 0.0002


def _quick_switches(on: bool) -> None:
    with _pending_lock:
        if on and not _switch_interval:
            _switch_interval.append(sys.getswitchinterval())
            sys.setswitchinterval(min(_WRITE_SWITCH_INTERVAL, _switch_interval[0]))
        elif not on and _switch_interval:
            sys.setswitchinterval(_switch_interval.pop())


def write_in_background(
    path: Path,
    text: str,
    *,
    within: Path | None = None,
    on_error: Callable[[Exception], Exception] | None = None,
) -> BackgroundWrite:
    """Start writing ``text`` to ``path`` atomically in a thread; return at once.

    For ``fill``: the next prompt is built while the file is written and
    synced, and is drawn only once the write has ended (the prompter calls
    :func:`wait_for_writes`). Every write started earlier (any file) is waited
    for first, so writes happen one at a time, in the order they were asked for.

    Args:
        path: the target file, as :func:`atomic_write_text` (always fsynced).
        text: the content.
        within: the workspace (see :func:`atomic_writer`).
        on_error: turns the write's error into the one :meth:`BackgroundWrite.wait`
            raises (e.g. adds the answer that was not saved).

    Raises:
        InputError, RefusedError: an earlier background write failed (see
            :func:`wait_for_writes`).
    """
    wait_for_writes()
    write = BackgroundWrite(path, text, within, on_error)
    with _pending_lock:
        _pending.append(write)
    _quick_switches(True)
    try:
        write._thread.start()
    except RuntimeError:  # no thread to be had: write it now, as write() does
        _quick_switches(False)
        with _pending_lock:
            _pending.remove(write)
        atomic_write_text(path, text, within=within)
    return write


def wait_for_writes() -> None:
    """Wait for every write started by :func:`write_in_background` to end.

    Raises:
        InputError, RefusedError: the first failed write's error (each is
            raised once); the writes after it are still waited for.
    """
    with _pending_lock:
        writes = list(_pending)
    error: BaseException | None = None
    for write in writes:
        try:
            write.wait()
        except Exception as exc:
            error = error or exc
    if error is not None:
        raise error


def _walk(node: yaml.Node, path: Sequence[str | int]) -> yaml.Node | None:
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    node = value_node
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node
        else:
            return node
    return node


def location_of(file: Path | str, text: str | None, keys: Sequence[str | int] | None) -> Location:
    """Where the value at ``keys`` is in ``file``: its line and column, else the file alone.

    Args:
        file: the file, as the message names it.
        text: its YAML text; None or empty: not at hand (the file alone).
        keys: keys and list indexes from the root (:func:`line_of`); None: the file alone.

    Returns:
        ``Location(file, line, column)``, or ``Location(file)`` when the text
        cannot be composed or holds nothing at or around ``keys``.
    """
    where = line_of(text, keys) if text and keys is not None else None
    return Location(file, *where) if where else Location(file)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")


def line_of(text: str, path: Sequence[str | int]) -> tuple[int, int] | None:
    """Find the 1-based (line, column) of the value at ``path`` in YAML text.

    Used after validation fails, to point at the offending place. Where the
    path runs out (a missing key), the nearest enclosing node is given.

    Args:
        text: the YAML document that was loaded.
        path: keys and list indexes from the root, as pydantic reports them.

    Returns:
        (line, column), or None when the text cannot be composed.
    """
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        # JSON may escape a lone surrogate (``"\ud800"``), which YAML cannot
        # compose: the same place with a space in its stead.
        spaced = _SURROGATE_ESCAPE.sub(r"\\u0020", text)
        try:
            root = None if spaced == text else yaml.compose(spaced, Loader=_BaseLoader)
        except yaml.YAMLError:
            return None
    if root is None:
        return None
    node = _walk(root, path)
    if node is None:
        return None
    return node.start_mark.line + 1, node.start_mark.column + 1
