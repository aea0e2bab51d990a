"""The questionnaire format: pydantic models, loading and content hashes.

A questionnaire is one YAML file per version (``questionnaires/<id>-<version>.yaml``);
a published version never changes (``DESIGN.md`` §3). Items are a tagged union
on ``type``; a mistyped key is an error (``extra="forbid"``). The format is
documented with an example per item type in ``docs/questionnaire-format.md``,
and ``selfeval schema`` prints its JSON Schema.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from selfeval.model.conditions import Condition
from selfeval.model.items import (
    ITEM_TYPES,
    Choice,
    DateItem,
    FindingsItem,
    InfoItem,
    IntegerItem,
    Item,
    LocalText,
    LocatedValueError,
    LongTextItem,
    MultipleChoiceItem,
    NumberItem,
    ParticipantItem,
    ParticipantsItem,
    QuotedStr,
    RepeatItem,
    ScaleItem,
    SingleChoiceItem,
    TextItem,
    YesNoItem,
    _Conditional,
    text_in,
    yaml_reading,
)
from selfeval.model.roles import REPORT_ROLES

__all__ = [
    "ITEM_TYPES",
    "KINDS",
    "Choice",
    "DateItem",
    "FindingsItem",
    "InfoItem",
    "IntegerItem",
    "Item",
    "Kind",
    "LocalText",
    "LocatedValueError",
    "LongTextItem",
    "MigratesFrom",
    "MultipleChoiceItem",
    "NumberItem",
    "ParticipantItem",
    "ParticipantsItem",
    "Questionnaire",
    "QuotedStr",
    "RepeatItem",
    "ScaleItem",
    "Section",
    "SingleChoiceItem",
    "TextItem",
    "YesNoItem",
    "bind_choice_lists",
    "content_hash",
    "expected_filename",
    "find_path",
    "iter_items",
    "semver_key",
    "text_in",
]

#: The three forms of involvement, and the kinds of questionnaire (``DESIGN.md`` §1).
KINDS = ("self-evaluation", "peer-review-1", "peer-review-2")
Kind = Literal["self-evaluation", "peer-review-1", "peer-review-2"]
Language = Literal["nl", "en"]

_ID = r"^[a-z][a-z0-9_]*$"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(_Conditional):
    """A titled group of items, asked in order; skipped as a whole when ``when`` is false."""

    id: Annotated[str, Field(pattern=_ID)]
    title: LocalText
    intro: LocalText | None = None
    items: Annotated[list[Item], Field(min_length=1)]


def _check_version(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(
            "must be a quoted semantic version such as '1.0.0', but YAML read "
            f"{yaml_reading(value)[0]}; write it in quotes"
        )
    if not SEMVER.match(value):
        raise ValueError(f"{value!r} is not a semantic version MAJOR.MINOR.PATCH such as '1.0.0'")
    return value


class MigratesFrom(_Model):
    """What a questionnaire version declares about the version before it (``migrates_from:``).

    ``selfeval migrate`` reads it to carry responses over (``docs/migrate.md``).
    A *path* is an item id, or ``group.item`` for an item inside a repeat group.

    Attributes:
        version: the earlier version this one follows (its responses can be migrated).
        renamed: old path → new path; an answer moves with its item. Inside a
            repeat group the new path stays in the group (under its new id).
        removed: old paths this version no longer asks; their answers are not
            carried over (they are listed, and stay in the kept old file).
        choices: new path → ``{old value: new value}`` for renamed choice values.
        note: why the version changed, for the people who migrate.
    """

    version: Annotated[str, BeforeValidator(_check_version)]
    renamed: dict[str, str] = Field(default_factory=dict)
    removed: list[str] = Field(default_factory=list)
    choices: dict[str, dict[QuotedStr, QuotedStr]] = Field(default_factory=dict)
    note: LocalText | None = None


def find_path(items: list[Any], path: str) -> Any:
    """The item at ``path`` (``id`` or ``group.item``) in ``items``, or None."""
    head, _, rest = path.partition(".")
    for item in items:
        if item.id == head:
            if not rest:
                return item
            return find_path(item.items, rest) if isinstance(item, RepeatItem) else None
    return None


def _check_migration(q: Questionnaire) -> None:
    m = q.migrates_from
    if m is None:
        return
    items = list(q.items())
    if semver_key(m.version) >= semver_key(q.version):
        raise LocatedValueError(
            f"migrates_from.version {m.version} must be older than this version {q.version}",
            ("migrates_from", "version"),
        )
    for old, new in m.renamed.items():
        if find_path(items, new) is None:
            raise LocatedValueError(
                f"renamed {old!r} to {new!r}, but this version has no item {new!r}",
                ("migrates_from", "renamed", old),
            )
    for path, values in m.choices.items():
        item = find_path(items, path)
        if getattr(item, "choices_from", None) is not None and not item.choices:
            continue  # checked when bound to an exercise's choice list
        allowed = [c.value for c in getattr(item, "choices", [])]
        if not allowed:
            raise LocatedValueError(
                f"{path!r} is not a choice item of this version", ("migrates_from", "choices", path)
            )
        for old, new in values.items():
            if new not in allowed:
                raise LocatedValueError(
                    f"{path}: {old!r} becomes {new!r}, which is not one of its choices "
                    f"({', '.join(allowed)})",
                    ("migrates_from", "choices", path, old),
                )


#: Most items (repeat groups and the items inside them included) one questionnaire
#: may have; a longer file is refused before its items are checked
#: (``docs/files.md``, "Input limits"). The shipped self-evaluation has about 60.
MAX_ITEMS = 2000
#: Largest questionnaire file read, in bytes (1 MiB; the shipped self-evaluation is 18 KB).
#: Smaller than the general ``yamlio.MAX_FILE_BYTES``: a questionnaire is read by every
#: command, and one of several MB of tiny items would take seconds just to parse.
MAX_BYTES = 1024 * 1024


def _count_items(lists: list[Any], limit: int) -> int:
    """Count the raw items in ``lists`` (nested repeat items included), stopping past ``limit``."""
    count = 0
    stack = list(lists)
    while stack and count <= limit:
        current = stack.pop()
        if not isinstance(current, list):
            continue
        for item in current:
            count += 1
            if isinstance(item, dict) and isinstance(item.get("items"), list):
                stack.append(item["items"])
    return count


class Questionnaire(_Model):
    """One version of a questionnaire.

    Raises (on construction) ``pydantic.ValidationError`` for a bad version,
    an unknown item type, a duplicate id, a ``when`` that names an item not
    asked before it, or more than :data:`MAX_ITEMS` items.
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Annotated[str, BeforeValidator(_check_version)]
    kind: Kind
    title: LocalText
    description: LocalText | None = None
    languages: Annotated[list[Language], Field(min_length=1)] = ["nl", "en"]
    sections: Annotated[list[Section], Field(min_length=1)]
    migrates_from: MigratesFrom | None = None

    @model_validator(mode="after")
    def _check_migrates_from(self) -> Questionnaire:
        _check_migration(self)
        return self

    @model_validator(mode="before")
    @classmethod
    def _check_size(cls, data: Any) -> Any:
        sections = data.get("sections") if isinstance(data, dict) else None
        if isinstance(sections, list):
            raw = [s.get("items") for s in sections if isinstance(s, dict)]
            if _count_items(raw, MAX_ITEMS) > MAX_ITEMS:
                raise LocatedValueError(
                    f"the questionnaire has more than {MAX_ITEMS:,} items, the limit; "
                    f"split it into several questionnaires",
                    ("sections",),
                )
        return data

    @model_validator(mode="after")
    def _check_ids_and_conditions(self) -> Questionnaire:
        seen: set[str] = set()
        section_ids: set[str] = set()
        for s_index, section in enumerate(self.sections):
            loc: tuple[str | int, ...] = ("sections", s_index)
            if section.id in section_ids:
                raise LocatedValueError(f"duplicate section id {section.id!r}", (*loc, "id"))
            section_ids.add(section.id)
            _check_refs(section.condition, (seen,), f"section {section.id!r}", (*loc, "when"))
            _check_items(section.items, seen, (), f"section {section.id!r}", (*loc, "items"))
        _check_roles(self)
        return self

    @cached_property
    def role_items(self) -> dict[str, Item]:
        """Report role → the top-level item that declares it (``report:``), in item order."""
        return {item.report: item for item in self.items() if item.report is not None}

    def report_answer(self, answers: dict[str, Any], role: str) -> Any:
        """The answer that plays report ``role`` in ``answers``, or None.

        Args:
            answers: a response's answers (item id → value).
            role: a name in :data:`selfeval.model.roles.REPORT_ROLES`.

        Returns:
            The value stored under the id of the item declaring ``role``;
            None when no item declares it or it was not answered.
        """
        item = self.role_items.get(role)
        return None if item is None else answers.get(item.id)

    def items(self) -> Iterator[Item]:
        """Yield the top-level items of every section, in order."""
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item:
        """Return the top-level item ``item_id``; raise KeyError if absent."""
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


