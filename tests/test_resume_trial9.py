"""Trial 9 (3 December): interactive fill and peer review lose typed text or reopen
the wrong place after Ctrl-C / Ctrl-D.

The real prompts (TerminalPrompter), keys through prompt_toolkit's pipe input, one
prompt's keys sent just before it is drawn (test_peer_review_trial6.py's harness).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_peer_review import CATEGORY, fresh_example
from test_peer_review_trial6 import CTRL_C, DISAGREE, ENTER, reviewed

from selfeval.files import yamlio


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return fresh_example(tmp_path / "example")


@pytest.fixture
def keys() -> Iterator[Any]:
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        yield pipe


def review_file(ws: Path) -> dict[str, Any]:
    (path,) = (ws / "responses" / CATEGORY / "DEF").glob("peer-review*.yaml")
    return yamlio.load(path)


def test_a_half_typed_correction_is_offered_at_its_place_on_resume(
    ws: Path, keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial 9: "… is bewaard als concept-antwoord; u krijgt het de volgende keer terug",
    # then the next run went straight on to the next finding, the text never offered.
    typed = "Voeg toe: en de GGD"
    reviewed(ws, keys, [DISAGREE, "Klopt niet" + ENTER + ENTER, typed + CTRL_C], monkeypatch)
    assert review_file(ws)["unconfirmed"] == {"reactions.role.BZ.correction": typed}
    # Again: the first prompt is that correction, the text in it; Enter on the empty
    # line after it confirms it; Ctrl-C at the next finding's verdict.
    console, screen = reviewed(ws, keys, [ENTER + ENTER], monkeypatch)
    text = console.export_text()
    first = next(frame for frame in screen.frames if any(typed in line for line in frame))
    assert any("Voorgestelde correctie" in line for line in first), "\n".join(first)
    assert text.index("[1/3] Rol: BZ") < text.index("[2/3] Rol: BZK"), text
    saved = review_file(ws)
    assert "unconfirmed" not in saved
    (reaction,) = [r for r in saved["reactions"] if r["finding"] == "role.BZ"]
    assert reaction["verdict"] == "disagree" and reaction["comment"] == "Klopt niet"
    assert reaction["correction"] == typed


def _fill_prompter(pipe: Any) -> Any:
    import io

    from prompt_toolkit.output import DummyOutput
    from rich.console import Console

    from selfeval.cli.terminal import TerminalPrompter

    console = Console(file=io.StringIO(), width=100, color_system=None)
    return TerminalPrompter(console=console, input=pipe, output=DummyOutput(), lang="nl")


def test_ctrl_d_keeps_the_text_being_typed_as_ctrl_c_does(tmp_path: Path) -> None:
    # Trial 9: "Half getypt" then Ctrl-D at a long text: "Onderbroken. Elk gegeven
    # antwoord is bewaard", but the file had `answers: {}` and no `unconfirmed:`.
    from fillkit import mini_workspace, response_of
    from prompt_toolkit.input import create_pipe_input

    from selfeval.files.store import ResponseStore
    from selfeval.files.workspace import Workspace
    from selfeval.fill.session import FillSession

    ws = Workspace(mini_workspace(tmp_path / "ws"))
    with create_pipe_input() as pipe, ResponseStore(ws, "DEP1", "mini") as store:
        pipe.send_text("Financiën\rHalf getypt\x04")  # name, then the long text "Opmerking"
        session = FillSession(store, _fill_prompter(pipe), lang="nl")
        outcome = session.run()
    assert outcome.state == "interrupted"
    data = response_of(ws.root)
    assert data["answers"] == {"name": "Financiën"}
    assert data["unconfirmed"] == {"remark": "Half getypt"}
    assert session.walker.kept_typed == "Opmerking"  # the closing line names it


#: The mini questionnaire with a list inside each point, last in the entry (as the
#: self-evaluation's "Bronnen" inside "Knelpunten").
NESTED = """\
          - id: year
            type: integer
            label: {nl: Jaar, en: Year}
          - id: sources
            type: repeat
            label: {nl: Bronnen, en: Sources}
            entry_label: {nl: Bron, en: Source}
            items:
              - {id: document, type: text, required: true, label: {nl: Document, en: Document}}
