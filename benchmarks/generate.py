"""Realistic benchmark data: a workspace with N participants and N submitted responses.

The workspace is laid out by the real ``selfeval init`` command; the exercise
file is then replaced by one with N synthetic participants (codes ``P00001``,
``P00002``, …), all doing a self-evaluation of "falende staten". Each
participant gets one submitted response to the shipped self-evaluation
(1.6.0, its phases declared by the exercise), answered item by item from the
questionnaire itself, so every item type is covered (long Dutch texts with
diacritics, choices, participants, scales, dates, nested repeat groups with
sources). Answers are valid:
``selfeval validate`` accepts the workspace (the smoke test checks that).

Deterministic: the same N and seed give the same files.

Usage:
    python benchmarks/generate.py DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from selfeval.files import yamlio
from selfeval.files.workspace import Workspace
from selfeval.model.questionnaire import (
    DateItem,
    FindingsItem,
    InfoItem,
    IntegerItem,
    LongTextItem,
    MultipleChoiceItem,
    NumberItem,
    ParticipantItem,
    ParticipantsItem,
    Questionnaire,
    RepeatItem,
    ScaleItem,
    SingleChoiceItem,
    TextItem,
    YesNoItem,
)
from selfeval.model.response import QuestionnaireRef, Response

CATEGORY = "falende-staten"
QUESTIONNAIRE = "self-evaluation"
VERSION = "1.6.0"
#: The phases the self-evaluation offers (``choices_from: phases``), declared by the exercise.
PHASES = [
    {
        "value": "growing-tensions",
        "label": {"nl": "Groeiende tegenstellingen", "en": "Growing tensions"},
    },
    {"value": "decay", "label": {"nl": "Verval", "en": "Decay"}},
    {"value": "failure", "label": {"nl": "Falen", "en": "Failure"}},
    {"value": "recovery", "label": {"nl": "Herstel", "en": "Recovery"}},
]

# Sentences in the register of the seed report, with the diacritics users type.
SENTENCES = [
    "Falende staten vormen een bedreiging voor de nationale veiligheid wanneer het "
    "staatsgezag de controle over (delen van) het grondgebied verliest.",
    "Het departement richt zich vooral op de fasen van groeiende tegenstellingen en verval, "
    "waarin preventieve inzet nog effect kan sorteren.",
    "De coördinatie tussen Buitenlandse Zaken, Defensie en Financiën verloopt grotendeels "
    "informeel en is sterk afhankelijk van persoonlijke contacten.",
    "Risicoanalyses worden per departement opgesteld; een gedeeld beeld van de dreiging "
    "ontbreekt, waardoor signalen niet tijdig worden gewogen.",
    "In de beleidsuitvoering wordt samengewerkt met internationale partners zoals de VN, de "
    "EU en de NAVO, en met niet-gouvernementele organisaties ter plaatse.",
    "De aandacht voor herstel na een conflict is groot, maar de aansluiting op "
    "ontwikkelingssamenwerking op de lange termijn blijft een knelpunt.",
    "Er is behoefte aan een interdepartementaal afgestemde landenlijst en een gezamenlijke "
    "agenda voor vroegsignalering.",
    "Beleidsevaluaties richten zich op afzonderlijke programma's; de samenhang van het "
    "geheel wordt zelden geëvalueerd.",
    "Ook de gevolgen voor het Koninkrijk, zoals migratie, georganiseerde misdaad en "
    "terrorisme, verdienen een plaats in de analyse.",
    "De financiële instrumenten zijn versnipperd over verschillende begrotingen, wat snelle "
    "inzet bemoeilijkt.",
    "Medewerkers op de posten signaleren spanningen vaak vroeg, maar die informatie bereikt "
    "Den Haag niet altijd via de geëigende kanalen.",
    "Het kabinet heeft de ambitie uitgesproken om de geïntegreerde benadering van "
    "veiligheid en ontwikkeling verder uit te werken.",
    "Zo'n benadering vraagt om heldere afspraken over rollen, taken en "
    "verantwoordelijkheden, ook bij crisisbeheersing.",
    "Naast de inhoudelijke kant is het proces van belang: wie neemt het initiatief, en "
    "wanneer wordt er geëscaleerd naar het ministeriële niveau?",
    "De stabiliteitsfondsen bieden ruimte voor snelle, flexibele financiering van "
    "activiteiten op het snijvlak van vrede, veiligheid en ontwikkeling.",
    "Economische belangen, bijvoorbeeld de zekerheid van de energievoorziening, spelen "
    "een rol die in het beleid nog weinig expliciet wordt gemaakt.",
    "Bij de uitzending van militairen naar een falende staat is het toetsingskader leidend; "
    "de voorbereiding vindt plaats in nauw overleg met Buitenlandse Zaken.",
    "Justitie en de NCTb wijzen op de verbanden tussen falende staten en internationale "
    "criminaliteit, die in de analyses onderbelicht blijven.",
]
TITLES = [
    "Gebrek aan een gedeeld dreigingsbeeld",
    "Versnipperde financiering over begrotingen",
    "Informele coördinatie zonder vaste structuur",
    "Onvoldoende aandacht voor vroegsignalering",
    "Aansluiting van herstel op ontwikkelingssamenwerking",
    "Rol van economische belangen onderbelicht",
    "Verbanden met georganiseerde misdaad en terrorisme",
    "Interdepartementale landenlijst en agenda",
    "Evaluatie van de samenhang van het beleid",
    "Escalatie naar ministerieel niveau onduidelijk",
]
DOCUMENTS = [
    "Notitie Wederopbouw na gewapend conflict",
    "Beleidsbrief Ontwikkelingssamenwerking 'Aan elkaar verplicht'",
    "Defensienota 'Op weg naar een nieuw evenwicht'",
    "Notitie Veiligheid en ontwikkeling",
    "Strategie Nationale Veiligheid",
    "Jaarverslag Stabiliteitsfonds",
]
PEOPLE = ["mr. A. de Vries, beleidsmedewerker", "drs. B. Öztürk, senior adviseur", "J. Müller"]

#: How many entries each repeat group gets: (min, max).
REPEATS = {
    "documents": (2, 4),
    "other_roles": (1, 3),
    "activities": (4, 8),
    "bottlenecks": (2, 5),
    "blind_spots": (1, 4),
    "needs": (1, 4),
    "opportunities": (1, 4),
    "sources": (0, 2),
}


def long_text(rng: random.Random, low: int = 2, high: int = 6) -> str:
    """A paragraph or two of Dutch policy prose (one to a few sentences per line)."""
    sentences = rng.sample(SENTENCES, rng.randint(low, high))
    if len(sentences) > 3 and rng.random() < 0.5:
        cut = len(sentences) // 2
        return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:]) + "\n"
    return " ".join(sentences)


class _Answerer:
    """Builds valid answers for one respondent from the questionnaire's items."""

    def __init__(self, rng: random.Random, me: str, codes: list[str]) -> None:
        self.rng = rng
        self.me = me
        self.others = [c for c in codes if c != me] or [me]

    def value(self, item: Any, scope: dict[str, Any]) -> Any:
        rng = self.rng
        if isinstance(item, RepeatItem):
            low, high = REPEATS.get(item.id, (1, 3))
            low = max(low, item.min_items)
            entries = []
            for _ in range(rng.randint(low, high)):
                entries.append(self.answers(item.items, scope))
            return entries
        if isinstance(item, LongTextItem):
            return long_text(rng)
        if isinstance(item, TextItem):
            if item.id == "title":
                return rng.choice(TITLES)
            if item.id == "document":
                return rng.choice(DOCUMENTS)
            if item.id == "page":
                return f"{rng.randint(1, 40)}-{rng.randint(41, 90)}"
            if item.id == "completed_by":
                return rng.choice(PEOPLE)
            return rng.choice(TITLES)
        if isinstance(item, IntegerItem):
            low = item.min if item.min is not None else 0
            high = item.max if item.max is not None else 100
            if item.id == "year":
                low, high = max(low, 1995), min(high, 2006)
            return rng.randint(low, high)
        if isinstance(item, NumberItem):
            return round(rng.uniform(item.min or 0.0, item.max or 100.0), 2)
        if isinstance(item, ScaleItem):
            return rng.randint(item.min, item.max)
        if isinstance(item, DateItem):
            return f"2006-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"
        if isinstance(item, YesNoItem):
            return True  # keeps the conditional groups (e.g. bottlenecks) in play
        if isinstance(item, SingleChoiceItem):
            return rng.choice(item.choices).value
        if isinstance(item, MultipleChoiceItem):
            values = [c.value for c in item.choices]
            return rng.sample(values, rng.randint(1, len(values)))
        if isinstance(item, ParticipantItem):
            return rng.choice(self.others if item.exclude_self else [*self.others, self.me])
        if isinstance(item, ParticipantsItem):
            pool = self.others if item.exclude_self else [*self.others, self.me]
            return rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        if isinstance(item, FindingsItem):  # an opportunity answers the respondent's own findings
            own = [
                f"{self.me}.{group}.{n}"
                for group in ("bottlenecks", "blind_spots", "needs")
                for n in range(1, len(scope.get(group) or []) + 1)
            ]
            return rng.sample(own, min(len(own), rng.randint(1, 2)))
        raise TypeError(f"no generator for item type {item.type!r}")  # pragma: no cover

    def answers(self, items: list[Any], outer: dict[str, Any]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for item in items:
            if isinstance(item, InfoItem):
                continue
            scope = {**outer, **answers}
            if item.condition is not None and not item.condition.evaluate(scope):
                continue
            if item.id == "sources" and self.rng.random() < 0.3:
                continue  # not every finding cites a source
            answers[item.id] = self.value(item, scope)
        return answers


def response_data(
    questionnaire: Questionnaire, qhash: str, me: str, codes: list[str], rng: random.Random
) -> dict[str, Any]:
    """One submitted self-evaluation response of participant ``me``, as plain data."""
    answerer = _Answerer(rng, me, codes)
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        answers.update(answerer.answers(section.items, answers))
    response = Response(
        questionnaire=QuestionnaireRef(
            id=questionnaire.id, version=questionnaire.version, hash=qhash
        ),
        participant=me,
        incident_category=CATEGORY,
        status="submitted",
        started_at="2006-03-01T09:00:00Z",
        updated_at="2006-04-02T15:30:00Z",
        submitted_at="2006-04-02T15:30:00Z",
        answers=answers,
    )
    return response.to_data()


def exercise_data(codes: list[str]) -> dict[str, Any]:
    """An exercise file with one self-evaluating participant per code."""
    return {
        "project": "Project Nationale Veiligheid",
        "title": {
            "nl": "Geïntegreerde rapportage interdepartementale zelfevaluatie",
            "en": "Integrated report of the interdepartmental self-evaluation",
        },
        "incident_category": {
            "id": CATEGORY,
            "name": {"nl": "Falende staten", "en": "Failing states"},
            "choices": {"phases": PHASES},
        },
        "date": "2006-05-16",
        "status": "intern werkdocument",
        "language": "nl",
        "secretariat": "Secretariaat Project Nationale Veiligheid",
        "questionnaires": {"self-evaluation": VERSION},
        "participants": [
            {
                "code": code,
                "name": f"Departement {code[1:]}",
                "full_name": f"Ministerie van Benchmarkzaken {code[1:]}",
                "involvement": ["self-evaluation"],
            }
            for code in codes
        ],
    }


def participant_codes(count: int) -> list[str]:
    """``P00001`` … ``P0000N``."""
    return [f"P{i:05d}" for i in range(1, count + 1)]


def make_workspace(target: Path, count: int, *, seed: int = 2006) -> list[Path]:
    """Lay out a workspace in ``target`` with ``count`` submitted responses.

    Args:
        target: a new or empty folder.
        count: number of participants and responses.
        seed: random seed; the same seed gives the same files.

    Returns:
        The response files written, in participant order.
    """
    subprocess.run(
        [sys.executable, "-c", "from selfeval.cli import main; main()", "init", str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    codes = participant_codes(count)
    yamlio.write(target / "selfeval.yaml", exercise_data(codes), fsync=False)
    loaded = Workspace(target).questionnaire(QUESTIONNAIRE, VERSION)  # phases bound in
    rng = random.Random(seed)
    paths: list[Path] = []
    folder = target / "responses" / CATEGORY
    for code in codes:
        data = response_data(loaded.questionnaire, loaded.hash, code, codes, rng)
        path = folder / code / f"{QUESTIONNAIRE}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yamlio.dump(data), encoding="utf-8")
        paths.append(path)
    return paths


def total_size(paths: list[Path]) -> int:
    """Total size of ``paths`` on disk, in bytes."""
    return sum(p.stat().st_size for p in paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=2006)
    args = parser.parse_args()
    paths = make_workspace(args.target, args.count, seed=args.seed)
    size = total_size(paths)
    print(f"{len(paths)} responses, {size / 1e6:.1f} MB ({size / len(paths) / 1e3:.1f} KB each)")


if __name__ == "__main__":
    main()
