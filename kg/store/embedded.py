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
from kg.rdf.terms import ox_quads

from .base import Row, Store, bind, rows, triples


def load_nquads(path: Path) -> ox.Store:
    """A pyoxigraph store holding a build's N-Quads."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def load_dataset(dataset: Dataset) -> ox.Store:
    """A pyoxigraph store holding an rdflib Dataset's quads."""
    store = ox.Store()
    store.extend(ox_quads(dataset))
    return store


class EmbeddedStore(Store):
    """pyoxigraph's in-memory store, loaded once from a build."""

    def __init__(self, store: ox.Store | None = None):
        self._store = store if store is not None else ox.Store()

    @classmethod
    def from_nquads(cls, path: Path) -> EmbeddedStore:
        return cls(load_nquads(path))

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> EmbeddedStore:
        return cls(load_dataset(dataset))

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
