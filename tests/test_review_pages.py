"""How long the review of answers and reactions is at 80x24 (issue 16, leftover points 2 and 5).

The worked example's review for BZ ran to 37 pages: answers pasted with a line
break every ~100 characters wrapped as a long line and a short one, long answers
filled pages, and a section too long for the rest of a page started a new one.
The review as drawn through prompt_toolkit's pipe input into a pyte screen
(``test_prompt_screen.py``'s screen).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console
from test_fill_trial4 import printed
from test_prompt_screen import ENTER, RichOnScreen, Screen

from selfeval.cli.terminal import TerminalPrompter
from selfeval.files.store import open_for_session
from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import ReviewRow
from selfeval.fill.walker import Walker

DOWN = "\x1b[B"
SHORTENED = "… = ingekort; bij wijzigen ziet u de hele tekst"

#: An answer as the worked example has them: a line break every ~100 characters.
HARD_WRAPPED = (
    "BZ volgt de omschrijving en de fasering van de AIV en CAVV ('Falende staten; een wereldwijde\n"
    "verantwoordelijkheid', 2004, p. 29-30). Kenmerkend is het ontbreken van een centrale\n"
    "gezagsstructuur die de interne rechtsorde beschermt. Falende staten vormen geen uniforme groep:\n"
    "de onderlinge verschillen zijn groot, en dat heeft gevolgen voor de aanpak.\n"
    "\n"
    "Zo:\n"
    "- een bron van veiligheidsrisico's op nationale schaal;\n"
    "- op regionale en op mondiale schaal."
)


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def paged(pipe: Any) -> tuple[TerminalPrompter, Screen]:
    """A prompter on an 80x24 screen that pages a long review, as at a terminal."""
    screen = Screen()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm", enable_cpr=False)
    console = Console(
        file=RichOnScreen(screen), width=80, height=24, color_system=None, force_terminal=False
    )
    prompter = TerminalPrompter(console=console, input=pipe, output=output, lang="nl", page=True)
    return prompter, screen


def page_frames(screen: Screen) -> dict[int, list[str]]:
    """Each page as last drawn, from its title's rule on, by page number.

    (The console is no terminal here, so a page is printed under the one before.)
    """
    pages: dict[int, list[str]] = {}
    for frame in screen.frames:
        starts = [n for n, line in enumerate(frame) if re.match(r"Pagina \d+ van \d+", line)]
        if starts:
            number = int(frame[starts[-1]].split()[1])
            pages[number] = frame[starts[-1] - 1 :]
    return pages


def long_review() -> list[ReviewRow]:
    rows = [ReviewRow(0, "Visie op de incidentcategorie", "", "heading")]
    rows.append(ReviewRow(1, "Hoe omschrijft uw departement de incidentcategorie?",
                          HARD_WRAPPED, "answered"))  # fmt: skip
    rows += [ReviewRow(1, f"Vraag {n}", f"Antwoord {n}", "answered") for n in range(1, 30)]
    return rows


def test_a_hard_wrapped_answer_is_joined_and_shortened_on_a_paged_review(keys: Any) -> None:
    keys.send_text(DOWN + ENTER)  # page 1: "Klaar met lezen"
    p, screen = paged(keys)
    p.show_review("Uw antwoorden", long_review())
    page = page_frames(screen)[1]
    assert re.match(r"Pagina 1 van \d+ · " + SHORTENED, page[1]), page
    start = next(n for n, line in enumerate(page) if "Hoe omschrijft" in line) + 1
    shown = page[start : start + 4]
    # Three lines at the width of the screen (not one long and one short per line
    # typed), the last cut at a word with "…"; then the next question.
    assert shown[0] == (
        "      BZ volgt de omschrijving en de fasering van de AIV en CAVV ('Falende"
    ), shown
    assert shown[1].startswith("      staten; een wereldwijde verantwoordelijkheid', 2004")
    assert shown[2].endswith(" …") and len(shown[2]) <= 80
    assert shown[3] == "  Vraag 1: Antwoord 1"


def test_unpaged_the_answer_is_joined_but_whole_with_its_list_lines() -> None:
    lines = printed(lambda p: p.show_review("Uw antwoorden", long_review()[:2]))
    text = "\n".join(lines)
    assert "…" not in text and SHORTENED not in text
    assert "      staten; een wereldwijde verantwoordelijkheid', 2004, p. 29-30)." in text
    # A paragraph and the lines of a list stay as typed.
    at = lines.index("      Zo:")
    assert lines[at - 1].endswith("de aanpak.") and lines[at + 1].startswith("      - een bron")


def test_a_section_longer_than_a_page_starts_under_the_one_before() -> None:
    # Before: a section that breaks anyway started a new page, leaving the page before
    # a third full.
    from selfeval.cli.terminal import _pages

    def section(name: str, units: int) -> list[list[str]]:
        return [[name], *([f"{name}.{n}", f"{name}.{n}+"] for n in range(units))]

    pages = _pages([section("A", 2), section("B", 12)], 17)
    assert pages[0][:6] == ["A", "A.0", "A.0+", "A.1", "A.1+", "B"]
    assert len(pages[0]) == 16 and len(pages) == 2  # the next unit would make 18
    # A section that fits on a page of its own still starts one rather than break.
    pages = _pages([section("A", 2), section("B", 7)], 17)
    assert pages[1][0] == "B" and len(pages) == 2


def test_the_worked_example_review_for_bz_is_at_most_27_pages(example_ws: Path, keys: Any) -> None:
    # `selfeval fill --participant BZ --reopen`, "Alles nakijken en indienen", in an
    # 80x24 pty: 37 pages before, 27 after; here the same rows and page size.
    ws = Workspace.open(example_ws)
    path = ws.response_path("BZ", "self-evaluation", "falende-staten")
    before = path.read_bytes()
    keys.send_text(DOWN + ENTER)
    p, screen = paged(keys)
    with open_for_session(ws, "BZ", "self-evaluation", reopen=True) as store:
        p.show_review("Uw antwoorden", Walker(store, p, lang="nl").review_rows())
    first = page_frames(screen)[1]
    count = int(first[1].split()[3])
    assert count <= 27, first
    assert path.read_bytes() == before  # display only


def test_continued_never_repeats_the_reviews_title(keys: Any) -> None:
    # Issue 16: the reactions' review is titled "Uw reacties" and its one section was
    # too: page 1 said it twice, and a page it went on to said "Uw reacties (vervolg)"
    # under the title "Uw reacties".
    rows = [ReviewRow(0, "Uw reacties", "", "heading")]
    rows += [ReviewRow(1, f"Knelpunt: titel {n}", "", "blank") for n in range(1, 20)]
    keys.send_text(ENTER + ENTER)
    p, screen = paged(keys)
    p.show_review("Uw reacties", rows)
    pages = page_frames(screen)
    assert sorted(pages) == [1, 2]
    for page in pages.values():
        assert sum("Uw reacties" in line for line in page) == 1, page  # the title's rule
        assert page[2].startswith("  Knelpunt: titel"), page
    assert pages[2][2] == "  Knelpunt: titel 18: —"  # on from page 1, nothing above it


#: The role question asks for one point per line (sixth trial).
ROLES = "Systeemverantwoordelijk voor digitale overheid\nCoördinatie bij landelijke ICT-storingen"


def test_short_lines_stay_lines_unpaged() -> None:
    # Sixth trial: the two points of the role question were joined into one sentence
    # ("… digitale overheid Coördinatie bij …"); a line is joined to the one before
    # only when that one is long, as a hard-wrapped line is.
    rows = [
        ReviewRow(0, "Rol", "", "heading"),
        ReviewRow(1, "Welke rol heeft uw departement?", ROLES, "answered"),
    ]
    lines = printed(lambda p: p.show_review("Uw antwoorden", rows))
    at = lines.index("  Welke rol heeft uw departement?")
    assert lines[at + 1 : at + 3] == [
        "      Systeemverantwoordelijk voor digitale overheid",
        "      Coördinatie bij landelijke ICT-storingen",
    ], lines


def test_short_lines_stay_lines_on_a_paged_review(keys: Any) -> None:
    rows = long_review()
    rows.insert(1, ReviewRow(1, "Welke rol heeft uw departement?", ROLES, "answered"))
    keys.send_text(DOWN + ENTER)
    p, screen = paged(keys)
    p.show_review("Uw antwoorden", rows)
    page = page_frames(screen)[1]
    at = page.index("  Welke rol heeft uw departement?")
    assert page[at + 1 : at + 3] == [
        "      Systeemverantwoordelijk voor digitale overheid",
        "      Coördinatie bij landelijke ICT-storingen",
    ], page


def test_a_line_is_joined_only_after_a_long_one() -> None:
    from selfeval.cli.terminal import _reflowed

    long = "Een regel die een respondent heeft afgebroken omdat zijn editor dat deed,"
    assert _reflowed(f"{long}\nen hier gaat hij verder.") == f"{long} en hier gaat hij verder."
    assert _reflowed(f"{long}\n- een punt") == f"{long}\n- een punt"
    assert _reflowed(f"Kort punt\nNog een punt\n{long}\nverder") == (
        f"Kort punt\nNog een punt\n{long} verder"
    )
    # The line before counts as typed, not as joined: a paragraph's short last line
    # ends it.
    assert _reflowed(f"{long}\nkort einde.\nVolgend punt") == f"{long} kort einde.\nVolgend punt"


def test_no_colon_after_a_label_ending_in_a_question_mark_or_colon() -> None:
    # Sixth trial: "…de incidentcategorie?:", "Ziet uw departement knelpunten …?: Ja".
    rows = [
        ReviewRow(0, "Knelpunten", "", "heading"),
        ReviewRow(1, "Ziet uw departement knelpunten?", "Ja", "answered"),
        ReviewRow(1, "Hoe omschrijft uw departement de incidentcategorie?", ROLES, "answered"),
        ReviewRow(1, "Zo:", "Nee", "answered"),
        ReviewRow(1, "Wanneer?", "", "missing"),
        ReviewRow(1, "Titel", "Tekst", "answered"),
    ]
    lines = printed(lambda p: p.show_review("Uw antwoorden", rows))
    assert "  Ziet uw departement knelpunten? Ja" in lines, lines
    assert "  Hoe omschrijft uw departement de incidentcategorie?" in lines, lines
    assert "  Zo: Nee" in lines and "  Titel: Tekst" in lines, lines
    assert "  Wanneer? ontbreekt" in lines, lines
    assert not any("?:" in line or "::" in line for line in lines), lines


def test_the_which_answer_menu_puts_no_colon_after_a_question_mark(example_ws: Path) -> None:
    # "Eén antwoord wijzigen" lists "Label: answer" as the review does.
    ws = Workspace.open(example_ws)
    with open_for_session(ws, "BZ", "self-evaluation", reopen=True) as store:
        walker = Walker(store, TerminalPrompter(lang="nl"), lang="nl")
        labels = [label for n in range(7) for _, label in walker.groups.questions_of(n)]
    assert "Ziet uw departement knelpunten in het interdepartementale beleidsproces? Ja" in labels
    assert not any("?:" in label for label in labels), labels
