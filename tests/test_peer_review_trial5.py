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
from test_peer_review import Interrupt, fresh_example, review


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
