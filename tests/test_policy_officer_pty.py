"""The second new-user trial at 80x24, in a real pseudo-terminal read by pyte (tier 4).

Issue 16: a policy officer ran `selfeval fill --participant BZ --reopen` on
the worked example at 80x24; the opening panel was pushed off the screen by
what followed before it could be read. Each test waits for words on the
screen, never sleeps.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from ptykit import PtyScreen
from typer.testing import CliRunner

from selfeval.cli import app

pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENTER = "\r"
ROWS, COLUMNS = 24, 80


class Screen(PtyScreen):
    """A command in an 80x24 pseudo-terminal, and its screen as a person sees it."""

    def __init__(self, ws: Path, *args: str) -> None:
        super().__init__(ws, list(args), rows=ROWS, columns=COLUMNS)

    def wait_for_any(self, *texts: str, timeout: float = 20) -> str:
        """Read output until one of ``texts`` is on the screen; return it."""

        def shown() -> str | None:
            screen = "\n".join(self.lines())
            return next((text for text in texts if text in screen), None)

        return self.read_until(shown, lambda: f"none of {texts} on screen:", timeout)


def test_the_opening_panel_is_whole_on_an_80x24_screen_before_anything_follows(
    example_ws: Path,
) -> None:
    # The trial: BZ's submitted self-evaluation, reopened. What followed the panel (the
    # summary per section and the menu) pushed its top off the screen at once.
    term = Screen(example_ws, "fill", "--participant", "BZ", "--reopen")
    try:
        term.wait_for_any("Druk op Enter om te beginnen", "Wat wilt u doen?")
        lines = term.lines()
        top = next((n for n, line in enumerate(lines) if line.startswith("╭─ Zelfevaluatie")), None)
        bottom = next((n for n, line in enumerate(lines) if line.startswith("╰")), None)
        assert top is not None and bottom is not None, "\n".join(lines)
        panel = " ".join(" ".join(lines[top : bottom + 1]).split())
        for words in ("namens BZ", "reken op ongeveer", "Stoppen: Ctrl-C"):
            assert words in panel, "\n".join(lines)
        assert "Druk op Enter om te beginnen" in "\n".join(lines[bottom + 1 :])
        term.child.send(ENTER)
        term.wait_for_any("Wat wilt u doen?")  # only then what follows
    finally:
        term.close()


def test_the_notice_that_a_submitted_answer_is_reopened_is_on_the_review_page_that_follows(
    example_ws: Path,
) -> None:
    # The trial: "! Het antwoord van BZ is heropend: …" was printed, then the review
    # cleared the screen for its first page: it was never seen.
    term = Screen(example_ws, "fill", "--participant", "BZ", "--reopen")
    try:
        term.wait_for_any("Druk op Enter om te beginnen")
        term.child.send(ENTER)
        term.wait_for_any("Wat wilt u doen?")
        term.child.send(ENTER)  # "Verder waar u gebleven was": the one question not answered
        term.wait_for_any("Hoe beoordeelt uw departement")
        term.child.send(ENTER)  # an answer: that reopens it; then the review
        term.wait_for_any("U leest pagina 1 van")
        shown = " ".join(" ".join(term.lines()).split())
        assert "! Het antwoord van BZ is heropend: het telt als niet ingediend" in shown, shown
    finally:
        term.close()


def test_the_empty_form_the_fill_doc_gives_to_try_starts_at_the_first_question(
    tmp_path: Path,
) -> None:
    # The third trial: docs/fill.md offered `selfeval init --example proef` as a fresh copy,
    # but there every self-evaluation is submitted: the only way in was --reopen over
    # someone else's answers. Run exactly the commands the page gives (since the one-page
    # rewrite, "Trying it" is in docs/fill-reference.md).
    page = (Path(__file__).resolve().parents[1] / "docs" / "fill-reference.md").read_text("utf-8")
    part = page[page.index("**Trying an empty form.**") :]
    commands = re.search(r"```sh\n(.*?)```", part, re.DOTALL)
    assert commands, "docs/fill-reference.md gives no commands to try an empty form"
    init, cd, fill = commands.group(1).strip().splitlines()
    assert init.startswith("selfeval init ") and cd.startswith("cd ")
    folder = init.split()[-1]
    assert cd == f"cd {folder}"
    result = CliRunner().invoke(app, [*init.split()[1:-1], str(tmp_path / folder)])
    assert result.exit_code == 0, result.output
    term = Screen(tmp_path / folder, *fill.split()[1:])
    try:
        term.wait_for_any("Druk op Enter om te beginnen", "Wat wilt u doen?")
        shown = " ".join(" ".join(term.lines()).split())
        assert "Druk op Enter om te beginnen" in shown, shown  # not the menu of a response
        assert "ingediend" not in shown and "--reopen" not in shown, shown
        term.child.send(ENTER)
        term.wait_for_any("Onderdeel 1 van")
        shown = " ".join(" ".join(term.lines()).split())
        assert "0 van 19 vragen beantwoord" in shown, shown  # nothing of anyone's answered yet
    finally:
        term.close()
