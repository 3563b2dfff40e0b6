"""The one SPARQL engine: pyoxigraph, after our parser has checked the query.

``/sparql``'s executors (:mod:`kg.sparql.workers`) and ``kg query`` answer
through :func:`evaluate` and :func:`answer`, so a query answers the same
wherever it is asked: parsed and checked first (:func:`kg.sparql.gate.inspect`:
updates, ``SERVICE`` and graphs not ours refused), then run by pyoxigraph
over the merge of the named graphs (each triple once) unless the query or the
protocol names a dataset, with our prefixes predeclared.  :class:`Local` runs it on a store
of our own; :class:`Remote` sends the checked query to a SPARQL server.
Every failure of a query is a :class:`~kg.errors.QueryRefused` with the
HTTP status it means.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from SPARQLWrapper import JSON

from kg.errors import (
    QueryFailed,
    QueryRefused,
    StoreError,
    StoreRejected,
    StoreTimedOut,
    StoreTruncated,
    StoreUnavailable,
)
from kg.namespaces import JWG, PREFIX_MAP
from kg.rdf.formats import rdf_format, result_format
from kg.store.embedded import load_dataset, load_nquads
from kg.store.remote import RemoteStore

from .gate import Inspected, inspect
from .results import Written, write_boolean, write_solutions, write_triples

log = logging.getLogger(__name__)
#: The default graph made the merge of every named graph (a store holds a set of quads: each triple once).
MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


#: What a graph name of the protocol that is no graph of ours is read as: an empty graph.
NO_GRAPH = str(JWG["none"])


@dataclass(frozen=True)
class QueryRequest:
    """One query as the protocol gave it; hashable, so an answer can be cached by it."""

    query: str
    result_format: str = "json"  # for SELECT and ASK (kg.rdf.formats.RESULT_FORMATS)
    rdf_format: str = "turtle"  # for CONSTRUCT and DESCRIBE (kg.rdf.formats.RDF_FORMATS)
    default_graphs: tuple[str, ...] = ()  # the protocol's default-graph-uri
    named_graphs: tuple[str, ...] = ()  # the protocol's named-graph-uri
    row_limit: int | None = 10_000  # None: no limit (kg query)
    base: str | None = None  # relative IRIs of the query resolve against it (the endpoint's URL)


@dataclass(frozen=True)
class Answer:
    form: str
    written: Written
    seconds: float  # time the executor spent: parse, run and write


def evaluate(backend: Local | Remote, request: QueryRequest) -> tuple[Inspected, object]:
    """The query checked and run: its form, and pyoxigraph's answer (solutions, a boolean or triples)."""
    inspected = _inspect(request.query, backend.graphs)
    if any(name not in backend.graphs for name in (*request.default_graphs, *request.named_graphs)):
        request = replace(request, default_graphs=_ours(request.default_graphs, backend.graphs),
                          named_graphs=_ours(request.named_graphs, backend.graphs))
    try:
        return inspected, backend.query(inspected, request)
    # the remote server's address is ours to know, not the public's: it stays in the log
    except StoreRejected as exc:  # the remote server read the query differently: the client's to fix
        raise QueryRefused(400, f"the query was rejected by the store: {exc.reason}") from None
    except StoreTimedOut as exc:
        log.warning("%s", exc)
        raise QueryFailed(503, "the query exceeded the time limit of the server that holds the data and was "
                          "stopped", StoreUnavailable.retry_after) from None
    except StoreError as exc:  # the remote server failed, or was too slow
        log.warning("%s", exc)
        raise QueryRefused(503, "the server that holds the data is not answering; try again in a few seconds",
                           StoreUnavailable.retry_after) from None
    except SyntaxError as exc:  # the engine's parser disagreed with ours
        raise QueryRefused(400, f"syntax error: {exc}") from None
    except (OSError, ValueError, TypeError) as exc:  # an evaluation error of this query
        raise QueryRefused(400, f"the query could not be evaluated: {exc}") from None


