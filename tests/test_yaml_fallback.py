"""Without libyaml, the pure-Python loader and dumper take over and stay correct.

selfeval uses libyaml's C loader and dumper when PyYAML was built with it
(about 20x faster), and PyYAML's pure-Python classes otherwise. These tests
hide the C classes, reload :mod:`selfeval.files.yamlio`, and check that the
fallback still round-trips what users type, refuses what it must, and that
``selfeval --version`` says which implementation is in use.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.errors import InputError
from selfeval.files import yamlio

TRICKY = [
    "NO", "on", "off", "yes", "1.10", "007", "0x1f", "1e3", "2006-05-16", "22:22", "~", "null",
    "", "*alias", "&anchor", "!tag", "- item", "key: value", "# comment", "Financiën",
    "naïeve coöperatie", "line1\nline2", "trailing\n", "€ 80-100 miljoen", ".inf",
]  # fmt: skip

DOCUMENT = {
    "participant": "FIN",
    "answers": {
        "definition": "Falende staten: staten die hun kerntaken niet meer vervullen.\n\nZie ook.\n",
        "phases": ["decay", "failure"],
        "year": 2006,
        "share": 0.25,
        "has_bottlenecks": True,
        "none": None,
        "bottlenecks": [{"title": "Coördinatie", "departments": ["BZ", "DEF"]}],
    },
}


@pytest.fixture
def pure_python(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Reload selfeval.files.yamlio as if PyYAML had no libyaml; restore it afterwards."""
    monkeypatch.delattr(yaml, "CSafeLoader")
    monkeypatch.delattr(yaml, "CSafeDumper")
    importlib.reload(yamlio)
    yield
    monkeypatch.undo()
    importlib.reload(yamlio)
    assert yamlio.LIBYAML == hasattr(yaml, "CSafeLoader")


@pytest.mark.usefixtures("pure_python")
def test_the_fallback_is_the_pure_python_implementation() -> None:
    assert yamlio.LIBYAML is False
    assert issubclass(yamlio._Loader, yaml.SafeLoader)
    assert issubclass(yamlio._Dumper, yaml.SafeDumper)


@pytest.mark.usefixtures("pure_python")
@pytest.mark.parametrize("text", TRICKY)
def test_fallback_round_trips_tricky_strings(text: str) -> None:
    document = {"answer": text, "list": [text]}
    assert yamlio.load_text(yamlio.dump(document)) == document


@pytest.mark.usefixtures("pure_python")
def test_fallback_round_trips_a_response_through_a_file(tmp_path: Path) -> None:
    target = tmp_path / "r.yaml"
    yamlio.write(target, DOCUMENT)
    assert yamlio.load(target) == DOCUMENT
    assert "Coördinatie" in target.read_text("utf-8")


@pytest.mark.usefixtures("pure_python")
def test_fallback_refuses_duplicate_keys_with_the_line() -> None:
    with pytest.raises(InputError) as caught:
        yamlio.load_text("a: 1\nb: 2\na: 3\n", "r.yaml")
    assert "duplicate key 'a' (first defined on line 1)" in caught.value.message
    assert str(caught.value.location) == "r.yaml:3:1"


@pytest.mark.usefixtures("pure_python")
def test_fallback_refuses_aliases_and_tags() -> None:
    with pytest.raises(InputError, match="anchors and aliases"):
        yamlio.load_text("a: &x [1, 2]\nb: *x\n")
    with pytest.raises(InputError, match="tag"):
        yamlio.load_text("a: !!python/object:os.system {}\n")


def test_c_and_python_dumpers_write_the_same_text(request: pytest.FixtureRequest) -> None:
    """Files diff cleanly whichever implementation a department's machine has."""
    if not yamlio.LIBYAML:
        pytest.skip("libyaml is not available here")
    c_text = yamlio.dump(DOCUMENT)
    request.getfixturevalue("pure_python")
    assert yamlio.LIBYAML is False
    assert yamlio.dump(DOCUMENT) == c_text


@pytest.mark.usefixtures("pure_python")
def test_version_names_the_pure_python_loader(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "YAML: pure Python (libyaml not found)" in result.output


def test_version_names_libyaml_when_present(runner: CliRunner) -> None:
    if not yamlio.LIBYAML:
        pytest.skip("libyaml is not available here")
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "YAML: libyaml (C)" in result.output
