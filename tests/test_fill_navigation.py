"""Going back, repeat-group menus, changing one answer, and text kept on Ctrl-C (tier 1).

The engine with a scripted prompter (``test_session.Scripted``); issue 16,
"what was seen": no way back; a fixed tick meant walking a whole entry; a
new entry could not be cancelled; a required group was not marked; typed
text was lost on Ctrl-C.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fillkit import MINI, mini_workspace, response_of
from test_session import CONFIRM, Back, Interrupt, Scripted, Typed, ask, choose, run

from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import BACK

BASICS = [
    ask("name", "Financiën"),
    ask("remark", "regel 1"),
    ask("count", 7),
    ask("agree", True),
    ask("level", "mid"),
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def test_previous_question_within_a_section_and_then_on_from_there(ws: Workspace) -> None:
    prompter = Scripted(
        [
            ask("name", "Financiën"),
            ask("remark", "fout"),
            ask("count", Back()),
            ask("remark", "goed"),
            ask("count", 7),
            ask("agree", Interrupt()),
        ]
    )
    run(ws, prompter)
    assert prompter.offered["remark"] == "fout"  # going back offers the answer given
    assert response_of(ws.root)["answers"] == {"name": "Financiën", "remark": "goed", "count": 7}
    assert all(c.can_go_back for c in prompter.contexts)


def test_previous_question_crosses_into_the_section_before(ws: Workspace) -> None:
    prompter = Scripted(
        [*BASICS, ask("partners", Back()), ask("level", "high"), ask("partners", Interrupt())]
    )
    run(ws, prompter)
    assert response_of(ws.root)["answers"]["level"] == "high"
    assert [s.title for s in prompter.sections] == ["Basics", "Findings", "Basics", "Findings"]


def test_previous_question_at_the_very_first_question_says_so(ws: Workspace) -> None:
    prompter = Scripted([ask("name", Back()), ask("name", Interrupt())])
    run(ws, prompter)
    assert any("first question" in n.text for n in prompter.notices)


def test_previous_question_after_a_resume_asks_again_what_was_answered(ws: Workspace) -> None:
    run(ws, Scripted([ask("name", "a"), ask("remark", "b"), ask("count", Interrupt())]))
    prompter = Scripted(
        [
            choose("continue"),
            ask("count", Back()),
            ask("remark", "c"),
            ask("count", 5),
            ask("agree", Interrupt()),
        ]
    )
    run(ws, prompter)
    assert prompter.offered["remark"] == "b"
    assert response_of(ws.root)["answers"] == {"name": "a", "remark": "c", "count": 5}


def test_repeat_menu_has_one_order_starting_on_the_first_and_a_previous_entry(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", []),
            choose("add"),
            ask("points.0.title", "NO"),
            ask("points.0.year", None),
            choose(BACK),  # from the menu: the question before the group
            ask("partners", ["DEP2"]),
            choose("done"),
            ask("signed_on", Interrupt()),
        ]
    )
    run(ws, prompter)
    menus = [(values, default) for message, values, default in prompter.menus]
    assert menus[0] == (["add", "done", BACK], "add")
    assert menus[1] == (["add", "done", "edit", "remove", BACK], "add")
    assert menus[2] == (["add", "done", "edit", "remove", BACK], "add")
    assert response_of(ws.root)["answers"]["partners"] == ["DEP2"]


def test_a_new_entry_is_cancelled_by_going_back_from_its_first_question(ws: Workspace) -> None:
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", []),
            choose("add"),
            ask("points.0.title", Back()),
            choose("done"),
            ask("signed_on", Interrupt()),
        ]
    )
    run(ws, prompter)
    assert response_of(ws.root)["answers"]["points"] == []
    assert any(n.text == "Point 1 is cancelled." for n in prompter.notices)


def test_editing_an_entry_asks_only_the_question_chosen(ws: Workspace) -> None:
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", []),
            choose("add"),
            ask("points.0.title", "NO"),
            ask("points.0.year", 2006),
            choose("edit"),  # one entry: no "which one?"
            choose("year"),
            ask("points.0.year", 2007),
            choose("done"),
            ask("signed_on", Interrupt()),
        ]
    )
    run(ws, prompter)
    edit_menu = prompter.menus[2]
    assert edit_menu[0] == "What would you like to change in Point 1: NO?"
    assert edit_menu[1] == ["*", "title", "year", BACK]
    assert response_of(ws.root)["answers"]["points"] == [{"title": "NO", "year": 2007}]


REQUIRED_GROUP = MINI.replace(
    "        entry_label: {nl: Punt, en: Point}\n",
    "        entry_label: {nl: Punt, en: Point}\n        min_items: 1\n"
    "        help: {nl: Elk punt wordt een bevinding., en: Each point becomes a finding.}\n",
)


def test_a_required_group_is_marked_with_its_minimum_its_help_shown_and_done_warns(
    tmp_path: Path,
) -> None:
    root = mini_workspace(tmp_path / "ws")
    (root / "questionnaires" / "mini-1.0.0.yaml").write_text(REQUIRED_GROUP, "utf-8")
    prompter = Scripted(
        [*BASICS, ask("partners", []), choose("done"), ask("signed_on", Interrupt())]
    )
    run(Workspace(root), prompter)
    assert prompter.menus[0][0] == "Points * (at least 1): 0 filled in"
    texts = [n.text for n in prompter.notices]
    assert "Each point becomes a finding." in texts
    assert "Submitting needs at least 1 in Points; you can add them later." in texts


def test_the_review_changes_one_chosen_answer_inside_an_entry(ws: Workspace) -> None:
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", []),
            choose("add"),
            ask("points.0.title", "NO"),
            ask("points.0.year", 2006),
            choose("done"),
            ask("signed_on", "2006-05-16"),
            choose("change"),
            choose("1"),  # section 2
            choose("points/0/year"),
            ask("points.0.year", 1999),
            choose("submit"),
            CONFIRM,
        ]
    )
    outcome = run(ws, prompter)
    assert outcome.state == "submitted"
    which = prompter.menus[-2]
    assert which[0] == "Which answer?"
    assert which[1] == ["partners", "points", "points/0/title", "points/0/year", "signed_on", BACK]
    assert response_of(ws.root)["answers"]["points"] == [{"title": "NO", "year": 1999}]


def test_text_typed_before_ctrl_c_is_kept_unconfirmed_and_offered_again(ws: Workspace) -> None:
    outcome = run(ws, Scripted([ask("name", "Financiën"), ask("remark", Typed("half getypt"))]))
    assert outcome.state == "interrupted"
    data = response_of(ws.root)
    assert data["answers"] == {"name": "Financiën"}
    assert data["unconfirmed"] == {"remark": "half getypt"}
    assert outcome.kept_typed == "Remark"
    assert any("Remark" in line for line in outcome.closing_notes())

    prompter = Scripted(
        [choose("continue"), ask("remark", "half getypt, af"), ask("count", Interrupt())]
    )
    run(ws, prompter)
    assert prompter.offered["remark"] == "half getypt"
    assert prompter.contexts[0].unconfirmed
    data = response_of(ws.root)
    assert data["answers"]["remark"] == "half getypt, af"
    assert "unconfirmed" not in data


def test_a_session_opens_with_who_what_how_long_and_how_to_stop(ws: Workspace) -> None:
    prompter = Scripted([ask("name", Interrupt())])
    run(ws, prompter, lang="nl")
    panel = prompter.notices[0]
    assert panel.kind == "panel"
    assert panel.text == "Mini — Departement 1 (DEP1)"
    # The department as every list of participants names it (participant_label).
    assert panel.details[0] == "U beantwoordt deze vragenlijst namens DEP1 — Departement 1."
    # 8 questions, as the counts after it count them (a repeat group is one; 'Waarom niet'
    # is not shown): "0 van 8 vragen beantwoord" (issue 16).
    assert panel.details[1].startswith("2 onderdelen, 8 vragen: reken op ongeveer")
    assert any("Ctrl-C" in line for line in panel.details)
    assert any("Ctrl-B" in line for line in panel.details)


def test_after_changing_one_answer_the_review_says_it_was_saved_at_its_row(ws: Workspace) -> None:
    # The trial: after "Eén antwoord wijzigen" the review went back to page 1, saying nothing.
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", []),
            choose("add"),
            ask("points.0.title", "NO"),
            ask("points.0.year", 2006),
            choose("done"),
            ask("signed_on", "2006-05-16"),
            choose("change"),
            choose("1"),
            choose("points/0/year"),
            ask("points.0.year", 1999),
            choose("quit"),
        ]
    )
    run(ws, prompter)
    assert not [r for r in prompter.reviews[0] if r.note]
    noted = [r for r in prompter.reviews[-1] if r.note]
    assert [(r.depth, r.label, r.value) for r in noted] == [(3, "Year", "1999")]
    assert noted[0].note.startswith("Saved: ") and "Year" in noted[0].note


def test_on_resume_the_section_heading_comes_before_the_unconfirmed_question(
    ws: Workspace,
) -> None:
    # The trial: on resume the heading appeared after the first question of its section.
    run(ws, Scripted([ask("name", "Financiën"), ask("remark", Typed("half getypt"))]))
    seen: list[tuple[str, int]] = []
    prompter = Scripted(
        [
            choose("continue"),
            ask("remark", "heel getypt"),
            ask("count", Interrupt()),
        ],
        on_ask=lambda key: seen.append((key, len(prompter.sections))),
    )
    run(ws, prompter)
    assert seen == [("remark", 1), ("count", 1)]
    assert [s.title for s in prompter.sections] == ["Basics"]


def test_continue_after_ctrl_c_in_a_revisit_goes_on_with_the_rest_of_that_section(
    ws: Workspace,
) -> None:
    # Issue 16: "Verder waar u gebleven was" after Ctrl-C while revisiting section 1 asked
    # the text typed before, then jumped to the review, not to the rest of section 1.
    everything = [
        *BASICS, ask("partners", []), choose("done"), ask("signed_on", "2006-05-16"),
    ]  # fmt: skip
    run(ws, Scripted([*everything, choose("quit")]))
    revisit = [choose("revisit"), choose("0"), ask("name", "Financiën")]
    run(ws, Scripted([*revisit, ask("remark", Typed("half getypt"))]))
    assert response_of(ws.root)["unconfirmed"] == {"remark": "half getypt"}
    prompter = Scripted(
        [
            choose("continue"),
            ask("remark", "heel getypt"),
            ask("count", 8),
            ask("agree", True),
            ask("level", "high"),
            choose("quit"),  # the review: section 2 was not part of the revisit
        ]
    )
    outcome = run(ws, prompter)
    assert outcome.state == "draft"
    answers = response_of(ws.root)["answers"]
    assert (answers["remark"], answers["count"], answers["level"]) == ("heel getypt", 8, "high")


def test_the_dutch_new_entry_notice_does_not_call_a_de_word_het() -> None:
    """Trial 4: "Nieuw: Knelpunt 3. Ctrl-B bij de eerste vraag annuleert het." — a
    knelpunt, activiteit, blinde vlek or kans is a *de*-word; the notice names no
    article for it."""
    from selfeval.i18n import gettext

    text = gettext("nl", "fill.new_entry", entry="Knelpunt 3")
    assert text.startswith("Nieuw: Knelpunt 3.")
    assert "annuleert het" not in text and "Ctrl-B" in text