def _check_refs(
    condition: Condition | None,
    known: tuple[set[str], ...],
    where: str,
    loc: tuple[str | int, ...],
) -> None:
    """Refuse a ``when`` naming an item not in any of the ``known`` scopes.

    The scopes are looked up one by one, never merged: a union per item made
    a questionnaire of n items take n² time.
    """
    if condition is None:
        return
    unknown = sorted(n for n in condition.names if not any(n in scope for scope in known))
    if unknown:
        raise LocatedValueError(
            f"the 'when' of {where} refers to {', '.join(map(repr, unknown))}, "
            f"which is not an item asked before it",
            loc,
        )


def _check_items(
    items: list[Any],
    seen: set[str],
    outer: tuple[set[str], ...],
    where: str,
    loc: tuple[str | int, ...],
) -> None:
    """Check ids (unique in ``seen``) and ``when`` references (to ``seen`` or ``outer``)."""
    scopes = (seen, *outer)
    for index, item in enumerate(items):
        item_loc = (*loc, index)
        if item.id in seen:
            raise LocatedValueError(f"duplicate item id {item.id!r} in {where}", (*item_loc, "id"))
        _check_refs(item.condition, scopes, f"item {item.id!r}", (*item_loc, "when"))
        seen.add(item.id)
        if isinstance(item, RepeatItem):
            _check_items(
                item.items, set(), scopes, f"repeat group {item.id!r}", (*item_loc, "items")
            )


