"""The one read rule's link check: what lies below the workspace root decides.

:func:`selfeval.files.reading.read_file` refuses a file of a workspace whose
real location is outside it. The check looks only at the folders below the
workspace root (``reading._real_path``); these cases hold it to
``os.path.realpath`` and to the refusals a user sees.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from selfeval.errors import InputError
from selfeval.files import reading


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace (reached through a link to its parent folder) with links in and out."""
    real = tmp_path / "real" / "exercise"
    (real / "responses" / "BZ").mkdir(parents=True)
    (real / "selfeval.yaml").write_text("exercise\n", "utf-8")
    (real / "responses" / "BZ" / "self-evaluation.yaml").write_text("answers\n", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("secret\n", "utf-8")
    responses = real / "responses"
    os.symlink(outside / "secret.yaml", responses / "BZ" / "linked-out.yaml")
    os.symlink(outside, responses / "DEF")
    os.symlink(responses / "BZ", responses / "BZ-again")
    os.symlink(real / "selfeval.yaml", responses / "BZ" / "linked-in.yaml")
    os.symlink(tmp_path / "real", tmp_path / "via-link")  # the root's own path has a link
    return tmp_path / "via-link" / "exercise"


READ = [
    "responses/BZ/self-evaluation.yaml",
    "responses/BZ/linked-in.yaml",
    "responses/BZ-again/self-evaluation.yaml",
    "responses/BZ/../BZ/self-evaluation.yaml",
]
REFUSED = [
    "responses/BZ/linked-out.yaml",
    "responses/DEF/secret.yaml",
    "responses/BZ/../DEF/secret.yaml",
    "responses/BZ-again/linked-out.yaml",
]


@pytest.mark.parametrize("rel", READ + REFUSED + ["responses/missing/x.yaml"])
def test_the_real_path_is_realpath_s(ws: Path, rel: str) -> None:
    path = Path(os.path.join(ws, rel))  # ".." kept as written
    assert reading._real_path(path, ws, os.path.realpath(ws)) == os.path.realpath(path)


@pytest.mark.parametrize("rel", READ)
def test_a_file_that_stays_in_the_workspace_is_read(ws: Path, rel: str) -> None:
    assert reading.read_file(os.path.join(ws, rel), max_bytes=1000) in (
        b"answers\n",
        b"exercise\n",
    )


@pytest.mark.parametrize("rel", REFUSED)
def test_a_file_that_leads_out_of_the_workspace_is_refused(ws: Path, rel: str) -> None:
    with pytest.raises(InputError, match="outside the workspace") as caught:
        reading.read_file(os.path.join(ws, rel), max_bytes=1000)
    assert "secret.yaml" in str(caught.value)


def test_a_relative_path_is_checked_as_the_absolute_one(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ws)
    assert reading.read_file("responses/BZ/self-evaluation.yaml", max_bytes=1000) == b"answers\n"
    with pytest.raises(InputError, match="outside the workspace"):
        reading.read_file("responses/DEF/secret.yaml", max_bytes=1000)
