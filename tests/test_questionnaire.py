"""The questionnaire format and the three shipped questionnaires."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files.load import load_questionnaire
from selfeval.files.resources import newest_questionnaires
from selfeval.model.questionnaire import ITEM_TYPES, Questionnaire, content_hash, iter_items

REPO = Path(__file__).resolve().parents[1]

# A published version never changes (DESIGN.md §3). If this test fails, the
# file was edited: restore it and publish the change as a new version file.
PUBLISHED = {
    "self-evaluation-1.0.0.yaml": "sha256:1e1efcae1259b86b351a9c99e57004d0408851e5adca0aec14e999de038ab9d0",
    "peer-review-1-1.0.0.yaml": "sha256:618a2c59877c56b576bc4a94005463db5c5841a9e91a1d4cce41b586e84bec6c",
    "peer-review-2-1.0.0.yaml": "sha256:a3c0f0f4641735630911c609116b60535829cdff9bff236c751e0d7e7cc5b588",
    "self-evaluation-1.1.0.yaml": "sha256:2628163c547450b30540fe11fc9f6d0c8443308bf65dbc1a189413e2355d3130",
    "peer-review-1-1.1.0.yaml": "sha256:544631d75eb4366074eea2dc32348be1411d3bd69c3b40950f53232a0cb02f3d",
    "peer-review-2-1.1.0.yaml": "sha256:d2e74911e73532cd559a3d2d00ed59a513eea927b9a844e5c46f8ef5eb36a830",
    "self-evaluation-1.2.0.yaml": "sha256:ce8533240c485e844794b5cecda937b1aa3489bbcd40d98d63a62abfa829936a",
    "self-evaluation-1.3.0.yaml": "sha256:452ea7175bbf39d04d2552aa05930ed6c4b04898b31eee4eb20e4ec946c0ae86",
    "self-evaluation-1.4.0.yaml": "sha256:59e9697448f71015d6e6e2521725fbf42624f5c64264716fa5d50e624510a53c",
    "self-evaluation-1.5.0.yaml": "sha256:fd5961dfbb9f92d55bb936b8b2b828f2a48f5e7fd97152d7cc630addd92eae6c",
    "self-evaluation-1.6.0.yaml": "sha256:3cf19f32460965cc825f5dd423b503cd0e82eb812ca33e59b63179599da0aa48",
    "peer-review-1-1.2.0.yaml": "sha256:68a8b75f8c41764612d46dfdc8be01860623b6b260042adec27129367e41d65f",
    "peer-review-2-1.2.0.yaml": "sha256:251a92c9b0aa4a6cde22d9658501a97bf8d9a98d4919c111d43cc17f6a94a671",
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_versions_never_change(name: str) -> None:
    assert load_questionnaire(REPO / "questionnaires" / name).hash == PUBLISHED[name]


def test_every_shipped_version_is_pinned() -> None:
    assert sorted(p.name for p in (REPO / "questionnaires").glob("*.yaml")) == sorted(PUBLISHED)


def test_self_evaluation_asks_what_design_section_4_lists() -> None:
    q = load_questionnaire(REPO / "questionnaires" / "self-evaluation-1.0.0.yaml").questionnaire
    assert [s.id for s in q.sections] == [
        "view", "role", "activities", "bottlenecks", "blind_spots", "needs", "opportunities",
        "closing",
    ]  # fmt: skip
    findings = {i.id: i.finding for i in q.items() if getattr(i, "finding", None)}
    assert findings == {
        "documents": "document",
        "activities": "activity",
        "bottlenecks": "bottleneck",
        "blind_spots": "blind-spot",
        "needs": "need",
        "opportunities": "opportunity",
    }
    used = {item.type for item in iter_items([i for s in q.sections for i in s.items])}
    assert used >= {"text", "long-text", "integer", "date", "yes-no", "single-choice",
                    "multiple-choice", "scale", "participants", "participant", "info", "repeat"}  # fmt: skip
    phases = q.item("activities").items[0]  # type: ignore[union-attr]
    assert [c.value for c in phases.choices] == [
        "research", "development", "implementation", "evaluation",
    ]  # fmt: skip


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_every_label_has_dutch_and_english(name: str) -> None:
    q = load_questionnaire(REPO / "questionnaires" / name).questionnaire
    for item in iter_items([i for s in q.sections for i in s.items]):
        assert item.label.get("nl") and item.label.get("en"), item.id


#: What a respondent must not be shown: a file name (``selfeval.yaml``) or a
#: command-line option (``--reopen``); they speak to the coordinator, not to a
#: policy officer filling in the form (issue 16).
_TECHNICAL = re.compile(r"[\w-]+\.(?:ya?ml|md|json|docx|xlsx|html)\b|(?<![\w-])--[a-z]")


def _respondent_texts(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(place, text) for every nl/en text in a dumped questionnaire, ``migrates_from`` left out."""
    if isinstance(value, dict):
        if value and set(value) <= {"nl", "en"} and all(isinstance(v, str) for v in value.values()):
            return [(f"{path}.{lang}", text) for lang, text in value.items()]
        return [
            found
            for key, inner in value.items()
            if key != "migrates_from"
            for found in _respondent_texts(inner, f"{path}.{key}")
        ]
    if isinstance(value, list):
        return [
            found
            for n, inner in enumerate(value)
            for found in _respondent_texts(inner, f"{path}[{n}]")
        ]
    return []


