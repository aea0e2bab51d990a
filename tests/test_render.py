"""The report is streamed into its file: the same bytes as rendering it whole."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from hypothesis import given
from hypothesis import strategies as st

from selfeval.report.render import _tidy, _tidy_stream

# Line ends str.splitlines knows, spaces, and text, so every tidying rule is exercised.
_PIECES = st.sampled_from(
    ["\n", "\r", "\r\n", "\u2028", "\x0c", "\x1c", "\x85", " ", "\t", "a", "bé", "| x |"]
)


@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=20), st.integers(1, 40))
def test_streamed_tidying_writes_what_tidying_the_whole_text_gives(
    chunks: list[str], flush_at: int
) -> None:
    out = io.StringIO()
    _tidy_stream(iter(chunks), out, flush_at=flush_at)
    assert out.getvalue() == _tidy("".join(chunks)).rstrip("\n") + "\n"


# --- The sandbox's attribute look-up: Jinja2's verdict, kept per type ---------------------


class _Row:
    """A model-like object: plain fields, a method, a private field."""

    def __init__(self) -> None:
        self.name = "Buitenlandse Zaken {}"
        self._secret = "no"

    def shout(self) -> str:
        return self.name.upper()


def _generator() -> Iterator[int]:
    yield 1


def _objects() -> list[object]:
    import collections

    return [
        _Row(),
        {"name": "x", "items": 1, "pop": 2},
        ["a"],
        {"a"},
        collections.deque(["a"]),
        ("a",),
        "tekst {} {name}",
        _generator(),
        _generator,
        _Row().shout,
        _Row,
        _generator.__code__,
        io.StringIO(),
        42,
    ]


_ATTRIBUTES = [
    "name", "items", "pop", "append", "clear", "add", "update", "keys", "upper", "format",
    "format_map", "shout", "mro", "_secret", "__class__", "__globals__", "__init__",
    "gi_frame", "gi_code", "co_code", "__func__", "__self__", "real", "missing", "write",
]  # fmt: skip


def _outcome(look_up: Callable[[object, str], object], obj: object, name: str) -> object:
    """What a template gets: the value, a format wrapper's result, or the undefined's error."""
    from jinja2 import Undefined

    value = look_up(obj, name)
    if isinstance(value, Undefined):
        try:
            str(value)
        except Exception as exc:  # the error a template would raise on using it
            return ("undefined", type(exc).__name__, str(exc))
        return ("undefined", "", "")
    if name in ("format", "format_map") and callable(value) and isinstance(obj, str):
        arg = {"name": "n"} if name == "format_map" else "a"
        try:
            return ("format", value(arg) if name == "format_map" else value(arg, "b", name="n"))
        except Exception as exc:
            return ("format", type(exc).__name__)
    return ("value", value)


def test_the_sandbox_lets_a_template_read_what_jinja2s_own_look_up_does() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from selfeval.report import render

    env = render._environment([])
    for _ in range(2):  # the second time from the verdicts kept per type
        for obj in _objects():
            for name in _ATTRIBUTES:
                ours = _outcome(env.getattr, obj, name)
                jinja = _outcome(
                    lambda o, n: ImmutableSandboxedEnvironment.getattr(env, o, n), obj, name
                )
                assert ours == jinja, (type(obj).__name__, name)


def test_a_template_cannot_reach_internals_once_a_type_was_seen() -> None:
    from jinja2.exceptions import SecurityError

    from selfeval.report import render

    env = render._environment([])
    template = env.from_string("{{ row.name }}{{ row.shout.__func__.__globals__ }}")
    try:
        template.render(row=_Row())
    except SecurityError:
        pass
    else:
        raise AssertionError("the sandbox let a template read __globals__")
    unsafe = env.from_string("{{ items.append }}")
    try:
        unsafe.render(items=["a"])
    except SecurityError:
        pass
    else:
        raise AssertionError("the sandbox let a template change a list")


@given(st.text(alphabet=st.sampled_from(list("ab 1.#>-+=~\\`*_[]<>|&;#x\u00e9")), max_size=30))
def test_an_answer_line_without_markup_characters_is_shown_as_it_is(line: str) -> None:
    from selfeval.report.render import _MD_LINE_START, _MD_SPECIAL, answer_text

    # What answer_text gives without its shortcut: every special character escaped.
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), line)
    expected = _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )
    assert answer_text(line) == expected
