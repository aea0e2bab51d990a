"""What a policy officer sees in `fill` and `peer-review`: the second new-user trial (tier 1).

Issue 16, second trial (BZ self-evaluation and FIN peer review round 2 at
80x24): menu labels cut inside words, internal ids and file paths on
respondent screens, run-on notices. The engine with a scripted prompter
(``test_session.Scripted``), recording what each menu shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

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


def test_which_answer_menu_cuts_a_long_answer_between_words(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
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
    # Cut only where a line of 80 columns ends, less the menu's pointer (issue 16).
    assert title.endswith("…") and 60 < len(title) <= 80 - 6
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


def test_a_peer_review_submitted_again_says_so_without_file_names_and_the_question_is_true(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import test_peer_review
    from test_peer_review import ROUND_1_REST, review

    from selfeval.cli._common import report_session

    questions: list[str] = []

    class Asking(test_peer_review.FakePrompter):
        def confirm(self, message: str, *, default: bool = False) -> bool:
            questions.append(message)
            return super().confirm(message, default=default)

    monkeypatch.setattr(test_peer_review, "FakePrompter", Asking)
    monkeypatch.chdir(example)
    review(example, "DEF", ["agree", "agree", "agree", *ROUND_1_REST], lang="nl")
    # The submit question says what is true: the same command offers to reopen it.
    assert "coördinator" not in questions[-1]
    assert "hetzelfde commando opnieuw" in questions[-1] and "heropenen" in questions[-1]
    # Reopened with consent, one reaction changed, submitted again.
    script = [True, True, "disagree", "Toch niet.", None, "agree", "agree", "review", "submit"]
    result, _ = review(example, "DEF", [*script, True], lang="nl")
    assert result.state == "submitted" and result.reopened is not None
    report_session(result, "selfeval peer-review --participant DEF", paths=False)
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Collegiale toets 1 ingediend (3/3 bevindingen van een reactie voorzien). Uw reacties "
        "zijn bewaard; uw coördinator verzamelt ze.",
        "Opnieuw ingediend; de eerder ingediende versie blijft ook bewaard.",
    ]
    assert "Heropend" not in out and "responses/" not in out and ".yaml" not in out


def test_a_self_evaluation_saved_as_draft_names_no_file(
    ws: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.cli._common import report_session

    monkeypatch.chdir(ws.root)
    steps = [ask("name", "BZ"), ask("remark", None), ask("count", None), ask("agree", True)]
    outcome = run(ws, Showing([*steps, ask("level", "mid"), ask("partners", []), choose("done"),
                               ask("signed_on", "2006-05-16"), choose("quit")]), lang="nl")  # fmt: skip
    report_session(outcome, "selfeval fill --participant DEP1", paths=False)
    out = capsys.readouterr().out
    # Six: the optional checklist answered with "none" and the repeat group closed with
    # no entries are answered too (model.answers.item_answered).
    assert (
        out.splitlines()[0] == "Opgeslagen als concept (6 van 8 vragen beantwoord, verplicht 4/4)."
    )
    assert "responses/" not in out and ".yaml" not in out


def test_an_optional_group_closed_with_no_entries_counts_as_answered_in_the_resume_summary(
    ws: Workspace,
) -> None:
    # Issue 16, third trial: "Klaar" with no entries showed "2. Behoeften en ambities: 0/1".
    steps = [ask("name", "BZ"), ask("remark", None), ask("count", None), ask("agree", True),
             ask("level", "mid"), ask("partners", []), choose("done"), ask("signed_on", None),
             choose("quit")]  # fmt: skip
    run(ws, Showing(steps), lang="nl")
    prompter = Showing([choose("quit")])
    run(ws, prompter, lang="nl")
    resume = next(n for n in prompter.notices if n.text.startswith("Concept van"))
    assert "5 van 8 vragen beantwoord, verplicht 3/4" in resume.text, resume.text
    assert resume.details[:2] == ("1. Basis: 3/5", "2. Bevindingen: 2/3"), resume.details


# -- a long text answered before (prompt_toolkit pipe input) --------------------------------


@pytest.fixture
def keys() -> Iterator[Any]:
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        yield pipe


def test_a_long_text_answered_before_takes_enter_as_a_new_line_like_a_new_one(keys: Any) -> None:
    from test_prompts import ENTER, context, item, prompter

    # The trial: going back to a long text answered before (stored as a YAML block, so
    # ending in a line break), a single Enter confirmed it.
    the_item = item(type="long-text")
    before = "Eerste regel\ntweede regel\n"
    keys.send_text(ENTER + "derde regel" + ENTER + ENTER)
    p, out = prompter(keys)
    answer = p.ask(the_item, before, context(the_item))
    assert answer == "Eerste regel\ntweede regel\nderde regel"
    assert "Enter op een lege regel rondt af" in out.getvalue()  # the finish key, on screen


def test_a_long_text_answered_before_and_confirmed_unchanged_stays_as_it_was(keys: Any) -> None:
    from test_prompts import ENTER, context, item, prompter

    the_item = item(type="long-text")
    before = "Eerste regel\ntweede regel\n"
    keys.send_text(ENTER + ENTER)  # a new line, then Enter on it: finished, nothing changed
    p, _ = prompter(keys)
    assert p.ask(the_item, before, context(the_item)) == before  # byte for byte: no reopen


def test_changing_a_reaction_from_the_review_returns_to_it_saying_it_was_saved(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import test_peer_review
    from test_peer_review import ROUND_1_REST, review

    reviews: list[list[Any]] = []

    class Reviewing(test_peer_review.FakePrompter):
        def show_review(self, title: str, rows: Any) -> None:
            reviews.append(list(rows))
            super().show_review(title, rows)

    monkeypatch.setattr(test_peer_review, "FakePrompter", Reviewing)
    script = ["agree", "agree", "agree", *ROUND_1_REST[:-2]]
    script += ["reaction", "role.BZK", "disagree", "Niet juist.", None, "quit"]
    result, _ = review(example, "DEF", script, lang="nl")
    assert result.state == "draft"
    noted = [(row.label, row.note) for row in reviews[-1] if row.note]
    # As after changing one answer: the review opens at that row's page and says it is saved.
    assert noted == [("Rol: BZK", "Opgeslagen: Rol: BZK")]


def test_the_which_finding_menu_shows_titles_whole_or_apart_at_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The third trial: "Behoefte/ambitie: Investeren in een meer…" and the like, cut at
    # 50 characters on an 80-column screen, could not be told apart.
    from types import SimpleNamespace

    from selfeval.fill.prompter import BACK
    from selfeval.peer_review.asking import ReactionReview
    from selfeval.report.findings import DraftFinding

    monkeypatch.setenv("COLUMNS", "80")
    titles = [
        ("need", "Investeren in conflictpreventie"),
        ("need", "Investeren in security sector reform"),
        ("need", "Investeren in een meer geïntegreerde benadering van de wederopbouw in Afghanistan"),
        ("need", "Investeren in een meer geïntegreerde benadering van de wederopbouw in Soedan"),
        ("opportunity", "Verder versterken van de relaties met EZ/bedrijfsleven en Financiën/"
         "Wereldbank voor economische wederopbouw"),
    ]  # fmt: skip
    selection = [
        DraftFinding(id=f"BZ.x.{n}", kind=kind, title=title, text="", hash="sha256:0")
        for n, (kind, title) in enumerate(titles)
    ]
    shown: list[list[str]] = []

    def choose(message: str, options: Any, *, default: str | None = None) -> str:
        shown.append([o.label for o in options])
        return BACK

    session = SimpleNamespace(
        lang="nl",
        store=SimpleNamespace(response=SimpleNamespace(reactions=[])),
        prompter=SimpleNamespace(choose=choose),
    )
    ReactionReview(session, selection, names={}, round_=1).run("reaction")  # type: ignore[arg-type]
    labels = [label.rsplit(": ", 1)[0] for label in shown[0][:-1]]  # less ": geen reactie"
    assert labels[:2] == [
        "Behoefte/ambitie: Investeren in conflictpreventie",
        "Behoefte/ambitie: Investeren in security sector reform",
    ]  # whole: each fits on the line beside its verdict
    # Cut at the same words they would look alike: both kept whole.
    assert labels[2].endswith("in Afghanistan") and labels[3].endswith("in Soedan")
    # A long one alone is cut between words where the line leaves room for the verdict.
    assert labels[4].endswith("…") and len(labels[4]) <= 80 - 6 - 14
    assert labels[4].removesuffix("…").split()[-1] in titles[4][1].split()


# -- checklists of departments ---------------------------------------------------------------

CONCERNED = """\
id: concerned
version: '1.0.0'
kind: self-evaluation
title: Betrokken
sections:
  - id: all
    title: Alles
    items:
      - {id: partners, type: participants, label: Met welke departementen werkt u samen?}
      - id: bottlenecks
        type: repeat
        finding: bottleneck
        label: Knelpunten
        entry_label: Knelpunt
        items:
          - {id: title, type: text, label: Titel}
          - {id: departments, type: participants, label: Welke departementen betreft dit?}
