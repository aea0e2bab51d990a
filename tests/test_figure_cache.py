"""The figures' disk cache (issue 20): reused only when sealed by us, for exactly its inputs.

``.selfeval/cache/figures/`` is workspace input, and the HTML report inlines
the SVG it holds: an entry is used only when its keyed hash under this
user's secret (``selfeval.report.sealed``) matches. A changed input is a new
key; a truncated, tampered or foreign entry is drawn again and rewritten.
Most tests replace the drawing itself (matplotlib) by a counter: what is
tested is the cache around it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report import cachebase, figures, sealed
from selfeval.report.figures import Figure, cached_in

DATA = (
    (("BZ", "strong", True), ("JenV", "weak", False)),
    (("BZ", "JenV"),),
    ("s", "m", "w", "?", "g"),
)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, ...]]]:
    """Every real drawing: (figure key, data, kind); the picture is a fake SVG naming its data."""
    calls: list[tuple[Any, ...]] = []

    def draw(key: str, data: tuple[Any, ...], kind: str) -> bytes:
        calls.append((key, data, kind))
        return f"<svg>{key} {data!r} {kind}</svg>".encode()

    monkeypatch.setattr(figures, "_draw", draw)
    figures._picture.cache_clear()
    yield calls
    figures._picture.cache_clear()


def picture(folder: Path | None, data: tuple[Any, ...] = DATA, kind: str = "svg") -> bytes:
    figures._picture.cache_clear()  # a new process: only the disk remembers
    with cached_in(folder):
        return Figure("roles", 1, "Figure 1", data).picture(kind)  # type: ignore[arg-type]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.*"))


def test_a_picture_is_drawn_once_and_then_read_from_the_cache(
    tmp_path: Path, drawn: list[tuple[Any, ...]]
) -> None:
    first = picture(tmp_path)
    assert len(drawn) == 1 and len(entries(tmp_path)) == 1
    assert picture(tmp_path) == first
    assert len(drawn) == 1  # not drawn again
    assert picture(None) == first and len(drawn) == 2  # outside cached_in: drawn


@pytest.mark.parametrize(
    "change",
    ["data", "kind", "matplotlib", "selfeval"],
)
def test_a_changed_input_draws_again(
    tmp_path: Path, drawn: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    picture(tmp_path)
    data, kind = DATA, "svg"
    if change == "data":
        data = (DATA[0][:1], (), DATA[2])
    elif change == "kind":
        kind = "png"
    elif change == "matplotlib":
        monkeypatch.setattr(figures, "_library_version", lambda: "99.0")
    else:
        monkeypatch.setattr(cachebase, "tool_fingerprint", lambda: "another selfeval")
    again = picture(tmp_path, data, kind)
    assert len(drawn) == 2
    assert again == f"<svg>roles {data!r} {kind}</svg>".encode()
    assert len(entries(tmp_path)) == 2


def _forged(raw: bytes) -> bytes:
    # What someone without the secret can do: change the picture, recompute any plain hash.
    payload = b"<svg><script>alert(1)</script></svg>"
    return hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[:-5] + b"evil>", id="tampered-bytes"),
        pytest.param(_forged, id="forged-with-a-plain-hash"),
        pytest.param(lambda raw: raw[sealed.SEAL_BYTES :], id="seal-removed"),
    ],
)
def test_a_damaged_or_forged_entry_is_drawn_again_and_rewritten(
    tmp_path: Path, drawn: list[tuple[Any, ...]], damage: Any
) -> None:
    genuine = picture(tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    assert picture(tmp_path) == genuine
    assert len(drawn) == 2
    assert picture(tmp_path) == genuine and len(drawn) == 2  # rewritten, sound again


def test_an_entry_sealed_by_another_user_is_not_trusted(
    tmp_path: Path, drawn: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "figures"
    picture(folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    picture(folder)
    assert len(drawn) == 2
    assert (tmp_path / "another-user" / "selfeval" / "cache-secret").stat().st_mode & 0o077 == 0


def test_without_a_secret_nothing_is_cached(
    tmp_path: Path, drawn: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    folder = tmp_path / "figures"
    assert picture(folder) == picture(folder)
    assert len(drawn) == 2
    assert not folder.exists() or not entries(folder)


def test_html_report_never_inlines_a_tampered_figure(runner: CliRunner, example_ws: Path) -> None:
    figures._picture.cache_clear()
    html = example_ws / "reports" / "integrated-report.html"
    command = ["aggregate", "-w", str(example_ws), "--format", "html"]
    assert runner.invoke(app, command).exit_code == 0
    genuine = html.read_text("utf-8")
    svgs = sorted((example_ws / ".selfeval" / "cache" / "figures").glob("*/*.svg"))
    assert svgs  # the worked example has figures
    for entry in svgs:
        raw = entry.read_bytes()
        entry.write_bytes(raw.replace(b"<svg ", b"<svg onload=\"alert('x')\" ", 1))
    figures._picture.cache_clear()
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert html.read_text("utf-8") == genuine
    assert "alert(" not in genuine
