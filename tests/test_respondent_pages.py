"""docs/fill.md and docs/peer-review.md are the one page a policy officer is handed (issue 16).

Each stays one printed page, and every Dutch screen word it quotes is a word the
tool shows: a text of the Dutch message catalogue or of a questionnaire. A page
that quotes a menu entry the screens no longer have fails here, not at the
respondent's desk. The links between the docs resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from selfeval.files.yamlio import load

REPO = Path(__file__).resolve().parents[1]
PAGES = ("docs/fill.md", "docs/peer-review.md")
#: One printed A4 page of Markdown, with a little room.
MAX_LINES = 70


def _strings(node: object) -> Iterator[str]:
    """Every string in a loaded YAML document, keys left out."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def screen_texts() -> list[str]:
    """The literal texts of the screens: the Dutch catalogue's messages cut at their
    ``{placeholders}``, and every text of the questionnaires and the exercise file."""
    with (REPO / "selfeval" / "locale" / "nl" / "LC_MESSAGES" / "selfeval.po").open("rb") as f:
        catalogue = read_po(f)
    texts: list[str] = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for string in strings:
            texts += re.split(r"\{[^{}]*\}", string)
    for path in [*sorted((REPO / "questionnaires").glob("*.yaml")), REPO / "selfeval.yaml"]:
        texts += _strings(load(path))
    return [_one_line(text) for text in texts if text.strip()]


def quoted_phrases(page: str) -> list[str]:
    """What a page quotes from the screen: "…" in prose and `…` that is not a command."""
    prose = re.sub(r"```.*?```", "", page, flags=re.DOTALL)
    phrases = re.findall(r'"([^"]+)"', prose)
    phrases += [
        code
        for code in re.findall(r"`([^`]+)`", prose)
        if not code.startswith(("selfeval ", "cd ", "--"))
    ]
    return [_one_line(phrase) for phrase in phrases]


def unknown_parts(phrase: str, texts: list[str]) -> list[str]:
    """The parts of a quoted phrase that are on no screen.

    "…" in a quote stands for what the screen fills in (a title, a name), and so
    does a number; every part between them must be in one screen text.
    """
    parts = [part.strip(" ·") for part in re.split(r"…|\d+", phrase)]
    return [
        part
        for part in parts
        if re.search(r"[^\W\d_]", part) and not any(part in text for text in texts)
    ]


@pytest.mark.parametrize("name", PAGES)
def test_the_respondents_page_fits_one_printed_page(name: str) -> None:
    lines = (REPO / name).read_text("utf-8").splitlines()
    assert len(lines) <= MAX_LINES, f"{name}: {len(lines)} lines; move details to the reference"


@pytest.mark.parametrize("name", PAGES)
def test_every_screen_word_the_page_quotes_is_on_a_screen(name: str) -> None:
    texts = screen_texts()
    phrases = quoted_phrases((REPO / name).read_text("utf-8"))
    assert len(phrases) >= 10, phrases  # the page does quote the screens
    wrong = {phrase: parts for phrase in phrases if (parts := unknown_parts(phrase, texts))}
    assert wrong == {}, f"{name} quotes words no screen shows (selfeval/locale/nl, questionnaires)"


def test_a_phrase_no_screen_shows_is_found() -> None:
    texts = screen_texts()
    assert unknown_parts("Verder waar u gebleven was", texts) == []
    assert unknown_parts("Onderdeel 2 van 8 · 3 van 19 vragen beantwoord", texts) == []
    assert unknown_parts("Een deel opnieuw doorlopen", texts) == ["Een deel opnieuw doorlopen"]
    assert unknown_parts("Klaar met … of Stoppen", texts) == ["of Stoppen"]


def test_every_link_between_the_docs_resolves() -> None:
    broken = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target:
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)} → {target}")
    assert broken == []
