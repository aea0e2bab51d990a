"""YAML I/O: safe loading, faithful round trips, refusals with file:line, atomic writes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval.errors import InputError
from selfeval.files import yamlio

TRICKY = [
    "NO", "no", "on", "off", "yes", "Y", "n", "true", "False", "1.10", "007", "0x1f", "1e3",
    "2006-05-16", "2006-05-16 10:00:00", "22:22", "1:20:30", "~", "null", "Null", "", " ",
    "*alias", "&anchor", "!tag", "%directive", "@x", "`x", "- item", "? key", "key: value",
    "# comment", "a #b", "'quoted'", '"dq"', "Financiën", "naïeve coöperatie", "tab\there",
    "line1\nline2", "trailing\n", "\nleading", "  indented\nlines", "€ 80-100 miljoen", ".inf", ".NaN",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_read_back_as_the_same_string(text: str) -> None:
    document = {"answer": text, "list": [text]}
    assert yamlio.load_text(yamlio.dump(document)) == document


def test_diacritics_are_written_as_is(tmp_path: Path) -> None:
    target = tmp_path / "r.yaml"
    yamlio.write(target, {"name": "Financiën"})
    assert "Financiën" in target.read_text("utf-8")


_scalars = (
    st.text()
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
)
_keys = st.text(min_size=1, max_size=20)
_documents = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=25,
)


_answer_documents = st.dictionaries(_keys, _documents, max_size=6)


@settings(max_examples=100, deadline=None)
@given(_answer_documents)
def test_any_answer_document_round_trips(document: dict[str, object]) -> None:
    assert yamlio.load_text(yamlio.dump(document)) == document


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(_answer_documents)
def test_any_answer_document_round_trips_many_times(document: dict[str, object]) -> None:
    assert yamlio.load_text(yamlio.dump(document)) == document


def test_dates_typed_unquoted_load_as_dates_but_quoted_as_strings() -> None:
    assert yamlio.load_text("a: 2006-05-16\nb: '2006-05-16'\n") == {
        "a": dt.date(2006, 5, 16),
        "b": "2006-05-16",
    }


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first defined on line 1)"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", 1, "not allowed"),
        ("a: !custom x\n", 1, "not allowed"),
        ("a:\n\tb: 1\n", 2, "tab character"),
        ("a: &x [1, 2]\nb: *x\n", 1, "anchors and aliases"),
        ("a: 'unclosed\nb: 2\n", 3, "quoted scalar"),
        ("a: [1, 2\n", 2, "flow"),
    ],
)
def test_refusals_name_the_line(text: str, line: int, needle: str) -> None:
    with pytest.raises(InputError) as info:
        yamlio.load_text(text, "bad.yaml")
    assert info.value.location is not None
    assert info.value.location.path == "bad.yaml"
    assert info.value.location.line == line
    assert needle in info.value.message


def test_python_tags_never_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(InputError):
        yamlio.load_text(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InputError, match="aliases"):
        yamlio.load_text("\n".join(lines) + "\n")


def test_deep_nesting_is_refused() -> None:
    depth = yamlio.MAX_DEPTH + 5
    text = "a: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(InputError, match="nested"):
        yamlio.load_text(text)


def test_non_utf8_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("a: ok\nb: Financi\xebn\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        yamlio.load(bad)
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (2, 11)
    assert "UTF-8" in info.value.message


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: Financiën\n".encode())
    assert yamlio.load(path) == {"a": "Financiën"}


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(InputError, match="over the limit"):
        yamlio.load(path, max_bytes=1000)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.yaml"
    yamlio.write(target, {"a": 1})
    yamlio.write(target, {"a": 2})
    assert yamlio.load(target) == {"a": 2}
    assert [p.name for p in target.parent.iterdir()] == ["r.yaml"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.yaml"
    yamlio.write(target, {"a": "old"})

    def no_space(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(InputError, match="No space left"):
        yamlio.write(target, {"a": "new"})
    assert yamlio.load(target) == {"a": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_line_of_points_at_the_value() -> None:
    text = "a:\n  b:\n    - x\n    - y\n"
    assert yamlio.line_of(text, ["a", "b", 1]) == (4, 7)


def test_written_files_follow_the_umask_and_keep_their_mode(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    old_mask = os.umask(0o022)
    try:
        yamlio.write(new, {"a": 1})
    finally:
        os.umask(old_mask)
    assert new.stat().st_mode & 0o777 == 0o644
    new.chmod(0o640)
    yamlio.write(new, {"a": 2})
    assert new.stat().st_mode & 0o777 == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "report.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    yamlio.atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_special_file_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InputError, match="not a regular file"):
        yamlio.atomic_write_text(folder, "x")
    assert folder.is_dir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        yamlio.atomic_write_text(fifo, "x")


def test_an_interrupted_streaming_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), yamlio.atomic_writer(target) as handle:
        handle.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


# --- the streaming writer's scalars (issue 20: reports/draft.yaml is streamed) -----------

_MORE_TRICKY = [
    "x\n\n", "x\n \ny", "\u2028", "a\u2029b", "\x85", "\ufeff", "\x7f", "\x9f", "a\rb",
    "line\n\tindented", "   ", "x  \ny  ", "#not a comment\nx", "---\n...", "-", ".", "a: b\nc",
    "😀 emoji\nnext", "\x00", "\ufffe", "BZ", "role.BZK", "sha256:0f", "y", "n",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY + _MORE_TRICKY)
@pytest.mark.parametrize("indent", [0, 2, 6])
def test_scalar_reads_back_as_the_same_string(text: str, indent: int) -> None:
    pad = " " * indent
    document = f"{pad}k: {yamlio.scalar(text, indent)}\n{pad}after: 1\n"
    if indent:
        document = "outer:\n" + document if indent == 2 else "outer:\n  - inner:\n" + document
    loaded = yamlio.load_text(document)
    while "k" not in loaded:
        loaded = loaded["outer"] if "outer" in loaded else loaded["inner"]
        loaded = loaded[0] if isinstance(loaded, list) else loaded
    assert loaded == {"k": text, "after": 1}


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from([0, 2, 4]))
def test_any_string_the_streaming_writer_writes_reads_back_identical(
    text: str, indent: int
) -> None:
    pad = " " * indent
    document = ("k0:\n" if indent else "") + f"{pad}k: {yamlio.scalar(text, indent)}\n"
    loaded = yamlio.load_text(document)
    assert (loaded["k0"] if indent else loaded) == {"k": text}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t:#-'\"é\u2028"), max_size=30))
def test_multi_line_text_reads_back_identical(text: str) -> None:
    assert yamlio.load_text(f"- k: {yamlio.scalar(text, 2)}\n") == [{"k": text}]


@pytest.mark.parametrize("value", [None, True, False, 0, -3, 2006])
def test_scalar_writes_plain_values(value: object) -> None:
    assert yamlio.load_text(f"k: {yamlio.scalar(value)}\n") == {"k": value}  # type: ignore[arg-type]


@pytest.mark.parametrize("anchor", ["", "# & in a comment makes the careful loader read it\n"])
def test_short_strings_are_shared_between_files_long_ones_are_not(
    tmp_path: Path, anchor: str
) -> None:
    """Memory (issue 20): aggregate keeps every response's codes and choices at once."""
    long = "x" * (yamlio.SHARED_STRING_CHARS + 1)
    docs = []
    for n in (1, 2):
        path = tmp_path / f"r{n}.yaml"
        path.write_text(f"{anchor}scope: interdepartmental\nlist: [BZ, {long}]\n", "utf-8")
        docs.append(yamlio.load(path))
    first, second = docs
    assert first == second == {"scope": "interdepartmental", "list": ["BZ", long]}
    assert first["scope"] is second["scope"] and first["list"][0] is second["list"][0]
    assert first["list"][1] is not second["list"][1]


