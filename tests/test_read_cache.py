"""The per-response cache of aggregate's read step (issue 20).

What a user sees: a re-run with nothing changed parses no response YAML and
writes the same report; any change to what a response's reading depends on
(the response, a questionnaire, the exercise, selfeval itself) is seen at
once; the secretariat's texts are never cached; a damaged or foreign cache
entry is ignored and rebuilt; two aggregates at once leave a sound cache;
``--no-cache`` and ``selfeval cache clear`` do what they say.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.files import yamlio
from selfeval.report import cachebase, readcache, sealed

REPORT = Path("reports/integrated-report.md")
BZ = Path("responses/falende-staten/BZ/self-evaluation.yaml")


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every response file whose YAML is parsed (yamlio.load_text of a file under responses/).

    ``load_text`` is where every parse goes: ``yamlio.load`` of a file, and a
    miss of the read cache, which parses the bytes it read for the key.
    """
    seen: list[Path] = []
    real = yamlio.load_text

    def counting(text: str, path: Path | str, *args: object, **kwargs: object) -> object:
        if "responses" in Path(path).parts:
            seen.append(Path(path))
        return real(text, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlio, "load_text", counting)
    yield seen


def _aggregate(runner: CliRunner, ws: Path, *args: str) -> str:
    result = runner.invoke(app, ["aggregate", "-w", str(ws), *args])
    assert result.exit_code == 0, result.output
    return (ws / REPORT).read_text("utf-8")


def _entries(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "read").glob("*/*.json"))


def _forget_runs(ws: Path) -> None:
    for record in (ws / ".selfeval" / "cache" / "runs").glob("*.json"):
        record.unlink()


def test_a_rerun_with_nothing_changed_parses_no_response_and_writes_the_same_report(
    runner: CliRunner, example_ws: Path, parsed: list[Path]
) -> None:
    uncached = _aggregate(runner, example_ws, "--no-cache")
    assert len(parsed) >= 9 and not _entries(example_ws)  # --no-cache: read, nothing stored
    parsed.clear()
    first = _aggregate(runner, example_ws)
    assert len(parsed) >= 9
    assert len(_entries(example_ws)) == len(parsed)
    parsed.clear()
    _forget_runs(example_ws)  # the read step itself, not the last run's record
    again = _aggregate(runner, example_ws)
    assert parsed == []
    assert again == first == uncached


def test_a_rerun_with_jobs_reads_the_cache_too(
    runner: CliRunner, example_ws: Path, parsed: list[Path]
) -> None:
    first = _aggregate(runner, example_ws)
    parsed.clear()
    _forget_runs(example_ws)
    assert _aggregate(runner, example_ws, "--jobs", "2") == first
    assert parsed == []


def test_a_changed_response_is_read_again(
    runner: CliRunner, example_ws: Path, parsed: list[Path]
) -> None:
    _aggregate(runner, example_ws)
    path = example_ws / BZ
    text = path.read_text("utf-8")
    assert "Kenmerkend is het ontbreken" in text
    path.write_text(text.replace("Kenmerkend is het ontbreken", "Typerend is het ontbreken"))
    parsed.clear()
    report = _aggregate(runner, example_ws)
    assert parsed == [example_ws / BZ]  # only the changed file
    assert "Typerend is het ontbreken" in report
    assert "Kenmerkend is het ontbreken" not in report


def test_a_changed_questionnaire_is_not_hidden_by_the_cache(
    runner: CliRunner, example_ws: Path
) -> None:
    _aggregate(runner, example_ws)
    pinned = yamlio.load(example_ws / "selfeval.yaml")["questionnaires"]["self-evaluation"]
    questionnaire = example_ws / "questionnaires" / f"self-evaluation-{pinned}.yaml"
    text = questionnaire.read_text("utf-8")
    assert "nl: Zelfevaluatie\n" in text
    questionnaire.write_text(text.replace("nl: Zelfevaluatie\n", "nl: Zelfevaluatie (bis)\n"))
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    # The responses pin the questionnaire's hash: checked again, not served from the cache.
    assert result.exit_code != 0
    assert "hash" in result.output and "self-evaluation.yaml" in result.output


def test_a_changed_exercise_is_not_hidden_by_the_cache(runner: CliRunner, example_ws: Path) -> None:
    _aggregate(runner, example_ws)
    exercise = example_ws / "selfeval.yaml"
    data = yamlio.load(exercise)
    data["participants"] = [p for p in data["participants"] if p["code"] != "BZ"]
    yamlio.write(exercise, data)
    result = runner.invoke(app, ["aggregate", "-w", str(example_ws)])
    assert result.exit_code != 0
    assert "'BZ' is not in selfeval.yaml" in result.output


