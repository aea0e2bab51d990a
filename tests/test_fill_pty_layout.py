"""Every word of every prompt is on screen at 40 and 80 columns (a real pty, read by pyte).

prompt_toolkit neither wraps a question nor a choice: a long one was split in
the middle of words, and a long choice label was cut at the screen edge. The
screen is rebuilt from what the program wrote (pyte), and each test waits
until the words it expects are on it, or fails showing the screen; it never
sleeps. Test tier 4.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
from fillkit import mini_workspace, response_of
from ptykit import PtyScreen

pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENTER = "\r"
ESC_ENTER = "\x1b\r"
CTRL_C = "\x03"
ROWS = 40

Q_TEXT = "Welke naam gebruikt uw departement in de stukken voor de ministerraad en het parlement?"
Q_LONG = (
    "Beschrijf in een paar zinnen hoe uw departement de incidentcategorie afbakent en omschrijft"
)
Q_INT = (
    "Hoeveel medewerkers van uw departement houden zich vooral met deze incidentcategorie bezig?"
)
Q_NUMBER = "Hoeveel miljoen euro besteedt uw departement per jaar ongeveer aan dit beleidsterrein?"
Q_DATE = (
    "Op welke datum is het belangrijkste beleidsdocument over deze incidentcategorie vastgesteld?"
)
Q_YESNO = (
    "Heeft uw departement een eigen contactpersoon voor de andere departementen op dit terrein?"
)
Q_SINGLE = "Welke van de volgende beschrijvingen past het best bij de rol van uw departement?"
SINGLE = [
    "Coördinerend: het departement stemt het beleid van de andere departementen op elkaar af",
    "Uitvoerend: het departement voert beleid uit dat elders is ontwikkeld, vooral in de regio",
]
Q_MULTI = (
    "Op welke fasen richt uw beleid zich?\nKies alle fasen, ook als het maar om een klein deel gaat"
)
MULTI = [
    "Groeiende tegenstellingen tussen bevolkingsgroepen en een verzwakkende overheid",
    "Verval van de\nstaat en zijn instellingen, met een regering die haar taken niet meer aankan",
]
Q_SCALE = (
    "Hoe beoordeelt uw departement de samenwerking met de andere departementen op dit terrein?"
)
SCALE = "Uitstekend: de departementen stemmen af voordat zij beleid maken en delen hun analyses"
Q_ONE = "Met welk ander departement werkt uw departement op dit terrein het meest samen?"
Q_MANY = (
    "Aan welke andere departementen levert uw departement inbreng voor hun beleid op dit terrein?"
)
Q_REPEAT = "Knelpunten in het interdepartementale beleidsproces die uw departement ziet"


def _item(line: str) -> str:
    return "      - " + line + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\n", "\\n") + '"'


LONG = (
    "id: long\nversion: '1.0.0'\nkind: self-evaluation\ntitle: Lang\nsections:\n"
    "  - id: all\n    title: Alles\n    items:\n"
    + _item(f"{{id: text, type: text, label: {_quoted(Q_TEXT)}}}")
    + _item(f"{{id: long, type: long-text, label: {_quoted(Q_LONG)}}}")
    + _item(f"{{id: staff, type: integer, label: {_quoted(Q_INT)}}}")
    + _item(f"{{id: budget, type: number, label: {_quoted(Q_NUMBER)}}}")
    + _item(f"{{id: day, type: date, label: {_quoted(Q_DATE)}}}")
    + _item(f"{{id: contact, type: yes-no, label: {_quoted(Q_YESNO)}}}")
    + _item(
        f"{{id: role, type: single-choice, label: {_quoted(Q_SINGLE)}, choices: "
        f"[{{value: a, label: {_quoted(SINGLE[0])}}}, {{value: b, label: {_quoted(SINGLE[1])}}}]}}"
    )
    + _item(
        f"{{id: phases, type: multiple-choice, required: true, label: {_quoted(Q_MULTI)}, "
        f"choices: [{{value: a, label: {_quoted(MULTI[0])}}}, "
        f"{{value: b, label: {_quoted(MULTI[1])}}}]}}"
    )
    + _item(
        f"{{id: rating, type: scale, min: 1, max: 2, label: {_quoted(Q_SCALE)}, "
        f"labels: {{1: {_quoted(SCALE)}}}}}"
    )
    + _item(f"{{id: partner, type: participant, label: {_quoted(Q_ONE)}}}")
    + _item(f"{{id: gives, type: participants, exclude_self: true, label: {_quoted(Q_MANY)}}}")
    + _item(
        f"{{id: points, type: repeat, label: {_quoted(Q_REPEAT)}, "
        f"items: [{{id: title, type: text, label: Titel}}]}}"
    )
)


class Terminal(PtyScreen):
    """``selfeval fill`` in a pseudo-terminal, and the screen as a person sees it."""

    def __init__(self, ws: Path, width: int) -> None:
        super().__init__(ws, ["fill", "-p", "DEP1", "-q", "long"], rows=ROWS, columns=width)

    def text(self) -> str:
        """What is on the screen, its lines joined by spaces (words split by a wrap break)."""
        return " ".join(" ".join(self.screen.display).split())

    def wait_for(self, *texts: str, timeout: float = 20) -> None:
        """Read output until each of ``texts`` (its words, in order) is on the screen."""
        wanted = [" ".join(t.split()) for t in texts]

        def missing() -> list[str]:
            return [w for w in wanted if w not in self.text()]

        self.read_until(
            lambda: None if missing() else "", lambda: f"not on screen: {missing()}", timeout
        )

    def answer(self, *texts: str, keys: str) -> None:
        """Wait until every word of ``texts`` is on the screen, then type ``keys``."""
        self.wait_for(*texts)
        self.child.send(keys)


# 80 columns is the respondent's terminal (issue 16); 40 proves the wrap rule holds
# on a narrow one too and runs in the slow tier (the README command's time).
@pytest.mark.parametrize("width", [pytest.param(40, marks=pytest.mark.slow), 80])
def test_every_word_of_every_prompt_and_choice_is_on_screen(tmp_path: Path, width: int) -> None:
    ws = mini_workspace(tmp_path / "ws")
    (ws / "questionnaires" / "long-1.0.0.yaml").write_text(LONG, "utf-8")
    term = Terminal(ws, width)
    term.answer("Druk op Enter om te beginnen", keys=ENTER)  # under the opening panel
    term.answer(Q_TEXT, keys="Financiën" + ENTER)
    term.wait_for(Q_LONG)
    term.answer("? ›", keys="Afgebakend." + ESC_ENTER)
    term.answer(Q_INT, keys="12" + ENTER)
    term.answer(Q_NUMBER, keys="2,5" + ENTER)
    term.answer(Q_DATE, keys="2006-05-16" + ENTER)
    term.answer(Q_YESNO, "Ja", "Nee", keys=ENTER)
    term.answer(Q_SINGLE, *SINGLE, keys=ENTER)
    # required: Enter with nothing ticked is refused in place, then Space ticks the first
    term.answer(Q_MULTI + " *", *MULTI, keys=ENTER)
    term.answer("Kies er minstens één", keys=" " + ENTER)
    term.answer(Q_SCALE, "1 " + SCALE, keys=ENTER)
    term.answer(Q_ONE, "DEP1 — Departement 1", "DEP2 — Departement 2", keys=ENTER)
    term.answer(Q_MANY, "DEP2 — Departement 2", keys=ENTER)  # optional: none ticked
    term.answer(Q_REPEAT + ": 0 ingevuld", keys=CTRL_C)
    term.wait_for("Onderbroken.")
    term.child.expect(pexpect.EOF)
    answers = response_of(ws, qid="long")["answers"]
    assert answers == {
        "text": "Financiën",
        "long": "Afgebakend.",
        "staff": 12,
        "budget": 2.5,
        "day": "2006-05-16",
        "contact": True,
        "role": "a",
        "phases": ["a"],
        "rating": 1,
        "partner": "DEP1",
        "gives": [],
        "points": [],  # the group's menu was open when Ctrl-C came
    }
