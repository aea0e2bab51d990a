"""Rendered parts of the report kept between runs: a re-run renders only the parts that changed.

A report of 1,000 responses is about 20 million characters of Markdown, and
rendering it through Jinja2's sandbox took longer than anything else a
re-run does (``docs/performance.md``). Most of it is made of repeated parts
— a department's view, a role, an activity, a finding, a department's table
of Annex 2, the notes — each rendered by one macro of the shipped partial
templates (:data:`PURE_TEMPLATES`). Such a macro is a function of its
arguments alone: it has no state of the page (the table numbers are counted
in ``integrated-report.md.j2``, which is not one of them), and the filters
it uses are ours and deterministic. So what it rendered is kept under a key
of exactly what it depends on:

* the macro (its name and template file) and the shipped templates and
  source of selfeval (:func:`selfeval.report.runrecord.package_fingerprint`,
  which covers every template and ``.py`` file of the package);
* the versions of Python, Jinja2 and MarkupSafe;
* the kind of render (the HTML's Markdown links its note numbers);
* its arguments, pickled (``pickle.dumps``: every value, type and field of
  the finding, department or row, so equal bytes are an equal argument; the
  bytes are only hashed, never loaded). A finding's view
  (:class:`selfeval.report.views.FindingView`) is hashed once per render: its
  own fields pickled and hashed, and wherever it appears — as an argument,
  in a department's documents, a role row, an Annex 2 table, the findings an
  opportunity answers — it stands as its class and that digest (a nested
  digest: a view that changes changes every part that shows it).

When one response changes, only the parts whose arguments changed are
rendered again; the others are taken from the last run. A macro is kept
only when none of :data:`PURE_TEMPLATES` is overridden in the workspace's
``templates/`` (an override is untrusted and may keep state between calls,
so every part is rendered then, as before), and only when every argument
pickles (a template's own objects, such as ``loop``, do not: such a call is
rendered). The report is byte for byte what a render without this cache
makes (``tests/test_fragments.py``).

Storage: one pack per kind of report (format, draft or final, ids shown or
not, incident category) in ``.selfeval/cache/fragments/<name>.json``: JSON
of the fragments the last render used, by key, **sealed**
(:mod:`selfeval.report.sealed`) like every cache entry — the workspace is
untrusted input, and a forged fragment would put text in the report that no
response has. A pack that is missing, truncated, corrupt, forged or of
another format is ignored: every part is rendered, and the pack rewritten.
Once the seal checks out the pack is ours, written by the code with this
fingerprint, so it is read with a plain type check (a mapping of strings),
not a model. The pack is rewritten only when the render used a fragment it
did not hold, or left one unused. ``--no-cache`` bypasses it;
``selfeval cache clear`` removes it with the rest of ``.selfeval/cache/``.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import io
import json
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from selfeval.report import sealed

__all__ = [
    "FORMAT",
    "FRAGMENTS_DIR",
    "KEPT_MACROS",
    "PURE_TEMPLATES",
    "Fragments",
    "kept_in",
    "open_pack",
]

#: The layout of a pack; part of every key.
FORMAT = 1
#: The fragments' folder in ``.selfeval/cache/``.
FRAGMENTS_DIR = "fragments"
#: What a pack is sealed as (:mod:`selfeval.report.sealed`).
_KIND = "fragments"
#: The shipped partial templates whose macros depend on their arguments only.
PURE_TEMPLATES = ("_finding.md.j2", "_sections.md.j2")
#: The macros whose output is kept: each renders one repeated part of the report.
KEPT_MACROS = frozenset({"activity", "annex2_table", "department", "finding", "notes", "role"})
#: Larger packs are not read (a report of 10,000 responses is about 204 M characters).
_MAX_PACK = 2 * 1024 * 1024 * 1024
#: A part's place in the pack being written is one int: offset * _PLACE + size (a part's
#: JSON is far below 2**40 bytes: a report is at most render.MAX_OUTPUT_CHARS characters).
_PLACE = 1 << 40

_FOLDER: ContextVar[Path | None] = ContextVar("selfeval_fragments", default=None)


@contextlib.contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Within this block, renders keep and reuse their parts in ``folder`` (None: not at all).

    ``selfeval aggregate`` passes ``.selfeval/cache/fragments/`` (without
    ``--no-cache``); the folder may not exist yet.
    """
    token = _FOLDER.set(folder)
    try:
        yield
    finally:
        _FOLDER.reset(token)


