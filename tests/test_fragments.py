"""The report's rendered parts kept between runs (issue 20): the report stays byte for byte the same.

A re-run renders only the parts (a department, a role, an activity, a
finding, an Annex 2 table, the notes) whose arguments changed and takes the
rest from ``.selfeval/cache/fragments/`` (``selfeval.report.fragments``).
Each test compares what a user gets — the report file — with a run without
any cache, after changing one thing the report is made from; and the pack
of parts is workspace input, so one not sealed by this user is never used.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval.cli import app
from selfeval.report import sealed
from selfeval.report.render import TEMPLATE_DIR

REPORT = Path("reports") / "integrated-report.md"
DRAFT = Path("reports") / "integrated-report-draft.md"


def aggregate(runner: CliRunner, ws: Path, *args: str) -> None:
    result = runner.invoke(app, ["aggregate", "-w", str(ws), *args])
    assert result.exit_code == 0, result.output


def cold(runner: CliRunner, ws: Path, tmp_path: Path, *args: str) -> str:
    """The report made without any cache (``--no-cache``), into a file of its own."""
    out = tmp_path / "cold" / "report.md"
    out.parent.mkdir(exist_ok=True)
    aggregate(runner, ws, "--no-cache", "-o", str(out), *args)
    return out.read_text("utf-8")


def packs(ws: Path) -> list[Path]:
    return sorted((ws / ".selfeval" / "cache" / "fragments").glob("*.json"))


def forget_runs(ws: Path) -> None:
    """Remove the record of the last run, so that the next run renders again."""
    shutil.rmtree(ws / ".selfeval" / "cache" / "runs", ignore_errors=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), "utf-8")


def change_response(ws: Path) -> None:
    _edit(
        ws / "responses" / "falende-staten" / "DEF" / "self-evaluation.yaml",
        "Adviserende rol bij de beleidsvorming",
        "Adviserende en sturende rol bij de beleidsvorming",
    )


def change_text(ws: Path) -> None:
    path = ws / "texts" / "preface.md"
    path.write_text(path.read_text("utf-8") + "\nEen alinea erbij.\n", "utf-8")


def change_exercise(ws: Path) -> None:
    _edit(ws / "selfeval.yaml", "name: Defensie\n", "name: Defensie (MinDef)\n")


def change_labels(ws: Path) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "labels.yaml").write_text(
        "nl:\n  definition: Definitie in eigen woorden\n", "utf-8"
    )


def change_answered_finding(ws: Path) -> None:
    """A bottleneck's title: the opportunity answering it shows it (a view inside a view)."""
    _edit(
        ws / "responses" / "falende-staten" / "BZ" / "self-evaluation.yaml",
        "title: Beperkte capaciteit beschikbaar bij BZK en Justitie",
        "title: Te weinig capaciteit beschikbaar bij BZK en Justitie",
    )


def add_merge(ws: Path) -> None:
    """The secretariat merges two needs in ``texts/merges.yaml``."""
    path = ws / "texts" / "merges.yaml"
    path.write_text(
        path.read_text("utf-8")
        + "  - ids: [BZ.needs.geintegreerde-benadering, DEF.needs.integrale-operationele-aansturing]\n"
        + "    note: Samengenomen door het secretariaat.\n",
        "utf-8",
    )


