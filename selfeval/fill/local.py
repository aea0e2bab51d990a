"""What a respondent types and reads, in the session language: dates, times, answer checks.

The model checks answers and words its messages in English, for answers
files and ``validate`` (:mod:`selfeval.model.items`). A filling session speaks
the respondent's language, so this module

* parses typed text the way the respondent writes it (:func:`parse_answer`):
  in a Dutch session a date may be typed ``DD-MM-JJJJ`` (also with ``/`` or
  ``.``) as well as ISO ``JJJJ-MM-DD``; it is stored as ISO;
* says why an answer does not fit in the session language
  (:func:`say_problem`), for every message an interactive answer can get;
* shows stored dates and timestamps as the respondent reads them
  (:func:`shown_date`, :func:`local_time`): ``15-05-2006``, and
  ``2 dec. 2026, 03:04`` in the computer's own time zone instead of UTC ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from selfeval.model.answers import AnswerError, parse_typed
from selfeval.model.questionnaire import DateItem, Item

__all__ = ["date_hint", "local_time", "parse_answer", "say_problem", "shown_date"]

_MONTHS = {
    "nl": ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.",
           "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}  # fmt: skip

#: A date as the Dutch write it: day, month, four-digit year.
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")

#: English answer-check messages of :mod:`selfeval.model.items` → Dutch, with their values.
_DUTCH: tuple[tuple[str, str], ...] = (
    (r"(?P<v>'.*') is not a whole number", "{v} is geen geheel getal"),
    (r"(?P<v>'.*') is not a number", "{v} is geen getal"),
    (
        r"(?P<v>'.*') is not a date; write it as YYYY-MM-DD",
        "{v} is geen datum; schrijf hem als DD-MM-JJJJ (bijvoorbeeld 15-05-2006)",
    ),
    (r"must be between (?P<a>\S+) and (?P<b>\S+)", "moet tussen {a} en {b} liggen"),
    (r"must be at least (?P<n>\d+) characters", "moet minstens {n} tekens lang zijn"),
    (
        r"must be at most (?P<n>\d+) characters \(is (?P<m>\d+)\)",
        "mag hoogstens {n} tekens lang zijn (nu {m})",
    ),
    (r"must match the pattern (?P<p>.+)", "past niet in de vorm {p}"),
    (r"must be at least (?P<n>\S+)", "moet minstens {n} zijn"),
    (r"must be at most (?P<n>\S+)", "mag hoogstens {n} zijn"),
    (r"(?P<v>\S+) is out of range", "{v} valt buiten het toegestane bereik"),
    (r"choose at least (?P<n>\d+)", "kies er minstens {n}"),
    (r"choose at most (?P<n>\d+)", "kies er hoogstens {n}"),
    (r"a value is listed twice", "een keuze staat er twee keer in"),
)


def say_problem(text: str, lang: str) -> str:
    """An answer-check message of the model in ``lang`` (as it is when not known).

    Args:
        text: the ``AnswerError`` message (English, :mod:`selfeval.model.items`).
        lang: ``nl`` or ``en``.
    """
    if lang != "nl":
        return text
    whole = _dutch(text)
    if whole is not None:
        return whole
    return "; ".join(_dutch(part) or part for part in text.split("; "))


def _dutch(text: str) -> str | None:
    for pattern, dutch in _DUTCH:
        match = re.fullmatch(pattern, text)
        if match:
            return dutch.format(**match.groupdict())
    return None


def parse_answer(item: Item, text: str, lang: str) -> Any:
    """What the respondent typed, in stored form (None when empty).

    In a Dutch session a date ``DD-MM-JJJJ`` becomes ISO ``JJJJ-MM-DD``; an
    ISO date is taken as it is, in every session.

    Raises:
        AnswerError: the text does not fit the item, with the reason in ``lang``.
    """
    if isinstance(item, DateItem) and lang == "nl":
        match = _DUTCH_DATE.fullmatch(text.strip())
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                raise AnswerError(
                    say_problem(f"{text.strip()!r} is not a date; write it as YYYY-MM-DD", lang)
                ) from None
    try:
        value = parse_typed(item, text)
        if isinstance(item, DateItem) and value is not None:
            value = item.check(value)  # a date that is no date is said at once
    except AnswerError as exc:
        raise AnswerError(say_problem(str(exc), lang)) from None
    return value


def shown_date(value: str, lang: str) -> str:
    """A stored ISO date as the respondent writes it: ``15-05-2006`` in Dutch, ISO otherwise."""
    if lang != "nl":
        return value
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def date_hint(lang: str) -> str:
    """How to type a date in ``lang``."""
    return "DD-MM-JJJJ" if lang == "nl" else "YYYY-MM-DD"


def local_time(stamp: str | None, lang: str) -> str:
    """An ISO UTC timestamp in the computer's time zone, e.g. ``2 dec. 2026, 03:04``.

    Returns ``-`` for None and the text as it is when it is not a timestamp.
    """
    if not stamp:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    here = moment.astimezone()
    month = _MONTHS.get(lang, _MONTHS["en"])[here.month - 1]
    return f"{here.day} {month} {here.year}, {here.hour:02d}:{here.minute:02d}"
