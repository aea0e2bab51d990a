"""The errors a respondent meets in ``fill`` and ``peer-review``: their words, their language.

Issue 16, trial 4: ``selfeval fill -p XYZ``, ``fill -p FIN`` and ``peer-review
-p BZ`` answered in English, with file paths, cut mid-word at 80 columns. A
respondent (no ``--answers``) is told in the session language what happened
and what to do; a coordinator's run (``--answers``) keeps the English message
with its file and place (``docs/translation.md``, "Errors").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

ENGLISH = ("Error", "hint", "participant", "not in", "Usage", "Missing", "option", "Try ")


def said(result: object) -> str:
    """stderr with its lines joined (CliRunner's stderr is not a terminal: nothing is broken)."""
    return " ".join(result.stderr.split())  # type: ignore[attr-defined]


def assert_plain(text: str, ws: Path) -> None:
    """No English programmer words, no file of the workspace, no workspace path.

    The options of a command to type (``--participant``) are not prose.
    """
    prose = " ".join(word for word in text.split() if not word.startswith("-"))
    for word in ENGLISH:
        assert word not in prose, (word, text)
    assert str(ws) not in text
    assert "reports/" not in text
    assert "draft.yaml" not in text


def run(runner: CliRunner, ws: Path, command: str, *args: str) -> object:
    return runner.invoke(app, [command, "-w", str(ws), *args])


def test_an_unknown_participant_code(runner: CliRunner, example_ws: Path) -> None:
    result = run(runner, example_ws, "fill", "-p", "XYZ")
    assert result.exit_code == 1
    assert said(result) == (
        "Er is geen deelnemer met de code XYZ. Controleer de code die uw coördinator u gaf; "
        "in deze evaluatie zijn dat: BZ, DEF, NCTb, BZK, EZ, AZ, FIN, JUS."
    )
    assert_plain(said(result), example_ws)


def test_a_peer_reviewer_in_fill_is_sent_to_peer_review(
    runner: CliRunner, example_ws: Path
) -> None:
    result = run(runner, example_ws, "fill", "-p", "FIN")
    assert result.exit_code == 1
    assert result.stderr == (
        "FIN vult in deze evaluatie geen zelfevaluatie in, maar doet mee aan de collegiale "
        "toets. Begin daaraan met:\n  selfeval peer-review --participant FIN\n"
    )


def test_a_department_without_a_round_in_peer_review_is_told_to_add_round_1(
    runner: CliRunner, example_ws: Path
) -> None:
    result = run(runner, example_ws, "peer-review", "-p", "BZ")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "voeg --round 1 toe." in lines[0]
    assert lines[1] == "  selfeval peer-review --participant BZ --round 1"
    assert_plain(said(result), example_ws)


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """peer-review goes on as at a terminal (CliRunner's stdin is none): to the draft."""
    monkeypatch.setattr("selfeval.cli.peer_review.check_session_flags", lambda *a, **k: None)


@pytest.mark.usefixtures("at_a_terminal")
def test_peer_review_before_the_draft_is_made(runner: CliRunner, example_ws: Path) -> None:
    assert not (example_ws / "reports" / "draft.yaml").exists()
    result = run(runner, example_ws, "peer-review", "-p", "FIN")
    assert result.exit_code == 1
    assert said(result) == (
        "Het conceptrapport is er nog niet, dus de collegiale toets kan nog niet beginnen. "
        "Vraag uw coördinator wanneer het klaar is."
    )


@pytest.mark.usefixtures("at_a_terminal")
def test_a_draft_named_with_draft_that_is_not_there_is_named(
    runner: CliRunner, example_ws: Path
) -> None:
    result = run(runner, example_ws, "peer-review", "-p", "FIN", "--draft", "concept.yaml")
    assert result.exit_code == 1
    assert "Het conceptrapport concept.yaml bestaat niet." in said(result)
    assert "--draft" in said(result)


def test_fill_without_a_participant(runner: CliRunner, example_ws: Path) -> None:
    result = run(runner, example_ws, "fill")
    assert result.exit_code == 2
    assert result.stderr == (
        "Zeg voor welk departement u dit doet, met de code die uw coördinator u gaf:\n"
        "  selfeval fill --participant CODE\n"
    )


def test_participant_option_without_its_code(runner: CliRunner, example_ws: Path) -> None:
    result = runner.invoke(app, ["peer-review", "-w", str(example_ws), "-p"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "  selfeval peer-review --participant CODE"
    assert_plain(said(result), example_ws)


def test_fill_outside_any_workspace(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["fill", "-p", "BZ"])
    assert result.exit_code == 1
    assert said(result).startswith("In deze map staat geen evaluatie")
    assert "uw coördinator" in said(result)
    assert_plain(said(result), tmp_path)


def test_typer_usage_errors_in_the_session_language(runner: CliRunner, example_ws: Path) -> None:
    unknown = run(runner, example_ws, "fill", "-p", "BZ", "--foo")
    assert unknown.exit_code == 2
    assert said(unknown) == (
        "selfeval fill kent --foo niet. Controleer de opdracht die uw coördinator u gaf."
    )
    flag = run(runner, example_ws, "fill", "-p", "BZ", "--submit=ja")
    assert flag.exit_code == 2
    assert said(flag).startswith("Achter --submit hoort niets.")
    choice = run(runner, example_ws, "peer-review", "-p", "BZ", "--round", "3")
    assert (choice.exit_code, said(choice)) == (2, "--round 3 kan niet; kies uit: 1, 2.")
    # Issue 16 (leftover 6): an extra word was click's English under a line of ours.
    extra = run(runner, example_ws, "fill", "-p", "BZ", "extra")
    assert (extra.exit_code, said(extra)) == (
        2,
        "‘extra’ hoort niet in de opdracht selfeval fill. Controleer de opdracht die uw "
        "coördinator u gaf.",
    )
    two = run(runner, example_ws, "peer-review", "-p", "BZ", "--round", "1", "een", "twee")
    assert said(two).startswith("‘een twee’ hoort niet in de opdracht selfeval peer-review.")


def test_usage_errors_follow_the_exercise_language_and_lang(
    runner: CliRunner, example_ws: Path
) -> None:
    asked = run(runner, example_ws, "fill", "--lang", "en")
    assert asked.stderr.startswith("Say which department you answer for")
    exercise = yamlio.load(example_ws / "selfeval.yaml")
    exercise["language"] = "en"
    yamlio.write(example_ws / "selfeval.yaml", exercise)
    english = run(runner, example_ws, "fill", "-p", "BZ", "--foo")
    assert said(english) == (
        "selfeval fill has no --foo. Check the command your coordinator gave you."
    )
    refused = run(runner, example_ws, "fill", "-p", "FIN")
    assert refused.stderr.startswith("FIN fills in no self-evaluation in this evaluation")


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["fill", "-p", "XYZ"], "There is no participant with the code XYZ."),
        (["fill", "-p", "FIN"], "FIN fills in no self-evaluation"),
        (["peer-review", "-p", "BZ"], "Say which round of the peer review"),
        (["fill"], "Say which department you answer for"),
    ],
)
def test_lang_en_says_them_in_english(
    runner: CliRunner, example_ws: Path, args: list[str], start: str
) -> None:
    result = run(runner, example_ws, *args, "--lang", "en")
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(start)
    assert "Error:" not in result.stderr