def test_a_changed_text_shows_in_the_report(runner: CliRunner, example_ws: Path) -> None:
    _aggregate(runner, example_ws)
    preface = example_ws / "texts" / "preface.md"
    preface.write_text("Een nieuw voorwoord van het secretariaat.\n", "utf-8")
    assert "Een nieuw voorwoord van het secretariaat." in _aggregate(runner, example_ws)


def test_another_tool_version_reads_every_response_again(
    runner: CliRunner, example_ws: Path, parsed: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _aggregate(runner, example_ws)
    count = len(parsed)
    parsed.clear()
    monkeypatch.setattr(cachebase, "tool_fingerprint", lambda: "selfeval 99.0.0")
    assert _aggregate(runner, example_ws) == first
    assert len(parsed) == count


def _ours(change: Callable[[dict[str, Any]], None]) -> Callable[[bytes, str], bytes]:
    """A wrong entry sealed with this user's secret, as a buggy or older selfeval could write it."""

    def damage(raw: bytes, key: str) -> bytes:
        data = json.loads(raw[sealed.SEAL_BYTES :])
        change(data)
        return sealed.seal("read", key, json.dumps(data).encode()) or b""

    return damage


def _forged(raw: bytes, key: str) -> bytes:
    # Anyone can compute the key; only we can seal: a finding no response has, seal kept.
    data = json.loads(raw[sealed.SEAL_BYTES :])
    for finding in data["findings"]:
        finding["title"] = "Een bevinding die niemand schreef"
    return raw[: sealed.SEAL_BYTES] + json.dumps(data).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw, key: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw, key: b"", id="empty", marks=pytest.mark.slow),
        pytest.param(lambda raw, key: b"\xff\xfe garbage", id="not-utf8", marks=pytest.mark.slow),
        pytest.param(lambda raw, key: b"cos\nsystem\n(S'echo pwned'\ntR.", id="a-pickle"),
        pytest.param(
            lambda raw, key: raw[sealed.SEAL_BYTES :], id="unsealed", marks=pytest.mark.slow
        ),
        pytest.param(_forged, id="forged"),
        pytest.param(
            _ours(lambda d: d.update(key="0" * 64)), id="foreign-key", marks=pytest.mark.slow
        ),
        pytest.param(
            _ours(lambda d: d.update(findings="lots")), id="wrong-type", marks=pytest.mark.slow
        ),
        pytest.param(
            _ours(lambda d: d.update(format=0)), id="stale-format", marks=pytest.mark.slow
        ),
    ],
)
def test_a_damaged_cache_entry_is_ignored_and_rebuilt(
    runner: CliRunner, example_ws: Path, parsed: list[Path], damage: object
) -> None:
    first = _aggregate(runner, example_ws)
    entries = _entries(example_ws)
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes(), entry.stem))  # type: ignore[operator]
    parsed.clear()
    # Nothing changed, so the last run's record would skip the read step altogether
    # (test_run_record.py): without it, the read step meets the damaged entries.
    _forget_runs(example_ws)
    assert _aggregate(runner, example_ws) == first
    assert len(parsed) == len(entries)  # every response read from its YAML again
    parsed.clear()
    _forget_runs(example_ws)
    assert _aggregate(runner, example_ws) == first
    assert parsed == []  # and the entries were rewritten