@functools.lru_cache(maxsize=1)
def _salt() -> bytes:
    """What every key depends on besides the call: format, package, Python and Jinja2."""
    from importlib.metadata import version

    from selfeval.report import runrecord

    return hashlib.sha256(
        json.dumps(
            [
                FORMAT,
                runrecord.package_fingerprint(),
                sys.version,
                version("jinja2"),
                version("markupsafe"),
            ]
        ).encode()
    ).digest()


def _fields_reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """How a slotted dataclass pickles here: its class and every field's value, in order.

    The bytes a ``__reduce__`` of ``(cls, (field, …))`` gives, with each
    field that is a string given as its UTF-8 bytes (equal strings, equal
    bytes): pickle itself asks a string for its UTF-8 form, and CPython
    keeps that form inside a non-ASCII string for as long as the string
    lives, so every answer text of the report was held twice after its part
    was hashed (1,000 responses: 11.2 MB, ``docs/performance.md``);
    ``str.encode`` makes a copy that is freed at once. What the
    ``dataclasses`` module gives a slotted class (``__getstate__``) asks
    ``dataclasses.fields`` again for every object, which was most of the
    time of hashing a report's parts.
    """
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def reduce(obj: Any) -> tuple[Any, ...]:
        got = values(obj)
        if not isinstance(got, tuple):
            got = (got,)
        return (
            cls,
            tuple(
                v.encode("utf-8", "surrogatepass") if type(v) is str and not v.isascii() else v
                for v in got
            ),
        )

    return reduce


@functools.lru_cache(maxsize=1)
def _dispatch_table() -> dict[type, Any]:
    """``copyreg``'s table with a fast reducer for each slotted dataclass of the report model."""
    from selfeval.report import chapters, figures, findings, views

    table: dict[type, Any] = dict(copyreg.dispatch_table)
    for module in (findings, views, figures, chapters):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and "__slots__" in vars(value)
                and value.__module__ == module.__name__
            ):
                table[value] = _fields_reducer(value)
    return table


@functools.lru_cache(maxsize=1)
def _shared_classes() -> tuple[type, ...]:
    """The classes whose objects are hashed once per render and stand as their digest.

    A finding's view: one object shown by several parts (an activity in
    chapter 3.2 and in its department's Annex 2 table, a bottleneck in
    chapter 4 and in the findings an opportunity answers, a document in its
    department's view), each of which pickled all its fields — the finding,
    its texts, its reactions — again.
    """
    from selfeval.report.views import FindingView

    return (FindingView,)