def _no_nested_roles(group: RepeatItem, loc: tuple[str | int, ...]) -> None:
    for index, sub in enumerate(group.items):
        sub_loc = (*loc, "items", index)
        if sub.report is not None:
            raise LocatedValueError(
                f"item {sub.id!r} inside repeat group {group.id!r} declares "
                f"'report: {sub.report}'; only top-level items have report roles",
                (*sub_loc, "report"),
            )
        if isinstance(sub, RepeatItem):
            _no_nested_roles(sub, sub_loc)


def _check_roles(questionnaire: Questionnaire) -> None:
    """The ``report:`` declarations: known role, right item type and kind, each once, top level."""
    declared: dict[str, str] = {}
    for s_index, section in enumerate(questionnaire.sections):
        for i_index, item in enumerate(section.items):
            loc: tuple[str | int, ...] = ("sections", s_index, "items", i_index)
            if isinstance(item, RepeatItem):
                _no_nested_roles(item, loc)
            if item.report is None:
                continue
            role = REPORT_ROLES[item.report]
            where = (*loc, "report")
            if item.report in declared:
                raise LocatedValueError(
                    f"'report: {item.report}' is declared twice, by {declared[item.report]!r} "
                    f"and {item.id!r}; the report reads one answer per role",
                    where,
                )
            declared[item.report] = item.id
            if item.type not in role.types:
                raise LocatedValueError(
                    f"'report: {item.report}' needs an item of type {' or '.join(role.types)}, "
                    f"but {item.id!r} is {item.type}",
                    where,
                )
            if questionnaire.kind not in role.kinds:
                raise LocatedValueError(
                    f"the report reads 'report: {item.report}' only from "
                    f"{' and '.join(role.kinds)} questionnaires, not from {questionnaire.kind}",
                    where,
                )
            if isinstance(item, RepeatItem):
                ids = {sub.id for sub in item.items}
                lacking = [f for f in role.fields if f not in ids]
                if lacking:
                    raise LocatedValueError(
                        f"'report: {item.report}' needs entries with the item(s) "
                        f"{', '.join(lacking)}, which {item.id!r} does not have",
                        where,
                    )


