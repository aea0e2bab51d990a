"""selfeval's own words in Dutch and English: gettext catalogues, plural forms, dates.

Every sentence the tool writes itself (report labels, a condition in words,
a questionnaire document's notes, the prompts and messages of ``fill`` and
``peer-review``) is a message in the catalogues
``selfeval/locale/{nl,en}/LC_MESSAGES/selfeval.po``, compiled to the ``.mo``
files beside them, which is what this module reads (the standard library's
:mod:`gettext`, no third-party code). How a translator edits a ``.po`` file
and how to extract and compile: ``docs/translation.md``.

Message ids are symbolic keys with a namespace, ``report.caveat``,
``condition.is``, ``export.legend``; the English catalogue holds the English
text (it is the fallback for a message a language lacks). Texts are Python
format strings: ``{name}`` is filled from the keyword arguments.

* :func:`gettext` — one message, formatted.
* :func:`ngettext` — a message with plural forms (the catalogue's
  ``Plural-Forms`` header decides which form ``n`` takes); ``{n}`` is filled.
* :func:`N_` — marks a message id used through a table (``_WORDS[kind]``),
  so that extraction finds it; returns it unchanged.
* :class:`Message` — a message and its values, said later in a language
  chosen by whoever shows it (the model's answer checks do not know the
  reader's language; a ``fill`` session does).
* :func:`messages` — every message of one namespace, e.g. the report labels.
* :func:`format_date` — a date in running text, ``16 mei 2006`` / ``16 May 2006``.

The extraction methods :func:`extract_python` and :func:`extract_jinja2` are
named in ``babel.cfg``; they are called by ``pybabel extract`` only.
"""

from __future__ import annotations

import ast
import datetime as _dt
import gettext as _gettext
import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Message",
    "format_date",
    "gettext",
    "messages",
    "ngettext",
]

#: The languages selfeval speaks; the first of the fallbacks is English.
LANGUAGES = ("nl", "en")
#: The gettext domain: the catalogues are ``<lang>/LC_MESSAGES/selfeval.mo``.
DOMAIN = "selfeval"
#: Where the catalogues are, inside the package (shipped in the wheel).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_FALLBACK = "en"
#: The locale whose long date format the report uses per language (EU style, day first).
_DATE_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


class _Catalogue(_gettext.GNUTranslations):
    """A compiled catalogue that can also list its message ids."""

    def ids(self) -> list[str]:
        """The singular message ids of this catalogue (without the header)."""
        found = self._catalog  # type: ignore[attr-defined]
        return [key for key in found if isinstance(key, str) and key]


@cache
def _catalogue(lang: str) -> _Catalogue:
    """The compiled catalogue of ``lang`` (English for an unknown language), English behind it."""
    lang = lang if lang in LANGUAGES else _FALLBACK
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as handle:
        found = _Catalogue(handle)
    if lang != _FALLBACK:
        found.add_fallback(_catalogue(_FALLBACK))
    return found


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction without translating it (``gettext_noop``)."""
    return msgid


class Message:
    """A message of the catalogue and its values, to be said in the reader's language.

    Code that does not know who reads its words (the answer checks of
    :mod:`selfeval.model.items`, read in English by ``validate`` and in the
    session language by ``fill``) says what it means as a ``Message``; the
    code that shows it picks the language with :meth:`text`. ``str()`` is
    the English text. A value that is itself a ``Message`` is said in the
    same language; a tuple of them is joined with ``"; "``.

    ``Message("answer.at_least", n=5)`` is found by ``pybabel extract`` like
    ``gettext(lang, "answer.at_least")``.
    """

    __slots__ = ("msgid", "plural_id", "values")

    def __init__(self, msgid: str, /, **values: Any) -> None:
        self.msgid = msgid
        self.plural_id: str | None = None
        self.values = values

    @classmethod
    def plural(cls, singular: str, plural: str, n: int, /, **values: Any) -> Message:
        """A message with plural forms (as :func:`ngettext`); ``{n}`` is ``n``."""
        found = cls(singular, n=n, **values)
        found.plural_id = plural
        return found

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``nl``, ``en``), its values filled in."""
        values = {k: _said(v, lang) for k, v in self.values.items()}
        if self.plural_id is not None:
            n = values.pop("n")
            return ngettext(lang, self.msgid, self.plural_id, n, **values)
        return gettext(lang, self.msgid, **values)

    def __str__(self) -> str:
        return self.text(_FALLBACK)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.msgid, self.plural_id, self.values) == (
            other.msgid,
            other.plural_id,
            other.values,
        )

    def __hash__(self) -> int:
        return hash(self.msgid)


def _said(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, tuple) and value and all(isinstance(v, Message) for v in value):
        return "; ".join(v.text(lang) for v in value)
    return value


def gettext(lang: str, msgid: str, /, **fmt: Any) -> str:
    """The message ``msgid`` in ``lang``, with ``{name}`` filled from ``fmt``.

    Args:
        lang: ``nl`` or ``en``; another language gets English.
        msgid: a message id, e.g. ``report.preface``.
        **fmt: values for the message's ``{placeholders}``.

    Returns:
        The text; the English one when ``lang``'s catalogue lacks it, the id
        itself when no catalogue has it (``tests/test_i18n.py`` keeps every
        id used in the code in every catalogue).
    """
    text = _catalogue(lang).gettext(msgid)
    return text.format(**fmt) if fmt else text


