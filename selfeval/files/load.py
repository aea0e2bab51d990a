"""Loading the three kinds of file into models, with errors that point at lines.

YAML is parsed by :mod:`selfeval.files.yamlio` (safe loading), then validated by
the pydantic models; a ``ValidationError`` becomes one :class:`InputError`
per problem, naming the file, the line and column of the offending value, the
dotted path, and what to do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from selfeval.errors import InputError, Location, ValidationProblems
from selfeval.files import yamlio
from selfeval.files.resources import shipped_questionnaires
from selfeval.model.answers import AnswerError, check_answer
from selfeval.model.exercise import EXERCISE_FILE, Exercise, IncidentCategory
from selfeval.model.questionnaire import (
    ITEM_TYPES,
    LocatedValueError,
    Questionnaire,
    RepeatItem,
    bind_choice_lists,
    content_hash,
    expected_filename,
)
from selfeval.model.questionnaire import MAX_BYTES as MAX_QUESTIONNAIRE_BYTES
from selfeval.model.response import Response
from selfeval.model.roles import REPORT_ROLES, missing_roles

__all__ = [
    "LoadedQuestionnaire",
    "contract_problems",
    "load_exercise",
    "load_questionnaire",
    "load_response",
    "parse_model",
    "read_response",
]

M = TypeVar("M", bound=BaseModel)


#: What to do about an empty file, by the model it should hold (trial 8: "see docs/").
_EMPTY_HINTS = {
    "Questionnaire": (
        "a published questionnaire version never changes: restore the file from git "
        "(git checkout -- {path}); the format is in docs/questionnaire-format.md"
    ),
    "Exercise": (
        "restore it from git (git checkout -- {path}), or lay out a new workspace with "
        "`selfeval init`; its keys are in docs/files.md"
    ),
    "Response": (
        "restore it from git (git checkout -- {path}), or delete it and answer again with "
        "`selfeval fill`"
    ),
}


def _read(
    path: Path, kind: str, *, max_bytes: int | None = None, raw: bytes | None = None
) -> tuple[Any, str]:
    """The mapping in ``path`` (or in ``raw``, its bytes already read), and the text parsed.

    ``kind`` is the model the file should hold (``Questionnaire``, ``Exercise``,
    ``Response``): an empty file's message says what to do about it. The text is
    kept for the lines of later messages: the file is read once.

    Raises:
        InputError: unreadable or invalid YAML, an empty file, or not a mapping.
    """
    if raw is None:
        data, text = yamlio.load(path, max_bytes=max_bytes, with_text=True)
    else:
        data, text = yamlio.load_bytes(raw, path)
    if data is None:
        raise InputError(
            "the file is empty",
            location=Location(path),
            hint=_EMPTY_HINTS[kind].format(path=path),
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise InputError(
            f"the file holds {kind}, but a mapping of keys to values is expected",
            location=Location(path, 1, 1),
            hint="start the file with 'key: value' lines",
        )
    return data, text


#: Per model (by class name): the ``selfeval schema`` format and the page that describes it.
_FORMATS: dict[str, tuple[str | None, str]] = {
    "Questionnaire": ("questionnaire", "docs/questionnaire-format.md"),
    "Exercise": ("exercise", "docs/files.md"),
    "Response": ("response", "docs/fill-reference.md, 'Where answers go'"),
    "Draft": (None, "docs/findings.md; better: make the draft again with `aggregate --draft`"),
}

#: A value of the wrong kind: pydantic's error type → (what belongs there, how to write it).
_KINDS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("dict_type", "model_type", "model_attributes_type"),
        (
            "a mapping of keys to values",
            "write it as 'key: value' lines, indented below this key",
        ),
    ),
    **dict.fromkeys(
        ("list_type", "tuple_type", "set_type"),
        (
            "a list",
            "write each entry on a line of its own starting with '- ', indented below "
            "this key (or [a, b] on one line)",
        ),
    ),
    "string_type": (
        "a text",
        "write one text; quote it ('1.10', 'yes') when YAML would read it as a number or a word",
    ),
    **dict.fromkeys(
        ("int_type", "int_parsing", "int_from_float", "int_parsing_size"),
        ("a whole number", "write a whole number without quotes, e.g. 3"),
    ),
    **dict.fromkeys(
        ("float_type", "float_parsing", "finite_number"),
        ("a number", "write a number without quotes, e.g. 3 or 2.5"),
    ),
    **dict.fromkeys(
        ("bool_type", "bool_parsing"), ("true or false", "write true or false, without quotes")
    ),
}

#: A number out of range: pydantic's error type → (the words, the ctx key of the bound).
_BOUNDS = {
    "greater_than": ("more than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def _found(value: Any) -> str:
    """What YAML read, in a reader's words (the value itself, cut short)."""
    if value is None:
        return "it is empty"
    if isinstance(value, bool):
        return f"YAML read an unquoted word (yes, no, on, off) as {str(value).lower()}"
    if isinstance(value, int | float):
        return f"YAML read the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return f"it is the text {shown!r}"
    if isinstance(value, list):
        return "it is a list"
    if isinstance(value, dict):
        return "it is a mapping (key: value lines)"
    if isinstance(value, dt.date):
        return f"YAML read an unquoted date as {value.isoformat()}"
    return f"it is {type(value).__name__}"


