"""A round-1 peer review in a real pseudo-terminal: disagree with a comment, Ctrl-C, resume."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
import spawnkit

from selfeval.files import yamlio

sys.path.insert(0, str(Path(__file__).parent))
from test_peer_review import CATEGORY, fresh_example

DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"
FINISH_LONG_TEXT = "\x1b\r"  # Esc then Enter ends a multi-line answer
#: A multi-line prompt is live (the terminal in raw mode) once it shows this;
#: its question is printed above it before that, and Esc sent then is lost.
LIVE_LONG_TEXT = "›"


def spawn(workspace: Path) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40", "NO_COLOR": "1"}
    # pexpect does not answer cursor-position requests; without this prompt_toolkit
    # waits for each answer before drawing (a real terminal answers at once).
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = spawnkit.spawn(
        sys.executable,
        ["-c", "from selfeval.cli import main; main()",
         "peer-review", "--participant", "DEF", "--workspace", str(workspace), "--lang", "en"],
        env=env, encoding="utf-8", timeout=30, dimensions=(40, 120),
    )  # fmt: skip
    return child


def begin(child: pexpect.spawn) -> None:
    """Wait for the prompt under the opening panel and press Enter."""
    child.expect_exact("Press Enter to begin")
    child.send(ENTER)


def test_round_1_review_in_a_terminal_with_ctrl_c_and_resume(tmp_path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a POSIX pseudo-terminal")
    ws = fresh_example(tmp_path / "example")

    child = spawn(ws)
    begin(child)
    child.expect_exact("[1/3] Role: BZ")
    child.expect_exact("Your reaction to this finding")
    child.send(ENTER)  # Agree
    child.expect_exact("[2/3] Role: BZK")
    child.expect_exact("BZ: BZK is betrokken bij wederopbouw.")
    child.expect_exact("Your reaction to this finding")
    child.send(DOWN + DOWN)
    child.send(ENTER)  # Disagree
    child.expect_exact("Comment: what is not (quite) right?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send("BZK is niet betrokken bij wederopbouw.")
    child.send(FINISH_LONG_TEXT)
    child.expect_exact("Proposed correction")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(CTRL_C)
    child.expect_exact("Interrupted.")
    child.expect_exact("Resume with: selfeval peer-review --participant DEF")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    path = ws / "responses" / CATEGORY / "DEF" / "peer-review-1.yaml"
    saved = yamlio.load(path)
    assert saved["status"] == "draft"
    assert [(r["finding"], r["verdict"]) for r in saved["reactions"]] == [
        ("role.BZ", "agree"), ("role.BZK", "disagree"),
    ]  # fmt: skip
    assert saved["reactions"][1]["comment"] == "BZK is niet betrokken bij wederopbouw."

    child = spawn(ws)
    begin(child)
    # Resume: the two reactions given are not asked again.
    child.expect_exact("1 to go")
    child.expect_exact("[3/3] Need/ambition: Afstemming met de Wereldbank")
    child.expect_exact("Your reaction to this finding")
    child.send(DOWN + DOWN + DOWN)
    child.send(ENTER)  # No opinion
    child.expect_exact("Your reactions")
    child.expect_exact("To what extent does your department recognise")
    child.send(DOWN)
    child.send(ENTER)  # Largely
    child.expect_exact("General remarks on the draft report")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(FINISH_LONG_TEXT)
    child.expect_exact("What is missing from the draft report?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(FINISH_LONG_TEXT)
    for group in ("needs/ambitions", "opportunities"):  # peer-review-1 1.1.0: none of either
        child.expect_exact(f"Done with {group}")
        child.send(DOWN + ENTER)
    child.expect_exact("Completed by")
    child.send("Kol. A. de Vries" + ENTER)
    child.expect_exact("What would you like to do?")
    child.send(ENTER)  # Submit
    child.expect_exact("Submit now?")
    child.send(ENTER)
    child.expect_exact("Submitted peer review 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = yamlio.load(path)
    assert saved["status"] == "submitted"
    assert [r["verdict"] for r in saved["reactions"]] == ["agree", "disagree", "no-opinion"]
    assert saved["reactions"][1]["comment"] == "BZK is niet betrokken bij wederopbouw."
    assert saved["answers"]["recognition"] == "largely"
    assert saved["answers"]["completed_by"] == "Kol. A. de Vries"


def spawn_80x24(workspace: Path) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "LINES": "24", "NO_COLOR": "1"}
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return spawnkit.spawn(
        sys.executable,
        ["-c", "from selfeval.cli import main; main()",
         "peer-review", "--participant", "DEF", "--workspace", str(workspace), "--lang", "en"],
        env=env, encoding="utf-8", timeout=30, dimensions=(24, 80),
    )  # fmt: skip


def through_review(child: pexpect.spawn) -> None:
    """Page through the review (if it is longer than the screen) to the menu after it."""
    while child.expect([r"What would you like to do\?", r"You are reading page \d+ of"]):
        child.send(DOWN * 3 + ENTER)  # "Done reading" is the last entry; lists do not wrap


# Slow tier: a changed draft is proved by default through the CLI runner in tests/test_peer_review.py
# (test_a_changed_draft_is_refused_with_what_changed_until_rebase and the rebase tests); this
# is the same in a real terminal.
@pytest.mark.slow
def test_a_changed_draft_starts_in_one_command_with_consent_and_a_reaction_is_changed(
    tmp_path: Path,
) -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a POSIX pseudo-terminal")
    from test_peer_review import Interrupt, draft_findings, review, write_draft

    from selfeval.report.findings import finding_hash

    ws = fresh_example(tmp_path / "example")
    findings = draft_findings()
    write_draft(ws, findings)
    review(ws, "DEF", ["agree", Interrupt])  # DEF agreed with role.BZ, then stopped
    role_bz = next(f for f in findings if f["id"] == "role.BZ")
    role_bz["text"] = "BZ coördineert het buitenlands beleid en de noodhulp."
    role_bz["hash"] = finding_hash("role", role_bz["title"], role_bz["text"])
    write_draft(ws, findings)

    child = spawn_80x24(ws)
    child.expect_exact("The draft report changed since you started this peer review.")
    child.expect_exact("Changed, asked again: Role: BZ")
    child.expect_exact("Continue with the new draft?")
    child.send(ENTER)  # yes (the default): no --reopen, no --rebase, no second command
    begin(child)
    child.expect_exact("[1/3] Role: BZ")
    child.expect_exact("You see this because another department raised it")
    child.expect_exact("Your reaction to this finding")
    child.send(ENTER)  # the earlier verdict (Agree) is the default
    for _ in range(2):
        child.expect_exact("Your reaction to this finding")
        child.send(ENTER)  # Agree
    child.expect_exact("To what extent does your department recognise")
    child.send(ENTER)
    child.expect_exact("General remarks on the draft report")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(ENTER)  # Enter on an empty answer: no answer
    child.expect_exact("What is missing from the draft report?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(ENTER)
    for group in ("needs/ambitions", "opportunities"):  # peer-review-1 1.1.0: none of either
        child.expect_exact(f"Done with {group}")
        child.send(DOWN + ENTER)
    child.expect_exact("Completed by")
    child.send("Kol. A. de Vries" + ENTER)
    through_review(child)
    child.send(DOWN * 2 + ENTER)  # Submit, Change one answer, Change a reaction
    child.expect_exact("Which finding?")
    child.send(DOWN + ENTER)  # the second: Role: BZK
    child.expect_exact("[2/3] Role: BZK")
    child.expect_exact("Your reaction to this finding")
    child.send(DOWN * 2 + ENTER)  # Disagree
    child.expect_exact("Comment: what is not (quite) right?")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send("BZK is niet betrokken." + ENTER + ENTER)
    child.expect_exact("Proposed correction")
    child.expect_exact(LIVE_LONG_TEXT)
    child.send(ENTER)
    through_review(child)
    child.send(ENTER)  # Submit
    child.expect_exact("Submit now?")
    child.send(ENTER)
    child.expect_exact("Your peer review now follows the new draft report.")
    child.expect_exact("Submitted peer review 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = yamlio.load(ws / "responses" / CATEGORY / "DEF" / "peer-review-1.yaml")
    assert saved["status"] == "submitted"
    assert [(r["finding"], r["verdict"]) for r in saved["reactions"]] == [
        ("role.BZ", "agree"), ("role.BZK", "disagree"), ("BZ.needs.wereldbank", "agree"),
    ]  # fmt: skip
    assert saved["reactions"][0]["finding_hash"] == role_bz["hash"]