def _ours(names: tuple[str, ...], graphs: frozenset[str]) -> tuple[str, ...]:
    """The protocol's graph names, one that is not a graph of ours read as an empty graph (as Fuseki and
    Oxigraph read it): named by an IRI under our base that no graph has, so no server is ever asked to fetch
    another's IRI."""
    return tuple(dict.fromkeys(name if name in graphs else NO_GRAPH for name in names))


def answer(backend: Local | Remote, request: QueryRequest) -> Answer:
    """The query's answer written in the format the request asks for."""
    started = time.perf_counter()
    inspected, result = evaluate(backend, request)
    try:
        written = write(result, request)
    except (OSError, ValueError, TypeError) as exc:  # pyoxigraph evaluates lazily: errors surface here too
        raise QueryRefused(400, f"the query could not be evaluated: {exc}") from None
    return Answer(inspected.form, written, time.perf_counter() - started)


@lru_cache(maxsize=256)
def _inspect(query: str, graphs: frozenset[str]) -> Inspected:
    return inspect(query, graphs.__contains__)


class Local:
    """A pyoxigraph store of our own: an executor's copy of the build, or the dataset ``kg query`` compiled.

    Its default graph holds the merge of the named graphs, each triple once: the
    union default graph SPARQL means (pyoxigraph's own union repeats a triple once
    per graph that states it, and many sources state the same facts), so a query
    without DISTINCT answers the same here as over rdflib or a merged dump.
    """

    def __init__(self, store: ox.Store):
        store.update(MERGE)
        self.store = store
        self.graphs = frozenset(g.value for g in store.named_graphs())

    @classmethod
    def load(cls, nquads: Path) -> Local:
        return cls(load_nquads(nquads))

    @classmethod
    def of(cls, dataset: Dataset) -> Local:
        return cls(load_dataset(dataset))

    def query(self, inspected: Inspected, request: QueryRequest):
        dataset = {}
        if request.default_graphs or request.named_graphs:  # the protocol's dataset replaces the query's
            dataset = {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                       "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}
        return self.store.query(inspected.text, prefixes=PREFIX_MAP, base_iri=request.base, **dataset)


class Remote:
    """A remote SPARQL server: the query, checked here, is sent there; its answer is read back."""

    def __init__(self, store: RemoteStore):
        self.store = store
        self.graphs = frozenset(store.graphs)

    def query(self, inspected: Inspected, request: QueryRequest):
        graph_answer = inspected.form in ("CONSTRUCT", "DESCRIBE")
        try:
            body = self.store.send(inspected.text, return_format=None if graph_answer else JSON,
                                   accept="application/n-triples" if graph_answer else None,
                                   default_graphs=request.default_graphs, named_graphs=request.named_graphs,
                                   names_dataset=inspected.names_dataset, base=request.base)
        except StoreTruncated as cut:  # cut at the server's row cap: shown as cut, never as whole
            return Capped(ox.parse_query_results(cut.body, ox.QueryResultsFormat.JSON), cut.rows)
        if graph_answer:
            found = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            if self.store.may_be_cut(len(found)):  # the server's cap, said by nothing but the count
                return Capped(found, self.store.cap)
            return found
        return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)


@dataclass(frozen=True)
class Capped:
    """Solutions, or triples, a server cut at its own row cap (``rows``)."""

    answer: ox.QuerySolutions | list
    rows: int


def write(answer, request: QueryRequest) -> Written:
    if isinstance(answer, Capped) and isinstance(answer.answer, list):
        return write_triples(answer.answer, rdf_format(request.rdf_format), request.row_limit, capped=answer.rows)
    if isinstance(answer, Capped):
        return write_solutions(answer.answer, result_format(request.result_format), request.row_limit,
                               capped=answer.rows)
    if isinstance(answer, ox.QueryBoolean):
        return write_boolean(answer, result_format(request.result_format))
    if isinstance(answer, ox.QuerySolutions):
        return write_solutions(answer, result_format(request.result_format), request.row_limit)
    return write_triples(answer, rdf_format(request.rdf_format), request.row_limit)


