"""Old figure pictures do not pile up in ``reports/`` (docs/report.md, "Figures").

A Markdown report links PNG files beside it named by their bytes
(``figure-<n>-<hash>.png``). After a report is written into the workspace's
reports folder, the pictures there that selfeval named so and that no
Markdown report there links any more are removed; nothing else is touched.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio

BZ = Path("responses") / "falende-staten" / "BZ" / "self-evaluation.yaml"


def _aggregate(ws: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["aggregate", "--workspace", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result


def _linked(report: Path) -> list[str]:
    return re.findall(r"\((figure-\d-[0-9a-f]{10}\.png)\)", report.read_text("utf-8"))


def _pictures(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("figure-*.png")}


def _change_an_opportunity(ws: Path, title: str) -> None:
    """BZ's first opportunity gets a new title: Figure 2 shows it, so its picture changes."""
    data = yamlio.load(ws / BZ)
    data["answers"]["opportunities"][0]["title"] = title
    yamlio.write(ws / BZ, data, fsync=False)


def test_a_changed_figure_leaves_no_old_picture(example_ws: Path) -> None:
    reports = example_ws / "reports"
    _aggregate(example_ws)
    before = _linked(reports / "integrated-report.md")
    assert len(before) == 2 and _pictures(reports) == set(before)
    _change_an_opportunity(example_ws, "Een nieuwe kans")
    _aggregate(example_ws)
    after = _linked(reports / "integrated-report.md")
    assert after[0] == before[0] and after[1] != before[1]  # Figure 2 changed, Figure 1 not
    assert not (reports / before[1]).exists()
    assert (reports / after[1]).read_bytes().startswith(b"\x89PNG")
    assert _pictures(reports) == set(after)


def test_a_draft_and_a_final_report_each_keep_their_pictures(example_ws: Path) -> None:
    reports = example_ws / "reports"
    _aggregate(example_ws, "--draft")
    _change_an_opportunity(example_ws, "Een nieuwe kans")
    _aggregate(example_ws)
    draft = _linked(reports / "integrated-report-draft.md")
    final = _linked(reports / "integrated-report.md")
    assert draft[1] != final[1]
    assert _pictures(reports) == {*draft, *final}  # each keeps its own
    _aggregate(example_ws, "--draft")  # the draft now shows the new data too
    draft = _linked(reports / "integrated-report-draft.md")
    assert draft == final
    assert _pictures(reports) == set(final)


def test_files_the_user_made_stay(example_ws: Path, tmp_path: Path) -> None:
    reports = example_ws / "reports"
    reports.mkdir(exist_ok=True)
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(b"not the workspace's")
    own = {
        "my-chart.png": b"a picture of my own",
        "figure-1-0123456789.png.bak": b"a copy",
        "Figure-1-0123456789.png": b"another",
        "figure-1-ABCDEF0123.png": b"upper-case hex: not selfeval's",
        "figure-1-0123456789.jpg": b"not a png",
        "notes.txt": b"(figure-2-0123456789.png)",
    }
    for name, data in own.items():
        (reports / name).write_bytes(data)
    (reports / "figure-2-aaaaaaaaaa.png").mkdir()  # a folder by that name is left alone
    os.symlink(outside, reports / "figure-2-bbbbbbbbbb.png")  # so is a link, and its target
    _aggregate(example_ws)
    for name, data in own.items():
        assert (reports / name).read_bytes() == data, name
    assert (reports / "figure-2-aaaaaaaaaa.png").is_dir()
    assert os.path.islink(reports / "figure-2-bbbbbbbbbb.png")
    assert outside.read_bytes() == b"not the workspace's"


def test_a_report_linked_from_outside_the_workspace_is_not_followed(
    example_ws: Path, tmp_path: Path
) -> None:
    """A Markdown "report" that is a link out of the workspace is not read: nothing is removed."""
    reports = example_ws / "reports"
    _aggregate(example_ws)
    old = _linked(reports / "integrated-report.md")
    (tmp_path / "theirs.md").write_text("nothing linked here\n", "utf-8")
    os.symlink(tmp_path / "theirs.md", reports / "theirs.md")
    _change_an_opportunity(example_ws, "Een nieuwe kans")
    _aggregate(example_ws)
    assert (reports / old[1]).exists()  # unlinked, but selfeval cannot tell: kept


def test_output_elsewhere_removes_nothing_in_reports(example_ws: Path, tmp_path: Path) -> None:
    reports = example_ws / "reports"
    _aggregate(example_ws)
    before = _pictures(reports)
    _change_an_opportunity(example_ws, "Een nieuwe kans")
    out = tmp_path / "out" / "rapport.md"
    _aggregate(example_ws, "-o", str(out))
    assert _pictures(reports) == before == set(_linked(reports / "integrated-report.md"))
    assert _pictures(out.parent) == set(_linked(out))


def test_a_pipe_named_like_a_report_neither_blocks_nor_is_read(example_ws: Path) -> None:
    reports = example_ws / "reports"
    _aggregate(example_ws)
    old = _linked(reports / "integrated-report.md")
    os.mkfifo(reports / "pipe.md")  # opened without blocking, then refused: no writer needed
    _change_an_opportunity(example_ws, "Een nieuwe kans")
    _aggregate(example_ws)
    assert (reports / old[1]).exists()  # a report that cannot be read may link it: kept
