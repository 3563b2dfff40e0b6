"""The store interface: SPARQL in, rdflib terms out.

Everything that reads the built universe (the web app, its indexes) goes
through :class:`Store`, so the embedded store (:mod:`kg.store.embedded`) and
a remote SPARQL server (:mod:`kg.store.remote`) are interchangeable and the
same tests run on both (httpx's ``BaseTransport`` is the model).  Queries are
fixed text; values reach them only as bound variables (``bindings``, written
into a VALUES block by :func:`bind`), never pasted in.  The default graph is
the union of all named graphs; ``GRAPH ?g`` reaches each source's graph.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib.term import Node as Term

from kg.rdf.terms import from_ox, nt

Row = dict[str, Term]


class Store(ABC):
    """A read-only SPARQL 1.1 store holding the universe."""

    @abstractmethod
    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Rows of a SELECT query; a variable left unbound is absent from its row."""

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """The answer of an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""

    def close(self) -> None:
        """Release what the store holds (connections of a remote store)."""


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def bind(query: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with its variables bound: a VALUES block opens its outermost WHERE group.

    The one way values reach a query, for every store: each term is written in
    its N-Triples form (:func:`kg.rdf.terms.nt`: literals escaped, an IRI with a
    character that could end ``<...>`` refused), so no value can become query syntax.
    """
    if not bindings:
        return query
    names, terms = zip(*sorted(bindings.items()), strict=True)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(map(nt, terms)) + ") }"
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("a query with bindings needs a WHERE clause")
    return f"{query[:match.end()]} {values} {query[match.end():]}"


def rows(solutions: ox.QuerySolutions) -> list[Row]:
    """pyoxigraph solutions (a store's, or parsed from a server's answer) as rows of rdflib terms."""
    names = [v.value for v in solutions.variables]
    # A term repeated across rows is converted once (IRIs are shared across answers too: iri).
    terms: dict = {}

    def term(value):
        converted = terms.get(value)
        if converted is None:
            converted = terms[value] = from_ox(value)
        return converted

    return [{name: term(value) for name, value in zip(names, solution, strict=True) if value is not None}
            for solution in solutions]


def triples(statements) -> list[tuple]:
    """pyoxigraph triples (or quads, their graph left out) as rdflib triples."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in statements]


def first(rows: Iterable[Row], name: str) -> Term | None:
    """The value of ``name`` in the first row that binds it."""
    return next((row[name] for row in rows if name in row), None)


class Remembering(Store):
    """A store that asks ``store`` each SELECT once: for work that asks the same questions several times over
    (the static export's pages, worked out at every reading a fan can choose)."""

    def __init__(self, store: Store):
        self.store = store
        self.answers: dict[tuple, list[Row]] = {}

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        key = (query, tuple(sorted((bindings or {}).items())))
        if key not in self.answers:
            self.answers[key] = self.store.select(query, bindings)
        return self.answers[key]

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return self.store.ask(query, bindings)

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple]:
        return self.store.construct(query, bindings)
