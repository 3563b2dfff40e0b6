"""A remote SPARQL 1.1 server as the store, through SPARQLWrapper.

The web app reads the universe only through :class:`kg.store.Store`, so
:class:`RemoteStore` is all it takes to serve the same pages from Oxigraph,
Fuseki, GraphDB, Virtuoso or QLever.  What a remote server may lack is
handled here, once:

* **our prefixes**: a remote server does not predeclare ``jwo:``, ``jwr:``…,
  so every query is sent with the PREFIX declarations of
  :data:`kg.namespaces.PREFIXES` before it;
* **the union default graph**: our queries read the default graph as the
  union of our named graphs.  :meth:`RemoteStore.connect` asks the server
  whether its default graph is exactly that: a triple of one of our graphs
  must be in it, and the server must hold no graph but ours (Virtuoso's
  default graph is every graph it holds, its own system graphs too).  If
  not, every query names the dataset through the protocol
  (``default-graph-uri`` and ``named-graph-uri`` for each of our graphs),
  which any SPARQL 1.1 server honours;
* **answers that are not whole** (Virtuoso): an answer cut at the server's
  row cap (``X-SPARQL-MaxRows``) is :class:`StoreTruncated`, an answer the
  server gave up on at its time limit (``X-SQL-State``, or its S1T00 error) is
  :class:`StoreTimedOut`; neither is ever read as a whole answer.  Virtuoso
  answers an ASK in JSON as a one-row SELECT of ``__ASK_RETVAL``; it is read as
  the boolean it is;
* **faults**: every request has a timeout and long queries go by POST; an
  unreachable, failing or slow server is :class:`StoreUnavailable` (the web
  app answers 503 with a retry hint, and recovers by itself when the server
  is back), refused credentials are :class:`StoreRefused`.

Answers are read by pyoxigraph's parsers (SPARQL JSON, N-Triples) and turned
into the same rdflib terms as the embedded store gives.
"""

from __future__ import annotations

import http.client
import itertools
import json
import urllib.error
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node as Term
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg import httpclient
from kg.errors import (
    StoreError,
    StoreRefused,
    StoreRejected,
    StoreTimedOut,
    StoreTruncated,
    StoreUnavailable,
)
from kg.httpclient import Credentials
from kg.namespaces import BASE, PREFIXES
from kg.rdf.terms import from_ox, iri_nt

from .base import Row, Store, bind, rows, triples

PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
LONG_QUERY = 2000  # characters past which a query goes by POST (URLs over ~8 KiB are refused by many servers)
CAP_PROBE = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10001"  # past any answer a page of ours needs
SAMPLE = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
IN_DEFAULT = "ASK WHERE { ?s ?p ?o }"
FOREIGN = "ASK WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRSTARTS(STR(?g), ?base)) }"
OUR_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) } ORDER BY ?g"


