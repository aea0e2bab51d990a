"""The ``when`` language: small, safe conditions on earlier answers.

A condition is parsed into a tree once, at load time, and evaluated against
a mapping of answers; nothing is ever passed to ``eval``. Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") operand)?
    operand := NAME | STRING | NUMBER | "true" | "false" | "null"
             | "[" [operand ("," operand)*] "]" | "(" expr ")"

``NAME`` is an item id (letters, digits, ``_``, ``-``). A bare name is true
when the item has a non-empty answer that is not ``false``. ``x in y`` works
for a value in a list answer (multiple choice) and a value in a literal list.
Comparing with an unanswered item gives false, never an error.

Examples: ``involvement == 'strong'``, ``has_sources``,
``'research' in phases and not (count > 3)``.

Limits (a questionnaire may come from anyone who can commit to a shared
workspace): a condition is at most :data:`MAX_LENGTH` characters and nests
``(``, ``[`` and ``not`` at most :data:`MAX_DEPTH` deep; beyond either it is
refused with a :class:`ConditionError`. Within them, parsing and evaluating
take time linear in the length (``and``/``or`` chains are flat nodes, not
nested ones), and never recurse deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Condition", "ConditionError", "parse"]

#: Longest condition accepted, in characters (documented in docs/questionnaire-format.md).
MAX_LENGTH = 2000
#: Deepest nesting of ``(``, ``[`` and ``not`` accepted.
MAX_DEPTH = 32

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)
_BLANK_TO_END = re.compile(r"\s*\Z")
_NON_BLANK = re.compile(r"\S")
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}


class ConditionError(ValueError):
    """A condition that does not parse; ``position`` is the 0-based offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    # Matches start at ``pos`` in the one string: no copy of the rest per token.
    while pos < len(text):
        if _BLANK_TO_END.match(text, pos):
            break
        match = _TOKEN.match(text, pos)
        if not match:
            bad = _NON_BLANK.search(text, pos)
            where = bad.start() if bad else pos
            raise ConditionError(f"unexpected character {text[where]!r}", where)
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        tokens.append(_Tok(kind, value, start))
        pos = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


# Nodes are tuples: ("name", id) | ("lit", value) | ("list", [nodes])
# | ("not", node) | ("and"|"or", (nodes...)) | ("cmp", op, left, right).
# A chain ``a and b and c`` is one flat node, so its depth does not grow with its length.
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def enter(self, tok: _Tok) -> None:
        """Count one more level of ``(``, ``[`` or ``not``; refuse past :data:`MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"nested deeper than {MAX_DEPTH} levels", tok.pos)

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok.value != value:
            raise ConditionError(
                f"expected {value!r} but found {tok.value or 'the end'!r}", tok.pos
            )

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError(f"unexpected {tok.value!r}", tok.pos)
        return node

    def or_(self) -> Node:
        nodes = [self.and_()]
        while self.peek().value == "or" and self.peek().kind == "kw":
            self.take()
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else ("or", tuple(nodes))

    def and_(self) -> Node:
        nodes = [self.not_()]
        while self.peek().value == "and" and self.peek().kind == "kw":
            self.take()
            nodes.append(self.not_())
        return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))

    def not_(self) -> Node:
        if self.peek().kind == "kw" and self.peek().value == "not":
            tok = self.take()
            self.enter(tok)
            node = ("not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        tok = self.peek()
        if tok.kind == "op" and tok.value in {"==", "!=", "<", "<=", ">", ">="}:
            self.take()
            return ("cmp", tok.value, left, self.operand())
        if tok.kind == "kw" and tok.value == "in":
            self.take()
            return ("cmp", "in", left, self.operand())
        if tok.kind == "kw" and tok.value == "not" and self.tokens[self.i + 1].value == "in":
            self.take()
            self.take()
            return ("not", ("cmp", "in", left, self.operand()))
        return left

    def operand(self) -> Node:
        tok = self.take()
        if tok.kind == "number":
            return ("lit", float(tok.value) if "." in tok.value else int(tok.value))
        if tok.kind == "string":
            body = tok.value[1:-1]
            return ("lit", re.sub(r"\\(.)", r"\1", body))
        if tok.kind == "kw" and tok.value in {"true", "false", "null"}:
            return ("lit", {"true": True, "false": False, "null": None}[tok.value])
        if tok.kind == "name":
            return ("name", tok.value)
        if tok.value == "(":
            self.enter(tok)
            node = self.or_()
            self.expect(")")
            self.depth -= 1
            return node
        if tok.value == "[":
            self.enter(tok)
            items: list[Node] = []
            if self.peek().value != "]":
                items.append(self.operand())
                while self.peek().value == ",":
                    self.take()
                    items.append(self.operand())
            self.expect("]")
            self.depth -= 1
            return ("list", items)
        raise ConditionError(f"expected a value but found {tok.value or 'the end'!r}", tok.pos)


def _names(node: Node) -> set[str]:
    kind = node[0]
    if kind == "name":
        return {node[1]}
    if kind == "lit":
        return set()
    if kind == "list":
        return set().union(*(_names(n) for n in node[1])) if node[1] else set()
    if kind == "not":
        return _names(node[1])
    if kind in ("and", "or"):
        return set().union(*(_names(n) for n in node[1]))
    return _names(node[2]) | _names(node[3])


_MISSING = object()


def _value(node: Node, answers: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "name":
        return answers.get(node[1], _MISSING)
    if kind == "lit":
        return node[1]
    if kind == "list":
        return [_value(n, answers) for n in node[1]]
    return _truth(node, answers)


def _is_set(value: Any) -> bool:
    return (
        value is not _MISSING
        and value is not None
        and value is not False
        and value not in ("", [], {})
    )


def _truth(node: Node, answers: Mapping[str, Any]) -> bool:
    kind = node[0]
    if kind == "not":
        return not _truth(node[1], answers)
    if kind == "and":
        return all(_truth(n, answers) for n in node[1])
    if kind == "or":
        return any(_truth(n, answers) for n in node[1])
    if kind == "cmp":
        op, left, right = node[1], _value(node[2], answers), _value(node[3], answers)
        if left is _MISSING or right is _MISSING:
            return op == "!=" and (left is _MISSING) != (right is _MISSING)
        try:
            if op == "==":
                return bool(left == right)
            if op == "!=":
                return bool(left != right)
            if op == "in":
                return isinstance(right, list | str) and left in right
            if op == "<":
                return bool(left < right)
            if op == "<=":
                return bool(left <= right)
            if op == ">":
                return bool(left > right)
            return bool(left >= right)
        except TypeError:
            return False
    return _is_set(_value(node, answers))


@dataclass(frozen=True)
class Condition:
    """A parsed ``when`` condition.

    Attributes:
        source: the text as written.
        names: the item ids it refers to.
    """

    source: str
    tree: Node
    names: frozenset[str]

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        """Return whether the condition holds for ``answers`` (item id → value)."""
        return _truth(self.tree, answers)


def parse(text: str) -> Condition:
    """Parse a condition.

    Args:
        text: the condition as written in a questionnaire's ``when``.

    Returns:
        The parsed :class:`Condition`.

    Raises:
        ConditionError: the text does not follow the grammar above, is longer
            than :data:`MAX_LENGTH` or nests deeper than :data:`MAX_DEPTH`;
            carries the offset of the problem.
    """
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"it is {len(text):,} characters long; the limit is {MAX_LENGTH:,}", MAX_LENGTH
        )
    tree = _Parser(text).parse()
    return Condition(text, tree, frozenset(_names(tree)))
