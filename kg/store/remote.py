"""A remote SPARQL 1.1 server as the store, through SPARQLWrapper.

The web app reads the universe only through :class:`kg.store.Store`, so
:class:`RemoteStore` is all it takes to serve the same pages from Oxigraph,
Fuseki, GraphDB, Virtuoso or QLever.  What a remote server may lack is
handled here, once:

* **our prefixes**: a remote server does not predeclare ``jwo:``, ``jwr:``…,
  so every query is sent with the PREFIX declarations of
  :data:`kg.namespaces.PREFIXES` before it;
* **the union default graph**: our queries read the default graph as the
  union of the named graphs.  :meth:`RemoteStore.connect` asks the server
  whether it does that (a triple in a named graph that is not in the
  default graph says it does not); if not, every query names the dataset
  through the protocol (``default-graph-uri`` and ``named-graph-uri`` for each
  of our graphs), which any SPARQL 1.1 server honours;
* **faults**: every request has a timeout and long queries go by POST; an
  unreachable, failing or slow server is :class:`StoreUnavailable` (the web
  app answers 503 with a retry hint, and recovers by itself when the server
  is back), refused credentials are :class:`StoreRefused`.

Answers are read by pyoxigraph's parsers (SPARQL JSON, N-Triples) and turned
into the same rdflib terms as the embedded store gives.
"""

from __future__ import annotations

import http.client
import urllib.error
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Dataset, Literal
from rdflib.term import Node as Term
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg import httpclient
from kg.errors import StoreError, StoreRefused, StoreRejected, StoreUnavailable
from kg.httpclient import Credentials
from kg.namespaces import BASE, PREFIXES
from kg.rdf.terms import from_ox, iri_nt

from .base import Row, Store, bind, rows, triples

PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
LONG_QUERY = 2000  # characters past which a query goes by POST (URLs over ~8 KiB are refused by many servers)
NO_UNION = "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"
OUR_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) } ORDER BY ?g"


class RemoteStore(Store):
    """A read-only SPARQL 1.1 endpoint holding the universe (pushed there by ``kg push``)."""

    def __init__(self, endpoint: str, *, timeout: float = 10.0, credentials: Credentials | None = None,
                 union: bool = True, graphs: tuple[str, ...] = ()):
        self.endpoint, self.timeout, self.credentials = endpoint, timeout, credentials
        self.union = union  # the server reads its default graph as the union of the named graphs
        self.graphs = graphs  # our graphs, named in every request when the server has no union

    @classmethod
    def connect(cls, endpoint: str, *, timeout: float = 10.0, credentials: Credentials | None = None) -> RemoteStore:
        """A store of the server at ``endpoint``, after asking it what it holds and how it reads its graphs."""
        probe = cls(endpoint, timeout=timeout, credentials=credentials)
        graphs = tuple(str(row["g"]) for row in probe.select(OUR_GRAPHS, {"base": Literal(BASE)}))
        if not graphs:
            raise StoreError(f"the SPARQL server at {endpoint} holds none of our graphs: publish the universe "
                             "there first (kg push)")
        union = not probe.ask(NO_UNION)
        return cls(endpoint, timeout=timeout, credentials=credentials, union=union, graphs=graphs)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        return rows(ox.parse_query_results(self._request(query, bindings, JSON, None), ox.QueryResultsFormat.JSON))

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return bool(ox.parse_query_results(self._request(query, bindings, JSON, None), ox.QueryResultsFormat.JSON))

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple]:
        body = self._request(query, bindings, None, "application/n-triples")
        return triples(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def _request(self, query: str, bindings, return_format: str | None, accept: str | None) -> bytes:
        return self.send(bind(query, bindings), return_format=return_format, accept=accept)

    def send(self, query: str, *, return_format: str | None = JSON, accept: str | None = None,
             default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = (),
             names_dataset: bool = False, base: str | None = None) -> bytes:
        """The server's answer to ``query`` (our prefixes declared before it), as bytes.

        ``default_graphs`` and ``named_graphs`` are the protocol's dataset; without them, and
        unless the query names its own (``names_dataset``: FROM), the dataset is the union.
        ``base`` is declared first (the protocol has no parameter for it), so a BASE of the query's own wins.
        """
        text = (f"BASE {iri_nt(base)}\n" if base else "") + PROLOGUE + query
        client = _Client(self.endpoint)
        client.setTimeout(self.timeout)
        client.setQuery(text)
        if return_format is not None:
            client.setReturnFormat(return_format)
        if accept is not None:
            client.addCustomHttpHeader("Accept", accept)
        if self.credentials is not None:
            client.setCredentials(self.credentials.user, self.credentials.password)
        if not (default_graphs or named_graphs or names_dataset or self.union):
            default_graphs = named_graphs = self.graphs  # the union, named: GRAPH ?g reaches each graph
        for graph in default_graphs:
            client.addDefaultGraph(graph)
        for graph in named_graphs:
            client.addNamedGraph(graph)
        client.setMethod(POST if len(text) > LONG_QUERY or default_graphs or named_graphs else GET)
        try:
            response = client.query().response
            return response.read()
        except urllib.error.HTTPError as error:
            if error.code == 401:
                raise StoreRefused(f"the SPARQL server at {self.endpoint} refused the credentials"
                                   f"{' of ' + self.credentials.user if self.credentials else ' (none were given)'}"
                                   ) from None
            if error.code == 403:
                raise StoreRefused(f"the SPARQL server at {self.endpoint} refused access (HTTP 403)") from None
            if error.code == 400:
                reason = _first_line(error.read().decode("utf-8", "replace"))
                raise StoreRejected(f"the SPARQL server at {self.endpoint} rejected the query: {reason}",
                                    reason) from None
            raise StoreUnavailable(f"the SPARQL server at {self.endpoint} answered HTTP {error.code}"
                                   f"{' (no SPARQL endpoint there?)' if error.code == 404 else ''}") from None
        except SPARQLWrapperException as error:
            raise StoreUnavailable(f"the SPARQL server at {self.endpoint} failed: {_first_line(str(error))}") from None
        except TimeoutError:
            raise StoreUnavailable(f"the SPARQL server at {self.endpoint} gave no answer within "
                                   f"{self.timeout:g} s") from None
        except http.client.HTTPException as error:  # a broken answer: the server died while sending it
            raise StoreUnavailable(f"the SPARQL server at {self.endpoint} broke off its answer "
                                   f"({type(error).__name__})") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreUnavailable(f"cannot reach the SPARQL server at {self.endpoint}: "
                                   f"{getattr(reason, 'strerror', None) or reason}") from None


ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) }"


def fetch_dataset(store: RemoteStore) -> Dataset:
    """Every quad of our graphs on the server, as a Dataset (what ``kg serve --endpoint`` makes its downloads of).

    Read as TSV, the most compact of the answer formats, in one query.
    """
    body = store.send(bind(ALL_QUADS, {"base": Literal(BASE)}), return_format=None,
                      accept="text/tab-separated-values")
    dataset = Dataset()
    for row in ox.parse_query_results(body, ox.QueryResultsFormat.TSV):
        s, p, o, g = (from_ox(value) for value in row)
        dataset.add((s, p, o, g))
    return dataset


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else "(no message)"


class _Client(SPARQLWrapper):
    """SPARQLWrapper, its requests sent by our one HTTP client (:mod:`kg.httpclient`); HTTP errors are
    left as they are, for :meth:`RemoteStore.send` to say what they mean."""

    opener = httpclient.opener()

    def _query(self):
        return self.opener.open(self._createRequest(), timeout=self.timeout), self.returnFormat
