"""What a second exercise must not inherit from the worked example (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def broken_after_first_read(monkeypatch: Any, path: Path) -> list[Path]:
    """Replace ``path`` by broken YAML right after selfeval's first read of it.

    Returns the list of reads of ``path`` (through ``yamlio.read_file``), filled
    as the command runs: a command that reads the file twice sees the broken text.
    """
    from selfeval.files import yamlio

    real = yamlio.read_file
    reads: list[Path] = []

    def reading(name: Path | str, **kwargs: Any) -> bytes:
        data = real(name, **kwargs)
        if Path(name) == path:
            reads.append(Path(name))
            path.write_text("merges: [\n", "utf-8")
        return data

    monkeypatch.setattr(yamlio, "read_file", reading)
    return reads