"""


def test_continue_does_not_reopen_a_list_inside_an_entry_closed_with_done(
    tmp_path: Path,
) -> None:
    # Trial 9: Knelpunt 1 added, "Klaar met bronnen", Ctrl-C at "Knelpunten *: 1 ingevuld":
    # "Verder waar u gebleven was" opened "Knelpunt 1 › Bronnen: 0 ingevuld".
    from fillkit import MINI, mini_workspace
    from test_session import BASICS, Interrupt, Scripted, ask, choose

    from selfeval.files.store import ResponseStore
    from selfeval.files.workspace import Workspace
    from selfeval.fill.session import FillSession

    root = mini_workspace(tmp_path / "ws")
    year = (
        "          - id: year\n            type: integer\n            label: {nl: Jaar, en: Year}\n"
    )
    assert year in MINI
    (root / "questionnaires" / "mini-1.0.0.yaml").write_text(MINI.replace(year, NESTED), "utf-8")
    ws = Workspace(root)

    def run(prompter: Scripted) -> None:
        with ResponseStore(ws, "DEP1", "mini") as store:
            FillSession(store, prompter, lang="nl").run()
        assert not prompter.steps, f"script not used up: {prompter.steps}"

    first = [*BASICS, ask("partners", []), choose("add"), ask("points.0.title", "Traag")]
    # "Klaar met bronnen" (the inner list), then Ctrl-C at the points' menu.
    run(Scripted([*first, ask("points.0.year", None), choose("done"), ("choose", "", Interrupt())]))
    prompter = Scripted([choose("continue"), ("choose", "", Interrupt())])
    run(prompter)
    assert prompter.menus[1][0].startswith("Punten"), prompter.menus  # not "Punt 1 › Bronnen"
    # Stopped in the inner list's entry with its question not answered: continue
    # goes back into that entry (its list was not closed).
    source = "points.0.sources.0.document"
    edit = [choose("edit"), choose("sources"), choose("add"), ask(source, Interrupt())]
    run(Scripted([choose("continue"), *edit]))
    run(Scripted([choose("continue"), ask(source, Interrupt())]))


def test_a_reaction_typed_and_left_is_named_by_its_finding_and_asked_from_the_menu(
    ws: Path,
) -> None:
    # Trial 9: the resume menu said "Nog niet bevestigd (…): reactions › role › VWS ›
    # correction", and "Verder waar u gebleven was" dropped the text without a word.
    # Here the text is left unconfirmed by going back from it and skipping the finding.
    from test_peer_review import FakePrompter, Interrupt

    from selfeval.files.workspace import Workspace
    from selfeval.fill.prompter import GoBack, TypedInterrupt
    from selfeval.peer_review.run import run_peer_review

    class Typing(FakePrompter):
        """Its script may also type text and press Ctrl-C (a TypedInterrupt)."""

        def _next(self, what: Any) -> Any:
            if self.script and isinstance(self.script[0], TypedInterrupt):
                raise self.script.pop(0)
            return super()._next(what)

    def review(script: list[Any]) -> Typing:
        prompter = Typing(script)
        run_peer_review(Workspace.open(ws), participant="DEF", prompter=lambda lang: prompter)
        return prompter

    typed = "Voeg toe: en de GGD"
    review(["disagree", "Klopt niet", TypedInterrupt(typed)])
    # Back from the text offered, "(geen antwoord)" at the verdict, the two other
    # findings skipped: the text is still kept, and the resume menu follows; there
    # "continue" shows the card and that text again.
    prompter = review([GoBack, None, None, None, "continue", typed, Interrupt])
    lines = [line for _, _, details in prompter.notices for line in details]
    said = "Nog niet bevestigd (getypt vóór de onderbreking): Rol: BZ › Voorgestelde correctie"
    assert any(line.startswith(said) for line in lines), lines
    assert not any("reactions ›" in line for line in lines), lines
    cards = [text for kind, text, _ in prompter.notices if text.startswith("[")]
    assert cards[0] == cards[-1] == "[1/3] Rol: BZ" and len(cards) == 4, cards  # again at its text
    saved = review_file(ws)
    assert "unconfirmed" not in saved
    (reaction,) = [r for r in saved["reactions"] if r["finding"] == "role.BZ"]
    assert (reaction["verdict"], reaction["correction"]) == ("disagree", typed)


def test_keys_typed_ahead_into_the_comment_menu_never_change_the_verdict(
    ws: Path, keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial 9: "Oneens", Enter on the empty comment opened "Toelichting schrijven / Een
    # ander oordeel kiezen / …"; the comment typed meanwhile and Enter twice picked an
    # entry there and the verdict became "Eens".
    ahead = "zie bijlage j en k" + ENTER + ENTER
    reviewed(ws, keys, [DISAGREE, ENTER, ahead], monkeypatch)
    (reaction,) = review_file(ws)["reactions"]
    assert reaction["verdict"] == "disagree", reaction


def test_choose_another_verdict_starts_on_the_one_given(
    ws: Path, keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Een ander oordeel kiezen", then an Enter typed ahead: it chose the first
    # verdict, "Eens"; on the verdict given it keeps "Oneens" (the comment asked again).
    down = "\x1b[B"
    reviewed(ws, keys, [DISAGREE, ENTER, down + ENTER + ENTER], monkeypatch)
    (reaction,) = review_file(ws)["reactions"]
    assert reaction["verdict"] == "disagree", reaction
