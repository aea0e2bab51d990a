"""The report's own words: correct Dutch, plain English, counts that agree (issue 17).

One test per thing an editor found in the worked example's report (Dutch)
and in the same exercise with ``language: en``; each failed before the words
moved to the catalogues (``selfeval/locale``) and were corrected there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace
from selfeval.i18n import ngettext
from selfeval.report.chapters import preface_caveat
from selfeval.report.findings import Finding
from selfeval.report.views import FindingView

CAT = Path("responses") / "falende-staten"


def _aggregate(ws: Path) -> str:
    # --ids: these tests read how a finding's code is named where the report shows it
    result = CliRunner().invoke(app, ["aggregate", "--ids", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    return (ws / "reports" / "integrated-report.md").read_text("utf-8")


def _edit(path: Path, change: Any) -> None:
    data = yamlio.load(path)
    change(data)
    yamlio.write(path, data)


def _example(tmp_path_factory: pytest.TempPathFactory, lang: str) -> Path:
    target = tmp_path_factory.mktemp(f"words-{lang}") / "example"
    init_workspace(target, example=True)
    if lang != "nl":
        path = target / "selfeval.yaml"
        path.write_text(
            path.read_text("utf-8").replace("\nlanguage: nl\n", f"\nlanguage: {lang}\n")
        )
    return target


@pytest.fixture(scope="module")
def dutch(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _aggregate(_example(tmp_path_factory, "nl"))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _aggregate(_example(tmp_path_factory, "en"))


def _views(single: int, total: int) -> list[FindingView]:
    finding = Finding("x", "bottleneck", "t", "", None, ["BZ"], [], "h", "self-evaluation", "s")
    return [FindingView(finding, "BZ", "", n < single) for n in range(total)]


# --- counts and agreement ---------------------------------------------------------------------


def test_the_caveat_says_all_when_every_finding_has_one_source() -> None:
    text = preface_caveat("nl", _views(5, 5))
    assert text is not None
    assert "5 van de 5" not in text
    assert (
        "dat alle knelpunten, blinde vlekken, kansen en mogelijkheden in deze rapportage (5 in totaal) gebaseerd zijn"
        in text
    )
    english = preface_caveat("en", _views(5, 5))
    assert (
        english is not None
        and "all the bottlenecks, blind spots and opportunities in this report (5 in total) rest on"
        in english
    )


def test_the_caveat_agrees_with_one() -> None:
    assert preface_caveat("nl", _views(1, 12)) == (
        "Nadrukkelijk dient vermeld te worden dat 1 van de 12 knelpunten, blinde vlekken, kansen en "
        "mogelijkheden in deze rapportage gebaseerd is op de visie van één departement en (nog) geen "
        "gemeenschappelijk beeld weergeeft. Bij die bevinding staat dit aangegeven."
    )
    english = preface_caveat("en", _views(1, 12))
    assert (
        english is not None
        and "1 of the 12 bottlenecks, blind spots and opportunities in this report rests on"
        in english
    )
    assert preface_caveat("nl", _views(0, 12)) is None


def test_the_worked_example_s_caveat(dutch: str) -> None:
    # 17 since issue 12 (fig2): the peer reviews add opportunities, as in the seed's Figure 2
    assert (
        "dat 12 van de 17 knelpunten, blinde vlekken, kansen en mogelijkheden in deze rapportage gebaseerd zijn op de visie"
        in dutch
    )


# --- garbled or wrong labels -----------------------------------------------------------------


# "Verwacht maar niet (ingediend) ontvangen:": test_aggregate_cli.py::test_missing_peer_review_is_named


def test_annex_1_does_not_call_a_self_evaluation_a_questionnaire(dutch: str, english: str) -> None:
    assert "Een zelfevaluatie is een volledige vragenlijst" not in dutch
    assert (
        "Bij een zelfevaluatie heeft een departement de volledige vragenlijst over beleid en beleidsproces beantwoord"
        in dutch
    )
    assert "In a self-evaluation a department answered the full questionnaire" in english


def test_a_sentence_starts_with_a_capital(dutch: str, english: str) -> None:
    assert "\n*ingebracht in" not in dutch
    assert "\n*Ingebracht in collegiale toets 2.*\n" in dutch
    assert "\n*Betreft: BZ; ingebracht in collegiale toets 2.*\n" in dutch  # mid-sentence: as is
    assert "\n*Raised in peer review 2.*\n" in english
    assert not re.search(r"^code: ", dutch, re.M)
    assert "\nCode: `BZ.needs.conflictpreventie`\n" in dutch


@pytest.fixture(scope="module")
def stale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The stale-reactions part: Dutch with one reaction and with two, English with two."""
    found = {}
    for lang, count in (("nl", 1), ("nl", 2), ("en", 2)):
        ws = _example(tmp_path_factory, lang)
        bz = ws / CAT / "BZ" / "self-evaluation.yaml"
        _edit(bz, lambda d: d["answers"]["bottlenecks"][1].update(title="Een andere titel"))
        if count == 1:  # only EZ's reaction to it left
            fin = ws / CAT / "FIN" / "peer-review-2.yaml"
            _edit(fin, lambda d: d.update(reactions=d["reactions"][1:]))
        text = _aggregate(ws)
        start = text.index("### 4.5 ")
        found[f"{lang}{count}"] = text[start : text.index("## 5 ", start)]
    return found