def override_partial(ws: Path) -> None:
    """A workspace's own ``_finding.md.j2``: its macros may keep state, so none is kept.

    Not even the shipped ``_sections.md.j2``'s, which call this file's
    ``authored_inline`` (an activity, a department's documents, Annex 2).
    """
    (ws / "templates").mkdir(exist_ok=True)
    text = (TEMPLATE_DIR / "_finding.md.j2").read_text("utf-8")
    heading = "{{ level }} {{ v.attribution | inline }}: {{ v.finding.title | inline }}"
    inline = "{{ t.text | inline }}{% endfor %}"
    assert heading in text and inline in text
    text = text.replace(heading, "{% set count.n = count.n + 1 %}" + heading + " ({{ count.n }})")
    text = text.replace(inline, "{{ t.text | inline }} »{% endfor %}")
    (ws / "templates" / "_finding.md.j2").write_text(
        "{%- set count = namespace(n=0) -%}\n" + text, "utf-8"
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(change_response, id="response"),
        # Slow tier: a change that reaches every finding (the exercise), a finding's text read
        # again (answered), a merge: each re-renders most parts (~2-3 s); by default the
        # kinds of key are proved by a response, a text, the labels and a template.
        pytest.param(change_answered_finding, id="answered-finding", marks=pytest.mark.slow),
        pytest.param(change_text, id="text"),
        pytest.param(change_exercise, id="exercise", marks=pytest.mark.slow),
        pytest.param(add_merge, id="merge", marks=pytest.mark.slow),
        pytest.param(change_labels, id="labels"),
        pytest.param(override_partial, id="template"),
    ],
)
def test_a_re_run_after_a_change_writes_the_report_a_run_without_cache_writes(
    runner: CliRunner, example_ws: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    aggregate(runner, example_ws)
    before = (example_ws / REPORT).read_text("utf-8")
    assert packs(example_ws)
    change(example_ws)
    aggregate(runner, example_ws)
    after = (example_ws / REPORT).read_text("utf-8")
    assert after != before  # the change shows
    assert after == cold(runner, example_ws, tmp_path)


@pytest.mark.parametrize(
    ("args", "report"),
    [
        (["--draft"], DRAFT),
        (["--format", "html"], Path("reports") / "integrated-report.html"),
    ],
    ids=["draft", "html"],
)
def test_the_draft_and_the_html_keep_their_own_parts_and_stay_the_same(
    runner: CliRunner, example_ws: Path, tmp_path: Path, args: list[str], report: Path
) -> None:
    aggregate(runner, example_ws)
    aggregate(runner, example_ws, *args)
    assert len(packs(example_ws)) == 2  # the final Markdown's parts and this report's
    change_response(example_ws)
    aggregate(runner, example_ws, *args)
    out = tmp_path / "cold" / f"report{report.suffix}"
    out.parent.mkdir()
    aggregate(runner, example_ws, "--no-cache", "-o", str(out), *args)
    assert (example_ws / report).read_text("utf-8") == out.read_text("utf-8")


def _poisoned(raw: bytes) -> bytes:
    """The pack's JSON with every part prefixed by a word no report has."""
    data = json.loads(raw)
    data["fragments"] = {key: "POISON " + text for key, text in data["fragments"].items()}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_the_kept_parts_are_what_a_re_run_shows(runner: CliRunner, example_ws: Path) -> None:
    """The pack is really read: parts sealed by this user's selfeval are used as they are."""
    aggregate(runner, example_ws)
    (pack,) = packs(example_ws)
    data = sealed.unseal("fragments", pack.stem, pack.read_bytes())
    assert data is not None
    assert sealed.write_sealed(pack, "fragments", pack.stem, _poisoned(data))
    forget_runs(example_ws)
    aggregate(runner, example_ws)
    assert "POISON" in (example_ws / REPORT).read_text("utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(
            lambda raw: bytes(sealed.SEAL_BYTES) + _poisoned(raw[sealed.SEAL_BYTES :]),
            id="forged-seal",
        ),
        pytest.param(lambda raw: _poisoned(raw[sealed.SEAL_BYTES :]), id="seal-removed"),
    ],
)
def test_a_damaged_or_forged_pack_is_ignored_and_rebuilt(
    runner: CliRunner, example_ws: Path, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    aggregate(runner, example_ws)
    (pack,) = packs(example_ws)
    pack.write_bytes(damage(pack.read_bytes()))
    forget_runs(example_ws)
    aggregate(runner, example_ws)
    report = (example_ws / REPORT).read_text("utf-8")
    assert "POISON" not in report
    assert report == cold(runner, example_ws, tmp_path)
    (rebuilt,) = packs(example_ws)
    assert sealed.unseal("fragments", rebuilt.stem, rebuilt.read_bytes()) is not None


def test_no_cache_keeps_no_parts_and_cache_clear_removes_them(
    runner: CliRunner, example_ws: Path
) -> None:
    aggregate(runner, example_ws, "--no-cache")
    assert not packs(example_ws)
    aggregate(runner, example_ws)
    assert packs(example_ws)
    result = runner.invoke(app, ["cache", "clear", "-w", str(example_ws)])
    assert result.exit_code == 0, result.output
    assert not packs(example_ws)


def test_a_re_run_that_makes_the_same_report_leaves_its_files_untouched(
    runner: CliRunner, example_ws: Path
) -> None:
    """Outputs are written only when their bytes change: the report keeps its file and time."""
    aggregate(runner, example_ws)
    report = example_ws / REPORT
    figures = sorted(report.parent.glob("figure-*.png"))
    assert figures
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in (report, *figures)]
    forget_runs(example_ws)
    aggregate(runner, example_ws)  # renders again (no record), the same bytes
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in (report, *figures)] == before
    change_text(example_ws)
    aggregate(runner, example_ws)
    assert report.stat().st_ino != before[0][0]  # replaced, atomically, with the new report
    assert "Een alinea erbij." in report.read_text("utf-8")


