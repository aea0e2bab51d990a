"""The report's words: the ``report.*`` messages of the catalogues, with a workspace override.

Every word and phrase of the integrated report is a message ``report.<key>``
of selfeval's catalogues (:mod:`selfeval.i18n`, ``selfeval/locale/``); the
templates and the report code read them as ``L.<key>`` / ``L["<key>"]``. A
workspace may put its own ``templates/labels.yaml`` beside its template
overrides (``DESIGN.md`` §7, ``docs/report.md``): only the keys it gives are
replaced. A key the report does not know, a language other than ``nl``/``en``,
or a value that is not text is an error with file and line, not silently
ignored (issue 10).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from selfeval import i18n
from selfeval.errors import InputError, Location
from selfeval.files import yamlio
from selfeval.i18n import N_
from selfeval.model.text import character_problem

__all__ = ["LABELS_FILE", "load_labels"]

#: The workspace's override file, in its ``templates/`` folder.
LABELS_FILE = "labels.yaml"
_LANGUAGES = i18n.LANGUAGES
_HINT = "the keys are the report.* messages of selfeval/locale/en/LC_MESSAGES/selfeval.po "
_HINT += "(without 'report.'); docs/report.md"

#: Labels the report code looks up by a value (an involvement level, a
#: verdict, a form of involvement, …) rather than by name: listed here so
#: that extraction (``babel.cfg``) sees them used.
LOOKED_UP_BY_VALUE = (
    # involvement levels (chapters.roles_table, figures)
    N_("report.strong"),
    N_("report.medium"),
    N_("report.weak"),
    # forms of involvement, also the peer-review rounds (chapters, views)
    N_("report.self-evaluation"),
    N_("report.peer-review-1"),
    N_("report.peer-review-2"),
    # a peer review's verdict on a finding (views.reaction)
    N_("report.verdict_agree"),
    N_("report.verdict_partly-agree"),
    N_("report.verdict_disagree"),
    N_("report.verdict_no-opinion"),
    # a peer review's general answers, by role (chapters.other_input)
    N_("report.recognition_fully"),
    N_("report.recognition_largely"),
    N_("report.recognition_partly"),
    N_("report.recognition_not"),
    N_("report.recognition_why"),
    N_("report.experiences"),
    N_("report.general_remarks"),
    N_("report.missing"),
    # the opportunity matrix's rows (chapters.opportunity_matrix)
    N_("report.content"),
    N_("report.process"),
    N_("report.intensify"),
    N_("report.develop"),
    # the reading guide's fixed lines (chapters.reading_guide)
    N_("report.guide_ch3"),
    N_("report.guide_ch4"),
    N_("report.guide_ch5"),
    N_("report.guide_annex1"),
    N_("report.guide_annex2"),
    # figure captions (figures._caption)
    N_("report.figure_roles"),
    N_("report.figure_opportunities"),
)


def _problem(path: Path, text: str, keys: list[str], message: str, hint: str) -> InputError:
    """An error in the labels file at ``keys``, located in ``text`` (the file as read)."""
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
    data: Any
    data, text = yamlio.load(path, with_text=True)  # read once: lines come from this text
    if data is None:
        return {}
    hint = _HINT
    if not isinstance(data, dict):
        raise _problem(
            path, text, [], "a labels file is a mapping of languages (nl, en) to words", hint
        )
    found: dict[str, dict[str, str]] = {}
    for lang, words in data.items():
        if lang not in _LANGUAGES:
            raise _problem(
                path,
                text,
                [str(lang)],
                f"unknown language {lang!r}; a labels file has nl: and en:",
                hint,
            )
        if words is None:
            continue
        if not isinstance(words, dict):
            raise _problem(path, text, [str(lang)], f"'{lang}' must map label keys to words", hint)
        for key, value in words.items():
            if key not in known:
                raise _problem(
                    path,
                    text,
                    [lang, key],
                    f"unknown label {key!r}: the report has no such word",
                    f"check its spelling; {hint}",
                )
            if not isinstance(value, str):
                raise _problem(
                    path, text, [lang, key], f"label {key!r} must be text; write it in quotes", hint
                )
            problem = character_problem(value)
            if problem is not None:  # the one rule of texts (selfeval.model.text)
                raise _problem(path, text, [lang, key], f"label {key!r} {problem}", "remove it")
        found[lang] = words
    return found


def load_labels(lang: str, override: Path | None = None) -> dict[str, str]:
    """The report's words in ``lang``: the catalogue's ``report.*`` messages, then the override's.

    Args:
        lang: the report language, ``nl`` or ``en``.
        override: a workspace ``templates/labels.yaml``; ignored when absent.

    Returns:
        Label key (the message id without ``report.``) → text: ``lang``'s
        catalogue (English where it lacks one), then the override's ``lang`` keys.

    Raises:
        InputError: the override is unreadable or wrong (file:line, what to fix).
    """
    words = i18n.messages(lang, "report")
    if override is not None and override.is_file():
        words.update(_override(override, set(words)).get(lang, {}))
    return words
