"""The characters a text from a file may hold, and how such a text is shown.

One rule for every answer text (``text`` and ``long-text`` items, a reaction's
comment and correction), so that ``fill``, ``peer-review``, ``validate``,
``import`` and ``aggregate`` agree: a text may hold any character but

* a C0 or C1 control character other than tab and line feed (NUL, BEL, ESC,
  DEL, U+0085 …): they clear or repaint a terminal, end a text early in C
  libraries, and Word's XML cannot hold most of them;
* a lone surrogate (U+D800–U+DFFF, which a JSON ``"\\ud800"`` can give): it is
  no character and cannot be written as UTF-8;
* a noncharacter (U+FDD0–U+FDEF, and U+FFFE/U+FFFF in every plane);
* a bidirectional control that embeds, overrides or isolates (U+202A–U+202E,
  U+2066–U+2069): it shows the text after it in another order than it is
  written ("Trojan Source", CVE-2021-42574), so a report, a terminal or an
  editor would show something other than what the file says. The marks
  U+200E, U+200F and U+061C, which reorder nothing, are allowed.

A carriage return is not refused: CR LF and a lone CR are made a line feed
(:func:`normalised`). :func:`shown` is the other half, for text shown at a
terminal that no such check has passed (a title in a draft, a file name): its
control characters are written as escapes, never sent to the terminal.
"""

from __future__ import annotations

import re

from selfeval.errors import line_and_column
from selfeval.i18n import N_, Message

__all__ = [
    "bad_character",
    "character_kind",
    "character_message",
    "character_problem",
    "normalised",
    "shown",
]

_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
#: The bidirectional embeddings, overrides and isolates (LRE … RLO, LRI … PDI).
_BIDI = "\u202a-\u202e\u2066-\u2069"
#: Every character :func:`bad_character` refuses (CR is normalised first).
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
#: What :func:`shown` escapes: the above, CR, and the line and paragraph separators.
_NOT_SHOWN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
    + _BIDI
    + "\ud800-\udfff\ufdd0-\ufdef"
    + _NONCHARACTERS
    + "]"
)


def _is_bidi(char: str) -> bool:
    return "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"


def normalised(text: str) -> str:
    """``text`` with CR LF and lone CR made LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def bad_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` no answer may hold, and its index; None when none.

    CR is not one (see :func:`normalised`).

    Every character refused is one Python calls not printable (a control
    character, Cc; a bidirectional control, Cf; a surrogate, Cs; a
    noncharacter, Cn), so a text that is
    printable once its line feeds and tabs are set aside holds none, and the
    rule's pattern is searched only in the others: it scans ~20 times slower
    than ``str.isprintable`` (its class holds characters of every plane), and
    it was the largest single cost of checking 1,000 responses' answers.
    ``tests/test_text_characters.py`` holds the shortcut to the pattern.
    """
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return None
    match = _REFUSED.search(text)
    return None if match is None else (match.start(), match.group())


def character_kind(char: str) -> str:
    """What ``char`` (refused by :func:`bad_character`) is, in English.

    ``'the control character U+001B'``, ``'a lone surrogate U+D800 (half of a
    character)'``, ``'the noncharacter U+FFFE'`` or ``'the bidirectional control
    character U+202E (it shows text in another order than it is written)'``.
    """
    code = f"U+{ord(char):04X}"
    if _is_bidi(char):
        return (
            f"the bidirectional control character {code} "
            "(it shows text in another order than it is written)"
        )
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate {code} (half of a character)"
    if char in _NONCHARACTERS or "\ufdd0" <= char <= "\ufdef":
        return f"the noncharacter {code}"
    return f"the control character {code}"


def character_problem(text: str) -> str | None:
    """What is wrong with a text of the exercise, a questionnaire or the secretariat, or None.

    ``'holds the control character U+001B, which a text may not hold'`` for
    the first character :func:`bad_character` refuses; the caller names the
    file and line (a label of ``templates/labels.yaml``, a note of
    ``texts/merges.yaml``, a name in ``selfeval.yaml``).
    """
    bad = bad_character(text)
    if bad is None:
        return None
    return f"holds {character_kind(bad[1])}, which a text may not hold"


def character_message(text: str, index: int, char: str) -> Message:
    """Say what is wrong with ``char`` at ``index`` of ``text``: its code, line and column."""
    code = f"U+{ord(char):04X}"
    line, column = line_and_column(text, index)
    if "\ud800" <= char <= "\udfff":
        msgid = N_("answer.surrogate")
    elif char in _NONCHARACTERS or "\ufdd0" <= char <= "\ufdef":
        msgid = N_("answer.noncharacter")
    elif _is_bidi(char):
        msgid = N_("answer.bidi_control")
    else:
        msgid = N_("answer.control_char")
    return Message(msgid, code=code, line=line, column=column)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, newlines: bool = True) -> str:
    """``text`` safe to print at a terminal: control characters as ``\\x1b``-style escapes.

    Args:
        text: any text read from a file (a title, a name, a path).
        newlines: keep line feeds and tabs as they are; False writes them as
            ``\\n`` and ``\\t`` too (a text that must stay on one line).

    Returns:
        The text unchanged when it holds nothing to escape.
    """
    if newlines:
        return _NOT_SHOWN.sub(_escape, text)
    return _NOT_SHOWN.sub(_escape, text.replace("\t", "\\t").replace("\n", "\\n"))