# --- yamlio.read_file: the one rule every read goes through ------------------------------


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "texts").mkdir(parents=True)
    (root / "selfeval.yaml").write_text("title: x\n", encoding="utf-8")
    return root


def test_read_file_refuses_a_link_out_of_the_workspace_but_not_a_named_file(
    tmp_path: Path,
) -> None:
    root = _workspace(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("secret\n", encoding="utf-8")
    link = root / "texts" / "preface.md"
    link.symlink_to(secret)
    with pytest.raises(yamlio.InputError, match="outside the workspace") as caught:
        yamlio.read_file(link)
    assert caught.value.location is not None and caught.value.location.path == link
    # A folder on the way counts too.
    (root / "linked").symlink_to(tmp_path)
    with pytest.raises(yamlio.InputError, match="outside the workspace"):
        yamlio.read_file(root / "linked" / "secret.md")
    # A file the user names (fill --answers, import) may be anywhere.
    assert yamlio.read_file(link, named=True) == b"secret\n"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_read_file_refuses_what_is_not_a_regular_file_without_blocking(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "x.yaml"
    if kind == "fifo":
        os.mkfifo(path)  # no writer: a blocking open or read would hang here
    elif kind == "folder":
        path.mkdir()
    else:
        path = Path("/dev/zero")  # endless: a read without the check would fill the memory
    for named in (False, True):
        with pytest.raises(yamlio.InputError, match="not a regular file"):
            yamlio.read_file(path, named=named)


def test_read_file_applies_the_size_limit_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * 11)
    with pytest.raises(yamlio.InputError, match="over the limit of 10"):
        yamlio.read_file(path, max_bytes=10)
    assert yamlio.read_file(path, max_bytes=11) == b"a" * 11


# --- plain_digest: what status's cut-off compares responses by -------------------------


def test_plain_digest_is_the_same_for_the_same_document_written_otherwise() -> None:
    one = yamlio.load_text("a: 'x'\nb: [1, 2]\n# a comment\n")
    other = yamlio.load_text('a: "x"\nb:\n  - 1\n  - 2\n')
    assert yamlio.plain_digest(one) == yamlio.plain_digest(other) is not None


@pytest.mark.parametrize(
    "other",
    [
        "a: '1'\n",  # a text, not a number
        "a: 1.0\n",  # a float
        "a: true\n",  # a bool
        "a: null\n",
        "a: 2026-12-03\n",  # a date
        "'1': 1\n",  # the key's type
        "a: 1\nb: 2\n",
    ],
)
def test_plain_digest_tells_types_and_values_apart(other: str) -> None:
    assert yamlio.plain_digest(yamlio.load_text("a: 1\n")) != yamlio.plain_digest(
        yamlio.load_text(other)
    )


def test_plain_digest_keeps_order_and_signs() -> None:
    assert yamlio.plain_digest({"a": 1, "b": 2}) != yamlio.plain_digest({"b": 2, "a": 1})
    assert yamlio.plain_digest(0.0) != yamlio.plain_digest(-0.0)
    assert yamlio.plain_digest(["ab", "c"]) != yamlio.plain_digest(["a", "bc"])
    assert yamlio.plain_digest(dt.date(2026, 12, 3)) != yamlio.plain_digest("2026-12-03")


def test_plain_digest_of_anything_else_is_none() -> None:
    assert yamlio.plain_digest({"a": {1, 2}}) is None
    assert yamlio.plain_digest([b"bytes"]) is None
