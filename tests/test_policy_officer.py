"""What a policy officer sees in `fill` and `peer-review`: the second new-user trial (tier 1).

Issue 16, second trial (BZ self-evaluation and FIN peer review round 2 at
80x24): menu labels cut inside words, internal ids and file paths on
respondent screens, run-on notices. The engine with a scripted prompter
(``test_session.Scripted``), recording what each menu shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from fillkit import mini_workspace
from test_session import Scripted, ask, choose, run

from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import Option

LONG_ANSWER = (
    "Onvoldoende afstemming tussen de departementen over de inzet van middelen in fragiele staten"
)


class Showing(Scripted):
    """A scripted prompter that also keeps the labels each menu shows."""

    def __init__(self, steps: Sequence[tuple[str, str, object]]) -> None:
        super().__init__(steps)
        self.labels: list[tuple[str, list[str]]] = []

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        self.labels.append((message, [o.label for o in options]))
        return super().choose(message, options, default=default)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def _words_whole(label: str, answer: str) -> None:
    """Every word of ``label`` after its first colon is a whole word of ``answer``."""
    shown = label.split(": ", 1)[1].rstrip("…")
    assert shown, label
    for word in shown.split():
        assert word in answer.split(), f"{word!r} is cut: {label!r}"


def test_which_answer_menu_cuts_a_long_answer_between_words(ws: Workspace) -> None:
    prompter = Showing(
        [
            ask("name", LONG_ANSWER),
            ask("remark", "kort"),
            ask("count", 7),
            ask("agree", True),
            ask("level", "mid"),
            ask("partners", []),
            choose("add"),
            ask("points.0.title", LONG_ANSWER),
            ask("points.0.year", 2006),
            choose("done"),
            ask("signed_on", "2006-05-16"),
            choose("change"),
            choose("1"),
            choose("points/0/year"),
            ask("points.0.year", 2007),
            choose("quit"),
        ]
    )
    run(ws, prompter, lang="nl")
    which = next(labels for message, labels in prompter.labels if message == "Welk antwoord?")
    title = next(label for label in which if "Titel" in label)
    assert title.endswith("…") and len(title) <= len("Punt 1 › Titel: ") + 50
    _words_whole(title.split(" › ", 1)[1], LONG_ANSWER)


# -- peer review ----------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    from test_peer_review import fresh_example

    return fresh_example(tmp_path / "example")


def test_a_finding_card_says_where_in_the_draft_it_is_not_its_internal_id(example: Path) -> None:
    from test_peer_review import Interrupt, review

    _, prompter = review(example, "FIN", ["agree", Interrupt], lang="nl")
    cards = [(t, d) for k, t, d in prompter.notices if k == "info" and t.startswith("[")]
    assert [t for t, _ in cards] == [
        "[1/2] Rol: Financiën",
        "[2/2] Behoefte/ambitie: Afstemming met de Wereldbank",
    ]
    assert "In het concept-rapport: 3.1 Rollen en verantwoordelijkheden" in cards[0][1]
    assert "In het concept-rapport: 4.3.2 Interdepartementale behoeften/ambities" in cards[1][1]
    shown = str(cards)
    assert "role.FIN" not in shown and "BZ.needs.wereldbank" not in shown
