"""Every text a department wrote carries its author where the report shows it (issue 17).

Seen in the worked example before: a merged finding headed "BZ en Defensie: …"
gave BZ's text with no name on it, so it read as a joint view; role
descriptions written by another department stood under the described
department's heading ("BZ: Rol bij …" under BZK); and "Defensie gaf hierover
aan: Defensie geeft aan …" named the department twice.

The rule is in the model (:class:`selfeval.report.views.AuthoredText`), so
the first test walks the whole report model and fails on any department text
it finds outside a place that names who wrote it; the others read the report
as a reader gets it (Markdown, Word).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files.workspace import Workspace
from selfeval.report.aggregate import build, read_responses
from selfeval.report.chapters import DepartmentView, OtherInput, RoleRow
from selfeval.report.findings import Finding
from selfeval.report.model import Report
from selfeval.report.views import AuthoredText, ReactionView, texts_by_author

ROOT = Path(__file__).resolve().parents[1]


Built = tuple[Report, list[Finding], dict[str, str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The worked example's report model, its merged findings, and code → name."""
    from selfeval.files.scaffold import init_workspace

    target = tmp_path_factory.mktemp("attribution") / "example"
    init_workspace(target, example=True)
    ws = Workspace.open(target)
    result = build(ws, read_responses(ws.response_files(), workspace=ws))
    names = {p.code: p.name for p in ws.exercise.participants}
    return result.report, result.findings, names


def _written(findings: list[Finding], name: dict[str, str]) -> dict[str, set[str]]:
    """Every department text of the findings (stripped) → the names of those who wrote it."""
    found: dict[str, set[str]] = {}

    def add(text: str, codes: list[str]) -> None:
        if text.strip():
            found.setdefault(text.strip(), set()).update(name.get(c, c) for c in codes)

    for finding in findings:
        if finding.kind == "role" and "views" in finding.details:
            for by, text, _, _ in finding.details["views"]:
                add(text, [by])
            continue
        add(finding.text, finding.written_by or finding.raised_by)
        for other in finding.others:
            add(other.text, other.raised_by)
    return found


def _authors_of(node: Any) -> list[str] | None:
    """The names a model object gives as the writers of the department texts inside it."""
    if isinstance(node, AuthoredText):
        return node.authors
    if isinstance(node, ReactionView):
        return [node.participant]
    if isinstance(node, OtherInput | RoleRow | DepartmentView):
        return [node.name]
    return None


def _strings(node: Any, authors: list[str] | None, path: str) -> Iterator[tuple[str, str, Any]]:
    """(path, string, the nearest authors around it) for every string of the model."""
    if isinstance(node, Finding):
        return  # the raw finding: templates show its texts only through FindingView.texts
    here = _authors_of(node)
    authors = here if here is not None else authors
    if isinstance(node, str):
        yield path, node, authors
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            yield from _strings(getattr(node, f.name), authors, f"{path}.{f.name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, authors, f"{path}[{key!r}]")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from _strings(value, authors, f"{path}[{i}]")


def test_no_department_text_in_the_report_model_without_its_author(built: Built) -> None:
    report, findings, names = built
    written = _written(findings, names)
    seen = 0
    wrong = []
    for path, text, authors in _strings(report, None, "report"):
        writers = written.get(text.strip())
        if not writers:
            continue
        seen += 1
        shown = {names.get(a, a) for a in authors or []}
        if not shown or not shown <= writers:
            wrong.append(
                f"{path}: {text[:50]!r} shown as by {sorted(shown)}, written by {sorted(writers)}"
            )
    assert wrong == []
    assert seen > 50  # the walk reaches the findings, roles and activities


def test_a_merged_finding_gives_each_department_s_text_under_its_name(built: Built) -> None:
    report, _, _ = built
    merged = next(
        v for v in report.bottlenecks if v.id == "BZ.bottlenecks.capaciteit-politie-justitie"
    )
    assert merged.attribution == "BZ en Defensie"
    assert [(t.authors, t.named) for t in merged.texts] == [(("BZ",), True), (("Defensie",), True)]


def test_the_same_text_of_two_departments_is_shown_once_as_theirs() -> None:
    texts = texts_by_author(
        [("BZ", "Geen behoefte."), ("Defensie", "Geen behoefte.")], ["BZ", "Defensie"], "en"
    )
    assert [(t.by, t.named) for t in texts] == [("BZ en Defensie", False)]


def test_a_text_that_names_its_author_itself_gets_no_second_name() -> None:
    texts = texts_by_author(
        [("BZ", "BZ geeft aan …"), ("Defensie", "Defensie geeft aan …"), ("BZ", "BZK levert …")],
        ["BZ", "Defensie"],
        "en",
    )
    assert [(t.by, t.named) for t in texts] == [
        ("BZ", False),
        ("Defensie", False),
        ("BZ", True),  # "BZK" is not "BZ"
    ]


@pytest.mark.parametrize(
    ("text", "names_itself"),
    [
        ("Defensie geeft aan …", True),
        ("*Defensie* geeft aan", True),
        ("(Defensie) vindt", True),
        ("Defensie", True),
        ("Defensie-breed is er …", False),  # a word that goes on with a hyphen
        ("Defensie_x", False),
        ("Defensie2 is …", False),
        ("Defensie² is …", False),  # a Unicode digit is a word character too
        ("Defensieé", False),
        ("Defensie, BZ en …", True),
        ("Defensie.", True),
        ("BZK levert", False),
        ("De BZ", False),
    ],
)
def test_a_text_names_its_author_only_where_the_name_ends_a_word(
    text: str, names_itself: bool
) -> None:
    """What was a regular expression per name (``name(?![\\w-])``) is string tests now."""
    [shown] = texts_by_author([("Defensie", text)], ["BZ"], "en")
    assert shown.names_itself is names_itself
    assert shown.names_itself is bool(re.match(r"Defensie(?![\w-])", text.lstrip(" *_‘'\"(")))


@pytest.fixture(scope="module")
def markdown(tmp_path_factory: pytest.TempPathFactory) -> str:
    from selfeval.files.scaffold import init_workspace

    target = tmp_path_factory.mktemp("attribution-md") / "example"
    init_workspace(target, example=True)
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(target)])
    assert result.exit_code == 0, result.output
    return (target / "reports" / "integrated-report.md").read_text("utf-8")


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n{heading}\n")
    end = markdown.find("\n#", start + len(heading) + 2)
    return markdown[start:end]