@pytest.mark.usefixtures("at_a_terminal")
def test_lang_en_says_a_missing_draft_in_english(runner: CliRunner, example_ws: Path) -> None:
    result = run(runner, example_ws, "peer-review", "-p", "FIN", "--lang", "en")
    assert result.exit_code == 1
    assert said(result) == (
        "The draft report is not there yet, so the peer review cannot start. "
        "Ask your coordinator when it is ready."
    )


def test_a_coordinators_run_with_answers_keeps_the_file_and_place(
    runner: CliRunner, example_ws: Path
) -> None:
    answers = example_ws / "a.yaml"
    answers.write_text("{}\n", encoding="utf-8")
    result = run(runner, example_ws, "fill", "-p", "XYZ", "--answers", str(answers))
    assert result.exit_code == 1
    assert "selfeval.yaml: participant 'XYZ' is not in selfeval.yaml" in result.stderr
    assert "hint: use one of: BZ" in result.stderr
    usage = run(runner, example_ws, "fill", "-p", "BZ", "--foo", "--answers", str(answers))
    assert usage.exit_code == 2
    assert "No such option: --foo" in usage.stderr
    extra = run(runner, example_ws, "fill", "-p", "BZ", "extra", "--answers", str(answers))
    assert (extra.exit_code, extra.stderr.strip()) == (
        2,
        "Usage: selfeval fill [OPTIONS]\nTry 'selfeval fill -h' for help.\n\n"
        "Error: Got unexpected extra argument(s) (extra)",
    )


def test_an_error_only_the_coordinator_can_solve_is_passed_on(
    runner: CliRunner, example_ws: Path
) -> None:
    (example_ws / "selfeval.yaml").write_text("participants: [\n", encoding="utf-8")
    result = run(runner, example_ws, "fill", "-p", "BZ")
    assert result.exit_code == 1
    first, *rest = result.stderr.splitlines()
    assert first == (
        "Dit ging mis, en u kunt het niet zelf oplossen. Geef de melding hieronder door aan "
        "uw coördinator:"
    )
    assert rest[0].startswith("Error: ")  # the coordinator's words, file and place


def test_the_default_language_is_the_exercises() -> None:
    from selfeval.cli._common import DEFAULT_LANGUAGE
    from selfeval.model.exercise import Exercise

    assert Exercise.model_fields["language"].default == DEFAULT_LANGUAGE


# -- at a terminal: broken at spaces, 80 columns ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["fill", "-p", "FIN"], ["fill", "-p", "XYZ"], ["peer-review", "-p", "BZ"], ["fill", "-p"]],
)
def test_at_an_80_column_terminal_no_word_is_cut(example_ws: Path, args: list[str]) -> None:
    import pexpect
    from ptykit import PtyScreen

    expected = " ".join(run(CliRunner(), example_ws, *args).stderr.split())
    words = set(expected.split())
    term = PtyScreen(example_ws, args, rows=24, columns=80)
    try:
        term.child.expect(pexpect.EOF)  # an error: the command ends
        term.stream.feed(term.child.before)
    finally:
        term.close()
    lines = [line for line in term.lines() if line.strip()]
    assert " ".join(" ".join(lines).split()) == expected, "\n".join(lines)
    for line in lines:
        # Every piece between spaces on a line is a whole word of the message.
        cut = [piece for piece in line.split() if piece not in words]
        assert not cut, (cut, "\n".join(lines))
