"""What a public query may do, decided before it runs.

Two steps, both before any query engine sees the text:

1. :func:`gate`, a cheap scan that runs before any parser: a query over
   64 KiB is refused (413), and so is one nested deeper than 64 groups (400).
   Parsers are the weak spot here: pyoxigraph crashed the whole process on
   12 KiB of nested groups, and rdflib spent seconds parsing 36 KiB.
2. :func:`inspect`, which parses the query (rdflib's SPARQL parser, run where a
   slow parse can be killed: :mod:`kg.sparql.workers`) and refuses updates, ``SERVICE``
   and any ``FROM``/``FROM NAMED`` graph that is not one of ours, so the
   server never fetches a URL.  SPARQL's codepoint escapes (``\\u0049``) are
   decoded first, as the grammar says, so ``SERV\\u0049CE`` is ``SERVICE``.

Both raise :class:`~kg.errors.QueryRefused`, which carries the HTTP status and a message
that names the rule, never the query text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from kg.errors import QueryRefused

MAX_QUERY_BYTES = 64 * 1024
MAX_DEPTH = 64
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What can hide brackets: strings (long ones first), IRIs and comments; the rest is scanned for brackets.
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*', re.DOTALL)
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class Inspected:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    text: str  # the query with its codepoint escapes decoded, as it will run
    names_dataset: bool = False  # it has FROM or FROM NAMED: its own dataset, not the union


def decode_escapes(text: str) -> str:
    """SPARQL 1.1 section 19.2: ``\\uXXXX`` and ``\\UXXXXXXXX`` are replaced before parsing."""
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRefused(400, f"the escape {match.group(0)} is not a character")
        return chr(code)

    return _ESCAPE.sub(char, text) if "\\" in text else text


def gate(text: str) -> None:
    """Refuse a query too big (413) or too deeply nested (400) to give to a parser."""
    size = len(text.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(413, f"the query is {size:,} bytes; the limit is {MAX_QUERY_BYTES:,} bytes (64 KiB)")
    if not text.strip():
        raise QueryRefused(400, "the query is empty")
    depth = deepest = 0
    for piece in _OPAQUE.split(decode_escapes(text)):
        for char in piece:
            if char in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif char in _CLOSE:
                depth = max(depth - 1, 0)
        if deepest > MAX_DEPTH:
            raise QueryRefused(400, f"the query nests brackets more than {MAX_DEPTH} deep; write it flatter")


def inspect(text: str, is_ours: Callable[[str], bool]) -> Inspected:
    """Parse a query and refuse what a public read-only endpoint must not run.

    ``is_ours(iri)`` says whether a graph named by ``FROM`` or ``FROM NAMED``
    is one of the dataset's own (anything else could make a server fetch it).
    """
    decoded = decode_escapes(text)
    try:
        tree = parseQuery(decoded)
    except ParseBaseException as exc:
        if _is_update(decoded):
            raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not allowed") from None
        raise QueryRefused(400, f"syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except RecursionError:  # nesting the gate lets through can still be too deep for the parser
        raise QueryRefused(400, "the query nests too deeply to be parsed; write it flatter") from None
    names_dataset = False
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused(403, "SERVICE is not allowed: this endpoint never queries other servers")
        if node.name == "DatasetClause":
            _check_dataset(node, is_ours)
            names_dataset = True
    return Inspected(FORMS[tree[1].name], decoded, names_dataset)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):  # only means "not an update either"
        return False
    return True


def _check_dataset(node: CompValue, is_ours: Callable[[str], bool]) -> None:
    for key in ("default", "named"):
        iri = node.get(key)
        if isinstance(iri, URIRef) and not is_ours(str(iri)):
            raise QueryRefused(403, f"FROM {'NAMED ' if key == 'named' else ''}<{iri}> is not a graph of this "
                                    "dataset; this endpoint never loads graphs from elsewhere")


def _nodes(tree) -> Iterator[CompValue]:
    """Every grammar-rule node of a parse tree (an explicit stack: no recursion limit to hit)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)