def test_the_report_names_each_text_of_a_merged_finding(markdown: str) -> None:
    part = _section(
        markdown, "#### BZ en Defensie: Beperkte capaciteit beschikbaar bij BZK en Justitie"
    )
    assert "\n**Volgens BZ:** De inzet van BZK en Justitie" in part
    assert "\n**Volgens Defensie:** Voor hervorming van de veiligheidssector" in part


def test_a_role_described_by_another_department_says_by_whom(markdown: str) -> None:
    part = _section(markdown, "#### BZK")
    assert "\n**Volgens BZ:** Rol bij internationale politiemissies" in part
    assert "\n**Volgens Defensie:** Verantwoordelijk voor de AIVD" in part
    assert "\nBZ: Rol bij" not in part
    table_row = next(line for line in markdown.splitlines() if line.startswith("| BZK |"))
    assert "volgens BZ en Defensie" in table_row


def test_a_department_is_not_named_twice(markdown: str) -> None:
    assert "gaf hierover aan" not in markdown
    part = _section(markdown, "##### BZ en Defensie: Geen behoefte aan interdepartementaal beleid")
    assert "\nBZ geeft aan geen behoefte" in part
    assert "\nDefensie geeft aan geen behoefte" in part
    assert not re.search(r"Defensie[^\n]{0,40}: Defensie geeft aan", part)


def test_the_word_report_names_the_authors_too(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from selfeval.files.scaffold import init_workspace

    target = tmp_path / "example"
    init_workspace(target, example=True)
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(target), "-f", "docx"])
    assert result.exit_code == 0, result.output
    paragraphs = [
        p.text for p in docx.Document(str(target / "reports" / "integrated-report.docx")).paragraphs
    ]
    assert any(
        p.startswith("Volgens Defensie: Voor hervorming van de veiligheidssector")
        for p in paragraphs
    )
    assert any(
        p.startswith("Volgens BZ: Rol bij internationale politiemissies") for p in paragraphs
    )
    assert not any("gaf hierover aan" in p for p in paragraphs)


def test_templates_show_a_finding_s_text_only_with_its_authors() -> None:
    users = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [
            *(ROOT / "selfeval" / "report").rglob("*.j2"),
            ROOT / "selfeval/report/docx.py",
        ]
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if re.search(r"\.finding\.text\b", line)
    ]
    assert users == [], "show FindingView.texts (AuthoredText), not finding.text"


def test_an_activity_that_names_its_department_is_not_led_by_the_name_again(markdown: str) -> None:
    activities = _section(markdown, "#### Onderzoek en risicoanalyses")
    assert "**BZ**: BZ laat" not in activities
    assert "\n- BZ laat (mede met Defensie) onderzoek doen" in activities
    assert "\n- **Defensie**: Risicoanalyse: continue assessments" in activities