def test_a_part_given_what_a_template_changed_is_rendered_again(
    runner: CliRunner, example_ws: Path, tmp_path: Path
) -> None:
    """An override of the page may hand a shipped part a list holding a ``namespace``.

    The template can set the namespace's attributes between two calls with the
    same list: the second call must show the new value, as without the cache.
    (A namespace does not pickle, so such a call is never kept; a list is hashed
    once per render only when it holds plain values, ``fragments._flat``.)
    """
    (example_ws / "templates").mkdir(exist_ok=True)
    page = (TEMPLATE_DIR / "integrated-report.md.j2").read_text("utf-8")
    imports = (
        '{%- from "_sections.md.j2" import activity, annex2_table, department, notes, role -%}\n'
    )
    assert imports in page
    trick = (
        "{%- set box = namespace(word='eerste') -%}{%- set boxes = [box] -%}\n"
        "{{ notes(boxes) }}\n{% set box.word = 'tweede' %}{{ notes(boxes) }}\n"
    )
    (example_ws / "templates" / "integrated-report.md.j2").write_text(
        page.replace(imports, imports + trick), "utf-8"
    )
    aggregate(runner, example_ws)
    report = (example_ws / REPORT).read_text("utf-8")
    assert "'eerste'" in report and "'tweede'" in report
    assert report == cold(runner, example_ws, tmp_path)


