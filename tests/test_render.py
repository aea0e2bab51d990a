"""The report is streamed into its file: the same bytes as rendering it whole."""

from __future__ import annotations

import io

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
