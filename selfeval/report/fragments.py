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
* its arguments, written by ``marshal`` (format 2, :func:`_hashed_value`):
  every value with its type and every field of the finding, department or
  row, the model's objects as plain tuples of their class's name and fields
  (:func:`_converter`), so equal bytes are equal arguments; the bytes are only
  hashed, never loaded. A finding's view
  (:class:`selfeval.report.views.FindingView`) is hashed once per render: its
  own fields written and hashed, and wherever it appears — as an argument,
  in a department's documents, a role row, an Annex 2 table, the findings an
  opportunity answers — it stands as that digest (a nested digest: a view
  that changes changes every part that shows it).

When one response changes, only the parts whose arguments changed are
rendered again; the others are taken from the last run. A macro is kept
only when none of :data:`PURE_TEMPLATES` is overridden in the workspace's
``templates/`` (an override is untrusted and may keep state between calls,
so every part is rendered then, as before), and only when every argument
is plain data or the model's (a template's own objects, such as ``loop`` or a
``namespace``, are not: such a call is rendered). The report is byte for
byte what a render without this cache makes (``tests/test_fragments.py``).

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
import dataclasses
import functools
import hashlib
import json
import marshal
import operator
import os
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


#: Field types (as annotated) whose values are written as they are: strings, numbers,
#: tuples and lists of them. Any other field is walked (:meth:`Fragments._plain`). A value
#: that is not what its annotation says is still safe: ``marshal`` refuses what it cannot
#: write (``ValueError``: the call is rendered, not kept), and writes the rest by type.
_PLAIN_FIELDS = frozenset(
    {
        "str",
        "str | None",
        "int",
        "int | None",
        "float",
        "bool",
        "tuple[str, ...]",
        "tuple[int, ...]",
        "tuple[str | int, ...]",
        "list[str]",
        "list[tuple[str, str]]",
    }
)
#: What stands for a finding's view inside another value: ``(_REF, digest)`` (no text of
#: the model starts with NUL, and no value of it is ``bytes``).
_REF = "\0ref"


@functools.lru_cache(maxsize=1)
def _model_classes() -> tuple[type, ...]:
    """The slotted dataclasses of the report model: the objects a kept part is given."""
    from selfeval.report import chapters, figures, findings, views

    return tuple(
        value
        for module in (findings, views, figures, chapters)
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and "__slots__" in vars(value)
        and value.__module__ == module.__name__
    )