def _message(error: Any, model: str) -> tuple[str, tuple[str | int, ...], str]:
    """One pydantic error in a reader's words: (message, where in the document, what to do).

    Every error type a hand-edited file can give has words of its own; any
    other keeps pydantic's and still says where to look.
    """
    loc: tuple[str | int, ...] = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    schema, page = _FORMATS.get(model, (None, "docs/files.md"))
    see = f"see {page}" + (f", or `selfeval schema {schema}`" if schema else "")
    exc = ctx.get("error")
    if isinstance(exc, LocatedValueError):
        return str(exc), loc + exc.loc, see
    kind = error["type"]
    value = error.get("input")
    msg: str = error["msg"]
    key = loc[-1] if loc else ""
    if kind in _KINDS:
        expected, hint = _KINDS[kind]
        return f"{expected} belongs here, but {_found(value)}", loc, hint
    if kind == "value_error":
        return msg.removeprefix("Value error, "), loc, see
    if kind == "extra_forbidden":
        return (
            f"unknown key {key!r}",
            loc,
            f"check its spelling, or remove it; {see} for the keys allowed here",
        )
    if kind == "missing":
        where = "at the top of the file" if len(loc) == 1 else "here"
        # Located at the mapping it is missing from (the key itself is nowhere).
        return f"required key {key!r} is missing", loc[:-1], f"add '{key}: …' {where}; {see}"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        if key == "report":
            return (
                f"unknown report role {value!r}; use one of: {', '.join(REPORT_ROLES)} "
                f"(docs/questionnaire-format.md, Report roles)",
                loc,
                "correct the role's spelling, or leave 'report:' out",
            )
        if key == "[key]":  # a key of a mapping, e.g. a language in {nl: …, en: …}
            return f"the key {value!r} is not allowed here", loc[:-1], f"use {expected}"
        return f"{_found(value)}, which is not allowed here", loc, f"write {expected}"
    if kind == "union_tag_invalid":
        return (
            f"unknown item type {ctx.get('tag')!r}",
            loc,
            f"use one of: {', '.join(ITEM_TYPES)} (docs/questionnaire-format.md has an "
            f"example of each)",
        )
    if kind == "union_tag_not_found":
        return (
            "this item has no 'type'",
            loc,
            f"add 'type: …' with one of: {', '.join(ITEM_TYPES)} (docs/questionnaire-format.md)",
        )
    if kind == "string_pattern_mismatch":
        if key in ("code", "participant"):
            return (
                f"{value!r} is not a participant code",
                loc,
                "a participant code is a letter followed by letters, digits, '-' or '_' "
                "(at most 32; no spaces, dots or slashes), e.g. BZ or FIN",
            )
        if key == "incident_category" or (key == "id" and "incident_category" in loc):
            return (
                f"{value!r} is not an incident category id",
                loc,
                "an incident category id is lower-case letters, digits and '-' (falende-staten)",
            )
        if key == "id":
            return (
                f"{value!r} is not an id",
                loc,
                "an id is lower-case letters, digits and '_', starting with a letter (has_plan)",
            )
        return (
            f"{value!r} does not have the expected form (pattern {ctx.get('pattern')})",
            loc,
            see,
        )
    if kind == "string_too_short":
        least = ctx.get("min_length")
        return (
            f"needs at least {least} character{'s' if least != 1 else ''}",
            loc,
            "fill it in, or leave the key out if it is optional",
        )
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"needs at least {least} entr{'ies' if least != 1 else 'y'}", loc, f"add one; {see}"
    if kind in ("too_long", "string_too_long"):
        most = ctx.get("max_length")
        what = "characters" if kind.startswith("string") else "entries"
        return f"has more than {most} {what}", loc, f"shorten it to at most {most} {what}"
    if kind in _BOUNDS:
        words, bound = _BOUNDS[kind]
        return (
            f"must be {words} {ctx.get(bound)}, but {_found(value)}",
            loc,
            f"write a number {words} {ctx.get(bound)}",
        )
    return msg, loc, see