# Slow tier: a damaged or half-written entry is ignored by default (test_a_damaged_cache_entry_is_ignored_and_rebuilt);
# two real aggregates at once take two fresh interpreters (~5 s).
@pytest.mark.slow
def test_two_aggregates_at_once_leave_a_sound_cache(
    runner: CliRunner, example_ws: Path, parsed: list[Path]
) -> None:
    command = [
        sys.executable, "-c", "from selfeval.cli import main; main()",
        "aggregate", "-w", str(example_ws),
    ]  # fmt: skip
    outputs = [example_ws / "reports" / f"run-{n}.md" for n in (1, 2)]
    procs = [
        subprocess.Popen([*command, "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for out in outputs
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert outputs[0].read_text("utf-8") == outputs[1].read_text("utf-8")
    assert not list((example_ws / ".selfeval" / "cache").rglob("*.tmp"))
    pictures = list((example_ws / ".selfeval" / "cache" / "figures").glob("*/*.*"))
    assert pictures  # both runs kept the figures, and every entry is whole and ours
    for entry in pictures:
        assert sealed.read_sealed(entry, "figure", entry.stem, limit=1 << 25) is not None
    records = list((example_ws / ".selfeval" / "cache" / "runs").glob("*.json"))
    assert len(records) == 2  # one per -o
    for record in records:
        assert sealed.read_sealed(record, "run", record.stem, limit=1 << 25) is not None
    report = _aggregate(runner, example_ws)
    assert parsed == []  # every entry sound and used
    assert report == outputs[0].read_text("utf-8")


def test_cache_clear_removes_the_cache(
    runner: CliRunner, example_ws: Path, parsed: list[Path]
) -> None:
    _aggregate(runner, example_ws)
    count = len(_entries(example_ws))
    result = runner.invoke(app, ["cache", "clear", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert f"Removed {count} cached responses" in result.stdout
    assert not (example_ws / ".selfeval" / "cache").exists()
    parsed.clear()
    _aggregate(runner, example_ws)
    assert len(parsed) == count


def test_the_cache_is_never_committed(runner: CliRunner, example_ws: Path) -> None:
    _aggregate(runner, example_ws)
    state = example_ws / ".selfeval"
    assert (state / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"


def test_a_read_only_workspace_still_aggregates_without_a_cache(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readcache, "open_cache", lambda ws: None)
    _aggregate(runner, example_ws)
    assert not _entries(example_ws)


def test_a_sealed_entry_reads_back_as_the_strict_decoder_reads_it(
    runner: CliRunner, example_ws: Path
) -> None:
    """``lookup`` builds a sealed entry without validating it again (``decode_sealed``).

    It must give exactly what the strict decoder gives, for every entry of the
    worked example (dates, sources, places, not-counted answers included).
    """
    _aggregate(runner, example_ws)
    entries = _entries(example_ws)
    assert entries
    for entry in entries:
        raw = sealed.unseal("read", entry.stem, entry.read_bytes())
        assert raw is not None
        strict, fast = (
            readcache.decode_entry(raw, entry.stem),
            readcache.decode_sealed(raw, entry.stem),
        )
        assert strict is not None and fast is not None
        assert readcache._same(fast, strict)
        assert [type(f.place) for f in fast.findings] == [type(f.place) for f in strict.findings]


@pytest.mark.parametrize("text", [False, True], ids=["bytes", "text"])
def test_a_sealed_entry_is_read_up_to_its_limit_and_not_a_byte_more(
    tmp_path: Path, text: bool
) -> None:
    """Reading by the entry's size (not a buffer of the limit) keeps the limit exact."""
    read = sealed.read_sealed_text if text else sealed.read_sealed
    entry = tmp_path / "entry.json"
    for size in (0, 1, 100, 70_000):
        data = b"x" * size
        assert sealed.write_sealed(entry, "read", "k", data)
        got = read(entry, "read", "k", limit=size)
        assert got == (data.decode() if text else data)
        assert read(entry, "read", "k", limit=size - 1) is None  # over the limit
        entry.write_bytes(entry.read_bytes() + b"x")  # grown after sealing
        assert read(entry, "read", "k", limit=size + 10) is None


def test_an_entry_s_result_digest_is_what_it_reads_as_not_its_key(
    runner: CliRunner, example_ws: Path
) -> None:
    """``result_digest``: the run record's cut-off compares responses by it (runrecord)."""
    _aggregate(runner, example_ws)
    digests = set()
    for entry in _entries(example_ws):
        raw = sealed.unseal("read", entry.stem, entry.read_bytes())
        assert raw is not None
        digest = readcache.result_digest(raw, entry.stem)
        assert digest is not None
        digests.add(digest)
        cached = readcache.decode_entry(raw, entry.stem)
        assert cached is not None
        # The same result under another key (other bytes that read the same): the same digest.
        elsewhere = readcache.encode_entry("0" * 64, cached)
        assert elsewhere is not None
        assert readcache.result_digest(elsewhere, "0" * 64) == digest
        assert readcache.result_digest(raw, "0" * 64) is None  # not an entry under that key
        if cached.findings:  # another result: another digest
            first = cached.findings[0]
            cached.findings = (dataclasses.replace(first, title=first.title + "!"),)
            other = readcache.encode_entry(entry.stem, cached)
            assert other is not None
            assert readcache.result_digest(other, entry.stem) != digest
    assert len(digests) == len(_entries(example_ws))  # each response reads as itself