def _converter(cls: type) -> Callable[[Any, _Hashing], tuple[Any, ...]]:
    """How an object of the slotted dataclass ``cls`` is written into a key: a plain tuple.

    ``("\\0<module>.<class>", field, …)``: its class's name (after a NUL, which no
    text of the model starts with) and every field's value in order, the
    fields that may hold other objects (:data:`_PLAIN_FIELDS`) through
    :func:`_plain`. ``operator.attrgetter`` reads the fields: what the
    ``dataclasses`` module gives a slotted class asks ``dataclasses.fields``
    again for every object.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    values = operator.attrgetter(*(f.name for f in fields))
    tag = f"\0{cls.__module__}.{cls.__qualname__}"
    nested = tuple(i for i, f in enumerate(fields) if f.type not in _PLAIN_FIELDS)
    if len(fields) == 1:
        if nested:
            return lambda obj, hashing: (tag, _plain(values(obj), hashing))
        return lambda obj, hashing: (tag, values(obj))
    if not nested:
        return lambda obj, hashing: (tag, *values(obj))

    def convert(obj: Any, hashing: _Hashing) -> tuple[Any, ...]:
        got = list(values(obj))
        for i in nested:
            got[i] = _plain(got[i], hashing)
        return (tag, *got)

    return convert


@functools.lru_cache(maxsize=1)
def _converters() -> dict[type, Callable[[Any, _Hashing], tuple[Any, ...]]]:
    """:func:`_converter` of each of :func:`_model_classes`."""
    return {cls: _converter(cls) for cls in _model_classes()}


class _Hashing:
    """What one render's keys are computed with (:meth:`Fragments.key`).

    Functions of the module take it as an argument, and nothing in it refers
    back to it or to the :class:`Fragments`: no reference cycle, so all of it
    is freed when the render ends (``aggregate`` pauses the cyclic collector
    while it writes the report, :func:`selfeval.report.aggregate.paused_gc`).
    """

    __slots__ = ("busy", "convert", "digests", "hashed", "no_details", "view", "view_fields")

    def __init__(self) -> None:
        from selfeval.report.findings import NO_DETAILS
        from selfeval.report.views import FindingView

        #: Digests of arguments and of finding views seen in this render, by id: a view
        #: shown in two chapters, or inside two parts, is hashed once. Only for objects a
        #: template cannot change (Jinja2's ``namespace`` can be: never kept here).
        self.digests: dict[int, bytes] = {}
        #: Every object in ``digests``, kept alive until the render ends: no other
        #: object can take its id meanwhile.
        self.hashed: list[Any] = []
        #: The finding views whose digest is being computed (a view inside itself: refused).
        self.busy: set[int] = set()
        self.view: type = FindingView
        self.no_details = NO_DETAILS
        #: How each class of the report model is written: a finding's view by its digest.
        self.convert = dict(_converters())
        self.view_fields = self.convert[FindingView]
        self.convert[FindingView] = _by_digest

    def clear(self) -> None:
        """Let go of the digests and the objects they were taken of (the render is over)."""
        self.digests.clear()
        self.hashed.clear()


def _plain(value: Any, hashing: _Hashing) -> Any:
    """``value`` as plain data ``marshal`` writes: the model's objects as tuples.

    Raises:
        ValueError: a value of another kind (a template's ``namespace``, a
            ``loop``): the call is rendered, not kept.
    """
    kind = type(value)
    if kind is tuple:  # most often an empty one: a finding's ``others``, its ``sources``
        return tuple([_plain(v, hashing) for v in value]) if value else value
    if kind in _SCALARS:
        return value
    if kind is list:
        return [_plain(v, hashing) for v in value]
    if kind is dict or value is hashing.no_details:  # findings.NO_DETAILS: shown as {}
        return {k: _plain(v, hashing) for k, v in value.items()}
    convert = hashing.convert.get(kind)
    if convert is None:
        raise ValueError(f"a {kind.__name__} is not kept")
    return convert(value, hashing)


def _shared_digest(view: Any, hashing: _Hashing) -> bytes:
    """The digest of a finding's view: SHA-256 of its fields, once per render.

    Wherever the view appears — an argument, a department's documents, a
    role row, an Annex 2 table, the findings an opportunity answers — it
    stands as ``(_REF, digest)``; equal digests are equal fields, the views
    inside it by their digests in turn (a Merkle hash), so a part's key
    still covers every value it shows. Once per render (by id: the report
    model does not change while it renders, and a template cannot change
    it): each part that showed a view hashed all of it again. A view that
    contains itself raises ``ValueError`` (the call is rendered).
    """
    digest = hashing.digests.get(id(view))
    if digest is None:
        if id(view) in hashing.busy:
            raise ValueError("a finding's view that contains itself")
        hashing.busy.add(id(view))
        try:
            digest = _hashed_value(hashing.view_fields(view, hashing))
        finally:
            hashing.busy.discard(id(view))
        hashing.digests[id(view)] = digest
        hashing.hashed.append(view)
    return digest


def _by_digest(view: Any, hashing: _Hashing) -> tuple[str, bytes]:
    return (_REF, _shared_digest(view, hashing))


#: ``marshal``'s format 2: every value written in full, never as a reference to one
#: written before (format 3 on), so equal values give equal bytes however they share
#: their parts (a response read from YAML and the same response read from the read
#: cache share their strings differently). It writes a string's UTF-8 form as a new
#: bytes object: pickle asked each string for the UTF-8 form CPython then keeps inside
#: a non-ASCII string, so every answer text was held twice once its part was hashed.
_MARSHAL = 2


def _hashed_value(value: Any) -> bytes:
    """SHA-256 of plain data (:meth:`Fragments._plain`) as ``marshal`` writes it.

    ``marshal`` writes each value with its type (``True`` is not ``1``, a tuple
    not a list, a string not its bytes) and every length, so equal bytes are
    equal data. It refuses anything else with ``ValueError``. The bytes are only
    hashed, never loaded.
    """
    return hashlib.sha256(marshal.dumps(value, _MARSHAL)).digest()


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
        #: The digests of this render's arguments and finding views (:class:`_Hashing`).
        self._hashing = _Hashing()

    def _digest(self, value: Any) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return value
        hashing = self._hashing
        seen = hashing.digests.get(id(value))  # only what cannot change is ever put there
        if seen is not None:  # the object itself: it is kept alive (hashing.hashed)
            return seen
        if kind is hashing.view:
            return _shared_digest(value, hashing)
        if kind.__module__.startswith("selfeval.") or _flat(value):
            digest = _hashed_value(_plain(value, hashing))
            hashing.digests[id(value)] = digest
            hashing.hashed.append(value)
            return digest
        # Anything else is written whole into the key at every call: a list a template
        # made may hold a namespace, which the template can change between two calls.
        return _plain(value, hashing)

    def key(self, name: str, filename: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
        """The key of one macro call (a SHA-256 digest; the pack has it in hex).

        Raises:
            Exception: an argument that cannot be written (the caller renders it then).
        """
        call = (
            name,
            os.path.basename(filename),
            tuple(self._digest(a) for a in args),
            sorted([(k, self._digest(v)) for k, v in kwargs.items() if not k.startswith("_")]),
        )
        return hashlib.sha256(self._salt + marshal.dumps(call, _MARSHAL)).digest()

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
        except Exception:  # an argument that cannot be written: render it, keep nothing
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
        self._hashing.clear()  # the render is over: its arguments' digests are not needed
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
        self._hashing.clear()
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