def _pickled(value: Any, table: dict[type, Any] | None = None) -> bytes:
    """``value`` pickled (protocol 5), slotted dataclasses by :func:`_fields_reducer`.

    Without pickle's memo (``fast``): an object met twice is written twice,
    so equal values give equal bytes however they share their parts (a
    response read from YAML and the same response read from the read cache
    share their strings differently). A cycle raises ``ValueError``: that
    call is then rendered, not kept. ``table``: the dispatch table to use
    (a render's own, :meth:`Fragments._reducers`; default
    :func:`_dispatch_table`).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _dispatch_table() if table is None else table
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


#: Values that cannot change: an argument made of them alone is hashed once per render.
_SCALARS = frozenset({str, int, bool, float, type(None)})


def _flat(value: Any) -> bool:
    """A dict, list or tuple of scalars only (the report's words ``L``): it cannot change.

    The sandbox lets no template change a dict or list, but one a template
    made may hold a ``namespace``, whose attributes it can set: such a value
    is never hashed once for the whole render.
    """
    kind = type(value)
    if kind is dict:
        return all(type(k) in _SCALARS and type(v) in _SCALARS for k, v in value.items())
    if kind in (list, tuple):
        return all(type(v) in _SCALARS for v in value)
    return False


class Fragments:
    """The parts one render may reuse, and the ones it used (to be kept for the next).

    Made by :func:`open_pack`; :meth:`call` is called by the sandbox for each
    macro call, :meth:`save` once the render is done (:meth:`discard` when it
    failed).

    Once the render has made a part the pack did not hold, the new pack is
    certain to be written: from then on each part used goes to it at once
    (:class:`selfeval.report.sealed.SealedWriter`) and only its key and
    place are held, not its text (a report of 1,000 responses has ~27 MB of
    parts; they were all held until the render ended). A part used twice in
    one render is read back from there.
    """

    def __init__(self, path: Path, name: str, known: dict[str, str], flavour: str) -> None:
        self.path = path
        self.name = name
        #: The pack's parts not used yet (a part used moves to ``used`` or to the new pack).
        self.known = known
        #: The parts used so far, held (until the new pack is being written), by key.
        self.used: dict[bytes, str] = {}
        #: The parts used so far that are in the new pack: key → where their JSON text is
        #: (one int: offset * _PLACE + size; a report of 10,000 responses has ~200,000
        #: parts, and a hex key with a tuple of two ints took twice the memory).
        self.written: dict[bytes, int] = {}
        self.made = 0
        self.reused = 0
        self._writer: sealed.SealedWriter | None = None
        #: Writing the new pack failed (a full disk): nothing is saved by this render.
        self._failed = False
        self._salt = _salt() + flavour.encode() + b"\0"
        #: Digests of arguments and of finding views seen in this render, by id: a view
        #: shown in two chapters, or inside two parts, is pickled once. Only for objects a
        #: template cannot change (Jinja2's ``namespace`` can be: never kept here).
        self._digests: dict[int, bytes] = {}
        #: Every object in ``_digests``, kept alive until the render ends: no other
        #: object can take its id meanwhile.
        self._hashed: list[Any] = []
        #: The finding views whose digest is being computed (a view inside itself: refused).
        self._busy: set[int] = set()
        #: The dispatch table of this render's pickling: a finding's view by its digest.
        self._table = self._reducers()

    def _reducers(self) -> dict[type, Any]:
        """:func:`_dispatch_table`, with each of :func:`_shared_classes` reduced to its digest.

        Such an object pickles as ``(its class, (bytearray(digest),))``, where
        the digest is SHA-256 of its own fields pickled the same way
        (:func:`_fields_reducer`; the views inside it by their digests in
        turn): equal digests are equal fields, so the key of a part still
        covers every value the part shows (a Merkle hash). The digest is
        computed once per render (``_digests``, by id: the report model does
        not change while it renders, and a template cannot change it). A
        ``bytearray`` is nowhere else in the model, so a digest is never
        taken for a field's value. A view that contains itself raises
        ``ValueError``, as a cycle does without this (the call is rendered).
        """
        table = dict(_dispatch_table())
        for cls in _shared_classes():
            table[cls] = self._by_digest
        return table

    def _shared_digest(self, obj: Any) -> bytes:
        """The digest of one of :func:`_shared_classes`' objects: its fields, once per render."""
        digest = self._digests.get(id(obj))
        if digest is None:
            if id(obj) in self._busy:
                raise ValueError("a finding's view that contains itself")
            self._busy.add(id(obj))
            try:
                fields = _dispatch_table()[type(obj)](obj)
                digest = hashlib.sha256(_pickled(fields, self._table)).digest()
            finally:
                self._busy.discard(id(obj))
            self._digests[id(obj)] = digest
            self._hashed.append(obj)
        return digest

    def _by_digest(self, obj: Any) -> tuple[Any, ...]:
        """How a finding's view pickles in this render: its class and its digest."""
        return (type(obj), (bytearray(self._shared_digest(obj)),))

    def _digest(self, value: Any) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return value
        seen = self._digests.get(id(value))  # only what cannot change is ever put there
        if seen is not None:  # the object itself: it is kept alive (_hashed)
            return seen
        if kind in _shared_classes():
            return self._shared_digest(value)
        if kind.__module__.startswith("selfeval.") or _flat(value):
            digest = hashlib.sha256(_pickled(value, self._table)).digest()
            self._digests[id(value)] = digest
            self._hashed.append(value)
            return digest
        # Anything else is pickled whole into the key at every call: a list a template
        # made may hold a namespace, which the template can change between two calls.
        return value

    def key(self, name: str, filename: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
        """The key of one macro call (a SHA-256 digest; the pack has it in hex).

        Raises:
            Exception: an argument does not pickle (the caller renders it then).
        """
        call = (
            name,
            os.path.basename(filename),
            tuple(self._digest(a) for a in args),
            sorted((k, self._digest(v)) for k, v in kwargs.items() if not k.startswith("_")),
        )
        return hashlib.sha256(self._salt + _pickled(call, self._table)).digest()

    def call(
        self,
        render: Callable[[], Any],
        name: str,
        filename: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """The macro's output: kept from the last run when its key is known, else ``render()``."""
        try:
            key = self.key(name, filename, args, kwargs)
        except Exception:  # an argument that does not pickle: render it, keep nothing
            return render()
        text = self.used.get(key)
        if text is None and key in self.written:
            text = self._read_back(key)
            if text is None:  # the new pack failed: render it again (a macro here is pure)
                return render()
        if text is not None:
            self.reused += 1  # used before in this render
            return text
        text = self.known.pop(key.hex(), None) if self.known else None  # moved: held once
        if text is not None:
            self.reused += 1
        else:
            text = render()
            if type(text) is not str:  # never so in the Markdown environment
                return text
            self.made += 1
            if self._writer is None and not self._failed:
                self._start_writing()
        if self._writer is not None:
            self._write(key, text)
        elif not self._failed:
            self.used[key] = text
        return text

    def _start_writing(self) -> None:
        """Write the new pack from now on: the parts used so far, then each as it is used."""
        self._writer = sealed.SealedWriter.open(self.path, _KIND, self.name)
        if self._writer is None:
            self._failed = True  # no secret or not writable: nothing can be saved
            self.used.clear()
            return
        try:
            self._writer.write(self._head())
        except OSError:
            self.discard()
            return
        used, self.used = self.used, {}
        for key, text in used.items():
            self._write(key, text)

    def _write(self, key: bytes, text: str) -> None:
        """Add one part to the new pack (the same bytes :meth:`_json` gives it)."""
        if self._writer is None:
            return
        head = (("," if self.written else "") + f'"{key.hex()}":').encode("ascii")
        value = json.dumps(text, ensure_ascii=False).encode("utf-8")
        try:
            at = self._writer.write(head + value)
        except OSError:
            self.discard()
            return
        self.written[key] = (at + len(head)) * _PLACE + len(value)

    def _read_back(self, key: bytes) -> str | None:
        """A part already written to the new pack, read back from it; None when it cannot be."""
        if self._writer is None:
            return None
        at, size = divmod(self.written[key], _PLACE)
        try:
            text: str = json.loads(self._writer.read(at, size))
        except OSError:
            self.discard()
            return None
        return text

    def save(self) -> bool:
        """Write the pack of the fragments this render used, when it differs from the last.

        Returns:
            True when written; False when unchanged or not writable.
        """
        self._digests.clear()  # the render is over: its arguments' digests are not needed
        self._hashed.clear()
        if self._failed:
            return False
        if self._writer is not None:
            try:
                self._writer.write(b"}}")
            except OSError:
                self.discard()
                return False
            writer, self._writer = self._writer, None
            return writer.commit()
        if not self.made and not self.known:  # every part reused, none left unused
            return False
        return sealed.write_sealed_chunks(self.path, _KIND, self.name, self._json())

    def discard(self) -> None:
        """Nothing is saved by this render (it failed, or the new pack could not be written).

        A pack being written is removed; the pack in place is left as it was.
        """
        self._digests.clear()
        self._hashed.clear()
        self._failed = True
        self.used.clear()
        if self._writer is not None:
            self._writer.discard()
            self._writer = None

    def _head(self) -> bytes:
        head = {"format": FORMAT, "name": self.name}
        return json.dumps(head, separators=(",", ":"))[:-1].encode() + b',"fragments":{'

    def _json(self) -> Iterator[bytes]:
        """The pack as JSON, a part at a time: the whole text is never held (20 M characters)."""
        yield self._head()
        for n, (key, text) in enumerate(self.used.items()):
            part = f'"{key.hex()}":' + json.dumps(text, ensure_ascii=False)
            yield (part if n == 0 else "," + part).encode("utf-8")
        yield b"}}"


def _read_pack(path: Path, name: str) -> dict[str, str]:
    """The fragments of a sealed pack; nothing for anything but a pack we wrote under ``name``."""
    text = sealed.read_sealed_text(path, _KIND, name, limit=_MAX_PACK)
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    del text
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("name") != name
        or not isinstance(data.get("fragments"), dict)
    ):
        return {}
    fragments: dict[str, str] = data["fragments"]
    if not all(type(text) is str for text in fragments.values()):
        return {}
    return fragments


def open_pack(kind: list[Any]) -> Fragments | None:
    """The kept parts of the report of this ``kind``, or None outside :func:`kept_in`.

    Args:
        kind: what tells one report's parts from another's, as JSON-able
            values: the render's flavour first (``md`` or ``html``), then
            draft or final, ids shown or not, the incident category.
    """
    folder = _FOLDER.get()
    if folder is None:
        return None
    name = hashlib.sha256(json.dumps(kind, ensure_ascii=False).encode()).hexdigest()[:32]
    path = folder / f"{name}.json"
    return Fragments(path, name, _read_pack(path, name), str(kind[0]))
