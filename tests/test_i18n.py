"""selfeval's own words: the gettext catalogues (``selfeval/locale``, issue 17).

The catalogues are what every command reads (:mod:`selfeval.i18n`); these
tests keep them whole: every message the code and the templates use is in
every catalogue, no catalogue keeps a message nobody uses, each committed
``.mo`` is the compile of its ``.po`` (a ``.po`` edited without compiling
fails here), and the plural forms and dates come out right in both languages.
The messages used are found the way ``pybabel extract -F babel.cfg`` finds
them (docs/translation.md), so the test and the translator's tool agree.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from selfeval import i18n
from selfeval.i18n import format_date, gettext, ngettext

ROOT = Path(__file__).resolve().parents[1]
LANGS = i18n.LANGUAGES


def _po(lang: str) -> Catalog:
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@functools.cache
def _used() -> dict[str, list[tuple[str, int]]]:
    """Message id → (file, line) of each use, as ``pybabel extract -F babel.cfg`` finds them.

    Extracted once per test process (the sources do not change during a run); read only.
    """
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append((filename, line))
    return found


def test_extraction_finds_the_messages_of_code_and_templates() -> None:
    used = _used()
    # one of each way of using a message (guards against an extractor that finds nothing)
    files = {msgid: {Path(where).name for where, _ in uses} for msgid, uses in used.items()}
    assert "integrated-report.md.j2" in files["report.preface"]  # L.preface in a template
    assert "docx.py" in files["report.preface"]  # L["preface"] in Python
    assert "render.py" in files["report.draft_status"]  # report.L.get("draft_status")
    assert "labels.py" in files["report.verdict_agree"]  # N_("report.verdict_agree")
    assert "questionnaire.py" in files["export.legend"]  # gettext(lang, "export.legend")
    assert "questionnaire.py" in files["export.chars"]  # ngettext(lang, "export.chars", …)


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_used_is_in_the_catalogue(lang: str) -> None:
    catalogue = _po(lang)
    missing = [
        f"{msgid} (used in {uses[0][0]}:{uses[0][1]})"
        for msgid, uses in sorted(_used().items())
        if msgid not in catalogue or not catalogue[msgid].string
    ]
    assert missing == [], f"add these to selfeval/locale/{lang} (docs/translation.md)"


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_has_no_unused_message(lang: str) -> None:
    used = _used()
    unused = sorted(m.id for m in _po(lang) if m.id and _msgid(m.id) not in used)
    assert unused == [], f"remove these from selfeval/locale/{lang} or use them"


#: A string in the code that is a message id of one of the catalogue's namespaces.
_MESSAGE_ID = re.compile(
    r"(report|export|condition|fill|peer_review|answer)\.[a-z0-9_]+(\.[a-z0-9_]+)?"
)


def test_every_message_id_in_the_code_is_found_by_extraction() -> None:
    """An id passed through a helper the extractor does not know is shown as the id itself.

    Seen: ``_both("peer_review.verdict")`` put the words ``peer_review.verdict``
    on screen, and the missing/unused tests above could not see it (extraction
    did not find the id, so it was neither used nor missing). Every string
    literal in the package that looks like a message id must be found by
    extraction (mark a table's ids with ``N_``).
    """
    used = set(_used()) | {f"{msgid}_plural" for msgid in _used()}
    unseen = []
    for path in sorted((ROOT / "selfeval").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _MESSAGE_ID.fullmatch(node.value) and node.value not in used:
                    unseen.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert unseen == [], "wrap these ids in N_() or gettext() (docs/translation.md)"


def _msgid(found: str | tuple[str, ...]) -> str:
    return found[0] if isinstance(found, tuple) else found


def test_the_catalogues_have_the_same_messages_and_forms() -> None:
    nl, en = ({_msgid(m.id): m.pluralizable for m in _po(lang) if m.id} for lang in LANGS)
    assert nl == en


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_mo_is_the_compiled_po(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _po(lang))
    committed = (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo").read_bytes()
    assert committed == compiled.getvalue(), (
        f"selfeval/locale/{lang}: the .mo is stale; run "
        "`pybabel compile -d selfeval/locale -D selfeval` (docs/translation.md)"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_says_its_plural_rule(lang: str) -> None:
    assert _po(lang).plural_forms == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [
        ("nl", 0, "hoogstens 0 tekens"),
        ("nl", 1, "hoogstens 1 teken"),
        ("nl", 280, "hoogstens 280 tekens"),
        ("en", 0, "at most 0 characters"),
        ("en", 1, "at most 1 character"),
        ("en", 280, "at most 280 characters"),
    ],
)
def test_plural_forms_for_none_one_and_many(lang: str, n: int, text: str) -> None:
    assert ngettext(lang, "export.chars", "export.chars_plural", n) == text


def test_a_message_is_formatted_and_falls_back_to_english() -> None:
    assert gettext("nl", "report.according_to", names="BZ") == "volgens BZ"
    assert gettext("en", "report.according_to", names="BZ") == "according to BZ"
    assert gettext("de", "report.preface") == gettext("en", "report.preface")
    assert gettext("nl", "report.preface") == "Voorwoord"


def test_messages_of_a_namespace_are_the_report_labels() -> None:
    words = i18n.messages("nl", "report")
    assert words["preface"] == "Voorwoord"
    assert not any(key.startswith(("report.", "export.", "condition.")) for key in words)


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        ("2006-05-16", "nl", "16 mei 2006"),
        ("2006-05-16", "en", "16 May 2006"),
        (dt.date(2006, 3, 1), "nl", "1 maart 2006"),
        (dt.date(2006, 3, 1), "en", "1 March 2006"),
        ("mei 2006", "nl", "mei 2006"),  # not an ISO date: left as the exercise gives it
    ],
)
def test_dates_in_running_text(value: dt.date | str, lang: str, text: str) -> None:
    assert format_date(value, lang) == text