"""


def test_the_departments_a_finding_concerns_do_not_offer_the_respondents_own(
    tmp_path: Path,
) -> None:
    from selfeval.files.store import ResponseStore
    from selfeval.fill.session import FillSession

    root = mini_workspace(tmp_path / "ws")
    (root / "questionnaires" / "concerned-1.0.0.yaml").write_text(CONCERNED, "utf-8")
    prompter = Showing(
        [
            ask("partners", []),
            choose("add"),
            ask("bottlenecks.0.title", "Te weinig capaciteit"),
            ask("bottlenecks.0.departments", ["DEP2"]),
            choose("done"),
            choose("quit"),
        ]
    )
    with ResponseStore(Workspace(root), "DEP1", "concerned") as store:
        FillSession(store, prompter, lang="nl").run()
    offered = {".".join(map(str, c.path)): [code for code, _ in c.participants]
               for c in prompter.contexts}  # fmt: skip
    # A finding DEP1 raises concerns other departments: DEP1 is not offered there...
    assert offered["bottlenecks.0.departments"] == ["DEP2"]
    # ... while a plain checklist without exclude_self still offers everyone.
    assert offered["partners"] == ["DEP1", "DEP2"]


def test_a_reopened_peer_review_can_change_a_reaction_from_the_review_before_any_change(
    example: Path,
) -> None:
    from test_peer_review import ROUND_1_REST, review

    review(example, "DEF", ["agree", "agree", "agree", *ROUND_1_REST], lang="nl")
    # Reopened with consent; nothing changed yet, so the review offers to leave it
    # submitted. Changing a reaction was missing from that menu (the trial: FIN).
    script = [True, False, "review", "reaction", "role.BZK", "disagree", "Niet juist.", None]
    result, prompter = review(example, "DEF", [*script, "quit"], lang="nl")
    first = next(values for message, values, _ in prompter.menus if "keep" in values)
    assert "reaction" in first
    assert result.state == "draft" and result.reopened is not None
    verdicts = {r["finding"]: r["verdict"] for r in response_of_def(example)["reactions"]}
    assert verdicts["role.BZK"] == "disagree"


def response_of_def(root: Path) -> dict[str, Any]:
    from test_peer_review import response_of

    return response_of(root, "DEF", "peer-review-1")


def test_the_long_text_hint_lists_the_finish_key_and_ctrl_e_when_there_is_an_editor(
    keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (Already so before issue 16's second trial; the trial's machine had no nano and no
    # $EDITOR, only vi, which is never opened unasked: there the key is not listed.)
    from test_prompts import ENTER, context, item, prompter

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "nano")
    the_item = item(type="long-text")
    keys.send_text("tekst" + ENTER + ENTER)
    p, out = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "tekst"
    hint = " ".join(out.getvalue().split())
    assert "Enter op een lege regel rondt af" in hint and "Ctrl-E: schrijven in nano" in hint


def test_a_section_heading_never_stands_alone_on_a_page_of_the_review() -> None:
    from selfeval.cli.terminal import _pages

    # The trial: "Pagina 1 van 32" showed only "Visie op de incidentcategorie": its first
    # answer (a long definition) did not fit under the heading and went to page 2.
    heading, definition, short = ["Visie"], [f"regel {n}" for n in range(20)], ["Rol: ja"]
    pages = _pages([[heading, definition], [["Rol"], short]], 17)
    assert pages[0] == heading + definition[:16]
    assert pages[0] != heading
    # A section that fits after another stays whole where it is.
    assert _pages([[heading, short], [["Rol"], short]], 17) == [heading + short + ["Rol"] + short]


def test_the_menu_and_the_submit_question_name_an_answer_kept_but_not_counted(
    ws: Workspace,
) -> None:
    # Issue 16: after "Nee", the only hint was "(1 telt niet mee)" in the review's heading;
    # the menu said "Alles is ingevuld" and the submit question said nothing.
    from test_session import CONFIRM

    prompter = Showing(
        [
            ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", False),
            ask("why_not", "geen tijd"), ask("level", "low"), ask("partners", []),
            choose("done"), ask("signed_on", "2006-05-15"),
            choose("change"), choose("0"), choose("agree"), ask("agree", True),
            choose("submit"), CONFIRM,
        ]
    )  # fmt: skip
    run(ws, prompter, lang="nl")
    said = "Let op: 1 antwoord wordt bewaard maar telt niet mee: 'Waarom niet'."
    before_submit = [n.text for n in prompter.notices[:-1]]
    assert said in before_submit, before_submit
    assert prompter.confirms[-1].startswith(said + " Nu indienen?"), prompter.confirms[-1]


def test_ctrl_u_empties_a_long_text_answered_before_and_the_hint_says_so(keys: Any) -> None:
    # The third trial: nothing said how to clear an answer given before; the respondent
    # held Backspace about 3,000 times. Ctrl-U empties the whole answer, every line.
    from test_prompts import ENTER, context, item, prompter

    the_item = item(type="long-text")
    before = "Eerste regel\ntweede regel\nderde regel\n"
    keys.send_text("\x15" + "nieuw" + ENTER + ENTER)  # Ctrl-U, then a new answer
    p, out = prompter(keys)
    assert p.ask(the_item, before, context(the_item)) == "nieuw"
    assert "Ctrl-U: alles wissen" in " ".join(out.getvalue().split())  # the hint line


def test_ctrl_u_empties_a_one_line_answer_wherever_the_cursor_is(keys: Any) -> None:
    from test_prompts import ENTER, context, item, prompter

    the_item = item(type="text")
    keys.send_text("\x1b[D" * 5 + "\x15" + "ander" + ENTER)  # ← five times, Ctrl-U, type
    p, _ = prompter(keys)
    assert p.ask(the_item, "Ministerie van Defensie", context(the_item)) == "ander"


def test_a_response_reopened_in_one_run_and_submitted_in_the_next_says_submitted_again(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 16: reopened with --reopen (an answer changed, then stopped), submitted in a
    # later run without --reopen: it ended with "Ingediend (…)", not "Opnieuw ingediend".
    from test_session import CONFIRM

    from selfeval.cli._common import report_session
    from selfeval.files.store import ResponseStore
    from selfeval.fill.session import FillSession

    first = [
        ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", True),
        ask("level", "low"), ask("partners", []), choose("done"), ask("signed_on", "2006-05-15"),
        choose("submit"), CONFIRM,
    ]  # fmt: skip
    assert run(ws, Showing(first), lang="nl").state == "submitted"
    steps = [choose("review"), choose("change"), choose("0"), choose("name"), ask("name", "y")]
    reopening = Showing([*steps, choose("quit")])
    with ResponseStore(ws, "DEP1", "mini") as store:
        store.allow_reopen()
        assert FillSession(store, reopening, lang="nl").run().state == "draft"
    later = run(ws, Showing([choose("review"), choose("submit"), CONFIRM]), lang="nl")
    assert later.state == "submitted"
    capsys.readouterr()
    report_session(later, "selfeval fill --participant DEP1", paths=False)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Opnieuw ingediend; de eerder ingediende versie blijft ook bewaard."
    )


def test_a_section_revisited_after_its_unconfirmed_question_was_asked_shows_its_heading(
    ws: Workspace,
) -> None:
    # Issue 16, third trial: revisiting section 1 again in the same run showed the first
    # question without the section's title and "Onderdeel 1 van 8": the heading shown
    # before an unconfirmed question (here in a repeat entry) stood for every later walk
    # of that section, not just the next.
    from test_session import BASICS, Typed

    entry = [choose("add"), ask("points.0.title", "Capaciteit"), ask("points.0.year", None)]
    run(ws, Showing([*BASICS, ask("partners", []), *entry, choose("done"),
                     ask("signed_on", "2006-05-16"), choose("quit")]), lang="nl")  # fmt: skip
    stopped = run(ws, Showing([choose("revisit"), choose("1"), ask("partners", []), choose("edit"),
                               choose("title"), ask("points.0.title", Typed("Cap"))]),
                  lang="nl")  # fmt: skip
    assert stopped.state == "interrupted"
    prompter = Showing([choose("continue"), ask("points.0.title", "Capaciteit politie"),
                        choose("revisit"), choose("1"), ask("partners", []), choose("done"),
                        ask("signed_on", "2006-05-16"), choose("quit")])  # fmt: skip
    run(ws, prompter, lang="nl")
    # Once before the unconfirmed question, once for the revisit.
    assert [(s.index, s.count, s.title) for s in prompter.sections] == [(2, 2, "Bevindingen")] * 2


def test_the_opening_the_resume_summary_and_the_closing_line_count_the_same_questions(
    ws: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16, third trial: the opening said "53 vragen", the summary "19 beantwoord,
    # verplicht 8/8", and adding entries never moved the count: each counted something else.
    from selfeval.cli._common import report_session

    monkeypatch.chdir(ws.root)
    entry = [choose("add"), ask("points.0.title", "Capaciteit"), ask("points.0.year", None)]
    first = Showing([ask("name", "BZ"), ask("remark", None), ask("count", None),
                     ask("agree", True), ask("level", "mid"), ask("partners", []), *entry,
                     choose("done"), ask("signed_on", None), choose("quit")])  # fmt: skip
    outcome = run(ws, first, lang="nl")
    panel = next(n for n in first.notices if n.kind == "panel")
    assert any(line.startswith("2 onderdelen, 8 vragen:") for line in panel.details), panel
    report_session(outcome, "selfeval fill --participant DEP1", paths=False)
    closing = capsys.readouterr().out.splitlines()[0]
    assert closing == "Opgeslagen als concept (5 van 8 vragen beantwoord, verplicht 3/4).", closing
    again = Showing([choose("quit")])
    run(ws, again, lang="nl")
    resume = next(n for n in again.notices if n.text.startswith("Concept van"))
    assert resume.text.endswith(":\n5 van 8 vragen beantwoord, verplicht 3/4."), resume.text


def test_a_participant_is_labelled_code_and_name_alike_wherever_offered_or_shown() -> None:
    from selfeval.fill.prompter import participant_label

    # Issue 16, third trial: one list showed "DEF — Defensie" beside a bare "BZ", the
    # answer shown back "DEF (Defensie)".
    assert participant_label("FIN", "Financiën", "Ministerie van Financiën") == "FIN — Financiën"
    assert participant_label("BZ", "BZ", "Ministerie van Buitenlandse Zaken") == (
        "BZ — Ministerie van Buitenlandse Zaken"
    )
    assert participant_label("X", "X", "") == "X"


def test_a_participant_whose_name_is_its_code_is_offered_and_shown_with_its_full_name(
    ws: Workspace,
) -> None:
    exercise = ws.root / "selfeval.yaml"
    text = exercise.read_text("utf-8")
    exercise.write_text(text.replace("name: Departement 2", "name: DEP2"), "utf-8")
    prompter = Showing(
        [ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", True),
         ask("level", "mid"), ask("partners", ["DEP2"]), choose("done"),
         ask("signed_on", None), choose("change"), choose("1"), choose("partners"),
         ask("partners", ["DEP2"]), choose("quit")]
    )  # fmt: skip
    run(Workspace(ws.root), prompter, lang="nl")
    partners = next(c for c in prompter.contexts if c.path == ("partners",))
    assert partners.participants == (("DEP2", "DEP2 — Ministerie van Andere Zaken"),)
    which = next(labels for message, labels in prompter.labels if message == "Welk antwoord?")
    assert "Partners: DEP2 — Ministerie van Andere Zaken" in which, which


def test_the_resume_summary_fits_80_columns_with_its_counts_on_a_line_of_their_own(
    keys: Any,
) -> None:
    from test_prompts import prompter

    from selfeval.fill.prompter import Notice
    from selfeval.i18n import gettext

    # Issue 16, third trial: "… beantwoord, verplicht" ended the line and "8/8." stood
    # alone on the next one at 80 columns.
    text = gettext("nl", "fill.resume", updated="22 september 2026, 11:05",
                   counts="19 van 20 vragen beantwoord, verplicht 8/8")  # fmt: skip
    p, out = prompter(keys)
    p.show_notice(Notice("info", text, ["1. Basis: 5 van 5 beantwoord"]))
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "i Concept van 22 september 2026, 11:05:",
        "  19 van 20 vragen beantwoord, verplicht 8/8.",
    ], lines
