"""A small test questionnaire and workspace helpers shared by the fill tests."""

from __future__ import annotations

from pathlib import Path

from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace

#: A small self-evaluation with one item of most types, a `when` item and a repeat group.
MINI = """\
id: mini
version: '1.0.0'
kind: self-evaluation
title: {nl: Mini, en: Mini}
sections:
  - id: basics
    title: {nl: Basis, en: Basics}
    intro: {nl: Eerst de basis., en: First the basics.}
    items:
      - id: name
        type: text
        required: true
        label: {nl: Naam, en: Name}
        help: {nl: Naam van het departement, en: Name of the department}
      - id: remark
        type: long-text
        label: {nl: Opmerking, en: Remark}
      - id: count
        type: integer
        min: 0
        max: 100
        label: {nl: Aantal, en: Count}
      - id: agree
        type: yes-no
        required: true
        label: {nl: Akkoord, en: Agree}
      - id: why_not
        type: text
        when: agree == false
        label: {nl: Waarom niet, en: Why not}
      - id: level
        type: single-choice
        required: true
        label: {nl: Niveau, en: Level}
        choices:
          - {value: low, label: {nl: Laag, en: Low}}
          - {value: mid, label: {nl: Midden, en: Middle}}
          - {value: high, label: {nl: Hoog, en: High}}
  - id: findings
    title: {nl: Bevindingen, en: Findings}
    items:
      - id: partners
        type: participants
        exclude_self: true
        label: {nl: Partners, en: Partners}
      - id: points
        type: repeat
        finding: bottleneck
        label: {nl: Punten, en: Points}
        entry_label: {nl: Punt, en: Point}
        items:
          - id: title
            type: text
            required: true
            label: {nl: Titel, en: Title}
          - id: year
            type: integer
            label: {nl: Jaar, en: Year}
      - id: signed_on
        type: date
        required: true
        label: {nl: Datum, en: Date}
"""


def mini_workspace(root: Path) -> Path:
    """A workspace made by `selfeval init`, with the mini questionnaire added and pinned."""
    init_workspace(root)
    (root / "questionnaires" / "mini-1.0.0.yaml").write_text(MINI, "utf-8")
    return root


def response_of(root: Path, participant: str = "DEP1", qid: str = "mini") -> dict:
    """The response file's data."""
    return yamlio.load(root / "responses" / "mijn-incidentcategorie" / participant / f"{qid}.yaml")


#: Every item type that takes a `default:`, each with one; and checklists required and optional.
DEFAULTS = """\
id: defaults
version: '1.0.0'
kind: self-evaluation
title: Defaults
sections:
  - id: all
    title: {nl: Alles, en: All}
    items:
      - {id: text, type: text, default: 'NO', label: Tekst}
      - {id: count, type: integer, default: 7, label: Aantal}
      - {id: share, type: number, default: 2.5, label: Deel}
      - {id: day, type: date, default: '2006-05-16', label: Dag}
      - {id: agree, type: yes-no, default: false, label: Akkoord}
      - id: level
        type: single-choice
        default: mid
        label: Niveau
        choices: [{value: low, label: Laag}, {value: mid, label: Midden}]
      - id: phases
        type: multiple-choice
        default: [b, c]
        label: Fasen
        choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]
      - {id: rating, type: scale, default: 4, label: Oordeel}
      - id: must
        type: multiple-choice
        required: true
        label: Verplicht
        choices: [{value: a, label: A}, {value: b, label: B}]
      - id: may
        type: participants
        label: Mag
"""


def defaults_workspace(root: Path) -> Path:
    """The mini workspace with the `defaults` questionnaire added."""
    mini_workspace(root)
    (root / "questionnaires" / "defaults-1.0.0.yaml").write_text(DEFAULTS, "utf-8")
    return root