def ngettext(lang: str, singular: str, plural: str, n: int, /, **fmt: Any) -> str:
    """The form of the message ``singular``/``plural`` that fits the number ``n``.

    Args:
        lang: ``nl`` or ``en``.
        singular: the message id (its ``msgid``).
        plural: its ``msgid_plural`` (an id too, e.g. ``report.missing_answers_plural``).
        n: the number that decides the form (the catalogue's ``Plural-Forms``).
        **fmt: values for the other placeholders; ``{n}`` is ``n``.

    Returns:
        The text in the form for ``n``, formatted.
    """
    text = _catalogue(lang).ngettext(singular, plural, n)
    return text.format(n=n, **fmt)


def messages(lang: str, namespace: str) -> dict[str, str]:
    """Every singular message of ``namespace`` in ``lang``, keyed without the namespace.

    ``messages("nl", "report")`` is the report's labels: ``{"preface":
    "Voorwoord", …}``; English fills any a language lacks.
    """
    prefix = f"{namespace}."
    found = _catalogue(lang)
    ids = set(found.ids()) | set(_catalogue(_FALLBACK).ids())
    return {
        msgid.removeprefix(prefix): found.gettext(msgid)
        for msgid in sorted(ids)
        if msgid.startswith(prefix)
    }


def format_date(value: _dt.date | str, lang: str) -> str:
    """A date as running text says it: ``16 mei 2006`` (nl), ``16 May 2006`` (en).

    Args:
        value: a date, or an ISO date string (``2006-05-16``); any other text
            is returned unchanged (an exercise may give ``mei 2006``).
        lang: ``nl`` or ``en``.

    Babel (CLDR's month names) is imported here, so only the commands that
    write dates load it.
    """
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    from babel.dates import format_date as _babel_format_date

    return str(_babel_format_date(value, format="long", locale=_DATE_LOCALES.get(lang, "en_GB")))


# --- extraction (pybabel extract, babel.cfg) -------------------------------------------------

#: The report's labels are read as ``L.key``, ``L["key"]`` or ``L.get("key", …)``
#: (templates and report code); each is the message ``report.key``.
_LABEL_USE = re.compile(
    r"""\bL(?:\.get\(\s*|\[\s*)(?P<q>['"])(?P<key>[\w-]+)(?P=q)|\bL\.(?P<attr>(?!get\b)\w+)"""
)

Extracted = tuple[int, str, str | tuple[str | None, ...], list[str]]


def _labels_in(text: str) -> Iterator[Extracted]:
    for match in _LABEL_USE.finditer(text):
        key = match.group("key") or match.group("attr")
        yield text.count("\n", 0, match.start()) + 1, "gettext", f"report.{key}", []


def _is_labels(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "L") or (
        isinstance(node, ast.Attribute) and node.attr == "L"
    )


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


#: Calls whose first argument is a message id: ``N_("id")``, ``Message("id", …)``
#: and the model's ``AnswerError("answer.id", …)`` (:mod:`selfeval.model.items`).
_ID_FIRST = frozenset({"N_", "Message", "AnswerError"})


def _calls_in(tree: ast.AST) -> Iterator[Extracted]:
    """The messages a Python module uses, read from its syntax tree (not its comments).

    ``gettext(lang, "id")``, ``ngettext(lang, "one", "many", n)``, ``N_("id")``,
    ``Message("id", …)``, ``Message.plural("one", "many", n)``,
    ``AnswerError("id", …)``, and the report labels ``L.key``, ``L["key"]``, ``L.get("key", …)``.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_labels(node.value):
            if (key := _text(node.slice)) is not None:
                yield node.lineno, "gettext", f"report.{key}", []
        elif isinstance(node, ast.Attribute) and _is_labels(node.value) and node.attr != "get":
            yield node.lineno, "gettext", f"report.{node.attr}", []
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        texts = [_text(arg) for arg in node.args]
        if isinstance(func, ast.Attribute) and name == "get" and _is_labels(func.value):
            if texts and texts[0] is not None:
                yield node.lineno, "gettext", f"report.{texts[0]}", []
        elif name in _ID_FIRST and texts and texts[0] is not None:
            yield node.lineno, "gettext", texts[0], []
        elif name == "gettext" and len(texts) >= 2 and texts[1] is not None:
            yield node.lineno, "gettext", texts[1], []
        elif name == "plural" and len(texts) >= 2 and texts[0] is not None:
            yield node.lineno, "ngettext", (texts[0], texts[1], None), []
        elif name == "ngettext" and len(texts) >= 3 and texts[1] is not None:
            yield node.lineno, "ngettext", (texts[1], texts[2], None), []


def extract_python(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method for selfeval's Python code (``babel.cfg``).

    Finds ``gettext(lang, "id", …)``, ``ngettext(lang, "id", "id_plural", n)``,
    ``N_("id")`` (read with :mod:`ast`: the language comes first, which
    Babel's own Python extractor does not expect) and the report labels
    ``L.key`` / ``L["key"]`` / ``L.get("key")``.
    """
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    yield from _calls_in(ast.parse(text))


def extract_jinja2(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method for the report templates (``babel.cfg``).

    The report labels ``L.key`` / ``L["key"]``, and whatever Jinja2's own
    extractor (``jinja2.ext.babel_extract``) finds: ``_()``, ``gettext()``,
    ``ngettext()`` calls.
    """
    from jinja2.ext import babel_extract

    data = fileobj.read()
    yield from _labels_in(data.decode(options.get("encoding", "utf-8")))
    import io

    yield from babel_extract(io.BytesIO(data), keywords, comment_tags, dict(options))
