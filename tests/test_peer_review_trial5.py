"""Issue 16, fifth trial: what a policy officer read in a peer review, played from
docs/peer-review.md alone (`selfeval peer-review --participant BZ --round 1`).

The draft report named as a file that opens (its full path, HTML or Word first,
how to open it), the opening line of an invited department, and the counts of
findings without a reaction said the same way everywhere. The engine with a
scripted prompter (test_peer_review.FakePrompter); long lists: test_list_height.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_peer_review import Interrupt, fresh_example, response_of, review


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example's exercise with the hand-written draft in reports/, no responses."""
    return fresh_example(tmp_path / "example")


def test_an_invited_department_is_told_it_is_invited_not_that_it_is_not_down(ws: Path) -> None:
    # "Uw departement staat niet ingedeeld bij collegiale toets 1" made the tester
    # wonder whether they had typed the wrong command.
    _, prompter = review(ws, "BZ", [Interrupt], round_=1, lang="nl")
    panel = next(n for n in prompter.notices if n[0] == "panel")
    assert panel[2][0] == "Uw departement is uitgenodigd voor collegiale toets 1."
    _, prompter = review(ws, "BZ", [Interrupt], round_=1, lang="en")
    panel = next(n for n in prompter.notices if n[0] == "panel")
    assert panel[2][0] == "Your department is invited to peer review 1."


def test_skipped_findings_are_counted_as_the_closing_line_counts_them(ws: Path) -> None:
    # The tester skipped one finding ("(geen antwoord)"), then "De overige
    # bevindingen overslaan": "Overgeslagen: 17" against "(5/23 … van een reactie
    # voorzien)". Here: no answer to the first of three, agree to the second, skip
    # the rest: 2 without a reaction, 1 of 3 reacted to.
    result, prompter = review(ws, "DEF", [None, "agree", "skip-rest", Interrupt], lang="nl")
    skipped = [n[1] for n in prompter.notices if n[1].startswith("Overgeslagen: ")]
    assert skipped[-1].startswith("Overgeslagen: 2 bevindingen zonder reactie"), skipped
    assert result.reacted == 1 and len(result.findings) == 3
    assert result.counts() == "1/3 bevindingen van een reactie voorzien"


def test_without_reaction_is_the_one_rule_for_both_counts(ws: Path) -> None:
    # A reaction lacking its comment is no reaction yet; "Geen mening" is one.
    review(ws, "DEF", ["no-opinion", "disagree", Interrupt], lang="nl")
    result, _ = review(ws, "DEF", [Interrupt], lang="nl")
    from selfeval.model.response import Reaction
    from selfeval.peer_review.reactions import without_reaction

    saved = response_of(ws, "DEF", "peer-review-1")["reactions"]
    reactions = [Reaction.model_validate(r) for r in saved]
    left = without_reaction(result.findings, reactions)
    assert [f.id for f in left] == ["role.BZK", "BZ.needs.wereldbank"]
    assert result.reacted == len(result.findings) - len(left) == 1