@pytest.mark.parametrize("path", newest_questionnaires(), ids=lambda p: p.name)
def test_newest_versions_show_no_file_name_or_option_to_the_respondent(path: Path) -> None:
    q = load_questionnaire(path).questionnaire
    texts = _respondent_texts(q.model_dump())
    assert any(place.endswith(".label.nl") for place, _ in texts)  # labels, help, intros are read
    technical = [(place, text) for place, text in texts if _TECHNICAL.search(text)]
    assert technical == []


def test_content_hash_ignores_formatting_but_not_content() -> None:
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})


def minimal(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "demo",
        "version": "1.0.0",
        "kind": "self-evaluation",
        "title": "Demo",
        "sections": [
            {"id": "s", "title": "S", "items": [{"id": "a", "type": "text", "label": "A"}]}
        ],
    }
    base.update(changes)
    return base


def test_plain_label_means_both_languages() -> None:
    q = Questionnaire.model_validate(minimal())
    assert q.item("a").label == {"nl": "A", "en": "A"}


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "01.0.0", "1.0.0-beta"])
def test_version_must_be_semver(version: str) -> None:
    with pytest.raises(ValidationError, match="semantic version"):
        Questionnaire.model_validate(minimal(version=version))


def test_when_may_refer_to_outer_items_from_inside_a_repeat_group() -> None:
    sections = [
        {
            "id": "s",
            "title": "S",
            "items": [
                {"id": "a", "type": "yes-no", "label": "A"},
                {
                    "id": "r",
                    "type": "repeat",
                    "label": "R",
                    "items": [
                        {"id": "t", "type": "text", "label": "T"},
                        {"id": "u", "type": "text", "label": "U", "when": "a and t == 'x'"},
                    ],
                },
            ],
        }
    ]
    Questionnaire.model_validate(minimal(sections=sections))
    sections[0]["items"][1]["items"][1]["when"] = "later"  # type: ignore[index]
    with pytest.raises(ValidationError, match="not an item asked before it"):
        Questionnaire.model_validate(minimal(sections=sections))


def test_schema_command_prints_a_json_schema_listing_every_item_type(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Questionnaire"
    text = json.dumps(schema)
    for item_type in ITEM_TYPES:
        assert f'"{item_type}"' in text


def test_schema_of_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "nonsense"])
    assert result.exit_code == 2
    assert "use one of: questionnaire, exercise, response" in result.output


def test_schema_accepts_what_the_loader_accepts_for_texts_in_one_or_two_languages(
    runner: CliRunner,
) -> None:
    """An editor checking ``selfeval.yaml`` against ``selfeval schema exercise`` must not
    flag a plain string where the loader takes ``text or {nl: …, en: …}`` (a full name)."""
    import jsonschema
    import yaml

    result = runner.invoke(app, ["schema", "exercise"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    root = Path(__file__).resolve().parents[1]
    exercise = yaml.safe_load((root / "selfeval.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(exercise, schema)  # the worked example as it is
    exercise["participants"][0]["full_name"] = "Ministerie van Buitenlandse Zaken"
    exercise["title"] = "Eén titel in beide talen"
    jsonschema.validate(exercise, schema)
    exercise["participants"][0]["full_name"] = {"fr": "Ministère"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(exercise, schema)
