"""The store wing: the one store interface (SPARQL in, rdflib terms out), and what reads it first.

:mod:`~kg.store.base` declares :class:`Store` and holds the embedded store
(pyoxigraph, in memory); :mod:`~kg.store.remote` is the same interface over any
SPARQL 1.1 server; :mod:`~kg.store.catalog` is what the pages need up front
(names, kinds, works, graphs and their spoiler ranks), read once from a store.

May import: the bottom of ``kg`` (errors, namespaces, model, the ``rdf`` wing,
httpclient).  Never the build, publish, views or sparql wings, nor ``web``.
"""

from kg.rdf.terms import iri

from .base import Row, Store, bind, first
from .embedded import EmbeddedStore

__all__ = ["EmbeddedStore", "Row", "Store", "bind", "first", "iri"]