class RemoteStore(Store):
    """A read-only SPARQL 1.1 endpoint holding the universe (pushed there by ``kg push``)."""

    def __init__(self, endpoint: str, *, timeout: float = 10.0, credentials: Credentials | None = None,
                 union: bool = True, graphs: tuple[str, ...] = (), cap: int | None = None):
        self.endpoint, self.timeout, self.credentials = endpoint, timeout, credentials
        self.union = union  # the server reads its default graph as the union of the named graphs
        self.graphs = graphs  # our graphs, named in every request when the server has no union
        self.cap = cap  # the server's row cap, when it has one under 10,001 (Virtuoso: ResultSetMaxRows)
        self._opener = None  # made in the process that sends (never pickled to an executor)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_opener": None}

    @property
    def opener(self):
        if self._opener is None:
            self._opener = httpclient.opener(self.credentials, self.endpoint)
        return self._opener

    @classmethod
    def connect(cls, endpoint: str, *, timeout: float = 10.0, credentials: Credentials | None = None) -> RemoteStore:
        """A store of the server at ``endpoint``, after asking it what it holds and how it reads its graphs."""
        probe = cls(endpoint, timeout=timeout, credentials=credentials)
        graphs = tuple(str(row["g"]) for row in probe.select(OUR_GRAPHS, {"base": Literal(BASE)}))
        if not graphs:
            raise StoreError(f"the SPARQL server at {endpoint} holds none of our graphs: publish the universe "
                             "there first (kg push)")
        sample = probe.select(SAMPLE, {"g": URIRef(graphs[0])})
        union = bool(sample) and probe.ask(IN_DEFAULT, sample[0]) and not probe.ask(FOREIGN, {"base": Literal(BASE)})
        try:
            probe.send(CAP_PROBE)
            cap = None
        except StoreTruncated as cut:  # Virtuoso cuts CONSTRUCT answers at its cap too, without a word
            cap = cut.rows or None
        store = cls(endpoint, timeout=timeout, credentials=credentials, union=union, graphs=graphs, cap=cap)
        store._opener = probe._opener  # its kept connection too
        return store

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        text = bind(query, bindings)
        try:
            return rows(ox.parse_query_results(self.send(text), ox.QueryResultsFormat.JSON))
        except StoreTruncated as cut:  # read again in pages under the cap, in an order that keeps them apart
            if cut.rows < 2:  # a cap it did not say as a number (or of one row): no page fits under it
                raise
            names = [v.value for v in ox.parse_query_results(cut.body, ox.QueryResultsFormat.JSON).variables]
            order = " ".join(f"?{name}" for name in names)  # names the server's own answer gave
            ordered = f"SELECT * WHERE {{ {{ {text}\n}} }} ORDER BY {order}"
            found: list[Row] = []
            for offset in itertools.count(0, cut.rows - 1):
                page = rows(ox.parse_query_results(self.send(_paged(ordered, cut.rows - 1, offset)),
                                                   ox.QueryResultsFormat.JSON))
                found += page
                if len(page) < cut.rows - 1:
                    return found

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return bool(ox.parse_query_results(self._request(query, bindings, JSON, None), ox.QueryResultsFormat.JSON))

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple]:
        body = self._request(query, bindings, None, "application/n-triples")
        found = triples(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if self.may_be_cut(len(found)):
            raise StoreTruncated(f"the SPARQL server at {self.endpoint} may have cut its answer at its row cap "
                                 f"of {self.cap:,} (Virtuoso: ResultSetMaxRows)", body, self.cap)
        return found

    def may_be_cut(self, count: int) -> bool:
        """May ``count`` triples be a graph answer cut at the server's row cap?  A server that cuts graph
        answers says nothing of it: only the count can tell."""
        return self.cap is not None and count >= self.cap

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
        client.opener = self.opener
        client.setOnlyConneg(True)  # the format by Accept alone: Virtuoso obeys SPARQLWrapper's format=xml
        client.setTimeout(self.timeout)
        client.setQuery(text)
        if accept is None and return_format == JSON:  # said outright, never by SPARQLWrapper: it guesses the
            accept = "application/sparql-results+json"  # query's form from its words ("description": DESCRIBE)
        if accept is not None:
            client.addCustomHttpHeader("Accept", accept)
        if not (default_graphs or named_graphs or names_dataset or self.union):
            default_graphs = named_graphs = self.graphs  # the union, named: GRAPH ?g reaches each graph
        for graph in default_graphs:
            client.addDefaultGraph(graph)
        for graph in named_graphs:
            client.addNamedGraph(graph)
        client.setMethod(POST if len(text) > LONG_QUERY or default_graphs or named_graphs else GET)
        try:
            response = client.query().response
            return self._whole(response.headers, response.read(), return_format)
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
            if error.code == 500 and b"S1T00" in error.read()[:200]:  # Virtuoso's "Transaction timed out"
                raise StoreTimedOut(f"the SPARQL server at {self.endpoint} stopped the query at its own "
                                    "time limit (Virtuoso: MaxQueryExecutionTime)") from None
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

    def _whole(self, headers, body: bytes, return_format: str | None) -> bytes:
        """The answer, when the server says it is whole (see the module's notes)."""
        if headers.get("X-SQL-State"):  # Virtuoso's "anytime" answer: what it had found when time ran out
            raise StoreTimedOut(f"the SPARQL server at {self.endpoint} stopped the query at its own time "
                                f"limit and offered an incomplete answer ({headers['X-SQL-State']})")
        if headers.get("X-SPARQL-MaxRows"):
            cap = int(headers["X-SPARQL-MaxRows"]) if headers["X-SPARQL-MaxRows"].isdigit() else 0
            raise StoreTruncated(f"the SPARQL server at {self.endpoint} cut its answer at {cap:,} rows "
                                 "(Virtuoso: ResultSetMaxRows)", body, cap)
        if return_format == JSON and b'"__ASK_RETVAL"' in body[:200]:
            return _ask_as_boolean(body)
        return body


def _ask_as_boolean(body: bytes) -> bytes:
    """Virtuoso's answer to an ASK (a SELECT of one ``__ASK_RETVAL`` row, or of none) as SPARQL JSON's boolean."""
    try:
        rows = json.loads(body)["results"]["bindings"]
        truth = bool(rows) and rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
    except (ValueError, KeyError, TypeError, IndexError):
        return body  # not what it seemed: the parser says what is wrong with it
    return json.dumps({"head": {}, "boolean": truth}).encode()


ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) }"


def fetch_dataset(store: RemoteStore) -> Dataset:
    """Every quad of our graphs on the server, as a Dataset (what ``kg serve --endpoint`` makes its downloads of).

    Read as TSV, the most compact of the answer formats, in one query; from a server that cuts answers
    at a row cap, or that has no TSV, or whose TSV is not SPARQL's (Virtuoso's is neither, by Accept or
    format), as SPARQL JSON instead, in pages under the cap (:meth:`RemoteStore.select`).
    """
    dataset = Dataset()
    try:
        body = store.send(bind(ALL_QUADS, {"base": Literal(BASE)}), return_format=None,
                          accept="text/tab-separated-values")
        quads = [tuple(from_ox(value) for value in row)
                 for row in ox.parse_query_results(body, ox.QueryResultsFormat.TSV)]
        if all(isinstance(g, URIRef) and isinstance(p, URIRef) for _, p, _, g in quads):
            for quad in quads:
                dataset.add(quad)
            return dataset
    except (StoreTruncated, StoreUnavailable, SyntaxError):  # cut, no TSV (Virtuoso: 406), or not SPARQL's TSV
        pass  # a server that is down fails again below, and says so
    for row in store.select(ALL_QUADS, {"base": Literal(BASE)}):  # in pages, if the server has a cap
        dataset.add((row["s"], row["p"], row["o"], row["g"]))
    return dataset


def _paged(query: str, limit: int, offset: int) -> str:
    """The query with a LIMIT and an OFFSET (numbers: SPARQL has no way to bind them)."""
    return f"{query} LIMIT {int(limit)} OFFSET {int(offset)}"


def _add(dataset: Dataset, found: list[Row]) -> Dataset:
    for row in found:
        dataset.add((row["s"], row["p"], row["o"], row["g"]))
    return dataset


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else "(no message)"


class _Client(SPARQLWrapper):
    """SPARQLWrapper, its requests sent by our one HTTP client (:mod:`kg.httpclient`); HTTP errors are
    left as they are, for :meth:`RemoteStore.send` to say what they mean."""

    opener = None  # the store's (with its credentials), set before each query

    def _query(self):
        return self.opener.open(self._createRequest(), timeout=self.timeout), self.returnFormat
