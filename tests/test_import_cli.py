"""`selfeval import`: response files received by mail, checked and put where they belong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

CATEGORY = "falende-staten"
BZ = f"responses/{CATEGORY}/BZ/self-evaluation.yaml"
FIN = f"responses/{CATEGORY}/FIN/peer-review-2.yaml"


@pytest.fixture
def mail(example_ws: Path, tmp_path: Path) -> Path:
    """BZ's and FIN's responses as received by mail; the workspace does not have them yet."""
    folder = tmp_path / "mail"
    folder.mkdir()
    for relative, name in ((BZ, "zelfevaluatie BZ.yaml"), (FIN, "fin.yaml")):
        (folder / name).write_bytes((example_ws / relative).read_bytes())
        (example_ws / relative).unlink()
    return folder


def run(runner: CliRunner, ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["import", "--workspace", str(ws), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def files_of(ws: Path) -> dict[str, bytes]:
    return {
        p.relative_to(ws).as_posix(): p.read_bytes()
        for p in sorted(ws.rglob("*"))
        if p.is_file() and ".selfeval" not in p.parts
    }


def test_import_puts_each_response_where_it_belongs(
    runner: CliRunner, example_ws: Path, mail: Path
) -> None:
    code, out, err = run(
        runner, example_ws, str(mail / "zelfevaluatie BZ.yaml"), str(mail / "fin.yaml")
    )
    assert code == 0, err
    assert "Imported BZ's self-evaluation (submitted): " in out
    assert "2 responses imported" in out
    assert (example_ws / BZ).read_bytes() == (mail / "zelfevaluatie BZ.yaml").read_bytes()
    assert (example_ws / FIN).read_bytes() == (mail / "fin.yaml").read_bytes()
    check = runner.invoke(app, ["validate", "--workspace", str(example_ws)])
    assert check.exit_code == 0, check.output


def test_a_submitted_response_is_not_overwritten_without_replace(
    runner: CliRunner, example_ws: Path, mail: Path
) -> None:
    received = mail / "zelfevaluatie BZ.yaml"
    assert run(runner, example_ws, str(received))[0] == 0
    newer = received.read_text("utf-8").replace("completed_by: ", "completed_by: Nieuw, ", 1)
    received.write_text(newer, "utf-8")
    before = files_of(example_ws)
    code, _, err = run(runner, example_ws, str(received))
    assert code == 1
    assert f"{BZ} already exists (submitted)" in err
    assert "--replace" in err
    assert files_of(example_ws) == before

    code, out, err = run(runner, example_ws, "--replace", str(received))
    assert code == 0, err
    assert "Replaced BZ's self-evaluation" in out
    assert (example_ws / BZ).read_text("utf-8") == newer
    kept = list((example_ws / BZ).parent.glob("self-evaluation.submitted-*.yaml"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == before[BZ]
    assert "the submitted version it replaced is kept as " in out
    assert kept[0].name in out
    assert runner.invoke(app, ["validate", "--workspace", str(example_ws)]).exit_code == 0


def test_the_same_file_again_is_no_change(runner: CliRunner, example_ws: Path, mail: Path) -> None:
    assert run(runner, example_ws, str(mail / "fin.yaml"))[0] == 0
    code, out, _ = run(runner, example_ws, str(mail / "fin.yaml"))
    assert code == 0
    assert "Unchanged FIN's peer-review-2" in out
    assert "0 responses imported" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("participant: BZ", "participant: XYZ"), "participant 'XYZ' is not in selfeval.yaml"),
        (
            ("  version: ", "  version: 9.9.9  # was "),
            "questionnaire self-evaluation@9.9.9, which this workspace does not have",
        ),
        (
            ("hash: sha256:", "hash: sha256:00"),
            "it was answered against another text of that version",
        ),
        (
            ("incident_category: falende-staten", "incident_category: pandemie"),
            "incident category 'pandemie'",
        ),
        (("questionnaire:", "<<<<<<< HEAD\nquestionnaire:"), "unresolved git merge conflict"),
    ],
    ids=["participant", "version", "hash", "category", "conflict"],
)
def test_a_wrong_file_is_refused_and_nothing_is_imported(
    runner: CliRunner, example_ws: Path, mail: Path, change: tuple[str, str], message: str
) -> None:
    bad = mail / "zelfevaluatie BZ.yaml"
    text = bad.read_text("utf-8")
    assert change[0] in text
    bad.write_text(text.replace(change[0], change[1], 1), "utf-8")
    before = files_of(example_ws)
    # FIN's good file is given first: all or nothing, it is not imported either.
    code, _, err = run(runner, example_ws, str(mail / "fin.yaml"), str(bad))
    assert code == 1
    assert message in err
    assert f"{bad}" in err
    assert files_of(example_ws) == before
    assert not (example_ws / FIN).exists()


def test_two_files_for_one_response_are_refused(
    runner: CliRunner, example_ws: Path, mail: Path
) -> None:
    copy = mail / "copy.yaml"
    copy.write_bytes((mail / "fin.yaml").read_bytes())
    code, _, err = run(runner, example_ws, str(mail / "fin.yaml"), str(copy))
    assert code == 1
    assert "are both FIN's peer-review-2 response" in err
    assert not (example_ws / FIN).exists()


def test_a_zip_of_responses_is_imported_by_content_not_by_member_name(
    runner: CliRunner, example_ws: Path, mail: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "responses.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        # zip-slip names: they are never used as paths
        zf.writestr("../../../outside.yaml", (mail / "fin.yaml").read_bytes())
        zf.writestr("/etc/bz.yaml", (mail / "zelfevaluatie BZ.yaml").read_bytes())
        zf.writestr("__MACOSX/._fin.yaml", b"\x00\x05\x16\x07")
        zf.writestr("map/", b"")
    code, out, err = run(runner, example_ws, str(archive))
    assert code == 0, err
    assert "2 responses imported" in out
    assert (example_ws / FIN).read_bytes() == (mail / "fin.yaml").read_bytes()
    assert (example_ws / BZ).is_file()
    assert not list(tmp_path.rglob("outside.yaml"))


def test_a_zip_bomb_is_refused_while_reading(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("fin.yaml", b"a: " + b"0" * (yamlio.MAX_FILE_BYTES + 10))
    assert archive.stat().st_size < 100_000
    before = files_of(example_ws)
    code, _, err = run(runner, example_ws, str(archive))
    assert code == 1
    assert "too large once uncompressed" in err
    assert files_of(example_ws) == before


def test_a_zip_with_something_else_is_refused(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.exe", b"MZ")
    code, _, err = run(runner, example_ws, str(archive))
    assert code == 1
    assert f"{archive}:readme.exe: not a response file" in err
    not_a_zip = tmp_path / "broken.zip"
    not_a_zip.write_text("hello", "utf-8")
    code, _, err = run(runner, example_ws, str(not_a_zip))
    assert code == 1
    assert "cannot read the zip file" in err


def test_a_response_being_filled_is_not_imported_over(
    runner: CliRunner, example_ws: Path, mail: Path
) -> None:
    from filelock import FileLock

    from selfeval.files.workspace import Workspace

    lock = Workspace(example_ws).lock_path("FIN", "peer-review-2")
    lock.parent.mkdir(parents=True)
    with FileLock(lock, is_singleton=False):  # a `fill`/`peer-review` of FIN is running
        code, _, err = run(
            runner, example_ws, str(mail / "zelfevaluatie BZ.yaml"), str(mail / "fin.yaml")
        )
    assert code == 1
    assert "is being changed by another selfeval process" in err
    assert "nothing was imported" in err
    assert not (example_ws / BZ).exists()
    assert not (example_ws / FIN).exists()