def iter_items(items: list[Any]) -> Iterator[Any]:
    """Yield items depth-first, including those inside repeat groups."""
    for item in items:
        yield item
        if isinstance(item, RepeatItem):
            yield from iter_items(item.items)


def _without_roles(data: Any) -> Any:
    """``data`` with every item's ``report:`` key left out (a copy; ``data`` is not changed)."""

    def items(found: Any) -> Any:
        if not isinstance(found, list):
            return found
        return [
            {k: items(v) if k == "items" else v for k, v in item.items() if k != "report"}
            if isinstance(item, dict)
            else item
            for item in found
        ]

    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return data
    sections = [
        {k: items(v) if k == "items" else v for k, v in section.items()}
        if isinstance(section, dict)
        else section
        for section in data["sections"]
    ]
    return {**data, "sections": sections}


def bind_choice_lists(
    data: Any, lists: Mapping[str, list[dict[str, Any]]]
) -> tuple[Any, list[tuple[tuple[str | int, ...], str]]]:
    """Fill in the choices of every ``choices_from:`` item from an exercise's choice lists.

    The vocabulary of an incident category (the seed's phases: growing
    tensions, decay, failure, recovery) lives in the exercise file, per
    category, and a generic questionnaire names the list (``choices_from:
    phases``); issue 12. Binding works on the loaded YAML, before the model
    checks it, so the bound questionnaire is an ordinary one. The content hash
    stays the file's (:func:`content_hash` of the unbound data): answers are
    checked against the bound choices by value.

    Args:
        data: a questionnaire file's loaded YAML (not changed).
        lists: list name → choices as plain data (``[{value, label}, ...]``),
            from the incident category's ``choices:``.

    Returns:
        ``(bound, uses)``: a copy of ``data`` in which each item naming a
        known list has ``choices:`` instead of ``choices_from:``, and the
        (location, list name) of every ``choices_from:`` in the file, in file
        order. A name not in ``lists`` stays unbound; the caller says so.
    """
    uses: list[tuple[tuple[str | int, ...], str]] = []

    def items(found: Any, loc: tuple[str | int, ...]) -> Any:
        if not isinstance(found, list):
            return found
        out = []
        for index, item in enumerate(found):
            if isinstance(item, dict):
                here = (*loc, index)
                name = item.get("choices_from")
                if isinstance(name, str):
                    uses.append(((*here, "choices_from"), name))
                    if name in lists and "choices" not in item:
                        item = {k: v for k, v in item.items() if k != "choices_from"}
                        item["choices"] = lists[name]
                if isinstance(item.get("items"), list):
                    item = {**item, "items": items(item["items"], (*here, "items"))}
            out.append(item)
        return out

    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return data, uses
    sections = [
        {**section, "items": items(section.get("items"), ("sections", index, "items"))}
        if isinstance(section, dict) and "items" in section
        else section
        for index, section in enumerate(data["sections"])
    ]
    return {**data, "sections": sections}, uses


def content_hash(data: Any) -> str:
    """Hash a definition's content, independent of formatting and line ends.

    The items' ``report:`` roles are left out: they say which chapter of the
    integrated report reads an answer, not what the respondent was asked or
    what an answer must satisfy, so declaring or correcting them never
    invalidates a response answered against that version. This is what let the
    published 1.0.0 questionnaires gain their roles while every response
    already given to them stays valid (``docs/questionnaire-format.md``,
    "Report roles").

    Args:
        data: the loaded YAML (plain data).

    Returns:
        ``"sha256:<hex>"`` of the canonical JSON of ``data`` (sorted keys,
        UTF-8), so reformatting or CRLF line ends from a git checkout on
        Windows do not change it, but any change of what is asked does.
    """
    canonical = json.dumps(
        _without_roles(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def semver_key(version: str) -> tuple[int, int, int]:
    """Sort key for a ``MAJOR.MINOR.PATCH`` string (``1.10.0`` after ``1.9.0``)."""
    major, minor, patch = (int(p) for p in version.split("."))
    return (major, minor, patch)


def expected_filename(questionnaire: Questionnaire) -> str:
    """The file name a version must have: ``<id>-<version>.yaml``."""
    return f"{questionnaire.id}-{questionnaire.version}.yaml"
