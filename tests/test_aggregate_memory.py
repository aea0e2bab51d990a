"""What a first ``aggregate`` holds while it writes the report (issue 20: peak memory).

The figures are measured in ``docs/performance.md`` with ``benchmarks/memory.py``;
these tests hold the reasons: while the report is rendered (the step where
the peak falls) nothing is alive that the render does not need.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report import aggregate as pipeline
from selfeval.report import figures, render


def _alive(kind: type) -> int:
    """Objects of ``kind`` the collector knows of: alive, or unreachable but not collected."""
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


def _while_rendering(monkeypatch: pytest.MonkeyPatch, count: Any) -> list[Any]:
    """What ``count()`` gives when the Markdown starts to be written (inside aggregate)."""
    seen: list[Any] = []
    tidy = render._tidy_stream

    def spy(*args: Any, **kwargs: Any) -> None:
        seen.append(count())
        tidy(*args, **kwargs)

    monkeypatch.setattr(render, "_tidy_stream", spy)
    return seen


# Slow tier: what memory holds while a report is made is proved by default for the read results and the
# findings (the tests below); the figures' two checks draw every figure of the worked example again.
@pytest.mark.slow
def test_the_drawn_figures_are_freed_before_the_report_is_rendered(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A matplotlib figure is a web of cycles; aggregate pauses the collector while writing.

    Each figure drawn was kept until the end of the run (at 1,000 responses
    ~22 MB of RSS under the render, ``docs/performance.md``).
    """
    from matplotlib.figure import Figure as MplFigure

    figures._picture.cache_clear()  # drawn here, not taken from an earlier test's drawing
    figures._draw.cache_clear()
    drawn: list[str] = []
    draw = figures._draw

    def spy(key: str, data: Any, kind: Any) -> bytes:
        drawn.append(key)
        return draw(key, data, kind)

    monkeypatch.setattr(figures, "_draw", spy)
    gc.collect()  # what earlier tests left
    seen = _while_rendering(monkeypatch, lambda: (gc.isenabled(), _alive(MplFigure)))
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert drawn
    assert seen == [(False, 0)]  # the collector paused, and no figure left for it


# Slow tier: see test_the_drawn_figures_are_freed_before_the_report_is_rendered.
@pytest.mark.slow
def test_the_figures_are_drawn_once_the_report_model_is_let_go_of(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """matplotlib and a picture's pixels do not come on top of the report model.

    The Markdown names each picture by its hash, so the figures were drawn
    before the render, while the model was held: at 1,000 responses the
    peak of a first run (``docs/performance.md``). Now the render writes
    stand-ins, the model is let go of (and its cycle through Jinja2's render
    context collected) and then the figures are drawn.
    """
    from selfeval.report.model import Report

    figures._picture.cache_clear()  # drawn here, not taken from an earlier test's drawing
    figures._draw.cache_clear()
    gc.collect()  # what earlier tests left
    models: list[tuple[str, int]] = []
    draw = figures._draw

    def spy(key: str, data: Any, kind: Any) -> bytes:
        models.append((key, _alive(Report)))  # alive, or garbage the collector still holds
        return draw(key, data, kind)

    monkeypatch.setattr(figures, "_draw", spy)
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert models == [("roles", 0), ("opportunities", 0)]
    md = (example_ws / "reports" / "integrated-report.md").read_text("utf-8")
    assert len(re.findall(r"\(figure-\d-[0-9a-f]{10}\.png\)", md)) == 2


def test_the_read_results_are_released_once_the_report_model_is_built(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Step 1's results (one per response) are not held while the report is rendered."""

    def reachable() -> int:
        gc.collect()
        return _alive(pipeline.ParsedResponse)

    seen = _while_rendering(monkeypatch, reachable)
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert seen == [0]


def test_hashing_the_parts_leaves_no_copy_in_the_texts_it_hashed(
    example_ws: Path, tmp_path: Path
) -> None:
    """The kept parts' keys are hashed from the answers' texts without growing them.

    ``pickle`` asks a string for its UTF-8 form, which CPython then keeps in
    every non-ASCII string (the Dutch answers): the report's texts were held
    twice while the report was rendered (``docs/performance.md``).
    """
    import io
    import sys

    from selfeval.files.workspace import Workspace
    from selfeval.report import fragments

    bz = example_ws / "responses" / "falende-staten" / "BZ" / "self-evaluation.yaml"
    answers = bz.read_text("utf-8")
    assert "BZ volgt de omschrijving" in answers
    bz.write_text(answers.replace("BZ volgt de", "BZ (café) volgt de", 1), "utf-8")
    ws = Workspace.open(example_ws)
    parsed = pipeline.read_responses(ws.discover_responses().current, ws)
    built = pipeline.build(ws, parsed)
    texts = [f.text for f in built.findings if not f.text.isascii()]
    assert texts
    # The chapters' rows too: a department's view of the category (chapter 2).
    departments = [
        text
        for view in built.report.departments
        for text in (view.definition, view.causes, view.phases, view.phases_note)
        if not text.isascii()
    ]
    assert departments
    texts += departments
    sizes = [sys.getsizeof(t) for t in texts]
    out = io.StringIO()
    with fragments.kept_in(tmp_path / "fragments"):
        render.render_into(built.report, out, figure_files=True)
    assert out.getvalue()
    assert list((tmp_path / "fragments").glob("*.json"))  # the parts were hashed and kept
    assert [sys.getsizeof(t) for t in texts] == sizes


@pytest.mark.parametrize("run", ["first", "from the read cache"])
def test_the_findings_held_while_rendering_hold_no_empty_list_or_dict_of_their_own(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch, run: str
) -> None:
    """Every finding of every response is held for the whole run (issue 20: peak memory).

    Each held eight lists, most of them empty, and a dict for its details
    (1,000 responses: 166,000 lists, ~9 MB of RSS): its sequences are tuples
    now and a finding without details shares one empty mapping, whether it
    was read from the YAML or from the read cache — the kept parts' keys
    and the read cache's check compare them, so both must give the same.
    """
    import dataclasses

    from selfeval.report.findings import Finding

    if run != "first":
        result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
        assert result.exit_code == 0, result.output
        for record in (example_ws / ".selfeval" / "cache" / "runs").glob("*.json"):
            record.unlink()  # so that the re-run renders again, from the cached reads

    def held() -> tuple[int, list[str]]:
        gc.collect()
        findings = [obj for obj in gc.get_objects() if type(obj) is Finding]
        own = [
            f"{finding.id}.{name}"
            for finding in findings
            for name in (f.name for f in dataclasses.fields(Finding))
            if type(value := getattr(finding, name)) is list
            or (type(value) is dict and not value)  # not the shared NO_DETAILS
        ]
        return len(findings), own

    seen = _while_rendering(monkeypatch, held)
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    ((count, own),) = seen
    assert count > 20
    assert own == []
