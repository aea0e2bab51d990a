"""An option with fixed choices says which, in plain words (new-user trial of main).

typer 0.29 parses enum options through pydantic, which put "Value error, " in
front of the message: ``Invalid value for '--format': Value error, 'pdf' is not
one of 'md', 'html', 'docx'.``
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from selfeval.cli import app

CASES = [
    (["aggregate", "--format", "pdf"], "is not one of the choices: md, html, docx"),
    (["export", "--format", "pdf"], "is not one of the choices: csv, xlsx, json"),
    (["export", "--table", "nope"], "is not one of the choices: answers, findings, participants"),
    (
        ["questionnaire", "show", "self-evaluation", "--format", "pdf"],
        "is not one of the choices: md, html",
    ),
    # A respondent's commands speak the session language (no workspace here: Dutch).
    (["fill", "--participant", "BZ", "--lang", "de"], "--lang de kan niet; kies uit: nl, en."),
    (["peer-review", "--participant", "BZ", "--round", "3"], "--round 3 kan niet; kies uit: 1, 2."),
]


@pytest.mark.parametrize(("args", "said"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_a_value_not_among_the_choices_is_a_usage_error_in_plain_words(
    args: list[str], said: str
) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "Value error" not in result.output
    assert said in " ".join(result.output.split())


def test_the_help_lists_the_choices() -> None:
    result = CliRunner().invoke(app, ["aggregate", "--help"], env={"COLUMNS": "200"})
    assert "<md|html|docx>" in result.output