# Slow tier: three worked examples with stale reactions made and aggregated (~2.6 s); by
# default tests/test_aggregate_cli.py lists a reaction to a changed or removed finding.
@pytest.mark.slow
def test_the_stale_reactions_text_agrees_with_their_number(stale: dict[str, str]) -> None:
    assert stale["nl2"].count("\n- `") == 2
    assert (
        "\nDeze reacties uit de collegiale toets betreffen bevindingen die sinds de conceptrapportage zijn gewijzigd of zijn vervallen. Ze worden"
        in stale["nl2"]
    )
    assert stale["nl1"].count("\n- `") == 1
    assert (
        "\nDeze reactie uit de collegiale toets betreft een bevinding die sinds de conceptrapportage is gewijzigd of is vervallen. Zij wordt"
        in stale["nl1"]
    )


def test_english_says_have_changed(stale: dict[str, str]) -> None:
    assert (
        "These peer-review reactions concern findings that have changed or been removed since the draft report."
        in stale["en2"]
    )
    assert ngettext("en", "report.stale_intro", "report.stale_intro_plural", 1) == (
        "This peer-review reaction concerns a finding that has changed or been removed since the "
        "draft report. It is given here in full."
    )
    assert "(the finding's text has changed since the draft)" in stale["en2"]


# --- inconsistent terms -------------------------------------------------------------------------


def test_one_word_for_a_finding_s_code(english: str) -> None:
    assert "Each finding has a fixed code (for example `BZ." in english
    assert not re.search(r"^id: `", english, re.M)
    assert "\nCode: `BZ.needs.conflictpreventie`\n" in english
    assert "| Source | Code |" in english


def test_annex_1_s_column_fits_a_participant_that_is_no_ministry(dutch: str, english: str) -> None:
    assert "| Ministerie |" not in dutch
    assert "| Departement | Vorm van betrokkenheid | Opmerking |" in dutch
    assert "| Department | Form of involvement | Remarks |" in english
    assert "| NCTb | Collegiale toets 1 | De NCTb is geen ministerie" in dutch


def test_kansen_en_mogelijkheden_throughout(dutch: str) -> None:
    caveat = next(line for line in dutch.splitlines() if line.startswith("> Nadrukkelijk"))
    assert "blinde vlekken, kansen en mogelijkheden" in caveat


def test_one_citation_style_for_documents_and_notes(dutch: str) -> None:
    # the notes' style (the seed's footnotes): title, year
    assert "\n3. TK 2005-2006, 27 925, nr. 193.\n" in dutch
    assert "\n- Beleidsvisie 2006, 2005 (`DEF.documents.beleidsvisie-2006`)\n" in dutch
    assert "(2005)*" not in dutch


# --- English -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "Concerns:",
        "proactive force",
        "possibilities",
        "Possibilities",
        "Recognition of the picture",
        "said on this",
    ],
)
def test_english_has_no_literal_translation(english: str, literal: str) -> None:
    assert literal not in english


def test_english_in_plain_eu_english(english: str) -> None:
    assert "\n*Departments concerned: BZK and Justitie.*\n" in english
    assert (
        "chapter 5 gives the conclusions, with the opportunities to make the policy more proactive"
        in english
    )
    assert "| Opportunities (process), developing new policy |" in english
    assert "- **How far the draft report reflects its view:** largely" in english


def test_dates_in_running_text_per_language(dutch: str, english: str) -> None:
    assert "\nDatum: 16 mei 2006\\\n" in dutch
    assert "\nDate: 16 May 2006\\\n" in english
    for text in (dutch, english):
        assert not re.search(r"\b(?:2006-05-16|16-05-2006)\b", text)
