"""The real questionary prompts, fed keystrokes through prompt_toolkit's pipe input (tier 2)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from pydantic import TypeAdapter
from rich.console import Console

from selfeval.cli.terminal import TerminalPrompter
from selfeval.fill.prompter import AskContext, Notice, Option, ReviewRow, SectionInfo
from selfeval.model.answers import AnswerError, Progress, check_answer
from selfeval.model.questionnaire import Item

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
ESC_ENTER = "\x1b\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
BACKSPACE = "\x7f"

ITEM: TypeAdapter[Any] = TypeAdapter(Item)


def item(**data: Any) -> Any:
    data.setdefault("id", "x")
    data.setdefault("label", {"nl": "Vraag", "en": "Question"})
    return ITEM.validate_python(data)


def context(of: Any, participants: tuple[tuple[str, str], ...] = ()) -> AskContext:
    def validate(value: Any) -> str | None:
        try:
            check_answer(of, value)
        except AnswerError as exc:
            return str(exc)
        return None

    return AskContext(
        path=(of.id,), lang="nl", label="Vraag", help="Uitleg bij de vraag", required=of.required,
        entry=None, participants=participants, validate=validate,
    )  # fmt: skip


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        yield pipe


def prompter(pipe: Any) -> tuple[TerminalPrompter, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    return TerminalPrompter(console=console, input=pipe, output=DummyOutput(), lang="nl"), out


def test_text_keeps_what_was_typed_including_diacritics_and_yaml_lookalikes(keys: Any) -> None:
    the_item = item(type="text")
    keys.send_text("Financiën NO 1.10" + ENTER)
    p, out = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "Financiën NO 1.10"
    assert "Uitleg bij de vraag" in out.getvalue()


def test_text_offers_the_current_answer_as_default(keys: Any) -> None:
    the_item = item(type="text")
    keys.send_text(ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, "eerder", context(the_item)) == "eerder"


def test_empty_text_is_no_answer(keys: Any) -> None:
    the_item = item(type="text")
    keys.send_text(ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) is None


def test_integer_refuses_text_and_out_of_range_until_it_fits(keys: Any) -> None:
    the_item = item(type="integer", min=1900, max=2100)
    # "abc" and "1800" are refused in place; Enter does not submit them
    keys.send_text("abc" + ENTER + BACKSPACE * 3 + "1800" + ENTER + BACKSPACE * 4 + "2006" + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == 2006


def test_date_is_kept_as_the_iso_string(keys: Any) -> None:
    the_item = item(type="date")
    keys.send_text("2006-05-16" + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "2006-05-16"


def test_long_text_takes_several_lines_and_finishes_on_escape_enter(keys: Any) -> None:
    the_item = item(type="long-text")
    keys.send_text("eerste regel" + ENTER + "tweede: ë" + ESC_ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "eerste regel\ntweede: ë"


def test_yes_no_is_a_list_with_yes_first(keys: Any) -> None:
    the_item = item(type="yes-no")
    keys.send_text(DOWN + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) is False


def test_single_choice_starts_on_the_current_answer_and_can_be_left_blank(keys: Any) -> None:
    the_item = item(
        type="single-choice",
        choices=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
    )
    keys.send_text(ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, "b", context(the_item)) == "b"
    keys.send_text(DOWN + ENTER)  # from "b", one down is "(geen antwoord)"
    assert p.ask(the_item, "b", context(the_item)) is None


def test_scale_lists_the_points_with_their_labels(keys: Any) -> None:
    the_item = item(type="scale", min=1, max=3, labels={1: "Slecht", 3: "Goed"})
    keys.send_text(DOWN + DOWN + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == 3


def test_multiple_choice_toggles_with_space(keys: Any) -> None:
    the_item = item(
        type="multiple-choice",
        choices=[{"value": v, "label": v.upper()} for v in ("a", "b", "c")],
    )
    keys.send_text(" " + DOWN + DOWN + " " + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == ["a", "c"]


def test_participants_are_listed_by_code_and_name(keys: Any) -> None:
    the_item = item(type="participants")
    offered = (("BZ", "BZ"), ("FIN", "Financiën"))
    keys.send_text(DOWN + " " + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item, offered)) == ["FIN"]


def test_participant_picks_one_code(keys: Any) -> None:
    the_item = item(type="participant")
    offered = (("BZ", "BZ"), ("FIN", "Financiën"))
    keys.send_text(DOWN + ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item, offered)) == "FIN"


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        ({"type": "text"}, "half"),
        ({"type": "long-text"}, "half"),
        ({"type": "yes-no"}, DOWN),
        ({"type": "multiple-choice", "choices": [{"value": "a", "label": "A"}]}, " "),
    ],
    ids=["text", "long-text", "select", "checkbox"],
)
@pytest.mark.parametrize(("key", "error"), [(CTRL_C, KeyboardInterrupt), (CTRL_D, EOFError)])
def test_ctrl_c_and_ctrl_d_reach_the_caller(
    keys: Any, data: dict[str, Any], typed: str, key: str, error: type[BaseException]
) -> None:
    the_item = item(**data)
    keys.send_text(typed + key)
    p, _ = prompter(keys)
    with pytest.raises(error):
        p.ask(the_item, None, context(the_item))


def test_choose_and_confirm(keys: Any) -> None:
    keys.send_text(DOWN + ENTER + "y" + ENTER)
    p, _ = prompter(keys)
    options = [Option("add", "Toevoegen"), Option("done", "Klaar")]
    assert p.choose("Wat nu?", options, default="add") == "done"
    assert p.confirm("Zeker?") is True


def test_section_notice_and_review_render(keys: Any) -> None:
    p, out = prompter(keys)
    p.show_section(SectionInfo(2, 7, "Knelpunten", "Inleiding", Progress(12, 14, 5, (), 30)))
    p.show_notice(Notice("error", "Kan niet indienen", ("naam ontbreekt",)))
    p.show_review(
        "Uw antwoorden",
        [
            ReviewRow(0, "Basis", "", "heading"),
            ReviewRow(1, "Naam", "Financiën", "answered"),
            ReviewRow(1, "Datum", "", "missing"),
            ReviewRow(1, "Waarom", "geen tijd", "inactive"),
        ],
    )
    text = out.getvalue()
    assert "Onderdeel 2 van 7 · 12 van 30 vragen beantwoord, verplicht 5/14" in text
    assert "x Kan niet indienen\n  - naam ontbreekt" in text
    assert "  Naam: Financiën" in text
    assert "  Datum: ontbreekt" in text
    assert "Waarom: geen tijd — telt niet mee" in text


def test_long_text_can_be_written_in_the_editor(
    keys: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import threading
    import time

    closed = tmp_path / "editor-closed"
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "open(sys.argv[1], 'w', encoding='utf-8').write('uit de editor: ë\\n')\n"
        f"pathlib.Path({str(closed)!r}).touch()\n",
        "utf-8",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")

    def finish_after_the_editor() -> None:
        # keys typed while the editor runs would reach the prompt before it
        # reads the file back; a person types Esc Enter after closing it
        for _ in range(1000):
            if closed.exists():
                break
            time.sleep(0.01)
        time.sleep(0.2)
        keys.send_text(ESC_ENTER)

    the_item = item(type="long-text")
    keys.send_text("\x18\x05")  # Ctrl-X Ctrl-E
    helper = threading.Thread(target=finish_after_the_editor, daemon=True)
    helper.start()
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "uit de editor: ë"
    helper.join()


def test_confirm_speaks_the_session_language_and_takes_j(keys: Any) -> None:
    keys.send_text("j" + ENTER)
    p, out = prompter(keys)
    assert p.confirm("Nu indienen?", default=False) is True
    assert "? Nu indienen? Ja" in out.getvalue()


def test_confirm_enter_takes_the_default_and_says_nee(keys: Any) -> None:
    keys.send_text(ENTER)
    p, out = prompter(keys)
    assert p.confirm("Verwijderen?", default=False) is False
    assert "? Verwijderen? Nee" in out.getvalue()


def test_a_checklist_answer_is_shown_by_its_labels_not_done(keys: Any) -> None:
    the_item = item(
        type="multiple-choice",
        choices=[{"value": v, "label": v.upper()} for v in ("a", "b", "c")],
    )
    keys.send_text(" " + DOWN + DOWN + " " + ENTER)
    p, out = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == ["a", "c"]
    assert "? Vraag A, C" in out.getvalue()


# -- the filling engine through the real prompts ---------------------------------------


def walk_with_keys(root: Any, typed: str) -> Any:
    """Walk the `defaults` questionnaire through the real prompts; return the store."""
    from selfeval.files.store import ResponseStore
    from selfeval.files.workspace import Workspace
    from selfeval.fill.session import FillSession

    with create_pipe_input() as pipe:
        pipe.send_text(typed)
        p, _ = prompter(pipe)
        with ResponseStore(Workspace(root), "DEP1", "defaults") as store:
            try:
                FillSession(store, p, lang="nl").walk()
            finally:
                store.close()
    return store


def test_defaults_are_offered_pre_filled_and_enter_records_them(tmp_path: Any) -> None:
    from fillkit import defaults_workspace

    root = defaults_workspace(tmp_path / "ws")
    # Enter at each default; the required checklist refuses Enter on nothing, then
    # Space ticks A; Enter on the optional participants checklist leaves it empty.
    store = walk_with_keys(root, ENTER * 8 + ENTER + " " + ENTER + ENTER)
    assert store.response.answers == {
        "text": "NO",
        "count": 7,
        "share": 2.5,
        "day": "2006-05-16",
        "agree": False,
        "level": "mid",
        "phases": ["b", "c"],
        "rating": 4,
        "must": ["a"],
        "may": [],
    }


def test_a_default_not_accepted_is_not_recorded(tmp_path: Any) -> None:
    from fillkit import defaults_workspace, response_of

    root = defaults_workspace(tmp_path / "ws")
    with pytest.raises(KeyboardInterrupt):
        walk_with_keys(root, BACKSPACE * 2 + "ja" + ENTER + CTRL_C)
    # the text default was changed before Enter; the count default was never accepted
    assert response_of(root, qid="defaults")["answers"] == {"text": "ja"}


# -- issue 16: going back, long texts a person can finish, typed text kept ---------------

LEFT = "\x1b[D"
CTRL_B = "\x02"


def back_context(of: Any) -> AskContext:
    from dataclasses import replace

    return replace(context(of), can_go_back=True)


def test_long_text_finishes_on_enter_on_an_empty_line(keys: Any) -> None:
    the_item = item(type="long-text")
    keys.send_text("eerste regel" + ENTER + "tweede" + ENTER + ENTER)
    p, out = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) == "eerste regel\ntweede"
    assert "Enter op een lege regel rondt af" in out.getvalue()
    assert "$EDITOR" not in out.getvalue()


def test_enter_on_an_empty_long_text_is_no_answer(keys: Any) -> None:
    the_item = item(type="long-text")
    keys.send_text(ENTER)
    p, _ = prompter(keys)
    assert p.ask(the_item, None, context(the_item)) is None


@pytest.mark.parametrize("kind", ["text", "long-text"])
def test_ctrl_c_in_a_text_prompt_hands_over_what_was_typed(keys: Any, kind: str) -> None:
    from selfeval.fill.prompter import TypedInterrupt

    the_item = item(type=kind)
    keys.send_text("half getypt" + CTRL_C)
    p, _ = prompter(keys)
    with pytest.raises(TypedInterrupt) as caught:
        p.ask(the_item, None, context(the_item))
    assert caught.value.text == "half getypt"


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        ({"type": "text"}, "half" + CTRL_B),
        ({"type": "long-text"}, "half" + CTRL_B),
        ({"type": "yes-no"}, LEFT),
        ({"type": "yes-no"}, DOWN + DOWN + DOWN + ENTER),  # the "previous question" entry
        ({"type": "multiple-choice", "choices": [{"value": "a", "label": "A"}]}, " " + LEFT),
    ],
    ids=["text", "long-text", "select-key", "select-entry", "checkbox"],
)
def test_previous_question_from_every_kind_of_prompt(
    keys: Any, data: dict[str, Any], typed: str
) -> None:
    from selfeval.fill.prompter import GoBack

    the_item = item(**data)
    keys.send_text(typed)
    p, _ = prompter(keys)
    with pytest.raises(GoBack):
        p.ask(the_item, None, back_context(the_item))


def test_a_menu_with_a_previous_entry_takes_the_left_key(keys: Any) -> None:
    from selfeval.fill.prompter import BACK

    keys.send_text(LEFT)
    p, _ = prompter(keys)
    options = [Option("add", "Toevoegen"), Option("done", "Klaar"), Option(BACK, "← Vorige")]
    assert p.choose("Wat nu?", options, default="add") == BACK


def test_lists_do_not_wrap_around(keys: Any) -> None:
    keys.send_text(DOWN * 5 + ENTER + UP * 5 + ENTER)
    p, _ = prompter(keys)
    options = [Option("add", "Toevoegen"), Option("done", "Klaar"), Option("edit", "Wijzigen")]
    assert p.choose("Wat nu?", options, default="add") == "edit"
    assert p.choose("Wat nu?", options, default="edit") == "add"


def test_the_editor_is_visual_or_editor_else_nano_never_vi(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from selfeval.cli import terminal

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr(terminal.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert terminal._editor() == ["/usr/bin/nano"]
    monkeypatch.setattr(terminal.shutil, "which", lambda name: None)
    assert terminal._editor() is None  # no nano: no editor key, and never vi
    monkeypatch.setenv("EDITOR", "code --wait")
    assert terminal._editor() == ["code", "--wait"]
    monkeypatch.setenv("VISUAL", "gedit")
    assert terminal._editor() == ["gedit"]


def test_long_answers_are_shown_broken_at_spaces() -> None:
    from prompt_toolkit.document import Document
    from prompt_toolkit.layout.processors import TransformationInput

    from selfeval.cli.terminal import _WordWrap

    text = "Bij een falende staat in de regio zijn de economische gevolgen voor Curaçao groot"
    ti = TransformationInput(
        None,
        Document(text),
        0,
        lambda i: i,
        [("", text)],
        width=24,
        height=10,  # type: ignore[arg-type]
    )
    result = _WordWrap(prefix=4).apply_transformation(ti)
    shown = "".join(f[1] for f in result.fragments)
    rows = [shown[i : i + 20] for i in range(0, len(shown), 20)]
    assert [r.strip() for r in rows] == [
        "Bij een falende",
        "staat in de regio",
        "zijn de economische",
        "gevolgen voor",
        "Curaçao groot",
    ]
    end = len(text)
    assert result.display_to_source(result.source_to_display(end)) == end
    cur = text.index("Curaçao")
    assert shown[result.source_to_display(cur)] == "C"


def test_a_review_longer_than_the_screen_is_shown_a_page_at_a_time(keys: Any) -> None:
    rows = [ReviewRow(0, "Onderdeel 1", "", "heading")]
    rows += [ReviewRow(1, f"Vraag {n}", f"antwoord {n}", "answered") for n in range(1, 9)]
    rows += [ReviewRow(0, "Onderdeel 2", "", "heading"), ReviewRow(1, "Datum", "", "missing")]
    rows += [ReviewRow(1, "Waarom", "geen tijd", "inactive")]
    rows += [ReviewRow(1, "Tekst", "regel een\nregel twee", "answered")]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    keys.send_text(ENTER + UP + ENTER + ENTER + ENTER)  # next, previous, next, done
    p.show_review("Uw antwoorden", rows)
    text = out.getvalue()
    assert "Uw antwoorden (1 ontbreekt, 1 telt niet mee)" in text
    assert text.count("Pagina 1 van 2") >= 1
    assert text.count("Pagina 2 van 2") >= 2
    first = text.index("Pagina 1 van 2")
    second = text.index("Pagina 2 van 2")
    assert "Vraag 8: antwoord 8" in text[first:second]
    assert "Onderdeel 2" not in text[first:second]  # pages break between sections
    assert "Datum: ontbreekt" in text[second:]
    lines = [line.rstrip() for line in text.splitlines()]
    # Under its own indent; short lines stay lines (only a long line's break is joined).
    at = lines.index("  Tekst:")
    assert lines[at + 1 : at + 3] == ["      regel een", "      regel twee"]
    assert "Waarom: geen tijd — telt niet mee" in text


def test_a_short_review_is_printed_at_once(keys: Any) -> None:
    p, out = prompter(keys)
    p.show_review("Uw antwoorden", [ReviewRow(1, "Naam", "x", "answered")])
    assert "Naam: x" in out.getvalue()


def test_confirm_waits_for_enter_and_j_or_n_only_point(keys: Any) -> None:
    # The trial: `j` submitted at once and the Enter that followed reached the shell.
    keys.send_text("n" + "j" + ENTER + "j" + "n" + ENTER)
    p, out = prompter(keys)
    assert p.confirm("Nu indienen?", default=False) is True
    assert p.confirm("Nu indienen?", default=True) is False
    assert "? Nu indienen? Ja" in out.getvalue()
    assert "? Nu indienen? Nee" in out.getvalue()


def test_the_submit_question_names_whose_instruction() -> None:
    from selfeval.i18n import gettext

    assert "coördinator" in gettext("nl", "fill.confirm_submit")
    assert "zie de instructie)" not in gettext("nl", "fill.confirm_submit")
    assert "coordinator" in gettext("en", "fill.confirm_submit")


def test_a_typed_answer_is_shown_again_broken_at_spaces(keys: Any) -> None:
    # The trial: "Beleidskader internationale recht" / "shulp 2005" at the screen edge.
    answer = "Beleidskader internationale rechtshulp 2005, M. de Vries, senior beleidsmedewerker"
    the_item = item(type="text")
    keys.send_text(answer + ENTER)
    out = io.StringIO()
    console = Console(file=out, width=40, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl")
    assert p.ask(the_item, None, context(the_item)) == answer
    shown = [line.rstrip() for line in out.getvalue().splitlines()]
    words = " ".join(shown).split()
    assert all(len(line) <= 40 for line in shown)
    assert "rechtshulp" in words and "beleidsmedewerker" in words
    assert " ".join(shown).endswith(answer)


def test_a_long_answer_is_shown_again_under_its_indent(keys: Any) -> None:
    answer = "Bij een falende staat in de regio zijn de gevolgen voor Curaçao groot en blijvend"
    the_item = item(type="long-text")
    keys.send_text(answer + ENTER + ENTER)
    out = io.StringIO()
    console = Console(file=out, width=40, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl")
    assert p.ask(the_item, None, context(the_item)) == answer
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Bij een"))
    shown = [line for line in lines[start:] if line.strip()]
    assert all(line.startswith("  ") and not line.startswith("   ") for line in shown)
    assert " ".join(line.strip() for line in shown) == answer


def test_a_word_ending_at_the_edge_does_not_push_a_space_to_the_next_line() -> None:
    from prompt_toolkit.document import Document
    from prompt_toolkit.layout.processors import TransformationInput

    from selfeval.cli.terminal import _WordWrap

    text = "aaaa bbbbbbbbbbbbbbb cc dd"  # "aaaa bbbbbbbbbbbbbbb" is exactly 20 columns
    ti = TransformationInput(
        None, Document(text), 0, lambda i: i, [("", text)], width=24, height=10,  # type: ignore[arg-type]
    )  # fmt: skip
    shown = "".join(f[1] for f in _WordWrap(prefix=4).apply_transformation(ti).fragments)
    rows = [shown[i : i + 20] for i in range(0, len(shown), 20)]
    assert all(not row.startswith(" ") for row in rows), rows


def test_closing_lines_break_between_words_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from selfeval.cli._common import fit_terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "80")
    line = (
        "Wat u typte bij 'Welke afspraken heeft uw departement voor deze incidentcategorie?' "
        "is bewaard als concept-antwoord (nog niet bevestigd); u krijgt het terug in "
        "responses/falende-staten/JUS/self-evaluation.yaml"
    )
    fitted = fit_terminal(line, Tty())
    assert all(len(row) < 80 for row in fitted.splitlines())
    assert fitted.split() == line.split()
    assert "responses/falende-staten/JUS/self-evaluation.yaml" in fitted.splitlines()[-1]
    assert fit_terminal(line, io.StringIO()) == line  # a file or pipe gets it as it is


def test_a_yes_no_answer_is_reviewed_as_the_choice_read() -> None:
    # The trial: the list offered "Ja", the review said "ja".
    from selfeval.fill.prompter import format_value

    yes_no = item(type="yes-no")
    assert format_value(yes_no, True, "nl") == "Ja"
    assert format_value(yes_no, False, "nl") == "Nee"
    assert format_value(yes_no, True, "en") == "Yes"


def test_review_pages_break_between_entries_not_inside_one(keys: Any) -> None:
    # The trial: "Pagina 2 van 10" held the last 4 lines of one entry; a page held only "Bronnen: —".
    rows = [ReviewRow(0, "Knelpunten", "", "heading"), ReviewRow(1, "Knelpunten", "3", "answered")]
    for n in range(1, 4):
        rows.append(ReviewRow(2, f"Knelpunt {n}", "", "heading"))
        rows += [ReviewRow(3, f"Veld {n}.{k}", f"antwoord {n}.{k}", "answered") for k in range(4)]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    keys.send_text(ENTER + ENTER + DOWN + ENTER)  # next, next, done
    p.show_review("Uw antwoorden", rows)
    text = out.getvalue()
    pages = text.split("Pagina ")[1:]
    assert len(pages) == 3
    for page in pages:
        for n in range(1, 4):
            shown = [f"Veld {n}.{k}: antwoord {n}.{k}" in page for k in range(4)]
            assert all(shown) or not any(shown), (n, page)
            assert (f"Knelpunt {n}" in page) == all(shown)


def test_the_review_opens_at_the_page_of_the_answer_just_changed(keys: Any) -> None:
    rows = [ReviewRow(0, "Onderdeel 1", "", "heading")]
    rows += [ReviewRow(1, f"Vraag {n}", f"antwoord {n}", "answered") for n in range(1, 9)]
    rows += [ReviewRow(0, "Onderdeel 2", "", "heading")]
    rows += [
        ReviewRow(1, "Datum", "16-05-2006", "answered", note="Opgeslagen: Onderdeel 2 › Datum")
    ]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    keys.send_text(DOWN + ENTER)  # on the last page: previous, done → done
    p.show_review("Uw antwoorden", rows)
    text = out.getvalue()
    assert "Pagina 1 van 2" not in text
    assert "Pagina 2 van 2" in text
    assert "✓ Opgeslagen: Onderdeel 2 › Datum" in text


def test_enter_on_the_last_page_of_the_review_ends_reading_never_goes_back(keys: Any) -> None:
    # Issue 16: on the last page "Vorige pagina" was the default, so Enter (pressed on
    # every page before) went back a page.
    rows = [ReviewRow(0, "Onderdeel 1", "", "heading")]
    rows += [ReviewRow(1, f"Vraag {n}", f"antwoord {n}", "answered") for n in range(1, 9)]
    rows += [ReviewRow(0, "Onderdeel 2", "", "heading")]
    rows += [ReviewRow(1, f"Vraag {n}", f"antwoord {n}", "answered") for n in range(9, 13)]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    # Enter, Enter; the last keys end the review should it go back to page 1.
    keys.send_text(ENTER + ENTER + DOWN + DOWN + ENTER)
    p.show_review("Uw antwoorden", rows)
    text = out.getvalue()
    assert text.count("Pagina 1 van 2") == 1, text
    assert text.count("Pagina 2 van 2") == 1, text


def test_a_short_notice_is_printed_after_a_card_shown_after_it_just_before_the_prompt(
    keys: Any,
) -> None:
    # Issue 16: "i Dit is de eerste vraag; er is geen vorige." scrolled off because the
    # finding's card was printed again after it; a summary pushed a warning off the same way.
    p, out = prompter(keys)
    keys.send_text(ENTER)
    p.show_notice(Notice("info", "Dit is de eerste vraag; er is geen vorige."))
    p.show_notice(Notice("info", "Bevinding 1 van 3", ("Ingebracht door: BZ",), body="Tekst"))
    p.choose("Uw reactie?", [Option("agree", "Eens"), Option("disagree", "Oneens")])
    text = out.getvalue()
    assert text.index("Ingebracht door: BZ") < text.index("i Dit is de eerste vraag")
    assert text.index("i Dit is de eerste vraag") < text.index("? Uw reactie? Eens")
    assert text.count("Dit is de eerste vraag") == 1


def test_a_notice_on_top_of_a_review_page_leaves_the_page_on_the_screen(keys: Any) -> None:
    # Issue 16: a notice now goes at the top of the next review page; the page is made
    # shorter by its lines, so the page's heading is not pushed off a small screen.
    rows = [ReviewRow(0, "Onderdeel 1", "", "heading")]
    rows += [ReviewRow(1, f"Vraag {n}", f"antwoord {n}", "answered") for n in range(1, 30)]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    keys.send_text(DOWN + ENTER)  # done reading
    p.show_notice(Notice("warning", "Het antwoord van BZ is heropend: het telt als niet " * 2))
    p.show_review("Uw antwoorden", rows)
    page = out.getvalue().splitlines()
    assert page[0].startswith("─") and "Pagina 1 van" in page[1]
    assert page[2].startswith("! Het antwoord van BZ is heropend")
    # The page and the menu under it (question, 2 choices, a blank line) fit in 16 lines.
    assert len(page) + 4 <= 16, page


def test_every_review_page_says_what_it_lists_and_done_says_which_pages_it_skips(
    keys: Any,
) -> None:
    # Issue 16 (fourth trial): "Uw reacties" ran over pages 2-4 of the review, and pages
    # 3-4 started with a reaction, no heading; "Klaar met lezen" on page 1 left pages
    # 2-4 unread without saying so.
    rows = [ReviewRow(0, "Afsluiting", "", "heading"), ReviewRow(1, "Naam", "Jan", "answered")]
    rows += [ReviewRow(0, "Uw reacties", "", "heading")]
    rows += [ReviewRow(1, f"Rol {n}", "Eens", "answered") for n in range(1, 25)]
    out = io.StringIO()
    console = Console(file=out, width=60, height=16, color_system=None)
    p = TerminalPrompter(console=console, input=keys, output=DummyOutput(), lang="nl", page=True)
    seen: list[list[str]] = []
    pick = p._pick

    def recording(message: str, pairs: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append([label for label, _ in pairs])
        return pick(message, pairs, *args, **kwargs)

    p._pick = recording  # type: ignore[method-assign]
    keys.send_text(ENTER * 4)  # next, next, next, then done (the default on the last page)
    p.show_review("Uw antwoorden", rows)
    pages = out.getvalue().split("Pagina ")[1:]
    assert len(pages) == 4, len(pages)
    for number, page in enumerate(pages[2:], start=3):
        lines = [line for line in page.splitlines()[1:] if line.strip()]
        assert lines[0] == "Uw reacties (vervolg)", (number, page)
    assert seen[0][-1] == "Klaar met lezen (pagina 2 tot en met 4 overslaan)"
    assert seen[2][-1] == "Klaar met lezen (pagina 4 overslaan)"
    assert seen[3][-1] == "Klaar met lezen"  # the last page: nothing left unread
