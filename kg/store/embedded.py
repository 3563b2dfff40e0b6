"""The embedded store: pyoxigraph's in-memory store, loaded once from a build.

It answered the web's queries 10-100 times faster than rdflib's SPARQL engine
(issue #4), and it is what ``kg query`` and the /sparql executors run too:
one engine everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.term import Node as Term

from kg.namespaces import PREFIX_MAP
from kg.rdf.terms import to_ox

from .base import Row, Store, bind, rows, triples


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
