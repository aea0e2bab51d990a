"""What a respondent types and reads, in the session language: dates and times.

* :func:`parse_answer` parses typed text the way the respondent writes it:
  in a Dutch session a date may be typed ``DD-MM-JJJJ`` (also with ``/`` or
  ``.``) as well as ISO ``JJJJ-MM-DD``; it is stored as ISO;
* :func:`shown_date` and :func:`local_time` show stored dates and timestamps
  as the respondent reads them: ``15-05-2006``, and ``2 december 2026, 03:04``
  in the computer's own time zone instead of UTC ISO.

Why an answer does not fit is said by the model's checks as a message of the
catalogue (:class:`~selfeval.model.items.AnswerError` carries its id and
values); the session says it in its language with ``error.text(lang)``. No
English text is matched or translated here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from selfeval.i18n import format_date
from selfeval.model.answers import AnswerError, parse_typed
from selfeval.model.questionnaire import DateItem, Item

__all__ = ["date_hint", "local_time", "parse_answer", "shown_date"]

#: A date as the Dutch write it: day, month, four-digit year.
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def parse_answer(item: Item, text: str, lang: str) -> Any:
    """What the respondent typed, in stored form (None when empty).

    In a Dutch session a date ``DD-MM-JJJJ`` becomes ISO ``JJJJ-MM-DD``; an
    ISO date is taken as it is, in every session.

    Raises:
        AnswerError: the text does not fit the item (``error.text(lang)`` says why).
    """
    if isinstance(item, DateItem) and lang == "nl":
        match = _DUTCH_DATE.fullmatch(text.strip())
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                raise AnswerError("answer.no_such_day", value=repr(text.strip())) from None
    value = parse_typed(item, text)
    if isinstance(item, DateItem) and value is not None:
        value = item.check(value)  # a date that is no date is said at once
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
    """An ISO UTC timestamp in the computer's time zone, e.g. ``2 december 2026, 03:04``.

    The date is written as in running text (:func:`selfeval.i18n.format_date`).

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
    return f"{format_date(here.date(), lang)}, {here.hour:02d}:{here.minute:02d}"