def _clean_loc(loc: tuple[str | int, ...], data: Any) -> tuple[str | int, ...]:
    clean: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            clean.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            clean.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in ITEM_TYPES:
            clean.append(part)
            node = None
        elif isinstance(part, str) and part in ITEM_TYPES:
            continue
        else:
            clean.append(part)
            node = None
    return tuple(clean)


def _dotted(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_model(model: type[M], data: Any, path: Path, *, text: str | None = None) -> M:
    """Validate plain ``data`` loaded from ``path`` into ``model``.

    Args:
        model: the pydantic model class.
        data: what the YAML loader returned.
        path: the file, for error messages.
        text: the text ``data`` was parsed from, for the lines of the
            messages; None: the messages name the file alone (it is never
            read again: what was read is what is reported on).

    Returns:
        The model instance.

    Raises:
        ValidationProblems: one :class:`InputError` per problem, each with
            file, line, column and the dotted path of the value.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[InputError] = []
        for error in exc.errors(include_url=False):
            msg, loc, hint = _message(error, model.__name__)
            loc = _clean_loc(loc, data)
            location = yamlio.location_of(path, text, loc)
            prefix = f"{_dotted(loc)}: " if loc else ""
            problems.append(InputError(prefix + msg, location=location, hint=hint))
        if len(problems) == 1:
            raise problems[0] from None
        raise ValidationProblems(list(problems)) from None


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A questionnaire with where it came from and its content hash.

    Attributes:
        questionnaire: the model.
        path: its file.
        hash: the content hash of the file (:func:`~selfeval.model.questionnaire.content_hash`);
            the same bound or not: a category's choice lists are checked by value.
        choice_lists: the names of the exercise choice lists its items use
            (``choices_from:``), in file order; empty for most questionnaires.
        category: the incident category whose choice lists are bound in, or
            None (not bound: its ``choices_from:`` items have no choices yet).
    """

    questionnaire: Questionnaire
    path: Path
    hash: str
    choice_lists: tuple[str, ...] = ()
    category: str | None = None


def load_questionnaire(
    path: Path, *, category: IncidentCategory | None = None
) -> LoadedQuestionnaire:
    """Load and check one questionnaire version file.

    Args:
        path: the file.
        category: bind its ``choices_from:`` items to this incident category's
            choice lists (:func:`~selfeval.model.questionnaire.bind_choice_lists`);
            None: leave them unbound (enough to check the file itself). Commands
            get a bound questionnaire from :meth:`selfeval.files.workspace.Workspace.questionnaire`.

    Raises:
        InputError: invalid YAML, invalid content, a file over
            :data:`~selfeval.model.questionnaire.MAX_BYTES` or with over
            :data:`~selfeval.model.questionnaire.MAX_ITEMS` items, a file
            name that does not match ``<id>-<version>.yaml``, or (``category``
            given) a ``choices_from:`` list the category does not declare.
    """
    raw = yamlio.read_bytes(path, MAX_QUESTIONNAIRE_BYTES)
    key = (path.name, hashlib.sha256(raw).digest(), _category_key(category))
    if (known := _LOADED.get(key)) is not None:
        if known.path != path:  # the same file elsewhere: kept with the path last asked for
            known = _LOADED[key] = dataclasses.replace(known, path=path)
        return known
    loaded = _load_questionnaire(path, raw, category)
    if len(_LOADED) >= _LOADED_MAX:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = loaded
    return loaded


#: Questionnaires already loaded in this process, by file name, the file's bytes
#: and the category's choice lists: the same file is read by several steps of one
#: command (validate's check of each response, the report's roles, the category
#: bindings), and parsing and checking it costs far more than hashing its bytes.
#: Only what loaded without error is kept; a changed file has other bytes. What is
#: loaded depends on the path only through its name (the name check; the shipped
#: file's roles are taken by content), so the same bytes under the same name in
#: another folder (another workspace, as in the test suite's processes) are not
#: parsed again: they get the loaded questionnaire with their own path.
_LOADED: dict[tuple[str, bytes, str], LoadedQuestionnaire] = {}
_LOADED_MAX = 64


def _category_key(category: IncidentCategory | None) -> str:
    """What of ``category`` a loaded questionnaire depends on: its id and choice lists."""
    if category is None:
        return ""
    return json.dumps([category.id, category.choice_lists()], sort_keys=True, default=str)


def _load_questionnaire(
    path: Path, raw: bytes, category: IncidentCategory | None
) -> LoadedQuestionnaire:
    data, text = _read(path, "Questionnaire", raw=raw)
    # The hash is the file's: a response pins the questionnaire it answered. The
    # category's choice lists are checked by value, as every answer is, so that the
    # secretariat can correct a label or add a phase without invalidating responses.
    digest = content_hash(data)
    lists = category.choice_lists() if category is not None else {}
    data, uses = bind_choice_lists(data, lists)
    if category is not None:
        _check_lists_declared(path, category, uses, text)
    questionnaire = parse_model(Questionnaire, data, path, text=text)
    _check_defaults(questionnaire, path, text)
    expected = expected_filename(questionnaire)
    if path.name != expected:
        raise InputError(
            f"the file name does not match the questionnaire's id and version "
            f"({questionnaire.ref})",
            location=Location(path),
            hint=f"rename the file to {expected}",
        )
    if not questionnaire.role_items:
        questionnaire = _roles_from_shipped(questionnaire, digest, path, lists)
    names = tuple(dict.fromkeys(name for _, name in uses))
    bound = category.id if category is not None else None
    return LoadedQuestionnaire(questionnaire, path, digest, names, bound)


def _check_lists_declared(
    path: Path,
    category: IncidentCategory,
    uses: list[tuple[tuple[str | int, ...], str]],
    text: str,
) -> None:
    """Every ``choices_from:`` names a list the incident category declares (issue 12).

    ``text`` is the questionnaire file's, as read, for the lines.

    Raises:
        InputError: each list that is not declared (several:
            :class:`ValidationProblems`), at its line in the questionnaire.
    """
    missing = [(loc, name) for loc, name in uses if name not in category.choices]
    if not missing:
        return
    declared = ", ".join(sorted(category.choices)) or "none"
    problems = [
        InputError(
            f"{_dotted(loc)}: the item takes its choices from the list {name!r}, which "
            f"incident category {category.id!r} does not declare in {EXERCISE_FILE} "
            f"(it declares: {declared})",
            location=yamlio.location_of(path, text, loc),
            hint=f"add 'choices: {{{name}: [...]}}' to the incident category in "
            f"{EXERCISE_FILE} (docs/files.md, 'Choice lists'), or pin a questionnaire "
            f"version that lists its own choices",
        )
        for loc, name in missing
    ]
    if len(problems) == 1:
        raise problems[0]
    raise ValidationProblems(problems)


def _check_defaults(questionnaire: Questionnaire, path: Path, text: str) -> None:
    """Every ``default:`` must be an answer its item accepts (``docs/questionnaire-format.md``).

    ``text`` is the questionnaire file's, as read, for the lines.

    A default is offered pre-filled to the respondent (``docs/fill-reference.md``); one
    that does not fit (not among the choices, out of range, not a date) would
    be refused the moment it is accepted. Participant codes are not checked
    here (they belong to the exercise, not the questionnaire).

    Raises:
        InputError: each such default (several: :class:`ValidationProblems`),
            at its line, saying what fits.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk(items: Any, loc: tuple[str | int, ...]) -> None:
        for index, item in enumerate(items):
            here = (*loc, index)
            if isinstance(item, RepeatItem):
                walk(item.items, (*here, "items"))
                continue
            default = getattr(item, "default", None)
            if default is None or (getattr(item, "choices_from", None) and not item.choices):
                continue  # an unbound choices_from item is checked once bound
            try:
                check_answer(item, default)
            except AnswerError as exc:
                found.append(((*here, "default"), f"the default of {item.id!r} is not an "
                              f"answer it accepts: {exc}"))  # fmt: skip

    for s_index, section in enumerate(questionnaire.sections):
        walk(section.items, ("sections", s_index, "items"))
    if not found:
        return
    problems: list[InputError] = []
    for loc, message in found:
        problems.append(
            InputError(
                f"{_dotted(loc)}: {message}",
                location=yamlio.location_of(path, text, loc),
                hint="give a default that fits the item, or leave it out",
            )
        )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationProblems(problems)


def _roles_from_shipped(
    questionnaire: Questionnaire,
    digest: str,
    path: Path,
    lists: dict[str, list[dict[str, object]]],
) -> Questionnaire:
    """A copy made before report roles existed takes them from the shipped file it equals.

    Workspaces copy their questionnaires in at ``init`` (``DESIGN.md`` §7), so
    a workspace made before the ``report:`` key existed holds 1.0.0 files
    without it. The content hash leaves ``report:`` out
    (:func:`selfeval.model.questionnaire.content_hash`), so such a file hashes
    exactly like the shipped version that declares the roles; only then are the
    shipped file's declarations used. Any other file declares its own.
    """
    name = expected_filename(questionnaire)
    for shipped in shipped_questionnaires():
        if shipped.name != name or shipped.resolve() == path.resolve():
            continue
        data, text = yamlio.load(shipped, with_text=True)
        if content_hash(data) == digest:
            bound = bind_choice_lists(data, lists)[0]
            return parse_model(Questionnaire, bound, shipped, text=text)
    return questionnaire


def contract_problems(loaded: LoadedQuestionnaire) -> list[InputError]:
    """What the report needs from this questionnaire that no item declares (issue 10).

    The report binds to ``report:`` roles, never to item ids
    (:mod:`selfeval.model.roles`); a questionnaire of a kind the report reads
    must declare every role it needs from that kind.

    Args:
        loaded: a questionnaire version file.

    Returns:
        One :class:`InputError` per missing role, located in the file, with
        the fix; empty when the contract holds.
    """
    q = loaded.questionnaire
    return [
        InputError(
            f"{q.ref}: no item has 'report: {role}', which the integrated report needs from "
            f"a {q.kind} questionnaire ({REPORT_ROLES[role].use}); its answers would be missing "
            f"from the report",
            location=Location(loaded.path),
            hint=f"add 'report: {role}' to the item that asks for it (a renamed item keeps its "
            f"role); see docs/questionnaire-format.md, Report roles",
        )
        for role in missing_roles(q.kind, frozenset(q.role_items))
    ]


def load_exercise(path: Path) -> Exercise:
    """Load and check an exercise file (``selfeval.yaml``).

    Raises:
        InputError: invalid YAML or content.
    """
    data, text = _read(path, "Exercise")
    return parse_model(Exercise, data, path, text=text)


def load_response(path: Path) -> Response:
    """Load and check the structure of one response file.

    Checking answers against the questionnaire is :mod:`selfeval.model.answers`'s job.

    Raises:
        InputError: invalid YAML or structure.
    """
    return read_response(path)[0]


def read_response(path: Path, *, raw: bytes | None = None) -> tuple[Response, str]:
    """Load one response file as :func:`load_response` does, and keep the text it was read from.

    For a command that says more about the response later with a line
    (:func:`~selfeval.files.workspace.placement_error`, an answer's problem):
    it locates in this text instead of reading the file again, which another
    file may have replaced meanwhile.

    Args:
        path: the response file.
        raw: its bytes, when the caller has read them already (through
            :func:`selfeval.files.yamlio.read_file`, the one read rule): they
            are parsed instead of reading the file again.

    Returns:
        ``(response, text)``.

    Raises:
        InputError: invalid YAML or structure.
    """
    data, text = _read(path, "Response", raw=raw)
    return parse_model(Response, data, path, text=text), text
