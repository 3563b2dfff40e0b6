"""The store interface: SPARQL in, rdflib terms out.

Everything that reads the built universe (the web app, its indexes) goes
through :class:`Store`, so the embedded store and a remote SPARQL server are
interchangeable and the same tests run on both (httpx's ``BaseTransport`` is
the model).  Queries are fixed text; values reach them only as bound
variables (``bindings``), never pasted in.  The default graph is the union of
all named graphs; ``GRAPH ?g`` reaches each source's graph.

:class:`EmbeddedStore` is pyoxigraph's in-memory store, which answered the
web's queries 10-100 times faster than rdflib's SPARQL engine (issue #4).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node as Term

from kg.build.output import literal_nt
from kg.namespaces import PREFIXES

Row = dict[str, Term]
PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


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
#: What may not stand between < and > in SPARQL or N-Triples: an IRI holding one could end its brackets.
UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def bind(query: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with its variables bound: a VALUES block opens its outermost WHERE group.

    The one way values reach a query, for every store: each term is written in
    its N-Triples form (literals escaped), and an IRI with a character that
    could end ``<...>`` is refused, so no value can become query syntax.
    """
    if not bindings:
        return query
    names, terms = zip(*sorted(bindings.items()), strict=True)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
    for term in terms:
        if isinstance(term, URIRef) and UNSAFE_IRI.search(str(term)):
            raise ValueError(f"refusing to bind an IRI with unsafe characters: {str(term)!r}")
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(_nt(t) for t in terms) + ") }"
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("a query with bindings needs a WHERE clause")
    return f"{query[:match.end()]} {values} {query[match.end():]}"


def _nt(term: Term) -> str:
    if isinstance(term, Literal):
        return literal_nt(term)
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise ValueError(f"cannot bind {term!r}")


def to_ox(term: Term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=1 << 20)
def iri(value: str) -> URIRef:
    """The shared URIRef of an IRI, the one in every answer of a store.

    A dict or set keyed by shared IRIs finds an answer's IRI by identity, without
    rdflib's (Python-level) equality, and rdflib validates each IRI only once.
    Callers that look answers up in their own sets at scale build those sets with it.
    """
    return URIRef(value)


def from_ox(term) -> Term:
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=iri(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


class EmbeddedStore(Store):
    """pyoxigraph's in-memory store, loaded once from a build."""

    def __init__(self, store: ox.Store | None = None):
        self._store = store if store is not None else ox.Store()

    @classmethod
    def from_nquads(cls, path: Path) -> EmbeddedStore:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> EmbeddedStore:
        store = ox.Store()
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))
                     for s, p, o, g in dataset.quads((None, None, None, None)))
        return cls(store)

    def __len__(self) -> int:
        return len(self._store)

    def _query(self, query: str, bindings: Mapping[str, Term] | None):
        return self._store.query(bind(query, bindings), prefixes=PREFIX_MAP, use_default_graph_as_union=True)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        return rows(self._query(query, bindings))

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return bool(self._query(query, bindings))

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple]:
        return triples(self._query(query, bindings))


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
