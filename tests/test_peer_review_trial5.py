"""Issue 16, fifth trial: what a policy officer read in a peer review, played from
docs/peer-review.md alone (`selfeval peer-review --participant BZ --round 1`).

The draft report named as a file that opens (its full path, HTML or Word first,
how to open it), the opening line of an invited department, and the counts of
findings without a reaction said the same way everywhere. The engine with a
scripted prompter (test_peer_review.FakePrompter); long lists: test_list_height.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_peer_review import Interrupt, fresh_example, response_of, review, write_draft

from selfeval.files import yamlio


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The worked example's exercise with the hand-written draft in reports/, no responses."""
    return fresh_example(tmp_path / "example")


def draft_line(prompter: object) -> str:
    """The line under the heading of the reactions that says where the draft report is."""
    notices = prompter.notices  # type: ignore[attr-defined]
    heading = next(n for n in notices if n[1].startswith("Reacties op de concept"))
    return next(line for line in heading[2] if "concept-rapport" in line)


def draft_hash(ws: Path) -> str:
    return str(yamlio.load(ws / "reports" / "draft.yaml")["draft"]["hash"])


def made_by_aggregate(ws: Path, suffix: str, hash_: str) -> Path:
    """A draft report as `aggregate --draft --format <suffix>` writes it: it carries the hash."""
    path = ws / "reports" / f"integrated-report-draft.{suffix}"
    text = f"Concept-rapport\n\nKenmerk concept: {hash_}\n"
    if suffix == "docx":
        with zipfile.ZipFile(path, "w") as docx:
            docx.writestr("word/document.xml", f"<w:t>{text}</w:t>")
    else:
        path.write_text(text, "utf-8")
    return path


def test_the_draft_report_is_named_by_its_full_path_and_how_to_open_it(ws: Path) -> None:
    # The tester read "reports/integrated-report-draft.md": relative, Markdown, and no
    # word on how to open it.
    md = made_by_aggregate(ws, "md", draft_hash(ws))
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    line = draft_line(prompter)
    said, path = line.split("\n")
    assert path == str(md.resolve())
    assert "Kladblok" in said and "Word-versie" in said and "coördinator" in said


def test_an_html_or_word_draft_beside_it_is_named_first(ws: Path) -> None:
    hash_ = draft_hash(ws)
    made_by_aggregate(ws, "md", hash_)
    docx = made_by_aggregate(ws, "docx", hash_)
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    said, path = draft_line(prompter).split("\n")
    assert path == str(docx.resolve())
    assert "Word" in said and "Kladblok" not in said
    html = made_by_aggregate(ws, "html", hash_)
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    said, path = draft_line(prompter).split("\n")
    assert path == str(html.resolve())
    assert "webbrowser" in said


def test_an_html_draft_of_an_earlier_draft_is_not_named(ws: Path) -> None:
    # The coordinator made an HTML draft once, and later only the Markdown one of a
    # new draft: the HTML file is an old version, the Markdown one is this draft.
    made_by_aggregate(ws, "html", "sha256:" + "0" * 64)
    md = made_by_aggregate(ws, "md", draft_hash(ws))
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    assert draft_line(prompter).split("\n")[1] == str(md.resolve())


def test_a_draft_report_is_looked_for_beside_the_draft_given(tmp_path: Path, ws: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    draft = write_draft(ws)
    moved = elsewhere / "draft.yaml"
    moved.write_bytes(draft.read_bytes())
    html = elsewhere / "integrated-report-draft.html"
    html.write_text(f"Kenmerk concept: {draft_hash(ws)}", "utf-8")
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl", draft_path=moved)
    assert draft_line(prompter).split("\n")[1] == str(html.resolve())


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


def test_without_a_draft_report_the_reviewer_is_told_to_ask_for_one(ws: Path) -> None:
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    assert draft_line(prompter) == (
        "Vraag uw coördinator om het concept-rapport om erbij te lezen, als Word-bestand."
    )


def test_resuming_past_the_findings_says_where_the_draft_report_is(ws: Path) -> None:
    # A reviewer who comes back another day sees no finding's heading; "Een reactie
    # wijzigen" still wants the draft beside it.
    html = made_by_aggregate(ws, "html", draft_hash(ws))
    review(ws, "DEF", ["agree", "skip-rest", Interrupt], lang="nl")
    _, prompter = review(ws, "DEF", [Interrupt], lang="nl")
    resumed = next(n for n in prompter.notices if n[1].startswith("U was al voorbij"))
    assert resumed[2][-1].split("\n") == [
        "Het concept-rapport om erbij te lezen opent in uw webbrowser: kopieer de regel "
        "hieronder naar de adresbalk van de browser.",
        str(html.resolve()),
    ]
