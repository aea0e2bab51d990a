"""The report's words: the shipped ``labels.yaml``, merged with a workspace override.

``selfeval/report/templates/labels.yaml`` holds every word and phrase of the
integrated report per report language. A workspace may put its own
``templates/labels.yaml`` beside its template overrides (``DESIGN.md`` §7,
``docs/report.md``): only the keys it gives are replaced. A key the report
does not know, a language other than ``nl``/``en``, or a value that is not
text is an error with file and line, not silently ignored (issue 10).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, Location
from selfeval.files import yamlio

__all__ = ["LABELS_FILE", "SHIPPED_LABELS", "load_labels"]

LABELS_FILE = "labels.yaml"
#: The package's labels.
SHIPPED_LABELS = Path(__file__).resolve().parent / "templates" / LABELS_FILE
_LANGUAGES = ("nl", "en")


def _problem(path: Path, keys: list[str], message: str, hint: str) -> InputError:
    text = path.read_text("utf-8-sig")
    if len(keys) == 1:  # a top-level key: its own line, not its value's
        found = re.search(rf"^['\"]?{re.escape(keys[0])}['\"]?\s*:", text, re.M)
        where = (text.count("\n", 0, found.start()) + 1, 1) if found else None
    else:
        where = yamlio.line_of(text, keys) if keys else (1, 1)
    return InputError(message, location=Location(path, *(where or ())), hint=hint)


def _override(path: Path, known: set[str]) -> dict[str, dict[str, str]]:
    """The override file's words per language, checked against the ``known`` keys.

    Raises:
        InputError: not a mapping of language → key → text, an unknown
            language or key (each with file:line).
    """
    data: Any = yamlio.load(path)
    if data is None:
        return {}
    hint = f"see {SHIPPED_LABELS.name} in selfeval/report/templates/ for the keys; docs/report.md"
    if not isinstance(data, dict):
        raise _problem(path, [], "a labels file is a mapping of languages (nl, en) to words", hint)
    found: dict[str, dict[str, str]] = {}
    for lang, words in data.items():
        if lang not in _LANGUAGES:
            raise _problem(
                path, [str(lang)], f"unknown language {lang!r}; a labels file has nl: and en:", hint
            )
        if words is None:
            continue
        if not isinstance(words, dict):
            raise _problem(path, [str(lang)], f"'{lang}' must map label keys to words", hint)
        for key, value in words.items():
            if key not in known:
                raise _problem(
                    path,
                    [lang, key],
                    f"unknown label {key!r}: the report has no such word",
                    f"check its spelling; {hint}",
                )
            if not isinstance(value, str):
                raise _problem(
                    path, [lang, key], f"label {key!r} must be text; write it in quotes", hint
                )
        found[lang] = words
    return found


def load_labels(lang: str, override: Path | None = None) -> dict[str, str]:
    """The report's words in ``lang``: the shipped labels, then the override's keys.

    Args:
        lang: the report language, ``nl`` or ``en``.
        override: a workspace ``templates/labels.yaml``; ignored when absent.

    Returns:
        Label key → text: English as the fallback, then ``lang``, then the
        override's ``lang`` keys.

    Raises:
        InputError: the override is unreadable or wrong (file:line, what to fix).
    """
    base = yamlio.load(SHIPPED_LABELS)
    words = dict(base.get("en", {}))
    words.update(base.get(lang, {}))
    if override is not None and override.is_file():
        known = {key for language in _LANGUAGES for key in base.get(language, {})}
        words.update(_override(override, known).get(lang, {}))
    return words
