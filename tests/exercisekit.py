"""What a second exercise must not inherit from the worked example (issue 12)."""

from __future__ import annotations

import re

#: Words of the worked example (falende staten, 2006) and its participants: none may
#: appear in a new workspace or in the report of another exercise.
WORKED_EXAMPLE_WORDS = (
    "falende",
    "staten",
    "failing",
    "Groeiende tegenstellingen",
    "growing tensions",
    "Verval",
    "Falen",
    "Herstel",
    "BZK",
    "Defensie",
    "Buitenlandse Zaken",
    "NCTb",
    "Terrorismebestrijding",
    "Nationale Veiligheid",
    "Financiën",
    "Justitie",
    "2006",
)


def worked_example_words(text: str) -> list[str]:
    """``line: word`` for every worked-example word in ``text`` (any case)."""
    found = []
    for word in WORKED_EXAMPLE_WORDS:
        for match in re.finditer(re.escape(word), text, re.IGNORECASE):
            found.append(f"{text.count(chr(10), 0, match.start()) + 1}: {word}")
    return found
