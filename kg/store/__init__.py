"""The store wing: the one store interface (SPARQL in, rdflib terms out), and what reads it first.

:mod:`~kg.store.base` declares :class:`Store`; :mod:`~kg.store.embedded` is
pyoxigraph in memory, loaded from a build, and :mod:`~kg.store.remote` the same
interface over any SPARQL 1.1 server; :mod:`~kg.store.catalog` is what the
pages need up front (names, kinds, works, graphs and their spoiler ranks, the
ontology's model), read once from a store.  :func:`connect` opens the store
the settings name.

May import: the bottom of ``kg`` (errors, settings, namespaces, model, httpclient, the ``rdf`` wing).
Never the build, publish, views or sparql wings, nor ``web``.
"""

from __future__ import annotations

from kg.errors import UsageError
from kg.httpclient import read_credentials
from kg.rdf.terms import iri
from kg.settings import Settings

from .base import Remembering, Row, Store, bind, first
from .embedded import EmbeddedStore
from .remote import RemoteStore

__all__ = ["EmbeddedStore", "Remembering", "RemoteStore", "Row", "Store", "bind", "connect", "first", "iri"]


def connect(settings: Settings) -> Store:
    """The store the settings name: the remote server of ``endpoint``, else the build in ``out_dir``."""
    if settings.endpoint:
        return RemoteStore.connect(settings.endpoint, timeout=settings.store_timeout,
                                   credentials=read_credentials(settings.user, settings.password_file))
    if not settings.nquads.is_file():
        raise UsageError(f"no build in {settings.out_dir}: {settings.nquads.name} is missing "
                         f"(run kg build --out {settings.out_dir})")
    return EmbeddedStore.from_nquads(settings.nquads)