def test_a_first_run_writes_each_part_as_it_is_made_and_holds_none(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory (issue 20): the parts a render made go to the new pack at once, not held.

    A report of 1,000 responses has ~27 MB of parts; they were all held in
    ``Fragments.used`` until the render ended. When the pack is saved, each
    part is already in it, and the pack re-run from it gives the same report.
    """
    from selfeval.report import fragments

    seen: list[tuple[int, int, int]] = []
    save = fragments.Fragments.save

    def spy(self: fragments.Fragments) -> bool:
        seen.append((self.made, len(self.used), len(self.written)))
        return save(self)

    monkeypatch.setattr(fragments.Fragments, "save", spy)
    aggregate(runner, example_ws)
    ((made, held, written),) = seen
    assert made > 50 and held == 0 and written == made
    (pack,) = packs(example_ws)
    data = sealed.unseal("fragments", pack.stem, pack.read_bytes())
    assert data is not None and len(json.loads(data)["fragments"]) == made
    first = (example_ws / REPORT).read_text("utf-8")
    forget_runs(example_ws)
    aggregate(runner, example_ws)
    assert seen[1][0] == 0  # every part reused from the pack written a part at a time
    assert (example_ws / REPORT).read_text("utf-8") == first


def test_a_part_shown_twice_in_one_render_is_read_back_the_same(
    runner: CliRunner, example_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that shows one part twice: the second is read back from the pack being written."""
    from selfeval.report import fragments

    (example_ws / "templates").mkdir(exist_ok=True)
    page = (TEMPLATE_DIR / "integrated-report.md.j2").read_text("utf-8")
    call = "{{ notes(r.notes) }}"
    assert page.count(call) == 1
    (example_ws / "templates" / "integrated-report.md.j2").write_text(
        page.replace(call, call + "\n\nNOGMAALS\n\n" + call), "utf-8"
    )
    read_back = fragments.Fragments._read_back
    calls: list[str | None] = []

    def spy(self: fragments.Fragments, key: str) -> str | None:
        calls.append(read_back(self, key))
        return calls[-1]

    monkeypatch.setattr(fragments.Fragments, "_read_back", spy)
    aggregate(runner, example_ws)
    report = (example_ws / REPORT).read_text("utf-8")
    assert calls and all(calls)
    before, after = report.split("NOGMAALS")
    assert calls[0] in before and calls[0] in after
    assert report == cold(runner, example_ws, tmp_path)


def test_a_pack_that_cannot_be_written_leaves_the_report_right_and_no_file_behind(
    runner: CliRunner, example_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk half-way through the new pack: the report is still made, byte for byte."""
    write = sealed.SealedWriter.write
    count = [0]

    def full(self: sealed.SealedWriter, chunk: bytes) -> int:
        count[0] += 1
        if count[0] > 10:
            raise OSError(28, "No space left on device")
        return write(self, chunk)

    monkeypatch.setattr(sealed.SealedWriter, "write", full)
    aggregate(runner, example_ws)
    assert count[0] > 10
    assert (example_ws / REPORT).read_text("utf-8") == cold(runner, example_ws, tmp_path)
    folder = example_ws / ".selfeval" / "cache" / "fragments"
    assert not packs(example_ws) and not list(folder.glob(".*"))


def test_a_finding_view_is_hashed_once_per_render_however_many_parts_show_it(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Performance (issue 20): a view's fields are hashed once per render, not once per part.

    An activity is shown in chapter 3.2 and in its department's Annex 2 table,
    a bottleneck in chapter 4 and among the findings an opportunity answers:
    each part hashed the whole view again. Each finding's fields are now read
    once while the report renders (inside its view's one digest; the
    templates never show a finding's ``hash``), and a re-run from the parts
    kept is the report a run without cache makes (the tests above).
    """
    from selfeval.report import render
    from selfeval.report.findings import Finding

    slot = Finding.__dict__["hash"]
    rendering = [False]
    seen: list[int] = []

    def read(finding: Finding) -> str:
        if rendering[0]:
            seen.append(id(finding))
        return slot.__get__(finding, Finding)

    def write(finding: Finding, value: str) -> None:
        slot.__set__(finding, value)

    render_into = render.render_into

    def spy(*args: object, **kwargs: object) -> object:
        rendering[0] = True
        try:
            return render_into(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            rendering[0] = False

    monkeypatch.setattr(Finding, "hash", property(read, write))
    monkeypatch.setattr(render, "render_into", spy)
    aggregate(runner, example_ws)
    assert len(seen) > 50
    assert len(seen) == len(set(seen))


def test_a_render_leaves_no_reference_cycle_behind(
    runner: CliRunner, example_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory: the kept parts' bookkeeping is freed when the render ends, without the collector.

    ``aggregate`` pauses Python's cyclic collector while it writes the report
    (``aggregate.paused_gc``), so anything in a reference cycle stays until
    the run ends: the parts reused (~40 MB of text at 1,000 responses), the
    digests and the objects they were taken of. A render's pack must be freed
    by reference counting alone.
    """
    import gc
    import weakref

    from selfeval.report import fragments, render

    made: list[weakref.ref[fragments.Fragments]] = []
    freed: list[bool] = []
    open_pack, render_into = fragments.open_pack, render.render_into

    def spy_open(kind: list[object]) -> fragments.Fragments | None:
        pack = open_pack(kind)
        if pack is not None:
            made.append(weakref.ref(pack))
        return pack

    def spy_render(*args: object, **kwargs: object) -> object:
        done = render_into(*args, **kwargs)  # type: ignore[arg-type]
        # Before anything else runs (drawing a figure collects the report model).
        freed.append(bool(made) and all(ref() is None for ref in made))
        return done

    monkeypatch.setattr(fragments, "open_pack", spy_open)
    monkeypatch.setattr(render, "render_into", spy_render)
    enabled = gc.isenabled()
    gc.disable()
    try:
        aggregate(runner, example_ws)
    finally:
        if enabled:
            gc.enable()
    assert freed == [True]


def test_a_key_covers_every_field_of_a_finding_and_its_view() -> None:
    """Soundness of the keys: any field of a finding, of its view or of a view inside it
    that changes gives other bytes to hash (a part showing it is rendered again)."""
    import dataclasses

    from selfeval.report import fragments
    from selfeval.report.findings import NO_DETAILS, Finding, Source
    from selfeval.report.views import AuthoredText, FindingView, ReactionView

    finding = Finding(
        id="BZ.bottlenecks.a", kind="bottleneck", title="Titel", text="Tekst é",
        scope=None, raised_by=("BZ",), concerns=("DEF",), hash="sha256:0",
        questionnaire="self-evaluation", source="responses/x.yaml", details=NO_DETAILS,
        sources=(Source("Nota", 2005, "3"),), place=("bottlenecks", 0),
    )  # fmt: skip
    answered = FindingView(finding, "BZ", "Defensie", True)
    view = FindingView(
        dataclasses.replace(finding, id="BZ.opportunities.b", kind="opportunity"),
        "BZ", "Defensie", True,
        texts=(AuthoredText(("BZ",), "BZ", "Tekst", False),),
        notes=(1,),
        reactions=(ReactionView("EZ", "EZ gaf aan", "agree", None, None, False, "x"),),
        answers=(answered,),
    )  # fmt: skip
    other = {
        str: "anders",
        "str | None": "anders",
        int: 7,
        bool: False,
        "tuple[str, ...]": ("ANDERS",),
        "tuple[int, ...]": (9,),
        "tuple[str | int, ...]": ("needs", 1),
        "dict[str, Any]": {"phase": "research"},
        "tuple[Source, ...]": (Source("Andere nota"),),
        "tuple[Finding, ...]": (finding,),
        "tuple[AuthoredText, ...]": (AuthoredText(("EZ",), "EZ", "Tekst", True),),
        "tuple[ReactionView, ...]": (),
        "tuple[FindingView, ...]": (),
        "Finding": dataclasses.replace(finding, title="Andere titel"),
    }

    def digest(value: object) -> bytes:
        return fragments._hashed_value(fragments._plain(value, fragments._Hashing()))

    def changed(obj: object, name: str, annotation: str) -> object:
        value = other[annotation] if annotation in other else other[type(getattr(obj, name))]
        assert value != getattr(obj, name)
        return dataclasses.replace(obj, **{name: value})  # type: ignore[type-var]

    seen = 0
    for obj in (finding, view):
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            assert digest(changed(obj, f.name, f.type)) != digest(obj), f.name
            seen += 1
    # A view inside a view: the finding an opportunity answers.
    inner = dataclasses.replace(answered, attribution="BZ en EZ")
    assert digest(dataclasses.replace(view, answers=(inner,))) != digest(view)
    assert seen == len(dataclasses.fields(Finding)) + len(dataclasses.fields(FindingView))
