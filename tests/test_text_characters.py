"""The characters no answer may hold: the quick test for a clean text agrees with the rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfeval.model.text import _REFUSED, bad_character

#: Every code point, surrogates included (a Python string can hold them).
_EVERY = "".join(map(chr, range(0x110000)))


def _by_the_pattern(text: str) -> tuple[int, str] | None:
    match = _REFUSED.search(text)
    return None if match is None else (match.start(), match.group())


def test_every_refused_character_is_one_python_calls_not_printable() -> None:
    refused = _REFUSED.findall(_EVERY)
    assert len(refused) > 2_000  # controls, surrogates, noncharacters
    assert all(not char.isprintable() for char in refused)
    assert "\n" not in refused and "\t" not in refused


_CHARACTERS = st.one_of(
    st.sampled_from(["\n", "\t", "\r", " ", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\xa0"]),
    st.sampled_from(["\ud800", "\udfff", "\ufdd0", "\ufffe", "\U0001fffe", "\U0010ffff"]),
    st.sampled_from(["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"]),
    st.characters(),  # any code point but surrogates
)


@given(st.lists(_CHARACTERS, max_size=40).map("".join))
def test_the_first_refused_character_is_the_patterns(text: str) -> None:
    assert bad_character(text) == _by_the_pattern(text)


def test_clean_texts_of_every_kind_have_none() -> None:
    for text in ["", "Buitenlandse Zaken", "één\tregel\nnog één", "中文 ✓ 😀", "a\u00a0b"]:
        assert bad_character(text) is None
    assert bad_character("ok\x1b[2J") == (2, "\x1b")
    assert bad_character("a\n\ufffeb") == (2, "\ufffe")
