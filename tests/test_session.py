"""The filling engine with the prompter replaced by a scripted fake (test tier 1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fillkit import mini_workspace, response_of

from selfeval.errors import InputError
from selfeval.files import yamlio
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import (
    AskContext,
    GoBack,
    Notice,
    Option,
    ReviewRow,
    SectionInfo,
    TypedInterrupt,
)
from selfeval.fill.session import FillSession
from selfeval.model.questionnaire import Item, SingleChoiceItem


class Interrupt:
    """A scripted step that presses Ctrl-C (or Ctrl-D with eof=True)."""

    def __init__(self, eof: bool = False) -> None:
        self.eof = eof


class Back:
    """A scripted step that asks for the previous question (Ctrl-B)."""


class Typed:
    """A scripted step that types ``text`` and presses Ctrl-C before confirming."""

    def __init__(self, text: str) -> None:
        self.text = text


class Scripted:
    """A Prompter that replays answers in order and records what it was asked.

    ``steps`` are (kind, key, reply): kind is ``ask`` (key: the dotted item path),
    ``choose`` (key: an option value that must be offered) or ``confirm``; the
    engine must ask exactly in this order, which is what the tests check.
    """

    def __init__(self, steps: Sequence[tuple[str, str, Any]], on_ask: Any = None) -> None:
        self.steps = list(steps)
        self.asked: list[str] = []
        self.contexts: list[AskContext] = []
        self.notices: list[Notice] = []
        self.sections: list[SectionInfo] = []
        self.reviews: list[list[ReviewRow]] = []
        self.menus: list[tuple[str, list[str], str | None]] = []
        self.offered: dict[str, Any] = {}
        self.confirms: list[str] = []
        self.on_ask = on_ask

    def _next(self, kind: str, key: str) -> Any:
        assert self.steps, f"unexpected {kind} {key!r}: script is finished"
        want_kind, want_key, reply = self.steps.pop(0)
        assert (kind, key) == (want_kind, want_key), (
            f"asked {kind} {key!r}, script has {want_key!r}"
        )
        if isinstance(reply, Interrupt):
            raise EOFError if reply.eof else KeyboardInterrupt
        if isinstance(reply, Back):
            raise GoBack
        if isinstance(reply, Typed):
            raise TypedInterrupt(reply.text)
        return reply

    def show_section(self, info: SectionInfo) -> None:
        self.sections.append(info)

    def show_notice(self, notice: Notice) -> None:
        self.notices.append(notice)

    def show_review(self, title: str, rows: Sequence[ReviewRow]) -> None:
        self.reviews.append(list(rows))

    def ask(self, item: Item, current: Any, context: AskContext) -> Any:
        key = ".".join(str(p) for p in context.path)
        self.asked.append(key)
        self.contexts.append(context)
        self.offered[key] = current
        if self.on_ask:
            self.on_ask(key)
        return self._next("ask", key)

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        values = [o.value for o in options]
        self.menus.append((message, values, default))
        kind, key, reply = self.steps[0] if self.steps else ("", "", None)
        assert kind == "choose", f"menu {message!r} offered, script has {kind} {key!r}"
        if not isinstance(reply, Interrupt):
            assert reply in values, f"{reply!r} not offered in {message!r}: {values}"
        return str(self._next("choose", key))

    def confirm(self, message: str, *, default: bool = False) -> bool:
        self.confirms.append(message)
        return bool(self._next("confirm", "confirm"))


def ask(path: str, reply: Any) -> tuple[str, str, Any]:
    return ("ask", path, reply)


def choose(reply: str) -> tuple[str, str, Any]:
    return ("choose", reply, reply)


CONFIRM = ("confirm", "confirm", True)

BASICS = [
    ask("name", "Financiën"),
    ask("remark", "regel 1\nregel 2"),
    ask("count", 7),
    ask("agree", True),
    ask("level", "mid"),
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def run(ws: Workspace, prompter: Scripted, lang: str = "en") -> Any:
    with ResponseStore(ws, "DEP1", "mini") as store:
        outcome = FillSession(store, prompter, lang=lang).run()
    assert not prompter.steps, f"script not used up: {prompter.steps}"
    return outcome


def test_a_whole_walk_with_repeat_entries_added_edited_removed_then_submitted(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [
            *BASICS,
            ask("partners", ["DEP2"]),
            choose("add"),
            ask("points.0.title", "NO"),
            ask("points.0.year", 2006),
            choose("add"),
            ask("points.1.title", "tweede"),
            ask("points.1.year", None),
            choose("add"),
            ask("points.2.title", "derde"),
            ask("points.2.year", 1999),
            choose("edit"),
            choose("1"),  # which entry
            choose("*"),  # all its questions
            ask("points.1.title", "1.10"),
            ask("points.1.year", 2001),
            choose("remove"),
            choose("2"),
            CONFIRM,
            choose("done"),
            ask("signed_on", "2006-05-16"),
            choose("submit"),
            CONFIRM,
        ]
    )
    outcome = run(ws, prompter)
    assert outcome.state == "submitted"
    # why_not's `when` (agree == false) is false: it is never asked
    assert "why_not" not in prompter.asked
    data = response_of(ws.root)
    assert data["status"] == "submitted"
    assert data["answers"] == {
        "name": "Financiën",
        "remark": "regel 1\nregel 2",
        "count": 7,
        "agree": True,
        "level": "mid",
        "partners": ["DEP2"],
        "points": [{"title": "NO", "year": 2006}, {"title": "1.10", "year": 2001}],
        "signed_on": "2006-05-16",
    }
    assert [s.title for s in prompter.sections] == ["Basics", "Findings"]
    assert (prompter.sections[1].index, prompter.sections[1].count) == (2, 2)
    assert prompter.sections[1].progress.required_answered == 3


def test_every_answer_is_on_disk_before_the_next_question(ws: Workspace) -> None:
    seen: dict[str, Any] = {}

    def snapshot(key: str) -> None:
        path = ws.root / "responses/mijn-incidentcategorie/DEP1/mini.yaml"
        seen[key] = yamlio.load(path)["answers"] if path.exists() else {}

    prompter = Scripted([*BASICS, ask("partners", Interrupt())], on_ask=snapshot)
    outcome = run(ws, prompter)
    assert outcome.state == "interrupted"
    assert seen["name"] == {}
    assert seen["remark"] == {"name": "Financiën"}
    assert seen["partners"]["level"] == "mid"


@pytest.mark.parametrize("eof", [False, True], ids=["ctrl-c", "ctrl-d"])
def test_interrupt_keeps_answers_and_resume_continues_at_the_next_item(
    ws: Workspace, eof: bool
) -> None:
    first = Scripted([ask("name", "Financiën"), ask("remark", None), ask("count", Interrupt(eof))])
    assert run(ws, first).state == "interrupted"
    assert response_of(ws.root)["answers"] == {"name": "Financiën", "remark": None}

    second = Scripted([choose("continue"), ask("count", 4), ask("agree", Interrupt())])
    assert run(ws, second).state == "interrupted"
    assert "Draft of" in second.notices[1].text
    assert second.notices[1].details == ("1. Basics: 1/5", "2. Findings: 0/3")
    assert response_of(ws.root)["answers"] == {"name": "Financiën", "remark": None, "count": 4}


def test_resume_inside_a_repeat_entry_finishes_it_then_offers_the_menu(ws: Workspace) -> None:
    first = Scripted([*BASICS, ask("partners", []), choose("add"), ask("points.0.title", "a"),
                      ask("points.0.year", Interrupt())])  # fmt: skip
    run(ws, first)
    second = Scripted([choose("continue"), ask("points.0.year", 2000), choose("done"),
                       ask("signed_on", "2006-01-02"), choose("quit")])  # fmt: skip
    outcome = run(ws, second)
    assert outcome.state == "draft"
    assert response_of(ws.root)["answers"]["points"] == [{"title": "a", "year": 2000}]


def test_an_invalid_answer_is_asked_again_with_the_reason(ws: Workspace) -> None:
    prompter = Scripted([ask("name", "x"), ask("remark", None), ask("count", 500),
                         ask("count", 5), ask("agree", Interrupt())])  # fmt: skip
    run(ws, prompter)
    retry = [c for c in prompter.contexts if c.path == ("count",)]
    assert retry[0].error is None
    assert retry[1].error == "must be between 0 and 100"
    assert response_of(ws.root)["answers"]["count"] == 5


def test_an_answer_whose_condition_turns_false_is_kept_not_counted_and_told(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [
            ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", False),
            ask("why_not", "geen tijd"), ask("level", "low"), ask("partners", None),
            choose("done"), ask("signed_on", "2006-05-16"),
            # at the review: revisit the first section and change agree
            choose("revisit"), choose("0"),
            ask("name", "x"), ask("remark", None), ask("count", None), ask("agree", True),
            ask("level", "low"),
            choose("quit"),
        ]
    )  # fmt: skip
    outcome = run(ws, prompter)
    assert outcome.inactive == ("why_not",)
    warnings = [n.text for n in prompter.notices if n.kind == "warning"]
    assert any("'Why not' no longer counts" in w for w in warnings)
    assert response_of(ws.root)["answers"]["why_not"] == "geen tijd"
    last_review = prompter.reviews[-1]
    assert [r.state for r in last_review if r.label == "Why not"] == ["inactive"]


def test_submission_is_refused_with_the_missing_items_listed(ws: Workspace) -> None:
    prompter = Scripted(
        [
            ask("name", None), ask("remark", None), ask("count", None), ask("agree", True),
            ask("level", None), ask("partners", None), choose("done"), ask("signed_on", None),
            choose("submit"),
            choose("quit"),
        ]
    )  # fmt: skip
    outcome = run(ws, prompter)
    assert outcome.state == "draft"
    assert outcome.progress.missing == ("name", "level", "signed_on")
    errors = [n for n in prompter.notices if n.kind == "error"]
    assert errors[0].text == "Cannot submit yet: 3 answers are missing or invalid."
    assert errors[0].details == ("Name: missing", "Level: missing", "Date: missing")
    assert response_of(ws.root)["status"] == "draft"


def test_answer_the_missing_items_from_the_review(ws: Workspace) -> None:
    prompter = Scripted(
        [
            *BASICS[:3], ask("agree", True), ask("level", None), ask("partners", None),
            choose("done"), ask("signed_on", "2006-05-16"),
            choose("missing"), ask("level", "high"),
            choose("submit"), CONFIRM,
        ]
    )  # fmt: skip
    assert run(ws, prompter).state == "submitted"


def test_the_resume_menu_offers_review_when_everything_was_asked(ws: Workspace) -> None:
    first = Scripted([*BASICS, ask("partners", None), choose("done"),
                      ask("signed_on", "2006-05-16"), choose("quit")])  # fmt: skip
    run(ws, first)
    second = Scripted([choose("review"), choose("submit"), CONFIRM])
    assert run(ws, second).state == "submitted"


def test_labels_and_menus_follow_the_language(ws: Workspace) -> None:
    prompter = Scripted([ask("name", Interrupt())])
    run(ws, prompter, lang="nl")
    assert prompter.contexts[0].label == "Naam"
    assert prompter.contexts[0].help == "Naam van het departement"
    assert prompter.sections[0].title == "Basis"


def test_participant_items_offer_code_and_name_without_self(ws: Workspace) -> None:
    prompter = Scripted([*BASICS, ask("partners", Interrupt())])
    run(ws, prompter)
    assert prompter.contexts[-1].participants == (("DEP2", "DEP2 — Departement 2"),)


def test_ask_item_takes_an_item_built_in_code(ws: Workspace) -> None:
    reaction = SingleChoiceItem.model_validate(
        {
            "id": "verdict",
            "type": "single-choice",
            "label": {"nl": "Reactie", "en": "Reaction"},
            "choices": [
                {"value": "agree", "label": "eens"},
                {"value": "disagree", "label": "oneens"},
            ],
        }
    )
    prompter = Scripted([ask("reactions.0.verdict", "maybe"), ask("reactions.0.verdict", "agree")])
    with ResponseStore(ws, "DEP1", "mini") as store:
        session = FillSession(store, prompter, lang="en")
        value = session.ask_item(reaction, None, path=("reactions", 0, "verdict"))
    assert value == "agree"
    assert prompter.contexts[1].error == "'maybe' is not one of the choices: agree, disagree"


def test_ctrl_c_during_a_save_still_keeps_that_answer(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import selfeval.files.store

    # The store puts the response into YAML once (its size is checked) and writes that text.
    real_write = selfeval.files.store.yamlio.atomic_write_text
    calls = {"n": 0}

    def write_interrupted_once(path: Path, text: str, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # while saving the second answer
            raise KeyboardInterrupt
        real_write(path, text, **kwargs)

    monkeypatch.setattr(selfeval.files.store.yamlio, "atomic_write_text", write_interrupted_once)
    prompter = Scripted([ask("name", "Financiën"), ask("remark", "tweede")])
    outcome = run(ws, prompter)
    assert outcome.state == "interrupted"
    assert response_of(ws.root)["answers"] == {"name": "Financiën", "remark": "tweede"}


def test_the_review_shows_participants_with_their_names(ws: Workspace) -> None:
    prompter = Scripted([*BASICS, ask("partners", ["DEP2"]), choose("done"),
                         ask("signed_on", "2006-05-16"), choose("quit")])  # fmt: skip
    run(ws, prompter)
    rows = {r.label: r.value for r in prompter.reviews[-1]}
    assert rows["Partners"] == "DEP2 — Departement 2"  # as offered
    assert rows["Level"] == "Middle"
    assert rows["Agree"] == "Yes"  # the choice as offered


def test_a_failed_save_reports_the_answer_that_was_not_saved(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import selfeval.files.yamlio

    prompter = Scripted([ask("name", "Financiën"), ask("remark", "regel 1\nregel 2")])
    real_replace = selfeval.files.yamlio.os.replace
    calls = {"n": 0}

    def full_on_second(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(selfeval.files.yamlio.os, "replace", full_on_second)
    with pytest.raises(InputError) as caught:
        run(ws, prompter)
    message = str(caught.value)
    assert "No space left on device" in message
    assert "your answer to 'Remark' was not saved, here it is:\nregel 1\nregel 2" in message
    assert response_of(ws.root)["answers"] == {"name": "Financiën"}


# -- an incomplete repeat entry (trial P3) ------------------------------------------------


def test_an_entry_missing_a_required_field_blocks_submit_and_is_asked_directly(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [
            *BASICS, ask("partners", None),
            choose("add"), ask("points.0.title", None), ask("points.0.year", 2006),
            choose("done"), ask("signed_on", "2006-05-16"),
            choose("missing"), ask("points.0.title", "Eerste punt"),
            choose("submit"), CONFIRM,
        ]
    )  # fmt: skip
    outcome = run(ws, prompter, lang="nl")
    assert outcome.state == "submitted"
    # the first review: submit is not the default, and what is missing is named by labels
    _message, values, default = prompter.menus[-2]
    assert default == "missing"
    assert values.index("missing") < values.index("submit")
    warning = [n for n in prompter.notices if n.kind == "warning"][-1]
    assert warning.text == "Nog niet compleet: 1 antwoord ontbreekt of klopt niet."
    assert warning.details == ("Punten › Punt 1 › Titel: ontbreekt",)
    assert prompter.contexts[-1].entry == "Punt 1"
    # once complete, submit is the default
    assert prompter.menus[-1][2] == "submit"
    assert response_of(ws.root)["answers"]["points"] == [{"title": "Eerste punt", "year": 2006}]


def test_submit_chosen_while_an_entry_is_incomplete_is_refused_in_the_session_language(
    ws: Workspace,
) -> None:
    prompter = Scripted(
        [
            *BASICS, ask("partners", None),
            choose("add"), ask("points.0.title", None), ask("points.0.year", None),
            choose("done"), ask("signed_on", "2006-05-16"),
            choose("submit"),  # no confirmation asked: it cannot be done
            choose("quit"),
        ]
    )  # fmt: skip
    outcome = run(ws, prompter, lang="nl")
    assert outcome.state == "draft"
    assert outcome.progress.missing == ("points",)
    error = next(n for n in prompter.notices if n.kind == "error")
    assert error.text == "Indienen kan nog niet: 1 antwoord ontbreekt of klopt niet."
    assert error.details == ("Punten › Punt 1 › Titel: ontbreekt",)
    assert response_of(ws.root)["status"] == "draft"


# -- --reopen in a session (trial P2) --------------------------------------------------------

SUBMITTED = {
    "name": "Financiën",
    "agree": True,
    "level": "low",
    "signed_on": "2006-05-16",
}


def submitted_response(ws: Workspace) -> Path:
    with ResponseStore(ws, "DEP1", "mini") as store:
        store.save(SUBMITTED)
        store.submit()
        return store.path


def run_reopen(ws: Workspace, prompter: Scripted, lang: str = "en") -> Any:
    with ResponseStore(ws, "DEP1", "mini") as store:
        store.allow_reopen()
        outcome = FillSession(store, prompter, lang=lang).run()
    assert not prompter.steps, f"script not used up: {prompter.steps}"
    return outcome


@pytest.mark.parametrize("stop", [choose("quit"), ("choose", "quit", Interrupt())])
def test_reopen_then_stopping_without_a_change_leaves_it_submitted(
    ws: Workspace, stop: tuple[str, str, Any]
) -> None:
    path = submitted_response(ws)
    before = path.read_bytes()
    outcome = run_reopen(ws, Scripted([stop]))
    assert outcome.still_submitted
    assert outcome.reopened is None
    assert path.read_bytes() == before
    assert not list(path.parent.glob("mini.submitted-*"))


def test_reopen_reviewing_without_a_change_keeps_it_submitted(ws: Workspace) -> None:
    path = submitted_response(ws)
    before = path.read_bytes()
    prompter = Scripted([choose("review"), choose("keep")])
    outcome = run_reopen(ws, prompter)
    assert (outcome.state, outcome.still_submitted) == ("submitted", True)
    assert path.read_bytes() == before


def test_reopen_happens_at_the_first_changed_answer_and_is_told_once(ws: Workspace) -> None:
    path = submitted_response(ws)
    submitted = path.read_text("utf-8")

    def on_disk_while_asking(key: str) -> None:
        status = yamlio.load(path)["status"]
        # still submitted while only unchanged or blank answers were given
        assert status == ("submitted" if key in ("name", "remark", "count") else "draft"), key

    prompter = Scripted(
        [
            choose("revisit"), choose("0"),
            ask("name", "Financiën"),  # unchanged
            ask("remark", None),  # left blank, as it was
            ask("count", 3),  # the first change
            ask("agree", True), ask("level", "mid"),
            choose("review"), choose("submit"), CONFIRM,
        ],
        on_ask=on_disk_while_asking,
    )  # fmt: skip
    outcome = run_reopen(ws, prompter, lang="nl")
    kept = list(path.parent.glob("mini.submitted-*.yaml"))
    assert len(kept) == 1
    assert kept[0].read_text("utf-8") == submitted
    assert outcome.reopened == kept[0]
    told = [n.text for n in prompter.notices if "heropend" in n.text]
    assert told == [
        "Het antwoord van DEP1 is heropend: het telt als niet ingediend tot u opnieuw "
        "indient; de ingediende versie blijft bewaard."  # no file name on the screen
    ]
    assert outcome.state == "submitted" and not outcome.still_submitted
    data = response_of(ws.root)
    assert (data["status"], data["answers"]["count"]) == ("submitted", 3)


def test_the_review_marks_the_missing_field_inside_the_entry(ws: Workspace) -> None:
    prompter = Scripted(
        [
            *BASICS, ask("partners", None),
            choose("add"), ask("points.0.title", None), ask("points.0.year", 2006),
            choose("done"), ask("signed_on", "2006-05-16"),
            choose("quit"),
        ]
    )  # fmt: skip
    run(ws, prompter)
    rows = {(r.depth, r.label): r.state for r in prompter.reviews[-1]}
    assert rows[(1, "Points")] == "answered"
    assert rows[(2, "Point 1")] == "heading"
    assert rows[(3, "Title")] == "missing"


def test_a_default_is_offered_only_until_the_item_is_asked(tmp_path: Path) -> None:
    from fillkit import defaults_workspace

    ws = Workspace(defaults_workspace(tmp_path / "ws"))
    first = Scripted([ask("text", None), ask("count", 3), ask("share", Interrupt())])
    with ResponseStore(ws, "DEP1", "defaults") as store:
        FillSession(store, first, lang="en").run()
    assert first.offered == {"text": "NO", "count": 7, "share": 2.5}
    # left blank, the default is not filled in; changed, the new answer is offered
    assert response_of(ws.root, qid="defaults")["answers"] == {"text": None, "count": 3}
    again = Scripted(
        [
            choose("revisit"),
            choose("0"),
            ask("text", None),
            ask("count", 3),
            ask("share", Interrupt()),
        ]
    )
    with ResponseStore(ws, "DEP1", "defaults") as store:
        FillSession(store, again, lang="en").run()
    assert (again.offered["text"], again.offered["count"]) == (None, 3)


def test_an_optional_checklist_left_empty_is_stored_as_an_empty_list(ws: Workspace) -> None:
    prompter = Scripted([*BASICS, ask("partners", []), ("choose", "done", Interrupt())])
    run(ws, prompter)
    assert response_of(ws.root)["answers"]["partners"] == []
    assert not [n for n in prompter.notices if n.kind == "warning"]


def test_a_required_checklist_left_empty_is_asked_again(tmp_path: Path) -> None:
    from fillkit import defaults_workspace

    ws = Workspace(defaults_workspace(tmp_path / "ws"))
    steps = [ask(key, None) for key in ("text", "count", "share", "day", "agree", "level")]
    steps += [ask("phases", None), ask("rating", None), ask("must", []), ask("must", ["b"])]
    prompter = Scripted([*steps, ask("may", []), choose("quit")])
    with ResponseStore(ws, "DEP1", "defaults") as store:
        FillSession(store, prompter, lang="nl").run()
    again = prompter.contexts[-2]
    assert again.path == ("must",)
    assert again.error == "Kies er minstens één (spatie kiest, Enter bevestigt)."
    assert prompter.contexts[-3].validate([]) == again.error
    assert prompter.contexts[-1].validate([]) is None  # `may` is optional
    answers = response_of(ws.root, qid="defaults")["answers"]
    assert (answers["must"], answers["may"]) == (["b"], [])


def test_an_outcome_is_complete_when_made_not_patched_afterwards(
    ws: Workspace, tmp_path: Path
) -> None:
    from selfeval.fill.run import fill_from_answers

    answers = tmp_path / "a.yaml"
    answers.write_text("name: x\n", "utf-8")
    with ResponseStore(ws, "DEP1", "mini") as store:
        from_file = fill_from_answers(store, answers, lang="nl")
        session = FillSession(store, Scripted([choose("quit")]), lang="nl").run()
    for outcome in (from_file, session):
        assert outcome.lang == "nl"
        assert outcome.missing_labels == ("Akkoord", "Niveau", "Datum")
        assert outcome.missing_text() == "Nog nodig vóór indienen: Akkoord, Niveau, Datum"
