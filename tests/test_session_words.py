"""What ``fill`` and ``peer-review`` show a respondent comes from the catalogue (issues 16, 17).

The session code (``selfeval/fill``, the interactive part of
``selfeval/peer_review``, the terminal prompter) passes no words of its own
to what the respondent sees: every text given to a notice, a menu entry, a
question about the session, the review, or printed on the console is a
message of the catalogue (``gettext``/``ngettext``, docs/translation.md) or
text from the questionnaire or the answers. Checked on the syntax tree: a
string literal (or the literal part of an f-string) holding a word, given
directly as such an argument, fails. A word is two or more letters outside
rich's markup (``[bold]``); message ids, kinds (``"warning"``) and option
values are not shown text, so they are not looked at.

Out of scope, and why: the errors a command ends with (``SelfevalError``,
English for every command, with file, place and what to do), and the
``--answers`` file checks in ``fill/run.py`` and ``peer_review/run.py`` and
``peer_review/reactions.py`` (errors in a file the secretariat writes).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "selfeval"
SESSION_MODULES = sorted(
    [
        *(ROOT / "fill").glob("*.py"),
        ROOT / "peer_review" / "asking.py",
        ROOT / "peer_review" / "drafts.py",
        ROOT / "cli" / "terminal.py",
    ]
)
#: Calls whose arguments are shown: name → the positions shown (None: all).
SHOWN: dict[str, tuple[int, ...] | None] = {
    "Notice": (1, 2, 3),  # text, details, body (not the kind)
    "Option": (1,),  # the label (not the value)
    "ReviewRow": (1, 2),  # label and value (not the state)
    "SectionInfo": (2, 3),
    "choose": (0,),
    "confirm": (0,),
    "show_review": (0,),
    "print": None,  # rich console
    "echo": None,
    "echo_err": None,
}
SHOWN_KEYWORDS = {"text", "details", "body", "label", "value", "message", "error", "hint"}
_MARKUP = re.compile(r"\[/?[a-z ]*\]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _shown_literals(node: ast.AST) -> Iterator[ast.Constant]:
    """The string literals of an argument that end up on screen as they are.

    Follows ``+``, ``a if c else b``, tuples/lists and f-strings; not into a
    call (``gettext(lang, "fill.x")``: its literal is a message id).
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _shown_literals(part)
    elif isinstance(node, ast.FormattedValue):
        yield from _shown_literals(node.value)
    elif isinstance(node, ast.BinOp):
        yield from _shown_literals(node.left)
        yield from _shown_literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _shown_literals(node.body)
        yield from _shown_literals(node.orelse)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _shown_literals(element)


def words_of_their_own(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each literal with a word passed to what a respondent sees."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in SHOWN:
            continue
        positions = SHOWN[name]
        args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        args += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for arg in args:
            for literal in _shown_literals(arg):
                if _WORD.search(_MARKUP.sub("", literal.value)):
                    found.append((literal.lineno, literal.value))
    return sorted(found)


def test_the_check_finds_words_of_their_own() -> None:
    source = (
        'prompter.show_notice(Notice("warning", "Let op: " + gettext(lang, "fill.x")))\n'
        'options.append(Option("quit", f"Stop {name}"))\n'
        'console.print(f"[bold]?[/] {question}")\n'
        'prompter.choose(gettext(lang, "fill.what_now"), options, default="review")\n'
        'Notice("info", text, ("Details",))\n'
    )
    assert words_of_their_own(source) == [(1, "Let op: "), (2, "Stop "), (5, "Details")]


def test_the_session_shows_no_words_outside_the_catalogue() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}: {text!r}"
        for path in SESSION_MODULES
        for line, text in words_of_their_own(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "put these words in the catalogue (docs/translation.md)"
